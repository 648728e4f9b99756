package rpc_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/uptrace/bun"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// msWorld is a server with organisations, two grants (inserted as rows: the
// grant service is another package's business), a project of each, and the
// milestone service's clock fixed at msToday.
type msWorld struct {
	e                     *rpctest.Env
	lead, partner, donor  *pactumv1.Organisation
	grant, otherGrant     string // resource names
	project, otherProject string
}

// msToday is "today" for the milestone tests, unless a test moves the clock.
var msToday = time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)

func newMsWorld(t *testing.T, e *rpctest.Env) *msWorld {
	t.Helper()
	w := &msWorld{e: e}
	w.donor = createOrg(t, e, newOrg("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR))
	w.lead = createOrg(t, e, newOrg("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
	w.partner = createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
	w.grant = w.insertGrant(t, "SGA/2025/1")
	w.otherGrant = w.insertGrant(t, "SGA/2025/2")
	w.project = w.insertProject(t, w.grant, "P1")
	w.otherProject = w.insertProject(t, w.otherGrant, "P2")
	w.setToday(msToday)
	return w
}

func (w *msWorld) setToday(t time.Time) {
	w.e.Services.Milestones.SetClock(func() time.Time { return t })
}

func msID(name string) string {
	_, id, _ := strings.Cut(name, "/")
	return id
}

func (w *msWorld) insertGrant(t *testing.T, ref string) string {
	t.Helper()
	id := resource.NewID()
	_, err := w.e.DB.ExecContext(context.Background(), `INSERT INTO grants
		(id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		 total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		 interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, 'Decent work for domestic workers', 'EUR', '2025-01-01', '2027-12-31',
		 111111111, 100000000, 9000, 12, 60, 3, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		id, msID(w.donor.GetName()), msID(w.lead.GetName()), ref)
	if err != nil {
		t.Fatal(err)
	}
	return "grants/" + id
}

func (w *msWorld) insertProject(t *testing.T, grant, code string) string {
	t.Helper()
	id := resource.NewID()
	_, err := w.e.DB.ExecContext(context.Background(), `INSERT INTO projects (id, grant_id, code, title, version, create_time, update_time)
		VALUES (?, ?, ?, 'Organising domestic workers', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, msID(grant), code)
	if err != nil {
		t.Fatal(err)
	}
	return "projects/" + id
}

// generate runs the grant's milestone generation, as the grant service does
// when a grant is created (here as the system, which the audit trail
// records): the 36-month schedule of 2025-01-01..2027-12-31.
func (w *msWorld) generate(t *testing.T) {
	t.Helper()
	err := w.e.DB.RunInTx(actor.SystemContext(context.Background()), nil, func(ctx context.Context, tx bun.Tx) error {
		return milestone.SyncGenerated(ctx, tx, milestone.GrantSchedule{
			GrantID: msID(w.grant), LeadOrganisationID: msID(w.lead.GetName()),
			Start: calendar.MustParse("2025-01-01"), End: calendar.MustParse("2027-12-31"),
			PeriodMonths: 12, InterimDueDays: 60, FinalDueMonths: 3, CurrencyCode: "EUR", MaxContribution: 100_000_000,
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// valid is a hand-made expenditure verification of the grant's project.
func (w *msWorld) valid() *pactumv1.Milestone {
	return &pactumv1.Milestone{
		Grant:                   w.grant,
		Project:                 w.project,
		Kind:                    pactumv1.MilestoneKind_MILESTONE_KIND_EXPENDITURE_VERIFICATION,
		PeriodStartDate:         "2026-01-01",
		PeriodEndDate:           "2026-03-31",
		DueDate:                 "2026-04-30",
		ResponsibleOrganisation: w.partner.GetName(),
	}
}

func (w *msWorld) create(t *testing.T, m *pactumv1.Milestone) *pactumv1.Milestone {
	t.Helper()
	res, err := w.e.Milestones.CreateMilestone(context.Background(), connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: m}))
	if err != nil {
		t.Fatalf("create milestone due %s: %v", m.GetDueDate(), err)
	}
	return res.Msg.GetMilestone()
}

// due creates a hand-made milestone titled title, due on due.
func (w *msWorld) due(t *testing.T, title, due string, org *pactumv1.Organisation) *pactumv1.Milestone {
	t.Helper()
	m := w.valid()
	m.Title, m.DueDate, m.PeriodStartDate, m.PeriodEndDate, m.ResponsibleOrganisation = title, due, "", "", org.GetName()
	return w.create(t, m)
}

func (w *msWorld) submit(t *testing.T, m *pactumv1.Milestone) *pactumv1.Milestone {
	t.Helper()
	res, err := w.e.Milestones.SubmitMilestone(context.Background(), connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: m.GetName()}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg.GetMilestone()
}

func (w *msWorld) accept(t *testing.T, m *pactumv1.Milestone) *pactumv1.Milestone {
	t.Helper()
	res, err := w.e.Milestones.AcceptMilestone(context.Background(), connect.NewRequest(&pactumv1.AcceptMilestoneRequest{Name: m.GetName()}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg.GetMilestone()
}

func msCount(t *testing.T, e *rpctest.Env, table string) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT COUNT(*) FROM "+table).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func msExpectReason(t *testing.T, err error, reason string) {
	t.Helper()
	if got := rpctest.Reason(err); got != reason {
		t.Fatalf("error %v has reason %q, want %q", err, got, reason)
	}
}

func msTitles(ms []*pactumv1.Milestone) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.GetTitle())
	}
	return strings.Join(out, " ")
}

func TestCreateMilestone(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newMsWorld(t, e)
		scenarios := []struct {
			name      string
			mutate    func(m *pactumv1.Milestone)
			wantField string
		}{
			{"valid", func(*pactumv1.Milestone) {}, ""},
			{"missing grant", func(m *pactumv1.Milestone) { m.Grant, m.Project = "", "" }, "milestone.grant"},
			{"unknown grant", func(m *pactumv1.Milestone) { m.Grant, m.Project = "grants/nope", "" }, "milestone.grant"},
			{"malformed grant", func(m *pactumv1.Milestone) { m.Grant = "organisations/x" }, "milestone.grant"},
			{"project of another grant", func(m *pactumv1.Milestone) { m.Project = w.otherProject }, "milestone.project"},
			{"unknown project", func(m *pactumv1.Milestone) { m.Project = "projects/nope" }, "milestone.project"},
			{"unknown kind", func(m *pactumv1.Milestone) { m.Kind = 99 }, "milestone.kind"},
			{"missing kind", func(m *pactumv1.Milestone) { m.Kind = 0 }, "milestone.kind"},
			{"missing due date", func(m *pactumv1.Milestone) { m.DueDate = "" }, "milestone.due_date"},
			{"malformed due date", func(m *pactumv1.Milestone) { m.DueDate = "30/04/2026" }, "milestone.due_date"},
			{"impossible due date", func(m *pactumv1.Milestone) { m.DueDate = "2026-02-30" }, "milestone.due_date"},
			{"impossible period start", func(m *pactumv1.Milestone) { m.PeriodStartDate = "2026-13-01" }, "milestone.period_start_date"},
			{"period end before start", func(m *pactumv1.Milestone) { m.PeriodEndDate = "2025-12-31" }, "milestone.period_end_date"},
			{"period start without end", func(m *pactumv1.Milestone) { m.PeriodEndDate = "" }, "milestone.period_end_date"},
			{"missing responsible organisation", func(m *pactumv1.Milestone) { m.ResponsibleOrganisation = "" }, "milestone.responsible_organisation"},
			{"unknown responsible organisation", func(m *pactumv1.Milestone) { m.ResponsibleOrganisation = "organisations/nope" }, "milestone.responsible_organisation"},
			{"oversized title", func(m *pactumv1.Milestone) { m.Title = strings.Repeat("x", 501) }, "milestone.title"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				m := w.valid()
				sc.mutate(m)
				res, err := e.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: m}))
				if sc.wantField != "" {
					rpctest.ExpectViolation(t, err, sc.wantField)
					return
				}
				rpctest.ExpectCode(t, err, 0)
				got := res.Msg.GetMilestone()
				if !strings.HasPrefix(got.GetName(), "milestones/") || got.GetEtag() == "" {
					t.Fatalf("name %q etag %q", got.GetName(), got.GetEtag())
				}
				if got.GetGrant() != w.grant || got.GetProject() != w.project || got.GetResponsibleOrganisation() != w.partner.GetName() ||
					got.GetDueDate() != "2026-04-30" || got.GetPeriodStartDate() != "2026-01-01" || got.GetPeriodEndDate() != "2026-03-31" {
					t.Fatalf("stored %v", got)
				}
				// No title given: the kind in words. Due in more than 30 days of 2026-01-15.
				if got.GetTitle() != "Expenditure verification" || got.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_UPCOMING ||
					got.GetGenerated() || got.GetEdited() || got.GetSubmitTime() != nil {
					t.Fatalf("title %q status %v generated %v edited %v submitted %v",
						got.GetTitle(), got.GetStatus(), got.GetGenerated(), got.GetEdited(), got.GetSubmitTime())
				}
				get, err := e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: got.GetName()}))
				if err != nil || get.Msg.GetMilestone().GetEtag() != got.GetEtag() || get.Msg.GetMilestone().GetTitle() != got.GetTitle() {
					t.Fatalf("get after create: %v %v", get, err)
				}
			})
		}
		if n := msCount(t, e, "milestones"); n != 1 {
			t.Fatalf("rows after scenarios = %d, want only the valid one", n)
		}
		// A milestone of the whole grant has no project.
		m := w.valid()
		m.Project, m.Kind, m.Title = "", pactumv1.MilestoneKind_MILESTONE_KIND_PAYMENT_REQUEST, "  Second instalment  "
		got := w.create(t, m)
		if got.GetProject() != "" || got.GetTitle() != "Second instalment" {
			t.Fatalf("whole-grant milestone: project %q title %q", got.GetProject(), got.GetTitle())
		}
		_, err := e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: "milestones/nope"}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: "grants/x"}))
		rpctest.ExpectViolation(t, err, "name")
	})
}

