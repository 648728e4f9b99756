package finance

// ComputePayments exposes computePayments to the package's external tests.
var ComputePayments = computePayments
