package report

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/money"
)

// demoToday is "today" for the demo seed in these tests.
var demoToday = calendar.MustParse("2026-11-20")

// demoWorld is the demo data set with a few expenditures waiting for a
// rate, and a finance officer of the lead organisation.
type demoWorld struct {
	d    *bun.DB
	data *demo.Data
	svc  *Service
	ctx  context.Context // the finance officer
}

func newDemoWorld(t *testing.T, d *bun.DB) *demoWorld {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	data, err := demo.Seed(ctx, d, demoToday)
	if err != nil {
		t.Fatal(err)
	}
	// A few counted expenditures of each grant wait for a rate (as when a
	// month's InforEuro file has not been imported yet).
	for _, g := range data.Grants {
		if _, err := d.NewRaw(`UPDATE expenditures SET rate = NULL, rate_source = '', converted_amount = NULL,
			rate_problem = 'no KES rate for the month' WHERE id IN (SELECT id FROM expenditures
			WHERE grant_id = ? AND currency_code = 'KES' AND status IN ('submitted', 'verified') ORDER BY expense_date DESC, id LIMIT 3)`,
			g.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	svc := NewService(d)
	svc.now = func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) }
	lead := data.Organisations["GADW"].ID
	officer := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u-finance", Email: "finance@gadw.example.org",
		Memberships: []actor.Membership{{OrganisationID: lead, Role: actor.RoleFinance}}})
	return &demoWorld{d: d, data: data, svc: svc, ctx: officer}
}

// xlsx makes a workbook and opens it.
func (w *demoWorld) xlsx(t *testing.T, req Request) (*excelize.File, []byte, string) {
	t.Helper()
	var buf bytes.Buffer
	var stages []string
	name, err := w.svc.XLSX(w.ctx, req, &buf, func(stage string, done, total int64) {
		if len(stages) == 0 || stages[len(stages)-1] != stage {
			stages = append(stages, stage)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(stages, ","); got != "summary,expenditures,writing" {
		t.Errorf("progress stages %q, want summary,expenditures,writing", got)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, buf.Bytes(), name
}

func TestXLSXTotalsMatchTheDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newDemoWorld(t, d)
		g0, g1 := w.data.Grants[0], w.data.Grants[1]
		for _, c := range []struct {
			name     string
			req      Request
			from, to string
		}{
			{"grant 1, period 2", Request{GrantID: g0.ID, Period: 2}, "2025-01-01", "2025-12-31"},
			{"grant 1, start to today", Request{GrantID: g0.ID}, "2024-01-01", "2026-11-20"},
			{"grant 2, period 2, in French", Request{GrantID: g1.ID, Period: 2, Language: "fr"}, "2026-07-01", "2027-06-30"},
			{"grant 2, a date range in Spanish", Request{GrantID: g1.ID, From: "2025-10-15", To: "2026-03-31", Language: "es"}, "2025-10-15", "2026-03-31"},
		} {
			t.Run(c.name, func(t *testing.T) {
				f, raw, name := w.xlsx(t, c.req)
				if dir := os.Getenv("PACTUM_XLSX_OUT"); dir != "" { // to look at the workbooks
					_ = os.WriteFile(filepath.Join(dir, d.Dialect().Name().String()+"-"+name), raw, 0o600)
				}
				if !strings.HasPrefix(name, "financial-report-CSO-LA-") || !strings.HasSuffix(name, ".xlsx") {
					t.Errorf("file name %q", name)
				}
				lang := c.req.Language
				if lang == "" {
					lang = "en"
				}
				ck := &checker{t: t, w: w, f: f, l: i18n.For(lang), grantID: c.req.GrantID, from: c.from, to: c.to}
				ck.summary()
				ck.list()
				ck.currencies()
				ck.rates()
				ck.cover()
				ck.formulas()
			})
		}
	})
}

// checker checks one workbook against the database.
type checker struct {
	t        *testing.T
	w        *demoWorld
	f        *excelize.File
	l        *i18n.Localizer
	grantID  string
	from, to string
}

func (c *checker) rows(sheet string) [][]string {
	c.t.Helper()
	rows, err := c.f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		c.t.Fatalf("sheet %q: %v", sheet, err)
	}
	return rows
}

func cell(rows [][]string, r, col int) string {
	if r-1 < len(rows) && col < len(rows[r-1]) {
		return rows[r-1][col]
	}
	return ""
}

