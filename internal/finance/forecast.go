package finance

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rules"
)

// The forecast of spending for the next reporting period, which goes with
// every request for further pre-financing (Annex VI): per heading and line,
// a suggestion from the line's burn to date, and what finance entered, kept
// per grant and period.

// MaxForecastPeriod is the highest period number asked about (as for
// reports).
const MaxForecastPeriod = 100

// ForecastBasis is one budget line as the forecast starts from it: the
// line's budget in the latest adopted version and its spending to date (up
// to the day before the forecast period).
type ForecastBasis struct {
	HeadingCode, LineKey, Code, Description string
	// HeadingTitle is the heading's title in the grant's template.
	HeadingTitle   string
	Budget, ToDate int64
}

// ForecastLineInput is one line of a forecast as finance enters it: the
// line key and the amount, a decimal in the grant currency ("" enters
// nothing: the suggestion stands).
type ForecastLineInput struct {
	LineKey string
	Amount  string
}

// ForecastName is "grants/{grant}/forecasts/{period}".
func ForecastName(grantID string, period int) string {
	return grantName(grantID) + "/" + resource.Forecasts + "/" + strconv.Itoa(period)
}

// ParseForecastName returns the grant id and the period of a forecast's
// name; field names the request field. Errors: invalid.
func ParseForecastName(name, field string) (grantID string, period int, err error) {
	g, p, err := resource.ParseGrantChild(name, resource.Forecasts, field)
	if err != nil {
		return "", 0, err
	}
	n, perr := strconv.Atoi(p)
	if perr != nil || n < 1 || n > MaxForecastPeriod || strconv.Itoa(n) != p {
		return "", 0, errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("must be grants/{grant}/forecasts/{period} with the number of a reporting period, 2 to %d (period 1 has no forecast); got %q", MaxForecastPeriod, name)})
	}
	return g, n, nil
}

// forecastRow is the row that holds a forecast's version (its etag) and who
// last changed it.
type forecastRow struct {
	bun.BaseModel `bun:"table:forecasts"`

	GrantID    string    `bun:"grant_id,pk"`
	Period     int       `bun:"period,pk"`
	Version    int64     `bun:"version"`
	UpdateTime time.Time `bun:"update_time"`
	UpdatedBy  string    `bun:"updated_by"`
}

// forecastLineRow is an amount finance entered for one line.
type forecastLineRow struct {
	bun.BaseModel `bun:"table:forecast_lines"`

	GrantID     string `bun:"grant_id,pk"`
	Period      int    `bun:"period,pk"`
	LineKey     string `bun:"line_key,pk"`
	HeadingCode string `bun:"heading_code"`
	Amount      int64  `bun:"amount"`
}

// forecastPeriod returns the dates of the grant's reporting period number
// period (as fx.Period counts them, and the reports), which must come after
// the first. Errors: invalid (field).
func forecastPeriod(g *grant.Grant, period int, field string) (from, to calendar.Date, err error) {
	if period < 2 {
		return from, to, errs.Invalid(errs.FieldViolation{Field: field,
			Description: "a forecast goes with a request for further pre-financing: choose reporting period 2 or later"})
	}
	fg := fx.Grant{ID: g.ID, Currency: g.CurrencyCode, Start: g.StartDate, End: g.EndDate, ReportingPeriodMonths: g.ReportingPeriodMonths}
	from = g.StartDate
	for k := 1; ; k++ {
		from, to = fx.Period(fg, from)
		if k == period {
			return from, to, nil
		}
		if !to.Before(g.EndDate) {
			if k == 1 {
				return from, to, errs.Invalid(errs.FieldViolation{Field: field,
					Description: "the grant has a single reporting period, so there is no next period to forecast"})
			}
			return from, to, errs.Invalid(errs.FieldViolation{Field: field,
				Description: fmt.Sprintf("the grant has %d reporting periods; choose 2 to %d", k, k)})
		}
		from = to.AddDays(1)
	}
}

