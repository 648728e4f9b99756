package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
)

// The sheets of the donor's package beyond budget versus actual: the
// sources of funding, the pre-financing payments and the rule for a
// further one, the forecast for the next period, the breakdown per
// beneficiary and the compliance findings. Each renders a part of the
// statement (finance.Statement); totals are live formulas whose cached
// values are the statement's figures, to the cent.

// sheetWriter writes the rows of one sheet from firstRow on.
type sheetWriter struct {
	b  *book
	sw *excelize.StreamWriter
	r  int
}

// newSheet sets up a data sheet: print setup, title, header row.
func (b *book) newSheet(sheet, title string, widths []float64, header []string) (*sheetWriter, error) {
	sw, err := b.sheetSetup(sheet, widths, true)
	if err != nil {
		return nil, err
	}
	if err := b.titleRows(sw, title, header); err != nil {
		return nil, err
	}
	return &sheetWriter{b: b, sw: sw, r: firstRow}, nil
}

// row writes the next row and returns its number.
func (w *sheetWriter) row(cells ...any) (int, error) {
	r := w.r
	err := w.sw.SetRow(ref("A", r), cells)
	w.r++
	return r, err
}

// text writes a row of one text in column A.
func (w *sheetWriter) text(style int, s string) error {
	_, err := w.row(excelize.Cell{StyleID: style, Value: s})
	return err
}

func (w *sheetWriter) skip() { w.r++ }

// para writes a paragraph (a note, a warning) over columns A to last,
// merged and wrapped, in a row as high as the text needs for the columns'
// widths (in characters).
func (w *sheetWriter) para(style int, s string, last string, widths []float64) error {
	r := w.r
	w.r++
	var chars float64
	for _, x := range widths {
		chars += x
	}
	lines := int(float64(len([]rune(s)))/(chars*1.05)) + 1
	if err := w.sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: style, Value: s}}, excelize.RowOpts{Height: float64(13 * lines)}); err != nil {
		return err
	}
	if len(widths) < 2 {
		return nil
	}
	return w.sw.MergeCell(ref("A", r), ref(last, r))
}

// rowHeight is the height of a row whose wrapped text s runs in a column
// of width characters.
func rowHeight(s string, width float64) float64 {
	lines := int(float64(len([]rune(s)))/(width*1.05)) + 1
	return float64(13 * lines)
}

// cell is an amount, a formula of it when formula is not "".
func (b *book) cell(formula string, minor int64, style int) (excelize.Cell, error) {
	if formula == "" {
		return b.money(minor, style)
	}
	return b.sum(formula, minor, style)
}

// pct is the cell of a rate in hundredths of a percent.
func (b *book) pct(bp int64) excelize.Cell {
	return excelize.Cell{StyleID: b.st.percent, Value: ratio(bp, 10000)}
}

// share is the cell of part/whole as a percentage formula.
func (b *book) share(part, whole string, num, den int64, style int) excelize.Cell {
	c := excelize.Cell{StyleID: style, Formula: fmt.Sprintf(`IF(%s=0,"",%s/%s)`, whole, part, whole), Value: ""}
	if den != 0 {
		c.Value = ratio(num, den)
	}
	return c
}

// sumRange is "SUM(C5:C9)", or "" for no rows (the total is then a value).
func sumRange(col string, first, last int) string {
	if last < first {
		return ""
	}
	return fmt.Sprintf("SUM(%s%d:%s%d)", col, first, col, last)
}

// summaryToDate is the summary's total to date, as a formula of it when
// v is that figure (else "": v is written as a value).
func (b *book) summaryTotalRef(col string, v, total int64) string {
	if b.summaryTotalRow == 0 || v != total {
		return ""
	}
	return sheetRef(b.summary, ref(col, b.summaryTotalRow))
}

// Funding columns: A kind, B source, C expected, D % of the expected
// total, E actual in the period, F actual to date, G % of the actual total.
var fundingColumns = []float64{30, 62, 18, 10, 18, 18, 10}

