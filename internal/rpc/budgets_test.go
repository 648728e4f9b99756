package rpc_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

const budPRAG = "budgetTemplates/eu-prag-annex-iii"

const (
	budOriginal = pactumv1.BudgetVersionKind_BUDGET_VERSION_KIND_ORIGINAL
	budAddendum = pactumv1.BudgetVersionKind_BUDGET_VERSION_KIND_ADDENDUM
	budTransfer = pactumv1.BudgetVersionKind_BUDGET_VERSION_KIND_TRANSFER
)

// budLine returns a budget line to create.
func budLine(heading, code, description, unit, units, unitCost string) *pactumv1.BudgetLine {
	return &pactumv1.BudgetLine{HeadingCode: heading, Code: code, Description: description, Unit: unit, Units: units, UnitCost: unitCost}
}

// budAllocated returns l allocated to a project and an organisation.
func budAllocated(l *pactumv1.BudgetLine, project, org string) *pactumv1.BudgetLine {
	l.Project, l.Organisation = project, org
	return l
}

func budMustVersion(t *testing.T, c *rpctest.Clients, grant string, kind pactumv1.BudgetVersionKind) *pactumv1.BudgetVersion {
	t.Helper()
	res, err := c.Budgets.CreateBudgetVersion(context.Background(), connect.NewRequest(&pactumv1.CreateBudgetVersionRequest{
		Parent: grant, BudgetVersion: &pactumv1.BudgetVersion{Kind: kind}}))
	if err != nil {
		t.Fatalf("create %v version of %s: %v", kind, grant, err)
	}
	return res.Msg.GetBudgetVersion()
}

func budMustLine(t *testing.T, c *rpctest.Clients, version string, l *pactumv1.BudgetLine) *pactumv1.BudgetLine {
	t.Helper()
	res, err := c.Budgets.CreateBudgetLine(context.Background(), connect.NewRequest(&pactumv1.CreateBudgetLineRequest{Parent: version, BudgetLine: l}))
	if err != nil {
		t.Fatalf("create line %s: %v", l.GetCode(), err)
	}
	return res.Msg.GetBudgetLine()
}

func budGet(t *testing.T, c *rpctest.Clients, name string) *pactumv1.BudgetVersion {
	t.Helper()
	res, err := c.Budgets.GetBudgetVersion(context.Background(), connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: name}))
	if err != nil {
		t.Fatalf("get %s: %v", name, err)
	}
	return res.Msg.GetBudgetVersion()
}

// budAdopt adopts v with its current etag.
func budAdopt(t *testing.T, c *rpctest.Clients, v *pactumv1.BudgetVersion) *pactumv1.BudgetVersion {
	t.Helper()
	v = budGet(t, c, v.GetName())
	res, err := c.Budgets.AdoptBudgetVersion(context.Background(), connect.NewRequest(&pactumv1.AdoptBudgetVersionRequest{Name: v.GetName(), Etag: v.GetEtag()}))
	if err != nil {
		t.Fatalf("adopt %s: %v", v.GetName(), err)
	}
	return res.Msg.GetBudgetVersion()
}

// budRows returns a version's heading totals by code, each as "total" or
// "total percent".
func budRows(v *pactumv1.BudgetVersion) map[string]string {
	out := map[string]string{}
	for _, h := range v.GetHeadings() {
		out[h.GetCode()] = strings.TrimSpace(h.GetTotal() + " " + h.GetPercentOfBase())
	}
	return out
}

func budExpectRows(t *testing.T, v *pactumv1.BudgetVersion, want map[string]string) {
	t.Helper()
	got := budRows(v)
	for code, w := range want {
		if got[code] != w {
			t.Errorf("%s heading %s: got %q, want %q", v.GetName(), code, got[code], w)
		}
	}
}

func budLineNames(v *pactumv1.BudgetVersion) []string {
	var out []string
	for _, l := range v.GetLines() {
		out = append(out, l.GetName())
	}
	return out
}

