package rpc_test

import (
	"context"
	"slices"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/reminder"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func listNotes(t *testing.T, c *rpctest.Clients, req *pactumv1.ListNotificationsRequest) *pactumv1.ListNotificationsResponse {
	t.Helper()
	res, err := c.Notifications.ListNotifications(context.Background(), connect.NewRequest(req))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg
}

func noteNames(ns []*pactumv1.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.GetName())
	}
	return out
}

func markRead(c *rpctest.Clients, all bool, names ...string) (int32, error) {
	res, err := c.Notifications.MarkNotificationsRead(context.Background(), connect.NewRequest(&pactumv1.MarkNotificationsReadRequest{Names: names, All: all}))
	if err != nil {
		return 0, err
	}
	return res.Msg.GetUnreadCount(), nil
}

func TestNotificationsListAndMarkRead(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newMsWorld(t, e)
		m := must(e.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
			Grant: w.grant, Project: w.project, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_PARTNER_PROGRESS_UPDATE, Title: "Q1 update",
			DueDate: "2026-01-18", ResponsibleOrganisation: w.partner.GetName()}}))).GetMilestone()
		partner := msID(w.partner.GetName())
		alice := e.As(t, rpctest.Member(actor.RolePartnerEditor, partner))
		bob := e.As(t, rpctest.Member(actor.RolePartnerViewer, partner))
		coord := e.As(t, rpctest.Member(actor.RoleCoordinator, msID(w.lead.GetName())))
		coordName := must(e.Users.GetUser(ctx, connect.NewRequest(&pactumv1.GetUserRequest{Name: "users/" + coord.UserID}))).GetUser().GetDisplayName()

		// The day's digest (the milestone is due in 3 days), then two
		// workflow notifications to alice and one to bob.
		sys := actor.SystemContext(ctx)
		if res, err := reminder.Run(sys, e.DB, calendar.MustParse("2026-01-15"), nil, reminder.Options{}); err != nil || res.Digests != 2 {
			t.Fatalf("reminders: %+v %v", res, err)
		}
		item := []notification.Item{{MilestoneID: msID(m.GetName()), Title: "Q1 update", OrganisationID: partner}}
		for _, n := range []struct {
			to   *rpctest.Clients
			kind notification.Kind
		}{{alice, notification.KindUpdateReturned}, {bob, notification.KindUpdateReturned}, {alice, notification.KindUpdateApproved}} {
			if err := notification.Notify(sys, e.DB, []string{n.to.UserID}, n.kind, item, "Please add the figures", coord.UserID); err != nil {
				t.Fatal(err)
			}
		}

		all := listNotes(t, alice, &pactumv1.ListNotificationsRequest{})
		ns := all.GetNotifications()
		if len(ns) != 3 || all.GetUnreadCount() != 3 || all.GetNextPageToken() != "" {
			t.Fatalf("alice's notifications: %v (unread %d)", ns, all.GetUnreadCount())
		}
		if got := []pactumv1.NotificationKind{ns[0].GetKind(), ns[1].GetKind(), ns[2].GetKind()}; !slices.Equal(got, []pactumv1.NotificationKind{
			pactumv1.NotificationKind_NOTIFICATION_KIND_UPDATE_APPROVED, pactumv1.NotificationKind_NOTIFICATION_KIND_UPDATE_RETURNED,
			pactumv1.NotificationKind_NOTIFICATION_KIND_REMINDER_DIGEST}) {
			t.Errorf("not newest first: %v", got)
		}
		digest := ns[2]
		if digest.GetDigestDate() != "2026-01-15" || len(digest.GetItems()) != 1 || digest.GetReadTime() != nil || digest.GetEmailTime() != nil {
			t.Errorf("digest %v", digest)
		} else if it := digest.GetItems()[0]; it.GetReason() != pactumv1.ReminderReason_REMINDER_REASON_DUE_IN_3_DAYS || it.GetMilestone() != m.GetName() ||
			it.GetTitle() != "Q1 update" || it.GetDueDate() != "2026-01-18" || it.GetOrganisation() != w.partner.GetName() ||
			it.GetOrganisationDisplayName() != "Kenya Domestic Workers Union" || it.GetProgressUpdate() != "" {
			t.Errorf("digest item %v", it)
		}
		returned := ns[1]
		if returned.GetBody() != "Please add the figures" || returned.GetActorDisplayName() != coordName || coordName == "" ||
			returned.GetDigestDate() != "" || returned.GetCreateTime() == nil {
			t.Errorf("returned %v (actor %q)", returned, coordName)
		}

		// Pages of two, then one.
		p1 := listNotes(t, alice, &pactumv1.ListNotificationsRequest{PageSize: 2})
		if p1.GetNextPageToken() == "" || len(p1.GetNotifications()) != 2 {
			t.Fatalf("first page %v", p1)
		}
		p2 := listNotes(t, alice, &pactumv1.ListNotificationsRequest{PageSize: 2, PageToken: p1.GetNextPageToken()})
		if p2.GetNextPageToken() != "" || !slices.Equal(append(noteNames(p1.GetNotifications()), noteNames(p2.GetNotifications())...), noteNames(ns)) {
			t.Errorf("pages %v + %v, want %v", noteNames(p1.GetNotifications()), noteNames(p2.GetNotifications()), noteNames(ns))
		}
		_, err := alice.Notifications.ListNotifications(ctx, connect.NewRequest(&pactumv1.ListNotificationsRequest{PageSize: 2, PageToken: p1.GetNextPageToken(), UnreadOnly: true}))
		if rpctest.Code(err) != connect.CodeInvalidArgument || rpctest.Violations(err)["page_token"] == "" {
			t.Errorf("a token with another filter: %v", err)
		}

		// Bob sees only his own; neither sees the other's.
		bobs := listNotes(t, bob, &pactumv1.ListNotificationsRequest{})
		if len(bobs.GetNotifications()) != 2 || bobs.GetUnreadCount() != 2 {
			t.Errorf("bob's notifications: %v", bobs.GetNotifications())
		}
		for _, n := range bobs.GetNotifications() {
			if slices.Contains(noteNames(ns), n.GetName()) {
				t.Errorf("%s is both alice's and bob's", n.GetName())
			}
		}
		coords := listNotes(t, coord, &pactumv1.ListNotificationsRequest{})
		if len(coords.GetNotifications()) != 0 || coords.GetUnreadCount() != 0 {
			t.Errorf("the coordinator sees %v", coords.GetNotifications())
		}

		// Marking read.
		if left, err := markRead(alice, false, returned.GetName()); err != nil || left != 2 {
			t.Errorf("mark one read: %d %v", left, err)
		}
		unread := listNotes(t, alice, &pactumv1.ListNotificationsRequest{UnreadOnly: true})
		if got := noteNames(unread.GetNotifications()); !slices.Equal(got, []string{ns[0].GetName(), ns[2].GetName()}) || unread.GetUnreadCount() != 2 {
			t.Errorf("unread: %v (%d)", got, unread.GetUnreadCount())
		}
		if r := listNotes(t, alice, &pactumv1.ListNotificationsRequest{}).GetNotifications()[1]; r.GetReadTime() == nil {
			t.Error("the notification marked read has no read_time")
		}
		if left, err := markRead(alice, false, returned.GetName()); err != nil || left != 2 {
			t.Errorf("marking it again: %d %v", left, err)
		}
		bobsName := bobs.GetNotifications()[0].GetName()
		if _, err := markRead(alice, false, bobsName); rpctest.Code(err) != connect.CodeNotFound {
			t.Errorf("alice marks bob's: %v", err)
		}
		if _, err := markRead(&e.Clients, false, bobsName); rpctest.Code(err) != connect.CodeNotFound {
			t.Errorf("an admin marks bob's: %v", err)
		}
		if _, err := markRead(alice, false, ns[0].GetName(), bobsName); rpctest.Code(err) != connect.CodeNotFound {
			t.Errorf("alice marks hers and bob's: %v", err)
		}
		if got := listNotes(t, alice, &pactumv1.ListNotificationsRequest{}).GetUnreadCount(); got != 2 {
			t.Errorf("a refused request marked something: %d unread", got)
		}
		if left, err := markRead(alice, true); err != nil || left != 0 {
			t.Errorf("mark all: %d %v", left, err)
		}
		if got := listNotes(t, bob, &pactumv1.ListNotificationsRequest{}).GetUnreadCount(); got != 2 {
			t.Errorf("bob's unread after alice's mark all: %d", got)
		}
		for _, bad := range [][]string{nil, {"milestones/x"}, {"notifications/"}} {
			if _, err := markRead(alice, false, bad...); rpctest.Code(err) != connect.CodeInvalidArgument {
				t.Errorf("mark %v: %v", bad, err)
			}
		}
		if _, err := alice.Notifications.ListNotifications(ctx, connect.NewRequest(&pactumv1.ListNotificationsRequest{PageSize: -1})); rpctest.Code(err) != connect.CodeInvalidArgument {
			t.Errorf("negative page size: %v", err)
		}
	})
}

