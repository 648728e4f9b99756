package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// Contention, as the drivers report it, is told apart from an unreachable
// database and from everything else, also wrapped as an internal error.
func TestContentionIsTransient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("sqlite busy", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "busy.db")
		d, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if _, err := d.ExecContext(ctx, "CREATE TABLE t (x INTEGER)"); err != nil {
			t.Fatal(err)
		}
		tx, err := d.BeginTx(ctx, nil) // immediate: holds the write lock
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		// Another connection that does not wait for the lock.
		other, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		_, err = other.ExecContext(ctx, "INSERT INTO t VALUES (1)")
		if err == nil {
			t.Fatal("a second writer got the lock")
		}
		expectKind(t, err, true, false)
	})
	t.Run("postgres lock timeout", func(t *testing.T) {
		d := dbtest.Postgres(t)
		if _, err := d.ExecContext(ctx, "CREATE TABLE t (x INTEGER PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, "INSERT INTO t VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		tx, err := d.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, "UPDATE t SET x = 1 WHERE x = 1"); err != nil {
			t.Fatal(err)
		}
		err = d.RunInTx(ctx, nil, func(ctx context.Context, tx2 bun.Tx) error {
			if _, err := tx2.ExecContext(ctx, "SET LOCAL lock_timeout = '50ms'"); err != nil {
				return err
			}
			_, err := tx2.ExecContext(ctx, "UPDATE t SET x = 1 WHERE x = 1")
			return err
		})
		expectKind(t, err, true, false)
	})
	for _, code := range []string{"40001", "40P01", "55P03"} {
		t.Run("postgres "+code, func(t *testing.T) {
			expectKind(t, fmt.Errorf("commit: %w", &pgconn.PgError{Code: code}), true, false)
		})
	}
}

// A database that is closed, cannot be opened or cannot be reached is
// unreachable; ordinary errors are neither kind.
func TestUnreachableIsTransient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("sqlite closed", func(t *testing.T) {
		d := dbtest.SQLite(t)
		_ = d.Close()
		_, err := d.ExecContext(ctx, "SELECT 1")
		expectKind(t, err, false, true)
		if db.Ping(ctx, d) == nil {
			t.Error("a closed database answers the ping")
		}
	})
	t.Run("sqlite cannot open", func(t *testing.T) {
		sqldb, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "missing", "folder", "pactum.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer sqldb.Close()
		_, err = sqldb.ExecContext(ctx, "CREATE TABLE t (x INTEGER)")
		expectKind(t, err, false, true)
	})
	t.Run("postgres refused", func(t *testing.T) {
		sqldb, err := sql.Open("pgx", "postgres://postgres@"+closedPort(t)+"/pactum?sslmode=disable&connect_timeout=2")
		if err != nil {
			t.Fatal(err)
		}
		d := bun.NewDB(sqldb, pgdialect.New())
		defer d.Close()
		err = db.Ping(ctx, d)
		expectKind(t, err, false, true)
	})
	t.Run("postgres closed", func(t *testing.T) {
		d := dbtest.Postgres(t)
		_ = d.Close()
		_, err := d.ExecContext(ctx, "SELECT 1")
		expectKind(t, err, false, true)
	})
	t.Run("postgres shutting down", func(t *testing.T) {
		expectKind(t, &pgconn.PgError{Code: "57P01"}, false, true)
		expectKind(t, &pgconn.PgError{Code: "08006"}, false, true)
	})
	t.Run("ordinary errors", func(t *testing.T) {
		d := dbtest.SQLite(t)
		_, err := d.ExecContext(ctx, "SELECT * FROM no_such_table")
		for _, err := range []error{err, sql.ErrNoRows, errors.New("boom"), &pgconn.PgError{Code: "23505"}, nil} {
			if db.IsTransient(err) || db.IsTransient(errs.Internal(err)) {
				t.Errorf("%v is taken for transient", err)
			}
		}
	})
}

func expectKind(t *testing.T, err error, contention, unreachable bool) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	for _, e := range []error{err, errs.Internal(err)} {
		if db.IsContention(e) != contention || db.IsUnreachable(e) != unreachable {
			t.Errorf("%v (%T): contention %v, unreachable %v; want %v, %v", e, errors.Unwrap(e), db.IsContention(e), db.IsUnreachable(e), contention, unreachable)
		}
	}
}
