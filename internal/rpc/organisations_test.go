package rpc_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func newOrg(name, short, country string, kind pactumv1.OrganisationKind) *pactumv1.Organisation {
	return &pactumv1.Organisation{DisplayName: name, ShortName: short, CountryCode: country, Kind: kind}
}

func createOrg(t *testing.T, e *rpctest.Env, o *pactumv1.Organisation) *pactumv1.Organisation {
	t.Helper()
	res, err := e.Organisations.CreateOrganisation(context.Background(), connect.NewRequest(&pactumv1.CreateOrganisationRequest{Organisation: o}))
	if err != nil {
		t.Fatalf("create %s: %v", o.GetDisplayName(), err)
	}
	return res.Msg.GetOrganisation()
}

func TestCreateOrganisation(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		valid := func() *pactumv1.Organisation {
			return newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER)
		}
		scenarios := []struct {
			name      string
			mutate    func(o *pactumv1.Organisation)
			wantCode  connect.Code
			wantField string
		}{
			{name: "valid", mutate: func(*pactumv1.Organisation) {}},
			{name: "unknown country", mutate: func(o *pactumv1.Organisation) { o.CountryCode = "XX" },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.country_code"},
			{name: "lowercase country", mutate: func(o *pactumv1.Organisation) { o.CountryCode = "ke" },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.country_code"},
			{name: "missing country", mutate: func(o *pactumv1.Organisation) { o.CountryCode = "" },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.country_code"},
			{name: "missing name", mutate: func(o *pactumv1.Organisation) { o.DisplayName = "  " },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.display_name"},
			{name: "oversized name", mutate: func(o *pactumv1.Organisation) { o.DisplayName = strings.Repeat("x", 201) },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.display_name"},
			{name: "unknown kind", mutate: func(o *pactumv1.Organisation) { o.Kind = 99 },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.kind"},
			{name: "missing kind", mutate: func(o *pactumv1.Organisation) { o.Kind = 0 },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.kind"},
			{name: "bad email", mutate: func(o *pactumv1.Organisation) { o.Contact = &pactumv1.ContactDetails{Email: "not-an-email"} },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.contact.email"},
			{name: "bad IATI identifier", mutate: func(o *pactumv1.Organisation) { o.IatiIdentifier = "no spaces allowed" },
				wantCode: connect.CodeInvalidArgument, wantField: "organisation.iati_identifier"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				o := valid()
				sc.mutate(o)
				res, err := e.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{Organisation: o}))
				if sc.wantField != "" {
					rpctest.ExpectViolation(t, err, sc.wantField)
					return
				}
				rpctest.ExpectCode(t, err, sc.wantCode)
				got := res.Msg.GetOrganisation()
				if !strings.HasPrefix(got.GetName(), "organisations/") || got.GetEtag() == "" {
					t.Fatalf("name %q etag %q", got.GetName(), got.GetEtag())
				}
				if got.GetRegion() != pactumv1.Region_REGION_AFRICA {
					t.Fatalf("region = %v, want Africa", got.GetRegion())
				}
			})
		}
		var n int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM organisations").Scan(ctx, &n); err != nil || n != 1 {
			t.Fatalf("rows after scenarios = %d (%v), want only the valid one", n, err)
		}
	})
}

func TestCreateOrganisationRequestIDIsIdempotent(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		req := &pactumv1.CreateOrganisationRequest{
			Organisation: newOrg("Nepal Trade Union Centre", "NTUC", "NP", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER),
			RequestId:    "7b4d1a8e-4f0e-4c55-9b8a-0d1d9c2f3a11",
		}
		first, err := e.Organisations.CreateOrganisation(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		second, err := e.Organisations.CreateOrganisation(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		if first.Msg.GetOrganisation().GetName() != second.Msg.GetOrganisation().GetName() {
			t.Fatalf("retry created %s, first call %s", second.Msg.GetOrganisation().GetName(), first.Msg.GetOrganisation().GetName())
		}
		req.RequestId = "not-a-uuid"
		_, err = e.Organisations.CreateOrganisation(ctx, connect.NewRequest(req))
		rpctest.ExpectViolation(t, err, "request_id")
		var n int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM organisations").Scan(ctx, &n); err != nil || n != 1 {
			t.Fatalf("rows = %d (%v), want 1", n, err)
		}
	})
}

