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

func init() { moreMatrixCases = append(moreMatrixCases, fundingMatrixCases) }

// fundNewSource records (as admin) another donor of grant and returns its
// name.
func fundNewSource(f *fixture, grant string) string {
	return must(f.e.Funding.CreateFundingSource(context.Background(), connect.NewRequest(&pactumv1.CreateFundingSourceRequest{
		Parent: grant, FundingSource: &pactumv1.FundingSource{Kind: pactumv1.FundingKind_FUNDING_KIND_OTHER_DONOR,
			DisplayName: fmt.Sprintf("Donor %d", f.next()), ExpectedAmount: "1000.00"}}))).GetFundingSource().GetName()
}

// fundNewReceipt records (as admin) a receipt of source.
func fundNewReceipt(f *fixture, source string) string {
	return must(f.e.Funding.CreateFundingReceipt(context.Background(), connect.NewRequest(&pactumv1.CreateFundingReceiptRequest{
		Parent: source, FundingReceipt: &pactumv1.FundingReceipt{ReceivedDate: "2025-03-01", Amount: "250.00"}}))).GetFundingReceipt().GetName()
}

// fundingMatrixCases: a grant's sources of funding are read as its money as
// a whole is (coordinators, finance staff and auditors; partners are
// denied; others do not know the grant) and changed by its coordinators and
// finance staff.
func fundingMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	readers := every(ok, "editorA,viewerA", pd, "coordinator2", nf)
	g2Readers := every(nf, "admin,coordinator2", ok)
	managers := every(ok, "auditor,editorA,viewerA", pd, "coordinator2", nf)
	g1 := func(f *fixture) string { return f.g1 }
	g2 := func(f *fixture) string { return f.g2 }
	list := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Funding.ListFundingSources(ctx, connect.NewRequest(&pactumv1.ListFundingSourcesRequest{Parent: grant(f)})))
		}
	}
	summary := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Funding.GetFundingSummary(ctx, connect.NewRequest(&pactumv1.GetFundingSummaryRequest{Grant: grant(f), ReportingPeriod: 1})))
		}
	}
	create := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Funding.CreateFundingSource(ctx, connect.NewRequest(&pactumv1.CreateFundingSourceRequest{Parent: grant(f),
				FundingSource: &pactumv1.FundingSource{Kind: pactumv1.FundingKind_FUNDING_KIND_INCOME, DisplayName: "Fees", ExpectedAmount: "10.00"}})))
		}
	}
	update := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			s := fundNewSource(f, grant(f))
			return noNames(c.Funding.UpdateFundingSource(ctx, connect.NewRequest(&pactumv1.UpdateFundingSourceRequest{
				FundingSource: &pactumv1.FundingSource{Name: s, Etag: f.e.ETag(s), ExpectedAmount: "2000.00"},
				UpdateMask:    &fieldmaskpb.FieldMask{Paths: []string{"expected_amount"}}})))
		}
	}
	del := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			s := fundNewSource(f, grant(f))
			return noNames(c.Funding.DeleteFundingSource(ctx, connect.NewRequest(&pactumv1.DeleteFundingSourceRequest{Name: s})))
		}
	}
	receipt := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			s := fundNewSource(f, grant(f))
			return noNames(c.Funding.CreateFundingReceipt(ctx, connect.NewRequest(&pactumv1.CreateFundingReceiptRequest{Parent: s,
				FundingReceipt: &pactumv1.FundingReceipt{ReceivedDate: "2025-04-01", Amount: "100.00"}})))
		}
	}
	delReceipt := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			r := fundNewReceipt(f, fundNewSource(f, grant(f)))
			return noNames(c.Funding.DeleteFundingReceipt(ctx, connect.NewRequest(&pactumv1.DeleteFundingReceiptRequest{Name: r})))
		}
	}
	return map[string][]matrixCase{
		v1.FundingServiceListFundingSourcesProcedure: {
			{what: "G1", want: readers, call: list(g1)},
			{what: "G2", want: g2Readers, call: list(g2)},
		},
		v1.FundingServiceGetFundingSummaryProcedure: {
			{what: "G1", want: readers, call: summary(g1)},
			{what: "G2", want: g2Readers, call: summary(g2)},
		},
		v1.FundingServiceCreateFundingSourceProcedure: {
			{what: "in G1", want: managers, call: create(g1)},
			{what: "in G2", want: g2Readers, call: create(g2)},
		},
		v1.FundingServiceUpdateFundingSourceProcedure: {
			{what: "in G1", want: managers, call: update(g1)},
			{what: "in G2", want: g2Readers, call: update(g2)},
		},
		v1.FundingServiceDeleteFundingSourceProcedure: {
			{what: "in G1", want: managers, call: del(g1)},
			{what: "in G2", want: g2Readers, call: del(g2)},
		},
		v1.FundingServiceCreateFundingReceiptProcedure: {
			{what: "in G1", want: managers, call: receipt(g1)},
			{what: "in G2", want: g2Readers, call: receipt(g2)},
		},
		v1.FundingServiceDeleteFundingReceiptProcedure: {
			{what: "in G1", want: managers, call: delReceipt(g1)},
			{what: "in G2", want: g2Readers, call: delReceipt(g2)},
		},
	}
}
