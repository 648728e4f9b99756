package rpc

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pactum-dev/pactum/internal/errs"
)

// Contention and an unreachable database, however wrapped, answer
// unavailable (retryable) without their detail; other unexpected errors
// stay internal.
func TestTransientDatabaseErrorsAnswerUnavailable(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		err  error
		want connect.Code
	}{
		{errs.Internal(&pgconn.PgError{Code: "40001", Message: "could not serialize access"}), connect.CodeUnavailable},
		{errs.Internal(fmt.Errorf("insert: %w", &pgconn.PgError{Code: "40P01"})), connect.CodeUnavailable},
		{&pgconn.PgError{Code: "55P03"}, connect.CodeUnavailable},
		{errs.Internal(driver.ErrBadConn), connect.CodeUnavailable},
		{errs.Internal(errors.New("sql: database is closed")), connect.CodeUnavailable},
		{errs.Internal(&pgconn.PgError{Code: "23505", Message: "duplicate key"}), connect.CodeInternal},
		{errs.Internal(errors.New("boom")), connect.CodeInternal},
		{errs.NotFound("grants/x"), connect.CodeNotFound},
	} {
		got := toConnect(context.Background(), log, "/test", tc.err)
		if connect.CodeOf(got) != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, connect.CodeOf(got), tc.want)
		}
		if tc.want == connect.CodeUnavailable {
			var ce *connect.Error
			if !errors.As(got, &ce) || ce.Message() == tc.err.Error() {
				t.Errorf("%v: message %q shows the detail", tc.err, ce.Message())
			}
		}
	}
}
