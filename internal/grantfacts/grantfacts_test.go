package grantfacts_test

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/resource"
)

func exec(t *testing.T, d *bun.DB, query string, args ...any) {
	t.Helper()
	if _, err := d.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

func TestFacts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		orgs := organisation.NewService(d)
		org := func(name string, kind organisation.Kind) string {
			o, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: name, CountryCode: "BE", Kind: kind}, "")
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		donor, lead := org("Donor", organisation.KindDonor), org("Lead", organisation.KindLead)
		a, b := org("Partner A", organisation.KindMember), org("Partner B", organisation.KindMember)
		grant := func(ref, state, currency string) string {
			id := resource.NewID()
			exec(t, d, `INSERT INTO grants
				(id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
				 total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
				 interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
				VALUES (?, ?, ?, ?, 'T', ?, '2025-01-01', '2027-12-31', 100, 90, 9000, 6, 60, 3, ?, 1,
				 CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, donor, lead, ref, currency, state)
			return id
		}
		project := func(grantID string, participants ...string) string {
			id := resource.NewID()
			exec(t, d, `INSERT INTO projects (id, grant_id, title, version, create_time, update_time)
				VALUES (?, ?, 'P', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, grantID)
			for i, o := range participants {
				exec(t, d, `INSERT INTO project_participants (project_id, organisation_id, role, position) VALUES (?, ?, 'implementing_partner', ?)`,
					id, o, i)
			}
			return id
		}
		g1, g2 := grant("G/1", "closed", "EUR"), grant("G/2", "active", "USD")
		p1 := project(g1, lead, b)
		project(g1, a, b)
		project(g2, a)

		f, err := grantfacts.Read(ctx, d, g1)
		if err != nil {
			t.Fatal(err)
		}
		if f.ID != g1 || f.LeadOrganisationID != lead || f.State != grantfacts.StateClosed || !f.Closed() || f.CurrencyCode != "EUR" ||
			f.StartDate.String() != "2025-01-01" || f.EndDate.String() != "2027-12-31" || f.ReportingPeriodMonths != 6 ||
			f.Describe() != "grants/"+g1+" (G/1)" {
			t.Errorf("facts of G/1: %+v", f)
		}
		if _, err := grantfacts.Read(ctx, d, "nope"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("a missing grant: %v, want not found", err)
		}
		if ok, err := grantfacts.Exists(ctx, d, g2); !ok || err != nil {
			t.Errorf("Exists(G/2) = %v, %v", ok, err)
		}
		if ok, err := grantfacts.Exists(ctx, d, "nope"); ok || err != nil {
			t.Errorf("Exists(nope) = %v, %v", ok, err)
		}

		// The lead first, then each participant once, in id order.
		parties, err := grantfacts.Parties(ctx, d, g1)
		want := append([]string{lead}, slices.Sorted(slices.Values([]string{a, b}))...)
		if err != nil || !slices.Equal(parties, want) {
			t.Errorf("parties of G/1: %v, %v; want %v", parties, err, want)
		}
		if got, err := grantfacts.Participants(ctx, d, p1); err != nil || !slices.Equal(got, slices.Sorted(slices.Values([]string{lead, b}))) {
			t.Errorf("participants of the first project: %v, %v", got, err)
		}

		many, err := grantfacts.Many(ctx, d, []string{g1, g2, "nope"})
		if err != nil || len(many) != 2 || many[g2].CurrencyCode != "USD" || many[g1].DonorReference != "G/1" {
			t.Errorf("Many: %v, %v", many, err)
		}

		// Visible applies policy.Grants: a partner of G/2 reads it, not G/1
		// (where A takes part too, so use B, who is only in G/1).
		partnerB := actor.Caller{Kind: actor.User, UserID: "u", Memberships: []actor.Membership{{Role: actor.RolePartnerViewer, OrganisationID: b}}}
		if _, err := grantfacts.Visible(ctx, d, partnerB, g1); err != nil {
			t.Errorf("B's grant hidden from B: %v", err)
		}
		if _, err := grantfacts.Visible(ctx, d, partnerB, g2); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("another grant shown to B: %v, want not found", err)
		}
	})
}
