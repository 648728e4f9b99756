package fx

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// MaxRateDecimals is how many decimals a recorded rate may have.
const MaxRateDecimals = 10

// maxRateIntegerDigits bounds the digits before the decimal point (the
// weakest currencies count tens of thousands per euro; this leaves room).
const maxRateIntegerDigits = 12

// Rate is one month's exchange rate: units of Currency per 1 unit of Base.
type Rate struct {
	bun.BaseModel `bun:"table:exchange_rates"`

	Base       string          `bun:"base_currency,pk"`
	Currency   string          `bun:"currency_code,pk"`
	Month      string          `bun:"month,pk"` // "YYYY-MM"
	Rate       decimal.Decimal `bun:"rate,type:text"`
	Source     string          `bun:"source"`
	CreateTime time.Time       `bun:"create_time"`
	UpdateTime time.Time       `bun:"update_time"`
}

// Name returns the rate's resource name.
func (r *Rate) Name() string { return RateName(r.Base, r.Currency, r.Month) }

// RateName returns "exchangeRates/{base}-{currency}-{month}".
func RateName(base, currency, month string) string {
	return resource.ExchangeRates + "/" + base + "-" + currency + "-" + month
}

var rateNameRE = regexp.MustCompile(`^exchangeRates/([A-Z]{3})-([A-Z]{3})-([0-9]{4}-[0-9]{2})$`)

// ParseRateName splits a rate's resource name. field names the request
// field for the error. Errors: invalid.
func ParseRateName(name, field string) (base, currency, month string, err error) {
	m := rateNameRE.FindStringSubmatch(name)
	if m == nil {
		return "", "", "", errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("must be a rate name of the form exchangeRates/{BASE}-{CURRENCY}-{YYYY-MM}, e.g. exchangeRates/EUR-KES-2026-03; got %q", name)})
	}
	return m[1], m[2], m[3], nil
}

var monthRE = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// ValidMonth reports whether s is a month "YYYY-MM".
func ValidMonth(s string) bool { return monthRE.MatchString(s) }

// RateInput is a rate as a caller writes it.
type RateInput struct {
	Base     string // ISO 4217, e.g. "EUR"
	Currency string // ISO 4217, e.g. "KES"
	Month    string // "YYYY-MM"
	Rate     string // decimal > 0 with a point, e.g. "140.52"
	Source   string // "" for "manual ({caller})"
}

// RateFilter narrows ListRates; empty fields match all.
type RateFilter struct {
	Base, Currency     string
	FromMonth, ToMonth string // inclusive, "YYYY-MM"
}

// ListRates returns a page of rates, newest month first, then by currency
// (and base), and the token of the next page ("" on the last). Every
// signed-in user may read them. Errors: unauthenticated, invalid (filters,
// page size or token).
func (s *Service) ListRates(ctx context.Context, f RateFilter, p page.Request) ([]*Rate, string, error) {
	if !actor.From(ctx).Authenticated() {
		return nil, "", errs.Unauthenticated("sign in to read exchange rates")
	}
	var v errs.Violations
	for field, m := range map[string]string{"from_month": f.FromMonth, "to_month": f.ToMonth} {
		if m != "" && !ValidMonth(m) {
			v.Add(field, "must be a month YYYY-MM, e.g. 2026-03 (got %q)", m)
		}
	}
	if f.FromMonth != "" && f.ToMonth != "" && !v.Has("from_month") && !v.Has("to_month") && f.ToMonth < f.FromMonth {
		v.Add("to_month", "must not be before from_month (%s); got %s", f.FromMonth, f.ToMonth)
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	cur, err := page.Open(p, f.Base, f.Currency, f.FromMonth, f.ToMonth)
	if err != nil {
		return nil, "", err
	}
	var out []*Rate
	q := s.db.NewSelect().Model(&out)
	if f.Base != "" {
		q = q.Where("base_currency = ?", f.Base)
	}
	if f.Currency != "" {
		q = q.Where("currency_code = ?", f.Currency)
	}
	if f.FromMonth != "" {
		q = q.Where("month >= ?", f.FromMonth)
	}
	if f.ToMonth != "" {
		q = q.Where("month <= ?", f.ToMonth)
	}
	// Keyset on (month DESC, currency_code ASC, base_currency ASC), which
	// page.Cursor.Apply (ascending only) cannot express.
	if k := cur.After; len(k) == 3 {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("month < ?", k[0]).
				WhereOr("month = ? AND currency_code > ?", k[0], k[1]).
				WhereOr("month = ? AND currency_code = ? AND base_currency > ?", k[0], k[1], k[2])
		})
	}
	q = q.OrderExpr("month DESC").OrderExpr("currency_code ASC").OrderExpr("base_currency ASC").Limit(cur.Limit + 1)
	if err := q.Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	more := len(out) > cur.Limit
	if more {
		out = out[:cur.Limit]
	}
	next := ""
	if more {
		last := out[len(out)-1]
		next = cur.Next(true, last.Month, last.Currency, last.Base)
	}
	return out, next, nil
}

