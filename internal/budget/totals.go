package budget

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/pactum-dev/pactum/internal/fx"
)

// MaxUnitDecimals is how many decimals a line's number of units may have.
const MaxUnitDecimals = 4

// ParseUnits reads a line's number of units: a decimal of at least 0 with
// at most MaxUnitDecimals decimals, e.g. "12" or "2.5". It returns the
// canonical form ("2.5" for "2.50").
func ParseUnits(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil || s == "" {
		return decimal.Decimal{}, fmt.Errorf("%q is not a number of units; write a decimal with a point, e.g. 12 or 2.5", s)
	}
	if d.IsNegative() {
		return decimal.Decimal{}, fmt.Errorf("must not be negative (got %s)", s)
	}
	if !d.Equal(d.Truncate(MaxUnitDecimals)) {
		return decimal.Decimal{}, fmt.Errorf("%s has more than %d decimals", s, MaxUnitDecimals)
	}
	return d, nil
}

// LineTotal is units x unitCost (minor units of the grant currency),
// computed exactly and rounded once to the minor unit, half away from zero:
// 2.5 x 33.33 EUR is 83.325, so 8333 cents. ok is false when the total
// does not fit.
func LineTotal(units decimal.Decimal, unitCost int64) (total int64, ok bool) {
	r := new(big.Rat).Mul(units.Rat(), new(big.Rat).SetInt64(unitCost))
	// Refuse what would not fit into int64 once rounded (with room for sums).
	limit := new(big.Rat).SetInt64(1 << 53)
	if r.Cmp(limit) >= 0 {
		return 0, false
	}
	return fx.RoundHalfAway(r), true
}

// HeadingTotal is a heading's total in a version, computed rows included.
type HeadingTotal struct {
	Code  string
	Title string
	Kind  HeadingKind
	Total int64 // minor units of the grant currency
	// PercentOfBase is the share of the base its cap is measured against
	// (contingency: of the subtotal; indirect: of total direct), in
	// percent with two decimals; "" for other headings and when the base
	// is zero.
	PercentOfBase string
}

// Totals computes the heading totals of a version in the template's order
// from the sums of its lines by heading code, and the grand total (the
// template's total row: direct + contingency + indirect).
//
//	subtotal     = sum of direct headings
//	total_direct = subtotal + contingency
//	total        = total_direct + indirect
func Totals(t *Template, byHeading map[string]int64) ([]HeadingTotal, int64) {
	var direct, contingency, indirect int64
	for _, h := range t.Headings {
		switch h.Kind {
		case KindDirect:
			direct += byHeading[h.Code]
		case KindContingency:
			contingency += byHeading[h.Code]
		case KindIndirect:
			indirect += byHeading[h.Code]
		}
	}
	subtotal := direct
	totalDirect := subtotal + contingency
	total := totalDirect + indirect
	out := make([]HeadingTotal, 0, len(t.Headings))
	for _, h := range t.Headings {
		ht := HeadingTotal{Code: h.Code, Title: h.Title, Kind: h.Kind}
		switch h.Kind {
		case KindDirect:
			ht.Total = byHeading[h.Code]
		case KindSubtotal:
			ht.Total = subtotal
		case KindContingency:
			ht.Total = byHeading[h.Code]
			ht.PercentOfBase = Percent(ht.Total, subtotal)
		case KindTotalDirect:
			ht.Total = totalDirect
		case KindIndirect:
			ht.Total = byHeading[h.Code]
			ht.PercentOfBase = Percent(ht.Total, totalDirect)
		case KindTotal:
			ht.Total = total
		}
		out = append(out, ht)
	}
	return out, total
}

// Percent is part of base in percent with two decimals, rounded half away
// from zero ("7.01"); "" when base is zero.
func Percent(part, base int64) string {
	if base == 0 {
		return ""
	}
	r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(part), big.NewInt(10000)), big.NewInt(base))
	return decimal.New(fx.RoundHalfAway(r), -2).StringFixed(2)
}
