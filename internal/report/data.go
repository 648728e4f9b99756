package report

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/rules"
)

// Expenditure statuses that count as spending: what the grant claims. Drafts
// are not claimed yet and rejected expenditures are not eligible; this is
// how finance.BudgetVsActual counts by default. Only those dated inside
// the implementation period count (package eligibility: Scope.Eligible);
// those outside it are listed apart as not eligible.
var countedStatuses = eligibility.Claimed

// Kinds of template headings (budget_template_headings.kind).
const (
	KindDirect      = "direct"       // a cost heading (1 to 6 in PRAG)
	KindSubtotal    = "subtotal"     // computed: the direct headings above it
	KindContingency = "contingency"  // the contingency reserve
	KindTotalDirect = "total_direct" // computed: subtotal + contingency
	KindIndirect    = "indirect"     // indirect costs
	KindTotal       = "total"        // computed: total direct + indirect
)

// Figures are the amounts of one row of the summary, in minor units of
// the grant currency.
type Figures struct {
	// Baseline is the budget of the flexibility baseline: the latest
	// original or addendum (the same as Budget unless the latest adopted
	// version is a transfer between headings).
	Baseline int64
	// Budget is the latest adopted version's.
	Budget int64
	// Period is the spending dated within the period, ToDate the spending
	// dated up to the period's end (from the beginning): submitted and
	// verified expenditures with a rate, converted.
	Period, ToDate int64
	// Counts of the expenditures in Period and ToDate.
	CountPeriod, CountToDate int64
}

func (f *Figures) add(o Figures) {
	f.Baseline += o.Baseline
	f.Budget += o.Budget
	f.Period += o.Period
	f.ToDate += o.ToDate
	f.CountPeriod += o.CountPeriod
	f.CountToDate += o.CountToDate
}

// SummaryLine is one budget line of a heading (or spending on a line the
// budget does not have under that heading).
type SummaryLine struct {
	Key         string // the line key
	Code        string // "1.1" (from the latest version that had the line)
	Description string
	// InBudget: the latest adopted version has the line under this heading;
	// InBaseline: the baseline has it.
	InBudget, InBaseline bool
	Figures
}

// SummaryHeading is a heading of the template (or one it lacks, holding
// lines or spending), in template order.
type SummaryHeading struct {
	Code  string
	Title string // as the template names it
	Kind  string // Kind*: direct, contingency, indirect, or a computed kind
	// InTemplate is false for a heading code the template does not have
	// (reported as a direct cost heading).
	InTemplate bool
	// Parts are the codes of the cost headings a computed heading adds up.
	Parts []string
	Lines []SummaryLine
	// Figures: the sum of the lines, or of the parts.
	Figures
	// Flex is set where the heading moved beyond the flexibility threshold
	// (finance.CheckCompliance's FLEXIBILITY_EXCEEDED).
	Flex *Flexibility
}

// Computed reports whether the heading is a computed row.
func (h *SummaryHeading) Computed() bool {
	return h.Kind == KindSubtotal || h.Kind == KindTotalDirect || h.Kind == KindTotal
}

// Flexibility is a heading's move between the baseline and the latest
// transfer, beyond the rule set's threshold.
type Flexibility struct {
	Baseline, Budget int64
	// ChangePercent is the move in percent with two decimals ("32.50",
	// "-27.10"); "" for a heading the baseline did not have.
	ChangePercent string
	ThresholdBP   int64
}

// Version is a budget version.
type Version struct {
	ID     string `bun:"id"`
	Number int    `bun:"number"`
	Kind   string `bun:"kind"`
	Label  string `bun:"label"`
}

