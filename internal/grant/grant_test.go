package grant

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
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

type fixture struct {
	d                                *bun.DB
	svc                              *Service
	donor, otherDonor, lead, partner string
	fpa                              string // an agreement of donor and lead
}

func setup(t *testing.T, d *bun.DB) fixture {
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
	f := fixture{d: d, svc: NewService(d),
		donor:      mk("European Commission", organisation.KindDonor),
		otherDonor: mk("Belgian Development Cooperation", organisation.KindDonor),
		lead:       mk("Global Solidarity Network", organisation.KindLead),
		partner:    mk("Coopérative des Femmes de Thiès", organisation.KindLocalPartner),
	}
	a, err := agreement.NewService(d).Create(ctx, agreement.Input{
		Reference: "FPA 2015/001", Title: "FPA", DonorID: f.donor, LeadOrganisationID: f.lead,
		StartDate: "2015-01-01", EndDate: "2030-12-31", CurrencyCode: "EUR",
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.fpa = a.ID
	return f
}

func (f fixture) input() Input {
	return Input{
		FrameworkAgreementID:  f.fpa,
		DonorReference:        "CSO-LA/2024/123-456",
		Title:                 "Decent work for domestic workers",
		CurrencyCode:          "EUR",
		StartDate:             "2025-01-01",
		EndDate:               "2027-12-31",
		TotalEligibleCosts:    "1250000.00",
		MaxDonorContribution:  "1125000.00",
		CoFinancingRate:       "90",
		ReportingPeriodMonths: 12,
	}
}

func (f fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := f.d.NewRaw("SELECT COUNT(*) FROM "+table).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func violation(t *testing.T, err error, field string) string {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.KindInvalid {
		t.Fatalf("got %v, want an invalid error naming %s", err, field)
	}
	for _, v := range e.Violations {
		if v.Field == field {
			return v.Description
		}
	}
	t.Fatalf("error %v does not name %s", err, field)
	return ""
}

func reason(t *testing.T, err error, want string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.KindPrecondition || e.Reason != want {
		t.Fatalf("got %v, want a precondition failure %s", err, want)
	}
}

func ptr(n int) *int { return &n }

// recordSyncs replaces milestone generation for the test, recording the
// schedules it is called with; fail makes it fail.
func recordSyncs(t *testing.T, fail error) *[]milestone.GrantSchedule {
	t.Helper()
	var calls []milestone.GrantSchedule
	prev := syncGenerated
	syncGenerated = func(ctx context.Context, tx bun.IDB, s milestone.GrantSchedule) error {
		calls = append(calls, s)
		return fail
	}
	t.Cleanup(func() { syncGenerated = prev })
	return &calls
}

func TestCreateUnderAgreement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		syncs := recordSyncs(t, nil)
		g, err := f.svc.Create(ctx, f.input(), "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := Grant{
			FrameworkAgreementID: f.fpa, DonorID: f.donor, LeadOrganisationID: f.lead,
			TotalEligibleCosts: 125000000, MaxDonorContribution: 112500000, CoFinancingRateBP: 9000,
			ReportingPeriodMonths: 12, InterimReportDueDays: 60, FinalReportDueMonths: 3, State: StateDraft, Version: 1,
		}
		if got.FrameworkAgreementID != want.FrameworkAgreementID || got.DonorID != want.DonorID ||
			got.LeadOrganisationID != want.LeadOrganisationID || got.TotalEligibleCosts != want.TotalEligibleCosts ||
			got.MaxDonorContribution != want.MaxDonorContribution || got.CoFinancingRateBP != want.CoFinancingRateBP ||
			got.InterimReportDueDays != want.InterimReportDueDays || got.FinalReportDueMonths != want.FinalReportDueMonths ||
			got.State != want.State || got.Version != want.Version ||
			got.StartDate.String() != "2025-01-01" || got.EndDate.String() != "2027-12-31" {
			t.Fatalf("stored %+v", got)
		}
		if len(*syncs) != 1 {
			t.Fatalf("milestones synced %d times on create, want 1", len(*syncs))
		}
		s := (*syncs)[0]
		if s.GrantID != g.ID || s.LeadOrganisationID != f.lead || s.PeriodMonths != 12 || s.InterimDueDays != 60 ||
			s.FinalDueMonths != 3 || s.CurrencyCode != "EUR" || s.MaxContribution != 112500000 ||
			s.Start.String() != "2025-01-01" || s.End.String() != "2027-12-31" {
			t.Fatalf("schedule %+v", s)
		}
	})
}

