package rpc_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, contractMatrixCases) }

// contractRequest is a grant from its contract under agreement fa (whose
// lead is lead), with a one-line budget of 100,000.00 and a project where
// partner is a co-beneficiary.
func contractRequest(fa, lead, partner, ref string, validateOnly bool) *pactumv1.CreateGrantFromContractRequest {
	return &pactumv1.CreateGrantFromContractRequest{
		Grant: &pactumv1.Grant{FrameworkAgreement: fa, DonorReference: ref, Title: "From its contract", CurrencyCode: "EUR",
			StartDate: "2026-01-01", EndDate: "2027-12-31", TotalEligibleCosts: "100000.00", MaxDonorContribution: "90000.00",
			CoFinancingRate: "90", ReportingPeriodMonths: 12},
		BudgetFileName: "budget.csv",
		BudgetContent:  []byte("Heading,Line,Description,Unit,Number of units,Unit cost\n1,,Human resources,,,\n,1.1,Salaries,month,20,5000.00\n"),
		Project: &pactumv1.Project{Code: "C-1", Title: "From the contract", CountryCodes: []string{"KE"}, Participants: []*pactumv1.Participant{
			{Organisation: lead, Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR},
			{Organisation: partner, Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_CO_BENEFICIARY}}},
		ValidateOnly: validateOnly,
	}
}

func contractMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	call := func(validateOnly bool) func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			res, err := c.Contracts.CreateGrantFromContract(ctx, connect.NewRequest(contractRequest(f.fa, f.lead, f.a, fmt.Sprintf("C/%d", f.next()), validateOnly)))
			if err == nil && (len(res.Msg.GetProblems()) > 0 || res.Msg.GetCreated() == validateOnly) {
				t.Fatalf("answered %v", res.Msg)
			}
			return nil, err
		}
	}
	return map[string][]matrixCase{
		// As CreateGrant: coordinators of the agreement's lead and admins;
		// another lead's coordinator may not use this agreement.
		v1.ContractServiceCreateGrantFromContractProcedure: {
			{what: "under FA", want: every(pd, "admin,coordinator", ok, "coordinator2", ia), call: call(false)},
			{what: "under FA, validate only", want: every(pd, "admin,coordinator", ok, "coordinator2", ia), call: call(true)},
		},
	}
}

// Through the API: the example Annex III makes a grant with its budget and
// partners; the broken one answers its problems per row and writes nothing;
// fields at fault are named with their request path.
func TestCreateGrantFromContract(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		coord := f.roles["coordinator"]
		rows := func() string {
			var n, m, k int
			_ = e.DB.NewRaw("SELECT COUNT(*) FROM grants").Scan(ctx, &n)
			_ = e.DB.NewRaw("SELECT COUNT(*) FROM budget_lines").Scan(ctx, &m)
			_ = e.DB.NewRaw("SELECT COUNT(*) FROM milestones").Scan(ctx, &k)
			return fmt.Sprintf("grants=%d lines=%d milestones=%d", n, m, k)
		}
		before := rows()
		broken, err := os.ReadFile("../contract/testdata/annex-iii-broken.csv")
		if err != nil {
			t.Fatal(err)
		}
		req := contractRequest(f.fa, f.lead, f.a, "C/broken", false)
		req.BudgetFileName, req.BudgetContent = "annex-iii-broken.csv", broken
		res, err := coord.Contracts.CreateGrantFromContract(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range res.Msg.GetProblems() {
			got = append(got, fmt.Sprintf("%d:%s:%s", p.GetRow(), p.GetColumn(), p.GetCode()))
		}
		if s := strings.Join(got, " "); !strings.Contains(s, "2:heading:LINE_WITHOUT_HEADING") || !strings.Contains(s, "4:units:BAD_NUMBER") ||
			!strings.Contains(s, "5:partner:UNKNOWN_PARTNER") || res.Msg.GetCreated() || res.Msg.GetGrant().GetName() != "" {
			t.Fatalf("broken budget answered %s (created %v)", s, res.Msg.GetCreated())
		}
		if after := rows(); after != before {
			t.Fatalf("a broken budget wrote: %s, before %s", after, before)
		}

		req = contractRequest(f.fa, f.lead, f.a, "C/bad", false)
		req.Project.Participants[1].Role = pactumv1.ParticipantRole_PARTICIPANT_ROLE_UNSPECIFIED
		req.Grant.EndDate = "2025-12-31"
		_, err = coord.Contracts.CreateGrantFromContract(ctx, connect.NewRequest(req))
		rpctest.ExpectViolation(t, err, "project.participants[1].role")
		req.Project.Participants[1].Role = pactumv1.ParticipantRole_PARTICIPANT_ROLE_AFFILIATED_ENTITY
		_, err = coord.Contracts.CreateGrantFromContract(ctx, connect.NewRequest(req))
		rpctest.ExpectViolation(t, err, "grant.end_date")

		req = contractRequest(f.fa, f.lead, f.a, "C/good", false)
		req.RequestId = "5d6f3c6e-0c1b-4d1e-8a59-4f2b8a0d9e11"
		res, err = coord.Contracts.CreateGrantFromContract(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		m := res.Msg
		if !m.GetCreated() || !strings.HasPrefix(m.GetGrant().GetName(), "grants/") || m.GetBudgetVersion().GetTotal() != "100000.00" ||
			m.GetProject().GetGrant() != m.GetGrant().GetName() || len(m.GetLines()) != 1 || m.GetBudgetTotal() != "100000.00" {
			t.Fatalf("created %v", m)
		}
		partnerUpdates := 0
		for _, ms := range m.GetMilestones() {
			if ms.GetKind() == pactumv1.MilestoneKind_MILESTONE_KIND_PARTNER_PROGRESS_UPDATE && ms.GetResponsibleOrganisation() == f.a {
				partnerUpdates++
			}
		}
		if partnerUpdates == 0 {
			t.Fatalf("no progress updates for the co-beneficiary in %v", m.GetMilestones())
		}
		// The grant reads back with its adopted budget.
		v, err := coord.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: m.GetGrant().GetName() + "/budgetVersions/latest"}))
		if err != nil || v.Msg.GetBudgetVersion().GetTotal() != "100000.00" {
			t.Fatalf("latest budget: %v %v", v, err)
		}
	})
}
