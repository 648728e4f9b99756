package results

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/page"
)

// The results workbooks: the logframe with its values (a sheet for the
// grant, a sheet per project), and the OPSYS indicator sheet. Every word is
// in the caller's language (internal/i18n/locales/results.*.toml); numbers
// are number cells, and totals over periods are SUM formulas with their
// value cached (LibreOffice recalculates them to the same values: see
// xlsx_libreoffice_test.go).

// ContentTypeXLSX is the content type of the workbooks.
const ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Progress is told what is being done: a stage, and rows done of total.
type Progress func(stage string, done, total int64)

// words writes in one language.
type words struct {
	*i18n.Localizer
	lang string
}

func wordsOf(lang string) words { return words{i18n.For(lang), i18n.Of(lang)} }

// level names a level of the logframe.
func (w words) level(l Level) string { return w.T("results.level." + string(l)) }

// disagg names a disaggregation: the known ones in the language, others as
// they were typed.
func (w words) disagg(name string) string {
	if k := strings.ReplaceAll(strings.ToLower(name), " ", "_"); i18n.Has("results.disagg." + k) {
		return w.T("results.disagg." + k)
	}
	return name
}

// category names a category of disaggregation d: a country by its name,
// the known categories in the language, others as typed.
func (w words) category(d, c string) string {
	if d == DisaggregationCountry {
		if r, err := language.ParseRegion(c); err == nil {
			if n := display.Regions(language.Make(w.lang)).Name(r); n != "" {
				return n
			}
		}
		return c
	}
	if k := strings.ReplaceAll(strings.ToLower(c), " ", "_"); i18n.Has("results.category." + k) {
		return w.T("results.category." + k)
	}
	return c
}

// breakdown is "Sex: women".
func (w words) breakdown(d, c string) string {
	if d == "" {
		return w.T("results.total")
	}
	return w.T("results.breakdown", "Disaggregation", w.disagg(d), "Category", w.category(d, c))
}

// value shows a stored value of an indicator of type t: yes/no in words.
func (w words) value(t Type, s string) string {
	if t == TypeYesNo {
		switch s {
		case "1":
			return w.T("results.yes")
		case "0":
			return w.T("results.no")
		}
	}
	return s
}

// changes says what changed in row r since its last submission: the
// current value first, then the other fields, "; " between them.
func (w words) changes(r SheetRow) string {
	was, is := r.Submitted, &r
	if was == nil {
		return w.T("results.changed.new")
	}
	get := map[string]func(x *SheetRow) (string, string){ // the value shown, and its column's label
		"baseline":      func(x *SheetRow) (string, string) { return w.value(x.Type, x.Baseline), "baseline" },
		"baseline_date": func(x *SheetRow) (string, string) { return x.BaselineDate, "baselineDate" },
		"target":        func(x *SheetRow) (string, string) { return w.value(x.Type, x.Target), "target" },
		"target_date":   func(x *SheetRow) (string, string) { return x.TargetDate, "targetDate" },
		"eu_code":       func(x *SheetRow) (string, string) { return x.EUCode, "euCode" },
	}
	var parts []string
	for _, f := range r.ChangedFields {
		if f == "current_value" {
			parts = append(parts, w.T("results.changed.yes", "Before", w.value(r.Type, was.CurrentValue), "After", w.value(r.Type, is.CurrentValue)))
			continue
		}
		g := get[f]
		if g == nil {
			continue
		}
		before, col := g(was)
		after, _ := g(is)
		parts = append(parts, w.T("results.changed.field", "Field", w.T("results.col."+col), "Before", before, "After", after))
	}
	return strings.Join(parts, "; ")
}

// numberCell is a number's cell value: an int64 when whole, else a float64
// (an indicator value, not money: at most 15 significant digits read back
// the same), or the text when it has more digits.
func numberCell(d decimal.Decimal) any {
	if d.IsInteger() && d.Abs().LessThan(decimal.New(1, 15)) {
		return d.IntPart()
	}
	if len(d.Coefficient().String()) <= 15 {
		return d.InexactFloat64()
	}
	return d.String()
}

