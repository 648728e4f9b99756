package report

import (
	"io"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/pdf"
)

// pdfPercentOf is num/den as a percentage with two decimals, rounded half
// away from zero ("26.00"); "" when den is zero. As finance computes it.
func pdfPercentOf(num, den int64) string {
	if den == 0 {
		return ""
	}
	return decimal.NewFromInt(num).Mul(decimal.NewFromInt(100)).DivRound(decimal.NewFromInt(den), 2).StringFixed(2)
}

// pdfWrite lays the report out and writes it to w.
func pdfWrite(w io.Writer, d *pdfData) error {
	l := &pdfLayout{Localizer: pdfWords(d.lang), data: d, lang: d.lang, roundingOnCover: true}
	g := d.sc.Grant
	period := l.periodText()
	opt := pdf.Options{
		Landscape: true,
		Title:     l.T("pdf.title") + " – " + g.DonorReference + " – " + period,
		Subject:   g.Title,
		Author:    d.lead,
		Keywords:  g.DonorReference,
		Language:  d.lang,
		Created:   d.generatedAt,
		Header: func(page int) (string, string) {
			if page == 1 {
				return "", ""
			}
			return l.T("pdf.title") + " · " + g.DonorReference + " · " + g.Title, period
		},
		Footer: func(page, pages int) (string, string) {
			return l.T("pdf.footer", "Title", g.DonorReference, "At", pdfDateTime(d.lang, d.generatedAt)),
				l.T("pdf.page", "Page", strconv.Itoa(page), "Pages", strconv.Itoa(pages))
		},
	}
	return pdf.Write(w, opt, func(doc *pdf.Doc) {
		l.doc = doc
		l.cover()
		l.summary()
		l.charts()
		l.partners()
		l.funding()
		l.payments()
		l.forecast()
		l.findings()
		l.ineligible()
		l.signature()
	})
}

// pdfLayout draws the report's parts.
type pdfLayout struct {
	*i18n.Localizer // the report's words
	data            *pdfData
	lang            string
	doc             *pdf.Doc
	// roundingOnCover: the rounding note goes on the cover (it did not
	// fit there once false: under the summary).
	roundingOnCover bool
}

func (l *pdfLayout) money(v int64) string { return pdfMoney(l.lang, v, l.data.cur) }
func (l *pdfLayout) pct(num, den int64) string {
	return pdfPercent(l.lang, pdfPercentOf(num, den))
}
func (l *pdfLayout) date(d calendar.Date) string { return pdfDate(l.lang, d) }

// bp writes hundredths of a percent as a percentage without needless
// decimals: 2500 -> "25%", 8750 -> "87.5%".
func (l *pdfLayout) bp(v int64) string { return pdfPercent(l.lang, money.FormatPercent(v)) }

func (l *pdfLayout) periodText() string {
	sc := l.data.sc
	r := l.T("pdf.dateRange", "From", l.date(sc.From), "To", l.date(sc.To))
	if sc.Period > 0 {
		return l.T("pdf.periodNumbered", "Number", strconv.Itoa(sc.Period), "Range", r)
	}
	return r
}

