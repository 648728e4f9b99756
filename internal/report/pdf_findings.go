package report

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
)

// findingWords words a finding as the PDF's summary names its headings.
func (l *pdfLayout) findingWords(f finance.Finding) string {
	labels := map[string]string{}
	for _, r := range l.data.headings {
		labels[r.key] = r.label
	}
	return findingText(l.Localizer, l.lang, l.data.cur, labels, f)
}

// findingText words a compliance finding in lang (the localizer l) from its
// code and figures (finance.Finding.Args), as the web app does
// (frontend/src/components/budget/findingWords.ts), for the PDF and the
// workbook alike; headings are named by labels (heading code -> label) when
// they have one. The finding's English message only when the code, or a
// figure its wording needs, is unknown.
func findingText(l *i18n.Localizer, lang, cur string, labels map[string]string, f finance.Finding) string {
	a := func(name string) (string, bool) {
		v, ok := f.Args[name]
		return v, ok && v != ""
	}
	have := func(names ...string) bool {
		for _, n := range names {
			if _, ok := a(n); !ok {
				return false
			}
		}
		return true
	}
	arg := func(name string) string { v, _ := a(name); return v }
	money := func(name string) string { return pdfDecimal(lang, arg(name)) + "\u00a0" + cur }
	pct := func(name string) string { return pdfPercent(lang, arg(name)) }
	count := func(name string) (int64, bool) {
		n, err := strconv.ParseInt(arg(name), 10, 64)
		return n, err == nil
	}

	// noPlan: the plan foresees no next instalment (no amount to reduce).
	noPlan := func() bool { v, ok := a("next_planned"); return ok && strings.Trim(v, "0.") == "" }

	code := f.HeadingCode
	if code == "" {
		code = arg("heading_code")
	}
	heading := arg("heading")
	if label, ok := labels[code]; ok && code != "" { // the heading as the summary names it
		heading = label
	}
	switch f.Code {
	case finance.CodeFlexibilityExceeded:
		if heading == "" {
			break
		}
		if _, ok := a("change_percent"); !ok && have("budget") {
			return l.T("pdf.finding.FLEXIBILITY_NEW_HEADING", "Heading", heading, "Budget", money("budget"))
		}
		if !have("change_percent", "threshold_percent", "baseline", "budget") {
			break
		}
		return l.T("pdf.finding.FLEXIBILITY_EXCEEDED", "Heading", heading, "Change", pdfSignedPercent(lang, arg("change_percent")),
			"From", money("baseline"), "To", money("budget"), "Threshold", pct("threshold_percent"))
	case finance.CodeIndirectCapExceeded, finance.CodeContingencyCapExceeded:
		if !have("percent", "cap_percent", "amount", "base") {
			break
		}
		basis := "budget"
		if arg("basis") == "spending" {
			basis = "spending"
		}
		return l.T("pdf.finding."+f.Code+"_"+basis, "Percent", pct("percent"), "Cap", pct("cap_percent"), "Amount", money("amount"), "Base", money("base"))
	case finance.CodeOutsideEligibility:
		n, ok := count("count")
		if !ok || !have("start_date", "end_date") {
			break
		}
		return l.N("pdf.finding.OUTSIDE_ELIGIBILITY", n, "Start", pdfDateString(lang, arg("start_date")), "End", pdfDateString(lang, arg("end_date")))
	case finance.CodeRateMissing:
		n, ok := count("count")
		if !ok {
			break
		}
		if cur, ok := a("currencies"); ok {
			return l.N("pdf.finding.RATE_MISSING_IN", n, "Currencies", cur)
		}
		return l.N("pdf.finding.RATE_MISSING", n)
	case finance.CodeOverspentHeading:
		if heading == "" || !have("spent", "budget") {
			break
		}
		over := arg("over")
		if over == "" {
			s, err1 := decimal.NewFromString(arg("spent"))
			b, err2 := decimal.NewFromString(arg("budget"))
			if err1 != nil || err2 != nil {
				break
			}
			over = s.Sub(b).StringFixed(s.Exponent() * -1)
		}
		return l.T("pdf.finding.OVERSPENT_HEADING", "Heading", heading, "Spent", money("spent"), "Budget", money("budget"),
			"Over", pdfDecimal(lang, over)+"\u00a0"+cur)
	case finance.CodeIndirectRecorded:
		n, ok := count("count")
		if !ok || !have("total") {
			break
		}
		return l.N("pdf.pkg.finding.INDIRECT_RECORDED", n, "Total", money("total"))
	case finance.CodeNoBudget:
		return l.T("pdf.finding.NO_BUDGET")
	case finance.CodeAssociateCosts:
		n, ok := count("count")
		if !ok || !have("total") {
			break
		}
		return l.T("pdf.finding.ASSOCIATE_COSTS", "Count", pdfInteger(lang, n), "Total", money("total"))
	case finance.CodeBudgetTotalMismatch:
		if !have("budget_total", "total_eligible_costs") {
			break
		}
		return l.T("pdf.finding.BUDGET_TOTAL_MISMATCH", "Budget", money("budget_total"), "Total", money("total_eligible_costs"))
	case finance.CodePrefinancingAllowed:
		if arg("received") == "0" {
			return l.T("pdf.finding.PREFINANCING_FIRST")
		}
		n, ok := count("next_instalment")
		if !ok || !have("eu_part", "co_financing_percent", "spent", "required", "requestable") {
			break
		}
		if noPlan() {
			return l.T("pdf.finding.PREFINANCING_ALLOWED_NO_PLAN", "Number", pdfInteger(lang, n), "EUPart", money("eu_part"),
				"Rate", pct("co_financing_percent"), "Spent", money("spent"), "Required", money("required"))
		}
		return l.T("pdf.finding.PREFINANCING_ALLOWED", "Number", pdfInteger(lang, n), "EUPart", money("eu_part"),
			"Rate", pct("co_financing_percent"), "Spent", money("spent"), "Required", money("required"), "Requestable", money("requestable"))
	case finance.CodePrefinancingNotYet:
		n, ok := count("next_instalment")
		if !ok || !have("eu_part", "co_financing_percent", "spent", "required", "shortfall", "requestable") {
			break
		}
		if noPlan() {
			return l.T("pdf.finding.PREFINANCING_NOT_YET_NO_PLAN", "Number", pdfInteger(lang, n), "EUPart", money("eu_part"),
				"Rate", pct("co_financing_percent"), "Spent", money("spent"), "Required", money("required"), "Shortfall", money("shortfall"))
		}
		return l.T("pdf.finding.PREFINANCING_NOT_YET", "Number", pdfInteger(lang, n), "EUPart", money("eu_part"),
			"Rate", pct("co_financing_percent"), "Spent", money("spent"), "Required", money("required"),
			"Shortfall", money("shortfall"), "Requestable", money("requestable"))
	case finance.CodePrefinancingCapReached:
		if !have("received_total", "cap_percent", "cap") {
			break
		}
		return l.T("pdf.finding.PREFINANCING_CAP_REACHED", "Received", money("received_total"), "CapPercent", pct("cap_percent"), "Cap", money("cap"))
	case finance.CodeFundingMismatch:
		if !have("expected", "total_eligible_costs", "difference") {
			break
		}
		key := "pdf.finding.FUNDING_MISMATCH_under"
		if arg("direction") == "over" {
			key = "pdf.finding.FUNDING_MISMATCH_over"
		}
		return l.T(key, "Expected", money("expected"), "Total", money("total_eligible_costs"), "Difference", money("difference"))
	case finance.CodeFundingExceedsCosts:
		if !have("excess", "accepted") {
			break
		}
		return l.T("pdf.finding.FUNDING_EXCEEDS_COSTS", "Excess", money("excess"), "Accepted", money("accepted"))
	}
	return strings.TrimSpace(f.Message)
}