// forecastBasis returns the budget lines of the latest adopted version with
// their spending up to asOf (the day before the forecast period), in the
// order of the statement, and the months elapsed: the statement from the
// grant's start to asOf.
func forecastBasis(ctx context.Context, idb bun.IDB, g *grant.Grant, asOf calendar.Date) ([]ForecastBasis, int, error) {
	st, err := StatementIn(ctx, idb, g, StatementQuery{From: g.StartDate, To: asOf, Today: asOf})
	if err != nil {
		return nil, 0, err
	}
	elapsed, _ := period(g, asOf)
	return st.forecastBasis(), elapsed, nil
}

// forecastBasis is the statement's budget lines with their spending to
// date (the flat rate's claim on the indirect line): what the forecast of
// the next period starts from. Spending on lines the budget no longer has
// is not forecast.
func (s *Statement) forecastBasis() []ForecastBasis {
	var out []ForecastBasis
	for _, h := range s.Headings {
		if h.Computed() {
			continue
		}
		for _, l := range h.Lines {
			if !l.InBudget {
				continue
			}
			out = append(out, ForecastBasis{HeadingCode: h.Code, HeadingTitle: h.Title, LineKey: l.Key,
				Code: l.Code, Description: l.Description, Budget: l.Budget, ToDate: l.ToDate})
		}
	}
	return out
}

// nextForecast sets the forecast of the period after the statement's (none
// for a free date range or the last period).
func (s *Statement) nextForecast(ctx context.Context, idb bun.IDB) error {
	if s.Period <= 0 || s.Period >= ReportingPeriods(s.Grant) {
		return nil
	}
	from, to, err := ReportingPeriod(s.Grant, s.Period+1, "reporting_period")
	if err != nil {
		return nil // no next period
	}
	elapsed, _ := period(s.Grant, from.AddDays(-1))
	f, err := computeForecast(ctx, idb, s.Grant, s.Period+1, from, to, s.forecastBasis(), elapsed)
	if err != nil {
		return err
	}
	f.GrantID, f.Currency = s.Grant.ID, s.Grant.CurrencyCode
	s.Forecast = f
	return nil
}

// suggestForecast is toDate / elapsed x months (the monthly burn to date
// over the next period), computed exactly and rounded once, half away from
// zero; at most remaining, never below 0.
func suggestForecast(toDate int64, months, elapsed int, remaining int64) int64 {
	if toDate <= 0 || remaining <= 0 || months <= 0 || elapsed <= 0 {
		return 0
	}
	s := decimal.NewFromInt(toDate).Mul(decimal.NewFromInt(int64(months))).DivRound(decimal.NewFromInt(int64(elapsed)), 0)
	if s.GreaterThan(decimal.NewFromInt(remaining)) {
		return remaining
	}
	return s.IntPart()
}

