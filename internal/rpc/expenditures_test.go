package rpc_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// exWorld is a grant with an adopted budget, made for the expenditure
// tests: lead GSN's grant G1 (EUR, 2025-01-01 to 2027-12-31) with projects
// KE-01 (partner UMOJA, Kenya) and NP-01 (partner HMWF, Nepal), and grant
// G2 of another lead. G1's adopted budget (version 1, after an adopted
// original whose lines must not count) has the lines:
//
//	1.1  heading 1, not allocated
//	2.1  heading 2, KE-01 / UMOJA
//	2.2  heading 2, NP-01 / HMWF
//	3.1  heading 3, UMOJA (no project)
//
// G2's has line 1.1. Monthly rates per EUR: KES 140.5 and XOF 655.957 for
// every month of 2025; NPR none.
type exWorld struct {
	e                         *rpctest.Env
	donor, lead, lead2, a, b  string            // organisation names
	g1, g2                    string            // grant names
	pa, pb, p2                string            // project names
	line                      map[string]string // "1.1" -> line key (G1)
	otherLine                 string            // G2's 1.1
	finance, coordinator      *rpctest.Clients
	editorA, viewerA, auditor *rpctest.Clients
	coordinator2              *rpctest.Clients
	n                         int
}

func newExWorld(t testing.TB, e *rpctest.Env) *exWorld {
	t.Helper()
	ctx := context.Background()
	w := &exWorld{e: e}
	org := func(name, short, country string, kind pactumv1.OrganisationKind) string {
		res, err := e.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{Organisation: &pactumv1.Organisation{
			DisplayName: name, ShortName: short, CountryCode: country, Kind: kind}}))
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return res.Msg.GetOrganisation().GetName()
	}
	w.donor = org("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR)
	w.lead = org("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD)
	w.lead2 = org("Other Network", "ON", "FR", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD)
	w.a = org("Umoja Domestic Workers Union", "UMOJA", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER)
	w.b = org("Himalaya Migrant Workers Forum", "HMWF", "NP", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER)
	w.g1 = w.grant(t, "CSO-LA/2025/001", w.lead)
	w.g2 = w.grant(t, "CSO-LA/2025/002", w.lead2)
	w.pa = w.project(t, w.g1, "KE-01", w.a, "KE")
	w.pb = w.project(t, w.g1, "NP-01", w.b, "NP")
	w.p2 = w.project(t, w.g2, "FR-01", w.lead2, "FR")

	// An original, superseded by an adopted addendum: only the addendum's
	// lines count.
	exAdoptBudget(t, e, id(w.g1), 0, []exLine{{code: "1.1", heading: "1", desc: "Old salaries"}, {code: "9.1", heading: "6", desc: "Dropped line"}})
	w.line = exAdoptBudget(t, e, id(w.g1), 1, []exLine{
		{code: "1.1", heading: "1", desc: "Salaries, local staff"},
		{code: "2.1", heading: "2", desc: "Travel in Kenya", project: id(w.pa), org: id(w.a)},
		{code: "2.2", heading: "2", desc: "Travel in Nepal", project: id(w.pb), org: id(w.b)},
		{code: "3.1", heading: "3", desc: "Equipment, Umoja", org: id(w.a)},
	})
	// A draft version above the adopted one: its lines do not count either.
	exBudgetVersion(t, e, id(w.g1), 2, "draft", []exLine{{code: "5.1", heading: "5", desc: "Draft line"}})
	w.otherLine = exAdoptBudget(t, e, id(w.g2), 0, []exLine{{code: "1.1", heading: "1", desc: "Salaries"}})["1.1"]
	for m := 1; m <= 12; m++ {
		month := fmt.Sprintf("2025-%02d", m)
		exRate(t, e, "EUR", "KES", month, "140.5")
		exRate(t, e, "EUR", "XOF", month, "655.957")
	}

	w.finance = e.As(t, rpctest.Member(actor.RoleFinance, id(w.lead)))
	w.coordinator = e.As(t, rpctest.Member(actor.RoleCoordinator, id(w.lead)))
	w.auditor = e.As(t, rpctest.Member(actor.RoleAuditor, id(w.lead), id(w.g1)))
	w.editorA = e.As(t, rpctest.Member(actor.RolePartnerEditor, id(w.a)))
	w.viewerA = e.As(t, rpctest.Member(actor.RolePartnerViewer, id(w.a)))
	w.coordinator2 = e.As(t, rpctest.Member(actor.RoleCoordinator, id(w.lead2)))
	return w
}

func (w *exWorld) grant(t testing.TB, ref, lead string) string {
	t.Helper()
	res, err := w.e.Grants.CreateGrant(context.Background(), connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
		Donor: w.donor, LeadOrganisation: lead, DonorReference: ref, Title: "Decent work for domestic workers", CurrencyCode: "EUR",
		StartDate: "2025-01-01", EndDate: "2027-12-31", TotalEligibleCosts: "1000000.00", MaxDonorContribution: "900000.00",
		CoFinancingRate: "90", ReportingPeriodMonths: 12}}))
	if err != nil {
		t.Fatalf("create grant %s: %v", ref, err)
	}
	return res.Msg.GetGrant().GetName()
}

