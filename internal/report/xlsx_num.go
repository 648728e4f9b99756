package report

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// How amounts reach the workbook exactly.
//
// A spreadsheet cell holds a number as the decimal text of its <v> element
// ("1234.56"); Excel and LibreOffice read it into an IEEE double. What must
// be exact is that text: it is what the file says, what any reader parses,
// and the number the application shows at the currency's decimals.
//
// excelize's StreamWriter writes a number only from Go integers and floats
// (a Go string becomes a text cell, and the cached value of a formula given
// as a string is typed t="str", a text result). So:
//
//   - an amount of a currency without decimals (XOF, JPY) is written as its
//     int64 minor units: strconv.FormatInt, exact;
//   - an amount with decimals is written as float64(minor) / 10^scale, which
//     excelize formats with strconv.FormatFloat(v, 'f', -1, 64), the
//     shortest decimal text that reads back as the same double.
//
// The second is exact, for |minor| < 10^15, by this argument: float64(minor)
// is exact (|minor| < 2^53) and so is 10^scale (scale <= 4); IEEE division
// is correctly rounded, so v is the double nearest to the decimal
// d = minor / 10^scale. d has at most 15 significant digits, and a decimal
// of at most 15 significant digits survives the trip decimal -> nearest
// double -> 15 digits (DBL_DIG = 15). The shortest text that reads back as
// v has at most 15 digits (d itself qualifies); if another decimal d' with
// at most 15 digits read back as v, rounding v to 15 digits would give both
// d and d', so d' = d. Hence the text written is d's digits, exactly
// (trailing zeros dropped: "1234.5" for 123450 cents, the same number).
// TestAmountCellTextIsExact checks it on edge and random values, and the
// workbook tests read every total back to the cent. Amounts of 10^15 minor
// units or more (ten trillion euros) are refused rather than rounded.
//
// Rates are decimals of up to a dozen digits ("655.957", "140.12345678"):
// written as numbers by the same argument when they have at most 15
// significant digits, else as text (never rounded).

// maxExactMinor bounds the minor units written as floats.
const maxExactMinor = 999_999_999_999_999

var pow10 = [...]float64{1, 10, 100, 1000, 10000}

// amount returns the cell value of minor units of a currency with scale
// decimals: an int64 for scale 0, else a float64 whose shortest text is
// the exact decimal (see above).
func amount(minor int64, scale int) (any, error) {
	if scale == 0 {
		return minor, nil
	}
	if minor > maxExactMinor || minor < -maxExactMinor || scale < 0 || scale >= len(pow10) {
		return nil, fmt.Errorf("amount %d (scale %d) cannot be written exactly as a spreadsheet number", minor, scale)
	}
	return float64(minor) / pow10[scale], nil
}

// rateValue returns a rate's cell value: a number when its decimal has at
// most 15 significant digits (exact, as above), else the text itself.
func rateValue(s string) any {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	if n := len(d.Coefficient().Abs(d.Coefficient()).String()); n > 15 || d.Exponent() < -300 || d.Exponent() > 300 {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return f
}

// ratio returns num/den for a percentage cell (a display figure, not
// money): 15 significant digits.
func ratio(num, den int64) float64 {
	if den == 0 {
		return 0
	}
	f, _ := decimal.NewFromInt(num).DivRound(decimal.NewFromInt(den), 15).Float64()
	return f
}
