package rpc_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// statusOf reads an expenditure's status as an admin.
func statusOf(t *testing.T, f *fixture, name string) pactumv1.ExpenditureStatus {
	t.Helper()
	return must(f.e.Expenditures.GetExpenditure(context.Background(), connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: name}))).GetExpenditure().GetStatus()
}

// A batch verification acts on each item under the single call's rules:
// the items that may be verified are, the others are refused each with its
// reason (not submitted, four eyes, another grant's, a stale etag, a name
// that is none) and stay as they were. A repeat with the same request_id
// answers the same results and acts no more; the same request_id for
// another request is refused.
func TestBatchVerifyMixed(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		w := f.exm(t)
		fin := f.roles["finance"]
		ok1 := f.exmExpenditure(t, w.lineA, "submitted")
		ok2 := f.exmExpenditure(t, w.lineB, "submitted")
		draft := f.exmExpenditure(t, w.lineA, "draft")
		stale := f.exmExpenditure(t, w.lineA, "submitted")
		staleTag := f.e.ETag(stale)
		// Changed since it was read: rejected and submitted again.
		must(f.e.Expenditures.RejectExpenditure(ctx, connect.NewRequest(&pactumv1.RejectExpenditureRequest{Name: stale, Reason: "Receipt unreadable"})))
		must(f.roles["coordinator"].Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: stale})))
		// Recorded and submitted by the finance officer who verifies.
		own := must(fin.Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: f.g1, Expenditure: &pactumv1.Expenditure{
			ExpenseDate: "2026-03-04", BudgetLineKey: w.lineA, Amount: "75.00", CurrencyCode: "EUR", Description: "Hotel"}}))).GetExpenditure().GetName()
		must(fin.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: own})))
		other := f.g2 + "/expenditures/01a00000-0000-7000-8000-000000000000"

		items := []*pactumv1.ExpenditureRef{{Name: ok1, Etag: f.e.ETag(ok1)}, {Name: draft}, {Name: own}, {Name: other}, {Name: stale, Etag: staleTag}, {Name: ok2}}
		rid := uuid.NewString()
		verify := func(items []*pactumv1.ExpenditureRef) (*pactumv1.BatchVerifyExpendituresResponse, error) {
			res, err := fin.Expenditures.BatchVerifyExpenditures(ctx, connect.NewRequest(&pactumv1.BatchVerifyExpendituresRequest{Parent: f.g1, Items: items, RequestId: rid}))
			if err != nil {
				return nil, err
			}
			return res.Msg, nil
		}
		res, err := verify(items)
		if err != nil {
			t.Fatal(err)
		}
		type want struct {
			done         bool
			code, reason string
			says         string
		}
		wants := []want{
			{done: true},
			{code: "failed_precondition", reason: "EXPENDITURE_NOT_SUBMITTED", says: "only a submitted expenditure can be verified"},
			{code: "permission_denied", reason: "FOUR_EYES", says: "another member of the finance staff"},
			{code: "invalid_argument", says: "is not an expenditure of " + f.g1},
			{code: "aborted", says: "stale etag"},
			{done: true},
		}
		check := func(res *pactumv1.BatchVerifyExpendituresResponse) {
			t.Helper()
			if len(res.GetResults()) != len(wants) || res.GetDoneCount() != 2 || res.GetRefusedCount() != 4 {
				t.Fatalf("results %d, done %d, refused %d: %v", len(res.GetResults()), res.GetDoneCount(), res.GetRefusedCount(), res)
			}
			for i, r := range res.GetResults() {
				w := wants[i]
				if r.GetName() != items[i].GetName() || r.GetDone() != w.done || r.GetCode() != w.code || r.GetReason() != w.reason || !strings.Contains(r.GetMessage(), w.says) {
					t.Errorf("item %d (%s): done %v code %q reason %q message %q; want %+v", i, items[i].GetName(), r.GetDone(), r.GetCode(), r.GetReason(), r.GetMessage(), w)
				}
				if w.done && r.GetExpenditure().GetStatus() != pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_VERIFIED {
					t.Errorf("item %d done but answered %v", i, r.GetExpenditure().GetStatus())
				}
			}
		}
		check(res)
		for name, st := range map[string]pactumv1.ExpenditureStatus{
			ok1: pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_VERIFIED, ok2: pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_VERIFIED,
			draft: pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_DRAFT, own: pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_SUBMITTED,
			stale: pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_SUBMITTED,
		} {
			if got := statusOf(t, f, name); got != st {
				t.Errorf("%s is %v, want %v", name, got, st)
			}
		}

		// The repeat answers the same and acts no more.
		events := countRows(t, e, "audit_events")
		again, err := verify(items)
		if err != nil {
			t.Fatal(err)
		}
		check(again)
		if n := countRows(t, e, "audit_events"); n != events {
			t.Errorf("the repeat wrote %d audit events", n-events)
		}
		// The same request_id for another request is refused.
		_, err = verify(items[:1])
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		if v := rpctest.Violations(err)["request_id"]; !strings.Contains(v, "different request") {
			t.Errorf("request_id reused: %v", err)
		}

		// Another finance officer verifies what the first recorded.
		fin2 := e.As(t, rpctest.Member(actor.RoleFinance, id(f.lead)))
		res2 := must(fin2.Expenditures.BatchVerifyExpenditures(ctx, connect.NewRequest(&pactumv1.BatchVerifyExpendituresRequest{Parent: f.g1,
			Items: []*pactumv1.ExpenditureRef{{Name: own}}})))
		if res2.GetDoneCount() != 1 {
			t.Errorf("another finance officer: %v", res2)
		}
	})
}

