package calendar

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"2025-01-31", "2024-02-29", "0001-01-02", "9999-12-31"} {
		d, err := Parse(s)
		if err != nil || d.String() != s || d.IsZero() {
			t.Errorf("Parse(%q) = %q, %v", s, d, err)
		}
	}
	for _, s := range []string{"", "2025-02-30", "2025-02-29", "2025-13-01", "2025-1-31", "31/01/2025", "2025-01-31T00:00:00Z", " 2025-01-31"} {
		if d, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted %q", s, d)
		}
	}
	// 0001-01-01 is time.Time's zero, so it parses into the zero Date: "no
	// date", stored as NULL. No grant goes back so far; this pins it down.
	if d, err := Parse("0001-01-01"); err != nil || !d.IsZero() {
		t.Errorf("Parse(0001-01-01) = %q, %v", d, err)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParse of an impossible date did not panic")
		}
	}()
	MustParse("2025-02-30")
}

func TestZeroDate(t *testing.T) {
	t.Parallel()
	var d Date
	if !d.IsZero() || d.String() != "" {
		t.Errorf("zero date: %q", d)
	}
	if v, err := d.Value(); v != nil || err != nil {
		t.Errorf("zero date stored as %v, %v; want NULL", v, err)
	}
	if v, err := MustParse("2025-01-31").Value(); v != "2025-01-31" || err != nil {
		t.Errorf("stored as %v, %v", v, err)
	}
}

func TestOfTakesTheDateInTheTimesLocation(t *testing.T) {
	t.Parallel()
	kathmandu := time.FixedZone("NPT", 5*3600+45*60)
	late := time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC)
	if got := Of(late); got.String() != "2025-12-31" {
		t.Errorf("UTC: %s", got)
	}
	if got := Of(late.In(kathmandu)); got.String() != "2026-01-01" {
		t.Errorf("Kathmandu: %s", got)
	}
	if !Of(late.In(kathmandu)).Equal(New(2026, time.January, 1)) {
		t.Error("Of and New disagree")
	}
}

func TestAddMonthsClampsToTheEndOfTheMonth(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-01-31", 1, "2025-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2025-01-31", 2, "2025-03-31"},
		{"2025-03-31", -1, "2025-02-28"},
		{"2025-05-31", 1, "2025-06-30"},
		{"2025-01-15", 12, "2026-01-15"},
		{"2025-11-30", 3, "2026-02-28"},
		{"2025-01-31", -13, "2023-12-31"},
		{"2025-08-31", 0, "2025-08-31"},
	} {
		if got := MustParse(c.from).AddMonths(c.n); got.String() != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestDays(t *testing.T) {
	t.Parallel()
	a, b := MustParse("2024-02-28"), MustParse("2024-03-01")
	if a.AddDays(2) != b || b.AddDays(-2) != a {
		t.Errorf("AddDays across 29 February: %s, %s", a.AddDays(2), b.AddDays(-2))
	}
	if a.DaysUntil(b) != 2 || b.DaysUntil(a) != -2 || a.DaysUntil(a) != 0 {
		t.Errorf("DaysUntil: %d %d", a.DaysUntil(b), b.DaysUntil(a))
	}
	if got := MustParse("2025-01-01").DaysUntil(MustParse("2026-01-01")); got != 365 {
		t.Errorf("a year: %d days", got)
	}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Equal(b) || !a.Equal(MustParse("2024-02-28")) {
		t.Error("Before, After or Equal is wrong")
	}
}

func TestMonthsBetween(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		start, end string
		want       int
	}{
		{"2025-01-01", "2027-12-31", 36},
		{"2025-01-01", "2025-01-31", 1},
		{"2025-01-01", "2025-01-30", 0},
		{"2025-01-15", "2025-02-14", 1},
		{"2025-01-15", "2025-02-13", 0},
		{"2025-01-31", "2025-02-27", 0},
		{"2025-01-31", "2025-02-28", 1}, // the 28th is the day before 1 March
		{"2025-03-01", "2026-02-28", 12},
		{"2024-03-01", "2025-02-28", 12},
	} {
		if got := MonthsBetween(MustParse(c.start), MustParse(c.end)); got != c.want {
			t.Errorf("MonthsBetween(%s, %s) = %d, want %d", c.start, c.end, got, c.want)
		}
	}
}

func TestScan(t *testing.T) {
	t.Parallel()
	want := MustParse("2025-06-30")
	for _, src := range []any{"2025-06-30", []byte("2025-06-30"), time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 30, 22, 0, 0, 0, time.UTC)} {
		var d Date
		if err := d.Scan(src); err != nil || !d.Equal(want) {
			t.Errorf("Scan(%#v) = %s, %v", src, d, err)
		}
	}
	d := want
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %s, %v; want the zero date", d, err)
	}
	for _, src := range []any{"30/06/2025", 20250630, 1.5} {
		var d Date
		if err := d.Scan(src); err == nil {
			t.Errorf("Scan(%#v) accepted %s", src, d)
		}
	}
}
