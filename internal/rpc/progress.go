package rpc

import (
	"context"
	"errors"
	"strconv"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// progressServer maps ProgressUpdateService to the progress package.
type progressServer struct {
	svc *progress.Service
}

var progressStateToProto = map[progress.State]pactumv1.ProgressUpdateState{
	progress.StateDraft:       pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_DRAFT,
	progress.StateSubmitted:   pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_SUBMITTED,
	progress.StateReturned:    pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_RETURNED,
	progress.StateResubmitted: pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_RESUBMITTED,
	progress.StateApproved:    pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_APPROVED,
}

var progressStateFromProto = reverse(progressStateToProto)

var commentKindToProto = map[progress.CommentKind]pactumv1.CommentKind{
	progress.CommentPlain:    pactumv1.CommentKind_COMMENT_KIND_COMMENT,
	progress.CommentReturn:   pactumv1.CommentKind_COMMENT_KIND_RETURN,
	progress.CommentApproval: pactumv1.CommentKind_COMMENT_KIND_APPROVAL,
}

// progressToProto maps an update; list items leave out the narrative
// sections, values, activities and attachments.
func progressToProto(u *progress.Update, detail bool) *pactumv1.ProgressUpdate {
	out := &pactumv1.ProgressUpdate{
		Name:                    u.Name(),
		Milestone:               resource.Name(resource.Milestones, u.MilestoneID),
		Grant:                   resource.Name(resource.Grants, u.GrantID),
		Project:                 refName(resource.Projects, u.ProjectID),
		Organisation:            resource.Name(resource.Organisations, u.OrganisationID),
		Title:                   u.Title,
		PeriodStartDate:         u.PeriodStart.String(),
		PeriodEndDate:           u.PeriodEnd.String(),
		DueDate:                 u.DueDate.String(),
		ReportingPeriod:         int32(u.ReportingPeriod),
		State:                   progressStateToProto[u.State],
		SubmissionCount:         int32(u.SubmissionCount),
		SubmitTime:              optionalTime(u.SubmitTime),
		ReturnTime:              optionalTime(u.ReturnTime),
		ApproveTime:             optionalTime(u.ApproveTime),
		Late:                    u.Late,
		CallerCanEdit:           u.CallerCanEdit,
		CallerCanReview:         u.CallerCanReview,
		CreateTime:              timestamppb.New(u.CreateTime),
		UpdateTime:              timestamppb.New(u.UpdateTime),
		Etag:                    u.ETag(),
		OrganisationDisplayName: u.OrganisationDisplayName,
		ProjectDisplayName:      u.ProjectDisplayName(),
		CallerWrites:            u.CallerWrites,
		ReturnComment:           u.ReturnComment,
		TitleGenerated:          u.TitleGenerated(),
	}
	if !detail {
		return out
	}
	out.Achievements, out.Challenges, out.ChangesToPlans = u.Achievements, u.Challenges, u.ChangesToPlans
	out.LessonsLearned, out.NextSteps = u.LessonsLearned, u.NextSteps
	for _, iv := range u.IndicatorValues {
		p := &pactumv1.IndicatorValue{Indicator: results.IndicatorName(u.ProjectID, iv.IndicatorID), Value: iv.Value, Evidence: iv.Evidence}
		for _, dv := range iv.DisaggregatedValues {
			p.DisaggregatedValues = append(p.DisaggregatedValues, &pactumv1.DisaggregatedValue{
				Disaggregation: dv.Disaggregation, Category: dv.Category, Value: dv.Value})
		}
		for _, m := range iv.Mismatched {
			p.MismatchedDisaggregations = append(p.MismatchedDisaggregations, m.Disaggregation)
		}
		out.IndicatorValues = append(out.IndicatorValues, p)
	}
	for _, id := range u.ActivityIDs {
		out.Activities = append(out.Activities, resource.Name(resource.Projects, u.ProjectID)+"/activities/"+id)
	}
	out.Attachments = attachmentsToProto(u.Attachments, u.CallerCanEdit)
	for _, sg := range u.Suggestions {
		p := &pactumv1.IndicatorSuggestion{
			Indicator: results.IndicatorName(u.ProjectID, sg.IndicatorID),
			Value:     strconv.Itoa(sg.Total()),
			Participants: &pactumv1.Participants{Women: int32(sg.Women), Men: int32(sg.Men),
				OtherOrNotStated: int32(sg.Other), Total: int32(sg.Total())},
			Linked: sg.Linked,
		}
		for _, g := range sg.ByAge {
			p.ParticipantsByAge = append(p.ParticipantsByAge, &pactumv1.AgeGroupCount{AgeGroup: g.AgeGroup, Count: int32(g.Count)})
		}
		for _, dv := range sg.DisaggregatedValues {
			p.DisaggregatedValues = append(p.DisaggregatedValues, &pactumv1.DisaggregatedValue{
				Disaggregation: dv.Disaggregation, Category: dv.Category, Value: dv.Value})
		}
		for _, id := range sg.ActivityIDs {
			p.Activities = append(p.Activities, resource.Name(resource.Projects, u.ProjectID)+"/activities/"+id)
		}
		out.IndicatorSuggestions = append(out.IndicatorSuggestions, p)
	}
	return out
}

// progressFromProto maps the writable fields of an update to the domain's
// input.
func progressFromProto(p *pactumv1.ProgressUpdate) progress.Input {
	in := progress.Input{
		Achievements: p.GetAchievements(), Challenges: p.GetChallenges(), ChangesToPlans: p.GetChangesToPlans(),
		LessonsLearned: p.GetLessonsLearned(), NextSteps: p.GetNextSteps(), Activities: p.GetActivities(),
	}
	for _, iv := range p.GetIndicatorValues() {
		v := progress.ValueInput{Indicator: iv.GetIndicator(), Value: iv.GetValue(), Evidence: iv.GetEvidence()}
		for _, dv := range iv.GetDisaggregatedValues() {
			v.DisaggregatedValues = append(v.DisaggregatedValues, results.DisaggregatedValue{
				Disaggregation: dv.GetDisaggregation(), Category: dv.GetCategory(), Value: dv.GetValue()})
		}
		in.IndicatorValues = append(in.IndicatorValues, v)
	}
	return in
}

func commentToProto(c *progress.Comment) *pactumv1.ProgressUpdateComment {
	return &pactumv1.ProgressUpdateComment{
		Name: c.Name(), Body: c.Body, Kind: commentKindToProto[c.Kind], Author: refName(resource.Users, c.AuthorID),
		AuthorDisplayName: c.AuthorDisplayName, AuthorOrganisationDisplayName: c.AuthorOrganisationDisplayName,
		CreateTime: timestamppb.New(c.CreateTime),
	}
}

func (s *progressServer) ListProgressUpdates(ctx context.Context, req *connect.Request[pactumv1.ListProgressUpdatesRequest]) (*connect.Response[pactumv1.ListProgressUpdatesResponse], error) {
	m := req.Msg
	var v errs.Violations
	ref := func(collection, name, field string) string {
		id, err := milestoneRefID(collection, name, field)
		if err != nil {
			v.Add(field, "must be a resource name of the form %s/{id}, got %q", collection, name)
		}
		return id
	}
	f := progress.Filter{
		GrantID:        ref(resource.Grants, m.GetGrant(), "grant"),
		ProjectID:      ref(resource.Projects, m.GetProject(), "project"),
		OrganisationID: ref(resource.Organisations, m.GetOrganisation(), "organisation"),
		State:          progressStateFromProto[m.GetState()],
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	list, next, err := s.svc.List(ctx, f, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListProgressUpdatesResponse{NextPageToken: next}
	for _, u := range list {
		out.ProgressUpdates = append(out.ProgressUpdates, progressToProto(u, false))
	}
	return connect.NewResponse(out), nil
}

func (s *progressServer) GetProgressUpdate(ctx context.Context, req *connect.Request[pactumv1.GetProgressUpdateRequest]) (*connect.Response[pactumv1.GetProgressUpdateResponse], error) {
	id, err := resource.ParseName(resource.ProgressUpdates, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	u, err := s.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetProgressUpdateResponse{ProgressUpdate: progressToProto(u, true)}), nil
}

func (s *progressServer) CreateProgressUpdate(ctx context.Context, req *connect.Request[pactumv1.CreateProgressUpdateRequest]) (*connect.Response[pactumv1.CreateProgressUpdateResponse], error) {
	p := req.Msg.GetProgressUpdate()
	if p.GetMilestone() == "" {
		return nil, errs.Invalid(errs.FieldViolation{Field: "progress_update.milestone",
			Description: "is required: the partner progress update milestone (milestones/{id}) the update reports on"})
	}
	mid, err := resource.ParseName(resource.Milestones, p.GetMilestone(), "progress_update.milestone")
	if err != nil {
		return nil, err
	}
	u, err := s.svc.Create(ctx, mid, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "progress_update.")
	}
	return connect.NewResponse(&pactumv1.CreateProgressUpdateResponse{ProgressUpdate: progressToProto(u, true)}), nil
}

func (s *progressServer) UpdateProgressUpdate(ctx context.Context, req *connect.Request[pactumv1.UpdateProgressUpdateRequest]) (*connect.Response[pactumv1.UpdateProgressUpdateResponse], error) {
	p := req.Msg.GetProgressUpdate()
	id, err := resource.ParseName(resource.ProgressUpdates, p.GetName(), "progress_update.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), progress.Updatable)
	if err != nil {
		return nil, err
	}
	u, err := s.svc.Update(ctx, id, progressFromProto(p), mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "progress_update.")
	}
	return connect.NewResponse(&pactumv1.UpdateProgressUpdateResponse{ProgressUpdate: progressToProto(u, true)}), nil
}

func (s *progressServer) SubmitProgressUpdate(ctx context.Context, req *connect.Request[pactumv1.SubmitProgressUpdateRequest]) (*connect.Response[pactumv1.SubmitProgressUpdateResponse], error) {
	id, err := resource.ParseName(resource.ProgressUpdates, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	u, err := s.svc.Submit(ctx, id, req.Msg.GetEtag(), req.Msg.GetRequestId())
	if err != nil {
		return nil, prefixFields(err, "progress_update.")
	}
	return connect.NewResponse(&pactumv1.SubmitProgressUpdateResponse{ProgressUpdate: progressToProto(u, true)}), nil
}

// prefixFields prefixes the field paths of err's violations, except those
// of the request's own fields (request_id, etag), which stay as they are.
func prefixFields(err error, prefix string) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Violations) == 0 {
		return err
	}
	c := *e
	c.Violations = make([]errs.FieldViolation, len(e.Violations))
	for k, f := range e.Violations {
		if f.Field != "request_id" && f.Field != "etag" {
			f.Field = prefix + f.Field
		}
		c.Violations[k] = f
	}
	return &c
}

func (s *progressServer) ReturnProgressUpdate(ctx context.Context, req *connect.Request[pactumv1.ReturnProgressUpdateRequest]) (*connect.Response[pactumv1.ReturnProgressUpdateResponse], error) {
	id, err := resource.ParseName(resource.ProgressUpdates, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	u, err := s.svc.Return(ctx, id, req.Msg.GetEtag(), req.Msg.GetComment())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.ReturnProgressUpdateResponse{ProgressUpdate: progressToProto(u, true)}), nil
}

func (s *progressServer) ApproveProgressUpdate(ctx context.Context, req *connect.Request[pactumv1.ApproveProgressUpdateRequest]) (*connect.Response[pactumv1.ApproveProgressUpdateResponse], error) {
	id, err := resource.ParseName(resource.ProgressUpdates, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	u, err := s.svc.Approve(ctx, id, req.Msg.GetEtag(), req.Msg.GetComment())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.ApproveProgressUpdateResponse{ProgressUpdate: progressToProto(u, true)}), nil
}

func (s *progressServer) ListProgressUpdateComments(ctx context.Context, req *connect.Request[pactumv1.ListProgressUpdateCommentsRequest]) (*connect.Response[pactumv1.ListProgressUpdateCommentsResponse], error) {
	id, err := resource.ParseName(resource.ProgressUpdates, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.ListComments(ctx, id, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListProgressUpdateCommentsResponse{NextPageToken: next}
	for _, c := range list {
		out.Comments = append(out.Comments, commentToProto(c))
	}
	return connect.NewResponse(out), nil
}

func (s *progressServer) CreateProgressUpdateComment(ctx context.Context, req *connect.Request[pactumv1.CreateProgressUpdateCommentRequest]) (*connect.Response[pactumv1.CreateProgressUpdateCommentResponse], error) {
	id, err := resource.ParseName(resource.ProgressUpdates, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	c, err := s.svc.CreateComment(ctx, id, req.Msg.GetComment().GetBody(), req.Msg.GetRequestId())
	if err != nil {
		return nil, prefixFields(err, "comment.")
	}
	return connect.NewResponse(&pactumv1.CreateProgressUpdateCommentResponse{Comment: commentToProto(c)}), nil
}

func (s *progressServer) GetGrantProgressOverview(ctx context.Context, req *connect.Request[pactumv1.GetGrantProgressOverviewRequest]) (*connect.Response[pactumv1.GetGrantProgressOverviewResponse], error) {
	gid, err := resource.ParseName(resource.Grants, req.Msg.GetGrant(), "grant")
	if err != nil {
		return nil, err
	}
	o, err := s.svc.GrantOverview(ctx, gid)
	if err != nil {
		return nil, err
	}
	out := &pactumv1.GetGrantProgressOverviewResponse{
		SubmittedCount: int32(o.SubmittedCount), LateCount: int32(o.LateCount),
		AwaitingReviewCount: int32(o.AwaitingReview), ApprovedCount: int32(o.ApprovedCount),
	}
	for _, r := range o.Rows {
		out.Rows = append(out.Rows, &pactumv1.ProgressOverviewRow{
			Milestone: r.Milestone.Name(), Title: r.Milestone.Title,
			Project: refName(resource.Projects, r.Milestone.ProjectID), ProjectDisplayName: r.ProjectDisplayName,
			Organisation:            resource.Name(resource.Organisations, r.Milestone.ResponsibleOrganisationID),
			OrganisationDisplayName: r.OrganisationDisplayName, DueDate: r.Milestone.DueDate.String(),
			MilestoneStatus: milestoneStatusToProto[r.Milestone.Status], ProgressUpdate: refName(resource.ProgressUpdates, r.UpdateID),
			State: progressStateToProto[r.State], SubmitTime: optionalTime(r.SubmitTime), Late: r.Late, DaysOverdue: int32(r.DaysOverdue),
			TitleGenerated: r.Milestone.Generated() && !r.Milestone.Edited,
		})
	}
	return connect.NewResponse(out), nil
}
