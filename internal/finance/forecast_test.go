package finance_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
)

// The suggestion is the monthly burn to date over the next period's
// months, computed exactly and rounded once, half away from zero, at most
// what remains of the line's budget and never below 0.
func TestSuggestForecast(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name            string
		toDate          int64
		months, elapsed int
		remaining, want int64
	}{
		// 12,000.00 over 6 months is 2,000.00 a month; 12 months: 24,000.00,
		// capped by the 18,000.00 left of a 30,000.00 budget.
		{"capped by what remains", 12000_00, 12, 6, 18000_00, 18000_00},
		{"under what remains", 12000_00, 12, 6, 30000_00, 24000_00},
		// 100.01 over 6 months, 3 months: 50.005 -> 50.01 (half away from zero).
		{"half away from zero", 100_01, 3, 6, 1000_00, 50_01},
		// 100.00 over 3 months, 1 month: 33.333... -> 33.33; 100.02: 33.34.
		{"rounds down below half", 100_00, 1, 3, 1000_00, 33_33},
		{"rounds up above half", 100_02, 1, 3, 1000_00, 33_34},
		// Exact: 7 months' burn of 1,000.00 over 3 months is 2,333.33, not
		// 7 x the rounded monthly 333.33 (2,333.31).
		{"one rounding", 1000_00, 7, 3, 100000_00, 2333_33},
		{"nothing spent", 0, 12, 6, 1000_00, 0},
		{"credit notes", -500_00, 12, 6, 1000_00, 0},
		{"overspent line", 5000_00, 12, 6, -200_00, 0},
		{"budget used up", 5000_00, 12, 6, 0, 0},
	} {
		if got := finance.SuggestForecast(c.toDate, c.months, c.elapsed, c.remaining); got != c.want {
			t.Errorf("%s: suggested %s, want %s", c.name, money.Format(got, "EUR"), money.Format(c.want, "EUR"))
		}
	}
}

// lineText writes a forecast line as "code|description|budget|to date|remaining|suggested|amount or -|in budget".
func lineText(l finance.ForecastLine) string {
	m := func(v int64) string { return money.Format(v, "EUR") }
	amount := "-"
	if l.Entered {
		amount = m(l.Amount)
	}
	in := "in budget"
	if !l.InBudget {
		in = "not in budget"
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s", l.Code, l.Description, m(l.Budget), m(l.ToDate), m(l.Remaining), m(l.Suggested), amount, in)
}

func headingText(h finance.ForecastHeading) string {
	m := func(v int64) string { return money.Format(v, "EUR") }
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s", h.Code, h.Title, m(h.Budget), m(h.ToDate), m(h.Remaining), m(h.Suggested), m(h.Total))
}

func expectForecast(t *testing.T, f *finance.Forecast, lines, headings []string, total int64) {
	t.Helper()
	var gl, gh []string
	for _, l := range f.Lines {
		gl = append(gl, lineText(l))
	}
	for _, h := range f.Headings {
		gh = append(gh, headingText(h))
	}
	if strings.Join(gl, "\n") != strings.Join(lines, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(gl, "\n"), strings.Join(lines, "\n"))
	}
	if strings.Join(gh, "\n") != strings.Join(headings, "\n") {
		t.Errorf("headings:\n%s\nwant:\n%s", strings.Join(gh, "\n"), strings.Join(headings, "\n"))
	}
	if f.Total != total || f.Totals.Total != total {
		t.Errorf("total %s (totals row %s), want %s", money.Format(f.Total, "EUR"), money.Format(f.Totals.Total, "EUR"), money.Format(total, "EUR"))
	}
}

