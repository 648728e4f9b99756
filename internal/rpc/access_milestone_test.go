package rpc_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// acmWorld is two organisations' data, made through the API by an admin:
//
//   - grant G1, led by L, with project P1 (partner A, Kenya) and P2 (partner
//     B, Nepal); its generated reporting milestones (responsible L) and four
//     made by hand: "A-P1" (P1's progress update, responsible A), "L-P1"
//     (P1's, responsible L), "A-G1" (the whole grant's, responsible A) and
//     "B-P2" (P2's progress update, responsible B);
//   - grant G2, led by L2, with project P3 (L2 only) and its generated
//     milestones (responsible L2).
//
// Every milestone has a label ("G1 Final narrative report" for generated
// ones) so that lists read as sets of labels.
type acmWorld struct {
	e                            *rpctest.Env
	donor, lead, lead2, orgA     *pactumv1.Organisation
	orgB                         *pactumv1.Organisation
	g1, g2                       string // resource names
	p1, p2, p3                   string
	aP1, lP1, aG1, bP2, g2Report *pactumv1.Milestone
	label                        map[string]string // milestone name -> label
	all                          []*pactumv1.Milestone
}

func newAcmWorld(t *testing.T, e *rpctest.Env) *acmWorld {
	t.Helper()
	ctx := context.Background()
	w := &acmWorld{e: e, label: map[string]string{}}
	w.donor = createOrg(t, e, newOrg("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR))
	w.lead = createOrg(t, e, newOrg("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
	w.lead2 = createOrg(t, e, newOrg("Southern Labour Alliance", "SLA", "ZA", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
	w.orgA = createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
	w.orgB = createOrg(t, e, newOrg("Nepal Trade Union Centre", "NTUC", "NP", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
	w.g1 = w.createGrant(t, "SGA/2025/1", w.lead)
	w.g2 = w.createGrant(t, "SGA/2025/2", w.lead2)
	w.p1 = w.createProject(t, w.g1, "KE-01", "KE", w.lead, w.orgA)
	w.p2 = w.createProject(t, w.g1, "NP-01", "NP", w.lead, w.orgB)
	w.p3 = w.createProject(t, w.g2, "ZA-01", "ZA", w.lead2, nil)
	e.Services.Milestones.SetClock(func() time.Time { return msToday })

	// The generated milestones, labelled by grant.
	for _, g := range []struct{ name, label string }{{w.g1, "G1"}, {w.g2, "G2"}} {
		res, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{Grant: g.name, PageSize: 100}))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Msg.GetMilestones()) < 2 {
			t.Fatalf("%s generated %d milestones", g.label, len(res.Msg.GetMilestones()))
		}
		for _, m := range res.Msg.GetMilestones() {
			if !m.GetGenerated() {
				t.Fatalf("%s has a milestone made by hand: %v", g.label, m)
			}
			w.label[m.GetName()] = g.label + " " + m.GetTitle()
			if g.name == w.g2 && m.GetKind() == pactumv1.MilestoneKind_MILESTONE_KIND_FINAL_NARRATIVE_REPORT {
				w.g2Report = m
			}
		}
	}
	w.aP1 = w.make(t, "A-P1", w.g1, w.p1, w.orgA, pactumv1.MilestoneKind_MILESTONE_KIND_EXPENDITURE_VERIFICATION, "2026-02-01")
	w.lP1 = w.make(t, "L-P1", w.g1, w.p1, w.lead, pactumv1.MilestoneKind_MILESTONE_KIND_PAYMENT_REQUEST, "2026-02-05")
	w.aG1 = w.make(t, "A-G1", w.g1, "", w.orgA, pactumv1.MilestoneKind_MILESTONE_KIND_PAYMENT_REQUEST, "2026-02-10")
	w.bP2 = w.make(t, "B-P2", w.g1, w.p2, w.orgB, pactumv1.MilestoneKind_MILESTONE_KIND_EXPENDITURE_VERIFICATION, "2026-02-01")
	res, err := e.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{PageSize: 100}))
	if err != nil {
		t.Fatal(err)
	}
	w.all = res.Msg.GetMilestones()
	if len(w.all) != len(w.label) {
		t.Fatalf("admin lists %d milestones, %d were made", len(w.all), len(w.label))
	}
	return w
}

func (w *acmWorld) createGrant(t *testing.T, ref string, lead *pactumv1.Organisation) string {
	t.Helper()
	res, err := w.e.Grants.CreateGrant(context.Background(), connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
		Donor: w.donor.GetName(), LeadOrganisation: lead.GetName(), DonorReference: ref,
		Title: "Decent work for domestic workers", CurrencyCode: "EUR", StartDate: "2025-01-01", EndDate: "2027-12-31",
		TotalEligibleCosts: "1250000.00", MaxDonorContribution: "1125000.00", CoFinancingRate: "90", ReportingPeriodMonths: 12,
	}}))
	if err != nil {
		t.Fatalf("create grant %s: %v", ref, err)
	}
	return res.Msg.GetGrant().GetName()
}