// query runs a grouping query and returns key -> value.
func (c *checker) sums(query string, args ...any) map[string]int64 {
	c.t.Helper()
	var out []struct {
		K string `bun:"k"`
		V int64  `bun:"v"`
	}
	if err := c.w.d.NewRaw(query, args...).Scan(context.Background(), &out); err != nil && !strings.Contains(err.Error(), "no rows") {
		c.t.Fatal(err)
	}
	m := map[string]int64{}
	for _, o := range out {
		m[o.K] = o.V
	}
	return m
}

// exact checks that a cell's stored text is exactly the decimal of minor
// units (in the currency's decimals, trailing zeros aside).
func (c *checker) exact(where, got string, minor int64, currency string) {
	c.t.Helper()
	want := decimal.RequireFromString(money.Format(minor, currency))
	g, err := decimal.NewFromString(got)
	if err != nil || !g.Equal(want) {
		c.t.Errorf("%s: cell holds %q, the database says %s %s", where, got, want.StringFixed(2), currency)
	}
}

const counted = "status IN ('submitted', 'verified')"

func (c *checker) summary() {
	t := c.t
	sheet := c.l.T("xlsx.sheet.summary")
	rows := c.rows(sheet)
	if h := cell(rows, headerRow, 1); h != c.l.T("xlsx.col.headingLine") {
		t.Errorf("summary header B = %q, want %q", h, c.l.T("xlsx.col.headingLine"))
	}
	g := c.grantID
	period := c.sums(`SELECT heading_code AS k, CAST(SUM(converted_amount) AS BIGINT) AS v FROM expenditures
		WHERE grant_id = ? AND `+counted+` AND expense_date BETWEEN ? AND ? AND converted_amount IS NOT NULL GROUP BY heading_code`, g, c.from, c.to)
	toDate := c.sums(`SELECT heading_code AS k, CAST(SUM(converted_amount) AS BIGINT) AS v FROM expenditures
		WHERE grant_id = ? AND `+counted+` AND expense_date <= ? AND converted_amount IS NOT NULL GROUP BY heading_code`, g, c.to)
	linePeriod := c.sums(`SELECT bl.code AS k, CAST(SUM(e.converted_amount) AS BIGINT) AS v FROM expenditures e
		JOIN budget_lines bl ON bl.line_key = e.line_key AND bl.budget_version_id = (SELECT id FROM budget_versions WHERE grant_id = ? AND state = 'adopted' ORDER BY number DESC LIMIT 1)
		WHERE e.grant_id = ? AND e.`+counted+` AND e.expense_date BETWEEN ? AND ? AND e.converted_amount IS NOT NULL GROUP BY bl.code`, g, g, c.from, c.to)
	lineToDate := c.sums(`SELECT bl.code AS k, CAST(SUM(e.converted_amount) AS BIGINT) AS v FROM expenditures e
		JOIN budget_lines bl ON bl.line_key = e.line_key AND bl.budget_version_id = (SELECT id FROM budget_versions WHERE grant_id = ? AND state = 'adopted' ORDER BY number DESC LIMIT 1)
		WHERE e.grant_id = ? AND e.`+counted+` AND e.expense_date <= ? AND e.converted_amount IS NOT NULL GROUP BY bl.code`, g, g, c.to)
	budgetHeading := c.sums(`SELECT heading_code AS k, CAST(SUM(total) AS BIGINT) AS v FROM budget_lines
		WHERE budget_version_id = (SELECT id FROM budget_versions WHERE grant_id = ? AND state = 'adopted' ORDER BY number DESC LIMIT 1) GROUP BY heading_code`, g)
	budgetLine := c.sums(`SELECT code AS k, total AS v FROM budget_lines
		WHERE budget_version_id = (SELECT id FROM budget_versions WHERE grant_id = ? AND state = 'adopted' ORDER BY number DESC LIMIT 1)`, g)
	computed := map[string][]string{"7": {"1", "2", "3", "4", "5", "6"}, "9": {"1", "2", "3", "4", "5", "6", "8"},
		"11": {"1", "2", "3", "4", "5", "6", "8", "10"}}
	add := func(m map[string]int64, codes []string) (s int64) {
		for _, k := range codes {
			s += m[k]
		}
		return s
	}
	// Indirect costs at the grant's flat rate of the direct eligible costs
	// (headings 1 to 6 and 8), rounded half away from zero, capped by the
	// budget of heading 10, on its first line (10.1); none are recorded.
	rate := c.sums(`SELECT 'x' AS k, indirect_cost_rate_bp AS v FROM grants WHERE id = ?`, g)["x"]
	if rate > 0 {
		if toDate["10"] != 0 {
			t.Fatalf("the demo records indirect costs (%d): the flat rate would not claim them", toDate["10"])
		}
		flat := func(base int64) int64 { return min((base*rate+5000)/10000, budgetHeading["10"]) }
		base := add(toDate, computed["9"])
		claimTo, claimBefore := flat(base), flat(base-add(period, computed["9"]))
		period["10"], toDate["10"] = claimTo-claimBefore, claimTo
		linePeriod["10.1"], lineToDate["10.1"] = claimTo-claimBefore, claimTo
	}
	seen := map[string]bool{}
	lines := 0
	heading := ""
	for r := firstRow; r <= len(rows); r++ {
		code, label := cell(rows, r, 0), cell(rows, r, 1)
		var wantBudget, wantPeriod, wantToDate int64
		switch _, isComputed := computed[code]; {
		case isComputed:
			wantBudget, wantPeriod, wantToDate = add(budgetHeading, computed[code]), add(period, computed[code]), add(toDate, computed[code])
		case code != "" && !strings.Contains(code, "."): // a heading's title
			heading = code
			if cell(rows, r, 6) != "" {
				t.Errorf("%s row %d, the title of heading %s, has figures", sheet, r, code)
			}
			continue
		case code != "": // a line
			lines++
			wantBudget, wantPeriod, wantToDate = budgetLine[code], linePeriod[code], lineToDate[code]
		case heading != "" && strings.HasPrefix(label, c.l.T("xlsx.subtotalOf", "Code", heading, "Title", "")):
			code = heading
			wantBudget, wantPeriod, wantToDate = budgetHeading[code], period[code], toDate[code]
		default:
			continue
		}
		seen[code] = true
		where := func(col string) string { return fmt.Sprintf("%s!%s%d (%s)", sheet, col, r, code) }
		c.exact(where("G"), cell(rows, r, 6), wantBudget, "EUR")
		c.exact(where("H"), cell(rows, r, 7), wantPeriod, "EUR")
		c.exact(where("I"), cell(rows, r, 8), wantToDate, "EUR")
		c.exact(where("J"), cell(rows, r, 9), wantBudget-wantToDate, "EUR")
		c.exact(where("K"), cell(rows, r, 10), wantToDate-wantBudget, "EUR")
		if code == "11" {
			total := c.sums(`SELECT 'x' AS k, CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS v FROM expenditures
				WHERE grant_id = ? AND `+counted+` AND expense_date BETWEEN ? AND ?`, g, c.from, c.to)["x"]
			c.exact(where("H"), cell(rows, r, 7), total+period["10"], "EUR")
		}
	}
	for _, code := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"} {
		if !seen[code] {
			t.Errorf("the summary has no row for heading %s", code)
		}
	}
	if lines != len(budgetLine) {
		t.Errorf("the summary has %d line rows, the budget %d lines", lines, len(budgetLine))
	}
	// The French workbook's PRAG headings are French.
	title := c.l.T("xlsx.prag.1")
	found := false
	for r := firstRow; r <= len(rows); r++ {
		if cell(rows, r, 0) == "1" {
			found = cell(rows, r, 1) == title
		}
	}
	if !found {
		t.Errorf("heading 1 is not titled %q", title)
	}
	// Same figures as finance.BudgetVsActual (a separate transaction on
	// the same, unchanged data) for spending to date.
	bva, err := finance.NewService(c.w.d).BudgetVsActual(c.w.ctx, finance.Query{GrantID: g, GroupBy: finance.ByHeading, AsOf: c.to})
	if err != nil {
		t.Fatal(err)
	}
	for r := firstRow; r <= len(rows); r++ {
		if cell(rows, r, 0) == "11" {
			c.exact("summary total to date against BudgetVsActual", cell(rows, r, 8), bva.Total.Spent, "EUR")
			c.exact("summary total budget against BudgetVsActual", cell(rows, r, 6), bva.Total.Budget, "EUR")
		}
	}
	// The warning counts the expenditures waiting for a rate.
	missing := c.sums(`SELECT 'x' AS k, COUNT(*) AS v FROM expenditures WHERE grant_id = ? AND `+counted+`
		AND expense_date BETWEEN ? AND ? AND converted_amount IS NULL`, g, c.from, c.to)["x"]
	missingToDate := c.sums(`SELECT 'x' AS k, COUNT(*) AS v FROM expenditures WHERE grant_id = ? AND `+counted+`
		AND expense_date <= ? AND converted_amount IS NULL`, g, c.to)["x"]
	if missingToDate != bva.RateMissing {
		t.Errorf("%d expenditures miss a rate to date, BudgetVsActual says %d", missingToDate, bva.RateMissing)
	}
	if missingToDate > 0 {
		want := c.l.N("xlsx.warn.rateMissing", missing, "ToDate", missingToDate, "To", c.to)
		if !sheetHas(rows, want) {
			t.Errorf("the summary lacks the warning %q", want)
		}
	}
}