func TestListOrganisations(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		createOrg(t, e, newOrg("Coopérative des Femmes de Thiès", "CFT", "SN", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
		createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
		createOrg(t, e, newOrg("Mombasa Port Workers", "MPW", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_AFFILIATE))
		createOrg(t, e, newOrg("Nepal Trade Union Centre", "NTUC", "NP", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
		createOrg(t, e, newOrg("Central Única dos Trabalhadores", "CUT", "BR", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
		names := func(req *pactumv1.ListOrganisationsRequest) []string {
			t.Helper()
			res, err := e.Organisations.ListOrganisations(ctx, connect.NewRequest(req))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range res.Msg.GetOrganisations() {
				out = append(out, o.GetShortName())
			}
			return out
		}
		cases := []struct {
			name string
			req  *pactumv1.ListOrganisationsRequest
			want string
		}{
			{"all by name", &pactumv1.ListOrganisationsRequest{}, "CUT CFT KDWU MPW NTUC"},
			{"country", &pactumv1.ListOrganisationsRequest{CountryCode: "KE"}, "KDWU MPW"},
			{"region", &pactumv1.ListOrganisationsRequest{Region: pactumv1.Region_REGION_AFRICA}, "CFT KDWU MPW"},
			{"kind", &pactumv1.ListOrganisationsRequest{Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER}, "CUT NTUC"},
			{"query ignores case and accents", &pactumv1.ListOrganisationsRequest{Query: "COOPERATIVE"}, "CFT"},
			{"query matches short name", &pactumv1.ListOrganisationsRequest{Query: "ntuc"}, "NTUC"},
			{"query with LIKE wildcard is literal", &pactumv1.ListOrganisationsRequest{Query: "%"}, ""},
			{"country and kind", &pactumv1.ListOrganisationsRequest{CountryCode: "KE", Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_AFFILIATE}, "MPW"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := strings.Join(names(c.req), " "); got != c.want {
					t.Fatalf("got %q, want %q", got, c.want)
				}
			})
		}
		bad := []struct {
			name  string
			req   *pactumv1.ListOrganisationsRequest
			field string
		}{
			{"negative page size", &pactumv1.ListOrganisationsRequest{PageSize: -1}, "page_size"},
			{"malformed token", &pactumv1.ListOrganisationsRequest{PageToken: "garbage!"}, "page_token"},
			{"unknown country", &pactumv1.ListOrganisationsRequest{CountryCode: "QQ"}, "country_code"},
			{"unknown region", &pactumv1.ListOrganisationsRequest{Region: 42}, "region"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.Organisations.ListOrganisations(ctx, connect.NewRequest(c.req))
				rpctest.ExpectViolation(t, err, c.field)
			})
		}
	})
}

func TestListOrganisationsPagesStayStableWhileRowsAreInserted(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		for _, n := range []string{"Alpha", "Charlie", "Echo", "Golf", "India"} {
			createOrg(t, e, newOrg(n, n[:1], "BO", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
		}
		var seen []string
		token := ""
		for i := 0; ; i++ {
			res, err := e.Organisations.ListOrganisations(ctx, connect.NewRequest(&pactumv1.ListOrganisationsRequest{PageSize: 2, PageToken: token}))
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range res.Msg.GetOrganisations() {
				seen = append(seen, o.GetDisplayName())
			}
			if i == 0 {
				// Rows inserted before and after the cursor while paging.
				createOrg(t, e, newOrg("Bravo", "B", "BO", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
				createOrg(t, e, newOrg("Hotel", "H", "BO", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
			}
			token = res.Msg.GetNextPageToken()
			if token == "" {
				break
			}
			if i > 10 {
				t.Fatal("paging does not end")
			}
		}
		if got := strings.Join(seen, " "); got != "Alpha Charlie Echo Golf Hotel India" {
			t.Fatalf("pages gave %q", got)
		}
		// A token is bound to its filters.
		res, err := e.Organisations.ListOrganisations(ctx, connect.NewRequest(&pactumv1.ListOrganisationsRequest{PageSize: 1}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Organisations.ListOrganisations(ctx, connect.NewRequest(&pactumv1.ListOrganisationsRequest{PageSize: 1, PageToken: res.Msg.GetNextPageToken(), CountryCode: "KE"}))
		rpctest.ExpectViolation(t, err, "page_token")
	})
}

func TestUpdateOrganisation(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		o := createOrg(t, e, newOrg("Philippine Migrant Workers Alliance", "PMWA", "PH", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))

		// Only the masked field changes, and the region follows the country.
		res, err := e.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
			Organisation: &pactumv1.Organisation{Name: o.GetName(), CountryCode: "BR", ShortName: "ignored", Etag: o.GetEtag()},
			UpdateMask:   &fieldmaskpb.FieldMask{Paths: []string{"country_code"}},
		}))
		if err != nil {
			t.Fatal(err)
		}
		u := res.Msg.GetOrganisation()
		if u.GetCountryCode() != "BR" || u.GetRegion() != pactumv1.Region_REGION_LATIN_AMERICA_CARIBBEAN || u.GetShortName() != "PMWA" {
			t.Fatalf("after update: %v", u)
		}
		if u.GetEtag() == o.GetEtag() {
			t.Fatal("etag did not change")
		}
		// The old etag is stale now.
		_, err = e.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
			Organisation: &pactumv1.Organisation{Name: o.GetName(), ShortName: "X", Etag: o.GetEtag()},
		}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		// Unknown mask paths are refused.
		_, err = e.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
			Organisation: &pactumv1.Organisation{Name: o.GetName()},
			UpdateMask:   &fieldmaskpb.FieldMask{Paths: []string{"region"}},
		}))
		rpctest.ExpectViolation(t, err, "update_mask")
		// An invalid value is refused and nothing is written.
		_, err = e.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
			Organisation: &pactumv1.Organisation{Name: o.GetName(), Etag: e.ETag(o.GetName()), CountryCode: "ZZ"},
		}))
		rpctest.ExpectViolation(t, err, "organisation.country_code")
		get, err := e.Organisations.GetOrganisation(ctx, connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: o.GetName()}))
		if err != nil || get.Msg.GetOrganisation().GetCountryCode() != "BR" || get.Msg.GetOrganisation().GetEtag() != u.GetEtag() {
			t.Fatalf("after refused update: %v %v", get, err)
		}
		_, err = e.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
			Organisation: &pactumv1.Organisation{Name: "organisations/nope", ShortName: "X"},
		}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