// createProject makes a project of grant coordinated by lead, with partner
// (if any) as implementing partner.
func (w *acmWorld) createProject(t *testing.T, grant, code, country string, lead, partner *pactumv1.Organisation) string {
	t.Helper()
	parts := []*pactumv1.Participant{{Organisation: lead.GetName(), Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR}}
	if partner != nil {
		parts = append(parts, &pactumv1.Participant{Organisation: partner.GetName(), Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_CO_BENEFICIARY})
	}
	res, err := w.e.Projects.CreateProject(context.Background(), connect.NewRequest(&pactumv1.CreateProjectRequest{Project: &pactumv1.Project{
		Grant: grant, Code: code, Title: "Organising domestic workers", CountryCodes: []string{country},
		Participants: parts, StartDate: "2025-02-01", EndDate: "2026-11-30", // inside G2 shortened, too
	}}))
	if err != nil {
		t.Fatalf("create project %s: %v", code, err)
	}
	return res.Msg.GetProject().GetName()
}

func (w *acmWorld) make(t *testing.T, label, grant, project string, org *pactumv1.Organisation, kind pactumv1.MilestoneKind, due string) *pactumv1.Milestone {
	t.Helper()
	m := w.create(t, w.e.Clients, label, grant, project, org, kind, due)
	w.label[m.GetName()] = label
	return m
}

func (w *acmWorld) create(t *testing.T, c rpctest.Clients, title, grant, project string, org *pactumv1.Organisation, kind pactumv1.MilestoneKind, due string) *pactumv1.Milestone {
	t.Helper()
	res, err := c.Milestones.CreateMilestone(context.Background(), connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
		Grant: grant, Project: project, Kind: kind, Title: title, DueDate: due, ResponsibleOrganisation: org.GetName(),
	}}))
	if err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	return res.Msg.GetMilestone()
}