// writeFunding writes the sources of funding (Annex VI): the EU
// contribution, the beneficiaries' own funds, other donors and income,
// expected and actual, with their total (SUM) and shares; how the EU share
// is worked out; and the contributions in kind apart, for information.
func (b *book) writeFunding() error {
	l, st, fu := b.l, b.st, b.sm.Funding
	cur := b.sc.Grant.CurrencyCode
	w, err := b.newSheet(b.funding, l.T("xlsx.title.funding"), fundingColumns, []string{
		l.T("xlsx.funding.col.kind"), l.T("xlsx.funding.col.source"), l.T("xlsx.funding.col.expected"), l.T("xlsx.funding.col.share"),
		l.T("xlsx.funding.col.period"), l.T("xlsx.funding.col.toDate", "Date", b.sc.To.String()), l.T("xlsx.funding.col.share")})
	if err != nil {
		return err
	}
	if len(fu.Lines) == 0 && len(fu.InKind) == 0 {
		if err := w.text(st.note, l.T("xlsx.funding.none")); err != nil {
			return err
		}
		return w.sw.Flush()
	}
	first := w.r
	total := first + len(fu.Lines)
	for _, x := range fu.Lines {
		r := w.r
		cells, err := b.fundingCells(x, st.text, st.grant())
		if err != nil {
			return err
		}
		cells[3] = b.share(ref("C", r), ref("C", total), x.Expected, fu.Total.Expected, st.percent)
		cells[6] = b.share(ref("F", r), ref("F", total), x.ToDate, fu.Total.ToDate, st.percent)
		if _, err := w.row(cells...); err != nil {
			return err
		}
	}
	last := w.r - 1
	tc, err := b.fundingCells(finance.FundingLine{Expected: fu.Total.Expected, Period: fu.Total.Period, ToDate: fu.Total.ToDate},
		st.textComputed, st.grantComputed())
	if err != nil {
		return err
	}
	tc[0] = excelize.Cell{StyleID: st.textComputed, Value: l.T("xlsx.funding.total")}
	for i, c := range map[int]string{2: "C", 4: "E", 5: "F"} {
		v := tc[i].(excelize.Cell)
		v.Formula = sumRange(c, first, last)
		tc[i] = v
	}
	tc[3] = b.share(ref("C", total), ref("C", total), fu.Total.Expected, fu.Total.Expected, st.percentComputed)
	tc[6] = b.share(ref("F", total), ref("F", total), fu.Total.ToDate, fu.Total.ToDate, st.percentComputed)
	if _, err := w.row(tc...); err != nil {
		return err
	}
	w.skip()

	// The EU share: the co-financing rate applied to the accepted costs,
	// capped by the maximum contribution.
	if err := w.text(st.textBold, l.T("xlsx.funding.euTitle")); err != nil {
		return err
	}
	pair := func(label string, c excelize.Cell) (int, error) {
		return w.row(excelize.Cell{StyleID: st.text, Value: label}, nil, nil, nil, nil, c)
	}
	acc, err := b.cell(b.summaryTotalRef(sumToDate, fu.AcceptedToDate, b.sm.Total.ToDate), fu.AcceptedToDate, st.grant())
	if err != nil {
		return err
	}
	ra, err := pair(l.T("xlsx.funding.accepted", "Date", b.sc.To.String()), acc)
	if err != nil {
		return err
	}
	rr, err := pair(l.T("xlsx.funding.rate"), b.pct(fu.CoFinancingRateBP))
	if err != nil {
		return err
	}
	comp, err := b.sum(b.roundProduct(ref("F", ra), ref("F", rr)), fu.EUShareComputed, st.grant())
	if err != nil {
		return err
	}
	rc, err := pair(l.T("xlsx.funding.computed"), comp)
	if err != nil {
		return err
	}
	mx, err := b.money(fu.MaxContribution, st.grant())
	if err != nil {
		return err
	}
	rm, err := pair(l.T("xlsx.funding.max"), mx)
	if err != nil {
		return err
	}
	eu, err := b.sum(fmt.Sprintf("MIN(%s,%s)", ref("F", rc), ref("F", rm)), fu.EUShareToDate, st.grantBold())
	if err != nil {
		return err
	}
	if _, err := pair(l.T("xlsx.funding.euShare"), eu); err != nil {
		return err
	}
	ep, err := b.money(fu.EUSharePeriod, st.grant())
	if err != nil {
		return err
	}
	if _, err := pair(l.T("xlsx.funding.euSharePeriod"), ep); err != nil {
		return err
	}
	if fu.EUShareCapped {
		if err := w.text(st.warning, l.T("xlsx.funding.capped", "Max", b.moneyText(fu.MaxContribution))); err != nil {
			return err
		}
	}
	if err := w.para(st.noteWrap, l.T("xlsx.funding.note", "Currency", cur), "G", fundingColumns); err != nil {
		return err
	}
	w.skip()

	// Contributions in kind: not eligible costs, for information.
	if err := w.text(st.textBold, l.T("xlsx.funding.inKindTitle")); err != nil {
		return err
	}
	if len(fu.InKind) == 0 {
		if err := w.text(st.note, l.T("xlsx.funding.inKindNone")); err != nil {
			return err
		}
		return w.sw.Flush()
	}
	first = w.r
	var sum finance.FundingLine
	for _, x := range fu.InKind {
		cells, err := b.fundingCells(x, st.text, st.grant())
		if err != nil {
			return err
		}
		sum.Expected, sum.Period, sum.ToDate = sum.Expected+x.Expected, sum.Period+x.Period, sum.ToDate+x.ToDate
		if _, err := w.row(cells...); err != nil {
			return err
		}
	}
	last = w.r - 1
	tc, err = b.fundingCells(sum, st.textComputed, st.grantComputed())
	if err != nil {
		return err
	}
	tc[0] = excelize.Cell{StyleID: st.textComputed, Value: l.T("xlsx.funding.inKindTotal")}
	for i, c := range map[int]string{2: "C", 4: "E", 5: "F"} {
		v := tc[i].(excelize.Cell)
		v.Formula = sumRange(c, first, last)
		tc[i] = v
	}
	if _, err := w.row(tc...); err != nil {
		return err
	}
	if err := w.para(st.noteWrap, l.T("xlsx.funding.inKindNote"), "G", fundingColumns); err != nil {
		return err
	}
	return w.sw.Flush()
}