func sheetHas(rows [][]string, text string) bool {
	for _, row := range rows {
		for _, v := range row {
			if v == text {
				return true
			}
		}
	}
	return false
}

func (c *checker) list() {
	t := c.t
	sheet := c.l.T("xlsx.sheet.list")
	rows := c.rows(sheet)
	var n, missing int64
	sum := decimal.Zero
	last := firstRow - 1
	for r := firstRow; r <= len(rows) && cell(rows, r, 0) != ""; r++ {
		n++
		last = r
		conv := cell(rows, r, 11)
		if conv == "" {
			missing++
			if !strings.HasPrefix(cell(rows, r, 13), c.l.T("xlsx.waitingRate")) {
				t.Errorf("%s row %d has no converted amount and no flag", sheet, r)
			}
			continue
		}
		sum = sum.Add(decimal.RequireFromString(conv))
	}
	want := c.sums(`SELECT 'n' AS k, COUNT(*) AS v FROM expenditures WHERE grant_id = ? AND `+counted+` AND expense_date BETWEEN ? AND ?
		UNION ALL SELECT 'missing' AS k, COUNT(*) AS v FROM expenditures WHERE grant_id = ? AND `+counted+` AND expense_date BETWEEN ? AND ? AND converted_amount IS NULL
		UNION ALL SELECT 'sum' AS k, CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS v FROM expenditures WHERE grant_id = ? AND `+counted+` AND expense_date BETWEEN ? AND ?`,
		c.grantID, c.from, c.to, c.grantID, c.from, c.to, c.grantID, c.from, c.to)
	if n != want["n"] || missing != want["missing"] {
		t.Errorf("%s lists %d expenditures (%d without a rate), the database has %d (%d)", sheet, n, missing, want["n"], want["missing"])
	}
	if n == 0 {
		t.Errorf("%s is empty: the test data should have expenditures in the period", sheet)
	}
	c.exact(sheet+" rows added up", sum.String(), want["sum"], "EUR")
	c.exact(sheet+" total", cell(rows, last+2, 11), want["sum"], "EUR")
	if f, _ := c.f.GetCellFormula(sheet, ref("L", last+2)); f != fmt.Sprintf("SUM(L%d:L%d)", firstRow, last) {
		t.Errorf("%s total formula %q", sheet, f)
	}
}

