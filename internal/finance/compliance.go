package finance

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/rules"
)

// Severity is how serious a finding is.
type Severity int

const (
	Info      Severity = 1
	Warning   Severity = 2
	Violation Severity = 3 // breaks a donor rule
)

// Stable codes of the findings.
const (
	CodeFlexibilityExceeded    = "FLEXIBILITY_EXCEEDED"
	CodeIndirectCapExceeded    = "INDIRECT_CAP_EXCEEDED"
	CodeContingencyCapExceeded = "CONTINGENCY_CAP_EXCEEDED"
	CodeOutsideEligibility     = "OUTSIDE_ELIGIBILITY"
	CodeRateMissing            = "RATE_MISSING"
	CodeOverspentHeading       = "OVERSPENT_HEADING"
	CodeNoBudget               = "NO_BUDGET"
	CodePrefinancingAllowed    = "PREFINANCING_ALLOWED"
	CodePrefinancingNotYet     = "PREFINANCING_NOT_YET"
	CodePrefinancingCapReached = "PREFINANCING_CAP_REACHED"
	CodeBudgetTotalMismatch    = "BUDGET_TOTAL_MISMATCH"
	CodeAssociateCosts         = "ASSOCIATE_COSTS"
)

// Finding is one result of the compliance check.
type Finding struct {
	Code        string
	Severity    Severity
	Message     string // an English sentence with the figures
	HeadingCode string // the heading concerned, if any
	// Args are the figures of the message by name; amounts are decimal
	// strings in the grant currency, percentages have two decimals.
	Args map[string]string
}

// Prefinancing says whether the next pre-financing instalment may be
// requested. Amounts are minor units of the grant currency.
type Prefinancing struct {
	MayRequest     bool
	NextInstalment int
	Spent          int64         // submitted and verified spending, converted, up to the date
	Required       int64         // the EU part of spending needed: the threshold share of the last instalment plus all earlier ones
	EstimatedDate  calendar.Date // when the EU part reaches Required at the current monthly burn; zero when reached or no burn
	// Payments is the whole rule: the EU part, the shortfall, the plan,
	// the 90% cap and what may be requested.
	Payments Payments
}

// Compliance is the result of the compliance check.
type Compliance struct {
	GrantID      string
	Currency     string
	Findings     []Finding // violations first, then warnings, then information
	Prefinancing Prefinancing
	AsOf         calendar.Date
}