// Four eyes is a grant setting, on by default: turned off, whoever
// recorded an expenditure may verify it; the single call refuses as the
// batch does, saying who may verify; the recorder may still reject.
func TestFourEyesSetting(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		w := f.exm(t)
		fin := f.roles["finance"]
		record := func() (string, *pactumv1.Expenditure) {
			x := must(fin.Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: f.g1, Expenditure: &pactumv1.Expenditure{
				ExpenseDate: "2026-03-05", BudgetLineKey: w.lineA, Amount: "30.00", CurrencyCode: "EUR", Description: fmt.Sprintf("Taxi %d", f.next())}}))).GetExpenditure()
			x = must(fin.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: x.GetName()}))).GetExpenditure()
			return x.GetName(), x
		}
		g := must(e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: f.g1}))).GetGrant()
		if g.FourEyes == nil || !g.GetFourEyes() {
			t.Fatalf("four_eyes of a new grant: %v, want true", g.FourEyes)
		}
		name, x := record()
		if x.GetCallerCanVerify() || !x.GetCallerFourEyes() || x.GetSubmittedBy() == "" || x.GetCreatedBy() != x.GetSubmittedBy() {
			t.Errorf("own submitted: can verify %v, four eyes %v, created by %q, submitted by %q", x.GetCallerCanVerify(), x.GetCallerFourEyes(), x.GetCreatedBy(), x.GetSubmittedBy())
		}
		_, err := fin.Expenditures.VerifyExpenditure(ctx, connect.NewRequest(&pactumv1.VerifyExpenditureRequest{Name: name}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if rpctest.Reason(err) != "FOUR_EYES" || !strings.Contains(err.Error(), "you recorded") || !strings.Contains(err.Error(), "another member of the finance staff of "+f.g1) {
			t.Errorf("verifying one's own: %v (reason %q)", err, rpctest.Reason(err))
		}
		if got := statusOf(t, f, name); got != pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_SUBMITTED {
			t.Errorf("refused but %v", got)
		}
		// Submitted (not recorded) by the verifier: refused too.
		sub := f.exmExpenditure(t, w.lineA, "draft")
		must(fin.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: sub})))
		_, err = fin.Expenditures.VerifyExpenditure(ctx, connect.NewRequest(&pactumv1.VerifyExpenditureRequest{Name: sub}))
		if rpctest.Reason(err) != "FOUR_EYES" || !strings.Contains(err.Error(), "you submitted") {
			t.Errorf("verifying what one submitted: %v", err)
		}
		// Rejecting one's own is allowed: it approves nothing.
		rej := must(fin.Expenditures.BatchRejectExpenditures(ctx, connect.NewRequest(&pactumv1.BatchRejectExpendituresRequest{Parent: f.g1,
			Items: []*pactumv1.ExpenditureRef{{Name: sub}}, Reason: "Wrong line"})))
		if rej.GetDoneCount() != 1 || rej.GetResults()[0].GetExpenditure().GetRejectReason() != "Wrong line" {
			t.Errorf("rejecting what one submitted: %v", rej)
		}
		// A rejection needs a reason.
		_, err = fin.Expenditures.BatchRejectExpenditures(ctx, connect.NewRequest(&pactumv1.BatchRejectExpendituresRequest{Parent: f.g1,
			Items: []*pactumv1.ExpenditureRef{{Name: name}}, Reason: "   "}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)

		// Off: the recorder verifies.
		must(e.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant:      &pactumv1.Grant{Name: f.g1, Etag: g.GetEtag(), FourEyes: new(bool)},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"four_eyes"}}})))
		g = must(e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: f.g1}))).GetGrant()
		if g.GetFourEyes() || g.FourEyes == nil {
			t.Fatalf("four_eyes after turning it off: %v", g.FourEyes)
		}
		x = must(fin.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: name}))).GetExpenditure()
		if !x.GetCallerCanVerify() || x.GetCallerFourEyes() {
			t.Errorf("four eyes off: can verify %v, four eyes %v", x.GetCallerCanVerify(), x.GetCallerFourEyes())
		}
		must(fin.Expenditures.VerifyExpenditure(ctx, connect.NewRequest(&pactumv1.VerifyExpenditureRequest{Name: name})))
	})
}