// SetRate records one month's rate by hand, or replaces the rate of that
// month, records the change in the audit trail and converts again the
// expenditures that use it, in one transaction. It returns the rate and how
// many expenditures were converted again. Admins, coordinators and finance
// staff may. Setting a rate to what it already is changes nothing. Errors:
// permission, invalid (naming each field and what would be valid).
func (s *Service) SetRate(ctx context.Context, in RateInput) (*Rate, int, error) {
	c := actor.From(ctx)
	if !policy.MayManageRates(c) {
		return nil, 0, errs.PermissionDenied("only admins, coordinators and finance staff may record exchange rates")
	}
	r, err := checkRate(in)
	if err != nil {
		return nil, 0, err
	}
	if r.Source == "" {
		r.Source = "manual (" + callerLabel(c) + ")"
	}
	var out *Rate
	reconverted := 0
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		prev, err := getRate(ctx, tx, r.Base, r.Currency, r.Month)
		if err != nil && !errs.Is(err, errs.KindNotFound) {
			return err
		}
		if prev != nil && prev.Rate.Equal(r.Rate) && prev.Source == r.Source {
			out = prev
			return nil
		}
		if _, err := s.putRate(ctx, tx, r, prev); err != nil {
			return err
		}
		out = r
		reconverted, err = ReconvertForRate(ctx, tx, r.Base, r.Currency)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, reconverted, nil
}

// DeleteRate removes one month's rate, records it in the audit trail and
// converts again the expenditures that used it (they are then flagged as
// missing a rate, unless another applies), in one transaction. It returns
// how many expenditures were converted again. Admins, coordinators and
// finance staff may. Errors: permission, not found.
func (s *Service) DeleteRate(ctx context.Context, base, currency, month string) (int, error) {
	c := actor.From(ctx)
	if !policy.MayManageRates(c) {
		return 0, errs.PermissionDenied("only admins, coordinators and finance staff may delete exchange rates")
	}
	reconverted := 0
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		prev, err := getRate(ctx, tx, base, currency, month)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model(prev).WherePK().Exec(ctx); err != nil {
			return db.Err(err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: prev.Name(), Changes: audit.Diff(tx, prev, nil)}); err != nil {
			return err
		}
		reconverted, err = ReconvertForRate(ctx, tx, base, currency)
		return err
	})
	return reconverted, err
}

// getRate reads one rate within idb. Errors: not found.
func getRate(ctx context.Context, idb bun.IDB, base, currency, month string) (*Rate, error) {
	r := new(Rate)
	err := idb.NewSelect().Model(r).Where("base_currency = ? AND currency_code = ? AND month = ?", base, currency, month).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(RateName(base, currency, month)))
	}
	return r, nil
}

