package rpc_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// partners are the organisations agreement and grant tests work with.
type partners struct {
	donor, otherDonor, lead, member, partner *pactumv1.Organisation
}

func seedPartners(t *testing.T, e *rpctest.Env) partners {
	t.Helper()
	return partners{
		donor:      createOrg(t, e, newOrg("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR)),
		otherDonor: createOrg(t, e, newOrg("Swedish International Development Cooperation Agency", "Sida", "SE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR)),
		lead:       createOrg(t, e, newOrg("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD)),
		member:     createOrg(t, e, newOrg("Central Única dos Trabalhadores", "CUT", "BR", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER)),
		partner:    createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER)),
	}
}

func newAgreement(p partners, ref string) *pactumv1.FrameworkAgreement {
	return &pactumv1.FrameworkAgreement{
		Reference:        ref,
		Title:            "Framework partnership for decent work",
		Donor:            p.donor.GetName(),
		LeadOrganisation: p.lead.GetName(),
		SignatureDate:    "2015-03-02",
		StartDate:        "2015-04-01",
		EndDate:          "2030-12-31",
		CurrencyCode:     "EUR",
	}
}

func mustCreateAgreement(t *testing.T, e *rpctest.Env, a *pactumv1.FrameworkAgreement) *pactumv1.FrameworkAgreement {
	t.Helper()
	res, err := e.Agreements.CreateFrameworkAgreement(context.Background(),
		connect.NewRequest(&pactumv1.CreateFrameworkAgreementRequest{FrameworkAgreement: a}))
	if err != nil {
		t.Fatalf("create agreement %s: %v", a.GetReference(), err)
	}
	return res.Msg.GetFrameworkAgreement()
}

func countRows(t *testing.T, e *rpctest.Env, table string) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT COUNT(*) FROM "+table).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// expectReason fails the test unless err is FAILED_PRECONDITION with reason.
func expectReason(t *testing.T, err error, reason string) {
	t.Helper()
	rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
	if got := rpctest.Reason(err); got != reason {
		t.Fatalf("reason %q (%v), want %q", got, err, reason)
	}
}

func TestCreateFrameworkAgreement(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		scenarios := []struct {
			name      string
			mutate    func(a *pactumv1.FrameworkAgreement)
			wantField string
			wantSays  string // part of the field's description
		}{
			{name: "valid", mutate: func(*pactumv1.FrameworkAgreement) {}},
			{name: "unknown currency", mutate: func(a *pactumv1.FrameworkAgreement) { a.CurrencyCode = "ZZZ" },
				wantField: "framework_agreement.currency_code", wantSays: "ISO 4217"},
			{name: "lowercase currency", mutate: func(a *pactumv1.FrameworkAgreement) { a.CurrencyCode = "eur" },
				wantField: "framework_agreement.currency_code"},
			{name: "missing currency", mutate: func(a *pactumv1.FrameworkAgreement) { a.CurrencyCode = "" },
				wantField: "framework_agreement.currency_code", wantSays: "required"},
			{name: "end before start", mutate: func(a *pactumv1.FrameworkAgreement) { a.EndDate = "2014-12-31" },
				wantField: "framework_agreement.end_date", wantSays: "after start_date"},
			{name: "missing start", mutate: func(a *pactumv1.FrameworkAgreement) { a.StartDate = "" },
				wantField: "framework_agreement.start_date", wantSays: "required"},
			{name: "date in another format", mutate: func(a *pactumv1.FrameworkAgreement) { a.StartDate = "01/04/2015" },
				wantField: "framework_agreement.start_date"},
			{name: "impossible date", mutate: func(a *pactumv1.FrameworkAgreement) { a.StartDate = "2015-02-30" },
				wantField: "framework_agreement.start_date", wantSays: "YYYY-MM-DD"},
			{name: "signed after the end", mutate: func(a *pactumv1.FrameworkAgreement) { a.SignatureDate = "2031-01-01" },
				wantField: "framework_agreement.signature_date", wantSays: "after end_date"},
			{name: "missing reference", mutate: func(a *pactumv1.FrameworkAgreement) { a.Reference = " " },
				wantField: "framework_agreement.reference", wantSays: "required"},
			{name: "oversized reference", mutate: func(a *pactumv1.FrameworkAgreement) { a.Reference = strings.Repeat("R", 101) },
				wantField: "framework_agreement.reference"},
			{name: "oversized title", mutate: func(a *pactumv1.FrameworkAgreement) { a.Title = strings.Repeat("é", 501) },
				wantField: "framework_agreement.title"},
			{name: "missing donor", mutate: func(a *pactumv1.FrameworkAgreement) { a.Donor = "" },
				wantField: "framework_agreement.donor", wantSays: "required"},
			{name: "unknown donor", mutate: func(a *pactumv1.FrameworkAgreement) { a.Donor = "organisations/x" },
				wantField: "framework_agreement.donor", wantSays: "organisations/x does not exist"},
			{name: "donor is not a resource name", mutate: func(a *pactumv1.FrameworkAgreement) { a.Donor = "European Commission" },
				wantField: "framework_agreement.donor"},
			{name: "lead as donor", mutate: func(a *pactumv1.FrameworkAgreement) { a.Donor = p.lead.GetName() },
				wantField: "framework_agreement.donor", wantSays: "kind donor"},
			{name: "local partner as lead", mutate: func(a *pactumv1.FrameworkAgreement) { a.LeadOrganisation = p.partner.GetName() },
				wantField: "framework_agreement.lead_organisation", wantSays: "kind lead or member"},
			{name: "missing lead", mutate: func(a *pactumv1.FrameworkAgreement) { a.LeadOrganisation = "" },
				wantField: "framework_agreement.lead_organisation", wantSays: "required"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				a := newAgreement(p, "FPA 2015/001-234")
				sc.mutate(a)
				res, err := e.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CreateFrameworkAgreementRequest{FrameworkAgreement: a}))
				if sc.wantField != "" {
					rpctest.ExpectViolation(t, err, sc.wantField)
					if got := rpctest.Violations(err)[sc.wantField]; !strings.Contains(got, sc.wantSays) {
						t.Fatalf("%s: %q does not say %q", sc.wantField, got, sc.wantSays)
					}
					return
				}
				rpctest.ExpectCode(t, err, 0)
				got := res.Msg.GetFrameworkAgreement()
				if !strings.HasPrefix(got.GetName(), "frameworkAgreements/") || got.GetEtag() == "" ||
					got.GetDonor() != p.donor.GetName() || got.GetLeadOrganisation() != p.lead.GetName() ||
					got.GetStartDate() != "2015-04-01" || got.GetSignatureDate() != "2015-03-02" || got.GetCurrencyCode() != "EUR" {
					t.Fatalf("created %v", got)
				}
				get, err := e.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: got.GetName()}))
				if err != nil || !proto.Equal(get.Msg.GetFrameworkAgreement(), got) {
					t.Fatalf("read back %v (%v), want %v", get, err, got)
				}
			})
		}
		if n := countRows(t, e, "framework_agreements"); n != 1 {
			t.Fatalf("rows after scenarios = %d, want only the valid one", n)
		}
		// The reference is unique per donor.
		_, err := e.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CreateFrameworkAgreementRequest{
			FrameworkAgreement: newAgreement(p, "FPA 2015/001-234")}))
		rpctest.ExpectCode(t, err, connect.CodeAlreadyExists)
		other := newAgreement(p, "FPA 2015/001-234")
		other.Donor = p.otherDonor.GetName()
		mustCreateAgreement(t, e, other)
	})
}

