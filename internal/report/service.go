// Package report makes a grant's donor financial report (EU Annex VI
// style): an Excel workbook whose totals are live formulas, and a PDF for
// the record and for boards, in English, French, Spanish or Portuguese.
package report

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
)

// Service makes reports. Reads run in one read-only transaction so that a
// report is a consistent snapshot.
type Service struct {
	db          *bun.DB
	now         func() time.Time
	tmp         string
	checkpoints Checkpointer // nil: none
}

// Checkpointer signs a checkpoint of the audit trail's head (when it moved
// since the last one) and returns the latest: audit.Keeper.
type Checkpointer interface {
	Checkpoint(ctx context.Context) (audit.Checkpoint, error)
}

// Option configures a Service.
type Option func(*Service)

// WithCheckpoints makes every report sign a checkpoint of the audit trail
// with c first, and show it on its cover. Without it the cover says that
// no audit key is configured for reports.
func WithCheckpoints(c Checkpointer) Option { return func(s *Service) { s.checkpoints = c } }

// NewService returns a Service on d.
func NewService(d *bun.DB, opts ...Option) *Service {
	s := &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	for _, o := range opts {
		o(s)
	}
	return s
}

// checkpoint signs the audit checkpoint a report shows (nil: no
// Checkpointer). Errors: internal (the trail was cut or rewritten: the
// report would vouch for it).
func (s *Service) checkpoint(ctx context.Context) (*audit.Checkpoint, error) {
	if s.checkpoints == nil {
		return nil, nil
	}
	c, err := s.checkpoints.Checkpoint(ctx)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// SetTempDir sets the folder for the temporary files of the workbooks being
// made (excelize's stream writers; "" for the system's); call it before the
// service is used.
func (s *Service) SetTempDir(dir string) { s.tmp = dir }

// TempDir is the folder SetTempDir set.
func (s *Service) TempDir() string { return s.tmp }
