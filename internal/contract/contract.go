// Package contract sets up a grant from its signed contract in one step:
// the Special Conditions' figures (dates, total eligible costs, maximum EU
// contribution, co-financing rate, reporting period, pre-financing
// schedule, indirect-cost rate, exchange-rate policy), the Annex III budget
// imported from the contract's spreadsheet, and the first project with its
// partners in their roles. Everything is created in one transaction, or
// nothing; the same request with ValidateOnly shows what would be made
// (the budget's lines and problems, the milestones) and writes nothing.
package contract

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rules"
	"github.com/pactum-dev/pactum/internal/sheet"
)

// MaxIndirectRateBP is the highest indirect-cost rate of an EU grant: 7%.
const MaxIndirectRateBP = 700

// MaxPrefinancingBP is the share of the maximum EU contribution that all
// pre-financing instalments together may reach: 90% (the balance is paid
// after the final report).
const MaxPrefinancingBP = 9000

// MaxInstalments caps the pre-financing schedule.
const MaxInstalments = 20

// Instalment is one pre-financing instalment of the Special Conditions, as
// users write it: the date foreseen ("YYYY-MM-DD") and the amount, a
// decimal in the grant currency.
type Instalment struct {
	DueDate string
	Amount  string
}

// Terms are the Special Conditions' figures a grant does not hold itself:
// they go to its rule set and its pre-financing plan.
type Terms struct {
	// IndirectCostRate is the flat rate of indirect costs of the Special
	// Conditions, percent, "7"; "": 7. It becomes the cap of the rule set
	// and, unless Grant.IndirectCostRate is given, the grant's flat rate.
	IndirectCostRate string
	RatePolicy       rules.RatePolicy // "": monthly
	Prefinancing     []Instalment
}

// Request is a grant to make from its contract.
type Request struct {
	Grant    grant.Input
	Terms    Terms
	FileName string // the budget file: .xlsx or .csv
	Content  []byte
	// Project is the first project of the action with its partners; its
	// GrantID is ignored.
	Project *project.Input
	// ValidateOnly checks everything and shows what would be made, and
	// writes nothing. Parts not given yet (the file, the project) are left
	// out of the check; without ValidateOnly they are required.
	ValidateOnly bool
}

// Line is a budget line as imported: the row it came from and the partner
// as written in the file.
type Line struct {
	Row     int
	Input   budget.LineInput // OrganisationID: the partner's, when named
	Total   int64
	Partner string
}

// PlannedInstalment is an instalment of the pre-financing plan as stored.
type PlannedInstalment struct {
	Number  int
	DueDate calendar.Date
	Amount  int64
}

// Result is what was made, or with ValidateOnly what would be. With
// problems in the budget file, nothing is made and Grant is nil on a
// creation.
type Result struct {
	Grant        *grant.Grant
	Project      *project.Project // nil when not given
	Version      *budget.Version  // nil when no file was given or with problems
	Lines        []Line
	Headings     []budget.HeadingTotal
	BudgetTotal  int64
	Problems     []Problem
	Milestones   []*milestone.Milestone
	Prefinancing []PlannedInstalment
	Created      bool
}

// Service makes grants from their contracts. Its exported methods own
// their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
	// Sheets bounds the reading of budget files (zero fields: the
	// defaults; MaxRows at most MaxBudgetRows).
	Sheets sheet.Options
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetTempDir sets the folder where large workbooks are unpacked while they
// are read.
func (s *Service) SetTempDir(dir string) { s.Sheets.TmpDir = dir }

// errRollback ends a transaction that must write nothing (ValidateOnly, or
// problems in the budget) without being an error to the caller.
var errRollback = errors.New("contract: nothing written")

