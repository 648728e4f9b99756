package rpc

import (
	"context"
	"errors"
	"fmt"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rules"
)

// budgetServer maps BudgetService to the budget package.
type budgetServer struct {
	pactumv1connect.UnimplementedBudgetServiceHandler
	svc *budget.Service
}

var budgetHeadingKindToProto = map[budget.HeadingKind]pactumv1.BudgetHeadingKind{
	budget.KindDirect:      pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_DIRECT,
	budget.KindSubtotal:    pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_SUBTOTAL,
	budget.KindContingency: pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_CONTINGENCY,
	budget.KindTotalDirect: pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_TOTAL_DIRECT,
	budget.KindIndirect:    pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_INDIRECT,
	budget.KindTotal:       pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_TOTAL,
}

var budgetHeadingKindFromProto = reverse(budgetHeadingKindToProto)

var budgetVersionKindToProto = map[budget.VersionKind]pactumv1.BudgetVersionKind{
	budget.Original: pactumv1.BudgetVersionKind_BUDGET_VERSION_KIND_ORIGINAL,
	budget.Addendum: pactumv1.BudgetVersionKind_BUDGET_VERSION_KIND_ADDENDUM,
	budget.Transfer: pactumv1.BudgetVersionKind_BUDGET_VERSION_KIND_TRANSFER,
}

var budgetVersionKindFromProto = reverse(budgetVersionKindToProto)

var budgetVersionStateToProto = map[budget.VersionState]pactumv1.BudgetVersionState{
	budget.Draft:   pactumv1.BudgetVersionState_BUDGET_VERSION_STATE_DRAFT,
	budget.Adopted: pactumv1.BudgetVersionState_BUDGET_VERSION_STATE_ADOPTED,
}

var budgetRatePolicyToProto = map[rules.RatePolicy]pactumv1.ExchangeRatePolicy{
	rules.Monthly:       pactumv1.ExchangeRatePolicy_EXCHANGE_RATE_POLICY_MONTHLY,
	rules.PeriodAverage: pactumv1.ExchangeRatePolicy_EXCHANGE_RATE_POLICY_PERIOD_AVERAGE,
	rules.Fixed:         pactumv1.ExchangeRatePolicy_EXCHANGE_RATE_POLICY_FIXED,
	rules.Transfer:      pactumv1.ExchangeRatePolicy_EXCHANGE_RATE_POLICY_TRANSFER,
}

var budgetRatePolicyFromProto = reverse(budgetRatePolicyToProto)

func budgetTemplateToProto(c actor.Caller, t *budget.Template) *pactumv1.BudgetTemplate {
	out := &pactumv1.BudgetTemplate{
		Name:            t.Name(),
		DisplayName:     t.DisplayName,
		Description:     t.Description,
		BuiltIn:         t.BuiltIn,
		Organisation:    refName(resource.Organisations, t.OrganisationID),
		Etag:            t.ETag(),
		GrantCount:      int32(t.GrantCount),
		CallerCanDelete: budget.CanDeleteTemplate(c, t),
	}
	for _, h := range t.Headings {
		ph := &pactumv1.BudgetTemplateHeading{Code: h.Code, Title: h.Title, Kind: budgetHeadingKindToProto[h.Kind]}
		for _, l := range h.UsualLines() {
			ph.UsualLines = append(ph.UsualLines, &pactumv1.UsualBudgetLine{Code: l.Code, Description: l.Description})
		}
		out.Headings = append(out.Headings, ph)
	}
	return out
}

func budgetVersionToProto(v *budget.Version) *pactumv1.BudgetVersion {
	out := &pactumv1.BudgetVersion{
		Name:          v.Name(),
		Number:        int32(v.Number),
		Kind:          budgetVersionKindToProto[v.Kind],
		Label:         v.Label,
		EffectiveDate: v.EffectiveDate.String(),
		State:         budgetVersionStateToProto[v.State],
		CurrencyCode:  v.Currency,
		Total:         money.Format(v.Total, v.Currency),
		AdoptTime:     optionalTime(v.AdoptTime),
		CreateTime:    timestamppb.New(v.CreateTime),
		UpdateTime:    timestamppb.New(v.UpdateTime),
		Etag:          v.ETag(),

		ApprovalReference: v.ApprovalReference,
	}
	for _, h := range v.Headings {
		out.Headings = append(out.Headings, &pactumv1.BudgetHeadingTotal{
			Code: h.Code, Title: h.Title, Kind: budgetHeadingKindToProto[h.Kind],
			Total: money.Format(h.Total, v.Currency), PercentOfBase: h.PercentOfBase,
		})
	}
	for _, l := range v.Lines {
		out.Lines = append(out.Lines, budgetLineToProto(l))
	}
	return out
}

