package milestone_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// day parses a date constant.
var day = calendar.MustParse

var pageAll = page.Request{Size: page.MaxSize}

// example36 is the 36-month EUR grant of the brief: 2025-01-01..2027-12-31,
// 12-month periods, interim reports 60 days after each, finals 3 months after
// the end, EUR 1,000,000.00 from the donor.
func example36(grantID, leadID string) milestone.GrantSchedule {
	return milestone.GrantSchedule{
		GrantID: grantID, LeadOrganisationID: leadID,
		Start: day("2025-01-01"), End: day("2027-12-31"),
		PeriodMonths: 12, InterimDueDays: 60, FinalDueMonths: 3,
		CurrencyCode: "EUR", MaxContribution: 1_000_000_00,
	}
}

// row is the generated content of a milestone, as one comparable line.
func row(m *milestone.Milestone) string {
	return fmt.Sprintf("%s %s %s..%s due %s %q", m.GeneratorKey, m.Kind, m.PeriodStart, m.PeriodEnd, m.DueDate, m.Title)
}

var want36 = []string{
	`interim_narrative:1 interim_narrative_report 2025-01-01..2025-12-31 due 2026-03-01 "Interim narrative report, period 1"`,
	`interim_financial:1 interim_financial_report 2025-01-01..2025-12-31 due 2026-03-01 "Interim financial report, period 1"`,
	`interim_narrative:2 interim_narrative_report 2026-01-01..2026-12-31 due 2027-03-01 "Interim narrative report, period 2"`,
	`interim_financial:2 interim_financial_report 2026-01-01..2026-12-31 due 2027-03-01 "Interim financial report, period 2"`,
	`final_narrative final_narrative_report 2025-01-01..2027-12-31 due 2028-03-31 "Final narrative report"`,
	`final_financial final_financial_report 2025-01-01..2027-12-31 due 2028-03-31 "Final financial report"`,
	`expenditure_verification expenditure_verification 2025-01-01..2027-12-31 due 2028-03-31 "Expenditure verification"`,
}

func TestMilestonePlan36MonthGrant(t *testing.T) {
	t.Parallel()
	plan := example36("g", "lead").Plan()
	var got []string
	for _, m := range plan {
		got = append(got, row(m))
		if m.ResponsibleOrganisationID != "lead" || m.GrantID != "g" || m.ProjectID != "" {
			t.Errorf("%s: grant %q responsible %q project %q", m.GeneratorKey, m.GrantID, m.ResponsibleOrganisationID, m.ProjectID)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want36, "\n") {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want36, "\n"))
	}
}

func TestMilestonePlanPeriodsAndVerification(t *testing.T) {
	t.Parallel()
	keys := func(s milestone.GrantSchedule) string {
		var out []string
		for _, m := range s.Plan() {
			out = append(out, m.GeneratorKey+"@"+m.DueDate.String())
		}
		return strings.Join(out, " ")
	}
	periods := func(s milestone.GrantSchedule) string {
		var out []string
		for _, p := range s.Periods() {
			out = append(out, fmt.Sprintf("%d:%s..%s", p.Number, p.Start, p.End))
		}
		return strings.Join(out, " ")
	}
	base := example36("g", "lead")
	cases := []struct {
		name         string
		mutate       func(s *milestone.GrantSchedule)
		wantPeriods  string
		wantPlanKeys string
	}{
		{"exactly EUR 100,000 needs no verification",
			func(s *milestone.GrantSchedule) { s.MaxContribution = 100_000_00; s.End = day("2025-12-31") },
			"1:2025-01-01..2025-12-31",
			"final_narrative@2026-03-31 final_financial@2026-03-31"},
		{"one cent above EUR 100,000 needs verification",
			func(s *milestone.GrantSchedule) { s.MaxContribution = 100_000_01; s.End = day("2025-12-31") },
			"1:2025-01-01..2025-12-31",
			"final_narrative@2026-03-31 final_financial@2026-03-31 expenditure_verification@2026-03-31"},
		{"another currency needs no verification",
			func(s *milestone.GrantSchedule) { s.CurrencyCode = "USD"; s.End = day("2025-12-31") },
			"1:2025-01-01..2025-12-31",
			"final_narrative@2026-03-31 final_financial@2026-03-31"},
		{"month ends clamp from the start without drifting, last period clipped",
			func(s *milestone.GrantSchedule) {
				s.Start, s.End, s.PeriodMonths, s.InterimDueDays, s.FinalDueMonths = day("2025-01-31"), day("2026-02-15"), 6, 30, 6
				s.MaxContribution = 0
			},
			"1:2025-01-31..2025-07-30 2:2025-07-31..2026-01-30 3:2026-01-31..2026-02-15",
			"interim_narrative:1@2025-08-29 interim_financial:1@2025-08-29 " +
				"interim_narrative:2@2026-03-01 interim_financial:2@2026-03-01 " +
				"final_narrative@2026-08-15 final_financial@2026-08-15"},
		{"an end on a period boundary leaves no empty period",
			func(s *milestone.GrantSchedule) { s.End = day("2026-12-31"); s.MaxContribution = 0 },
			"1:2025-01-01..2025-12-31 2:2026-01-01..2026-12-31",
			"interim_narrative:1@2026-03-01 interim_financial:1@2026-03-01 final_narrative@2027-03-31 final_financial@2027-03-31"},
		{"leap year: 2027-12-31 + 60 days",
			func(s *milestone.GrantSchedule) {
				s.Start, s.End = day("2027-01-01"), day("2028-06-30")
				s.MaxContribution = 0
			},
			"1:2027-01-01..2027-12-31 2:2028-01-01..2028-06-30",
			"interim_narrative:1@2028-02-29 interim_financial:1@2028-02-29 final_narrative@2028-09-30 final_financial@2028-09-30"},
		{"no period length: one period for the whole grant",
			func(s *milestone.GrantSchedule) { s.PeriodMonths = 0; s.MaxContribution = 0 },
			"1:2025-01-01..2027-12-31",
			"final_narrative@2028-03-31 final_financial@2028-03-31"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := base
			c.mutate(&s)
			if got := periods(s); got != c.wantPeriods {
				t.Errorf("periods %q, want %q", got, c.wantPeriods)
			}
			if got := keys(s); got != c.wantPlanKeys {
				t.Errorf("plan %q, want %q", got, c.wantPlanKeys)
			}
		})
	}
}

