package contract_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/contract"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/rules"
	"github.com/pactum-dev/pactum/internal/sheet/sheettest"
)

// fixture is a database with a donor, a lead (GSN) and two partners (UMOJA
// in Kenya, HMWF in Nepal), as the testdata budgets name them.
type fixture struct {
	db                     *bun.DB
	svc                    *contract.Service
	donor, lead, umoja, hm string
}

func setup(t *testing.T, d *bun.DB) *fixture {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	orgs := organisation.NewService(d)
	mk := func(name, short, country string, kind organisation.Kind) string {
		o, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: name, ShortName: short, CountryCode: country, Kind: kind}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f := &fixture{db: d, svc: contract.NewService(d)}
	f.svc.SetTempDir(t.TempDir())
	f.donor = mk("European Commission", "EC", "BE", organisation.KindDonor)
	f.lead = mk("Global Solidarity Network", "GSN", "BE", organisation.KindLead)
	f.umoja = mk("Umoja Domestic Workers Union", "UMOJA", "KE", organisation.KindLocalPartner)
	f.hm = mk("Himalaya Migrant Workers Forum", "HMWF", "NP", organisation.KindMember)
	return f
}

// request is the testdata contract: EUR 434,420.00 of total eligible costs
// (what annex-iii.csv adds up to), three pre-financing instalments, and a
// project with UMOJA as co-beneficiary and HMWF as affiliated entity.
func (f *fixture) request(file string) contract.Request {
	content, err := os.ReadFile("testdata/" + file)
	if err != nil {
		panic(err)
	}
	return contract.Request{
		Grant: grant.Input{DonorID: f.donor, LeadOrganisationID: f.lead, DonorReference: "CSO-LA/2027/431-118",
			Title: "Decent work for domestic workers in East Africa and South Asia", CurrencyCode: "EUR",
			StartDate: "2027-01-01", EndDate: "2029-12-31", TotalEligibleCosts: "434420.00",
			MaxDonorContribution: "390978.00", CoFinancingRate: "90", ReportingPeriodMonths: 12},
		Terms: contract.Terms{IndirectCostRate: "7", RatePolicy: rules.PeriodAverage, Prefinancing: []contract.Instalment{
			{DueDate: "2027-01-31", Amount: "150000.00"}, {DueDate: "2028-02-28", Amount: "120000.00"}, {DueDate: "2029-02-28", Amount: "80000.00"}}},
		FileName: file, Content: content,
		Project: &project.Input{Code: "EA-01", Title: "Organising domestic workers", CountryCodes: []string{"KE", "NP"},
			Participants: []project.Participant{
				{OrganisationID: f.lead, Role: project.RoleCoordinator},
				{OrganisationID: f.umoja, Role: project.RoleCoBeneficiary, BudgetShare: "262000.00"},
				{OrganisationID: f.hm, Role: project.RoleAffiliatedEntity, BudgetShare: "53000.00"},
			}},
	}
}

