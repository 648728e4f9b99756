package demo

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
)

// seedProgress gives the demo some progress updates at each step of their
// review.
func seedProgress(ctx context.Context, d *bun.DB, today calendar.Date, data *Data) error {
	return nil
}