// putRate inserts r, or replaces prev (the stored rate of the same key),
// and records the change in the audit trail, within tx. It reports whether
// an earlier rate was replaced.
func (s *Service) putRate(ctx context.Context, tx bun.IDB, r, prev *Rate) (replaced bool, err error) {
	now := s.now()
	r.UpdateTime = now
	action := "create"
	if prev != nil {
		action = "update"
		r.CreateTime = prev.CreateTime
		if _, err := tx.NewUpdate().Model(r).Column("rate", "source", "update_time").WherePK().Exec(ctx); err != nil {
			return false, db.Err(err)
		}
	} else {
		r.CreateTime = now
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return false, db.Err(err, db.Unique(errs.Aborted(r.Name())))
		}
	}
	if err := audit.Record(ctx, tx, audit.Entry{Action: action, Resource: r.Name(), Changes: audit.Diff(tx, prev, r)}); err != nil {
		return false, err
	}
	return prev != nil, nil
}

// checkRate checks a rate as a whole and returns it (without times).
// Errors: invalid, naming each field.
func checkRate(in RateInput) (*Rate, error) {
	var v errs.Violations
	r := &Rate{Base: strings.TrimSpace(in.Base), Currency: strings.TrimSpace(in.Currency), Month: strings.TrimSpace(in.Month),
		Source: strings.TrimSpace(in.Source)}
	baseOK := checkCurrency(&v, "base_currency", r.Base, "the currency the rate is per 1 unit of, e.g. EUR for InforEuro rates")
	if checkCurrency(&v, "currency_code", r.Currency, "the currency rated, e.g. KES") && baseOK && r.Currency == r.Base {
		v.Add("currency_code", "must differ from base_currency (%s): a currency is worth exactly 1 of itself", r.Base)
	}
	switch {
	case r.Month == "":
		v.Add("month", "is required: the month the rate applies to, YYYY-MM, e.g. 2026-03")
	case !ValidMonth(r.Month):
		v.Add("month", "must be a month YYYY-MM, e.g. 2026-03 (got %q)", r.Month)
	}
	what := "units of the currency per 1 unit of the base currency"
	if baseOK && !v.Has("currency_code") {
		what = fmt.Sprintf("%s per 1 %s", r.Currency, r.Base)
	}
	if d, problem := ParseRate(strings.TrimSpace(in.Rate), what); problem != "" {
		v.Add("rate", "%s", problem)
	} else {
		r.Rate = d
	}
	if len(r.Source) > 200 {
		v.Add("source", "must be at most 200 characters (got %d)", len(r.Source))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

func checkCurrency(v *errs.Violations, field, code, what string) bool {
	if code == "" {
		v.Add(field, "is required: %s", what)
		return false
	}
	if _, err := money.Currency(code); err != nil {
		v.Add(field, "%s", err.Error())
		return false
	}
	return true
}

var plainDecimalRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// ParseRate reads a rate written with a decimal point ("140.52"): above 0,
// at most MaxRateDecimals decimals. what says what the rate counts, for the
// problem, which is "" when the rate is good.
func ParseRate(s, what string) (decimal.Decimal, string) {
	if s == "" {
		return decimal.Decimal{}, fmt.Sprintf("is required: %s, a decimal above 0 such as 140.52", what)
	}
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	if !plainDecimalRE.MatchString(digits) {
		return decimal.Decimal{}, fmt.Sprintf("%q is not a number; write %s with a decimal point, e.g. 140.52", s, what)
	}
	d, err := decimal.NewFromString(digits)
	if err != nil {
		return decimal.Decimal{}, fmt.Sprintf("%q is not a number; write %s with a decimal point, e.g. 140.52", s, what)
	}
	if neg || !d.IsPositive() {
		return decimal.Decimal{}, fmt.Sprintf("must be above 0 (got %s): %s", s, what)
	}
	intPart, frac, _ := strings.Cut(digits, ".")
	if n := len(frac); n > MaxRateDecimals {
		return decimal.Decimal{}, fmt.Sprintf("%s has %d decimals; at most %d are kept, round it", s, n, MaxRateDecimals)
	}
	if len(strings.TrimLeft(intPart, "0")) > maxRateIntegerDigits {
		return decimal.Decimal{}, fmt.Sprintf("%s is too large: at most %d digits before the decimal point", s, maxRateIntegerDigits)
	}
	return d, ""
}

// callerLabel names the caller in a rate's source: their email, else the
// audit name ("system", "users/...").
func callerLabel(c actor.Caller) string {
	if c.Email != "" {
		return c.Email
	}
	return c.Name()
}