// Summary is what a report shows of a grant over a period, read within
// one transaction: the cover's facts and the summary per heading and line.
type Summary struct {
	Scope       *Scope
	Rules       *rules.Rules
	Scale       int    // decimals of the grant currency
	Donor, Lead string // organisation names
	// Version is the latest adopted budget version (nil: none adopted);
	// Baseline the flexibility baseline (nil: none).
	Version, Baseline *Version
	// Headings in template order, computed rows included.
	Headings []*SummaryHeading
	// Total is the grand total (the template's "total" row, or all cost
	// headings when it has none).
	Total Figures
	// Expenditures that would count but wait for an exchange rate: left out
	// of every figure.
	RateMissingPeriod, RateMissingToDate int64
	// Ineligible adds up the claimed expenditures dated outside the
	// implementation period (whatever the report's period): listed as not
	// eligible, counted in no figure.
	Ineligible eligibility.Summary
	// AuditSeq and AuditHash are the audit trail's head when the report was
	// read.
	AuditSeq  int64
	AuditHash string
	// GeneratedAt is when the report was made (UTC).
	GeneratedAt time.Time
}

// LoadReport reads, within idb, what a report shows of sc's grant and
// period: the summary per heading and line (budget, spending in the period
// and to date, flexibility flags, the cover's facts) and the period's
// spending per currency and rate, added up in one pass of the database
// over the expenditures (see loadSpending). The workbook gets the same
// figures while streaming its expenditure list (see buildWorkbook).
func LoadReport(ctx context.Context, idb bun.IDB, sc *Scope, now time.Time) (*Summary, *Currencies, error) {
	groups, err := loadSpending(ctx, idb, sc)
	if err != nil {
		return nil, nil, err
	}
	sm, err := summaryOf(ctx, idb, sc, now, groups)
	if err != nil {
		return nil, nil, err
	}
	return sm, currenciesOf(groups), nil
}

