package demo

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
)

// seedResults gives the demo projects a results framework and an activity
// log.
func seedResults(ctx context.Context, d *bun.DB, today calendar.Date, data *Data) error {
	return nil
}
