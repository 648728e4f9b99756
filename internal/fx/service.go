package fx

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/sheet"
)

// Service manages the exchange-rate table and partners' transfers. Its
// exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
	// Sheets bounds the reading of rate files (zero fields: the
	// defaults); its TmpDir is where large workbooks are unpacked.
	Sheets sheet.Options
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetTempDir sets the folder where large workbooks are unpacked while they
// are read (Sheets.TmpDir; "" for the system's); call it before the service
// is used.
func (s *Service) SetTempDir(dir string) { s.Sheets.TmpDir = dir }