func TestCreateMilestoneRequestIDIsIdempotent(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newMsWorld(t, e)
		req := &pactumv1.CreateMilestoneRequest{Milestone: w.valid(), RequestId: "0f8b5a0e-3c1d-4e2f-9a6b-7c8d9e0f1a2b"}
		first, err := e.Milestones.CreateMilestone(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		second, err := e.Milestones.CreateMilestone(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		if first.Msg.GetMilestone().GetName() != second.Msg.GetMilestone().GetName() {
			t.Fatalf("retry created %s, first call %s", second.Msg.GetMilestone().GetName(), first.Msg.GetMilestone().GetName())
		}
		if second.Msg.GetMilestone().GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_UPCOMING {
			t.Fatalf("retry answered status %v", second.Msg.GetMilestone().GetStatus())
		}
		req.RequestId = "not-a-uuid"
		_, err = e.Milestones.CreateMilestone(ctx, connect.NewRequest(req))
		rpctest.ExpectViolation(t, err, "request_id")
		// Another request id makes another milestone.
		req.RequestId = "1f8b5a0e-3c1d-4e2f-9a6b-7c8d9e0f1a2b"
		if _, err := e.Milestones.CreateMilestone(ctx, connect.NewRequest(req)); err != nil {
			t.Fatal(err)
		}
		if n := msCount(t, e, "milestones"); n != 2 {
			t.Fatalf("rows = %d, want 2", n)
		}
	})
}

