package rpc_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// puClock fixes "today" of the progress and milestone services to day, the
// clock moving a second at each reading (so that steps are ordered in time).
func puClock(e *rpctest.Env, day string) {
	t0 := calendar.MustParse(day).Time().Add(9 * time.Hour)
	var n atomic.Int64
	now := func() time.Time { return t0.Add(time.Duration(n.Add(1)) * time.Second) }
	e.Services.Progress.SetClock(now)
	e.Services.Milestones.SetClock(now)
}

// puMilestone creates (as admin) a partner progress update milestone of
// project, for organisation org, covering [start, end], due on due.
func puMilestone(t *testing.T, e *rpctest.Env, grant, project, org, start, end, due string) string {
	t.Helper()
	return must(e.Milestones.CreateMilestone(context.Background(), connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
		Grant: grant, Project: project, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_PARTNER_PROGRESS_UPDATE, Title: "Progress update " + due,
		PeriodStartDate: start, PeriodEndDate: end, DueDate: due, ResponsibleOrganisation: org}}))).GetMilestone().GetName()
}

func puCreate(t *testing.T, c *rpctest.Clients, ms string) *pactumv1.ProgressUpdate {
	t.Helper()
	return must(c.Progress.CreateProgressUpdate(context.Background(), connect.NewRequest(&pactumv1.CreateProgressUpdateRequest{
		ProgressUpdate: &pactumv1.ProgressUpdate{Milestone: ms}}))).GetProgressUpdate()
}

