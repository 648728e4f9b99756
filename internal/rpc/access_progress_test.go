package rpc_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, progressMatrixCases) }

// puOf returns (as admin) the update of milestone ms, starting it if need be.
func puOf(f *fixture, ms string) *pactumv1.ProgressUpdate {
	return must(f.e.Progress.CreateProgressUpdate(context.Background(), connect.NewRequest(&pactumv1.CreateProgressUpdateRequest{
		ProgressUpdate: &pactumv1.ProgressUpdate{Milestone: ms}}))).GetProgressUpdate()
}

// puNew makes (as admin) a fresh update of organisation org in project, with
// an achievement written, submitted when submit is set.
func puNew(t *testing.T, f *fixture, project, org string, submit bool) *pactumv1.ProgressUpdate {
	ctx := context.Background()
	u := puOf(f, f.milestone(t, f.g1, project, org))
	u = must(f.e.Progress.UpdateProgressUpdate(ctx, connect.NewRequest(&pactumv1.UpdateProgressUpdateRequest{
		ProgressUpdate: &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: u.GetEtag(), Achievements: "Trained 20 organisers"},
		UpdateMask:     &fieldmaskpb.FieldMask{Paths: []string{"achievements"}}}))).GetProgressUpdate()
	if submit {
		u = must(f.e.Progress.SubmitProgressUpdate(ctx, connect.NewRequest(&pactumv1.SubmitProgressUpdateRequest{Name: u.GetName()}))).GetProgressUpdate()
	}
	return u
}