func TestGeneratedMilestonesOfA36MonthGrant(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newMsWorld(t, e)
		w.generate(t)
		res, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{Grant: w.grant}))
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			kind            pactumv1.MilestoneKind
			start, end, due string
			title           string
		}
		const (
			in  = pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_NARRATIVE_REPORT
			ifr = pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_FINANCIAL_REPORT
			fn  = pactumv1.MilestoneKind_MILESTONE_KIND_FINAL_NARRATIVE_REPORT
			ff  = pactumv1.MilestoneKind_MILESTONE_KIND_FINAL_FINANCIAL_REPORT
			ev  = pactumv1.MilestoneKind_MILESTONE_KIND_EXPENDITURE_VERIFICATION
		)
		want := []row{
			{in, "2025-01-01", "2025-12-31", "2026-03-01", "Interim narrative report, period 1"},
			{ifr, "2025-01-01", "2025-12-31", "2026-03-01", "Interim financial report, period 1"},
			{in, "2026-01-01", "2026-12-31", "2027-03-01", "Interim narrative report, period 2"},
			{ifr, "2026-01-01", "2026-12-31", "2027-03-01", "Interim financial report, period 2"},
			{fn, "2025-01-01", "2027-12-31", "2028-03-31", "Final narrative report"},
			{ff, "2025-01-01", "2027-12-31", "2028-03-31", "Final financial report"},
			{ev, "2025-01-01", "2027-12-31", "2028-03-31", "Expenditure verification"},
		}
		got := res.Msg.GetMilestones()
		if len(got) != len(want) {
			t.Fatalf("%d milestones generated, want %d: %s", len(got), len(want), msTitles(got))
		}
		// Same due date: ordered by id, so compare as sets per due date.
		byTitle := map[string]*pactumv1.Milestone{}
		for i, m := range got {
			byTitle[m.GetTitle()] = m
			if m.GetDueDate() != want[i].due {
				t.Errorf("milestone %d due %s, want %s (ordered by due date)", i, m.GetDueDate(), want[i].due)
			}
		}
		for _, r := range want {
			m := byTitle[r.title]
			if m == nil {
				t.Errorf("no %q among %s", r.title, msTitles(got))
				continue
			}
			if m.GetKind() != r.kind || m.GetPeriodStartDate() != r.start || m.GetPeriodEndDate() != r.end || m.GetDueDate() != r.due ||
				!m.GetGenerated() || m.GetEdited() || m.GetResponsibleOrganisation() != w.lead.GetName() || m.GetGrant() != w.grant {
				t.Errorf("%q: %v", r.title, m)
			}
		}
		// On 2026-01-15 the first interim reports are 45 days away.
		if s := byTitle["Interim narrative report, period 1"].GetStatus(); s != pactumv1.MilestoneStatus_MILESTONE_STATUS_UPCOMING {
			t.Errorf("first interim report status %v on 2026-01-15", s)
		}
		w.setToday(time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC))
		get, err := e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: byTitle["Interim narrative report, period 1"].GetName()}))
		if err != nil || get.Msg.GetMilestone().GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_DUE_SOON {
			t.Fatalf("on 2026-02-10 the first interim report is %v (%v), want due soon", get.Msg.GetMilestone().GetStatus(), err)
		}
	})
}