func TestDeleteOrganisation(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		donor := createOrg(t, e, newOrg("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR))
		lead := createOrg(t, e, newOrg("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
		spare := createOrg(t, e, newOrg("Spare", "S", "FJ", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
		_, err := e.DB.ExecContext(ctx, `INSERT INTO framework_agreements
			(id, reference, title, donor_id, lead_organisation_id, start_date, end_date, currency_code, version, create_time, update_time)
			VALUES ('fpa1', 'FPA/1', 'FPA', ?, ?, '2020-01-01', '2027-12-31', 'EUR', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			strings.TrimPrefix(donor.GetName(), "organisations/"), strings.TrimPrefix(lead.GetName(), "organisations/"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Organisations.DeleteOrganisation(ctx, connect.NewRequest(&pactumv1.DeleteOrganisationRequest{Name: donor.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if rpctest.Reason(err) != "ORGANISATION_IN_USE" || !strings.Contains(err.Error(), "framework agreement") {
			t.Fatalf("error %v lacks reason", err)
		}
		_, err = e.Organisations.DeleteOrganisation(ctx, connect.NewRequest(&pactumv1.DeleteOrganisationRequest{Name: spare.GetName(), Etag: `"zz"`}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = e.Organisations.DeleteOrganisation(ctx, connect.NewRequest(&pactumv1.DeleteOrganisationRequest{Name: spare.GetName(), Etag: spare.GetEtag()}))
		rpctest.ExpectCode(t, err, 0)
		_, err = e.Organisations.GetOrganisation(ctx, connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: spare.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Organisations.GetOrganisation(ctx, connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: "grants/x"}))
		rpctest.ExpectViolation(t, err, "name")
	})
}
