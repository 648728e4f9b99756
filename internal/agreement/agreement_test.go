package agreement_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/agreement"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

type parties struct {
	donor, otherDonor, lead, member, partner string
}

func seed(t *testing.T, d *bun.DB) parties {
	t.Helper()
	svc := organisation.NewService(d)
	mk := func(name string, kind organisation.Kind, country string) string {
		o, err := svc.Create(actor.SystemContext(context.Background()), &organisation.Organisation{DisplayName: name, Kind: kind, CountryCode: country}, "")
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o.ID
	}
	return parties{
		donor:      mk("European Commission", organisation.KindDonor, "BE"),
		otherDonor: mk("Swedish International Development Cooperation Agency", organisation.KindDonor, "SE"),
		lead:       mk("Global Solidarity Network", organisation.KindLead, "BE"),
		member:     mk("Nepal Trade Union Centre", organisation.KindMember, "NP"),
		partner:    mk("Kenya Domestic Workers Union", organisation.KindLocalPartner, "KE"),
	}
}

func valid(p parties) agreement.Input {
	return agreement.Input{
		Reference:          "FPA 2015/001-234",
		Title:              "Framework partnership for decent work",
		DonorID:            p.donor,
		LeadOrganisationID: p.lead,
		SignatureDate:      "2015-03-02",
		StartDate:          "2015-04-01",
		EndDate:            "2021-03-31",
		CurrencyCode:       "EUR",
	}
}

func count(t *testing.T, d *bun.DB) int {
	t.Helper()
	var n int
	if err := d.NewRaw("SELECT COUNT(*) FROM framework_agreements").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// violation returns the description of field in err, failing unless err is
// an invalid error naming it.
func violation(t *testing.T, err error, field string) string {
	t.Helper()
	if !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("got %v, want an invalid error naming %s", err, field)
	}
	var e *errs.Error
	errors.As(err, &e)
	for _, v := range e.Violations {
		if v.Field == field {
			return v.Description
		}
	}
	t.Fatalf("error %v does not name %s", err, field)
	return ""
}

func TestCreateChecksEveryRule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		p := seed(t, d)
		svc := agreement.NewService(d)
		cases := []struct {
			name   string
			mutate func(in *agreement.Input)
			field  string
			says   string // part of the description
		}{
			{"missing reference", func(in *agreement.Input) { in.Reference = "  " }, "reference", "required"},
			{"missing title", func(in *agreement.Input) { in.Title = "" }, "title", "required"},
			{"missing donor", func(in *agreement.Input) { in.DonorID = "" }, "donor", "required"},
			{"unknown donor", func(in *agreement.Input) { in.DonorID = "x" }, "donor", "organisations/x does not exist"},
			{"donor of the wrong kind", func(in *agreement.Input) { in.DonorID = p.lead }, "donor", "must be an organisation of kind donor"},
			{"missing lead", func(in *agreement.Input) { in.LeadOrganisationID = "" }, "lead_organisation", "required"},
			{"unknown lead", func(in *agreement.Input) { in.LeadOrganisationID = "nope" }, "lead_organisation", "organisations/nope does not exist"},
			{"local partner as lead", func(in *agreement.Input) { in.LeadOrganisationID = p.partner }, "lead_organisation", "kind lead or member"},
			{"missing start", func(in *agreement.Input) { in.StartDate = "" }, "start_date", "required"},
			{"missing end", func(in *agreement.Input) { in.EndDate = "" }, "end_date", "required"},
			{"impossible date", func(in *agreement.Input) { in.StartDate = "2015-02-30" }, "start_date", "YYYY-MM-DD"},
			{"end before start", func(in *agreement.Input) { in.EndDate = "2015-01-01" }, "end_date", "after start_date (2015-04-01)"},
			{"end on start", func(in *agreement.Input) { in.EndDate = in.StartDate }, "end_date", "after start_date"},
			{"signed after end", func(in *agreement.Input) { in.SignatureDate = "2021-04-01" }, "signature_date", "not be after end_date (2021-03-31)"},
			{"missing currency", func(in *agreement.Input) { in.CurrencyCode = "" }, "currency_code", "required"},
			{"unknown currency", func(in *agreement.Input) { in.CurrencyCode = "ZZZ" }, "currency_code", "ISO 4217"},
			{"test currency", func(in *agreement.Input) { in.CurrencyCode = "XXX" }, "currency_code", "ISO 4217"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := valid(p)
				c.mutate(&in)
				_, err := svc.Create(ctx, in, "")
				if got := violation(t, err, c.field); !strings.Contains(got, c.says) {
					t.Fatalf("%s: %q does not say %q", c.field, got, c.says)
				}
			})
		}
		if n := count(t, d); n != 0 {
			t.Fatalf("%d agreements stored by refused creates", n)
		}

		// A member may lead; the signature date is optional.
		in := valid(p)
		in.LeadOrganisationID, in.SignatureDate = p.member, ""
		a, err := svc.Create(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.SignatureDate.IsZero() || got.StartDate.String() != "2015-04-01" || got.EndDate.String() != "2021-03-31" ||
			got.LeadOrganisationID != p.member || got.ETag() != resource.ETag(1) {
			t.Fatalf("stored %+v", got)
		}
	})
}