func TestCreateFrameworkAgreementRequestIDIsIdempotent(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		req := &pactumv1.CreateFrameworkAgreementRequest{
			FrameworkAgreement: newAgreement(p, "FPA/IDEM"),
			RequestId:          "5f0c2b9a-7e41-4d8b-a6c3-2e9f1d0b8a77",
		}
		first, err := e.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		second, err := e.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		if first.Msg.GetFrameworkAgreement().GetName() != second.Msg.GetFrameworkAgreement().GetName() {
			t.Fatalf("retry created %s, first call %s", second.Msg.GetFrameworkAgreement().GetName(), first.Msg.GetFrameworkAgreement().GetName())
		}
		req.RequestId = "not-a-uuid"
		_, err = e.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(req))
		rpctest.ExpectViolation(t, err, "request_id")
		if n := countRows(t, e, "framework_agreements"); n != 1 {
			t.Fatalf("rows = %d, want 1", n)
		}
	})
}

func TestListFrameworkAgreements(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		mk := func(ref string, donor, lead *pactumv1.Organisation) {
			a := newAgreement(p, ref)
			a.Donor, a.LeadOrganisation = donor.GetName(), lead.GetName()
			mustCreateAgreement(t, e, a)
		}
		mk("A", p.donor, p.lead)
		mk("B", p.otherDonor, p.lead)
		mk("C", p.donor, p.member)
		refs := func(req *pactumv1.ListFrameworkAgreementsRequest) string {
			t.Helper()
			res, err := e.Agreements.ListFrameworkAgreements(ctx, connect.NewRequest(req))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range res.Msg.GetFrameworkAgreements() {
				out = append(out, a.GetReference())
			}
			return strings.Join(out, " ")
		}
		cases := []struct {
			name string
			req  *pactumv1.ListFrameworkAgreementsRequest
			want string
		}{
			{"all, oldest first", &pactumv1.ListFrameworkAgreementsRequest{}, "A B C"},
			{"donor", &pactumv1.ListFrameworkAgreementsRequest{Donor: p.donor.GetName()}, "A C"},
			{"lead", &pactumv1.ListFrameworkAgreementsRequest{LeadOrganisation: p.lead.GetName()}, "A B"},
			{"donor and lead", &pactumv1.ListFrameworkAgreementsRequest{Donor: p.donor.GetName(), LeadOrganisation: p.member.GetName()}, "C"},
			{"unknown donor", &pactumv1.ListFrameworkAgreementsRequest{Donor: "organisations/none"}, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := refs(c.req); got != c.want {
					t.Fatalf("got %q, want %q", got, c.want)
				}
			})
		}

		// Pages stay stable while rows are added.
		var seen []string
		token := ""
		for i := 0; ; i++ {
			res, err := e.Agreements.ListFrameworkAgreements(ctx, connect.NewRequest(&pactumv1.ListFrameworkAgreementsRequest{PageSize: 2, PageToken: token}))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Msg.GetFrameworkAgreements()) > 2 {
				t.Fatalf("page of %d", len(res.Msg.GetFrameworkAgreements()))
			}
			for _, a := range res.Msg.GetFrameworkAgreements() {
				seen = append(seen, a.GetReference())
			}
			if i == 0 {
				mk("D", p.otherDonor, p.member)
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

		first, err := e.Agreements.ListFrameworkAgreements(ctx, connect.NewRequest(&pactumv1.ListFrameworkAgreementsRequest{PageSize: 1}))
		if err != nil {
			t.Fatal(err)
		}
		bad := []struct {
			name  string
			req   *pactumv1.ListFrameworkAgreementsRequest
			field string
		}{
			{"negative page size", &pactumv1.ListFrameworkAgreementsRequest{PageSize: -1}, "page_size"},
			{"oversized page size", &pactumv1.ListFrameworkAgreementsRequest{PageSize: 1001}, "page_size"},
			{"malformed token", &pactumv1.ListFrameworkAgreementsRequest{PageToken: "garbage!"}, "page_token"},
			{"token of other filters", &pactumv1.ListFrameworkAgreementsRequest{PageToken: first.Msg.GetNextPageToken(), Donor: p.donor.GetName()}, "page_token"},
			{"donor is not a resource name", &pactumv1.ListFrameworkAgreementsRequest{Donor: "EC"}, "donor"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.Agreements.ListFrameworkAgreements(ctx, connect.NewRequest(c.req))
				rpctest.ExpectViolation(t, err, c.field)
			})
		}
	})
}

