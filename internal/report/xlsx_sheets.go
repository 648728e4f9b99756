package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/rules"
)

// Summary columns: A code, B heading or line, C unit, D number of units, E
// unit cost (the budget's detail of a line), F baseline budget, G budget,
// H spent in the period, I spent to date, J remaining, K variance, L
// variance %, M not eligible, N flexibility flag, O explanation of
// variances.
var summaryColumns = []float64{8, 52, 12, 10, 14, 16, 16, 16, 16, 16, 16, 10, 14, 30, 44}

// figureCols are the summary's amount columns that hold figures (the rest
// are formulas of them), in the order of figureValues.
var figureCols = []string{"F", "G", "H", "I", "M"}

// The summary's columns other code refers to.
const (
	sumBudget, sumPeriod, sumToDate, sumRemaining = "G", "H", "I", "J"
)

func figureValues(f Figures) []int64 {
	return []int64{f.Baseline, f.Budget, f.Period, f.ToDate, f.Ineligible}
}

// rowKind is how a summary row looks.
type rowKind int

const (
	rowLine rowKind = iota
	rowHeading
	rowComputed
)

// headingTitle is a heading's title in the report's language: the built-in
// PRAG template's headings are translated, other templates' kept.
func (b *book) headingTitle(h *SummaryHeading) string {
	if !h.InTemplate {
		if h.Code == "" {
			return b.l.T("xlsx.total")
		}
		return b.l.T("xlsx.heading.unknown", "Code", h.Code)
	}
	if b.sm.Rules.TemplateID == rules.PRAGTemplateID {
		if pragTitles[h.Code] == h.Title && i18n.Has("xlsx.prag."+h.Code) {
			return b.l.T("xlsx.prag." + h.Code)
		}
	}
	return h.Title
}

// pragTitles are the built-in PRAG template's headings as the migration
// defines them: a heading still so titled is translated.
var pragTitles = map[string]string{
	"1": "Human resources", "2": "Travel", "3": "Equipment and supplies", "4": "Local office",
	"5": "Other costs, services", "6": "Other", "7": "Subtotal direct eligible costs of the Action (1-6)",
	"8": "Contingency reserve (maximum 5% of 7)", "9": "Total direct eligible costs of the Action (7+8)",
	"10": "Indirect costs (maximum 7% of 9)", "11": "Total eligible costs (9+10)",
}

// summaryRow writes one row of the summary: the budget's detail of a line
// (ln, nil for other rows), the figures (values for a line, formulas where
// sums gives one) and the remaining, variance and variance % as formulas of
// them.
func (b *book) summaryRow(sw *excelize.StreamWriter, r int, kind rowKind, code, title string, fig Figures, sums []string, flag string, ln *SummaryLine) error {
	st := b.st
	textStyle, moneyStyle, pctStyle := st.text, st.grant(), st.percent
	switch kind {
	case rowHeading:
		textStyle, moneyStyle, pctStyle = st.textBold, st.grantBold(), st.percentBold
	case rowComputed:
		textStyle, moneyStyle, pctStyle = st.textComputed, st.grantComputed(), st.percentComputed
	}
	cells := make([]any, 0, len(summaryColumns))
	cells = append(cells, excelize.Cell{StyleID: textStyle, Value: code}, excelize.Cell{StyleID: textStyle, Value: title})
	if ln != nil && !ln.FlatRate && (ln.Unit != "" || ln.Units != "" || ln.UnitCost != 0) {
		cost, err := b.money(ln.UnitCost, moneyStyle)
		if err != nil {
			return err
		}
		var units any
		if ln.Units != "" {
			units = rateValue(ln.Units)
		}
		cells = append(cells, excelize.Cell{StyleID: textStyle, Value: ln.Unit}, excelize.Cell{StyleID: st.units, Value: units}, cost)
	} else {
		cells = append(cells, excelize.Cell{StyleID: textStyle}, excelize.Cell{StyleID: textStyle}, excelize.Cell{StyleID: textStyle})
	}
	figs := make([]excelize.Cell, len(figureCols))
	for i, v := range figureValues(fig) {
		var err error
		if sums != nil && sums[i] != "" {
			figs[i], err = b.sum(sums[i], v, moneyStyle)
		} else {
			figs[i], err = b.money(v, moneyStyle)
		}
		if err != nil {
			return err
		}
	}
	rem, err := b.sum(fmt.Sprintf("G%d-I%d", r, r), fig.Budget-fig.ToDate, moneyStyle)
	if err != nil {
		return err
	}
	vari, err := b.sum(fmt.Sprintf("I%d-G%d", r, r), fig.ToDate-fig.Budget, moneyStyle)
	if err != nil {
		return err
	}
	pct := excelize.Cell{StyleID: pctStyle, Formula: fmt.Sprintf(`IF(G%d=0,"",K%d/G%d)`, r, r, r), Value: ""}
	if fig.Budget != 0 {
		pct.Value = ratio(fig.ToDate-fig.Budget, fig.Budget)
	}
	cells = append(cells, figs[0], figs[1], figs[2], figs[3], rem, vari, pct, figs[4])
	if flag != "" {
		cells = append(cells, excelize.Cell{StyleID: st.flag, Value: flag})
	} else {
		cells = append(cells, excelize.Cell{StyleID: textStyle})
	}
	cells = append(cells, excelize.Cell{StyleID: st.explain})
	return sw.SetRow(ref("A", r), cells)
}

