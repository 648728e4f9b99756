package finance_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/rules"
)

// check runs the compliance check as of asOf and returns the findings with
// the given code as "heading: arg=value ..." lines (args sorted by name).
func check(t *testing.T, f *fixture, grantID, asOf string) *finance.Compliance {
	t.Helper()
	c, err := f.svc.CheckCompliance(f.ctx, grantID, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func findings(c *finance.Compliance, code string, args ...string) []string {
	var out []string
	for _, f := range c.Findings {
		if f.Code != code {
			continue
		}
		var parts []string
		for _, a := range args {
			parts = append(parts, a+"="+f.Args[a])
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

func codes(c *finance.Compliance) string {
	var out []string
	for _, f := range c.Findings {
		out = append(out, f.Code)
	}
	return strings.Join(out, " ")
}

// The PRAG flexibility rule: a transfer between headings may move no
// heading's total by more than 25% from the latest original or addendum,
// counted cumulatively. Baseline: heading 1 100,000.00, 2 10,000.00, 3
// 5,000.00, contingency 5,000.00, indirect 8,000.00.
func TestComplianceFlexibility(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		base := map[string]int64{"1": 100000_00, "2": 10000_00, "3": 5000_00, "8": 5000_00, "10": 8000_00}
		with := func(changes map[string]int64) map[string]int64 {
			out := map[string]int64{}
			for k, v := range base {
				out[k] = v
			}
			for k, v := range changes {
				out[k] = v
			}
			return out
		}
		flex := func(t *testing.T, g string) []string {
			return findings(check(t, f, g, "2025-06-30"), finance.CodeFlexibilityExceeded, "heading_code", "change_percent", "baseline", "budget", "threshold_percent")
		}
		cases := []struct {
			name string
			// the versions after the original, in order: kind, state, totals
			versions []func(g string, n int)
			want     []string
		}{
			// 10,000.00 -> 12,600.00: (12,600 - 10,000) / 10,000 = +26% > 25%.
			{"heading 2 raised by 26% is flagged", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 97400_00, "2": 12600_00}))
				}},
				[]string{"heading_code=2 change_percent=26.00 baseline=10000.00 budget=12600.00 threshold_percent=25.00"}},
			// +24%: within the rule (heading 1 moves by -2.4%).
			{"heading 2 raised by 24% is not", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 97600_00, "2": 12400_00}))
				}}, nil},
			// Exactly +25%: 2,500.00 x 10000 = 25,000,000 = 2500 x 10,000.00
			// (in cents both sides: 250000 x 10000 = 2500 x 1000000): not above.
			{"heading 2 raised by exactly 25% is not", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 97500_00, "2": 12500_00}))
				}}, nil},
			// One cent more: 250001 x 10000 > 2500 x 1000000, shown as 25.00%.
			{"one cent above 25% is flagged", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 97499_99, "2": 12500_01}))
				}},
				[]string{"heading_code=2 change_percent=25.00 baseline=10000.00 budget=12500.01 threshold_percent=25.00"}},
			// Down by 26% is flagged as well.
			{"heading 2 lowered by 26% is flagged", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 102600_00, "2": 7400_00}))
				}},
				[]string{"heading_code=2 change_percent=-26.00 baseline=10000.00 budget=7400.00 threshold_percent=25.00"}},
			// Two transfers of +20% and then +5% of the baseline: each step
			// is small, but together +26% against the original.
			{"cumulative over two transfers", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 98000_00, "2": 12000_00}))
				},
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 97400_00, "2": 12600_00}))
				}},
				[]string{"heading_code=2 change_percent=26.00 baseline=10000.00 budget=12600.00 threshold_percent=25.00"}},
			// An addendum is the new baseline: 12,600.00 -> 13,000.00 is +3.17%.
			{"an addendum resets the baseline", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "addendum", "adopted", with(map[string]int64{"1": 97400_00, "2": 12600_00}))
				},
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 97000_00, "2": 13000_00}))
				}}, nil},
			// Heading 4 had nothing: any amount is flagged (no percentage).
			{"a heading added from zero", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 99000_00, "4": 1000_00}))
				}},
				[]string{"heading_code=4 change_percent= baseline=0.00 budget=1000.00 threshold_percent=25.00"}},
			// Contingency counts; indirect costs (a share of the direct
			// costs) do not: 5,000.00 -> 6,500.00 is +30%, 8,000.00 ->
			// 10,400.00 is +30% too.
			{"contingency checked, indirect costs not", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "adopted", with(map[string]int64{"1": 98500_00, "8": 6500_00, "10": 10400_00}))
				}},
				[]string{"heading_code=8 change_percent=30.00 baseline=5000.00 budget=6500.00 threshold_percent=25.00"}},
			// A draft transfer is not compared; an adopted addendum is not a
			// transfer and needs no check.
			{"drafts and addenda are not checked", []func(string, int){
				func(g string, n int) {
					f.headings(t, g, n, "addendum", "adopted", with(map[string]int64{"2": 20000_00}))
				},
				func(g string, n int) {
					f.headings(t, g, n, "transfer", "draft", with(map[string]int64{"2": 40000_00}))
				}}, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				g := f.grant(t)
				f.headings(t, g, 0, "original", "adopted", base)
				for i, v := range tc.versions {
					v(g, i+1)
				}
				if got := flex(t, g); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("flexibility findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
			})
		}

		// Another donor's 15% threshold: +16% is flagged.
		t.Run("the grant's own threshold", func(t *testing.T) {
			g := f.grant(t)
			r := rules.Defaults(g)
			r.FlexibilityBP = 1500
			if err := d.RunInTx(f.ctx, nil, func(ctx context.Context, tx bun.Tx) error { return rules.Save(ctx, tx, r, time.Now()) }); err != nil {
				t.Fatal(err)
			}
			f.headings(t, g, 0, "original", "adopted", base)
			f.headings(t, g, 1, "transfer", "adopted", with(map[string]int64{"1": 98400_00, "2": 11600_00}))
			got := flex(t, g)
			if want := "heading_code=2 change_percent=16.00 baseline=10000.00 budget=11600.00 threshold_percent=15.00"; strings.Join(got, "|") != want {
				t.Errorf("got %v, want %s", got, want)
			}
			c := check(t, f, g, "2025-06-30")
			if m := c.Findings[0].Message; !strings.Contains(m, "2 Travel moved by 16.00% (from 10000.00 to 11600.00 EUR)") ||
				!strings.Contains(m, "beyond the 15.00% allowed") || c.Findings[0].Severity != finance.Violation {
				t.Errorf("message: %s", m)
			}
		})
	})
}

