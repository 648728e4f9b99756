package rpc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"buf.build/go/protovalidate"
	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
)

// The interceptors are full connect.Interceptors, not unary-only functions:
// a server-streaming procedure (the financial report) goes through logging,
// error mapping, authentication and validation exactly as a unary one does.
// Only streaming clients pass through untouched (the server makes no calls).

// logInterceptor logs every call: procedure, outcome and duration.
func logInterceptor(log *slog.Logger) connect.Interceptor { return &logging{log: log} }

type logging struct{ log *slog.Logger }

func (l *logging) record(ctx context.Context, spec connect.Spec, peer connect.Peer, start time.Time, err error) {
	code := "ok"
	level := slog.LevelInfo
	if err != nil {
		code = connect.CodeOf(err).String()
		if connect.CodeOf(err) == connect.CodeInternal || connect.CodeOf(err) == connect.CodeUnknown {
			level = slog.LevelError
		}
	}
	l.log.Log(ctx, level, "rpc", "procedure", spec.Procedure, "protocol", peer.Protocol,
		"code", code, "duration", time.Since(start).Round(time.Microsecond), "peer", peer.Addr)
}

func (l *logging) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		start := time.Now()
		res, err := next(ctx, req)
		l.record(ctx, req.Spec(), req.Peer(), start, err)
		return res, err
	}
}

func (l *logging) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		start := time.Now()
		err := next(ctx, conn)
		l.record(ctx, conn.Spec(), conn.Peer(), start, err)
		return err
	}
}

func (*logging) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

// errorInterceptor maps whatever a handler returns to a Connect error, in
// one place (see toConnect).
func errorInterceptor(log *slog.Logger) connect.Interceptor { return &errorMapping{log: log} }

type errorMapping struct{ log *slog.Logger }

func (e *errorMapping) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		res, err := next(ctx, req)
		if err != nil {
			return nil, toConnect(ctx, e.log, req.Spec().Procedure, err)
		}
		return res, nil
	}
}

func (e *errorMapping) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if err := next(ctx, conn); err != nil {
			return toConnect(ctx, e.log, conn.Spec().Procedure, err)
		}
		return nil
	}
}

func (*errorMapping) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

// validateInterceptor enforces the protovalidate rules of every request
// message, answering INVALID_ARGUMENT with one field violation per broken
// rule. On streams, every message received is checked before the handler
// sees it.
func validateInterceptor(v protovalidate.Validator) connect.Interceptor { return &validation{v: v} }

type validation struct{ v protovalidate.Validator }

// check returns the violations of msg's rules as a domain error, or nil.
func (val *validation) check(msg any) error {
	m, ok := msg.(proto.Message)
	if !ok {
		return nil
	}
	err := val.v.Validate(m)
	if err == nil {
		return nil
	}
	var ve *protovalidate.ValidationError
	if !errors.As(err, &ve) {
		return errs.Internal(err)
	}
	var fv errs.Violations
	for _, viol := range ve.Violations {
		field := protovalidate.FieldPathString(viol.Proto.GetField())
		fv.Add(field, "%s", viol.Proto.GetMessage())
	}
	return fv.Err()
}

func (val *validation) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if err := val.check(req.Any()); err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

func (val *validation) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		return next(ctx, &validatedConn{StreamingHandlerConn: conn, val: val})
	}
}

func (*validation) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

// validatedConn checks each message it receives.
type validatedConn struct {
	connect.StreamingHandlerConn
	val *validation
}

func (c *validatedConn) Receive(msg any) error {
	if err := c.StreamingHandlerConn.Receive(msg); err != nil {
		return err
	}
	return c.val.check(msg)
}

// fingerprintInterceptor gives idem the fingerprint of every unary request
// that carries a request_id: the SHA-256 of the request, deterministically
// encoded, without its request_id. A repeat of the request has the same
// fingerprint; a request_id reused for another request has another, and
// idem refuses it (AIP-155).
func fingerprintInterceptor() connect.Interceptor { return fingerprinting{} }

type fingerprinting struct{}

// requestFingerprint returns msg's fingerprint, or "" when msg has no
// request_id set.
func requestFingerprint(msg any) string {
	m, ok := msg.(proto.Message)
	if !ok {
		return ""
	}
	r := m.ProtoReflect()
	fd := r.Descriptor().Fields().ByName("request_id")
	if fd == nil || fd.Kind() != protoreflect.StringKind || r.Get(fd).String() == "" {
		return ""
	}
	c := proto.Clone(m)
	c.ProtoReflect().Clear(fd)
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(c)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (fingerprinting) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if fp := requestFingerprint(req.Any()); fp != "" {
			ctx = idem.WithFingerprint(ctx, fp)
		}
		return next(ctx, req)
	}
}

func (fingerprinting) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

func (fingerprinting) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}
