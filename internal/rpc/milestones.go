package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// milestoneServer maps MilestoneService to the milestone package.
type milestoneServer struct {
	svc *milestone.Service
}

var milestoneKindToProto = map[milestone.Kind]pactumv1.MilestoneKind{
	milestone.KindInterimNarrativeReport:  pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_NARRATIVE_REPORT,
	milestone.KindInterimFinancialReport:  pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_FINANCIAL_REPORT,
	milestone.KindFinalNarrativeReport:    pactumv1.MilestoneKind_MILESTONE_KIND_FINAL_NARRATIVE_REPORT,
	milestone.KindFinalFinancialReport:    pactumv1.MilestoneKind_MILESTONE_KIND_FINAL_FINANCIAL_REPORT,
	milestone.KindPartnerProgressUpdate:   pactumv1.MilestoneKind_MILESTONE_KIND_PARTNER_PROGRESS_UPDATE,
	milestone.KindExpenditureVerification: pactumv1.MilestoneKind_MILESTONE_KIND_EXPENDITURE_VERIFICATION,
	milestone.KindPaymentRequest:          pactumv1.MilestoneKind_MILESTONE_KIND_PAYMENT_REQUEST,
	milestone.KindAdditionalInformation:   pactumv1.MilestoneKind_MILESTONE_KIND_ADDITIONAL_INFORMATION,
	milestone.KindMidTermEvaluation:       pactumv1.MilestoneKind_MILESTONE_KIND_MID_TERM_EVALUATION,
	milestone.KindMonitoringVisit:         pactumv1.MilestoneKind_MILESTONE_KIND_MONITORING_VISIT,
	milestone.KindOther:                   pactumv1.MilestoneKind_MILESTONE_KIND_OTHER,
}

var milestoneStatusToProto = map[milestone.Status]pactumv1.MilestoneStatus{
	milestone.StatusUpcoming:  pactumv1.MilestoneStatus_MILESTONE_STATUS_UPCOMING,
	milestone.StatusDueSoon:   pactumv1.MilestoneStatus_MILESTONE_STATUS_DUE_SOON,
	milestone.StatusOverdue:   pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE,
	milestone.StatusSubmitted: pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED,
	milestone.StatusAccepted:  pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED,
	milestone.StatusCancelled: pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED,
}

// milestoneRefID returns the id of an optional "collection/id" name ("" for
// ""), naming field when it is malformed.
func milestoneRefID(collection, name, field string) (string, error) {
	if name == "" {
		return "", nil
	}
	return resource.ParseName(collection, name, field)
}

// milestoneRefName returns the resource name of an optional id ("" for "").
func milestoneRefName(collection, id string) string {
	if id == "" {
		return ""
	}
	return resource.Name(collection, id)
}

func milestoneToProto(m *milestone.Milestone) *pactumv1.Milestone {
	return &pactumv1.Milestone{
		Name:                    m.Name(),
		Grant:                   milestoneRefName(resource.Grants, m.GrantID),
		Project:                 milestoneRefName(resource.Projects, m.ProjectID),
		Kind:                    milestoneKindToProto[m.Kind],
		Title:                   m.Title,
		PeriodStartDate:         m.PeriodStart.String(),
		PeriodEndDate:           m.PeriodEnd.String(),
		DueDate:                 m.DueDate.String(),
		ResponsibleOrganisation: milestoneRefName(resource.Organisations, m.ResponsibleOrganisationID),
		Status:                  milestoneStatusToProto[m.Status],
		Generated:               m.Generated(),
		Edited:                  m.Edited,
		SubmitTime:              optionalTime(m.SubmitTime),
		AcceptTime:              optionalTime(m.AcceptTime),
		CancelTime:              optionalTime(m.CancelTime),
		CancelReason:            m.CancelReason,
		CancelledBy:             m.CancelledBy,
		CancelledByName:         m.CancelledByName,
		CreateTime:              timestamppb.New(m.CreateTime),
		UpdateTime:              timestamppb.New(m.UpdateTime),
		Etag:                    m.ETag(),
	}
}

// milestoneFromProto maps a milestone message to the domain's input. Resource
// names become ids; a malformed one is an error naming its field (without the
// "milestone." prefix, which the caller adds).
func milestoneFromProto(p *pactumv1.Milestone) (milestone.Input, error) {
	var v errs.Violations
	ref := func(collection, name, field string) string {
		id, err := milestoneRefID(collection, name, field)
		if err != nil {
			v.Add(field, "must be a resource name of the form %s/{id}, got %q", collection, name)
		}
		return id
	}
	in := milestone.Input{
		GrantID:                   ref(resource.Grants, p.GetGrant(), "grant"),
		ProjectID:                 ref(resource.Projects, p.GetProject(), "project"),
		Kind:                      milestoneKindFromProto[p.GetKind()],
		Title:                     p.GetTitle(),
		PeriodStartDate:           p.GetPeriodStartDate(),
		PeriodEndDate:             p.GetPeriodEndDate(),
		DueDate:                   p.GetDueDate(),
		ResponsibleOrganisationID: ref(resource.Organisations, p.GetResponsibleOrganisation(), "responsible_organisation"),
	}
	return in, v.Err()
}