func puUpdate(c *rpctest.Clients, p *pactumv1.ProgressUpdate, paths ...string) (*pactumv1.ProgressUpdate, error) {
	res, err := c.Progress.UpdateProgressUpdate(context.Background(), connect.NewRequest(&pactumv1.UpdateProgressUpdateRequest{
		ProgressUpdate: p, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetProgressUpdate(), nil
}

func puSubmit(c *rpctest.Clients, name, etag, requestID string) (*pactumv1.ProgressUpdate, error) {
	res, err := c.Progress.SubmitProgressUpdate(context.Background(), connect.NewRequest(&pactumv1.SubmitProgressUpdateRequest{
		Name: name, Etag: etag, RequestId: requestID}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetProgressUpdate(), nil
}

func puReturn(c *rpctest.Clients, name, etag, comment string) (*pactumv1.ProgressUpdate, error) {
	res, err := c.Progress.ReturnProgressUpdate(context.Background(), connect.NewRequest(&pactumv1.ReturnProgressUpdateRequest{
		Name: name, Etag: etag, Comment: comment}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetProgressUpdate(), nil
}

func puApprove(c *rpctest.Clients, name, etag, comment string) (*pactumv1.ProgressUpdate, error) {
	res, err := c.Progress.ApproveProgressUpdate(context.Background(), connect.NewRequest(&pactumv1.ApproveProgressUpdateRequest{
		Name: name, Etag: etag, Comment: comment}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetProgressUpdate(), nil
}

func puMilestoneStatus(t *testing.T, e *rpctest.Env, ms string) pactumv1.MilestoneStatus {
	t.Helper()
	return must(e.Milestones.GetMilestone(context.Background(), connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: ms}))).GetMilestone().GetStatus()
}

// puNotifications counts user's notifications of kind, straight from the
// database.
func puNotifications(t *testing.T, e *rpctest.Env, user, kind string) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = ?", user, kind).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// puActions returns the audit actions recorded on resource, in order.
func puActions(t *testing.T, c *rpctest.Clients, resource string) []string {
	t.Helper()
	res := must(c.Audit.ListAuditEvents(context.Background(), connect.NewRequest(&pactumv1.ListAuditEventsRequest{Resource: resource, PageSize: 1000})))
	var out []string
	for _, ev := range res.GetAuditEvents() {
		out = append(out, ev.GetAction())
	}
	return out
}

func puValue(ind, value string, disagg ...*pactumv1.DisaggregatedValue) *pactumv1.IndicatorValue {
	return &pactumv1.IndicatorValue{Indicator: ind, Value: value, DisaggregatedValues: disagg}
}

func puIndicatorPeriod(t *testing.T, e *rpctest.Env, name string, period int32) *pactumv1.IndicatorPeriod {
	t.Helper()
	ind := must(e.Results.GetIndicator(context.Background(), connect.NewRequest(&pactumv1.GetIndicatorRequest{Name: name}))).GetIndicator()
	for _, p := range ind.GetPeriods() {
		if p.GetPeriod() == period {
			return p
		}
	}
	t.Fatalf("%s has no period %d: %v", name, period, ind.GetPeriods())
	return nil
}

// The whole loop, through real clients: a partner editor drafts, autosaves
// with etags, submits (twice with one request_id: one submission); the
// coordinator returns it with a comment, which the partner reads; the
// partner corrects and resubmits; the coordinator approves, and the update
// is locked. The milestone follows each step, every step is in the audit
// trail, and the approved values become the indicators' actuals: the sum of
// two approved updates for a number, the latest for a percentage.
func TestProgressUpdateWorkflow(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		puClock(e, "2026-12-01")
		editor := e.As(t, rpctest.Member(actor.RolePartnerEditor, id(f.a)))
		viewer := e.As(t, rpctest.Member(actor.RolePartnerViewer, id(f.a)))
		coord := e.As(t, rpctest.Member(actor.RoleCoordinator, id(f.lead)))
		// The grant runs 2025-01-01 to 2027-12-31 in 12-month periods: both
		// milestones fall in period 1, and both are past due.
		m1 := puMilestone(t, e, f.g1, f.pa, f.a, "2025-01-01", "2025-06-15", "2025-06-30")
		m2 := puMilestone(t, e, f.g1, f.pa, f.a, "2025-06-16", "2025-10-15", "2025-10-31")
		op := resFramework(t, e, f.pa)
		num := resIndicator(t, &e.Clients, f.pa, op, "N1", pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER).GetName()
		pct := resIndicator(t, &e.Clients, f.pa, op, "P1", pactumv1.IndicatorType_INDICATOR_TYPE_PERCENTAGE).GetName()
		act := resNewActivity(f, f.pa, "KE").GetName()

		// The milestone cannot be submitted or accepted by hand: it follows
		// its update.
		_, err := editor.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: m1}))
		if rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition); rpctest.Reason(err) != "MILESTONE_FOLLOWS_PROGRESS_UPDATE" {
			t.Errorf("submitting the milestone by hand: %v", err)
		}
		_, err = coord.Milestones.AcceptMilestone(ctx, connect.NewRequest(&pactumv1.AcceptMilestoneRequest{Name: m1}))
		if rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition); rpctest.Reason(err) != "MILESTONE_FOLLOWS_PROGRESS_UPDATE" {
			t.Errorf("accepting the milestone by hand: %v", err)
		}

		// Drafting: the partner editor starts it; starting again returns it.
		u := puCreate(t, editor, m1)
		if u.GetState() != pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_DRAFT || !u.GetCallerCanEdit() || u.GetCallerCanReview() ||
			u.GetReportingPeriod() != 1 || !u.GetLate() || u.GetOrganisation() != f.a || u.GetProject() != f.pa || u.GetGrant() != f.g1 ||
			u.GetOrganisationDisplayName() != "Umoja Domestic Workers Union" || u.GetDueDate() != "2025-06-30" {
			t.Fatalf("new draft: %v", u)
		}
		if again := puCreate(t, coord, m1); again.GetName() != u.GetName() {
			t.Fatalf("second create made %s, want %s", again.GetName(), u.GetName())
		}
		_, err = viewer.Progress.CreateProgressUpdate(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateRequest{
			ProgressUpdate: &pactumv1.ProgressUpdate{Milestone: m1}}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)

		// Autosave: women 12 + men 10 do not add up to 25, which a draft accepts and flags.
		first := u.GetEtag()
		u, err = puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: first, Achievements: "Trained domestic workers in Nairobi",
			IndicatorValues: []*pactumv1.IndicatorValue{puValue(num, "25", resSexValues("12", "10")...), puValue(pct, "40")},
			Activities:      []string{act}}, "achievements", "indicator_values", "activities")
		rpctest.ExpectCode(t, err, 0)
		if u.GetAchievements() != "Trained domestic workers in Nairobi" || len(u.GetIndicatorValues()) != 2 ||
			!slices.Equal(u.GetIndicatorValues()[0].GetMismatchedDisaggregations(), []string{"sex"}) ||
			len(u.GetIndicatorValues()[1].GetMismatchedDisaggregations()) != 0 || !slices.Equal(u.GetActivities(), []string{act}) {
			t.Fatalf("saved draft: %v", u)
		}
		// A save over a newer one (the first etag) is refused; so is one without an etag.
		_, err = puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: first, Achievements: "Older text"}, "achievements")
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Achievements: "No etag"}, "achievements")
		rpctest.ExpectViolation(t, err, "progress_update.etag")
		// Submitting refuses the disaggregation that does not add up, saying why.
		_, err = puSubmit(editor, u.GetName(), u.GetEtag(), "")
		rpctest.ExpectViolation(t, err, "progress_update.indicator_values[0].disaggregated_values")
		if d := rpctest.Violations(err)["progress_update.indicator_values[0].disaggregated_values"]; !strings.Contains(d, "women 12 + men 10 = 22, but the value is 25") ||
			!strings.Contains(d, "N1") {
			t.Errorf("mismatch explained as %q", d)
		}
		u, err = puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: u.GetEtag(),
			IndicatorValues: []*pactumv1.IndicatorValue{puValue(num, "22", resSexValues("12", "10")...), puValue(pct, "40")}}, "indicator_values")
		rpctest.ExpectCode(t, err, 0)
		if u.GetAchievements() != "Trained domestic workers in Nairobi" || len(u.GetIndicatorValues()[0].GetMismatchedDisaggregations()) != 0 {
			t.Fatalf("after correcting: %v", u)
		}

		// Submitting twice with one request_id (a retry) submits once.
		const req = "0b9f1c1e-5a43-4c1e-9a36-3f1d3d7e2a01"
		s1, err := puSubmit(editor, u.GetName(), u.GetEtag(), req)
		rpctest.ExpectCode(t, err, 0)
		s2, err := puSubmit(editor, u.GetName(), u.GetEtag(), req)
		rpctest.ExpectCode(t, err, 0)
		if s1.GetState() != pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_SUBMITTED || s1.GetSubmissionCount() != 1 ||
			s2.GetSubmissionCount() != 1 || s2.GetEtag() != s1.GetEtag() || s1.GetSubmitTime() == nil || s1.GetCallerCanEdit() {
			t.Fatalf("submitted %v then %v", s1, s2)
		}
		if n := strings.Count(" "+strings.Join(puActions(t, &e.Clients, u.GetName()), " ")+" ", " submit "); n != 1 {
			t.Errorf("%d submit events, want 1", n)
		}
		_, err = puSubmit(editor, u.GetName(), "", "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if st := puMilestoneStatus(t, e, m1); st != pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED {
			t.Errorf("milestone after submission: %v", st)
		}
		if n := puNotifications(t, e, coord.UserID, "update_submitted"); n != 1 {
			t.Errorf("coordinator has %d update_submitted notifications, want 1", n)
		}
		if n := puNotifications(t, e, editor.UserID, "update_submitted"); n != 0 {
			t.Errorf("the submitter was notified of their own submission")
		}
		// Only the coordinators review.
		_, err = puApprove(editor, u.GetName(), "", "")
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = puReturn(viewer, u.GetName(), "", "No")
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if got := must(coord.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: u.GetName()}))).GetProgressUpdate(); !got.GetCallerCanReview() || got.GetCallerCanEdit() {
			t.Errorf("coordinator's rights on a submitted update: edit %v review %v", got.GetCallerCanEdit(), got.GetCallerCanReview())
		}

		// Returned with a comment: the milestone is open again (overdue).
		r, err := puReturn(coord, u.GetName(), s1.GetEtag(), "Please add the attendance lists as evidence")
		rpctest.ExpectCode(t, err, 0)
		if r.GetState() != pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_RETURNED || r.GetReturnTime() == nil {
			t.Fatalf("returned: %v", r)
		}
		if st := puMilestoneStatus(t, e, m1); st != pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE {
			t.Errorf("milestone after return: %v", st)
		}
		comments := must(editor.Progress.ListProgressUpdateComments(ctx, connect.NewRequest(&pactumv1.ListProgressUpdateCommentsRequest{Parent: u.GetName()}))).GetComments()
		if len(comments) != 1 || comments[0].GetKind() != pactumv1.CommentKind_COMMENT_KIND_RETURN ||
			comments[0].GetBody() != "Please add the attendance lists as evidence" || comments[0].GetAuthor() != "users/"+coord.UserID ||
			!strings.HasPrefix(comments[0].GetAuthorDisplayName(), "Test user") ||
			comments[0].GetAuthorOrganisationDisplayName() != "Global Alliance for Decent Work" {
			t.Fatalf("comments the partner sees: %v", comments)
		}
		if n := puNotifications(t, e, editor.UserID, "update_returned"); n != 1 {
			t.Errorf("editor has %d update_returned notifications, want 1", n)
		}
		if n := puNotifications(t, e, viewer.UserID, "update_returned"); n != 1 {
			t.Errorf("viewer has %d update_returned notifications, want 1", n)
		}
		// The partner answers in the thread (the coordinator is told), corrects and resubmits.
		c := must(editor.Progress.CreateProgressUpdateComment(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateCommentRequest{
			Parent: u.GetName(), Comment: &pactumv1.ProgressUpdateComment{Body: "Added them"}, RequestId: "7d3c4f0a-1111-4b2a-8c55-0d6a1e2f3b44"}))).GetComment()
		again := must(editor.Progress.CreateProgressUpdateComment(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateCommentRequest{
			Parent: u.GetName(), Comment: &pactumv1.ProgressUpdateComment{Body: "Added them"}, RequestId: "7d3c4f0a-1111-4b2a-8c55-0d6a1e2f3b44"}))).GetComment()
		if again.GetName() != c.GetName() || c.GetAuthorOrganisationDisplayName() != "Umoja Domestic Workers Union" {
			t.Errorf("comment %v, retried %v", c, again)
		}
		if n := puNotifications(t, e, coord.UserID, "update_commented"); n != 1 {
			t.Errorf("coordinator has %d update_commented notifications, want 1", n)
		}
		_, err = viewer.Progress.CreateProgressUpdateComment(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateCommentRequest{
			Parent: u.GetName(), Comment: &pactumv1.ProgressUpdateComment{Body: "Viewers read only"}}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		u, err = puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: r.GetEtag(),
			IndicatorValues: []*pactumv1.IndicatorValue{
				{Indicator: num, Value: "22", DisaggregatedValues: resSexValues("12", "10"), Evidence: "Attendance lists attached"},
				puValue(pct, "40")}}, "indicator_values")
		rpctest.ExpectCode(t, err, 0)
		rs, err := puSubmit(editor, u.GetName(), u.GetEtag(), "0b9f1c1e-5a43-4c1e-9a36-3f1d3d7e2a02")
		rpctest.ExpectCode(t, err, 0)
		if rs.GetState() != pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_RESUBMITTED || rs.GetSubmissionCount() != 2 || !rs.GetLate() {
			t.Fatalf("resubmitted: %v", rs)
		}
		if st := puMilestoneStatus(t, e, m1); st != pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED {
			t.Errorf("milestone after resubmission: %v", st)
		}

		// Approved: locked for everyone, the milestone accepted.
		a, err := puApprove(coord, u.GetName(), rs.GetEtag(), "Thank you")
		rpctest.ExpectCode(t, err, 0)
		if a.GetState() != pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_APPROVED || a.GetApproveTime() == nil || a.GetCallerCanReview() || a.GetCallerCanEdit() {
			t.Fatalf("approved: %v", a)
		}
		if st := puMilestoneStatus(t, e, m1); st != pactumv1.MilestoneStatus_MILESTONE_STATUS_ACCEPTED {
			t.Errorf("milestone after approval: %v", st)
		}
		_, err = puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: a.GetEtag(), Achievements: "Changed"}, "achievements")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if !strings.Contains(err.Error(), "approved updates are locked") {
			t.Errorf("update of an approved update: %v", err)
		}
		_, err = puUpdate(coord, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: a.GetEtag(), Achievements: "Changed"}, "achievements")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		_, err = puSubmit(editor, u.GetName(), a.GetEtag(), "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		_, err = puReturn(coord, u.GetName(), a.GetEtag(), "Too late")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if !strings.Contains(err.Error(), "approved updates are locked") {
			t.Errorf("return of an approved update: %v", err)
		}
		if n := puNotifications(t, e, editor.UserID, "update_approved"); n != 1 {
			t.Errorf("editor has %d update_approved notifications, want 1", n)
		}
		thread := must(editor.Progress.ListProgressUpdateComments(ctx, connect.NewRequest(&pactumv1.ListProgressUpdateCommentsRequest{Parent: u.GetName()}))).GetComments()
		var kinds []pactumv1.CommentKind
		for _, c := range thread {
			kinds = append(kinds, c.GetKind())
		}
		if !slices.Equal(kinds, []pactumv1.CommentKind{pactumv1.CommentKind_COMMENT_KIND_RETURN, pactumv1.CommentKind_COMMENT_KIND_COMMENT,
			pactumv1.CommentKind_COMMENT_KIND_APPROVAL}) {
			t.Errorf("thread: %v", thread)
		}

		// The audit trail has every step, in order.
		var steps []string
		for _, a := range puActions(t, coord, u.GetName()) {
			if a != "update" {
				steps = append(steps, a)
			}
		}
		want := []string{"create", "submit", "return", "comment", "comment", "resubmit", "approve", "comment"}
		if !slices.Equal(steps, want) {
			t.Errorf("audit trail of the update: %v, want %v", steps, want)
		}
		grantEvents := must(coord.Audit.ListAuditEvents(ctx, connect.NewRequest(&pactumv1.ListAuditEventsRequest{Grant: f.g1, PageSize: 1000}))).GetAuditEvents()
		var onGrant int
		for _, ev := range grantEvents {
			if ev.GetResource() == u.GetName() {
				onGrant++
			}
		}
		if onGrant < len(want) {
			t.Errorf("the grant's audit trail shows %d events of the update, want at least %d", onGrant, len(want))
		}
		if got := puActions(t, coord, m1); !slices.Contains(got, "submit") || !slices.Contains(got, "return") || !slices.Contains(got, "accept") {
			t.Errorf("milestone's audit trail: %v", got)
		}

		// The approved values are the period's actuals.
		if p := puIndicatorPeriod(t, e, num, 1); p.GetActual() != "22" || len(p.GetDisaggregatedActuals()) != 2 ||
			p.GetDisaggregatedActuals()[0].GetValue() != "12" || p.GetDisaggregatedActuals()[1].GetValue() != "10" {
			t.Errorf("N1 period 1 after one update: %v", p)
		}
		if p := puIndicatorPeriod(t, e, pct, 1); p.GetActual() != "40" {
			t.Errorf("P1 period 1 after one update: %v", p)
		}
		// A second approved update in the same period: numbers add up, the
		// percentage is the latest.
		u2 := puCreate(t, editor, m2)
		u2, err = puUpdate(editor, &pactumv1.ProgressUpdate{Name: u2.GetName(), Etag: u2.GetEtag(), Challenges: "Rain",
			IndicatorValues: []*pactumv1.IndicatorValue{puValue(num, "30", resSexValues("20", "10")...), puValue(pct, "55")}}, "challenges", "indicator_values")
		rpctest.ExpectCode(t, err, 0)
		u2, err = puSubmit(editor, u2.GetName(), u2.GetEtag(), "")
		rpctest.ExpectCode(t, err, 0)
		_, err = puApprove(coord, u2.GetName(), u2.GetEtag(), "")
		rpctest.ExpectCode(t, err, 0)
		if p := puIndicatorPeriod(t, e, num, 1); p.GetActual() != "52" || len(p.GetDisaggregatedActuals()) != 2 ||
			p.GetDisaggregatedActuals()[0].GetCategory() != "women" || p.GetDisaggregatedActuals()[0].GetValue() != "32" ||
			p.GetDisaggregatedActuals()[1].GetCategory() != "men" || p.GetDisaggregatedActuals()[1].GetValue() != "20" {
			t.Errorf("N1 period 1 after two updates: %v, want 22 + 30 = 52 (women 32, men 20)", p)
		}
		if p := puIndicatorPeriod(t, e, pct, 1); p.GetActual() != "55" {
			t.Errorf("P1 period 1 after two updates: %v, want the latest, 55 (not summed)", p)
		}

		// The coordinator's overview: both approved, neither awaiting review.
		ov := must(coord.Progress.GetGrantProgressOverview(ctx, connect.NewRequest(&pactumv1.GetGrantProgressOverviewRequest{Grant: f.g1})))
		if ov.GetApprovedCount() != 2 || ov.GetAwaitingReviewCount() != 0 || ov.GetSubmittedCount() != 2 {
			t.Errorf("overview counts: %v", ov)
		}
	})
}

