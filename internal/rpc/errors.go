package rpc

import (
	"context"
	"errors"
	"log/slog"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
)

// codes maps each domain error kind to its Connect code. This is the only
// place where domain errors become protocol errors.
var codes = map[errs.Kind]connect.Code{
	errs.KindInvalid:       connect.CodeInvalidArgument,
	errs.KindNotFound:      connect.CodeNotFound,
	errs.KindAlreadyExists: connect.CodeAlreadyExists,
	errs.KindPrecondition:  connect.CodeFailedPrecondition,
	errs.KindAborted:       connect.CodeAborted,
	errs.KindPermission:    connect.CodePermissionDenied,
	errs.KindUnauthorised:  connect.CodeUnauthenticated,
	errs.KindExhausted:     connect.CodeResourceExhausted,
}

// toConnect turns any error a handler returns into a Connect error. Domain
// errors keep their message and carry field violations (google.rpc.BadRequest)
// or a reason (google.rpc.ErrorInfo). Database contention (a busy or locked
// SQLite, a PostgreSQL serialization failure, deadlock or lock timeout) and
// an unreachable database are answered "unavailable": the transaction did
// not commit (save when the connection broke during COMMIT itself, which
// request_id and etags guard against), so the client may retry the call as
// it is. Anything else is
// logged with detail and answered with a generic message, so SQL and stack
// text never leak.
func toConnect(ctx context.Context, log *slog.Logger, procedure string, err error) error {
	var ce *connect.Error
	if errors.As(err, &ce) {
		return ce
	}
	if errors.Is(err, context.Canceled) {
		return connect.NewError(connect.CodeCanceled, errors.New("request canceled"))
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return connect.NewError(connect.CodeDeadlineExceeded, errors.New("deadline exceeded"))
	}
	var de *errs.Error
	code, ok := connect.Code(0), false
	if errors.As(err, &de) {
		code, ok = codes[de.Kind]
	}
	if !ok && db.IsContention(err) {
		log.WarnContext(ctx, "database busy", "procedure", procedure, "error", err)
		return connect.NewError(connect.CodeUnavailable, errors.New("the database is busy with other changes; try again in a moment"))
	}
	if !ok && db.IsUnreachable(err) {
		log.ErrorContext(ctx, "database unavailable", "procedure", procedure, "error", err)
		return connect.NewError(connect.CodeUnavailable, errors.New("the database is unavailable; try again later"))
	}
	if !ok {
		log.ErrorContext(ctx, "internal error", "procedure", procedure, "error", err)
		return connect.NewError(connect.CodeInternal, errors.New("internal error; it has been logged"))
	}
	out := connect.NewError(code, errors.New(de.Public()))
	if len(de.Violations) > 0 {
		br := &errdetails.BadRequest{}
		for _, v := range de.Violations {
			br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{
				Field: v.Field, Description: v.Description,
			})
		}
		if d, err := connect.NewErrorDetail(br); err == nil {
			out.AddDetail(d)
		}
	}
	if de.Reason != "" {
		if d, err := connect.NewErrorDetail(&errdetails.ErrorInfo{Reason: de.Reason, Domain: "pactum.dev"}); err == nil {
			out.AddDetail(d)
		}
	}
	return out
}
