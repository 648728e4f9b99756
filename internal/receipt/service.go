// Package receipt keeps the receipts of expenditures: uploads checked for
// size and sniffed content type, stored content-addressed in a blob.Store.
package receipt

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/blob"
)

// Service manages receipts. Its exported methods own their transactions.
type Service struct {
	db    *bun.DB
	blobs blob.Store
	now   func() time.Time
}

// NewService returns a Service on d storing files in blobs.
func NewService(d *bun.DB, blobs blob.Store) *Service {
	return &Service{db: d, blobs: blobs, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}
