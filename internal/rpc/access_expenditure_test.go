package rpc_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, expenditureMatrixCases) }

// exmWorld is what the expenditure cases add to the fixture: two lines of
// G1's latest adopted budget, "EXM-A" (project PA, partner A) and "EXM-B"
// (PB, B), and one draft expenditure on each.
type exmWorld struct {
	lineA, lineB string // line keys
	expA, expB   string // expenditure names
}

// exm sets up the expenditure data once per fixture. The lines go into G1's
// latest adopted budget version (one is adopted when there is none); the
// budget service is another package's, so they are written directly.
func (f *fixture) exm(t *testing.T) *exmWorld {
	if w := f.exmW; w != nil {
		return w
	}
	ctx := context.Background()
	now := time.Now().UTC()
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := f.e.DB.NewRaw(query, args...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var versions []string
	if err := f.e.DB.NewRaw("SELECT id FROM budget_versions WHERE grant_id = ? AND state = 'adopted' ORDER BY number DESC", id(f.g1)).Scan(ctx, &versions); err != nil {
		t.Fatal(err)
	}
	if len(versions) == 0 {
		versions = []string{resource.NewID()}
		exec(`INSERT INTO budget_versions (id, grant_id, number, kind, label, state, adopt_time, version, create_time, update_time)
			VALUES (?, ?, 0, 'original', 'Original', 'adopted', ?, 1, ?, ?)`, versions[0], id(f.g1), now, now, now)
	}
	w := &exmWorld{lineA: "EXM-A", lineB: "EXM-B"}
	for _, l := range []struct{ key, project, org string }{{w.lineA, f.pa, f.a}, {w.lineB, f.pb, f.b}} {
		exec(`INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units, unit_cost, total,
			project_id, organisation_id, position, version, create_time, update_time) VALUES (?, ?, ?, ?, '2', ?, 'Travel', 'trip', '10', 100000, 1000000, ?, ?, 90, 1, ?, ?)`,
			resource.NewID(), versions[0], id(f.g1), l.key, l.key, id(l.project), id(l.org), now, now)
	}
	f.exmW = w
	w.expA = f.exmExpenditure(t, w.lineA, "draft")
	w.expB = f.exmExpenditure(t, w.lineB, "draft")
	return w
}

// exmExpenditure creates (as the lead's coordinator, so that under four
// eyes admins and finance staff may verify it) an expenditure in G1 on
// line key and moves it to status ("draft", "submitted").
func (f *fixture) exmExpenditure(t *testing.T, line, status string) string {
	ctx := context.Background()
	x := must(f.roles["coordinator"].Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: f.g1, Expenditure: &pactumv1.Expenditure{
		ExpenseDate: "2026-03-01", BudgetLineKey: line, Amount: "120.00", CurrencyCode: "EUR", Description: fmt.Sprintf("Trip %d", f.next())}}))).GetExpenditure()
	if status == "submitted" {
		must(f.roles["coordinator"].Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: x.GetName()})))
	}
	return x.GetName()
}

func expenditureMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	// Who records on A's allocation: the grant's finance managers and A's
	// editor; readers who may not: denied; another lead: not found.
	recordersA := every(ok, "auditor,viewerA", pd, "coordinator2", nf)
	recordersB := every(ok, "auditor,editorA,viewerA", pd, "coordinator2", nf)
	// Who verifies: finance staff (and admins) only.
	verifiers := every(pd, "admin,finance", ok, "coordinator2", nf)
	create := func(line func(*exmWorld) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: f.g1, Expenditure: &pactumv1.Expenditure{
				ExpenseDate: "2026-03-02", BudgetLineKey: line(f.exm(t)), Amount: "50.00", CurrencyCode: "EUR", Description: fmt.Sprintf("Taxi %d", f.next())}})))
		}
	}
	lineA := func(w *exmWorld) string { return w.lineA }
	lineB := func(w *exmWorld) string { return w.lineB }
	onNew := func(line func(*exmWorld) string, status string, call func(c *rpctest.Clients, name string) error) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return nil, call(c, f.exmExpenditure(t, line(f.exm(t)), status))
		}
	}
	// onNewRead is onNew for calls that send the etag an admin read.
	onNewRead := func(line func(*exmWorld) string, status string, call func(c *rpctest.Clients, name, etag string) error) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			name := f.exmExpenditure(t, line(f.exm(t)), status)
			return nil, call(c, name, f.e.ETag(name))
		}
	}
	get := func(name func(*exmWorld) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: name(f.exm(t))})))
		}
	}
	return map[string][]matrixCase{
		v1.ExpenditureServiceListExpendituresProcedure: {{what: "G1's", want: every(ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				f.exm(t)
				res, err := c.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: f.g1, PageSize: 1000}))
				if err != nil {
					return nil, err
				}
				var out []string
				for _, x := range res.Msg.GetExpenditures() {
					out = append(out, x.GetName())
				}
				return out, nil
			},
			sees: func(f *fixture) map[string][]string {
				w := f.exmW
				return merge(byRole(w.expA, "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(w.expB, "admin,coordinator,finance,auditor"))
			},
			notSees: func(f *fixture) map[string][]string { return byRole(f.exmW.expB, "editorA,viewerA") }}},
		v1.ExpenditureServiceGetExpenditureProcedure: {
			{what: "A's", want: every(ok, "coordinator2", nf), call: get(func(w *exmWorld) string { return w.expA })},
			{what: "B's", want: every(ok, "editorA,viewerA,coordinator2", nf), call: get(func(w *exmWorld) string { return w.expB })},
		},
		v1.ExpenditureServiceCreateExpenditureProcedure: {
			{what: "on A's line", want: recordersA, call: create(lineA)},
			{what: "on B's line", want: recordersB, call: create(lineB)},
		},
		v1.ExpenditureServiceUpdateExpenditureProcedure: {
			{what: "A's draft", want: recordersA, call: onNewRead(lineA, "draft", func(c *rpctest.Clients, name, etag string) error {
				_, err := c.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{Expenditure: &pactumv1.Expenditure{Name: name, Etag: etag, Payee: "Matatu"}}))
				return err
			})},
			{what: "B's draft", want: every(ok, "auditor", pd, "editorA,viewerA,coordinator2", nf), call: onNewRead(lineB, "draft", func(c *rpctest.Clients, name, etag string) error {
				_, err := c.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{Expenditure: &pactumv1.Expenditure{Name: name, Etag: etag, Payee: "Bus"}}))
				return err
			})},
		},
		v1.ExpenditureServiceDeleteExpenditureProcedure: {{what: "A's draft", want: recordersA, call: onNew(lineA, "draft", func(c *rpctest.Clients, name string) error {
			_, err := c.Expenditures.DeleteExpenditure(ctx, connect.NewRequest(&pactumv1.DeleteExpenditureRequest{Name: name}))
			return err
		})}},
		v1.ExpenditureServiceSubmitExpenditureProcedure: {{what: "A's draft", want: recordersA, call: onNew(lineA, "draft", func(c *rpctest.Clients, name string) error {
			_, err := c.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: name}))
			return err
		})}},
		v1.ExpenditureServiceVerifyExpenditureProcedure: {{what: "A's submitted", want: verifiers, call: onNew(lineA, "submitted", func(c *rpctest.Clients, name string) error {
			_, err := c.Expenditures.VerifyExpenditure(ctx, connect.NewRequest(&pactumv1.VerifyExpenditureRequest{Name: name}))
			return err
		})}},
		v1.ExpenditureServiceRejectExpenditureProcedure: {{what: "A's submitted", want: verifiers, call: onNew(lineA, "submitted", func(c *rpctest.Clients, name string) error {
			_, err := c.Expenditures.RejectExpenditure(ctx, connect.NewRequest(&pactumv1.RejectExpenditureRequest{Name: name, Reason: "No receipt"}))
			return err
		})}},
		v1.ExpenditureServiceImportLedgerProcedure: {{what: "rows on A's line", want: recordersA,
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				w := f.exm(t)
				content := fmt.Sprintf("Date,Budget line,Amount,Currency,Description\n2026-03-03,%s,10.00,EUR,Fuel %d\n", w.lineA, f.next())
				res, err := c.Expenditures.ImportLedger(ctx, connect.NewRequest(&pactumv1.ImportLedgerRequest{Parent: f.g1, FileName: "ledger.csv", Content: []byte(content)}))
				if err == nil && (len(res.Msg.GetProblems()) > 0 || res.Msg.GetImportedCount() != 1) {
					t.Errorf("import answered %v", res.Msg)
				}
				return nil, err
			}}},
		v1.ExpenditureServiceBatchSubmitExpendituresProcedure: {{what: "A's draft", want: recordersA, call: onNewRead(lineA, "draft", func(c *rpctest.Clients, name, etag string) error {
			return batchErr(c.Expenditures.BatchSubmitExpenditures(ctx, connect.NewRequest(&pactumv1.BatchSubmitExpendituresRequest{Parent: parentOf(name),
				Items: []*pactumv1.ExpenditureRef{{Name: name, Etag: etag}}})))
		})}},
		v1.ExpenditureServiceBatchVerifyExpendituresProcedure: {{what: "A's submitted", want: verifiers, call: onNewRead(lineA, "submitted", func(c *rpctest.Clients, name, etag string) error {
			return batchErr(c.Expenditures.BatchVerifyExpenditures(ctx, connect.NewRequest(&pactumv1.BatchVerifyExpendituresRequest{Parent: parentOf(name),
				Items: []*pactumv1.ExpenditureRef{{Name: name, Etag: etag}}})))
		})}},
		v1.ExpenditureServiceBatchRejectExpendituresProcedure: {{what: "A's submitted", want: verifiers, call: onNewRead(lineA, "submitted", func(c *rpctest.Clients, name, etag string) error {
			return batchErr(c.Expenditures.BatchRejectExpenditures(ctx, connect.NewRequest(&pactumv1.BatchRejectExpendituresRequest{Parent: parentOf(name),
				Items: []*pactumv1.ExpenditureRef{{Name: name, Etag: etag}}, Reason: "No receipt"})))
		})}},
		v1.ExpenditureServiceGetLedgerTemplateProcedure: {{what: "G1's", want: every(ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				f.exm(t)
				return noNames(c.Expenditures.GetLedgerTemplate(ctx, connect.NewRequest(&pactumv1.GetLedgerTemplateRequest{Parent: f.g1})))
			}}},
	}
}

