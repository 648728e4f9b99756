package milestone_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/resource"
)

// events returns the audit events after seq, oldest first.
func events(t *testing.T, d *bun.DB, after int64) []audit.Event {
	t.Helper()
	var out []audit.Event
	if err := d.NewSelect().Model(&out).Where("seq > ?", after).OrderExpr("seq ASC").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

func lastSeq(evs []audit.Event, before int64) int64 {
	if len(evs) == 0 {
		return before
	}
	return evs[len(evs)-1].Seq
}

// TestMilestoneSyncRecordsEvents checks that generation leaves one event per
// milestone it creates, moves or removes, in the grant's trail, by the caller
// of the grant's change, and none for what it leaves alone.
func TestMilestoneSyncRecordsEvents(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		user := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u1",
			Memberships: []actor.Membership{{OrganisationID: f.lead, Role: actor.RoleCoordinator}}})
		sync := func(s milestone.GrantSchedule) {
			t.Helper()
			f.setGrant(t, s)
			if err := d.RunInTx(user, nil, func(ctx context.Context, tx bun.Tx) error {
				return milestone.SyncGenerated(ctx, tx, s)
			}); err != nil {
				t.Fatal(err)
			}
		}
		check := func(ev audit.Event, action string) map[string]audit.Change {
			t.Helper()
			if ev.Action != action || ev.Actor != "users/u1" || ev.GrantID == nil || *ev.GrantID != f.grant {
				t.Errorf("event %d: %s by %s on grant %v, want %s by users/u1 on %s", ev.Seq, ev.Action, ev.Actor, ev.GrantID, action, f.grant)
			}
			out := map[string]audit.Change{}
			for _, c := range ev.ChangeList() {
				out[c.Field] = c
			}
			return out
		}

		start := lastSeq(events(t, d, 0), 0) // the fixture's organisations
		s := example36(f.grant, f.lead)
		sync(s)
		evs := events(t, d, start)
		if len(evs) != len(want36) {
			t.Fatalf("%d events for %d generated milestones", len(evs), len(want36))
		}
		ms := f.generated(t)
		for _, ev := range evs {
			c := check(ev, "generate")
			m := ms[c["generator_key"].New]
			if m == nil || ev.Resource != m.Name() || c["due_date"].Old != "" || c["due_date"].New != m.DueDate.String() {
				t.Errorf("generate event %s: %v", ev.Resource, ev.ChangeList())
			}
		}
		seq := lastSeq(evs, start)

		// The same schedule again: nothing written, nothing recorded.
		sync(s)
		if evs := events(t, d, seq); len(evs) != 0 {
			t.Fatalf("an identical sync recorded %d events", len(evs))
		}

		// A user edits the final narrative report (an event of the user's,
		// through the service); generation then leaves it alone.
		if _, err := f.svc.Update(user, ms["final_narrative"].ID, milestone.Input{Title: "Final narrative report (EN)"},
			resource.Mask{"title"}, ms["final_narrative"].ETag()); err != nil {
			t.Fatal(err)
		}
		seq = lastSeq(events(t, d, seq), seq)

		// A year shorter: the untouched final financial report and the
		// verification move, the second period's interim reports go.
		shorter := s
		shorter.End = day("2026-12-31")
		sync(shorter)
		evs = events(t, d, seq)
		got := map[string]string{}
		for _, ev := range evs {
			var key string
			for k, m := range ms {
				if m.Name() == ev.Resource {
					key = k
				}
			}
			got[key] = ev.Action
			c := check(ev, ev.Action)
			switch ev.Action {
			case "regenerate":
				if c["due_date"].Old != "2028-03-31" || c["due_date"].New != "2027-03-31" ||
					c["period_end_date"].New != "2026-12-31" || len(c) != 2 {
					t.Errorf("%s regenerated with %v", key, ev.ChangeList())
				}
			case "delete":
				if c["generator_key"].Old != key || c["generator_key"].New != "" || c["due_date"].Old != "2027-03-01" {
					t.Errorf("%s deleted with %v", key, ev.ChangeList())
				}
			}
		}
		want := map[string]string{
			"final_financial": "regenerate", "expenditure_verification": "regenerate",
			"interim_narrative:2": "delete", "interim_financial:2": "delete",
		}
		if len(got) != len(want) || len(evs) != len(want) {
			t.Errorf("shortening recorded %v, want %v", got, want)
		}
		for k, a := range want {
			if got[k] != a {
				t.Errorf("%s: recorded %q, want %q", k, got[k], a)
			}
		}
		if res, err := audit.Verify(context.Background(), d, dbtest.AuditKey, nil); err != nil || !res.OK() {
			t.Fatalf("audit chain: %+v %v", res, err)
		}
	})
}