func (c *checker) currencies() {
	t := c.t
	sheet := c.l.T("xlsx.sheet.currencies")
	rows := c.rows(sheet)
	conv := c.sums(`SELECT currency_code AS k, CAST(SUM(converted_amount) AS BIGINT) AS v FROM expenditures
		WHERE grant_id = ? AND `+counted+` AND expense_date BETWEEN ? AND ? AND converted_amount IS NOT NULL GROUP BY currency_code`, c.grantID, c.from, c.to)
	orig := c.sums(`SELECT currency_code AS k, CAST(SUM(amount) AS BIGINT) AS v FROM expenditures
		WHERE grant_id = ? AND `+counted+` AND expense_date BETWEEN ? AND ? AND converted_amount IS NOT NULL GROUP BY currency_code`, c.grantID, c.from, c.to)
	found := 0
	var total int64
	for r := firstRow; r <= len(rows); r++ {
		label := cell(rows, r, 0)
		for cur := range conv {
			if label == c.l.T("xlsx.totalOf", "Currency", cur) {
				found++
				c.exact(fmt.Sprintf("%s total %s converted", sheet, cur), cell(rows, r, 6), conv[cur], "EUR")
				c.exact(fmt.Sprintf("%s total %s original", sheet, cur), cell(rows, r, 5), orig[cur], cur)
			}
		}
		if label == c.l.T("xlsx.totalAll") {
			for _, v := range conv {
				total += v
			}
			c.exact(sheet+" total", cell(rows, r, 6), total, "EUR")
		}
	}
	if found != len(conv) || len(conv) < 2 {
		t.Errorf("%s has %d currency totals, the database %d currencies", sheet, found, len(conv))
	}
	// XOF has no decimals: its amounts are whole numbers with a 0-decimal format.
	if _, ok := orig["XOF"]; ok {
		for r := firstRow; r <= len(rows); r++ {
			if cell(rows, r, 0) == "XOF" && cell(rows, r, 5) != "" {
				if strings.Contains(cell(rows, r, 5), ".") {
					t.Errorf("XOF amount %q has decimals", cell(rows, r, 5))
				}
				st, _ := c.f.GetCellStyle(sheet, ref("F", r))
				s, _ := c.f.GetStyle(st)
				if s.NumFmt != 3 {
					t.Errorf("XOF amount format %d, want 3 (#,##0)", s.NumFmt)
				}
				break
			}
		}
	}
}

