package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// activityServer maps ActivityService to the activity package.
type activityServer struct {
	svc *activity.Service
}

var activityTypeToProto = map[activity.Type]pactumv1.ActivityType{
	activity.TypeTraining:        pactumv1.ActivityType_ACTIVITY_TYPE_TRAINING,
	activity.TypeWorkshop:        pactumv1.ActivityType_ACTIVITY_TYPE_WORKSHOP,
	activity.TypeCampaign:        pactumv1.ActivityType_ACTIVITY_TYPE_CAMPAIGN,
	activity.TypeAdvocacyMeeting: pactumv1.ActivityType_ACTIVITY_TYPE_ADVOCACY_MEETING,
	activity.TypeResearch:        pactumv1.ActivityType_ACTIVITY_TYPE_RESEARCH,
	activity.TypePublication:     pactumv1.ActivityType_ACTIVITY_TYPE_PUBLICATION,
	activity.TypeOther:           pactumv1.ActivityType_ACTIVITY_TYPE_OTHER,
}

var activityTypeFromProto = reverse(activityTypeToProto)

func activityToProto(a *activity.Activity) *pactumv1.Activity {
	out := &pactumv1.Activity{
		Name: a.Name(), Title: a.Title, Type: activityTypeToProto[a.Type], StartDate: a.StartDate.String(), EndDate: a.EndDate.String(),
		CountryCode: a.CountryCode, Place: a.Place, Description: a.Description,
		Participants: &pactumv1.Participants{Women: int32(a.Women), Men: int32(a.Men), OtherOrNotStated: int32(a.OtherOrNotStated),
			Total: int32(a.Participants())},
		CreateTime: timestamppb.New(a.CreateTime), UpdateTime: timestamppb.New(a.UpdateTime), Etag: a.ETag(),
	}
	for _, g := range a.ParticipantsByAge {
		out.ParticipantsByAge = append(out.ParticipantsByAge, &pactumv1.AgeGroupCount{AgeGroup: g.AgeGroup, Count: int32(g.Count)})
	}
	for _, id := range a.OutputIDs {
		out.Outputs = append(out.Outputs, results.ResultName(a.ProjectID, id))
	}
	for _, id := range a.IndicatorIDs {
		out.Indicators = append(out.Indicators, results.IndicatorName(a.ProjectID, id))
	}
	return out
}

func activityFromProto(p *pactumv1.Activity, projectID string) (activity.Input, error) {
	var v errs.Violations
	in := activity.Input{
		Title: p.GetTitle(), Type: activityTypeFromProto[p.GetType()], StartDate: p.GetStartDate(), EndDate: p.GetEndDate(),
		CountryCode: p.GetCountryCode(), Place: p.GetPlace(), Description: p.GetDescription(),
		Women: int(p.GetParticipants().GetWomen()), Men: int(p.GetParticipants().GetMen()), Other: int(p.GetParticipants().GetOtherOrNotStated()),
		OutputIDs:    childIDs(&v, p.GetOutputs(), projectID, "results", "outputs"),
		IndicatorIDs: childIDs(&v, p.GetIndicators(), projectID, "indicators", "indicators"),
	}
	for _, g := range p.GetParticipantsByAge() {
		in.ParticipantsByAge = append(in.ParticipantsByAge, activity.AgeGroup{AgeGroup: g.GetAgeGroup(), Count: int(g.GetCount())})
	}
	return in, v.Err()
}

func (s *activityServer) ListActivities(ctx context.Context, req *connect.Request[pactumv1.ListActivitiesRequest]) (*connect.Response[pactumv1.ListActivitiesResponse], error) {
	m := req.Msg
	f := activity.Filter{CountryCode: m.GetCountryCode(), Type: activityTypeFromProto[m.GetType()], From: m.GetStartDate(), To: m.GetEndDate(),
		NewestFirst: m.GetOrderBy() == "start_date desc"}
	if m.GetParent() != "projects/-" {
		pid, err := resource.ParseName(resource.Projects, m.GetParent(), "parent")
		if err != nil {
			return nil, err
		}
		f.ProjectID = pid
	}
	if m.GetGrant() != "" {
		gid, err := resource.ParseName(resource.Grants, m.GetGrant(), "grant")
		if err != nil {
			return nil, err
		}
		f.GrantID = gid
	}
	list, next, t, err := s.svc.List(ctx, f, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListActivitiesResponse{NextPageToken: next, TotalSize: count32(t.Activities),
		ParticipantTotals: &pactumv1.Participants{Women: count32(t.Women), Men: count32(t.Men), OtherOrNotStated: count32(t.OtherOrNotStated),
			Total: count32(t.Women + t.Men + t.OtherOrNotStated)},
		ParticipantsWithoutAge: count32(t.NotByAge)}
	for _, g := range t.ByAge {
		out.ParticipantsByAgeTotals = append(out.ParticipantsByAgeTotals, &pactumv1.AgeGroupCount{AgeGroup: g.AgeGroup, Count: count32(g.Count)})
	}
	if out.Activities, err = s.toProto(ctx, list...); err != nil {
		return nil, err
	}
	return connect.NewResponse(out), nil
}

func (s *activityServer) GetActivity(ctx context.Context, req *connect.Request[pactumv1.GetActivityRequest]) (*connect.Response[pactumv1.GetActivityResponse], error) {
	pid, id, err := resource.ParseProjectChild(req.Msg.GetName(), "activities", "name")
	if err != nil {
		return nil, err
	}
	a, err := s.svc.Get(ctx, pid, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, a)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetActivityResponse{Activity: ps[0]}), nil
}

func (s *activityServer) CreateActivity(ctx context.Context, req *connect.Request[pactumv1.CreateActivityRequest]) (*connect.Response[pactumv1.CreateActivityResponse], error) {
	pid, err := resource.ParseName(resource.Projects, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in, err := activityFromProto(req.Msg.GetActivity(), pid)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "activity.")
	}
	a, err := s.svc.Create(ctx, pid, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "activity.")
	}
	ps, err := s.toProto(ctx, a)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateActivityResponse{Activity: ps[0]}), nil
}

func (s *activityServer) UpdateActivity(ctx context.Context, req *connect.Request[pactumv1.UpdateActivityRequest]) (*connect.Response[pactumv1.UpdateActivityResponse], error) {
	p := req.Msg.GetActivity()
	pid, id, err := resource.ParseProjectChild(p.GetName(), "activities", "activity.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), activity.Updatable)
	if err != nil {
		return nil, err
	}
	in, err := activityFromProto(p, pid)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "activity.")
	}
	a, err := s.svc.Update(ctx, pid, id, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "activity.")
	}
	ps, err := s.toProto(ctx, a)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateActivityResponse{Activity: ps[0]}), nil
}

// toProto maps xs, with what the caller in ctx may do with each.
func (s *activityServer) toProto(ctx context.Context, xs ...*activity.Activity) ([]*pactumv1.Activity, error) {
	rs, err := s.svc.Rights(ctx, xs...)
	if err != nil {
		return nil, err
	}
	out := make([]*pactumv1.Activity, len(xs))
	for i, x := range xs {
		p := activityToProto(x)
		p.CallerCanUpdate = rs[i]
		p.Attachments = attachmentsToProto(x.Attachments, rs[i])
		out[i] = p
	}
	return out, nil
}
