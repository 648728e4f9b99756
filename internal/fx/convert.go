// Package fx converts expenditures to their grant's currency under the
// grant's exchange-rate policy, and keeps the monthly rate table and the
// bank transfers that funded partners.
//
// A rate is the number of units of a currency per 1 unit of the grant
// currency (as InforEuro publishes them: KES per 1 EUR). An amount converts
// as amount / rate, computed exactly (rationals) and rounded once, to the
// grant currency's minor unit, half away from zero. Rates derived from
// others (the average of a period's monthly rates, a transfer's ratio) are
// first rounded to RateDecimals places; the rate kept with the expenditure
// is exactly the rate its amount was converted with, so anyone can redo the
// division. Where no rate applies, the conversion says why and the
// expenditure stays unconverted: never 1:1.
package fx

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/rules"
)

// RateDecimals is how many decimals a derived rate keeps.
const RateDecimals = 8

// Conversion is one amount converted, or why it could not be.
type Conversion struct {
	Rate      decimal.Decimal // units of the expenditure currency per 1 grant currency
	Source    string          // where the rate comes from, for people
	Converted int64           // minor units of the grant currency
	Problem   string          // non-empty: no rate applies (Rate and Converted unset)
}

// OK reports whether a rate applied.
func (c Conversion) OK() bool { return c.Problem == "" }

// Grant is what conversion needs to know of a grant.
type Grant struct {
	ID                    string
	Currency              string
	Start, End            calendar.Date
	ReportingPeriodMonths int
}

// Converter converts amounts for one grant. It caches the rates and
// transfers it reads, so it is meant for one request or one batch.
type Converter struct {
	idb   bun.IDB
	grant Grant
	rules *rules.Rules

	monthly   map[string]monthlyRate  // "KES 2026-03"
	transfers map[string][]transferAt // "orgID KES", by date
}

type monthlyRate struct {
	rate   decimal.Decimal
	source string
	found  bool
}

type transferAt struct {
	date       calendar.Date
	rate       decimal.Decimal
	reference  string
	grantMinor int64
}

// NewConverter reads the grant and its rule set within idb (whoever the
// caller: callers have checked access to the grant).
func NewConverter(ctx context.Context, idb bun.IDB, grantID string) (*Converter, error) {
	g, err := grantfacts.Read(ctx, idb, grantID)
	if err != nil {
		return nil, err
	}
	r, err := rules.Load(ctx, idb, grantID)
	if err != nil {
		return nil, err
	}
	return NewConverterFor(idb, Grant{ID: grantID, Currency: g.CurrencyCode, Start: g.StartDate, End: g.EndDate, ReportingPeriodMonths: g.ReportingPeriodMonths}, r), nil
}

// NewConverterFor returns a converter for a grant and rule set already read.
func NewConverterFor(idb bun.IDB, g Grant, r *rules.Rules) *Converter {
	return &Converter{idb: idb, grant: g, rules: r, monthly: map[string]monthlyRate{}, transfers: map[string][]transferAt{}}
}

// Grant returns the grant converted for.
func (c *Converter) Grant() Grant { return c.grant }

// Rules returns the rule set converted under.
func (c *Converter) Rules() *rules.Rules { return c.rules }