func TestCreateChecksEveryRule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		syncs := recordSyncs(t, nil)
		standalone := func(in *Input) { in.FrameworkAgreementID, in.DonorID, in.LeadOrganisationID = "", f.donor, f.lead }
		cases := []struct {
			name   string
			mutate func(in *Input)
			field  string
			says   string
		}{
			{"unknown agreement", func(in *Input) { in.FrameworkAgreementID = "nope" }, "framework_agreement", "frameworkAgreements/nope does not exist"},
			{"donor other than the agreement's", func(in *Input) { in.DonorID = f.otherDonor }, "donor", "must be the donor of frameworkAgreements/"},
			{"lead other than the agreement's", func(in *Input) { in.LeadOrganisationID = f.partner }, "lead_organisation", "must be the lead organisation of"},
			{"standalone without donor", func(in *Input) { standalone(in); in.DonorID = "" }, "donor", "required"},
			{"standalone without lead", func(in *Input) { standalone(in); in.LeadOrganisationID = "" }, "lead_organisation", "required"},
			{"standalone with unknown donor", func(in *Input) { standalone(in); in.DonorID = "x" }, "donor", "organisations/x does not exist"},
			{"standalone with a partner as donor", func(in *Input) { standalone(in); in.DonorID = f.partner }, "donor", "kind donor"},
			{"standalone with a donor as lead", func(in *Input) { standalone(in); in.LeadOrganisationID = f.otherDonor }, "lead_organisation", "kind lead or member"},
			{"missing reference", func(in *Input) { in.DonorReference = " " }, "donor_reference", "required"},
			{"missing title", func(in *Input) { in.Title = "" }, "title", "required"},
			{"missing currency", func(in *Input) { in.CurrencyCode = "" }, "currency_code", "required"},
			{"unknown currency", func(in *Input) { in.CurrencyCode = "ABC" }, "currency_code", "ISO 4217"},
			{"missing start", func(in *Input) { in.StartDate = "" }, "start_date", "required"},
			{"impossible end", func(in *Input) { in.EndDate = "2027-02-29" }, "end_date", "YYYY-MM-DD"},
			{"end before start", func(in *Input) { in.EndDate = "2024-12-31" }, "end_date", "after start_date (2025-01-01)"},
			{"missing total", func(in *Input) { in.TotalEligibleCosts = "" }, "total_eligible_costs", "required"},
			{"negative total", func(in *Input) { in.TotalEligibleCosts = "-1.00" }, "total_eligible_costs", "negative"},
			{"zero total", func(in *Input) { in.TotalEligibleCosts = "0" }, "total_eligible_costs", "more than zero"},
			{"total with a comma", func(in *Input) { in.TotalEligibleCosts = "1,250,000" }, "total_eligible_costs", "not a decimal amount"},
			{"cents below the cent", func(in *Input) { in.MaxDonorContribution = "1000.005" }, "max_donor_contribution", "more decimals than EUR allows (2)"},
			{"decimals in a currency without", func(in *Input) {
				in.CurrencyCode, in.TotalEligibleCosts, in.MaxDonorContribution = "XOF", "1000000", "900000.50"
			}, "max_donor_contribution", "more decimals than XOF allows (0)"},
			{"negative contribution", func(in *Input) { in.MaxDonorContribution = "-5" }, "max_donor_contribution", "negative"},
			{"missing rate", func(in *Input) { in.CoFinancingRate = "" }, "co_financing_rate", "required"},
			{"rate above 100", func(in *Input) { in.CoFinancingRate = "100.01" }, "co_financing_rate", "between 0 and 100"},
			{"zero rate", func(in *Input) { in.CoFinancingRate = "0" }, "co_financing_rate", "more than 0"},
			{"rate with three decimals", func(in *Input) { in.CoFinancingRate = "87.125" }, "co_financing_rate", "two decimals"},
			{"contribution above the rate", func(in *Input) { in.MaxDonorContribution = "1125000.01" }, "max_donor_contribution", "at most 1125000.00 EUR"},
			{"contribution above the total", func(in *Input) {
				in.CoFinancingRate, in.MaxDonorContribution = "100", "1250000.01"
			}, "max_donor_contribution", "must not exceed total_eligible_costs: at most 1250000.00 EUR"},
			{"missing reporting period", func(in *Input) { in.ReportingPeriodMonths = 0 }, "reporting_period_months", "required"},
			{"reporting period too long", func(in *Input) { in.ReportingPeriodMonths = 121 }, "reporting_period_months", "from 1 to 120"},
			{"reporting period longer than the grant", func(in *Input) { in.ReportingPeriodMonths = 37 }, "reporting_period_months", "36 whole month(s)"},
			{"negative interim deadline", func(in *Input) { in.InterimReportDueDays = ptr(-1) }, "interim_report_due_days", "from 0 to 365"},
			{"final deadline too far", func(in *Input) { in.FinalReportDueMonths = ptr(25) }, "final_report_due_months", "from 0 to 24"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := f.input()
				c.mutate(&in)
				_, err := f.svc.Create(ctx, in, "")
				if got := violation(t, err, c.field); !strings.Contains(got, c.says) {
					t.Fatalf("%s: %q does not say %q", c.field, got, c.says)
				}
			})
		}
		if n := f.count(t, "grants"); n != 0 {
			t.Fatalf("%d grants stored by refused creates", n)
		}
		if len(*syncs) != 0 {
			t.Fatalf("milestones synced for refused creates: %v", *syncs)
		}

		// The rules accept their edges: a standalone grant, the whole total at
		// 100%, a reporting period as long as the grant, zero deadlines.
		in := f.input()
		standalone(&in)
		in.CoFinancingRate, in.MaxDonorContribution, in.ReportingPeriodMonths = "100", "1250000", 36
		in.InterimReportDueDays, in.FinalReportDueMonths = ptr(0), ptr(0)
		g, err := f.svc.Create(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		if g.FrameworkAgreementID != "" || g.MaxDonorContribution != 125000000 || g.InterimReportDueDays != 0 || g.FinalReportDueMonths != 0 {
			t.Fatalf("edge grant %+v", g)
		}
		got, err := f.svc.Get(ctx, g.ID)
		if err != nil || got.FrameworkAgreementID != "" {
			t.Fatalf("standalone read back: %+v %v", got, err)
		}
		// A currency without minor units stores whole units.
		in = f.input()
		in.DonorReference, in.CurrencyCode, in.TotalEligibleCosts, in.MaxDonorContribution, in.CoFinancingRate =
			"XOF/1", "XOF", "655957000", "590361300", "90"
		g, err = f.svc.Create(ctx, in, "")
		if err != nil || g.TotalEligibleCosts != 655957000 || g.MaxDonorContribution != 590361300 {
			t.Fatalf("XOF grant %+v %v", g, err)
		}
	})
}

