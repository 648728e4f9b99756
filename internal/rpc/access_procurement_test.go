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

func init() { moreMatrixCases = append(moreMatrixCases, procurementMatrixCases) }

// procNew records (as admin) a procurement contract of grant, awarded by
// partner A when grant is G1.
func procNew(f *fixture, grant string) *pactumv1.ProcurementContract {
	org := ""
	if grant == f.g1 {
		org = f.a
	}
	return must(f.e.Procurement.CreateProcurementContract(context.Background(), connect.NewRequest(&pactumv1.CreateProcurementContractRequest{
		Parent: grant, ProcurementContract: &pactumv1.ProcurementContract{
			Reference: fmt.Sprintf("SUP-%02d", f.next()), Title: "Printing of training manuals", Contractor: "Nairobi Printers Ltd",
			Procedure: pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_LOCAL_OPEN_TENDER, AwardDate: "2025-06-30",
			Amount: "75000.00", Organisation: org}}))).GetProcurementContract()
}

// procurementMatrixCases: a grant's procurement contracts are read by its
// coordinators, finance staff and auditors, and written by its
// coordinators; partners of the grant are refused (permission), everyone
// else does not see the grant (not found).
func procurementMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	list := func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		k := procNew(f, f.g1)
		res, err := c.Procurement.ListProcurementContracts(ctx, connect.NewRequest(&pactumv1.ListProcurementContractsRequest{Parent: f.g1}))
		if err != nil {
			return nil, err
		}
		var names []string
		for _, x := range res.Msg.GetProcurementContracts() {
			names = append(names, x.GetName())
		}
		if len(names) == 0 || names[len(names)-1] != k.GetName() {
			t.Errorf("listed %v, want %s last", names, k.GetName())
		}
		return nil, nil
	}
	create := func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		return noNames(c.Procurement.CreateProcurementContract(ctx, connect.NewRequest(&pactumv1.CreateProcurementContractRequest{
			Parent: f.g1, ProcurementContract: &pactumv1.ProcurementContract{Title: "Vehicle hire", Contractor: "Safari Cars",
				Procedure: pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_COMPETITIVE_NEGOTIATED, AwardDate: "2025-03-01", Amount: "12000"}})))
	}
	update := func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		k := procNew(f, f.g1)
		return noNames(c.Procurement.UpdateProcurementContract(ctx, connect.NewRequest(&pactumv1.UpdateProcurementContractRequest{
			ProcurementContract: &pactumv1.ProcurementContract{Name: k.GetName(), Etag: k.GetEtag(), Amount: "80000.00"},
			UpdateMask:          &fieldmaskpb.FieldMask{Paths: []string{"amount"}}})))
	}
	del := func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		k := procNew(f, f.g1)
		return noNames(c.Procurement.DeleteProcurementContract(ctx, connect.NewRequest(&pactumv1.DeleteProcurementContractRequest{Name: k.GetName()})))
	}
	writers := every(pd, "admin,coordinator", ok, "coordinator2", nf)
	return map[string][]matrixCase{
		v1.ProcurementContractServiceListProcurementContractsProcedure: {
			{what: "of G1", want: every(pd, "admin,coordinator,finance,auditor", ok, "coordinator2", nf), call: list},
			{what: "of G2", want: every(nf, "admin,coordinator2", ok), call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				procNew(f, f.g2)
				return noNames(c.Procurement.ListProcurementContracts(ctx, connect.NewRequest(&pactumv1.ListProcurementContractsRequest{Parent: f.g2})))
			}},
		},
		v1.ProcurementContractServiceCreateProcurementContractProcedure: {{what: "on G1", want: writers, call: create}},
		v1.ProcurementContractServiceUpdateProcurementContractProcedure: {{what: "of G1", want: writers, call: update}},
		v1.ProcurementContractServiceDeleteProcurementContractProcedure: {{what: "of G1", want: writers, call: del}},
	}
}