// computeForecast, from a basis given by hand: 6 months elapsed, a next
// period of 12 months; what finance entered overrides the suggestion, and
// a line entered for a key the basis no longer has is kept and shown.
func TestComputeForecast(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		gid := f.grant(t)
		g := new(grant.Grant)
		if err := d.NewSelect().Model(g).Where("id = ?", gid).Scan(f.ctx); err != nil {
			t.Fatal(err)
		}
		// Line 5.1 was in version 0 only; finance entered 800.00 for it.
		v0 := f.version(t, gid, 0, "original", "adopted")
		f.lines(t, gid, v0, bl{"L51", "5", "5.1", "Publications", 5000_00, "", ""})
		f.exec(t, `INSERT INTO forecasts (grant_id, period, version, update_time, updated_by) VALUES (?, 2, 3, CURRENT_TIMESTAMP, 'users/x')`, gid)
		for _, e := range []struct {
			key, heading string
			amount       int64
		}{{"L12", "1", 5000_00}, {"L51", "5", 800_00}, {"L99", "6", 1}} {
			f.exec(t, `INSERT INTO forecast_lines (grant_id, period, line_key, heading_code, amount) VALUES (?, 2, ?, ?, ?)`, gid, e.key, e.heading, e.amount)
		}
		// Entered for period 3: not period 2's.
		f.exec(t, `INSERT INTO forecast_lines (grant_id, period, line_key, heading_code, amount) VALUES (?, 3, 'L11', '1', 1)`, gid)
		basis := []finance.ForecastBasis{
			{HeadingCode: "1", HeadingTitle: "Human Resources", LineKey: "L11", Code: "1.1", Description: "Salaries", Budget: 30000_00, ToDate: 12000_00},
			{HeadingCode: "1", HeadingTitle: "Human Resources", LineKey: "L12", Code: "1.2", Description: "Per diems", Budget: 10000_00, ToDate: 3000_00},
			{HeadingCode: "2", HeadingTitle: "Travel", LineKey: "L21", Code: "2.1", Description: "Flights", Budget: 20000_00, ToDate: 100_01},
			{HeadingCode: "3", HeadingTitle: "Equipment", LineKey: "L31", Code: "3.1", Description: "Laptops", Budget: 4000_00, ToDate: 4500_00},
		}
		from, to := calendar.MustParse("2025-07-01"), calendar.MustParse("2026-06-30")
		fc, err := finance.ComputeForecast(f.ctx, d, g, 2, from, to, basis, 6)
		if err != nil {
			t.Fatal(err)
		}
		if fc.Months != 12 || fc.Version != 3 || fc.UpdatedBy != "users/x" || fc.BasisAsOf.String() != "2025-06-30" || fc.MonthsElapsed != 6 {
			t.Errorf("months %d version %d by %q basis %s elapsed %d; want 12, 3, users/x, 2025-06-30, 6", fc.Months, fc.Version, fc.UpdatedBy, fc.BasisAsOf, fc.MonthsElapsed)
		}
		// 1.1: 12,000.00 / 6 x 12 = 24,000.00, capped by 18,000.00 left.
		// 1.2: 3,000.00 / 6 x 12 = 6,000.00 (7,000.00 left); 5,000.00 entered.
		// 2.1: 100.01 / 6 x 12 = 200.02.
		// 3.1: overspent (-500.00 left): 0.
		// 5.1 and L99: entered, the budget no longer has them (L99 no
		// version ever had: named by its key), under their headings.
		expectForecast(t, fc, []string{
			"1.1|Salaries|30000.00|12000.00|18000.00|18000.00|-|in budget",
			"1.2|Per diems|10000.00|3000.00|7000.00|6000.00|5000.00|in budget",
			"2.1|Flights|20000.00|100.01|19899.99|200.02|-|in budget",
			"3.1|Laptops|4000.00|4500.00|-500.00|0.00|-|in budget",
			"5.1|Publications|0.00|0.00|0.00|0.00|800.00|not in budget",
			"|L99|0.00|0.00|0.00|0.00|0.01|not in budget",
		}, []string{
			// 18,000.00 suggested + 5,000.00 entered.
			"1|Human Resources|40000.00|15000.00|25000.00|24000.00|23000.00",
			"2|Travel|20000.00|100.01|19899.99|200.02|200.02",
			"3|Equipment|4000.00|4500.00|-500.00|0.00|0.00",
			// Titles from the grant's template (PRAG).
			"5|Other costs, services|0.00|0.00|0.00|0.00|800.00",
			"6|Other|0.00|0.00|0.00|0.00|0.01",
		}, 23000_00+200_02+800_00+1)
	})
}

// forecastWorld is a grant (EUR, 2025-01-01 to 2027-12-31, reporting
// periods of 12 months: 2025, 2026, 2027) with an adopted budget
//
//	1.1 Salaries 30,000.00   2.1 Travel 10,000.00   3.2 Equipment 6,000.00
//
// and spending: 1.1 12,000.00 and 2.1 9,000.00 in 2025 (and a draft of
// 5,000.00 on 3.2, which does not count); 1.1 3,000.00 in 2026.
type forecastWorld struct {
	*fixture
	grant string
}

