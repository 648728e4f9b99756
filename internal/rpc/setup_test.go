package rpc_test

// Setting a grant up and keeping it true (issue 14, points 1, 3 and 6):
// closing and reopening agreements and projects, milestones made by hand
// (the donor's request for additional information, due in 30 days), moved
// and cancelled with their reason, and generated milestones following the
// grant's dates while hand-made and edited ones stay.

import (
	"context"
	"slices"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// setupWorld: a donor, a lead L and partner A; an agreement FA led by L and
// a 36-month grant G under it with a project P (L coordinator, A partner).
type setupWorld struct {
	e                  *rpctest.Env
	donor, lead, orgA  *pactumv1.Organisation
	fa                 *pactumv1.FrameworkAgreement
	grant, project     string
	coordinator, other *rpctest.Clients
}

var setupToday = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

func newSetupWorld(t *testing.T, e *rpctest.Env) *setupWorld {
	t.Helper()
	ctx := context.Background()
	w := &setupWorld{e: e}
	e.Services.Milestones.SetClock(func() time.Time { return setupToday })
	w.donor = createOrg(t, e, newOrg("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR))
	w.lead = createOrg(t, e, newOrg("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
	w.orgA = createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
	w.fa = mustCreateAgreement(t, e, &pactumv1.FrameworkAgreement{
		Reference: "FPA 2015/001", Title: "Decent work", Donor: w.donor.GetName(), LeadOrganisation: w.lead.GetName(),
		StartDate: "2015-04-01", EndDate: "2030-12-31", CurrencyCode: "EUR",
	})
	w.coordinator = e.As(t, rpctest.Member(actor.RoleCoordinator, msID(w.lead.GetName())))
	w.other = e.As(t, rpctest.Member(actor.RolePartnerEditor, msID(w.orgA.GetName())))
	g, err := w.coordinator.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
		FrameworkAgreement: w.fa.GetName(), DonorReference: "CSO-LA/2025/1", Title: "Decent work for domestic workers",
		CurrencyCode: "EUR", StartDate: "2025-01-01", EndDate: "2027-12-31", TotalEligibleCosts: "1000000.00",
		MaxDonorContribution: "900000.00", CoFinancingRate: "90", ReportingPeriodMonths: 12,
	}}))
	if err != nil {
		t.Fatal(err)
	}
	w.grant = g.Msg.GetGrant().GetName()
	p, err := w.coordinator.Projects.CreateProject(ctx, connect.NewRequest(&pactumv1.CreateProjectRequest{Project: &pactumv1.Project{
		Grant: w.grant, Code: "KE-01", Title: "Organising domestic workers in Kenya", CountryCodes: []string{"KE"},
		Participants: []*pactumv1.Participant{
			{Organisation: w.lead.GetName(), Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR},
			{Organisation: w.orgA.GetName(), Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_CO_BENEFICIARY},
		},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	w.project = p.Msg.GetProject().GetName()
	return w
}

func (w *setupWorld) milestone(t *testing.T, c *rpctest.Clients, m *pactumv1.Milestone) *pactumv1.Milestone {
	t.Helper()
	res, err := c.Milestones.CreateMilestone(context.Background(), connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: m}))
	if err != nil {
		t.Fatalf("create milestone %q: %v", m.GetTitle(), err)
	}
	return res.Msg.GetMilestone()
}

// openMilestones names the project's milestones that are neither submitted,
// accepted nor cancelled.
func (w *setupWorld) openMilestones(t *testing.T, project string) []string {
	t.Helper()
	res, err := w.e.Milestones.ListMilestones(context.Background(), connect.NewRequest(&pactumv1.ListMilestonesRequest{Project: project, PageSize: 500}))
	if err != nil {
		t.Fatalf("list the milestones of %s: %v", project, err)
	}
	var out []string
	for _, m := range res.Msg.GetMilestones() {
		switch m.GetStatus() {
		case pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED, pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED, pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED:
		default:
			out = append(out, m.GetName())
		}
	}
	return out
}

func (w *setupWorld) get(t *testing.T, name string) *pactumv1.Milestone {
	t.Helper()
	res, err := w.e.Milestones.GetMilestone(context.Background(), connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: name}))
	if err != nil {
		t.Fatalf("get %s: %v", name, err)
	}
	return res.Msg.GetMilestone()
}

func (w *setupWorld) list(t *testing.T, req *pactumv1.ListMilestonesRequest) []*pactumv1.Milestone {
	t.Helper()
	req.PageSize = 500
	res, err := w.e.Milestones.ListMilestones(context.Background(), connect.NewRequest(req))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg.GetMilestones()
}

func names(ms []*pactumv1.Milestone) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.GetName())
	}
	return out
}

