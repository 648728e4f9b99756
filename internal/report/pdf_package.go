package report

import (
	"strconv"
	"strings"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/pdf"
)

// The parts of the PDF that carry the donor's financial package beyond
// budget versus actual (issue 15): the budget lines under each heading with
// the flat rate's computation, the cover's basis, versions and rounding,
// the sources of funding, pre-financing and the payment request, the
// forecast for the next period, the beneficiaries' roles and the signature
// block. Every figure is the statement's (finance.Statement): nothing is
// computed here but sums of what is shown and percentages.

// withCur writes an amount followed by the grant currency ("1,234.00 EUR").
func (l *pdfLayout) withCur(v int64) string { return l.money(v) + "\u00a0" + l.data.cur }

// lineLabel is a budget line's label in the summary: code and description,
// the flat-rate line named as such, a line the adopted budget lacks marked.
func (l *pdfLayout) lineLabel(ln finance.StatementLine) string {
	st := l.data.st
	desc := strings.TrimSpace(ln.Description)
	if ln.FlatRate {
		desc = l.T("pdf.pkg.flatRateLine", "Rate", l.bp(st.Indirect.RateBP))
	}
	label := strings.TrimSpace(ln.Code + " " + desc)
	if label == "" {
		label = l.T("pdf.pkg.noLine")
	}
	if !ln.InBudget && !ln.FlatRate {
		label = l.T("pdf.pkg.notInBudget", "Line", label)
	}
	// The budget's detail: unit, number of units, unit cost.
	if ln.InBudget && !ln.FlatRate && (ln.Unit != "" || ln.Units != "") {
		units := ln.Units
		if units == "" {
			units = "1"
		}
		unit := ln.Unit
		if unit == "" {
			unit = l.T("pdf.pkg.unit")
		}
		label += "\n" + l.T("pdf.pkg.lineDetail", "Unit", unit, "Units", pdfDecimal(l.lang, units), "Cost", l.money(ln.UnitCost))
	}
	return label
}