func TestDonorReferenceIsUniquePerDonor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		if _, err := f.svc.Create(ctx, f.input(), ""); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Create(ctx, f.input(), "")
		if !errs.Is(err, errs.KindAlreadyExists) || !strings.Contains(err.Error(), "CSO-LA/2024/123-456") {
			t.Fatalf("duplicate: %v", err)
		}
		in := f.input()
		in.FrameworkAgreementID, in.DonorID, in.LeadOrganisationID = "", f.otherDonor, f.lead
		if _, err := f.svc.Create(ctx, in, ""); err != nil {
			t.Fatalf("same reference at another donor: %v", err)
		}
	})
}

func TestCreateRollsBackWhenMilestonesFail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := setup(t, d)
		recordSyncs(t, errors.New("disk full"))
		_, err := f.svc.Create(actor.SystemContext(context.Background()), f.input(), "2d5c9f6e-8a1b-4c3d-9e7f-1a2b3c4d5e6f")
		if !errs.Is(err, errs.KindInternal) {
			t.Fatalf("got %v, want internal", err)
		}
		if n := f.count(t, "grants"); n != 0 {
			t.Fatalf("%d grants left after a failed milestone sync", n)
		}
		if n := f.count(t, "create_requests"); n != 0 {
			t.Fatalf("%d request ids left after a failed create", n)
		}
	})
}

func TestUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		g, err := f.svc.Create(ctx, f.input(), "")
		if err != nil {
			t.Fatal(err)
		}
		syncs := recordSyncs(t, nil)

		// A title change leaves the milestones alone.
		u, err := f.svc.Update(ctx, g.ID, Input{Title: "New title", DonorReference: "ignored"}, resource.Mask{"title"}, g.ETag())
		if err != nil {
			t.Fatal(err)
		}
		if u.Title != "New title" || u.DonorReference != g.DonorReference || u.Version != 2 || u.State != StateDraft {
			t.Fatalf("after title update %+v", u)
		}
		if len(*syncs) != 0 {
			t.Fatalf("title change synced milestones: %v", *syncs)
		}
		// Each schedule field re-syncs them.
		for _, c := range []struct {
			mask resource.Mask
			in   Input
		}{
			{resource.Mask{"end_date"}, Input{EndDate: "2028-06-30"}},
			{resource.Mask{"start_date"}, Input{StartDate: "2025-02-01"}},
			{resource.Mask{"reporting_period_months"}, Input{ReportingPeriodMonths: 6}},
			{resource.Mask{"interim_report_due_days"}, Input{InterimReportDueDays: ptr(30)}},
			{resource.Mask{"final_report_due_months"}, Input{FinalReportDueMonths: ptr(6)}},
			{resource.Mask{"max_donor_contribution"}, Input{MaxDonorContribution: "1000000"}},
			{resource.Mask{"currency_code"}, Input{CurrencyCode: "USD"}},
		} {
			before := len(*syncs)
			if _, err = f.svc.Update(ctx, g.ID, c.in, c.mask, f.etag(t, g.ID)); err != nil {
				t.Fatalf("%v: %v", c.mask, err)
			}
			if len(*syncs) != before+1 {
				t.Fatalf("%v did not sync milestones", c.mask)
			}
		}
		last := (*syncs)[len(*syncs)-1]
		if last.Start.String() != "2025-02-01" || last.End.String() != "2028-06-30" || last.PeriodMonths != 6 ||
			last.InterimDueDays != 30 || last.FinalDueMonths != 6 || last.MaxContribution != 100000000 || last.CurrencyCode != "USD" {
			t.Fatalf("last schedule %+v", last)
		}
		// Unsetting an optional deadline restores its default.
		if u, err = f.svc.Update(ctx, g.ID, Input{}, resource.Mask{"interim_report_due_days"}, f.etag(t, g.ID)); err != nil || u.InterimReportDueDays != 60 {
			t.Fatalf("reset interim deadline: %+v %v", u, err)
		}
		// The grant is checked as a whole: an end before the stored start is refused,
		// and nothing is written.
		_, err = f.svc.Update(ctx, g.ID, Input{EndDate: "2025-01-15"}, resource.Mask{"end_date"}, f.etag(t, g.ID))
		violation(t, err, "end_date")
		// A currency change re-reads the stored amounts: cents do not fit XOF.
		if _, err = f.svc.Update(ctx, g.ID, Input{TotalEligibleCosts: "1250000.50"}, resource.Mask{"total_eligible_costs"}, f.etag(t, g.ID)); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Update(ctx, g.ID, Input{CurrencyCode: "XOF"}, resource.Mask{"currency_code"}, f.etag(t, g.ID))
		if got := violation(t, err, "total_eligible_costs"); !strings.Contains(got, "XOF") {
			t.Fatalf("currency change: %q", got)
		}
		// Donor and lead must stay those of the agreement.
		_, err = f.svc.Update(ctx, g.ID, Input{DonorID: f.otherDonor}, resource.Mask{"donor"}, f.etag(t, g.ID))
		violation(t, err, "donor")
		// Made standalone, the grant keeps its parties and may change them.
		u, err = f.svc.Update(ctx, g.ID, Input{}, resource.Mask{"framework_agreement"}, f.etag(t, g.ID))
		if err != nil || u.FrameworkAgreementID != "" || u.DonorID != f.donor {
			t.Fatalf("made standalone: %+v %v", u, err)
		}
		if u, err = f.svc.Update(ctx, g.ID, Input{DonorID: f.otherDonor}, resource.Mask{"donor"}, f.etag(t, g.ID)); err != nil || u.DonorID != f.otherDonor {
			t.Fatalf("standalone donor change: %+v %v", u, err)
		}
		// Put back under the agreement, it takes the agreement's donor again.
		if u, err = f.svc.Update(ctx, g.ID, Input{FrameworkAgreementID: f.fpa}, resource.Mask{"framework_agreement"}, f.etag(t, g.ID)); err != nil || u.DonorID != f.donor {
			t.Fatalf("back under the agreement: %+v %v", u, err)
		}
		// The etag is required, and a stale one is refused.
		_, err = f.svc.Update(ctx, g.ID, Input{Title: "X"}, resource.Mask{"title"}, "")
		violation(t, err, "etag")
		_, err = f.svc.Update(ctx, g.ID, Input{Title: "X"}, resource.Mask{"title"}, g.ETag())
		if !errs.Is(err, errs.KindAborted) {
			t.Fatalf("stale etag: %v", err)
		}
		got, err := f.svc.Get(ctx, g.ID)
		if err != nil || got.Version != u.Version || got.EndDate.String() != "2028-06-30" {
			t.Fatalf("after refused updates: %+v %v", got, err)
		}
	})
}