// Convert converts amount (minor units of currency) spent on date by the
// partner orgID. Errors are internal only; a missing rate is a Conversion
// with a Problem.
func (c *Converter) Convert(ctx context.Context, date calendar.Date, orgID, currency string, amount int64) (Conversion, error) {
	if currency == c.grant.Currency {
		return Conversion{Rate: decimal.NewFromInt(1), Source: "grant currency", Converted: amount}, nil
	}
	var rate decimal.Decimal
	var source string
	switch c.rules.RatePolicy {
	case rules.Monthly:
		month := date.String()[:7]
		m, err := c.monthlyRate(ctx, currency, month)
		if err != nil {
			return Conversion{}, err
		}
		if !m.found {
			return Conversion{Problem: fmt.Sprintf("no %s rate for %s per %s; import that month's rates or enter it by hand", currency, month, c.grant.Currency)}, nil
		}
		rate, source = m.rate, fmt.Sprintf("%s, %s %s", m.source, currency, month)
	case rules.PeriodAverage:
		from, to := c.period(date)
		months := monthsOf(from, to)
		sum := decimal.Zero
		var missing []string
		for _, month := range months {
			m, err := c.monthlyRate(ctx, currency, month)
			if err != nil {
				return Conversion{}, err
			}
			if !m.found {
				missing = append(missing, month)
				continue
			}
			sum = sum.Add(m.rate)
		}
		if len(missing) > 0 {
			return Conversion{Problem: fmt.Sprintf("the %s average for the reporting period %s to %s needs the monthly rates of %s", currency, from, to, strings.Join(missing, ", "))}, nil
		}
		rate = roundRate(new(big.Rat).Quo(sum.Rat(), big.NewRat(int64(len(months)), 1)))
		source = fmt.Sprintf("average of %d monthly %s rates, %s to %s (reporting period %s to %s)", len(months), currency, months[0], months[len(months)-1], from, to)
	case rules.Fixed:
		f, ok := c.rules.FixedRate(currency)
		if !ok {
			return Conversion{Problem: fmt.Sprintf("the grant has no fixed contract rate for %s; add it to the grant's rules", currency)}, nil
		}
		rate, source = f.Rate, "fixed contract rate"
		if f.Source != "" {
			source += " (" + f.Source + ")"
		}
	case rules.Transfer:
		t, ok, err := c.transfer(ctx, orgID, currency, date)
		if err != nil {
			return Conversion{}, err
		}
		if !ok {
			return Conversion{Problem: fmt.Sprintf("no transfer to the partner in %s on or before %s; record the bank transfer that funded it", currency, date)}, nil
		}
		rate = t.rate
		source = fmt.Sprintf("bank transfer of %s", t.date)
		if t.reference != "" {
			source += " (" + t.reference + ")"
		}
	default:
		return Conversion{}, errs.Internal(fmt.Errorf("grant %s has unknown rate policy %q", c.grant.ID, c.rules.RatePolicy))
	}
	conv, err := ConvertAmount(amount, currency, c.grant.Currency, rate)
	if err != nil {
		return Conversion{}, errs.Internal(err)
	}
	return Conversion{Rate: rate, Source: source, Converted: conv}, nil
}

// ConvertAmount converts minor units of from into minor units of to at rate
// (units of from per 1 unit of to): exactly, then rounded once, half away
// from zero.
func ConvertAmount(amount int64, from, to string, rate decimal.Decimal) (int64, error) {
	if !rate.IsPositive() {
		return 0, fmt.Errorf("rate %s is not positive", rate)
	}
	sf, err := money.Currency(from)
	if err != nil {
		return 0, err
	}
	st, err := money.Currency(to)
	if err != nil {
		return 0, err
	}
	// amount/10^sf units of from, / rate = units of to, x 10^st = minor units of to.
	q := new(big.Rat).SetInt64(amount)
	q.Mul(q, new(big.Rat).SetInt(pow10(st)))
	q.Quo(q, new(big.Rat).SetInt(pow10(sf)))
	q.Quo(q, rate.Rat())
	return RoundHalfAway(q), nil
}

