package finance_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/grant"
)

// statement builds the statement of grantID from from to to, as of today.
func (f *fixture) statement(t *testing.T, grantID, from, to, today string, verifiedOnly bool) *finance.Statement {
	t.Helper()
	var out *finance.Statement
	err := f.d.RunInTx(f.ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g := new(grant.Grant)
		if err := tx.NewSelect().Model(g).Where("id = ?", grantID).Scan(ctx); err != nil {
			return err
		}
		q := finance.StatementQuery{From: calendar.MustParse(from), To: calendar.MustParse(to),
			Today: calendar.MustParse(today), VerifiedOnly: verifiedOnly}
		for n := 1; n <= finance.ReportingPeriods(g); n++ { // the period's number, when the dates are one's
			if pf, pt, err := finance.ReportingPeriod(g, n, "period"); err == nil && pf == q.From && pt == q.To {
				q.Period = n
			}
		}
		var err error
		out, err = finance.StatementIn(ctx, tx, g, q)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func heading(t *testing.T, s *finance.Statement, code string) *finance.StatementHeading {
	t.Helper()
	for _, h := range s.Headings {
		if h.Code == code {
			return h
		}
	}
	t.Fatalf("no heading %s", code)
	return nil
}

func findingCodes(s *finance.Statement) map[string]bool {
	out := map[string]bool{}
	for _, f := range s.Findings {
		out[f.Code] = true
	}
	return out
}

// TestStatementIndirectCostsAtAFlatRate: 7% of the direct eligible costs
// incurred, claimed without expenditures, capped by the indirect heading's
// budget; hand-computed.
func TestStatementIndirectCostsAtAFlatRate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t)
		f.exec(t, "UPDATE grants SET indirect_cost_rate_bp = 700 WHERE id = ?", g)
		f.headings(t, g, 1, "original", "adopted", map[string]int64{"1": 800000, "2": 200000, "10": 50000})
		f.expenditures(t, g,
			ex{line: "L1", heading: "1", org: f.partnerA, date: "2025-03-01", status: "verified", converted: 600000},
			ex{line: "L2", heading: "2", org: f.pB, date: "2025-06-01", status: "submitted", converted: 100000},
			ex{line: "L1", heading: "1", org: f.partnerA, date: "2026-02-01", status: "verified", converted: 200000},
			ex{line: "L2", heading: "2", org: f.pB, date: "2026-03-01", status: "verified", converted: 100000},
			// Recorded under the indirect heading: not claimed while the flat rate applies.
			ex{line: "L10", heading: "10", org: f.lead, date: "2026-03-01", status: "verified", converted: 10000},
		)

		// Period 1: direct 7,000.00 x 7% = 490.00, under the 500.00 budget.
		p1 := f.statement(t, g, "2025-01-01", "2025-12-31", "2026-12-07", false)
		in := p1.Indirect
		if !in.Applies || in.RateBP != 700 || in.HeadingCode != "10" || in.BaseToDate != 700000 || in.ComputedToDate != 49000 ||
			in.ClaimedToDate != 49000 || in.ClaimedPeriod != 49000 || in.Capped {
			t.Errorf("period 1 indirect = %+v, want base 7,000.00, 490.00 claimed, not capped", in)
		}
		if h := heading(t, p1, "10"); h.Period != 49000 || h.ToDate != 49000 || h.Budget != 50000 {
			t.Errorf("period 1 heading 10 = %+v, want 490.00 in the period and to date", h.Figures)
		}
		if p1.Total.ToDate != 749000 {
			t.Errorf("period 1 total to date = %d, want 7,490.00", p1.Total.ToDate)
		}
		// The forecast of period 2 goes with it: line L1 spent 6,000.00 in
		// 12 months, so 6,000.00 in the next 12, capped by the 2,000.00 left.
		if p1.Forecast == nil || p1.Forecast.Period != 2 {
			t.Fatalf("period 1 forecast = %+v, want period 2's", p1.Forecast)
		}
		for _, l := range p1.Forecast.Lines {
			if l.LineKey == "L1" && (l.Suggested != 200000 || l.Remaining != 200000) {
				t.Errorf("forecast of L1 = %+v, want 2,000.00 suggested", l)
			}
		}

		// Period 2: direct 10,000.00 to date x 7% = 700.00, capped at the
		// 500.00 budget; 490.00 were claimed before, so 10.00 in the period.
		p2 := f.statement(t, g, "2026-01-01", "2026-12-31", "2026-12-07", false)
		in = p2.Indirect
		if in.BasePeriod != 300000 || in.BaseToDate != 1000000 || in.ComputedToDate != 70000 || in.ComputedBefore != 49000 ||
			in.Budget != 50000 || in.ClaimedToDate != 50000 || in.ClaimedPeriod != 1000 || !in.Capped {
			t.Errorf("period 2 indirect = %+v, want 700.00 computed, 500.00 claimed to date, 10.00 in the period, capped", in)
		}
		if in.RecordedCount != 1 || in.RecordedAmount != 10000 || in.RecordedPeriod != 10000 {
			t.Errorf("recorded indirect = %d, %d, %d; want 1 of 100.00 in the period", in.RecordedCount, in.RecordedAmount, in.RecordedPeriod)
		}
		if p2.Total.ToDate != 1050000 || p2.Total.Period != 301000 {
			t.Errorf("period 2 total = %d to date, %d in the period; want 10,500.00 and 3,010.00", p2.Total.ToDate, p2.Total.Period)
		}
		var flat int
		for _, l := range heading(t, p2, "10").Lines {
			if l.FlatRate {
				flat++
				if l.ToDate != 50000 || l.Period != 1000 || l.Key != "L10" {
					t.Errorf("flat-rate line = %+v", l)
				}
			}
		}
		if flat != 1 {
			t.Errorf("%d flat-rate lines, want 1", flat)
		}
		if !findingCodes(p2)[finance.CodeIndirectRecorded] {
			t.Errorf("no %s finding: %+v", finance.CodeIndirectRecorded, p2.Findings)
		}
		if p2.Forecast == nil || p2.Forecast.Period != 3 {
			t.Errorf("period 2 forecast = %+v, want period 3's", p2.Forecast)
		}
		if p3 := f.statement(t, g, "2027-01-01", "2027-12-31", "2028-01-10", false); p3.Forecast != nil {
			t.Errorf("the last period has a forecast: %+v", p3.Forecast)
		}
		// "Checked as of" is today when the period has not ended.
		if p2.CheckedAsOf.String() != "2026-12-07" {
			t.Errorf("checked as of %s, want today 2026-12-07", p2.CheckedAsOf)
		}
		// The partners add up the expenditures (the flat rate is the action's).
		var partners int64
		for _, p := range p2.Partners {
			partners += p.ToDate
		}
		if partners != p2.Total.ToDate-p2.Indirect.ClaimedToDate {
			t.Errorf("partners add up to %d, want %d", partners, p2.Total.ToDate-p2.Indirect.ClaimedToDate)
		}

		// Verified only: the submitted 1,000.00 of 2025 is left out and shown.
		v := f.statement(t, g, "2026-01-01", "2026-12-31", "2026-12-07", true)
		if v.Indirect.BaseToDate != 900000 || v.UnverifiedCount != 1 || v.UnverifiedAmount != 100000 {
			t.Errorf("verified only: base %d, unverified %d of %d; want 9,000.00 and 1 of 1,000.00",
				v.Indirect.BaseToDate, v.UnverifiedCount, v.UnverifiedAmount)
		}

		// Without a flat rate, the indirect heading counts what is recorded.
		f.exec(t, "UPDATE grants SET indirect_cost_rate_bp = 0 WHERE id = ?", g)
		n := f.statement(t, g, "2026-01-01", "2026-12-31", "2026-12-07", false)
		if h := heading(t, n, "10"); n.Indirect.Applies || h.ToDate != 10000 {
			t.Errorf("without a flat rate: applies %v, heading 10 to date %d; want 100.00 recorded", n.Indirect.Applies, h.ToDate)
		}
	})
}

// TestStatementFlatRateRoundsHalfAwayFromZero: 6.5% of 1,234.57 is 80.247,
// claimed as 80.25; with no budget adopted nothing caps it.
func TestStatementFlatRateRoundsHalfAwayFromZero(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t)
		f.exec(t, "UPDATE grants SET indirect_cost_rate_bp = 650 WHERE id = ?", g)
		f.expenditures(t, g, ex{line: "L1", heading: "1", org: f.partnerA, date: "2025-03-01", status: "verified", converted: 123457})
		s := f.statement(t, g, "2025-01-01", "2025-12-31", "2025-06-30", false)
		if s.Indirect.ClaimedToDate != 8025 || s.Indirect.Capped {
			t.Errorf("claimed %d (capped %v), want 80.25 uncapped", s.Indirect.ClaimedToDate, s.Indirect.Capped)
		}
		if s.CheckedAsOf.String() != "2025-06-30" {
			t.Errorf("checked as of %s", s.CheckedAsOf)
		}
	})
}