func TestStateTransitions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		g, err := f.svc.Create(ctx, f.input(), "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Close(ctx, g.ID, "")
		reason(t, err, "GRANT_NOT_ACTIVE")
		_, err = f.svc.Activate(ctx, g.ID, `"zz"`)
		if !errs.Is(err, errs.KindAborted) {
			t.Fatalf("stale etag: %v", err)
		}
		a, err := f.svc.Activate(ctx, g.ID, g.ETag())
		if err != nil || a.State != StateActive || a.Version != 2 {
			t.Fatalf("activate: %+v %v", a, err)
		}
		_, err = f.svc.Activate(ctx, g.ID, "")
		reason(t, err, "GRANT_NOT_DRAFT")
		err = f.svc.Delete(ctx, g.ID, "")
		reason(t, err, "GRANT_NOT_DRAFT")
		// An active grant can still be corrected.
		if _, err := f.svc.Update(ctx, g.ID, Input{Title: "Corrected"}, resource.Mask{"title"}, f.etag(t, g.ID)); err != nil {
			t.Fatal(err)
		}
		c, err := f.svc.Close(ctx, g.ID, "")
		if err != nil || c.State != StateClosed {
			t.Fatalf("close: %+v %v", c, err)
		}
		_, err = f.svc.Close(ctx, g.ID, "")
		reason(t, err, "GRANT_NOT_ACTIVE")
		_, err = f.svc.Activate(ctx, g.ID, "")
		reason(t, err, "GRANT_NOT_DRAFT")
		_, err = f.svc.Update(ctx, g.ID, Input{Title: "Too late"}, resource.Mask{"title"}, f.etag(t, g.ID))
		reason(t, err, "GRANT_CLOSED")
		got, err := f.svc.Get(ctx, g.ID)
		if err != nil || got.State != StateClosed || got.Title != "Corrected" {
			t.Fatalf("stored %+v %v", got, err)
		}
		if _, err := f.svc.Activate(ctx, "missing", ""); !errs.Is(err, errs.KindNotFound) {
			t.Fatalf("missing grant: %v", err)
		}
	})
}