// msStatusWorld makes, on msToday (2026-01-15), one milestone of each status
// and edge, titled by what it is.
func msStatusWorld(t *testing.T, e *rpctest.Env) *msWorld {
	t.Helper()
	w := newMsWorld(t, e)
	w.due(t, "overdue-2026-01-10", "2026-01-10", w.partner)
	w.due(t, "overdue-2026-01-14", "2026-01-14", w.lead)
	w.due(t, "soon-today", "2026-01-15", w.partner)
	w.due(t, "soon-2026-02-14", "2026-02-14", w.lead) // today + 30
	w.due(t, "upcoming-2026-02-15", "2026-02-15", w.partner)
	w.due(t, "upcoming-2026-03-16", "2026-03-16", w.partner) // today + 60
	w.due(t, "upcoming-2026-03-17", "2026-03-17", w.lead)
	w.submit(t, w.due(t, "submitted-2026-01-01", "2026-01-01", w.partner))
	w.submit(t, w.due(t, "submitted-2026-01-20", "2026-01-20", w.partner))
	w.accept(t, w.submit(t, w.due(t, "accepted-2025-12-01", "2025-12-01", w.lead)))
	return w
}

func TestListMilestonesByStatus(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := msStatusWorld(t, e)
		list := func(req *pactumv1.ListMilestonesRequest) []*pactumv1.Milestone {
			t.Helper()
			res, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(req))
			if err != nil {
				t.Fatal(err)
			}
			return res.Msg.GetMilestones()
		}
		// Every milestone's derived status matches its title.
		all := list(&pactumv1.ListMilestonesRequest{})
		if len(all) != 10 {
			t.Fatalf("%d milestones, want 10", len(all))
		}
		prefix := map[pactumv1.MilestoneStatus]string{
			pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE:   "overdue-",
			pactumv1.MilestoneStatus_MILESTONE_STATUS_DUE_SOON:  "soon-",
			pactumv1.MilestoneStatus_MILESTONE_STATUS_UPCOMING:  "upcoming-",
			pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED: "submitted-",
			pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED:  "accepted-",
		}
		for _, m := range all {
			if !strings.HasPrefix(m.GetTitle(), prefix[m.GetStatus()]) {
				t.Errorf("%s has status %v", m.GetTitle(), m.GetStatus())
			}
		}
		cases := []struct {
			name string
			req  *pactumv1.ListMilestonesRequest
			want string
		}{
			{"all by due date", &pactumv1.ListMilestonesRequest{},
				"accepted-2025-12-01 submitted-2026-01-01 overdue-2026-01-10 overdue-2026-01-14 soon-today submitted-2026-01-20 " +
					"soon-2026-02-14 upcoming-2026-02-15 upcoming-2026-03-16 upcoming-2026-03-17"},
			{"overdue", &pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE},
				"overdue-2026-01-10 overdue-2026-01-14"},
			{"due soon", &pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_DUE_SOON},
				"soon-today soon-2026-02-14"},
			{"upcoming", &pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_UPCOMING},
				"upcoming-2026-02-15 upcoming-2026-03-16 upcoming-2026-03-17"},
			{"submitted", &pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED},
				"submitted-2026-01-01 submitted-2026-01-20"},
			{"accepted", &pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED},
				"accepted-2025-12-01"},
			{"organisation", &pactumv1.ListMilestonesRequest{ResponsibleOrganisation: w.lead.GetName()},
				"accepted-2025-12-01 overdue-2026-01-14 soon-2026-02-14 upcoming-2026-03-17"},
			{"organisation and status", &pactumv1.ListMilestonesRequest{ResponsibleOrganisation: w.partner.GetName(),
				Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_UPCOMING}, "upcoming-2026-02-15 upcoming-2026-03-16"},
			{"grant", &pactumv1.ListMilestonesRequest{Grant: w.grant}, "accepted-2025-12-01 submitted-2026-01-01 overdue-2026-01-10 " +
				"overdue-2026-01-14 soon-today submitted-2026-01-20 soon-2026-02-14 upcoming-2026-02-15 upcoming-2026-03-16 upcoming-2026-03-17"},
			{"other grant", &pactumv1.ListMilestonesRequest{Grant: w.otherGrant}, ""},
			{"project", &pactumv1.ListMilestonesRequest{Project: w.project, Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE},
				"overdue-2026-01-10 overdue-2026-01-14"},
			{"other project", &pactumv1.ListMilestonesRequest{Project: w.otherProject}, ""},
			{"kind", &pactumv1.ListMilestonesRequest{Kind: pactumv1.MilestoneKind_MILESTONE_KIND_EXPENDITURE_VERIFICATION,
				Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED}, "accepted-2025-12-01"},
			{"other kind", &pactumv1.ListMilestonesRequest{Kind: pactumv1.MilestoneKind_MILESTONE_KIND_PAYMENT_REQUEST}, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := msTitles(list(c.req)); got != c.want {
					t.Fatalf("got  %q\nwant %q", got, c.want)
				}
			})
		}
		// A month later the statuses have moved on, in the filter as in the field.
		w.setToday(time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC))
		if got := msTitles(list(&pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE})); got !=
			"overdue-2026-01-10 overdue-2026-01-14 soon-today soon-2026-02-14" {
			t.Fatalf("overdue on 2026-02-15: %q", got)
		}
		if got := msTitles(list(&pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_DUE_SOON})); got !=
			"upcoming-2026-02-15 upcoming-2026-03-16 upcoming-2026-03-17" {
			t.Fatalf("due soon on 2026-02-15: %q", got)
		}
		for _, m := range list(&pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE}) {
			if m.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE {
				t.Errorf("%s listed as overdue has status %v", m.GetTitle(), m.GetStatus())
			}
		}

		bad := []struct {
			name  string
			req   *pactumv1.ListMilestonesRequest
			field string
		}{
			{"negative page size", &pactumv1.ListMilestonesRequest{PageSize: -1}, "page_size"},
			{"malformed token", &pactumv1.ListMilestonesRequest{PageToken: "garbage!"}, "page_token"},
			{"unknown status", &pactumv1.ListMilestonesRequest{Status: 42}, "status"},
			{"unknown kind", &pactumv1.ListMilestonesRequest{Kind: 42}, "kind"},
			{"malformed grant", &pactumv1.ListMilestonesRequest{Grant: "projects/x"}, "grant"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(c.req))
				rpctest.ExpectViolation(t, err, c.field)
			})
		}
	})
}

