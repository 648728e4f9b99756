package rpc_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// newGrantUnder returns a valid grant under the agreement named fpa; donor and
// lead come from the agreement.
func newGrantUnder(fpa, ref string) *pactumv1.Grant {
	return &pactumv1.Grant{
		FrameworkAgreement:    fpa,
		DonorReference:        ref,
		Title:                 "Decent work for domestic workers in East Africa",
		CurrencyCode:          "EUR",
		StartDate:             "2025-01-01",
		EndDate:               "2027-12-31",
		TotalEligibleCosts:    "1250000.00",
		MaxDonorContribution:  "1125000.00",
		CoFinancingRate:       "90",
		ReportingPeriodMonths: 12,
	}
}

func mustCreateGrant(t *testing.T, e *rpctest.Env, g *pactumv1.Grant) *pactumv1.Grant {
	t.Helper()
	res, err := e.Grants.CreateGrant(context.Background(), connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: g}))
	if err != nil {
		t.Fatalf("create grant %s: %v", g.GetDonorReference(), err)
	}
	return res.Msg.GetGrant()
}

func TestCreateGrant(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		fpa := mustCreateAgreement(t, e, newAgreement(p, "FPA/1"))
		standalone := func(g *pactumv1.Grant) {
			g.FrameworkAgreement, g.Donor, g.LeadOrganisation = "", p.otherDonor.GetName(), p.member.GetName()
		}
		scenarios := []struct {
			name      string
			mutate    func(g *pactumv1.Grant)
			wantField string
			wantSays  string
		}{
			{name: "valid", mutate: func(*pactumv1.Grant) {}},
			{name: "unknown currency", mutate: func(g *pactumv1.Grant) { g.CurrencyCode = "QQQ" },
				wantField: "grant.currency_code", wantSays: "ISO 4217"},
			{name: "currency not three capitals", mutate: func(g *pactumv1.Grant) { g.CurrencyCode = "Euro" },
				wantField: "grant.currency_code"},
			{name: "end before start", mutate: func(g *pactumv1.Grant) { g.EndDate = "2024-06-30" },
				wantField: "grant.end_date", wantSays: "after start_date (2025-01-01)"},
			{name: "impossible date", mutate: func(g *pactumv1.Grant) { g.EndDate = "2027-13-01" },
				wantField: "grant.end_date", wantSays: "YYYY-MM-DD"},
			{name: "negative total", mutate: func(g *pactumv1.Grant) { g.TotalEligibleCosts = "-1250000.00" },
				wantField: "grant.total_eligible_costs", wantSays: "negative"},
			{name: "negative contribution", mutate: func(g *pactumv1.Grant) { g.MaxDonorContribution = "-1" },
				wantField: "grant.max_donor_contribution", wantSays: "negative"},
			{name: "amount below the cent", mutate: func(g *pactumv1.Grant) { g.TotalEligibleCosts = "1250000.001" },
				wantField: "grant.total_eligible_costs", wantSays: "more decimals than EUR allows"},
			{name: "amount not a number", mutate: func(g *pactumv1.Grant) { g.MaxDonorContribution = "lots" },
				wantField: "grant.max_donor_contribution", wantSays: "not a decimal amount"},
			{name: "missing total", mutate: func(g *pactumv1.Grant) { g.TotalEligibleCosts = "" },
				wantField: "grant.total_eligible_costs", wantSays: "required"},
			{name: "co-financing rate above 100%", mutate: func(g *pactumv1.Grant) { g.CoFinancingRate = "100.5" },
				wantField: "grant.co_financing_rate", wantSays: "between 0 and 100"},
			{name: "zero co-financing rate", mutate: func(g *pactumv1.Grant) { g.CoFinancingRate = "0" },
				wantField: "grant.co_financing_rate", wantSays: "more than 0"},
			{name: "contribution above the co-financing rate", mutate: func(g *pactumv1.Grant) { g.MaxDonorContribution = "1200000" },
				wantField: "grant.max_donor_contribution", wantSays: "at most 1125000.00 EUR"},
			{name: "contribution above the total", mutate: func(g *pactumv1.Grant) { g.CoFinancingRate, g.MaxDonorContribution = "100", "1300000" },
				wantField: "grant.max_donor_contribution", wantSays: "at most 1250000.00 EUR"},
			{name: "indirect rate above the 7% cap", mutate: func(g *pactumv1.Grant) { g.IndirectCostRate = "7.5" },
				wantField: "grant.indirect_cost_rate", wantSays: "from 0 to 7 percent"},
			{name: "indirect rate with three decimals", mutate: func(g *pactumv1.Grant) { g.IndirectCostRate = "6.125" },
				wantField: "grant.indirect_cost_rate", wantSays: "at most two"},
			{name: "oversized indirect rate", mutate: func(g *pactumv1.Grant) { g.IndirectCostRate = strings.Repeat("1", 17) },
				wantField: "grant.indirect_cost_rate"},
			{name: "unknown state enum", mutate: func(g *pactumv1.Grant) { g.State = 99 },
				wantField: "grant.state", wantSays: "not a grant state"},
			{name: "oversized title", mutate: func(g *pactumv1.Grant) { g.Title = strings.Repeat("t", 501) },
				wantField: "grant.title"},
			{name: "oversized donor reference", mutate: func(g *pactumv1.Grant) { g.DonorReference = strings.Repeat("9", 101) },
				wantField: "grant.donor_reference"},
			{name: "oversized amount", mutate: func(g *pactumv1.Grant) { g.TotalEligibleCosts = strings.Repeat("1", 33) },
				wantField: "grant.total_eligible_costs"},
			{name: "reporting period missing", mutate: func(g *pactumv1.Grant) { g.ReportingPeriodMonths = 0 },
				wantField: "grant.reporting_period_months", wantSays: "required"},
			{name: "reporting period negative", mutate: func(g *pactumv1.Grant) { g.ReportingPeriodMonths = -12 },
				wantField: "grant.reporting_period_months"},
			{name: "reporting period above 120", mutate: func(g *pactumv1.Grant) { g.ReportingPeriodMonths = 121 },
				wantField: "grant.reporting_period_months"},
			{name: "reporting period longer than the grant", mutate: func(g *pactumv1.Grant) { g.ReportingPeriodMonths = 48 },
				wantField: "grant.reporting_period_months", wantSays: "36 whole month"},
			{name: "interim deadline too far", mutate: func(g *pactumv1.Grant) { g.InterimReportDueDays = proto.Int32(366) },
				wantField: "grant.interim_report_due_days"},
			{name: "unknown agreement", mutate: func(g *pactumv1.Grant) { g.FrameworkAgreement = "frameworkAgreements/x" },
				wantField: "grant.framework_agreement", wantSays: "frameworkAgreements/x does not exist"},
			{name: "donor other than the agreement's", mutate: func(g *pactumv1.Grant) { g.Donor = p.otherDonor.GetName() },
				wantField: "grant.donor", wantSays: "must be the donor of " + fpa.GetName()},
			{name: "standalone without a donor", mutate: func(g *pactumv1.Grant) { standalone(g); g.Donor = "" },
				wantField: "grant.donor", wantSays: "required"},
			{name: "standalone with an unknown lead", mutate: func(g *pactumv1.Grant) { standalone(g); g.LeadOrganisation = "organisations/x" },
				wantField: "grant.lead_organisation", wantSays: "organisations/x does not exist"},
			{name: "agreement is not a resource name", mutate: func(g *pactumv1.Grant) { g.FrameworkAgreement = "FPA/1" },
				wantField: "grant.framework_agreement"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				g := newGrantUnder(fpa.GetName(), "CSO-LA/2024/123-456")
				sc.mutate(g)
				res, err := e.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: g}))
				if sc.wantField != "" {
					rpctest.ExpectViolation(t, err, sc.wantField)
					if got := rpctest.Violations(err)[sc.wantField]; !strings.Contains(got, sc.wantSays) {
						t.Fatalf("%s: %q does not say %q", sc.wantField, got, sc.wantSays)
					}
					return
				}
				rpctest.ExpectCode(t, err, 0)
				got := res.Msg.GetGrant()
				if !strings.HasPrefix(got.GetName(), "grants/") || got.GetEtag() == "" || got.GetState() != pactumv1.GrantState_GRANT_STATE_DRAFT ||
					got.GetFrameworkAgreement() != fpa.GetName() || got.GetDonor() != p.donor.GetName() || got.GetLeadOrganisation() != p.lead.GetName() ||
					got.GetTotalEligibleCosts() != "1250000.00" || got.GetMaxDonorContribution() != "1125000.00" || got.GetCoFinancingRate() != "90" ||
					got.InterimReportDueDays == nil || got.GetInterimReportDueDays() != 60 ||
					got.FinalReportDueMonths == nil || got.GetFinalReportDueMonths() != 3 {
					t.Fatalf("created %v", got)
				}
				get, err := e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: got.GetName()}))
				if err != nil || !proto.Equal(get.Msg.GetGrant(), got) {
					t.Fatalf("read back %v (%v), want %v", get, err, got)
				}
			})
		}
		if n := countRows(t, e, "grants"); n != 1 {
			t.Fatalf("rows after scenarios = %d, want only the valid one", n)
		}
		// The donor reference is unique per donor.
		_, err := e.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: newGrantUnder(fpa.GetName(), "CSO-LA/2024/123-456")}))
		rpctest.ExpectCode(t, err, connect.CodeAlreadyExists)
		// A standalone grant in a currency without minor units, with its own deadlines.
		g := newGrantUnder("", "BF/2025/7")
		standalone(g)
		g.CurrencyCode, g.TotalEligibleCosts, g.MaxDonorContribution, g.CoFinancingRate = "XOF", "65595700", "52476560", "80"
		g.InterimReportDueDays, g.FinalReportDueMonths = proto.Int32(30), proto.Int32(6)
		got := mustCreateGrant(t, e, g)
		if got.GetFrameworkAgreement() != "" || got.GetDonor() != p.otherDonor.GetName() || got.GetTotalEligibleCosts() != "65595700" ||
			got.GetInterimReportDueDays() != 30 || got.GetFinalReportDueMonths() != 6 {
			t.Fatalf("standalone grant %v", got)
		}
	})
}