// A whole ledger import is submitted in one call: its drafts, and no
// other expenditure; a second call finds nothing left to submit. An item
// list over 500 is refused as a whole.
func TestBatchSubmitImport(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		w := f.exm(t)
		editor := f.roles["editorA"]
		content := fmt.Sprintf("Date,Budget line,Amount,Currency,Description\n2026-03-03,%[1]s,10.00,EUR,Fuel\n2026-03-04,%[1]s,12.00,EUR,Fuel\n2026-03-05,%[1]s,14.00,EUR,Fuel\n", w.lineA)
		imp := must(editor.Expenditures.ImportLedger(ctx, connect.NewRequest(&pactumv1.ImportLedgerRequest{Parent: f.g1, FileName: "ledger.csv", Content: []byte(content)})))
		if imp.GetImportedCount() != 3 || !strings.HasPrefix(imp.GetLedgerImport(), f.g1+"/ledgerImports/") {
			t.Fatalf("import: %v", imp)
		}
		res := must(editor.Expenditures.BatchSubmitExpenditures(ctx, connect.NewRequest(&pactumv1.BatchSubmitExpendituresRequest{Parent: f.g1, LedgerImport: imp.GetLedgerImport()})))
		if res.GetDoneCount() != 3 || res.GetRefusedCount() != 0 {
			t.Fatalf("submit the import: %v", res)
		}
		for _, r := range res.GetResults() {
			x := r.GetExpenditure()
			if x.GetStatus() != pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_SUBMITTED || x.GetLedgerImport() != imp.GetLedgerImport() {
				t.Errorf("%s: %v from %q", r.GetName(), x.GetStatus(), x.GetLedgerImport())
			}
		}
		if got := statusOf(t, f, w.expA); got != pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_DRAFT {
			t.Errorf("a draft outside the import became %v", got)
		}
		again := must(editor.Expenditures.BatchSubmitExpenditures(ctx, connect.NewRequest(&pactumv1.BatchSubmitExpendituresRequest{Parent: f.g1, LedgerImport: imp.GetLedgerImport()})))
		if len(again.GetResults()) != 0 {
			t.Errorf("second submit of the import: %v", again)
		}
		_, err := editor.Expenditures.BatchSubmitExpenditures(ctx, connect.NewRequest(&pactumv1.BatchSubmitExpendituresRequest{Parent: f.g1, LedgerImport: f.g1 + "/ledgerImports/nope"}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		// Finance verifies what the partner imported, 3 in one call.
		var items []*pactumv1.ExpenditureRef
		for _, r := range res.GetResults() {
			items = append(items, &pactumv1.ExpenditureRef{Name: r.GetName(), Etag: r.GetExpenditure().GetEtag()})
		}
		v := must(f.roles["finance"].Expenditures.BatchVerifyExpenditures(ctx, connect.NewRequest(&pactumv1.BatchVerifyExpendituresRequest{Parent: f.g1, Items: items})))
		if v.GetDoneCount() != 3 {
			t.Errorf("verify the import: %v", v)
		}
		many := make([]*pactumv1.ExpenditureRef, 501)
		for i := range many {
			many[i] = &pactumv1.ExpenditureRef{Name: w.expA}
		}
		_, err = f.roles["finance"].Expenditures.BatchVerifyExpenditures(ctx, connect.NewRequest(&pactumv1.BatchVerifyExpendituresRequest{Parent: f.g1, Items: many}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
	})
}