// labels returns the sorted labels of ms.
func (w *acmWorld) labels(ms []*pactumv1.Milestone) string {
	var out []string
	for _, m := range ms {
		l, ok := w.label[m.GetName()]
		if !ok {
			l = "unknown " + m.GetName()
		}
		out = append(out, l)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// where returns the sorted labels of the milestones (as the admin listed
// them) that keep says to keep.
func (w *acmWorld) where(keep func(label string, m *pactumv1.Milestone) bool) string {
	var out []*pactumv1.Milestone
	for _, m := range w.all {
		if keep(w.label[m.GetName()], m) {
			out = append(out, m)
		}
	}
	return w.labels(out)
}

func acmOrgID(o *pactumv1.Organisation) string { return msID(o.GetName()) }

func TestMilestoneAccessByRole(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newAcmWorld(t, e)
		g1, g2 := msID(w.g1), msID(w.g2)

		admin := &e.Clients
		coordinator := e.As(t, rpctest.Member(actor.RoleCoordinator, acmOrgID(w.lead)))
		finance := e.As(t, rpctest.Member(actor.RoleFinance, acmOrgID(w.lead)))
		auditor := e.As(t, rpctest.Member(actor.RoleAuditor, acmOrgID(w.donor), g1))
		editorA := e.As(t, rpctest.Member(actor.RolePartnerEditor, acmOrgID(w.orgA)))
		viewerA := e.As(t, rpctest.Member(actor.RolePartnerViewer, acmOrgID(w.orgA)))
		editorB := e.As(t, rpctest.Member(actor.RolePartnerEditor, acmOrgID(w.orgB)))
		coordinatorG2 := e.As(t, rpctest.Member(actor.RoleCoordinator, acmOrgID(w.lead), g2)) // of L, limited to G2 (led by L2)

		everything := w.where(func(string, *pactumv1.Milestone) bool { return true })
		ofG1 := w.where(func(_ string, m *pactumv1.Milestone) bool { return m.GetGrant() == w.g1 })
		ofG2 := w.where(func(_ string, m *pactumv1.Milestone) bool { return m.GetGrant() == w.g2 })
		ofA := "A-G1, A-P1, L-P1" // P1's, and those A is responsible for
		if ofG1 == "A-G1, A-P1, B-P2, L-P1" || !strings.Contains(ofG2, "G2 Final narrative report") {
			t.Fatalf("the world lacks generated milestones: G1 %q, G2 %q", ofG1, ofG2)
		}
		// Due within a year of 2026-01-15, as the admin sees them.
		dueBy := func(keep func(m *pactumv1.Milestone) bool) string {
			return w.where(func(_ string, m *pactumv1.Milestone) bool {
				return keep(m) && m.GetDueDate() <= "2027-01-16" && m.GetSubmitTime() == nil
			})
		}
		dueEverything := dueBy(func(*pactumv1.Milestone) bool { return true })
		dueG1 := dueBy(func(m *pactumv1.Milestone) bool { return m.GetGrant() == w.g1 })
		dueG2 := dueBy(func(m *pactumv1.Milestone) bool { return m.GetGrant() == w.g2 })
		if !strings.Contains(dueG2, "G2 ") || !strings.Contains(dueG1, "G1 ") {
			t.Fatalf("no generated milestone falls due within the year: %q / %q", dueG1, dueG2)
		}

		// Reading: what each caller lists, and what they may not get.
		reads := []struct {
			name      string
			c         *rpctest.Clients
			list, due string
			hidden    []*pactumv1.Milestone // GetMilestone: NOT_FOUND
			visible   []*pactumv1.Milestone // GetMilestone: found
		}{
			{"admin", admin, everything, dueEverything, nil, []*pactumv1.Milestone{w.bP2, w.g2Report}},
			{"coordinator of L", coordinator, ofG1, dueG1, []*pactumv1.Milestone{w.g2Report}, []*pactumv1.Milestone{w.aP1, w.bP2}},
			{"coordinator of L for G2 only", coordinatorG2, ofG2, dueG2, []*pactumv1.Milestone{w.aP1}, []*pactumv1.Milestone{w.g2Report}},
			{"finance of L", finance, ofG1, dueG1, []*pactumv1.Milestone{w.g2Report}, []*pactumv1.Milestone{w.aP1, w.bP2}},
			{"auditor of G1", auditor, ofG1, dueG1, []*pactumv1.Milestone{w.g2Report}, []*pactumv1.Milestone{w.bP2}},
			{"partner editor of A", editorA, ofA, ofA, []*pactumv1.Milestone{w.bP2, w.g2Report}, []*pactumv1.Milestone{w.aP1, w.lP1, w.aG1}},
			{"partner viewer of A", viewerA, ofA, ofA, []*pactumv1.Milestone{w.bP2, w.g2Report}, []*pactumv1.Milestone{w.aP1, w.aG1}},
			{"partner editor of B", editorB, "B-P2", "B-P2", []*pactumv1.Milestone{w.aP1, w.lP1, w.aG1, w.g2Report}, []*pactumv1.Milestone{w.bP2}},
		}
		for _, r := range reads {
			t.Run("read/"+r.name, func(t *testing.T) {
				res, err := r.c.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{PageSize: 100}))
				if err != nil {
					t.Fatal(err)
				}
				if got := w.labels(res.Msg.GetMilestones()); got != r.list {
					t.Errorf("ListMilestones:\n got %s\nwant %s", got, r.list)
				}
				due, err := r.c.Milestones.ListDueMilestones(ctx, connect.NewRequest(&pactumv1.ListDueMilestonesRequest{WithinDays: 366, PageSize: 100}))
				if err != nil {
					t.Fatal(err)
				}
				if got := w.labels(due.Msg.GetMilestones()); got != r.due {
					t.Errorf("ListDueMilestones:\n got %s\nwant %s", got, r.due)
				}
				// Pages are cut after scoping: pages of one give the same set.
				var paged []*pactumv1.Milestone
				token := ""
				for i := 0; i < 50; i++ {
					res, err := r.c.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{PageSize: 1, PageToken: token}))
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, res.Msg.GetMilestones()...)
					if token = res.Msg.GetNextPageToken(); token == "" {
						break
					}
				}
				if got := w.labels(paged); got != r.list {
					t.Errorf("ListMilestones in pages of one:\n got %s\nwant %s", got, r.list)
				}
				for _, m := range r.hidden {
					_, err := r.c.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: m.GetName()}))
					if rpctest.Code(err) != connect.CodeNotFound {
						t.Errorf("GetMilestone %s: %v, want NOT_FOUND", w.label[m.GetName()], err)
					}
				}
				for _, m := range r.visible {
					res, err := r.c.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: m.GetName()}))
					if err != nil || res.Msg.GetMilestone().GetEtag() != m.GetEtag() {
						t.Errorf("GetMilestone %s: %v", w.label[m.GetName()], err)
					}
				}
			})
		}
		// Filters do not widen the scope: a partner asking for G2 or B's
		// milestones gets none.
		for _, req := range []*pactumv1.ListMilestonesRequest{
			{Grant: w.g2}, {ResponsibleOrganisation: w.orgB.GetName()}, {Project: w.p2}, {Project: w.p3},
		} {
			res, err := editorA.Milestones.ListMilestones(ctx, connect.NewRequest(req))
			if err != nil || len(res.Msg.GetMilestones()) != 0 {
				t.Errorf("partner A lists %v: %s (%v)", req, w.labels(res.Msg.GetMilestones()), err)
			}
		}
		res, err := editorA.Milestones.ListDueMilestones(ctx, connect.NewRequest(&pactumv1.ListDueMilestonesRequest{
			WithinDays: 366, ResponsibleOrganisation: w.orgB.GetName()}))
		if err != nil || len(res.Msg.GetMilestones()) != 0 {
			t.Errorf("partner A's due list for B: %v (%v)", res, err)
		}

		// Changing: in order, each on the state the ones before left.
		update := func(m *pactumv1.Milestone, title string) func(c *rpctest.Clients) error {
			return func(c *rpctest.Clients) error {
				_, err := c.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
					Milestone: &pactumv1.Milestone{Name: m.GetName(), Etag: e.ETag(m.GetName()), Title: title}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
				return err
			}
		}
		submit := func(m *pactumv1.Milestone) func(c *rpctest.Clients) error {
			return func(c *rpctest.Clients) error {
				_, err := c.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: m.GetName()}))
				return err
			}
		}
		accept := func(m *pactumv1.Milestone) func(c *rpctest.Clients) error {
			return func(c *rpctest.Clients) error {
				_, err := c.Milestones.AcceptMilestone(ctx, connect.NewRequest(&pactumv1.AcceptMilestoneRequest{Name: m.GetName()}))
				return err
			}
		}
		del := func(m *pactumv1.Milestone) func(c *rpctest.Clients) error {
			return func(c *rpctest.Clients) error {
				_, err := c.Milestones.DeleteMilestone(ctx, connect.NewRequest(&pactumv1.DeleteMilestoneRequest{Name: m.GetName()}))
				return err
			}
		}
		create := func(grant, project string, org *pactumv1.Organisation) func(c *rpctest.Clients) error {
			return func(c *rpctest.Clients) error {
				_, err := c.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
					Grant: grant, Project: project, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_PAYMENT_REQUEST,
					DueDate: "2026-06-30", ResponsibleOrganisation: org.GetName(),
				}}))
				return err
			}
		}
		writes := []struct {
			name  string
			c     *rpctest.Clients
			do    func(c *rpctest.Clients) error
			want  connect.Code
			field string // for INVALID_ARGUMENT: the field named
		}{
			{"finance cannot update", finance, update(w.aP1, "x"), connect.CodePermissionDenied, ""},
			{"finance cannot submit", finance, submit(w.aP1), connect.CodePermissionDenied, ""},
			{"finance cannot create in G1", finance, create(w.g1, w.p1, w.orgA), connect.CodePermissionDenied, ""},
			{"finance cannot delete", finance, del(w.aG1), connect.CodePermissionDenied, ""},
			{"auditor cannot update", auditor, update(w.bP2, "x"), connect.CodePermissionDenied, ""},
			{"auditor cannot delete", auditor, del(w.aP1), connect.CodePermissionDenied, ""},
			{"auditor does not see G2's", auditor, update(w.g2Report, "x"), connect.CodeNotFound, ""},
			{"partner editor cannot update its own", editorA, update(w.aP1, "x"), connect.CodePermissionDenied, ""},
			{"partner editor cannot delete", editorA, del(w.aP1), connect.CodePermissionDenied, ""},
			{"partner editor cannot create in its grant", editorA, create(w.g1, w.p1, w.orgA), connect.CodePermissionDenied, ""},
			{"partner editor: G2 does not exist", editorA, create(w.g2, "", w.orgA), connect.CodeInvalidArgument, "milestone.grant"},
			{"partner editor does not see B's", editorA, submit(w.bP2), connect.CodeNotFound, ""},
			{"partner editor cannot update B's", editorA, update(w.bP2, "x"), connect.CodeNotFound, ""},
			{"partner editor cannot submit the lead's", editorA, submit(w.lP1), connect.CodePermissionDenied, ""},
			{"partner viewer cannot submit", viewerA, submit(w.aP1), connect.CodePermissionDenied, ""},
			{"partner editor of B cannot submit A's", editorB, submit(w.aP1), connect.CodeNotFound, ""},
			{"partner editor submits its own", editorA, submit(w.aP1), 0, ""},
			{"partner editor submits its grant-level one", editorA, submit(w.aG1), 0, ""},
			{"partner editor cannot accept", editorA, accept(w.aP1), connect.CodePermissionDenied, ""},
			{"coordinator of L for G2 cannot accept G1's", coordinatorG2, accept(w.aP1), connect.CodeNotFound, ""},
			{"coordinator of L does not see G2's", coordinator, update(w.g2Report, "x"), connect.CodeNotFound, ""},
			{"coordinator of L: G2 does not exist", coordinator, create(w.g2, "", w.lead), connect.CodeInvalidArgument, "milestone.grant"},
			{"coordinator of L: P3 does not exist", coordinator, create(w.g1, w.p3, w.lead), connect.CodeInvalidArgument, "milestone.project"},
			{"coordinator of L accepts", coordinator, accept(w.aP1), 0, ""},
			{"coordinator of L updates", coordinator, update(w.bP2, "B-P2 quarter 1"), 0, ""},
			{"coordinator of L creates in G1", coordinator, create(w.g1, w.p2, w.orgB), 0, ""},
			{"coordinator of L deletes", coordinator, del(w.lP1), 0, ""},
			{"coordinator of L for G2 updates G2's", coordinatorG2, update(w.g2Report, "Final narrative report (EN)"), 0, ""},
			{"admin updates anything", admin, update(w.bP2, "B-P2 Q1"), 0, ""},
		}
		for _, c := range writes {
			t.Run("write/"+c.name, func(t *testing.T) {
				err := c.do(c.c)
				if c.field != "" {
					rpctest.ExpectViolation(t, err, c.field)
					return
				}
				rpctest.ExpectCode(t, err, c.want)
			})
		}
		// A hidden grant or project is not described: no leak of its name.
		err = create(w.g1, w.p3, w.lead)(coordinator)
		if d := rpctest.Violations(err)["milestone.project"]; strings.Contains(d, g2) || !strings.Contains(d, "does not exist") {
			t.Errorf("a project of a hidden grant is described as %q", d)
		}
		// The refused writes changed nothing; the allowed ones did.
		get := func(m *pactumv1.Milestone) *pactumv1.Milestone {
			t.Helper()
			res, err := admin.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: m.GetName()}))
			if err != nil {
				t.Fatal(err)
			}
			return res.Msg.GetMilestone()
		}
		if m := get(w.aP1); m.GetTitle() != "A-P1" || m.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED {
			t.Errorf("A-P1 is %q, %v; want its title, accepted", m.GetTitle(), m.GetStatus())
		}
		if m := get(w.aG1); m.GetSubmitTime() == nil || m.GetTitle() != "A-G1" {
			t.Errorf("A-G1: %v", m)
		}
		if m := get(w.bP2); m.GetTitle() != "B-P2 Q1" || m.GetSubmitTime() != nil {
			t.Errorf("B-P2: %v", m)
		}
		if m := get(w.g2Report); m.GetTitle() != "Final narrative report (EN)" {
			t.Errorf("G2's final narrative report: %v", m)
		}
		_, err = admin.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: w.lP1.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

