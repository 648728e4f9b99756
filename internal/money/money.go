// Package money converts between decimal amounts as users write them and
// exact integer minor units of an ISO 4217 currency. No float64 anywhere.
package money

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
)

// Currency checks an ISO 4217 code and returns the number of decimals of its
// minor unit (EUR 2, XOF 0, ...).
func Currency(code string) (scale int, err error) {
	if s, ok := newerCodes[code]; ok {
		return s, nil
	}
	u, err := currency.ParseISO(code)
	if err != nil || u.String() != code || code == "XXX" || code == "XTS" {
		return 0, fmt.Errorf("%q is not an ISO 4217 currency code; use three capital letters such as EUR, USD, KES or XOF", code)
	}
	s, _ := currency.Standard.Rounding(u)
	return s, nil
}

// newerCodes are ISO 4217 codes introduced after the CLDR 32 (2017) tables
// of golang.org/x/text/currency, with their minor units: InforEuro lists
// them, so a rate file holding them must not be refused.
var newerCodes = map[string]int{
	"MRU": 2, // Mauritanian ouguiya (2018)
	"VES": 2, // Venezuelan bolivar soberano (2018)
	"VED": 2, // Venezuelan bolivar digital (2021)
	"SLE": 2, // Sierra Leonean leone (2022)
	"ZWG": 2, // Zimbabwe gold (2024)
	"XCG": 2, // Caribbean guilder (2025)
}

// Parse reads a non-negative decimal amount, e.g. "1250000.00", into minor
// units of the currency.
func Parse(s, code string) (int64, error) {
	scale, err := Currency(code)
	if err != nil {
		return 0, err
	}
	d, err := decimal.NewFromString(s)
	if err != nil || s == "" {
		return 0, fmt.Errorf("%q is not a decimal amount; write digits with a point for decimals, e.g. 1250000.00", s)
	}
	if d.IsNegative() {
		return 0, fmt.Errorf("must not be negative (got %s)", s)
	}
	if -d.Exponent() > int32(scale) && !d.Equal(d.Truncate(int32(scale))) {
		return 0, fmt.Errorf("%s has more decimals than %s allows (%d)", s, code, scale)
	}
	minor := d.Shift(int32(scale))
	if minor.GreaterThan(decimal.NewFromInt(math.MaxInt64 / 100)) {
		return 0, fmt.Errorf("%s is too large", s)
	}
	return minor.IntPart(), nil
}

// Format writes minor units of the currency as a decimal string with the
// currency's decimals, e.g. 125000000 EUR -> "1250000.00".
func Format(minor int64, code string) string {
	scale, err := Currency(code)
	if err != nil {
		scale = 2
	}
	return decimal.New(minor, -int32(scale)).StringFixed(int32(scale))
}

// ParsePercent reads a percentage from 0 to 100 with at most two decimals,
// e.g. "90" or "87.5", into hundredths of a percent (9000, 8750).
func ParsePercent(s string) (int64, error) {
	d, err := decimal.NewFromString(s)
	if err != nil || s == "" {
		return 0, fmt.Errorf("%q is not a percentage; write a number from 0 to 100, e.g. 90 or 87.5", s)
	}
	if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
		return 0, fmt.Errorf("must be between 0 and 100 percent (got %s)", s)
	}
	if !d.Equal(d.Truncate(2)) {
		return 0, fmt.Errorf("%s has more than two decimals", s)
	}
	return d.Shift(2).IntPart(), nil
}

// FormatPercent writes hundredths of a percent as a percentage, e.g. 8750 -> "87.5".
func FormatPercent(bp int64) string {
	return decimal.New(bp, -2).String()
}
