// Package expenditure records what a grant spent, in the currency it was
// paid in, converted under the grant's rate policy (internal/fx), through
// draft -> submitted -> verified or rejected; and imports ledgers.
package expenditure

import (
	"time"

	"github.com/uptrace/bun"
)

// Service manages expenditures. Its exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}
