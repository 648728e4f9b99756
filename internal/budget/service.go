// Package budget keeps a grant's budget in its donor's template (EU PRAG
// Annex III ships as data; coordinators define others), in versions: the
// original, then each addendum or transfer between headings. It also serves
// the grant's rule set (internal/rules).
package budget

import (
	"time"

	"github.com/uptrace/bun"
)

// Service manages budget templates, versions, lines and rule sets. Its
// exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}