// progressMatrixCases: a progress update is read by the grant's
// coordinators, finance staff and auditors and by the members of its own
// organisation, never by another partner (not found), nor by another lead's
// coordinators. Its organisation's editors and the grant's coordinators
// write, submit and comment on it; viewers, finance staff and auditors read
// only; the coordinators alone return and approve it.
func progressMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	type call = func(*testing.T, *fixture, *rpctest.Clients) ([]string, error)
	type side struct {
		what         string
		project, org func(*fixture) string
		milestone    func(*fixture) string
		read, edit   map[string]connect.Code
		review       map[string]connect.Code
	}
	sides := []side{
		{what: "A's", project: func(f *fixture) string { return f.pa }, org: func(f *fixture) string { return f.a },
			milestone: func(f *fixture) string { return f.ma },
			read:      every(ok, "coordinator2", nf),
			edit:      every(pd, "admin,coordinator,editorA", ok, "coordinator2", nf),
			review:    every(pd, "admin,coordinator", ok, "coordinator2", nf)},
		{what: "B's", project: func(f *fixture) string { return f.pb }, org: func(f *fixture) string { return f.b },
			milestone: func(f *fixture) string { return f.mb },
			read:      every(ok, "editorA,viewerA,coordinator2", nf),
			edit:      every(pd, "admin,coordinator", ok, "editorA,viewerA,coordinator2", nf),
			review:    every(pd, "admin,coordinator", ok, "editorA,viewerA,coordinator2", nf)},
	}
	get := func(s side) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: puOf(f, s.milestone(f)).GetName()})))
		}
	}
	create := func(s side) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			ms := f.milestone(t, f.g1, s.project(f), s.org(f))
			return noNames(c.Progress.CreateProgressUpdate(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateRequest{
				ProgressUpdate: &pactumv1.ProgressUpdate{Milestone: ms}})))
		}
	}
	update := func(s side) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			u := puNew(t, f, s.project(f), s.org(f), false)
			return noNames(c.Progress.UpdateProgressUpdate(ctx, connect.NewRequest(&pactumv1.UpdateProgressUpdateRequest{
				ProgressUpdate: &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: u.GetEtag(), Challenges: "Rain"},
				UpdateMask:     &fieldmaskpb.FieldMask{Paths: []string{"challenges"}}})))
		}
	}
	submit := func(s side) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			u := puNew(t, f, s.project(f), s.org(f), false)
			return noNames(c.Progress.SubmitProgressUpdate(ctx, connect.NewRequest(&pactumv1.SubmitProgressUpdateRequest{Name: u.GetName(), Etag: u.GetEtag()})))
		}
	}
	ret := func(s side) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			u := puNew(t, f, s.project(f), s.org(f), true)
			return noNames(c.Progress.ReturnProgressUpdate(ctx, connect.NewRequest(&pactumv1.ReturnProgressUpdateRequest{Name: u.GetName(), Comment: "Fix"})))
		}
	}
	approve := func(s side) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			u := puNew(t, f, s.project(f), s.org(f), true)
			return noNames(c.Progress.ApproveProgressUpdate(ctx, connect.NewRequest(&pactumv1.ApproveProgressUpdateRequest{Name: u.GetName()})))
		}
	}
	listComments := func(s side) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			u := puOf(f, s.milestone(f))
			must(f.e.Progress.CreateProgressUpdateComment(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateCommentRequest{
				Parent: u.GetName(), Comment: &pactumv1.ProgressUpdateComment{Body: "A question"}})))
			res, err := c.Progress.ListProgressUpdateComments(ctx, connect.NewRequest(&pactumv1.ListProgressUpdateCommentsRequest{Parent: u.GetName()}))
			if err == nil && len(res.Msg.GetComments()) == 0 {
				t.Errorf("no comments on %s", u.GetName())
			}
			return nil, err
		}
	}
	createComment := func(s side) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Progress.CreateProgressUpdateComment(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateCommentRequest{
				Parent: puOf(f, s.milestone(f)).GetName(), Comment: &pactumv1.ProgressUpdateComment{Body: "Noted"}})))
		}
	}
	list := func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		puOf(f, f.ma)
		puOf(f, f.mb)
		res, err := c.Progress.ListProgressUpdates(ctx, connect.NewRequest(&pactumv1.ListProgressUpdatesRequest{PageSize: 1000}))
		if err != nil {
			return nil, err
		}
		var names []string
		for _, u := range res.Msg.GetProgressUpdates() {
			names = append(names, u.GetName())
		}
		return names, nil
	}
	overview := func(g func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			res, err := c.Progress.GetGrantProgressOverview(ctx, connect.NewRequest(&pactumv1.GetGrantProgressOverviewRequest{Grant: g(f)}))
			if err != nil {
				return nil, err
			}
			var names []string
			for _, r := range res.Msg.GetRows() {
				names = append(names, r.GetMilestone(), r.GetProgressUpdate())
			}
			return names, nil
		}
	}
	seesUpdates := func(f *fixture) map[string][]string {
		a, b := puOf(f, f.ma).GetName(), puOf(f, f.mb).GetName()
		return merge(byRole(a, "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(b, "admin,coordinator,finance,auditor"))
	}
	notSeesUpdates := func(f *fixture) map[string][]string {
		a, b := puOf(f, f.ma).GetName(), puOf(f, f.mb).GetName()
		return merge(byRole(b, "editorA,viewerA,coordinator2"), byRole(a, "coordinator2"))
	}
	seesRows := func(f *fixture) map[string][]string {
		return merge(seesUpdates(f), byRole(f.ma, "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(f.mb, "admin,coordinator,finance,auditor"))
	}
	notSeesRows := func(f *fixture) map[string][]string {
		return merge(notSeesUpdates(f), byRole(f.mb, "editorA,viewerA"))
	}
	out := map[string][]matrixCase{
		v1.ProgressUpdateServiceListProgressUpdatesProcedure: {{what: "all", want: every(ok), call: list, sees: seesUpdates, notSees: notSeesUpdates}},
		v1.ProgressUpdateServiceGetGrantProgressOverviewProcedure: {
			{what: "G1", want: every(ok, "coordinator2", nf), call: overview(func(f *fixture) string { return f.g1 }), sees: seesRows, notSees: notSeesRows},
			{what: "G2", want: every(nf, "admin,coordinator2", ok), call: overview(func(f *fixture) string { return f.g2 })},
		},
	}
	add := func(p, what string, want map[string]connect.Code, c call) {
		out[p] = append(out[p], matrixCase{what: what, want: want, call: c})
	}
	for _, s := range sides {
		add(v1.ProgressUpdateServiceGetProgressUpdateProcedure, s.what, s.read, get(s))
		add(v1.ProgressUpdateServiceCreateProgressUpdateProcedure, "for "+s.what+" milestone", s.edit, create(s))
		add(v1.ProgressUpdateServiceUpdateProgressUpdateProcedure, s.what+" draft", s.edit, update(s))
		add(v1.ProgressUpdateServiceSubmitProgressUpdateProcedure, s.what+" draft", s.edit, submit(s))
		add(v1.ProgressUpdateServiceReturnProgressUpdateProcedure, s.what+" submitted", s.review, ret(s))
		add(v1.ProgressUpdateServiceApproveProgressUpdateProcedure, s.what+" submitted", s.review, approve(s))
		add(v1.ProgressUpdateServiceListProgressUpdateCommentsProcedure, "on "+s.what, s.read, listComments(s))
		add(v1.ProgressUpdateServiceCreateProgressUpdateCommentProcedure, "on "+s.what, s.edit, createComment(s))
	}
	return out
}