func (l *pdfLayout) cover() {
	d, doc := l.data, l.doc
	g := d.sc.Grant
	doc.Space(1)
	doc.Title(l.T("pdf.title"))
	doc.Text(g.Title, pdf.Style{Size: 14, Bold: true})
	doc.Text(g.DonorReference+" · "+l.periodText(), pdf.Style{Size: 10.5, Color: pdf.Grey})
	doc.Space(3)

	version := l.T("pdf.noBudget")
	if v := d.version; v != nil {
		version = l.T("pdf.versionOf", "Number", strconv.Itoa(v.Number), "Kind", l.T("pdf.kind."+v.Kind))
		if v.Label != "" {
			version += " – " + v.Label
		}
		if v.AdoptTime != nil {
			version += ", " + l.T("pdf.adoptedOn", "Date", l.date(calendar.Of(*v.AdoptTime)))
		}
	}
	audit := l.T("pdf.auditEmpty")
	if d.auditHash != "" {
		audit = l.T("pdf.auditHeadValue", "Seq", pdfInteger(l.lang, d.auditSeq), "Hash", d.auditHash)
	}
	checkpoint := l.T("pdf.noCheckpoint")
	if c := d.checkpoint; c != nil {
		checkpoint = l.T("pdf.checkpointValue", "Seq", pdfInteger(l.lang, c.Seq), "Time", pdfDateTime(l.lang, c.Time)+" UTC", "Fingerprint", c.Fingerprint())
	}
	policy := l.T("pdf.policy." + string(d.rules.RatePolicy))
	rows := []pdf.KeyValue{
		{Key: l.T("pdf.grant"), Value: g.Title, Bold: true},
		{Key: l.T("pdf.donor"), Value: d.donor},
		{Key: l.T("pdf.donorReference"), Value: g.DonorReference},
	}
	if d.framework != "" {
		rows = append(rows, pdf.KeyValue{Key: l.T("pdf.framework"), Value: d.framework})
	}
	rows = append(rows,
		pdf.KeyValue{Key: l.T("pdf.lead"), Value: d.lead},
		pdf.KeyValue{Key: l.T("pdf.implementation"), Value: l.T("pdf.dateRange", "From", l.date(g.StartDate), "To", l.date(g.EndDate))},
		pdf.KeyValue{Key: l.T("pdf.reportingPeriod"), Value: l.periodText(), Bold: true},
		pdf.KeyValue{Key: l.T("pdf.currency"), Value: d.cur},
		pdf.KeyValue{Key: l.T("pdf.ratePolicy"), Value: policy},
		pdf.KeyValue{Key: l.T("pdf.budgetVersion"), Value: version},
	)
	rows = append(rows, l.coverPackage()...)
	rows = append(rows,
		pdf.KeyValue{Key: l.T("pdf.generatedAt"), Value: pdfDateTime(l.lang, d.generatedAt)},
		pdf.KeyValue{Key: l.T("pdf.generatedBy"), Value: d.generatedBy},
		pdf.KeyValue{Key: l.T("pdf.auditHead"), Value: audit, Mono: true},
		pdf.KeyValue{Key: l.T("pdf.checkpoint"), Value: checkpoint, Mono: true},
	)
	doc.KeyValuesSized(rows, 68, 8.6)
	doc.Space(2)

	tot := d.total
	remaining := pdf.Navy
	if tot.remaining() < 0 {
		remaining = pdf.Red
	}
	doc.Tiles([]pdf.Tile{
		{Label: l.T("pdf.inCurrency", "Label", l.T("pdf.tileBudget"), "Currency", d.cur), Value: l.money(tot.budget)},
		{Label: l.T("pdf.inCurrency", "Label", l.T("pdf.tilePeriod"), "Currency", d.cur), Value: l.money(tot.period),
			Note: l.N("pdf.expenditures", tot.nPeriod)},
		{Label: l.T("pdf.inCurrency", "Label", l.T("pdf.tileToDate"), "Currency", d.cur), Value: l.money(tot.toDate),
			Note: l.N("pdf.expenditures", tot.nToDate)},
		{Label: l.T("pdf.inCurrency", "Label", l.T("pdf.tileRemaining"), "Currency", d.cur), Value: l.money(tot.remaining()), Color: remaining},
		{Label: l.T("pdf.tilePercent"), Value: pdfPercent(l.lang, pdfPercentOf(tot.toDate, tot.budget)), Color: pdf.Blue},
	})
	if d.rateMissing > 0 {
		doc.Text(l.N("pdf.rateMissing", d.rateMissing), pdf.Style{Size: 8.5, Color: pdf.Amber, Bold: true})
	}
	l.roundingNote(true)
}

func (l *pdfLayout) money3(r pdfRow) []string {
	return []string{l.money(r.budget), l.money(r.period), l.money(r.toDate)}
}

