package rpctest

import (
	"context"
	"strings"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
)

// ETag is the current etag of the named resource as these clients read it,
// for the updates that require it; "" when they cannot read it (it does not
// exist, or is hidden from them) or the name is of no resource it knows.
// It knows grants, their rule sets, budget versions and lines and
// expenditures; projects, their results, indicators and activities;
// organisations, framework agreements, milestones, progress updates and
// users.
func (c *Clients) ETag(name string) string {
	ctx := context.Background()
	seg := strings.Split(name, "/")
	switch {
	case len(seg) == 2 && seg[0] == "grants":
		return etag(c.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: name})))(
			func(m *pactumv1.GetGrantResponse) string { return m.GetGrant().GetEtag() })
	case len(seg) == 3 && seg[0] == "grants" && seg[2] == "rules":
		return etag(c.Budgets.GetGrantRules(ctx, connect.NewRequest(&pactumv1.GetGrantRulesRequest{Name: name})))(
			func(m *pactumv1.GetGrantRulesResponse) string { return m.GetGrantRules().GetEtag() })
	case len(seg) == 4 && seg[0] == "grants" && seg[2] == "budgetVersions":
		return etag(c.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: name})))(
			func(m *pactumv1.GetBudgetVersionResponse) string { return m.GetBudgetVersion().GetEtag() })
	case len(seg) == 6 && seg[0] == "grants" && seg[2] == "budgetVersions" && seg[4] == "lines":
		return etag(c.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: strings.Join(seg[:4], "/")})))(
			func(m *pactumv1.GetBudgetVersionResponse) string {
				for _, l := range m.GetBudgetVersion().GetLines() {
					if l.GetName() == name {
						return l.GetEtag()
					}
				}
				return ""
			})
	case len(seg) == 4 && seg[0] == "grants" && seg[2] == "expenditures":
		return etag(c.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: name})))(
			func(m *pactumv1.GetExpenditureResponse) string { return m.GetExpenditure().GetEtag() })
	case len(seg) == 2 && seg[0] == "projects":
		return etag(c.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: name})))(
			func(m *pactumv1.GetProjectResponse) string { return m.GetProject().GetEtag() })
	case len(seg) == 4 && seg[0] == "projects" && seg[2] == "results":
		return etag(c.Results.GetResult(ctx, connect.NewRequest(&pactumv1.GetResultRequest{Name: name})))(
			func(m *pactumv1.GetResultResponse) string { return m.GetResult().GetEtag() })
	case len(seg) == 4 && seg[0] == "projects" && seg[2] == "indicators":
		return etag(c.Results.GetIndicator(ctx, connect.NewRequest(&pactumv1.GetIndicatorRequest{Name: name})))(
			func(m *pactumv1.GetIndicatorResponse) string { return m.GetIndicator().GetEtag() })
	case len(seg) == 4 && seg[0] == "projects" && seg[2] == "activities":
		return etag(c.Activities.GetActivity(ctx, connect.NewRequest(&pactumv1.GetActivityRequest{Name: name})))(
			func(m *pactumv1.GetActivityResponse) string { return m.GetActivity().GetEtag() })
	case len(seg) == 2 && seg[0] == "organisations":
		return etag(c.Organisations.GetOrganisation(ctx, connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: name})))(
			func(m *pactumv1.GetOrganisationResponse) string { return m.GetOrganisation().GetEtag() })
	case len(seg) == 2 && seg[0] == "frameworkAgreements":
		return etag(c.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: name})))(
			func(m *pactumv1.GetFrameworkAgreementResponse) string { return m.GetFrameworkAgreement().GetEtag() })
	case len(seg) == 2 && seg[0] == "milestones":
		return etag(c.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: name})))(
			func(m *pactumv1.GetMilestoneResponse) string { return m.GetMilestone().GetEtag() })
	case len(seg) == 2 && seg[0] == "progressUpdates":
		return etag(c.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: name})))(
			func(m *pactumv1.GetProgressUpdateResponse) string { return m.GetProgressUpdate().GetEtag() })
	case len(seg) == 2 && seg[0] == "users":
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
