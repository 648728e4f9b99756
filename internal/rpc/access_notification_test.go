package rpc_test

import (
	"context"
	"slices"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, notificationMatrixCases) }

// notifyUser writes (as the system) one workflow notification to userID
// about partner B's milestone and returns its name.
func notifyUser(t *testing.T, f *fixture, userID string) string {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	err := notification.Notify(ctx, f.e.DB, []string{userID}, notification.KindUpdateReturned,
		[]notification.Item{{MilestoneID: id(f.mb), Title: "Update", OrganisationID: id(f.b)}}, "Please correct", "")
	if err != nil {
		t.Fatal(err)
	}
	var nid string
	if err := f.e.DB.NewSelect().Model((*notification.Notification)(nil)).Column("id").Where("user_id = ?", userID).
		OrderExpr("id DESC").Limit(1).Scan(ctx, &nid); err != nil {
		t.Fatal(err)
	}
	return "notifications/" + nid
}

// notificationMatrixCases: notifications and their settings are each
// user's own, whatever the role: everyone lists, marks and sets their own,
// and no one (an admin neither) reads or marks another user's (not found).
func notificationMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	// victim is another user, a partner viewer of B, with a notification.
	victim := func(t *testing.T, f *fixture) (*rpctest.Clients, string) {
		v := f.e.As(t, rpctest.Member(actor.RolePartnerViewer, id(f.b)))
		return v, notifyUser(t, f, v.UserID)
	}
	return map[string][]matrixCase{
		v1.NotificationServiceListNotificationsProcedure: {{what: "own only", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				_, theirs := victim(t, f)
				mine := notifyUser(t, f, c.UserID)
				res, err := c.Notifications.ListNotifications(ctx, connect.NewRequest(&pactumv1.ListNotificationsRequest{PageSize: 200}))
				if err != nil {
					return nil, err
				}
				names := noteNames(res.Msg.GetNotifications())
				if !slices.Contains(names, mine) || slices.Contains(names, theirs) {
					t.Errorf("users/%s lists %v: want %s and not %s", c.UserID, names, mine, theirs)
				}
				return names, nil
			}}},
		v1.NotificationServiceMarkNotificationsReadProcedure: {
			{what: "own", want: every(ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					mine := notifyUser(t, f, c.UserID)
					return noNames(c.Notifications.MarkNotificationsRead(ctx, connect.NewRequest(&pactumv1.MarkNotificationsReadRequest{Names: []string{mine}})))
				}},
			{what: "another user's", want: every(nf),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					v, theirs := victim(t, f)
					_, err := c.Notifications.MarkNotificationsRead(ctx, connect.NewRequest(&pactumv1.MarkNotificationsReadRequest{Names: []string{theirs}}))
					res := must(v.Notifications.ListNotifications(ctx, connect.NewRequest(&pactumv1.ListNotificationsRequest{})))
					if res.GetUnreadCount() != 1 {
						t.Errorf("users/%s marked another user's notification read", c.UserID)
					}
					return nil, err
				}},
			{what: "all of one's own", want: every(ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					v, _ := victim(t, f)
					_, err := c.Notifications.MarkNotificationsRead(ctx, connect.NewRequest(&pactumv1.MarkNotificationsReadRequest{All: true}))
					res := must(v.Notifications.ListNotifications(ctx, connect.NewRequest(&pactumv1.ListNotificationsRequest{})))
					if res.GetUnreadCount() != 1 {
						t.Errorf("users/%s's mark all marked another user's notification read", c.UserID)
					}
					return nil, err
				}},
		},
		v1.NotificationServiceGetNotificationSettingsProcedure: {{what: "own", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Notifications.GetNotificationSettings(ctx, connect.NewRequest(&pactumv1.GetNotificationSettingsRequest{})))
			}}},
		v1.NotificationServiceUpdateNotificationSettingsProcedure: {{what: "own", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				v, _ := victim(t, f)
				_, err := c.Notifications.UpdateNotificationSettings(ctx, connect.NewRequest(&pactumv1.UpdateNotificationSettingsRequest{
					Settings: &pactumv1.NotificationSettings{Language: "pt", EmailDigest: false}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"*"}}}))
				if err != nil {
					return nil, err
				}
				mine := must(c.Notifications.GetNotificationSettings(ctx, connect.NewRequest(&pactumv1.GetNotificationSettingsRequest{}))).GetSettings()
				theirs := must(v.Notifications.GetNotificationSettings(ctx, connect.NewRequest(&pactumv1.GetNotificationSettingsRequest{}))).GetSettings()
				if mine.GetLanguage() != "pt" || mine.GetEmailDigest() || theirs.GetLanguage() != "en" || !theirs.GetEmailDigest() {
					t.Errorf("users/%s's update: own %v, another user's %v", c.UserID, mine, theirs)
				}
				return nil, nil
			}}},
	}
}