// The coordinator's overview tells who has submitted, who is late and what
// awaits review; a partner sees only their own organisation's rows.
func TestGrantProgressOverview(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		puClock(e, "2026-12-01")
		editorA := e.As(t, rpctest.Member(actor.RolePartnerEditor, id(f.a)))
		editorB := e.As(t, rpctest.Member(actor.RolePartnerEditor, id(f.b)))
		coord := e.As(t, rpctest.Member(actor.RoleCoordinator, id(f.lead)))
		lateA := puMilestone(t, e, f.g1, f.pa, f.a, "2025-01-01", "2025-03-31", "2025-04-30") // never started: late
		doneB := puMilestone(t, e, f.g1, f.pb, f.b, "2025-01-01", "2025-03-31", "2025-04-30") // submitted late
		u := puCreate(t, editorB, doneB)
		u, err := puUpdate(editorB, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: u.GetEtag(), NextSteps: "More"}, "next_steps")
		rpctest.ExpectCode(t, err, 0)
		_, err = puSubmit(editorB, u.GetName(), u.GetEtag(), "")
		rpctest.ExpectCode(t, err, 0)

		// A's update for f.ma (due 2026-12-15) is handed in early: it counts
		// as submitted, and is not late.
		early := puCreate(t, editorA, f.ma)
		early, err = puUpdate(editorA, &pactumv1.ProgressUpdate{Name: early.GetName(), Etag: early.GetEtag(), Achievements: "Early"}, "achievements")
		rpctest.ExpectCode(t, err, 0)
		_, err = puSubmit(editorA, early.GetName(), early.GetEtag(), "")
		rpctest.ExpectCode(t, err, 0)

		ov := must(coord.Progress.GetGrantProgressOverview(ctx, connect.NewRequest(&pactumv1.GetGrantProgressOverviewRequest{Grant: f.g1})))
		rows := map[string]*pactumv1.ProgressOverviewRow{}
		for _, r := range ov.GetRows() {
			rows[r.GetMilestone()] = r
		}
		// f.ma and f.mb (due 2026-12-15) are in the overview too.
		if len(ov.GetRows()) != 4 || rows[lateA] == nil || rows[doneB] == nil || rows[f.ma] == nil || rows[f.mb] == nil {
			t.Fatalf("rows: %v", ov.GetRows())
		}
		if r := rows[lateA]; r.GetProgressUpdate() != "" || !r.GetLate() || r.GetDaysOverdue() <= 0 ||
			r.GetMilestoneStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_OVERDUE || r.GetOrganisationDisplayName() != "Umoja Domestic Workers Union" {
			t.Errorf("A's late row: %v", r)
		}
		if r := rows[doneB]; r.GetProgressUpdate() != u.GetName() || !r.GetLate() || r.GetDaysOverdue() != 0 || r.GetSubmitTime() == nil ||
			r.GetState() != pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_SUBMITTED || r.GetMilestoneStatus() != pactumv1.MilestoneStatus_MILESTONE_STATUS_SUBMITTED {
			t.Errorf("B's submitted row: %v", r)
		}
		if r := rows[f.ma]; r.GetLate() || r.GetState() != pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_SUBMITTED {
			t.Errorf("A's early row: %v", r)
		}
		if ov.GetLateCount() != 1 || ov.GetSubmittedCount() != 2 || ov.GetAwaitingReviewCount() != 2 || ov.GetApprovedCount() != 0 {
			t.Errorf("counts: late %d submitted %d awaiting %d approved %d; want 1 2 2 0", ov.GetLateCount(), ov.GetSubmittedCount(),
				ov.GetAwaitingReviewCount(), ov.GetApprovedCount())
		}
		// Partner A sees its own two rows only, and not B's update in lists.
		ovA := must(editorA.Progress.GetGrantProgressOverview(ctx, connect.NewRequest(&pactumv1.GetGrantProgressOverviewRequest{Grant: f.g1})))
		for _, r := range ovA.GetRows() {
			if r.GetOrganisation() != f.a {
				t.Errorf("partner A sees %v", r)
			}
		}
		if len(ovA.GetRows()) != 2 || ovA.GetAwaitingReviewCount() != 1 {
			t.Errorf("partner A's overview: %v", ovA)
		}
		list := must(editorA.Progress.ListProgressUpdates(ctx, connect.NewRequest(&pactumv1.ListProgressUpdatesRequest{Grant: f.g1}))).GetProgressUpdates()
		if len(list) != 1 || list[0].GetName() != early.GetName() {
			t.Errorf("partner A lists %v, want only its own update", list)
		}
		all := must(coord.Progress.ListProgressUpdates(ctx, connect.NewRequest(&pactumv1.ListProgressUpdatesRequest{Grant: f.g1,
			State: pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_SUBMITTED, Organisation: f.b}))).GetProgressUpdates()
		if len(all) != 1 || all[0].GetName() != u.GetName() || all[0].GetNextSteps() != "" || all[0].GetOrganisationDisplayName() != "Himalaya Migrant Workers Forum" ||
			all[0].GetProjectDisplayName() != "NP-01 Project NP-01" {
			t.Errorf("coordinator's list of submitted updates: %v", all)
		}
	})
}

