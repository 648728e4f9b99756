package rpctest

import (
	"context"
	"strings"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/resource"
)

// ETag is the current etag of the named resource as these clients read it,
// for the updates that require it; "" when they cannot read it (it does not
// exist, or is hidden from them) or the name is of no resource it knows.
// It knows grants, their rule sets and pre-financing plans, budget versions
// and lines, expenditures, forecasts and sources of funding; projects, their
// results, indicators and activities;
// organisations, framework agreements, milestones, progress updates and
// users.
func (c *Clients) ETag(name string) string {
	ctx := context.Background()
	is := func(p resource.Pattern) bool { _, ok := p.Match(name); return ok }
	switch {
	case is(resource.Pattern{resource.Grants}):
		return etag(c.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: name})))(
			func(m *pactumv1.GetGrantResponse) string { return m.GetGrant().GetEtag() })
	case is(resource.Pattern{resource.Grants, resource.Rules}):
		return etag(c.Budgets.GetGrantRules(ctx, connect.NewRequest(&pactumv1.GetGrantRulesRequest{Name: name})))(
			func(m *pactumv1.GetGrantRulesResponse) string { return m.GetGrantRules().GetEtag() })
	case is(resource.PlanPattern):
		return etag(c.Finance.GetPrefinancingPlan(ctx, connect.NewRequest(&pactumv1.GetPrefinancingPlanRequest{Name: name})))(
			func(m *pactumv1.GetPrefinancingPlanResponse) string { return m.GetPrefinancingPlan().GetEtag() })
	case is(resource.Pattern{resource.Grants, resource.BudgetVersions}):
		return etag(c.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: name})))(
			func(m *pactumv1.GetBudgetVersionResponse) string { return m.GetBudgetVersion().GetEtag() })
	case is(resource.Pattern{resource.Grants, resource.BudgetVersions, resource.Lines}):
		return etag(c.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: name[:strings.Index(name, "/"+resource.Lines+"/")]})))(
			func(m *pactumv1.GetBudgetVersionResponse) string {
				for _, l := range m.GetBudgetVersion().GetLines() {
					if l.GetName() == name {
						return l.GetEtag()
					}
				}
				return ""
			})
	case is(resource.ForecastPattern):
		return etag(c.Forecasts.GetForecast(ctx, connect.NewRequest(&pactumv1.GetForecastRequest{Name: name})))(
			func(m *pactumv1.GetForecastResponse) string { return m.GetForecast().GetEtag() })
	case is(resource.Pattern{resource.Grants, resource.Expenditures}):
		return etag(c.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: name})))(
			func(m *pactumv1.GetExpenditureResponse) string { return m.GetExpenditure().GetEtag() })
	case is(resource.FundingSourcePattern):
		return etag(c.Funding.ListFundingSources(ctx, connect.NewRequest(&pactumv1.ListFundingSourcesRequest{Parent: name[:strings.Index(name, "/"+resource.FundingSources+"/")], PageSize: 1000})))(
			func(m *pactumv1.ListFundingSourcesResponse) string {
				for _, s := range m.GetFundingSources() {
					if s.GetName() == name {
						return s.GetEtag()
					}
				}
				return ""
			})
	case is(resource.Pattern{resource.Projects}):
		return etag(c.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: name})))(
			func(m *pactumv1.GetProjectResponse) string { return m.GetProject().GetEtag() })
	case is(resource.Pattern{resource.Projects, resource.Results}):
		return etag(c.Results.GetResult(ctx, connect.NewRequest(&pactumv1.GetResultRequest{Name: name})))(
			func(m *pactumv1.GetResultResponse) string { return m.GetResult().GetEtag() })
	case is(resource.Pattern{resource.Projects, resource.Indicators}):
		return etag(c.Results.GetIndicator(ctx, connect.NewRequest(&pactumv1.GetIndicatorRequest{Name: name})))(
			func(m *pactumv1.GetIndicatorResponse) string { return m.GetIndicator().GetEtag() })
	case is(resource.Pattern{resource.Projects, resource.Activities}):
		return etag(c.Activities.GetActivity(ctx, connect.NewRequest(&pactumv1.GetActivityRequest{Name: name})))(
			func(m *pactumv1.GetActivityResponse) string { return m.GetActivity().GetEtag() })
	case is(resource.Pattern{resource.Organisations}):
		return etag(c.Organisations.GetOrganisation(ctx, connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: name})))(
			func(m *pactumv1.GetOrganisationResponse) string { return m.GetOrganisation().GetEtag() })
	case is(resource.Pattern{resource.FrameworkAgreements}):
		return etag(c.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: name})))(
			func(m *pactumv1.GetFrameworkAgreementResponse) string { return m.GetFrameworkAgreement().GetEtag() })
	case is(resource.Pattern{resource.Milestones}):
		return etag(c.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: name})))(
			func(m *pactumv1.GetMilestoneResponse) string { return m.GetMilestone().GetEtag() })
	case is(resource.Pattern{resource.ProgressUpdates}):
		return etag(c.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: name})))(
			func(m *pactumv1.GetProgressUpdateResponse) string { return m.GetProgressUpdate().GetEtag() })
	case is(resource.Pattern{resource.Users}):
		return etag(c.Users.GetUser(ctx, connect.NewRequest(&pactumv1.GetUserRequest{Name: name})))(
			func(m *pactumv1.GetUserResponse) string { return m.GetUser().GetEtag() })
	}
	return ""
}

// etag returns a function that picks the etag of a Get response, or gives
// "" when the Get failed.
func etag[T any](r *connect.Response[T], err error) func(func(*T) string) string {
	return func(pick func(*T) string) string {
		if err != nil {
			return ""
		}
		return pick(r.Msg)
	}
}