// lineRows are a heading's budget lines, indented under it.
func (l *pdfLayout) lineRows(r pdfRow, withIneligible bool) []pdf.Row {
	var rows []pdf.Row
	for _, ln := range r.lines {
		lr := pdfRow{budget: ln.Budget, period: ln.Period, toDate: ln.ToDate, ineligible: ln.Ineligible}
		row := l.amountRow(l.lineLabel(ln), lr)
		if withIneligible {
			row = l.withIneligible(row, lr)
		}
		row.Indent = 4
		for i := range row.Colors {
			if row.Colors[i].R == 0 && row.Colors[i].G == 0 && row.Colors[i].B == 0 {
				row.Colors[i] = pdf.Color{R: 70, G: 76, B: 84}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// withIneligible adds the "not eligible" cell (blank when zero).
func (l *pdfLayout) withIneligible(row pdf.Row, r pdfRow) pdf.Row {
	cell := ""
	if r.ineligible != 0 {
		cell = l.money(r.ineligible)
	}
	row.Cells = append(row.Cells, cell)
	row.Colors = append(row.Colors, pdf.Red)
	return row
}

// indirectNote is the flat rate's computation under the summary, and the
// expenditures recorded under the indirect heading that are not claimed.
func (l *pdfLayout) indirectNote() {
	in := l.data.st.Indirect
	if !in.Applies {
		return
	}
	doc := l.doc
	args := []any{"Rate", l.bp(in.RateBP), "Base", l.withCur(in.BaseToDate), "Computed", l.withCur(in.ComputedToDate),
		"Heading", in.HeadingCode, "Budget", l.withCur(in.Budget), "Claimed", l.withCur(in.ClaimedToDate), "Period", l.withCur(in.ClaimedPeriod)}
	how := l.T("pdf.pkg.flatRateWithin", args...)
	switch {
	case l.data.st.Version == nil:
		how = l.T("pdf.pkg.flatRateNoBudget", args...)
	case in.Capped:
		how = l.T("pdf.pkg.flatRateCapped", args...)
	}
	doc.Space(1)
	doc.Text(how, pdf.Style{Size: 8.5, Color: pdf.Navy, Keep: true})
	if in.RecordedCount > 0 {
		doc.Text(l.N("pdf.pkg.indirectRecorded", in.RecordedCount, "Total", l.withCur(in.RecordedAmount)),
			pdf.Style{Size: 8, Color: pdf.Amber, Bold: true, Keep: true})
	}
}

// coverPackage are the cover's lines about what the figures count: the
// date checked, the basis, the unverified spending, the budget versions and
// the uses of the contingency reserve.
func (l *pdfLayout) coverPackage() []pdf.KeyValue {
	st := l.data.st
	basis := l.T("pdf.pkg.basisAll")
	if st.VerifiedOnly {
		basis = l.T("pdf.pkg.basisVerified")
	}
	unverified := l.T("pdf.pkg.none")
	if st.UnverifiedCount > 0 || st.UnverifiedAmount != 0 {
		unverified = l.N("pdf.pkg.unverifiedCounted", st.UnverifiedCount, "Total", l.withCur(st.UnverifiedAmount))
		if st.VerifiedOnly {
			unverified = l.N("pdf.pkg.unverifiedLeftOut", st.UnverifiedCount, "Total", l.withCur(st.UnverifiedAmount))
		}
	}
	var versions []string
	for _, v := range st.Versions {
		versions = append(versions, l.versionWords(v))
	}
	if len(versions) == 0 {
		versions = []string{l.T("pdf.noBudget")}
	}
	uses := []string{l.T("pdf.pkg.none")}
	if len(st.ContingencyUses) > 0 {
		uses = uses[:0]
		for _, u := range st.ContingencyUses {
			s := l.T("pdf.pkg.contingencyUse", "Number", strconv.Itoa(u.Version.Number), "Kind", l.T("pdf.kind."+u.Version.Kind),
				"Before", l.withCur(u.Before), "After", l.withCur(u.After))
			ref := u.ApprovalReference
			if ref == "" {
				ref = u.Version.ApprovalReference
			}
			if ref != "" {
				s += ", " + l.T("pdf.pkg.approvalReference", "Reference", ref)
			}
			uses = append(uses, s)
		}
	}
	return []pdf.KeyValue{
		{Key: l.T("pdf.pkg.checkedAsOf"), Value: l.date(st.CheckedAsOf)},
		{Key: l.T("pdf.pkg.basis"), Value: basis},
		{Key: l.T("pdf.pkg.unverified"), Value: unverified},
		{Key: l.T("pdf.pkg.versions"), Value: strings.Join(versions, "\n")},
		{Key: l.T("pdf.pkg.contingencyUses"), Value: strings.Join(uses, "\n")},
	}
}

// versionWords describes an adopted budget version: number, kind, label,
// effective date, adoption date, the donor's approval reference.
func (l *pdfLayout) versionWords(v finance.Version) string {
	s := l.T("pdf.versionOf", "Number", strconv.Itoa(v.Number), "Kind", l.T("pdf.kind."+v.Kind))
	if v.Label != "" {
		s += " – " + v.Label
	}
	if d, err := calendar.Parse(v.EffectiveDate); err == nil {
		s += ", " + l.T("pdf.pkg.effective", "Date", l.date(d))
	}
	if !v.AdoptTime.IsZero() {
		s += ", " + l.T("pdf.adoptedOn", "Date", l.date(calendar.Of(v.AdoptTime)))
	}
	if v.ApprovalReference != "" {
		s += ", " + l.T("pdf.pkg.approvalReference", "Reference", v.ApprovalReference)
	}
	return s
}

// roundingNote says how converting each expenditure rather than each
// currency's total changes the figures: on the cover when it fits there,
// else under the summary (cover false: that second call).
func (l *pdfLayout) roundingNote(cover bool) {
	c := l.data.st.Currencies
	if c == nil || len(c.Blocks) == 0 || cover != l.roundingOnCover {
		return
	}
	if cover && l.doc.Remaining() < 9 {
		l.roundingOnCover = false
		return
	}
	if c.RoundingRows == 0 {
		l.doc.Note(l.T("pdf.pkg.roundingNone"))
		return
	}
	l.doc.Note(l.N("pdf.pkg.rounding", c.RoundingRows, "Total", l.withCur(c.RoundingMax)))
}

// roleWords names a partner's contractual role.
func (l *pdfLayout) roleWords(role string) string {
	switch role {
	case "coordinator", "co_beneficiary", "affiliated_entity", "associate", "contractor", "financial_support_recipient":
		return l.T("pdf.pkg.role." + role)
	}
	return ""
}

// funding is the sources of funding: expected and actual, the EU's share
// explained, contributions in kind apart.
func (l *pdfLayout) funding() {
	d, doc := l.data, l.doc
	f := d.st.Funding
	doc.Heading(l.T("pdf.pkg.funding"), 40)
	if len(f.Lines) == 0 {
		doc.Paragraph(l.T("pdf.pkg.noFunding"))
		return
	}
	cols := []pdf.Column{
		{Title: l.T("pdf.pkg.source"), Width: 3.6},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.pkg.expected"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.pkg.shareExpected"), Width: 0.8, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.pkg.actualPeriod"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.pkg.actualToDate"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.pkg.shareActual"), Width: 0.8, Align: pdf.Right},
	}
	row := func(label string, x, total finance.FundingLine) pdf.Row {
		return pdf.Row{Cells: []string{label, l.money(x.Expected), l.pct(x.Expected, total.Expected),
			l.money(x.Period), l.money(x.ToDate), l.pct(x.ToDate, total.ToDate)}}
	}
	var rows []pdf.Row
	for _, x := range f.Lines {
		rows = append(rows, row(l.fundingLabel(x), x, f.Total))
	}
	tot := row(l.T("pdf.total"), f.Total, f.Total)
	tot.Bold, tot.Shade = true, true
	rows = append(rows, tot)
	doc.Table(pdf.Table{Columns: cols, Rows: rows, KeepTail: 1})

	// The EU's share, explained.
	args := []any{"Accepted", l.withCur(f.AcceptedToDate), "Rate", l.bp(f.CoFinancingRateBP), "Computed", l.withCur(f.EUShareComputed),
		"Max", l.withCur(f.MaxContribution), "Share", l.withCur(f.EUShareToDate), "Period", l.withCur(f.EUSharePeriod)}
	share := l.T("pdf.pkg.euShare", args...)
	if f.EUShareCapped {
		share = l.T("pdf.pkg.euShareCapped", args...)
	}
	doc.Text(share, pdf.Style{Size: 8.5, Color: pdf.Navy, Keep: true})
	doc.Text(l.T("pdf.pkg.ownFunds", "Amount", l.withCur(f.OwnFunds), "Period", l.withCur(f.OwnFundsComputedPeriod)), pdf.Style{Size: 8.5, Color: pdf.Navy, Keep: true})
	doc.Note(l.T("pdf.pkg.fundingNote"))

	if len(f.InKind) > 0 {
		doc.Space(2)
		doc.Text(l.T("pdf.pkg.inKind"), pdf.Style{Size: 9.5, Bold: true, Color: pdf.Navy})
		doc.Space(1)
		var rows []pdf.Row
		var sum finance.FundingLine
		for _, x := range f.InKind {
			rows = append(rows, pdf.Row{Cells: []string{l.fundingLabel(x), l.money(x.Expected), l.money(x.Period), l.money(x.ToDate)}})
			sum.Expected += x.Expected
			sum.Period += x.Period
			sum.ToDate += x.ToDate
		}
		rows = append(rows, pdf.Row{Cells: []string{l.T("pdf.total"), l.money(sum.Expected), l.money(sum.Period), l.money(sum.ToDate)}, Bold: true, Shade: true})
		doc.Table(pdf.Table{Columns: []pdf.Column{cols[0], cols[1], cols[3], cols[4]}, Rows: rows, KeepTail: 1})
	}
}

// fundingLabel names a source of funding: its kind and whose.
func (l *pdfLayout) fundingLabel(x finance.FundingLine) string {
	kind := l.T("pdf.pkg.source.other")
	switch x.Kind {
	case finance.FundingEU, finance.FundingOwnFunds, finance.FundingOtherDonor, finance.FundingIncome, finance.FundingInKind:
		kind = l.T("pdf.pkg.source." + x.Kind)
	}
	if x.Name == "" {
		return kind
	}
	return l.T("pdf.pkg.sourceNamed", "Kind", kind, "Name", x.Name)
}

// payments is the pre-financing received and foreseen and the rule for a
// further instalment: what may be requested now.
func (l *pdfLayout) payments() {
	d, doc := l.data, l.doc
	p := d.st.Payments
	doc.Heading(l.T("pdf.pkg.payments"), 40)
	if p.Next == 0 { // not checked (no statement's rule)
		doc.Paragraph(l.T("pdf.pkg.noneReceived"))
		return
	}
	instalments := func(title, dateTitle string, list []finance.Instalment) {
		doc.Text(title, pdf.Style{Size: 9.5, Bold: true, Color: pdf.Navy})
		doc.Space(1)
		var rows []pdf.Row
		var total int64
		for _, in := range list {
			date := ""
			if !in.Date.IsZero() {
				date = l.date(in.Date)
			}
			rows = append(rows, pdf.Row{Cells: []string{strconv.Itoa(in.Number), date, l.money(in.Amount)}})
			total += in.Amount
		}
		rows = append(rows, pdf.Row{Cells: []string{l.T("pdf.total"), "", l.money(total)}, Bold: true, Shade: true})
		doc.Table(pdf.Table{Columns: []pdf.Column{
			{Title: l.T("pdf.pkg.instalment"), Width: 1.2},
			{Title: dateTitle, Width: 2.2},
			{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.pkg.amount"), "Currency", d.cur), Width: 1.4, Align: pdf.Right},
			{Title: "", Width: 4.5},
		}, Rows: rows, KeepTail: 1})
	}
	if len(p.Received) > 0 {
		instalments(l.T("pdf.pkg.receivedTitle"), l.T("pdf.pkg.receivedOn"), p.Received)
	} else {
		doc.Paragraph(l.T("pdf.pkg.noneReceived"))
		doc.Space(1)
	}
	if len(p.Plan) > 0 {
		instalments(l.T("pdf.pkg.planTitle"), l.T("pdf.pkg.foreseenFor"), p.Plan)
	}

	required := l.T("pdf.pkg.requiredFirst")
	if p.Required > 0 {
		required = l.T("pdf.pkg.requiredValue", "Threshold", l.bp(p.ThresholdBP), "Required", l.withCur(p.Required))
	}
	shortfall := l.T("pdf.pkg.none")
	if p.Shortfall > 0 {
		shortfall = l.withCur(p.Shortfall)
	}
	requestable := l.withCur(p.Requestable)
	if p.NextPlanned > 0 {
		requestable = l.T("pdf.pkg.requestableOf", "Amount", l.withCur(p.Requestable), "Planned", l.withCur(p.NextPlanned))
	}
	rows := []pdf.KeyValue{
		{Key: l.T("pdf.pkg.receivedTotal"), Value: l.withCur(p.ReceivedTotal)},
		{Key: l.T("pdf.pkg.acceptedToDate"), Value: l.withCur(p.AcceptedToDate)},
		{Key: l.T("pdf.pkg.euPart"), Value: l.T("pdf.pkg.euPartValue", "Accepted", l.withCur(p.AcceptedToDate), "Rate", l.bp(p.CoFinancingRateBP), "Part", l.withCur(p.EUPart))},
		{Key: l.T("pdf.pkg.required", "Number", strconv.Itoa(p.Next)), Value: required},
		{Key: l.T("pdf.pkg.shortfall"), Value: shortfall},
		{Key: l.T("pdf.pkg.cap"), Value: l.T("pdf.pkg.capValue", "Cap", l.bp(p.CapBP), "Amount", l.withCur(p.Cap), "Room", l.withCur(p.CapRoom))},
		{Key: l.T("pdf.pkg.requestable", "Number", strconv.Itoa(p.Next)), Value: requestable, Bold: true},
	}
	if !p.EstimatedDate.IsZero() {
		rows = append(rows, pdf.KeyValue{Key: l.T("pdf.pkg.estimated"), Value: l.date(p.EstimatedDate)})
	}
	doc.KeyValues(rows, 78)
	if p.MayRequest {
		doc.Text(l.T("pdf.pkg.mayRequest", "Number", strconv.Itoa(p.Next)), pdf.Style{Size: 9.5, Bold: true, Color: pdf.Green, Keep: true})
	} else {
		doc.Text(l.T("pdf.pkg.mayNotRequest", "Number", strconv.Itoa(p.Next), "Shortfall", l.withCur(p.Shortfall)), pdf.Style{Size: 9.5, Bold: true, Color: pdf.Amber, Keep: true})
	}
	doc.Note(l.T("pdf.pkg.paymentsNote", "Threshold", l.bp(p.ThresholdBP), "Cap", l.bp(p.CapBP)))
}

// forecast is the forecast of spending for the next period, per line.
func (l *pdfLayout) forecast() {
	d, doc := l.data, l.doc
	fc := d.st.Forecast
	if fc == nil {
		doc.Heading(l.T("pdf.pkg.forecast"), 10)
		doc.Paragraph(l.T("pdf.pkg.forecastNone"))
		return
	}
	doc.Heading(l.T("pdf.pkg.forecast"), 55) // the period, the notes and the table's first rows
	r := l.T("pdf.dateRange", "From", l.date(fc.From), "To", l.date(fc.To))
	doc.Text(l.T("pdf.pkg.forecastPeriod", "Number", strconv.Itoa(fc.Period), "Range", r, "Months", l.N("pdf.pkg.months", int64(fc.Months))),
		pdf.Style{Size: 9.5, Bold: true})
	doc.Space(1)
	cols := []pdf.Column{
		{Title: l.T("pdf.pkg.line"), Width: 3.9},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.budget"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.remaining"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.pkg.suggested"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.pkg.forecastAmount"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
	}
	var rows []pdf.Row
	var budget, remaining, suggested int64
	marked := false
	for _, x := range fc.Lines {
		amount := l.money(x.Amount)
		if !x.Entered {
			amount, marked = l.money(x.Suggested)+" *", true
		}
		label := strings.TrimSpace(x.Code + " " + x.Description)
		if label == "" {
			label = l.T("pdf.pkg.noLine")
		}
		rows = append(rows, pdf.Row{Cells: []string{label, l.money(x.Budget), l.money(x.Remaining), l.money(x.Suggested), amount}})
		budget += x.Budget
		remaining += x.Remaining
		suggested += x.Suggested
	}
	tot := pdf.Row{Cells: []string{l.T("pdf.total"), l.money(budget), l.money(remaining), l.money(suggested), l.money(fc.Total)}, Bold: true, Shade: true}
	rows = append(rows, tot)
	notes := []string{l.N("pdf.pkg.forecastNote", int64(fc.Months))}
	if marked {
		notes = append(notes, l.T("pdf.pkg.forecastMark"))
	}
	if fc.UpdatedBy != "" {
		notes = append(notes, l.T("pdf.pkg.forecastBy", "Name", fc.UpdatedBy))
	}
	// The notes first: they explain the table and stay with it.
	doc.Text(strings.Join(notes, "\n"), pdf.Style{Size: 7.5, Color: pdf.Grey, Keep: true})
	doc.Space(1)
	doc.Table(pdf.Table{Columns: cols, Rows: rows, KeepTail: 1})
}

// signature is the signature block for the coordinator: name, function,
// date and a line to sign on; left blank to fill in by hand when the
// request names no signatory.
func (l *pdfLayout) signature() {
	d, doc := l.data, l.doc
	doc.Heading(l.T("pdf.pkg.signature"), 45)
	doc.Paragraph(l.T("pdf.pkg.signatureIntro", "Lead", d.lead))
	doc.Space(2)
	date := ""
	if d.sc.SignatoryName != "" {
		// The day the report is made: never in the future.
		day := d.sc.Today
		if day.IsZero() {
			day = d.st.CheckedAsOf
		}
		date = l.date(day)
	}
	doc.KeyValues([]pdf.KeyValue{
		{Key: l.T("pdf.pkg.signName"), Value: d.sc.SignatoryName, Bold: true},
		{Key: l.T("pdf.pkg.signFunction"), Value: d.sc.SignatoryFunction},
		{Key: l.T("pdf.pkg.signDate"), Value: date},
		{Key: l.T("pdf.pkg.signSignature"), Value: "\n\n"},
	}, 45)
}
