// Package dbtest gives each test its own fully migrated database: a SQLite
// file always, and a PostgreSQL schema when PACTUM_TEST_POSTGRES_DSN is set.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
)

// PostgresDSNEnv names the environment variable with the PostgreSQL test DSN.
const PostgresDSNEnv = "PACTUM_TEST_POSTGRES_DSN"

// AuditKey is the audit key of every test database (given with audit.Use,
// as the application gives its own), so that audit.Record works in tests.
// Tests of the trail's protection check with it.
var AuditKey = func() *audit.Key {
	secret := sha256.Sum256([]byte("pactum test audit key"))
	k, err := audit.NewKey(secret[:])
	if err != nil {
		panic(err)
	}
	return k
}()

// Each runs fn once per database: "sqlite" always, "postgres" when
// PACTUM_TEST_POSTGRES_DSN is set (skipped, saying so, otherwise).
func Each(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachPair runs fn once per database like Each, with two separate handles
// (two connection pools) on the same database: what two servers behind a
// load balancer share.
func EachPair(t *testing.T, fn func(t *testing.T, a, b *bun.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "pactum.db")
		a := open(t, path)
		migrate(t, a)
		fn(t, a, second(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn, _ := NewPostgresSchema(t)
		a := open(t, dsn)
		migrate(t, a)
		fn(t, a, second(t, dsn))
	})
}

// open opens dsn with the test audit key (a second server on the same
// database has the same key).
func open(t testing.TB, dsn string) *bun.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	audit.Use(d, AuditKey)
	t.Cleanup(func() { audit.Forget(d) })
	return d
}

// second opens another handle on an already migrated database, with the
// audit key, as a second server would.
func second(t testing.TB, dsn string) *bun.DB {
	t.Helper()
	d := open(t, dsn)
	audit.Use(d, AuditKey)
	t.Cleanup(func() { audit.Forget(d) })
	return d
}

// SQLite returns a migrated SQLite database in a temporary folder.
func SQLite(t testing.TB) *bun.DB {
	t.Helper()
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "pactum.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	migrate(t, d)
	return d
}

// PostgresDSN returns the test DSN, skipping the test when it is not set.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresDSNEnv)
	if dsn == "" {
		t.Skip("PostgreSQL tests skipped: set " + PostgresDSNEnv + " to run them")
	}
	return dsn
}

// Postgres returns a migrated database in a fresh PostgreSQL schema, dropped
// when the test ends. It skips the test when PACTUM_TEST_POSTGRES_DSN is unset.
func Postgres(t testing.TB) *bun.DB {
	t.Helper()
	dsn, schema := NewPostgresSchema(t)
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	_ = schema
	migrate(t, d)
	return d
}

// NewPostgresSchema creates an empty schema, dropped at cleanup, and returns
// a DSN whose search_path is that schema.
func NewPostgresSchema(t testing.TB) (dsn, schema string) {
	t.Helper()
	base := PostgresDSN(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema = "pactum_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	admin, err := adminDB(base)
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresDSNEnv, err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s must be a postgres:// URL: %v", PostgresDSNEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}

// admin is the one handle of the test binary on the test DSN, which creates
// and drops the tests' schemas: tests run in parallel (and go test runs
// packages in parallel), and one small pool per binary keeps PostgreSQL's
// connection count down. It lives as long as the binary.
var admin struct {
	once sync.Once
	db   *bun.DB
	err  error
}

func adminDB(dsn string) (*bun.DB, error) {
	admin.once.Do(func() {
		admin.db, admin.err = db.Open(context.Background(), dsn)
		if admin.err == nil {
			admin.db.SetMaxOpenConns(2)
			admin.db.SetMaxIdleConns(1)
		}
	})
	return admin.db, admin.err
}

// migrate applies the migrations to d and gives it the test audit key.
func migrate(t testing.TB, d *bun.DB) {
	t.Helper()
	if _, err := db.MigrateUp(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	audit.Use(d, AuditKey)
	t.Cleanup(func() { audit.Forget(d) })
}