func insertMilestone(t *testing.T, f fixture, grantID string, submitted bool) {
	t.Helper()
	now := time.Now().UTC()
	var submit any
	if submitted {
		submit = now
	}
	_, err := f.d.ExecContext(context.Background(), `INSERT INTO milestones (id, grant_id, kind, due_date,
		responsible_organisation_id, submit_time, version, create_time, update_time)
		VALUES (?, ?, 'interim_report', '2026-03-01', ?, ?, 1, ?, ?)`,
		resource.NewID(), grantID, f.lead, submit, now, now)
	if err != nil {
		t.Fatal(err)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		mk := func(ref string) *Grant {
			in := f.input()
			in.DonorReference = ref
			g, err := f.svc.Create(ctx, in, "")
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		withProject, withSubmitted, plain := mk("G/1"), mk("G/2"), mk("G/3")
		now := time.Now().UTC()
		if _, err := d.ExecContext(ctx, `INSERT INTO projects (id, grant_id, title, version, create_time, update_time)
			VALUES (?, ?, 'Organising in Mombasa', 1, ?, ?)`, resource.NewID(), withProject.ID, now, now); err != nil {
			t.Fatal(err)
		}
		reason(t, f.svc.Delete(ctx, withProject.ID, ""), "GRANT_HAS_PROJECTS")

		insertMilestone(t, f, withSubmitted.ID, false)
		insertMilestone(t, f, withSubmitted.ID, true)
		reason(t, f.svc.Delete(ctx, withSubmitted.ID, ""), "GRANT_HAS_SUBMITTED_MILESTONES")
		if n := f.count(t, "milestones WHERE generator_key IS NULL"); n != 2 {
			t.Fatalf("%d hand-made milestones after a refused delete, want 2", n)
		}
		generated := f.count(t, "milestones WHERE generator_key IS NOT NULL AND grant_id = '"+plain.ID+"'")
		if generated == 0 {
			t.Fatal("the plain grant has no generated milestones")
		}

		insertMilestone(t, f, plain.ID, false)
		insertMilestone(t, f, plain.ID, false)
		if err := f.svc.Delete(ctx, plain.ID, `"zz"`); !errs.Is(err, errs.KindAborted) {
			t.Fatalf("stale etag: %v", err)
		}
		if err := f.svc.Delete(ctx, plain.ID, plain.ETag()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Get(ctx, plain.ID); !errs.Is(err, errs.KindNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if n := f.count(t, "milestones WHERE generator_key IS NULL"); n != 2 {
			t.Fatalf("%d hand-made milestones after deleting the plain grant, want the other grant's 2", n)
		}
		if n := f.count(t, "milestones WHERE grant_id = '"+plain.ID+"'"); n != 0 {
			t.Fatalf("%d milestones of the deleted grant remain (generated ones included)", n)
		}
		if err := f.svc.Delete(ctx, plain.ID, ""); !errs.Is(err, errs.KindNotFound) {
			t.Fatalf("second delete: %v", err)
		}
	})
}

func TestList(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		var all []string
		for i, standalone := range []bool{false, true, false, true, false} {
			in := f.input()
			in.DonorReference = "G/" + string(rune('A'+i))
			if standalone {
				in.FrameworkAgreementID, in.DonorID, in.LeadOrganisationID = "", f.otherDonor, f.lead
			}
			g, err := f.svc.Create(ctx, in, "")
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, g.DonorReference)
			if i == 2 {
				if _, err := f.svc.Activate(ctx, g.ID, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		refs := func(fl Filter) string {
			t.Helper()
			list, _, err := f.svc.List(ctx, fl, page.Request{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, g := range list {
				out = append(out, g.DonorReference)
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct {
			name string
			f    Filter
			want string
		}{
			{"all, oldest first", Filter{}, strings.Join(all, " ")},
			{"agreement", Filter{FrameworkAgreementID: f.fpa}, "G/A G/C G/E"},
			{"donor", Filter{DonorID: f.otherDonor}, "G/B G/D"},
			{"state", Filter{State: StateActive}, "G/C"},
			{"agreement and state", Filter{FrameworkAgreementID: f.fpa, State: StateDraft}, "G/A G/E"},
		} {
			if got := refs(c.f); got != c.want {
				t.Fatalf("%s: %q, want %q", c.name, got, c.want)
			}
		}
		var seen []string
		token := ""
		for i := 0; i < 10; i++ {
			list, next, err := f.svc.List(ctx, Filter{FrameworkAgreementID: f.fpa}, page.Request{Size: 1, Token: token})
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range list {
				seen = append(seen, g.DonorReference)
			}
			if token = next; token == "" {
				break
			}
		}
		if strings.Join(seen, " ") != "G/A G/C G/E" {
			t.Fatalf("pages gave %v", seen)
		}
	})
}

// etag is grant id's current etag, for updates that must send it.
func (f fixture) etag(t *testing.T, id string) string {
	t.Helper()
	g, err := f.svc.Get(actor.SystemContext(context.Background()), id)
	if err != nil {
		t.Fatal(err)
	}
	return g.ETag()
}

// The reporting language is en unless set, and only one of the four.
func TestReportingLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		g, err := f.svc.Create(ctx, f.input(), "")
		if err != nil {
			t.Fatal(err)
		}
		if g.ReportingLanguage != "en" {
			t.Fatalf("default %q", g.ReportingLanguage)
		}
		_, err = f.svc.Update(ctx, g.ID, Input{ReportingLanguage: "it"}, resource.Mask{"reporting_language"}, g.ETag())
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Violations) != 1 || e.Violations[0].Field != "reporting_language" ||
			!strings.Contains(e.Violations[0].Description, "pt (Portuguese)") {
			t.Fatalf("Italian: %v", err)
		}
		u, err := f.svc.Update(ctx, g.ID, Input{ReportingLanguage: "pt"}, resource.Mask{"reporting_language"}, g.ETag())
		if err != nil || u.ReportingLanguage != "pt" {
			t.Fatalf("pt: %+v, %v", u, err)
		}
		in := f.input()
		in.ReportingLanguage = "es"
		in.DonorReference = "CSO-LA/2025/2"
		c, err := f.svc.Create(ctx, in, "")
		if err != nil || c.ReportingLanguage != "es" {
			t.Fatalf("created in es: %+v, %v", c, err)
		}
	})
}