// flagText says how a heading moved beyond the flexibility threshold.
func (b *book) flagText(x *Flexibility) string {
	limit := rules.Percent(x.ThresholdBP)
	if x.ChangePercent == "" {
		return b.l.T("xlsx.flex.new", "Limit", limit)
	}
	change := x.ChangePercent
	if !strings.HasPrefix(change, "-") {
		change = "+" + change
	}
	return b.l.T("xlsx.flex.moved", "Change", change, "Limit", limit)
}

// moneyText is an amount of the grant currency as text, in the report's
// language ("1 234,56 EUR").
func (b *book) moneyText(minor int64) string {
	return pdfMoney(b.sc.Language, minor, b.sc.Grant.CurrencyCode) + "\u00a0" + b.sc.Grant.CurrencyCode
}

// percentText is a rate in hundredths of a percent as text in the report's
// language, without needless decimals ("7%", "7,5 %").
func (b *book) percentText(bp int64) string {
	s := rules.Percent(bp)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return pdfPercent(b.sc.Language, s)
}

// summaryRows is how many rows the summary's table takes.
func summaryRows(sm *Summary) int {
	n := 0
	for _, h := range sm.Headings {
		if h.Computed() {
			n++
		} else {
			n += 2 + len(h.Lines)
		}
	}
	return n
}

// flatRateCalc is the summary's block showing how the flat rate's claim is
// worked out: its rows (0: the row is not written).
type flatRateCalc struct {
	title, base, before, rate, computed, computedBefore, budget, claimed, claimedPeriod int
}

func newFlatRateCalc(at int, capped bool) flatRateCalc {
	c := flatRateCalc{title: at, base: at + 1, before: at + 2, rate: at + 3, computed: at + 4, computedBefore: at + 5}
	next := at + 6
	if capped {
		c.budget = next
		next++
	}
	c.claimed, c.claimedPeriod = next, next+1
	return c
}

func (c flatRateCalc) end() int { return c.claimedPeriod }