// computeForecast is the forecast of the grant for reporting period
// "period" (from..to): a line per basis line, with the suggestion from its
// burn over monthsElapsed months and the amount finance entered for that
// period, if any; then the lines entered for line keys the basis no longer
// has (kept and shown, with no budget and no suggestion). Headings add up
// their lines.
func computeForecast(ctx context.Context, idb bun.IDB, g *grant.Grant, period int, from, to calendar.Date, basis []ForecastBasis, monthsElapsed int) (*Forecast, error) {
	months := calendar.MonthsBetween(from, to)
	if months < 1 {
		months = 1 // a last period shorter than a month
	}
	out := &Forecast{Period: period, From: from, To: to, Months: months, BasisAsOf: from.AddDays(-1), MonthsElapsed: monthsElapsed}
	head := new(forecastRow)
	err := idb.NewSelect().Model(head).Where("grant_id = ? AND period = ?", g.ID, period).Scan(ctx)
	switch {
	case err == nil:
		out.Version, out.UpdatedBy, out.UpdateTime = head.Version, head.UpdatedBy, head.UpdateTime
	case !db.IsNoRows(err):
		return nil, db.Err(err)
	}
	var entered []forecastLineRow
	if err := idb.NewSelect().Model(&entered).Where("grant_id = ? AND period = ?", g.ID, period).Order("heading_code", "line_key").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	amounts := map[string]int64{}
	for _, e := range entered {
		amounts[e.LineKey] = e.Amount
	}

	titles := map[string]string{}
	var order []string // heading codes in the basis's order
	lines := map[string][]ForecastLine{}
	inBasis := map[string]bool{}
	for _, b := range basis {
		if _, ok := lines[b.HeadingCode]; !ok {
			order = append(order, b.HeadingCode)
			titles[b.HeadingCode] = b.HeadingTitle
			lines[b.HeadingCode] = []ForecastLine{}
		}
		inBasis[b.LineKey] = true
		l := ForecastLine{HeadingCode: b.HeadingCode, LineKey: b.LineKey, Code: b.Code, Description: b.Description,
			Budget: b.Budget, ToDate: b.ToDate, Remaining: b.Budget - b.ToDate, InBudget: true}
		l.Suggested = suggestForecast(b.ToDate, months, monthsElapsed, l.Remaining)
		l.Amount, l.Entered = amounts[b.LineKey]
		lines[b.HeadingCode] = append(lines[b.HeadingCode], l)
	}

	// Lines entered for keys the budget no longer has: named after the
	// latest version that had them.
	var orphans []forecastLineRow
	for _, e := range entered {
		if !inBasis[e.LineKey] {
			orphans = append(orphans, e)
		}
	}
	if len(orphans) > 0 {
		keys := make([]string, len(orphans))
		for i, o := range orphans {
			keys[i] = o.LineKey
		}
		var past []struct {
			LineKey     string `bun:"line_key"`
			Code        string `bun:"code"`
			Description string `bun:"description"`
		}
		err := idb.NewRaw(`SELECT bl.line_key, bl.code, bl.description FROM budget_lines bl
			JOIN budget_versions bv ON bv.id = bl.budget_version_id
			WHERE bl.grant_id = ? AND bl.line_key IN (?) ORDER BY bv.number DESC`, g.ID, bun.List(keys)).Scan(ctx, &past)
		if err != nil {
			return nil, db.Err(err)
		}
		named := map[string][2]string{}
		for _, p := range past {
			if _, ok := named[p.LineKey]; !ok {
				named[p.LineKey] = [2]string{p.Code, p.Description}
			}
		}
		var missingTitles bool
		for _, o := range orphans {
			n, ok := named[o.LineKey]
			if !ok {
				n = [2]string{"", o.LineKey}
			}
			if _, ok := lines[o.HeadingCode]; !ok {
				order = append(order, o.HeadingCode)
				missingTitles = true
			}
			lines[o.HeadingCode] = append(lines[o.HeadingCode], ForecastLine{HeadingCode: o.HeadingCode, LineKey: o.LineKey,
				Code: n[0], Description: n[1], Amount: o.Amount, Entered: true})
		}
		if missingTitles {
			r, err := rules.Load(ctx, idb, g.ID)
			if err != nil {
				return nil, err
			}
			hs, err := loadHeadings(ctx, idb, r.TemplateID)
			if err != nil {
				return nil, err
			}
			for _, h := range hs {
				if _, ok := titles[h.Code]; !ok {
					titles[h.Code] = h.Title
				}
			}
		}
	}

	for _, code := range order {
		h := ForecastHeading{Code: code, Title: titles[code]}
		for _, l := range lines[code] {
			h.Budget += l.Budget
			h.ToDate += l.ToDate
			h.Remaining += l.Remaining
			h.Suggested += l.Suggested
			h.Total += l.Value()
			out.Lines = append(out.Lines, l)
		}
		out.Headings = append(out.Headings, h)
		out.Totals.Budget += h.Budget
		out.Totals.ToDate += h.ToDate
		out.Totals.Remaining += h.Remaining
		out.Totals.Suggested += h.Suggested
		out.Totals.Total += h.Total
	}
	out.Total = out.Totals.Total
	return out, nil
}

