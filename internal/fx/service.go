package fx

import (
	"time"

	"github.com/uptrace/bun"
)

// Service manages the exchange-rate table and partners' transfers. Its
// exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}