// CreateGrant makes the grant of req with its rule set, pre-financing plan
// and payment-request milestones, its first project with the partners (and
// their progress updates), and its original budget, adopted, from the
// contract's Annex III file; in one transaction, which also writes the
// audit trail, or nothing at all. The budget must add up to the contract's
// total eligible costs and keep within the caps; each problem of the file
// comes back in Result.Problems (and then nothing is made). A retry with
// the same requestID returns what the first call made. Only those who may
// create grants may. Errors: permission, invalid (fields named as in the
// API: grant.*, terms.*, project.*, budget_content), already exists, and
// those of the grant and project packages.
func (s *Service) CreateGrant(ctx context.Context, req Request, requestID string) (*Result, error) {
	c := actor.From(ctx)
	if !policy.MayCreateGrants(c) {
		return nil, errs.PermissionDenied("only coordinators of a lead organisation and admins may create grants; ask a coordinator")
	}
	var v errs.Violations
	indirect, pol := checkTerms(req.Terms, &v)
	if !req.ValidateOnly {
		if len(req.Content) == 0 {
			v.Add("budget_content", "is required: the contract's budget (Annex III) as an .xlsx or .csv file")
		}
		if req.Project == nil {
			v.Add("project", "is required: the first project of the action, with its partners in their roles")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var raw []rawLine
	var readProblems []Problem
	if len(req.Content) > 0 {
		var err error
		if raw, readProblems, err = readBudget(ctx, req.FileName, req.Content, s.Sheets); err != nil {
			return nil, err
		}
	}
	now := s.now()
	build := func(ctx context.Context, tx bun.Tx) (*Result, error) {
		return s.build(ctx, tx, c, req, indirect, pol, raw, readProblems, now)
	}
	if req.ValidateOnly {
		var out *Result
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			r, err := build(ctx, tx)
			if err != nil {
				return err
			}
			out = r
			return errRollback
		})
		if err != nil && !errors.Is(err, errRollback) {
			return nil, err
		}
		return out, nil
	}
	var out *Result
	err := idem.Create(ctx, s.db, "CreateGrantFromContract", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			id, _ := strings.CutPrefix(name, resource.Grants+"/")
			r, err := s.read(ctx, tx, id, now)
			out = r
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			r, err := build(ctx, tx)
			if err != nil {
				return "", err
			}
			out = r
			if len(r.Problems) > 0 {
				return "", errRollback
			}
			r.Created = true
			return r.Grant.Name(), nil
		})
	if errors.Is(err, errRollback) {
		out.Grant, out.Project, out.Version = nil, nil, nil
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkTerms reads the indirect-cost rate (basis points) and the rate
// policy, naming the fields at fault in v.
func checkTerms(t Terms, v *errs.Violations) (int64, rules.RatePolicy) {
	var indirect int64 = MaxIndirectRateBP
	if s := strings.TrimSpace(t.IndirectCostRate); s != "" {
		bp, err := money.ParsePercent(s)
		switch {
		case err != nil:
			v.Add("terms.indirect_cost_rate", "%s", err.Error())
		case bp > MaxIndirectRateBP:
			v.Add("terms.indirect_cost_rate", "is at most 7 (percent of direct eligible costs) in an EU grant; got %s", s)
		default:
			indirect = bp
		}
	}
	pol := t.RatePolicy
	if pol == "" {
		pol = rules.Monthly
	}
	if len(t.Prefinancing) > MaxInstalments {
		v.Add("terms.prefinancing", "has %d instalments; at most %d", len(t.Prefinancing), MaxInstalments)
	}
	return indirect, pol
}

// build makes everything within tx and returns what it made; problems in
// the budget are in the result (the caller rolls back).
func (s *Service) build(ctx context.Context, tx bun.Tx, c actor.Caller, req Request, indirectBP int64, pol rules.RatePolicy,
	raw []rawLine, problems []Problem, now time.Time) (*Result, error) {
	// The Special Conditions' rate is the grant's flat rate of indirect
	// costs, unless the grant gives its own (at most the contract's).
	gin := req.Grant
	if strings.TrimSpace(gin.IndirectCostRate) == "" {
		gin.IndirectCostRate = money.FormatPercent(indirectBP)
	}
	g, err := grant.CreateIn(ctx, tx, c, gin, now)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "grant.")
	}
	if g.IndirectCostRateBP > indirectBP {
		return nil, errs.Invalid(errs.FieldViolation{Field: "grant.indirect_cost_rate", Description: fmt.Sprintf(
			"must be at most terms.indirect_cost_rate, the rate of the Special Conditions (%s percent); got %s",
			money.FormatPercent(indirectBP), money.FormatPercent(g.IndirectCostRateBP))})
	}
	out := &Result{Grant: g, Problems: problems}

	// The rule set: the PRAG defaults with the contract's indirect-cost
	// rate (the cap the budget's indirect costs are held to) and rate policy.
	r := rules.Defaults(g.ID)
	r.IndirectCapBP, r.RatePolicy = indirectBP, pol
	if err := rules.Save(ctx, tx, r, now); err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: budget.RulesName(g.ID), GrantID: g.ID,
		Changes: audit.Diff(tx, nil, r)}); err != nil {
		return nil, err
	}

	plan, err := savePlan(ctx, tx, g, req.Terms.Prefinancing, now)
	if err != nil {
		return nil, err
	}
	out.Prefinancing = plan

	if req.Project != nil {
		in := *req.Project
		in.GrantID = g.ID
		p, err := project.CreateIn(ctx, tx, c, in, now)
		if err != nil {
			return nil, errs.WithFieldPrefix(err, "project.")
		}
		out.Project = p
	}

	if raw != nil || len(problems) > 0 {
		if err := s.budget(ctx, tx, c, out, raw, indirectBP, now); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out.Problems, func(i, j int) bool { return out.Problems[i].Row < out.Problems[j].Row })
	ms, err := milestone.ListIn(ctx, tx, g.ID, calendar.Of(now))
	if err != nil {
		return nil, err
	}
	out.Milestones = ms
	return out, nil
}