func budgetLineToProto(l *budget.Line) *pactumv1.BudgetLine {
	return &pactumv1.BudgetLine{
		Name:         l.Name(),
		LineKey:      l.LineKey,
		HeadingCode:  l.HeadingCode,
		Code:         l.Code,
		Description:  l.Description,
		Unit:         l.Unit,
		Units:        l.Units,
		UnitCost:     money.Format(l.UnitCost, l.Currency),
		Total:        money.Format(l.Total, l.Currency),
		Project:      refName(resource.Projects, l.ProjectID),
		Organisation: refName(resource.Organisations, l.OrganisationID),
		CreateTime:   timestamppb.New(l.CreateTime),
		UpdateTime:   timestamppb.New(l.UpdateTime),
		Etag:         l.ETag(),
	}
}

func grantRulesToProto(r *budget.RuleSet) *pactumv1.GrantRules {
	out := &pactumv1.GrantRules{
		Name:                  r.Name(),
		BudgetTemplate:        resource.Name(resource.BudgetTemplates, r.TemplateID),
		Flexibility:           rules.Percent(r.FlexibilityBP),
		IndirectCap:           rules.Percent(r.IndirectCapBP),
		ContingencyCap:        rules.Percent(r.ContingencyCapBP),
		PrefinancingThreshold: rules.Percent(r.PrefinancingThresholdBP),
		ExchangeRatePolicy:    budgetRatePolicyToProto[r.RatePolicy],
		CurrencyCode:          r.Currency,
		UpdateTime:            optionalTime(&r.UpdateTime),
		Etag:                  r.ETag(),
	}
	for _, f := range r.FixedRates {
		out.FixedRates = append(out.FixedRates, &pactumv1.FixedRate{CurrencyCode: f.Currency, Rate: f.Rate.String(), Source: f.Source})
	}
	return out
}

// budgetProjectID reads a line's project: "projects/{id}" (the project's
// resource name), also accepted as "grants/{grant}/projects/{id}", or "".
func budgetProjectID(name, field string) (string, error) {
	if ids, ok := resource.ProjectBudgetPattern.Match(name); ok {
		return ids[1], nil
	}
	id, err := refID(resource.Projects, name, field)
	if err != nil {
		return "", errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("must be a project's resource name, projects/{id}, or empty; got %q", name)})
	}
	return id, nil
}

func budgetLineFromProto(p *pactumv1.BudgetLine, prefix string) (budget.LineInput, error) {
	var v errs.Violations
	proj, err := budgetProjectID(p.GetProject(), prefix+"project")
	if err != nil {
		var e *errs.Error
		if !errors.As(err, &e) {
			return budget.LineInput{}, err
		}
		v = append(v, e.Violations...)
	}
	org, err := refID(resource.Organisations, p.GetOrganisation(), prefix+"organisation")
	if err != nil {
		v.Add(prefix+"organisation", "must be an organisation's resource name, organisations/{id}, or empty; got %q", p.GetOrganisation())
	}
	return budget.LineInput{
		HeadingCode: p.GetHeadingCode(), Code: p.GetCode(), Description: p.GetDescription(), Unit: p.GetUnit(),
		Units: p.GetUnits(), UnitCost: p.GetUnitCost(), ProjectID: proj, OrganisationID: org,
	}, v.Err()
}