func TestCreateGrantRequestIDIsIdempotent(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		fpa := mustCreateAgreement(t, e, newAgreement(p, "FPA/1"))
		req := &pactumv1.CreateGrantRequest{Grant: newGrantUnder(fpa.GetName(), "CSO/IDEM"), RequestId: "c3a1e7d2-9b4f-4e6a-8d2c-7f1b0a9e5d34"}
		first, err := e.Grants.CreateGrant(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		second, err := e.Grants.CreateGrant(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		if first.Msg.GetGrant().GetName() != second.Msg.GetGrant().GetName() {
			t.Fatalf("retry created %s, first call %s", second.Msg.GetGrant().GetName(), first.Msg.GetGrant().GetName())
		}
		// Another request id is another grant (and here a duplicate reference).
		req.RequestId = "d4b2f8e3-0c5a-4f7b-9e3d-8a2c1b0f6e45"
		_, err = e.Grants.CreateGrant(ctx, connect.NewRequest(req))
		rpctest.ExpectCode(t, err, connect.CodeAlreadyExists)
		req.RequestId = "12345"
		_, err = e.Grants.CreateGrant(ctx, connect.NewRequest(req))
		rpctest.ExpectViolation(t, err, "request_id")
		if n := countRows(t, e, "grants"); n != 1 {
			t.Fatalf("rows = %d, want 1", n)
		}
	})
}

