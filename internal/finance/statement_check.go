package finance

import (
	"context"
	"sort"
	"strconv"

	"github.com/uptrace/bun"
)

// CodeIndirectRecorded: expenditures recorded under the indirect heading
// while the grant claims indirect costs at a flat rate.
const CodeIndirectRecorded = "INDIRECT_RECORDED"

// check applies the donor's rules to the statement's figures: heading
// moves beyond the flexibility threshold, the caps on indirect costs and
// contingency (budget and spending), the budget's total, expenditures
// outside the implementation period or charged to associates, headings
// overspent, missing rates, the flat rate's recorded expenditures, and the
// rule for the next pre-financing instalment; violations first.
func (s *Statement) check(ctx context.Context, idb bun.IDB, headings []heading, groups []spendGroup) error {
	g := s.Grant
	k := &checker{g: g, rules: s.Rules, headings: headings, byCode: map[string]heading{}}
	for _, h := range headings {
		k.byCode[h.Code] = h
	}
	budget, baseline, spent := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, h := range s.Headings {
		if h.Computed() {
			continue
		}
		if h.Budget != 0 || hasBudgetLine(h) {
			budget[h.Code] = h.Budget
		}
		if h.Baseline != 0 {
			baseline[h.Code] = h.Baseline
		}
		if h.ToDate != 0 {
			spent[h.Code] = h.ToDate
		}
	}
	if s.Version == nil {
		k.add(CodeNoBudget, Warning, "", map[string]string{},
			"%s has no adopted budget: spending cannot be compared with a budget, nor transfers and caps checked; adopt the original budget first", g.Name())
	} else {
		v := &version{ID: s.Version.ID, Number: s.Version.Number, Kind: s.Version.Kind, Label: s.Version.Label}
		if v.Kind == "transfer" && s.Baseline != nil {
			base := &version{ID: s.Baseline.ID, Number: s.Baseline.Number, Kind: s.Baseline.Kind, Label: s.Baseline.Label}
			k.flexibility(v, base, budget, baseline)
		}
		k.caps("budget", "the adopted budget ("+v.describe()+")", k.byKind(budget))
		k.budgetTotal(v, budget)
	}
	spentKinds := k.byKind(spent)
	if in := s.Indirect; in.Applies && in.RateBP <= s.Rules.IndirectCapBP {
		// Claimed at a flat rate within the cap: rounding the claim to the
		// cent may put it a hair above the cap, which is no breach.
		delete(spentKinds, kindIndirect)
	}
	k.caps("spending", "spending up to "+s.To.String(), spentKinds)
	if err := k.eligibility(ctx, idb); err != nil {
		return err
	}
	if err := k.associates(ctx, idb); err != nil {
		return err
	}
	if s.Version != nil {
		k.overspent(budget, spent)
	}
	missing := map[string]int64{}
	for _, x := range groups {
		if n := x.Count - x.Counted; n > 0 {
			missing[x.Currency] += n
		}
	}
	k.rateMissing(missing)
	if in := s.Indirect; in.Applies && in.RecordedCount > 0 {
		k.add(CodeIndirectRecorded, Warning, in.HeadingCode, map[string]string{
			"count": strconv.FormatInt(in.RecordedCount, 10), "total": k.money(in.RecordedAmount), "heading_code": in.HeadingCode,
		}, "%d expenditure(s) of %s %s are recorded under heading %s, but the grant claims indirect costs at a flat rate, without receipts: they are not claimed; move them to a direct heading or reject them",
			in.RecordedCount, k.money(in.RecordedAmount), g.CurrencyCode, in.HeadingCode)
	}
	pf, err := k.prefinancing(ctx, idb, s.To, s.Total.ToDate)
	if err != nil {
		return err
	}
	s.Prefinancing, s.Payments = pf, pf.Payments
	sort.SliceStable(k.findings, func(i, j int) bool { return k.findings[i].Severity > k.findings[j].Severity })
	s.Findings = k.findings
	return nil
}

// hasBudgetLine reports whether the heading has a line in the budget.
func hasBudgetLine(h *StatementHeading) bool {
	for _, l := range h.Lines {
		if l.InBudget {
			return true
		}
	}
	return false
}