func TestListMilestonesPages(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := msStatusWorld(t, e)
		var seen []string
		token := ""
		for i := 0; ; i++ {
			res, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{
				PageSize: 2, PageToken: token, Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_UPCOMING}))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(res.Msg.GetMilestones()); n > 2 {
				t.Fatalf("page of %d, asked for 2", n)
			}
			seen = append(seen, msTitles(res.Msg.GetMilestones()))
			if i == 0 {
				// Inserted while paging: before the cursor (not seen), on the
				// cursor's due date (after it by id: seen) and later (seen).
				w.due(t, "upcoming-2026-03-15-b", "2026-03-15", w.lead)
				w.due(t, "upcoming-2026-03-16-b", "2026-03-16", w.lead)
				w.due(t, "upcoming-2026-12-31", "2026-12-31", w.lead)
			}
			token = res.Msg.GetNextPageToken()
			if token == "" {
				break
			}
			if i > 10 {
				t.Fatal("paging does not end")
			}
		}
		if got := strings.Join(seen, " | "); got != "upcoming-2026-02-15 upcoming-2026-03-16 | upcoming-2026-03-16-b upcoming-2026-03-17 | upcoming-2026-12-31" {
			t.Fatalf("pages gave %q", got)
		}
		// A token is bound to its filters.
		res, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{PageSize: 1}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{PageSize: 1,
			PageToken: res.Msg.GetNextPageToken(), Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE}))
		rpctest.ExpectViolation(t, err, "page_token")
	})
}

