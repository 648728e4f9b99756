package report

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/pactum-dev/pactum/internal/finance"
)

// findingWords words a compliance finding in the report's language from its
// code and figures (finance.Finding.Args), as the web app does
// (frontend/src/components/budget/findingWords.ts); the finding's English
// message when the code, or a figure its wording needs, is unknown.
func (l *pdfLayout) findingWords(f finance.Finding) string {
	lang := l.lang
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
	money := func(name string) string { return pdfDecimal(lang, arg(name)) + "\u00a0" + l.data.cur }
	pct := func(name string) string { return pdfPercent(lang, arg(name)) }
	say := func(key string, kv ...string) string { return pdfT(lang, "finding."+key, kv...) }
	count := func(name string) (int64, bool) {
		n, err := strconv.ParseInt(arg(name), 10, 64)
		return n, err == nil
	}

	code := f.HeadingCode
	if code == "" {
		code = arg("heading_code")
	}
	heading := arg("heading")
	for _, r := range l.data.headings { // the heading as the summary names it
		if code != "" && r.key == code {
			heading = r.label
		}
	}
	switch f.Code {
	case finance.CodeFlexibilityExceeded:
		if heading == "" {
			break
		}
		if _, ok := a("change_percent"); !ok && have("budget") {
			return say("FLEXIBILITY_NEW_HEADING", "heading", heading, "budget", money("budget"))
		}
		if !have("change_percent", "threshold_percent", "baseline", "budget") {
			break
		}
		return say("FLEXIBILITY_EXCEEDED", "heading", heading, "change", pdfSignedPercent(lang, arg("change_percent")),
			"from", money("baseline"), "to", money("budget"), "threshold", pct("threshold_percent"))
	case finance.CodeIndirectCapExceeded, finance.CodeContingencyCapExceeded:
		if !have("percent", "cap_percent", "amount", "base") {
			break
		}
		basis := "budget"
		if arg("basis") == "spending" {
			basis = "spending"
		}
		return say(f.Code+"_"+basis, "percent", pct("percent"), "cap", pct("cap_percent"), "amount", money("amount"), "base", money("base"))
	case finance.CodeOutsideEligibility:
		n, ok := count("count")
		if !ok || !have("start_date", "end_date") {
			break
		}
		return l.plural("finding.OUTSIDE_ELIGIBILITY", n, "start", pdfDateString(lang, arg("start_date")), "end", pdfDateString(lang, arg("end_date")))
	case finance.CodeRateMissing:
		n, ok := count("count")
		if !ok {
			break
		}
		if cur, ok := a("currencies"); ok {
			return l.plural("finding.RATE_MISSING_IN", n, "currencies", cur)
		}
		return l.plural("finding.RATE_MISSING", n)
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
		return say("OVERSPENT_HEADING", "heading", heading, "spent", money("spent"), "budget", money("budget"),
			"over", pdfDecimal(lang, over)+"\u00a0"+l.data.cur)
	case finance.CodeNoBudget:
		return say("NO_BUDGET")
	case finance.CodePrefinancingAllowed:
		if arg("received") == "0" {
			return say("PREFINANCING_FIRST")
		}
		if n, ok := count("next_instalment"); ok {
			return say("PREFINANCING_ALLOWED", "number", pdfInteger(lang, n))
		}
	case finance.CodePrefinancingNotYet:
		n, ok := count("next_instalment")
		if !ok || !have("missing") {
			break
		}
		return say("PREFINANCING_NOT_YET", "number", pdfInteger(lang, n), "missing", money("missing"))
	}
	return strings.TrimSpace(f.Message)
}

// plural is pdfTN for a finding's count.
func (l *pdfLayout) plural(key string, n int64, kv ...string) string {
	return pdfTN(l.lang, key, n, kv...)
}