// The caps: indirect costs at most 7% of total direct costs (9 = 7 + 8),
// the contingency reserve at most 5% of the subtotal (7), compared exactly.
// Budget: heading 1 1,000,000.00 (subtotal), contingency 50,000.00 (5.00%),
// total direct 1,050,000.00; 7% of it is 73,500.00.
func TestComplianceCaps(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		cases := []struct {
			name                    string
			contingency, indirect   int64
			wantIndirect, wantConti []string
		}{
			{"at the caps exactly", 50000_00, 73500_00, nil, nil},
			// 73,605.00 / 1,050,000.00 = 7.01%.
			{"indirect costs at 7.01%", 50000_00, 73605_00,
				[]string{"basis=budget percent=7.01 cap_percent=7.00 amount=73605.00 base=1050000.00 heading_code=10"}, nil},
			// One cent above: 7350001 x 10000 = 73,500,010,000 > 700 x
			// 105,000,000 = 73,500,000,000, though it rounds to 7.00%.
			{"indirect costs one cent above 7%", 50000_00, 73500_01,
				[]string{"basis=budget percent=7.00 cap_percent=7.00 amount=73500.01 base=1050000.00 heading_code=10"}, nil},
			// Contingency 50,000.01 / 1,000,000.00 is just above 5%; indirect
			// 73,500.00 is then below 7% of 1,050,000.01.
			{"contingency one cent above 5%", 50000_01, 73500_00,
				nil, []string{"basis=budget percent=5.00 cap_percent=5.00 amount=50000.01 base=1000000.00 heading_code=8"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				g := f.grant(t)
				f.headings(t, g, 0, "original", "adopted", map[string]int64{"1": 1000000_00, "8": tc.contingency, "10": tc.indirect})
				c := check(t, f, g, "2025-06-30")
				args := []string{"basis", "percent", "cap_percent", "amount", "base", "heading_code"}
				if got := findings(c, finance.CodeIndirectCapExceeded, args...); strings.Join(got, "\n") != strings.Join(tc.wantIndirect, "\n") {
					t.Errorf("indirect: %v, want %v", got, tc.wantIndirect)
				}
				if got := findings(c, finance.CodeContingencyCapExceeded, args...); strings.Join(got, "\n") != strings.Join(tc.wantConti, "\n") {
					t.Errorf("contingency: %v, want %v", got, tc.wantConti)
				}
			})
		}

		// Spending is checked the same way: 10,000.00 direct (heading 1)
		// and 701.00 indirect is 7.01% (flagged), with 700.00 it is 7.00%.
		t.Run("spending", func(t *testing.T) {
			for _, tc := range []struct {
				indirect int64
				want     string
			}{{700_00, ""}, {701_00, "basis=spending percent=7.01 amount=701.00 base=10000.00"}} {
				g := f.grant(t)
				f.headings(t, g, 0, "original", "adopted", map[string]int64{"1": 100000_00, "10": 7000_00})
				f.expenditures(t, g,
					ex{"L1", "1", "", f.partnerA, "2025-03-01", "verified", "", 10000_00},
					ex{"L10", "10", "", f.lead, "2025-03-01", "submitted", "", tc.indirect},
					ex{"L10", "10", "", f.lead, "2025-03-01", "draft", "", 5000_00}) // drafts do not count
				got := findings(check(t, f, g, "2025-06-30"), finance.CodeIndirectCapExceeded, "basis", "percent", "amount", "base")
				if strings.Join(got, "|") != tc.want {
					t.Errorf("indirect spending %s: %v, want %q", money.Format(tc.indirect, "EUR"), got, tc.want)
				}
			}
		})
	})
}

