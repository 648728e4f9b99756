package rpc_test

import (
	"context"
	"fmt"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// TestUpdatesRequireTheETag: every update where a lost update would matter
// requires the etag of the resource as the caller read it. Without it the
// answer is INVALID_ARGUMENT naming the request's etag field, with a stale
// one ABORTED, and neither writes anything; with the current one the update
// goes through. The etag is checked after the access checks: one who may
// not change the resource is told so (permission denied or not found), not
// that the etag is missing. UpdateNotificationSettings is not here: it has
// no etag, as it changes only the caller's own settings.
func TestUpdatesRequireTheETag(t *testing.T) {
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		mask := func(paths ...string) *fieldmaskpb.FieldMask { return &fieldmaskpb.FieldMask{Paths: paths} }
		// draft is a draft addendum of G1's budget (one at a time: the
		// version and line cases share it).
		var draft *pactumv1.BudgetVersion
		withDraft := func() *pactumv1.BudgetVersion {
			if draft == nil {
				f.budget(t)
				d := must(e.Budgets.CreateBudgetVersion(ctx, connect.NewRequest(&pactumv1.CreateBudgetVersionRequest{Parent: f.g1,
					BudgetVersion: &pactumv1.BudgetVersion{Kind: budAddendum}}))).GetBudgetVersion()
				draft = must(e.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: d.GetName()}))).GetBudgetVersion()
			}
			return draft
		}
		cases := []struct {
			rpc      string
			field    string // the violation's field when the etag is missing
			outsider string // a role that may not change the resource
			// target creates or picks the resource to update, by name.
			target func() string
			// update changes it, sending etag; n makes each change a change.
			update func(c *rpctest.Clients, name, etag string, n int) error
		}{
			{v1.GrantServiceUpdateGrantProcedure, "grant.etag", "coordinator2",
				func() string { return f.g1 },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
						Grant: &pactumv1.Grant{Name: name, Etag: etag, Title: fmt.Sprintf("Grant %d", n)}, UpdateMask: mask("title")}))
					return err
				}},
			{v1.FrameworkAgreementServiceUpdateFrameworkAgreementProcedure, "framework_agreement.etag", "coordinator2",
				func() string { return f.fa },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.UpdateFrameworkAgreementRequest{
						FrameworkAgreement: &pactumv1.FrameworkAgreement{Name: name, Etag: etag, Title: fmt.Sprintf("Framework %d", n)}, UpdateMask: mask("title")}))
					return err
				}},
			{v1.OrganisationServiceUpdateOrganisationProcedure, "organisation.etag", "viewerA",
				func() string { return f.b },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
						Organisation: &pactumv1.Organisation{Name: name, Etag: etag, ShortName: fmt.Sprintf("HMWF%d", n)}, UpdateMask: mask("short_name")}))
					return err
				}},
			{v1.ProjectServiceUpdateProjectProcedure, "project.etag", "coordinator2",
				func() string { return f.pb },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
						Project: &pactumv1.Project{Name: name, Etag: etag, Title: fmt.Sprintf("Project %d", n)}, UpdateMask: mask("title")}))
					return err
				}},
			{v1.MilestoneServiceUpdateMilestoneProcedure, "milestone.etag", "coordinator2",
				func() string { return f.mb },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
						Milestone: &pactumv1.Milestone{Name: name, Etag: etag, Title: fmt.Sprintf("Milestone %d", n)}, UpdateMask: mask("title")}))
					return err
				}},
			{v1.BudgetServiceUpdateBudgetVersionProcedure, "budget_version.etag", "coordinator2",
				func() string { return withDraft().GetName() },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Budgets.UpdateBudgetVersion(ctx, connect.NewRequest(&pactumv1.UpdateBudgetVersionRequest{
						BudgetVersion: &pactumv1.BudgetVersion{Name: name, Etag: etag, Label: fmt.Sprintf("Addendum %d", n)}, UpdateMask: mask("label")}))
					return err
				}},
			{v1.BudgetServiceUpdateBudgetLineProcedure, "budget_line.etag", "coordinator2",
				func() string { return withDraft().GetLines()[0].GetName() },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Budgets.UpdateBudgetLine(ctx, connect.NewRequest(&pactumv1.UpdateBudgetLineRequest{
						BudgetLine: &pactumv1.BudgetLine{Name: name, Etag: etag, Units: fmt.Sprint(n)}, UpdateMask: mask("units")}))
					return err
				}},
			{v1.BudgetServiceUpdateGrantRulesProcedure, "grant_rules.etag", "coordinator2",
				func() string { return f.g1 + "/rules" },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Budgets.UpdateGrantRules(ctx, connect.NewRequest(&pactumv1.UpdateGrantRulesRequest{
						GrantRules: &pactumv1.GrantRules{Name: name, Etag: etag, Flexibility: fmt.Sprint(10 + n%10)}, UpdateMask: mask("flexibility")}))
					return err
				}},
			{v1.ForecastServiceUpdateForecastProcedure, "forecast.etag", "auditor",
				func() string { return f.g1 + "/forecasts/3" },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Forecasts.UpdateForecast(ctx, connect.NewRequest(&pactumv1.UpdateForecastRequest{
						Forecast: &pactumv1.Forecast{Name: name, Etag: etag}}))
					return err
				}},
			{v1.FinanceServiceUpdatePrefinancingPlanProcedure, "prefinancing_plan.etag", "coordinator2",
				func() string { return f.g1 + "/prefinancingPlan" },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Finance.UpdatePrefinancingPlan(ctx, connect.NewRequest(&pactumv1.UpdatePrefinancingPlanRequest{
						PrefinancingPlan: &pactumv1.PrefinancingPlan{Name: name, Etag: etag,
							Instalments: []*pactumv1.PlannedInstalment{{Date: "2025-02-01", Amount: fmt.Sprintf("%d.00", 1000+n)}}}}))
					return err
				}},
			{v1.ExpenditureServiceUpdateExpenditureProcedure, "expenditure.etag", "coordinator2",
				func() string { return f.exmExpenditure(t, f.exm(t).lineA, "draft") },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{
						Expenditure: &pactumv1.Expenditure{Name: name, Etag: etag, Payee: fmt.Sprintf("Payee %d", n)}, UpdateMask: mask("payee")}))
					return err
				}},
			{v1.ResultsServiceUpdateResultProcedure, "result.etag", "coordinator2",
				func() string { return resNewResult(f, f.pa).GetName() },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Results.UpdateResult(ctx, connect.NewRequest(&pactumv1.UpdateResultRequest{
						Result: &pactumv1.Result{Name: name, Etag: etag, Title: fmt.Sprintf("Objective %d", n)}, UpdateMask: mask("title")}))
					return err
				}},
			{v1.ResultsServiceUpdateIndicatorProcedure, "indicator.etag", "coordinator2",
				func() string { return resNewIndicator(f, f.pa).GetName() },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Results.UpdateIndicator(ctx, connect.NewRequest(&pactumv1.UpdateIndicatorRequest{
						Indicator: &pactumv1.Indicator{Name: name, Etag: etag, Title: fmt.Sprintf("People reached %d", n)}, UpdateMask: mask("title")}))
					return err
				}},
			{v1.ActivityServiceUpdateActivityProcedure, "activity.etag", "coordinator2",
				func() string { return resNewActivity(f, f.pa, "KE").GetName() },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Activities.UpdateActivity(ctx, connect.NewRequest(&pactumv1.UpdateActivityRequest{
						Activity: &pactumv1.Activity{Name: name, Etag: etag, Place: fmt.Sprintf("Mombasa %d", n)}, UpdateMask: mask("place")}))
					return err
				}},
			{v1.ProgressUpdateServiceUpdateProgressUpdateProcedure, "progress_update.etag", "coordinator2",
				func() string { return puOf(f, f.milestone(t, f.g1, f.pa, f.a)).GetName() },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Progress.UpdateProgressUpdate(ctx, connect.NewRequest(&pactumv1.UpdateProgressUpdateRequest{
						ProgressUpdate: &pactumv1.ProgressUpdate{Name: name, Etag: etag, Achievements: fmt.Sprintf("Trained %d organisers", n)},
						UpdateMask:     mask("achievements")}))
					return err
				}},
			{v1.FundingServiceUpdateFundingSourceProcedure, "funding_source.etag", "coordinator2",
				func() string { return fundNewSource(f, f.g1) },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Funding.UpdateFundingSource(ctx, connect.NewRequest(&pactumv1.UpdateFundingSourceRequest{
						FundingSource: &pactumv1.FundingSource{Name: name, Etag: etag, ExpectedAmount: fmt.Sprintf("%d.00", n)}, UpdateMask: mask("expected_amount")}))
					return err
				}},
			{v1.UserServiceUpdateUserProcedure, "user.etag", "viewerA",
				func() string { return "users/" + f.roles["editorA"].UserID },
				func(c *rpctest.Clients, name, etag string, n int) error {
					_, err := c.Users.UpdateUser(ctx, connect.NewRequest(&pactumv1.UpdateUserRequest{
						User: &pactumv1.User{Name: name, Etag: etag, DisplayName: fmt.Sprintf("Editor %d", n)}, UpdateMask: mask("display_name")}))
					return err
				}},
		}
		for _, c := range cases {
			t.Run(c.rpc, func(t *testing.T) {
				name := c.target()
				read := e.ETag(name)
				if read == "" {
					t.Fatalf("no etag read for %s", name)
				}
				// Who may not change it learns that first, etag or not.
				for _, etag := range []string{"", read} {
					if code := rpctest.Code(c.update(f.roles[c.outsider], name, etag, f.next())); code != connect.CodePermissionDenied && code != connect.CodeNotFound {
						t.Errorf("%s with etag %q: got %v, want permission_denied or not_found", c.outsider, etag, code)
					}
				}
				// Without the etag: invalid, naming the field; nothing written.
				err := c.update(&e.Clients, name, "", f.next())
				rpctest.ExpectViolation(t, err, c.field)
				if got := e.ETag(name); got != read {
					t.Fatalf("the update without an etag changed %s: etag %s -> %s", name, read, got)
				}
				// With the etag read: done, and the etag changes.
				rpctest.ExpectCode(t, c.update(&e.Clients, name, read, f.next()), 0)
				now := e.ETag(name)
				if now == read {
					t.Fatalf("%s: the etag did not change on update", name)
				}
				// The etag read before is stale now: aborted; nothing written.
				rpctest.ExpectCode(t, c.update(&e.Clients, name, read, f.next()), connect.CodeAborted)
				if got := e.ETag(name); got != now {
					t.Fatalf("the update with a stale etag changed %s: etag %s -> %s", name, now, got)
				}
			})
		}
	})
}
