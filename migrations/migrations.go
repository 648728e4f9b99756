// Package migrations holds Pactum's SQL migrations, embedded in the binary.
// Each file runs unchanged on SQLite and PostgreSQL.
package migrations

import (
	"embed"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var files embed.FS

// Migrations is the set of embedded migrations.
var Migrations = migrate.NewMigrations()

func init() {
	if err := Migrations.Discover(files); err != nil {
		panic(err)
	}
}
