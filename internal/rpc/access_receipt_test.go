package rpc_test

import (
	"context"
	"net/http"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, receiptMatrixCases) }

// deleteNewReceipt uploads a receipt (as admin) to a new draft expenditure
// of org's project in G1, moves the expenditure to status, then deletes the
// receipt as c.
func deleteNewReceipt(project, org func(*fixture) string, status string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
	return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		exp := rcptExpenditure(t, f.e, f.g1, project(f), org(f), "draft")
		r := rcptUpload(t, f.e, exp, rcptBearer(&f.e.Clients), rcptFile("r.pdf", rcptPDF(1000+f.next()))).expect(t, http.StatusCreated, "").receipt(t)
		rcptSetStatus(t, f.e, exp, status)
		return noNames(c.Expenditures.DeleteReceipt(context.Background(), connect.NewRequest(&pactumv1.DeleteReceiptRequest{Name: r.GetName()})))
	}
}

func receiptMatrixCases() map[string][]matrixCase {
	pa, pb := func(f *fixture) string { return f.pa }, func(f *fixture) string { return f.pb }
	a, b := func(f *fixture) string { return f.a }, func(f *fixture) string { return f.b }
	return map[string][]matrixCase{
		// The grant's finance managers, and A's editor on A's own
		// expenditures, while draft or rejected; readers who may not
		// change: denied.
		v1.ExpenditureServiceDeleteReceiptProcedure: {
			{what: "on A's draft expenditure", want: every(ok, "auditor,viewerA", pd, "coordinator2", nf),
				call: deleteNewReceipt(pa, a, "draft")},
			{what: "on A's submitted expenditure", want: every(connect.CodeFailedPrecondition, "auditor,viewerA", pd, "coordinator2", nf),
				call: deleteNewReceipt(pa, a, "submitted")},
			{what: "on B's draft expenditure", want: every(ok, "auditor", pd, "editorA,viewerA,coordinator2", nf),
				call: deleteNewReceipt(pb, b, "draft")},
		},
	}
}
