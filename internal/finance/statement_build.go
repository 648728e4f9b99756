package finance

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/rules"
)

func itoa(n int) string { return strconv.Itoa(n) }

// buildStatement adds up the statement of g for q from the spending groups
// (up to the period's end, marked in or before the period), reading the
// rest within idb: budget versions and lines, the template, names, the
// breakdowns, the donor's rules.
func buildStatement(ctx context.Context, idb bun.IDB, g *grant.Grant, q StatementQuery, groups []spendGroup) (*Statement, error) {
	r, err := rules.Load(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	scale, err := money.Currency(g.CurrencyCode)
	if err != nil {
		return nil, errs.Internal(err)
	}
	checked := q.To
	if !q.Today.IsZero() && q.Today.Before(checked) {
		checked = q.Today
	}
	s := &Statement{Grant: g, Rules: r, Scale: scale, From: q.From, To: q.To, Period: q.Period, CheckedAsOf: checked,
		VerifiedOnly: q.VerifiedOnly, GeneratedAt: q.Now.UTC()}
	if err := s.readCover(ctx, idb); err != nil {
		return nil, err
	}
	if err := s.readVersions(ctx, idb); err != nil {
		return nil, err
	}
	headings, err := loadHeadings(ctx, idb, r.TemplateID)
	if err != nil {
		return nil, err
	}
	indirectCode := ""
	for _, h := range headings {
		if h.Kind == kindIndirect {
			indirectCode = h.Code
			break
		}
	}
	s.Indirect = Indirect{RateBP: g.IndirectCostRateBP, HeadingCode: indirectCode, Applies: g.IndirectCostRateBP > 0 && indirectCode != ""}

	// Spending on the indirect heading is not claimed while a flat rate
	// applies: the rate replaces it.
	kept := groups[:0:0]
	for _, x := range groups {
		if s.Indirect.Applies && x.Heading == indirectCode {
			s.Indirect.RecordedCount += x.Counted
			s.Indirect.RecordedAmount += x.Converted
			if x.InPeriod == 1 {
				s.Indirect.RecordedPeriod += x.Converted
			}
			continue
		}
		kept = append(kept, x)
	}
	groups = kept

	if err := s.assemble(ctx, idb, headings, groups); err != nil {
		return nil, err
	}
	s.months(groups)
	s.Currencies = currenciesOf(groups, g.CurrencyCode)
	if err := s.readParties(ctx, idb, groups); err != nil {
		return nil, err
	}
	if err := s.readUnverified(ctx, idb); err != nil {
		return nil, err
	}
	if s.Ineligible, err = eligibility.Outside(ctx, idb, g.ID, Period(g)); err != nil {
		return nil, err
	}
	if err := s.check(ctx, idb, headings, groups); err != nil {
		return nil, err
	}
	if s.Funding, err = computeFunding(ctx, idb, g, q.From, q.To, s.Total.Period, s.Total.ToDate); err != nil {
		return nil, err
	}
	s.Findings = append(s.Findings, fundingFindings(s.Funding, g)...)
	sort.SliceStable(s.Findings, func(i, j int) bool { return s.Findings[i].Severity > s.Findings[j].Severity })
	if err := s.nextForecast(ctx, idb); err != nil {
		return nil, err
	}
	return s, nil
}

// readCover reads the names on the cover, the audit trail's head and who
// makes the statement.
func (s *Statement) readCover(ctx context.Context, idb bun.IDB) error {
	g := s.Grant
	var names []struct {
		ID   string `bun:"id"`
		Name string `bun:"display_name"`
	}
	if err := idb.NewRaw("SELECT id, display_name FROM organisations WHERE id IN (?)",
		bun.List([]string{g.DonorID, g.LeadOrganisationID})).Scan(ctx, &names); err != nil {
		return db.Err(err)
	}
	for _, n := range names {
		if n.ID == g.DonorID {
			s.Donor = n.Name
		}
		if n.ID == g.LeadOrganisationID {
			s.Lead = n.Name
		}
	}
	if g.FrameworkAgreementID != "" {
		err := idb.NewRaw("SELECT reference FROM framework_agreements WHERE id = ?", g.FrameworkAgreementID).Scan(ctx, &s.Framework)
		if err := db.Err(err, db.AllowNoRows); err != nil {
			return err
		}
	}
	if err := db.Err(idb.NewRaw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(ctx, &s.AuditSeq, &s.AuditHash), db.AllowNoRows); err != nil {
		return err
	}
	if c := actor.From(ctx); c.Kind == actor.User {
		err := idb.NewRaw("SELECT display_name FROM users WHERE id = ?", c.UserID).Scan(ctx, &s.GeneratedBy)
		if err := db.Err(err, db.AllowNoRows); err != nil {
			return err
		}
	}
	return nil
}

// readVersions reads the adopted budget versions in order: the latest, the
// flexibility baseline, and the moves of the contingency reserve.
func (s *Statement) readVersions(ctx context.Context, idb bun.IDB) error {
	var rows []struct {
		ID                string         `bun:"id"`
		Number            int            `bun:"number"`
		Kind              string         `bun:"kind"`
		Label             string         `bun:"label"`
		EffectiveDate     sql.NullString `bun:"effective_date"`
		ApprovalReference string         `bun:"approval_reference"`
		AdoptTime         *time.Time     `bun:"adopt_time"`
	}
	err := idb.NewRaw(`SELECT id, number, kind, label, effective_date, approval_reference, adopt_time FROM budget_versions
		WHERE grant_id = ? AND state = 'adopted' ORDER BY number`, s.Grant.ID).Scan(ctx, &rows)
	if err != nil {
		return db.Err(err)
	}
	for _, v := range rows {
		x := Version{ID: v.ID, Number: v.Number, Kind: v.Kind, Label: v.Label, EffectiveDate: v.EffectiveDate.String,
			ApprovalReference: v.ApprovalReference}
		if v.AdoptTime != nil {
			x.AdoptTime = v.AdoptTime.UTC()
		}
		s.Versions = append(s.Versions, x)
	}
	if n := len(s.Versions); n > 0 {
		s.Version = &s.Versions[n-1]
		s.Baseline = s.Version
		if s.Version.Kind == "transfer" {
			s.Baseline = nil
			for i := n - 2; i >= 0; i-- {
				if k := s.Versions[i].Kind; k == "original" || k == "addendum" {
					s.Baseline = &s.Versions[i]
					break
				}
			}
		}
	}
	return nil
}

// assemble builds the headings and lines: the budget of the latest adopted
// version and of the baseline, the spending per line, what is not
// eligible, the indirect costs at the flat rate, and the computed rows.
func (s *Statement) assemble(ctx context.Context, idb bun.IDB, template []heading, groups []spendGroup) error {
	names, err := lineNames(ctx, idb, s.Grant.ID)
	if err != nil {
		return err
	}
	var current, baseline []line
	if s.Version != nil {
		if current, err = loadLines(ctx, idb, &version{ID: s.Version.ID}); err != nil {
			return err
		}
		baseline = current
		if s.Baseline != nil && s.Baseline != s.Version {
			if baseline, err = loadLines(ctx, idb, &version{ID: s.Baseline.ID}); err != nil {
				return err
			}
		} else if s.Baseline == nil {
			baseline = nil
		}
	}
	ineligible, err := ineligibleByLine(ctx, idb, s.Grant)
	if err != nil {
		return err
	}

	// Rows are keyed by heading and line: a line moved to another heading
	// (or spending recorded under another heading) has a row under each,
	// so that heading totals are those of the expenditures' headings.
	type key struct{ heading, line string }
	rows := map[key]*StatementLine{}
	var order []key
	rank := map[key]int{} // 0: in the budget, 1: baseline only, 2: spending only; then position
	pos := map[key]int{}
	get := func(k key, r, p int) *StatementLine {
		l := rows[k]
		if l == nil {
			n := names[k.line]
			if n.Code == "" {
				n.Code = k.line
			}
			l = &StatementLine{Key: k.line, Code: n.Code, Description: n.Description}
			rows[k], rank[k], pos[k] = l, r, p
			order = append(order, k)
		}
		return l
	}
	for _, bl := range current {
		l := get(key{bl.HeadingCode, bl.LineKey}, 0, bl.Position)
		l.InBudget, l.Budget = true, bl.Total
		l.Code, l.Description = bl.Code, bl.Description
		l.Unit, l.Units, l.UnitCost = bl.Unit, bl.Units, bl.UnitCost
	}
	for _, bl := range baseline {
		l := get(key{bl.HeadingCode, bl.LineKey}, 1, bl.Position)
		l.InBaseline, l.Baseline = true, bl.Total
	}
	for _, x := range byLineSpending(groups) {
		s.RateMissingPeriod += x.MissingPeriod
		s.RateMissingToDate += x.MissingToDate
		if x.CountToDate == 0 {
			continue
		}
		l := get(key{x.Heading, x.LineKey}, 2, 0)
		l.Period, l.ToDate, l.CountPeriod, l.CountToDate = x.Period, x.ToDate, x.CountPeriod, x.CountToDate
	}
	for _, x := range ineligible {
		if x.Amount == 0 {
			continue
		}
		get(key{x.Heading, x.LineKey}, 2, 0).Ineligible += x.Amount
	}

	// The flat rate's claim goes on the indirect heading's first budget
	// line, or on a line of its own.
	var claim *StatementLine
	if s.Indirect.Applies {
		for _, k := range order {
			if k.heading == s.Indirect.HeadingCode && rows[k].InBudget {
				claim = rows[k]
				break
			}
		}
		if claim == nil {
			claim = get(key{s.Indirect.HeadingCode, ""}, 0, 1<<30)
			claim.Code = s.Indirect.HeadingCode
		}
		claim.FlatRate = true
	}

	// Headings: the template's, with the codes it lacks after its last
	// direct heading (as direct cost headings).
	byCode := map[string]*StatementHeading{}
	for _, t := range template {
		h := &StatementHeading{Code: t.Code, Title: t.Title, Kind: t.Kind, InTemplate: true}
		s.Headings = append(s.Headings, h)
		byCode[t.Code] = h
	}
	var unknown []string
	for _, k := range order {
		if byCode[k.heading] == nil {
			byCode[k.heading] = &StatementHeading{Code: k.heading, Title: k.heading, Kind: KindDirect}
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
		extra := make([]*StatementHeading, 0, len(unknown))
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

	// The indirect claim needs the direct costs: add them up first.
	if s.Indirect.Applies {
		var budget int64
		for _, k := range order {
			h := byCode[k.heading]
			l := rows[k]
			switch h.Kind {
			case KindDirect, KindContingency:
				s.Indirect.BasePeriod += l.Period
				s.Indirect.BaseToDate += l.ToDate
			case KindIndirect:
				budget += l.Budget
			}
		}
		s.Indirect.compute(budget, s.Version != nil)
		claim.Period, claim.ToDate = s.Indirect.ClaimedPeriod, s.Indirect.ClaimedToDate
	}

	for _, k := range order {
		h := byCode[k.heading]
		h.Lines = append(h.Lines, *rows[k])
		h.Figures.add(rows[k].Figures)
	}

	// Computed rows add up the cost headings above them.
	hasTotal := false
	var above []*StatementHeading
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
		h := &StatementHeading{Code: "", Kind: KindTotal}
		for _, a := range above {
			h.Parts = append(h.Parts, a.Code)
			h.Figures.add(a.Figures)
		}
		s.Headings = append(s.Headings, h)
		s.Total = h.Figures
	}
	s.flexibility()
	s.contingencyUses(ctx, idb, template)
	return nil
}

func (f *Figures) add(o Figures) {
	f.Baseline += o.Baseline
	f.Budget += o.Budget
	f.Period += o.Period
	f.ToDate += o.ToDate
	f.CountPeriod += o.CountPeriod
	f.CountToDate += o.CountToDate
	f.Ineligible += o.Ineligible
	f.Unverified += o.Unverified
}

// compute works out the flat rate's claim from the base, capped by the
// indirect heading's budget (when a budget is adopted).
func (in *Indirect) compute(budget int64, capped bool) {
	in.Budget = budget
	in.ComputedToDate = bpOf(in.BaseToDate, in.RateBP)
	in.ComputedBefore = bpOf(in.BaseToDate-in.BasePeriod, in.RateBP)
	in.ClaimedToDate, in.ClaimedPeriod = in.ComputedToDate, in.ComputedToDate-in.ComputedBefore
	if capped {
		before := min(in.ComputedBefore, budget)
		in.ClaimedToDate = min(in.ComputedToDate, budget)
		in.ClaimedPeriod = in.ClaimedToDate - before
		in.Capped = in.ComputedToDate > budget
	}
}

// bpOf returns v x bp / 10000 rounded half away from zero.
func bpOf(v, bp int64) int64 { return divRound(v*bp, 10000) }

// flexibility flags the headings (indirect costs aside) whose budget in the
// latest adopted version, a transfer, moved from the baseline by more than
// the rule set's threshold, up or down (|current - baseline| x 10000 >
// threshold x |baseline|; a heading with nothing in the baseline and
// something now).
func (s *Statement) flexibility() {
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
			h.Flex = &Flexibility{Baseline: was, Budget: cur, ThresholdBP: bp, ChangePercent: percent(cur-was, was)}
		}
	}
}