func TestComplianceEligibilityRatesOverspendingNoBudget(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t)
		f.headings(t, g, 0, "original", "adopted", map[string]int64{"1": 10000_00, "2": 1000_00})
		A := f.partnerA
		f.expenditures(t, g,
			ex{"L1", "1", "", A, "2025-01-01", "verified", "", 10000_00},   // the first day: eligible
			ex{"L1", "1", "", A, "2027-12-31", "draft", "", 5000_00},       // the last day: eligible (a draft, not spending)
			ex{"L2", "2", "", A, "2024-12-31", "submitted", "", 100_00},    // the day before the start: not eligible, not spending
			ex{"L2", "2", "", A, "2028-01-01", "submitted", "KES", noRate}, // the day after the end, no rate: not eligible, not missing
			ex{"L2", "2", "", A, "2028-02-01", "draft", "", 700_00},        // a draft after the end: not claimed, not listed
			ex{"L2", "2", "", A, "2024-12-01", "rejected", "", 999_00},     // rejected: not counted
			ex{"L2", "2", "", A, "2025-02-01", "verified", "", 1000_01},
			ex{"L1", "1", "", A, "2025-03-01", "submitted", "KES", noRate},
			ex{"L1", "1", "", A, "2025-03-02", "verified", "NPR", noRate},
			ex{"L1", "1", "", A, "2025-03-03", "submitted", "KES", noRate},
			ex{"L1", "1", "", A, "2025-03-04", "draft", "PHP", noRate}, // a draft: not counted as missing
		)
		c := check(t, f, g, "2025-06-30")
		// Outside: 2024-12-31 (100.00 EUR) and 2028-01-01 (no rate), the
		// claimed ones (package eligibility).
		if got := findings(c, finance.CodeOutsideEligibility, "count", "before_start", "after_end", "total", "start_date", "end_date"); strings.Join(got, "|") !=
			"count=2 before_start=1 after_end=1 total=100.00 start_date=2025-01-01 end_date=2027-12-31" {
			t.Errorf("eligibility: %v", got)
		}
		if got := findings(c, finance.CodeRateMissing, "count", "currencies"); strings.Join(got, "|") != "count=3 currencies=KES, NPR" {
			t.Errorf("rate missing: %v", got)
		}
		// Heading 1: 10,000.00 spent of 10,000.00: not over. Heading 2:
		// 1,000.01 of 1,000.00 (the 100.00 before the start is not
		// counted): 0.01 over (100.00%).
		if got := findings(c, finance.CodeOverspentHeading, "heading_code", "budget", "spent", "over", "percent_spent"); strings.Join(got, "|") !=
			"heading_code=2 budget=1000.00 spent=1000.01 over=0.01 percent_spent=100.00" {
			t.Errorf("overspent: %v", got)
		}
		// Violations first, then warnings, then information.
		// (The budget, 11,000.00, is not the grant's total eligible costs.)
		if got, want := codes(c), "BUDGET_TOTAL_MISMATCH OUTSIDE_ELIGIBILITY OVERSPENT_HEADING RATE_MISSING FUNDING_MISMATCH PREFINANCING_ALLOWED"; got != want { // no sources of funding recorded
			t.Errorf("codes %q, want %q", got, want)
		}
		var sev []int
		for _, x := range c.Findings {
			sev = append(sev, int(x.Severity))
		}
		if !sort.SliceIsSorted(sev, func(i, j int) bool { return sev[i] > sev[j] }) {
			t.Errorf("severities not in order: %v", sev)
		}

		// Without an adopted budget: NO_BUDGET, and nothing compared with it.
		g2 := f.grant(t)
		f.headings(t, g2, 0, "original", "draft", map[string]int64{"1": 10_00})
		f.expenditures(t, g2, ex{"L1", "1", "", A, "2025-03-01", "verified", "", 500_00})
		if got, want := codes(check(t, f, g2, "2025-06-30")), "NO_BUDGET FUNDING_MISMATCH PREFINANCING_ALLOWED"; got != want {
			t.Errorf("no budget: %q, want %q", got, want)
		}

		if _, err := f.svc.CheckCompliance(f.ctx, g, "2025-13-01"); !errs.Is(err, errs.KindInvalid) {
			t.Errorf("bad date: %v", err)
		}
		if _, err := f.svc.CheckCompliance(f.ctx, "nope", ""); !errs.Is(err, errs.KindNotFound) {
			t.Errorf("unknown grant: %v", err)
		}
	})
}