func TestListGrants(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		fpa := mustCreateAgreement(t, e, newAgreement(p, "FPA/1"))
		mk := func(ref string, standalone bool) *pactumv1.Grant {
			g := newGrantUnder(fpa.GetName(), ref)
			if standalone {
				g.FrameworkAgreement, g.Donor, g.LeadOrganisation = "", p.otherDonor.GetName(), p.lead.GetName()
			}
			return mustCreateGrant(t, e, g)
		}
		mk("A", false)
		mk("B", true)
		c := mk("C", false)
		if _, err := e.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: c.GetName()})); err != nil {
			t.Fatal(err)
		}
		refs := func(req *pactumv1.ListGrantsRequest) string {
			t.Helper()
			res, err := e.Grants.ListGrants(ctx, connect.NewRequest(req))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, g := range res.Msg.GetGrants() {
				out = append(out, g.GetDonorReference())
			}
			return strings.Join(out, " ")
		}
		cases := []struct {
			name string
			req  *pactumv1.ListGrantsRequest
			want string
		}{
			{"all, oldest first", &pactumv1.ListGrantsRequest{}, "A B C"},
			{"agreement", &pactumv1.ListGrantsRequest{FrameworkAgreement: fpa.GetName()}, "A C"},
			{"donor", &pactumv1.ListGrantsRequest{Donor: p.otherDonor.GetName()}, "B"},
			{"state", &pactumv1.ListGrantsRequest{State: pactumv1.GrantState_GRANT_STATE_DRAFT}, "A B"},
			{"agreement and state", &pactumv1.ListGrantsRequest{FrameworkAgreement: fpa.GetName(), State: pactumv1.GrantState_GRANT_STATE_ACTIVE}, "C"},
			{"closed", &pactumv1.ListGrantsRequest{State: pactumv1.GrantState_GRANT_STATE_CLOSED}, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := refs(c.req); got != c.want {
					t.Fatalf("got %q, want %q", got, c.want)
				}
			})
		}

		var seen []string
		token := ""
		for i := 0; ; i++ {
			res, err := e.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{PageSize: 2, PageToken: token}))
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range res.Msg.GetGrants() {
				seen = append(seen, g.GetDonorReference())
			}
			if i == 0 {
				mk("D", true)
			}
			if token = res.Msg.GetNextPageToken(); token == "" {
				break
			}
			if i > 5 {
				t.Fatal("paging does not end")
			}
		}
		if got := strings.Join(seen, " "); got != "A B C D" {
			t.Fatalf("pages gave %q", got)
		}

		first, err := e.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{PageSize: 1}))
		if err != nil {
			t.Fatal(err)
		}
		bad := []struct {
			name  string
			req   *pactumv1.ListGrantsRequest
			field string
		}{
			{"negative page size", &pactumv1.ListGrantsRequest{PageSize: -5}, "page_size"},
			{"malformed token", &pactumv1.ListGrantsRequest{PageToken: "eyJrIjpbXX0"}, "page_token"},
			{"token of other filters", &pactumv1.ListGrantsRequest{PageToken: first.Msg.GetNextPageToken(), State: pactumv1.GrantState_GRANT_STATE_DRAFT}, "page_token"},
			{"unknown state", &pactumv1.ListGrantsRequest{State: 7}, "state"},
			{"agreement is not a resource name", &pactumv1.ListGrantsRequest{FrameworkAgreement: "grants/1"}, "framework_agreement"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.Grants.ListGrants(ctx, connect.NewRequest(c.req))
				rpctest.ExpectViolation(t, err, c.field)
			})
		}
	})
}

