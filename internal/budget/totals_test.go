package budget

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestLineTotalRoundsOnceHalfAwayFromZero(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		units string
		cost  int64 // cents
		want  int64 // cents
	}{
		{"2.5", 3333, 8333},     // 2.5 x 33.33 = 83.325 -> 83.33 (half away from zero)
		{"12", 350000, 4200000}, // 12 x 3500.00 = 42000.00
		{"0.3333", 1001, 334},   // 0.3333 x 10.01 = 3.336333 -> 3.34
		{"1.5", 1, 2},           // 1.5 x 0.01 = 0.015 -> 0.02
		{"2.5", 1, 3},           // 2.5 x 0.01 = 0.025 -> 0.03 (banker's rounding would give 0.02)
		{"0.0001", 4999, 0},     // 0.0001 x 49.99 = 0.004999 -> 0.00
		{"0", 123456, 0},        // no units
		{"3.3333", 3, 10},       // 3.3333 x 0.03 = 0.099999 -> 0.10
		{"100000", 99999999, 9999999900000},
	} {
		got, ok := LineTotal(decimal.RequireFromString(c.units), c.cost)
		if !ok || got != c.want {
			t.Errorf("%s x %d = %d (ok %v), want %d", c.units, c.cost, got, ok, c.want)
		}
	}
	if _, ok := LineTotal(decimal.RequireFromString("1000000000"), 1<<40); ok {
		t.Error("an overflowing total was accepted")
	}
}

func TestParseUnits(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"12", "2.5", "0", "0.0001", "2.50"} {
		if _, err := ParseUnits(s); err != nil {
			t.Errorf("%q refused: %v", s, err)
		}
	}
	if d, _ := ParseUnits("2.50"); d.String() != "2.5" {
		t.Errorf("2.50 reads as %s", d)
	}
	for s, says := range map[string]string{"-1": "negative", "1.00001": "more than 4 decimals", "": "not a number", "two": "not a number"} {
		_, err := ParseUnits(s)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: got %v, want an error saying %q", s, err, says)
		}
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		part, base int64
		want       string
	}{
		{500, 10000, "5.00"},
		{701, 10000, "7.01"},
		{1, 3, "33.33"},
		{2, 3, "66.67"},
		{1, 8, "12.50"},
		{1, 80000, "0.00"}, // 0.00125% -> 0.00
		{1, 40000, "0.00"}, // 0.0025% -> 0.00
		{1, 20000, "0.01"}, // 0.005% -> 0.01, half away from zero
		{5, 0, ""},         // no base
	} {
		if got := Percent(c.part, c.base); got != c.want {
			t.Errorf("Percent(%d, %d) = %q, want %q", c.part, c.base, got, c.want)
		}
	}
}

func TestTotalsComputedRows(t *testing.T) {
	t.Parallel()
	tpl := &Template{Headings: []Heading{
		{Code: "1", Kind: KindDirect}, {Code: "2", Kind: KindDirect}, {Code: "7", Kind: KindSubtotal},
		{Code: "8", Kind: KindContingency}, {Code: "9", Kind: KindTotalDirect}, {Code: "10", Kind: KindIndirect},
		{Code: "11", Kind: KindTotal},
	}}
	// 1: 1000.00, 2: 500.00 -> 7: 1500.00; 8: 75.00 (5.00% of 1500.00)
	// -> 9: 1575.00; 10: 110.25 (7.00% of 1575.00) -> 11: 1685.25.
	// Lines under an unknown heading ("99") count nowhere.
	hs, total := Totals(tpl, map[string]int64{"1": 100000, "2": 50000, "8": 7500, "10": 11025, "99": 5})
	want := []struct {
		code    string
		total   int64
		percent string
	}{{"1", 100000, ""}, {"2", 50000, ""}, {"7", 150000, ""}, {"8", 7500, "5.00"}, {"9", 157500, ""}, {"10", 11025, "7.00"}, {"11", 168525, ""}}
	if len(hs) != len(want) {
		t.Fatalf("%d headings, want %d", len(hs), len(want))
	}
	for i, w := range want {
		if hs[i].Code != w.code || hs[i].Total != w.total || hs[i].PercentOfBase != w.percent {
			t.Errorf("heading %d = %+v, want %+v", i, hs[i], w)
		}
	}
	if total != 168525 {
		t.Errorf("total %d, want 168525", total)
	}
}

func TestParseNames(t *testing.T) {
	t.Parallel()
	if g, v, err := ParseVersionName("grants/g1/budgetVersions/v1", "name"); err != nil || g != "g1" || v != "v1" {
		t.Errorf("version name: %q %q %v", g, v, err)
	}
	if g, v, l, err := ParseLineName("grants/g1/budgetVersions/v1/lines/l1", "name"); err != nil || g != "g1" || v != "v1" || l != "l1" {
		t.Errorf("line name: %q %q %q %v", g, v, l, err)
	}
	if g, err := ParseRulesName("grants/g1/rules", "name"); err != nil || g != "g1" {
		t.Errorf("rules name: %q %v", g, err)
	}
	for _, bad := range []string{"", "grants/g1", "grants//budgetVersions/v1", "grants/g1/budgetVersions/", "grants/g1/lines/v1", "grants/g1/budgetVersions/v1/x"} {
		if _, _, err := ParseVersionName(bad, "name"); err == nil {
			t.Errorf("version name %q accepted", bad)
		}
	}
	for _, bad := range []string{"grants/g1/budgetVersions/v1", "grants/g1/budgetVersions/v1/lines/", "grants/g1/budgetVersions/v1/lines/l1/x"} {
		if _, _, _, err := ParseLineName(bad, "name"); err == nil {
			t.Errorf("line name %q accepted", bad)
		}
	}
	for _, bad := range []string{"grants/rules", "grants//rules", "grants/g1/rulesx", "grants/a/b/rules"} {
		if _, err := ParseRulesName(bad, "name"); err == nil {
			t.Errorf("rules name %q accepted", bad)
		}
	}
}

func TestUsualLines(t *testing.T) {
	t.Parallel()
	h := Heading{UsualLinesText: "1.1\tSalaries, local staff\n1.2\tSalaries, expatriate staff\n"}
	got := h.UsualLines()
	if len(got) != 2 || got[0] != (UsualLine{"1.1", "Salaries, local staff"}) || got[1].Code != "1.2" {
		t.Errorf("usual lines %+v", got)
	}
}
