package finance

import (
	"context"
	"database/sql"
	"sort"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/rules"
)

// Grouping is what budget-versus-actual rows are grouped by.
type Grouping string

const (
	ByHeading Grouping = "heading"
	ByLine    Grouping = "line"
	ByPartner Grouping = "partner"
	ByProject Grouping = "project"
)

// Query asks for a grant's budget versus actual.
type Query struct {
	GrantID string
	GroupBy Grouping // "" is ByHeading
	// VerifiedOnly counts verified expenditures only; by default submitted
	// and verified ones count (never drafts or rejected ones).
	VerifiedOnly bool
	AsOf         string // "YYYY-MM-DD", spending up to that day; "" is today
}

// Row compares budget and spending for one heading, line, partner or
// project. Amounts are minor units of the grant currency.
type Row struct {
	// Key is the heading code, the line key, the organisation id or the
	// project id; "" for spending on no partner or no project.
	Key         string
	Label       string // "2 Travel", "2.1 International travel", the partner's or project's name
	HeadingCode string // the row's heading (headings and lines)
	Budget      int64
	Spent       int64
	Remaining   int64  // Budget - Spent
	Percent     string // Spent as a percentage of Budget, two decimals; "" when Budget is 0
	MonthlyBurn int64  // Spent / months elapsed, rounded to the minor unit
	Projected   int64  // Spent + MonthlyBurn x months left
	Count       int64  // expenditures counted in Spent
	Computed    bool   // a subtotal or total (grouped by heading), and the grand total
}

// Month is the spending of one month and the running total.
type Month struct {
	Month      string // "YYYY-MM"
	Spent      int64
	Cumulative int64
}

// BudgetVsActual is a grant's spending against its latest adopted budget.
type BudgetVsActual struct {
	GrantID  string
	Currency string
	// VersionID is the budget version compared with: the adopted one with
	// the highest number ("" when none is adopted).
	VersionID string
	Rows      []Row
	Total     Row
	Months    []Month
	// RateMissing counts the expenditures that would count but have no
	// exchange rate: left out of every figure.
	RateMissing   int64
	MonthsElapsed int
	MonthsLeft    int
	AsOf          calendar.Date
	// Ineligible adds up the claimed expenditures dated outside the
	// implementation period, whatever AsOf: not eligible, left out of
	// every figure above (see package eligibility).
	Ineligible eligibility.Summary
}

// Period is the grant's implementation period: the eligibility window of
// its costs.
func Period(g *grant.Grant) eligibility.Period {
	return eligibility.Period{Start: g.StartDate, End: g.EndDate}
}

