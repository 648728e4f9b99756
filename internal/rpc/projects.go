package rpc

import (
	"context"
	"fmt"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/resource"
)

// projectServer maps ProjectService to the project package.
type projectServer struct {
	svc *project.Service
}

var participantRoleToProto = map[project.Role]pactumv1.ParticipantRole{
	project.RoleCoordinator:               pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR,
	project.RoleCoBeneficiary:             pactumv1.ParticipantRole_PARTICIPANT_ROLE_CO_BENEFICIARY,
	project.RoleAffiliatedEntity:          pactumv1.ParticipantRole_PARTICIPANT_ROLE_AFFILIATED_ENTITY,
	project.RoleAssociate:                 pactumv1.ParticipantRole_PARTICIPANT_ROLE_ASSOCIATE,
	project.RoleContractor:                pactumv1.ParticipantRole_PARTICIPANT_ROLE_CONTRACTOR,
	project.RoleFinancialSupportRecipient: pactumv1.ParticipantRole_PARTICIPANT_ROLE_FINANCIAL_SUPPORT_RECIPIENT,
}

func projectToProto(p *project.Project) *pactumv1.Project {
	out := &pactumv1.Project{
		Name:                 p.Name(),
		Grant:                p.GrantName(),
		Code:                 p.Code,
		Title:                p.Title,
		Description:          p.Description,
		CountryCodes:         p.CountryCodes,
		StartDate:            p.StartDate.String(),
		EndDate:              p.EndDate.String(),
		CreateTime:           timestamppb.New(p.CreateTime),
		UpdateTime:           timestamppb.New(p.UpdateTime),
		Etag:                 p.ETag(),
		State:                pactumv1.ProjectState_PROJECT_STATE_OPEN,
		CloseTime:            optionalTime(p.CloseTime),
		ClosedBy:             p.ClosedBy,
		ProgressUpdateMonths: int32(p.ProgressUpdateMonths), //nolint:gosec // 1 to 12
	}
	if p.Closed() {
		out.State = pactumv1.ProjectState_PROJECT_STATE_CLOSED
	}
	for _, pt := range p.Participants {
		out.Participants = append(out.Participants, &pactumv1.Participant{
			Organisation: resource.Name(resource.Organisations, pt.OrganisationID),
			Role:         participantRoleToProto[pt.Role],
			CountryCode:  pt.CountryCode,
			BudgetShare:  pt.BudgetShare,
		})
	}
	return out
}

// projectFromProto maps a project message to the domain's input. Resource
// names become ids; a malformed one is an error naming its field (with the
// "project." prefix).
func projectFromProto(p *pactumv1.Project) (project.Input, error) {
	in := project.Input{
		Code:         p.GetCode(),
		Title:        p.GetTitle(),
		Description:  p.GetDescription(),
		CountryCodes: p.GetCountryCodes(),
		StartDate:    p.GetStartDate(),
		EndDate:      p.GetEndDate(),

		ProgressUpdateMonths: int(p.GetProgressUpdateMonths()),
	}
	if g := p.GetGrant(); g != "" {
		id, err := resource.ParseName(resource.Grants, g, "project.grant")
		if err != nil {
			return in, err
		}
		in.GrantID = id
	}
	roles := participantRoleFromProto
	for i, pt := range p.GetParticipants() {
		id, err := resource.ParseName(resource.Organisations, pt.GetOrganisation(), fmt.Sprintf("project.participants[%d].organisation", i))
		if err != nil {
			return in, err
		}
		in.Participants = append(in.Participants, project.Participant{OrganisationID: id, Role: roles[pt.GetRole()],
			CountryCode: pt.GetCountryCode(), BudgetShare: pt.GetBudgetShare()})
	}
	return in, nil
}