// fixture is a database with a lead, a partner and one grant.
type fixture struct {
	d       *bun.DB
	svc     *milestone.Service
	lead    string
	partner string
	donor   string
	grant   string
}

func newFixture(t *testing.T, d *bun.DB) *fixture {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	orgs := organisation.NewService(d)
	org := func(name, country string, kind organisation.Kind) string {
		o, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: name, CountryCode: country, Kind: kind}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f := &fixture{d: d, svc: milestone.NewService(d)}
	f.donor = org("European Commission", "BE", organisation.KindDonor)
	f.lead = org("Global Solidarity Network", "BE", organisation.KindLead)
	f.partner = org("Kenya Domestic Workers Union", "KE", organisation.KindLocalPartner)
	f.grant = f.insertGrant(t, "SGA/2025/1")
	return f
}

// insertGrant writes a grant row directly: the grant service is another
// package's business. Its dates do not matter to SyncGenerated, which is
// given the schedule.
func (f *fixture) insertGrant(t *testing.T, ref string) string {
	t.Helper()
	id := resource.NewID()
	_, err := f.d.ExecContext(actor.SystemContext(context.Background()), `INSERT INTO grants
		(id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		 total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		 interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, 'Decent work for domestic workers', 'EUR', '2025-01-01', '2027-12-31',
		 111111111, 100000000, 9000, 12, 60, 3, 'draft', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		id, f.donor, f.lead, ref)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// setGrant changes the stored grant's schedule, as the grant service would.
func (f *fixture) setGrant(t *testing.T, s milestone.GrantSchedule) {
	t.Helper()
	_, err := f.d.ExecContext(actor.SystemContext(context.Background()), `UPDATE grants SET lead_organisation_id = ?, start_date = ?, end_date = ?,
		reporting_period_months = ?, interim_report_due_days = ?, final_report_due_months = ?, currency_code = ?,
		max_donor_contribution = ? WHERE id = ?`,
		s.LeadOrganisationID, s.Start.String(), s.End.String(), s.PeriodMonths, s.InterimDueDays, s.FinalDueMonths,
		s.CurrencyCode, s.MaxContribution, s.GrantID)
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) sync(t *testing.T, s milestone.GrantSchedule) {
	t.Helper()
	f.setGrant(t, s)
	err := f.d.RunInTx(actor.SystemContext(context.Background()), nil, func(ctx context.Context, tx bun.Tx) error {
		return milestone.SyncGenerated(ctx, tx, s)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// generated returns the grant's milestones by generator key.
func (f *fixture) generated(t *testing.T) map[string]*milestone.Milestone {
	t.Helper()
	list, _, err := f.svc.List(actor.SystemContext(context.Background()), milestone.Filter{GrantID: f.grant}, pageAll)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*milestone.Milestone{}
	for _, m := range list {
		out[m.GeneratorKey] = m
	}
	return out
}

func sortedRows(ms map[string]*milestone.Milestone) []string {
	var out []string
	for _, m := range ms {
		out = append(out, row(m))
	}
	sort.Strings(out)
	return out
}

func TestMilestoneSyncCreatesThe36MonthSchedule(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		s := example36(f.grant, f.lead)
		f.sync(t, s)
		got := f.generated(t)
		want := append([]string(nil), want36...)
		sort.Strings(want)
		if g := sortedRows(got); strings.Join(g, "\n") != strings.Join(want, "\n") {
			t.Fatalf("stored:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
		}
		for k, m := range got {
			if m.ResponsibleOrganisationID != f.lead || !m.Generated() || m.Edited || m.Version != 1 || !m.Open() {
				t.Errorf("%s: responsible %s generated %v edited %v version %d open %v", k,
					m.ResponsibleOrganisationID, m.Generated(), m.Edited, m.Version, m.Open())
			}
		}
		// Syncing the same schedule again writes nothing.
		f.sync(t, s)
		again := f.generated(t)
		if len(again) != len(want36) {
			t.Fatalf("%d milestones after a second sync, want %d", len(again), len(want36))
		}
		for k, m := range again {
			if m.ID != got[k].ID || m.Version != 1 {
				t.Errorf("%s changed on an identical sync: id %s->%s version %d", k, got[k].ID, m.ID, m.Version)
			}
		}
	})
}

func TestMilestoneSyncKeepsWhatUsersTouched(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := newFixture(t, d)
		s := example36(f.grant, f.lead)
		f.sync(t, s)
		before := f.generated(t)

		// A user edits the final narrative report's title and moves the
		// second interim narrative report; the verification is submitted.
		if _, err := f.svc.Update(ctx, before["final_narrative"].ID, milestone.Input{Title: "Final narrative report (EN/FR)"},
			resource.Mask{"title"}, before["final_narrative"].ETag()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Update(ctx, before["interim_narrative:2"].ID, milestone.Input{DueDate: "2027-03-15"},
			resource.Mask{"due_date"}, before["interim_narrative:2"].ETag()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Submit(ctx, before["expenditure_verification"].ID, ""); err != nil {
			t.Fatal(err)
		}
		// A hand-made milestone of the grant is never generation's business.
		manual, err := f.svc.Create(ctx, milestone.Input{GrantID: f.grant, Kind: milestone.KindPaymentRequest,
			DueDate: "2027-02-01", ResponsibleOrganisationID: f.partner}, "")
		if err != nil {
			t.Fatal(err)
		}

		// The grant ends a year earlier: two periods, finals due 2027-03-31.
		shorter := s
		shorter.End = day("2026-12-31")
		f.sync(t, shorter)
		after := f.generated(t)

		want := map[string]string{
			// Unchanged: period 1 is the same.
			"interim_narrative:1": `interim_narrative:1 interim_narrative_report 2025-01-01..2025-12-31 due 2026-03-01 "Interim narrative report, period 1"`,
			"interim_financial:1": `interim_financial:1 interim_financial_report 2025-01-01..2025-12-31 due 2026-03-01 "Interim financial report, period 1"`,
			// Edited and no longer wanted: kept where the user put it.
			"interim_narrative:2": `interim_narrative:2 interim_narrative_report 2026-01-01..2026-12-31 due 2027-03-15 "Interim narrative report, period 2"`,
			// Edited: keeps its old dates.
			"final_narrative": `final_narrative final_narrative_report 2025-01-01..2027-12-31 due 2028-03-31 "Final narrative report (EN/FR)"`,
			// Untouched: moved.
			"final_financial": `final_financial final_financial_report 2025-01-01..2026-12-31 due 2027-03-31 "Final financial report"`,
			// Submitted: kept.
			"expenditure_verification": `expenditure_verification expenditure_verification 2025-01-01..2027-12-31 due 2028-03-31 "Expenditure verification"`,
			// The hand-made one.
			"": row(manual),
		}
		if len(after) != len(want) {
			t.Errorf("after shortening: %d milestones, want %d (untouched interim_financial:2 removed):\n%s",
				len(after), len(want), strings.Join(sortedRows(after), "\n"))
		}
		for k, w := range want {
			m, ok := after[k]
			if !ok {
				t.Errorf("%s was removed", k)
				continue
			}
			if row(m) != w {
				t.Errorf("%s:\n got %s\nwant %s", k, row(m), w)
			}
		}
		if _, ok := after["interim_financial:2"]; ok {
			t.Error("untouched interim_financial:2 is no longer wanted but was kept")
		}
		if m := after["final_financial"]; m.ID != before["final_financial"].ID || m.Version != 2 || m.Edited {
			t.Errorf("moved final_financial: same id %v, version %d (want 2), edited %v", m.ID == before["final_financial"].ID, m.Version, m.Edited)
		}
		if m := after["interim_narrative:1"]; m.Version != 1 {
			t.Errorf("unchanged interim_narrative:1 has version %d, want 1", m.Version)
		}
		if m := after["expenditure_verification"]; m.SubmitTime == nil {
			t.Error("the submitted verification lost its submit time")
		}

		// The grant's lead changes: untouched milestones follow, touched ones stay.
		moved := shorter
		moved.LeadOrganisationID = f.partner
		f.sync(t, moved)
		after = f.generated(t)
		for k, wantOrg := range map[string]string{
			"interim_narrative:1": f.partner, "final_financial": f.partner,
			"final_narrative": f.lead, "interim_narrative:2": f.lead, "expenditure_verification": f.lead,
		} {
			if got := after[k].ResponsibleOrganisationID; got != wantOrg {
				t.Errorf("%s responsible %s, want %s", k, got, wantOrg)
			}
		}

		// Back to 36 months: the removed interim is made again, the edited
		// one is not touched, the untouched final moves back.
		f.sync(t, s)
		after = f.generated(t)
		if len(after) != len(want36)+1 {
			t.Fatalf("after lengthening: %d milestones, want %d", len(after), len(want36)+1)
		}
		if m := after["interim_financial:2"]; m.DueDate.String() != "2027-03-01" || m.ID == before["interim_financial:2"].ID {
			t.Errorf("interim_financial:2 recreated as %s (same id as the removed one: %v)", row(m), m.ID == before["interim_financial:2"].ID)
		}
		if m := after["interim_narrative:2"]; m.DueDate.String() != "2027-03-15" || !m.Edited {
			t.Errorf("edited interim_narrative:2 is now %s edited %v", row(m), m.Edited)
		}
		if m := after["final_financial"]; m.DueDate.String() != "2028-03-31" || m.PeriodEnd.String() != "2027-12-31" {
			t.Errorf("final_financial is now %s", row(m))
		}
	})
}

func TestMilestoneSyncRefusesABadSchedule(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		s := example36(f.grant, f.lead)
		s.End = day("2024-12-31")
		err := f.d.RunInTx(actor.SystemContext(context.Background()), nil, func(ctx context.Context, tx bun.Tx) error {
			return milestone.SyncGenerated(ctx, tx, s)
		})
		if !errs.Is(err, errs.KindInvalid) || !strings.Contains(err.Error(), "end_date") {
			t.Fatalf("got %v, want invalid naming end_date", err)
		}
		if n := len(f.generated(t)); n != 0 {
			t.Fatalf("%d milestones written for a refused schedule", n)
		}
	})
}

func TestDeleteGeneratedMilestone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := newFixture(t, d)
		s := example36(f.grant, f.lead)
		f.sync(t, s)
		ms := f.generated(t)
		// Still produced by the grant's rules: refused, edited or not.
		if _, err := f.svc.Update(ctx, ms["interim_narrative:2"].ID, milestone.Input{Title: "Second narrative"}, resource.Mask{"title"}, ms["interim_narrative:2"].ETag()); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"final_financial", "interim_narrative:2"} {
			err := f.svc.Delete(ctx, ms[k].ID, "")
			if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Reason != "MILESTONE_GENERATED" {
				t.Fatalf("delete %s: %v, want MILESTONE_GENERATED", k, err)
			}
		}
		// Once the rules no longer produce the edited one, it may go.
		shorter := s
		shorter.End = day("2026-12-31")
		f.sync(t, shorter)
		if err := f.svc.Delete(ctx, ms["interim_narrative:2"].ID, ""); err != nil {
			t.Fatalf("delete the orphaned edited milestone: %v", err)
		}
		if _, err := f.svc.Get(ctx, ms["interim_narrative:2"].ID); !errs.Is(err, errs.KindNotFound) {
			t.Fatalf("after delete: %v", err)
		}
	})
}

func TestMilestoneStatusOn(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	today := calendar.Of(now)
	cases := []struct {
		due       string
		submitted bool
		accepted  bool
		want      milestone.Status
	}{
		{"2026-01-14", false, false, milestone.StatusOverdue},
		{"2026-01-15", false, false, milestone.StatusDueSoon},
		{"2026-02-14", false, false, milestone.StatusDueSoon}, // today + 30
		{"2026-02-15", false, false, milestone.StatusUpcoming},
		{"2025-01-01", true, false, milestone.StatusSubmitted},
		{"2030-01-01", true, false, milestone.StatusSubmitted},
		{"2025-01-01", true, true, milestone.StatusAccepted},
	}
	for _, c := range cases {
		m := &milestone.Milestone{DueDate: day(c.due)}
		if c.submitted {
			m.SubmitTime = &now
		}
		if c.accepted {
			m.AcceptTime = &now
		}
		if got := m.StatusOn(today); got != c.want {
			t.Errorf("due %s submitted %v accepted %v: %s, want %s", c.due, c.submitted, c.accepted, got, c.want)
		}
	}
}
