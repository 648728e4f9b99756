package rpc_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func TestProcurementContracts(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		coord := f.roles["coordinator"]
		create := func(k *pactumv1.ProcurementContract, requestID string) (*pactumv1.ProcurementContract, error) {
			res, err := coord.Procurement.CreateProcurementContract(ctx, connect.NewRequest(&pactumv1.CreateProcurementContractRequest{
				Parent: f.g1, ProcurementContract: k, RequestId: requestID}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetProcurementContract(), nil
		}
		valid := func() *pactumv1.ProcurementContract {
			return &pactumv1.ProcurementContract{Reference: "GADW/2025/SUP-03", Title: "Printing of 2,000 training manuals",
				Contractor: "Nairobi Printers Ltd", Procedure: pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_LOCAL_OPEN_TENDER,
				AwardDate: "2025-06-30", Amount: "75000.5", Organisation: f.a}
		}

		// Recorded once however often the request is retried.
		rid := uuid.NewString()
		k, err := create(valid(), rid)
		if err != nil {
			t.Fatal(err)
		}
		again, err := create(valid(), rid)
		if err != nil || again.GetName() != k.GetName() {
			t.Fatalf("retry: %v, %v; want %s", again, err, k.GetName())
		}
		if k.GetAmount() != "75000.50" || k.GetCurrencyCode() != "EUR" || !k.GetInFinalReport() || k.GetOrganisation() != f.a ||
			k.GetOrganisationDisplayName() != "Umoja Domestic Workers Union" || !k.GetCallerCanUpdate() || k.GetEtag() == "" {
			t.Fatalf("created %v", k)
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM procurement_contracts WHERE grant_id = ?", id(f.g1)); n != 1 {
			t.Fatalf("%d rows after a retried create", n)
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = 'create'", k.GetName()); n != 1 {
			t.Errorf("%d create events", n)
		}

		// A small one, awarded by the lead (organisation left empty), earlier.
		small := valid()
		small.Organisation, small.Amount, small.AwardDate, small.Title = "", "60000.00", "2025-02-01", "Venue hire"
		s, err := create(small, "")
		if err != nil {
			t.Fatal(err)
		}
		if s.GetInFinalReport() || s.GetOrganisation() != f.lead {
			t.Errorf("EUR 60,000 exactly, by the lead: %v", s)
		}

		// Bad input: every field named, nothing recorded.
		_, err = create(&pactumv1.ProcurementContract{Title: " ", Amount: "-3", AwardDate: "2030-01-01", Organisation: f.lead2}, "")
		for _, field := range []string{"title", "contractor", "procedure", "award_date", "amount", "organisation"} {
			rpctest.ExpectViolation(t, err, "procurement_contract."+field)
		}
		_, err = create(&pactumv1.ProcurementContract{Title: "x", Contractor: "y", Procedure: 1, AwardDate: "30/06/2025", Amount: "0"}, "")
		rpctest.ExpectViolation(t, err, "procurement_contract.award_date")
		rpctest.ExpectViolation(t, err, "procurement_contract.amount")
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM procurement_contracts WHERE grant_id = ?", id(f.g1)); n != 2 {
			t.Fatalf("%d rows after refused creates", n)
		}

		// Listed by award date, page by page.
		list := func(size int32, token string) *pactumv1.ListProcurementContractsResponse {
			return must(coord.Procurement.ListProcurementContracts(ctx, connect.NewRequest(&pactumv1.ListProcurementContractsRequest{
				Parent: f.g1, PageSize: size, PageToken: token})))
		}
		p1 := list(1, "")
		if len(p1.GetProcurementContracts()) != 1 || p1.GetProcurementContracts()[0].GetName() != s.GetName() || p1.GetNextPageToken() == "" || !p1.GetCallerCanCreate() {
			t.Fatalf("page 1 %v", p1)
		}
		p2 := list(1, p1.GetNextPageToken())
		if len(p2.GetProcurementContracts()) != 1 || p2.GetProcurementContracts()[0].GetName() != k.GetName() || p2.GetNextPageToken() != "" {
			t.Fatalf("page 2 %v", p2)
		}
		if fin := must(f.roles["finance"].Procurement.ListProcurementContracts(ctx, connect.NewRequest(&pactumv1.ListProcurementContractsRequest{Parent: f.g1}))); fin.GetCallerCanCreate() || fin.GetProcurementContracts()[0].GetCallerCanUpdate() {
			t.Errorf("finance staff may change contracts: %v", fin)
		}

		// Update with the etag: only the masked field changes; stale is aborted.
		upd := func(p *pactumv1.ProcurementContract, paths ...string) (*pactumv1.ProcurementContract, error) {
			res, err := coord.Procurement.UpdateProcurementContract(ctx, connect.NewRequest(&pactumv1.UpdateProcurementContractRequest{
				ProcurementContract: p, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetProcurementContract(), nil
		}
		u, err := upd(&pactumv1.ProcurementContract{Name: s.GetName(), Etag: s.GetEtag(), Amount: "61000", Title: "ignored"}, "amount")
		if err != nil {
			t.Fatal(err)
		}
		if u.GetAmount() != "61000.00" || !u.GetInFinalReport() || u.GetTitle() != "Venue hire" || u.GetEtag() == s.GetEtag() {
			t.Errorf("updated %v", u)
		}
		_, err = upd(&pactumv1.ProcurementContract{Name: s.GetName(), Etag: s.GetEtag(), Amount: "1"}, "amount")
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = upd(&pactumv1.ProcurementContract{Name: s.GetName(), Amount: "1"}, "amount")
		rpctest.ExpectViolation(t, err, "procurement_contract.etag")
		_, err = upd(&pactumv1.ProcurementContract{Name: s.GetName(), Etag: u.GetEtag(), Procedure: 0}, "procedure")
		rpctest.ExpectViolation(t, err, "procurement_contract.procedure")

		// Delete: a stale etag is refused; then gone.
		_, err = coord.Procurement.DeleteProcurementContract(ctx, connect.NewRequest(&pactumv1.DeleteProcurementContractRequest{Name: s.GetName(), Etag: s.GetEtag()}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		must(coord.Procurement.DeleteProcurementContract(ctx, connect.NewRequest(&pactumv1.DeleteProcurementContractRequest{Name: s.GetName(), Etag: u.GetEtag()})))
		if l := list(0, ""); len(l.GetProcurementContracts()) != 1 || l.GetProcurementContracts()[0].GetName() != k.GetName() {
			t.Errorf("after delete %v", l)
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = 'delete'", s.GetName()); n != 1 {
			t.Errorf("%d delete events", n)
		}
	})
}