func newForecastWorld(t *testing.T, d *bun.DB) *forecastWorld {
	f := newFixture(t, d)
	w := &forecastWorld{fixture: f, grant: f.grant(t)}
	v := f.version(t, w.grant, 1, "original", "adopted")
	f.lines(t, w.grant, v,
		bl{"L11", "1", "1.1", "Salaries", 30000_00, "", f.lead},
		bl{"L21", "2", "2.1", "Travel", 10000_00, "", f.lead},
		bl{"L32", "3", "3.2", "Equipment", 6000_00, "", f.lead})
	L := f.lead
	f.expenditures(t, w.grant,
		ex{"L11", "1", "", L, "2025-02-10", "verified", "", 6000_00},
		ex{"L11", "1", "", L, "2025-11-30", "submitted", "", 6000_00},
		ex{"L21", "2", "", L, "2025-12-31", "verified", "", 9000_00},
		ex{"L32", "3", "", L, "2025-05-05", "draft", "", 5000_00},
		ex{"L11", "1", "", L, "2026-01-01", "verified", "", 3000_00})
	return w
}

func wantKind(t *testing.T, err error, k errs.Kind, field string) {
	t.Helper()
	if !errs.Is(err, k) {
		t.Fatalf("got %v, want %s", err, k)
	}
	if field == "" {
		return
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("%v is not an errs.Error", err)
	}
	for _, v := range e.Violations {
		if v.Field == field {
			return
		}
	}
	t.Errorf("%v names no field %s", err, field)
}