// writeSummary writes the summary per heading and line in template order,
// laid out as Annex III: each cost heading's title, its lines (with the
// budget's unit, number of units and unit cost), and its subtotal (SUM of
// the lines above it); the computed rows (7 subtotal, 9 total direct, 11
// total) add up the headings' subtotals (SUM); the flat rate's claim with
// its calculation (formulas of the total direct costs); then the notes,
// warnings and the reconciliation with the other sheets.
func (b *book) writeSummary() error {
	sheet, l, st, sm := b.summary, b.l, b.st, b.sm
	sw, err := b.sheetSetup(sheet, summaryColumns, true)
	if err != nil {
		return err
	}
	version := l.T("xlsx.none")
	if sm.Version != nil {
		version = l.T("xlsx.versionN", "Number", sm.Version.Number)
	}
	baseline := l.T("xlsx.none")
	if sm.Baseline != nil {
		baseline = l.T("xlsx.versionN", "Number", sm.Baseline.Number)
	}
	cur := b.sc.Grant.CurrencyCode
	header := []string{l.T("xlsx.col.code"), l.T("xlsx.col.headingLine"),
		l.T("xlsx.col.unit"), l.T("xlsx.col.units"), l.T("xlsx.col.unitCost"),
		l.T("xlsx.col.baseline", "Version", baseline), l.T("xlsx.col.budget", "Version", version),
		l.T("xlsx.col.spentPeriod"), l.T("xlsx.col.spentToDate", "Date", b.sc.To.String()), l.T("xlsx.col.remaining"),
		l.T("xlsx.col.variance", "Currency", cur), l.T("xlsx.col.variancePct"), l.T("xlsx.col.ineligible"),
		l.T("xlsx.col.flex", "Limit", rules.Percent(sm.Rules.FlexibilityBP)), l.T("xlsx.col.explanation")}
	if err := b.titleRows(sw, l.T("xlsx.title.summary"), header); err != nil {
		return err
	}
	in := sm.Indirect
	capped := sm.Version != nil
	// The flat rate's calculation comes right below the table: the claim's
	// cells refer to it.
	calc := newFlatRateCalc(firstRow+summaryRows(sm)+1, capped)
	r := firstRow
	rowOf := map[string]int{}
	totalDirect, indirectRow := 0, 0
	for _, h := range sm.Headings {
		title := b.headingTitle(h)
		if h.Computed() {
			sums := make([]string, len(figureCols))
			if len(h.Parts) > 0 {
				for i, c := range figureCols {
					refs := make([]string, len(h.Parts))
					for j, p := range h.Parts {
						refs[j] = ref(c, rowOf[p])
					}
					sums[i] = "SUM(" + strings.Join(refs, ",") + ")"
				}
			} else {
				sums = nil
			}
			if err := b.summaryRow(sw, r, rowComputed, h.Code, title, h.Figures, sums, "", nil); err != nil {
				return err
			}
			switch h.Kind {
			case KindTotal:
				b.summaryTotalRow = r
			case KindTotalDirect:
				totalDirect = r
			}
			rowOf[h.Code] = r
			r++
			continue
		}
		// The heading's title, its lines, then its subtotal (SUM of the
		// lines above it), as Annex III lays them out.
		if err := sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: st.textBold, Value: h.Code},
			excelize.Cell{StyleID: st.textBold, Value: title}}); err != nil {
			return err
		}
		r++
		first := r
		for _, ln := range h.Lines {
			desc := ln.Description
			var sums []string
			if ln.FlatRate {
				desc = l.T("xlsx.flat.line", "Rate", b.percentText(in.RateBP))
				sums = []string{"", "", ref(sumToDate, calc.claimedPeriod), ref(sumToDate, calc.claimed), ""}
				b.flatRateRow = r
			}
			switch {
			case !ln.InBudget && ln.InBaseline:
				desc += " " + l.T("xlsx.line.notInBudget")
			case !ln.InBudget && !ln.FlatRate:
				desc += " " + l.T("xlsx.line.notBudgeted")
			}
			if err := b.summaryRow(sw, r, rowLine, ln.Code, desc, ln.Figures, sums, "", &ln); err != nil {
				return err
			}
			r++
		}
		var sums []string
		if r > first {
			sums = make([]string, len(figureCols))
			for i, c := range figureCols {
				sums[i] = fmt.Sprintf("SUM(%s%d:%s%d)", c, first, c, r-1)
			}
		}
		flag := ""
		if h.Flex != nil {
			flag = b.flagText(h.Flex)
		}
		if err := b.summaryRow(sw, r, rowHeading, "", l.T("xlsx.subtotalOf", "Code", h.Code, "Title", title), h.Figures, sums, flag, nil); err != nil {
			return err
		}
		if in.Applies && h.Code == in.HeadingCode {
			indirectRow = r
		}
		rowOf[h.Code] = r
		r++
	}
	line := func(cells ...any) error {
		err := sw.SetRow(ref("A", r), cells)
		r++
		return err
	}
	note := func(style int, text string) error {
		return line(excelize.Cell{StyleID: style}, excelize.Cell{StyleID: style, Value: text})
	}

	// How the flat rate's claim is worked out, when it applies.
	if in.Applies && b.flatRateRow > 0 {
		if err := b.writeFlatRateCalc(sw, calc, totalDirect, indirectRow); err != nil {
			return err
		}
		r = calc.end() + 1
	}

	// Notes, warnings and the reconciliation with the other sheets.
	r++
	if err := note(st.note, l.T("xlsx.note.spent", "Currency", cur)); err != nil {
		return err
	}
	if err := note(st.note, l.T("xlsx.note.units")); err != nil {
		return err
	}
	if err := note(st.note, l.T("xlsx.note.ineligibleColumn")); err != nil {
		return err
	}
	if err := note(st.note, l.T("xlsx.note.variance")); err != nil {
		return err
	}
	if sm.Version != nil && sm.Version.Kind == "transfer" && sm.Baseline != nil {
		if err := note(st.note, l.T("xlsx.note.flex", "Limit", rules.Percent(sm.Rules.FlexibilityBP), "Baseline", sm.Baseline.Number, "Version", sm.Version.Number)); err != nil {
			return err
		}
	} else if err := note(st.note, l.T("xlsx.note.noTransfer")); err != nil {
		return err
	}
	if sm.VerifiedOnly {
		if err := note(st.warning, l.N("xlsx.note.unverifiedLeftOut", sm.UnverifiedCount, "Total", b.moneyText(sm.UnverifiedAmount), "To", b.sc.To.String())); err != nil {
			return err
		}
	} else if err := note(st.note, l.N("xlsx.note.unverifiedIncluded", sm.UnverifiedCount, "Total", b.moneyText(sm.UnverifiedAmount), "To", b.sc.To.String())); err != nil {
		return err
	}
	if in.Applies && in.RecordedCount > 0 {
		if err := note(st.warning, l.N("xlsx.warn.indirectRecorded", in.RecordedCount, "Total", b.moneyText(in.RecordedAmount))+" "+
			l.T("xlsx.warn.indirectRecordedPeriod", "Period", b.moneyText(in.RecordedPeriod), "Heading", in.HeadingCode)); err != nil {
			return err
		}
	}
	if sm.Version == nil {
		if err := note(st.warning, l.T("xlsx.warn.noBudget")); err != nil {
			return err
		}
	}
	if sm.RateMissingPeriod > 0 || sm.RateMissingToDate > 0 {
		if err := note(st.warning, l.N("xlsx.warn.rateMissing", sm.RateMissingPeriod, "ToDate", sm.RateMissingToDate, "To", b.sc.To.String())); err != nil {
			return err
		}
	}
	if b.ineligibleTotal != "" {
		// Not eligible: the amount is the list's own total of them, which
		// no figure above includes.
		c, err := b.sum(sheetRef(b.list, b.ineligibleTotal), b.ineligible.Converted, st.grant())
		if err != nil {
			return err
		}
		p := b.sc.Eligible()
		if err := line(excelize.Cell{StyleID: st.warning},
			excelize.Cell{StyleID: st.warning, Value: l.N("xlsx.warn.ineligible", b.ineligible.Count, "Sheet", b.list,
				"Start", p.Start.String(), "End", p.End.String())}, nil, nil, nil, nil, nil, c); err != nil {
			return err
		}
	}
	r++
	return b.writeSummaryRecon(sw, r)
}