// styles of a workbook.
type styles struct {
	title, header, group, text, number, date int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	for _, x := range []struct {
		dst *int
		st  *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E2F3"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.group, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.text, &excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.number, &excelize.Style{Border: border, NumFmt: 4, Alignment: &excelize.Alignment{Vertical: "top"}}}, // #,##0.00
		{&s.date, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"}}},
	} {
		id, err := f.NewStyle(x.st)
		if err != nil {
			return s, err
		}
		*x.dst = id
	}
	// Whole numbers without decimals.
	id, err := f.NewStyle(&excelize.Style{Border: border, CustomNumFmt: ptr("#,##0.##"), Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return s, err
	}
	s.number = id
	return s, nil
}

func ptr[T any](v T) *T { return &v }

var unsafeSheet = regexp.MustCompile(`[\[\]:*?/\\']`)

// sheetName makes s a valid, unused sheet name (at most 31 characters).
func sheetName(s string, used map[string]bool) string {
	s = strings.TrimSpace(unsafeSheet.ReplaceAllString(s, "-"))
	if s == "" {
		s = "-"
	}
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	base, n := s, 2
	for used[strings.ToLower(s)] {
		suffix := fmt.Sprintf(" (%d)", n)
		r := []rune(base)
		s = string(r[:min(len(r), 31-len(suffix))]) + suffix
		n++
	}
	used[strings.ToLower(s)] = true
	return s
}

var unsafeFile = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileName(prefix string, g *grantfacts.Facts) string {
	ref := strings.Trim(unsafeFile.ReplaceAllString(g.DonorReference, "-"), "-")
	if ref == "" {
		ref = g.ID
	}
	return prefix + "-" + ref + ".xlsx"
}

// sheetWriter writes one sheet's rows in order, each as high as its
// wrapped text needs (LibreOffice does not size rows on load).
type sheetWriter struct {
	sw     *excelize.StreamWriter
	row    int
	widths []float64 // of the columns, in characters
}

// newSheetWriter starts sheet name of f with its columns' widths, printed
// landscape and fitted to the page's width.
func newSheetWriter(f *excelize.File, name string, widths []float64) (*sheetWriter, error) {
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), Size: ptr(9), // A4
		FitToWidth: ptr(1), FitToHeight: ptr(0)}); err != nil {
		return nil, err
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for k, wd := range widths {
		if err := sw.SetColWidth(k+1, k+1, wd); err != nil {
			return nil, err
		}
	}
	return &sheetWriter{sw: sw, widths: widths}, nil
}

func (s *sheetWriter) write(cells []any) error {
	s.row++
	ref, _ := excelize.CoordinatesToCellName(1, s.row)
	lines := 1
	for k, c := range cells {
		cl, ok := c.(excelize.Cell)
		if !ok || k >= len(s.widths) || k == 0 && len(cells) == 1 {
			continue
		}
		text, ok := cl.Value.(string)
		if !ok {
			continue
		}
		n := 0
		for _, part := range strings.Split(text, "\n") {
			n += 1 + int(float64(len([]rune(part)))*1.15/max(s.widths[k]-1, 1))
		}
		lines = max(lines, n)
	}
	if lines > 1 {
		return s.sw.SetRow(ref, cells, excelize.RowOpts{Height: 15 * float64(min(lines, 20))})
	}
	return s.sw.SetRow(ref, cells)
}

func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// numberOrText is a number cell for a stored number, a text cell otherwise.
func numberOrText(st styles, w words, t Type, s string) excelize.Cell {
	if s == "" {
		return cell(st.text, nil)
	}
	if t == TypeNumber || t == TypePercentage {
		if d, err := decimal.NewFromString(s); err == nil {
			return cell(st.number, numberCell(d))
		}
	}
	return cell(st.text, w.value(t, s))
}

// periodsOf is how many reporting periods the logframe shows: the grant's,
// and any period an indicator has beyond them.
func periodsOf(f *frame) int {
	g := f.grant
	n := 1
	if m := max(g.ReportingPeriodMonths, 1); !g.StartDate.IsZero() && !g.EndDate.IsZero() {
		n = (calendar.MonthsBetween(g.StartDate, g.EndDate.AddDays(1)) + m - 1) / m
	}
	for _, ind := range f.indicators {
		for _, p := range ind.Periods {
			n = max(n, p.Period)
		}
	}
	return max(n, 1)
}