// RoundHalfAway rounds r to the nearest integer, halves away from zero.
func RoundHalfAway(r *big.Rat) int64 {
	num, den := new(big.Int).Abs(r.Num()), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if m.Lsh(m, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return q.Int64()
}

// roundRate rounds a derived rate to RateDecimals places, half away from zero.
func roundRate(r *big.Rat) decimal.Decimal {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(pow10(RateDecimals)))
	return decimal.New(RoundHalfAway(scaled), -RateDecimals)
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// Period returns the reporting period holding date: periods of the grant's
// reporting length from its start date, the last one ending on its end date
// (one period for the whole grant when the length is 0). Dates outside the
// implementation period fall in the first or last period.
func (c *Converter) period(date calendar.Date) (from, to calendar.Date) {
	return Period(c.grant, date)
}

// Period is the reporting period of g that holds date (see Converter).
func Period(g Grant, date calendar.Date) (from, to calendar.Date) {
	if g.ReportingPeriodMonths <= 0 {
		return g.Start, g.End
	}
	for k := 0; ; k++ {
		from = g.Start.AddMonths(k * g.ReportingPeriodMonths)
		end := g.Start.AddMonths((k + 1) * g.ReportingPeriodMonths).AddDays(-1)
		if !end.Before(g.End) {
			return from, g.End
		}
		if !date.After(end) {
			return from, end
		}
	}
}

// monthsOf lists the calendar months ("YYYY-MM") that [from, to] touches.
func monthsOf(from, to calendar.Date) []string {
	var out []string
	d := calendar.New(from.Time().Year(), from.Time().Month(), 1)
	for !d.After(to) {
		out = append(out, d.String()[:7])
		d = d.AddMonths(1)
	}
	return out
}

func (c *Converter) monthlyRate(ctx context.Context, currency, month string) (monthlyRate, error) {
	k := currency + " " + month
	if m, ok := c.monthly[k]; ok {
		return m, nil
	}
	var row struct {
		Rate   decimal.Decimal `bun:"rate,type:text"`
		Source string          `bun:"source"`
	}
	err := c.idb.NewSelect().Table("exchange_rates").Column("rate", "source").
		Where("base_currency = ? AND currency_code = ? AND month = ?", c.grant.Currency, currency, month).Scan(ctx, &row)
	m := monthlyRate{}
	switch {
	case db.IsNoRows(err):
	case err != nil:
		return m, db.Err(err)
	default:
		m = monthlyRate{rate: row.Rate, source: row.Source, found: true}
	}
	c.monthly[k] = m
	return m, nil
}

func (c *Converter) transfer(ctx context.Context, orgID, currency string, date calendar.Date) (transferAt, bool, error) {
	k := orgID + " " + currency
	ts, ok := c.transfers[k]
	if !ok {
		var rows []struct {
			Date        calendar.Date `bun:"transfer_date"`
			GrantAmount int64         `bun:"grant_amount"`
			LocalAmount int64         `bun:"local_amount"`
			Reference   string        `bun:"reference"`
		}
		err := c.idb.NewSelect().Table("partner_transfers").Column("transfer_date", "grant_amount", "local_amount", "reference").
			Where("grant_id = ? AND organisation_id = ? AND currency_code = ?", c.grant.ID, orgID, currency).
			Order("transfer_date", "create_time").Scan(ctx, &rows)
		if err != nil {
			return transferAt{}, false, db.Err(err)
		}
		for _, r := range rows {
			rate, err := TransferRate(r.GrantAmount, c.grant.Currency, r.LocalAmount, currency)
			if err != nil {
				return transferAt{}, false, errs.Internal(err)
			}
			ts = append(ts, transferAt{date: r.Date, rate: rate, reference: r.Reference, grantMinor: r.GrantAmount})
		}
		c.transfers[k] = ts
	}
	// The latest transfer on or before date.
	i := sort.Search(len(ts), func(i int) bool { return ts[i].date.After(date) })
	if i == 0 {
		return transferAt{}, false, nil
	}
	return ts[i-1], true, nil
}

// TransferRate is the rate a transfer bought: local units per 1 unit of the
// grant currency, rounded to RateDecimals.
func TransferRate(grantMinor int64, grantCurrency string, localMinor int64, localCurrency string) (decimal.Decimal, error) {
	sg, err := money.Currency(grantCurrency)
	if err != nil {
		return decimal.Decimal{}, err
	}
	sl, err := money.Currency(localCurrency)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if grantMinor <= 0 || localMinor <= 0 {
		return decimal.Decimal{}, fmt.Errorf("transfer amounts must be positive")
	}
	// (local/10^sl) / (grant/10^sg)
	r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(localMinor), pow10(sg)), new(big.Int).Mul(big.NewInt(grantMinor), pow10(sl)))
	return roundRate(r), nil
}
