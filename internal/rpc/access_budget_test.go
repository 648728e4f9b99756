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

func init() { moreMatrixCases = append(moreMatrixCases, budgetMatrixCases) }

// budgetWorld is G1's adopted original budget, made once per fixture by an
// admin: a line allocated to partner A (project PA), one to partner B
// (project PB) and one to the lead. Cases that need a draft start an
// addendum and remove it again, so that G1 is left with this one adopted
// version (other services' cases may build on it).
type budgetWorld struct {
	original            string
	lineA, lineB, lineL string
}

func (f *fixture) budget(t *testing.T) *budgetWorld {
	if w := f.budgetW; w != nil {
		return w
	}
	ctx := context.Background()
	w := &budgetWorld{}
	list := must(f.e.Budgets.ListBudgetVersions(ctx, connect.NewRequest(&pactumv1.ListBudgetVersionsRequest{Parent: f.g1}))).GetBudgetVersions()
	if len(list) > 0 {
		panic(fmt.Sprintf("%s already has %d budget versions", f.g1, len(list)))
	}
	v := must(f.e.Budgets.CreateBudgetVersion(ctx, connect.NewRequest(&pactumv1.CreateBudgetVersionRequest{Parent: f.g1,
		BudgetVersion: &pactumv1.BudgetVersion{Kind: budOriginal}}))).GetBudgetVersion()
	line := func(l *pactumv1.BudgetLine) string {
		return must(f.e.Budgets.CreateBudgetLine(ctx, connect.NewRequest(&pactumv1.CreateBudgetLineRequest{Parent: v.GetName(), BudgetLine: l}))).GetBudgetLine().GetName()
	}
	w.lineA = line(budAllocated(budLine("1", "1.1", "Kenya staff", "month", "12", "1000"), f.pa, f.a))
	w.lineB = line(budAllocated(budLine("1", "1.2", "Nepal staff", "month", "12", "900"), f.pb, f.b))
	w.lineL = line(budAllocated(budLine("2", "2.1", "Lead travel", "trip", "2", "750"), "", f.lead))
	must(f.e.Budgets.AdoptBudgetVersion(ctx, connect.NewRequest(&pactumv1.AdoptBudgetVersionRequest{Name: v.GetName()})))
	w.original = v.GetName()
	f.budgetW = w
	return w
}

// withDraft runs call on a new draft addendum of G1 (holding copies of the
// latest adopted version's lines), then deletes the draft if it is still
// there.
func (f *fixture) withDraft(t *testing.T, call func(draft *pactumv1.BudgetVersion) ([]string, error)) ([]string, error) {
	ctx := context.Background()
	f.budget(t)
	d := must(f.e.Budgets.CreateBudgetVersion(ctx, connect.NewRequest(&pactumv1.CreateBudgetVersionRequest{Parent: f.g1,
		BudgetVersion: &pactumv1.BudgetVersion{Kind: budAddendum}}))).GetBudgetVersion()
	d = must(f.e.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: d.GetName()}))).GetBudgetVersion()
	defer func() {
		_, err := f.e.Budgets.DeleteBudgetVersion(ctx, connect.NewRequest(&pactumv1.DeleteBudgetVersionRequest{Name: d.GetName()}))
		if rpctest.Reason(err) == "BUDGET_VERSION_ADOPTED" {
			// The case adopted it. The API keeps adopted versions; the test
			// removes it so that G1's latest adopted version stays the original.
			for _, q := range []string{"DELETE FROM budget_lines WHERE budget_version_id = ?", "DELETE FROM budget_versions WHERE id = ?"} {
				if _, err := f.e.DB.NewRaw(q, id(d.GetName())).Exec(ctx); err != nil {
					panic(err)
				}
			}
		}
	}()
	return call(d)
}

func budgetVersionNames(res *connect.Response[pactumv1.ListBudgetVersionsResponse], err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	var out []string
	for _, v := range res.Msg.GetBudgetVersions() {
		out = append(out, v.GetName())
	}
	return out, nil
}

func budgetMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	// Everyone but coordinator2 reads G1's budget; admins, and the lead's
	// coordinators and finance staff keep it; its auditor and partner A's
	// users may read but not change it (PERMISSION_DENIED); coordinator2
	// does not see it (NOT_FOUND).
	readers := "admin,coordinator,finance,auditor,editorA,viewerA"
	readNotKeep := "auditor,editorA,viewerA"
	write := func() map[string]connect.Code { return every(ok, readNotKeep, pd, "coordinator2", nf) }
	return map[string][]matrixCase{
		v1.BudgetServiceListBudgetTemplatesProcedure: {{what: "every signed-in user", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Budgets.ListBudgetTemplates(ctx, connect.NewRequest(&pactumv1.ListBudgetTemplatesRequest{}))
				if err != nil {
					return nil, err
				}
				var out []string
				for _, tpl := range res.Msg.GetBudgetTemplates() {
					out = append(out, tpl.GetName())
				}
				return out, nil
			},
			sees: func(f *fixture) map[string][]string { return byRole(budPRAG, readers+",coordinator2") }}},
		v1.BudgetServiceGetBudgetTemplateProcedure: {{what: "PRAG", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Budgets.GetBudgetTemplate(ctx, connect.NewRequest(&pactumv1.GetBudgetTemplateRequest{Name: budPRAG})))
			}}},
		v1.BudgetServiceCreateBudgetTemplateProcedure: {{what: "for the lead", want: every(pd, "admin,coordinator", ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Budgets.CreateBudgetTemplate(ctx, connect.NewRequest(&pactumv1.CreateBudgetTemplateRequest{
					Organisation: f.lead, BudgetTemplate: &pactumv1.BudgetTemplate{DisplayName: fmt.Sprintf("Donor %d", f.next()),
						Headings: []*pactumv1.BudgetTemplateHeading{{Code: "1", Title: "Costs", Kind: pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_DIRECT}}}})))
			}}},
		v1.BudgetServiceDeleteBudgetTemplateProcedure: {{what: "the lead's, unused", want: every(pd, "admin,coordinator", ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				tpl := must(f.e.Budgets.CreateBudgetTemplate(ctx, connect.NewRequest(&pactumv1.CreateBudgetTemplateRequest{
					Organisation: f.lead, BudgetTemplate: &pactumv1.BudgetTemplate{DisplayName: fmt.Sprintf("Donor %d", f.next()),
						Headings: []*pactumv1.BudgetTemplateHeading{{Code: "1", Title: "Costs", Kind: pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_DIRECT}}}}))).GetBudgetTemplate()
				return noNames(c.Budgets.DeleteBudgetTemplate(ctx, connect.NewRequest(&pactumv1.DeleteBudgetTemplateRequest{Name: tpl.GetName(), Etag: tpl.GetEtag()})))
			}}},
		v1.BudgetServiceListBudgetVersionsProcedure: {{what: "of G1", want: every(ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				f.budget(t)
				return budgetVersionNames(c.Budgets.ListBudgetVersions(ctx, connect.NewRequest(&pactumv1.ListBudgetVersionsRequest{Parent: f.g1})))
			},
			sees: func(f *fixture) map[string][]string { return byRole(f.budgetW.original, readers) }},
			{what: "of G2", want: every(nf, "admin,coordinator2", ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					return budgetVersionNames(c.Budgets.ListBudgetVersions(ctx, connect.NewRequest(&pactumv1.ListBudgetVersionsRequest{Parent: f.g2})))
				}}},
		v1.BudgetServiceGetBudgetVersionProcedure: {{what: "G1's original: partners see their own lines only", want: every(ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				w := f.budget(t)
				res, err := c.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: w.original}))
				if err != nil {
					return nil, err
				}
				return budLineNames(res.Msg.GetBudgetVersion()), nil
			},
			sees: func(f *fixture) map[string][]string {
				w := f.budgetW
				return merge(byRole(w.lineA, readers), byRole(w.lineB, "admin,coordinator,finance,auditor"), byRole(w.lineL, "admin,coordinator,finance,auditor"))
			},
			notSees: func(f *fixture) map[string][]string {
				w := f.budgetW
				return merge(byRole(w.lineB, "editorA,viewerA"), byRole(w.lineL, "editorA,viewerA"))
			}},
			{what: "G1's latest", want: every(ok, "coordinator2", nf),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					f.budget(t)
					return noNames(c.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: f.g1 + "/budgetVersions/latest"})))
				}}},
		v1.BudgetServiceCreateBudgetVersionProcedure: {{what: "an addendum of G1", want: write(),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				f.budget(t)
				res, err := c.Budgets.CreateBudgetVersion(ctx, connect.NewRequest(&pactumv1.CreateBudgetVersionRequest{Parent: f.g1,
					BudgetVersion: &pactumv1.BudgetVersion{Kind: budAddendum}}))
				if err == nil { // leave G1 without a draft
					must(f.e.Budgets.DeleteBudgetVersion(ctx, connect.NewRequest(&pactumv1.DeleteBudgetVersionRequest{Name: res.Msg.GetBudgetVersion().GetName()})))
				}
				return nil, err
			}}},
		v1.BudgetServiceUpdateBudgetVersionProcedure: {{what: "a draft of G1", want: write(),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return f.withDraft(t, func(d *pactumv1.BudgetVersion) ([]string, error) {
					return noNames(c.Budgets.UpdateBudgetVersion(ctx, connect.NewRequest(&pactumv1.UpdateBudgetVersionRequest{
						BudgetVersion: &pactumv1.BudgetVersion{Name: d.GetName(), Label: "Renamed", Etag: d.GetEtag()},
						UpdateMask:    &fieldmaskpb.FieldMask{Paths: []string{"label"}}})))
				})
			}}},
		v1.BudgetServiceDeleteBudgetVersionProcedure: {{what: "a draft of G1", want: write(),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return f.withDraft(t, func(d *pactumv1.BudgetVersion) ([]string, error) {
					return noNames(c.Budgets.DeleteBudgetVersion(ctx, connect.NewRequest(&pactumv1.DeleteBudgetVersionRequest{Name: d.GetName(), Etag: d.GetEtag()})))
				})
			}}},
		v1.BudgetServiceAdoptBudgetVersionProcedure: {{what: "a draft of G1", want: write(),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return f.withDraft(t, func(d *pactumv1.BudgetVersion) ([]string, error) {
					return noNames(c.Budgets.AdoptBudgetVersion(ctx, connect.NewRequest(&pactumv1.AdoptBudgetVersionRequest{Name: d.GetName(), Etag: d.GetEtag(),
						ApprovalReference: "Addendum No 1"})))
				})
			}}},
		v1.BudgetServiceCreateBudgetLineProcedure: {{what: "in a draft of G1", want: write(),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return f.withDraft(t, func(d *pactumv1.BudgetVersion) ([]string, error) {
					return noNames(c.Budgets.CreateBudgetLine(ctx, connect.NewRequest(&pactumv1.CreateBudgetLineRequest{Parent: d.GetName(),
						BudgetLine: budAllocated(budLine("1", "1.9", "Kenya assistant", "month", "6", "400"), f.pa, f.a)})))
				})
			}}},
		v1.BudgetServiceUpdateBudgetLineProcedure: {{what: "A's line in a draft of G1", want: write(),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return f.withDraft(t, func(d *pactumv1.BudgetVersion) ([]string, error) {
					l := d.GetLines()[0]
					return noNames(c.Budgets.UpdateBudgetLine(ctx, connect.NewRequest(&pactumv1.UpdateBudgetLineRequest{
						BudgetLine: &pactumv1.BudgetLine{Name: l.GetName(), Units: "13", Etag: l.GetEtag()},
						UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"units"}}})))
				})
			}}},
		v1.BudgetServiceDeleteBudgetLineProcedure: {{what: "A's line in a draft of G1", want: write(),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return f.withDraft(t, func(d *pactumv1.BudgetVersion) ([]string, error) {
					l := d.GetLines()[0]
					return noNames(c.Budgets.DeleteBudgetLine(ctx, connect.NewRequest(&pactumv1.DeleteBudgetLineRequest{Name: l.GetName(), Etag: l.GetEtag()})))
				})
			}}},
		v1.BudgetServiceGetGrantRulesProcedure: {{what: "of G1", want: every(ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Budgets.GetGrantRules(ctx, connect.NewRequest(&pactumv1.GetGrantRulesRequest{Name: f.g1 + "/rules"})))
			}},
			{what: "of G2", want: every(nf, "admin,coordinator2", ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					return noNames(c.Budgets.GetGrantRules(ctx, connect.NewRequest(&pactumv1.GetGrantRulesRequest{Name: f.g2 + "/rules"})))
				}}},
		// The flexibility is set to the PRAG value it already has, so that
		// G1's rules stay the defaults for other cases.
		v1.BudgetServiceUpdateGrantRulesProcedure: {{what: "of G1", want: write(),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Budgets.UpdateGrantRules(ctx, connect.NewRequest(&pactumv1.UpdateGrantRulesRequest{
					GrantRules: &pactumv1.GrantRules{Name: f.g1 + "/rules", Etag: f.e.ETag(f.g1 + "/rules"), Flexibility: "25"},
					UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"flexibility"}}})))
			}}},
	}
}