func TestUpdateGrant(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		fpa := mustCreateAgreement(t, e, newAgreement(p, "FPA/1"))
		g := mustCreateGrant(t, e, newGrantUnder(fpa.GetName(), "CSO/1"))
		update := func(u *pactumv1.Grant, paths ...string) (*pactumv1.Grant, error) {
			if u.GetEtag() == "" {
				u.Etag = e.ETag(u.GetName()) // the etag is required: the current one
			}
			req := &pactumv1.UpdateGrantRequest{Grant: u}
			if len(paths) > 0 {
				req.UpdateMask = &fieldmaskpb.FieldMask{Paths: paths}
			}
			res, err := e.Grants.UpdateGrant(ctx, connect.NewRequest(req))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetGrant(), nil
		}

		// Only the masked fields change.
		u, err := update(&pactumv1.Grant{Name: g.GetName(), Etag: g.GetEtag(), EndDate: "2028-06-30", Title: "ignored",
			InterimReportDueDays: proto.Int32(45)}, "end_date", "interim_report_due_days")
		if err != nil {
			t.Fatal(err)
		}
		if u.GetEndDate() != "2028-06-30" || u.GetInterimReportDueDays() != 45 || u.GetTitle() != g.GetTitle() ||
			u.GetEtag() == g.GetEtag() || u.GetFinalReportDueMonths() != 3 {
			t.Fatalf("after update: %v", u)
		}
		// Without a mask, the fields set change; the state given is ignored.
		u, err = update(&pactumv1.Grant{Name: g.GetName(), CoFinancingRate: "95", MaxDonorContribution: "1187500",
			State: pactumv1.GrantState_GRANT_STATE_CLOSED})
		if err != nil {
			t.Fatal(err)
		}
		if u.GetCoFinancingRate() != "95" || u.GetMaxDonorContribution() != "1187500.00" || u.GetState() != pactumv1.GrantState_GRANT_STATE_DRAFT {
			t.Fatalf("after maskless update: %v", u)
		}
		// The etag is required (lost updates of a grant matter), and a
		// stale one is refused.
		_, err = e.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant: &pactumv1.Grant{Name: g.GetName(), Title: "X"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		rpctest.ExpectViolation(t, err, "grant.etag")
		_, err = update(&pactumv1.Grant{Name: g.GetName(), Etag: g.GetEtag(), Title: "X"})
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		// The state is not updatable.
		_, err = update(&pactumv1.Grant{Name: g.GetName(), State: pactumv1.GrantState_GRANT_STATE_ACTIVE}, "state")
		rpctest.ExpectViolation(t, err, "update_mask")
		// Invalid values are refused, naming the field, and nothing is written.
		_, err = update(&pactumv1.Grant{Name: g.GetName(), MaxDonorContribution: "1200000"}, "max_donor_contribution")
		if got := rpctest.Violations(err)["grant.max_donor_contribution"]; !strings.Contains(got, "at most 1187500.00 EUR") {
			t.Fatalf("contribution above the rate: %v", err)
		}
		_, err = update(&pactumv1.Grant{Name: g.GetName(), CoFinancingRate: "101"})
		rpctest.ExpectViolation(t, err, "grant.co_financing_rate")
		_, err = update(&pactumv1.Grant{Name: g.GetName(), Donor: p.otherDonor.GetName()})
		rpctest.ExpectViolation(t, err, "grant.donor")
		_, err = update(&pactumv1.Grant{Name: g.GetName(), State: 42, Title: "X"})
		rpctest.ExpectViolation(t, err, "grant.state")
		get, err := e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: g.GetName()}))
		if err != nil || get.Msg.GetGrant().GetEtag() != u.GetEtag() || get.Msg.GetGrant().GetMaxDonorContribution() != "1187500.00" {
			t.Fatalf("after refused updates: %v %v", get, err)
		}
		// A closed grant is no longer changed.
		if _, err := e.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: g.GetName()})); err != nil {
			t.Fatal(err)
		}
		if _, err := update(&pactumv1.Grant{Name: g.GetName(), Title: "Active grants can be corrected"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Grants.CloseGrant(ctx, connect.NewRequest(&pactumv1.CloseGrantRequest{Name: g.GetName()})); err != nil {
			t.Fatal(err)
		}
		_, err = update(&pactumv1.Grant{Name: g.GetName(), Title: "Too late"})
		expectReason(t, err, "GRANT_CLOSED")
		_, err = update(&pactumv1.Grant{Name: "grants/nope", Title: "X"})
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

func TestGrantStateTransitions(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		fpa := mustCreateAgreement(t, e, newAgreement(p, "FPA/1"))
		g := mustCreateGrant(t, e, newGrantUnder(fpa.GetName(), "CSO/1"))
		activate := func(etag string) (*pactumv1.Grant, error) {
			res, err := e.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: g.GetName(), Etag: etag}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetGrant(), nil
		}
		closeGrant := func(etag string) (*pactumv1.Grant, error) {
			res, err := e.Grants.CloseGrant(ctx, connect.NewRequest(&pactumv1.CloseGrantRequest{Name: g.GetName(), Etag: etag}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetGrant(), nil
		}
		_, err := closeGrant("")
		expectReason(t, err, "GRANT_NOT_ACTIVE")
		_, err = activate(`"stale"`)
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		a, err := activate(g.GetEtag())
		if err != nil || a.GetState() != pactumv1.GrantState_GRANT_STATE_ACTIVE || a.GetEtag() == g.GetEtag() {
			t.Fatalf("activate: %v %v", a, err)
		}
		_, err = activate("")
		expectReason(t, err, "GRANT_NOT_DRAFT")
		c, err := closeGrant(a.GetEtag())
		if err != nil || c.GetState() != pactumv1.GrantState_GRANT_STATE_CLOSED {
			t.Fatalf("close: %v %v", c, err)
		}
		_, err = closeGrant("")
		expectReason(t, err, "GRANT_NOT_ACTIVE")
		_, err = activate("")
		expectReason(t, err, "GRANT_NOT_DRAFT")
		get, err := e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: g.GetName()}))
		if err != nil || get.Msg.GetGrant().GetState() != pactumv1.GrantState_GRANT_STATE_CLOSED {
			t.Fatalf("stored: %v %v", get, err)
		}
		_, err = e.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: "grants/missing"}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Grants.CloseGrant(ctx, connect.NewRequest(&pactumv1.CloseGrantRequest{Name: g.GetName() + "/x"}))
		rpctest.ExpectViolation(t, err, "name")
	})
}