// fundingCells are the cells of a source of funding (the shares, D and G,
// left empty).
func (b *book) fundingCells(x finance.FundingLine, text, money int) ([]any, error) {
	name := x.Name
	if x.Kind == finance.FundingEU && name == "" {
		name = b.sm.Donor
	}
	kind := ""
	if x.Kind != "" {
		kind = b.l.T("xlsx.funding.kind." + x.Kind)
	}
	exp, err := b.money(x.Expected, money)
	if err != nil {
		return nil, err
	}
	per, err := b.money(x.Period, money)
	if err != nil {
		return nil, err
	}
	td, err := b.money(x.ToDate, money)
	if err != nil {
		return nil, err
	}
	return []any{excelize.Cell{StyleID: text, Value: kind}, excelize.Cell{StyleID: text, Value: name}, exp,
		excelize.Cell{StyleID: text}, per, td, excelize.Cell{StyleID: text}}, nil
}

// Payments columns: A what, B date, C amount, D note.
var paymentColumns = []float64{66, 14, 18, 56}

// writePayments writes the pre-financing instalments received and planned
// and the rule for a further one, as formulas of the cells above: the EU
// part of the accepted costs, what it must reach (the threshold of the
// last instalment plus the earlier ones), the shortfall, the cap on
// pre-financing and the room under it, and what may be requested now.
func (b *book) writePayments() error {
	l, st, p := b.l, b.st, b.sm.Payments
	w, err := b.newSheet(b.payments, l.T("xlsx.title.payments"), paymentColumns, []string{
		l.T("xlsx.payments.col.instalment"), l.T("xlsx.payments.col.date"), l.T("xlsx.payments.col.amount"), l.T("xlsx.payments.col.note")})
	if err != nil {
		return err
	}
	if len(p.Received) == 0 && len(p.Plan) == 0 && p.CoFinancingRateBP == 0 {
		if err := w.text(st.note, l.T("xlsx.payments.none")); err != nil {
			return err
		}
		return w.sw.Flush()
	}
	instalments := func(title, totalLabel string, xs []finance.Instalment, total int64) (first, last, tot int, err error) {
		if err := w.text(st.textBold, title); err != nil {
			return 0, 0, 0, err
		}
		first = w.r
		for _, x := range xs {
			c, err := b.money(x.Amount, st.grant())
			if err != nil {
				return 0, 0, 0, err
			}
			if _, err := w.row(excelize.Cell{StyleID: st.textIndent, Value: l.T("xlsx.payments.instalmentN", "Number", x.Number)},
				excelize.Cell{StyleID: st.text, Value: x.Date.String()}, c); err != nil {
				return 0, 0, 0, err
			}
		}
		last = w.r - 1
		c, err := b.cell(sumRange("C", first, last), total, st.grantComputed())
		if err != nil {
			return 0, 0, 0, err
		}
		tot, err = w.row(excelize.Cell{StyleID: st.textComputed, Value: totalLabel}, excelize.Cell{StyleID: st.textComputed}, c)
		return first, last, tot, err
	}
	first, last, received, err := instalments(l.T("xlsx.payments.received"), l.T("xlsx.payments.receivedTotal"), p.Received, p.ReceivedTotal)
	if err != nil {
		return err
	}
	w.skip()
	var planned int64
	for _, x := range p.Plan {
		planned += x.Amount
	}
	if len(p.Plan) > 0 {
		if _, _, _, err := instalments(l.T("xlsx.payments.plan"), l.T("xlsx.payments.planTotal"), p.Plan, planned); err != nil {
			return err
		}
	} else if err := w.text(st.note, l.T("xlsx.payments.noPlan")); err != nil {
		return err
	}
	w.skip()

	// The rule for a further instalment.
	if err := w.text(st.textBold, l.T("xlsx.payments.rule", "Number", p.Next)); err != nil {
		return err
	}
	rule := func(label string, c excelize.Cell, note string) (int, error) {
		return w.row(excelize.Cell{StyleID: st.text, Value: label}, nil, c, excelize.Cell{StyleID: st.note, Value: note})
	}
	money := func(formula string, v int64, style int) (excelize.Cell, error) { return b.cell(formula, v, style) }
	c, err := money(b.summaryTotalRef(sumToDate, p.AcceptedToDate, b.sm.Total.ToDate), p.AcceptedToDate, st.grant())
	if err != nil {
		return err
	}
	ra, err := rule(l.T("xlsx.payments.accepted", "Date", b.sc.To.String()), c, "")
	if err != nil {
		return err
	}
	rr, err := rule(l.T("xlsx.payments.rate"), b.pct(p.CoFinancingRateBP), "")
	if err != nil {
		return err
	}
	if c, err = money(b.roundProduct(ref("C", ra), ref("C", rr)), p.EUPart, st.grant()); err != nil {
		return err
	}
	re, err := rule(l.T("xlsx.payments.euPart"), c, "")
	if err != nil {
		return err
	}
	rt, err := rule(l.T("xlsx.payments.threshold"), b.pct(p.ThresholdBP), "")
	if err != nil {
		return err
	}
	// Required: the threshold of the last instalment, rounded up (the
	// product first rounded to four more decimals, as in roundProduct),
	// plus the earlier ones.
	reqF := ""
	if last >= first {
		reqF = fmt.Sprintf("ROUNDUP(ROUND(%s*%s,%d),%d)", ref("C", last), ref("C", rt), b.scale+4, b.scale)
		if last > first {
			reqF += "+" + sumRange("C", first, last-1)
		}
	}
	if c, err = money(reqF, p.Required, st.grant()); err != nil {
		return err
	}
	rq, err := rule(l.T("xlsx.payments.required"), c, l.T("xlsx.payments.requiredNote"))
	if err != nil {
		return err
	}
	if c, err = money(fmt.Sprintf("MAX(0,%s-%s)", ref("C", rq), ref("C", re)), p.Shortfall, st.grant()); err != nil {
		return err
	}
	rs, err := rule(l.T("xlsx.payments.shortfall"), c, "")
	if err != nil {
		return err
	}
	if c, err = money("", p.Cap, st.grant()); err != nil {
		return err
	}
	rc, err := rule(l.T("xlsx.payments.cap", "Percent", b.percentText(p.CapBP)), c, l.T("xlsx.payments.capNote", "Max", b.moneyText(b.sm.Funding.MaxContribution)))
	if err != nil {
		return err
	}
	if c, err = money(fmt.Sprintf("MAX(0,%s-%s)", ref("C", rc), ref("C", received)), p.CapRoom, st.grant()); err != nil {
		return err
	}
	rm, err := rule(l.T("xlsx.payments.capRoom"), c, "")
	if err != nil {
		return err
	}
	if c, err = money("", p.NextPlanned, st.grant()); err != nil {
		return err
	}
	planNote := ""
	if p.NextPlanned == 0 {
		planNote = l.T("xlsx.payments.notPlanned")
	}
	rn, err := rule(l.T("xlsx.payments.nextPlanned", "Number", p.Next), c, planNote)
	if err != nil {
		return err
	}
	if c, err = money(fmt.Sprintf("MAX(0,MIN(%s-%s,%s))", ref("C", rn), ref("C", rs), ref("C", rm)), p.Requestable, st.grantComputed()); err != nil {
		return err
	}
	if _, err := w.row(excelize.Cell{StyleID: st.textComputed, Value: l.T("xlsx.payments.requestable", "Number", p.Next)},
		excelize.Cell{StyleID: st.textComputed}, c, excelize.Cell{StyleID: st.note, Value: l.T("xlsx.payments.requestableNote")}); err != nil {
		return err
	}
	w.skip()
	verdict := l.T("xlsx.payments.mayRequest", "Number", p.Next)
	style := st.textBold
	if !p.MayRequest {
		verdict = l.T("xlsx.payments.notYet", "Number", p.Next, "Shortfall", b.moneyText(p.Shortfall))
		style = st.warning
	}
	if err := w.text(style, verdict); err != nil {
		return err
	}
	if !p.EstimatedDate.IsZero() {
		if err := w.text(st.note, l.T("xlsx.payments.estimated", "Date", p.EstimatedDate.String())); err != nil {
			return err
		}
	}
	if err := w.para(st.noteWrap, l.T("xlsx.payments.note"), "D", paymentColumns); err != nil {
		return err
	}
	return w.sw.Flush()
}