func TestNotificationSettings(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		org := createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
		alice := e.As(t, rpctest.Member(actor.RolePartnerEditor, msID(org.GetName())))
		bob := e.As(t, rpctest.Member(actor.RolePartnerViewer, msID(org.GetName())))
		get := func(c *rpctest.Clients) *pactumv1.GetNotificationSettingsResponse {
			t.Helper()
			return must(c.Notifications.GetNotificationSettings(ctx, connect.NewRequest(&pactumv1.GetNotificationSettingsRequest{})))
		}
		update := func(c *rpctest.Clients, s *pactumv1.NotificationSettings, paths ...string) (*pactumv1.NotificationSettings, error) {
			req := &pactumv1.UpdateNotificationSettingsRequest{Settings: s}
			if paths != nil {
				req.UpdateMask = &fieldmaskpb.FieldMask{Paths: paths}
			}
			res, err := c.Notifications.UpdateNotificationSettings(ctx, connect.NewRequest(req))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetSettings(), nil
		}
		if g := get(alice); !g.GetSettings().GetEmailDigest() || g.GetSettings().GetLanguage() != "en" || g.GetEmailAvailable() {
			t.Errorf("defaults %v", g)
		}
		e.Services.Notifications.SetEmailAvailable(true)
		if !get(alice).GetEmailAvailable() {
			t.Error("email_available is false with a sender")
		}
		// An empty mask changes the fields set: false is not set, so the
		// digest stays on (AIP-134); naming it turns it off.
		s, err := update(bob, &pactumv1.NotificationSettings{Language: "es", EmailDigest: false})
		if err != nil || s.GetLanguage() != "es" || !s.GetEmailDigest() {
			t.Fatalf("update with an empty mask: %v %v", s, err)
		}
		if s, err := update(bob, &pactumv1.NotificationSettings{EmailDigest: false}, "email_digest"); err != nil || s.GetLanguage() != "es" || s.GetEmailDigest() {
			t.Fatalf("update of email_digest alone: %v %v", s, err)
		}
		if _, err := update(bob, &pactumv1.NotificationSettings{Language: "en", EmailDigest: true}, "email_digest", "language"); err != nil {
			t.Fatal(err)
		}
		if _, err := update(bob, &pactumv1.NotificationSettings{Language: "fr"}, "display_name"); rpctest.Code(err) != connect.CodeInvalidArgument {
			t.Errorf("update_mask naming no setting: %v", err)
		}
		s, err = update(alice, &pactumv1.NotificationSettings{Language: "fr", EmailDigest: false}, "*")
		if err != nil || s.GetLanguage() != "fr" || s.GetEmailDigest() {
			t.Fatalf("update: %v %v", s, err)
		}
		if g := get(alice).GetSettings(); g.GetLanguage() != "fr" || g.GetEmailDigest() {
			t.Errorf("alice after update: %v", g)
		}
		if g := get(bob).GetSettings(); g.GetLanguage() != "en" || !g.GetEmailDigest() {
			t.Errorf("bob after alice's update: %v", g)
		}
		events := func() []*pactumv1.AuditEvent {
			return must(e.Audit.ListAuditEvents(ctx, connect.NewRequest(&pactumv1.ListAuditEventsRequest{Resource: "users/" + alice.UserID}))).GetAuditEvents()
		}
		var found bool
		for _, ev := range events() {
			if ev.GetAction() == "update" && ev.GetActor() == "users/"+alice.UserID {
				changes := map[string]string{}
				for _, c := range ev.GetChanges() {
					changes[c.GetField()] = c.GetOldValue() + ">" + c.GetNewValue()
				}
				found = changes["language"] == ">fr" && changes["email_digest"] == "true>false"
			}
		}
		if !found {
			t.Errorf("no audit event of the change: %v", events())
		}
		before := len(events())
		if _, err := update(alice, &pactumv1.NotificationSettings{Language: "fr", EmailDigest: false}, "*"); err != nil || len(events()) != before {
			t.Errorf("an update changing nothing: %v, %d events then %d", err, before, len(events()))
		}
		for _, bad := range []*pactumv1.NotificationSettings{nil, {Language: "de"}, {Language: ""}} {
			if _, err := update(alice, bad); rpctest.Code(err) != connect.CodeInvalidArgument {
				t.Errorf("update %v: %v", bad, err)
			}
		}
		if g := get(alice).GetSettings(); g.GetLanguage() != "fr" {
			t.Errorf("a refused update changed the language: %v", g)
		}
	})
}