// CheckCompliance checks the grant against its rule set as of asOf ("" is
// today): heading moves in a transfer beyond the flexibility threshold
// (against the latest original or addendum), the caps on indirect costs
// and contingency (in the latest adopted budget and in spending),
// expenditures outside the implementation period, missing rates, headings
// overspent, and whether the next pre-financing instalment may be
// requested.
//
// Only the grant's coordinators, finance staff and auditors (and admins)
// may ask. Errors: invalid (as_of), not found (a grant the caller may not
// read), permission (a partner of the grant).
func (s *Service) CheckCompliance(ctx context.Context, grantID, asOf string) (*Compliance, error) {
	day, err := s.asOf(asOf, "as_of")
	if err != nil {
		return nil, err
	}
	c := actor.From(ctx)
	var out *Compliance
	err = s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		g, err := readFull(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		out, err = check(ctx, tx, g, day)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checker gathers findings for one grant.
type checker struct {
	g        *grant.Grant
	rules    *rules.Rules
	headings []heading
	byCode   map[string]heading
	findings []Finding
}

func (k *checker) money(v int64) string { return money.Format(v, k.g.CurrencyCode) }

func (k *checker) add(code string, sev Severity, headingCode string, args map[string]string, format string, a ...any) {
	k.findings = append(k.findings, Finding{Code: code, Severity: sev, HeadingCode: headingCode, Args: args,
		Message: fmt.Sprintf(format, a...)})
}

// headingLabel is "2 Travel", or the bare code of a heading the template
// does not have.
func (k *checker) headingLabel(code string) string {
	if h, ok := k.byCode[code]; ok {
		return h.label()
	}
	return code
}

// byKind adds up amounts per heading code into the template's kinds.
func (k *checker) byKind(amounts map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for code, v := range amounts {
		if h, ok := k.byCode[code]; ok {
			out[h.Kind] += v
		}
	}
	return out
}

// codeOfKind returns the code of the template's only heading of kind, or "".
func (k *checker) codeOfKind(kind string) string {
	code := ""
	for _, h := range k.headings {
		if h.Kind == kind {
			if code != "" {
				return ""
			}
			code = h.Code
		}
	}
	return code
}

// costCodes returns the heading codes that hold costs (not computed rows),
// in template order, then codes of amounts the template does not have.
func (k *checker) costCodes(skipKind string, amounts ...map[string]int64) []string {
	var out []string
	for _, h := range k.headings {
		if !h.computed() && h.Kind != skipKind {
			out = append(out, h.Code)
		}
	}
	var other []string
	seen := map[string]bool{}
	for _, m := range amounts {
		for code := range m {
			if _, ok := k.byCode[code]; !ok && !seen[code] {
				other, seen[code] = append(other, code), true
			}
		}
	}
	sort.Strings(other)
	return append(out, other...)
}

func check(ctx context.Context, tx bun.IDB, g *grant.Grant, asOf calendar.Date) (*Compliance, error) {
	s, err := StatementIn(ctx, tx, g, StatementQuery{From: g.StartDate, To: asOf, Today: asOf})
	if err != nil {
		return nil, err
	}
	return &Compliance{GrantID: g.ID, Currency: g.CurrencyCode, Findings: s.Findings, Prefinancing: s.Prefinancing, AsOf: asOf}, nil
}

// flexibility flags each heading (indirect costs aside) whose budget in the
// transfer v moved from the baseline (the latest original or addendum
// before it) by more than the flexibility threshold, up or down. Comparing
// with the baseline, not with the previous transfer, makes the rule
// cumulative. The comparison is exact: |current - baseline| x 10000 >
// threshold_bp x baseline.
func (k *checker) flexibility(v, base *version, current, baseline map[string]int64) {
	bp := k.rules.FlexibilityBP
	for _, code := range k.costCodes(kindIndirect, current, baseline) {
		cur, was := current[code], baseline[code]
		args := map[string]string{
			"heading_code": code, "heading": k.headingLabel(code), "budget": k.money(cur), "baseline": k.money(was),
			"threshold_percent": rules.Percent(bp), "version": strconv.Itoa(v.Number), "baseline_version": strconv.Itoa(base.Number),
		}
		switch {
		case was == 0 && cur != 0:
			args["change_percent"] = ""
			k.add(CodeFlexibilityExceeded, Violation, code, args,
				"Heading %s has %s %s in %s but nothing in the baseline %s: a new heading needs an addendum, not a transfer",
				k.headingLabel(code), k.money(cur), k.g.CurrencyCode, v.describe(), base.describe())
		case was != 0 && exceeds(abs(cur-was), abs(was), bp):
			change := percent(cur-was, was)
			args["change_percent"] = change
			k.add(CodeFlexibilityExceeded, Violation, code, args,
				"Heading %s moved by %s%% (from %s to %s %s) between the baseline %s and %s, beyond the %s%% allowed without an addendum",
				k.headingLabel(code), change, k.money(was), k.money(cur), k.g.CurrencyCode, base.describe(), v.describe(), rules.Percent(bp))
		}
	}
}

// budgetTotal flags an adopted budget whose total differs from the
// contract's total eligible costs (the grant's): the budget annexed to the
// contract, and every addendum, must add up to them.
func (k *checker) budgetTotal(v *version, budget map[string]int64) {
	var total int64
	for _, x := range budget {
		total += x
	}
	if total == k.g.TotalEligibleCosts {
		return
	}
	k.add(CodeBudgetTotalMismatch, Violation, "", map[string]string{
		"budget_total": k.money(total), "total_eligible_costs": k.money(k.g.TotalEligibleCosts),
		"difference": k.money(total - k.g.TotalEligibleCosts), "version": strconv.Itoa(v.Number),
	}, "The adopted budget (%s) comes to %s %s, but the contract's total eligible costs are %s %s: the budget must add up to them (change the budget by an addendum, or correct the grant's total)",
		v.describe(), k.money(total), k.g.CurrencyCode, k.money(k.g.TotalEligibleCosts), k.g.CurrencyCode)
}

// caps flags indirect costs above their cap of total direct costs, and the
// contingency reserve above its cap of the subtotal, in amounts per kind of
// heading (of the budget or of spending, as basis says), exactly:
// part x 10000 > cap_bp x base.
func (k *checker) caps(basis, what string, kinds map[string]int64) {
	subtotal := kinds[kindDirect]
	totalDirect := subtotal + kinds[kindContingency]
	check := func(code, name string, part, base int64, capBP int64, baseName string) {
		if part == 0 || !exceeds(part, base, capBP) {
			return
		}
		pct := percent(part, base)
		args := map[string]string{"basis": basis, "amount": k.money(part), "base": k.money(base),
			"percent": pct, "cap_percent": rules.Percent(capBP)}
		hc := k.codeOfKind(map[string]string{CodeIndirectCapExceeded: kindIndirect, CodeContingencyCapExceeded: kindContingency}[code])
		if hc != "" {
			args["heading_code"] = hc
		}
		if base == 0 {
			k.add(code, Violation, hc, args, "In %s, %s of %s %s stand against no %s at all; the cap is %s%% of it",
				what, name, k.money(part), k.g.CurrencyCode, baseName, rules.Percent(capBP))
			return
		}
		k.add(code, Violation, hc, args, "In %s, %s of %s %s are %s%% of the %s (%s %s), above the cap of %s%%",
			what, name, k.money(part), k.g.CurrencyCode, pct, baseName, k.money(base), k.g.CurrencyCode, rules.Percent(capBP))
	}
	check(CodeIndirectCapExceeded, "indirect costs", kinds[kindIndirect], totalDirect, k.rules.IndirectCapBP, "total direct eligible costs")
	check(CodeContingencyCapExceeded, "the contingency reserve", kinds[kindContingency], subtotal, k.rules.ContingencyCapBP, "subtotal of direct eligible costs")
}

// eligibility flags the claimed expenditures (submitted or verified,
// whatever their date relative to the check's date) dated before the
// grant's start or after its end: those budget versus actual and the
// reports list as not eligible and never count (package eligibility).
func (k *checker) eligibility(ctx context.Context, tx bun.IDB) error {
	row, err := eligibility.Outside(ctx, tx, k.g.ID, Period(k.g))
	if err != nil {
		return err
	}
	if row.Count == 0 {
		return nil
	}
	start, end := k.g.StartDate.String(), k.g.EndDate.String()
	k.add(CodeOutsideEligibility, Violation, "", map[string]string{
		"count": strconv.FormatInt(row.Count, 10), "before_start": strconv.FormatInt(row.Before, 10),
		"after_end": strconv.FormatInt(row.After, 10), "total": k.money(row.Converted), "with_rate": strconv.FormatInt(row.WithRate, 10),
		"start_date": start, "end_date": end,
	}, "%d expenditure(s) (%d before %s, %d after %s) fall outside the implementation period and are not eligible; "+
		"they are not counted, and the %d with a rate come to %s %s",
		row.Count, row.Before, start, row.After, end, row.WithRate, k.money(row.Converted), k.g.CurrencyCode)
	return nil
}

// associates flags expenditures (not rejected) charged to an organisation
// that takes part in the action only as an associate, whose costs are not
// eligible: in the expenditure's project, or in every project it is in when
// the expenditure names none. Recording them is refused (internal/expenditure);
// those recorded before the organisation became an associate are found here.
func (k *checker) associates(ctx context.Context, tx bun.IDB) error {
	// Most grants have no associate: then there is nothing to add up.
	var found []int
	if err := tx.NewRaw(`SELECT 1 FROM project_participants AS pp JOIN projects AS p ON p.id = pp.project_id
		WHERE p.grant_id = ? AND pp.role = 'associate' LIMIT 1`, k.g.ID).Scan(ctx, &found); err != nil {
		return db.Err(err)
	}
	if len(found) == 0 {
		return nil
	}
	var err error
	var row struct {
		Count int64 `bun:"n"`
		Total int64 `bun:"total"`
	}
	err = tx.NewRaw(`SELECT COUNT(*) AS n, CAST(COALESCE(SUM(e.converted_amount), 0) AS BIGINT) AS total
		FROM expenditures AS e
		WHERE e.grant_id = ? AND e.status <> ? AND e.organisation_id <> ?
		AND EXISTS (SELECT 1 FROM project_participants AS pp JOIN projects AS p ON p.id = pp.project_id
			WHERE p.grant_id = e.grant_id AND pp.organisation_id = e.organisation_id AND pp.role = 'associate'
			AND (e.project_id IS NULL OR pp.project_id = e.project_id))
		AND NOT EXISTS (SELECT 1 FROM project_participants AS pp JOIN projects AS p ON p.id = pp.project_id
			WHERE p.grant_id = e.grant_id AND pp.organisation_id = e.organisation_id AND pp.role <> 'associate'
			AND (e.project_id IS NULL OR pp.project_id = e.project_id))`,
		k.g.ID, statusRejected, k.g.LeadOrganisationID).Scan(ctx, &row)
	if err != nil {
		return db.Err(err)
	}
	if row.Count == 0 {
		return nil
	}
	k.add(CodeAssociateCosts, Violation, "", map[string]string{
		"count": strconv.FormatInt(row.Count, 10), "total": k.money(row.Total),
	}, "%d expenditure(s), %s %s with a rate, are charged to associates, whose costs are not eligible",
		row.Count, k.money(row.Total), k.g.CurrencyCode)
	return nil
}

// overspent warns of each heading whose spending is above its budget.
func (k *checker) overspent(budget, spent map[string]int64) {
	for _, code := range k.costCodes("", budget, spent) {
		b, s := budget[code], spent[code]
		if s <= b {
			continue
		}
		args := map[string]string{"heading_code": code, "heading": k.headingLabel(code), "budget": k.money(b),
			"spent": k.money(s), "over": k.money(s - b), "percent_spent": percent(s, b)}
		k.add(CodeOverspentHeading, Warning, code, args, "Heading %s has spent %s %s against a budget of %s %s: %s %s over",
			k.headingLabel(code), k.money(s), k.g.CurrencyCode, k.money(b), k.g.CurrencyCode, k.money(s-b), k.g.CurrencyCode)
	}
}

// rateMissing warns of the expenditures that would count but are left out
// of the totals because no rate applies, by currency (missing: counts by
// currency code).
func (k *checker) rateMissing(missing map[string]int64) {
	if len(missing) == 0 {
		return
	}
	var n int64
	cur := sortedKeys(missing)
	for _, c := range cur {
		n += missing[c]
	}
	k.add(CodeRateMissing, Warning, "", map[string]string{"count": strconv.FormatInt(n, 10), "currencies": strings.Join(cur, ", ")},
		"%d expenditure(s) in %s have no exchange rate and are left out of every total; record the missing rates",
		n, strings.Join(cur, ", "))
}

// prefinancing applies the rule for further pre-financing (computePayments)
// to spent, the costs accepted to date: with instalments p1..pn received,
// instalment n+1 may be requested once the part of spending the EU
// finances (spent x the co-financing rate) reaches threshold x pn + (p1 +
// ... + pn-1); otherwise it is reduced by the shortfall. Pre-financing in
// all is at most 90% of the maximum contribution. Before any instalment,
// the first comes with the signature.
func (k *checker) prefinancing(ctx context.Context, tx bun.IDB, asOf calendar.Date, spent int64) (Prefinancing, error) {
	burn := monthlyBurn(k.g, spent, asOf)
	p, err := computePayments(ctx, tx, k.g, k.rules, spent, burn, asOf)
	if err != nil {
		return Prefinancing{}, err
	}
	n := len(p.Received)
	st := Prefinancing{MayRequest: p.MayRequest, NextInstalment: p.Next, Spent: spent, Required: p.Required,
		EstimatedDate: p.EstimatedDate, Payments: p}
	cur := k.g.CurrencyCode
	args := map[string]string{
		"next_instalment": strconv.Itoa(p.Next), "received": strconv.Itoa(n), "spent": k.money(spent),
		"eu_part": k.money(p.EUPart), "co_financing_percent": rules.Percent(p.CoFinancingRateBP),
		"required": k.money(p.Required), "shortfall": k.money(p.Shortfall), "requestable": k.money(p.Requestable),
		"next_planned": k.money(p.NextPlanned), "cap": k.money(p.Cap), "cap_room": k.money(p.CapRoom),
		"cap_percent": rules.Percent(p.CapBP), "received_total": k.money(p.ReceivedTotal),
		"threshold_percent": rules.Percent(p.ThresholdBP),
	}
	if n == 0 {
		k.add(CodePrefinancingAllowed, Info, "", args,
			"No pre-financing instalment has been recorded: the first instalment is paid on signature of the grant, "+
				"without a spending threshold; record it here once received")
		return st, nil
	}
	last := p.Received[n-1].Amount
	args["last_instalment"] = k.money(last)
	args["earlier_instalments"] = k.money(p.ReceivedTotal - last)
	part := fmt.Sprintf("the EU part of spending, %s %s (%s%% of %s %s),", k.money(p.EUPart), cur, rules.Percent(p.CoFinancingRateBP), k.money(spent), cur)
	req := fmt.Sprintf("the %s %s required (%s%% of instalment %d, %s %s, plus the earlier instalments, %s %s)",
		k.money(p.Required), cur, rules.Percent(p.ThresholdBP), n, k.money(last), cur, k.money(p.ReceivedTotal-last), cur)
	if p.CapRoom == 0 {
		k.add(CodePrefinancingCapReached, Info, "", args,
			"No further pre-financing may be requested: the %s %s received reach %s%% of the maximum EU contribution (%s %s); the balance is paid after the final report",
			k.money(p.ReceivedTotal), cur, rules.Percent(p.CapBP), k.money(p.Cap), cur)
		return st, nil
	}
	if p.MayRequest && p.NextPlanned == 0 {
		k.add(CodePrefinancingAllowed, Info, "", args, "Instalment %d may be requested: %s reaches %s; the plan gives no amount for it", p.Next, part, req)
		return st, nil
	}
	if p.MayRequest {
		k.add(CodePrefinancingAllowed, Info, "", args,
			"Instalment %d may be requested: %s reaches %s; %s %s may be requested (the plan's %s %s, at most the %s %s left under the %s%% cap)",
			p.Next, part, req, k.money(p.Requestable), cur, k.money(p.NextPlanned), cur, k.money(p.CapRoom), cur, rules.Percent(p.CapBP))
		return st, nil
	}
	args["missing"] = k.money(p.Shortfall)
	args["monthly_burn"] = k.money(burn)
	when := ""
	if !p.EstimatedDate.IsZero() {
		args["estimated_date"] = p.EstimatedDate.String()
		when = fmt.Sprintf("; at the current burn of %s %s a month, the full amount around %s", k.money(burn), cur, p.EstimatedDate)
	}
	if p.NextPlanned == 0 {
		k.add(CodePrefinancingNotYet, Info, "", args,
			"Instalment %d may be requested only at a reduced amount: %s is %s %s short of %s, and the instalment will be reduced by that much; the plan gives no amount for it%s",
			p.Next, part, k.money(p.Shortfall), cur, req, when)
		return st, nil
	}
	k.add(CodePrefinancingNotYet, Info, "", args,
		"Instalment %d may be requested only at a reduced amount: %s is %s %s short of %s, so the plan's %s %s is reduced to %s %s%s",
		p.Next, part, k.money(p.Shortfall), cur, req, k.money(p.NextPlanned), cur, k.money(p.Requestable), cur, when)
	return st, nil
}

// daysPerMonth is the average month, 365.25 / 12 = 30.4375 = 1461/48 days.
const daysPerMonthNum, daysPerMonthDen = 1461, 48

// ceilDiv returns a / b rounded up, for a >= 0 and b > 0.
func ceilDiv(a, b *big.Int) int64 {
	q, m := new(big.Int).QuoRem(a, b, new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

// CheckComplianceIn is CheckCompliance within idb, a transaction the caller
// owns (one snapshot for a whole report), for a grant the caller has
// already been allowed to read in full.
func CheckComplianceIn(ctx context.Context, idb bun.IDB, g *grant.Grant, asOf calendar.Date) (*Compliance, error) {
	return check(ctx, idb, g, asOf)
}