// LogframeXLSX writes the logframe workbook of grant grantID, in language
// lang, to out: a sheet of the grant (number indicators summed over its
// projects, the others per project) and a sheet per project, each with the
// results by level, their indicators with baseline, targets and achieved
// values per period and to date, and the achieved values by disaggregation.
// A partner sees its own projects only. It returns the file's name.
// Errors: not found (a grant hidden from the caller), internal.
func (s *Service) LogframeXLSX(ctx context.Context, grantID, lang string, out io.Writer, progress Progress) (string, error) {
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	var fr *frame
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := grantfacts.Visible(ctx, tx, actor.From(ctx), grantID)
		if err != nil {
			return err
		}
		fr, err = readFrame(ctx, tx, g, calendar.Of(s.now()))
		return err
	})
	if err != nil {
		return "", err
	}
	w := wordsOf(lang)
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	st, err := newStyles(f)
	if err != nil {
		return "", errs.Internal(err)
	}
	n := periodsOf(fr)
	used := map[string]bool{}
	total := int64(len(fr.projects) + 1)
	// The grant's sheet, then one per project.
	name := sheetName(w.T("results.xlsx.sheet.logframe"), used)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return "", errs.Internal(err)
	}
	title := w.T("results.xlsx.title.logframe", "Grant", fr.grant.DonorReference)
	if err := writeLogframeSheet(f, name, st, w, fr, fr.projects, n, title); err != nil {
		return "", err
	}
	progress("logframe", 1, total)
	for k, p := range fr.projects {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		label := p.Code
		if label == "" {
			label = p.Title
		}
		name := sheetName(label, used)
		if _, err := f.NewSheet(name); err != nil {
			return "", errs.Internal(err)
		}
		title := w.T("results.xlsx.title.project", "Code", label, "Title", p.Title)
		if err := writeLogframeSheet(f, name, st, w, fr, []projectFacts{p}, n, title); err != nil {
			return "", err
		}
		progress("logframe", int64(k+2), total)
	}
	f.SetActiveSheet(0)
	progress("writing", total, total)
	if _, err := f.WriteTo(out); err != nil {
		return "", errs.Internal(err)
	}
	return fileName("logframe", fr.grant), nil
}

// logframe columns: fixed ones, then targets per period, final target and
// its date, achieved per period, achieved to date, source of data.
const fixedCols = 11 // level .. baseline date

func writeLogframeSheet(f *excelize.File, name string, st styles, w words, fr *frame, projects []projectFacts, n int, title string) error {
	widths := []float64{18, 9, 40, 12, 14, 40, 12, 14, 22, 11, 12}
	last := fixedCols + 2*n + 4
	for len(widths) < last-1 {
		widths = append(widths, 12)
	}
	widths = append(widths, 30)
	s, err := newSheetWriter(f, name, widths)
	if err != nil {
		return errs.Internal(err)
	}
	if err := s.write([]any{cell(st.title, title)}); err != nil {
		return errs.Internal(err)
	}
	if err := s.write([]any{w.T("results.xlsx.periods", "Start", fr.grant.StartDate.String(), "End", fr.grant.EndDate.String(),
		"Months", fr.grant.ReportingPeriodMonths)}); err != nil {
		return errs.Internal(err)
	}
	if err := s.write(nil); err != nil {
		return errs.Internal(err)
	}
	head := []any{}
	for _, id := range []string{"level", "resultCode", "result", "indicatorCode", "euCode", "indicator", "unit", "partner", "breakdown", "baseline", "baselineDate"} {
		head = append(head, cell(st.header, w.T("results.col."+id)))
	}
	for k := 1; k <= n; k++ {
		head = append(head, cell(st.header, w.T("results.col.targetPeriod", "N", k)))
	}
	head = append(head, cell(st.header, w.T("results.col.finalTarget")), cell(st.header, w.T("results.col.targetDate")))
	for k := 1; k <= n; k++ {
		head = append(head, cell(st.header, w.T("results.col.achievedPeriod", "N", k)))
	}
	head = append(head, cell(st.header, w.T("results.col.achievedToDate")), cell(st.header, w.T("results.col.dataSource")))
	if err := s.write(head); err != nil {
		return errs.Internal(err)
	}
	in := map[string]bool{}
	for _, p := range projects {
		in[p.ID] = true
	}
	several := len(projects) > 1
	for _, level := range []Level{LevelOverallObjective, LevelSpecificObjective, LevelOutput} {
		// Results of the level, by code (the same code in several projects
		// is one row of the grant).
		var codes []string
		byCode := map[string][]*Result{}
		for _, r := range fr.results {
			if r.Level != level || !in[r.ProjectID] {
				continue
			}
			if byCode[r.Code] == nil {
				codes = append(codes, r.Code)
			}
			byCode[r.Code] = append(byCode[r.Code], r)
		}
		slices.Sort(codes)
		for _, code := range codes {
			rs := byCode[code]
			var titles []string
			ids := map[string]bool{}
			for _, r := range rs {
				ids[r.ID] = true
				if !slices.Contains(titles, r.Title) {
					titles = append(titles, r.Title)
				}
			}
			row := []any{cell(st.group, w.level(level)), cell(st.group, code), cell(st.group, strings.Join(titles, "\n"))}
			for c := 4; c <= last; c++ {
				row = append(row, cell(st.group, nil))
			}
			if err := s.write(row); err != nil {
				return errs.Internal(err)
			}
			var inds []*Indicator
			for _, ind := range fr.indicators {
				if ids[ind.ResultID] {
					inds = append(inds, ind)
				}
			}
			if err := writeIndicatorRows(s, st, w, fr, inds, several, n); err != nil {
				return err
			}
		}
	}
	return flush(s.sw)
}

