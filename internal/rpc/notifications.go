package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// notificationServer maps NotificationService to the notification package:
// the caller's own notifications and settings.
type notificationServer struct {
	svc *notification.Service
}

var notificationKindToProto = map[notification.Kind]pactumv1.NotificationKind{
	notification.KindReminderDigest:  pactumv1.NotificationKind_NOTIFICATION_KIND_REMINDER_DIGEST,
	notification.KindUpdateSubmitted: pactumv1.NotificationKind_NOTIFICATION_KIND_UPDATE_SUBMITTED,
	notification.KindUpdateReturned:  pactumv1.NotificationKind_NOTIFICATION_KIND_UPDATE_RETURNED,
	notification.KindUpdateApproved:  pactumv1.NotificationKind_NOTIFICATION_KIND_UPDATE_APPROVED,
	notification.KindUpdateCommented: pactumv1.NotificationKind_NOTIFICATION_KIND_UPDATE_COMMENTED,
}

var reminderReasonToProto = map[notification.Reason]pactumv1.ReminderReason{
	notification.ReasonDueIn14Days:    pactumv1.ReminderReason_REMINDER_REASON_DUE_IN_14_DAYS,
	notification.ReasonDueIn3Days:     pactumv1.ReminderReason_REMINDER_REASON_DUE_IN_3_DAYS,
	notification.ReasonOverdue:        pactumv1.ReminderReason_REMINDER_REASON_OVERDUE,
	notification.ReasonAwaitingReview: pactumv1.ReminderReason_REMINDER_REASON_AWAITING_REVIEW,
}

func notificationToProto(n *notification.Notification, l *notification.Listed) *pactumv1.Notification {
	out := &pactumv1.Notification{
		Name: n.Name(), Kind: notificationKindToProto[n.Kind], Body: n.Body,
		ActorDisplayName: l.ActorNames[n.ActorID], CreateTime: timestamppb.New(n.CreateTime),
	}
	if n.DigestDate != nil {
		out.DigestDate = *n.DigestDate
	}
	if n.ReadTime != nil {
		out.ReadTime = timestamppb.New(*n.ReadTime)
	}
	if n.EmailTime != nil {
		out.EmailTime = timestamppb.New(*n.EmailTime)
	}
	for _, it := range n.Items {
		item := &pactumv1.NotificationItem{
			Reason: reminderReasonToProto[it.Reason], Title: it.Title, DueDate: it.DueDate, DaysOverdue: int32(it.DaysOverdue),
			OrganisationDisplayName: l.OrganisationNames[it.OrganisationID],
		}
		if it.MilestoneID != "" {
			item.Milestone = resource.Name("milestones", it.MilestoneID)
		}
		if it.ProgressUpdateID != "" {
			item.ProgressUpdate = resource.Name("progressUpdates", it.ProgressUpdateID)
		}
		if it.OrganisationID != "" {
			item.Organisation = resource.Name("organisations", it.OrganisationID)
		}
		out.Items = append(out.Items, item)
	}
	return out
}

func (s *notificationServer) ListNotifications(ctx context.Context, req *connect.Request[pactumv1.ListNotificationsRequest]) (*connect.Response[pactumv1.ListNotificationsResponse], error) {
	m := req.Msg
	l, err := s.svc.List(ctx, m.GetUnreadOnly(), page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListNotificationsResponse{NextPageToken: l.NextPageToken, UnreadCount: int32(l.UnreadCount)}
	for _, n := range l.Notifications {
		out.Notifications = append(out.Notifications, notificationToProto(n, l))
	}
	return connect.NewResponse(out), nil
}

func (s *notificationServer) MarkNotificationsRead(ctx context.Context, req *connect.Request[pactumv1.MarkNotificationsReadRequest]) (*connect.Response[pactumv1.MarkNotificationsReadResponse], error) {
	var ids []string
	for _, name := range req.Msg.GetNames() {
		id, err := resource.ParseName(resource.Notifications, name, "names")
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	left, err := s.svc.MarkRead(ctx, ids, req.Msg.GetAll())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.MarkNotificationsReadResponse{UnreadCount: int32(left)}), nil
}

func (s *notificationServer) GetNotificationSettings(ctx context.Context, _ *connect.Request[pactumv1.GetNotificationSettingsRequest]) (*connect.Response[pactumv1.GetNotificationSettingsResponse], error) {
	st, email, err := s.svc.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetNotificationSettingsResponse{
		Settings: &pactumv1.NotificationSettings{EmailDigest: st.EmailDigest, Language: st.Language}, EmailAvailable: email}), nil
}

func (s *notificationServer) UpdateNotificationSettings(ctx context.Context, req *connect.Request[pactumv1.UpdateNotificationSettingsRequest]) (*connect.Response[pactumv1.UpdateNotificationSettingsResponse], error) {
	in := req.Msg.GetSettings()
	mask, err := updateMask(in, req.Msg.GetUpdateMask(), notification.SettingsUpdatable)
	if err != nil {
		return nil, err
	}
	st, err := s.svc.UpdateSettings(ctx, notification.Settings{EmailDigest: in.GetEmailDigest(), Language: in.GetLanguage()}, mask)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateNotificationSettingsResponse{
		Settings: &pactumv1.NotificationSettings{EmailDigest: st.EmailDigest, Language: st.Language}}), nil
}
