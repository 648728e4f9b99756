package finance_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/money"
)

// bvaWorld is a grant (EUR, 2025-01-01 to 2027-12-31: 36 months) with
//
//   - version 0, original, adopted, which had line 5.1 (Publications);
//   - version 1, addendum, adopted (the one compared with):
//     1.1 120,000.00 (KE-01, Umoja)      1.2 60,000.00 (NP-01, Himalaya)
//     2.1  20,000.00 (KE-01, Umoja)      3.2 10,000.00 (no project, the lead)
//     8.1  10,000.00 (no project, no partner)
//     10.1 15,000.00 (no project, the lead)
//     so headings 1: 180,000.00, 2: 20,000.00, 3: 10,000.00, 7 (subtotal):
//     210,000.00, 8: 10,000.00, 9 (total direct): 220,000.00, 10:
//     15,000.00, 11 (total): 235,000.00;
//   - version 2, transfer, draft (ignored: not adopted);
//
// and these expenditures (converted amounts, EUR):
//
//	 1 1.1  2025-01-15 submitted 10,000.00
//	 2 1.1  2025-03-10 verified  12,345.67
//	 3 1.2  2025-02-20 verified   8,000.00
//	 4 2.1  2025-03-05 submitted  1,500.50
//	 5 2.1  2025-06-30 verified     499.50  (on the as-of day: counts)
//	 6 2.1  2025-07-01 verified     700.00  (after it: left out)
//	 7 1.1  2025-04-01 draft      5,000.00  (left out)
//	 8 1.2  2025-04-02 rejected   3,000.00  (left out)
//	 9 1.2  2025-05-02 submitted  no rate   (left out, counted as rate missing)
//	10 5.1  2025-05-15 verified     250.00  (a line the latest budget lacks; the lead's)
//	11 10.1 2025-06-01 verified   2,000.00  (the lead's)
//	12 1.2  2025-05-20 draft      no rate   (a draft: not even counted as missing)
type bvaWorld struct {
	*fixture
	grant, pa, pb string
}

const bvaAsOf = "2025-06-30" // 6 months elapsed (January to June), 30 left

func newBvaWorld(t *testing.T, d *bun.DB) *bvaWorld {
	f := newFixture(t, d)
	w := &bvaWorld{fixture: f}
	w.grant = f.grant(t)
	w.pa = f.project(t, w.grant, "KE-01", "Organising domestic workers in Nairobi")
	w.pb = f.project(t, w.grant, "NP-01", "Rights of migrant workers")
	v0 := f.version(t, w.grant, 0, "original", "adopted")
	f.lines(t, w.grant, v0,
		bl{"L11", "1", "1.1", "Salaries, local staff", 100000_00, w.pa, f.partnerA},
		bl{"L51", "5", "5.1", "Publications", 5000_00, "", f.lead})
	v1 := f.version(t, w.grant, 1, "addendum", "adopted")
	f.lines(t, w.grant, v1,
		bl{"L11", "1", "1.1", "Salaries, local staff", 120000_00, w.pa, f.partnerA},
		bl{"L12", "1", "1.2", "Salaries, international staff", 60000_00, w.pb, f.pB},
		bl{"L21", "2", "2.1", "International travel", 20000_00, w.pa, f.partnerA},
		bl{"L32", "3", "3.2", "Computer equipment", 10000_00, "", f.lead},
		bl{"L81", "8", "8.1", "Contingency reserve", 10000_00, "", ""},
		bl{"L101", "10", "10.1", "Indirect costs", 15000_00, "", f.lead})
	v2 := f.version(t, w.grant, 2, "transfer", "draft")
	f.lines(t, w.grant, v2, bl{"L11", "1", "1.1", "Salaries, local staff", 999999_00, w.pa, f.partnerA})
	A, B, L := f.partnerA, f.pB, f.lead
	f.expenditures(t, w.grant,
		ex{"L11", "1", w.pa, A, "2025-01-15", "submitted", "", 10000_00},
		ex{"L11", "1", w.pa, A, "2025-03-10", "verified", "", 12345_67},
		ex{"L12", "1", w.pb, B, "2025-02-20", "verified", "", 8000_00},
		ex{"L21", "2", w.pa, A, "2025-03-05", "submitted", "", 1500_50},
		ex{"L21", "2", w.pa, A, "2025-06-30", "verified", "", 499_50},
		ex{"L21", "2", w.pa, A, "2025-07-01", "verified", "", 700_00},
		ex{"L11", "1", w.pa, A, "2025-04-01", "draft", "", 5000_00},
		ex{"L12", "1", w.pb, B, "2025-04-02", "rejected", "", 3000_00},
		ex{"L12", "1", w.pb, B, "2025-05-02", "submitted", "KES", noRate},
		ex{"L51", "5", "", L, "2025-05-15", "verified", "", 250_00},
		ex{"L101", "10", "", L, "2025-06-01", "verified", "", 2000_00},
		ex{"L12", "1", w.pb, B, "2025-05-20", "draft", "KES", noRate},
	)
	return w
}