func (c *checker) rates() {
	sheet := c.l.T("xlsx.sheet.rates")
	rows := c.rows(sheet)
	total := c.sums(`SELECT 'x' AS k, CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS v FROM expenditures
		WHERE grant_id = ? AND `+counted+` AND expense_date BETWEEN ? AND ?`, c.grantID, c.from, c.to)["x"]
	for r := firstRow; r <= len(rows); r++ {
		if cell(rows, r, 0) == c.l.T("xlsx.total") {
			c.exact(sheet+" total", cell(rows, r, 6), total, "EUR")
			return
		}
	}
	c.t.Errorf("%s has no total row", sheet)
}

func (c *checker) cover() {
	t := c.t
	rows := c.rows(c.l.T("xlsx.sheet.cover"))
	var seq int64
	var hash string
	if err := c.w.d.NewRaw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(context.Background(), &seq, &hash); err != nil {
		t.Fatal(err)
	}
	if hash == "" {
		t.Fatal("the demo seed left no audit event")
	}
	for _, want := range []string{c.l.T("xlsx.cover.auditHead", "Seq", seq, "Hash", hash), c.l.T("xlsx.cover.generatedBySystem"), "2026-11-20 09:30:00 UTC",
		c.from + " – " + c.to, "European Commission, Directorate-General for International Partnerships", "Global Alliance for Decent Work"} {
		if !sheetHas(rows, want) {
			t.Errorf("the cover lacks %q", want)
		}
	}
}