// Validation names the field and says what would be valid.
func TestProgressUpdateValidation(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		editor := e.As(t, rpctest.Member(actor.RolePartnerEditor, id(f.a)))
		report := must(e.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
			Grant: f.g1, Project: f.pa, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_NARRATIVE_REPORT,
			DueDate: "2026-12-31", ResponsibleOrganisation: f.a}}))).GetMilestone().GetName()
		_, err := editor.Progress.CreateProgressUpdate(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateRequest{
			ProgressUpdate: &pactumv1.ProgressUpdate{Milestone: report}}))
		rpctest.ExpectViolation(t, err, "progress_update.milestone")

		opA, opB := resFramework(t, e, f.pa), resFramework(t, e, f.pb)
		num := resIndicator(t, &e.Clients, f.pa, opA, "N1", pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER).GetName()
		pct := resIndicator(t, &e.Clients, f.pa, opA, "P1", pactumv1.IndicatorType_INDICATOR_TYPE_PERCENTAGE).GetName()
		yes := resIndicator(t, &e.Clients, f.pa, opA, "Y1", pactumv1.IndicatorType_INDICATOR_TYPE_YES_NO).GetName()
		other := resIndicator(t, &e.Clients, f.pb, opB, "N1", pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER).GetName()
		otherAct := resNewActivity(f, f.pb, "NP").GetName()
		u := puCreate(t, editor, f.ma)

		// An empty draft cannot be submitted.
		_, err = puSubmit(editor, u.GetName(), u.GetEtag(), "")
		rpctest.ExpectViolation(t, err, "progress_update.achievements")

		save := func(values []*pactumv1.IndicatorValue, activities ...string) error {
			_, err := puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: u.GetEtag(), IndicatorValues: values, Activities: activities},
				"indicator_values", "activities")
			return err
		}
		cases := []struct {
			values     []*pactumv1.IndicatorValue
			activities []string
			field      string
		}{
			{[]*pactumv1.IndicatorValue{puValue(other, "3")}, nil, "progress_update.indicator_values[0].indicator"},
			{[]*pactumv1.IndicatorValue{puValue(num, "3"), puValue(num, "4")}, nil, "progress_update.indicator_values[1].indicator"},
			{[]*pactumv1.IndicatorValue{puValue(num, "many")}, nil, "progress_update.indicator_values[0].value"},
			{[]*pactumv1.IndicatorValue{puValue(pct, "120")}, nil, "progress_update.indicator_values[0].value"},
			{[]*pactumv1.IndicatorValue{puValue(yes, "maybe")}, nil, "progress_update.indicator_values[0].value"},
			{[]*pactumv1.IndicatorValue{puValue(num, "3", &pactumv1.DisaggregatedValue{Disaggregation: "age", Category: "youth", Value: "3"})}, nil,
				"progress_update.indicator_values[0].disaggregated_values[0].disaggregation"},
			{[]*pactumv1.IndicatorValue{puValue(num, "3", &pactumv1.DisaggregatedValue{Disaggregation: "sex", Category: "children", Value: "3"})}, nil,
				"progress_update.indicator_values[0].disaggregated_values[0].category"},
			{[]*pactumv1.IndicatorValue{puValue(num, "3", &pactumv1.DisaggregatedValue{Disaggregation: "sex", Category: "women", Value: "x"})}, nil,
				"progress_update.indicator_values[0].disaggregated_values[0].value"},
			{[]*pactumv1.IndicatorValue{puValue(yes, "1", &pactumv1.DisaggregatedValue{Disaggregation: "sex", Category: "women", Value: "1"})}, nil,
				"progress_update.indicator_values[0].disaggregated_values"},
			{nil, []string{otherAct}, "progress_update.activities[0]"},
			{nil, []string{f.pa + "/activities/nope"}, "progress_update.activities[0]"},
		}
		for _, c := range cases {
			rpctest.ExpectViolation(t, save(c.values, c.activities...), c.field)
		}
		// Yes/no values are stored as 1 and 0.
		got, err := puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: u.GetEtag(),
			IndicatorValues: []*pactumv1.IndicatorValue{puValue(yes, "yes"), puValue(pct, "37.50")}}, "indicator_values")
		rpctest.ExpectCode(t, err, 0)
		if got.GetIndicatorValues()[0].GetValue() != "1" || got.GetIndicatorValues()[1].GetValue() != "37.5" {
			t.Errorf("values stored: %v", got.GetIndicatorValues())
		}
		// Only the writable fields.
		_, err = puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: got.GetEtag(), State: pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_APPROVED}, "state")
		rpctest.ExpectViolation(t, err, "update_mask")
		// A return needs a comment saying what to correct.
		_, err = puReturn(&e.Clients, u.GetName(), "", "")
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		// A draft cannot be returned or approved.
		_, err = puApprove(&e.Clients, u.GetName(), "", "")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		// A request_id is for one update only.
		u2 := puCreate(t, editor, puMilestone(t, e, f.g1, f.pa, f.a, "", "", "2026-12-20"))
		for _, x := range []*pactumv1.ProgressUpdate{got, u2} {
			_, err := puUpdate(editor, &pactumv1.ProgressUpdate{Name: x.GetName(), Etag: x.GetEtag(), Achievements: "Done"}, "achievements")
			rpctest.ExpectCode(t, err, 0)
		}
		_, err = puSubmit(editor, u.GetName(), "", "2c0a6c1e-0000-4000-8000-000000000001")
		rpctest.ExpectCode(t, err, 0)
		_, err = puSubmit(editor, u2.GetName(), "", "2c0a6c1e-0000-4000-8000-000000000001")
		rpctest.ExpectViolation(t, err, "request_id")
	})
}

