package reminder

import (
	"context"
	"time"
)

// RunHour is the hour of the day (UTC) at which the server runs the job.
const RunHour = 6

// NextRun returns the first time at hour:00 UTC strictly after now.
func NextRun(now time.Time, hour int) time.Time {
	now = now.UTC()
	next := time.Date(now.Year(), now.Month(), now.Day(), hour, 0, 0, 0, time.UTC)
	if !next.After(now) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// Daily calls job once at once, and then every day at hour:00 UTC, until ctx
// is done; it returns when ctx is done and job has returned. A job that
// takes longer than a day delays the next run, never overlaps it: the job
// is idempotent for a day, so a missed or repeated run does no harm.
func Daily(ctx context.Context, hour int, job func(context.Context)) {
	for {
		if ctx.Err() != nil {
			return
		}
		job(ctx)
		t := time.NewTimer(time.Until(NextRun(time.Now(), hour)))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