// Value is what the line forecasts: the amount entered, else the
// suggestion.
func (l *ForecastLine) Value() int64 {
	if l.Entered {
		return l.Amount
	}
	return l.Suggested
}

// forecastIn reads the grant's forecast for period within idb, for a grant
// the caller may read in full. field names the period's request field.
func forecastIn(ctx context.Context, idb bun.IDB, g *grant.Grant, period int, field string) (*Forecast, error) {
	from, to, err := forecastPeriod(g, period, field)
	if err != nil {
		return nil, err
	}
	basis, elapsed, err := forecastBasis(ctx, idb, g, from.AddDays(-1))
	if err != nil {
		return nil, err
	}
	f, err := computeForecast(ctx, idb, g, period, from, to, basis, elapsed)
	if err != nil {
		return nil, err
	}
	f.GrantID, f.Currency = g.ID, g.CurrencyCode
	f.CallerCanUpdate = policy.CanManageFinance(actor.From(ctx), g.ID, g.LeadOrganisationID) && g.State != grant.StateClosed
	return f, nil
}

// GetForecast returns the grant's forecast for reporting period "period"
// (2 or later: it goes with a request for further pre-financing): each line
// of the latest adopted budget with its spending up to the day before the
// period, the suggestion from its burn, and the amount finance entered.
// Only the grant's coordinators, finance staff and auditors (and admins)
// may read it. Errors: not found (a grant the caller may not read),
// permission (a partner of the grant), invalid (period: field "name").
func (s *Service) GetForecast(ctx context.Context, grantID string, period int) (*Forecast, error) {
	c := actor.From(ctx)
	var out *Forecast
	err := s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		g, err := readFull(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		out, err = forecastIn(ctx, tx, g, period, "name")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateForecast replaces the amounts entered for the grant's forecast of
// reporting period "period" with lines (all or nothing: a line with an
// empty amount enters nothing, and its suggestion stands), and records the
// change in the audit trail, in one transaction. Each line names a line of
// the latest adopted budget (or one entered before for a line the budget no
// longer has), once; amounts are decimals in the grant currency, 0 or more.
// etag is required and must be that of the forecast as read (GetForecast
// gives one before anything is entered). Only the grant's coordinators and
// finance staff (and admins) may. Errors: not found, permission, invalid
// (name, etag, lines[i].line_key, lines[i].amount), aborted (stale etag),
// precondition (GRANT_CLOSED).
func (s *Service) UpdateForecast(ctx context.Context, grantID string, period int, in []ForecastLineInput, etag string) (*Forecast, error) {
	c := actor.From(ctx)
	var out *Forecast
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := readManagedFinance(ctx, tx, c, grantID, "the forecast")
		if err != nil {
			return err
		}
		prev, err := forecastIn(ctx, tx, g, period, "name")
		if err != nil {
			return err
		}
		name := ForecastName(g.ID, period)
		if err := resource.RequireETag(name, etag, prev.Version); err != nil {
			return err
		}
		if g.State == grant.StateClosed {
			return errs.Precondition("GRANT_CLOSED", "%s is closed and its forecasts can no longer be changed", g.Name())
		}
		rows, err := forecastRows(g, period, prev, in)
		if err != nil {
			return err
		}
		head := &forecastRow{GrantID: g.ID, Period: period, Version: prev.Version + 1, UpdateTime: s.now(), UpdatedBy: c.Name()}
		if prev.Version == 0 {
			if _, err := tx.NewInsert().Model(head).Exec(ctx); err != nil {
				return db.Err(err, db.Unique(errs.Aborted(name)))
			}
		} else {
			res, err := tx.NewUpdate().Model(head).Column("version", "update_time", "updated_by").
				Where("grant_id = ? AND period = ? AND version = ?", g.ID, period, prev.Version).Exec(ctx)
			if err != nil {
				return db.Err(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return errs.Aborted(name)
			}
		}
		if _, err := tx.NewDelete().Model((*forecastLineRow)(nil)).Where("grant_id = ? AND period = ?", g.ID, period).Exec(ctx); err != nil {
			return db.Err(err)
		}
		if len(rows) > 0 {
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return db.Err(err)
			}
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: name, GrantID: g.ID,
			Changes: forecastChanges(prev, rows)}); err != nil {
			return err
		}
		out, err = forecastIn(ctx, tx, g, period, "name")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readManagedFinance returns the grant if c may change its money (admins,
// its coordinators and finance staff); what names the thing changed.
// Errors: not found (c may not read the grant), permission.
func readManagedFinance(ctx context.Context, idb bun.IDB, c actor.Caller, id, what string) (*grant.Grant, error) {
	g := new(grant.Grant)
	err := policy.Where(idb.NewSelect().Model(g).Where("id = ?", id), policy.Grants(c, "id")).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(grantName(id)))
	}
	if !policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) {
		return nil, errs.PermissionDenied("you may not change %s of %s; ask the grant's finance staff or coordinator", what, g.Name())
	}
	return g, nil
}

