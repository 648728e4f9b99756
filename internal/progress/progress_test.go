package progress_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/results"
)

func TestMismatchSaysWhatDoesNotAddUp(t *testing.T) {
	t.Parallel()
	m := progress.Mismatch{Disaggregation: "sex", Parts: []string{"women 12", "men 10"}, Sum: decimal.NewFromInt(22), Value: "25"}
	if got, want := m.String(), "women 12 + men 10 = 22, but the value is 25"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	m.Value = ""
	if got, want := m.String(), "women 12 + men 10 = 22, but the value is empty"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLateOn(t *testing.T) {
	t.Parallel()
	due := calendar.MustParse("2026-03-31")
	at := func(s string) *time.Time { x, _ := time.Parse(time.RFC3339, s); return &x }
	cases := []struct {
		first *time.Time
		today string
		late  bool
	}{
		{nil, "2026-03-31", false},                        // due today, not yet submitted
		{nil, "2026-04-01", true},                         // past due, not submitted
		{at("2026-03-31T23:59:00Z"), "2026-06-01", false}, // submitted on the due date
		{at("2026-04-01T00:01:00Z"), "2026-06-01", true},  // submitted the day after
		{at("2026-03-01T10:00:00Z"), "2026-02-01", false}, // early
	}
	for _, c := range cases {
		if got := progress.LateOn(due, c.first, calendar.MustParse(c.today)); got != c.late {
			t.Errorf("first submitted %v, today %s: late %v, want %v", c.first, c.today, got, c.late)
		}
	}
}

func TestPeriodOf(t *testing.T) {
	t.Parallel()
	s := milestone.GrantSchedule{Start: calendar.MustParse("2025-01-01"), End: calendar.MustParse("2027-12-31"), PeriodMonths: 12}
	ps := s.Periods()
	for d, want := range map[string]int{"2024-06-30": 1, "2025-01-01": 1, "2025-12-31": 1, "2026-01-01": 2, "2027-12-31": 3, "2028-03-01": 3} {
		if got := milestone.PeriodOf(ps, calendar.MustParse(d)); got != want {
			t.Errorf("%s is in period %d, want %d", d, got, want)
		}
	}
	if got := milestone.PeriodOf(nil, calendar.MustParse("2025-01-01")); got != 0 {
		t.Errorf("no periods: %d", got)
	}
}

// The demo has an update at each step of the review, none of UDWU's (the
// browser test writes those), and approving one left the period's figures
// as seeded.
func TestDemoProgressUpdates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		today := calendar.MustParse("2026-11-23")
		data, err := demo.Seed(ctx, d, today)
		if err != nil {
			t.Fatal(err)
		}
		svc := progress.NewService(d)
		list, _, err := svc.List(ctx, progress.Filter{}, page.Request{})
		if err != nil {
			t.Fatal(err)
		}
		states := map[progress.State]*progress.Update{}
		for _, u := range list {
			states[u.State] = u
			if u.OrganisationID == data.Organisations["UDWU"].ID {
				t.Errorf("UDWU has an update: %s", u.Name())
			}
		}
		for _, st := range []progress.State{progress.StateDraft, progress.StateSubmitted, progress.StateReturned, progress.StateApproved} {
			if states[st] == nil {
				t.Errorf("no %s update in the demo (have %d updates)", st, len(list))
			}
		}
		if t.Failed() {
			return
		}
		returned, _, err := svc.ListComments(ctx, states[progress.StateReturned].ID, page.Request{})
		if err != nil || len(returned) != 1 || returned[0].Kind != progress.CommentReturn {
			t.Errorf("the returned update's thread: %v (%v)", returned, err)
		}
		approved, err := svc.Get(ctx, states[progress.StateApproved].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(approved.IndicatorValues) == 0 || len(approved.ActivityIDs) == 0 || approved.Achievements == "" {
			t.Fatalf("the approved update reports nothing: %+v", approved)
		}
		for _, iv := range approved.IndicatorValues {
			var ind results.Indicator
			if err := d.NewSelect().Model(&ind).Where("i.id = ?", iv.IndicatorID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			for _, p := range ind.Periods {
				if p.Period == approved.ReportingPeriod && p.Actual != iv.Value {
					t.Errorf("%s period %d: actual %q, approved value %q", ind.Code, p.Period, p.Actual, iv.Value)
				}
			}
		}
	})
}
