package rpc

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
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

// The database's refusals that no store named (db.Err's own errors, which
// keep the driver's error for the log) reach the client with their code and
// a message without the driver's words: no SQL, table, constraint or value.
func TestDatabaseRefusalsAnswerWithoutSQL(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		t.Parallel()
		ctx := context.Background()
		for _, q := range []string{
			"CREATE TABLE refusal_parents (id TEXT PRIMARY KEY)",
			"CREATE TABLE refusal_children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES refusal_parents (id), code TEXT NOT NULL, UNIQUE (parent_id, code))",
			"INSERT INTO refusal_parents (id) VALUES ('p1')",
			"INSERT INTO refusal_children (id, parent_id, code) VALUES ('c1', 'p1', 'secret-value')",
		} {
			if _, err := d.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			sql, want string
			code      connect.Code
		}{
			{"INSERT INTO refusal_children (id, parent_id, code) VALUES ('c2', 'p1', 'secret-value')",
				"another record already has the same parent and code", connect.CodeAlreadyExists},
			{"INSERT INTO refusal_children (id, parent_id, code) VALUES ('c3', 'nope', 'x')",
				"it refers to a record that no longer exists, or other records still refer to it; read them again and retry", connect.CodeFailedPrecondition},
			{"DELETE FROM refusal_parents WHERE id = 'p1'",
				"it refers to a record that no longer exists, or other records still refer to it; read them again and retry", connect.CodeFailedPrecondition},
			{"INSERT INTO refusal_children (id, code) VALUES ('c4', 'x')", "internal error; it has been logged", connect.CodeInternal},
		} {
			_, raw := d.ExecContext(ctx, tc.sql)
			if raw == nil {
				t.Fatalf("%s: no error", tc.sql)
			}
			got := toConnect(ctx, log, "/test", db.Err(raw))
			var ce *connect.Error
			if !errors.As(got, &ce) || ce.Code() != tc.code || ce.Message() != tc.want {
				t.Errorf("%s: %v, want %v %q", tc.sql, got, tc.code, tc.want)
				continue
			}
			for _, w := range []string{"refusal_", "secret-value", "UNIQUE", "FOREIGN", "NOT NULL", "constraint", "violates", "INSERT", "DELETE"} {
				if strings.Contains(ce.Message(), w) {
					t.Errorf("%s: the client reads %q", tc.sql, ce.Message())
				}
			}
		}
	})
}
