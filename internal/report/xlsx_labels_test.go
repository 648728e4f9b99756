package report

import (
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/project"
)

// TestXLSXLabelsComplete: the workbook's sheet names are names a
// spreadsheet accepts in every language, its heading column is named as
// Annex VI names it, and every message the workbook builds from a value
// exists. (The catalogue's own test sees that every language has every
// message with English's placeholders.)
func TestXLSXLabelsComplete(t *testing.T) {
	for _, lang := range i18n.Languages {
		l := i18n.For(lang)
		names := map[string]bool{}
		for _, id := range []string{"xlsx.sheet.cover", "xlsx.sheet.summary", "xlsx.sheet.currencies", "xlsx.sheet.list", "xlsx.sheet.rates",
			"xlsx.sheet.funding", "xlsx.sheet.payments", "xlsx.sheet.forecast", "xlsx.sheet.partners", "xlsx.sheet.findings"} {
			n := l.T(id)
			if len([]rune(n)) > 31 || strings.ContainsAny(n, `[]:*?/\'`) || names[n] {
				t.Errorf("%s sheet name %q is not usable", lang, n)
			}
			names[n] = true
		}
	}
	for _, id := range dynamicIDs("xlsx.") {
		if !i18n.Has(id) {
			t.Errorf("no message %q", id)
		}
	}
	// The package's words built from a value: roles, kinds of funding,
	// severities.
	for _, r := range project.Roles {
		if !i18n.Has("xlsx.role." + string(r)) {
			t.Errorf("no message for the role %q", r)
		}
	}
	for _, k := range []string{finance.FundingEU, finance.FundingOwnFunds, finance.FundingOtherDonor, finance.FundingIncome, finance.FundingInKind} {
		if !i18n.Has("xlsx.funding.kind." + k) {
			t.Errorf("no message for the kind of funding %q", k)
		}
	}
	// Every finding's code has its words, in the PDF's messages or the
	// workbook's.
	for _, code := range []string{finance.CodeFlexibilityExceeded, finance.CodeOutsideEligibility, finance.CodeRateMissing, finance.CodeOverspentHeading,
		finance.CodeNoBudget, finance.CodePrefinancingAllowed, finance.CodePrefinancingNotYet, finance.CodeBudgetTotalMismatch, finance.CodeAssociateCosts} {
		if !i18n.Has("pdf.finding." + code) {
			t.Errorf("no words for the finding %s", code)
		}
	}
	for _, s := range countedStatuses {
		if !i18n.Has("xlsx.status." + s) {
			t.Errorf("no message for the status %q", s)
		}
	}
	for code, title := range pragTitles {
		if got := i18n.For("en").T("xlsx.prag." + code); got != title {
			t.Errorf("PRAG heading %s is %q in English, the template's title is %q", code, got, title)
		}
	}
	if i18n.For("fr").T("xlsx.col.heading") != "Rubrique" || i18n.For("es").T("xlsx.col.heading") != "Partida" || i18n.For("pt").T("xlsx.col.heading") != "Rubrica" {
		t.Error("the heading column is not named as Annex VI names it")
	}
}