func TestMilestonesByHandAndCancelled(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newSetupWorld(t, e)

		// The donor asks for additional information: due in 30 days when no
		// date is given, titled after its kind.
		info := w.milestone(t, w.coordinator, &pactumv1.Milestone{Grant: w.grant,
			Kind: pactumv1.MilestoneKind_MILESTONE_KIND_ADDITIONAL_INFORMATION, ResponsibleOrganisation: w.lead.GetName()})
		if info.GetDueDate() != "2025-04-09" || info.GetGenerated() || info.GetTitle() == "" ||
			info.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_DUE_SOON {
			t.Fatalf("additional information: due %s generated %v title %q status %v", info.GetDueDate(), info.GetGenerated(), info.GetTitle(), info.GetStatus())
		}
		// Other kinds need their date.
		_, err := w.coordinator.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
			Grant: w.grant, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_MONITORING_VISIT, ResponsibleOrganisation: w.lead.GetName()}}))
		rpctest.ExpectViolation(t, err, "milestone.due_date")
		visit := w.milestone(t, w.coordinator, &pactumv1.Milestone{Grant: w.grant, Project: w.project,
			Kind: pactumv1.MilestoneKind_MILESTONE_KIND_MONITORING_VISIT, Title: "EU delegation visit to Nairobi",
			DueDate: "2025-03-25", ResponsibleOrganisation: w.orgA.GetName()})
		mid := w.milestone(t, w.coordinator, &pactumv1.Milestone{Grant: w.grant,
			Kind: pactumv1.MilestoneKind_MILESTONE_KIND_MID_TERM_EVALUATION, DueDate: "2026-06-30", ResponsibleOrganisation: w.lead.GetName()})

		// Moved: a new due date with the etag.
		moved, err := w.coordinator.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
			Milestone:  &pactumv1.Milestone{Name: visit.GetName(), Etag: visit.GetEtag(), DueDate: "2025-04-02"},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"due_date"}}}))
		if err != nil || moved.Msg.GetMilestone().GetDueDate() != "2025-04-02" {
			t.Fatalf("move: %v %v", moved, err)
		}

		// Cancel: a reason is required; partners may not; the reason, who
		// and when are kept.
		_, err = w.coordinator.Milestones.CancelMilestone(ctx, connect.NewRequest(&pactumv1.CancelMilestoneRequest{Name: info.GetName(), Reason: "  "}))
		rpctest.ExpectViolation(t, err, "reason")
		_, err = w.other.Milestones.CancelMilestone(ctx, connect.NewRequest(&pactumv1.CancelMilestoneRequest{Name: visit.GetName(), Reason: "not needed"}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = w.coordinator.Milestones.CancelMilestone(ctx, connect.NewRequest(&pactumv1.CancelMilestoneRequest{
			Name: info.GetName(), Etag: `"stale"`, Reason: "The donor withdrew its request"}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		res, err := w.coordinator.Milestones.CancelMilestone(ctx, connect.NewRequest(&pactumv1.CancelMilestoneRequest{
			Name: info.GetName(), Etag: info.GetEtag(), Reason: "The donor withdrew its request"}))
		if err != nil {
			t.Fatal(err)
		}
		c := res.Msg.GetMilestone()
		if c.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED || c.GetCancelReason() != "The donor withdrew its request" ||
			c.GetCancelledBy() != "users/"+w.coordinator.UserID || c.GetCancelledByName() == "" || c.GetCancelTime() == nil {
			t.Fatalf("cancelled: status %v reason %q by %q (%q) at %v", c.GetStatus(), c.GetCancelReason(), c.GetCancelledBy(), c.GetCancelledByName(), c.GetCancelTime())
		}
		if got := w.get(t, info.GetName()); got.GetCancelReason() != c.GetCancelReason() || got.GetStatus() != c.GetStatus() {
			t.Fatalf("read back: %v", got)
		}

		// A cancelled milestone is no longer due, stays listed, and no
		// longer changes.
		due, err := w.e.Milestones.ListDueMilestones(ctx, connect.NewRequest(&pactumv1.ListDueMilestonesRequest{WithinDays: 60, PageSize: 100}))
		if err != nil {
			t.Fatal(err)
		}
		if got := names(due.Msg.GetMilestones()); slices.Contains(got, info.GetName()) || !slices.Contains(got, visit.GetName()) {
			t.Errorf("due within 60 days: %v; want the visit, not the cancelled request", msTitles(due.Msg.GetMilestones()))
		}
		all := names(w.list(t, &pactumv1.ListMilestonesRequest{Grant: w.grant}))
		if !slices.Contains(all, info.GetName()) || !slices.Contains(all, mid.GetName()) {
			t.Errorf("the grant's milestones lack the cancelled or the mid-term one: %v", all)
		}
		if got := names(w.list(t, &pactumv1.ListMilestonesRequest{Status: pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED})); !slices.Equal(got, []string{info.GetName()}) {
			t.Errorf("cancelled: %v", got)
		}
		for _, st := range []pactumv1.MilestoneStatus{pactumv1.MilestoneStatus_MILESTONE_STATUS_DUE_SOON, pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE} {
			if got := names(w.list(t, &pactumv1.ListMilestonesRequest{Status: st})); slices.Contains(got, info.GetName()) {
				t.Errorf("the cancelled milestone is listed as %v", st)
			}
		}
		_, err = w.coordinator.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
			Milestone: &pactumv1.Milestone{Name: info.GetName(), Etag: c.GetEtag(), DueDate: "2025-05-01"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"due_date"}}}))
		msExpectReason(t, err, "MILESTONE_CANCELLED")
		_, err = w.coordinator.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: info.GetName()}))
		msExpectReason(t, err, "MILESTONE_CANCELLED")
		_, err = w.coordinator.Milestones.CancelMilestone(ctx, connect.NewRequest(&pactumv1.CancelMilestoneRequest{Name: info.GetName(), Reason: "again"}))
		msExpectReason(t, err, "MILESTONE_CANCELLED")
		_, err = w.coordinator.Milestones.DeleteMilestone(ctx, connect.NewRequest(&pactumv1.DeleteMilestoneRequest{Name: info.GetName()}))
		msExpectReason(t, err, "MILESTONE_HAS_HISTORY")
		// A submitted one is a record: not cancelled.
		if _, err := w.coordinator.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: mid.GetName()})); err != nil {
			t.Fatal(err)
		}
		_, err = w.coordinator.Milestones.CancelMilestone(ctx, connect.NewRequest(&pactumv1.CancelMilestoneRequest{Name: mid.GetName(), Reason: "late"}))
		msExpectReason(t, err, "MILESTONE_SUBMITTED")
	})
}

