// Package progress holds partners' progress updates: for each partner
// progress update milestone, the responsible organisation's report on the
// period, its review by the grant's coordinators and its comment thread.
package progress

import (
	"github.com/uptrace/bun"
)

// Service manages progress updates.
type Service struct {
	db *bun.DB
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service { return &Service{db: d} }