// Forecasts are kept per period: period 2's (from spending in 2025) and
// period 3's (from spending in 2025 and 2026) are entered and changed
// independently; entering replaces what was entered, all or nothing.
func TestForecastPerPeriod(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newForecastWorld(t, d)
		ctx := w.ctx
		p2, err := w.svc.GetForecast(ctx, w.grant, 2)
		if err != nil {
			t.Fatal(err)
		}
		if p2.From.String() != "2026-01-01" || p2.To.String() != "2026-12-31" || p2.Months != 12 || p2.MonthsElapsed != 12 || p2.Version != 0 || !p2.CallerCanUpdate {
			t.Errorf("period 2: %s to %s, %d months, %d elapsed, version %d, can update %v", p2.From, p2.To, p2.Months, p2.MonthsElapsed, p2.Version, p2.CallerCanUpdate)
		}
		// 1.1: 12,000.00 over 12 months, 12 months: 12,000.00 (18,000.00 left).
		// 2.1: 9,000.00 -> 9,000.00, capped by 1,000.00 left.
		// 3.2: nothing spent (the draft does not count): 0.
		expectForecast(t, p2, []string{
			"1.1|Salaries|30000.00|12000.00|18000.00|12000.00|-|in budget",
			"2.1|Travel|10000.00|9000.00|1000.00|1000.00|-|in budget",
			"3.2|Equipment|6000.00|0.00|6000.00|0.00|-|in budget",
		}, []string{
			"1|Human resources|30000.00|12000.00|18000.00|12000.00|12000.00",
			"2|Travel|10000.00|9000.00|1000.00|1000.00|1000.00",
			"3|Equipment and supplies|6000.00|0.00|6000.00|0.00|0.00",
		}, 13000_00)

		// Finance enters 2.1 and 3.2; 1.1 left empty keeps its suggestion.
		p2, err = w.svc.UpdateForecast(ctx, w.grant, 2, []finance.ForecastLineInput{
			{LineKey: "L11", Amount: ""}, {LineKey: "L21", Amount: "2500.00"}, {LineKey: "L32", Amount: "0"}}, p2ETag(p2))
		if err != nil {
			t.Fatal(err)
		}
		expectForecast(t, p2, []string{
			"1.1|Salaries|30000.00|12000.00|18000.00|12000.00|-|in budget",
			"2.1|Travel|10000.00|9000.00|1000.00|1000.00|2500.00|in budget",
			"3.2|Equipment|6000.00|0.00|6000.00|0.00|0.00|in budget",
		}, []string{
			"1|Human resources|30000.00|12000.00|18000.00|12000.00|12000.00",
			"2|Travel|10000.00|9000.00|1000.00|1000.00|2500.00",
			"3|Equipment and supplies|6000.00|0.00|6000.00|0.00|0.00",
		}, 14500_00)
		if p2.Version != 1 || p2.UpdatedBy == "" || p2.UpdateTime.IsZero() {
			t.Errorf("after the first entry: version %d, by %q at %v", p2.Version, p2.UpdatedBy, p2.UpdateTime)
		}

		// Period 3 starts empty: its basis is spending to 2026-12-31 (15,000.00
		// on 1.1 over 24 months: 7,500.00 for 12; 2.1: 4,500.00, capped 1,000.00).
		p3, err := w.svc.GetForecast(ctx, w.grant, 3)
		if err != nil {
			t.Fatal(err)
		}
		if p3.Version != 0 || p3.MonthsElapsed != 24 || p3.BasisAsOf.String() != "2026-12-31" {
			t.Errorf("period 3: version %d, elapsed %d, basis as of %s; want 0, 24, 2026-12-31", p3.Version, p3.MonthsElapsed, p3.BasisAsOf)
		}
		expectForecast(t, p3, []string{
			"1.1|Salaries|30000.00|15000.00|15000.00|7500.00|-|in budget",
			"2.1|Travel|10000.00|9000.00|1000.00|1000.00|-|in budget",
			"3.2|Equipment|6000.00|0.00|6000.00|0.00|-|in budget",
		}, []string{
			"1|Human resources|30000.00|15000.00|15000.00|7500.00|7500.00",
			"2|Travel|10000.00|9000.00|1000.00|1000.00|1000.00",
			"3|Equipment and supplies|6000.00|0.00|6000.00|0.00|0.00",
		}, 8500_00)
		if _, err := w.svc.UpdateForecast(ctx, w.grant, 3, []finance.ForecastLineInput{{LineKey: "L11", Amount: "9999.99"}}, p2ETag(p3)); err != nil {
			t.Fatal(err)
		}
		// Period 2 is as it was.
		again, err := w.svc.GetForecast(ctx, w.grant, 2)
		if err != nil {
			t.Fatal(err)
		}
		if again.Version != 1 || again.Total != 14500_00 {
			t.Errorf("period 2 after period 3 was entered: version %d, total %s; want 1, 14500.00", again.Version, money.Format(again.Total, "EUR"))
		}

		// Replacing: only 1.1 entered now; 2.1 and 3.2 go back to their suggestions.
		p2, err = w.svc.UpdateForecast(ctx, w.grant, 2, []finance.ForecastLineInput{{LineKey: "L11", Amount: "11000.50"}}, p2ETag(again))
		if err != nil {
			t.Fatal(err)
		}
		if p2.Total != 11000_50+1000_00 || p2.Version != 2 {
			t.Errorf("after replacing: total %s version %d; want 12000.50, 2", money.Format(p2.Total, "EUR"), p2.Version)
		}
		var events int
		if err := d.NewRaw("SELECT COUNT(*) FROM audit_events WHERE resource = ?", finance.ForecastName(w.grant, 2)).Scan(ctx, &events); err != nil {
			t.Fatal(err)
		}
		if events != 2 {
			t.Errorf("%d audit events for period 2's forecast, want 2", events)
		}
	})
}

func p2ETag(f *finance.Forecast) string { return resource.ETag(f.Version) }

