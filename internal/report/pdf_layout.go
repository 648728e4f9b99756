package report

import (
	"io"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/finance"
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
	l := &pdfLayout{data: d, lang: d.lang}
	g := d.sc.Grant
	period := l.periodText()
	opt := pdf.Options{
		Landscape: true,
		Title:     l.t("title") + " – " + g.DonorReference + " – " + period,
		Subject:   g.Title,
		Author:    d.lead,
		Keywords:  g.DonorReference,
		Language:  d.lang,
		Created:   d.generatedAt,
		Header: func(page int) (string, string) {
			if page == 1 {
				return "", ""
			}
			return l.t("title") + " · " + g.DonorReference + " · " + g.Title, period
		},
		Footer: func(page, pages int) (string, string) {
			return l.t("footer", "title", g.DonorReference, "at", pdfDateTime(d.lang, d.generatedAt)),
				l.t("page", "page", strconv.Itoa(page), "pages", strconv.Itoa(pages))
		},
	}
	return pdf.Write(w, opt, func(doc *pdf.Doc) {
		l.doc = doc
		l.cover()
		l.summary()
		l.charts()
		l.partners()
		l.findings()
	})
}

// pdfLayout draws the report's parts.
type pdfLayout struct {
	data *pdfData
	lang string
	doc  *pdf.Doc
}

func (l *pdfLayout) t(key string, kv ...string) string { return pdfT(l.lang, key, kv...) }
func (l *pdfLayout) money(v int64) string              { return pdfMoney(l.lang, v, l.data.cur) }
func (l *pdfLayout) pct(num, den int64) string {
	return pdfPercent(l.lang, pdfPercentOf(num, den))
}
func (l *pdfLayout) date(d calendar.Date) string { return pdfDate(l.lang, d) }

// bp writes hundredths of a percent as a percentage without needless
// decimals: 2500 -> "25%", 8750 -> "87.5%".
func (l *pdfLayout) bp(v int64) string { return pdfPercent(l.lang, money.FormatPercent(v)) }

func (l *pdfLayout) periodText() string {
	sc := l.data.sc
	r := l.t("dateRange", "from", l.date(sc.From), "to", l.date(sc.To))
	if sc.Period > 0 {
		return l.t("periodNumbered", "n", strconv.Itoa(sc.Period), "range", r)
	}
	return r
}

func (l *pdfLayout) cover() {
	d, doc := l.data, l.doc
	g := d.sc.Grant
	doc.Space(4)
	doc.Title(l.t("title"))
	doc.Text(g.Title, pdf.Style{Size: 14, Bold: true})
	doc.Text(g.DonorReference+" · "+l.periodText(), pdf.Style{Size: 10.5, Color: pdf.Grey})
	doc.Space(5)

	version := l.t("noBudget")
	if v := d.version; v != nil {
		version = l.t("versionOf", "n", strconv.Itoa(v.Number), "kind", l.t("kind."+v.Kind))
		if v.Label != "" {
			version += " – " + v.Label
		}
		if v.AdoptTime != nil {
			version += ", " + l.t("adoptedOn", "date", l.date(calendar.Of(*v.AdoptTime)))
		}
	}
	audit := l.t("auditEmpty")
	if d.auditHash != "" {
		audit = l.t("auditHeadValue", "seq", pdfInteger(l.lang, d.auditSeq), "hash", d.auditHash)
	}
	checkpoint := l.t("noCheckpoint")
	if c := d.checkpoint; c != nil {
		checkpoint = l.t("checkpointValue", "seq", pdfInteger(l.lang, c.Seq), "time", pdfDateTime(l.lang, c.Time)+" UTC", "fingerprint", c.Fingerprint())
	}
	policy := l.t("policy." + string(d.rules.RatePolicy))
	rows := []pdf.KeyValue{
		{Key: l.t("grant"), Value: g.Title, Bold: true},
		{Key: l.t("donor"), Value: d.donor},
		{Key: l.t("donorReference"), Value: g.DonorReference},
	}
	if d.framework != "" {
		rows = append(rows, pdf.KeyValue{Key: l.t("framework"), Value: d.framework})
	}
	rows = append(rows,
		pdf.KeyValue{Key: l.t("lead"), Value: d.lead},
		pdf.KeyValue{Key: l.t("implementation"), Value: l.t("dateRange", "from", l.date(g.StartDate), "to", l.date(g.EndDate))},
		pdf.KeyValue{Key: l.t("reportingPeriod"), Value: l.periodText(), Bold: true},
		pdf.KeyValue{Key: l.t("currency"), Value: d.cur},
		pdf.KeyValue{Key: l.t("ratePolicy"), Value: policy},
		pdf.KeyValue{Key: l.t("budgetVersion"), Value: version},
		pdf.KeyValue{Key: l.t("generatedAt"), Value: pdfDateTime(l.lang, d.generatedAt)},
		pdf.KeyValue{Key: l.t("generatedBy"), Value: d.generatedBy},
		pdf.KeyValue{Key: l.t("auditHead"), Value: audit, Mono: true},
		pdf.KeyValue{Key: l.t("checkpoint"), Value: checkpoint, Mono: true},
	)
	doc.KeyValues(rows, 62)
	doc.Space(4)

	tot := d.total
	remaining := pdf.Navy
	if tot.remaining() < 0 {
		remaining = pdf.Red
	}
	doc.Tiles([]pdf.Tile{
		{Label: l.t("inCurrency", "label", l.t("tileBudget"), "currency", d.cur), Value: l.money(tot.budget)},
		{Label: l.t("inCurrency", "label", l.t("tilePeriod"), "currency", d.cur), Value: l.money(tot.period),
			Note: pdfTN(l.lang, "expenditures", tot.nPeriod)},
		{Label: l.t("inCurrency", "label", l.t("tileToDate"), "currency", d.cur), Value: l.money(tot.toDate),
			Note: pdfTN(l.lang, "expenditures", tot.nToDate)},
		{Label: l.t("inCurrency", "label", l.t("tileRemaining"), "currency", d.cur), Value: l.money(tot.remaining()), Color: remaining},
		{Label: l.t("tilePercent"), Value: pdfPercent(l.lang, pdfPercentOf(tot.toDate, tot.budget)), Color: pdf.Blue},
	})
	if d.rateMissing > 0 {
		doc.Text(pdfTN(l.lang, "rateMissing", d.rateMissing), pdf.Style{Size: 8.5, Color: pdf.Amber, Bold: true})
	}
}

