package report

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/finance"
)

// NewServiceAt is NewService whose clock stands at now.
func NewServiceAt(d *bun.DB, now time.Time) *Service {
	s := NewService(d)
	s.now = func() time.Time { return now }
	return s
}

// PDFWithStatement is PDF, the statement given to edit before the report
// is laid out from it: the tests set the parts other code fills (sources of
// funding, payments, forecast) by hand.
func (s *Service) PDFWithStatement(ctx context.Context, req Request, w io.Writer, edit func(*finance.Statement)) (string, error) {
	return s.pdf(ctx, req, w, nil, edit)
}