// parentOf returns "grants/{grant}" of an expenditure's name.
func parentOf(name string) string {
	parts := strings.SplitN(name, "/", 3)
	return parts[0] + "/" + parts[1]
}

// batchErr turns the answer of a one-item batch into the error the single
// call would give: the item's refusal, with its code.
func batchErr[T any](res *connect.Response[T], err error) error {
	if err != nil {
		return err
	}
	msg, ok := any(res.Msg).(batchAnswer)
	if !ok {
		return fmt.Errorf("%T is no batch answer", res.Msg)
	}
	rs := msg.GetResults()
	if len(rs) != 1 {
		return fmt.Errorf("batch of one answered %d results", len(rs))
	}
	if rs[0].GetDone() {
		if rs[0].GetExpenditure() == nil || msg.GetDoneCount() != 1 {
			return fmt.Errorf("done item without its expenditure or count: %v", msg)
		}
		return nil
	}
	var code connect.Code
	if err := code.UnmarshalText([]byte(rs[0].GetCode())); err != nil {
		return fmt.Errorf("item refused with code %q: %w", rs[0].GetCode(), err)
	}
	return connect.NewError(code, errors.New(rs[0].GetMessage()))
}

// batchAnswer is what the batch responses have in common.
type batchAnswer interface {
	GetResults() []*pactumv1.BatchExpenditureResult
	GetDoneCount() int32
}
