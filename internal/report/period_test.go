package report

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
)

// TestMovingTheStartPastRecordedSpending moves the demo grant's start past
// a month of recorded spending. Without confirmation the change is refused
// and nothing changes; validate_only lists what would become ineligible;
// confirmed with the right number it is applied. Then budget versus actual,
// compliance, the workbook (read back, and recalculated by LibreOffice
// unless -short) and the PDF agree to the cent with figures added up here
// from the expenditures themselves: what is counted, and what is listed as
// not eligible.
func TestMovingTheStartPastRecordedSpending(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newDemoWorld(t, d)
		g0 := w.data.Grants[0]
		lead := w.data.Organisations["GADW"].ID
		coordinator := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u-coord", Email: "coord@gadw.example.org",
			Memberships: []actor.Membership{{OrganisationID: lead, Role: actor.RoleCoordinator}}})
		grants := grant.NewService(d)
		ctx := context.Background()

		// The figures below are expenditures only: no indirect costs at a
		// flat rate on top (TestStatementIndirectCostsAtAFlatRate and the
		// workbook's tests cover them).
		if _, err := d.NewUpdate().Table("grants").Set("indirect_cost_rate_bp = 0").Where("id = ?", g0.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		oldStart := g0.StartDate.String()
		newStart := calendar.MustParse(oldStart).AddMonths(1).String() // a month later
		// What the move leaves outside, added up from the expenditures.
		type sum struct {
			N, Rated, Total int64
		}
		var moved, claimedOut sum
		if err := d.NewRaw(`SELECT COUNT(*), COUNT(converted_amount), CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) FROM expenditures
			WHERE grant_id = ? AND status <> 'rejected' AND expense_date >= ? AND expense_date < ?`, g0.ID, oldStart, newStart).
			Scan(ctx, &moved.N, &moved.Rated, &moved.Total); err != nil {
			t.Fatal(err)
		}
		if moved.N < 10 {
			t.Fatalf("the demo grant has only %d expenditures in its first month: nothing to test", moved.N)
		}

		cur, err := grants.Get(coordinator, g0.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := grant.Input{StartDate: newStart}
		mask := resource.Mask{"start_date"}

		// Refused without confirmation, naming how many and from when.
		_, err = grants.Update(coordinator, g0.ID, in, mask, cur.ETag())
		var e *errs.Error
		if !errs.Is(err, errs.KindPrecondition) || !errors.As(err, &e) || e.Reason != "EXPENDITURES_OUTSIDE_PERIOD" ||
			!strings.Contains(e.Message, strconv.FormatInt(moved.N, 10)+" recorded expenditure(s) ("+strconv.FormatInt(moved.N, 10)+" dated before "+newStart+")") {
			t.Fatalf("unconfirmed update: %v", err)
		}
		// Validate only: the list, and nothing written.
		g, out, err := grants.UpdateWith(coordinator, g0.ID, in, mask, cur.ETag(), grant.UpdateOptions{ValidateOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if g.StartDate.String() != newStart || g.ETag() != cur.ETag() || out.Count != moved.N || out.Converted != moved.Total ||
			int64(len(out.Listed)) != min(moved.N, grant.MaxIneligibleListed) || out.Before != moved.N {
			t.Fatalf("validate only: start %s etag %s, %d listed of %+v; want %d, %+v", g.StartDate, g.ETag(), len(out.Listed), out.Summary, moved.N, moved)
		}
		for _, x := range out.Listed {
			if x.Date < oldStart || x.Date >= newStart || x.Reason != "before_start" {
				t.Errorf("listed %s dated %s (%s)", x.ID, x.Date, x.Reason)
			}
		}
		// A stale count is refused too.
		if _, _, err := grants.UpdateWith(coordinator, g0.ID, in, mask, cur.ETag(), grant.UpdateOptions{ConfirmIneligible: moved.N - 1}); !errs.Is(err, errs.KindPrecondition) {
			t.Fatalf("confirmed with %d of %d: %v", moved.N-1, moved.N, err)
		}
		if now, _ := grants.Get(coordinator, g0.ID); now.StartDate.String() != oldStart || now.Version != cur.Version {
			t.Fatalf("refused updates changed the grant: start %s, version %d", now.StartDate, now.Version)
		}
		// Confirmed: applied.
		g, out, err = grants.UpdateWith(coordinator, g0.ID, in, mask, cur.ETag(), grant.UpdateOptions{ConfirmIneligible: moved.N})
		if err != nil {
			t.Fatal(err)
		}
		if g.StartDate.String() != newStart || g.Version != cur.Version+1 || out.Count != moved.N {
			t.Fatalf("confirmed update: start %s version %d, %d outside", g.StartDate, g.Version, out.Count)
		}

		// The figures, from the expenditures: period 1 now runs from the
		// new start for 12 months; counted is claimed, converted and inside
		// the implementation period; not eligible is claimed and outside.
		from := calendar.MustParse(newStart)
		to := from.AddMonths(g.ReportingPeriodMonths).AddDays(-1)
		var counted sum
		if err := d.NewRaw(`SELECT COUNT(*), COUNT(converted_amount), CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) FROM expenditures
			WHERE grant_id = ? AND status IN ('submitted', 'verified') AND expense_date >= ? AND expense_date <= ?`,
			g0.ID, from.String(), to.String()).Scan(ctx, &counted.N, &counted.Rated, &counted.Total); err != nil {
			t.Fatal(err)
		}
		if err := d.NewRaw(`SELECT COUNT(*), COUNT(converted_amount), CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) FROM expenditures
			WHERE grant_id = ? AND status IN ('submitted', 'verified') AND (expense_date < ? OR expense_date > ?)`,
			g0.ID, newStart, g.EndDate.String()).Scan(ctx, &claimedOut.N, &claimedOut.Rated, &claimedOut.Total); err != nil {
			t.Fatal(err)
		}
		if claimedOut.N == 0 || claimedOut.Total == 0 || counted.Total == 0 {
			t.Fatalf("nothing to compare: counted %+v, outside %+v", counted, claimedOut)
		}
		cents := func(v int64) string { return money.Format(v, "EUR") }
		t.Logf("moved %+v; period 1 %s to %s counted %+v; not eligible %+v", moved, from, to, counted, claimedOut)

		// Budget versus actual as of the period's end.
		fin := finance.NewService(d)
		bva, err := fin.BudgetVsActual(w.ctx, finance.Query{GrantID: g0.ID, AsOf: to.String()})
		if err != nil {
			t.Fatal(err)
		}
		if bva.Total.Spent != counted.Total || bva.Total.Count != counted.Rated ||
			bva.Ineligible.Count != claimedOut.N || bva.Ineligible.Converted != claimedOut.Total || bva.Ineligible.Before != claimedOut.N {
			t.Errorf("budget versus actual: spent %s (%d), not eligible %+v; want %s (%d), %+v",
				cents(bva.Total.Spent), bva.Total.Count, bva.Ineligible, cents(counted.Total), counted.Rated, claimedOut)
		}
		// Compliance says the same.
		cmp, err := fin.CheckCompliance(w.ctx, g0.ID, to.String())
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range cmp.Findings {
			if f.Code == finance.CodeOutsideEligibility {
				found = f.Args["count"] == strconv.FormatInt(claimedOut.N, 10) && f.Args["total"] == cents(claimedOut.Total)
				if !found {
					t.Errorf("compliance finding %v, want %d and %s", f.Args, claimedOut.N, cents(claimedOut.Total))
				}
			}
		}
		if !found {
			t.Error("compliance has no OUTSIDE_ELIGIBILITY finding")
		}
		if cmp.Prefinancing.Spent != bva.Total.Spent {
			t.Errorf("pre-financing counts %s spent, budget versus actual %s", cents(cmp.Prefinancing.Spent), cents(bva.Total.Spent))
		}

		// The workbook of period 1.
		f, raw, _ := w.xlsx(t, Request{GrantID: g0.ID, Period: 1})
		if dir := os.Getenv("PACTUM_XLSX_OUT"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, "moved-start-"+d.Dialect().Name().String()+".xlsx"), raw, 0o600)
		}
		l := i18n.For("en")
		ck := &checker{t: t, w: w, f: f, l: l, grantID: g0.ID, from: from.String(), to: to.String()}
		summary := ck.rows(l.T("xlsx.sheet.summary"))
		totalRow := -1
		for i, r := range summary {
			if len(r) > 0 && r[0] == "11" {
				totalRow = i + 1
			}
		}
		if totalRow < 0 {
			t.Fatal("no total row (11) in the summary")
		}
		ck.exact("summary total, spent in the period", cell(summary, totalRow, 7), counted.Total, "EUR")
		ck.exact("summary total, spent to date", cell(summary, totalRow, 8), counted.Total, "EUR")
		list := ck.rows(l.T("xlsx.sheet.list"))
		// The counted list: from the header to its total row.
		listTotal, inelTitle, inelTotal := -1, -1, -1
		for i, r := range list {
			switch {
			case len(r) == 0:
			case listTotal < 0 && strings.HasPrefix(r[0], l.N("xlsx.list.total", counted.Rated)):
				listTotal = i + 1
			case strings.HasPrefix(r[0], l.T("xlsx.ineligible.title", "Start", newStart, "End", g.EndDate.String())):
				inelTitle = i + 1
			case strings.HasPrefix(r[0], l.N("xlsx.ineligible.total", claimedOut.N)):
				inelTotal = i + 1
			}
		}
		if listTotal < 0 || inelTitle < 0 || inelTotal < 0 {
			t.Fatalf("list rows: total %d, not eligible title %d and total %d", listTotal, inelTitle, inelTotal)
		}
		ck.exact("list total", cell(list, listTotal, 11), counted.Total, "EUR")
		for r := firstRow; r < listTotal-1; r++ {
			if d := cell(list, r, 0); d != "" && excelSerialBefore(d, newStart) {
				t.Errorf("list row %d is dated before the start (%s)", r, d)
			}
		}
		// Not eligible: a row each (header after the title), the reason,
		// their own total.
		rows := inelTotal - inelTitle - 2
		if int64(rows) != claimedOut.N {
			t.Errorf("%d rows listed as not eligible, want %d", rows, claimedOut.N)
		}
		reason := l.T("xlsx.ineligible.beforeStart", "Start", newStart)
		for r := inelTitle + 2; r < inelTotal; r++ {
			if got := cell(list, r, 13); got != reason {
				t.Errorf("not eligible row %d: reason %q, want %q", r, got, reason)
			}
		}
		ck.exact("not eligible total", cell(list, inelTotal, 11), claimedOut.Total, "EUR")
		warn := l.N("xlsx.warn.ineligible", claimedOut.N, "Sheet", l.T("xlsx.sheet.list"), "Start", newStart, "End", g.EndDate.String())
		warned := false
		for _, r := range summary {
			if len(r) > 7 && r[1] == warn {
				ck.exact("summary, not eligible", r[7], claimedOut.Total, "EUR")
				warned = true
			}
		}
		if !warned {
			t.Errorf("the summary does not say %q", warn)
		}
		recalculated(t, f, raw, map[string][]string{
			l.T("xlsx.sheet.summary"): {ref("H", totalRow), ref("I", totalRow)},
			l.T("xlsx.sheet.list"):    {ref("L", listTotal), ref("L", inelTotal)},
		})

		// The PDF of period 1.
		var buf bytes.Buffer
		if _, err := w.svc.PDF(w.ctx, Request{GrantID: g0.ID, Period: 1}, &buf, nil); err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("PACTUM_TEST_PDF_DIR"); dir != "" { // to look at (pdftoppm -r 60 -png FILE /tmp/pages/p)
			_ = os.WriteFile(filepath.Join(dir, "moved-start-"+d.Dialect().Name().String()+".pdf"), buf.Bytes(), 0o600)
		}
		pages := pdfText(t, buf.Bytes())
		text := strings.Join(pages, "\n")
		if line := lineWith(pages, "11 Total eligible costs"); !inOrder(line, pdfNum(counted.Total), pdfNum(counted.Total)) {
			t.Errorf("PDF total row %q, want %s in the period and to date", line, pdfNum(counted.Total))
		}
		intro := strconv.FormatInt(claimedOut.N, 10) + " submitted or verified expenditures are dated outside the implementation period"
		flat := strings.Join(strings.Fields(text), " ")
		if !strings.Contains(flat, intro) || !strings.Contains(flat, "Converted total: "+pdfNum(claimedOut.Total)+" EUR") {
			t.Errorf("the PDF does not list %d not eligible (%s EUR)", claimedOut.N, pdfNum(claimedOut.Total))
		}
		// The not-eligible list ends with its total (the signature block
		// follows it on the last page).
		totalShown := false
		for _, l := range strings.Split(text, "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == "Total" && f[len(f)-1] == pdfNum(claimedOut.Total) {
				totalShown = true
			}
		}
		if !totalShown {
			t.Errorf("the PDF has no not eligible total row of %s", pdfNum(claimedOut.Total))
		}
		var refs []string
		if err := d.NewRaw(`SELECT document_ref FROM expenditures WHERE grant_id = ? AND status IN ('submitted', 'verified') AND expense_date < ?`,
			g0.ID, newStart).Scan(ctx, &refs); err != nil {
			t.Fatal(err)
		}
		for _, r := range refs {
			if !strings.Contains(text, r) {
				t.Errorf("the PDF does not list %s as not eligible", r)
			}
		}
	})
}