func TestListDueMilestones(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := msStatusWorld(t, e)
		due := func(req *pactumv1.ListDueMilestonesRequest) string {
			t.Helper()
			res, err := e.Milestones.ListDueMilestones(ctx, connect.NewRequest(req))
			if err != nil {
				t.Fatal(err)
			}
			return msTitles(res.Msg.GetMilestones())
		}
		cases := []struct {
			name string
			req  *pactumv1.ListDueMilestonesRequest
			want string
		}{
			{"30 days, with overdue, never submitted ones", &pactumv1.ListDueMilestonesRequest{WithinDays: 30},
				"overdue-2026-01-10 overdue-2026-01-14 soon-today soon-2026-02-14"},
			{"60 days", &pactumv1.ListDueMilestonesRequest{WithinDays: 60},
				"overdue-2026-01-10 overdue-2026-01-14 soon-today soon-2026-02-14 upcoming-2026-02-15 upcoming-2026-03-16"},
			{"60 days without overdue", &pactumv1.ListDueMilestonesRequest{WithinDays: 60, ExcludeOverdue: true},
				"soon-today soon-2026-02-14 upcoming-2026-02-15 upcoming-2026-03-16"},
			{"1 day without overdue", &pactumv1.ListDueMilestonesRequest{WithinDays: 1, ExcludeOverdue: true}, "soon-today"},
			{"partner, 60 days", &pactumv1.ListDueMilestonesRequest{WithinDays: 60, ResponsibleOrganisation: w.partner.GetName()},
				"overdue-2026-01-10 soon-today upcoming-2026-02-15 upcoming-2026-03-16"},
			{"lead, 30 days without overdue", &pactumv1.ListDueMilestonesRequest{WithinDays: 30, ExcludeOverdue: true,
				ResponsibleOrganisation: w.lead.GetName()}, "soon-2026-02-14"},
			{"donor", &pactumv1.ListDueMilestonesRequest{WithinDays: 366, ResponsibleOrganisation: w.donor.GetName()}, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := due(c.req); got != c.want {
					t.Fatalf("got  %q\nwant %q", got, c.want)
				}
			})
		}
		// Pages of two.
		var pages []string
		token := ""
		for i := 0; i < 10; i++ {
			res, err := e.Milestones.ListDueMilestones(ctx, connect.NewRequest(&pactumv1.ListDueMilestonesRequest{WithinDays: 60, PageSize: 2, PageToken: token}))
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, msTitles(res.Msg.GetMilestones()))
			if token = res.Msg.GetNextPageToken(); token == "" {
				break
			}
		}
		if got := strings.Join(pages, " | "); got != "overdue-2026-01-10 overdue-2026-01-14 | soon-today soon-2026-02-14 | upcoming-2026-02-15 upcoming-2026-03-16" {
			t.Fatalf("pages %q", got)
		}
		bad := []struct {
			name  string
			req   *pactumv1.ListDueMilestonesRequest
			field string
		}{
			{"no window", &pactumv1.ListDueMilestonesRequest{}, "within_days"},
			{"window over a year", &pactumv1.ListDueMilestonesRequest{WithinDays: 367}, "within_days"},
			{"negative page size", &pactumv1.ListDueMilestonesRequest{WithinDays: 30, PageSize: -1}, "page_size"},
			{"malformed token", &pactumv1.ListDueMilestonesRequest{WithinDays: 30, PageToken: "garbage!"}, "page_token"},
			{"malformed organisation", &pactumv1.ListDueMilestonesRequest{WithinDays: 30, ResponsibleOrganisation: "grants/x"}, "responsible_organisation"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.Milestones.ListDueMilestones(ctx, connect.NewRequest(c.req))
				rpctest.ExpectViolation(t, err, c.field)
			})
		}
	})
}