func flush(sw *excelize.StreamWriter) error {
	if err := sw.Flush(); err != nil {
		return errs.Internal(err)
	}
	return nil
}

// writeIndicatorRows writes the indicators of one result row: numbers with
// the same code and unit summed (when several projects are shown), the
// others one row per project; below each number row its disaggregated
// values.
func writeIndicatorRows(s *sheetWriter, st styles, w words, fr *frame, inds []*Indicator, several bool, n int) error {
	type key struct {
		code, unit string
		typ        Type
		project    string
	}
	var order []key
	groups := map[key][]*Indicator{}
	for _, ind := range inds {
		k := key{ind.Code, ind.Unit, ind.Type, ind.ProjectID}
		if ind.Type == TypeNumber {
			k.project = ""
		}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], ind)
	}
	col := func(c int) string { name, _ := excelize.ColumnNumberToName(c); return name }
	for _, k := range order {
		g := groups[k]
		first := g[0]
		partner := fr.project(first.ProjectID).Code
		if k.typ == TypeNumber && several {
			partner = w.T("results.allPartners")
		}
		euCode := ""
		var sources, titles []string
		baseDate := ""
		targetDate := ""
		for _, ind := range g {
			if !slices.Contains(titles, ind.Title) {
				titles = append(titles, ind.Title)
			}
			if euCode == "" && ind.EUCode != "" {
				euCode = ind.EUCode
			}
			if ind.DataSource != "" && !slices.Contains(sources, ind.DataSource) {
				sources = append(sources, ind.DataSource)
			}
			if ind.BaselineDate != "" && (baseDate == "" || ind.BaselineDate < baseDate) {
				baseDate = ind.BaselineDate
			}
			targetDate = max(targetDate, ind.TargetDate)
		}
		r := s.row + 1
		row := []any{cell(st.text, nil), cell(st.text, nil), cell(st.text, nil), cell(st.text, k.code), cell(st.text, euCode),
			cell(st.text, strings.Join(titles, "\n")), cell(st.text, k.unit), cell(st.text, partner), cell(st.text, w.T("results.total"))}
		tCol, aCol := fixedCols+1, fixedCols+n+3
		if k.typ != TypeNumber {
			row = append(row, numberOrText(st, w, k.typ, first.Baseline), cell(st.date, baseDate))
			vals := func(get func(Period) string) []any {
				out := make([]any, n)
				for c := range out {
					out[c] = cell(st.text, nil)
				}
				for _, p := range first.Periods {
					if p.Period >= 1 && p.Period <= n {
						out[p.Period-1] = numberOrText(st, w, k.typ, get(p))
					}
				}
				return out
			}
			row = append(row, vals(func(p Period) string { return p.Target })...)
			row = append(row, numberOrText(st, w, k.typ, finalTarget(first)), cell(st.date, targetDate))
			row = append(row, vals(func(p Period) string { return p.Actual })...)
			latest, lp := "", 0
			for _, p := range first.Periods {
				if p.Actual != "" && p.Period > lp {
					latest, lp = p.Actual, p.Period
				}
			}
			row = append(row, numberOrText(st, w, k.typ, latest), cell(st.text, strings.Join(sources, "; ")))
			if err := s.write(row); err != nil {
				return errs.Internal(err)
			}
			continue
		}
		// Numbers: summed over the indicators.
		baseline, anyBase := decimal.Zero, false
		targets, actuals := make([]decimal.Decimal, n), make([]decimal.Decimal, n)
		hasT, hasA := make([]bool, n), make([]bool, n)
		final, anyFinal := decimal.Zero, false
		type dc struct{ d, c string }
		var cats []dc
		catVals := map[dc][]decimal.Decimal{}
		catHas := map[dc][]bool{}
		for _, ind := range g {
			if ind.Baseline != "" {
				baseline, anyBase = baseline.Add(num(ind.Baseline)), true
			}
			if ind.FinalTarget != "" {
				anyFinal = true
			}
			final = final.Add(num(finalTarget(ind)))
			for _, d := range ind.Disaggregations {
				for _, c := range d.Categories {
					if x := (dc{d.Name, c}); !slices.Contains(cats, x) {
						cats = append(cats, x)
						catVals[x], catHas[x] = make([]decimal.Decimal, n), make([]bool, n)
					}
				}
			}
			for _, p := range ind.Periods {
				if p.Period < 1 || p.Period > n {
					continue
				}
				if p.Target != "" {
					targets[p.Period-1], hasT[p.Period-1] = targets[p.Period-1].Add(num(p.Target)), true
				}
				if p.Actual != "" {
					actuals[p.Period-1], hasA[p.Period-1] = actuals[p.Period-1].Add(num(p.Actual)), true
				}
				for _, dv := range p.DisaggregatedActuals {
					x := dc{dv.Disaggregation, dv.Category}
					if catVals[x] == nil {
						cats = append(cats, x)
						catVals[x], catHas[x] = make([]decimal.Decimal, n), make([]bool, n)
					}
					catVals[x][p.Period-1], catHas[x][p.Period-1] = catVals[x][p.Period-1].Add(num(dv.Value)), true
				}
			}
		}
		if anyBase {
			row = append(row, cell(st.number, numberCell(baseline)))
		} else {
			row = append(row, cell(st.text, nil))
		}
		row = append(row, cell(st.date, baseDate))
		sumCells := func(vals []decimal.Decimal, has []bool) ([]any, decimal.Decimal, bool) {
			out := make([]any, n)
			sum, some := decimal.Zero, false
			for c := range out {
				if has[c] {
					out[c] = cell(st.number, numberCell(vals[c]))
					sum, some = sum.Add(vals[c]), true
				} else {
					out[c] = cell(st.number, nil)
				}
			}
			return out, sum, some
		}
		tc, tsum, tany := sumCells(targets, hasT)
		row = append(row, tc...)
		switch {
		case anyFinal:
			row = append(row, cell(st.number, numberCell(final)))
		case tany:
			row = append(row, excelize.Cell{StyleID: st.number, Formula: fmt.Sprintf("SUM(%s%d:%s%d)", col(tCol), r, col(tCol+n-1), r), Value: numberCell(tsum)})
		default:
			row = append(row, cell(st.number, nil))
		}
		row = append(row, cell(st.date, targetDate))
		ac, asum, aany := sumCells(actuals, hasA)
		row = append(row, ac...)
		toDate := func(sum decimal.Decimal, some bool) excelize.Cell {
			if !some {
				return cell(st.number, nil)
			}
			return excelize.Cell{StyleID: st.number, Formula: fmt.Sprintf("SUM(%s%d:%s%d)", col(aCol), s.row+1, col(aCol+n-1), s.row+1), Value: numberCell(sum)}
		}
		row = append(row, toDate(asum, aany), cell(st.text, strings.Join(sources, "; ")))
		if err := s.write(row); err != nil {
			return errs.Internal(err)
		}
		for _, x := range cats {
			row := []any{cell(st.text, nil), cell(st.text, nil), cell(st.text, nil), cell(st.text, k.code), cell(st.text, euCode),
				cell(st.text, nil), cell(st.text, k.unit), cell(st.text, partner), cell(st.text, w.breakdown(x.d, x.c)),
				cell(st.text, nil), cell(st.text, nil)}
			for c := 0; c < n+2; c++ {
				row = append(row, cell(st.number, nil))
			}
			vc, vsum, vany := sumCells(catVals[x], catHas[x])
			row = append(row, vc...)
			row = append(row, toDate(vsum, vany), cell(st.text, nil))
			if err := s.write(row); err != nil {
				return errs.Internal(err)
			}
		}
	}
	return nil
}