func budAuditCount(t *testing.T, e *rpctest.Env, resource, action string) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = ?", resource, action).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBudgetTemplates(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)

		// Any signed-in user lists the templates: PRAG Annex III is there with
		// its 11 headings, computed rows included.
		res, err := f.roles["viewerA"].Budgets.ListBudgetTemplates(ctx, connect.NewRequest(&pactumv1.ListBudgetTemplatesRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		var prag *pactumv1.BudgetTemplate
		for _, tpl := range res.Msg.GetBudgetTemplates() {
			if tpl.GetName() == budPRAG {
				prag = tpl
			}
		}
		if prag == nil || !prag.GetBuiltIn() || prag.GetDisplayName() != "EU PRAG Annex III" || prag.GetOrganisation() != "" {
			t.Fatalf("PRAG template: %v", prag)
		}
		D, S, C, TD, I, T := pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_DIRECT, pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_SUBTOTAL,
			pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_CONTINGENCY, pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_TOTAL_DIRECT,
			pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_INDIRECT, pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_TOTAL
		wantKinds := []pactumv1.BudgetHeadingKind{D, D, D, D, D, D, S, C, TD, I, T}
		if len(prag.GetHeadings()) != 11 {
			t.Fatalf("PRAG has %d headings, want 11", len(prag.GetHeadings()))
		}
		for i, h := range prag.GetHeadings() {
			if h.GetCode() != strconv.Itoa(i+1) || h.GetKind() != wantKinds[i] {
				t.Errorf("heading %d: %s %v, want %d %v", i, h.GetCode(), h.GetKind(), i+1, wantKinds[i])
			}
		}
		hr := prag.GetHeadings()[0]
		if hr.GetTitle() != "Human resources" || len(hr.GetUsualLines()) != 3 || hr.GetUsualLines()[0].GetCode() != "1.1" ||
			hr.GetUsualLines()[0].GetDescription() != "Salaries, local staff (technical and administrative)" {
			t.Errorf("heading 1: %v", hr)
		}
		if n := len(prag.GetHeadings()[6].GetUsualLines()); n != 0 {
			t.Errorf("the subtotal has %d usual lines", n)
		}
		got, err := f.roles["editorA"].Budgets.GetBudgetTemplate(ctx, connect.NewRequest(&pactumv1.GetBudgetTemplateRequest{Name: budPRAG}))
		if err != nil || len(got.Msg.GetBudgetTemplate().GetHeadings()) != 11 {
			t.Fatalf("get PRAG: %v %v", got, err)
		}
		_, err = e.Budgets.GetBudgetTemplate(ctx, connect.NewRequest(&pactumv1.GetBudgetTemplateRequest{Name: "budgetTemplates/nope"}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)

		// A coordinator defines another donor's template for their organisation.
		sida := func() *pactumv1.BudgetTemplate {
			return &pactumv1.BudgetTemplate{DisplayName: "Sida budget", Description: "Swedish template", Headings: []*pactumv1.BudgetTemplateHeading{
				{Code: "A", Title: "Staff", Kind: D, UsualLines: []*pactumv1.UsualBudgetLine{{Code: "A.1", Description: "Salaries"}}},
				{Code: "B", Title: "Activities", Kind: D},
				{Code: "S", Title: "Direct costs", Kind: S},
				{Code: "I", Title: "Overheads", Kind: I},
				{Code: "T", Title: "Total", Kind: T},
			}}
		}
		create := func(c *rpctest.Clients, tpl *pactumv1.BudgetTemplate, org, requestID string) (*pactumv1.BudgetTemplate, error) {
			res, err := c.Budgets.CreateBudgetTemplate(ctx, connect.NewRequest(&pactumv1.CreateBudgetTemplateRequest{
				BudgetTemplate: tpl, Organisation: org, RequestId: requestID}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetBudgetTemplate(), nil
		}
		const rid = "0b9f3c1e-6f0e-4c1a-9d43-1f2d3c4b5a60"
		made, err := create(f.roles["coordinator"], sida(), f.lead, rid)
		if err != nil {
			t.Fatal(err)
		}
		if made.GetBuiltIn() || made.GetOrganisation() != f.lead || len(made.GetHeadings()) != 5 ||
			made.GetHeadings()[0].GetUsualLines()[0].GetDescription() != "Salaries" || !strings.HasPrefix(made.GetName(), "budgetTemplates/") {
			t.Errorf("created %v", made)
		}
		again, err := create(f.roles["coordinator"], sida(), f.lead, rid)
		if err != nil || again.GetName() != made.GetName() {
			t.Errorf("retry with the same request_id: %v %v, want %s", again, err, made.GetName())
		}
		if n := budAuditCount(t, e, made.GetName(), "create"); n != 1 {
			t.Errorf("%d create events for the template", n)
		}
		list, _ := e.Budgets.ListBudgetTemplates(ctx, connect.NewRequest(&pactumv1.ListBudgetTemplatesRequest{}))
		if n := len(list.Msg.GetBudgetTemplates()); n != 2 || list.Msg.GetBudgetTemplates()[0].GetName() != budPRAG {
			t.Errorf("list after create: %d templates, first %s", n, list.Msg.GetBudgetTemplates()[0].GetName())
		}

		// Only coordinators of that organisation (and admins) may.
		_, err = create(f.roles["coordinator"], sida(), f.a, "")
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = create(f.roles["finance"], sida(), f.lead, "")
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)

		// Bad templates name the field.
		for _, c := range []struct {
			name   string
			mutate func(*pactumv1.BudgetTemplate)
			field  string
		}{
			{"no direct heading", func(t *pactumv1.BudgetTemplate) { t.Headings = t.Headings[2:] }, "budget_template.headings"},
			{"duplicate code", func(t *pactumv1.BudgetTemplate) { t.Headings[1].Code = "A" }, "budget_template.headings[1].code"},
			{"lines under a computed row", func(t *pactumv1.BudgetTemplate) {
				t.Headings[2].UsualLines = []*pactumv1.UsualBudgetLine{{Code: "S.1", Description: "x"}}
			}, "budget_template.headings[2].usual_lines"},
			{"two totals", func(t *pactumv1.BudgetTemplate) { t.Headings[3].Kind = T }, "budget_template.headings[4].kind"},
			{"no kind", func(t *pactumv1.BudgetTemplate) { t.Headings[1].Kind = 0 }, "budget_template.headings[1].kind"},
			{"no title", func(t *pactumv1.BudgetTemplate) { t.Headings[1].Title = " " }, "budget_template.headings[1].title"},
			{"blank name", func(t *pactumv1.BudgetTemplate) { t.DisplayName = "  " }, "budget_template.display_name"},
			{"no headings", func(t *pactumv1.BudgetTemplate) { t.Headings = nil }, "budget_template.headings"},
		} {
			tpl := sida()
			c.mutate(tpl)
			_, err := create(&e.Clients, tpl, f.lead, "")
			if rpctest.Code(err) != connect.CodeInvalidArgument || rpctest.Violations(err)[c.field] == "" {
				t.Errorf("%s: got %v, want a violation of %s", c.name, err, c.field)
			}
		}
		_, err = create(&e.Clients, sida(), "organisations/nope", "")
		rpctest.ExpectViolation(t, err, "organisation")

		// The caller_can_* fields and the grant count say what Delete does.
		if prag.GetCallerCanDelete() || prag.GetEtag() == "" {
			t.Errorf("PRAG to a partner viewer: caller_can_delete %v, etag %q", prag.GetCallerCanDelete(), prag.GetEtag())
		}
		getTpl := func(c *rpctest.Clients, name string) *pactumv1.BudgetTemplate {
			return must(c.Budgets.GetBudgetTemplate(ctx, connect.NewRequest(&pactumv1.GetBudgetTemplateRequest{Name: name}))).GetBudgetTemplate()
		}
		if !getTpl(f.roles["coordinator"], made.GetName()).GetCallerCanDelete() || getTpl(f.roles["finance"], made.GetName()).GetCallerCanDelete() ||
			getTpl(f.roles["coordinator2"], made.GetName()).GetCallerCanDelete() || getTpl(&e.Clients, budPRAG).GetCallerCanDelete() {
			t.Error("caller_can_delete: want the lead's coordinator only (PRAG: no one)")
		}
		del := func(c *rpctest.Clients, name, etag string) error {
			_, err := c.Budgets.DeleteBudgetTemplate(ctx, connect.NewRequest(&pactumv1.DeleteBudgetTemplateRequest{Name: name, Etag: etag}))
			return err
		}
		// The built-in template stays, even for admins.
		if err := del(&e.Clients, budPRAG, ""); rpctest.Reason(err) != "TEMPLATE_BUILT_IN" {
			t.Errorf("delete PRAG: %v, want TEMPLATE_BUILT_IN", err)
		}
		// Another organisation's coordinator and finance staff may not; a stale etag is refused.
		rpctest.ExpectCode(t, del(f.roles["coordinator2"], made.GetName(), ""), connect.CodePermissionDenied)
		rpctest.ExpectCode(t, del(f.roles["finance"], made.GetName(), ""), connect.CodePermissionDenied)
		rpctest.ExpectCode(t, del(f.roles["coordinator"], made.GetName(), `"zz"`), connect.CodeAborted)
		// In use by a grant's rules: refused, and it is all there still.
		must(e.Budgets.UpdateGrantRules(ctx, connect.NewRequest(&pactumv1.UpdateGrantRulesRequest{
			GrantRules: &pactumv1.GrantRules{Name: f.g2 + "/rules", Etag: e.ETag(f.g2 + "/rules"), BudgetTemplate: made.GetName()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"budget_template"}}})))
		inUse := getTpl(f.roles["coordinator"], made.GetName())
		if inUse.GetGrantCount() != 1 {
			t.Errorf("grant_count %d, want 1", inUse.GetGrantCount())
		}
		if err := del(f.roles["coordinator"], made.GetName(), inUse.GetEtag()); rpctest.Reason(err) != "TEMPLATE_IN_USE" {
			t.Errorf("delete a template in use: %v, want TEMPLATE_IN_USE", err)
		}
		if n := len(getTpl(f.roles["coordinator"], made.GetName()).GetHeadings()); n != 5 {
			t.Errorf("after the refused delete the template has %d headings, want 5", n)
		}
		// Once no grant uses it, its coordinator deletes it, with its headings.
		must(e.Budgets.UpdateGrantRules(ctx, connect.NewRequest(&pactumv1.UpdateGrantRulesRequest{
			GrantRules: &pactumv1.GrantRules{Name: f.g2 + "/rules", Etag: e.ETag(f.g2 + "/rules"), BudgetTemplate: budPRAG},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"budget_template"}}})))
		if err := del(f.roles["coordinator"], made.GetName(), inUse.GetEtag()); err != nil {
			t.Fatalf("delete an unused template: %v", err)
		}
		_, err = e.Budgets.GetBudgetTemplate(ctx, connect.NewRequest(&pactumv1.GetBudgetTemplateRequest{Name: made.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		var headings int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM budget_template_headings WHERE template_id = ?", id(made.GetName())).Scan(ctx, &headings); err != nil || headings != 0 {
			t.Errorf("%d headings left (%v)", headings, err)
		}
		if n := budAuditCount(t, e, made.GetName(), "delete"); n != 1 {
			t.Errorf("%d delete events for the template", n)
		}
	})
}