// Entries are checked all or nothing, each error naming its line's field;
// a stale etag is refused; periods must be the grant's, after the first.
func TestUpdateForecastRefuses(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newForecastWorld(t, d)
		ctx := w.ctx
		fc, err := w.svc.GetForecast(ctx, w.grant, 2)
		if err != nil {
			t.Fatal(err)
		}
		etag := p2ETag(fc)
		for _, c := range []struct {
			name  string
			lines []finance.ForecastLineInput
			field string
		}{
			{"three decimals", []finance.ForecastLineInput{{LineKey: "L11", Amount: "1.00"}, {LineKey: "L21", Amount: "12.345"}}, "lines[1].amount"},
			{"negative", []finance.ForecastLineInput{{LineKey: "L21", Amount: "-5"}}, "lines[0].amount"},
			{"not a number", []finance.ForecastLineInput{{LineKey: "L21", Amount: "12,50"}}, "lines[0].amount"},
			{"unknown line", []finance.ForecastLineInput{{LineKey: "L21", Amount: "1"}, {LineKey: "nope", Amount: "1"}}, "lines[1].line_key"},
			{"no line key", []finance.ForecastLineInput{{Amount: "1"}}, "lines[0].line_key"},
			{"twice", []finance.ForecastLineInput{{LineKey: "L21", Amount: "1"}, {LineKey: "L21", Amount: "2"}}, "lines[1].line_key"},
		} {
			_, err := w.svc.UpdateForecast(ctx, w.grant, 2, c.lines, etag)
			t.Run(c.name, func(t *testing.T) { wantKind(t, err, errs.KindInvalid, c.field) })
		}
		// Nothing was written: the etag is still good.
		if _, err := w.svc.UpdateForecast(ctx, w.grant, 2, []finance.ForecastLineInput{{LineKey: "L21", Amount: "1"}}, ""); !errs.Is(err, errs.KindInvalid) {
			t.Errorf("without an etag: %v, want invalid", err)
		}
		if _, err := w.svc.UpdateForecast(ctx, w.grant, 2, []finance.ForecastLineInput{{LineKey: "L21", Amount: "1"}}, etag); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.UpdateForecast(ctx, w.grant, 2, []finance.ForecastLineInput{{LineKey: "L21", Amount: "2"}}, etag)
		wantKind(t, err, errs.KindAborted, "")

		for _, p := range []int{1, 4, 0} {
			_, err := w.svc.GetForecast(ctx, w.grant, p)
			wantKind(t, err, errs.KindInvalid, "name")
		}
		if _, err := w.svc.GetForecast(ctx, resource.NewID(), 2); !errs.Is(err, errs.KindNotFound) {
			t.Errorf("an unknown grant: %v, want not found", err)
		}
	})
}

// A line entered for a line the latest budget no longer has is kept and
// shown; it may be entered again, and dropped.
func TestForecastKeepsLinesLeftOutOfTheBudget(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newForecastWorld(t, d)
		ctx := w.ctx
		if _, err := w.svc.UpdateForecast(ctx, w.grant, 2, []finance.ForecastLineInput{{LineKey: "L32", Amount: "700.00"}}, `"0"`); err != nil {
			t.Fatal(err)
		}
		v := w.version(t, w.grant, 2, "addendum", "adopted")
		w.lines(t, w.grant, v, bl{"L11", "1", "1.1", "Salaries", 36000_00, "", w.lead}, bl{"L21", "2", "2.1", "Travel", 10000_00, "", w.lead})
		fc, err := w.svc.GetForecast(ctx, w.grant, 2)
		if err != nil {
			t.Fatal(err)
		}
		expectForecast(t, fc, []string{
			"1.1|Salaries|36000.00|12000.00|24000.00|12000.00|-|in budget",
			"2.1|Travel|10000.00|9000.00|1000.00|1000.00|-|in budget",
			"3.2|Equipment|0.00|0.00|0.00|0.00|700.00|not in budget",
		}, []string{
			"1|Human resources|36000.00|12000.00|24000.00|12000.00|12000.00",
			"2|Travel|10000.00|9000.00|1000.00|1000.00|1000.00",
			"3|Equipment and supplies|0.00|0.00|0.00|0.00|700.00",
		}, 13700_00)
		fc, err = w.svc.UpdateForecast(ctx, w.grant, 2, []finance.ForecastLineInput{{LineKey: "L32", Amount: "650.00"}}, p2ETag(fc))
		if err != nil {
			t.Fatal(err)
		}
		if fc.Total != 13650_00 {
			t.Errorf("total %s, want 13650.00", money.Format(fc.Total, "EUR"))
		}
		fc, err = w.svc.UpdateForecast(ctx, w.grant, 2, nil, p2ETag(fc))
		if err != nil {
			t.Fatal(err)
		}
		if len(fc.Lines) != 2 || fc.Total != 13000_00 {
			t.Errorf("after dropping it: %d lines, total %s; want 2, 13000.00", len(fc.Lines), money.Format(fc.Total, "EUR"))
		}
	})
}
