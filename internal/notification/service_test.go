package notification_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/page"
)

// Notifications belong to users: the system (CLI commands, the demo seed)
// and anonymous callers have none and cannot change settings.
func TestOnlyUsersHaveNotifications(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		s := notification.NewService(d)
		for name, ctx := range map[string]context.Context{"system": actor.SystemContext(context.Background()), "anonymous": context.Background()} {
			if _, err := s.List(ctx, false, page.Request{}); !errs.Is(err, errs.KindUnauthorised) {
				t.Errorf("%s lists: %v", name, err)
			}
			if _, err := s.MarkRead(ctx, nil, true); !errs.Is(err, errs.KindUnauthorised) {
				t.Errorf("%s marks read: %v", name, err)
			}
			if _, _, err := s.GetSettings(ctx); !errs.Is(err, errs.KindUnauthorised) {
				t.Errorf("%s reads settings: %v", name, err)
			}
			if _, err := s.UpdateSettings(ctx, notification.Settings{Language: "en"}, notification.SettingsUpdatable); !errs.Is(err, errs.KindUnauthorised) {
				t.Errorf("%s updates settings: %v", name, err)
			}
		}
	})
}

// Items survive the round trip through the text column, on both databases.
func TestNotifyStoresItems(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		u, err := identity.NewService(d).CreateUser(ctx, identity.NewUser{Email: "ana@example.org", DisplayName: "Ana",
			Memberships: []identity.Membership{{Role: actor.RoleAdmin}}})
		if err != nil {
			t.Fatal(err)
		}
		items := []notification.Item{{Reason: notification.ReasonOverdue, MilestoneID: "m1", Title: "Q1 «update»", DueDate: "2026-01-01", DaysOverdue: 8, OrganisationID: "o1"}}
		// The actor is skipped, as are duplicates.
		if err := notification.Notify(ctx, d, []string{u.ID, u.ID, "actor"}, notification.KindUpdateApproved, items, "Well done", "actor"); err != nil {
			t.Fatal(err)
		}
		l, err := notification.NewService(d).List(actor.With(ctx, u.ToCaller()), false, page.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Notifications) != 1 || l.UnreadCount != 1 {
			t.Fatalf("%d notifications, %d unread", len(l.Notifications), l.UnreadCount)
		}
		if n := l.Notifications[0]; len(n.Items) != 1 || n.Items[0] != items[0] || n.Body != "Well done" || n.Kind != notification.KindUpdateApproved {
			t.Errorf("stored %+v", n)
		}
	})
}
