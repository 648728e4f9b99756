package finance

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/money"
)

// The statement is the one place where a grant's money is added up: budget
// versus actual (per heading, line, partner, project and month), the
// indirect costs at the flat rate, the sources of funding, the
// pre-financing rule, the forecast and the donor's rules. The web app's
// screens, the workbook, the PDF and the payment request all render it.
//
// Spending is added up in the database (GROUP BY), never by loading
// expenditures; the workbook, which lists every expenditure of the period
// anyway, builds the period's groups from that same stream (StatementStream)
// so that the expenditures are read once.

// StatementIn builds g's statement for q within idb, a transaction the
// caller owns (one snapshot), for a grant the caller may read in full
// (ReadFull). Errors: internal.
func StatementIn(ctx context.Context, idb bun.IDB, g *grant.Grant, q StatementQuery) (*Statement, error) {
	groups, err := loadSpending(ctx, idb, g, q)
	if err != nil {
		return nil, err
	}
	return buildStatement(ctx, idb, g, q, groups)
}

// StatementStream calls fn with every counted expenditure of q's period
// (claimed, verified only when q says so, inside the implementation
// period), by date, one at a time, then builds the statement from the same
// rows and the spending before the period (added up in the database).
// fn must not use idb; the expenditure passed is reused. Errors: internal,
// or fn's.
func StatementStream(ctx context.Context, idb bun.IDB, g *grant.Grant, q StatementQuery, fn func(*ListedExpenditure) error) (*Statement, error) {
	before, err := loadSpendingBefore(ctx, idb, g, q)
	if err != nil {
		return nil, err
	}
	var period periodGroups
	err = StreamExpenditures(ctx, idb, g, q, func(e *ListedExpenditure) error {
		period.add(e)
		return fn(e)
	})
	if err != nil {
		return nil, err
	}
	return buildStatement(ctx, idb, g, q, append(before, period.sorted()...))
}

// GetStatement returns the statement of a grant for q, read in one
// read-only transaction. Only the grant's coordinators, finance staff and
// auditors (and admins) may ask. Errors: not found (a grant the caller may
// not read), permission (a partner of the grant), internal.
func (s *Service) GetStatement(ctx context.Context, grantID string, q StatementQuery) (*Statement, error) {
	c := actor.From(ctx)
	var out *Statement
	err := s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		g, err := readFull(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		out, err = StatementIn(ctx, tx, g, q)
		return err
	})
	return out, err
}

// statuses are the expenditure statuses q counts.
func (q StatementQuery) statuses() []string { return countedStatuses(q.VerifiedOnly) }

// ReportingPeriod returns the dates of g's reporting period n (1 = the
// first). Errors: invalid (field), naming how many periods the grant has.
func ReportingPeriod(g *grant.Grant, n int, field string) (from, to calendar.Date, err error) {
	fg := fx.Grant{ID: g.ID, Currency: g.CurrencyCode, Start: g.StartDate, End: g.EndDate, ReportingPeriodMonths: g.ReportingPeriodMonths}
	from = g.StartDate
	for k := 1; k <= n; k++ {
		from, to = fx.Period(fg, from)
		if k < n {
			if !to.Before(g.EndDate) {
				return from, to, errs.Invalid(errs.FieldViolation{Field: field,
					Description: "the grant has " + itoa(k) + " reporting periods; choose 1 to " + itoa(k)})
			}
			from = to.AddDays(1)
		}
	}
	return from, to, nil
}

// ReportingPeriods is the number of g's reporting periods.
func ReportingPeriods(g *grant.Grant) int {
	fg := fx.Grant{ID: g.ID, Currency: g.CurrencyCode, Start: g.StartDate, End: g.EndDate, ReportingPeriodMonths: g.ReportingPeriodMonths}
	n := 0
	for from := g.StartDate; !from.After(g.EndDate) && n < 1000; {
		_, to := fx.Period(fg, from)
		n++
		from = to.AddDays(1)
	}
	return n
}

// spendGroup is the counted spending of one heading, line, currency, month
// of expenditure, rate and source, in the period or before it, added up.
type spendGroup struct {
	Heading       string         `bun:"h"`
	LineKey       string         `bun:"k"`
	Currency      string         `bun:"c"`
	Month         string         `bun:"m"`
	Rate          sql.NullString `bun:"r"`
	Source        string         `bun:"src"`
	Org           string         `bun:"o"`
	Project       sql.NullString `bun:"pr"`
	InPeriod      int64          `bun:"p"` // 1: dated in the period
	Count         int64          `bun:"n"`
	Counted       int64          `bun:"counted"` // with a converted amount
	Amount        int64          `bun:"amount"`  // minor units of Currency
	Converted     int64          `bun:"conv"`    // minor units of the grant currency
	MissingAmount int64          `bun:"missing_amount"`
}