// formulas recalculates every formula of the workbook with excelize's own
// engine and compares it with the cached value: every total is the sum of
// its rows, to the cent.
func (c *checker) formulas() {
	t := c.t
	n := 0
	for _, sheet := range c.f.GetSheetList() {
		rows := c.rows(sheet)
		for r := range rows {
			for col := range rows[r] {
				ref, _ := excelize.CoordinatesToCellName(col+1, r+1)
				formula, err := c.f.GetCellFormula(sheet, ref)
				if err != nil || formula == "" {
					continue
				}
				n++
				cached := rows[r][col]
				got, err := c.f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Errorf("%s!%s =%s: %v", sheet, ref, formula, err)
					continue
				}
				if !sameNumber(cached, got) {
					t.Errorf("%s!%s =%s: cached %q, recalculated %q", sheet, ref, formula, cached, got)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d formulas in the workbook", n)
	}
}

// sameNumber compares a cached value and a recalculated one (an
// application adds up doubles, which may leave a few 1e-10 of noise): equal
// within 5e-7, far below a cent and the 0.01% shown of ratios; equal as
// text otherwise.
func sameNumber(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return x.Sub(y).Abs().LessThan(decimal.New(5, -7))
}

func TestXLSXFlagsHeadingsBeyondTheFlexibilityThreshold(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newDemoWorld(t, d)
		g := w.data.Grants[0]
		ctx := actor.SystemContext(context.Background())
		budgets := budget.NewService(d)
		v, err := budgets.CreateVersion(ctx, g.ID, budget.VersionInput{Kind: budget.Transfer, Label: "Travel to equipment"}, "")
		if err != nil {
			t.Fatal(err)
		}
		// Heading 2 loses 40% of its budget to heading 3 (+ the same amount).
		var moved int64
		if err := d.NewRaw(`SELECT CAST(SUM(total) AS BIGINT) FROM budget_lines WHERE budget_version_id = ? AND heading_code = '2'`, v.ID).Scan(ctx, &moved); err != nil {
			t.Fatal(err)
		}
		moved = moved * 40 / 100
		var two, three struct {
			ID    string `bun:"id"`
			Total int64  `bun:"total"`
		}
		if err := d.NewRaw(`SELECT id, total FROM budget_lines WHERE budget_version_id = ? AND heading_code = '2' ORDER BY total DESC LIMIT 1`, v.ID).Scan(ctx, &two); err != nil {
			t.Fatal(err)
		}
		if err := d.NewRaw(`SELECT id, total FROM budget_lines WHERE budget_version_id = ? AND heading_code = '3' ORDER BY total DESC LIMIT 1`, v.ID).Scan(ctx, &three); err != nil {
			t.Fatal(err)
		}
		if moved > two.Total {
			t.Fatalf("the largest travel line (%d) cannot give %d", two.Total, moved)
		}
		for _, u := range []struct {
			id    string
			total int64
		}{{two.ID, two.Total - moved}, {three.ID, three.Total + moved}} {
			if _, err := d.NewRaw(`UPDATE budget_lines SET units = '1', unit = 'lump sum', unit_cost = ?, total = ? WHERE id = ?`, u.total, u.total, u.id).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		v, err = budgets.GetVersion(ctx, g.ID, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := budgets.AdoptVersion(ctx, g.ID, v.ID, v.ETag()); err != nil {
			t.Fatal(err)
		}

		comp, err := finance.NewService(d).CheckCompliance(ctx, g.ID, "2025-12-31")
		if err != nil {
			t.Fatal(err)
		}
		wantFlag := map[string]bool{}
		for _, fd := range comp.Findings {
			if fd.Code == finance.CodeFlexibilityExceeded {
				wantFlag[fd.HeadingCode] = true
			}
		}
		if !wantFlag["2"] {
			t.Fatalf("the compliance check does not flag heading 2: %+v", comp.Findings)
		}
		f, _, _ := w.xlsx(t, Request{GrantID: g.ID, Period: 2})
		l := i18n.For("en")
		rows, err := f.GetRows(l.T("xlsx.sheet.summary"), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		// Flags stand on the headings' subtotal rows.
		gotFlag := map[string]string{}
		subtotal := map[string]int{}
		heading := ""
		for r := firstRow; r <= len(rows); r++ {
			code := cell(rows, r, 0)
			if code != "" && !strings.Contains(code, ".") {
				heading = code
			}
			if code == "" && heading != "" && strings.HasPrefix(cell(rows, r, 1), l.T("xlsx.subtotalOf", "Code", heading, "Title", "")) {
				subtotal[heading] = r
				if flag := cell(rows, r, 13); flag != "" {
					gotFlag[heading] = flag
				}
			} else if flag := cell(rows, r, 13); flag != "" {
				t.Errorf("row %d (%q) has a flag %q outside a heading's subtotal", r, code, flag)
			}
		}
		for code := range wantFlag {
			if gotFlag[code] == "" {
				t.Errorf("heading %s is not flagged in the workbook", code)
			}
		}
		for code, flag := range gotFlag {
			if !wantFlag[code] {
				t.Errorf("heading %s is flagged (%q) but the compliance check finds nothing", code, flag)
			}
		}
		if want := l.T("xlsx.flex.moved", "Change", "-40.00", "Limit", "25.00"); gotFlag["2"] != want {
			t.Errorf("heading 2 flag %q, want %q", gotFlag["2"], want)
		}
		// The baseline column keeps the original budget; the budget column the transfer's.
		r := subtotal["2"]
		base, err1 := decimal.NewFromString(cell(rows, r, 5))
		cur, err2 := decimal.NewFromString(cell(rows, r, 6))
		if err1 != nil || err2 != nil || !base.Sub(cur).Equal(decimal.New(moved, -2)) {
			t.Errorf("heading 2 (row %d): baseline %s, budget %s: the difference should be %s", r, base, cur, decimal.New(moved, -2))
		}
	})
}

func TestXLSXRefusesBeforeWritingAnything(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newDemoWorld(t, d)
		g := w.data.Grants[0]
		partner := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u-partner",
			Memberships: []actor.Membership{{OrganisationID: w.data.Organisations["UDWU"].ID, Role: actor.RolePartnerEditor}}})
		for _, c := range []struct {
			name string
			ctx  context.Context
			req  Request
			kind errs.Kind
		}{
			{"unknown grant", w.ctx, Request{GrantID: "nope"}, errs.KindNotFound},
			{"a partner", partner, Request{GrantID: g.ID}, errs.KindPermission},
			{"period beyond the grant", w.ctx, Request{GrantID: g.ID, Period: 9}, errs.KindInvalid},
			{"unknown language", w.ctx, Request{GrantID: g.ID, Language: "de"}, errs.KindInvalid},
		} {
			t.Run(c.name, func(t *testing.T) {
				var buf bytes.Buffer
				_, err := w.svc.XLSX(c.ctx, c.req, &buf, nil)
				if errs.KindOf(err) != c.kind {
					t.Fatalf("error %v (%s), want %s", err, errs.KindOf(err), c.kind)
				}
				if buf.Len() != 0 {
					t.Errorf("%d bytes written before the error", buf.Len())
				}
			})
		}
	})
}

