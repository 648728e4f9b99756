package rpc

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"buf.build/go/protovalidate"
	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/pactum-dev/pactum/internal/errs"
)

// logInterceptor logs every call: procedure, outcome and duration.
func logInterceptor(log *slog.Logger) connect.UnaryInterceptorFunc {
	return func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			start := time.Now()
			res, err := next(ctx, req)
			code := "ok"
			level := slog.LevelInfo
			if err != nil {
				code = connect.CodeOf(err).String()
				if connect.CodeOf(err) == connect.CodeInternal || connect.CodeOf(err) == connect.CodeUnknown {
					level = slog.LevelError
				}
			}
			log.Log(ctx, level, "rpc", "procedure", req.Spec().Procedure, "protocol", req.Peer().Protocol,
				"code", code, "duration", time.Since(start).Round(time.Microsecond), "peer", req.Peer().Addr)
			return res, err
		}
	}
}

// errorInterceptor maps whatever a handler returns to a Connect error, in
// one place (see toConnect).
func errorInterceptor(log *slog.Logger) connect.UnaryInterceptorFunc {
	return func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			res, err := next(ctx, req)
			if err != nil {
				return nil, toConnect(ctx, log, req.Spec().Procedure, err)
			}
			return res, nil
		}
	}
}

// validateInterceptor enforces the protovalidate rules of every request
// message, answering INVALID_ARGUMENT with one field violation per broken
// rule.
func validateInterceptor(v protovalidate.Validator) connect.UnaryInterceptorFunc {
	return func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			msg, ok := req.Any().(proto.Message)
			if !ok {
				return next(ctx, req)
			}
			if err := v.Validate(msg); err != nil {
				var ve *protovalidate.ValidationError
				if !errors.As(err, &ve) {
					return nil, errs.Internal(err)
				}
				var fv errs.Violations
				for _, viol := range ve.Violations {
					field := protovalidate.FieldPathString(viol.Proto.GetField())
					fv.Add(field, "%s", viol.Proto.GetMessage())
				}
				return nil, fv.Err()
			}
			return next(ctx, req)
		}
	}
}