// excelSerialBefore reports whether a list date cell (a spreadsheet serial
// number) is before the day "YYYY-MM-DD".
func excelSerialBefore(serial, day string) bool {
	n, err := strconv.ParseFloat(serial, 64)
	d, ok := excelDate(day)
	return err == nil && ok && int64(n) < d
}

// pdfNum is an amount as the English PDF writes it: "27,571.35".
func pdfNum(minor int64) string {
	s := money.Format(minor, "EUR")
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// pdfText runs pdftotext -layout and returns the pages.
func pdfText(t *testing.T, doc []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed")
	}
	in := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	text := strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(string(out))
	return strings.Split(strings.TrimRight(text, "\f\n"), "\f")
}

// lineWith is the last line of pages holding s.
func lineWith(pages []string, s string) string {
	found := ""
	for _, p := range pages {
		for _, line := range strings.Split(p, "\n") {
			if strings.Contains(line, s) {
				found = line
			}
		}
	}
	return found
}

// inOrder reports whether line holds want, in that order.
func inOrder(line string, want ...string) bool {
	for _, w := range want {
		i := strings.Index(line, w)
		if i < 0 {
			return false
		}
		line = line[i+len(w):]
	}
	return true
}

// recalculated has LibreOffice recalculate the workbook with every cached
// value removed and checks that the given cells compute to what Pactum
// cached (skipped with -short, or without LibreOffice).
func recalculated(t *testing.T, f *excelize.File, raw []byte, cells map[string][]string) {
	t.Helper()
	if testing.Short() {
		return
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Log("LibreOffice is not installed: the workbook is not recalculated")
		return
	}
	stripped, _, err := withoutCachedValues(raw)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "recalc.xlsx")
	if err := os.WriteFile(in, stripped, 0o600); err != nil {
		t.Fatal(err)
	}
	sheets := recalcWithLibreOffice(t, soffice, dir, in, f.GetSheetList())
	for sheet, refs := range cells {
		for _, r := range refs {
			col, row, err := excelize.CellNameToCoordinates(r)
			if err != nil {
				t.Fatal(err)
			}
			want, err := f.GetCellValue(sheet, r, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if lo := sheets[sheet]; row-1 < len(lo) && col-1 < len(lo[row-1]) {
				got = lo[row-1][col-1]
			}
			if want == "" || !sameNumber(want, got) {
				t.Errorf("%s!%s: Pactum cached %q, LibreOffice computes %q", sheet, r, want, got)
			}
		}
	}
}