func TestUpdateFrameworkAgreement(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		a := mustCreateAgreement(t, e, newAgreement(p, "FPA/1"))
		update := func(fa *pactumv1.FrameworkAgreement, paths ...string) (*pactumv1.FrameworkAgreement, error) {
			if fa.GetEtag() == "" {
				fa.Etag = e.ETag(fa.GetName()) // the etag is required: the current one
			}
			req := &pactumv1.UpdateFrameworkAgreementRequest{FrameworkAgreement: fa}
			if len(paths) > 0 {
				req.UpdateMask = &fieldmaskpb.FieldMask{Paths: paths}
			}
			res, err := e.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(req))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetFrameworkAgreement(), nil
		}

		// Only the masked field changes.
		u, err := update(&pactumv1.FrameworkAgreement{Name: a.GetName(), Title: "Renewed partnership", Reference: "ignored", Etag: a.GetEtag()}, "title")
		if err != nil {
			t.Fatal(err)
		}
		if u.GetTitle() != "Renewed partnership" || u.GetReference() != "FPA/1" || u.GetEtag() == a.GetEtag() {
			t.Fatalf("after update: %v", u)
		}
		// Without a mask, the fields set change.
		u, err = update(&pactumv1.FrameworkAgreement{Name: a.GetName(), EndDate: "2031-12-31", LeadOrganisation: p.member.GetName()})
		if err != nil {
			t.Fatal(err)
		}
		if u.GetEndDate() != "2031-12-31" || u.GetLeadOrganisation() != p.member.GetName() || u.GetTitle() != "Renewed partnership" {
			t.Fatalf("after maskless update: %v", u)
		}
		// A stale etag is refused.
		_, err = update(&pactumv1.FrameworkAgreement{Name: a.GetName(), Title: "X", Etag: a.GetEtag()})
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		// Output-only and unknown fields are not updatable.
		_, err = update(&pactumv1.FrameworkAgreement{Name: a.GetName()}, "create_time")
		rpctest.ExpectViolation(t, err, "update_mask")
		_, err = update(&pactumv1.FrameworkAgreement{Name: a.GetName()})
		rpctest.ExpectViolation(t, err, "update_mask")
		// Invalid values are refused, naming the field, and nothing is written.
		_, err = update(&pactumv1.FrameworkAgreement{Name: a.GetName(), CurrencyCode: "ABC"})
		rpctest.ExpectViolation(t, err, "framework_agreement.currency_code")
		_, err = update(&pactumv1.FrameworkAgreement{Name: a.GetName(), StartDate: "2032-01-01"})
		rpctest.ExpectViolation(t, err, "framework_agreement.end_date")
		_, err = update(&pactumv1.FrameworkAgreement{Name: a.GetName(), Donor: p.partner.GetName()})
		rpctest.ExpectViolation(t, err, "framework_agreement.donor")
		get, err := e.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: a.GetName()}))
		if err != nil || get.Msg.GetFrameworkAgreement().GetEtag() != u.GetEtag() || get.Msg.GetFrameworkAgreement().GetCurrencyCode() != "EUR" {
			t.Fatalf("after refused updates: %v %v", get, err)
		}
		// With a grant under it, the donor is fixed.
		mustCreateGrant(t, e, newGrantUnder(a.GetName(), "CSO/1"))
		_, err = update(&pactumv1.FrameworkAgreement{Name: a.GetName(), Donor: p.otherDonor.GetName()})
		expectReason(t, err, "AGREEMENT_HAS_GRANTS")
		_, err = update(&pactumv1.FrameworkAgreement{Name: "frameworkAgreements/nope", Title: "X"})
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = update(&pactumv1.FrameworkAgreement{Name: "grants/nope", Title: "X"})
		rpctest.ExpectViolation(t, err, "framework_agreement.name")
	})
}