// The 70% rule: with instalments p1..pn received, instalment n+1 may be
// requested once the EU part of spending (submitted and verified,
// converted, x the co-financing rate, 90% here) reaches 70% of pn plus
// p1..pn-1. Here p1 = 300,000.00 (2025-01-20) and p2 = 200,000.00
// (2025-12-15): required = 0.7 x 200,000.00 + 300,000.00 = 440,000.00 of
// EU part, i.e. 488,888.89 of spending (x 0.9 = 440,000.001 -> 440,000.00).
func TestPrefinancingThreshold(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		status := func(t *testing.T, p2 int64, spent ...int64) (finance.Prefinancing, []string) {
			t.Helper()
			g := f.grant(t)
			f.payment(t, g, 1, "2025-01-20", 300000_00)
			f.payment(t, g, 2, "2025-12-15", p2)
			for i, s := range spent {
				f.expenditures(t, g, ex{"L1", "1", "", f.partnerA, fmt.Sprintf("2026-0%d-01", i+1), "verified", "", s})
			}
			f.expenditures(t, g, ex{"L1", "1", "", f.partnerA, "2026-06-01", "draft", "", 100000_00}) // not spending
			c := check(t, f, g, "2026-06-30")
			return c.Prefinancing, append(findings(c, finance.CodePrefinancingAllowed, "next_instalment", "spent", "eu_part", "required", "threshold_percent"),
				findings(c, finance.CodePrefinancingNotYet, "next_instalment", "spent", "eu_part", "required", "missing", "monthly_burn", "estimated_date")...)
		}
		text := func(p finance.Prefinancing) string {
			return fmt.Sprintf("may=%t next=%d spent=%s eu=%s required=%s date=%s", p.MayRequest, p.NextInstalment,
				money.Format(p.Spent, "EUR"), money.Format(p.Payments.EUPart, "EUR"), money.Format(p.Required, "EUR"), p.EstimatedDate)
		}

		// Spent 488,888.89: EU part 440,000.00: instalment 3 may be requested.
		p, fs := status(t, 200000_00, 400000_00, 88888_89)
		if got := text(p); got != "may=true next=3 spent=488888.89 eu=440000.00 required=440000.00 date=" {
			t.Errorf("at the threshold: %s", got)
		}
		if strings.Join(fs, "|") != "next_instalment=3 spent=488888.89 eu_part=440000.00 required=440000.00 threshold_percent=70.00" {
			t.Errorf("at the threshold: %v", fs)
		}

		// Spent 440,000.00, what the old check (total spending) accepted:
		// EU part 396,000.00, 44,000.00 short. 18 months elapsed
		// (2025-01-01 to 2026-06-30): burn 440,000.00 / 18 = 24,444.44;
		// its EU part 22,000.00 a month (exactly: 24,444.44 x 0.9 =
		// 21,999.996); 44,000.00 take 44,000.00 / 21,999.996 months of
		// 30.4375 days = 60.875011 days, rounded up to 61: 2026-08-30.
		p, fs = status(t, 200000_00, 400000_00, 40000_00)
		if got := text(p); got != "may=false next=3 spent=440000.00 eu=396000.00 required=440000.00 date=2026-08-30" {
			t.Errorf("spending at the old threshold: %s", got)
		}
		if strings.Join(fs, "|") != "next_instalment=3 spent=440000.00 eu_part=396000.00 required=440000.00 missing=44000.00 monthly_burn=24444.44 estimated_date=2026-08-30" {
			t.Errorf("spending at the old threshold: %v", fs)
		}

		// A cent less, 488,888.88: EU part 439,999.992 -> 439,999.99: not
		// yet; 0.01 to go at 24,444.94... a month is under a day.
		p, _ = status(t, 200000_00, 400000_00, 88888_88)
		if got := text(p); got != "may=false next=3 spent=488888.88 eu=439999.99 required=440000.00 date=2026-07-01" {
			t.Errorf("a cent short: %s", got)
		}

		// p2 = 200,000.01: 70% of it is 140,000.007, so the required EU
		// part is 440,000.01 (rounded up: 440,000.00 is not enough).
		p, _ = status(t, 200000_01, 488888_89)
		if got := text(p); got != "may=false next=3 spent=488888.89 eu=440000.00 required=440000.01 date=2026-07-01" {
			t.Errorf("an odd cent: %s", got)
		}

		// Nothing spent: no burn, no estimate.
		p, _ = status(t, 200000_00)
		if got := text(p); got != "may=false next=3 spent=0.00 eu=0.00 required=440000.00 date=" {
			t.Errorf("nothing spent: %s", got)
		}

		// No instalment yet: the first comes with the signature.
		g := f.grant(t)
		c := check(t, f, g, "2026-06-30")
		if got := text(c.Prefinancing); got != "may=true next=1 spent=0.00 eu=0.00 required=0.00 date=" {
			t.Errorf("no instalment: %s", got)
		}
		if fs := findings(c, finance.CodePrefinancingAllowed, "received"); strings.Join(fs, "|") != "received=0" ||
			!strings.Contains(c.Findings[len(c.Findings)-1].Message, "paid on signature") {
			t.Errorf("no instalment: %v %s", fs, c.Findings[len(c.Findings)-1].Message)
		}
	})
}