// rowText writes a row as "key|label|heading|budget|spent|remaining|percent|burn|projected|count|computed".
func rowText(r finance.Row) string {
	m := func(v int64) string { return money.Format(v, "EUR") }
	c := ""
	if r.Computed {
		c = "computed"
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s|%s|%d|%s", r.Key, r.Label, r.HeadingCode, m(r.Budget), m(r.Spent),
		m(r.Remaining), r.Percent, m(r.MonthlyBurn), m(r.Projected), r.Count, c)
}

func expectRows(t *testing.T, got []finance.Row, want []string) {
	t.Helper()
	var g []string
	for _, r := range got {
		g = append(g, rowText(r))
	}
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}

func TestBudgetVsActualByHeading(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newBvaWorld(t, d)
		b, err := w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: w.grant, AsOf: bvaAsOf})
		if err != nil {
			t.Fatal(err)
		}
		if b.MonthsElapsed != 6 || b.MonthsLeft != 30 || b.RateMissing != 1 || b.Currency != "EUR" || b.AsOf.String() != bvaAsOf {
			t.Errorf("elapsed %d left %d rate missing %d currency %s as of %s; want 6, 30, 1, EUR, %s",
				b.MonthsElapsed, b.MonthsLeft, b.RateMissing, b.Currency, b.AsOf, bvaAsOf)
		}
		var v1 string
		if err := d.NewRaw("SELECT id FROM budget_versions WHERE grant_id = ? AND number = 1", w.grant).Scan(w.ctx, &v1); err != nil {
			t.Fatal(err)
		}
		if b.VersionID != v1 {
			t.Errorf("compared with version %s, want version 1 (%s): the latest adopted", b.VersionID, v1)
		}
		// Heading 1: spent 10,000.00 + 12,345.67 + 8,000.00 = 30,345.67 of
		// 180,000.00 = 16.8587...% -> 16.86; remaining 149,654.33; burn
		// 30,345.67 / 6 = 5,057.6116... -> 5,057.61; projected 30,345.67 +
		// 30 x 5,057.61 = 182,073.97.
		// Heading 2: 1,500.50 + 499.50 = 2,000.00 of 20,000.00 = 10.00%;
		// burn 333.333... -> 333.33; projected 2,000.00 + 9,999.90 = 11,999.90.
		// Heading 5: 250.00 on no budget: percent empty, remaining -250.00,
		// burn 41.666... -> 41.67, projected 250.00 + 1,250.10 = 1,500.10.
		// 7 (1 to 6): 30,345.67 + 2,000.00 + 250.00 = 32,595.67 of
		// 210,000.00 = 15.5217...% -> 15.52; burn 5,432.6116... -> 5,432.61;
		// projected 32,595.67 + 162,978.30 = 195,573.97.
		// 9 = 7 + 8 (nothing spent on 8). 11 = 9 + 10: 34,595.67 of
		// 235,000.00 = 14.7215...% -> 14.72; burn 34,595.67 / 6 = 5,765.945
		// -> 5,765.95 (half away from zero); projected 34,595.67 + 172,978.50
		// = 207,574.17.
		expectRows(t, b.Rows, []string{
			"1|1 Human resources|1|180000.00|30345.67|149654.33|16.86|5057.61|182073.97|3|",
			"2|2 Travel|2|20000.00|2000.00|18000.00|10.00|333.33|11999.90|2|",
			"3|3 Equipment and supplies|3|10000.00|0.00|10000.00|0.00|0.00|0.00|0|",
			"4|4 Local office|4|0.00|0.00|0.00||0.00|0.00|0|",
			"5|5 Other costs, services|5|0.00|250.00|-250.00||41.67|1500.10|1|",
			"6|6 Other|6|0.00|0.00|0.00||0.00|0.00|0|",
			"7|7 Subtotal direct eligible costs of the Action (1-6)|7|210000.00|32595.67|177404.33|15.52|5432.61|195573.97|6|computed",
			"8|8 Contingency reserve (maximum 5% of 7)|8|10000.00|0.00|10000.00|0.00|0.00|0.00|0|",
			"9|9 Total direct eligible costs of the Action (7+8)|9|220000.00|32595.67|187404.33|14.82|5432.61|195573.97|6|computed",
			"10|10 Indirect costs (maximum 7% of 9)|10|15000.00|2000.00|13000.00|13.33|333.33|11999.90|1|",
			"11|11 Total eligible costs (9+10)|11|235000.00|34595.67|200404.33|14.72|5765.95|207574.17|7|computed",
		})
		expectRows(t, []finance.Row{b.Total}, []string{"|Total||235000.00|34595.67|200404.33|14.72|5765.95|207574.17|7|computed"})
		// January 10,000.00; February 8,000.00; March 12,345.67 + 1,500.50
		// = 13,846.17; April nothing; May 250.00 (the KES one has no rate);
		// June 499.50 + 2,000.00 = 2,499.50; running total 34,595.67.
		var months []string
		for _, m := range b.Months {
			months = append(months, m.Month+" "+money.Format(m.Spent, "EUR")+" "+money.Format(m.Cumulative, "EUR"))
		}
		want := "2025-01 10000.00 10000.00, 2025-02 8000.00 18000.00, 2025-03 13846.17 31846.17, 2025-04 0.00 31846.17, " +
			"2025-05 250.00 32096.17, 2025-06 2499.50 34595.67"
		if got := strings.Join(months, ", "); got != want {
			t.Errorf("months: %s\nwant:   %s", got, want)
		}
	})
}