func TestReferenceIsUniquePerDonor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		p := seed(t, d)
		svc := agreement.NewService(d)
		if _, err := svc.Create(ctx, valid(p), ""); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Create(ctx, valid(p), "")
		if !errs.Is(err, errs.KindAlreadyExists) || !strings.Contains(err.Error(), "FPA 2015/001-234") {
			t.Fatalf("second create: %v", err)
		}
		other := valid(p)
		other.DonorID = p.otherDonor
		if _, err := svc.Create(ctx, other, ""); err != nil {
			t.Fatalf("same reference at another donor: %v", err)
		}
		if n := count(t, d); n != 2 {
			t.Fatalf("%d agreements, want 2", n)
		}
	})
}

func TestCreateWithRequestIDIsIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		p := seed(t, d)
		svc := agreement.NewService(d)
		const rid = "0b9d8a4e-2f6c-4a51-8d0e-3c1f2a7b9e10"
		first, err := svc.Create(ctx, valid(p), rid)
		if err != nil {
			t.Fatal(err)
		}
		second, err := svc.Create(ctx, valid(p), rid)
		if err != nil || second.ID != first.ID {
			t.Fatalf("retry: %v, %v; want %s", second, err, first.ID)
		}
		if n := count(t, d); n != 1 {
			t.Fatalf("%d agreements, want 1", n)
		}
	})
}

func insertGrant(t *testing.T, d *bun.DB, agreementID, donor, lead string) {
	t.Helper()
	_, err := d.ExecContext(context.Background(), `INSERT INTO grants (id, framework_agreement_id, donor_id, lead_organisation_id,
		donor_reference, title, currency_code, start_date, end_date, total_eligible_costs, max_donor_contribution,
		co_financing_rate_bp, reporting_period_months, interim_report_due_days, final_report_due_months, state,
		version, create_time, update_time)
		VALUES (?, ?, ?, ?, 'G/1', 'Grant', 'EUR', '2016-01-01', '2018-12-31', 100000000, 90000000, 9000, 12, 60, 3,
		'draft', 1, ?, ?)`, resource.NewID(), agreementID, donor, lead, time.Now().UTC(), time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		p := seed(t, d)
		svc := agreement.NewService(d)
		a, err := svc.Create(ctx, valid(p), "")
		if err != nil {
			t.Fatal(err)
		}
		// etag is a's current etag: updates require it.
		etag := func() string {
			t.Helper()
			cur, err := svc.Get(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			return cur.ETag()
		}
		// Only masked fields change.
		u, err := svc.Update(ctx, a.ID, agreement.Input{Title: "Renamed", EndDate: "2022-12-31", Reference: "ignored"},
			resource.Mask{"title", "end_date"}, a.ETag())
		if err != nil {
			t.Fatal(err)
		}
		if u.Title != "Renamed" || u.EndDate.String() != "2022-12-31" || u.Reference != a.Reference || u.Version != 2 {
			t.Fatalf("after update: %+v", u)
		}
		// The rules hold for the agreement as a whole: a new start after the stored end is refused.
		_, err = svc.Update(ctx, a.ID, agreement.Input{StartDate: "2023-01-01"}, resource.Mask{"start_date"}, etag())
		violation(t, err, "end_date")
		// The etag is required, and a stale one is refused.
		_, err = svc.Update(ctx, a.ID, agreement.Input{Title: "X"}, resource.Mask{"title"}, "")
		violation(t, err, "etag")
		_, err = svc.Update(ctx, a.ID, agreement.Input{Title: "X"}, resource.Mask{"title"}, a.ETag())
		if !errs.Is(err, errs.KindAborted) {
			t.Fatalf("stale etag: %v", err)
		}
		// Clearing the signature date is allowed.
		u, err = svc.Update(ctx, a.ID, agreement.Input{}, resource.Mask{"signature_date"}, u.ETag())
		if err != nil || !u.SignatureDate.IsZero() {
			t.Fatalf("clear signature date: %v %+v", err, u)
		}
		// A later change of an organisation's kind does not block unrelated edits,
		// but an organisation of the wrong kind cannot be chosen.
		if _, err := d.ExecContext(ctx, "UPDATE organisations SET kind = 'member' WHERE id = ?", p.otherDonor); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Update(ctx, a.ID, agreement.Input{DonorID: p.otherDonor}, resource.Mask{"donor"}, etag())
		violation(t, err, "donor")
		if _, err := d.ExecContext(ctx, "UPDATE organisations SET kind = 'affiliate' WHERE id = ?", p.donor); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Update(ctx, a.ID, agreement.Input{Title: "Still editable"}, resource.Mask{"title"}, etag()); err != nil {
			t.Fatalf("title edit after the donor's kind changed: %v", err)
		}
		if _, err := d.ExecContext(ctx, "UPDATE organisations SET kind = 'donor' WHERE id IN (?, ?)", p.donor, p.otherDonor); err != nil {
			t.Fatal(err)
		}
		// With a grant under it, the parties are fixed, the rest is not.
		insertGrant(t, d, a.ID, p.donor, p.lead)
		_, err = svc.Update(ctx, a.ID, agreement.Input{DonorID: p.otherDonor}, resource.Mask{"donor"}, etag())
		if !errs.Is(err, errs.KindPrecondition) || reason(err) != "AGREEMENT_HAS_GRANTS" {
			t.Fatalf("change donor with grants: %v", err)
		}
		if _, err := svc.Update(ctx, a.ID, agreement.Input{DonorID: p.donor, Title: "Again"}, resource.Mask{"donor", "title"}, etag()); err != nil {
			t.Fatalf("same donor with grants: %v", err)
		}
		if _, err := svc.Update(ctx, "missing", agreement.Input{Title: "X"}, resource.Mask{"title"}, ""); !errs.Is(err, errs.KindNotFound) {
			t.Fatalf("missing agreement: %v", err)
		}
	})
}

