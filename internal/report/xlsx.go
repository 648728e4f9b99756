package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/money"
)

// XLSX writes the grant's financial report for the requested period to w
// as an Excel workbook in the shape of the EU's Annex VI financial report:
// a cover, the summary per heading and line (Annex III layout), the
// amounts per original currency with the rates used, the expenditure list
// and the rates used. Totals are live SUM formulas whose cached values are
// the exact figures. Everything is read in one read-only transaction;
// nothing is written to w before the report is complete, so errors come
// back first. progress (may be nil) is told the stages: "summary",
// "expenditures" (rows done of the total) and "writing".
//
// It returns the file's name. Errors: not found (a grant the caller may
// not read), permission (a partner of the grant), invalid (period, dates,
// language), internal.
func (s *Service) XLSX(ctx context.Context, req Request, w io.Writer, progress Progress) (string, error) {
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	now := s.now()
	cp, err := s.checkpoint(ctx)
	if err != nil {
		return "", err
	}
	var name string
	var f *excelize.File
	err = s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sc, err := resolve(ctx, tx, req, calendar.Of(now))
		if err != nil {
			return err
		}
		name = sc.FileName("xlsx")
		f, err = buildWorkbook(ctx, tx, sc, now, s.tmp, cp, progress)
		return err
	})
	if f != nil {
		defer func() { _ = f.Close() }()
	}
	if err != nil {
		return "", err
	}
	progress("writing", 0, 0)
	if err := f.Write(w); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", errs.Internal(fmt.Errorf("write the workbook: %w", err))
	}
	return name, nil
}

// book is a workbook being made.
type book struct {
	f  *excelize.File
	l  *i18n.Localizer // the workbook's language
	sc *Scope
	sm *Summary
	cu *Currencies
	st *styles
	// scale is the grant currency's decimals.
	scale int
	// checkpoint is the audit checkpoint signed for the report (nil: none).
	checkpoint *audit.Checkpoint

	// Sheet names, in the report's language.
	cover, summary, currencies, list, rates         string
	funding, payments, forecast, partners, findings string
	// Cells other sheets refer to.
	listTotal, currencyTotal string
	summaryTotalRow          int
	// flatRateRow is the summary's row of the flat rate's claim (0: none).
	flatRateRow int
	// listConverted is the list's total of converted amounts (the counted
	// expenditures of the period, those recorded under the indirect heading
	// included).
	listConverted int64
	// The list's expenditures outside the implementation period (not
	// eligible) and the cell of their total ("" when there are none).
	ineligible      eligibility.Summary
	ineligibleTotal string
}

// Layout of the data sheets: a title, a subtitle, a blank row, the header
// row (frozen, repeated on every printed page), then the rows.
const (
	headerRow = 4
	firstRow  = headerRow + 1
)

