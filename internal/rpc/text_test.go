package rpc_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// Names and texts of every kind of resource are cleaned by one rule
// (internal/text, applied to every request by one interceptor): a NUL and
// the bidi override U+202E are stripped, a single-line name loses its line
// breaks, a multi-line text keeps them; and a Create or Update answers what
// was stored, what a Get then returns.
func TestTextIsCleanedByOneRuleAndAnswersWhatIsStored(t *testing.T) {
	t.Parallel()
	const (
		line      = "Umoja\x00 \u202eWorkers\r\nUnion"
		lineWant  = "Umoja Workers Union"
		block     = "First\x00 line\r\nsecond\u202e line\u2066\n\tindented"
		blockWant = "First line\nsecond line\n\tindented"
	)
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		type text struct{ what, created, got, want string }
		check := func(t *testing.T, fields ...text) {
			t.Helper()
			for _, c := range fields {
				if c.created != c.want || c.got != c.want {
					t.Errorf("%s: answered %q, read back %q, want %q", c.what, c.created, c.got, c.want)
				}
			}
		}

		t.Run("organisation", func(t *testing.T) {
			o := must(e.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{Organisation: &pactumv1.Organisation{
				DisplayName: line, Contact: &pactumv1.ContactDetails{Address: block}, Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER, CountryCode: "KE"}}))).GetOrganisation()
			got := must(e.Organisations.GetOrganisation(ctx, connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: o.GetName()}))).GetOrganisation()
			check(t, text{"display_name", o.GetDisplayName(), got.GetDisplayName(), lineWant}, text{"address", o.GetContact().GetAddress(), got.GetContact().GetAddress(), blockWant})
		})
		t.Run("grant", func(t *testing.T) {
			g := must(e.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
				FrameworkAgreement: f.fa, DonorReference: "CSO\x00/2026/\u202e9", Title: line, CurrencyCode: "EUR",
				StartDate: "2025-01-01", EndDate: "2027-12-31", TotalEligibleCosts: "1000.00", MaxDonorContribution: "900.00",
				CoFinancingRate: "90", ReportingPeriodMonths: 12}}))).GetGrant()
			got := must(e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: g.GetName()}))).GetGrant()
			check(t, text{"title", g.GetTitle(), got.GetTitle(), lineWant}, text{"donor_reference", g.GetDonorReference(), got.GetDonorReference(), "CSO/2026/9"})
			u := must(e.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
				Grant: &pactumv1.Grant{Name: g.GetName(), Title: "Renamed\x00\u202e", Etag: got.GetEtag()}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))).GetGrant()
			got = must(e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: g.GetName()}))).GetGrant()
			check(t, text{"updated title", u.GetTitle(), got.GetTitle(), "Renamed"})
		})
		t.Run("project", func(t *testing.T) {
			p := must(e.Projects.CreateProject(ctx, connect.NewRequest(&pactumv1.CreateProjectRequest{Project: &pactumv1.Project{
				Grant: f.g1, Code: "T\x00-1", Title: line, Description: block, CountryCodes: []string{"KE"},
				Participants: []*pactumv1.Participant{{Organisation: f.a, Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR}}}}))).GetProject()
			got := must(e.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: p.GetName()}))).GetProject()
			check(t, text{"code", p.GetCode(), got.GetCode(), "T-1"}, text{"title", p.GetTitle(), got.GetTitle(), lineWant},
				text{"description", p.GetDescription(), got.GetDescription(), blockWant})
		})
		t.Run("milestone", func(t *testing.T) {
			m := must(e.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
				Grant: f.g1, Project: f.pa, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_PARTNER_PROGRESS_UPDATE, Title: line,
				DueDate: "2026-12-15", ResponsibleOrganisation: f.a}}))).GetMilestone()
			got := must(e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: m.GetName()}))).GetMilestone()
			check(t, text{"title", m.GetTitle(), got.GetTitle(), lineWant})
		})
		t.Run("activity", func(t *testing.T) {
			a := must(e.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: f.pa, Activity: &pactumv1.Activity{
				Title: line, Description: block, Place: "Kisumu\x00\u202e", Type: pactumv1.ActivityType_ACTIVITY_TYPE_TRAINING, StartDate: "2025-05-05",
				CountryCode: "KE", Participants: &pactumv1.Participants{Women: 3, Men: 2}}}))).GetActivity()
			got := must(e.Activities.GetActivity(ctx, connect.NewRequest(&pactumv1.GetActivityRequest{Name: a.GetName()}))).GetActivity()
			check(t, text{"title", a.GetTitle(), got.GetTitle(), lineWant}, text{"description", a.GetDescription(), got.GetDescription(), blockWant},
				text{"place", a.GetPlace(), got.GetPlace(), "Kisumu"})
		})
		t.Run("expenditure", func(t *testing.T) {
			x := must(e.Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: f.g1, Expenditure: &pactumv1.Expenditure{
				ExpenseDate: "2026-03-01", BudgetLineKey: f.exm(t).lineA, Amount: "120.00", CurrencyCode: "EUR",
				Payee: line, Description: block, DocumentRef: "INV\x00-\u202e7"}}))).GetExpenditure()
			got := must(e.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: x.GetName()}))).GetExpenditure()
			check(t, text{"payee", x.GetPayee(), got.GetPayee(), lineWant}, text{"description", x.GetDescription(), got.GetDescription(), blockWant},
				text{"document_ref", x.GetDocumentRef(), got.GetDocumentRef(), "INV-7"})
		})
		t.Run("user", func(t *testing.T) {
			name := "users/" + f.roles["viewerA"].UserID
			cur := must(e.Users.GetUser(ctx, connect.NewRequest(&pactumv1.GetUserRequest{Name: name}))).GetUser()
			u := must(e.Users.UpdateUser(ctx, connect.NewRequest(&pactumv1.UpdateUserRequest{User: &pactumv1.User{Name: name, DisplayName: line, Etag: cur.GetEtag()},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}}))).GetUser()
			got := must(e.Users.GetUser(ctx, connect.NewRequest(&pactumv1.GetUserRequest{Name: name}))).GetUser()
			check(t, text{"display_name", u.GetDisplayName(), got.GetDisplayName(), lineWant})
		})
	})
}