// An adopted budget must add up to the contract's total eligible costs: a
// budget a cent off is a violation naming both totals; one equal is none.
func TestComplianceBudgetTotalAgainstTheContract(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t)
		lines := map[string]int64{"1": 60000_00, "2": 25000_00, "10": 5950_00}
		var sum int64
		for _, v := range lines {
			sum += v
		}
		f.headings(t, g, 0, "original", "adopted", lines)
		f.exec(t, "UPDATE grants SET total_eligible_costs = ? WHERE id = ?", sum+1, g)
		c := check(t, f, g, "2025-06-30")
		got := findings(c, finance.CodeBudgetTotalMismatch, "budget_total", "total_eligible_costs", "difference", "version")
		if want := fmt.Sprintf("budget_total=%s total_eligible_costs=%s difference=-0.01 version=0",
			money.Format(sum, "EUR"), money.Format(sum+1, "EUR")); strings.Join(got, "|") != want {
			t.Fatalf("a budget a cent short: %v, want %s", got, want)
		}
		if c.Findings[0].Code != finance.CodeBudgetTotalMismatch || c.Findings[0].Severity != finance.Violation {
			t.Fatalf("first finding %+v, want the mismatch as a violation", c.Findings[0])
		}
		f.exec(t, "UPDATE grants SET total_eligible_costs = ? WHERE id = ?", sum, g)
		if got := findings(check(t, f, g, "2025-06-30"), finance.CodeBudgetTotalMismatch); len(got) != 0 {
			t.Fatalf("a budget equal to the contract's total: %v", got)
		}
	})
}