func TestDeleteRefusedWhileGrantsReferToIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		p := seed(t, d)
		svc := agreement.NewService(d)
		a, err := svc.Create(ctx, valid(p), "")
		if err != nil {
			t.Fatal(err)
		}
		insertGrant(t, d, a.ID, p.donor, p.lead)
		err = svc.Delete(ctx, a.ID, "")
		if !errs.Is(err, errs.KindPrecondition) || reason(err) != "AGREEMENT_HAS_GRANTS" || !strings.Contains(err.Error(), "1 grant") {
			t.Fatalf("delete with grants: %v", err)
		}
		if _, err := d.ExecContext(ctx, "DELETE FROM grants"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Delete(ctx, a.ID, `"zz"`); !errs.Is(err, errs.KindAborted) {
			t.Fatalf("stale etag: %v", err)
		}
		if err := svc.Delete(ctx, a.ID, a.ETag()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Get(ctx, a.ID); !errs.Is(err, errs.KindNotFound) {
			t.Fatalf("after delete: %v", err)
		}
	})
}

func TestListFiltersAndPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		p := seed(t, d)
		svc := agreement.NewService(d)
		var made []string
		for i, c := range []struct{ donor, lead string }{
			{p.donor, p.lead}, {p.otherDonor, p.lead}, {p.donor, p.member}, {p.donor, p.lead}, {p.otherDonor, p.member},
		} {
			in := valid(p)
			in.Reference = "FPA/" + string(rune('A'+i))
			in.DonorID, in.LeadOrganisationID = c.donor, c.lead
			a, err := svc.Create(ctx, in, "")
			if err != nil {
				t.Fatal(err)
			}
			made = append(made, a.Reference)
		}
		refs := func(f agreement.Filter) string {
			t.Helper()
			list, next, err := svc.List(ctx, f, page.Request{})
			if err != nil || next != "" {
				t.Fatalf("list: %v, next %q", err, next)
			}
			var out []string
			for _, a := range list {
				out = append(out, a.Reference)
			}
			return strings.Join(out, " ")
		}
		if got := refs(agreement.Filter{}); got != strings.Join(made, " ") {
			t.Fatalf("all: %q, want creation order %q", got, strings.Join(made, " "))
		}
		if got := refs(agreement.Filter{DonorID: p.donor}); got != "FPA/A FPA/C FPA/D" {
			t.Fatalf("donor: %q", got)
		}
		if got := refs(agreement.Filter{DonorID: p.otherDonor, LeadOrganisationID: p.member}); got != "FPA/E" {
			t.Fatalf("donor and lead: %q", got)
		}
		var seen []string
		token := ""
		for i := 0; ; i++ {
			list, next, err := svc.List(ctx, agreement.Filter{}, page.Request{Size: 2, Token: token})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) > 2 {
				t.Fatalf("page of %d", len(list))
			}
			for _, a := range list {
				seen = append(seen, a.Reference)
			}
			if token = next; token == "" || i > 5 {
				break
			}
		}
		if strings.Join(seen, " ") != strings.Join(made, " ") {
			t.Fatalf("pages gave %v", seen)
		}
		_, _, err := svc.List(ctx, agreement.Filter{}, page.Request{Size: -1})
		violation(t, err, "page_size")
		_, _, err = svc.List(ctx, agreement.Filter{}, page.Request{Token: "garbage"})
		violation(t, err, "page_token")
	})
}

// reason is the precondition reason of a domain error, "" for any other error.
func reason(err error) string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Reason
}