// Forecast columns: A code, B line, C budget, D remaining, E suggested, F
// entered, G used, H which.
var forecastColumns = []float64{8, 50, 16, 16, 16, 16, 16, 22}

// writeForecast writes the forecast of spending for the next period per
// heading and line: the budget, what remains of it, the suggestion (the
// line's monthly burn), what finance entered, and the figure used (entered,
// else suggested, marked), with the headings' subtotals and the total
// (SUM). Without a next period (nil), it says so.
func (b *book) writeForecast() error {
	l, st, fc := b.l, b.st, b.sm.Forecast
	w, err := b.newSheet(b.forecast, l.T("xlsx.title.forecast"), forecastColumns, []string{
		l.T("xlsx.col.code"), l.T("xlsx.col.headingLine"), l.T("xlsx.forecast.col.budget"), l.T("xlsx.forecast.col.remaining"),
		l.T("xlsx.forecast.col.suggested"), l.T("xlsx.forecast.col.entered"), l.T("xlsx.forecast.col.used"), l.T("xlsx.forecast.col.basis")})
	if err != nil {
		return err
	}
	if fc == nil {
		if err := w.text(st.note, l.T("xlsx.forecast.none")); err != nil {
			return err
		}
		return w.sw.Flush()
	}
	if err := w.text(st.textBold, l.T("xlsx.forecast.period", "Number", fc.Period, "From", fc.From.String(), "To", fc.To.String(), "Months", fc.Months)); err != nil {
		return err
	}
	titles := map[string]string{}
	for _, h := range b.sm.Headings {
		titles[h.Code] = b.headingTitle(h)
	}
	cols := []string{"C", "D", "E", "F", "G"}
	var subtotals []int
	var all [5]int64
	for i := 0; i < len(fc.Lines); {
		code := fc.Lines[i].HeadingCode
		title := titles[code]
		if title == "" {
			title = l.T("xlsx.heading.unknown", "Code", code)
		}
		if _, err := w.row(excelize.Cell{StyleID: st.textBold, Value: code}, excelize.Cell{StyleID: st.textBold, Value: title}); err != nil {
			return err
		}
		first := w.r
		var sum [5]int64
		for ; i < len(fc.Lines) && fc.Lines[i].HeadingCode == code; i++ {
			x := fc.Lines[i]
			used := x.Suggested
			basis := l.T("xlsx.forecast.suggested")
			if x.Entered {
				used, basis = x.Amount, l.T("xlsx.forecast.entered")
			}
			vals := [5]int64{x.Budget, x.Remaining, x.Suggested, x.Amount, used}
			for k, v := range vals {
				sum[k] += v
			}
			cells := []any{excelize.Cell{StyleID: st.text, Value: x.Code}, excelize.Cell{StyleID: st.text, Value: x.Description}}
			r := w.r
			for k, v := range vals {
				var c excelize.Cell
				var err error
				switch {
				case k == 3 && !x.Entered:
					c = excelize.Cell{StyleID: st.grant()}
				case k == 4:
					c, err = b.sum(fmt.Sprintf(`IF(F%d="",E%d,F%d)`, r, r, r), v, st.grant())
				default:
					c, err = b.money(v, st.grant())
				}
				if err != nil {
					return err
				}
				cells = append(cells, c)
			}
			style := st.noteIndent
			if x.Entered {
				style = st.textIndent
			}
			cells = append(cells, excelize.Cell{StyleID: style, Value: basis})
			if _, err := w.row(cells...); err != nil {
				return err
			}
		}
		last := w.r - 1
		cells := []any{excelize.Cell{StyleID: st.textBold}, excelize.Cell{StyleID: st.textBold, Value: l.T("xlsx.subtotalOf", "Code", code, "Title", title)}}
		for k, v := range sum {
			c, err := b.sum(sumRange(cols[k], first, last), v, st.grantBold())
			if err != nil {
				return err
			}
			cells = append(cells, c)
			all[k] += v
		}
		r, err := w.row(cells...)
		if err != nil {
			return err
		}
		subtotals = append(subtotals, r)
	}
	cells := []any{excelize.Cell{StyleID: st.textComputed}, excelize.Cell{StyleID: st.textComputed, Value: l.T("xlsx.forecast.total")}}
	for k, v := range all {
		f := ""
		if len(subtotals) > 0 {
			refs := ""
			for j, s := range subtotals {
				if j > 0 {
					refs += ","
				}
				refs += ref(cols[k], s)
			}
			f = "SUM(" + refs + ")"
		}
		if k == 4 {
			v = fc.Total
		}
		c, err := b.cell(f, v, st.grantComputed())
		if err != nil {
			return err
		}
		cells = append(cells, c)
	}
	cells = append(cells, excelize.Cell{StyleID: st.textComputed})
	if _, err := w.row(cells...); err != nil {
		return err
	}
	w.skip()
	if fc.Version == 0 || fc.UpdatedBy == "" {
		if err := w.text(st.note, l.T("xlsx.forecast.nothingEntered")); err != nil {
			return err
		}
	} else if err := w.text(st.note, l.T("xlsx.forecast.updatedBy", "Name", fc.UpdatedBy)); err != nil {
		return err
	}
	if err := w.para(st.noteWrap, l.T("xlsx.forecast.note", "Months", fc.Months), "H", forecastColumns); err != nil {
		return err
	}
	return w.sw.Flush()
}

