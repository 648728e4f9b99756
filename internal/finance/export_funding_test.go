package finance

// Exported for the tests of package finance_test.
var (
	ComputeFunding  = computeFunding
	FundingFindings = fundingFindings
	Split           = split
)