func (s *projectServer) ListProjects(ctx context.Context, req *connect.Request[pactumv1.ListProjectsRequest]) (*connect.Response[pactumv1.ListProjectsResponse], error) {
	m := req.Msg
	var f project.Filter
	if g := m.GetGrant(); g != "" {
		id, err := resource.ParseName(resource.Grants, g, "grant")
		if err != nil {
			return nil, err
		}
		f.GrantID = id
	}
	if o := m.GetOrganisation(); o != "" {
		id, err := resource.ParseName(resource.Organisations, o, "organisation")
		if err != nil {
			return nil, err
		}
		f.OrganisationID = id
	}
	f.CountryCode = m.GetCountryCode()
	list, next, err := s.svc.List(ctx, f, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListProjectsResponse{NextPageToken: next}
	if out.Projects, err = s.toProto(ctx, list...); err != nil {
		return nil, err
	}
	return connect.NewResponse(out), nil
}

func (s *projectServer) GetProject(ctx context.Context, req *connect.Request[pactumv1.GetProjectRequest]) (*connect.Response[pactumv1.GetProjectResponse], error) {
	id, err := resource.ParseName(resource.Projects, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	p, err := s.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, p)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetProjectResponse{Project: ps[0]}), nil
}

func (s *projectServer) CreateProject(ctx context.Context, req *connect.Request[pactumv1.CreateProjectRequest]) (*connect.Response[pactumv1.CreateProjectResponse], error) {
	in, err := projectFromProto(req.Msg.GetProject())
	if err != nil {
		return nil, err
	}
	p, err := s.svc.Create(ctx, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "project.")
	}
	ps, err := s.toProto(ctx, p)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateProjectResponse{Project: ps[0]}), nil
}

func (s *projectServer) UpdateProject(ctx context.Context, req *connect.Request[pactumv1.UpdateProjectRequest]) (*connect.Response[pactumv1.UpdateProjectResponse], error) {
	m := req.Msg.GetProject()
	id, err := resource.ParseName(resource.Projects, m.GetName(), "project.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(m, req.Msg.GetUpdateMask(), project.Updatable)
	if err != nil {
		return nil, err
	}
	in, err := projectFromProto(m)
	if err != nil {
		return nil, err
	}
	p, err := s.svc.Update(ctx, id, in, mask, m.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "project.")
	}
	ps, err := s.toProto(ctx, p)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateProjectResponse{Project: ps[0]}), nil
}

func (s *projectServer) DeleteProject(ctx context.Context, req *connect.Request[pactumv1.DeleteProjectRequest]) (*connect.Response[pactumv1.DeleteProjectResponse], error) {
	id, err := resource.ParseName(resource.Projects, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.Delete(ctx, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteProjectResponse{}), nil
}

// participantRoleFromProto is the inverse map, built once.
var participantRoleFromProto = reverse(participantRoleToProto)

// toProto maps xs, with what the caller in ctx may do with each.
func (s *projectServer) toProto(ctx context.Context, xs ...*project.Project) ([]*pactumv1.Project, error) {
	rs, err := s.svc.Rights(ctx, xs...)
	if err != nil {
		return nil, err
	}
	out := make([]*pactumv1.Project, len(xs))
	for i, x := range xs {
		p, r := projectToProto(x), rs[i]
		p.CallerCanUpdate, p.CallerCanDelete, p.CallerCanManageResults = r.Manage, r.Manage, r.Manage
		p.CallerCanLogActivities, p.CallerCanReadHistory = r.LogActivities, r.ReadHistory
		out[i] = p
	}
	return out, nil
}

func (s *projectServer) CloseProject(ctx context.Context, req *connect.Request[pactumv1.CloseProjectRequest]) (*connect.Response[pactumv1.CloseProjectResponse], error) {
	id, err := resource.ParseName(resource.Projects, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	p, n, err := s.svc.Close(ctx, id, req.Msg.GetEtag(), req.Msg.GetReason())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, p)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CloseProjectResponse{Project: ps[0], CancelledMilestones: int32(n)}), nil //nolint:gosec // a project's milestones number far fewer than 2^31
}

func (s *projectServer) ReopenProject(ctx context.Context, req *connect.Request[pactumv1.ReopenProjectRequest]) (*connect.Response[pactumv1.ReopenProjectResponse], error) {
	id, err := resource.ParseName(resource.Projects, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	p, err := s.svc.Reopen(ctx, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, p)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.ReopenProjectResponse{Project: ps[0]}), nil
}