// When the grant's dates change, its untouched generated milestones follow;
// those made by hand, edited or cancelled stay as they are.
func TestGrantDatesMoveGeneratedMilestonesOnly(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newSetupWorld(t, e)
		byKind := func() map[pactumv1.MilestoneKind][]*pactumv1.Milestone {
			out := map[pactumv1.MilestoneKind][]*pactumv1.Milestone{}
			for _, m := range w.list(t, &pactumv1.ListMilestonesRequest{Grant: w.grant}) {
				out[m.GetKind()] = append(out[m.GetKind()], m)
			}
			return out
		}
		before := byKind()
		finals := before[pactumv1.MilestoneKind_MILESTONE_KIND_FINAL_NARRATIVE_REPORT]
		interims := before[pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_NARRATIVE_REPORT]
		if len(finals) != 1 || finals[0].GetDueDate() != "2028-03-31" || len(interims) != 2 {
			t.Fatalf("generated: %d final (%v), %d interim narrative reports", len(finals), finals, len(interims))
		}
		// By hand; one generated interim report edited; the other cancelled.
		hand := w.milestone(t, w.coordinator, &pactumv1.Milestone{Grant: w.grant, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_MONITORING_VISIT,
			DueDate: "2027-11-15", ResponsibleOrganisation: w.lead.GetName()})
		edited, err := w.coordinator.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
			Milestone:  &pactumv1.Milestone{Name: interims[0].GetName(), Etag: interims[0].GetEtag(), DueDate: "2026-03-15"},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"due_date"}}}))
		if err != nil || !edited.Msg.GetMilestone().GetEdited() {
			t.Fatalf("edit: %v %v", edited, err)
		}
		if _, err := w.coordinator.Milestones.CancelMilestone(ctx, connect.NewRequest(&pactumv1.CancelMilestoneRequest{
			Name: interims[1].GetName(), Reason: "Merged with the mid-term review"})); err != nil {
			t.Fatal(err)
		}

		// The grant ends six months later.
		g, err := w.coordinator.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: w.grant}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.coordinator.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant:      &pactumv1.Grant{Name: w.grant, Etag: g.Msg.GetGrant().GetEtag(), EndDate: "2028-06-30"},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"end_date"}}})); err != nil {
			t.Fatal(err)
		}
		after := w.get(t, finals[0].GetName())
		if after.GetDueDate() != "2028-09-30" || after.GetPeriodEndDate() != "2028-06-30" || after.GetEdited() {
			t.Errorf("the generated final report: due %s for a period ending %s (edited %v); want due 2028-09-30",
				after.GetDueDate(), after.GetPeriodEndDate(), after.GetEdited())
		}
		if got := w.get(t, hand.GetName()); got.GetDueDate() != "2027-11-15" || got.GetEtag() != hand.GetEtag() {
			t.Errorf("the hand-made milestone moved: due %s", got.GetDueDate())
		}
		if got := w.get(t, interims[0].GetName()); got.GetDueDate() != "2026-03-15" || !got.GetEdited() {
			t.Errorf("the edited interim report: due %s edited %v", got.GetDueDate(), got.GetEdited())
		}
		if got := w.get(t, interims[1].GetName()); got.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED ||
			got.GetCancelReason() != "Merged with the mid-term review" {
			t.Errorf("the cancelled interim report: %v %q", got.GetStatus(), got.GetCancelReason())
		}
		// The longer grant gets a third interim period; nothing is doubled.
		now := byKind()
		if n := len(now[pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_NARRATIVE_REPORT]); n != 3 {
			t.Errorf("%d interim narrative reports after the extension, want 3", n)
		}
		if n := len(now[pactumv1.MilestoneKind_MILESTONE_KIND_MONITORING_VISIT]); n != 1 {
			t.Errorf("%d monitoring visits, want 1", n)
		}
	})
}