// counts is how many rows each table the flow writes holds.
func counts(t *testing.T, d bun.IDB) string {
	t.Helper()
	var out []string
	for _, table := range []string{"grants", "grant_rules", "grant_prefinancing_plan", "projects", "project_participants",
		"budget_versions", "budget_lines", "milestones", "audit_events", "create_requests"} {
		var n int
		if err := d.NewRaw("SELECT COUNT(*) FROM "+table).Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(out, " ")
}

// expectedLines reads annex-iii.csv's lines the plain way: code -> total in
// cents, and the grand total.
func expectedLines(t *testing.T) (map[string]int64, int64) {
	t.Helper()
	raw, err := os.ReadFile("testdata/annex-iii.csv")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	var sum int64
	for _, row := range strings.Split(strings.TrimSpace(string(raw)), "\n")[2:] {
		// The descriptions with commas are quoted; the figures are the
		// last three fields but one.
		fields := strings.Split(row, ",")
		code := fields[1]
		if code == "" {
			continue
		}
		total, err := money.Parse(fields[len(fields)-2], "EUR")
		if err != nil {
			t.Fatalf("testdata row %q: %v", row, err)
		}
		out[code] = total
		sum += total
	}
	return out, sum
}

func TestGrantFromContractImportsAnnexIII(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"annex-iii.csv", "annex-iii.xlsx"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, d *bun.DB) {
				ctx := actor.SystemContext(context.Background())
				f := setup(t, d)
				want, wantTotal := expectedLines(t)
				before := counts(t, d)

				// Validate only: everything is shown, nothing is written.
				req := f.request(file)
				req.ValidateOnly = true
				preview, err := f.svc.CreateGrant(ctx, req, "")
				if err != nil {
					t.Fatal(err)
				}
				if len(preview.Problems) != 0 {
					t.Fatalf("problems: %+v", preview.Problems)
				}
				got := map[string]int64{}
				for _, l := range preview.Lines {
					got[l.Input.Code] = l.Total
				}
				if fmt.Sprint(got) != fmt.Sprint(want) || preview.BudgetTotal != wantTotal {
					t.Fatalf("lines %v total %d, want %v total %d", got, preview.BudgetTotal, want, wantTotal)
				}
				if after := counts(t, d); after != before {
					t.Fatalf("validate only wrote:\n%s\nbefore:\n%s", after, before)
				}
				progress := map[string]int{}
				for _, m := range preview.Milestones {
					if m.Kind == milestone.KindPartnerProgressUpdate {
						progress[m.ResponsibleOrganisationID]++
					}
				}
				// Quarterly over 36 months, for the co-beneficiary and the
				// affiliated entity; none for the coordinator.
				if progress[f.umoja] != 12 || progress[f.hm] != 12 || progress[f.lead] != 0 {
					t.Fatalf("progress updates previewed per organisation: %v", progress)
				}

				// Create: the same, written.
				req.ValidateOnly = false
				rid := uuid.NewString()
				res, err := f.svc.CreateGrant(ctx, req, rid)
				if err != nil {
					t.Fatal(err)
				}
				if !res.Created || res.Grant == nil || res.Version == nil || res.Project == nil || len(res.Problems) != 0 {
					t.Fatalf("created %+v", res)
				}
				if len(res.Version.Lines) != len(want) || res.Version.Total != wantTotal || res.Version.State != "adopted" {
					t.Fatalf("budget: %d lines, total %d, %s", len(res.Version.Lines), res.Version.Total, res.Version.State)
				}
				alloc := map[string]string{}
				for _, l := range res.Version.Lines {
					alloc[l.Code] = l.OrganisationID
				}
				if alloc["1.2"] != f.umoja || alloc["1.3"] != f.umoja || alloc["2.2"] != f.hm || alloc["1.1"] != f.lead || alloc["5.1"] != "" {
					t.Fatalf("partners of the lines: %v", alloc)
				}
				r, err := rules.Load(ctx, d, res.Grant.ID)
				if err != nil {
					t.Fatal(err)
				}
				if r.IndirectCapBP != 700 || r.RatePolicy != rules.PeriodAverage {
					t.Fatalf("rules %+v", r)
				}
				// The Special Conditions' rate is the grant's flat rate too.
				if g, err := grant.NewService(d).Get(ctx, res.Grant.ID); err != nil || g.IndirectCostRateBP != 700 {
					t.Fatalf("the grant's flat rate: %v %+v", err, g)
				}
				var kinds []string
				var payments []string
				for _, m := range res.Milestones {
					kinds = append(kinds, string(m.Kind))
					if m.Kind == milestone.KindPaymentRequest {
						payments = append(payments, m.DueDate.String())
					}
				}
				if !slices.Equal(payments, []string{"2028-02-28", "2029-02-28"}) {
					t.Fatalf("payment requests %v (milestones %v)", payments, kinds)
				}
				// The budget adds up to the contract: compliance finds nothing to say of it.
				c, err := finance.NewService(d).CheckCompliance(ctx, res.Grant.ID, "2027-06-30")
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range c.Findings {
					if x.Severity == finance.Violation {
						t.Fatalf("a new grant from its contract has a violation: %+v", x)
					}
				}

				// A retry answers the first call's grant and writes nothing.
				written := counts(t, d)
				again, err := f.svc.CreateGrant(ctx, req, rid)
				if err != nil {
					t.Fatal(err)
				}
				if again.Grant.ID != res.Grant.ID || counts(t, d) != written {
					t.Fatalf("retry made %s (first %s):\n%s\n%s", again.Grant.ID, res.Grant.ID, counts(t, d), written)
				}
			})
		})
	}
}

