package db_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
)

func tables(t *testing.T, d *bun.DB) []string {
	t.Helper()
	var q string
	if d.Dialect().Name().String() == "pg" {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
	} else {
		q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
	}
	var names []string
	if err := d.NewRaw(q).Scan(context.Background(), &names); err != nil {
		t.Fatal(err)
	}
	return names
}

// Migrations go up, down and up again, leaving the same schema, on both
// databases.
func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	run := func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		if _, err := db.MigrateUp(ctx, d); err != nil {
			t.Fatal(err)
		}
		up := strings.Join(tables(t, d), " ")
		for _, want := range []string{"organisations", "framework_agreements", "grants", "projects", "milestones", "create_requests"} {
			if !strings.Contains(up, want) {
				t.Fatalf("after up, tables are %q; missing %s", up, want)
			}
		}
		down, err := db.MigrateDown(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(down) == 0 {
			t.Fatal("nothing rolled back")
		}
		if left := strings.Join(tables(t, d), " "); strings.Contains(left, "organisations") {
			t.Fatalf("after down, tables are %q", left)
		}
		if _, err := db.MigrateUp(ctx, d); err != nil {
			t.Fatal(err)
		}
		if again := strings.Join(tables(t, d), " "); again != up {
			t.Fatalf("up again gave %q, first up %q", again, up)
		}
		var sb strings.Builder
		if err := db.MigrateStatus(ctx, d, &sb); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(sb.String(), "applied") || strings.Contains(sb.String(), "pending") {
			t.Fatalf("status after up:\n%s", sb.String())
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		run(t, d)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn, _ := dbtest.NewPostgresSchema(t)
		d, err := db.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		run(t, d)
	})
}

// SQLite is opened with foreign keys on and in WAL mode.
func TestSQLitePragmas(t *testing.T) {
	t.Parallel()
	d, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var fk int
	var mode string
	ctx := context.Background()
	if err := d.NewRaw("PRAGMA foreign_keys").Scan(ctx, &fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d (%v)", fk, err)
	}
	if err := d.NewRaw("PRAGMA journal_mode").Scan(ctx, &mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v)", mode, err)
	}
}

// Driver errors are normalised the same way on both databases.
func TestErrorNormalisation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		ins := "INSERT INTO create_requests (key_hash, method, resource_name, create_time, expire_time) VALUES ('k', 'm', 'x/1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
		if _, err := d.ExecContext(ctx, ins); err != nil {
			t.Fatal(err)
		}
		_, err := d.ExecContext(ctx, ins)
		if !db.IsUniqueViolation(err) {
			t.Fatalf("duplicate key: %v not recognised as a unique violation", err)
		}
		_, err = d.ExecContext(ctx, `INSERT INTO project_countries (project_id, country_code, position) VALUES ('nope', 'KE', 0)`)
		if !db.IsForeignKeyViolation(err) {
			t.Fatalf("missing parent: %v not recognised as a foreign-key violation", err)
		}
		var id string
		err = d.NewRaw("SELECT id FROM organisations WHERE id = 'nope'").Scan(ctx, &id)
		if !db.IsNoRows(err) {
			t.Fatalf("no rows: %v", err)
		}
	})
}