func TestCloseAndReopenAgreement(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newSetupWorld(t, e)
		_, err := w.other.Agreements.CloseFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CloseFrameworkAgreementRequest{Name: w.fa.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		res, err := w.coordinator.Agreements.CloseFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CloseFrameworkAgreementRequest{
			Name: w.fa.GetName(), Etag: e.ETag(w.fa.GetName())}))
		if err != nil {
			t.Fatal(err)
		}
		a := res.Msg.GetFrameworkAgreement()
		if a.GetState() != pactumv1.FrameworkAgreementState_FRAMEWORK_AGREEMENT_STATE_CLOSED || a.GetCloseTime() == nil ||
			a.GetClosedBy() != "users/"+w.coordinator.UserID {
			t.Fatalf("closed: %v %v %q", a.GetState(), a.GetCloseTime(), a.GetClosedBy())
		}
		// No new grant under it; no change of it; its grant runs on.
		_, err = w.coordinator.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
			FrameworkAgreement: w.fa.GetName(), DonorReference: "CSO-LA/2025/2", Title: "Another", CurrencyCode: "EUR",
			StartDate: "2025-01-01", EndDate: "2026-12-31", TotalEligibleCosts: "100000.00", MaxDonorContribution: "90000.00",
			CoFinancingRate: "90", ReportingPeriodMonths: 12}}))
		rpctest.ExpectViolation(t, err, "grant.framework_agreement")
		_, err = w.coordinator.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.UpdateFrameworkAgreementRequest{
			FrameworkAgreement: &pactumv1.FrameworkAgreement{Name: a.GetName(), Etag: a.GetEtag(), Title: "Renamed"},
			UpdateMask:         &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
		msExpectReason(t, err, "AGREEMENT_CLOSED")
		g, err := w.coordinator.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: w.grant}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.coordinator.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant: &pactumv1.Grant{Name: w.grant, Etag: g.Msg.GetGrant().GetEtag(), Title: "Still running"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}})); err != nil {
			t.Errorf("a grant under a closed agreement no longer changes: %v", err)
		}
		_, err = w.coordinator.Agreements.CloseFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CloseFrameworkAgreementRequest{Name: a.GetName()}))
		msExpectReason(t, err, "AGREEMENT_CLOSED")
		// Reopened: it takes grants again.
		r, err := w.coordinator.Agreements.ReopenFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.ReopenFrameworkAgreementRequest{Name: a.GetName(), Etag: a.GetEtag()}))
		if err != nil || r.Msg.GetFrameworkAgreement().GetState() != pactumv1.FrameworkAgreementState_FRAMEWORK_AGREEMENT_STATE_OPEN ||
			r.Msg.GetFrameworkAgreement().GetCloseTime() != nil {
			t.Fatalf("reopen: %v %v", r, err)
		}
		_, err = w.coordinator.Agreements.ReopenFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.ReopenFrameworkAgreementRequest{Name: a.GetName()}))
		msExpectReason(t, err, "AGREEMENT_OPEN")
	})
}