func TestUpdateMilestone(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newMsWorld(t, e)
		m := w.create(t, w.valid())
		update := func(p *pactumv1.Milestone, paths ...string) (*pactumv1.Milestone, error) {
			if p.GetEtag() == "" {
				p.Etag = e.ETag(p.GetName()) // the etag is required: the current one
			}
			req := &pactumv1.UpdateMilestoneRequest{Milestone: p}
			if len(paths) > 0 {
				req.UpdateMask = &fieldmaskpb.FieldMask{Paths: paths}
			}
			res, err := e.Milestones.UpdateMilestone(ctx, connect.NewRequest(req))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetMilestone(), nil
		}

		// Only the masked fields change.
		u, err := update(&pactumv1.Milestone{Name: m.GetName(), DueDate: "2026-02-01", Title: "ignored", Etag: m.GetEtag()}, "due_date")
		if err != nil {
			t.Fatal(err)
		}
		if u.GetDueDate() != "2026-02-01" || u.GetTitle() != "Expenditure verification" || u.GetEtag() == m.GetEtag() ||
			u.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_DUE_SOON || u.GetEdited() {
			t.Fatalf("after update: %v", u)
		}
		// Without a mask, the fields set; the project can be cleared with a mask.
		u, err = update(&pactumv1.Milestone{Name: m.GetName(), Title: "Q1 update", ResponsibleOrganisation: w.lead.GetName()})
		if err != nil || u.GetTitle() != "Q1 update" || u.GetResponsibleOrganisation() != w.lead.GetName() || u.GetDueDate() != "2026-02-01" {
			t.Fatalf("update without mask: %v %v", u, err)
		}
		u, err = update(&pactumv1.Milestone{Name: m.GetName()}, "project", "period_start_date", "period_end_date")
		if err != nil || u.GetProject() != "" || u.GetPeriodStartDate() != "" || u.GetPeriodEndDate() != "" {
			t.Fatalf("clearing project and period: %v %v", u, err)
		}
		// The old etag is stale now.
		_, err = update(&pactumv1.Milestone{Name: m.GetName(), Title: "X", Etag: m.GetEtag()})
		rpctest.ExpectCode(t, err, connect.CodeAborted)

		// Refused values name their field and write nothing.
		bad := []struct {
			name  string
			p     *pactumv1.Milestone
			paths []string
			field string
		}{
			{"grant is not updatable", &pactumv1.Milestone{Name: m.GetName(), Grant: w.otherGrant}, []string{"grant"}, "update_mask"},
			{"status is output only", &pactumv1.Milestone{Name: m.GetName()}, []string{"status"}, "update_mask"},
			{"nothing to update", &pactumv1.Milestone{Name: m.GetName()}, nil, "update_mask"},
			{"project of another grant", &pactumv1.Milestone{Name: m.GetName(), Project: w.otherProject}, nil, "milestone.project"},
			{"clearing the due date", &pactumv1.Milestone{Name: m.GetName()}, []string{"due_date"}, "milestone.due_date"},
			{"impossible due date", &pactumv1.Milestone{Name: m.GetName(), DueDate: "2026-04-31"}, nil, "milestone.due_date"},
			{"period end before start", &pactumv1.Milestone{Name: m.GetName(), PeriodStartDate: "2026-03-01", PeriodEndDate: "2026-02-28"},
				nil, "milestone.period_end_date"},
			{"unknown kind", &pactumv1.Milestone{Name: m.GetName(), Kind: 77}, nil, "milestone.kind"},
			{"clearing the kind", &pactumv1.Milestone{Name: m.GetName()}, []string{"kind"}, "milestone.kind"},
			{"unknown organisation", &pactumv1.Milestone{Name: m.GetName(), ResponsibleOrganisation: "organisations/nope"}, nil,
				"milestone.responsible_organisation"},
			{"malformed name", &pactumv1.Milestone{Name: "grants/x", Title: "X"}, nil, "milestone.name"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				_, err := update(c.p, c.paths...)
				rpctest.ExpectViolation(t, err, c.field)
			})
		}
		get, err := e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: m.GetName()}))
		if err != nil || get.Msg.GetMilestone().GetEtag() != u.GetEtag() || get.Msg.GetMilestone().GetDueDate() != "2026-02-01" {
			t.Fatalf("after refused updates: %v %v", get, err)
		}
		_, err = update(&pactumv1.Milestone{Name: "milestones/nope", Title: "X"})
		rpctest.ExpectCode(t, err, connect.CodeNotFound)

		// A generated milestone that is changed is marked edited.
		w.generate(t)
		res, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{
			Kind: pactumv1.MilestoneKind_MILESTONE_KIND_FINAL_NARRATIVE_REPORT}))
		if err != nil || len(res.Msg.GetMilestones()) != 1 {
			t.Fatalf("final narrative report: %v %v", res, err)
		}
		final := res.Msg.GetMilestones()[0]
		u, err = update(&pactumv1.Milestone{Name: final.GetName(), DueDate: "2028-02-29", Etag: final.GetEtag()})
		if err != nil || !u.GetEdited() || !u.GetGenerated() || u.GetDueDate() != "2028-02-29" {
			t.Fatalf("editing a generated milestone: %v %v", u, err)
		}

		// A submitted milestone is a record: it no longer changes.
		s := w.submit(t, u)
		_, err = update(&pactumv1.Milestone{Name: s.GetName(), Title: "Late change"})
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		msExpectReason(t, err, "MILESTONE_SUBMITTED")
	})
}