// The files of an update are read by whoever reads it, and changed by its
// editors only while it is a draft or returned (approved updates are locked).
func TestProgressAttachmentAccess(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		caller := func(role actor.Role, org string, grants ...string) context.Context {
			return actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u-" + string(role),
				Memberships: []actor.Membership{{OrganisationID: id(org), Role: role, GrantIDs: grants}}})
		}
		callers := map[string]context.Context{
			"coordinator": caller(actor.RoleCoordinator, f.lead), "finance": caller(actor.RoleFinance, f.lead),
			"auditor": caller(actor.RoleAuditor, f.lead, id(f.g1)), "editorA": caller(actor.RolePartnerEditor, f.a),
			"viewerA": caller(actor.RolePartnerViewer, f.a), "editorB": caller(actor.RolePartnerEditor, f.b),
			"coordinator2": caller(actor.RoleCoordinator, f.lead2),
		}
		u := puCreate(t, &e.Clients, f.ma)
		check := func(stage string, write bool, want map[string]connect.Code) {
			t.Helper()
			for who, ctx := range callers {
				grant, err := e.Services.Progress.AttachmentAccess(ctx, e.DB, u.GetName(), write)
				w, ok := want[who]
				if !ok {
					w = connect.CodeNotFound
				}
				if got := rpctest.Code(connectErr(err)); got != w {
					t.Errorf("%s, write %v, as %s: %v (%v), want %v", stage, write, who, got, err, w)
				}
				if err == nil && "grants/"+grant != f.g1 {
					t.Errorf("grant %s", grant)
				}
			}
		}
		readers := map[string]connect.Code{"coordinator": 0, "finance": 0, "auditor": 0, "editorA": 0, "viewerA": 0}
		check("draft", false, readers)
		check("draft", true, map[string]connect.Code{"coordinator": 0, "finance": pd, "auditor": pd, "editorA": 0, "viewerA": pd})
		u, err := puUpdate(&e.Clients, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: u.GetEtag(), Achievements: "Done"}, "achievements")
		rpctest.ExpectCode(t, err, 0)
		u, err = puSubmit(&e.Clients, u.GetName(), u.GetEtag(), "")
		rpctest.ExpectCode(t, err, 0)
		check("submitted", false, readers)
		check("submitted", true, map[string]connect.Code{"coordinator": connect.CodeFailedPrecondition, "finance": pd, "auditor": pd,
			"editorA": connect.CodeFailedPrecondition, "viewerA": pd})
		_, err = puApprove(&e.Clients, u.GetName(), u.GetEtag(), "")
		rpctest.ExpectCode(t, err, 0)
		check("approved", true, map[string]connect.Code{"coordinator": connect.CodeFailedPrecondition, "finance": pd, "auditor": pd,
			"editorA": connect.CodeFailedPrecondition, "viewerA": pd})
		if _, err := e.Services.Progress.AttachmentAccess(callers["editorA"], e.DB, "progressUpdates/a/b", false); rpctest.Code(connectErr(err)) != connect.CodeInvalidArgument {
			t.Errorf("malformed owner: %v", err)
		}
	})
}

// connectErr maps a domain error to its Connect code the way the server does.
func connectErr(err error) error {
	if err == nil {
		return nil
	}
	code := map[errs.Kind]connect.Code{errs.KindInvalid: connect.CodeInvalidArgument, errs.KindNotFound: connect.CodeNotFound,
		errs.KindPrecondition: connect.CodeFailedPrecondition, errs.KindPermission: connect.CodePermissionDenied}[errs.KindOf(err)]
	if code == 0 {
		code = connect.CodeInternal
	}
	return connect.NewError(code, err)
}
