package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// grantServer maps GrantService to the grant package.
type grantServer struct {
	svc *grant.Service
}

var grantStateToProto = map[grant.State]pactumv1.GrantState{
	grant.StateDraft:  pactumv1.GrantState_GRANT_STATE_DRAFT,
	grant.StateActive: pactumv1.GrantState_GRANT_STATE_ACTIVE,
	grant.StateClosed: pactumv1.GrantState_GRANT_STATE_CLOSED,
}

func grantToProto(g *grant.Grant) *pactumv1.Grant {
	return &pactumv1.Grant{
		Name:                  g.Name(),
		FrameworkAgreement:    refName(resource.FrameworkAgreements, g.FrameworkAgreementID),
		Donor:                 refName(resource.Organisations, g.DonorID),
		LeadOrganisation:      refName(resource.Organisations, g.LeadOrganisationID),
		DonorReference:        g.DonorReference,
		Title:                 g.Title,
		CurrencyCode:          g.CurrencyCode,
		StartDate:             g.StartDate.String(),
		EndDate:               g.EndDate.String(),
		TotalEligibleCosts:    money.Format(g.TotalEligibleCosts, g.CurrencyCode),
		MaxDonorContribution:  money.Format(g.MaxDonorContribution, g.CurrencyCode),
		CoFinancingRate:       money.FormatPercent(g.CoFinancingRateBP),
		IndirectCostRate:      money.FormatPercent(g.IndirectCostRateBP),
		ReportingPeriodMonths: int32(g.ReportingPeriodMonths),
		InterimReportDueDays:  proto.Int32(int32(g.InterimReportDueDays)),
		FinalReportDueMonths:  proto.Int32(int32(g.FinalReportDueMonths)),
		ReportingLanguage:     g.ReportingLanguage,
		FourEyes:              proto.Bool(g.FourEyes),
		State:                 grantStateToProto[g.State],
		CreateTime:            timestamppb.New(g.CreateTime),
		UpdateTime:            timestamppb.New(g.UpdateTime),
		Etag:                  g.ETag(),
	}
}

// grantFromProto maps p to the domain's input. The state is output only and
// ignored, but a value that is no grant state at all is refused as malformed.
func grantFromProto(p *pactumv1.Grant, prefix string) (grant.Input, error) {
	var v errs.Violations
	ref := func(collection, name, field string) string {
		id, err := refID(collection, name, prefix+field)
		if err != nil {
			v.Add(prefix+field, "must be a resource name of the form %s/{id}, got %q", collection, name)
		}
		return id
	}
	if _, ok := pactumv1.GrantState_name[int32(p.GetState())]; !ok {
		v.Add(prefix+"state", "%d is not a grant state; state is output only: leave it unset, and use ActivateGrant or CloseGrant to change it",
			p.GetState())
	}
	in := grant.Input{
		FrameworkAgreementID:  ref(resource.FrameworkAgreements, p.GetFrameworkAgreement(), "framework_agreement"),
		DonorID:               ref(resource.Organisations, p.GetDonor(), "donor"),
		LeadOrganisationID:    ref(resource.Organisations, p.GetLeadOrganisation(), "lead_organisation"),
		DonorReference:        p.GetDonorReference(),
		Title:                 p.GetTitle(),
		CurrencyCode:          p.GetCurrencyCode(),
		StartDate:             p.GetStartDate(),
		EndDate:               p.GetEndDate(),
		TotalEligibleCosts:    p.GetTotalEligibleCosts(),
		MaxDonorContribution:  p.GetMaxDonorContribution(),
		CoFinancingRate:       p.GetCoFinancingRate(),
		IndirectCostRate:      p.GetIndirectCostRate(),
		ReportingPeriodMonths: int(p.GetReportingPeriodMonths()),
		ReportingLanguage:     p.GetReportingLanguage(),
	}
	if p.InterimReportDueDays != nil {
		n := int(p.GetInterimReportDueDays())
		in.InterimReportDueDays = &n
	}
	if p.FinalReportDueMonths != nil {
		n := int(p.GetFinalReportDueMonths())
		in.FinalReportDueMonths = &n
	}
	if p.FourEyes != nil {
		b := p.GetFourEyes()
		in.FourEyes = &b
	}
	return in, v.Err()
}

func (s *grantServer) ListGrants(ctx context.Context, req *connect.Request[pactumv1.ListGrantsRequest]) (*connect.Response[pactumv1.ListGrantsResponse], error) {
	m := req.Msg
	fa, err := refID(resource.FrameworkAgreements, m.GetFrameworkAgreement(), "framework_agreement")
	if err != nil {
		return nil, err
	}
	donor, err := refID(resource.Organisations, m.GetDonor(), "donor")
	if err != nil {
		return nil, err
	}
	lead, err := refID(resource.Organisations, m.GetLeadOrganisation(), "lead_organisation")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.List(ctx, grant.Filter{
		FrameworkAgreementID: fa,
		State:                grantStateFromProto[m.GetState()],
		DonorID:              donor,
		LeadOrganisationID:   lead,
	}, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListGrantsResponse{NextPageToken: next}
	if out.Grants, err = s.toProto(ctx, list...); err != nil {
		return nil, err
	}
	return connect.NewResponse(out), nil
}

func (s *grantServer) GetGrant(ctx context.Context, req *connect.Request[pactumv1.GetGrantRequest]) (*connect.Response[pactumv1.GetGrantResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	g, err := s.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, g)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetGrantResponse{Grant: ps[0]}), nil
}