// writeFlatRateCalc writes how the flat rate's claim is worked out, as
// formulas: the direct eligible costs (the total direct row, totalDirect;
// 0 when the template has none: the figures), before the period, the rate,
// the computed amounts (rounded to the cent), the indirect heading's budget
// (its subtotal row, indirectRow) and the claims, the lesser of the two.
func (b *book) writeFlatRateCalc(sw *excelize.StreamWriter, c flatRateCalc, totalDirect, indirectRow int) error {
	l, st, in := b.l, b.st, b.sm.Indirect
	row := func(r int, label string, v excelize.Cell) error {
		return sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: st.text}, excelize.Cell{StyleID: st.text, Value: label},
			nil, nil, nil, nil, nil, nil, v})
	}
	if err := sw.SetRow(ref("A", c.title), []any{excelize.Cell{StyleID: st.textBold},
		excelize.Cell{StyleID: st.textBold, Value: l.T("xlsx.flat.title", "Rate", b.percentText(in.RateBP))}}); err != nil {
		return err
	}
	mk := func(formula string, v int64) (excelize.Cell, error) {
		if formula == "" {
			return b.money(v, st.grant())
		}
		return b.sum(formula, v, st.grant())
	}
	baseF, beforeF := "", ""
	if totalDirect > 0 {
		baseF = ref(sumToDate, totalDirect)
		beforeF = fmt.Sprintf("%s-%s", ref(sumToDate, totalDirect), ref(sumPeriod, totalDirect))
	}
	base, err := mk(baseF, in.BaseToDate)
	if err != nil {
		return err
	}
	if err := row(c.base, l.T("xlsx.flat.base"), base); err != nil {
		return err
	}
	before, err := mk(beforeF, in.BaseToDate-in.BasePeriod)
	if err != nil {
		return err
	}
	if err := row(c.before, l.T("xlsx.flat.before"), before); err != nil {
		return err
	}
	if err := row(c.rate, l.T("xlsx.flat.rate"), excelize.Cell{StyleID: st.percent, Value: ratio(in.RateBP, 10000)}); err != nil {
		return err
	}
	rt := ref(sumToDate, c.rate)
	computed, err := mk(b.roundProduct(ref(sumToDate, c.base), rt), in.ComputedToDate)
	if err != nil {
		return err
	}
	if err := row(c.computed, l.T("xlsx.flat.computed"), computed); err != nil {
		return err
	}
	computedBefore, err := mk(b.roundProduct(ref(sumToDate, c.before), rt), in.ComputedBefore)
	if err != nil {
		return err
	}
	if err := row(c.computedBefore, l.T("xlsx.flat.computedBefore"), computedBefore); err != nil {
		return err
	}
	claimedF := ref(sumToDate, c.computed)
	periodF := fmt.Sprintf("%s-%s", ref(sumToDate, c.claimed), ref(sumToDate, c.computedBefore))
	if c.budget > 0 {
		budgetF := ""
		if indirectRow > 0 {
			budgetF = ref(sumBudget, indirectRow)
		}
		bud, err := mk(budgetF, in.Budget)
		if err != nil {
			return err
		}
		if err := row(c.budget, l.T("xlsx.flat.budget", "Heading", in.HeadingCode), bud); err != nil {
			return err
		}
		bt := ref(sumToDate, c.budget)
		claimedF = fmt.Sprintf("MIN(%s,%s)", ref(sumToDate, c.computed), bt)
		periodF = fmt.Sprintf("%s-MIN(%s,%s)", ref(sumToDate, c.claimed), ref(sumToDate, c.computedBefore), bt)
	}
	claimed, err := mk(claimedF, in.ClaimedToDate)
	if err != nil {
		return err
	}
	claimed.StyleID = st.grantBold()
	label := l.T("xlsx.flat.claimed")
	if c.budget == 0 {
		label = l.T("xlsx.flat.claimedNoBudget")
	}
	if err := row(c.claimed, label, claimed); err != nil {
		return err
	}
	period, err := mk(periodF, in.ClaimedPeriod)
	if err != nil {
		return err
	}
	period.StyleID = st.grantBold()
	if err := row(c.claimedPeriod, l.T("xlsx.flat.claimedPeriod"), period); err != nil {
		return err
	}
	if in.Capped {
		if err := sw.SetRow(ref("A", c.claimedPeriod+1), []any{excelize.Cell{StyleID: st.warning}, excelize.Cell{StyleID: st.warning,
			Value: l.T("xlsx.flat.capped", "Computed", b.moneyText(in.ComputedToDate), "Budget", b.moneyText(in.Budget))}}); err != nil {
			return err
		}
	}
	return nil
}

// roundProduct is the formula of an amount times a rate rounded half away
// from zero to the grant currency's decimals: the product is first rounded
// to four more decimals (the exact product of an amount and a rate in
// hundredths of a percent has no more), which removes the binary noise a
// spreadsheet's multiplication leaves, so that a half cent rounds as the
// statement rounds it.
func (b *book) roundProduct(amountRef, rateRef string) string {
	return fmt.Sprintf("ROUND(ROUND(%s*%s,%d),%d)", amountRef, rateRef, b.scale+4, b.scale)
}