// savePlan checks and stores the pre-financing plan, and adds a payment
// request milestone for each instalment after the first (paid on
// signature). Field violations name terms.prefinancing[i].
func savePlan(ctx context.Context, tx bun.Tx, g *grant.Grant, in []Instalment, now time.Time) ([]PlannedInstalment, error) {
	var v errs.Violations
	var out []PlannedInstalment
	var sum int64
	for i, x := range in {
		field := fmt.Sprintf("terms.prefinancing[%d]", i)
		p := PlannedInstalment{Number: i + 1}
		d, err := calendar.Parse(strings.TrimSpace(x.DueDate))
		switch {
		case err != nil:
			v.Add(field+".due_date", "%s", err.Error())
		case i > 0 && !out[i-1].DueDate.IsZero() && d.Before(out[i-1].DueDate):
			v.Add(field+".due_date", "must be on or after instalment %d's date, %s: list the instalments in order", i, out[i-1].DueDate)
		case d.After(g.EndDate):
			v.Add(field+".due_date", "must be before the grant ends, %s (got %s)", g.EndDate, d)
		default:
			p.DueDate = d
		}
		a, err := money.Parse(strings.TrimSpace(x.Amount), g.CurrencyCode)
		switch {
		case err != nil:
			v.Add(field+".amount", "%s", err.Error())
		case a == 0:
			v.Add(field+".amount", "must be more than 0 %s", g.CurrencyCode)
		default:
			p.Amount = a
			sum += a
		}
		out = append(out, p)
	}
	limit := mulBP(g.MaxDonorContribution, MaxPrefinancingBP)
	if sum > limit && !v.Has("terms.prefinancing") {
		v.Add("terms.prefinancing", "instalments come to %s %s, more than 90%% of the maximum EU contribution (%s %s): the balance is paid after the final report",
			money.Format(sum, g.CurrencyCode), g.CurrencyCode, money.Format(limit, g.CurrencyCode), g.CurrencyCode)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	for _, p := range out {
		if _, err := tx.NewRaw("INSERT INTO grant_prefinancing_plan (grant_id, number, due_date, amount) VALUES (?, ?, ?, ?)",
			g.ID, p.Number, p.DueDate, p.Amount).Exec(ctx); err != nil {
			return nil, db.Err(err)
		}
		if p.Number == 1 {
			continue
		}
		// Untitled: the web app names the kind in the reader's language.
		if _, err := milestone.AddIn(ctx, tx, milestone.Input{GrantID: g.ID, Kind: milestone.KindPaymentRequest,
			DueDate: p.DueDate.String(), ResponsibleOrganisationID: g.LeadOrganisationID}, now); err != nil {
			return nil, err
		}
	}
	if len(out) > 0 {
		if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: g.Name() + "/prefinancingPlan", GrantID: g.ID,
			Changes: []audit.Change{{Field: "instalments", New: describePlan(out, g.CurrencyCode)}}}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func describePlan(plan []PlannedInstalment, currency string) string {
	parts := make([]string, len(plan))
	for i, p := range plan {
		parts[i] = fmt.Sprintf("%d: %s %s on %s", p.Number, money.Format(p.Amount, currency), currency, p.DueDate)
	}
	return strings.Join(parts, "; ")
}

// mulBP is a x bp / 10000, rounded down.
func mulBP(a, bp int64) int64 {
	return decimal.NewFromInt(a).Mul(decimal.NewFromInt(bp)).Div(decimal.NewFromInt(10000)).Floor().IntPart()
}

// budget checks the lines read against the grant's template, partners and
// totals, and stores them as the adopted original budget when there is no
// problem. Problems go to out.Problems.
func (s *Service) budget(ctx context.Context, tx bun.Tx, c actor.Caller, out *Result, raw []rawLine, indirectBP int64, now time.Time) error {
	g := out.Grant
	t, err := budget.GrantTemplate(ctx, tx, g.ID)
	if err != nil {
		return err
	}
	checked, problems, sum := checkLines(raw, t, g.CurrencyCode)
	out.Problems = append(out.Problems, problems...)
	partnerProblems, err := resolvePartners(ctx, tx, g, out.Project, checked)
	if err != nil {
		return err
	}
	out.Problems = append(out.Problems, partnerProblems...)

	firstRow := map[string]int{}
	for _, l := range raw {
		if _, ok := firstRow[l.heading]; !ok {
			firstRow[l.heading] = l.row
		}
	}
	for _, l := range checked {
		out.Lines = append(out.Lines, Line{Row: l.row, Input: l.input, Total: l.total, Partner: l.raw.partner})
	}
	// The totals count every line whose amounts could be read: a line with
	// an unknown partner still counts towards the contract's total.
	out.Headings, out.BudgetTotal = budget.Totals(t, sum.byHeading)
	if sum.complete && len(raw) > 0 {
		out.Problems = append(out.Problems, checkTotals(out.Headings, out.BudgetTotal, g, indirectBP, firstRow)...)
	}
	// Without the project (a preview of the budget step) the partners of
	// the action are not known yet: the lines are checked, not stored.
	if len(out.Problems) > 0 || len(checked) == 0 || out.Project == nil {
		return nil
	}
	inputs := make([]budget.LineInput, len(checked))
	for i, l := range checked {
		inputs[i] = l.input
	}
	v, err := budget.CreateAdoptedOriginalIn(ctx, tx, c, g.ID, "", inputs, now)
	var e *errs.Error
	if errors.As(err, &e) && e.Kind == errs.KindInvalid {
		// A rule of the budget's lines the checks above do not know: on its row.
		for _, fv := range e.Violations {
			row := 0
			var i int
			var rest string
			if n, _ := fmt.Sscanf(fv.Field, "lines[%d].%s", &i, &rest); n >= 1 && i >= 0 && i < len(checked) {
				row = checked[i].row
			}
			out.Problems = append(out.Problems, problem(row, lineColumns[rest], ProblemInvalid, map[string]string{"detail": fv.Description}, "%s", fv.Description))
		}
		return nil
	}
	if err != nil {
		return err
	}
	out.Version = v
	return nil
}

// lineColumns are the file's columns of the budget line's fields.
var lineColumns = map[string]string{"heading_code": "heading", "code": "line", "description": "description", "unit": "unit",
	"units": "units", "unit_cost": "unit_cost", "organisation": "partner", "project": "partner"}

// checkTotals checks the budget as a whole: its total against the
// contract's total eligible costs, and the caps on indirect costs (the
// contract's rate, indirectCap) and the contingency reserve. Problems are on the first row of the heading at
// fault (0 for the total).
func checkTotals(hs []budget.HeadingTotal, total int64, g *grant.Grant, indirectCap int64, firstRow map[string]int) []Problem {
	var out []Problem
	cur := g.CurrencyCode
	if total != g.TotalEligibleCosts {
		out = append(out, problem(0, "total", ProblemTotalMismatch,
			map[string]string{"budget_total": money.Format(total, cur), "total_eligible_costs": money.Format(g.TotalEligibleCosts, cur)},
			"the budget comes to %s %s, but the contract's total eligible costs are %s %s: the budget must add up to them",
			money.Format(total, cur), cur, money.Format(g.TotalEligibleCosts, cur), cur))
	}
	r := rules.Defaults(g.ID)
	var subtotal, totalDirect int64
	for _, h := range hs {
		switch h.Kind {
		case budget.KindSubtotal:
			subtotal = h.Total
		case budget.KindTotalDirect:
			totalDirect = h.Total
		}
	}
	for _, h := range hs {
		var base, capBP int64
		var code string
		switch h.Kind {
		case budget.KindIndirect:
			base, capBP, code = totalDirect, indirectCap, ProblemIndirectCap
		case budget.KindContingency:
			base, capBP, code = subtotal, r.ContingencyCapBP, ProblemContingencyCap
		default:
			continue
		}
		// Exactly: part x 10000 > cap x base.
		if h.Total == 0 || decimal.NewFromInt(h.Total).Mul(decimal.NewFromInt(10000)).LessThanOrEqual(decimal.NewFromInt(capBP).Mul(decimal.NewFromInt(base))) {
			continue
		}
		pct := budget.Percent(h.Total, base)
		out = append(out, problem(firstRow[h.Code], "total", code,
			map[string]string{"heading": h.Code, "amount": money.Format(h.Total, cur), "percent": pct, "cap_percent": money.FormatPercent(capBP)},
			"heading %s (%s) comes to %s %s, %s%% of its base, above the cap of %s%%", h.Code, h.Title, money.Format(h.Total, cur), cur, pct, money.FormatPercent(capBP)))
	}
	return out
}

// resolvePartners matches each line's partner, as written, to an
// organisation (by short name, name or organisations/{id}, ignoring case
// and accents) that takes part in the action: the lead, or a participant
// of the project when one is given.
func resolvePartners(ctx context.Context, tx bun.IDB, g *grant.Grant, p *project.Project, lines []checkedLine) ([]Problem, error) {
	var problems []Problem
	found := map[string]string{} // partner as written (folded) -> organisation id; "" when unknown
	ambiguous := map[string]bool{}
	for _, l := range lines {
		name := strings.TrimSpace(l.raw.partner)
		key := organisation.SearchKey(name)
		if name == "" {
			continue
		}
		if _, done := found[key]; done {
			continue
		}
		id, many, err := findOrganisation(ctx, tx, name)
		if err != nil {
			return nil, err
		}
		found[key], ambiguous[key] = id, many
	}
	inAction := map[string]bool{g.LeadOrganisationID: true}
	if p != nil {
		for _, pt := range p.Participants {
			inAction[pt.OrganisationID] = true
		}
	}
	for i := range lines {
		l := &lines[i]
		name := strings.TrimSpace(l.raw.partner)
		if name == "" {
			continue
		}
		key := organisation.SearchKey(name)
		args := map[string]string{"partner": name}
		switch id := found[key]; {
		case ambiguous[key]:
			problems = append(problems, problem(l.row, "partner", ProblemAmbiguousPartner, args,
				"%q names more than one organisation; write its short name or organisations/{id}", name))
		case id == "":
			problems = append(problems, problem(l.row, "partner", ProblemUnknownPartner, args,
				"%q is no organisation known to Pactum; add it to the organisations first, or correct the name", name))
		case p != nil && !inAction[id]:
			problems = append(problems, problem(l.row, "partner", ProblemPartnerNotInAction, args,
				"%q is neither the lead nor a partner of the project; add it to the partners, or correct the name", name))
		default:
			l.input.OrganisationID = id
		}
	}
	return problems, nil
}

// findOrganisation finds the organisation name names: its id, or its
// short name or name ignoring case and accents. many is true when several
// match.
func findOrganisation(ctx context.Context, tx bun.IDB, name string) (id string, many bool, err error) {
	if rest, ok := strings.CutPrefix(name, resource.Organisations+"/"); ok {
		var ids []string
		if err := tx.NewSelect().Table("organisations").Column("id").Where("id = ?", rest).Scan(ctx, &ids); err != nil {
			return "", false, db.Err(err)
		}
		if len(ids) == 1 {
			return ids[0], false, nil
		}
		return "", false, nil
	}
	key := organisation.SearchKey(name)
	var rows []struct {
		ID          string `bun:"id"`
		DisplayName string `bun:"display_name"`
		ShortName   string `bun:"short_name"`
	}
	like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(key) + "%"
	if err := tx.NewSelect().Table("organisations").Column("id", "display_name", "short_name").
		Where(`search_name LIKE ? ESCAPE '\'`, like).Limit(50).Scan(ctx, &rows); err != nil {
		return "", false, db.Err(err)
	}
	var match []string
	for _, r := range rows {
		if organisation.SearchKey(r.ShortName) == key || organisation.SearchKey(r.DisplayName) == key {
			match = append(match, r.ID)
		}
	}
	switch len(match) {
	case 0:
		return "", false, nil
	case 1:
		return match[0], false, nil
	}
	return "", true, nil
}

// read returns what an earlier call made of grant id, for a retry.
func (s *Service) read(ctx context.Context, tx bun.Tx, id string, now time.Time) (*Result, error) {
	g, err := grant.Get(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	out := &Result{Grant: g, Created: true}
	var pid string
	err = tx.NewRaw("SELECT id FROM projects WHERE grant_id = ? ORDER BY create_time, id LIMIT 1", id).Scan(ctx, &pid)
	if err == nil {
		if out.Project, err = project.Get(ctx, tx, pid); err != nil {
			return nil, err
		}
	}
	if out.Milestones, err = milestone.ListIn(ctx, tx, id, calendar.Of(now)); err != nil {
		return nil, err
	}
	return out, nil
}
