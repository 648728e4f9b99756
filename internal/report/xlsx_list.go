package report

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/money"
)

// progressEvery is how many expenditure rows pass between progress calls.
const progressEvery = 5000

// listColumns are the expenditure list's column widths.
var listColumns = []float64{11, 18, 26, 40, 9, 9, 14, 11, 9, 15, 13, 15, 12, 34}

// The expenditure list's columns (letters), where other sheets refer to.
const (
	listConverted = "L"
)

// excelDate returns the spreadsheet serial number of a "YYYY-MM-DD" date
// (days since 1899-12-30, Excel's 1900 date system for dates from March
// 1900), or false.
func excelDate(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	n := func(a string) (int, bool) {
		v := 0
		for i := 0; i < len(a); i++ {
			c := a[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := n(s[:4])
	m, ok2 := n(s[5:7])
	d, ok3 := n(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 || y < 1901 {
		return 0, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix()/86400 + 25569, true
}

// listRow fills the reusable cells of one expenditure of the list. It
// returns whether the expenditure has a converted amount.
func (b *book) listRow(cells *[14]excelize.Cell, e *ListedExpenditure, names *ListNames, scales map[string]int, status map[string]string, note func(*ListedExpenditure) string) (bool, error) {
	if d, ok := excelDate(e.Date); ok {
		cells[0].Value = d
	} else {
		cells[0].Value = e.Date
	}
	cells[1].Value = e.DocumentRef
	cells[2].Value = e.Payee
	cells[3].Value = e.Description
	cells[4].Value = e.HeadingCode
	line := names.Lines[e.LineKey].Code
	if line == "" {
		line = e.LineKey
	}
	cells[5].Value = line
	p := names.Partners[e.OrganisationID]
	if p == "" {
		p = e.OrganisationID
	}
	cells[6].Value = p
	cells[7].Value = nil
	if e.ProjectID.Valid {
		cells[7].Value = names.Projects[e.ProjectID.String]
	}
	cells[8].Value = e.Currency
	scale, ok := scales[e.Currency]
	if !ok {
		var err error
		if scale, err = money.Currency(e.Currency); err != nil {
			scale = 2
		}
		scales[e.Currency] = scale
	}
	v, err := amount(e.Amount, scale)
	if err != nil {
		return false, err
	}
	cells[9].Value, cells[9].StyleID = v, b.st.moneyStyle(scale)
	cells[10].Value, cells[11].Value = nil, nil
	if e.Converted.Valid {
		if e.Rate.Valid {
			cells[10].Value = rateValue(e.Rate.String)
		}
		if cells[11].Value, err = amount(e.Converted.Int64, b.scale); err != nil {
			return false, err
		}
	}
	cells[13].Value = nil
	if n := note(e); n != "" {
		cells[13].Value = n
	}
	st := status[e.Status]
	if st == "" {
		st = e.Status
	}
	cells[12].Value = st
	return e.Converted.Valid, nil
}

// writeList streams the expenditure list: every counted expenditure of the
// period (submitted or verified, inside the implementation period), those
// waiting for a rate flagged with the converted amount empty (SUM leaves
// them out), then the total; below it, apart, the claimed expenditures
// dated outside the implementation period, listed as not eligible with
// their reason and their own total, counted in no other figure. Each
// counted row is added up by the statement it returns; total (at least
// the rows to come) is for progress.
func (b *book) writeList(ctx context.Context, idb bun.IDB, names *ListNames, total int64, q finance.StatementQuery, progress Progress) (*finance.Statement, error) {
	sw, err := b.sheetSetup(b.list, listColumns, true)
	if err != nil {
		return nil, err
	}
	sm, err := b.writeListRows(ctx, idb, sw, names, total, q, progress)
	if err != nil {
		return nil, err
	}
	return sm, sw.Flush()
}

// writeListRows writes the list's rows to sw as they stream and returns
// the statement added up from them.
func (b *book) writeListRows(ctx context.Context, idb bun.IDB, sw *excelize.StreamWriter, names *ListNames, total int64, q finance.StatementQuery, progress Progress) (*finance.Statement, error) {
	sheet, l := b.list, b.l
	header := []string{l.T("xlsx.col.date"), l.T("xlsx.col.reference"), l.T("xlsx.col.payee"), l.T("xlsx.col.description"),
		l.T("xlsx.col.heading"), l.T("xlsx.col.line"), l.T("xlsx.col.partner"), l.T("xlsx.col.project"), l.T("xlsx.col.currency"),
		l.T("xlsx.col.amount"), l.T("xlsx.col.rate"), l.T("xlsx.col.convertedIn", "Currency", b.sc.Grant.CurrencyCode),
		l.T("xlsx.col.status"), l.T("xlsx.col.note")}
	if err := b.titleRows(sw, l.T("xlsx.title.list"), header); err != nil {
		return nil, err
	}
	st := b.st
	progress("expenditures", 0, total)

	// The cells of a row, reused: SetRow takes *Cell without copying them
	// into interfaces each time.
	var cells [14]excelize.Cell
	row := make([]any, len(cells))
	for i := range cells {
		row[i] = &cells[i]
		cells[i].StyleID = st.text
	}
	cells[0].StyleID = st.date
	cells[10].StyleID = st.rate
	cells[11].StyleID = st.grant()
	cells[13].StyleID = st.warning
	scales := map[string]int{}
	status := map[string]string{}
	for _, s := range countedStatuses {
		status[s] = l.T("xlsx.status." + s)
	}
	waiting := l.T("xlsx.waitingRate")
	waitingNote := func(e *ListedExpenditure) string {
		if e.Converted.Valid {
			return ""
		}
		if e.RateProblem != "" {
			return waiting + ": " + e.RateProblem
		}
		return waiting
	}

	r := firstRow - 1
	var done, converted, missing int64
	sm, err := finance.StatementStream(ctx, idb, b.sc.Grant, q, func(e *ListedExpenditure) error {
		r++
		ok, err := b.listRow(&cells, e, names, scales, status, waitingNote)
		if err != nil {
			return err
		}
		if ok { // counted, as the totals count it
			converted += e.Converted.Int64
		} else {
			missing++
		}
		if err := sw.SetRow(ref("A", r), row); err != nil {
			return err
		}
		done++
		if done%progressEvery == 0 {
			progress("expenditures", done, total)
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	progress("expenditures", done, done)
	last := r
	if done > 0 {
		if err := b.f.AutoFilter(sheet, fmt.Sprintf("A%d:N%d", headerRow, last), nil); err != nil {
			return nil, err
		}
	}
	// The total: below a blank row, outside the filter's range.
	r = last + 2
	var tot excelize.Cell
	if done > 0 {
		tot, err = b.sum(fmt.Sprintf("SUM(%s%d:%s%d)", listConverted, firstRow, listConverted, last), converted, st.grantComputed())
	} else {
		tot, err = b.money(0, st.grantComputed())
	}
	if err != nil {
		return nil, err
	}
	totalRow := make([]any, 14)
	for i := range totalRow {
		totalRow[i] = excelize.Cell{StyleID: st.textComputed}
	}
	totalRow[0] = excelize.Cell{StyleID: st.textComputed, Value: l.N("xlsx.list.total", done-missing)}
	totalRow[11] = tot
	if err := sw.SetRow(ref("A", r), totalRow); err != nil {
		return nil, err
	}
	b.listTotal = ref(listConverted, r)
	b.listConverted = converted
	r++
	notes := []any{excelize.Cell{StyleID: st.note, Value: l.T("xlsx.note.counted")}}
	if err := sw.SetRow(ref("A", r+1), notes); err != nil {
		return nil, err
	}
	r++
	if missing > 0 {
		w := []any{excelize.Cell{StyleID: st.warning, Value: l.N("xlsx.warn.listMissing", missing)}}
		if err := sw.SetRow(ref("A", r+1), w); err != nil {
			return nil, err
		}
		r++
	}
	if err := b.writeIneligible(ctx, idb, sw, r+2, names, scales, &cells, row); err != nil {
		return nil, err
	}
	return sm, nil
}

// writeIneligible writes, from row r of the list, the claimed expenditures
// dated outside the implementation period: a title, a header, a row each
// (the note says why it is not eligible) and their own total (SUM), which
// no other total includes. With none, it writes nothing.
func (b *book) writeIneligible(ctx context.Context, idb bun.IDB, sw *excelize.StreamWriter, r int, names *ListNames, scales map[string]int, cells *[14]excelize.Cell, row []any) error {
	l, st, p := b.l, b.st, b.sc.Eligible()
	status := map[string]string{}
	for _, s := range countedStatuses {
		status[s] = l.T("xlsx.status." + s)
	}
	before := l.T("xlsx.ineligible.beforeStart", "Start", p.Start.String())
	after := l.T("xlsx.ineligible.afterEnd", "End", p.End.String())
	reason := func(e *ListedExpenditure) string {
		if d, err := calendar.Parse(e.Date); err == nil && d.After(p.End) {
			return after
		}
		return before
	}
	first := -1
	var n, withRate, converted int64
	var le ListedExpenditure
	err := eligibility.ListOutside(ctx, idb, b.sc.Grant.ID, p, func(e *eligibility.Expenditure) error {
		if first < 0 {
			title := []any{excelize.Cell{StyleID: st.textBold, Value: l.T("xlsx.ineligible.title", "Start", p.Start.String(), "End", p.End.String())}}
			if err := sw.SetRow(ref("A", r), title); err != nil {
				return err
			}
			head := []string{l.T("xlsx.col.date"), l.T("xlsx.col.reference"), l.T("xlsx.col.payee"), l.T("xlsx.col.description"),
				l.T("xlsx.col.heading"), l.T("xlsx.col.line"), l.T("xlsx.col.partner"), l.T("xlsx.col.project"), l.T("xlsx.col.currency"),
				l.T("xlsx.col.amount"), l.T("xlsx.col.rate"), l.T("xlsx.col.convertedIn", "Currency", b.sc.Grant.CurrencyCode),
				l.T("xlsx.col.status"), l.T("xlsx.col.reason")}
			hc := make([]any, len(head))
			for i, h := range head {
				hc[i] = excelize.Cell{StyleID: st.header, Value: h}
			}
			if err := sw.SetRow(ref("A", r+1), hc, excelize.RowOpts{Height: 30}); err != nil {
				return err
			}
			r += 2
			first = r
		}
		le = ListedExpenditure{Date: e.Date, DocumentRef: e.DocumentRef, Payee: e.Payee, Description: e.Description,
			HeadingCode: e.HeadingCode, LineKey: e.LineKey, OrganisationID: e.OrganisationID, ProjectID: e.ProjectID,
			Currency: e.Currency, Amount: e.Amount, Rate: e.Rate, Converted: e.Converted, Status: e.Status}
		ok, err := b.listRow(cells, &le, names, scales, status, reason)
		if err != nil {
			return err
		}
		n++
		if ok {
			withRate++
			converted += e.Converted.Int64
		}
		if err := sw.SetRow(ref("A", r), row); err != nil {
			return err
		}
		r++
		return nil
	})
	if err != nil || first < 0 {
		return err
	}
	tot, err := b.sum(fmt.Sprintf("SUM(%s%d:%s%d)", listConverted, first, listConverted, r-1), converted, st.grantComputed())
	if err != nil {
		return err
	}
	totalRow := make([]any, 14)
	for i := range totalRow {
		totalRow[i] = excelize.Cell{StyleID: st.textComputed}
	}
	totalRow[0] = excelize.Cell{StyleID: st.textComputed, Value: l.N("xlsx.ineligible.total", n)}
	totalRow[11] = tot
	if err := sw.SetRow(ref("A", r), totalRow); err != nil {
		return err
	}
	b.ineligibleTotal = ref(listConverted, r)
	b.ineligible = eligibility.Summary{Count: n, WithRate: withRate, Converted: converted}
	note := []any{excelize.Cell{StyleID: st.note, Value: l.T("xlsx.note.ineligible")}}
	return sw.SetRow(ref("A", r+2), note)
}