// forecastRows checks the lines finance entered against the forecast as it
// is and returns the rows to store. Errors: invalid (lines[i].line_key,
// lines[i].amount).
func forecastRows(g *grant.Grant, period int, prev *Forecast, in []ForecastLineInput) ([]forecastLineRow, error) {
	known := map[string]ForecastLine{}
	for _, l := range prev.Lines {
		known[l.LineKey] = l
	}
	var v errs.Violations
	seen := map[string]int{}
	var rows []forecastLineRow
	for i, x := range in {
		field := fmt.Sprintf("lines[%d]", i)
		l, ok := known[x.LineKey]
		switch {
		case x.LineKey == "":
			v.Add(field+".line_key", "is required: the key of a line of the grant's latest adopted budget")
			continue
		case !ok:
			v.Add(field+".line_key", "%q is not a line of the grant's latest adopted budget; read the forecast again for its lines", x.LineKey)
			continue
		}
		if j, dup := seen[x.LineKey]; dup {
			v.Add(field+".line_key", "line %s is already given at lines[%d]; give each line once", describeLine(l), j)
			continue
		}
		seen[x.LineKey] = i
		if x.Amount == "" {
			continue // nothing entered: the suggestion stands
		}
		a, err := money.Parse(x.Amount, g.CurrencyCode)
		if err != nil {
			v.Add(field+".amount", "%s: a decimal in %s, 0 or more, e.g. 12500.00, or empty to use the suggestion", err.Error(), g.CurrencyCode)
			continue
		}
		rows = append(rows, forecastLineRow{GrantID: g.ID, Period: period, LineKey: l.LineKey, HeadingCode: l.HeadingCode, Amount: a})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return rows, nil
}

// describeLine names a line for people: "2.1 International travel".
func describeLine(l ForecastLine) string {
	if l.Code == "" {
		return l.Description
	}
	return l.Code + " " + l.Description
}

// forecastChanges lists, per line (named "2.1 International travel"), the
// amount entered before and now ("": nothing entered), in line-key order.
func forecastChanges(prev *Forecast, rows []forecastLineRow) []audit.Change {
	before := map[string]string{}
	names := map[string]string{}
	for _, l := range prev.Lines {
		names[l.LineKey] = describeLine(l)
		if l.Entered {
			before[l.LineKey] = money.Format(l.Amount, prev.Currency)
		}
	}
	after := map[string]string{}
	for _, r := range rows {
		after[r.LineKey] = money.Format(r.Amount, prev.Currency)
	}
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		if before[k] != after[k] {
			sorted = append(sorted, k)
		}
	}
	sort.Strings(sorted)
	out := make([]audit.Change, 0, len(sorted))
	for _, k := range sorted {
		field := names[k]
		if field == "" {
			field = k
		}
		out = append(out, audit.Change{Field: field, Old: before[k], New: after[k]})
	}
	return out
}
