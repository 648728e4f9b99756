package rpc_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, financeMatrixCases) }

// finNewPayment records (as admin) the next pre-financing instalment of grant.
func finNewPayment(f *fixture, grant string) string {
	return must(f.e.Finance.CreatePrefinancingPayment(context.Background(), connect.NewRequest(&pactumv1.CreatePrefinancingPaymentRequest{
		Parent: grant, PrefinancingPayment: &pactumv1.PrefinancingPayment{ReceivedDate: "2025-02-01", Amount: "1000.00"}}))).
		GetPrefinancingPayment().GetName()
}

// financeMatrixCases: a grant's money as a whole (budget versus actual, the
// compliance check, pre-financing) is read by its coordinators, finance
// staff and auditors; its partners may read the grant but not this (denied);
// others do not know the grant. Coordinators and finance staff record and
// delete instalments.
func financeMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	readers := every(ok, "editorA,viewerA", pd, "coordinator2", nf)
	g2Readers := every(nf, "admin,coordinator2", ok)
	managers := every(ok, "auditor,editorA,viewerA", pd, "coordinator2", nf)
	bva := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Finance.GetBudgetVsActual(ctx, connect.NewRequest(&pactumv1.GetBudgetVsActualRequest{
				Grant: grant(f), GroupBy: pactumv1.BudgetGrouping_BUDGET_GROUPING_PARTNER})))
		}
	}
	compliance := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Finance.CheckCompliance(ctx, connect.NewRequest(&pactumv1.CheckComplianceRequest{Grant: grant(f)})))
		}
	}
	list := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Finance.ListPrefinancingPayments(ctx, connect.NewRequest(&pactumv1.ListPrefinancingPaymentsRequest{Parent: grant(f)})))
		}
	}
	g1 := func(f *fixture) string { return f.g1 }
	g2 := func(f *fixture) string { return f.g2 }
	return map[string][]matrixCase{
		v1.FinanceServiceGetBudgetVsActualProcedure: {
			{what: "G1", want: readers, call: bva(g1)},
			{what: "G2", want: g2Readers, call: bva(g2)},
		},
		v1.FinanceServiceCheckComplianceProcedure: {
			{what: "G1", want: readers, call: compliance(g1)},
			{what: "G2", want: g2Readers, call: compliance(g2)},
		},
		v1.FinanceServiceListPrefinancingPaymentsProcedure: {
			{what: "G1", want: readers, call: list(g1)},
			{what: "G2", want: g2Readers, call: list(g2)},
		},
		v1.FinanceServiceCreatePrefinancingPaymentProcedure: {
			{what: "in G1", want: managers, call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Finance.CreatePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.CreatePrefinancingPaymentRequest{
					Parent: f.g1, PrefinancingPayment: &pactumv1.PrefinancingPayment{ReceivedDate: "2025-02-01", Amount: "2500.00"}})))
			}},
		},
		v1.FinanceServiceGetPrefinancingPlanProcedure: {
			{what: "G1", want: readers, call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Finance.GetPrefinancingPlan(ctx, connect.NewRequest(&pactumv1.GetPrefinancingPlanRequest{Name: f.g1 + "/prefinancingPlan"})))
			}},
			{what: "G2", want: g2Readers, call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Finance.GetPrefinancingPlan(ctx, connect.NewRequest(&pactumv1.GetPrefinancingPlanRequest{Name: f.g2 + "/prefinancingPlan"})))
			}},
		},
		v1.FinanceServiceUpdatePrefinancingPlanProcedure: {
			{what: "G1's plan", want: managers, call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				name := f.g1 + "/prefinancingPlan"
				return noNames(c.Finance.UpdatePrefinancingPlan(ctx, connect.NewRequest(&pactumv1.UpdatePrefinancingPlanRequest{
					PrefinancingPlan: &pactumv1.PrefinancingPlan{Name: name, Etag: f.e.ETag(name),
						Instalments: []*pactumv1.PlannedInstalment{{Date: "2025-02-01", Amount: "1000.00"}}}})))
			}},
		},
		v1.FinanceServiceDeletePrefinancingPaymentProcedure: {
			{what: "G1's last instalment", want: managers, call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				p := finNewPayment(f, f.g1)
				return noNames(c.Finance.DeletePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.DeletePrefinancingPaymentRequest{Name: p})))
			}},
			{what: "G2's last instalment", want: g2Readers, call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				p := finNewPayment(f, f.g2)
				return noNames(c.Finance.DeletePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.DeletePrefinancingPaymentRequest{Name: p})))
			}},
		},
	}
}