// TestAmountCellTextIsExact checks the argument in xlsx_num.go: the text
// excelize writes for an amount is its exact decimal.
func TestAmountCellTextIsExact(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(1, 2))
	values := []int64{0, 1, -1, 5, 10, 99, 100, 101, 123456789, 999_999_999_999_999, -999_999_999_999_999, 100_000_000_000_000,
		1_000_000_000_000 - 1, 12_345_678_901_234}
	for range 200000 {
		values = append(values, rnd.Int64N(maxExactMinor+1)*(1-2*rnd.Int64N(2)))
		values = append(values, rnd.Int64N(100_000_000_00)) // up to a hundred million euros, in cents
	}
	for scale := 0; scale <= 4; scale++ {
		for _, v := range values {
			cellValue, err := amount(v, scale)
			if err != nil {
				t.Fatal(err)
			}
			var text string
			switch x := cellValue.(type) {
			case int64:
				text = strconv.FormatInt(x, 10)
			case float64:
				text = strconv.FormatFloat(x, 'f', -1, 64) // what excelize writes
			}
			want := decimal.New(v, -int32(scale))
			got, err := decimal.NewFromString(text)
			if err != nil || !got.Equal(want) {
				t.Fatalf("%d minor units at scale %d written as %q, want %s", v, scale, text, want)
			}
		}
	}
	if _, err := amount(maxExactMinor+1, 2); err == nil {
		t.Error("an amount beyond 15 digits was accepted")
	}
	for _, r := range []string{"655.957", "1.9558", "140.12345678", "0.00012345", "4000", "140.00"} {
		f, ok := rateValue(r).(float64)
		if !ok || !decimal.RequireFromString(strconv.FormatFloat(f, 'f', -1, 64)).Equal(decimal.RequireFromString(r)) {
			t.Errorf("rate %s written as %v", r, rateValue(r))
		}
	}
	if s, ok := rateValue("1.2345678901234567").(string); !ok || s != "1.2345678901234567" {
		t.Errorf("a 17-digit rate is not kept as text: %v", rateValue("1.2345678901234567"))
	}
}

