package demo_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/page"
)

func TestSeedLoadsAndItsMilestonesAreRight(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		today := calendar.MustParse("2026-11-23")
		data, err := demo.Seed(ctx, d, today)
		if err != nil {
			t.Fatal(err)
		}
		if data == nil || len(data.Grants) != 2 || len(data.Projects) != 6 || len(data.Organisations) != 9 {
			t.Fatalf("seeded %+v", data)
		}
		for _, g := range data.Grants {
			if g.IndirectCostRateBP != 700 {
				t.Errorf("demo grant %s has a flat rate of indirect costs of %d bp, want 700 (7%%)", g.DonorReference, g.IndirectCostRateBP)
			}
		}
		count := func(q string) int {
			t.Helper()
			var n int
			if err := d.NewRaw(q).Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count("SELECT COUNT(DISTINCT country_code) FROM project_countries"); n != 6 {
			t.Fatalf("projects in %d countries, want 6", n)
		}
		sys := actor.SystemContext(ctx)
		kenyan, _, err := organisation.NewService(d).List(sys, organisation.Filter{CountryCode: "KE"}, page.Request{})
		if err != nil || len(kenyan) != 2 {
			t.Fatalf("Kenyan organisations: %d (%v)", len(kenyan), err)
		}

		ms := milestone.NewService(d)
		ms.SetClock(today.Time)
		describe := func(grantIdx int) string {
			t.Helper()
			list, _, err := ms.List(sys, milestone.Filter{GrantID: data.Grants[grantIdx].ID}, page.Request{Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, m := range list {
				if m.Kind == milestone.KindPartnerProgressUpdate {
					continue
				}
				lines = append(lines, m.DueDate.String()+" "+string(m.Kind)+" "+string(m.Status))
			}
			sort.Strings(lines)
			return strings.Join(lines, "\n")
		}
		// 2024-01-01 to 2026-12-31, 12-month periods, 60 days, 3 months,
		// EUR 2,160,000 (so an expenditure verification).
		want0 := strings.Join([]string{
			"2025-03-01 interim_financial_report accepted",
			"2025-03-01 interim_narrative_report accepted",
			"2026-03-01 interim_financial_report submitted",
			"2026-03-01 interim_narrative_report submitted",
			"2027-03-31 expenditure_verification upcoming",
			"2027-03-31 final_financial_report upcoming",
			"2027-03-31 final_narrative_report upcoming",
		}, "\n")
		if got := describe(0); got != want0 {
			t.Errorf("first grant's milestones:\n%s\nwant:\n%s", got, want0)
		}
		// 2025-07-01 to 2028-06-30: the first interim reports were due
		// 2026-08-29 and are overdue.
		want1 := strings.Join([]string{
			"2026-08-29 interim_financial_report overdue",
			"2026-08-29 interim_narrative_report overdue",
			"2027-08-29 interim_financial_report upcoming",
			"2027-08-29 interim_narrative_report upcoming",
			"2028-09-30 expenditure_verification upcoming",
			"2028-09-30 final_financial_report upcoming",
			"2028-09-30 final_narrative_report upcoming",
		}, "\n")
		if got := describe(1); got != want1 {
			t.Errorf("second grant's milestones:\n%s\nwant:\n%s", got, want1)
		}
		// Each project has two progress updates, the first due soon.
		due, _, err := ms.ListDue(sys, milestone.DueFilter{WithinDays: 30, ExcludeOverdue: true}, page.Request{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 6 {
			t.Errorf("%d milestones due in the next 30 days, want the 6 progress updates", len(due))
		}
		if n := count("SELECT COUNT(*) FROM milestones WHERE kind = 'partner_progress_update' AND generator_key IS NULL"); n != 12 {
			t.Errorf("%d progress updates made by hand, want 12", n)
		}
		// Every partner that reports progress has its generated updates,
		// responsible for them; the coordinators and nobody else have none.
		if n := count(`SELECT COUNT(*) FROM project_participants AS pp WHERE pp.role IN ('co_beneficiary', 'affiliated_entity', 'associate')
			AND NOT EXISTS (SELECT 1 FROM milestones AS m WHERE m.project_id = pp.project_id AND m.responsible_organisation_id = pp.organisation_id
				AND m.kind = 'partner_progress_update' AND m.generator_key IS NOT NULL)`); n != 0 {
			t.Errorf("%d reporting partners without generated progress updates", n)
		}
		if n := count(`SELECT COUNT(*) FROM milestones AS m WHERE m.kind = 'partner_progress_update' AND m.generator_key IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM project_participants AS pp WHERE pp.project_id = m.project_id AND pp.organisation_id = m.responsible_organisation_id
				AND pp.role IN ('co_beneficiary', 'affiliated_entity', 'associate'))`); n != 0 {
			t.Errorf("%d generated progress updates of organisations that do not report progress", n)
		}

		// Money: a few thousand expenditures in seven currencies, every one
		// before this month converted (this month's rates are not out yet),
		// an adopted budget per grant that no rule finds fault with, and
		// budget-versus-actual totals that add up.
		if n := count("SELECT COUNT(*) FROM expenditures"); n < 2000 {
			t.Errorf("%d expenditures, want a few thousand", n)
		}
		if n := count("SELECT COUNT(DISTINCT currency_code) FROM expenditures"); n != 7 {
			t.Errorf("expenditures in %d currencies, want 7 (EUR, KES, XOF, NPR, PHP, BRL, BOB)", n)
		}
		if n := count("SELECT COUNT(*) FROM expenditures WHERE converted_amount IS NULL AND expense_date < '2026-11-01'"); n != 0 {
			t.Errorf("%d expenditures before this month without a rate", n)
		}
		if n := count("SELECT COUNT(DISTINCT month) FROM exchange_rates"); n < 12 {
			t.Errorf("rates for %d months, want at least a year", n)
		}
		fin := finance.NewService(d)
		for _, g := range data.Grants {
			c, err := fin.CheckCompliance(sys, g.ID, today.String())
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range c.Findings {
				if f.Severity == finance.Violation {
					t.Errorf("%s: %s", g.DonorReference, f.Message)
				}
			}
			bva, err := fin.BudgetVsActual(sys, finance.Query{GrantID: g.ID, GroupBy: finance.ByLine, AsOf: today.String()})
			if err != nil {
				t.Fatal(err)
			}
			var budget, spent int64
			for _, r := range bva.Rows {
				budget, spent = budget+r.Budget, spent+r.Spent
			}
			if bva.VersionID == "" || budget != bva.Total.Budget || spent != bva.Total.Spent || spent == 0 || budget != g.TotalEligibleCosts {
				t.Errorf("%s: lines add up to %d budget / %d spent; totals %d / %d; grant total %d", g.DonorReference, budget, spent, bva.Total.Budget, bva.Total.Spent, g.TotalEligibleCosts)
			}
			// The sources of funding add up to the total eligible costs.
			fs, err := fin.GetFundingSummary(sys, g.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if fs.Funding.Total.Expected != g.TotalEligibleCosts || len(fs.Findings) != 0 || fs.Funding.EUShareToDate == 0 {
				t.Errorf("%s: sources of funding expected %d against %d, EU share %d, findings %+v", g.DonorReference,
					fs.Funding.Total.Expected, g.TotalEligibleCosts, fs.Funding.EUShareToDate, fs.Findings)
			}
		}
		if n := count("SELECT COUNT(*) FROM funding_receipts"); n != 2 {
			t.Errorf("%d receipts of other donors, want 2", n)
		}

		again, err := demo.Seed(ctx, d, today)
		if err != nil || again != nil {
			t.Fatalf("second seed: %v %v", again, err)
		}
		if n := count("SELECT COUNT(*) FROM organisations"); n != 9 {
			t.Fatalf("%d organisations after a second seed", n)
		}
	})
}