func TestDeleteGrant(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		fpa := mustCreateAgreement(t, e, newAgreement(p, "FPA/1"))
		active := mustCreateGrant(t, e, newGrantUnder(fpa.GetName(), "CSO/ACTIVE"))
		withProject := mustCreateGrant(t, e, newGrantUnder(fpa.GetName(), "CSO/PROJECT"))
		withReport := mustCreateGrant(t, e, newGrantUnder(fpa.GetName(), "CSO/REPORTED"))
		plain := mustCreateGrant(t, e, newGrantUnder(fpa.GetName(), "CSO/PLAIN"))
		id := func(g *pactumv1.Grant) string { return strings.TrimPrefix(g.GetName(), "grants/") }
		lead := strings.TrimPrefix(p.lead.GetName(), "organisations/")
		ts := time.Now().UTC()
		// Rows the API of other services would make.
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := e.DB.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		exec(`INSERT INTO projects (id, grant_id, title, version, create_time, update_time) VALUES ('p1', ?, 'Organising', 1, ?, ?)`,
			id(withProject), ts, ts)
		milestone := `INSERT INTO milestones (id, grant_id, kind, due_date, responsible_organisation_id, submit_time, version, create_time, update_time)
			VALUES (?, ?, 'interim_report', '2026-03-01', ?, ?, 1, ?, ?)`
		exec(milestone, "m1", id(withReport), lead, ts, ts, ts)
		exec(milestone, "m2", id(plain), lead, nil, ts, ts)
		exec(milestone, "m3", id(plain), lead, nil, ts, ts)

		del := func(g *pactumv1.Grant, etag string) error {
			_, err := e.Grants.DeleteGrant(ctx, connect.NewRequest(&pactumv1.DeleteGrantRequest{Name: g.GetName(), Etag: etag}))
			return err
		}
		if _, err := e.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: active.GetName()})); err != nil {
			t.Fatal(err)
		}
		expectReason(t, del(active, ""), "GRANT_NOT_DRAFT")
		expectReason(t, del(withProject, ""), "GRANT_HAS_PROJECTS")
		expectReason(t, del(withReport, ""), "GRANT_HAS_SUBMITTED_MILESTONES")
		rpctest.ExpectCode(t, del(plain, `"stale"`), connect.CodeAborted)
		if n := countRows(t, e, "milestones WHERE generator_key IS NULL"); n != 3 {
			t.Fatalf("hand-made milestones after refused deletes = %d, want 3", n)
		}
		rpctest.ExpectCode(t, del(plain, plain.GetEtag()), 0)
		_, err := e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: plain.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		if n := countRows(t, e, "milestones WHERE generator_key IS NULL"); n != 1 {
			t.Fatalf("hand-made milestones after deleting the plain grant = %d, want the reported grant's 1", n)
		}
		if n := countRows(t, e, "milestones WHERE grant_id = '"+id(plain)+"'"); n != 0 {
			t.Fatalf("%d milestones of the deleted grant remain (generated ones included)", n)
		}
		if n := countRows(t, e, "grants"); n != 3 {
			t.Fatalf("grants = %d, want 3", n)
		}
		rpctest.ExpectCode(t, del(plain, ""), connect.CodeNotFound)
	})
}