// IndicatorSheetXLSX writes grant grantID's OPSYS indicator sheet, in
// language lang, to out: a row per indicator and disaggregation category,
// with what changed since the last submission, and a sheet of the
// submissions. It returns the file's name. Errors: those of IndicatorSheet.
func (s *Service) IndicatorSheetXLSX(ctx context.Context, grantID, lang string, out io.Writer, progress Progress) (string, error) {
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	sh, err := s.IndicatorSheet(ctx, grantID)
	if err != nil {
		return "", err
	}
	subs, _, err := s.ListSubmissions(ctx, grantID, page.Request{Size: page.MaxSize})
	if err != nil {
		return "", err
	}
	progress("rows", 0, int64(len(sh.Rows)))
	w := wordsOf(lang)
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	st, err := newStyles(f)
	if err != nil {
		return "", errs.Internal(err)
	}
	used := map[string]bool{}
	name := sheetName(w.T("results.xlsx.sheet.opsys"), used)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return "", errs.Internal(err)
	}
	sr, err := newSheetWriter(f, name, []float64{14, 20, 40, 12, 14, 14, 20, 11, 12, 11, 12, 12, 12, 30, 12, 26})
	if err != nil {
		return "", errs.Internal(err)
	}
	if err := sr.write([]any{cell(st.title, w.T("results.xlsx.title.opsys", "Grant", sh.Grant.DonorReference))}); err != nil {
		return "", errs.Internal(err)
	}
	status := w.T("results.xlsx.neverSubmitted")
	if sh.Last != nil {
		status = w.N("results.xlsx.lastSubmission", int64(sh.Changed), "To", calendar.Of(sh.Last.SubmitTime).String())
	}
	if err := sr.write([]any{status}); err != nil {
		return "", errs.Internal(err)
	}
	if err := sr.write(nil); err != nil {
		return "", errs.Internal(err)
	}
	head := []any{}
	for _, id := range []string{"euCode", "indicatorKind", "indicator", "unit", "partner", "disaggregation", "category", "baseline", "baselineDate",
		"target", "targetDate", "currentValue", "currentDate", "dataSource", "submittedValue", "changed"} {
		head = append(head, cell(st.header, w.T("results.col."+id)))
	}
	if err := sr.write(head); err != nil {
		return "", errs.Internal(err)
	}
	for k, r := range sh.Rows {
		kind := w.T("results.custom")
		if r.EUCorporate {
			kind = w.T("results.corporate")
		}
		partner := r.ProjectCode
		if r.ProjectID == "" {
			partner = w.T("results.allPartners")
		}
		disagg, cat := w.T("results.total"), ""
		if r.Disagg != "" {
			disagg, cat = w.disagg(r.Disagg), w.category(r.Disagg, r.Category)
		}
		changed := w.T("results.changed.no")
		switch {
		case sh.Last == nil:
			changed = w.T("results.changed.never")
		case r.Changed && r.SubmittedValue == "" && r.SubmittedDate == "":
			changed = w.T("results.changed.new")
		case r.Changed:
			changed = w.changes(r)
		}
		row := []any{cell(st.text, r.EUCode), cell(st.text, kind), cell(st.text, r.Title), cell(st.text, r.Unit), cell(st.text, partner),
			cell(st.text, disagg), cell(st.text, cat), numberOrText(st, w, r.Type, r.Baseline), cell(st.date, r.BaselineDate),
			numberOrText(st, w, r.Type, r.Target), cell(st.date, r.TargetDate), numberOrText(st, w, r.Type, r.CurrentValue),
			cell(st.date, r.CurrentDate), cell(st.text, r.DataSource), numberOrText(st, w, r.Type, r.SubmittedValue), cell(st.text, changed)}
		if err := sr.write(row); err != nil {
			return "", errs.Internal(err)
		}
		progress("rows", int64(k+1), int64(len(sh.Rows)))
	}
	if err := flush(sr.sw); err != nil {
		return "", err
	}
	// The submissions.
	name = sheetName(w.T("results.xlsx.sheet.submissions"), used)
	if _, err := f.NewSheet(name); err != nil {
		return "", errs.Internal(err)
	}
	if sr, err = newSheetWriter(f, name, []float64{14, 30, 12, 50}); err != nil {
		return "", errs.Internal(err)
	}
	if err := sr.write([]any{cell(st.header, w.T("results.col.submitDate")), cell(st.header, w.T("results.col.submittedBy")),
		cell(st.header, w.T("results.col.rows")), cell(st.header, w.T("results.col.note"))}); err != nil {
		return "", errs.Internal(err)
	}
	for _, sub := range subs {
		if err := sr.write([]any{cell(st.date, calendar.Of(sub.SubmitTime).String()), cell(st.text, sub.SubmitterName),
			cell(st.number, len(sub.Rows)), cell(st.text, sub.Note)}); err != nil {
			return "", errs.Internal(err)
		}
	}
	if err := flush(sr.sw); err != nil {
		return "", err
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(out); err != nil {
		return "", errs.Internal(err)
	}
	return fileName("opsys-indicators", sh.Grant), nil
}