// summaryOf builds the summary of sc's grant and period from spending
// groups, reading the rest within idb: the budget per heading and line
// (latest adopted version and flexibility baseline), the flexibility
// flags, the organisations' names and the audit trail's head.
func summaryOf(ctx context.Context, idb bun.IDB, sc *Scope, now time.Time, groups []spendGroup) (*Summary, error) {
	g := sc.Grant
	r, err := rules.Load(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	scale, err := money.Currency(g.CurrencyCode)
	if err != nil {
		return nil, errs.Internal(err)
	}
	s := &Summary{Scope: sc, Rules: r, Scale: scale, GeneratedAt: now.UTC()}

	var names []struct {
		ID   string `bun:"id"`
		Name string `bun:"display_name"`
	}
	if err := idb.NewRaw("SELECT id, display_name FROM organisations WHERE id IN (?)",
		bun.List([]string{g.DonorID, g.LeadOrganisationID})).Scan(ctx, &names); err != nil {
		return nil, db.Err(err)
	}
	for _, n := range names {
		if n.ID == g.DonorID {
			s.Donor = n.Name
		}
		if n.ID == g.LeadOrganisationID {
			s.Lead = n.Name
		}
	}
	if err := db.Err(idb.NewRaw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(ctx, &s.AuditSeq, &s.AuditHash), db.AllowNoRows); err != nil {
		return nil, err
	}
	if s.Ineligible, err = eligibility.Outside(ctx, idb, g.ID, sc.Eligible()); err != nil {
		return nil, err
	}

	var template []struct {
		Code  string `bun:"code"`
		Title string `bun:"title"`
		Kind  string `bun:"kind"`
	}
	if err := idb.NewRaw("SELECT code, title, kind FROM budget_template_headings WHERE template_id = ? ORDER BY position, code",
		r.TemplateID).Scan(ctx, &template); err != nil {
		return nil, db.Err(err)
	}

	if s.Version, err = latestAdopted(ctx, idb, g.ID, -1); err != nil {
		return nil, err
	}
	s.Baseline = s.Version
	if s.Version != nil && s.Version.Kind == "transfer" {
		if s.Baseline, err = latestAdopted(ctx, idb, g.ID, s.Version.Number, "original", "addendum"); err != nil {
			return nil, err
		}
	}
	names2, err := lineNames(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	current, err := versionLines(ctx, idb, s.Version)
	if err != nil {
		return nil, err
	}
	baseline := current
	if s.Baseline != s.Version {
		if baseline, err = versionLines(ctx, idb, s.Baseline); err != nil {
			return nil, err
		}
	}
	spending := byLine(groups)

	// Rows are keyed by heading and line: a line moved to another heading
	// (or spending recorded under another heading) has a row under each,
	// so that heading totals are those of the expenditures' headings.
	type key struct{ heading, line string }
	rows := map[key]*SummaryLine{}
	var order []key
	rank := map[key]int{} // 0: in the budget, 1: baseline only, 2: spending only; then position
	pos := map[key]int{}
	get := func(k key, r, p int) *SummaryLine {
		l := rows[k]
		if l == nil {
			n := names2[k.line]
			if n.Code == "" {
				n.Code = k.line
			}
			l = &SummaryLine{Key: k.line, Code: n.Code, Description: n.Description}
			rows[k], rank[k], pos[k] = l, r, p
			order = append(order, k)
		}
		return l
	}
	for _, bl := range current {
		l := get(key{bl.HeadingCode, bl.LineKey}, 0, bl.Position)
		l.InBudget, l.Budget = true, bl.Total
		l.Code, l.Description = bl.Code, bl.Description
	}
	for _, bl := range baseline {
		l := get(key{bl.HeadingCode, bl.LineKey}, 1, bl.Position)
		l.InBaseline, l.Baseline = true, bl.Total
	}
	for _, x := range spending {
		s.RateMissingPeriod += x.MissingPeriod
		s.RateMissingToDate += x.MissingToDate
		if x.CountToDate == 0 {
			continue
		}
		l := get(key{x.Heading, x.LineKey}, 2, 0)
		l.Period, l.ToDate, l.CountPeriod, l.CountToDate = x.Period, x.ToDate, x.CountPeriod, x.CountToDate
	}

	// Headings: the template's, with the codes it lacks after its last
	// direct heading (as direct cost headings).
	byCode := map[string]*SummaryHeading{}
	for _, t := range template {
		h := &SummaryHeading{Code: t.Code, Title: t.Title, Kind: t.Kind, InTemplate: true}
		s.Headings = append(s.Headings, h)
		byCode[t.Code] = h
	}
	var unknown []string
	for _, k := range order {
		if byCode[k.heading] == nil {
			h := &SummaryHeading{Code: k.heading, Title: k.heading, Kind: KindDirect}
			byCode[k.heading] = h
			unknown = append(unknown, k.heading)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		at := len(s.Headings)
		for i, h := range s.Headings {
			if h.Kind == KindDirect {
				at = i + 1
			}
		}
		extra := make([]*SummaryHeading, 0, len(unknown))
		for _, c := range unknown {
			extra = append(extra, byCode[c])
		}
		s.Headings = append(s.Headings[:at], append(extra, s.Headings[at:]...)...)
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if rank[a] != rank[b] {
			return rank[a] < rank[b]
		}
		if pos[a] != pos[b] {
			return pos[a] < pos[b]
		}
		return rows[a].Code < rows[b].Code
	})
	for _, k := range order {
		h := byCode[k.heading]
		h.Lines = append(h.Lines, *rows[k])
		h.Figures.add(rows[k].Figures)
	}

	// Computed rows add up the cost headings above them, as
	// finance.BudgetVsActual does.
	hasTotal := false
	var above []*SummaryHeading
	for _, h := range s.Headings {
		if !h.Computed() {
			above = append(above, h)
			continue
		}
		want := map[string]bool{KindDirect: true}
		switch h.Kind {
		case KindTotalDirect:
			want[KindContingency] = true
		case KindTotal:
			want[KindContingency], want[KindIndirect] = true, true
			hasTotal = true
		}
		for _, a := range above {
			if want[a.Kind] {
				h.Parts = append(h.Parts, a.Code)
				h.Figures.add(a.Figures)
			}
		}
		if h.Kind == KindTotal {
			s.Total = h.Figures
		}
	}
	if !hasTotal {
		h := &SummaryHeading{Code: "", Kind: KindTotal}
		for _, a := range above {
			h.Parts = append(h.Parts, a.Code)
			h.Figures.add(a.Figures)
		}
		s.Headings = append(s.Headings, h)
		s.Total = h.Figures
	}
	s.flexibility()
	return s, nil
}

// flexibility flags the headings (indirect costs aside) whose budget in the
// latest adopted version, a transfer, moved from the baseline by more than
// the rule set's threshold, up or down: exactly as finance.CheckCompliance
// finds FLEXIBILITY_EXCEEDED (|current - baseline| x 10000 > threshold x
// |baseline|; a heading with nothing in the baseline and something now).
func (s *Summary) flexibility() {
	if s.Version == nil || s.Version.Kind != "transfer" || s.Baseline == nil {
		return
	}
	bp := s.Rules.FlexibilityBP
	for _, h := range s.Headings {
		if h.Computed() || h.Kind == KindIndirect {
			continue
		}
		cur, was := h.Budget, h.Baseline
		switch {
		case was == 0 && cur != 0:
			h.Flex = &Flexibility{Baseline: was, Budget: cur, ThresholdBP: bp}
		case was != 0 && exceeds(abs(cur-was), abs(was), bp):
			h.Flex = &Flexibility{Baseline: was, Budget: cur, ThresholdBP: bp, ChangePercent: Percent(cur-was, was)}
		}
	}
}

// Percent returns num/den as a percentage with two decimals, rounded half
// away from zero ("26.00"), or "" when den is zero.
func Percent(num, den int64) string {
	if den == 0 {
		return ""
	}
	return decimal.NewFromInt(num).Mul(decimal.NewFromInt(100)).DivRound(decimal.NewFromInt(den), 2).StringFixed(2)
}

// exceeds reports whether part/base is above bp hundredths of a percent,
// exactly (part x 10000 > bp x base, in decimals: nothing overflows).
func exceeds(part, base, bp int64) bool {
	l := decimal.NewFromInt(part).Mul(decimal.NewFromInt(10000))
	r := decimal.NewFromInt(bp).Mul(decimal.NewFromInt(base))
	return l.GreaterThan(r)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// latestAdopted returns the adopted version with the highest number whose
// kind is one of kinds (any when none) and whose number is below before (no
// bound when before < 0), or nil.
func latestAdopted(ctx context.Context, idb bun.IDB, grantID string, before int, kinds ...string) (*Version, error) {
	query := "SELECT id, number, kind, label FROM budget_versions WHERE grant_id = ? AND state = 'adopted'"
	args := []any{grantID}
	if before >= 0 {
		query += " AND number < ?"
		args = append(args, before)
	}
	if len(kinds) > 0 {
		query += " AND kind IN (?)"
		args = append(args, bun.List(kinds))
	}
	var v Version
	err := idb.NewRaw(query+" ORDER BY number DESC LIMIT 1", args...).Scan(ctx, &v)
	if db.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, db.Err(err)
	}
	return &v, nil
}

// budgetLine is a line of one budget version.
type budgetLine struct {
	LineKey     string `bun:"line_key"`
	HeadingCode string `bun:"heading_code"`
	Code        string `bun:"code"`
	Description string `bun:"description"`
	Total       int64  `bun:"total"`
	Position    int    `bun:"position"`
}

func versionLines(ctx context.Context, idb bun.IDB, v *Version) ([]budgetLine, error) {
	if v == nil {
		return nil, nil
	}
	var out []budgetLine
	err := idb.NewRaw(`SELECT line_key, heading_code, code, description, total, position
		FROM budget_lines WHERE budget_version_id = ? ORDER BY position, code`, v.ID).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// LineName is how a line key is named: by the latest version that has it.
type LineName struct {
	Code        string
	Description string
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

// spendGroup is the counted spending (submitted and verified expenditures
// dated up to the period's end) of one heading, line, currency, month of
// expenditure, rate and source, in the period or before it, added up in
// the database.
type spendGroup struct {
	Heading       string         `bun:"h"`
	LineKey       string         `bun:"k"`
	Currency      string         `bun:"c"`
	Month         string         `bun:"m"`
	Rate          sql.NullString `bun:"r"`
	Source        string         `bun:"src"`
	InPeriod      int64          `bun:"p"` // 1: dated in the period
	Count         int64          `bun:"n"`
	Counted       int64          `bun:"counted"` // with a converted amount
	Amount        int64          `bun:"amount"`  // minor units of Currency
	Converted     int64          `bun:"conv"`    // minor units of the grant currency
	MissingAmount int64          `bun:"missing_amount"`
}

// loadSpending adds up the counted expenditures dated up to the period's
// end in one pass of the database, per heading, line, currency, month,
// rate, source and whether they fall in the period: the summary (per line,
// in the period and to date) and the currency and rate sheets (per
// currency, rate and month, in the period) are sums of these groups.
func loadSpending(ctx context.Context, idb bun.IDB, sc *Scope) ([]spendGroup, error) {
	inside, args := sc.Eligible().Inside()
	var out []spendGroup
	err := idb.NewRaw(`SELECT heading_code AS h, line_key AS k, currency_code AS c, substr(expense_date, 1, 7) AS m,
			rate AS r, rate_source AS src, CASE WHEN expense_date >= ? THEN 1 ELSE 0 END AS p,
			COUNT(*) AS n, COUNT(converted_amount) AS counted, CAST(SUM(amount) AS BIGINT) AS amount,
			CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS conv,
			CAST(COALESCE(SUM(CASE WHEN converted_amount IS NULL THEN amount END), 0) AS BIGINT) AS missing_amount
		FROM expenditures
		WHERE grant_id = ? AND status IN (?) AND expense_date <= ? AND `+inside+`
		GROUP BY 1, 2, 3, 4, 5, 6, 7
		ORDER BY 3, 4, 6, 5, 1, 2, 7`,
		append([]any{sc.From.String(), sc.Grant.ID, bun.List(countedStatuses), sc.To.String()}, args...)...).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// loadSpendingBefore adds up, in the database, the counted expenditures
// dated before the period, per heading and line: with the period's groups
// (added up from the expenditure list as it streams), the spending to date.
func loadSpendingBefore(ctx context.Context, idb bun.IDB, sc *Scope) ([]spendGroup, error) {
	inside, args := sc.Eligible().Inside()
	var out []spendGroup
	err := idb.NewRaw(`SELECT heading_code AS h, line_key AS k, 0 AS p,
			COUNT(*) AS n, COUNT(converted_amount) AS counted, CAST(SUM(amount) AS BIGINT) AS amount,
			CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS conv
		FROM expenditures
		WHERE grant_id = ? AND status IN (?) AND expense_date < ? AND `+inside+`
		GROUP BY heading_code, line_key
		ORDER BY heading_code, line_key`,
		append([]any{sc.Grant.ID, bun.List(countedStatuses), sc.From.String()}, args...)...).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// countPeriod returns how many expenditures, of any status, are dated in
// the period: at least the rows of the list, counted from the index on
// (grant, date) alone, for progress.
func countPeriod(ctx context.Context, idb bun.IDB, sc *Scope) (int64, error) {
	var n int64
	inside, args := sc.Eligible().Inside()
	err := idb.NewRaw(`SELECT COUNT(*) FROM expenditures WHERE grant_id = ? AND expense_date >= ? AND expense_date <= ? AND `+inside,
		append([]any{sc.Grant.ID, sc.From.String(), sc.To.String()}, args...)...).Scan(ctx, &n)
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
	heading, line, currency, month, rate, source string
	noRate                                       bool
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
	k := groupKey{e.HeadingCode, e.LineKey, e.Currency, month, e.Rate.String, e.RateSource, !e.Rate.Valid}
	i, ok := p.idx[k]
	if !ok {
		i = len(p.groups)
		p.idx[k] = i
		p.groups = append(p.groups, spendGroup{Heading: e.HeadingCode, LineKey: e.LineKey, Currency: e.Currency, Month: month,
			Rate: e.Rate, Source: e.RateSource, InPeriod: 1})
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

// sortGroups returns a copy of groups by currency, month, source, rate,
// heading and line.
func sortGroups(groups []spendGroup) []spendGroup {
	out := slices.Clone(groups)
	slices.SortFunc(out, func(a, b spendGroup) int {
		return cmp.Or(cmp.Compare(a.Currency, b.Currency), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Source, b.Source),
			cmp.Compare(a.Rate.String, b.Rate.String), cmp.Compare(a.Heading, b.Heading), cmp.Compare(a.LineKey, b.LineKey))
	})
	return out
}

// lineSpending is the spending on one line under one heading.
type lineSpending struct {
	Heading, LineKey             string
	Period, ToDate               int64
	CountPeriod, CountToDate     int64
	MissingPeriod, MissingToDate int64
}

// byLine adds up spending groups per heading and line, in the order first
// seen.
func byLine(groups []spendGroup) []lineSpending {
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

// RateUse is the period's counted expenditures in one currency converted
// at one rate from one source, in one month of expenditure; Rate is
// invalid (and Converted 0) for those waiting for a rate.
type RateUse struct {
	Currency  string
	Month     string
	Rate      sql.NullString
	Source    string
	Count     int64
	Amount    int64 // minor units of Currency
	Converted int64 // minor units of the grant currency
}

// CurrencyRate is the period's expenditures in one currency at one rate
// and source, over all months.
type CurrencyRate struct {
	Rate, Source     string
	Count            int64
	Amount           int64 // minor units of the currency
	Converted        int64 // minor units of the grant currency
	FirstMonth, Last string
}

// CurrencyBlock is the period's counted expenditures in one original
// currency.
type CurrencyBlock struct {
	Currency string
	Scale    int // decimals of the currency
	Rates    []CurrencyRate
	// Amount, Converted and Count add up Rates.
	Amount, Converted, Count int64
	// MissingCount and MissingAmount: those waiting for a rate.
	MissingCount, MissingAmount int64
}

// Currencies is the period's spending per original currency and the rates
// used.
type Currencies struct {
	Blocks []CurrencyBlock
	// Uses are per currency, month, rate and source (those with a rate).
	Uses []RateUse
	// Converted is the period's converted total; Count the expenditures
	// listed (with or without a rate).
	Converted, Count int64
}

// currenciesOf adds up the period's spending groups per currency, rate and
// source, and per currency, month, rate and source, in the order of
// currency, month, source and rate (byte order, whatever the database's
// collation).
func currenciesOf(groups []spendGroup) *Currencies {
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
	return out
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

// StreamExpenditures calls fn with every counted expenditure of the period
// (claimed and inside the implementation period: package eligibility), by
// date, reading them from the database one at a time (never all in
// memory). fn must not use idb: the rows hold its connection. The
// expenditure passed is reused between calls.
func StreamExpenditures(ctx context.Context, idb bun.IDB, sc *Scope, fn func(*ListedExpenditure) error) error {
	inside, args := sc.Eligible().Inside()
	rows, err := idb.QueryContext(ctx, `SELECT expense_date, document_ref, payee, description, heading_code, line_key, organisation_id,
			project_id, currency_code, amount, rate, rate_source, converted_amount, status, rate_problem
		FROM expenditures
		WHERE grant_id = ? AND status IN (?) AND expense_date >= ? AND expense_date <= ? AND `+inside+`
		ORDER BY expense_date, id`, append([]any{sc.Grant.ID, bun.List(countedStatuses), sc.From.String(), sc.To.String()}, args...)...)
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