// Beneficiary columns: A organisation, B role, C country, D budget, E
// period, F to date, G remaining.
var partnerColumns = []float64{48, 26, 10, 18, 18, 18, 18}

// writePartners writes the budget and spending per beneficiary, with the
// total (SUM), reconciled with the summary's total less the flat rate's
// claim (which no beneficiary records).
func (b *book) writePartners() error {
	l, st, sm := b.l, b.st, b.sm
	w, err := b.newSheet(b.partners, l.T("xlsx.title.partners"), partnerColumns, []string{
		l.T("xlsx.partners.col.organisation"), l.T("xlsx.partners.col.role"), l.T("xlsx.partners.col.country"),
		l.T("xlsx.col.budget", "Version", b.versionText()), l.T("xlsx.col.spentPeriod"),
		l.T("xlsx.col.spentToDate", "Date", b.sc.To.String()), l.T("xlsx.col.remaining")})
	if err != nil {
		return err
	}
	first := w.r
	var tot finance.Party
	for _, p := range sm.Partners {
		name := p.Name
		if p.ID == "" {
			name = l.T("xlsx.partners.none")
		}
		role := l.T("xlsx.role.unknown")
		if p.Role != "" && i18n.Has("xlsx.role."+p.Role) {
			role = l.T("xlsx.role." + p.Role)
		}
		r := w.r
		cells := []any{excelize.Cell{StyleID: st.text, Value: name}, excelize.Cell{StyleID: st.text, Value: role},
			excelize.Cell{StyleID: st.text, Value: p.Country}}
		for _, v := range []int64{p.Budget, p.Period, p.ToDate} {
			c, err := b.money(v, st.grant())
			if err != nil {
				return err
			}
			cells = append(cells, c)
		}
		rem, err := b.sum(fmt.Sprintf("D%d-F%d", r, r), p.Budget-p.ToDate, st.grant())
		if err != nil {
			return err
		}
		if _, err := w.row(append(cells, rem)...); err != nil {
			return err
		}
		tot.Budget, tot.Period, tot.ToDate = tot.Budget+p.Budget, tot.Period+p.Period, tot.ToDate+p.ToDate
	}
	last := w.r - 1
	total := w.r
	cells := []any{excelize.Cell{StyleID: st.textComputed, Value: l.T("xlsx.total")}, excelize.Cell{StyleID: st.textComputed},
		excelize.Cell{StyleID: st.textComputed}}
	for i, v := range []int64{tot.Budget, tot.Period, tot.ToDate} {
		c, err := b.cell(sumRange(string(rune('D'+i)), first, last), v, st.grantComputed())
		if err != nil {
			return err
		}
		cells = append(cells, c)
	}
	rem, err := b.sum(fmt.Sprintf("D%d-F%d", total, total), tot.Budget-tot.ToDate, st.grantComputed())
	if err != nil {
		return err
	}
	if _, err := w.row(append(cells, rem)...); err != nil {
		return err
	}
	w.skip()

	// The reconciliation with the summary, in the period (E) and to date (F).
	if err := w.text(st.textBold, l.T("xlsx.partners.recon")); err != nil {
		return err
	}
	t := b.summaryTotalRow
	pair := func(label string, fe, ff string, ve, vf int64, style int) (int, error) {
		e, err := b.cell(fe, ve, style)
		if err != nil {
			return 0, err
		}
		f, err := b.cell(ff, vf, style)
		if err != nil {
			return 0, err
		}
		return w.row(excelize.Cell{StyleID: st.text, Value: label}, nil, nil, nil, e, f)
	}
	rs, err := pair(l.T("xlsx.partners.summaryTotal", "Sheet", b.summary), sheetRef(b.summary, ref(sumPeriod, t)), sheetRef(b.summary, ref(sumToDate, t)),
		sm.Total.Period, sm.Total.ToDate, st.grant())
	if err != nil {
		return err
	}
	wantE, wantF := fmt.Sprintf("E%d", rs), fmt.Sprintf("F%d", rs)
	ve, vf := sm.Total.Period, sm.Total.ToDate
	if in := sm.Indirect; in.Applies && b.flatRateRow > 0 {
		rf, err := pair(l.T("xlsx.partners.lessFlatRate"), sheetRef(b.summary, ref(sumPeriod, b.flatRateRow)), sheetRef(b.summary, ref(sumToDate, b.flatRateRow)),
			in.ClaimedPeriod, in.ClaimedToDate, st.grant())
		if err != nil {
			return err
		}
		wantE, wantF = fmt.Sprintf("%s-E%d", wantE, rf), fmt.Sprintf("%s-F%d", wantF, rf)
		ve, vf = ve-in.ClaimedPeriod, vf-in.ClaimedToDate
	}
	if _, err := pair(l.T("xlsx.recon.difference"),
		fmt.Sprintf("ROUND(ABS(E%d-(%s)),%d)", total, wantE, b.scale), fmt.Sprintf("ROUND(ABS(F%d-(%s)),%d)", total, wantF, b.scale),
		abs(tot.Period-ve), abs(tot.ToDate-vf), st.grantBold()); err != nil {
		return err
	}
	w.skip()
	if err := w.para(st.noteWrap, l.T("xlsx.partners.note"), "G", partnerColumns); err != nil {
		return err
	}
	return w.sw.Flush()
}

