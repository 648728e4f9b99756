package milestone_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// TestMilestoneStatusFilterAgreesWithStatusOn checks, day by day across the
// edges of every window, that the SQL of the status filter selects exactly
// the milestones whose derived status is that status.
func TestMilestoneStatusFilterAgreesWithStatusOn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := newFixture(t, d)
		var all []*milestone.Milestone
		add := func(due string, submit, accept bool) {
			t.Helper()
			m, err := f.svc.Create(ctx, milestone.Input{GrantID: f.grant, Kind: milestone.KindPaymentRequest, DueDate: due,
				ResponsibleOrganisationID: f.partner, Title: due}, "")
			if err != nil {
				t.Fatal(err)
			}
			if submit {
				if m, err = f.svc.Submit(ctx, m.ID, ""); err != nil {
					t.Fatal(err)
				}
			}
			if accept {
				if m, err = f.svc.Accept(ctx, m.ID, ""); err != nil {
					t.Fatal(err)
				}
			}
			all = append(all, m)
		}
		// Open ones on consecutive days, so that every day below has one
		// due yesterday, today, tomorrow, at today+30 and at today+31.
		for _, due := range []string{"2026-01-14", "2026-01-15", "2026-01-16", "2026-01-17",
			"2026-02-13", "2026-02-14", "2026-02-15", "2026-02-16", "2026-02-17"} {
			add(due, false, false)
		}
		add("2026-01-15", true, false)
		add("2026-02-14", true, false)
		add("2026-01-15", true, true)
		add("2026-02-14", true, true)
		// Cancelled ones, due on the days that make open ones overdue, due
		// soon and upcoming: cancelled whatever the day.
		for _, due := range []string{"2026-01-14", "2026-01-16", "2026-02-17"} {
			add(due, false, false)
			m, err := f.svc.Cancel(ctx, all[len(all)-1].ID, "", "The donor withdrew its request")
			if err != nil {
				t.Fatal(err)
			}
			all[len(all)-1] = m
		}
		start := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
		for day := 0; day < 3; day++ {
			now := start.AddDate(0, 0, day)
			f.svc.SetClock(func() time.Time { return now })
			today := f.svc.Today()
			seen := map[milestone.Status]bool{}
			for _, m := range all {
				seen[m.StatusOn(today)] = true
			}
			if len(seen) != len(milestone.Statuses) {
				t.Fatalf("%s: the data covers only statuses %v", today, seen)
			}
			for _, st := range milestone.Statuses {
				var want []string
				for _, m := range all {
					if m.StatusOn(today) == st {
						want = append(want, m.ID)
					}
				}
				list, _, err := f.svc.List(ctx, milestone.Filter{Status: st}, pageAll)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, m := range list {
					got = append(got, m.ID)
					if m.Status != st {
						t.Errorf("%s: listed as %s, has status %s", today, st, m.Status)
					}
				}
				sort.Strings(want)
				sort.Strings(got)
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Fatalf("%s status %s: SQL selected %d milestones, StatusOn %d", today, st, len(got), len(want))
				}
			}
		}
	})
}

func TestMilestoneServiceRules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := newFixture(t, d)
		f.svc.SetClock(func() time.Time { return time.Date(2026, 1, 15, 23, 59, 0, 0, time.UTC) })
		valid := milestone.Input{GrantID: f.grant, Kind: milestone.KindPartnerProgressUpdate, DueDate: "2026-01-15",
			ResponsibleOrganisationID: f.partner}

		// Several wrong fields are reported together, and nothing is written.
		bad := valid
		bad.Kind, bad.DueDate, bad.PeriodStartDate, bad.PeriodEndDate = "quarterly", "2026-1-5", "2026-03-01", "2026-02-01"
		_, err := f.svc.Create(ctx, bad, "")
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.KindInvalid {
			t.Fatalf("got %v, want invalid", err)
		}
		fields := map[string]bool{}
		for _, v := range e.Violations {
			fields[v.Field] = true
		}
		for _, want := range []string{"kind", "due_date", "period_end_date"} {
			if !fields[want] {
				t.Errorf("no violation for %s in %v", want, err)
			}
		}
		if list, _, _ := f.svc.List(ctx, milestone.Filter{}, pageAll); len(list) != 0 {
			t.Fatalf("%d milestones written by refused creates", len(list))
		}

		m, err := f.svc.Create(ctx, valid, "")
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != milestone.StatusDueSoon || m.Title != "Partner progress update" || m.Generated() {
			t.Fatalf("created: status %s title %q generated %v", m.Status, m.Title, m.Generated())
		}
		// An update that changes nothing of a hand-made milestone still
		// versions it; a hand-made milestone is never "edited".
		u, err := f.svc.Update(ctx, m.ID, milestone.Input{Title: "Q4 progress update"}, resource.Mask{"title"}, m.ETag())
		if err != nil || u.Edited || u.Version != 2 || u.Title != "Q4 progress update" {
			t.Fatalf("update: %v %+v", err, u)
		}
		if _, err := f.svc.Update(ctx, m.ID, milestone.Input{Title: "again"}, resource.Mask{"title"}, m.ETag()); !errs.Is(err, errs.KindAborted) {
			t.Fatalf("stale etag: %v", err)
		}
		// The etag is required.
		if _, err := f.svc.Update(ctx, m.ID, milestone.Input{Title: "again"}, resource.Mask{"title"}, ""); !errs.Is(err, errs.KindInvalid) ||
			!onlyViolation(err, "etag") {
			t.Fatalf("missing etag: %v", err)
		}
		if _, _, err := f.svc.ListDue(ctx, milestone.DueFilter{WithinDays: 0}, page.Request{}); !errs.Is(err, errs.KindInvalid) {
			t.Fatalf("ListDue without a window: %v", err)
		}
		due, _, err := f.svc.ListDue(ctx, milestone.DueFilter{WithinDays: 1, ExcludeOverdue: true}, page.Request{})
		if err != nil || len(due) != 1 || due[0].ID != m.ID {
			t.Fatalf("due today: %v %v", due, err)
		}
		// A minute later it is the 16th: the milestone is overdue.
		f.svc.SetClock(func() time.Time { return time.Date(2026, 1, 16, 0, 0, 30, 0, time.UTC) })
		due, _, err = f.svc.ListDue(ctx, milestone.DueFilter{WithinDays: 1, ExcludeOverdue: true}, page.Request{})
		if err != nil || len(due) != 0 {
			t.Fatalf("due on the 16th without overdue: %v %v", due, err)
		}
		got, err := f.svc.Get(ctx, m.ID)
		if err != nil || got.Status != milestone.StatusOverdue {
			t.Fatalf("on the 16th: %v %v", got, err)
		}
	})
}

// onlyViolation reports whether err is a domain error with exactly one
// field violation, on field.
func onlyViolation(err error, field string) bool {
	var de *errs.Error
	return errors.As(err, &de) && len(de.Violations) == 1 && de.Violations[0].Field == field
}