func (l *pdfLayout) summary() {
	d, doc := l.data, l.doc
	doc.NewPage()
	doc.Heading(l.T("pdf.summary"), 30)
	cols := []pdf.Column{
		{Title: l.T("pdf.heading"), Width: 3.9},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.budget"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.spentPeriod"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.spentToDate"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.remaining"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.variance"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.variancePercent"), Width: 0.85, Align: pdf.Right},
	}
	// A column for the spending claimed but not eligible, when there is.
	withIneligible := false
	for _, r := range d.headings {
		withIneligible = withIneligible || r.ineligible != 0
	}
	if withIneligible {
		cols = append(cols, pdf.Column{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.pkg.ineligible"), "Currency", d.cur), Width: 1.1, Align: pdf.Right})
	}
	var rows []pdf.Row
	flagged := false
	for _, r := range d.headings {
		label := r.label
		if d.flexible[r.key] {
			label += " *"
			flagged = true
		}
		row := l.amountRow(label, r)
		if withIneligible {
			row = l.withIneligible(row, r)
		}
		row.Bold = true
		if r.computed {
			row.Shade = true
		}
		rows = append(rows, row)
		if !r.computed {
			rows = append(rows, l.lineRows(r, withIneligible)...)
		}
	}
	if d.extraHeadings {
		row := l.amountRow(l.T("pdf.allHeadings"), d.total)
		if withIneligible {
			row = l.withIneligible(row, pdfRow{ineligible: d.st.Total.Ineligible})
		}
		row.Bold, row.Shade = true, true
		rows = append(rows, row)
	}
	doc.Table(pdf.Table{Columns: cols, Rows: rows, KeepTail: 2, FontSize: 8})
	l.indirectNote()
	if d.st.VerifiedOnly {
		doc.Note(l.T("pdf.pkg.summaryNoteVerified", "Currency", d.cur, "From", l.date(d.sc.From), "To", l.date(d.sc.To)))
	} else {
		doc.Note(l.T("pdf.summaryNote", "Currency", d.cur, "From", l.date(d.sc.From), "To", l.date(d.sc.To)))
	}
	if flagged {
		doc.Note(l.T("pdf.flexibilityNote", "Percent", l.bp(d.rules.FlexibilityBP)))
	}
	l.roundingNote(false)
	if d.rateMissing > 0 {
		doc.Text(l.N("pdf.rateMissing", d.rateMissing), pdf.Style{Size: 7.5, Color: pdf.Amber, Bold: true})
	}
	if d.ineligible.Count > 0 {
		doc.Text(l.N("pdf.ineligible.summary", d.ineligible.Count, "Total", l.money(d.ineligible.Converted)+"\u00a0"+d.cur),
			pdf.Style{Size: 7.5, Color: pdf.Red, Bold: true})
	}
}

// ineligible lists the claimed expenditures dated outside the
// implementation period: not eligible, counted in no figure of the report.
func (l *pdfLayout) ineligible() {
	d, doc := l.data, l.doc
	if d.ineligible.Count == 0 {
		return
	}
	p := d.sc.Eligible()
	doc.Heading(l.T("pdf.ineligible.title"), 40)
	doc.Note(l.N("pdf.ineligible.intro", d.ineligible.Count, "Start", l.date(p.Start), "End", l.date(p.End),
		"Total", l.money(d.ineligible.Converted)+"\u00a0"+d.cur))
	doc.Space(2)
	cols := []pdf.Column{
		{Title: l.T("pdf.ineligible.date"), Width: 1.15},
		{Title: l.T("pdf.ineligible.reference"), Width: 1.45},
		{Title: l.T("pdf.ineligible.payee"), Width: 1.4},
		{Title: l.T("pdf.partner"), Width: 1.0},
		{Title: l.T("pdf.ineligible.line"), Width: 0.7},
		{Title: l.T("pdf.ineligible.amount"), Width: 1.3, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.ineligible.converted"), "Currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.T("pdf.ineligible.reason"), Width: 1.3},
	}
	names := d.ineligibleNames
	var rows []pdf.Row
	for _, e := range d.ineligibleList {
		date := e.Date
		if dd, err := calendar.Parse(e.Date); err == nil {
			date = l.date(dd)
		}
		partner := names.Partners[e.OrganisationID]
		if partner == "" {
			partner = e.OrganisationID
		}
		line := names.Lines[e.LineKey].Code
		if line == "" {
			line = e.LineKey
		}
		converted := l.T("pdf.ineligible.noRate")
		if e.Converted.Valid {
			converted = l.money(e.Converted.Int64)
		}
		reason := l.T("pdf.ineligible.beforeStart")
		if e.Reason == eligibility.AfterEnd {
			reason = l.T("pdf.ineligible.afterEnd")
		}
		rows = append(rows, pdf.Row{Cells: []string{date, e.DocumentRef, e.Payee, partner, line,
			pdfMoney(l.lang, e.Amount, e.Currency) + "\u00a0" + e.Currency, converted, reason}})
	}
	total := pdf.Row{Cells: []string{l.T("pdf.total"), "", "", "", "", "", l.money(d.ineligible.Converted), ""}, Bold: true, Shade: true}
	if int64(len(d.ineligibleList)) < d.ineligible.Count {
		rows = append(rows, pdf.Row{Cells: []string{"", l.N("pdf.ineligible.more", d.ineligible.Count-int64(len(d.ineligibleList))), "", "", "", "", "", ""}})
	}
	rows = append(rows, total)
	doc.Table(pdf.Table{Columns: cols, Rows: rows, KeepTail: 1, FontSize: 8})
}

// amountRow is a summary row: budget, spent in the period and to date,
// remaining, variance and variance in percent, overspending in red.
func (l *pdfLayout) amountRow(label string, r pdfRow) pdf.Row {
	cells := append([]string{label}, l.money3(r)...)
	cells = append(cells, l.money(r.remaining()), l.money(r.variance()), pdfPercent(l.lang, pdfPercentOf(r.variance(), r.budget)))
	colors := make([]pdf.Color, len(cells))
	if r.variance() > 0 {
		colors[4], colors[5], colors[6] = pdf.Red, pdf.Red, pdf.Red
	}
	return pdf.Row{Cells: cells, Colors: colors}
}

func (l *pdfLayout) charts() {
	d, doc := l.data, l.doc
	// Budget versus actual per cost heading (computed rows left out).
	var cats []string
	budget := pdf.Series{Name: l.T("pdf.budget"), Color: pdf.MidGrey}
	spent := pdf.Series{Name: l.T("pdf.spentToDate"), Color: pdf.Blue}
	for _, r := range d.headings {
		if r.computed {
			continue
		}
		cats = append(cats, r.label)
		budget.Values = append(budget.Values, r.budget)
		budget.Labels = append(budget.Labels, l.money(r.budget))
		spent.Values = append(spent.Values, r.toDate)
		label := l.money(r.toDate)
		if p := pdfPercentOf(r.toDate, r.budget); p != "" {
			label += " (" + pdfPercent(l.lang, p) + ")"
		}
		spent.Labels = append(spent.Labels, label)
		c := pdf.Color{}
		if r.toDate > r.budget {
			c = pdf.Red
		}
		spent.Colors = append(spent.Colors, c)
	}
	// A page of its own, unless the summary's notes alone ran onto this one.
	if doc.Y() > 45 {
		doc.NewPage()
	}
	doc.Heading(l.T("pdf.chartTitle"), 60)
	doc.BarChart(pdf.BarChart{Categories: cats, Series: []pdf.Series{budget, spent},
		Format: func(v int64) string { return pdfAxis(l.lang, v, d.cur) }})
	doc.Note(l.T("pdf.chartNote", "To", l.date(d.sc.To), "Currency", d.cur))

	// Burn: the grant's months from its start (or earlier spending) to its
	// end date; the lines stop at the period's end.
	if len(d.months) == 0 {
		return
	}
	g := d.sc.Grant
	first := d.months[0].Month
	last := g.EndDate.String()[:7]
	if m := d.months[len(d.months)-1].Month; m > last {
		last = m
	}
	var labels, keys []string
	for m := calendar.MustParse(first + "-01"); m.String()[:7] <= last; m = m.AddMonths(1) {
		keys = append(keys, m.String()[:7])
		labels = append(labels, pdfMonth(l.lang, m.String()[:7]))
	}
	monthly := pdf.Series{Name: l.T("pdf.burnMonthly"), Color: pdf.LightBlue}
	cumulative := pdf.Series{Name: l.T("pdf.burnCumulative"), Color: pdf.Blue}
	for _, m := range d.months {
		monthly.Values = append(monthly.Values, m.Spent)
		cumulative.Values = append(cumulative.Values, m.Cumulative)
	}
	cumulative.Labels = []string{l.money(d.months[len(d.months)-1].Cumulative)}
	// An even pace: the budget spread over the grant's months, from its
	// start month to its end month.
	pace := pdf.Series{Name: l.T("pdf.burnPace"), Color: pdf.MidGrey, Dashed: true}
	startM, endM := g.StartDate.String()[:7], g.EndDate.String()[:7]
	total := d.total.budget
	n := int64(calendar.MonthsBetween(calendar.MustParse(startM+"-01"), calendar.MustParse(endM+"-01")) + 1)
	var k int64
	for _, m := range keys {
		if m >= startM && m <= endM {
			k++
		}
		pace.Values = append(pace.Values, pdfDivRound(total*k, n))
	}
	span := &pdf.Span{From: -1, To: -1, Name: l.T("pdf.burnPeriod")}
	from, to := d.sc.From.String()[:7], d.sc.To.String()[:7]
	for i, m := range keys {
		if m >= from && m <= to {
			if span.From < 0 {
				span.From = i
			}
			span.To = i
		}
	}
	if span.From < 0 {
		span = nil
	}
	doc.Heading(l.T("pdf.burnTitle"), 130)
	doc.LineChart(pdf.LineChart{
		Labels: labels, Lines: []pdf.Series{cumulative, pace}, Bars: []pdf.Series{monthly},
		Levels: []pdf.Level{{Name: l.T("pdf.burnBudget"), Color: pdf.Red, Value: total, Dashed: true, Label: l.money(total)}},
		Span:   span,
		Format: func(v int64) string { return pdfAxis(l.lang, v, d.cur) }, Height: 112,
	})
	doc.Note(l.T("pdf.burnNote", "Currency", d.cur))
}

// pdfDivRound is num/den rounded half away from zero (den > 0).
func pdfDivRound(num, den int64) int64 {
	return decimal.NewFromInt(num).DivRound(decimal.NewFromInt(den), 0).IntPart()
}

func (l *pdfLayout) partners() {
	d, doc := l.data, l.doc
	doc.NewPage()
	doc.Heading(l.T("pdf.partners"), 30)
	cols := []pdf.Column{
		{Title: l.T("pdf.partner"), Width: 3.6},
		{Title: l.T("pdf.pkg.role"), Width: 1.1},
		{Title: l.T("pdf.country"), Width: 0.6},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.budget"), "Currency", d.cur), Width: 1.0, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.spentPeriod"), "Currency", d.cur), Width: 1.0, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.spentToDate"), "Currency", d.cur), Width: 1.0, Align: pdf.Right},
		{Title: l.T("pdf.inCurrency", "Label", l.T("pdf.remaining"), "Currency", d.cur), Width: 1.0, Align: pdf.Right},
		{Title: l.T("pdf.percentSpent"), Width: 0.8, Align: pdf.Right},
	}
	var rows []pdf.Row
	add := func(label, role, country string, r pdfRow) pdf.Row {
		cells := append([]string{label, role, country}, l.money3(r)...)
		cells = append(cells, l.money(r.remaining()), l.pct(r.toDate, r.budget))
		colors := make([]pdf.Color, len(cells))
		if r.remaining() < 0 {
			colors[6], colors[7] = pdf.Red, pdf.Red
		}
		return pdf.Row{Cells: cells, Colors: colors}
	}
	for _, r := range d.partners {
		rows = append(rows, add(r.label, l.roleWords(r.role), r.country, r))
	}
	total := add(l.T("pdf.total"), "", "", d.partnersTotal)
	total.Bold, total.Shade = true, true
	rows = append(rows, total)
	doc.Table(pdf.Table{Columns: cols, Rows: rows, KeepTail: 2})
	doc.Note(l.T("pdf.partnersNote"))
}