func TestBrokenBudgetGivesProblemsPerRowAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		before := counts(t, d)
		for _, validate := range []bool{true, false} {
			req := f.request("annex-iii-broken.csv")
			req.ValidateOnly = validate
			res, err := f.svc.CreateGrant(ctx, req, uuid.NewString())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range res.Problems {
				got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Code))
				if p.Message == "" {
					t.Errorf("problem %+v has no message", p)
				}
			}
			sort.Strings(got)
			want := []string{
				"2 heading " + contract.ProblemNoHeading,      // 1.1 above any heading
				"4 units " + contract.ProblemBadNumber,        // "24,5"
				"5 partner " + contract.ProblemUnknownPartner, // "Nobody Known"
				"6 line " + contract.ProblemHeadingMismatch,   // 2.1 under heading 1
				"8 total " + contract.ProblemTotalDiffers,     // 18,000.00 written 17,000.00
				"9 description " + contract.ProblemMissing,    // 2.3 without description
				"9 unit_cost " + contract.ProblemBadAmount,    // "abc"
			}
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Fatalf("validate=%v problems:\n%s\nwant:\n%s", validate, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if res.Created || (!validate && res.Grant != nil) {
				t.Fatalf("validate=%v: made %+v", validate, res.Grant)
			}
			if after := counts(t, d); after != before {
				t.Fatalf("validate=%v: a refused budget wrote:\n%s\nbefore:\n%s", validate, after, before)
			}
		}
	})
}

func TestBudgetTotalAndCapsAgainstTheContract(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		before := counts(t, d)

		// The contract says a cent more than the budget adds up to.
		req := f.request("annex-iii.csv")
		req.Grant.TotalEligibleCosts = "434420.01"
		res, err := f.svc.CreateGrant(ctx, req, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 1 || res.Problems[0].Code != contract.ProblemTotalMismatch || res.Problems[0].Row != 0 ||
			res.Problems[0].Args["budget_total"] != "434420.00" || res.Problems[0].Args["total_eligible_costs"] != "434420.01" {
			t.Fatalf("total a cent off: %+v", res.Problems)
		}

		// Indirect costs a cent above 7% of 406,000.00; the contract's
		// total follows, so that only the cap is at fault. And a contract
		// whose indirect-cost rate is 6% refuses the 7% line.
		req = f.request("annex-iii.csv")
		req.Content = []byte(strings.Replace(string(req.Content), "1,28420.00,28420.00,GSN", "1,28420.01,28420.01,GSN", 1))
		req.Grant.TotalEligibleCosts = "434420.01"
		res, err = f.svc.CreateGrant(ctx, req, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 1 || res.Problems[0].Code != contract.ProblemIndirectCap || res.Problems[0].Args["cap_percent"] != "7" {
			t.Fatalf("indirect costs above 7%%: %+v", res.Problems)
		}
		req = f.request("annex-iii.csv")
		req.Terms.IndirectCostRate = "6"
		res, err = f.svc.CreateGrant(ctx, req, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 1 || res.Problems[0].Code != contract.ProblemIndirectCap || res.Problems[0].Args["cap_percent"] != "6" {
			t.Fatalf("indirect costs above the contract's 6%%: %+v", res.Problems)
		}
		// A grant's own flat rate above the contract's is refused.
		req = f.request("annex-iii.csv")
		req.Terms.IndirectCostRate, req.Grant.IndirectCostRate = "6", "6.5"
		_, err = f.svc.CreateGrant(ctx, req, "")
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.KindInvalid || !errs.Violations(e.Violations).Has("grant.indirect_cost_rate") {
			t.Fatalf("grant rate above the contract's: %v", err)
		}
		if after := counts(t, d); after != before {
			t.Fatalf("refused budgets wrote:\n%s\nbefore:\n%s", after, before)
		}
	})
}

func TestContractFieldsAreNamed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		before := counts(t, d)
		req := f.request("annex-iii.csv")
		req.Grant.EndDate = "2026-12-31" // before the start
		req.Terms.IndirectCostRate = "8"
		_, err := f.svc.CreateGrant(ctx, req, "")
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.KindInvalid || !errs.Violations(e.Violations).Has("terms.indirect_cost_rate") {
			t.Fatalf("indirect rate above 7%%: %v", err)
		}
		req.Terms.IndirectCostRate = "7"
		_, err = f.svc.CreateGrant(ctx, req, "")
		if !errors.As(err, &e) || !errs.Violations(e.Violations).Has("grant.end_date") {
			t.Fatalf("end before start: %v", err)
		}
		req = f.request("annex-iii.csv")
		req.Terms.Prefinancing = append(req.Terms.Prefinancing, contract.Instalment{DueDate: "2029-06-30", Amount: "10000.00"}) // 360,000.00 > 90% of 390,978.00
		req.Project.Participants[1].Role = ""
		_, err = f.svc.CreateGrant(ctx, req, "")
		if !errors.As(err, &e) || !errs.Violations(e.Violations).Has("terms.prefinancing") {
			t.Fatalf("pre-financing above 90%%: %v", err)
		}
		req.Terms.Prefinancing = req.Terms.Prefinancing[:3]
		_, err = f.svc.CreateGrant(ctx, req, "")
		if !errors.As(err, &e) || !errs.Violations(e.Violations).Has("project.participants[1].role") {
			t.Fatalf("partner without role: %v", err)
		}
		req = f.request("annex-iii.csv")
		req.Content, req.Project = nil, nil
		_, err = f.svc.CreateGrant(ctx, req, "")
		if !errors.As(err, &e) || !errs.Violations(e.Violations).Has("budget_content") || !errs.Violations(e.Violations).Has("project") {
			t.Fatalf("no budget, no project: %v", err)
		}
		if after := counts(t, d); after != before {
			t.Fatalf("refused requests wrote:\n%s\nbefore:\n%s", after, before)
		}
	})
}