// An original budget built line by line, with every total worked out by
// hand.
func TestBudgetOriginalBuiltLineByLine(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		fin := f.roles["finance"] // finance staff of the lead keep the budget
		v := budMustVersion(t, fin, f.g1, budOriginal)
		if v.GetNumber() != 0 || v.GetState() != pactumv1.BudgetVersionState_BUDGET_VERSION_STATE_DRAFT || v.GetLabel() != "Original budget" ||
			v.GetCurrencyCode() != "EUR" || v.GetTotal() != "0.00" || len(v.GetHeadings()) != 11 || !strings.HasPrefix(v.GetName(), f.g1+"/budgetVersions/") {
			t.Fatalf("new original: %v", v)
		}
		lines := []struct {
			line  *pactumv1.BudgetLine
			total string
		}{
			{budAllocated(budLine("1", "1.1", "Project coordinator", "per month", "36", "3500.00"), "", f.lead), "126000.00"}, // 36 x 3500.00
			{budAllocated(budLine("1", "1.2", "Field officer, Kenya", "per month", "24", "1250.50"), f.pa, f.a), "30012.00"},  // 24 x 1250.50
			{budAllocated(budLine("1", "1.3", "Per diems, Nepal", "per day", "45.5", "85"), f.pb, f.b), "3867.50"},            // 45.5 x 85.00
			{budLine("2", "2.1", "International travel", "trip", "6", "1100"), "6600.00"},                                     // 6 x 1100.00
			{budLine("2", "2.2", "Local transportation", "trip", "2.5", "33.33"), "83.33"},                                    // 2.5 x 33.33 = 83.325 -> 83.33
			{budLine("3", "3.2", "Laptops", "piece", "4", "899.99"), "3599.96"},                                               // 4 x 899.99
			{budLine("5", "5.3", "Expenditure verification", "lump sum", "1", "8000"), "8000.00"},                             // 1 x 8000.00
			{budLine("8", "8.1", "Contingency reserve", "lump sum", "1", "5000"), "5000.00"},                                  // 1 x 5000.00
			{budLine("10", "10.1", "Indirect costs", "lump sum", "1", "12500"), "12500.00"},                                   // 1 x 12500.00
		}
		var keys []string
		for _, c := range lines {
			l := budMustLine(t, fin, v.GetName(), c.line)
			if l.GetTotal() != c.total {
				t.Errorf("line %s: total %s, want %s", c.line.GetCode(), l.GetTotal(), c.total)
			}
			if !strings.HasPrefix(l.GetName(), v.GetName()+"/lines/") || l.GetLineKey() == "" || l.GetEtag() == "" {
				t.Errorf("line %s: %v", c.line.GetCode(), l)
			}
			keys = append(keys, l.GetLineKey())
			if n := budAuditCount(t, e, l.GetName(), "create"); n != 1 {
				t.Errorf("line %s: %d create events", c.line.GetCode(), n)
			}
		}
		if keys[0] == keys[1] {
			t.Error("two lines share a line key")
		}
		got := budGet(t, fin, v.GetName())
		// 1:  126000.00 + 30012.00 + 3867.50 = 159879.50
		// 2:  6600.00 + 83.33                 =   6683.33
		// 7:  159879.50 + 6683.33 + 3599.96 + 8000.00 = 178162.79
		// 8:  5000.00, 5000.00 / 178162.79 = 2.8064% -> 2.81
		// 9:  178162.79 + 5000.00   = 183162.79
		// 10: 12500.00, 12500.00 / 183162.79 = 6.8245% -> 6.82
		// 11: 183162.79 + 12500.00  = 195662.79
		budExpectRows(t, got, map[string]string{
			"1": "159879.50", "2": "6683.33", "3": "3599.96", "4": "0.00", "5": "8000.00", "6": "0.00",
			"7": "178162.79", "8": "5000.00 2.81", "9": "183162.79", "10": "12500.00 6.82", "11": "195662.79",
		})
		if got.GetTotal() != "195662.79" || len(got.GetLines()) != 9 {
			t.Errorf("version total %s with %d lines", got.GetTotal(), len(got.GetLines()))
		}
		// Lines come by heading, in the order they were added.
		if l := got.GetLines()[1]; l.GetCode() != "1.2" || l.GetProject() != f.pa || l.GetOrganisation() != f.a || l.GetUnits() != "24" || l.GetUnitCost() != "1250.50" {
			t.Errorf("line 1.2 reads back as %v", l)
		}
		// The heading order is the template's, with kinds.
		if h := got.GetHeadings()[6]; h.GetKind() != pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_SUBTOTAL || h.GetTitle() == "" {
			t.Errorf("row 7: %v", h)
		}

		adopted := budAdopt(t, fin, v)
		if adopted.GetState() != pactumv1.BudgetVersionState_BUDGET_VERSION_STATE_ADOPTED || adopted.GetAdoptTime() == nil || adopted.GetTotal() != "195662.79" {
			t.Errorf("adopted: %v", adopted)
		}
		latest := budGet(t, f.roles["auditor"], f.g1+"/budgetVersions/latest")
		if latest.GetName() != v.GetName() || latest.GetTotal() != "195662.79" {
			t.Errorf("latest is %s (%s)", latest.GetName(), latest.GetTotal())
		}
		if n := budAuditCount(t, e, v.GetName(), "adopt"); n != 1 {
			t.Errorf("%d adopt events", n)
		}
	})
}

