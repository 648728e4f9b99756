package budget_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// approvalFixture makes a draft grant with an adopted original budget:
// 10000.00 under heading 1, 500.00 of contingency reserve (heading 8).
func approvalFixture(t *testing.T, d *bun.DB) (*budget.Service, string) {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	orgs := organisation.NewService(d)
	mk := func(name string, kind organisation.Kind) string {
		o, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: name, Kind: kind, CountryCode: "BE"}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	g, err := grant.NewService(d).Create(ctx, grant.Input{
		DonorID: mk("European Commission", organisation.KindDonor), LeadOrganisationID: mk("Global Solidarity Network", organisation.KindLead),
		DonorReference: "CSO-LA/2025/100-001", Title: "Decent work", CurrencyCode: "EUR", StartDate: "2025-01-01", EndDate: "2027-12-31",
		TotalEligibleCosts: "10500.00", MaxDonorContribution: "9450.00", CoFinancingRate: "90", IndirectCostRate: "7", ReportingPeriodMonths: 12,
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	svc := budget.NewService(d)
	v, err := svc.CreateVersion(ctx, g.ID, budget.VersionInput{Kind: budget.Original}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []budget.LineInput{
		{HeadingCode: "1", Code: "1.1", Description: "Coordinator", Unit: "month", Units: "10", UnitCost: "1000"},
		{HeadingCode: "8", Code: "8.1", Description: "Contingency reserve", Unit: "lump sum", Units: "1", UnitCost: "500"},
	} {
		if _, err := svc.CreateLine(ctx, g.ID, v.ID, l, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.AdoptVersion(ctx, g.ID, v.ID, ""); err != nil {
		t.Fatal(err)
	}
	return svc, g.ID
}

// lineOf returns the id of the line with code in version v.
func lineOf(t *testing.T, svc *budget.Service, grantID, versionID, code string) *budget.Line {
	t.Helper()
	v, err := svc.GetVersion(actor.SystemContext(context.Background()), grantID, versionID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range v.Lines {
		if l.Code == code {
			return l
		}
	}
	t.Fatalf("no line %s in %s", code, versionID)
	return nil
}

var pageAll = page.Request{Size: 100}

func approvalViolation(t *testing.T, err error) string {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.KindInvalid {
		t.Fatalf("got %v, want an invalid error naming approval_reference", err)
	}
	for _, v := range e.Violations {
		if v.Field == "approval_reference" {
			return v.Description
		}
	}
	t.Fatalf("%v does not name approval_reference", err)
	return ""
}

func TestAddendumNeedsApprovalReference(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		svc, g := approvalFixture(t, d)

		// Created with a reference that is too long: refused.
		_, err := svc.CreateVersion(ctx, g, budget.VersionInput{Kind: budget.Addendum, ApprovalReference: strings.Repeat("x", 201)}, "")
		if desc := approvalViolation(t, err); !strings.Contains(desc, "at most 200 characters") {
			t.Fatalf("too long: %q", desc)
		}

		a, err := svc.CreateVersion(ctx, g, budget.VersionInput{Kind: budget.Addendum}, "")
		if err != nil {
			t.Fatal(err)
		}
		// Adopting it without a reference is refused, saying why.
		_, err = svc.AdoptVersion(ctx, g, a.ID, a.ETag())
		if desc := approvalViolation(t, err); !strings.Contains(desc, "is required") || !strings.Contains(desc, "addendum") {
			t.Fatalf("addendum without reference: %q", desc)
		}
		// Set on the draft, stored and read back.
		u, err := svc.UpdateVersion(ctx, g, a.ID, budget.VersionInput{ApprovalReference: "  Addendum No 1  "}, resource.Mask{"approval_reference"}, a.ETag())
		if err != nil {
			t.Fatal(err)
		}
		if u.ApprovalReference != "Addendum No 1" {
			t.Fatalf("stored %q", u.ApprovalReference)
		}
		// Given on adoption, it replaces the version's.
		ad, err := svc.AdoptVersionWith(ctx, g, a.ID, u.ETag(), budget.AdoptOptions{ApprovalReference: "Addendum No 1 to CSO-LA/2025/100-001"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.GetVersion(ctx, g, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ad.State != budget.Adopted || got.ApprovalReference != "Addendum No 1 to CSO-LA/2025/100-001" {
			t.Fatalf("adopted %s with %q", ad.State, got.ApprovalReference)
		}
		list, _, err := svc.ListVersions(ctx, g, pageAll)
		if err != nil || len(list) != 2 || list[1].ApprovalReference != got.ApprovalReference {
			t.Fatalf("listed %v %v", err, list)
		}
		// Adopted: it may be corrected, not removed.
		_, err = svc.UpdateVersion(ctx, g, a.ID, budget.VersionInput{}, resource.Mask{"approval_reference"}, got.ETag())
		if desc := approvalViolation(t, err); !strings.Contains(desc, "cannot be removed") {
			t.Fatalf("removed: %q", desc)
		}
		c, err := svc.UpdateVersion(ctx, g, a.ID, budget.VersionInput{ApprovalReference: "Addendum No 1 (corrected)"}, resource.Mask{"approval_reference"}, got.ETag())
		if err != nil || c.ApprovalReference != "Addendum No 1 (corrected)" {
			t.Fatalf("corrected: %v %+v", err, c)
		}
		var changes string
		if err := d.NewRaw("SELECT changes FROM audit_events WHERE resource = ? AND action = 'adopt'", a.Name()).Scan(ctx, &changes); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(changes, "approval_reference") || !strings.Contains(changes, "Addendum No 1 to CSO-LA/2025/100-001") {
			t.Fatalf("adoption audit %s lacks the reference", changes)
		}
	})
}

func TestTransferOutOfContingencyNeedsApprovalReference(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		svc, g := approvalFixture(t, d)

		// A transfer that leaves the reserve alone needs no reference.
		tr, err := svc.CreateVersion(ctx, g, budget.VersionInput{Kind: budget.Transfer}, "")
		if err != nil {
			t.Fatal(err)
		}
		l := lineOf(t, svc, g, tr.ID, "1.1")
		if _, err := svc.UpdateLine(ctx, g, tr.ID, l.ID, budget.LineInput{Units: "11"}, resource.Mask{"units"}, l.ETag()); err != nil {
			t.Fatal(err)
		}
		tr, err = svc.GetVersion(ctx, g, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if tr, err = svc.AdoptVersion(ctx, g, tr.ID, tr.ETag()); err != nil || tr.ApprovalReference != "" {
			t.Fatalf("transfer outside the reserve: %v", err)
		}

		// One that takes 200.00 from the reserve is refused without one.
		use, err := svc.CreateVersion(ctx, g, budget.VersionInput{Kind: budget.Transfer, Label: "Use of the reserve"}, "")
		if err != nil {
			t.Fatal(err)
		}
		r := lineOf(t, svc, g, use.ID, "8.1")
		if _, err := svc.UpdateLine(ctx, g, use.ID, r.ID, budget.LineInput{UnitCost: "300"}, resource.Mask{"unit_cost"}, r.ETag()); err != nil {
			t.Fatal(err)
		}
		use, err = svc.GetVersion(ctx, g, use.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.AdoptVersion(ctx, g, use.ID, use.ETag())
		desc := approvalViolation(t, err)
		for _, want := range []string{"is required", "contingency reserve (heading 8)", "500.00 EUR", "300.00 EUR", "200.00 EUR", "prior approval"} {
			if !strings.Contains(desc, want) {
				t.Errorf("%q does not say %q", desc, want)
			}
		}
		// With the donor's approval it is adopted and keeps the reference.
		ad, err := svc.AdoptVersionWith(ctx, g, use.ID, use.ETag(), budget.AdoptOptions{ApprovalReference: "Ares(2026)1234567"})
		if err != nil {
			t.Fatal(err)
		}
		if ad.State != budget.Adopted || ad.ApprovalReference != "Ares(2026)1234567" {
			t.Fatalf("adopted %+v", ad)
		}

		// A transfer that raises the reserve again needs none.
		back, err := svc.CreateVersion(ctx, g, budget.VersionInput{Kind: budget.Transfer}, "")
		if err != nil {
			t.Fatal(err)
		}
		r = lineOf(t, svc, g, back.ID, "8.1")
		if _, err := svc.UpdateLine(ctx, g, back.ID, r.ID, budget.LineInput{UnitCost: "400"}, resource.Mask{"unit_cost"}, r.ETag()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AdoptVersion(ctx, g, back.ID, ""); err != nil {
			t.Fatalf("transfer into the reserve: %v", err)
		}
	})
}