func (l *pdfLayout) findings() {
	d, doc := l.data, l.doc
	r := d.rules
	doc.Heading(l.T("pdf.findings"), 40)
	doc.Note(l.T("pdf.findingsNote", "Date", l.date(d.compliance.AsOf),
		"Flex", l.bp(r.FlexibilityBP), "Indirect", l.bp(r.IndirectCapBP),
		"Contingency", l.bp(r.ContingencyCapBP), "Threshold", l.bp(r.PrefinancingThresholdBP)))
	doc.Space(2)
	var rows []pdf.Row
	serious := false
	for _, f := range d.compliance.Findings {
		sev, color := l.T("pdf.sevInfo"), pdf.Grey
		switch f.Severity {
		case finance.Violation:
			sev, color, serious = l.T("pdf.sevViolation"), pdf.Red, true
		case finance.Warning:
			sev, color, serious = l.T("pdf.sevWarning"), pdf.Amber, true
		}
		if f.Code == finance.CodePrefinancingAllowed {
			color = pdf.Green
		}
		rows = append(rows, pdf.Row{Cells: []string{sev, l.findingWords(f)}, Colors: []pdf.Color{color}})
	}
	if !serious {
		doc.Text(l.T("pdf.noFindings"), pdf.Style{Size: 9.5, Bold: true, Color: pdf.Green})
		doc.Space(2)
	}
	if len(rows) > 0 {
		doc.Table(pdf.Table{Columns: []pdf.Column{{Title: l.T("pdf.severity"), Width: 1.4}, {Title: l.T("pdf.finding"), Width: 7}},
			Rows: rows, FontSize: 8.8})
	}
}