func (s *budgetServer) ListBudgetTemplates(ctx context.Context, req *connect.Request[pactumv1.ListBudgetTemplatesRequest]) (*connect.Response[pactumv1.ListBudgetTemplatesResponse], error) {
	list, next, err := s.svc.ListTemplates(ctx, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListBudgetTemplatesResponse{NextPageToken: next}
	for _, t := range list {
		out.BudgetTemplates = append(out.BudgetTemplates, budgetTemplateToProto(actor.From(ctx), t))
	}
	return connect.NewResponse(out), nil
}

func (s *budgetServer) GetBudgetTemplate(ctx context.Context, req *connect.Request[pactumv1.GetBudgetTemplateRequest]) (*connect.Response[pactumv1.GetBudgetTemplateResponse], error) {
	id, err := resource.ParseName(resource.BudgetTemplates, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	t, err := s.svc.GetTemplate(ctx, id)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetBudgetTemplateResponse{BudgetTemplate: budgetTemplateToProto(actor.From(ctx), t)}), nil
}

func (s *budgetServer) CreateBudgetTemplate(ctx context.Context, req *connect.Request[pactumv1.CreateBudgetTemplateRequest]) (*connect.Response[pactumv1.CreateBudgetTemplateResponse], error) {
	p := req.Msg.GetBudgetTemplate()
	org, err := refID(resource.Organisations, req.Msg.GetOrganisation(), "organisation")
	if err != nil {
		return nil, err
	}
	in := budget.TemplateInput{DisplayName: p.GetDisplayName(), Description: p.GetDescription(), OrganisationID: org}
	for _, h := range p.GetHeadings() {
		hi := budget.HeadingInput{Code: h.GetCode(), Title: h.GetTitle(), Kind: budgetHeadingKindFromProto[h.GetKind()]}
		for _, l := range h.GetUsualLines() {
			hi.UsualLines = append(hi.UsualLines, budget.UsualLine{Code: l.GetCode(), Description: l.GetDescription()})
		}
		in.Headings = append(in.Headings, hi)
	}
	t, err := s.svc.CreateTemplate(ctx, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateBudgetTemplateResponse{BudgetTemplate: budgetTemplateToProto(actor.From(ctx), t)}), nil
}

func (s *budgetServer) DeleteBudgetTemplate(ctx context.Context, req *connect.Request[pactumv1.DeleteBudgetTemplateRequest]) (*connect.Response[pactumv1.DeleteBudgetTemplateResponse], error) {
	id, err := resource.ParseName(resource.BudgetTemplates, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.DeleteTemplate(ctx, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteBudgetTemplateResponse{}), nil
}

func (s *budgetServer) ListBudgetVersions(ctx context.Context, req *connect.Request[pactumv1.ListBudgetVersionsRequest]) (*connect.Response[pactumv1.ListBudgetVersionsResponse], error) {
	g, err := budget.ParseGrantName(req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.ListVersions(ctx, g, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListBudgetVersionsResponse{NextPageToken: next}
	for _, v := range list {
		out.BudgetVersions = append(out.BudgetVersions, budgetVersionToProto(v))
	}
	return connect.NewResponse(out), nil
}

func (s *budgetServer) GetBudgetVersion(ctx context.Context, req *connect.Request[pactumv1.GetBudgetVersionRequest]) (*connect.Response[pactumv1.GetBudgetVersionResponse], error) {
	g, v, err := budget.ParseVersionName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	bv, err := s.svc.GetVersion(ctx, g, v)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetBudgetVersionResponse{BudgetVersion: budgetVersionToProto(bv)}), nil
}

func (s *budgetServer) CreateBudgetVersion(ctx context.Context, req *connect.Request[pactumv1.CreateBudgetVersionRequest]) (*connect.Response[pactumv1.CreateBudgetVersionResponse], error) {
	g, err := budget.ParseGrantName(req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	p := req.Msg.GetBudgetVersion()
	in := budget.VersionInput{Kind: budgetVersionKindFromProto[p.GetKind()], Label: p.GetLabel(), EffectiveDate: p.GetEffectiveDate(),
		ApprovalReference: p.GetApprovalReference()}
	v, err := s.svc.CreateVersion(ctx, g, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "budget_version.")
	}
	return connect.NewResponse(&pactumv1.CreateBudgetVersionResponse{BudgetVersion: budgetVersionToProto(v)}), nil
}

func (s *budgetServer) UpdateBudgetVersion(ctx context.Context, req *connect.Request[pactumv1.UpdateBudgetVersionRequest]) (*connect.Response[pactumv1.UpdateBudgetVersionResponse], error) {
	p := req.Msg.GetBudgetVersion()
	g, v, err := budget.ParseVersionName(p.GetName(), "budget_version.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), budget.VersionUpdatable)
	if err != nil {
		return nil, err
	}
	in := budget.VersionInput{Label: p.GetLabel(), EffectiveDate: p.GetEffectiveDate(), ApprovalReference: p.GetApprovalReference()}
	bv, err := s.svc.UpdateVersion(ctx, g, v, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "budget_version.")
	}
	return connect.NewResponse(&pactumv1.UpdateBudgetVersionResponse{BudgetVersion: budgetVersionToProto(bv)}), nil
}

func (s *budgetServer) DeleteBudgetVersion(ctx context.Context, req *connect.Request[pactumv1.DeleteBudgetVersionRequest]) (*connect.Response[pactumv1.DeleteBudgetVersionResponse], error) {
	g, v, err := budget.ParseVersionName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.DeleteVersion(ctx, g, v, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteBudgetVersionResponse{}), nil
}

func (s *budgetServer) AdoptBudgetVersion(ctx context.Context, req *connect.Request[pactumv1.AdoptBudgetVersionRequest]) (*connect.Response[pactumv1.AdoptBudgetVersionResponse], error) {
	g, v, err := budget.ParseVersionName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	bv, err := s.svc.AdoptVersionWith(ctx, g, v, req.Msg.GetEtag(), budget.AdoptOptions{ApprovalReference: req.Msg.GetApprovalReference()})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.AdoptBudgetVersionResponse{BudgetVersion: budgetVersionToProto(bv)}), nil
}

func (s *budgetServer) CreateBudgetLine(ctx context.Context, req *connect.Request[pactumv1.CreateBudgetLineRequest]) (*connect.Response[pactumv1.CreateBudgetLineResponse], error) {
	g, v, err := budget.ParseVersionName(req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in, err := budgetLineFromProto(req.Msg.GetBudgetLine(), "budget_line.")
	if err != nil {
		return nil, err
	}
	l, err := s.svc.CreateLine(ctx, g, v, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "budget_line.")
	}
	return connect.NewResponse(&pactumv1.CreateBudgetLineResponse{BudgetLine: budgetLineToProto(l)}), nil
}

func (s *budgetServer) UpdateBudgetLine(ctx context.Context, req *connect.Request[pactumv1.UpdateBudgetLineRequest]) (*connect.Response[pactumv1.UpdateBudgetLineResponse], error) {
	p := req.Msg.GetBudgetLine()
	g, v, l, err := budget.ParseLineName(p.GetName(), "budget_line.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), budget.LineUpdatable)
	if err != nil {
		return nil, err
	}
	in, err := budgetLineFromProto(p, "budget_line.")
	if err != nil {
		return nil, err
	}
	line, err := s.svc.UpdateLine(ctx, g, v, l, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "budget_line.")
	}
	return connect.NewResponse(&pactumv1.UpdateBudgetLineResponse{BudgetLine: budgetLineToProto(line)}), nil
}

func (s *budgetServer) DeleteBudgetLine(ctx context.Context, req *connect.Request[pactumv1.DeleteBudgetLineRequest]) (*connect.Response[pactumv1.DeleteBudgetLineResponse], error) {
	g, v, l, err := budget.ParseLineName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.DeleteLine(ctx, g, v, l, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteBudgetLineResponse{}), nil
}

func (s *budgetServer) GetGrantRules(ctx context.Context, req *connect.Request[pactumv1.GetGrantRulesRequest]) (*connect.Response[pactumv1.GetGrantRulesResponse], error) {
	g, err := budget.ParseRulesName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	r, err := s.svc.GetRules(ctx, g)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetGrantRulesResponse{GrantRules: grantRulesToProto(r)}), nil
}

func (s *budgetServer) UpdateGrantRules(ctx context.Context, req *connect.Request[pactumv1.UpdateGrantRulesRequest]) (*connect.Response[pactumv1.UpdateGrantRulesResponse], error) {
	p := req.Msg.GetGrantRules()
	g, err := budget.ParseRulesName(p.GetName(), "grant_rules.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), budget.RulesUpdatable)
	if err != nil {
		return nil, err
	}
	in := budget.RulesInput{
		Flexibility:           p.GetFlexibility(),
		IndirectCap:           p.GetIndirectCap(),
		ContingencyCap:        p.GetContingencyCap(),
		PrefinancingThreshold: p.GetPrefinancingThreshold(),
		RatePolicy:            budgetRatePolicyFromProto[p.GetExchangeRatePolicy()],
	}
	if mask.Has("budget_template") && p.GetBudgetTemplate() != "" {
		if in.TemplateID, err = resource.ParseName(resource.BudgetTemplates, p.GetBudgetTemplate(), "grant_rules.budget_template"); err != nil {
			return nil, err
		}
	}
	for _, f := range p.GetFixedRates() {
		in.FixedRates = append(in.FixedRates, budget.FixedRateInput{Currency: f.GetCurrencyCode(), Rate: f.GetRate(), Source: f.GetSource()})
	}
	r, n, err := s.svc.UpdateRules(ctx, g, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "grant_rules.")
	}
	return connect.NewResponse(&pactumv1.UpdateGrantRulesResponse{GrantRules: grantRulesToProto(r), ReconvertedCount: int32(n)}), nil
}
