package money

import (
	"math"
	"strings"
	"testing"
)

func TestCurrency(t *testing.T) {
	t.Parallel()
	for code, scale := range map[string]int{
		"EUR": 2, "USD": 2, "KES": 2, "XOF": 0, "JPY": 0, "KWD": 3, "BHD": 3,
		"MRU": 2, "VES": 2, "SLE": 2, "ZWG": 2, "XCG": 2, // after the CLDR tables
	} {
		if got, err := Currency(code); err != nil || got != scale {
			t.Errorf("%s: %d, %v; want %d decimals", code, got, err, scale)
		}
	}
	for _, code := range []string{"", "eur", "Eur", "EURO", "EU", "ZZZ", "XXX", "XTS", " EUR"} {
		if _, err := Currency(code); err == nil || !strings.Contains(err.Error(), "ISO 4217") {
			t.Errorf("%q accepted (%v)", code, err)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		s, code string
		minor   int64
	}{
		{"1250000.00", "EUR", 125000000},
		{"1250000", "EUR", 125000000},
		{"0.5", "EUR", 50},
		{"0.01", "EUR", 1},
		{"0", "EUR", 0},
		{"12.340", "EUR", 1234}, // trailing zeros beyond the minor unit are exact
		{"1500", "XOF", 1500},
		{"1500.000", "XOF", 1500},
		{"1.234", "KWD", 1234},
		{"922337203685477.58", "EUR", math.MaxInt64 / 100}, // the largest amount (a hundredth of int64, in minor units)
	} {
		got, err := Parse(c.s, c.code)
		if err != nil || got != c.minor {
			t.Errorf("Parse(%q, %s) = %d, %v; want %d", c.s, c.code, got, err, c.minor)
		}
	}
	for _, c := range []struct{ s, code, says string }{
		{"", "EUR", "not a decimal amount"},
		{"1,50", "EUR", "not a decimal amount"},
		{"12 EUR", "EUR", "not a decimal amount"},
		{"-1", "EUR", "must not be negative"},
		{"-0.01", "EUR", "must not be negative"},
		{"0.005", "EUR", "more decimals than EUR allows (2)"},
		{"1.5", "XOF", "more decimals than XOF allows (0)"},
		{"1.2345", "KWD", "more decimals"},
		{"922337203685477.59", "EUR", "too large"},
		{"1e30", "EUR", "too large"},
		{"10", "EURO", "ISO 4217"},
	} {
		if got, err := Parse(c.s, c.code); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Parse(%q, %s) = %d, %v; want an error saying %q", c.s, c.code, got, err, c.says)
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		minor int64
		code  string
		want  string
	}{
		{125000000, "EUR", "1250000.00"},
		{1, "EUR", "0.01"},
		{0, "EUR", "0.00"},
		{-150, "EUR", "-1.50"},
		{1500, "XOF", "1500"},
		{1234, "KWD", "1.234"},
		{1234, "NOPE", "12.34"}, // an unknown code is written with two decimals
		{math.MaxInt64, "EUR", "92233720368547758.07"},
	} {
		if got := Format(c.minor, c.code); got != c.want {
			t.Errorf("Format(%d, %s) = %q, want %q", c.minor, c.code, got, c.want)
		}
	}
	// Format and Parse are inverse for every currency scale.
	for _, code := range []string{"EUR", "XOF", "KWD"} {
		for _, minor := range []int64{0, 1, 99, 100, 123456789, math.MaxInt64 / 100} {
			if back, err := Parse(Format(minor, code), code); err != nil || back != minor {
				t.Errorf("%s: %d -> %q -> %d, %v", code, minor, Format(minor, code), back, err)
			}
		}
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int64{"0": 0, "90": 9000, "87.5": 8750, "87.50": 8750, "0.01": 1, "100": 10000, "100.00": 10000} {
		if got, err := ParsePercent(s); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for s, says := range map[string]string{
		"":       "not a percentage",
		"90%":    "not a percentage",
		"-1":     "between 0 and 100",
		"100.01": "between 0 and 100",
		"87.555": "more than two decimals",
	} {
		if got, err := ParsePercent(s); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("ParsePercent(%q) = %d, %v; want an error saying %q", s, got, err, says)
		}
	}
	for bp, want := range map[int64]string{0: "0", 9000: "90", 8750: "87.5", 1: "0.01", 10000: "100"} {
		if got := FormatPercent(bp); got != want {
			t.Errorf("FormatPercent(%d) = %q, want %q", bp, got, want)
		}
	}
}