func TestSubmitAndAcceptMilestone(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newMsWorld(t, e)
		m := w.due(t, "overdue report", "2026-01-05", w.partner)
		if m.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE {
			t.Fatalf("status %v, want overdue", m.GetStatus())
		}
		submit := func(name, etag string) (*pactumv1.Milestone, error) {
			res, err := e.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: name, Etag: etag}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetMilestone(), nil
		}
		accept := func(name, etag string) (*pactumv1.Milestone, error) {
			res, err := e.Milestones.AcceptMilestone(ctx, connect.NewRequest(&pactumv1.AcceptMilestoneRequest{Name: name, Etag: etag}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetMilestone(), nil
		}
		_, err := accept(m.GetName(), "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		msExpectReason(t, err, "MILESTONE_NOT_SUBMITTED")
		_, err = submit(m.GetName(), `"zz"`)
		rpctest.ExpectCode(t, err, connect.CodeAborted)

		s, err := submit(m.GetName(), m.GetEtag())
		if err != nil {
			t.Fatal(err)
		}
		if s.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED || !s.GetSubmitTime().AsTime().Equal(msToday) ||
			s.GetAcceptTime() != nil || s.GetEtag() == m.GetEtag() {
			t.Fatalf("after submit: %v", s)
		}
		_, err = submit(m.GetName(), "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		msExpectReason(t, err, "MILESTONE_SUBMITTED")

		later := msToday.Add(48 * time.Hour)
		w.setToday(later)
		a, err := accept(m.GetName(), s.GetEtag())
		if err != nil {
			t.Fatal(err)
		}
		if a.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED || !a.GetAcceptTime().AsTime().Equal(later) ||
			!a.GetSubmitTime().AsTime().Equal(msToday) {
			t.Fatalf("after accept: %v", a)
		}
		_, err = accept(m.GetName(), "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		msExpectReason(t, err, "MILESTONE_ACCEPTED")
		_, err = submit(m.GetName(), "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		get, err := e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: m.GetName()}))
		if err != nil || get.Msg.GetMilestone().GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED ||
			get.Msg.GetMilestone().GetEtag() != a.GetEtag() {
			t.Fatalf("stored after accept: %v %v", get, err)
		}
		_, err = submit("milestones/nope", "")
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = accept("projects/x", "")
		rpctest.ExpectViolation(t, err, "name")
	})
}

func TestDeleteMilestone(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newMsWorld(t, e)
		w.generate(t)
		del := func(name, etag string) error {
			_, err := e.Milestones.DeleteMilestone(ctx, connect.NewRequest(&pactumv1.DeleteMilestoneRequest{Name: name, Etag: etag}))
			return err
		}
		res, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{Grant: w.grant, PageSize: 1}))
		if err != nil || len(res.Msg.GetMilestones()) != 1 {
			t.Fatalf("generated: %v %v", res, err)
		}
		generated := res.Msg.GetMilestones()[0]
		err = del(generated.GetName(), "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		msExpectReason(t, err, "MILESTONE_GENERATED")

		submitted := w.submit(t, w.due(t, "submitted", "2026-01-10", w.partner))
		err = del(submitted.GetName(), "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		msExpectReason(t, err, "MILESTONE_HAS_HISTORY")
		accepted := w.accept(t, w.submit(t, w.due(t, "accepted", "2026-01-10", w.partner)))
		err = del(accepted.GetName(), "")
		msExpectReason(t, err, "MILESTONE_HAS_HISTORY")

		open := w.due(t, "open", "2026-05-01", w.partner)
		rpctest.ExpectCode(t, del(open.GetName(), `"zz"`), connect.CodeAborted)
		rpctest.ExpectCode(t, del(open.GetName(), open.GetEtag()), 0)
		_, err = e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: open.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		rpctest.ExpectCode(t, del(open.GetName(), ""), connect.CodeNotFound)
		rpctest.ExpectViolation(t, del("grants/x", ""), "name")
		// 7 generated, the submitted and the accepted one are left.
		if n := msCount(t, e, "milestones"); n != 9 {
			t.Fatalf("milestones left = %d, want 9", n)
		}
	})
}
