package eligibility

import (
	"testing"

	"github.com/pactum-dev/pactum/internal/calendar"
)

func TestPeriodIncludesBothDays(t *testing.T) {
	p := Period{Start: calendar.MustParse("2025-01-01"), End: calendar.MustParse("2027-12-31")}
	for _, c := range []struct {
		day    string
		inside bool
		reason string
	}{
		{"2024-12-31", false, BeforeStart},
		{"2025-01-01", true, ""},
		{"2026-06-15", true, ""},
		{"2027-12-31", true, ""},
		{"2028-01-01", false, AfterEnd},
	} {
		d := calendar.MustParse(c.day)
		if got := p.Contains(d); got != c.inside {
			t.Errorf("%s inside: %v, want %v", c.day, got, c.inside)
		}
		if got := p.Reason(d); got != c.reason {
			t.Errorf("%s reason: %q, want %q", c.day, got, c.reason)
		}
	}
}
