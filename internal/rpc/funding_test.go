package rpc_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// TestFundingThroughTheAPI: sources and receipts as decimal strings in the
// grant currency; errors name the request's fields; the summary adds up
// (G1: total 1,000,000.00, max 900,000.00 at 90%, nothing spent yet).
func TestFundingThroughTheAPI(t *testing.T) {
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		fin := f.roles["finance"].Funding
		create := func(s *pactumv1.FundingSource) (*pactumv1.FundingSource, error) {
			r, err := fin.CreateFundingSource(ctx, connect.NewRequest(&pactumv1.CreateFundingSourceRequest{Parent: f.g1, FundingSource: s}))
			if err != nil {
				return nil, err
			}
			return r.Msg.GetFundingSource(), nil
		}
		made := func(s *pactumv1.FundingSource, err error) *pactumv1.FundingSource {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		own := pactumv1.FundingKind_FUNDING_KIND_OWN_FUNDS
		_, err := create(&pactumv1.FundingSource{Kind: own, Organisation: f.donor, ExpectedAmount: "1"})
		rpctest.ExpectViolation(t, err, "funding_source.organisation")
		_, err = create(&pactumv1.FundingSource{Kind: pactumv1.FundingKind_FUNDING_KIND_OTHER_DONOR, ExpectedAmount: "abc"})
		rpctest.ExpectViolation(t, err, "funding_source.display_name")
		rpctest.ExpectViolation(t, err, "funding_source.expected_amount")
		_, err = create(&pactumv1.FundingSource{Kind: pactumv1.FundingKind_FUNDING_KIND_EU_CONTRIBUTION, ExpectedAmount: "1"})
		rpctest.ExpectViolation(t, err, "funding_source.kind")

		lead := made(create(&pactumv1.FundingSource{Kind: own, Organisation: f.lead, ExpectedAmount: "60000"}))
		if lead.GetExpectedAmount() != "60000.00" || lead.GetOrganisationDisplayName() != "Global Alliance for Decent Work" ||
			!lead.GetCallerCanUpdate() || lead.GetEtag() == "" {
			t.Errorf("own funds = %+v", lead)
		}
		made(create(&pactumv1.FundingSource{Kind: own, Organisation: f.a, ExpectedAmount: "20000.00"}))
		sdc := made(create(&pactumv1.FundingSource{Kind: pactumv1.FundingKind_FUNDING_KIND_OTHER_DONOR, DisplayName: "SDC", ExpectedAmount: "20000.00"}))
		_, err = fin.CreateFundingReceipt(ctx, connect.NewRequest(&pactumv1.CreateFundingReceiptRequest{Parent: sdc.GetName(),
			FundingReceipt: &pactumv1.FundingReceipt{ReceivedDate: "2025-03-01", Amount: "-1"}}))
		rpctest.ExpectViolation(t, err, "funding_receipt.amount")
		_, err = fin.CreateFundingReceipt(ctx, connect.NewRequest(&pactumv1.CreateFundingReceiptRequest{Parent: lead.GetName(),
			FundingReceipt: &pactumv1.FundingReceipt{ReceivedDate: "2025-03-01", Amount: "1"}}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		r := must(fin.CreateFundingReceipt(ctx, connect.NewRequest(&pactumv1.CreateFundingReceiptRequest{Parent: sdc.GetName(),
			FundingReceipt: &pactumv1.FundingReceipt{ReceivedDate: "2025-03-01", Amount: "5000", Reference: "SDC-1"}}))).GetFundingReceipt()
		if r.GetAmount() != "5000.00" || r.GetReceivedDate() != "2025-03-01" {
			t.Errorf("receipt = %+v", r)
		}

		list := must(f.roles["auditor"].Funding.ListFundingSources(ctx, connect.NewRequest(&pactumv1.ListFundingSourcesRequest{Parent: f.g1})))
		if len(list.GetFundingSources()) != 3 || list.GetCallerCanCreate() || list.GetFundingSources()[0].GetCallerCanUpdate() {
			t.Errorf("the auditor's list: %d sources, may create %v", len(list.GetFundingSources()), list.GetCallerCanCreate())
		}

		s := must(f.roles["auditor"].Funding.GetFundingSummary(ctx, connect.NewRequest(&pactumv1.GetFundingSummaryRequest{Grant: f.g1, ReportingPeriod: 1})))
		if s.GetFromDate() != "2025-01-01" || s.GetToDate() != "2025-12-31" || s.GetTotal().GetExpected() != "1000000.00" ||
			s.GetCoFinancingRate() != "90" || s.GetEuShareToDate() != "0.00" || s.GetOwnFundsToDate() != "-5000.00" || len(s.GetLines()) != 4 {
			t.Errorf("summary = %+v", s)
		}
		if fs := s.GetFindings(); len(fs) != 1 || fs[0].GetCode() != "FUNDING_EXCEEDS_COSTS" || fs[0].GetArgs()["excess"] != "5000.00" {
			t.Errorf("findings = %+v", fs)
		}
	})
}
