package report

import (
	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/rules"
)

// dynamicIDs are the messages the reports build from a value (budget
// version kinds, rate policies, PRAG headings, compliance findings), each
// prefixed by prefix ("pdf." or "xlsx.").
func dynamicIDs(prefix string) []string {
	var ids []string
	for _, k := range []budget.VersionKind{budget.Original, budget.Addendum, budget.Transfer} {
		ids = append(ids, prefix+"kind."+string(k))
	}
	for _, p := range []rules.RatePolicy{rules.Monthly, rules.PeriodAverage, rules.Fixed, rules.Transfer} {
		ids = append(ids, prefix+"policy."+string(p))
	}
	for code := range pragTitles {
		ids = append(ids, prefix+"prag."+code)
	}
	if prefix == "pdf." {
		for _, code := range []string{finance.CodeIndirectCapExceeded, finance.CodeContingencyCapExceeded} {
			ids = append(ids, prefix+"finding."+code+"_budget", prefix+"finding."+code+"_spending")
		}
	}
	return ids
}