func (l *pdfLayout) money3(r pdfRow) []string {
	return []string{l.money(r.budget), l.money(r.period), l.money(r.toDate)}
}

func (l *pdfLayout) summary() {
	d, doc := l.data, l.doc
	doc.NewPage()
	doc.Heading(l.t("summary"), 30)
	cols := []pdf.Column{
		{Title: l.t("heading"), Width: 3.9},
		{Title: l.t("inCurrency", "label", l.t("budget"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("inCurrency", "label", l.t("spentPeriod"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("inCurrency", "label", l.t("spentToDate"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("inCurrency", "label", l.t("remaining"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("inCurrency", "label", l.t("variance"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("variancePercent"), Width: 0.85, Align: pdf.Right},
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
		switch r.kind {
		case "subtotal", "total_direct", "total":
			row.Bold, row.Shade = true, true
		case "contingency", "indirect":
			row.Bold = true
		}
		rows = append(rows, row)
	}
	if d.extraHeadings {
		row := l.amountRow(l.t("allHeadings"), d.total)
		row.Bold, row.Shade = true, true
		rows = append(rows, row)
	}
	doc.Table(pdf.Table{Columns: cols, Rows: rows, KeepTail: 2})
	doc.Note(l.t("summaryNote", "currency", d.cur, "from", l.date(d.sc.From), "to", l.date(d.sc.To)))
	if flagged {
		doc.Note(l.t("flexibilityNote", "pct", l.bp(d.rules.FlexibilityBP)))
	}
	if d.rateMissing > 0 {
		doc.Text(pdfTN(l.lang, "rateMissing", d.rateMissing), pdf.Style{Size: 7.5, Color: pdf.Amber, Bold: true})
	}
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
	budget := pdf.Series{Name: l.t("budget"), Color: pdf.MidGrey}
	spent := pdf.Series{Name: l.t("spentToDate"), Color: pdf.Blue}
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
	doc.NewPage()
	doc.Heading(l.t("chartTitle"), 60)
	doc.BarChart(pdf.BarChart{Categories: cats, Series: []pdf.Series{budget, spent},
		Format: func(v int64) string { return pdfAxis(l.lang, v, d.cur) }})
	doc.Note(l.t("chartNote", "to", l.date(d.sc.To), "currency", d.cur))

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
	monthly := pdf.Series{Name: l.t("burnMonthly"), Color: pdf.LightBlue}
	cumulative := pdf.Series{Name: l.t("burnCumulative"), Color: pdf.Blue}
	for _, m := range d.months {
		monthly.Values = append(monthly.Values, m.Spent)
		cumulative.Values = append(cumulative.Values, m.Cumulative)
	}
	cumulative.Labels = []string{l.money(d.months[len(d.months)-1].Cumulative)}
	// An even pace: the budget spread over the grant's months, from its
	// start month to its end month.
	pace := pdf.Series{Name: l.t("burnPace"), Color: pdf.MidGrey, Dashed: true}
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
	span := &pdf.Span{From: -1, To: -1, Name: l.t("burnPeriod")}
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
	doc.Heading(l.t("burnTitle"), 130)
	doc.LineChart(pdf.LineChart{
		Labels: labels, Lines: []pdf.Series{cumulative, pace}, Bars: []pdf.Series{monthly},
		Levels: []pdf.Level{{Name: l.t("burnBudget"), Color: pdf.Red, Value: total, Dashed: true, Label: l.money(total)}},
		Span:   span,
		Format: func(v int64) string { return pdfAxis(l.lang, v, d.cur) }, Height: 112,
	})
	doc.Note(l.t("burnNote", "currency", d.cur))
}

// pdfDivRound is num/den rounded half away from zero (den > 0).
func pdfDivRound(num, den int64) int64 {
	return decimal.NewFromInt(num).DivRound(decimal.NewFromInt(den), 0).IntPart()
}

func (l *pdfLayout) partners() {
	d, doc := l.data, l.doc
	doc.NewPage()
	doc.Heading(l.t("partners"), 30)
	cols := []pdf.Column{
		{Title: l.t("partner"), Width: 3.3},
		{Title: l.t("country"), Width: 0.7},
		{Title: l.t("inCurrency", "label", l.t("budget"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("inCurrency", "label", l.t("spentPeriod"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("inCurrency", "label", l.t("spentToDate"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("inCurrency", "label", l.t("remaining"), "currency", d.cur), Width: 1.1, Align: pdf.Right},
		{Title: l.t("percentSpent"), Width: 0.85, Align: pdf.Right},
	}
	var rows []pdf.Row
	add := func(label, country string, r pdfRow) pdf.Row {
		cells := append([]string{label, country}, l.money3(r)...)
		cells = append(cells, l.money(r.remaining()), l.pct(r.toDate, r.budget))
		colors := make([]pdf.Color, len(cells))
		if r.remaining() < 0 {
			colors[5], colors[6] = pdf.Red, pdf.Red
		}
		return pdf.Row{Cells: cells, Colors: colors}
	}
	for _, r := range d.partners {
		rows = append(rows, add(r.label, r.country, r))
	}
	total := add(l.t("total"), "", d.partnersTotal)
	total.Bold, total.Shade = true, true
	rows = append(rows, total)
	doc.Table(pdf.Table{Columns: cols, Rows: rows, KeepTail: 2})
	doc.Note(l.t("partnersNote"))
}

func (l *pdfLayout) findings() {
	d, doc := l.data, l.doc
	r := d.rules
	doc.Heading(l.t("findings"), 40)
	doc.Note(l.t("findingsNote", "date", l.date(d.compliance.AsOf),
		"flex", l.bp(r.FlexibilityBP), "indirect", l.bp(r.IndirectCapBP),
		"contingency", l.bp(r.ContingencyCapBP), "threshold", l.bp(r.PrefinancingThresholdBP)))
	doc.Space(2)
	var rows []pdf.Row
	serious := false
	for _, f := range d.compliance.Findings {
		sev, color := l.t("sevInfo"), pdf.Grey
		switch f.Severity {
		case finance.Violation:
			sev, color, serious = l.t("sevViolation"), pdf.Red, true
		case finance.Warning:
			sev, color, serious = l.t("sevWarning"), pdf.Amber, true
		}
		if f.Code == finance.CodePrefinancingAllowed {
			color = pdf.Green
		}
		rows = append(rows, pdf.Row{Cells: []string{sev, l.findingWords(f)}, Colors: []pdf.Color{color}})
	}
	if !serious {
		doc.Text(l.t("noFindings"), pdf.Style{Size: 9.5, Bold: true, Color: pdf.Green})
		doc.Space(2)
	}
	if len(rows) > 0 {
		doc.Table(pdf.Table{Columns: []pdf.Column{{Title: l.t("severity"), Width: 1.4}, {Title: l.t("finding"), Width: 7}},
			Rows: rows, FontSize: 8.8})
	}
}