// BudgetVsActual compares the grant's spending up to q.AsOf with its latest
// adopted budget, grouped as asked. Spending is the converted amount of the
// expenditures submitted or verified (verified only with q.VerifiedOnly)
// dated inside the implementation period, added up in the database; those
// dated outside it are not eligible and only added up apart (Ineligible). Spending on lines, partners or projects the
// budget does not have still has a row (with a zero budget).
//
// Only the grant's coordinators, finance staff and auditors (and admins)
// may ask. Errors: invalid (as_of, group_by), not found (a grant the
// caller may not read), permission (a partner of the grant).
func (s *Service) BudgetVsActual(ctx context.Context, q Query) (*BudgetVsActual, error) {
	if q.GroupBy == "" {
		q.GroupBy = ByHeading
	}
	if _, ok := spendColumn[q.GroupBy]; !ok {
		return nil, errs.Invalid(errs.FieldViolation{Field: "group_by", Description: "must be heading, line, partner or project"})
	}
	asOf, err := s.asOf(q.AsOf, "as_of")
	if err != nil {
		return nil, err
	}
	c := actor.From(ctx)
	var out *BudgetVsActual
	err = s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		g, err := readFull(ctx, tx, c, q.GrantID)
		if err != nil {
			return err
		}
		out, err = budgetVsActual(ctx, tx, g, q.GroupBy, q.VerifiedOnly, asOf)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// period is the months elapsed from the grant's start to asOf (whole
// months, at least 1, at most the grant's length) and the months left to
// its end date.
func period(g *grant.Grant, asOf calendar.Date) (elapsed, left int) {
	total := calendar.MonthsBetween(g.StartDate, g.EndDate)
	to := asOf
	if to.After(g.EndDate) {
		to = g.EndDate
	}
	elapsed = calendar.MonthsBetween(g.StartDate, to)
	if elapsed < 1 {
		elapsed = 1
	}
	left = total - elapsed
	if left < 0 {
		left = 0
	}
	return elapsed, left
}

// finish fills a row's derived figures.
func (r *Row) finish(elapsed, left int) {
	r.Remaining = r.Budget - r.Spent
	r.Percent = percent(r.Spent, r.Budget)
	r.MonthlyBurn = divRound(r.Spent, int64(elapsed))
	r.Projected = r.Spent + r.MonthlyBurn*int64(left)
}

func (r *Row) add(o *Row) {
	r.Budget += o.Budget
	r.Spent += o.Spent
	r.Count += o.Count
}

func budgetVsActual(ctx context.Context, tx bun.IDB, g *grant.Grant, by Grouping, verifiedOnly bool, asOf calendar.Date) (*BudgetVsActual, error) {
	r, err := rules.Load(ctx, tx, g.ID)
	if err != nil {
		return nil, err
	}
	headings, err := loadHeadings(ctx, tx, r.TemplateID)
	if err != nil {
		return nil, err
	}
	v, err := latestAdopted(ctx, tx, g.ID, -1)
	if err != nil {
		return nil, err
	}
	lines, err := loadLines(ctx, tx, v)
	if err != nil {
		return nil, err
	}
	sp, err := spend(ctx, tx, g.ID, Period(g), by, countedStatuses(verifiedOnly), asOf)
	if err != nil {
		return nil, err
	}
	outside, err := eligibility.Outside(ctx, tx, g.ID, Period(g))
	if err != nil {
		return nil, err
	}
	out := &BudgetVsActual{GrantID: g.ID, Currency: g.CurrencyCode, AsOf: asOf, Ineligible: outside}
	if v != nil {
		out.VersionID = v.ID
	}
	out.MonthsElapsed, out.MonthsLeft = period(g, asOf)

	// Spending per key (and heading, by line) and per month.
	spent := map[string]*Row{}
	spentHeading := map[string]string{}
	perMonth := map[string]int64{}
	for _, x := range sp {
		out.RateMissing += x.RateMissing
		if x.Count == 0 {
			continue
		}
		k := x.Key.String
		if spent[k] == nil {
			spent[k] = &Row{Key: k}
		}
		spent[k].Spent += x.Spent
		spent[k].Count += x.Count
		if _, ok := spentHeading[k]; !ok || x.Heading < spentHeading[k] {
			spentHeading[k] = x.Heading
		}
		perMonth[x.Month] += x.Spent
	}

	var rows []Row
	switch by {
	case ByHeading:
		rows = byHeading(headings, lines, spent)
	case ByLine:
		rows, err = byLine(ctx, tx, g.ID, headings, lines, spent, spentHeading)
	case ByPartner:
		rows, err = byParty(ctx, tx, lines, spent, func(l line) sql.NullString { return l.OrganisationID },
			"SELECT id, display_name AS label FROM organisations WHERE id IN (?)", "No partner")
	case ByProject:
		rows, err = byParty(ctx, tx, lines, spent, func(l line) sql.NullString { return l.ProjectID },
			"SELECT id, CASE WHEN code = '' THEN title ELSE code || ' ' || title END AS label FROM projects WHERE id IN (?)", "No project")
	}
	if err != nil {
		return nil, err
	}
	total := Row{Label: "Total", Computed: true}
	for _, l := range lines {
		total.Budget += l.Total
	}
	for _, x := range spent {
		total.Spent += x.Spent
		total.Count += x.Count
	}
	for i := range rows {
		rows[i].finish(out.MonthsElapsed, out.MonthsLeft)
	}
	total.finish(out.MonthsElapsed, out.MonthsLeft)
	out.Rows, out.Total = rows, total
	out.Months = months(g, asOf, perMonth)
	return out, nil
}

// byHeading returns a row per heading of the template, in its order, with
// the computed rows (subtotal, total direct, total) added up from the rows
// above them; then rows for headings the template does not have.
func byHeading(headings []heading, lines []line, spent map[string]*Row) []Row {
	budget := map[string]int64{}
	for _, l := range lines {
		budget[l.HeadingCode] += l.Total
	}
	var rows []Row
	sums := map[string]*Row{kindDirect: {}, kindContingency: {}, kindIndirect: {}}
	known := map[string]bool{}
	for _, h := range headings {
		known[h.Code] = true
		row := Row{Key: h.Code, Label: h.label(), HeadingCode: h.Code, Computed: h.computed()}
		switch h.Kind {
		case kindSubtotal:
			row.add(sums[kindDirect])
		case kindTotalDirect:
			row.add(sums[kindDirect])
			row.add(sums[kindContingency])
		case kindTotal:
			row.add(sums[kindDirect])
			row.add(sums[kindContingency])
			row.add(sums[kindIndirect])
		default:
			row.Budget = budget[h.Code]
			if x := spent[h.Code]; x != nil {
				row.Spent, row.Count = x.Spent, x.Count
			}
			if sum := sums[h.Kind]; sum != nil {
				sum.add(&row)
			}
		}
		rows = append(rows, row)
	}
	var other []string
	seen := map[string]bool{}
	for code := range budget {
		if !known[code] && !seen[code] {
			other, seen[code] = append(other, code), true
		}
	}
	for code := range spent {
		if !known[code] && !seen[code] {
			other, seen[code] = append(other, code), true
		}
	}
	sort.Strings(other)
	for _, code := range other {
		row := Row{Key: code, Label: code + " (not in the budget template)", HeadingCode: code, Budget: budget[code]}
		if x := spent[code]; x != nil {
			row.Spent, row.Count = x.Spent, x.Count
		}
		rows = append(rows, row)
	}
	return rows
}

// byLine returns a row per line of the budget, in the template's heading
// order and the lines' order, each heading's lines followed by the lines
// with spending that the budget no longer (or never) had: these are named
// after the latest version that had them.
func byLine(ctx context.Context, tx bun.IDB, grantID string, headings []heading, lines []line, spent map[string]*Row, spentHeading map[string]string) ([]Row, error) {
	pos := map[string]int{}
	for i, h := range headings {
		pos[h.Code] = i
	}
	headingPos := func(code string) int {
		if p, ok := pos[code]; ok {
			return p
		}
		return len(headings)
	}
	type ordered struct {
		Row
		hpos, lpos int
		code       string
	}
	var all []ordered
	inBudget := map[string]bool{}
	for _, l := range lines {
		inBudget[l.LineKey] = true
		row := Row{Key: l.LineKey, Label: l.label(), HeadingCode: l.HeadingCode, Budget: l.Total}
		if x := spent[l.LineKey]; x != nil {
			row.Spent, row.Count = x.Spent, x.Count
		}
		all = append(all, ordered{Row: row, hpos: headingPos(l.HeadingCode), lpos: l.Position, code: l.Code})
	}
	var missing []string
	for k := range spent {
		if !inBudget[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		// The latest version that had each line names it.
		var past []struct {
			LineKey     string `bun:"line_key"`
			HeadingCode string `bun:"heading_code"`
			Code        string `bun:"code"`
			Description string `bun:"description"`
		}
		err := tx.NewRaw(`SELECT bl.line_key, bl.heading_code, bl.code, bl.description FROM budget_lines bl
			JOIN budget_versions bv ON bv.id = bl.budget_version_id
			WHERE bl.grant_id = ? AND bl.line_key IN (?) ORDER BY bv.number DESC`, grantID, bun.List(missing)).Scan(ctx, &past)
		if err != nil {
			return nil, db.Err(err)
		}
		named := map[string]line{}
		for _, p := range past {
			if _, ok := named[p.LineKey]; !ok {
				named[p.LineKey] = line{LineKey: p.LineKey, HeadingCode: p.HeadingCode, Code: p.Code, Description: p.Description}
			}
		}
		for _, k := range missing {
			x := spent[k]
			row := Row{Key: k, Label: k + " (not in the budget)", HeadingCode: spentHeading[k], Spent: x.Spent, Count: x.Count}
			code := k
			if l, ok := named[k]; ok {
				row.Label, row.HeadingCode, code = l.label()+" (not in the budget)", l.HeadingCode, l.Code
			}
			all = append(all, ordered{Row: row, hpos: headingPos(row.HeadingCode), lpos: 1 << 30, code: code})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.hpos != b.hpos {
			return a.hpos < b.hpos
		}
		if a.hpos == len(headings) && a.HeadingCode != b.HeadingCode {
			return a.HeadingCode < b.HeadingCode
		}
		if a.lpos != b.lpos {
			return a.lpos < b.lpos
		}
		return a.code < b.code
	})
	rows := make([]Row, len(all))
	for i, o := range all {
		rows[i] = o.Row
	}
	return rows, nil
}

// byParty returns a row per partner or project (of key) that has a budget
// or spending, named by nameSQL (which selects id and label for ids IN (?)),
// in the order of their names; the row of budget or spending on none of
// them (key "", labelled none) comes last.
func byParty(ctx context.Context, tx bun.IDB, lines []line, spent map[string]*Row, key func(line) sql.NullString, nameSQL, none string) ([]Row, error) {
	rows := map[string]*Row{}
	get := func(k string) *Row {
		if rows[k] == nil {
			rows[k] = &Row{Key: k}
		}
		return rows[k]
	}
	for _, l := range lines {
		get(key(l).String).Budget += l.Total
	}
	for k, x := range spent {
		r := get(k)
		r.Spent, r.Count = x.Spent, x.Count
	}
	var ids []string
	for k := range rows {
		if k != "" {
			ids = append(ids, k)
		}
	}
	if len(ids) > 0 {
		var names []struct {
			ID    string `bun:"id"`
			Label string `bun:"label"`
		}
		if err := tx.NewRaw(nameSQL, bun.List(ids)).Scan(ctx, &names); err != nil {
			return nil, db.Err(err)
		}
		for _, n := range names {
			rows[n.ID].Label = n.Label
		}
	}
	var out []Row
	for k, r := range rows {
		if k == "" {
			r.Label = none
		} else if r.Label == "" {
			r.Label = k
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Key == "") != (out[j].Key == "") {
			return out[j].Key == ""
		}
		if out[i].Label != out[j].Label {
			return out[i].Label < out[j].Label
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

// months returns the spending per month with the running total, for every
// month from the grant's start to asOf (not beyond the end date), widened
// to any month with spending outside that range.
func months(g *grant.Grant, asOf calendar.Date, perMonth map[string]int64) []Month {
	first := g.StartDate.String()[:7]
	last := asOf.String()[:7]
	if end := g.EndDate.String()[:7]; last > end {
		last = end
	}
	for m := range perMonth {
		if m < first {
			first = m
		}
		if m > last {
			last = m
		}
	}
	if len(perMonth) == 0 && last < first {
		return nil
	}
	var out []Month
	var cum int64
	d := calendar.MustParse(first + "-01")
	for m := first; m <= last; {
		cum += perMonth[m]
		out = append(out, Month{Month: m, Spent: perMonth[m], Cumulative: cum})
		d = d.AddMonths(1)
		m = d.String()[:7]
	}
	return out
}

// BudgetVsActualIn is BudgetVsActual within idb, a transaction the caller
// owns (so that several answers, a report's, come from one snapshot), for a
// grant the caller has already been allowed to read in full. q.AsOf must be
// set. Errors: invalid (group_by, as_of).
func BudgetVsActualIn(ctx context.Context, idb bun.IDB, g *grant.Grant, q Query) (*BudgetVsActual, error) {
	if q.GroupBy == "" {
		q.GroupBy = ByHeading
	}
	if _, ok := spendColumn[q.GroupBy]; !ok {
		return nil, errs.Invalid(errs.FieldViolation{Field: "group_by", Description: "must be heading, line, partner or project"})
	}
	asOf, err := calendar.Parse(q.AsOf)
	if err != nil {
		return nil, errs.Invalid(errs.FieldViolation{Field: "as_of", Description: err.Error()})
	}
	return budgetVsActual(ctx, idb, g, q.GroupBy, q.VerifiedOnly, asOf)
}