// writeSummaryRecon writes, from row r, the reconciliation of the summary's
// total for the period with the other sheets: the list's total, less the
// expenditures recorded under the indirect heading that the flat rate
// replaces, plus the flat rate's claim; and the currencies' total (which
// leaves the former out) plus the claim. The difference must be 0.
func (b *book) writeSummaryRecon(sw *excelize.StreamWriter, r int) error {
	l, st, sm, in := b.l, b.st, b.sm, b.sm.Indirect
	t := b.summaryTotalRow
	c := sumPeriod
	recon := func(label, formula string, v int64, style int) (int, error) {
		var cl excelize.Cell
		var err error
		if formula == "" {
			cl, err = b.money(v, style)
		} else {
			cl, err = b.sum(formula, v, style)
		}
		if err != nil {
			return 0, err
		}
		row := r
		err = sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: st.text}, excelize.Cell{StyleID: st.text, Value: label},
			nil, nil, nil, nil, nil, cl})
		r++
		return row, err
	}
	a, err := recon(l.T("xlsx.recon.sheet", "Sheet", b.list), sheetRef(b.list, b.listTotal), b.listConverted, st.grant())
	if err != nil {
		return err
	}
	list := ref(c, a)
	listV := b.listConverted
	var claim string
	var claimV int64
	if in.Applies && b.flatRateRow > 0 {
		rec, err := recon(l.T("xlsx.recon.lessRecorded", "Heading", in.HeadingCode), "", in.RecordedPeriod, st.grant())
		if err != nil {
			return err
		}
		cl, err := recon(l.T("xlsx.recon.plusFlatRate"), ref(sumPeriod, b.flatRateRow), in.ClaimedPeriod, st.grant())
		if err != nil {
			return err
		}
		claim, claimV = ref(c, cl), in.ClaimedPeriod
		listV = b.listConverted - in.RecordedPeriod + in.ClaimedPeriod
		adj, err := recon(l.T("xlsx.recon.listAdjusted"), fmt.Sprintf("%s-%s+%s", list, ref(c, rec), claim), listV, st.grantBold())
		if err != nil {
			return err
		}
		list = ref(c, adj)
	}
	cu, err := recon(l.T("xlsx.recon.sheet", "Sheet", b.currencies), sheetRef(b.currencies, b.currencyTotal), b.cu.Converted, st.grant())
	if err != nil {
		return err
	}
	cuRef, cuV := ref(c, cu), b.cu.Converted
	if claim != "" {
		adj, err := recon(l.T("xlsx.recon.currenciesAdjusted", "Sheet", b.currencies), cuRef+"+"+claim, cuV+claimV, st.grantBold())
		if err != nil {
			return err
		}
		cuRef, cuV = ref(c, adj), cuV+claimV
	}
	tot := ref(c, t)
	diff := abs(sm.Total.Period-listV) + abs(sm.Total.Period-cuV)
	if _, err := recon(l.T("xlsx.recon.difference"), fmt.Sprintf("ROUND(ABS(%s-%s)+ABS(%s-%s),%d)", tot, list, tot, cuRef, b.scale), diff, st.grantBold()); err != nil {
		return err
	}
	return sw.Flush()
}

// Currency sheet columns: A currency, B rate, C source, D months, E count,
// F amount in the currency, G converted (each expenditure converted and
// rounded), H the amount converted at once, I the rounding difference.
var currencyColumns = []float64{10, 15, 56, 20, 13, 18, 18, 18, 16}

