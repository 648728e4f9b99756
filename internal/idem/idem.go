// Package idem makes creation idempotent (AIP-155): a create call carrying a
// request_id records the resource it made in the same transaction, and a
// retry with that request_id returns the same resource instead of a copy.
package idem

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
)

type createRequest struct {
	bun.BaseModel `bun:"table:create_requests"`

	Method       string    `bun:"method,pk"`
	RequestID    string    `bun:"request_id,pk"`
	ResourceName string    `bun:"resource_name"`
	CreateTime   time.Time `bun:"create_time"`
}

// Create runs create in a transaction. When requestID is set and an earlier
// call to method with it succeeded, it calls existing with that call's
// resource name instead, in the transaction. Concurrent retries are resolved
// by the unique key on (method, request_id): the loser reads the winner's
// resource.
func Create(ctx context.Context, d *bun.DB, method, requestID string,
	existing func(ctx context.Context, tx bun.Tx, name string) error,
	create func(ctx context.Context, tx bun.Tx) (name string, err error),
) error {
	run := func() error {
		return d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if requestID != "" {
				var prev createRequest
				err := tx.NewSelect().Model(&prev).
					Where("method = ? AND request_id = ?", method, requestID).Scan(ctx)
				if err == nil {
					return existing(ctx, tx, prev.ResourceName)
				}
				if !db.IsNoRows(err) {
					return errs.Internal(err)
				}
			}
			name, err := create(ctx, tx)
			if err != nil {
				return err
			}
			if requestID == "" {
				return nil
			}
			_, err = tx.NewInsert().Model(&createRequest{
				Method: method, RequestID: requestID, ResourceName: name, CreateTime: time.Now().UTC(),
			}).Exec(ctx)
			return err
		})
	}
	err := run()
	if err != nil && requestID != "" && db.IsUniqueViolation(err) {
		// Another call with the same request_id won the race; the retry finds it.
		err = run()
	}
	return err
}
