package milestone

import (
	"time"

	"github.com/uptrace/bun"
)

// Service manages milestones. Its exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on db.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC() }}
}