func TestDeleteFrameworkAgreement(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		used := mustCreateAgreement(t, e, newAgreement(p, "FPA/USED"))
		spare := mustCreateAgreement(t, e, newAgreement(p, "FPA/SPARE"))
		mustCreateGrant(t, e, newGrantUnder(used.GetName(), "CSO/1"))

		_, err := e.Agreements.DeleteFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.DeleteFrameworkAgreementRequest{Name: used.GetName()}))
		expectReason(t, err, "AGREEMENT_HAS_GRANTS")
		if !strings.Contains(err.Error(), "1 grant") {
			t.Fatalf("error %v does not say why", err)
		}
		_, err = e.Agreements.DeleteFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.DeleteFrameworkAgreementRequest{Name: spare.GetName(), Etag: `"zz"`}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = e.Agreements.DeleteFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.DeleteFrameworkAgreementRequest{Name: spare.GetName(), Etag: spare.GetEtag()}))
		rpctest.ExpectCode(t, err, 0)
		_, err = e.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: spare.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Agreements.DeleteFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.DeleteFrameworkAgreementRequest{Name: spare.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: "organisations/x"}))
		rpctest.ExpectViolation(t, err, "name")
		if n := countRows(t, e, "framework_agreements"); n != 1 {
			t.Fatalf("rows = %d, want the used agreement only", n)
		}
	})
}