// contingencyUses lists the adopted versions that changed the contingency
// reserve's budget, with their approval references. Errors are ignored
// here only for versions whose lines cannot be read (none in practice).
func (s *Statement) contingencyUses(ctx context.Context, idb bun.IDB, template []heading) {
	code := ""
	for _, h := range template {
		if h.Kind == kindContingency {
			code = h.Code
		}
	}
	if code == "" || len(s.Versions) < 2 {
		return
	}
	var prev int64
	for i := range s.Versions {
		v := &s.Versions[i]
		totals, err := headingTotals(ctx, idb, &version{ID: v.ID})
		if err != nil {
			return
		}
		cur := totals[code]
		if i > 0 && cur != prev {
			s.ContingencyUses = append(s.ContingencyUses, ContingencyUse{Version: *v, Before: prev, After: cur, ApprovalReference: v.ApprovalReference})
		}
		prev = cur
	}
}

// months adds up the accepted spending per month from the grant's start to
// the period's end (widened to any month with spending), with the running
// total.
func (s *Statement) months(groups []spendGroup) {
	per := map[string]int64{}
	for _, x := range groups {
		per[x.Month] += x.Converted
	}
	first := s.Grant.StartDate.String()[:7]
	last := s.To.String()[:7]
	if end := s.Grant.EndDate.String()[:7]; last > end {
		last = end
	}
	for m := range per {
		first, last = min(first, m), max(last, m)
	}
	if len(per) == 0 && last < first {
		return
	}
	var cum int64
	d := calendar.MustParse(first + "-01")
	for m := first; m <= last; {
		cum += per[m]
		s.Months = append(s.Months, Month{Month: m, Spent: per[m], Cumulative: cum})
		d = d.AddMonths(1)
		m = d.String()[:7]
	}
}

