package fx

import (
	"strings"
	"testing"
)

func TestNormaliseNumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"140.52":         "140.52",
		"140,52":         "140.52",
		" 140,52 ":       "140.52",
		"1.234,56":       "1234.56",
		"1,234.56":       "1234.56",
		"1 234,56":       "1234.56",
		"1\u00a0234,56":  "1234.56",
		"1\u202f234,56":  "1234.56",
		"1'234.56":       "1234.56",
		"12.345.678":     "12345678",
		"12,345,678":     "12345678",
		"12.345.678,9":   "12345678.9",
		"655.957":        "655.957",
		"-1,5":           "-1.5",
		"n/a":            "n/a",
		"":               "",
		"0,000123456789": "0.000123456789",
	} {
		if got := normaliseNumber(in); got != want {
			t.Errorf("normaliseNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want, problem string }{
		{"140.52", "140.52", ""},
		{"0.0000000001", "0.0000000001", ""},
		{"140.520", "140.52", ""},
		{"", "", "is required"},
		{"0", "", "must be above 0"},
		{"0.000", "", "must be above 0"},
		{"-3", "", "must be above 0"},
		{"1e3", "", "is not a number"},
		{"140,52", "", "is not a number"},
		{"0.00000000001", "", "has 11 decimals"},
		{"1234567890123", "", "too large"},
	} {
		d, p := ParseRate(c.in, "KES per 1 EUR")
		if c.problem == "" && (p != "" || d.String() != c.want) {
			t.Errorf("ParseRate(%q) = %s, %q", c.in, d, p)
		}
		if c.problem != "" && !strings.Contains(p, c.problem) {
			t.Errorf("ParseRate(%q) problem %q, want it to say %q", c.in, p, c.problem)
		}
	}
}
