package finance

// Unexported functions the tests of package finance_test call.
var (
	ComputeForecast = computeForecast
	SuggestForecast = suggestForecast
)

// ComputePayments exposes computePayments to the package's external tests.
var ComputePayments = computePayments