func (w *exWorld) project(t testing.TB, grant, code, partner, country string) string {
	t.Helper()
	res, err := w.e.Projects.CreateProject(context.Background(), connect.NewRequest(&pactumv1.CreateProjectRequest{Project: &pactumv1.Project{
		Grant: grant, Code: code, Title: "Project " + code, CountryCodes: []string{country},
		Participants: []*pactumv1.Participant{{Organisation: partner, Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR}}}}))
	if err != nil {
		t.Fatalf("create project %s: %v", code, err)
	}
	return res.Msg.GetProject().GetName()
}

// exLine is a budget line to insert.
type exLine struct {
	code, heading, desc string
	project, org        string // ids, "" for none
}

// exAdoptBudget inserts an adopted budget version of grantID with lines
// (the budget service is another package's; these tests write its tables
// directly) and returns the lines' keys by code.
func exAdoptBudget(t testing.TB, e *rpctest.Env, grantID string, number int, lines []exLine) map[string]string {
	return exBudgetVersion(t, e, grantID, number, "adopted", lines)
}

func exBudgetVersion(t testing.TB, e *rpctest.Env, grantID string, number int, state string, lines []exLine) map[string]string {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	versionID := resource.NewID()
	kind := "original"
	if number > 0 {
		kind = "addendum"
	}
	var adopt any
	if state == "adopted" {
		adopt = now
	}
	if _, err := e.DB.NewRaw(`INSERT INTO budget_versions (id, grant_id, number, kind, label, state, adopt_time, version, create_time, update_time)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, versionID, grantID, number, kind, fmt.Sprintf("Version %d", number), state, adopt, now, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for i, l := range lines {
		key := "line-" + grantID[len(grantID)-6:] + "-" + l.code
		keys[l.code] = key
		var project, org any
		if l.project != "" {
			project = l.project
		}
		if l.org != "" {
			org = l.org
		}
		if _, err := e.DB.NewRaw(`INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units, unit_cost, total,
			project_id, organisation_id, position, version, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, 'lump sum', '1', 1000000, 1000000, ?, ?, ?, 1, ?, ?)`,
			resource.NewID(), versionID, grantID, key, l.heading, l.code, l.desc, project, org, i+1, now, now).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// exRate inserts a monthly rate: units of currency per 1 base.
func exRate(t testing.TB, e *rpctest.Env, base, currency, month, rate string) {
	t.Helper()
	now := time.Now().UTC()
	if _, err := e.DB.NewRaw(`INSERT INTO exchange_rates (base_currency, currency_code, month, rate, source, create_time, update_time)
		VALUES (?, ?, ?, ?, 'InforEuro', ?, ?)`, base, currency, month, rate, now, now).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// valid returns a valid expenditure on G1's line 2.1 (UMOJA's).
func (w *exWorld) valid() *pactumv1.Expenditure {
	w.n++
	return &pactumv1.Expenditure{ExpenseDate: "2025-03-15", BudgetLineKey: w.line["2.1"], Amount: "1405.00", CurrencyCode: "KES",
		Payee: "Kenya Airways", Description: fmt.Sprintf("Flight %d", w.n), DocumentRef: fmt.Sprintf("INV-%d", w.n)}
}

func (w *exWorld) create(c *rpctest.Clients, x *pactumv1.Expenditure) (*pactumv1.Expenditure, error) {
	res, err := c.Expenditures.CreateExpenditure(context.Background(), connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: w.g1, Expenditure: x}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetExpenditure(), nil
}

func (w *exWorld) mustCreate(t testing.TB, c *rpctest.Clients, x *pactumv1.Expenditure) *pactumv1.Expenditure {
	t.Helper()
	out, err := w.create(c, x)
	if err != nil {
		t.Fatalf("create expenditure: %v", err)
	}
	return out
}

func exCount(t testing.TB, e *rpctest.Env, where string, args ...any) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT COUNT(*) FROM expenditures WHERE "+where, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateExpenditureRefusesBadInput(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		events := func() int {
			var n int
			_ = e.DB.NewRaw("SELECT COUNT(*) FROM audit_events").Scan(context.Background(), &n)
			return n
		}
		before := events()
		for _, c := range []struct {
			name   string
			mutate func(x *pactumv1.Expenditure)
			field  string
			says   string
		}{
			{"unknown currency", func(x *pactumv1.Expenditure) { x.CurrencyCode = "QQQ" }, "expenditure.currency_code", "ISO 4217"},
			{"XOF has no decimals", func(x *pactumv1.Expenditure) { x.CurrencyCode, x.Amount = "XOF", "10.5" }, "expenditure.amount", "more decimals than XOF allows (0)"},
			{"KES has two decimals", func(x *pactumv1.Expenditure) { x.Amount = "1.234" }, "expenditure.amount", "more decimals than KES allows (2)"},
			{"zero amount", func(x *pactumv1.Expenditure) { x.Amount = "0.00" }, "expenditure.amount", "more than zero"},
			{"negative amount", func(x *pactumv1.Expenditure) { x.Amount = "-5" }, "expenditure.amount", "negative"},
			{"amount not a number", func(x *pactumv1.Expenditure) { x.Amount = "12,50" }, "expenditure.amount", "not a decimal amount"},
			{"missing amount", func(x *pactumv1.Expenditure) { x.Amount = "" }, "expenditure.amount", "required"},
			{"missing currency", func(x *pactumv1.Expenditure) { x.CurrencyCode = "" }, "expenditure.currency_code", "required"},
			{"date before the grant", func(x *pactumv1.Expenditure) { x.ExpenseDate = "2024-12-31" }, "expenditure.expense_date", "2025-01-01 to 2027-12-31"},
			{"date after the grant", func(x *pactumv1.Expenditure) { x.ExpenseDate = "2028-01-01" }, "expenditure.expense_date", "implementation period"},
			{"impossible date", func(x *pactumv1.Expenditure) { x.ExpenseDate = "2025-02-30" }, "expenditure.expense_date", "YYYY-MM-DD"},
			{"missing date", func(x *pactumv1.Expenditure) { x.ExpenseDate = "" }, "expenditure.expense_date", "required"},
			{"a line of another grant", func(x *pactumv1.Expenditure) { x.BudgetLineKey = w.otherLine }, "expenditure.budget_line_key", "not a line of the latest adopted budget"},
			{"a line of a superseded version", func(x *pactumv1.Expenditure) { x.BudgetLineKey = "line-" + id(w.g1)[len(id(w.g1))-6:] + "-9.1" }, "expenditure.budget_line_key", "(version 1)"},
			{"a line of a draft version", func(x *pactumv1.Expenditure) { x.BudgetLineKey = "line-" + id(w.g1)[len(id(w.g1))-6:] + "-5.1" }, "expenditure.budget_line_key", "not a line"},
			{"missing line", func(x *pactumv1.Expenditure) { x.BudgetLineKey = "" }, "expenditure.budget_line_key", "required"},
			{"organisation other than the line's", func(x *pactumv1.Expenditure) { x.Organisation = w.b }, "expenditure.organisation", "allocated to"},
			{"project other than the line's", func(x *pactumv1.Expenditure) { x.Project = w.pb }, "expenditure.project", "allocated to"},
			{"unallocated line without organisation", func(x *pactumv1.Expenditure) { x.BudgetLineKey = w.line["1.1"] }, "expenditure.organisation", "required"},
			{"organisation not in the grant", func(x *pactumv1.Expenditure) { x.BudgetLineKey, x.Organisation = w.line["1.1"], w.lead2 }, "expenditure.organisation", "does not take part"},
			{"project of another grant", func(x *pactumv1.Expenditure) { x.BudgetLineKey, x.Organisation, x.Project = w.line["3.1"], "", w.p2 }, "expenditure.project", "not a project of"},
			{"organisation not in the project", func(x *pactumv1.Expenditure) { x.BudgetLineKey, x.Organisation, x.Project = w.line["1.1"], w.b, w.pa }, "expenditure.organisation", "does not take part in projects/"},
			{"malformed organisation", func(x *pactumv1.Expenditure) { x.Organisation = "UMOJA" }, "expenditure.organisation", "organisations/{id}"},
		} {
			x := w.valid()
			c.mutate(x)
			_, err := w.create(&e.Clients, x)
			rpctest.ExpectViolation(t, err, c.field)
			if got := rpctest.Violations(err)[c.field]; !strings.Contains(got, c.says) {
				t.Errorf("%s: %s says %q, want it to mention %q", c.name, c.field, got, c.says)
			}
		}
		if n := exCount(t, e, "1 = 1"); n != 0 {
			t.Fatalf("%d expenditures stored by refused requests", n)
		}
		if n := events(); n != before {
			t.Fatalf("refused requests wrote %d audit events", n-before)
		}
		// Several problems at once are all named.
		_, err := w.create(&e.Clients, &pactumv1.Expenditure{ExpenseDate: "2030-01-01", BudgetLineKey: "nope", Amount: "1", CurrencyCode: "QQQ"})
		for _, f := range []string{"expenditure.expense_date", "expenditure.budget_line_key", "expenditure.currency_code"} {
			rpctest.ExpectViolation(t, err, f)
		}
		// The grant must be readable.
		_, err = w.coordinator2.Expenditures.CreateExpenditure(context.Background(), connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: w.g1, Expenditure: w.valid()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		// A line of G1 is no line of G2.
		_, err = e.Expenditures.CreateExpenditure(context.Background(), connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: w.g2,
			Expenditure: &pactumv1.Expenditure{ExpenseDate: "2025-03-01", BudgetLineKey: w.line["2.1"], Amount: "1", CurrencyCode: "EUR", Organisation: w.lead2}}))
		rpctest.ExpectViolation(t, err, "expenditure.budget_line_key")
	})
}

func TestCreateExpenditureConvertsAndDefaults(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		ctx := context.Background()
		// KES 1,405.00 at 140.5 KES per EUR (March 2025) = EUR 10.00 exactly.
		x := w.mustCreate(t, w.finance, w.valid())
		if x.GetStatus() != pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_DRAFT || x.GetConvertedAmount() != "10.00" || x.GetRate() != "140.5" ||
			!strings.Contains(x.GetRateSource(), "InforEuro") || !strings.Contains(x.GetRateSource(), "2025-03") || x.GetRateMissing() {
			t.Fatalf("conversion: %v", x)
		}
		if x.GetGrantCurrencyCode() != "EUR" || x.GetHeadingCode() != "2" || x.GetProject() != w.pa || x.GetOrganisation() != w.a || x.GetAmount() != "1405.00" {
			t.Fatalf("defaults from the line: %v", x)
		}
		if !strings.HasPrefix(x.GetName(), w.g1+"/expenditures/") || x.GetEtag() == "" {
			t.Fatalf("name %q etag %q", x.GetName(), x.GetEtag())
		}
		// Stored with its rate and source, as the answer says.
		var row struct {
			Rate      string `bun:"rate"`
			Source    string `bun:"rate_source"`
			Converted int64  `bun:"converted_amount"`
			CreatedBy string `bun:"created_by"`
		}
		if err := e.DB.NewRaw("SELECT rate, rate_source, converted_amount, created_by FROM expenditures WHERE id = ?", id(x.GetName())).Scan(ctx, &row); err != nil {
			t.Fatal(err)
		}
		if row.Rate != "140.5" || row.Converted != 1000 || row.Source != x.GetRateSource() || row.CreatedBy != "users/"+w.finance.UserID {
			t.Fatalf("stored %+v", row)
		}

		// XOF 100,000 at 655.957 = EUR 152.449... -> 152.45.
		xof := w.valid()
		xof.CurrencyCode, xof.Amount, xof.BudgetLineKey = "XOF", "100000", w.line["3.1"]
		y := w.mustCreate(t, w.finance, xof)
		if y.GetConvertedAmount() != "152.45" || y.GetAmount() != "100000" || y.GetOrganisation() != w.a || y.GetProject() != "" || y.GetHeadingCode() != "3" {
			t.Fatalf("XOF: %v", y)
		}
		// The grant currency converts at 1 by definition.
		eur := w.valid()
		eur.CurrencyCode, eur.Amount, eur.BudgetLineKey, eur.Organisation, eur.Project = "EUR", "99.99", w.line["1.1"], w.lead, ""
		z := w.mustCreate(t, w.finance, eur)
		if z.GetConvertedAmount() != "99.99" || z.GetRate() != "1" || z.GetOrganisation() != w.lead || z.GetHeadingCode() != "1" {
			t.Fatalf("EUR: %v", z)
		}

		// No NPR rate: saved, flagged, never converted 1:1.
		npr := w.valid()
		npr.BudgetLineKey, npr.CurrencyCode, npr.Amount = w.line["2.2"], "NPR", "15025.00"
		m := w.mustCreate(t, w.finance, npr)
		if !m.GetRateMissing() || m.GetConvertedAmount() != "" || m.GetRate() != "" || !strings.Contains(m.GetRateProblem(), "no NPR rate for 2025-03") {
			t.Fatalf("missing rate: %v", m)
		}
		if n := exCount(t, e, "id = ? AND converted_amount IS NULL AND rate IS NULL AND rate_problem <> ''", id(m.GetName())); n != 1 {
			t.Fatal("a missing rate was stored as a conversion")
		}
		// Left out of converted totals: the sum of converted amounts is that of the other three.
		var sum int64
		if err := e.DB.NewRaw("SELECT SUM(converted_amount) FROM expenditures WHERE grant_id = ?", id(w.g1)).Scan(ctx, &sum); err != nil {
			t.Fatal(err)
		}
		if sum != 1000+15245+9999 {
			t.Fatalf("converted total %d", sum)
		}
		list, err := e.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: w.g1}))
		if err != nil || list.Msg.GetRateMissingCount() != 1 || len(list.Msg.GetExpenditures()) != 4 {
			t.Fatalf("list: %v %v", list, err)
		}
		only, err := e.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: w.g1, RateMissingOnly: true}))
		if err != nil || len(only.Msg.GetExpenditures()) != 1 || only.Msg.GetExpenditures()[0].GetName() != m.GetName() || only.Msg.GetRateMissingCount() != 1 {
			t.Fatalf("rate_missing_only: %v %v", only, err)
		}

		// A retried create with the same request_id makes nothing new.
		rid := "0191d5d6-6c6b-7c3e-9b1a-3f0c2a1b4c5d"
		same := w.valid()
		one, err := e.Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: w.g1, Expenditure: same, RequestId: rid}))
		if err != nil {
			t.Fatal(err)
		}
		two, err := e.Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: w.g1, Expenditure: same, RequestId: rid}))
		if err != nil || two.Msg.GetExpenditure().GetName() != one.Msg.GetExpenditure().GetName() {
			t.Fatalf("retry: %v %v", two, err)
		}
		// The same request_id with another expenditure is refused (AIP-155).
		_, err = e.Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: w.g1, Expenditure: w.valid(), RequestId: rid}))
		rpctest.ExpectViolation(t, err, "request_id")
		if n := exCount(t, e, "grant_id = ?", id(w.g1)); n != 5 {
			t.Fatalf("%d expenditures after a retried create", n)
		}
	})
}

func TestExpenditureStatusFlow(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		ctx := context.Background()
		x := w.mustCreate(t, w.editorA, w.valid())
		name := x.GetName()
		status := func(got *pactumv1.Expenditure, want pactumv1.ExpenditureStatus) {
			t.Helper()
			if got.GetStatus() != want {
				t.Fatalf("status %v, want %v", got.GetStatus(), want)
			}
		}

		// Draft: editable.
		up, err := w.editorA.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{
			Expenditure: &pactumv1.Expenditure{Name: name, Amount: "2810.00", Etag: x.GetEtag()}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"amount"}}}))
		if err != nil || up.Msg.GetExpenditure().GetConvertedAmount() != "20.00" || up.Msg.GetExpenditure().GetPayee() != "Kenya Airways" {
			t.Fatalf("update draft: %v %v", up, err)
		}
		x = up.Msg.GetExpenditure()
		// A stale etag is refused.
		_, err = w.editorA.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{
			Expenditure: &pactumv1.Expenditure{Name: name, Payee: "Someone", Etag: `"1"`}}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = w.editorA.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: name, Etag: `"1"`}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = w.editorA.Expenditures.DeleteExpenditure(ctx, connect.NewRequest(&pactumv1.DeleteExpenditureRequest{Name: name, Etag: `"1"`}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)

		// Submitted: no longer editable; only finance verifies.
		sub, err := w.editorA.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: name, Etag: x.GetEtag()}))
		if err != nil {
			t.Fatal(err)
		}
		status(sub.Msg.GetExpenditure(), pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_SUBMITTED)
		x = sub.Msg.GetExpenditure()
		_, err = w.editorA.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{Expenditure: &pactumv1.Expenditure{Name: name, Etag: e.ETag(name), Payee: "Changed"}}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if rpctest.Reason(err) != "EXPENDITURE_NOT_EDITABLE" {
			t.Fatalf("reason %q", rpctest.Reason(err))
		}
		_, err = w.finance.Expenditures.DeleteExpenditure(ctx, connect.NewRequest(&pactumv1.DeleteExpenditureRequest{Name: name}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		_, err = w.editorA.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: name}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		for who, c := range map[string]*rpctest.Clients{"partner editor": w.editorA, "coordinator": w.coordinator, "auditor": w.auditor, "viewer": w.viewerA} {
			_, err = c.Expenditures.VerifyExpenditure(ctx, connect.NewRequest(&pactumv1.VerifyExpenditureRequest{Name: name}))
			if rpctest.Code(err) != connect.CodePermissionDenied {
				t.Errorf("%s verifies: %v", who, err)
			}
			_, err = c.Expenditures.RejectExpenditure(ctx, connect.NewRequest(&pactumv1.RejectExpenditureRequest{Name: name, Reason: "no"}))
			if rpctest.Code(err) != connect.CodePermissionDenied {
				t.Errorf("%s rejects: %v", who, err)
			}
		}
		_, err = w.coordinator2.Expenditures.VerifyExpenditure(ctx, connect.NewRequest(&pactumv1.VerifyExpenditureRequest{Name: name}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = w.finance.Expenditures.RejectExpenditure(ctx, connect.NewRequest(&pactumv1.RejectExpenditureRequest{Name: name, Reason: "  "}))
		rpctest.ExpectViolation(t, err, "reason")
		_, err = w.finance.Expenditures.RejectExpenditure(ctx, connect.NewRequest(&pactumv1.RejectExpenditureRequest{Name: name, Reason: "x", Etag: `"1"`}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)

		// Rejected with a reason: editable again, and resubmitted.
		rej, err := w.finance.Expenditures.RejectExpenditure(ctx, connect.NewRequest(&pactumv1.RejectExpenditureRequest{Name: name, Etag: x.GetEtag(),
			Reason: "The invoice is for 1,405 KES, not 2,810"}))
		if err != nil {
			t.Fatal(err)
		}
		status(rej.Msg.GetExpenditure(), pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_REJECTED)
		if rej.Msg.GetExpenditure().GetRejectReason() != "The invoice is for 1,405 KES, not 2,810" {
			t.Fatalf("reason %q", rej.Msg.GetExpenditure().GetRejectReason())
		}
		got, err := w.viewerA.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: name}))
		if err != nil || got.Msg.GetExpenditure().GetRejectReason() == "" {
			t.Fatalf("the partner reads the reason: %v %v", got, err)
		}
		_, err = w.finance.Expenditures.VerifyExpenditure(ctx, connect.NewRequest(&pactumv1.VerifyExpenditureRequest{Name: name}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if rpctest.Reason(err) != "EXPENDITURE_NOT_SUBMITTED" {
			t.Fatalf("reason %q", rpctest.Reason(err))
		}
		fixed, err := w.editorA.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{
			Expenditure: &pactumv1.Expenditure{Name: name, Amount: "1405.00", Etag: rej.Msg.GetExpenditure().GetEtag()}}))
		if err != nil {
			t.Fatal(err)
		}
		status(fixed.Msg.GetExpenditure(), pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_REJECTED)
		again, err := w.editorA.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: name, Etag: fixed.Msg.GetExpenditure().GetEtag()}))
		if err != nil {
			t.Fatal(err)
		}
		status(again.Msg.GetExpenditure(), pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_SUBMITTED)
		if again.Msg.GetExpenditure().GetRejectReason() != "" {
			t.Fatal("the reason stays after resubmission")
		}
		ver, err := w.finance.Expenditures.VerifyExpenditure(ctx, connect.NewRequest(&pactumv1.VerifyExpenditureRequest{Name: name, Etag: again.Msg.GetExpenditure().GetEtag()}))
		if err != nil {
			t.Fatal(err)
		}
		status(ver.Msg.GetExpenditure(), pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_VERIFIED)
		_, err = w.finance.Expenditures.RejectExpenditure(ctx, connect.NewRequest(&pactumv1.RejectExpenditureRequest{Name: name, Reason: "late"}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		_, err = e.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{Expenditure: &pactumv1.Expenditure{Name: name, Etag: e.ETag(name), Payee: "Changed"}}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)

		// Every change is in the audit trail, by whom.
		var actions []struct {
			Action string `bun:"action"`
			Actor  string `bun:"actor"`
		}
		if err := e.DB.NewRaw("SELECT action, actor FROM audit_events WHERE resource = ? ORDER BY seq", name).Scan(ctx, &actions); err != nil {
			t.Fatal(err)
		}
		var got2 []string
		for _, a := range actions {
			got2 = append(got2, a.Action+" "+strings.TrimPrefix(a.Actor, "users/"))
		}
		ed, fi := w.editorA.UserID, w.finance.UserID
		want := []string{"create " + ed, "update " + ed, "submit " + ed, "reject " + fi, "update " + ed, "submit " + ed, "verify " + fi}
		if !slices.Equal(got2, want) {
			t.Fatalf("audit trail %v, want %v", got2, want)
		}

		// Delete: a draft goes, with an audit event.
		d := w.mustCreate(t, w.editorA, w.valid())
		if _, err := w.editorA.Expenditures.DeleteExpenditure(ctx, connect.NewRequest(&pactumv1.DeleteExpenditureRequest{Name: d.GetName(), Etag: d.GetEtag()})); err != nil {
			t.Fatal(err)
		}
		_, err = e.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: d.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		var n int
		_ = e.DB.NewRaw("SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = 'delete'", d.GetName()).Scan(ctx, &n)
		if n != 1 {
			t.Fatalf("%d delete events", n)
		}
	})
}

func TestPartnerEditorRecordsOnlyOnOwnAllocations(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		ctx := context.Background()
		// Own line, own organisation (taken from the line).
		own := w.mustCreate(t, w.editorA, w.valid())
		if own.GetOrganisation() != w.a {
			t.Fatalf("organisation %s", own.GetOrganisation())
		}
		other := w.valid()
		other.BudgetLineKey = w.line["2.2"]
		_, err := w.create(w.editorA, other)
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if !strings.Contains(err.Error(), "allocated to organisations/") || !strings.Contains(err.Error(), "HMWF") {
			t.Fatalf("the refusal does not say why: %v", err)
		}
		unallocated := w.valid()
		unallocated.BudgetLineKey, unallocated.Organisation = w.line["1.1"], w.a
		_, err = w.create(w.editorA, unallocated)
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if !strings.Contains(err.Error(), "not allocated to a partner") {
			t.Fatalf("the refusal does not say why: %v", err)
		}
		// Nor move their own expenditure to another partner's line.
		_, err = w.editorA.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{
			Expenditure: &pactumv1.Expenditure{Name: own.GetName(), Etag: e.ETag(own.GetName()), BudgetLineKey: w.line["2.2"]}}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		// But to their other line (allocated to UMOJA, to no project: the
		// project it had is kept).
		moved, err := w.editorA.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{
			Expenditure: &pactumv1.Expenditure{Name: own.GetName(), Etag: e.ETag(own.GetName()), BudgetLineKey: w.line["3.1"]}}))
		if err != nil || moved.Msg.GetExpenditure().GetProject() != w.pa || moved.Msg.GetExpenditure().GetHeadingCode() != "3" {
			t.Fatalf("move to 3.1: %v %v", moved, err)
		}
		// B's expenditure (recorded by finance) is out of A's sight.
		bx := w.valid()
		bx.BudgetLineKey = w.line["2.2"]
		bs := w.mustCreate(t, w.finance, bx)
		for _, c := range []*rpctest.Clients{w.editorA, w.viewerA} {
			_, err = c.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: bs.GetName()}))
			rpctest.ExpectCode(t, err, connect.CodeNotFound)
			_, err = c.Expenditures.UpdateExpenditure(ctx, connect.NewRequest(&pactumv1.UpdateExpenditureRequest{Expenditure: &pactumv1.Expenditure{Name: bs.GetName(), Payee: "x"}}))
			rpctest.ExpectCode(t, err, connect.CodeNotFound)
			list, err := c.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: w.g1}))
			if err != nil || len(list.Msg.GetExpenditures()) != 1 || list.Msg.GetExpenditures()[0].GetName() != own.GetName() {
				t.Fatalf("partner list: %v %v", list, err)
			}
		}
		// Viewers and auditors read but do not record.
		for who, c := range map[string]*rpctest.Clients{"viewer": w.viewerA, "auditor": w.auditor} {
			_, err = w.create(c, w.valid())
			if rpctest.Code(err) != connect.CodePermissionDenied {
				t.Errorf("%s creates: %v", who, err)
			}
			_, err = c.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: own.GetName()}))
			if rpctest.Code(err) != connect.CodePermissionDenied {
				t.Errorf("%s submits: %v", who, err)
			}
		}
		// Finance records on any line, for any partner taking part.
		fx := w.valid()
		fx.BudgetLineKey, fx.Organisation, fx.Project = w.line["1.1"], w.b, w.pb
		if got := w.mustCreate(t, w.finance, fx); got.GetOrganisation() != w.b || got.GetProject() != w.pb {
			t.Fatalf("finance on 1.1: %v", got)
		}
	})
}

func TestListExpenditures(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		ctx := context.Background()
		var made []*pactumv1.Expenditure
		for i, date := range []string{"2025-03-01", "2025-05-20", "2025-03-01", "2025-01-02", "2025-12-31"} {
			x := w.valid()
			x.ExpenseDate = date
			if i == 1 {
				x.BudgetLineKey = w.line["2.2"]
			}
			made = append(made, w.mustCreate(t, w.finance, x))
		}
		// A receipt of the first (the receipt service is another package's).
		if _, err := e.DB.NewRaw(`INSERT INTO receipts (id, expenditure_id, sha256, file_name, content_type, size_bytes, created_by, create_time)
			VALUES ('r1', ?, 'abc123', 'invoice.pdf', 'application/pdf', 2048, 'system', ?)`, id(made[0].GetName()), time.Now().UTC()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		var names []string
		token := ""
		for {
			res, err := e.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: w.g1, PageSize: 2, PageToken: token}))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Msg.GetExpenditures()) > 2 {
				t.Fatalf("page of %d", len(res.Msg.GetExpenditures()))
			}
			for _, x := range res.Msg.GetExpenditures() {
				names = append(names, x.GetExpenseDate())
				if x.GetName() == made[0].GetName() {
					if len(x.GetReceipts()) != 1 || x.GetReceipts()[0].GetName() != made[0].GetName()+"/receipts/r1" || x.GetReceipts()[0].GetSizeBytes() != 2048 {
						t.Fatalf("receipts %v", x.GetReceipts())
					}
				} else if len(x.GetReceipts()) != 0 {
					t.Fatalf("%s has receipts %v", x.GetName(), x.GetReceipts())
				}
			}
			token = res.Msg.GetNextPageToken()
			if token == "" {
				break
			}
		}
		if want := []string{"2025-12-31", "2025-05-20", "2025-03-01", "2025-03-01", "2025-01-02"}; !slices.Equal(names, want) {
			t.Fatalf("order %v, want %v", names, want)
		}
		got, err := e.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: made[0].GetName()}))
		if err != nil || len(got.Msg.GetExpenditure().GetReceipts()) != 1 || got.Msg.GetExpenditure().GetReceipts()[0].GetFileName() != "invoice.pdf" {
			t.Fatalf("get with receipts: %v %v", got, err)
		}

		count := func(req *pactumv1.ListExpendituresRequest) int {
			t.Helper()
			req.Parent = w.g1
			res, err := e.Expenditures.ListExpenditures(ctx, connect.NewRequest(req))
			if err != nil {
				t.Fatal(err)
			}
			return len(res.Msg.GetExpenditures())
		}
		if n := count(&pactumv1.ListExpendituresRequest{Organisation: w.b}); n != 1 {
			t.Errorf("organisation filter: %d", n)
		}
		if n := count(&pactumv1.ListExpendituresRequest{Project: w.pa}); n != 4 {
			t.Errorf("project filter: %d", n)
		}
		if n := count(&pactumv1.ListExpendituresRequest{BudgetLineKey: w.line["2.2"]}); n != 1 {
			t.Errorf("line filter: %d", n)
		}
		if n := count(&pactumv1.ListExpendituresRequest{FromDate: "2025-03-01", ToDate: "2025-05-20"}); n != 3 {
			t.Errorf("date filter: %d", n)
		}
		if _, err := w.finance.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: made[3].GetName()})); err != nil {
			t.Fatal(err)
		}
		if n := count(&pactumv1.ListExpendituresRequest{Status: pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_SUBMITTED}); n != 1 {
			t.Errorf("status filter: %d", n)
		}
		_, err = e.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: w.g1, FromDate: "2025-06-01", ToDate: "2025-05-01"}))
		rpctest.ExpectViolation(t, err, "to_date")
		first, _ := e.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: w.g1, PageSize: 1}))
		_, err = e.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: w.g1, PageSize: 1,
			PageToken: first.Msg.GetNextPageToken(), Organisation: w.b}))
		rpctest.ExpectViolation(t, err, "page_token")
		_, err = w.coordinator2.Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: w.g1}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

// An associate takes part in the action, but its costs are not eligible:
// expenditure on its lines, or charged to it on a line of nobody, is
// refused, and accepted again once it is a co-beneficiary.
func TestAssociatesCostsAreRefused(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		role := func(r string) {
			t.Helper()
			if _, err := e.DB.NewRaw("UPDATE project_participants SET role = ? WHERE project_id = ? AND organisation_id = ?",
				r, id(w.pa), id(w.a)).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		onLine := func() *pactumv1.Expenditure { return w.valid() } // line 2.1, allocated to UMOJA
		unallocated := func() *pactumv1.Expenditure {
			x := w.valid()
			x.BudgetLineKey, x.Organisation, x.Project = w.line["1.1"], w.a, w.pa
			return x
		}
		role("associate")
		for _, c := range []struct {
			name  string
			x     *pactumv1.Expenditure
			field string
		}{
			{"on a line allocated to the associate", onLine(), "expenditure.budget_line_key"},
			{"charged to the associate on an unallocated line", unallocated(), "expenditure.organisation"},
		} {
			_, err := w.create(w.finance, c.x)
			rpctest.ExpectViolation(t, err, c.field)
			if got := rpctest.Violations(err)[c.field]; !strings.Contains(got, "associates' costs are not eligible") {
				t.Errorf("%s: %s says %q", c.name, c.field, got)
			}
		}
		if n := exCount(t, e, "1 = 1"); n != 0 {
			t.Fatalf("%d expenditures of an associate stored", n)
		}
		role("co_beneficiary")
		w.mustCreate(t, w.finance, onLine())
		w.mustCreate(t, w.finance, unallocated())
	})
}