// writeCurrencies writes the period's spending per original currency: a
// row per rate and source, the currency's total (SUM), those waiting for a
// rate after it (outside the sums), and the total over currencies (SUM of
// the currencies' totals).
func (b *book) writeCurrencies() error {
	sheet, l, st := b.currencies, b.l, b.st
	sw, err := b.sheetSetup(sheet, currencyColumns, true)
	if err != nil {
		return err
	}
	header := []string{l.T("xlsx.col.currency"), l.T("xlsx.col.ratePer", "Currency", b.sc.Grant.CurrencyCode), l.T("xlsx.col.rateSource"),
		l.T("xlsx.col.months"), l.T("xlsx.col.count"), l.T("xlsx.col.amountOriginal"),
		l.T("xlsx.col.convertedIn", "Currency", b.sc.Grant.CurrencyCode),
		l.T("xlsx.col.atOnce", "Currency", b.sc.Grant.CurrencyCode), l.T("xlsx.col.roundingDiff")}
	if err := b.titleRows(sw, l.T("xlsx.title.currencies"), header); err != nil {
		return err
	}
	r := firstRow
	var subtotals []int
	var missing, rateRows, atOnceAll int64
	for _, blk := range b.cu.Blocks {
		ms := st.moneyStyle(blk.Scale)
		first := r
		var atOnce int64
		for _, x := range blk.Rates {
			rateRows++
			atOnce += x.AtOnce
			once, err := b.money(x.AtOnce, st.grant())
			if err != nil {
				return err
			}
			diff, err := b.sum(fmt.Sprintf("G%d-H%d", r, r), x.Converted-x.AtOnce, st.grant())
			if err != nil {
				return err
			}
			amt, err := amount(x.Amount, blk.Scale)
			if err != nil {
				return err
			}
			conv, err := b.money(x.Converted, st.grant())
			if err != nil {
				return err
			}
			months := x.FirstMonth
			if x.Last != x.FirstMonth {
				months += " – " + x.Last
			}
			if err := sw.SetRow(ref("A", r), []any{
				excelize.Cell{StyleID: st.text, Value: blk.Currency}, excelize.Cell{StyleID: st.rate, Value: rateValue(x.Rate)},
				excelize.Cell{StyleID: st.textIndent, Value: x.Source}, excelize.Cell{StyleID: st.text, Value: months},
				excelize.Cell{StyleID: st.count, Value: x.Count}, excelize.Cell{StyleID: ms, Value: amt}, conv, once, diff,
			}); err != nil {
				return err
			}
			r++
		}
		cells := []any{excelize.Cell{StyleID: st.textComputed, Value: l.T("xlsx.totalOf", "Currency", blk.Currency)},
			excelize.Cell{StyleID: st.textComputed}, excelize.Cell{StyleID: st.textComputed}, excelize.Cell{StyleID: st.textComputed}}
		amt, err := amount(blk.Amount, blk.Scale)
		if err != nil {
			return err
		}
		atOnceAll += atOnce
		var conv, once, diff excelize.Cell
		if r > first {
			cells = append(cells,
				excelize.Cell{StyleID: st.countComputed, Formula: fmt.Sprintf("SUM(E%d:E%d)", first, r-1), Value: blk.Count},
				excelize.Cell{StyleID: st.moneyComputedStyle(blk.Scale), Formula: fmt.Sprintf("SUM(F%d:F%d)", first, r-1), Value: amt})
			conv, err = b.sum(fmt.Sprintf("SUM(G%d:G%d)", first, r-1), blk.Converted, st.grantComputed())
			if err == nil {
				once, err = b.sum(fmt.Sprintf("SUM(H%d:H%d)", first, r-1), atOnce, st.grantComputed())
			}
			if err == nil {
				diff, err = b.sum(fmt.Sprintf("SUM(I%d:I%d)", first, r-1), blk.Converted-atOnce, st.grantComputed())
			}
		} else {
			cells = append(cells, excelize.Cell{StyleID: st.countComputed, Value: int64(0)},
				excelize.Cell{StyleID: st.moneyComputedStyle(blk.Scale), Value: amt})
			conv, err = b.money(0, st.grantComputed())
			once, diff = conv, conv
		}
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref("A", r), append(cells, conv, once, diff)); err != nil {
			return err
		}
		subtotals = append(subtotals, r)
		r++
		if blk.MissingCount > 0 {
			missing += blk.MissingCount
			amt, err := amount(blk.MissingAmount, blk.Scale)
			if err != nil {
				return err
			}
			if err := sw.SetRow(ref("A", r), []any{
				excelize.Cell{StyleID: st.warning, Value: blk.Currency}, nil,
				excelize.Cell{StyleID: st.warning, Value: l.T("xlsx.waitingRateTotals")}, nil,
				excelize.Cell{StyleID: st.count, Value: blk.MissingCount}, excelize.Cell{StyleID: ms, Value: amt},
			}); err != nil {
				return err
			}
			r++
		}
		r++ // a blank row between currencies
	}
	cells := []any{excelize.Cell{StyleID: st.textComputed, Value: l.T("xlsx.totalAll")}, excelize.Cell{StyleID: st.textComputed},
		excelize.Cell{StyleID: st.textComputed}, excelize.Cell{StyleID: st.textComputed}}
	var conv, once, diff excelize.Cell
	var counted int64
	for _, blk := range b.cu.Blocks {
		counted += blk.Count
	}
	if len(subtotals) > 0 {
		e, g, h, i := make([]string, len(subtotals)), make([]string, len(subtotals)), make([]string, len(subtotals)), make([]string, len(subtotals))
		for k, s := range subtotals {
			e[k], g[k], h[k], i[k] = ref("E", s), ref("G", s), ref("H", s), ref("I", s)
		}
		cells = append(cells, excelize.Cell{StyleID: st.countComputed, Formula: "SUM(" + strings.Join(e, ",") + ")", Value: counted})
		conv, err = b.sum("SUM("+strings.Join(g, ",")+")", b.cu.Converted, st.grantComputed())
		if err == nil {
			once, err = b.sum("SUM("+strings.Join(h, ",")+")", atOnceAll, st.grantComputed())
		}
		if err == nil {
			diff, err = b.sum("SUM("+strings.Join(i, ",")+")", b.cu.Converted-atOnceAll, st.grantComputed())
		}
	} else {
		cells = append(cells, excelize.Cell{StyleID: st.countComputed, Value: int64(0)})
		conv, err = b.money(0, st.grantComputed())
		once, diff = conv, conv
	}
	if err != nil {
		return err
	}
	cells = append(cells, excelize.Cell{StyleID: st.textComputed}, conv, once, diff)
	if err := sw.SetRow(ref("A", r), cells); err != nil {
		return err
	}
	b.currencyTotal = ref("G", r)
	r += 2
	if err := sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: st.note, Value: l.T("xlsx.note.currencies")}}); err != nil {
		return err
	}
	r++
	rounding := l.T("xlsx.note.roundingNone", "Count", rateRows)
	if b.cu.RoundingRows > 0 {
		rounding = l.T("xlsx.note.rounding", "Count", b.cu.RoundingRows, "Rows", rateRows, "Max", b.moneyText(b.cu.RoundingMax),
			"Column", l.T("xlsx.col.atOnce", "Currency", b.sc.Grant.CurrencyCode))
	}
	if err := sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: st.note, Value: rounding}}); err != nil {
		return err
	}
	if missing > 0 {
		r++
		if err := sw.SetRow(ref("A", r), []any{excelize.Cell{StyleID: st.warning, Value: l.N("xlsx.warn.listMissing", missing)}}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// Rates sheet columns: A currency, B month, C rate, D source, E count, F
// amount in the currency, G converted.
var rateColumns = []float64{10, 11, 15, 60, 13, 18, 18}

// writeRates lists the rates used: per currency, month of expenditure,
// rate and source, with the amounts converted at them.
func (b *book) writeRates() error {
	sheet, l, st := b.rates, b.l, b.st
	sw, err := b.sheetSetup(sheet, rateColumns, true)
	if err != nil {
		return err
	}
	header := []string{l.T("xlsx.col.currency"), l.T("xlsx.col.month"), l.T("xlsx.col.ratePer", "Currency", b.sc.Grant.CurrencyCode),
		l.T("xlsx.col.rateSource"), l.T("xlsx.col.count"), l.T("xlsx.col.amountOriginal"),
		l.T("xlsx.col.convertedIn", "Currency", b.sc.Grant.CurrencyCode)}
	if err := b.titleRows(sw, l.T("xlsx.title.rates"), header); err != nil {
		return err
	}
	r := firstRow
	scales := map[string]int{}
	var count, conv int64
	for _, u := range b.cu.Uses {
		scale, ok := scales[u.Currency]
		if !ok {
			if scale, err = money.Currency(u.Currency); err != nil {
				scale = 2
			}
			scales[u.Currency] = scale
		}
		amt, err := amount(u.Amount, scale)
		if err != nil {
			return err
		}
		c, err := b.money(u.Converted, st.grant())
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref("A", r), []any{
			excelize.Cell{StyleID: st.text, Value: u.Currency}, excelize.Cell{StyleID: st.text, Value: u.Month},
			excelize.Cell{StyleID: st.rate, Value: rateValue(u.Rate.String)}, excelize.Cell{StyleID: st.textIndent, Value: u.Source},
			excelize.Cell{StyleID: st.count, Value: u.Count}, excelize.Cell{StyleID: st.moneyStyle(scale), Value: amt}, c,
		}); err != nil {
			return err
		}
		count += u.Count
		conv += u.Converted
		r++
	}
	last := r - 1
	if last >= firstRow {
		if err := b.f.AutoFilter(sheet, fmt.Sprintf("A%d:G%d", headerRow, last), nil); err != nil {
			return err
		}
	}
	r = last + 2
	cells := []any{excelize.Cell{StyleID: st.textComputed, Value: l.T("xlsx.total")}, excelize.Cell{StyleID: st.textComputed},
		excelize.Cell{StyleID: st.textComputed}, excelize.Cell{StyleID: st.textComputed}}
	var tc excelize.Cell
	if last >= firstRow {
		cells = append(cells, excelize.Cell{StyleID: st.countComputed, Formula: fmt.Sprintf("SUM(E%d:E%d)", firstRow, last), Value: count})
		tc, err = b.sum(fmt.Sprintf("SUM(G%d:G%d)", firstRow, last), conv, st.grantComputed())
	} else {
		cells = append(cells, excelize.Cell{StyleID: st.countComputed, Value: int64(0)})
		tc, err = b.money(0, st.grantComputed())
	}
	if err != nil {
		return err
	}
	if err := sw.SetRow(ref("A", r), append(cells, excelize.Cell{StyleID: st.textComputed}, tc)); err != nil {
		return err
	}
	if err := sw.SetRow(ref("A", r+2), []any{excelize.Cell{StyleID: st.note, Value: l.T("xlsx.note.rates")}}); err != nil {
		return err
	}
	return sw.Flush()
}

// writeCover writes the cover: the grant, the period, who generated the
// report and when, the audit trail's head, the key figures (formulas of
// the summary's total row) and the contents.
func (b *book) writeCover() error {
	sheet, l, st, sm, g := b.cover, b.l, b.st, b.sm, b.sc.Grant
	sw, err := b.sheetSetup(sheet, []float64{36, 96}, false)
	if err != nil {
		return err
	}
	r := 1
	row := func(cells ...any) error {
		err := sw.SetRow(ref("A", r), cells)
		r++
		return err
	}
	pair := func(label string, value any) error {
		return row(excelize.Cell{StyleID: st.label, Value: label}, excelize.Cell{StyleID: st.textWrap, Value: value})
	}
	if err := row(excelize.Cell{StyleID: st.title, Value: l.T("xlsx.title")}); err != nil {
		return err
	}
	if err := row(excelize.Cell{StyleID: st.subtitle, Value: l.T("xlsx.cover.subtitle")}); err != nil {
		return err
	}
	r++
	period := l.T("xlsx.cover.dateRange")
	if b.sc.Period > 0 {
		period = l.T("xlsx.periodN", "Number", b.sc.Period)
	}
	version := l.T("xlsx.cover.noBudget")
	if v := sm.Version; v != nil {
		version = l.T("xlsx.versionN", "Number", v.Number) + ", " + l.T("xlsx.kind."+v.Kind)
		if v.Label != "" {
			version += ": " + v.Label
		}
	}
	policy := l.T("xlsx.policy." + string(sm.Rules.RatePolicy))
	if policy == "" {
		policy = string(sm.Rules.RatePolicy)
	}
	audit := l.T("xlsx.cover.noAudit")
	if sm.AuditHash != "" {
		audit = l.T("xlsx.cover.auditHead", "Seq", sm.AuditSeq, "Hash", sm.AuditHash)
	}
	by := sm.GeneratedBy
	if by == "" {
		by = l.T("xlsx.cover.generatedBySystem")
	}
	basis := l.T("xlsx.cover.basisSubmitted")
	if sm.VerifiedOnly {
		basis = l.T("xlsx.cover.basisVerified")
	}
	checkpoint := l.T("xlsx.cover.noCheckpoint")
	if c := b.checkpoint; c != nil {
		checkpoint = l.T("xlsx.cover.checkpointAt", "Seq", c.Seq, "Time", c.Time.UTC().Format("2006-01-02 15:04:05"), "Fingerprint", c.Fingerprint())
	}
	for _, p := range []struct {
		label string
		value any
	}{
		{l.T("xlsx.cover.grant"), g.Title},
		{l.T("xlsx.cover.reference"), g.DonorReference},
		{l.T("xlsx.cover.donor"), sm.Donor},
		{l.T("xlsx.cover.lead"), sm.Lead},
		{l.T("xlsx.cover.implementation"), g.StartDate.String() + " – " + g.EndDate.String()},
		{l.T("xlsx.cover.period"), b.sc.From.String() + " – " + b.sc.To.String()},
		{l.T("xlsx.cover.periodNumber"), period},
		{l.T("xlsx.cover.currency"), g.CurrencyCode},
		{l.T("xlsx.cover.ratePolicy"), policy},
		{l.T("xlsx.cover.budget"), version},
		{l.T("xlsx.cover.flexibility"), rules.Percent(sm.Rules.FlexibilityBP) + " %"},
		{l.T("xlsx.cover.basis"), basis},
		{l.T("xlsx.cover.checkedAsOf"), sm.CheckedAsOf.String()},
		{l.T("xlsx.cover.generatedAt"), sm.GeneratedAt.Format("2006-01-02 15:04:05") + " UTC"},
		{l.T("xlsx.cover.generatedBy"), by},
		{l.T("xlsx.cover.audit"), audit},
		{l.T("xlsx.cover.checkpoint"), checkpoint},
	} {
		if err := pair(p.label, p.value); err != nil {
			return err
		}
	}
	r++
	if err := row(excelize.Cell{StyleID: st.textBold, Value: l.T("xlsx.cover.figures", "Currency", g.CurrencyCode)}); err != nil {
		return err
	}
	t := b.summaryTotalRow
	for _, k := range []struct {
		label string
		col   string
		v     int64
	}{
		{l.T("xlsx.cover.totalBudget"), sumBudget, sm.Total.Budget},
		{l.T("xlsx.col.spentPeriod"), sumPeriod, sm.Total.Period},
		{l.T("xlsx.col.spentToDate", "Date", b.sc.To.String()), sumToDate, sm.Total.ToDate},
		{l.T("xlsx.col.remaining"), sumRemaining, sm.Total.Budget - sm.Total.ToDate},
	} {
		c, err := b.sum(sheetRef(b.summary, ref(k.col, t)), k.v, st.coverMoney)
		if err != nil {
			return err
		}
		if err := row(excelize.Cell{StyleID: st.label, Value: k.label}, c); err != nil {
			return err
		}
	}
	r++
	if r, err = b.coverVersions(sw, r); err != nil {
		return err
	}
	if err := row(excelize.Cell{StyleID: st.textBold, Value: l.T("xlsx.cover.contents")}); err != nil {
		return err
	}
	for _, c := range []struct{ sheet, what string }{
		{b.summary, l.T("xlsx.contents.summary")}, {b.funding, l.T("xlsx.contents.funding")},
		{b.payments, l.T("xlsx.contents.payments")}, {b.forecast, l.T("xlsx.contents.forecast")},
		{b.partners, l.T("xlsx.contents.partners")}, {b.findings, l.T("xlsx.contents.findings")},
		{b.currencies, l.T("xlsx.contents.currencies")},
		{b.list, l.T("xlsx.contents.list")}, {b.rates, l.T("xlsx.contents.rates")},
	} {
		if err := pair(c.sheet, c.what); err != nil {
			return err
		}
	}
	r++
	if err := row(excelize.Cell{StyleID: st.note, Value: l.T("xlsx.note.spent", "Currency", g.CurrencyCode)}); err != nil {
		return err
	}
	if sm.RateMissingPeriod > 0 || sm.RateMissingToDate > 0 {
		if err := row(excelize.Cell{StyleID: st.warning, Value: l.N("xlsx.warn.rateMissing", sm.RateMissingPeriod, "ToDate", sm.RateMissingToDate, "To", b.sc.To.String())}); err != nil {
			return err
		}
	}
	if sm.Version == nil {
		if err := row(excelize.Cell{StyleID: st.warning, Value: l.T("xlsx.warn.noBudget")}); err != nil {
			return err
		}
	}
	if b.ineligibleTotal != "" {
		p := b.sc.Eligible()
		c, err := b.sum(sheetRef(b.list, b.ineligibleTotal), b.ineligible.Converted, st.coverMoney)
		if err != nil {
			return err
		}
		if err := row(excelize.Cell{StyleID: st.warning, Value: l.N("xlsx.warn.ineligible", b.ineligible.Count, "Sheet", b.list,
			"Start", p.Start.String(), "End", p.End.String())}, c); err != nil {
			return err
		}
	}
	r++
	if _, err := b.coverSignature(sw, r); err != nil {
		return err
	}
	return sw.Flush()
}