func (s *grantServer) CreateGrant(ctx context.Context, req *connect.Request[pactumv1.CreateGrantRequest]) (*connect.Response[pactumv1.CreateGrantResponse], error) {
	in, err := grantFromProto(req.Msg.GetGrant(), "grant.")
	if err != nil {
		return nil, err
	}
	g, err := s.svc.Create(ctx, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "grant.")
	}
	ps, err := s.toProto(ctx, g)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateGrantResponse{Grant: ps[0]}), nil
}

func (s *grantServer) UpdateGrant(ctx context.Context, req *connect.Request[pactumv1.UpdateGrantRequest]) (*connect.Response[pactumv1.UpdateGrantResponse], error) {
	p := req.Msg.GetGrant()
	id, err := resource.ParseName(resource.Grants, p.GetName(), "grant.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), grant.Updatable)
	if err != nil {
		return nil, err
	}
	in, err := grantFromProto(p, "grant.")
	if err != nil {
		return nil, err
	}
	g, outside, err := s.svc.UpdateWith(ctx, id, in, mask, p.GetEtag(), grant.UpdateOptions{
		ValidateOnly: req.Msg.GetValidateOnly(), ConfirmIneligible: int64(req.Msg.GetConfirmIneligibleCount())})
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "grant.")
	}
	ps, err := s.toProto(ctx, g)
	if err != nil {
		return nil, err
	}
	out := &pactumv1.UpdateGrantResponse{Grant: ps[0], IneligibleTotal: money.Format(0, g.CurrencyCode)}
	if outside != nil {
		out.IneligibleCount = int32(outside.Count)
		out.IneligibleTotal = money.Format(outside.Converted, g.CurrencyCode)
		for _, e := range outside.Listed {
			out.IneligibleExpenditures = append(out.IneligibleExpenditures, outOfPeriodToProto(g, &e))
		}
	}
	return connect.NewResponse(out), nil
}

// outOfPeriodToProto is an expenditure of g outside its implementation
// period.
func outOfPeriodToProto(g *grant.Grant, e *eligibility.Expenditure) *pactumv1.OutOfPeriodExpenditure {
	out := &pactumv1.OutOfPeriodExpenditure{
		Expenditure: g.Name() + "/expenditures/" + e.ID, ExpenseDate: e.Date, DocumentRef: e.DocumentRef, Payee: e.Payee,
		Description: e.Description, HeadingCode: e.HeadingCode, BudgetLineKey: e.LineKey,
		Organisation: refName(resource.Organisations, e.OrganisationID), CurrencyCode: e.Currency,
		Draft: e.Status == "draft", Reason: pactumv1.OutOfPeriodReason_OUT_OF_PERIOD_REASON_BEFORE_START,
	}
	if e.Reason == eligibility.AfterEnd {
		out.Reason = pactumv1.OutOfPeriodReason_OUT_OF_PERIOD_REASON_AFTER_END
	}
	out.Amount = money.Format(e.Amount, e.Currency)
	if e.Converted.Valid {
		out.ConvertedAmount = money.Format(e.Converted.Int64, g.CurrencyCode)
	}
	return out
}

func (s *grantServer) DeleteGrant(ctx context.Context, req *connect.Request[pactumv1.DeleteGrantRequest]) (*connect.Response[pactumv1.DeleteGrantResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.Delete(ctx, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteGrantResponse{}), nil
}

func (s *grantServer) ActivateGrant(ctx context.Context, req *connect.Request[pactumv1.ActivateGrantRequest]) (*connect.Response[pactumv1.ActivateGrantResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	g, err := s.svc.Activate(ctx, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, g)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.ActivateGrantResponse{Grant: ps[0]}), nil
}

func (s *grantServer) CloseGrant(ctx context.Context, req *connect.Request[pactumv1.CloseGrantRequest]) (*connect.Response[pactumv1.CloseGrantResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	g, err := s.svc.Close(ctx, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, g)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CloseGrantResponse{Grant: ps[0]}), nil
}

// grantStateFromProto is the inverse map, built once.
var grantStateFromProto = reverse(grantStateToProto)

// toProto maps xs, with what the caller in ctx may do with each.
func (s *grantServer) toProto(ctx context.Context, xs ...*grant.Grant) ([]*pactumv1.Grant, error) {
	rs, err := s.svc.Rights(ctx, xs...)
	if err != nil {
		return nil, err
	}
	out := make([]*pactumv1.Grant, len(xs))
	for i, x := range xs {
		p, r := grantToProto(x), rs[i]
		p.CallerCanUpdate, p.CallerCanDelete, p.CallerCanCreateProject = r.Update, r.Delete, r.CreateProject
		p.CallerCanReadBudget, p.CallerCanManageBudget = r.ReadInFull, r.ManageMoney
		p.CallerCanRecordExpenditures, p.CallerCanVerifyExpenditures = r.RecordExpenditures, r.VerifyExpenditures
		p.CallerCanReadHistory = r.ReadHistory
		out[i] = p
	}
	return out, nil
}