// A decompression bomb is refused by the reader's limits (internal/sheet)
// before it costs memory, and nothing is written.
func TestBudgetBombIsRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		before := counts(t, d)
		req := f.request("annex-iii.csv")
		req.FileName = "annex-iii.xlsx"
		req.Content = sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 512 << 20})
		_, err := f.svc.CreateGrant(ctx, req, "")
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.KindInvalid || !errs.Violations(e.Violations).Has("budget_content") {
			t.Fatalf("bomb: %v", err)
		}
		if after := counts(t, d); after != before {
			t.Fatalf("a bomb wrote:\n%s\nbefore:\n%s", after, before)
		}
	})
}

// A budget line's partner must take part in the action: with the project
// given, a partner left out of it is a problem on each of its rows; before
// the project is known (the budget step's preview) the lines are only read.
func TestBudgetPartnersMustBeInTheAction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		before := counts(t, d)
		req := f.request("annex-iii.csv")
		req.Project.Participants = req.Project.Participants[:2] // without HMWF
		res, err := f.svc.CreateGrant(ctx, req, "")
		if err != nil {
			t.Fatal(err)
		}
		var rows []int
		for _, p := range res.Problems {
			if p.Code != contract.ProblemPartnerNotInAction || p.Column != "partner" || p.Args["partner"] != "HMWF" {
				t.Fatalf("unexpected problem %+v", p)
			}
			rows = append(rows, p.Row)
		}
		// HMWF's lines: 2.2, 3.1, 4.1 on rows 9, 11 and 13.
		if !slices.Equal(rows, []int{9, 11, 13}) || res.Created {
			t.Fatalf("rows %v (created %v)", rows, res.Created)
		}

		req = f.request("annex-iii.csv")
		req.Project, req.ValidateOnly = nil, true
		res, err = f.svc.CreateGrant(ctx, req, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 0 || len(res.Lines) == 0 || res.Version != nil || res.Project != nil {
			t.Fatalf("budget preview without the project: %d problems, %d lines, version %v", len(res.Problems), len(res.Lines), res.Version)
		}
		if after := counts(t, d); after != before {
			t.Fatalf("wrote:\n%s\nbefore:\n%s", after, before)
		}
	})
}