// versionText names the latest adopted version ("version 3"), or none.
func (b *book) versionText() string {
	if b.sm.Version == nil {
		return b.l.T("xlsx.none")
	}
	return b.l.T("xlsx.versionN", "Number", b.sm.Version.Number)
}

// Findings columns: A severity, B finding, C heading.
var findingColumns = []float64{16, 110, 40}

// writeFindings writes the compliance findings, violations first, worded
// in the report's language.
func (b *book) writeFindings() error {
	l, st, sm := b.l, b.st, b.sm
	w, err := b.newSheet(b.findings, l.T("xlsx.title.findings"), findingColumns, []string{
		l.T("xlsx.findings.col.severity"), l.T("xlsx.findings.col.finding"), l.T("xlsx.findings.col.heading")})
	if err != nil {
		return err
	}
	titles := map[string]string{}
	for _, h := range sm.Headings {
		titles[h.Code] = h.Code + " " + b.headingTitle(h)
	}
	if len(sm.Findings) == 0 {
		if err := w.text(st.note, l.T("xlsx.findings.none")); err != nil {
			return err
		}
	}
	for _, f := range sm.Findings {
		sev, style := l.T("xlsx.severity.info"), st.text
		switch f.Severity {
		case finance.Violation:
			sev, style = l.T("xlsx.severity.violation"), st.flag
		case finance.Warning:
			sev, style = l.T("xlsx.severity.warning"), st.warning
		}
		code := f.HeadingCode
		if code == "" {
			code = f.Args["heading_code"]
		}
		heading := titles[code]
		if heading == "" && code != "" {
			heading = l.T("xlsx.heading.unknown", "Code", code)
		}
		words := b.findingWords(f)
		if err := w.sw.SetRow(ref("A", w.r), []any{excelize.Cell{StyleID: style, Value: sev}, excelize.Cell{StyleID: st.textWrap, Value: words},
			excelize.Cell{StyleID: st.textWrap, Value: heading}}, excelize.RowOpts{Height: max(rowHeight(words, findingColumns[1]), rowHeight(heading, findingColumns[2]))}); err != nil {
			return err
		}
		w.r++
	}
	w.skip()
	if err := w.text(st.note, l.T("xlsx.findings.note", "Date", sm.CheckedAsOf.String())); err != nil {
		return err
	}
	return w.sw.Flush()
}
