package project_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/resource"
)

// progressDue lists "organisation due-date" of the generated partner
// progress updates of a project, in order.
func progressDue(t *testing.T, d bun.IDB, projectID string) []string {
	t.Helper()
	var rows []struct {
		Org string        `bun:"responsible_organisation_id"`
		Due calendar.Date `bun:"due_date"`
	}
	if err := d.NewRaw(`SELECT responsible_organisation_id, due_date FROM milestones
		WHERE project_id = ? AND kind = 'partner_progress_update' AND generator_key IS NOT NULL
		ORDER BY due_date, responsible_organisation_id`, projectID).Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Org + " " + r.Due.String()
	}
	return out
}

// wantDue computes, independently of the milestone package, the progress
// updates of orgs for quarters counted from start, the last clipped to end,
// those that ended before the project was made (today) left out: each due
// ProgressUpdateDueDays after its quarter.
func wantDue(start, end calendar.Date, months int, orgs ...string) []string {
	today := calendar.Today()
	var out []string
	for k := 0; ; k++ {
		s := start.AddMonths(k * months)
		if s.After(end) {
			break
		}
		e := start.AddMonths((k + 1) * months).AddDays(-1)
		if e.After(end) {
			e = end
		}
		if !e.Before(today) {
			sorted := slices.Clone(orgs)
			slices.Sort(sorted)
			for _, o := range sorted {
				out = append(out, o+" "+e.AddDays(milestone.ProgressUpdateDueDays).String())
			}
		}
		if !e.Before(end) {
			break
		}
	}
	return out
}

func TestPartnersGetProgressUpdatesByRoleAndLoseThemWhenRemoved(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		in := f.input()
		in.StartDate, in.EndDate = "", "" // the grant's: 2026-01-01 to 2027-12-31
		p, err := f.svc.Create(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		gs, ge := calendar.MustParse("2026-01-01"), calendar.MustParse("2027-12-31")
		// p2 co-beneficiary and p1 associate report; the coordinator does not.
		want := wantDue(gs, ge, project.DefaultProgressUpdateMonths, f.p2, f.p1)
		if len(want) == 0 {
			t.Fatal("the test's grant has no quarter left to report on")
		}
		if got := progressDue(t, d, p.ID); !slices.Equal(got, want) {
			t.Fatalf("generated progress updates:\n%v\nwant\n%v", got, want)
		}

		// A milestone made by hand for the project stays through everything.
		if _, err := d.ExecContext(ctx, `INSERT INTO milestones
			(id, grant_id, project_id, kind, title, due_date, responsible_organisation_id, version, create_time, update_time)
			VALUES (?, ?, ?, 'partner_progress_update', 'Monitoring visit', '2027-05-05', ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			resource.NewID(), f.grant, p.ID, f.p1); err != nil {
			t.Fatal(err)
		}

		// p1 becomes a contractor: its generated updates go, p2's stay; and
		// monthly updates for the rest.
		in.Participants = []project.Participant{
			{OrganisationID: f.p2, Role: project.RoleCoBeneficiary},
			{OrganisationID: f.lead, Role: project.RoleCoordinator},
			{OrganisationID: f.p1, Role: project.RoleContractor},
		}
		in.ProgressUpdateMonths = 6
		u, err := f.svc.Update(ctx, p.ID, in, resource.Mask{"participants", "progress_update_months"}, p.ETag())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := progressDue(t, d, p.ID), wantDue(gs, ge, 6, f.p2); !slices.Equal(got, want) {
			t.Fatalf("after p1 became a contractor:\n%v\nwant\n%v", got, want)
		}

		// The grant ends later: the generated updates follow, the one made
		// by hand stays where it was.
		grants := grant.NewService(d)
		g, err := grants.Get(ctx, f.grant)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := grants.Update(ctx, g.ID, grant.Input{EndDate: "2028-06-30"}, resource.Mask{"end_date"}, g.ETag()); err != nil {
			t.Fatal(err)
		}
		if got, want := progressDue(t, d, p.ID), wantDue(gs, calendar.MustParse("2028-06-30"), 6, f.p2); !slices.Equal(got, want) {
			t.Fatalf("after the grant's end moved:\n%v\nwant\n%v", got, want)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM milestones WHERE project_id = ? AND generator_key IS NULL AND due_date = '2027-05-05'", p.ID); n != 1 {
			t.Fatalf("the milestone made by hand: %d rows", n)
		}
		_ = u
	})
}

func TestParticipantsCountryAndBudgetShares(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		in := f.input()
		in.Participants[0].CountryCode = "IN"       // p2 (Nepal) works in India
		in.Participants[1].BudgetShare = "600000.5" // the lead
		in.Participants[2].BudgetShare = "250000"   // p1
		p, err := f.svc.Create(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		desc := func(pts []project.Participant) string {
			s := ""
			for _, pt := range pts {
				s += fmt.Sprintf("%s/%s/%q;", pt.Role, pt.CountryCode, pt.BudgetShare)
			}
			return s
		}
		if want := `co_beneficiary/IN/"";coordinator/BE/"600000.50";associate/KE/"250000.00";`; desc(got.Participants) != want {
			t.Fatalf("participants %s, want %s", desc(got.Participants), want)
		}

		// The grant's total eligible costs are EUR 1,000,000.00: another
		// project's shares may add 149,999.50 and not a cent more.
		in2 := f.input()
		in2.Code = "KE-02"
		in2.Participants[0].BudgetShare = "149999.51"
		_, err = f.svc.Create(ctx, in2, "")
		if got := violations(err); !slices.Equal(got, []string{"participants"}) {
			t.Fatalf("shares above the total: %v", err)
		}
		in2.Participants[0].BudgetShare = "149999.50"
		if _, err := f.svc.Create(ctx, in2, ""); err != nil {
			t.Fatalf("shares up to the total: %v", err)
		}

		bad := f.input()
		bad.Code = "KE-03"
		bad.Participants[0].BudgetShare = "12,5"
		bad.Participants[2].CountryCode = "XX"
		bad.ProgressUpdateMonths = 13
		_, err = f.svc.Create(ctx, bad, "")
		if got := violations(err); !slices.Equal(got, []string{"participants[2].country_code", "progress_update_months", "participants[0].budget_share"}) {
			t.Fatalf("bad share, country, frequency: %v (%v)", got, err)
		}
	})
}

func TestRolesThatReportAreTheMilestonePackages(t *testing.T) {
	t.Parallel()
	var reporting []string
	for _, r := range project.Roles {
		if r.ReportsProgress() {
			reporting = append(reporting, string(r))
		}
	}
	if !slices.Equal(reporting, milestone.ReportingRoles) {
		t.Fatalf("roles that report progress: project says %v, milestone generates for %v", reporting, milestone.ReportingRoles)
	}
	if project.RoleAssociate.CostsEligible() || !project.RoleCoBeneficiary.CostsEligible() {
		t.Fatal("only associates' costs are not eligible")
	}
}
