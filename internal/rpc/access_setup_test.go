package rpc_test

import (
	"context"
	"fmt"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, setupMatrixCases) }

// setupMatrixCases: closing and reopening agreements and projects, and
// cancelling milestones (issue 14). Managers of the grant (or of the
// agreement's lead) may; others who read it are denied; those who do not
// read it do not find it.
func setupMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	managers := "admin,coordinator"
	return map[string][]matrixCase{
		v1.FrameworkAgreementServiceCloseFrameworkAgreementProcedure: {{what: "a new agreement led by L", want: every(nf, managers, ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				a := f.agreement(t, fmt.Sprintf("FPA/C%d", f.next()), f.lead)
				return noNames(c.Agreements.CloseFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CloseFrameworkAgreementRequest{Name: a})))
			}}},
		v1.FrameworkAgreementServiceReopenFrameworkAgreementProcedure: {{what: "a new closed agreement led by L", want: every(nf, managers, ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				a := f.agreement(t, fmt.Sprintf("FPA/R%d", f.next()), f.lead)
				must(f.e.Agreements.CloseFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CloseFrameworkAgreementRequest{Name: a})))
				return noNames(c.Agreements.ReopenFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.ReopenFrameworkAgreementRequest{Name: a})))
			}}},
		v1.ProjectServiceCloseProjectProcedure: {{what: "a new project of A in G1", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				p := f.project(t, f.g1, fmt.Sprintf("C-%d", f.next()), f.a, "KE")
				return noNames(c.Projects.CloseProject(ctx, connect.NewRequest(&pactumv1.CloseProjectRequest{Name: p})))
			}}},
		v1.ProjectServiceReopenProjectProcedure: {{what: "a new closed project of A in G1", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				p := f.project(t, f.g1, fmt.Sprintf("R-%d", f.next()), f.a, "KE")
				must(f.e.Projects.CloseProject(ctx, connect.NewRequest(&pactumv1.CloseProjectRequest{Name: p})))
				return noNames(c.Projects.ReopenProject(ctx, connect.NewRequest(&pactumv1.ReopenProjectRequest{Name: p})))
			}}},
		v1.MilestoneServiceCancelMilestoneProcedure: {{what: "a new milestone A is responsible for", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				m := f.milestoneOf(t, pactumv1.MilestoneKind_MILESTONE_KIND_MONITORING_VISIT, f.g1, f.pa, f.a)
				return noNames(c.Milestones.CancelMilestone(ctx, connect.NewRequest(&pactumv1.CancelMilestoneRequest{Name: m, Reason: "No longer needed"})))
			}}},
	}
}