// Expenditures charged to an organisation that takes part only as an
// associate (recorded before it became one: recording is refused since)
// are a violation; those of a co-beneficiary, the lead's, rejected ones and
// those of an organisation that is an associate in another project only
// are not.
func TestComplianceAssociateCosts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t)
		f.headings(t, g, 0, "original", "adopted", map[string]int64{"1": 100000_00})
		p1 := f.project(t, g, "KE-01", "Kenya")
		p2 := f.project(t, g, "NP-01", "Nepal")
		part := func(project, org, role string) {
			f.exec(t, "INSERT INTO project_participants (project_id, organisation_id, role, position) VALUES (?, ?, ?, 0)", project, org, role)
		}
		part(p1, f.partnerA, "associate")
		part(p2, f.partnerA, "co_beneficiary")
		part(p1, f.pB, "co_beneficiary")
		A, B := f.partnerA, f.pB
		f.expenditures(t, g,
			ex{"L1", "1", p1, A, "2025-02-01", "verified", "", 1000_00}, // an associate in KE-01: counted
			ex{"L1", "1", p1, A, "2025-02-02", "submitted", "", 234_56}, // counted
			ex{"L1", "1", p1, A, "2025-02-03", "rejected", "", 999_00},  // rejected: not
			ex{"L1", "1", p2, A, "2025-02-04", "verified", "", 500_00},  // a co-beneficiary in NP-01: not
			ex{"L1", "1", "", A, "2025-02-05", "verified", "", 700_00},  // no project, a co-beneficiary somewhere: not
			ex{"L1", "1", p1, B, "2025-02-06", "verified", "", 800_00},  // a co-beneficiary: not
		)
		got := findings(check(t, f, g, "2025-06-30"), finance.CodeAssociateCosts, "count", "total")
		if strings.Join(got, "|") != "count=2 total=1234.56" {
			t.Fatalf("associates' costs: %v", got)
		}
		// Once A is a co-beneficiary in KE-01 too, nothing is found.
		f.exec(t, "UPDATE project_participants SET role = 'co_beneficiary' WHERE project_id = ? AND organisation_id = ?", p1, A)
		if got := findings(check(t, f, g, "2025-06-30"), finance.CodeAssociateCosts); len(got) != 0 {
			t.Fatalf("no associate left: %v", got)
		}
	})
}
