// Package report makes a grant's donor financial report (EU Annex VI
// style): an Excel workbook whose totals are live formulas, and a PDF for
// the record and for boards, in English, French, Spanish or Portuguese.
package report

import (
	"time"

	"github.com/uptrace/bun"
)

// Service makes reports. Reads run in one read-only transaction so that a
// report is a consistent snapshot.
type Service struct {
	db  *bun.DB
	now func() time.Time
	tmp string
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetTempDir sets the folder for the temporary files of the workbooks being
// made (excelize's stream writers; "" for the system's); call it before the
// service is used.
func (s *Service) SetTempDir(dir string) { s.tmp = dir }

// TempDir is the folder SetTempDir set.
func (s *Service) TempDir() string { return s.tmp }
