package rpc

import "math"

// count32 is n for a proto int32 field, saturated at math.MaxInt32: sums
// over many rows (participants across a grant's activities, each up to
// 10,000,000) can exceed int32, and a saturated total is less wrong than one
// that wrapped round to a negative number.
func count32(n int) int32 {
	switch {
	case n > math.MaxInt32:
		return math.MaxInt32
	case n < math.MinInt32:
		return math.MinInt32
	}
	return int32(n)
}
