package db_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
)

// errTables creates a parent and a child table with the constraints whose
// violations Err classifies.
func errTables(t *testing.T, d *bun.DB) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		"CREATE TABLE err_parents (id TEXT PRIMARY KEY, name TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount >= 0))",
		"CREATE UNIQUE INDEX err_parents_lower_name ON err_parents (lower(name))",
		`CREATE TABLE err_children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES err_parents (id),
			code TEXT NOT NULL, UNIQUE (parent_id, code))`,
		"INSERT INTO err_parents (id, name, amount) VALUES ('p1', 'First', 1), ('p2', 'Second', 2)",
		"INSERT INTO err_children (id, parent_id, code) VALUES ('c1', 'p1', 'A')",
	} {
		if _, err := d.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// public is what a client would read of err.
func public(err error) string {
	var de *errs.Error
	if errors.As(err, &de) {
		return de.Public()
	}
	return ""
}

// Real violations, as each driver reports them, become the same domain
// errors on SQLite and PostgreSQL, whose public text holds no SQL, table
// name or value; the driver's error stays in the chain.
func TestErrClassifiesDriverErrors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		t.Parallel()
		ctx := context.Background()
		errTables(t, d)
		exec := func(q string) error {
			t.Helper()
			_, err := d.ExecContext(ctx, q)
			if err == nil {
				t.Fatalf("%s: no error", q)
			}
			return err
		}

		t.Run("unique", func(t *testing.T) {
			raw := exec("INSERT INTO err_children (id, parent_id, code) VALUES ('c2', 'p1', 'A')")
			if got := db.UniqueColumns(raw); !slices.Equal(got, []string{"parent_id", "code"}) {
				t.Errorf("UniqueColumns = %q, want [parent_id code]", got)
			}
			err := db.Err(raw)
			if !errs.Is(err, errs.KindAlreadyExists) {
				t.Fatalf("kind %v (%v), want already exists", errs.KindOf(err), err)
			}
			if got, want := public(err), "another record already has the same parent and code"; got != want {
				t.Errorf("message %q, want %q", got, want)
			}
			if !db.IsUniqueViolation(err) {
				t.Error("the driver's error is not in the chain: a lost race can no longer be told")
			}
		})
		t.Run("primary key", func(t *testing.T) {
			err := db.Err(exec("INSERT INTO err_parents (id, name, amount) VALUES ('p1', 'Third', 3)"))
			if !errs.Is(err, errs.KindAlreadyExists) || public(err) != "another record already has the same id" {
				t.Fatalf("%v (%s): want already exists naming id", errs.KindOf(err), public(err))
			}
		})
		t.Run("unique expression", func(t *testing.T) {
			raw := exec("INSERT INTO err_parents (id, name, amount) VALUES ('p3', 'FIRST', 3)")
			if cols := db.UniqueColumns(raw); cols != nil {
				t.Errorf("UniqueColumns = %q for an index on an expression, want none", cols)
			}
			err := db.Err(raw)
			if !errs.Is(err, errs.KindAlreadyExists) || public(err) != "another record already has the same key" {
				t.Fatalf("%v (%s): want already exists without columns", errs.KindOf(err), public(err))
			}
		})
		t.Run("unique named by the store", func(t *testing.T) {
			err := db.Err(exec("INSERT INTO err_children (id, parent_id, code) VALUES ('c2', 'p1', 'A')"),
				db.Unique(errs.AlreadyExistsOn("code", "code A is already used in this parent; choose another")),
				db.ForeignKey(errs.Precondition("WRONG", "not this one")))
			var de *errs.Error
			if !errors.As(err, &de) || de.Kind != errs.KindAlreadyExists || len(de.Violations) != 1 || de.Violations[0].Field != "code" {
				t.Fatalf("%#v: want already exists on field code", err)
			}
			if db.IsUniqueViolation(err) {
				t.Error("the store's error was changed: it now says it is a unique violation, which callers retry as a lost race")
			}
		})
		t.Run("foreign key on insert", func(t *testing.T) {
			err := db.Err(exec("INSERT INTO err_children (id, parent_id, code) VALUES ('c3', 'nope', 'B')"))
			if !errs.Is(err, errs.KindPrecondition) || reason(err) != db.ReasonReferenceConflict {
				t.Fatalf("%v (%v), want precondition %s", errs.KindOf(err), err, db.ReasonReferenceConflict)
			}
			if !db.IsForeignKeyViolation(err) {
				t.Error("the driver's error is not in the chain")
			}
		})
		t.Run("foreign key on delete", func(t *testing.T) {
			err := db.Err(exec("DELETE FROM err_parents WHERE id = 'p1'"),
				db.ForeignKey(errs.Precondition("PARENT_IN_USE", "parent p1 has children; delete them first")))
			if !errs.Is(err, errs.KindPrecondition) || reason(err) != "PARENT_IN_USE" || public(err) != "parent p1 has children; delete them first" {
				t.Fatalf("%v: want the store's precondition", err)
			}
		})
		for name, q := range map[string]string{
			"check":    "INSERT INTO err_parents (id, name, amount) VALUES ('p4', 'Fourth', -1)",
			"not null": "INSERT INTO err_parents (id, amount) VALUES ('p5', 1)",
			"syntax":   "INSERT INTO err_parents VALUES VALUES",
			"no table": "SELECT * FROM err_nothing",
		} {
			t.Run(name, func(t *testing.T) {
				raw := exec(q)
				err := db.Err(raw, db.NotFound("parents/p4"), db.Unique(errs.AlreadyExists("no")), db.ForeignKey(errs.Precondition("NO", "no")))
				if !errs.Is(err, errs.KindInternal) {
					t.Fatalf("kind %v, want internal", errs.KindOf(err))
				}
				if public(err) != "internal error" || !errors.Is(err, raw) {
					t.Errorf("public %q, cause kept %v: want a generic message and the cause for the log", public(err), errors.Is(err, raw))
				}
			})
		}

		t.Run("no rows", func(t *testing.T) {
			var name string
			raw := d.NewSelect().Table("err_parents").Column("name").Where("id = 'nope'").Scan(ctx, &name)
			if !db.IsNoRows(raw) {
				t.Fatalf("%v, want no rows", raw)
			}
			if err := db.Err(raw, db.NotFound("parents/nope")); !errs.Is(err, errs.KindNotFound) || public(err) != "parents/nope not found" {
				t.Errorf("%v: want parents/nope not found", err)
			}
			if err := db.Err(raw); !errs.Is(err, errs.KindInternal) {
				t.Errorf("%v: a row the statement expected is missing: want internal", err)
			}
			if err := db.Err(raw, db.AllowNoRows); err != nil {
				t.Errorf("%v: want no error", err)
			}
			if err := db.Err(raw, db.NoRows(errs.Unauthenticated("sign in again"))); !errs.Is(err, errs.KindUnauthorised) {
				t.Errorf("%v: want the store's error", err)
			}
		})
	})
}

func reason(err error) string {
	var de *errs.Error
	if errors.As(err, &de) {
		return de.Reason
	}
	return ""
}

// Err leaves alone what is not a driver's error to classify.
func TestErrPassesThrough(t *testing.T) {
	t.Parallel()
	if db.Err(nil) != nil {
		t.Error("nil became an error")
	}
	nf := errs.NotFound("grants/x")
	if got := db.Err(nf, db.NotFound("other")); !errors.Is(got, nf) || got.Error() != nf.Error() {
		t.Errorf("a domain error became %v", got)
	}
	wrapped := errors.Join(errors.New("query"), context.Canceled)
	if got := db.Err(wrapped); !errors.Is(got, context.Canceled) || got.Error() != wrapped.Error() {
		t.Errorf("a canceled context became %v", got)
	}
	if got := db.Err(context.DeadlineExceeded); !errors.Is(got, context.DeadlineExceeded) || got.Error() != context.DeadlineExceeded.Error() {
		t.Errorf("a deadline became %v", got)
	}
	boom := errors.New("boom")
	if got := db.Err(boom); !errs.Is(got, errs.KindInternal) || !errors.Is(got, boom) {
		t.Errorf("an unknown error became %v, want internal keeping it", got)
	}
}