func TestBudgetVsActualByLinePartnerProject(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newBvaWorld(t, d)
		get := func(by finance.Grouping) *finance.BudgetVsActual {
			t.Helper()
			b, err := w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: w.grant, GroupBy: by, AsOf: bvaAsOf})
			if err != nil {
				t.Fatal(err)
			}
			if got := rowText(b.Total); got != "|Total||235000.00|34595.67|200404.33|14.72|5765.95|207574.17|7|computed" {
				t.Errorf("%s total: %s", by, got)
			}
			return b
		}
		// Lines in heading order; 5.1 is no longer in the budget (version 0
		// had it, and names it). 1.1: 10,000.00 + 12,345.67 = 22,345.67 of
		// 120,000.00 = 18.6213...% -> 18.62; burn 3,724.2783... -> 3,724.28;
		// projected 22,345.67 + 111,728.40 = 134,074.07.
		// 1.2: 8,000.00 of 60,000.00 = 13.33%; burn 1,333.33; projected
		// 8,000.00 + 39,999.90 = 47,999.90.
		expectRows(t, get(finance.ByLine).Rows, []string{
			"L11|1.1 Salaries, local staff|1|120000.00|22345.67|97654.33|18.62|3724.28|134074.07|2|",
			"L12|1.2 Salaries, international staff|1|60000.00|8000.00|52000.00|13.33|1333.33|47999.90|1|",
			"L21|2.1 International travel|2|20000.00|2000.00|18000.00|10.00|333.33|11999.90|2|",
			"L32|3.2 Computer equipment|3|10000.00|0.00|10000.00|0.00|0.00|0.00|0|",
			"L51|5.1 Publications (not in the budget)|5|0.00|250.00|-250.00||41.67|1500.10|1|",
			"L81|8.1 Contingency reserve|8|10000.00|0.00|10000.00|0.00|0.00|0.00|0|",
			"L101|10.1 Indirect costs|10|15000.00|2000.00|13000.00|13.33|333.33|11999.90|1|",
		})
		// Partners, by name: the lead has 3.2 and 10.1 (25,000.00) and spent
		// 250.00 + 2,000.00 = 2,250.00 (9.00%); Himalaya 1.2; Umoja 1.1 and
		// 2.1 (140,000.00), spent 22,345.67 + 2,000.00 = 24,345.67
		// (17.3897...% -> 17.39, burn 4,057.6116... -> 4,057.61, projected
		// 24,345.67 + 121,728.30 = 146,073.97); 8.1 belongs to no partner.
		expectRows(t, get(finance.ByPartner).Rows, []string{
			w.lead + "|Global Alliance for Decent Work||25000.00|2250.00|22750.00|9.00|375.00|13500.00|2|",
			w.pB + "|Himalaya Migrant Workers Forum||60000.00|8000.00|52000.00|13.33|1333.33|47999.90|1|",
			w.partnerA + "|Umoja Domestic Workers Union||140000.00|24345.67|115654.33|17.39|4057.61|146073.97|4|",
			"|No partner||10000.00|0.00|10000.00|0.00|0.00|0.00|0|",
		})
		// Projects: KE-01 as Umoja above; NP-01 as Himalaya; no project:
		// 3.2, 8.1 and 10.1 (35,000.00), spent 2,250.00 (6.43%).
		expectRows(t, get(finance.ByProject).Rows, []string{
			w.pa + "|KE-01 Organising domestic workers in Nairobi||140000.00|24345.67|115654.33|17.39|4057.61|146073.97|4|",
			w.pb + "|NP-01 Rights of migrant workers||60000.00|8000.00|52000.00|13.33|1333.33|47999.90|1|",
			"|No project||35000.00|2250.00|32750.00|6.43|375.00|13500.00|2|",
		})
	})
}