func (s *milestoneServer) ListMilestones(ctx context.Context, req *connect.Request[pactumv1.ListMilestonesRequest]) (*connect.Response[pactumv1.ListMilestonesResponse], error) {
	m := req.Msg
	var v errs.Violations
	ref := func(collection, name, field string) string {
		id, err := milestoneRefID(collection, name, field)
		if err != nil {
			v.Add(field, "must be a resource name of the form %s/{id}, got %q", collection, name)
		}
		return id
	}
	f := milestone.Filter{
		GrantID:                   ref(resource.Grants, m.GetGrant(), "grant"),
		ProjectID:                 ref(resource.Projects, m.GetProject(), "project"),
		ResponsibleOrganisationID: ref(resource.Organisations, m.GetResponsibleOrganisation(), "responsible_organisation"),
		Kind:                      milestoneKindFromProto[m.GetKind()],
		Status:                    milestoneStatusFromProto[m.GetStatus()],
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	list, next, err := s.svc.List(ctx, f, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListMilestonesResponse{NextPageToken: next}
	if out.Milestones, err = s.toProto(ctx, list...); err != nil {
		return nil, err
	}
	return connect.NewResponse(out), nil
}

func (s *milestoneServer) ListDueMilestones(ctx context.Context, req *connect.Request[pactumv1.ListDueMilestonesRequest]) (*connect.Response[pactumv1.ListDueMilestonesResponse], error) {
	m := req.Msg
	org, err := milestoneRefID(resource.Organisations, m.GetResponsibleOrganisation(), "responsible_organisation")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.ListDue(ctx, milestone.DueFilter{
		WithinDays:                int(m.GetWithinDays()),
		ResponsibleOrganisationID: org,
		ExcludeOverdue:            m.GetExcludeOverdue(),
	}, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListDueMilestonesResponse{NextPageToken: next}
	if out.Milestones, err = s.toProto(ctx, list...); err != nil {
		return nil, err
	}
	return connect.NewResponse(out), nil
}

func (s *milestoneServer) GetMilestone(ctx context.Context, req *connect.Request[pactumv1.GetMilestoneRequest]) (*connect.Response[pactumv1.GetMilestoneResponse], error) {
	id, err := resource.ParseName(resource.Milestones, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	m, err := s.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, m)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetMilestoneResponse{Milestone: ps[0]}), nil
}

func (s *milestoneServer) CreateMilestone(ctx context.Context, req *connect.Request[pactumv1.CreateMilestoneRequest]) (*connect.Response[pactumv1.CreateMilestoneResponse], error) {
	in, err := milestoneFromProto(req.Msg.GetMilestone())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "milestone.")
	}
	m, err := s.svc.Create(ctx, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "milestone.")
	}
	ps, err := s.toProto(ctx, m)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateMilestoneResponse{Milestone: ps[0]}), nil
}

func (s *milestoneServer) UpdateMilestone(ctx context.Context, req *connect.Request[pactumv1.UpdateMilestoneRequest]) (*connect.Response[pactumv1.UpdateMilestoneResponse], error) {
	p := req.Msg.GetMilestone()
	id, err := resource.ParseName(resource.Milestones, p.GetName(), "milestone.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), milestone.Updatable)
	if err != nil {
		return nil, err
	}
	in, err := milestoneFromProto(p)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "milestone.")
	}
	m, err := s.svc.Update(ctx, id, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "milestone.")
	}
	ps, err := s.toProto(ctx, m)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateMilestoneResponse{Milestone: ps[0]}), nil
}

func (s *milestoneServer) DeleteMilestone(ctx context.Context, req *connect.Request[pactumv1.DeleteMilestoneRequest]) (*connect.Response[pactumv1.DeleteMilestoneResponse], error) {
	id, err := resource.ParseName(resource.Milestones, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.Delete(ctx, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteMilestoneResponse{}), nil
}

func (s *milestoneServer) SubmitMilestone(ctx context.Context, req *connect.Request[pactumv1.SubmitMilestoneRequest]) (*connect.Response[pactumv1.SubmitMilestoneResponse], error) {
	id, err := resource.ParseName(resource.Milestones, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	m, err := s.svc.Submit(ctx, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, m)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.SubmitMilestoneResponse{Milestone: ps[0]}), nil
}

func (s *milestoneServer) AcceptMilestone(ctx context.Context, req *connect.Request[pactumv1.AcceptMilestoneRequest]) (*connect.Response[pactumv1.AcceptMilestoneResponse], error) {
	id, err := resource.ParseName(resource.Milestones, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	m, err := s.svc.Accept(ctx, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, m)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.AcceptMilestoneResponse{Milestone: ps[0]}), nil
}

func (s *milestoneServer) CancelMilestone(ctx context.Context, req *connect.Request[pactumv1.CancelMilestoneRequest]) (*connect.Response[pactumv1.CancelMilestoneResponse], error) {
	id, err := resource.ParseName(resource.Milestones, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	m, err := s.svc.Cancel(ctx, id, req.Msg.GetEtag(), req.Msg.GetReason())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, m)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CancelMilestoneResponse{Milestone: ps[0]}), nil
}

// The inverse maps, built once.
var (
	milestoneKindFromProto   = reverse(milestoneKindToProto)
	milestoneStatusFromProto = reverse(milestoneStatusToProto)
)

// toProto maps xs, with what the caller in ctx may do with each.
func (s *milestoneServer) toProto(ctx context.Context, xs ...*milestone.Milestone) ([]*pactumv1.Milestone, error) {
	rs, err := s.svc.Rights(ctx, xs...)
	if err != nil {
		return nil, err
	}
	out := make([]*pactumv1.Milestone, len(xs))
	for i, x := range xs {
		p, r := milestoneToProto(x), rs[i]
		p.CallerCanUpdate, p.CallerCanDelete, p.CallerCanSubmit, p.CallerCanAccept = r.Update, r.Delete, r.Submit, r.Accept
		out[i] = p
	}
	return out, nil
}
