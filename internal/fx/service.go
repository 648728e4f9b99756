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
	tmp string
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetTempDir sets the folder for the temporary files of reading large
// workbooks ("" for the system's); call it before the service is used.
func (s *Service) SetTempDir(dir string) { s.tmp = dir }