func TestBudgetVsActualVerifiedOnlyAsOfAndErrors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newBvaWorld(t, d)
		// Verified only: 1: 12,345.67 + 8,000.00 = 20,345.67; 2: 499.50; 5:
		// 250.00; 10: 2,000.00; total 23,095.17 in 5 expenditures (the submitted one without a
		// rate no longer counts as missing).
		b, err := w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: w.grant, AsOf: bvaAsOf, VerifiedOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := money.Format(b.Total.Spent, "EUR"); got != "23095.17" || b.Total.Count != 5 || b.RateMissing != 0 {
			t.Errorf("verified only: spent %s count %d rate missing %d; want 23095.17, 5, 0", got, b.Total.Count, b.RateMissing)
		}
		if got := money.Format(b.Rows[0].Spent, "EUR"); got != "20345.67" {
			t.Errorf("verified only, heading 1: %s, want 20345.67", got)
		}
		// As of 2027-12-31 (the end): everything but drafts and rejected
		// ones, 36 months elapsed, none left: 34,595.67 + 700.00 = 35,295.67;
		// burn 980.4352... -> 980.44; projected = spent.
		b, err = w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: w.grant, AsOf: "2027-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if got := rowText(b.Total); got != "|Total||235000.00|35295.67|199704.33|15.02|980.44|35295.67|8|computed" ||
			b.MonthsElapsed != 36 || b.MonthsLeft != 0 || len(b.Months) != 36 {
			t.Errorf("at the end: %s, %d elapsed, %d left, %d months", got, b.MonthsElapsed, b.MonthsLeft, len(b.Months))
		}
		// Before the start: nothing spent, at least one month elapsed.
		b, err = w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: w.grant, AsOf: "2024-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if b.Total.Spent != 0 || b.MonthsElapsed != 1 || b.MonthsLeft != 35 || len(b.Months) != 0 {
			t.Errorf("before the start: spent %d, %d elapsed, %d left, months %v", b.Total.Spent, b.MonthsElapsed, b.MonthsLeft, b.Months)
		}
		// A grant without an adopted budget still shows its spending.
		g := w.grant
		w.exec(t, "UPDATE budget_versions SET state = 'draft' WHERE grant_id = ?", g)
		b, err = w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: g, AsOf: bvaAsOf, GroupBy: finance.ByLine})
		if err != nil {
			t.Fatal(err)
		}
		if b.VersionID != "" || b.Total.Budget != 0 || money.Format(b.Total.Spent, "EUR") != "34595.67" || len(b.Rows) != 5 {
			t.Errorf("no adopted budget: version %q budget %d spent %d rows %d", b.VersionID, b.Total.Budget, b.Total.Spent, len(b.Rows))
		}

		_, err = w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: g, AsOf: "2025-02-30"})
		if !errs.Is(err, errs.KindInvalid) || !strings.Contains(err.Error(), "as_of") {
			t.Errorf("impossible date: %v", err)
		}
		_, err = w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: g, GroupBy: "colour"})
		if !errs.Is(err, errs.KindInvalid) || !strings.Contains(err.Error(), "group_by") {
			t.Errorf("unknown grouping: %v", err)
		}
		_, err = w.svc.BudgetVsActual(w.ctx, finance.Query{GrantID: "nope"})
		if !errs.Is(err, errs.KindNotFound) {
			t.Errorf("unknown grant: %v", err)
		}
	})
}