// Every bad line is refused, naming the field and what would be valid, and
// nothing is written.
func TestBudgetLineBadInputs(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		v := budMustVersion(t, &e.Clients, f.g1, budOriginal)
		budMustLine(t, &e.Clients, v.GetName(), budLine("1", "1.1", "Coordinator", "month", "12", "3000"))
		for _, c := range []struct {
			name  string
			line  *pactumv1.BudgetLine
			field string
			says  string
		}{
			{"unknown heading", budLine("12", "12.1", "x", "", "1", "1"), "budget_line.heading_code", "not a heading"},
			{"computed heading", budLine("7", "7.1", "x", "", "1", "1"), "budget_line.heading_code", "computed"},
			{"no heading", budLine("", "0.1", "x", "", "1", "1"), "budget_line.heading_code", "required"},
			{"more decimals than EUR", budLine("1", "1.9", "x", "", "1", "10.001"), "budget_line.unit_cost", "more decimals than EUR allows"},
			{"negative cost", budLine("1", "1.9", "x", "", "1", "-10"), "budget_line.unit_cost", "negative"},
			{"cost not a number", budLine("1", "1.9", "x", "", "1", "ten"), "budget_line.unit_cost", "not a decimal"},
			{"no cost", budLine("1", "1.9", "x", "", "1", ""), "budget_line.unit_cost", ""},
			{"five decimals of units", budLine("1", "1.9", "x", "", "1.23456", "1"), "budget_line.units", "more than 4 decimals"},
			{"negative units", budLine("1", "1.9", "x", "", "-1", "1"), "budget_line.units", "negative"},
			{"no code", budLine("1", " ", "x", "", "1", "1"), "budget_line.code", "required"},
			{"no description", budLine("1", "1.9", "", "", "1", "1"), "budget_line.description", "required"},
			{"project of another grant", budAllocated(budLine("1", "1.9", "x", "", "1", "1"), f.p2, ""), "budget_line.project", "another grant"},
			{"no such project", budAllocated(budLine("1", "1.9", "x", "", "1", "1"), "projects/nope", ""), "budget_line.project", "does not exist"},
			{"not a project name", budAllocated(budLine("1", "1.9", "x", "", "1", "1"), f.a, ""), "budget_line.project", "projects/{id}"},
			{"organisation outside the grant", budAllocated(budLine("1", "1.9", "x", "", "1", "1"), "", f.lead2), "budget_line.organisation", "neither leads"},
		} {
			_, err := e.Budgets.CreateBudgetLine(ctx, connect.NewRequest(&pactumv1.CreateBudgetLineRequest{Parent: v.GetName(), BudgetLine: c.line}))
			if rpctest.Code(err) != connect.CodeInvalidArgument {
				t.Errorf("%s: got %v, want INVALID_ARGUMENT", c.name, err)
				continue
			}
			if d, ok := rpctest.Violations(err)[c.field]; !ok || !strings.Contains(d, c.says) {
				t.Errorf("%s: violations %v, want %s saying %q", c.name, rpctest.Violations(err), c.field, c.says)
			}
		}
		// A code taken in the version.
		_, err := e.Budgets.CreateBudgetLine(ctx, connect.NewRequest(&pactumv1.CreateBudgetLineRequest{Parent: v.GetName(),
			BudgetLine: budLine("2", "1.1", "Travel", "", "1", "1")}))
		if rpctest.Code(err) != connect.CodeAlreadyExists || !strings.Contains(err.Error(), "1.1") {
			t.Errorf("duplicate code: %v", err)
		}
		if n := len(budGet(t, &e.Clients, v.GetName()).GetLines()); n != 1 {
			t.Fatalf("%d lines after the refusals, want 1", n)
		}
		// The lead, and partners of the grant, may hold lines.
		budMustLine(t, &e.Clients, v.GetName(), budAllocated(budLine("1", "1.2", "Lead staff", "", "1", "1"), "", f.lead))
		l := budMustLine(t, &e.Clients, v.GetName(), budAllocated(budLine("1", "1.3", "Partner B staff", "", "1", "1"), f.pb, f.b))

		// In a grant kept in XOF (no decimals), a cost in centimes is refused.
		xof := must(e.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
			FrameworkAgreement: f.fa, DonorReference: "G/XOF", Title: "Grant in francs", CurrencyCode: "XOF",
			StartDate: "2025-01-01", EndDate: "2027-12-31", TotalEligibleCosts: "650000000", MaxDonorContribution: "585000000",
			CoFinancingRate: "90", ReportingPeriodMonths: 12}}))).GetGrant().GetName()
		xv := budMustVersion(t, &e.Clients, xof, budOriginal)
		_, err = e.Budgets.CreateBudgetLine(ctx, connect.NewRequest(&pactumv1.CreateBudgetLineRequest{Parent: xv.GetName(),
			BudgetLine: budLine("1", "1.1", "Staff", "", "1", "1500.50")}))
		if d := rpctest.Violations(err)["budget_line.unit_cost"]; !strings.Contains(d, "more decimals than XOF allows (0)") {
			t.Errorf("XOF cost with decimals: %v", err)
		}
		// 2.5 x 333 XOF = 832.5 -> 833 XOF.
		if xl := budMustLine(t, &e.Clients, xv.GetName(), budLine("1", "1.1", "Staff", "", "2.5", "333")); xl.GetTotal() != "833" {
			t.Errorf("XOF total %s, want 833", xl.GetTotal())
		}

		// Once adopted, lines are fixed.
		budAdopt(t, &e.Clients, v)
		_, err = e.Budgets.UpdateBudgetLine(ctx, connect.NewRequest(&pactumv1.UpdateBudgetLineRequest{
			BudgetLine: &pactumv1.BudgetLine{Name: l.GetName(), Etag: e.ETag(l.GetName()), Units: "2"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"units"}}}))
		if rpctest.Code(err) != connect.CodeFailedPrecondition || rpctest.Reason(err) != "BUDGET_VERSION_NOT_DRAFT" {
			t.Errorf("edit in an adopted version: %v", err)
		}
		_, err = e.Budgets.CreateBudgetLine(ctx, connect.NewRequest(&pactumv1.CreateBudgetLineRequest{Parent: v.GetName(), BudgetLine: budLine("2", "2.1", "x", "", "1", "1")}))
		if rpctest.Reason(err) != "BUDGET_VERSION_NOT_DRAFT" {
			t.Errorf("line added to an adopted version: %v", err)
		}
		_, err = e.Budgets.DeleteBudgetLine(ctx, connect.NewRequest(&pactumv1.DeleteBudgetLineRequest{Name: l.GetName()}))
		if rpctest.Reason(err) != "BUDGET_VERSION_NOT_DRAFT" {
			t.Errorf("line deleted from an adopted version: %v", err)
		}
		_, err = e.Budgets.UpdateBudgetLine(ctx, connect.NewRequest(&pactumv1.UpdateBudgetLineRequest{
			BudgetLine: &pactumv1.BudgetLine{Name: v.GetName() + "/lines/nope", Units: "2"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"units"}}}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

// Two people editing the same line: the second gets an etag conflict, never
// a silently lost update.
func TestBudgetLineStaleETag(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		coord, fin := f.roles["coordinator"], f.roles["finance"]
		v := budMustVersion(t, coord, f.g1, budOriginal)
		budMustLine(t, coord, v.GetName(), budLine("2", "2.1", "Flights", "trip", "4", "800"))

		// Both read the version with its line.
		seenByCoord := budGet(t, coord, v.GetName())
		seenByFin := budGet(t, fin, v.GetName())
		lc, lf := seenByCoord.GetLines()[0], seenByFin.GetLines()[0]

		res, err := coord.Budgets.UpdateBudgetLine(ctx, connect.NewRequest(&pactumv1.UpdateBudgetLineRequest{
			BudgetLine: &pactumv1.BudgetLine{Name: lc.GetName(), Units: "5", Etag: lc.GetEtag()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"units"}}}))
		if err != nil {
			t.Fatal(err)
		}
		// 5 x 800.00 = 4000.00
		if u := res.Msg.GetBudgetLine(); u.GetTotal() != "4000.00" || u.GetEtag() == lc.GetEtag() || u.GetDescription() != "Flights" {
			t.Errorf("after the first edit: %v", u)
		}
		_, err = fin.Budgets.UpdateBudgetLine(ctx, connect.NewRequest(&pactumv1.UpdateBudgetLineRequest{
			BudgetLine: &pactumv1.BudgetLine{Name: lf.GetName(), Description: "Flights and visas", Etag: lf.GetEtag()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"description"}}}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = fin.Budgets.DeleteBudgetLine(ctx, connect.NewRequest(&pactumv1.DeleteBudgetLineRequest{Name: lf.GetName(), Etag: lf.GetEtag()}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		now := budGet(t, fin, v.GetName()).GetLines()[0]
		if now.GetDescription() != "Flights" || now.GetUnits() != "5" || now.GetTotal() != "4000.00" {
			t.Errorf("the first edit was lost or the second applied: %v", now)
		}

		// A line change also moves the version's etag: adopting what was read
		// before it is refused.
		_, err = fin.Budgets.AdoptBudgetVersion(ctx, connect.NewRequest(&pactumv1.AdoptBudgetVersionRequest{Name: v.GetName(), Etag: seenByFin.GetEtag()}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)

		// With the current etag, an update without a mask replaces every field.
		res, err = fin.Budgets.UpdateBudgetLine(ctx, connect.NewRequest(&pactumv1.UpdateBudgetLineRequest{
			BudgetLine: budAllocated(&pactumv1.BudgetLine{Name: now.GetName(), Etag: now.GetEtag(), HeadingCode: "1", Code: "1.4",
				Description: "Visas", Unit: "visa", Units: "3", UnitCost: "60.10"}, f.pa, f.a)}))
		if err != nil {
			t.Fatal(err)
		}
		// 3 x 60.10 = 180.30
		if u := res.Msg.GetBudgetLine(); u.GetHeadingCode() != "1" || u.GetCode() != "1.4" || u.GetTotal() != "180.30" ||
			u.GetProject() != f.pa || u.GetOrganisation() != f.a || u.GetLineKey() != lc.GetLineKey() {
			t.Errorf("full update: %v", u)
		}
		if n := budAuditCount(t, e, lc.GetName(), "update"); n != 2 {
			t.Errorf("%d update events, want 2", n)
		}
		_, err = fin.Budgets.DeleteBudgetLine(ctx, connect.NewRequest(&pactumv1.DeleteBudgetLineRequest{Name: lc.GetName(), Etag: res.Msg.GetBudgetLine().GetEtag()}))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(budGet(t, fin, v.GetName()).GetLines()); n != 0 {
			t.Errorf("%d lines after the delete", n)
		}
	})
}

// Versions: the original first, one draft at a time, addenda and transfers
// copying the latest adopted version's lines with their line keys, and the
// "latest" alias.
func TestBudgetVersions(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		c := f.roles["coordinator"]
		create := func(kind pactumv1.BudgetVersionKind, label, date string) (*pactumv1.BudgetVersion, error) {
			res, err := c.Budgets.CreateBudgetVersion(ctx, connect.NewRequest(&pactumv1.CreateBudgetVersionRequest{Parent: f.g1,
				BudgetVersion: &pactumv1.BudgetVersion{Kind: kind, Label: label, EffectiveDate: date}}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetBudgetVersion(), nil
		}
		_, err := create(budAddendum, "", "")
		if rpctest.Code(err) != connect.CodeFailedPrecondition || rpctest.Reason(err) != "BUDGET_NO_ORIGINAL" {
			t.Errorf("addendum before the original: %v", err)
		}
		_, err = create(0, "", "")
		rpctest.ExpectViolation(t, err, "budget_version.kind")
		_, err = create(budOriginal, "", "2025-02-30")
		rpctest.ExpectViolation(t, err, "budget_version.effective_date")

		orig, err := create(budOriginal, "Annex III as signed", "2025-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if orig.GetLabel() != "Annex III as signed" || orig.GetEffectiveDate() != "2025-01-01" {
			t.Errorf("original: %v", orig)
		}
		_, err = create(budAddendum, "", "")
		if rpctest.Reason(err) != "BUDGET_DRAFT_EXISTS" {
			t.Errorf("second draft: %v", err)
		}
		_, err = c.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: f.g1 + "/budgetVersions/latest"}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = c.Budgets.AdoptBudgetVersion(ctx, connect.NewRequest(&pactumv1.AdoptBudgetVersionRequest{Name: orig.GetName()}))
		if rpctest.Reason(err) != "BUDGET_VERSION_EMPTY" {
			t.Errorf("adopting an empty version: %v", err)
		}
		staff := budMustLine(t, c, orig.GetName(), budAllocated(budLine("1", "1.1", "Staff Kenya", "month", "10", "1000"), f.pa, f.a))
		travel := budMustLine(t, c, orig.GetName(), budLine("2", "2.1", "Flights", "trip", "5", "700"))
		budAdopt(t, c, orig)
		_, err = c.Budgets.AdoptBudgetVersion(ctx, connect.NewRequest(&pactumv1.AdoptBudgetVersionRequest{Name: orig.GetName()}))
		if rpctest.Reason(err) != "BUDGET_VERSION_NOT_DRAFT" {
			t.Errorf("adopting twice: %v", err)
		}
		_, err = create(budOriginal, "", "")
		if rpctest.Reason(err) != "BUDGET_ORIGINAL_EXISTS" {
			t.Errorf("a second original: %v", err)
		}
		_, err = c.Budgets.DeleteBudgetVersion(ctx, connect.NewRequest(&pactumv1.DeleteBudgetVersionRequest{Name: orig.GetName()}))
		if rpctest.Reason(err) != "BUDGET_VERSION_ADOPTED" {
			t.Errorf("deleting the adopted original: %v", err)
		}

		// The addendum copies the original's lines, with the same line keys.
		add, err := create(budAddendum, "", "")
		if err != nil {
			t.Fatal(err)
		}
		// 10 x 1000.00 + 5 x 700.00 = 10000.00 + 3500.00 = 13500.00
		if add.GetNumber() != 1 || add.GetLabel() != "Addendum 1" || add.GetTotal() != "13500.00" {
			t.Errorf("addendum: %v", add)
		}
		addLines := budGet(t, c, add.GetName()).GetLines()
		if len(addLines) != 2 {
			t.Fatalf("addendum has %d lines", len(addLines))
		}
		for i, want := range []*pactumv1.BudgetLine{staff, travel} {
			got := addLines[i]
			if got.GetLineKey() != want.GetLineKey() || got.GetCode() != want.GetCode() || got.GetTotal() != want.GetTotal() ||
				got.GetProject() != want.GetProject() || got.GetOrganisation() != want.GetOrganisation() || got.GetName() == want.GetName() ||
				!strings.HasPrefix(got.GetName(), add.GetName()+"/lines/") {
				t.Errorf("copied line %d: %v, from %v", i, got, want)
			}
		}
		// Raising the travel line in the addendum leaves the original as adopted.
		_, err = c.Budgets.UpdateBudgetLine(ctx, connect.NewRequest(&pactumv1.UpdateBudgetLineRequest{
			BudgetLine: &pactumv1.BudgetLine{Name: addLines[1].GetName(), Etag: e.ETag(addLines[1].GetName()), Units: "7"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"units"}}}))
		if err != nil {
			t.Fatal(err)
		}
		if l := budGet(t, c, orig.GetName()).GetLines()[1]; l.GetUnits() != "5" || l.GetTotal() != "3500.00" {
			t.Errorf("the original's line changed: %v", l)
		}
		if latest := budGet(t, c, f.g1+"/budgetVersions/latest"); latest.GetName() != orig.GetName() {
			t.Errorf("latest while the addendum is a draft: %s", latest.GetName())
		}
		// Label and date can be set; a stale etag is refused.
		res, err := c.Budgets.UpdateBudgetVersion(ctx, connect.NewRequest(&pactumv1.UpdateBudgetVersionRequest{
			BudgetVersion: &pactumv1.BudgetVersion{Name: add.GetName(), Etag: e.ETag(add.GetName()), Label: "Addendum 1 (no-cost extension)", EffectiveDate: "2026-03-01"}}))
		if err != nil {
			t.Fatal(err)
		}
		if u := res.Msg.GetBudgetVersion(); u.GetLabel() != "Addendum 1 (no-cost extension)" || u.GetEffectiveDate() != "2026-03-01" {
			t.Errorf("updated: %v", u)
		}
		_, err = c.Budgets.UpdateBudgetVersion(ctx, connect.NewRequest(&pactumv1.UpdateBudgetVersionRequest{
			BudgetVersion: &pactumv1.BudgetVersion{Name: add.GetName(), Label: "x", Etag: add.GetEtag()}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"label"}}}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = c.Budgets.UpdateBudgetVersion(ctx, connect.NewRequest(&pactumv1.UpdateBudgetVersionRequest{
			BudgetVersion: &pactumv1.BudgetVersion{Name: add.GetName(), Etag: e.ETag(add.GetName()), Label: "x"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"kind"}}}))
		rpctest.ExpectViolation(t, err, "update_mask")

		// An addendum is adopted only with the donor's reference: refused
		// without one, naming the field and why; given on adoption, kept.
		_, err = c.Budgets.AdoptBudgetVersion(ctx, connect.NewRequest(&pactumv1.AdoptBudgetVersionRequest{Name: add.GetName(), Etag: e.ETag(add.GetName())}))
		rpctest.ExpectViolation(t, err, "approval_reference")
		if desc := rpctest.Violations(err)["approval_reference"]; !strings.Contains(desc, "addendum") {
			t.Errorf("addendum without reference: %q", desc)
		}
		res, err = c.Budgets.UpdateBudgetVersion(ctx, connect.NewRequest(&pactumv1.UpdateBudgetVersionRequest{
			BudgetVersion: &pactumv1.BudgetVersion{Name: add.GetName(), Etag: e.ETag(add.GetName()), ApprovalReference: "Addendum No 1 (draft)"}}))
		if err != nil || res.Msg.GetBudgetVersion().GetApprovalReference() != "Addendum No 1 (draft)" || res.Msg.GetBudgetVersion().GetLabel() != "Addendum 1 (no-cost extension)" {
			t.Fatalf("reference on the draft: %v %v", err, res)
		}
		adopted, err := c.Budgets.AdoptBudgetVersion(ctx, connect.NewRequest(&pactumv1.AdoptBudgetVersionRequest{Name: add.GetName(), Etag: e.ETag(add.GetName()),
			ApprovalReference: "Addendum No 1 to the grant contract"}))
		if err != nil {
			t.Fatal(err)
		}
		if got := budGet(t, c, add.GetName()); adopted.Msg.GetBudgetVersion().GetApprovalReference() != "Addendum No 1 to the grant contract" ||
			got.GetApprovalReference() != "Addendum No 1 to the grant contract" || got.GetState() != pactumv1.BudgetVersionState_BUDGET_VERSION_STATE_ADOPTED {
			t.Errorf("adopted with reference: %v", got)
		}
		_, err = c.Budgets.UpdateBudgetVersion(ctx, connect.NewRequest(&pactumv1.UpdateBudgetVersionRequest{
			BudgetVersion: &pactumv1.BudgetVersion{Name: add.GetName(), Etag: e.ETag(add.GetName())}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"approval_reference"}}}))
		rpctest.ExpectViolation(t, err, "budget_version.approval_reference")
		latest := budGet(t, f.roles["viewerA"], f.g1+"/budgetVersions/latest")
		// A partner sees the addendum, and only its own line: 10 x 1000.00.
		if latest.GetName() != add.GetName() || latest.GetTotal() != "10000.00" || len(latest.GetLines()) != 1 {
			t.Errorf("latest after adopting the addendum: %s %s %d lines", latest.GetName(), latest.GetTotal(), len(latest.GetLines()))
		}

		// A transfer copies the addendum: 10000.00 + 7 x 700.00 = 14900.00.
		tr, err := create(budTransfer, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if tr.GetNumber() != 2 || tr.GetLabel() != "Transfer 1" || tr.GetTotal() != "14900.00" {
			t.Errorf("transfer: %v", tr)
		}
		_, err = c.Budgets.DeleteBudgetVersion(ctx, connect.NewRequest(&pactumv1.DeleteBudgetVersionRequest{Name: tr.GetName(), Etag: tr.GetEtag()}))
		if err != nil {
			t.Fatal(err)
		}
		if n := budAuditCount(t, e, tr.GetName(), "delete"); n != 1 {
			t.Errorf("%d delete events", n)
		}
		list, err := f.roles["auditor"].Budgets.ListBudgetVersions(ctx, connect.NewRequest(&pactumv1.ListBudgetVersionsRequest{Parent: f.g1}))
		if err != nil {
			t.Fatal(err)
		}
		vs := list.Msg.GetBudgetVersions()
		if len(vs) != 2 || vs[0].GetName() != orig.GetName() || vs[1].GetName() != add.GetName() ||
			vs[0].GetTotal() != "13500.00" || vs[1].GetTotal() != "14900.00" || len(vs[0].GetLines()) != 0 || len(vs[1].GetHeadings()) != 11 {
			t.Errorf("versions: %v", vs)
		}
		_, err = c.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: tr.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		// A version of one grant is not found under another.
		_, err = e.Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: f.g2 + "/budgetVersions/" + id(orig.GetName())}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

