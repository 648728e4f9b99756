package fx

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/pactum-dev/pactum/internal/calendar"
)

func TestConvertAmountRoundsOnceHalfAwayFromZero(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		amount  int64
		from    string
		rate    string
		want    int64
		because string
	}{
		// KES 1,405.00 at 140.5 KES/EUR = EUR 10.00 exactly.
		{140500, "KES", "140.5", 1000, "exact"},
		// KES 100.00 / 140.5 = EUR 0.711743... -> 0.71.
		{10000, "KES", "140.5", 71, "down"},
		// XOF has no minor unit: XOF 656 / 655.957 = EUR 1.0000655... -> 1.00.
		{656, "XOF", "655.957", 100, "XOF scale 0"},
		// EUR 0.005 exactly is a half: KES 0.70 / 140 = 0.005 -> 0.01 (away from zero).
		{70, "KES", "140", 1, "half away from zero"},
		// KES 0.69 / 140 = 0.0049286 -> 0.00.
		{69, "KES", "140", 0, "below half"},
		// A refund: KES -0.70 / 140 = -0.005 -> -0.01.
		{-70, "KES", "140", -1, "negative half away from zero"},
	} {
		got, err := ConvertAmount(c.amount, c.from, "EUR", decimal.RequireFromString(c.rate))
		if err != nil || got != c.want {
			t.Errorf("%s: ConvertAmount(%d %s at %s) = %d, %v; want %d", c.because, c.amount, c.from, c.rate, got, err, c.want)
		}
	}
	if _, err := ConvertAmount(100, "KES", "EUR", decimal.Zero); err == nil {
		t.Error("a zero rate converted")
	}
}

func TestTransferRate(t *testing.T) {
	t.Parallel()
	// EUR 10,000.00 bought KES 1,405,000.00: 140.5 KES per EUR.
	r, err := TransferRate(1000000, "EUR", 140500000, "KES")
	if err != nil || !r.Equal(decimal.RequireFromString("140.5")) {
		t.Fatalf("rate %s, %v", r, err)
	}
	// EUR 3.00 bought XOF 1000: 333.33333333 (8 decimals, half away from zero).
	r, _ = TransferRate(300, "EUR", 1000, "XOF")
	if r.String() != "333.33333333" {
		t.Fatalf("rate %s", r)
	}
}

func TestPeriod(t *testing.T) {
	t.Parallel()
	g := Grant{Start: calendar.MustParse("2025-03-15"), End: calendar.MustParse("2027-01-31"), ReportingPeriodMonths: 12}
	for _, c := range []struct{ date, from, to string }{
		{"2025-03-15", "2025-03-15", "2026-03-14"},
		{"2026-03-14", "2025-03-15", "2026-03-14"},
		{"2026-03-15", "2026-03-15", "2027-01-31"},
		{"2027-01-31", "2026-03-15", "2027-01-31"},
	} {
		from, to := Period(g, calendar.MustParse(c.date))
		if from.String() != c.from || to.String() != c.to {
			t.Errorf("Period(%s) = %s..%s, want %s..%s", c.date, from, to, c.from, c.to)
		}
	}
	if got := monthsOf(calendar.MustParse("2025-03-15"), calendar.MustParse("2025-06-01")); len(got) != 4 || got[0] != "2025-03" || got[3] != "2025-06" {
		t.Errorf("monthsOf = %v", got)
	}
}