// buildWorkbook reads the report within idb and lays it out. The
// expenditure list is written first, as its rows stream from the database
// (finance.StatementStream): the statement adds up the period's spending
// from that same stream. The other sheets render the statement.
func buildWorkbook(ctx context.Context, idb bun.IDB, sc *Scope, now time.Time, tmpDir string, cp *audit.Checkpoint, progress Progress) (*excelize.File, error) {
	progress("summary", 0, 0)
	scale, err := money.Currency(sc.Grant.CurrencyCode)
	if err != nil {
		return nil, errs.Internal(err)
	}
	q := sc.Query(now)
	total, err := finance.CountPeriod(ctx, idb, sc.Grant, q)
	if err != nil {
		return nil, err
	}
	names, err := finance.LoadListNames(ctx, idb, sc.Grant.ID)
	if err != nil {
		return nil, err
	}
	// The stream writers keep large sheets in temporary files in tmpDir.
	f := excelize.NewFile(excelize.Options{TmpDir: tmpDir})
	b := &book{f: f, l: i18n.For(sc.Language), sc: sc, scale: scale, checkpoint: cp}
	fail := func(err error) (*excelize.File, error) {
		_ = f.Close()
		var e *errs.Error
		if errors.As(err, &e) {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errs.Internal(err)
	}
	if b.st, err = newStyles(f, scale); err != nil {
		return fail(err)
	}
	b.cover, b.summary, b.currencies, b.list, b.rates =
		b.l.T("xlsx.sheet.cover"), b.l.T("xlsx.sheet.summary"), b.l.T("xlsx.sheet.currencies"), b.l.T("xlsx.sheet.list"), b.l.T("xlsx.sheet.rates")
	b.funding, b.payments, b.forecast, b.partners, b.findings =
		b.l.T("xlsx.sheet.funding"), b.l.T("xlsx.sheet.payments"), b.l.T("xlsx.sheet.forecast"), b.l.T("xlsx.sheet.partners"), b.l.T("xlsx.sheet.findings")
	if err := f.SetSheetName("Sheet1", b.cover); err != nil {
		return fail(err)
	}
	for _, n := range []string{b.summary, b.funding, b.payments, b.forecast, b.partners, b.findings, b.currencies, b.list, b.rates} {
		if _, err := f.NewSheet(n); err != nil {
			return fail(err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:   b.l.T("xlsx.title") + " " + sc.Grant.DonorReference,
		Subject: sc.Grant.Title, Creator: "Pactum", Language: sc.Language,
		Created: now.UTC().Format("2006-01-02T15:04:05Z"),
	}); err != nil {
		return fail(err)
	}
	// The list first: the statement adds up what it streams.
	if b.sm, err = b.writeList(ctx, idb, names, total, q, progress); err != nil {
		return fail(err)
	}
	if edit, ok := ctx.Value(statementEditKey{}).(func(*Summary)); ok {
		edit(b.sm)
	}
	b.cu = b.sm.Currencies
	if err := b.writeCurrencies(); err != nil {
		return fail(err)
	}
	if err := b.writeRates(); err != nil {
		return fail(err)
	}
	if err := b.writeSummary(); err != nil {
		return fail(err)
	}
	for _, write := range []func() error{b.writeFunding, b.writePayments, b.writeForecast, b.writePartners, b.writeFindings} {
		if err := write(); err != nil {
			return fail(err)
		}
	}
	if err := b.writeCover(); err != nil {
		return fail(err)
	}
	f.SetActiveSheet(0)
	return f, nil
}

// statementEditKey keys a context value, func(*Summary), that changes the
// statement before the sheets render it: the tests' way to give the
// statement's funding, payments and forecast by hand.
type statementEditKey struct{}

// ref is a cell reference, "C12".
func ref(col string, row int) string { return col + strconv.Itoa(row) }

// sheetRef is a reference to a cell of another sheet, "'Summary'!C12".
func sheetRef(sheet, cell string) string {
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + cell
}

// sheetSetup prepares a sheet before its stream starts: print setup (A4
// landscape, fit to one page wide, the header row repeated on every page),
// running header and footer, and returns its stream writer with the column
// widths set and the rows above firstRow frozen (when freeze).
func (b *book) sheetSetup(sheet string, widths []float64, freeze bool) (*excelize.StreamWriter, error) {
	f := b.f
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, err
	}
	size, orient, one, zero := 9, "landscape", 1, 0 // 9: A4
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return nil, err
	}
	m := 0.5
	top := 0.7
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &top, Bottom: &top}); err != nil {
		return nil, err
	}
	hf := func(s string) string { return strings.ReplaceAll(s, "&", "&&") }
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + hf(b.sc.Grant.DonorReference) + "&C&B" + hf(sheet) + "&R" + hf(b.periodText()),
		OddFooter: "&L" + hf(b.l.T("xlsx.title")) + "&R" + hf(b.l.T("xlsx.page")) + " &P / &N",
	}); err != nil {
		return nil, err
	}
	if freeze {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
			RefersTo: sheetRef(sheet, fmt.Sprintf("$%d:$%d", headerRow, headerRow)), Scope: sheet}); err != nil {
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if freeze {
		top := ref("A", firstRow)
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: top, ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}}}); err != nil {
			return nil, err
		}
	}
	return sw, nil
}

// titleRows writes a data sheet's title and subtitle (rows 1 and 2) and its
// header row.
func (b *book) titleRows(sw *excelize.StreamWriter, title string, header []string) error {
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: b.st.title, Value: title}}, excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	sub := fmt.Sprintf("%s · %s · %s · %s", b.sc.Grant.DonorReference, b.sc.Grant.Title, b.periodText(),
		b.l.T("xlsx.amountsIn", "Currency", b.sc.Grant.CurrencyCode))
	if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: b.st.subtitle, Value: sub}}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: b.st.header, Value: h}
	}
	return sw.SetRow(ref("A", headerRow), cells, excelize.RowOpts{Height: 45})
}

// periodText is "2026-01-01 – 2026-12-31 (period 2)".
func (b *book) periodText() string {
	s := b.sc.From.String() + " – " + b.sc.To.String()
	if b.sc.Period > 0 {
		s += " (" + b.l.T("xlsx.periodN", "Number", b.sc.Period) + ")"
	}
	return s
}

// money returns the cell of an amount of the grant currency.
func (b *book) money(minor int64, style int) (excelize.Cell, error) {
	v, err := amount(minor, b.scale)
	return excelize.Cell{StyleID: style, Value: v}, err
}

// sum returns the cell of a formula adding up an amount of the grant
// currency, with its exact cached value.
func (b *book) sum(formula string, minor int64, style int) (excelize.Cell, error) {
	v, err := amount(minor, b.scale)
	return excelize.Cell{StyleID: style, Formula: formula, Value: v}, err
}