// loadSpending adds up the counted expenditures dated up to the period's
// end in one pass of the database, per heading, line, currency, month,
// rate, source and whether they fall in the period.
func loadSpending(ctx context.Context, idb bun.IDB, g *grant.Grant, q StatementQuery) ([]spendGroup, error) {
	inside, args := Period(g).Inside()
	var out []spendGroup
	err := idb.NewRaw(`SELECT heading_code AS h, line_key AS k, currency_code AS c, substr(expense_date, 1, 7) AS m,
			rate AS r, rate_source AS src, organisation_id AS o, project_id AS pr, CASE WHEN expense_date >= ? THEN 1 ELSE 0 END AS p,
			COUNT(*) AS n, COUNT(converted_amount) AS counted, CAST(SUM(amount) AS BIGINT) AS amount,
			CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS conv,
			CAST(COALESCE(SUM(CASE WHEN converted_amount IS NULL THEN amount END), 0) AS BIGINT) AS missing_amount
		FROM expenditures
		WHERE grant_id = ? AND status IN (?) AND expense_date <= ? AND `+inside+`
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
		ORDER BY 3, 4, 6, 5, 1, 2, 7, 8, 9`,
		append([]any{q.From.String(), g.ID, bun.List(q.statuses()), q.To.String()}, args...)...).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// loadSpendingBefore adds up the counted expenditures dated before the
// period, per heading, line and month: with the period's groups (added up
// from the expenditure list as it streams), the spending to date.
func loadSpendingBefore(ctx context.Context, idb bun.IDB, g *grant.Grant, q StatementQuery) ([]spendGroup, error) {
	inside, args := Period(g).Inside()
	var out []spendGroup
	err := idb.NewRaw(`SELECT heading_code AS h, line_key AS k, currency_code AS c, substr(expense_date, 1, 7) AS m,
			organisation_id AS o, project_id AS pr, 0 AS p,
			COUNT(*) AS n, COUNT(converted_amount) AS counted, CAST(SUM(amount) AS BIGINT) AS amount,
			CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS conv
		FROM expenditures
		WHERE grant_id = ? AND status IN (?) AND expense_date < ? AND `+inside+`
		GROUP BY 1, 2, 3, 4, 5, 6
		ORDER BY 1, 2, 3, 4, 5, 6`,
		append([]any{g.ID, bun.List(q.statuses()), q.From.String()}, args...)...).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// CountPeriod returns how many expenditures, of any status, are dated in
// q's period inside the implementation period: at least the rows the list
// streams, counted from the index on (grant, date) alone, for progress.
func CountPeriod(ctx context.Context, idb bun.IDB, g *grant.Grant, q StatementQuery) (int64, error) {
	var n int64
	inside, args := Period(g).Inside()
	err := idb.NewRaw(`SELECT COUNT(*) FROM expenditures WHERE grant_id = ? AND expense_date >= ? AND expense_date <= ? AND `+inside,
		append([]any{g.ID, q.From.String(), q.To.String()}, args...)...).Scan(ctx, &n)
	if err != nil {
		return 0, db.Err(err)
	}
	return n, nil
}

// periodGroups adds up the period's expenditures into spending groups as
// they stream by (exact integer sums, as the database would).
type periodGroups struct {
	idx    map[groupKey]int
	groups []spendGroup
}

type groupKey struct {
	heading, line, currency, month, rate, source, org, project string
	noRate, noProject                                          bool
}

// add counts one expenditure of the period.
func (p *periodGroups) add(e *ListedExpenditure) {
	if p.idx == nil {
		p.idx = map[groupKey]int{}
	}
	month := e.Date
	if len(month) > 7 {
		month = month[:7]
	}
	k := groupKey{e.HeadingCode, e.LineKey, e.Currency, month, e.Rate.String, e.RateSource, e.OrganisationID, e.ProjectID.String,
		!e.Rate.Valid, !e.ProjectID.Valid}
	i, ok := p.idx[k]
	if !ok {
		i = len(p.groups)
		p.idx[k] = i
		p.groups = append(p.groups, spendGroup{Heading: e.HeadingCode, LineKey: e.LineKey, Currency: e.Currency, Month: month,
			Rate: e.Rate, Source: e.RateSource, Org: e.OrganisationID, Project: e.ProjectID, InPeriod: 1})
	}
	g := &p.groups[i]
	g.Count++
	g.Amount += e.Amount
	if e.Converted.Valid {
		g.Counted++
		g.Converted += e.Converted.Int64
	} else {
		g.MissingAmount += e.Amount
	}
}

// sorted returns the groups by currency, month, source, rate, heading and
// line.
func (p *periodGroups) sorted() []spendGroup { return sortGroups(p.groups) }

func sortGroups(groups []spendGroup) []spendGroup {
	out := slices.Clone(groups)
	slices.SortFunc(out, func(a, b spendGroup) int {
		return cmp.Or(cmp.Compare(a.Currency, b.Currency), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Source, b.Source),
			cmp.Compare(a.Rate.String, b.Rate.String), cmp.Compare(a.Heading, b.Heading), cmp.Compare(a.LineKey, b.LineKey),
			cmp.Compare(a.InPeriod, b.InPeriod), cmp.Compare(a.Org, b.Org), cmp.Compare(a.Project.String, b.Project.String),
			cmp.Compare(b2i(a.Rate.Valid), b2i(b.Rate.Valid)), cmp.Compare(b2i(a.Project.Valid), b2i(b.Project.Valid)))
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lineSpending is the spending on one line under one heading.
type lineSpending struct {
	Heading, LineKey             string
	Period, ToDate               int64
	CountPeriod, CountToDate     int64
	MissingPeriod, MissingToDate int64
}

// byLineSpending adds up spending groups per heading and line, in the order
// first seen.
func byLineSpending(groups []spendGroup) []lineSpending {
	type key struct{ h, k string }
	idx := map[key]int{}
	var out []lineSpending
	for _, g := range groups {
		k := key{g.Heading, g.LineKey}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, lineSpending{Heading: g.Heading, LineKey: g.LineKey})
		}
		x := &out[i]
		x.ToDate += g.Converted
		x.CountToDate += g.Counted
		x.MissingToDate += g.Count - g.Counted
		if g.InPeriod == 1 {
			x.Period += g.Converted
			x.CountPeriod += g.Counted
			x.MissingPeriod += g.Count - g.Counted
		}
	}
	return out
}

// currenciesOf adds up the period's spending groups per currency, rate and
// source, and per currency, month, rate and source, in the order of
// currency, month, source and rate (byte order, whatever the database's
// collation), with the rounding difference of converting each
// expenditure rather than each currency-and-rate total.
func currenciesOf(groups []spendGroup, grantCurrency string) *Currencies {
	groups = sortGroups(groups)
	out := &Currencies{}
	idx := map[string]int{}
	type rk struct{ cur, rate, src string }
	rateIdx := map[rk]int{}
	type uk struct{ cur, month, rate, src string }
	useIdx := map[uk]int{}
	for _, g := range groups {
		if g.InPeriod != 1 {
			continue
		}
		i, ok := idx[g.Currency]
		if !ok {
			scale, err := money.Currency(g.Currency)
			if err != nil {
				scale = 2
			}
			i = len(out.Blocks)
			idx[g.Currency] = i
			out.Blocks = append(out.Blocks, CurrencyBlock{Currency: g.Currency, Scale: scale})
		}
		b := &out.Blocks[i]
		out.Count += g.Count
		if missing := g.Count - g.Counted; missing > 0 {
			b.MissingCount += missing
			b.MissingAmount += g.MissingAmount
		}
		if g.Counted == 0 {
			continue
		}
		amount := g.Amount - g.MissingAmount
		u := uk{g.Currency, g.Month, g.Rate.String, g.Source}
		j, ok := useIdx[u]
		if !ok {
			j = len(out.Uses)
			useIdx[u] = j
			out.Uses = append(out.Uses, RateUse{Currency: g.Currency, Month: g.Month, Rate: g.Rate, Source: g.Source})
		}
		ru := &out.Uses[j]
		ru.Count += g.Counted
		ru.Amount += amount
		ru.Converted += g.Converted
		k := rk{g.Currency, g.Rate.String, g.Source}
		j, ok = rateIdx[k]
		if !ok {
			j = len(b.Rates)
			rateIdx[k] = j
			b.Rates = append(b.Rates, CurrencyRate{Rate: g.Rate.String, Source: g.Source, FirstMonth: g.Month})
		}
		cr := &b.Rates[j]
		cr.Count += g.Counted
		cr.Amount += amount
		cr.Converted += g.Converted
		cr.Last = g.Month
		b.Count += g.Counted
		b.Amount += amount
		b.Converted += g.Converted
		out.Converted += g.Converted
	}
	for i := range out.Blocks {
		b := &out.Blocks[i]
		for j := range b.Rates {
			cr := &b.Rates[j]
			cr.AtOnce = cr.Converted
			if rate, err := decimal.NewFromString(cr.Rate); err == nil && rate.IsPositive() {
				if v, err := fx.ConvertAmount(cr.Amount, b.Currency, grantCurrency, rate); err == nil {
					cr.AtOnce = v
				}
			}
			if d := abs(cr.Converted - cr.AtOnce); d != 0 {
				out.RoundingRows++
				out.RoundingMax = max(out.RoundingMax, d)
			}
		}
	}
	return out
}

// ListedExpenditure is one expenditure of the list, as read from the
// database.
type ListedExpenditure struct {
	Date           string
	DocumentRef    string
	Payee          string
	Description    string
	HeadingCode    string
	LineKey        string
	OrganisationID string
	ProjectID      sql.NullString
	Currency       string
	Amount         int64
	Rate           sql.NullString
	RateSource     string
	Converted      sql.NullInt64
	Status         string
	RateProblem    string
}

// StreamExpenditures calls fn with every counted expenditure of q's period
// (claimed, verified only when q says so, inside the implementation
// period), by date, reading them one at a time (never all in memory). fn
// must not use idb: the rows hold its connection. The expenditure passed is
// reused between calls. Errors: internal, or fn's.
func StreamExpenditures(ctx context.Context, idb bun.IDB, g *grant.Grant, q StatementQuery, fn func(*ListedExpenditure) error) error {
	inside, args := Period(g).Inside()
	rows, err := idb.QueryContext(ctx, `SELECT expense_date, document_ref, payee, description, heading_code, line_key, organisation_id,
			project_id, currency_code, amount, rate, rate_source, converted_amount, status, rate_problem
		FROM expenditures
		WHERE grant_id = ? AND status IN (?) AND expense_date >= ? AND expense_date <= ? AND `+inside+`
		ORDER BY expense_date, id`, append([]any{g.ID, bun.List(q.statuses()), q.From.String(), q.To.String()}, args...)...)
	if err != nil {
		return db.Err(err)
	}
	defer func() { _ = rows.Close() }()
	var e ListedExpenditure
	for rows.Next() {
		if err := rows.Scan(&e.Date, &e.DocumentRef, &e.Payee, &e.Description, &e.HeadingCode, &e.LineKey, &e.OrganisationID,
			&e.ProjectID, &e.Currency, &e.Amount, &e.Rate, &e.RateSource, &e.Converted, &e.Status, &e.RateProblem); err != nil {
			return db.Err(err)
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return db.Err(err)
	}
	return nil
}

// LineName is how a line key is named: by the latest version that has it.
type LineName struct {
	Code        string
	Description string
}

// ListNames are the names the expenditure list shows for keys: line codes
// by line key, partners by organisation id, projects by id.
type ListNames struct {
	Lines    map[string]LineName
	Partners map[string]string
	Projects map[string]string
}

// LoadListNames reads the names of the grant's lines, partners and
// projects (tens to hundreds of rows).
func LoadListNames(ctx context.Context, idb bun.IDB, grantID string) (*ListNames, error) {
	lines, err := lineNames(ctx, idb, grantID)
	if err != nil {
		return nil, err
	}
	out := &ListNames{Lines: lines, Partners: map[string]string{}, Projects: map[string]string{}}
	var rows []struct {
		ID   string `bun:"id"`
		Name string `bun:"name"`
	}
	err = idb.NewRaw(`SELECT id, CASE WHEN short_name <> '' THEN short_name ELSE display_name END AS name FROM organisations
		WHERE id IN (SELECT DISTINCT organisation_id FROM expenditures WHERE grant_id = ?)`, grantID).Scan(ctx, &rows)
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out.Partners[r.ID] = r.Name
	}
	rows = rows[:0]
	err = idb.NewRaw(`SELECT id, CASE WHEN code = '' THEN title ELSE code END AS name FROM projects
		WHERE id IN (SELECT DISTINCT project_id FROM expenditures WHERE grant_id = ? AND project_id IS NOT NULL)`, grantID).Scan(ctx, &rows)
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out.Projects[r.ID] = r.Name
	}
	return out, nil
}

// lineNames names every line key of the grant's budget versions by the
// latest version (adopted or not) that has it.
func lineNames(ctx context.Context, idb bun.IDB, grantID string) (map[string]LineName, error) {
	var rows []struct {
		LineKey     string `bun:"line_key"`
		Code        string `bun:"code"`
		Description string `bun:"description"`
	}
	err := idb.NewRaw(`SELECT bl.line_key, bl.code, bl.description FROM budget_lines bl
		JOIN budget_versions bv ON bv.id = bl.budget_version_id
		WHERE bl.grant_id = ? ORDER BY bv.number DESC`, grantID).Scan(ctx, &rows)
	if err != nil {
		return nil, db.Err(err)
	}
	out := make(map[string]LineName, len(rows))
	for _, r := range rows {
		if _, ok := out[r.LineKey]; !ok {
			out[r.LineKey] = LineName{Code: r.Code, Description: r.Description}
		}
	}
	return out, nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
