// Package finance compares a grant's spending with its latest adopted
// budget, checks the donor's rules (flexibility, caps, eligibility, the
// pre-financing threshold, missing rates), and keeps the pre-financing
// instalments received.
//
// Spending is always added up in the database (GROUP BY), never by loading
// expenditures: a grant may hold hundreds of thousands of them. Only the
// budget lines of one version (tens to hundreds of rows) and the template's
// headings are read into Go.
package finance

import (
	"context"
	"database/sql"
	"math/big"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service answers budget-versus-actual and compliance questions and keeps
// the pre-financing instalments. Its exported methods own their
// transactions.
type Service struct {
	db    *bun.DB
	clock atomic.Pointer[func() time.Time]
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	s := &Service{db: d}
	s.SetClock(func() time.Time { return time.Now() })
	return s
}

// SetClock makes the Service read the time, and so the default "as of"
// date, from now. Tests fix "today" with it. Safe for concurrent use.
func (s *Service) SetClock(now func() time.Time) { s.clock.Store(&now) }

// now is the current time, kept to the microsecond as both databases store it.
func (s *Service) now() time.Time { return (*s.clock.Load())().UTC().Truncate(time.Microsecond) }

// asOf reads an "as of" date ("" is today). field names the request field.
func (s *Service) asOf(v, field string) (calendar.Date, error) {
	if v == "" {
		return calendar.Of(s.now()), nil
	}
	d, err := calendar.Parse(v)
	if err != nil {
		return calendar.Date{}, errs.Invalid(errs.FieldViolation{Field: field, Description: err.Error() + "; leave it empty for today"})
	}
	return d, nil
}

// readTx runs fn in a read-only transaction, so that every figure of one
// answer comes from the same state of the database (a snapshot on
// PostgreSQL; SQLite's deferred read transaction takes no write lock).
func (s *Service) readTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, fn)
}

// grantName is the resource name of a grant.
func grantName(id string) string { return resource.Name(resource.Grants, id) }

// ReadFull returns the grant if c may read all of its money (the readers of
// budget versus actual, compliance and the financial report), within idb.
// Errors: as readFull.
func ReadFull(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*grant.Grant, error) {
	return readFull(ctx, idb, c, id)
}

// readFull returns the grant if c may read all of its money: admins, and
// the grant's coordinators, finance staff and auditors. Errors: not found
// (c may not read the grant: its existence is not revealed), permission (c
// reads the grant as a partner).
func readFull(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*grant.Grant, error) {
	g := new(grant.Grant)
	err := policy.Where(idb.NewSelect().Model(g).Where("id = ?", id), policy.FullGrants(c, "id")).Scan(ctx)
	if err == nil {
		return g, nil
	}
	if !db.IsNoRows(err) {
		return nil, db.Err(err)
	}
	if err := partnerOnly(ctx, idb, c, id); err != nil {
		return nil, err
	}
	return nil, errs.PermissionDenied("the budget, spending and pre-financing of %s as a whole are for the grant's coordinators, "+
		"finance staff and auditors; ask the grant's finance staff", grantName(id))
}

// partnerOnly answers not found unless c may read the grant at all.
func partnerOnly(ctx context.Context, idb bun.IDB, c actor.Caller, id string) error {
	n, err := policy.Where(idb.NewSelect().Model((*grant.Grant)(nil)).Where("id = ?", id), policy.Grants(c, "id")).Count(ctx)
	if err != nil {
		return db.Err(err)
	}
	if n == 0 {
		return errs.NotFound(grantName(id))
	}
	return nil
}

// readManaged returns the grant if c may change its money (admins, its
// coordinators and finance staff). Errors: not found (c may not read the
// grant), permission (c may read but not change it).
func readManaged(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*grant.Grant, error) {
	g := new(grant.Grant)
	err := policy.Where(idb.NewSelect().Model(g).Where("id = ?", id), policy.Grants(c, "id")).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(grantName(id)))
	}
	if !policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) {
		return nil, errs.PermissionDenied("you may not change the pre-financing of %s; ask the grant's finance staff or coordinator", g.Name())
	}
	return g, nil
}

// percent returns num/den as a percentage with two decimals, rounded half
// away from zero ("26.00"), or "" when den is zero.
func percent(num, den int64) string {
	if den == 0 {
		return ""
	}
	return decimal.NewFromInt(num).Mul(decimal.NewFromInt(100)).DivRound(decimal.NewFromInt(den), 2).StringFixed(2)
}

// divRound returns num/den rounded to an integer, half away from zero.
func divRound(num, den int64) int64 {
	return decimal.NewFromInt(num).DivRound(decimal.NewFromInt(den), 0).IntPart()
}

// exceeds reports whether part/base is above bp hundredths of a percent,
// exactly: part*10000 > bp*base (in big integers, so nothing overflows).
func exceeds(part, base, bp int64) bool {
	l := new(big.Int).Mul(big.NewInt(part), big.NewInt(10000))
	r := new(big.Int).Mul(big.NewInt(bp), big.NewInt(base))
	return l.Cmp(r) > 0
}

// abs returns |v|.
func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// Percent returns num/den as a percentage with two decimals, rounded half
// away from zero ("26.00"), or "" when den is zero.
func Percent(num, den int64) string { return percent(num, den) }
