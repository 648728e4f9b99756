package report

import (
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
)

// TestEveryFindingIsWordedInEveryLanguage: each finding the statement can
// make, with the figures finance gives it, is worded from the catalogue in
// all four languages (never the English message finance writes), with its
// figures in and no placeholder left.
func TestEveryFindingIsWordedInEveryLanguage(t *testing.T) {
	money := map[string]string{"amount": "700.00", "base": "10000.00", "budget": "500.00", "baseline": "400.00", "spent": "600.00",
		"over": "100.00", "total": "123.45", "budget_total": "900.00", "total_eligible_costs": "1000.00", "eu_part": "240000.00",
		"required": "240000.00", "shortfall": "20.00", "requestable": "199980.00", "next_planned": "200000.00", "cap": "450000.00",
		"received_total": "450000.00", "expected": "950.00", "difference": "50.00", "excess": "10.00", "accepted": "400000.00",
		"missing": "20.00", "cap_room": "0.00", "last_instalment": "200000.00", "earlier_instalments": "100000.00"}
	args := func(extra map[string]string) map[string]string {
		out := map[string]string{"percent": "7.10", "cap_percent": "7.00", "change_percent": "30.00", "threshold_percent": "25.00",
			"co_financing_percent": "90.00", "count": "3", "next_instalment": "3", "received": "2", "start_date": "2025-01-01",
			"end_date": "2027-12-31", "currencies": "KES, NPR", "heading_code": "2", "heading": "2 Travel", "basis": "spending",
			"direction": "under"}
		for k, v := range money {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	codes := []string{finance.CodeFlexibilityExceeded, finance.CodeIndirectCapExceeded, finance.CodeContingencyCapExceeded,
		finance.CodeOutsideEligibility, finance.CodeRateMissing, finance.CodeOverspentHeading, finance.CodeNoBudget,
		finance.CodeAssociateCosts, finance.CodeBudgetTotalMismatch, finance.CodePrefinancingAllowed, finance.CodePrefinancingNotYet,
		finance.CodePrefinancingCapReached, finance.CodeIndirectRecorded, finance.CodeFundingMismatch, finance.CodeFundingExceedsCosts}
	for _, lang := range i18n.Languages {
		l := i18n.For(lang)
		for _, code := range codes {
			f := finance.Finding{Code: code, Message: "ENGLISH " + code, HeadingCode: "2", Args: args(nil)}
			got := findingText(l, lang, "EUR", map[string]string{"2": "2 Travel"}, f)
			if got == f.Message || got == "" || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") || strings.Contains(got, code) {
				t.Errorf("%s %s: %q", lang, code, got)
			}
		}
		over := findingText(l, lang, "EUR", nil, finance.Finding{Code: finance.CodeFundingMismatch, Args: args(map[string]string{"direction": "over"})})
		under := findingText(l, lang, "EUR", nil, finance.Finding{Code: finance.CodeFundingMismatch, Args: args(nil)})
		if over == under {
			t.Errorf("%s: the funding mismatch reads the same over and under: %q", lang, over)
		}
	}
}
