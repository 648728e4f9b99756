// Package finance compares a grant's spending with its latest adopted
// budget, checks the donor's rules (flexibility, caps, eligibility, the
// pre-financing threshold, missing rates), and keeps the pre-financing
// instalments received.
package finance

import (
	"time"

	"github.com/uptrace/bun"
)

// Service answers budget-versus-actual and compliance questions. Its
// exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}