// A partner reads the versions, only the lines allocated to its
// organisation, and heading totals computed from those lines.
func TestBudgetPartnerSeesOwnLines(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		v := budMustVersion(t, &e.Clients, f.g1, budOriginal)
		la := budMustLine(t, &e.Clients, v.GetName(), budAllocated(budLine("1", "1.1", "Kenya staff", "month", "12", "1000"), f.pa, f.a))   // 12000.00
		budMustLine(t, &e.Clients, v.GetName(), budAllocated(budLine("1", "1.2", "Nepal staff", "month", "12", "900"), f.pb, f.b))          // 10800.00
		budMustLine(t, &e.Clients, v.GetName(), budAllocated(budLine("2", "2.1", "Lead travel", "trip", "2", "750"), "", f.lead))           // 1500.00
		budMustLine(t, &e.Clients, v.GetName(), budLine("10", "10.1", "Indirect costs", "lump sum", "1", "1700"))                           // 1700.00
		la2 := budMustLine(t, &e.Clients, v.GetName(), budAllocated(budLine("8", "8.1", "Kenya reserve", "lump sum", "1", "600"), "", f.a)) // 600.00
		budAdopt(t, &e.Clients, v)

		for _, role := range []string{"editorA", "viewerA"} {
			got := budGet(t, f.roles[role], v.GetName())
			names := budLineNames(got)
			if len(names) != 2 || names[0] != la.GetName() || names[1] != la2.GetName() {
				t.Errorf("%s sees lines %v, want only A's %s and %s", role, names, la.GetName(), la2.GetName())
			}
			// A's lines only: 1: 12000.00; 7: 12000.00; 8: 600.00 (5.00% of
			// 12000.00); 9: 12600.00; 10: 0.00 (0.00%); 11: 12600.00.
			budExpectRows(t, got, map[string]string{"1": "12000.00", "2": "0.00", "7": "12000.00", "8": "600.00 5.00", "9": "12600.00",
				"10": "0.00 0.00", "11": "12600.00"})
			if got.GetTotal() != "12600.00" {
				t.Errorf("%s: total %s", role, got.GetTotal())
			}
			list, err := f.roles[role].Budgets.ListBudgetVersions(ctx, connect.NewRequest(&pactumv1.ListBudgetVersionsRequest{Parent: f.g1}))
			if err != nil || len(list.Msg.GetBudgetVersions()) != 1 || list.Msg.GetBudgetVersions()[0].GetTotal() != "12600.00" {
				t.Errorf("%s lists %v (%v)", role, list, err)
			}
		}
		// Full readers see every line: 12000.00 + 10800.00 + 1500.00 = 24300.00
		// direct; 600.00 contingency (2.47% of it) -> 24900.00; 1700.00
		// indirect (6.827% of 24900.00 -> 6.83) -> 26600.00.
		for _, role := range []string{"admin", "coordinator", "finance", "auditor"} {
			got := budGet(t, f.roles[role], v.GetName())
			if len(got.GetLines()) != 5 || got.GetTotal() != "26600.00" {
				t.Errorf("%s sees %d lines, total %s", role, len(got.GetLines()), got.GetTotal())
			}
			budExpectRows(t, got, map[string]string{"7": "24300.00", "8": "600.00 2.47", "9": "24900.00", "10": "1700.00 6.83"})
		}
		// Partners of the grant may read but not change it; others do not see it.
		_, err := f.roles["editorA"].Budgets.CreateBudgetVersion(ctx, connect.NewRequest(&pactumv1.CreateBudgetVersionRequest{Parent: f.g1,
			BudgetVersion: &pactumv1.BudgetVersion{Kind: budAddendum}}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = f.roles["coordinator2"].Budgets.GetBudgetVersion(ctx, connect.NewRequest(&pactumv1.GetBudgetVersionRequest{Name: v.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

// The rule set: PRAG defaults until edited, etags, field checks, and the
// reconversion of expenditures when the rate policy changes.
func TestGrantRules(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		fin := f.roles["finance"]
		name := f.g1 + "/rules"
		res, err := f.roles["editorA"].Budgets.GetGrantRules(ctx, connect.NewRequest(&pactumv1.GetGrantRulesRequest{Name: name}))
		if err != nil {
			t.Fatal(err)
		}
		r := res.Msg.GetGrantRules()
		if r.GetName() != name || r.GetBudgetTemplate() != budPRAG || r.GetFlexibility() != "25.00" || r.GetIndirectCap() != "7.00" ||
			r.GetContingencyCap() != "5.00" || r.GetPrefinancingThreshold() != "70.00" ||
			r.GetExchangeRatePolicy() != pactumv1.ExchangeRatePolicy_EXCHANGE_RATE_POLICY_MONTHLY || r.GetCurrencyCode() != "EUR" ||
			r.GetEtag() != `"0"` || r.GetUpdateTime() != nil || len(r.GetFixedRates()) != 0 {
			t.Errorf("defaults: %v", r)
		}
		update := func(c *rpctest.Clients, r *pactumv1.GrantRules, paths ...string) (*pactumv1.UpdateGrantRulesResponse, error) {
			r.Name = name
			if r.GetEtag() == "" {
				r.Etag = e.ETag(name) // the etag is required: the current one
			}
			res, err := c.Budgets.UpdateGrantRules(ctx, connect.NewRequest(&pactumv1.UpdateGrantRulesRequest{GrantRules: r,
				UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}}))
			if err != nil {
				return nil, err
			}
			return res.Msg, nil
		}
		up, err := update(fin, &pactumv1.GrantRules{Flexibility: "15", Etag: `"0"`}, "flexibility")
		if err != nil {
			t.Fatal(err)
		}
		if g := up.GetGrantRules(); g.GetFlexibility() != "15.00" || g.GetIndirectCap() != "7.00" || g.GetEtag() == `"0"` || g.GetUpdateTime() == nil ||
			up.GetReconvertedCount() != 0 {
			t.Errorf("after update: %v", up)
		}
		_, err = update(fin, &pactumv1.GrantRules{Flexibility: "20", Etag: `"0"`}, "flexibility")
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		if n := budAuditCount(t, e, name, "update"); n != 1 {
			t.Errorf("%d update events", n)
		}

		for _, c := range []struct {
			name  string
			rules *pactumv1.GrantRules
			paths []string
			field string
		}{
			{"percent above 100", &pactumv1.GrantRules{Flexibility: "101"}, []string{"flexibility"}, "grant_rules.flexibility"},
			{"three decimals", &pactumv1.GrantRules{IndirectCap: "7.125"}, []string{"indirect_cap"}, "grant_rules.indirect_cap"},
			{"not a number", &pactumv1.GrantRules{ContingencyCap: "five"}, []string{"contingency_cap"}, "grant_rules.contingency_cap"},
			{"empty threshold", &pactumv1.GrantRules{}, []string{"prefinancing_threshold"}, "grant_rules.prefinancing_threshold"},
			{"unknown template", &pactumv1.GrantRules{BudgetTemplate: "budgetTemplates/nope"}, []string{"budget_template"}, "grant_rules.budget_template"},
			{"no policy", &pactumv1.GrantRules{}, []string{"exchange_rate_policy"}, "grant_rules.exchange_rate_policy"},
			{"zero rate", &pactumv1.GrantRules{FixedRates: []*pactumv1.FixedRate{{CurrencyCode: "KES", Rate: "0"}}}, []string{"fixed_rates"}, "grant_rules.fixed_rates[0].rate"},
			{"rate not a number", &pactumv1.GrantRules{FixedRates: []*pactumv1.FixedRate{{CurrencyCode: "KES", Rate: "abc"}}}, []string{"fixed_rates"}, "grant_rules.fixed_rates[0].rate"},
			{"grant currency", &pactumv1.GrantRules{FixedRates: []*pactumv1.FixedRate{{CurrencyCode: "EUR", Rate: "1"}}}, []string{"fixed_rates"}, "grant_rules.fixed_rates[0].currency_code"},
			{"unknown currency", &pactumv1.GrantRules{FixedRates: []*pactumv1.FixedRate{{CurrencyCode: "QQQ", Rate: "1"}}}, []string{"fixed_rates"}, "grant_rules.fixed_rates[0].currency_code"},
			{"duplicate currency", &pactumv1.GrantRules{FixedRates: []*pactumv1.FixedRate{{CurrencyCode: "KES", Rate: "140"}, {CurrencyCode: "KES", Rate: "141"}}},
				[]string{"fixed_rates"}, "grant_rules.fixed_rates[1].currency_code"},
		} {
			_, err := update(fin, c.rules, c.paths...)
			if rpctest.Code(err) != connect.CodeInvalidArgument || rpctest.Violations(err)[c.field] == "" {
				t.Errorf("%s: got %v, want a violation of %s", c.name, err, c.field)
			}
		}
		// Without a mask, the fields set change, as in every service
		// (AIP-134); the others keep their values.
		before := must(fin.Budgets.GetGrantRules(ctx, connect.NewRequest(&pactumv1.GetGrantRulesRequest{Name: name}))).GetGrantRules()
		up20, err := update(fin, &pactumv1.GrantRules{Flexibility: "20"})
		if r := up20.GetGrantRules(); err != nil || r.GetFlexibility() != "20.00" || r.GetIndirectCap() != before.GetIndirectCap() ||
			r.GetContingencyCap() != before.GetContingencyCap() || len(r.GetFixedRates()) != len(before.GetFixedRates()) {
			t.Errorf("update without a mask: %v %v, before %v", r, err, before)
		}
		if _, err := update(fin, &pactumv1.GrantRules{Flexibility: "15"}); err != nil {
			t.Fatal(err)
		}

		// An expenditure of 12345.67 KES without a monthly rate; the policy
		// turns to a fixed contract rate of 140 KES per EUR:
		// 12345.67 / 140 = 88.18336 -> 88.18 EUR.
		now := time.Now().UTC().Truncate(time.Microsecond)
		if _, err := e.DB.NewRaw(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, organisation_id, expense_date, amount,
			currency_code, status, rate_problem, created_by, version, create_time, update_time)
			VALUES ('exp-1', ?, 'key-1', '1', ?, '2025-03-15', 1234567, 'KES', 'draft', 'no rate', 'test', 1, ?, ?)`,
			id(f.g1), id(f.a), now, now).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		up, err = update(fin, &pactumv1.GrantRules{ExchangeRatePolicy: pactumv1.ExchangeRatePolicy_EXCHANGE_RATE_POLICY_FIXED,
			FixedRates: []*pactumv1.FixedRate{{CurrencyCode: "XOF", Rate: "655.957", Source: "Contract art. 4"}, {CurrencyCode: "KES", Rate: "140.00", Source: "Contract art. 4"}}},
			"exchange_rate_policy", "fixed_rates")
		if err != nil {
			t.Fatal(err)
		}
		g := up.GetGrantRules()
		if up.GetReconvertedCount() != 1 || g.GetExchangeRatePolicy() != pactumv1.ExchangeRatePolicy_EXCHANGE_RATE_POLICY_FIXED ||
			len(g.GetFixedRates()) != 2 || g.GetFixedRates()[0].GetCurrencyCode() != "KES" || g.GetFixedRates()[0].GetRate() != "140" ||
			g.GetFixedRates()[1].GetRate() != "655.957" || g.GetFlexibility() != "15.00" {
			t.Errorf("after the policy change: %v", up)
		}
		var converted int64
		var rate, source string
		if err := e.DB.NewRaw("SELECT converted_amount, rate, rate_source FROM expenditures WHERE id = 'exp-1'").Scan(ctx, &converted, &rate, &source); err != nil {
			t.Fatal(err)
		}
		if converted != 8818 || rate != "140" || !strings.Contains(source, "Contract art. 4") {
			t.Errorf("converted %d at %s (%s), want 8818 at 140", converted, rate, source)
		}
		// A change that touches neither the policy nor the rates converts nothing.
		up, err = update(fin, &pactumv1.GrantRules{PrefinancingThreshold: "80"}, "prefinancing_threshold")
		if err != nil || up.GetReconvertedCount() != 0 || up.GetGrantRules().GetPrefinancingThreshold() != "80.00" {
			t.Errorf("threshold change: %v %v", up, err)
		}
		got, _ := e.Budgets.GetGrantRules(ctx, connect.NewRequest(&pactumv1.GetGrantRulesRequest{Name: name}))
		if got.Msg.GetGrantRules().GetEtag() != up.GetGrantRules().GetEtag() || len(got.Msg.GetGrantRules().GetFixedRates()) != 2 {
			t.Errorf("read back: %v", got.Msg.GetGrantRules())
		}

		// The template can change only to one with a place for every line.
		tpl := must(f.roles["coordinator"].Budgets.CreateBudgetTemplate(ctx, connect.NewRequest(&pactumv1.CreateBudgetTemplateRequest{
			Organisation: f.lead, BudgetTemplate: &pactumv1.BudgetTemplate{DisplayName: "Foundation X", Headings: []*pactumv1.BudgetTemplateHeading{
				{Code: "A", Title: "Programme", Kind: pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_DIRECT},
				{Code: "T", Title: "Total", Kind: pactumv1.BudgetHeadingKind_BUDGET_HEADING_KIND_TOTAL}}}}))).GetBudgetTemplate()
		v := budMustVersion(t, fin, f.g1, budOriginal)
		budMustLine(t, fin, v.GetName(), budLine("1", "1.1", "Staff", "", "1", "100"))
		_, err = update(fin, &pactumv1.GrantRules{BudgetTemplate: tpl.GetName()}, "budget_template")
		if d := rpctest.Violations(err)["grant_rules.budget_template"]; !strings.Contains(d, "heading(s) 1") {
			t.Errorf("template without a place for the lines: %v", err)
		}
		// On a grant without lines it changes, and the budget follows it.
		must(e.Budgets.UpdateGrantRules(ctx, connect.NewRequest(&pactumv1.UpdateGrantRulesRequest{
			GrantRules: &pactumv1.GrantRules{Name: f.g2 + "/rules", Etag: e.ETag(f.g2 + "/rules"), BudgetTemplate: tpl.GetName()}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"budget_template"}}})))
		v2 := budMustVersion(t, &e.Clients, f.g2, budOriginal)
		budMustLine(t, &e.Clients, v2.GetName(), budLine("A", "A.1", "Programme staff", "", "2", "50"))
		got2 := budGet(t, &e.Clients, v2.GetName())
		if got2.GetTotal() != "100.00" || len(got2.GetHeadings()) != 2 || got2.GetHeadings()[1].GetTotal() != "100.00" {
			t.Errorf("budget under the new template: %v", got2)
		}
		_, err = e.Budgets.CreateBudgetLine(ctx, connect.NewRequest(&pactumv1.CreateBudgetLineRequest{Parent: v2.GetName(), BudgetLine: budLine("1", "1.1", "x", "", "1", "1")}))
		rpctest.ExpectViolation(t, err, "budget_line.heading_code")
	})
}
