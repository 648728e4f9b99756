package report

import (
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/finance"
)

// The report renders finance's statement: every money figure of the
// workbook and the PDF is added up there (finance.StatementIn,
// finance.StatementStream), none here.
type (
	Summary           = finance.Statement
	SummaryHeading    = finance.StatementHeading
	SummaryLine       = finance.StatementLine
	Figures           = finance.Figures
	Flexibility       = finance.Flexibility
	Currencies        = finance.Currencies
	CurrencyBlock     = finance.CurrencyBlock
	CurrencyRate      = finance.CurrencyRate
	RateUse           = finance.RateUse
	ListedExpenditure = finance.ListedExpenditure
	ListNames         = finance.ListNames
	LineName          = finance.LineName
)

// Kinds of template headings.
const (
	KindDirect      = finance.KindDirect
	KindSubtotal    = finance.KindSubtotal
	KindContingency = finance.KindContingency
	KindTotalDirect = finance.KindTotalDirect
	KindIndirect    = finance.KindIndirect
	KindTotal       = finance.KindTotal
)

// countedStatuses are the statuses an expenditure of the list may have.
var countedStatuses = eligibility.Claimed

// Percent returns num/den as a percentage with two decimals, rounded half
// away from zero ("26.00"), or "" when den is zero.
func Percent(num, den int64) string { return finance.Percent(num, den) }

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
