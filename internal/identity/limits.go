package identity

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
)

// limit is one rate limit: at most max attempts per window in a bucket.
type limit struct {
	bucket string
	max    int
	window time.Duration
}

// Bucket kinds.
const (
	bucketSignInAccount = "sign_in_account:"
	bucketSignInAddress = "sign_in_address:"
	bucketResetAccount  = "reset_account:"
	bucketResetAddress  = "reset_address:"
)

// claimSQL claims one attempt in a bucket in one statement: it starts a new
// window when there is none or the last one has ended, else counts one more
// attempt unless the window's limit is reached, in which case no row is
// updated and none is returned. PostgreSQL locks the row it updates and
// SQLite writes one statement at a time, so concurrent claims, from this
// server or another, are counted one by one and never exceed the limit.
const claimSQL = `INSERT INTO rate_limits (bucket, expire_time, used) VALUES (?0, ?1, 1)
ON CONFLICT (bucket) DO UPDATE SET
  used = CASE WHEN rate_limits.expire_time <= ?2 THEN 1 ELSE rate_limits.used + 1 END,
  expire_time = CASE WHEN rate_limits.expire_time <= ?2 THEN ?1 ELSE rate_limits.expire_time END
WHERE rate_limits.expire_time <= ?2 OR rate_limits.used < ?3
RETURNING used`

// claim counts one attempt in every limit, all or none, in one
// transaction: it reports false (and counts nothing) when any limit is
// reached. Buckets are claimed in a fixed order, so that two claims never
// wait for each other's rows in opposite orders.
func (s *Service) claim(ctx context.Context, limits ...limit) (bool, error) {
	now := s.now()
	slices.SortFunc(limits, func(a, b limit) int {
		if a.bucket < b.bucket {
			return -1
		}
		if a.bucket > b.bucket {
			return 1
		}
		return 0
	})
	full := false
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, l := range limits {
			var used int
			err := tx.NewRaw(claimSQL, l.bucket, now.Add(l.window), now, l.max).Scan(ctx, &used)
			if db.IsNoRows(err) {
				full = true
				return errLimitReached
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if full {
		return false, nil
	}
	if err != nil {
		return false, db.Err(err)
	}
	s.sweep(ctx, now)
	return true, nil
}

// errLimitReached rolls back a claim's transaction.
var errLimitReached = errs.Exhausted("limit reached")

// release gives back one attempt claimed in each bucket (the attempt turned
// out not to count: the password was right, or it was never checked).
func (s *Service) release(ctx context.Context, buckets ...string) error {
	_, err := s.db.NewRaw("UPDATE rate_limits SET used = used - 1 WHERE bucket IN (?) AND used > 0", bun.List(buckets)).Exec(ctx)
	if err != nil {
		return db.Err(err)
	}
	return nil
}

// sweepInterval is how often a Service deletes ended windows.
const sweepInterval = time.Minute

// sweep deletes the rows of ended windows, at most once a minute per
// Service, outside any claim's transaction (so that it never holds rows a
// claim waits for). A row deleted here was of no use: its next claim would
// have started a new window anyway.
func (s *Service) sweep(ctx context.Context, now time.Time) {
	last := s.lastSweep.Load()
	if last != 0 && now.Sub(time.Unix(0, last)) < sweepInterval {
		return
	}
	if !s.lastSweep.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	_, _ = s.db.NewRaw("DELETE FROM rate_limits WHERE expire_time <= ?", now).Exec(ctx)
}