// lineAmount is an amount on one heading and line.
type lineAmount struct {
	Heading string `bun:"h"`
	LineKey string `bun:"k"`
	Amount  int64  `bun:"amount"`
}

// ineligibleByLine adds up, per heading and line, the claimed expenditures
// (with a rate) dated outside the implementation period.
func ineligibleByLine(ctx context.Context, idb bun.IDB, g *grant.Grant) ([]lineAmount, error) {
	cond, args := Period(g).Outside()
	var out []lineAmount
	err := idb.NewRaw(`SELECT heading_code AS h, line_key AS k, CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS amount
		FROM expenditures WHERE grant_id = ? AND status IN (?) AND `+cond+` GROUP BY heading_code, line_key ORDER BY 1, 2`,
		append([]any{g.ID, bun.List(eligibility.Claimed)}, args...)...).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// readUnverified adds up the submitted expenditures not yet verified,
// dated inside the implementation period up to the period's end: left out
// when the statement counts verified ones only, shown either way.
func (s *Statement) readUnverified(ctx context.Context, idb bun.IDB) error {
	inside, args := Period(s.Grant).Inside()
	err := idb.NewRaw(`SELECT COUNT(*), CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) FROM expenditures
		WHERE grant_id = ? AND status = ? AND expense_date <= ? AND `+inside,
		append([]any{s.Grant.ID, statusSubmitted, s.To.String()}, args...)...).Scan(ctx, &s.UnverifiedCount, &s.UnverifiedAmount)
	return db.Err(err)
}

// readParties breaks the budget and the counted spending (the groups) down
// per partner and per project, with names, countries and the partners'
// roles.
func (s *Statement) readParties(ctx context.Context, idb bun.IDB, groups []spendGroup) error {
	partners, projects := map[string]*Party{}, map[string]*Party{}
	get := func(m map[string]*Party, id string) *Party {
		if m[id] == nil {
			m[id] = &Party{ID: id}
		}
		return m[id]
	}
	for _, r := range groups {
		for _, p := range []*Party{get(partners, r.Org), get(projects, r.Project.String)} {
			p.ToDate += r.Converted
			p.CountToDate += r.Counted
			if r.InPeriod == 1 {
				p.Period += r.Converted
				p.CountPeriod += r.Counted
			}
		}
	}
	if s.Version != nil {
		var lines []struct {
			Org     sql.NullString `bun:"organisation_id"`
			Project sql.NullString `bun:"project_id"`
			Total   int64          `bun:"total"`
		}
		err := idb.NewRaw(`SELECT organisation_id, project_id, CAST(SUM(total) AS BIGINT) AS total FROM budget_lines
			WHERE budget_version_id = ? GROUP BY organisation_id, project_id`, s.Version.ID).Scan(ctx, &lines)
		if err != nil {
			return db.Err(err)
		}
		for _, l := range lines {
			get(partners, l.Org.String).Budget += l.Total
			get(projects, l.Project.String).Budget += l.Total
		}
	}
	var orgs []struct {
		ID      string `bun:"id"`
		Name    string `bun:"display_name"`
		Country string `bun:"country_code"`
	}
	if ids := sortedKeys(partners); len(ids) > 0 {
		if err := idb.NewRaw("SELECT id, display_name, country_code FROM organisations WHERE id IN (?)", bun.List(ids)).Scan(ctx, &orgs); err != nil {
			return db.Err(err)
		}
	}
	for _, o := range orgs {
		p := partners[o.ID]
		p.Name, p.Country = o.Name, o.Country
	}
	var roles []struct {
		Org  string `bun:"organisation_id"`
		Role string `bun:"role"`
	}
	err := idb.NewRaw(`SELECT pp.organisation_id, pp.role FROM project_participants pp JOIN projects p ON p.id = pp.project_id
		WHERE p.grant_id = ? ORDER BY pp.organisation_id, pp.role`, s.Grant.ID).Scan(ctx, &roles)
	if err != nil {
		return db.Err(err)
	}
	for _, r := range roles {
		if r.Role == "coordinator" {
			// A partner coordinating a project is, in the grant, a
			// co-beneficiary; the grant's coordinator is its lead (below).
			r.Role = "co_beneficiary"
		}
		if p := partners[r.Org]; p != nil && (p.Role == "" || roleRank(r.Role) < roleRank(p.Role)) {
			p.Role = r.Role
		}
	}
	if p := partners[s.Grant.LeadOrganisationID]; p != nil {
		p.Role = "coordinator"
	}
	var projs []struct {
		ID   string `bun:"id"`
		Name string `bun:"name"`
	}
	if ids := sortedKeys(projects); len(ids) > 0 {
		err := idb.NewRaw("SELECT id, CASE WHEN code = '' THEN title ELSE code || ' ' || title END AS name FROM projects WHERE id IN (?)",
			bun.List(ids)).Scan(ctx, &projs)
		if err != nil {
			return db.Err(err)
		}
	}
	for _, p := range projs {
		projects[p.ID].Name = p.Name
	}
	s.Partners, s.Projects = sortParties(partners), sortParties(projects)
	return nil
}

// roleRank orders contractual roles: the most significant first.
func roleRank(role string) int {
	switch role {
	case "coordinator":
		return 0
	case "co_beneficiary":
		return 1
	case "affiliated_entity":
		return 2
	case "associate":
		return 3
	}
	return 4
}

// sortParties returns the parties by name, the one of "none" (ID "") last.
func sortParties(m map[string]*Party) []Party {
	out := make([]Party, 0, len(m))
	for _, p := range m {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].ID == "") != (out[j].ID == "") {
			return out[j].ID == ""
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out
}