// acmEvents returns the audit events of resource, oldest first.
func acmEvents(t *testing.T, e *rpctest.Env, resource string) []audit.Event {
	t.Helper()
	var out []audit.Event
	if err := e.DB.NewSelect().Model(&out).Where("resource = ?", resource).OrderExpr("seq ASC").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

func acmCountEvents(t *testing.T, e *rpctest.Env) int {
	t.Helper()
	return msCount(t, e, "audit_events")
}

// acmChanges returns an event's changes by field.
func acmChanges(ev audit.Event) map[string]audit.Change {
	out := map[string]audit.Change{}
	for _, c := range ev.ChangeList() {
		out[c.Field] = c
	}
	return out
}

// acmExpectEvent checks one event: action, actor, grant and that exactly the
// fields named changed (those in wantNew with these new values, "*" for any
// non-empty value).
func acmExpectEvent(t *testing.T, ev audit.Event, action, actorName, grantID string, want map[string][2]string) {
	t.Helper()
	if ev.Action != action || ev.Actor != actorName || ev.GrantID == nil || *ev.GrantID != grantID {
		g := "<nil>"
		if ev.GrantID != nil {
			g = *ev.GrantID
		}
		t.Errorf("event %d: %s by %s on grant %s; want %s by %s on grant %s", ev.Seq, ev.Action, ev.Actor, g, action, actorName, grantID)
	}
	got := acmChanges(ev)
	for field, w := range want {
		c, ok := got[field]
		if !ok {
			t.Errorf("%s event: no change of %s in %s", action, field, ev.Changes)
			continue
		}
		for i, v := range []string{c.Old, c.New} {
			if (w[i] == "*" && v == "") || (w[i] != "*" && v != w[i]) {
				t.Errorf("%s event: %s changed %q -> %q, want %q -> %q", action, field, c.Old, c.New, w[0], w[1])
				break
			}
		}
	}
	if action == "update" || action == "submit" || action == "accept" || action == "regenerate" {
		if len(got) != len(want) {
			t.Errorf("%s event lists %d changed fields, want %d: %s", action, len(got), len(want), ev.Changes)
		}
	}
}

func TestMilestoneAccessAuditTrail(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newAcmWorld(t, e)
		g1, g2 := msID(w.g1), msID(w.g2)
		admin := "users/" + e.UserID
		coordinator := e.As(t, rpctest.Member(actor.RoleCoordinator, acmOrgID(w.lead)))
		finance := e.As(t, rpctest.Member(actor.RoleFinance, acmOrgID(w.lead)))
		editorA := e.As(t, rpctest.Member(actor.RolePartnerEditor, acmOrgID(w.orgA)))
		asCoordinator, asEditorA := "users/"+coordinator.UserID, "users/"+editorA.UserID

		// Generation at the grants' creation: one event per milestone, by
		// the admin who created the grant, with the grant's id.
		for _, m := range w.all {
			if !m.GetGenerated() {
				continue
			}
			evs := acmEvents(t, e, m.GetName())
			if len(evs) != 1 {
				t.Fatalf("%s has %d events, want 1", w.label[m.GetName()], len(evs))
			}
			acmExpectEvent(t, evs[0], "generate", admin, msID(m.GetGrant()), map[string][2]string{
				"due_date": {"", m.GetDueDate()}, "generator_key": {"", "*"}, "title": {"", m.GetTitle()},
				"grant_id": {"", msID(m.GetGrant())}, "responsible_organisation_id": {"", msID(m.GetResponsibleOrganisation())},
			})
		}

		// Create, with a request id: one event; the retry adds none.
		req := &pactumv1.CreateMilestoneRequest{RequestId: "6a1f0c9e-2b7d-4c8e-9f10-3a2b1c0d9e8f", Milestone: &pactumv1.Milestone{
			Grant: w.g1, Project: w.p1, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_EXPENDITURE_VERIFICATION,
			DueDate: "2026-04-30", ResponsibleOrganisation: w.orgA.GetName(),
		}}
		first, err := coordinator.Milestones.CreateMilestone(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		m := first.Msg.GetMilestone()
		total := acmCountEvents(t, e)
		again, err := coordinator.Milestones.CreateMilestone(ctx, connect.NewRequest(req))
		if err != nil || again.Msg.GetMilestone().GetName() != m.GetName() {
			t.Fatalf("retry: %v %v", again, err)
		}
		if n := acmCountEvents(t, e); n != total {
			t.Fatalf("the retry wrote %d events", n-total)
		}
		evs := acmEvents(t, e, m.GetName())
		if len(evs) != 1 {
			t.Fatalf("%d events after create, want 1", len(evs))
		}
		acmExpectEvent(t, evs[0], "create", asCoordinator, g1, map[string][2]string{
			"id": {"", msID(m.GetName())}, "grant_id": {"", g1}, "project_id": {"", msID(w.p1)},
			"kind": {"", "expenditure_verification"}, "title": {"", "Expenditure verification"}, "due_date": {"", "2026-04-30"},
			"responsible_organisation_id": {"", acmOrgID(w.orgA)},
		})

		// Refused changes write nothing: an invalid update, a denied one.
		_, err = coordinator.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
			Milestone: &pactumv1.Milestone{Name: m.GetName(), Etag: e.ETag(m.GetName()), DueDate: "2026-02-30"}}))
		rpctest.ExpectViolation(t, err, "milestone.due_date")
		_, err = coordinator.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
			Milestone: &pactumv1.Milestone{Name: m.GetName(), Etag: e.ETag(m.GetName()), Project: w.p3}}))
		rpctest.ExpectViolation(t, err, "milestone.project")
		_, err = finance.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
			Milestone: &pactumv1.Milestone{Name: m.GetName(), Etag: e.ETag(m.GetName()), DueDate: "2026-05-15"}}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = editorA.Milestones.AcceptMilestone(ctx, connect.NewRequest(&pactumv1.AcceptMilestoneRequest{Name: m.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if n := acmCountEvents(t, e); n != total {
			t.Fatalf("refused changes wrote %d events", n-total)
		}

		// Update: only the changed fields, old and new.
		_, err = coordinator.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
			Milestone: &pactumv1.Milestone{Name: m.GetName(), Etag: e.ETag(m.GetName()), DueDate: "2026-05-15", Title: "Expenditure verification"}}))
		if err != nil {
			t.Fatal(err)
		}
		// Submit by the partner, accept by the coordinator.
		if _, err := editorA.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: m.GetName()})); err != nil {
			t.Fatal(err)
		}
		if _, err := coordinator.Milestones.AcceptMilestone(ctx, connect.NewRequest(&pactumv1.AcceptMilestoneRequest{Name: m.GetName()})); err != nil {
			t.Fatal(err)
		}
		evs = acmEvents(t, e, m.GetName())
		if len(evs) != 4 {
			t.Fatalf("%d events after update, submit and accept, want 4", len(evs))
		}
		acmExpectEvent(t, evs[1], "update", asCoordinator, g1, map[string][2]string{"due_date": {"2026-04-30", "2026-05-15"}})
		// (The time's text is the audit package's business.)
		acmExpectEvent(t, evs[2], "submit", asEditorA, g1, map[string][2]string{"submit_time": {"", "*"}})
		acmExpectEvent(t, evs[3], "accept", asCoordinator, g1, map[string][2]string{"accept_time": {"", "*"}})

		// Delete: the old values, no new ones.
		open := w.create(t, *coordinator, "to be deleted", w.g1, "", w.lead, pactumv1.MilestoneKind_MILESTONE_KIND_PAYMENT_REQUEST, "2026-07-01")
		if _, err := coordinator.Milestones.DeleteMilestone(ctx, connect.NewRequest(&pactumv1.DeleteMilestoneRequest{Name: open.GetName()})); err != nil {
			t.Fatal(err)
		}
		evs = acmEvents(t, e, open.GetName())
		if len(evs) != 2 || evs[0].Action != "create" {
			t.Fatalf("events of a deleted milestone: %+v", evs)
		}
		acmExpectEvent(t, evs[1], "delete", asCoordinator, g1, map[string][2]string{
			"id": {msID(open.GetName()), ""}, "title": {"to be deleted", ""}, "due_date": {"2026-07-01", ""},
		})

		// Regeneration: G2 ends a year earlier. Its untouched final reports
		// move (regenerate, with the due dates), its second-period interim
		// reports go (delete); G1's milestones are not touched.
		before := map[string]*pactumv1.Milestone{}
		for _, m := range w.all {
			before[m.GetName()] = m
		}
		g1Events := acmCountWhere(t, e, "grant_id = ?", g1)
		_, err = e.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant: &pactumv1.Grant{Name: w.g2, Etag: e.ETag(w.g2), EndDate: "2026-12-31"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"end_date"}}}))
		if err != nil {
			t.Fatal(err)
		}
		var regenerated, deleted int
		for name, m := range before {
			if m.GetGrant() != w.g2 {
				continue
			}
			evs := acmEvents(t, e, name)
			last := evs[len(evs)-1]
			switch last.Action {
			case "regenerate":
				regenerated++
				c := acmChanges(last)["due_date"]
				if c.Old != m.GetDueDate() || c.New == "" || c.New >= c.Old {
					t.Errorf("%s regenerated with due date %q -> %q (was due %s)", w.label[name], c.Old, c.New, m.GetDueDate())
				}
				acmExpectEvent(t, last, "regenerate", admin, g2, map[string][2]string{
					"due_date": {m.GetDueDate(), c.New}, "period_end_date": {"2027-12-31", "2026-12-31"}})
			case "delete":
				deleted++
				acmExpectEvent(t, last, "delete", admin, g2, map[string][2]string{
					"due_date": {m.GetDueDate(), ""}, "generator_key": {"*", ""}})
				_, err := e.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: name}))
				rpctest.ExpectCode(t, err, connect.CodeNotFound)
			}
		}
		if regenerated == 0 || deleted == 0 {
			t.Errorf("shortening G2 regenerated %d and deleted %d milestones; want some of each", regenerated, deleted)
		}
		if n := acmCountWhere(t, e, "grant_id = ?", g1); n != g1Events {
			t.Errorf("regenerating G2 wrote %d events on G1", n-g1Events)
		}

		res, err := audit.Verify(ctx, e.DB, dbtest.AuditKey, nil)
		if err != nil || !res.OK() {
			t.Fatalf("audit chain: %+v %v", res, err)
		}
		if res.Events < 20 {
			t.Fatalf("chain of %d events", res.Events)
		}
	})
}

func acmCountWhere(t *testing.T, e *rpctest.Env, where string, args ...any) int {
	t.Helper()
	n, err := e.DB.NewSelect().Table("audit_events").Where(where, args...).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