func TestCloseAndReopenProject(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newSetupWorld(t, e)
		open := w.milestone(t, w.coordinator, &pactumv1.Milestone{Grant: w.grant, Project: w.project,
			Kind: pactumv1.MilestoneKind_MILESTONE_KIND_MONITORING_VISIT, DueDate: "2025-09-01", ResponsibleOrganisation: w.orgA.GetName()})
		done := w.milestone(t, w.coordinator, &pactumv1.Milestone{Grant: w.grant, Project: w.project,
			Kind: pactumv1.MilestoneKind_MILESTONE_KIND_PAYMENT_REQUEST, DueDate: "2025-03-01", ResponsibleOrganisation: w.lead.GetName()})
		if _, err := w.coordinator.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: done.GetName()})); err != nil {
			t.Fatal(err)
		}
		grantWide := w.milestone(t, w.coordinator, &pactumv1.Milestone{Grant: w.grant,
			Kind: pactumv1.MilestoneKind_MILESTONE_KIND_MID_TERM_EVALUATION, DueDate: "2026-06-30", ResponsibleOrganisation: w.lead.GetName()})

		// The project's open milestones: the visit made by hand and the
		// co-beneficiary's progress updates generated for the periods still
		// to come (how many depends on today's date).
		openBefore := w.openMilestones(t, w.project)
		if len(openBefore) < 2 || !slices.Contains(openBefore, open.GetName()) || slices.Contains(openBefore, done.GetName()) {
			t.Fatalf("open milestones of the project before closing: %v", openBefore)
		}

		_, err := w.other.Projects.CloseProject(ctx, connect.NewRequest(&pactumv1.CloseProjectRequest{Name: w.project}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		res, err := w.coordinator.Projects.CloseProject(ctx, connect.NewRequest(&pactumv1.CloseProjectRequest{
			Name: w.project, Etag: e.ETag(w.project), Reason: "Activities completed early"}))
		if err != nil {
			t.Fatal(err)
		}
		p := res.Msg.GetProject()
		if p.GetState() != pactumv1.ProjectState_PROJECT_STATE_CLOSED || p.GetCloseTime() == nil || int(res.Msg.GetCancelledMilestones()) != len(openBefore) {
			t.Fatalf("closed: %v at %v, %d cancelled, want the %d open: %v", p.GetState(), p.GetCloseTime(), res.Msg.GetCancelledMilestones(), len(openBefore), openBefore)
		}
		// Every one of them, generated or not, is cancelled with the reason.
		if left := w.openMilestones(t, w.project); len(left) != 0 {
			t.Errorf("open milestones of the closed project: %v", left)
		}
		for _, name := range openBefore {
			if m := w.get(t, name); m.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED || m.GetCancelReason() != "Activities completed early" {
				t.Errorf("%s (%v): %v %q", name, m.GetKind(), m.GetStatus(), m.GetCancelReason())
			}
		}
		// Its open milestone is cancelled with the reason; the submitted one
		// and the grant's own stay as they were.
		if m := w.get(t, open.GetName()); m.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED || m.GetCancelReason() != "Activities completed early" {
			t.Errorf("open milestone: %v %q", m.GetStatus(), m.GetCancelReason())
		}
		if m := w.get(t, done.GetName()); m.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED {
			t.Errorf("submitted milestone: %v", m.GetStatus())
		}
		if m := w.get(t, grantWide.GetName()); m.GetStatus() == pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED {
			t.Errorf("the grant's own milestone was cancelled")
		}
		// Closed: no change, no new milestone.
		_, err = w.coordinator.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
			Project: &pactumv1.Project{Name: p.GetName(), Etag: p.GetEtag(), Title: "Renamed"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
		msExpectReason(t, err, "PROJECT_CLOSED")
		_, err = w.coordinator.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
			Grant: w.grant, Project: w.project, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_MONITORING_VISIT, DueDate: "2025-10-01",
			ResponsibleOrganisation: w.orgA.GetName()}}))
		msExpectReason(t, err, "PROJECT_CLOSED")
		// Reopened: it changes again; what was cancelled stays cancelled.
		r, err := w.coordinator.Projects.ReopenProject(ctx, connect.NewRequest(&pactumv1.ReopenProjectRequest{Name: p.GetName(), Etag: p.GetEtag()}))
		if err != nil || r.Msg.GetProject().GetState() != pactumv1.ProjectState_PROJECT_STATE_OPEN {
			t.Fatalf("reopen: %v %v", r, err)
		}
		if _, err := w.coordinator.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
			Project: &pactumv1.Project{Name: p.GetName(), Etag: r.Msg.GetProject().GetEtag(), Title: "Renamed"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}})); err != nil {
			t.Errorf("update after reopening: %v", err)
		}
		if m := w.get(t, open.GetName()); m.GetStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_CANCELLED {
			t.Errorf("reopening revived a cancelled milestone: %v", m.GetStatus())
		}
	})
}

// An organisation's grants, as lead: ListGrants by lead organisation.
func TestListGrantsByLeadOrganisation(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newSetupWorld(t, e)
		for _, c := range []struct {
			lead string
			want []string
		}{{w.lead.GetName(), []string{w.grant}}, {w.orgA.GetName(), nil}, {w.donor.GetName(), nil}} {
			res, err := w.coordinator.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{LeadOrganisation: c.lead}))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, g := range res.Msg.GetGrants() {
				got = append(got, g.GetName())
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("grants led by %s: %v, want %v", c.lead, got, c.want)
			}
		}
		_, err := w.coordinator.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{LeadOrganisation: "organisations/"}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
	})
}