// TestXLSXWithoutBudget: a grant without an adopted budget, with spending
// on a line no budget has, under a heading the template lacks, and one
// expenditure waiting for a rate; and a period without any expenditure.
func TestXLSXWithoutBudget(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newDemoWorld(t, d)
		ctx := context.Background()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.NewRaw(q, args...).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		grantID := "g-nobudget"
		exec(`INSERT INTO grants (id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
			total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
			interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
			VALUES (?, ?, ?, 'NB/2025/1', 'No budget yet', 'EUR', '2025-01-01', '2026-12-31',
			10000000, 9000000, 9000, 12, 60, 3, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			grantID, w.data.Organisations["EC-INTPA"].ID, w.data.Organisations["GADW"].ID)
		org := w.data.Organisations["UDWU"].ID
		for i, e := range []struct {
			line, heading, cur, status string
			amount                     int64
			rate, conv                 any
		}{
			{"L-A", "2", "EUR", "verified", 10000, "1", int64(10000)},
			{"L-B", "99", "KES", "submitted", 1402500, "140.25", int64(10000)},
			{"L-A", "2", "KES", "verified", 500000, nil, nil},
			{"L-A", "2", "EUR", "draft", 777700, "1", int64(777700)},
		} {
			exec(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, organisation_id, expense_date, amount, currency_code,
				status, rate, converted_amount, created_by, version, create_time, update_time)
				VALUES (?, ?, ?, ?, ?, '2025-03-10', ?, ?, ?, ?, ?, 'test', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				fmt.Sprintf("e-nb-%d", i), grantID, e.line, e.heading, org, e.amount, e.cur, e.status, e.rate, e.conv)
		}
		f, _, _ := w.xlsx(t, Request{GrantID: grantID, Period: 1})
		l := i18n.For("en")
		rows, err := f.GetRows(l.T("xlsx.sheet.summary"), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		totals := map[string]string{}
		for r := firstRow; r <= len(rows); r++ {
			code := cell(rows, r, 0)
			if code != "" && !strings.Contains(code, "-") {
				order = append(order, code)
			}
			if code == "L-A" || code == "L-B" || code == "7" || code == "11" {
				totals[code] = cell(rows, r, 7)
			}
		}
		if got := strings.Join(order, " "); got != "1 2 3 4 5 6 99 7 8 9 10 11" {
			t.Errorf("heading order %q: the unknown heading 99 belongs after the direct headings", got)
		}
		for code, want := range map[string]string{"L-A": "100", "L-B": "100", "7": "200", "11": "200"} {
			if totals[code] != want {
				t.Errorf("%s spent in the period %q, want %s", code, totals[code], want)
			}
		}
		for _, want := range []string{l.T("xlsx.warn.noBudget"), l.N("xlsx.warn.rateMissing", 1, "ToDate", 1, "To", "2025-12-31"),
			l.T("xlsx.heading.unknown", "Code", "99"), " " + l.T("xlsx.line.notBudgeted")} {
			found := false
			for _, row := range rows {
				for _, v := range row {
					found = found || strings.Contains(v, want)
				}
			}
			if !found {
				t.Errorf("the summary lacks %q", want)
			}
		}
		ck := &checker{t: t, w: w, f: f, l: l, grantID: grantID, from: "2025-01-01", to: "2025-12-31"}
		ck.list()
		ck.formulas()

		// A period without expenditures: zeros, still a valid workbook.
		f, _, _ = w.xlsx(t, Request{GrantID: grantID, From: "2024-01-01", To: "2024-01-31"})
		ck = &checker{t: t, w: w, f: f, l: l, grantID: grantID, from: "2024-01-01", to: "2024-01-31"}
		ck.formulas()
		rows, _ = f.GetRows(l.T("xlsx.sheet.list"), excelize.Options{RawCellValue: true})
		if got := cell(rows, firstRow+1, 11); got != "0" {
			t.Errorf("the empty list's total is %q", got)
		}
	})
}

// TestXLSXStreamedSumsEqualTheDatabase: the workbook adds up the period
// from the expenditure list as it streams and the spending before it in
// the database; finance.StatementIn adds up everything in the database.
// Both give the same statement.
func TestXLSXStreamedSumsEqualTheDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newDemoWorld(t, d)
		now := w.svc.now()
		for _, req := range []Request{{GrantID: w.data.Grants[0].ID, Period: 2}, {GrantID: w.data.Grants[1].ID, From: "2025-10-15", To: "2026-03-31"}} {
			err := w.svc.readTx(w.ctx, func(ctx context.Context, tx bun.Tx) error {
				sc, err := resolve(ctx, tx, req, calendar.Of(now))
				if err != nil {
					return err
				}
				dbSummary, err := finance.StatementIn(ctx, tx, sc.Grant, sc.Query(now))
				if err != nil {
					return err
				}
				dbCurrencies := dbSummary.Currencies
				listed := 0
				summary, err := finance.StatementStream(ctx, tx, sc.Grant, sc.Query(now), func(*ListedExpenditure) error { listed++; return nil })
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(summary, dbSummary) {
					t.Errorf("%+v: the streamed statement differs from the database's", req)
				}
				if int64(listed) != dbCurrencies.Count {
					t.Errorf("%+v: %d expenditures streamed, the statement counts %d", req, listed, dbCurrencies.Count)
				}
				if summary.Total.Period == 0 || summary.Total.ToDate <= summary.Total.Period || len(dbCurrencies.Blocks) < 3 {
					t.Errorf("%+v: the test data should have spending before and in the period, in several currencies", req)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	})
}
