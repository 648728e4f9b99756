package rpc_test

import (
	"context"
	"net/http"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, attachmentMatrixCases) }

// attNewOnActivity logs an activity in project and uploads a file to it (as
// admin), returning the activity's and the file's names.
func attNewOnActivity(t *testing.T, f *fixture, project func(*fixture) string) (string, string) {
	act := resNewActivity(f, project(f), "KE").GetName()
	a := attOf(t, attUpload(t, f.e, act, rcptBearer(&f.e.Clients), rcptFile("r.pdf", rcptPDF(2000+f.next()))).expect(t, http.StatusCreated, ""))
	return act, a.GetName()
}

// attNewOnUpdate makes a draft progress update for a new milestone of
// project, org responsible, and uploads a file to it (as admin), returning
// the update's and the file's names.
func attNewOnUpdate(t *testing.T, f *fixture, project, org func(*fixture) string) (string, string) {
	m := f.milestone(t, f.g1, project(f), org(f))
	u := must(f.e.Progress.CreateProgressUpdate(context.Background(), connect.NewRequest(&pactumv1.CreateProgressUpdateRequest{
		ProgressUpdate: &pactumv1.ProgressUpdate{Milestone: m}}))).GetProgressUpdate().GetName()
	a := attOf(t, attUpload(t, f.e, u, rcptBearer(&f.e.Clients), rcptFile("r.pdf", rcptPDF(3000+f.next()))).expect(t, http.StatusCreated, ""))
	return u, a.GetName()
}

// attachmentMatrixCases: an activity's files are read by whoever reads the
// activity (never by another partner: not found) and deleted by whoever may
// change it: the grant's coordinators and the editors of a partner taking
// part in the project. A progress update's files are read by whoever reads
// the update (its organisation's members, the grant's staff) and changed by
// whoever may edit it: the grant's coordinators and its organisation's
// editors.
func attachmentMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	pa := func(f *fixture) string { return f.pa }
	pb := func(f *fixture) string { return f.pb }
	a := func(f *fixture) string { return f.a }
	b := func(f *fixture) string { return f.b }
	onActivity := func(p func(*fixture) string) func(*testing.T, *fixture) (string, string) {
		return func(t *testing.T, f *fixture) (string, string) { return attNewOnActivity(t, f, p) }
	}
	onUpdate := func(p, o func(*fixture) string) func(*testing.T, *fixture) (string, string) {
		return func(t *testing.T, f *fixture) (string, string) { return attNewOnUpdate(t, f, p, o) }
	}
	type call = func(*testing.T, *fixture, *rpctest.Clients) ([]string, error)
	list := func(made func(*testing.T, *fixture) (string, string)) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			owner, _ := made(t, f)
			res, err := c.Attachments.ListAttachments(ctx, connect.NewRequest(&pactumv1.ListAttachmentsRequest{Parent: owner}))
			if err != nil {
				return nil, err
			}
			if len(res.Msg.GetAttachments()) != 1 {
				t.Errorf("listed %v, want the one file", res.Msg.GetAttachments())
			}
			return nil, nil
		}
	}
	del := func(made func(*testing.T, *fixture) (string, string)) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			_, name := made(t, f)
			return noNames(c.Attachments.DeleteAttachment(ctx, connect.NewRequest(&pactumv1.DeleteAttachmentRequest{Name: name})))
		}
	}
	upd := func(made func(*testing.T, *fixture) (string, string)) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			owner, name := made(t, f)
			// The etag as the admin who uploaded it reads it.
			etag := must(f.e.Attachments.ListAttachments(ctx, connect.NewRequest(&pactumv1.ListAttachmentsRequest{Parent: owner}))).GetAttachments()[0].GetEtag()
			res, err := c.Attachments.UpdateAttachment(ctx, connect.NewRequest(&pactumv1.UpdateAttachmentRequest{
				Attachment: &pactumv1.Attachment{Name: name, Etag: etag, Caption: "Members at the workshop", Credit: "Photo: A. Wanjiku", Consent: true},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"caption", "credit", "consent"}}}))
			if err != nil {
				return nil, err
			}
			if a := res.Msg.GetAttachment(); a.GetCaption() != "Members at the workshop" || !a.GetConsent() || a.GetEtag() == etag || !a.GetCallerCanUpdate() {
				t.Errorf("updated attachment %v", a)
			}
			return nil, nil
		}
	}
	return map[string][]matrixCase{
		v1.AttachmentServiceListAttachmentsProcedure: {
			{what: "of PA's activity", want: every(ok, "coordinator2", nf), call: list(onActivity(pa))},
			{what: "of PB's activity", want: every(ok, "editorA,viewerA,coordinator2", nf), call: list(onActivity(pb))},
			{what: "of A's progress update", want: every(ok, "coordinator2", nf), call: list(onUpdate(pa, a))},
			{what: "of B's progress update", want: every(ok, "editorA,viewerA,coordinator2", nf), call: list(onUpdate(pb, b))},
		},
		v1.AttachmentServiceDeleteAttachmentProcedure: {
			{what: "of PA's activity", want: every(pd, "admin,coordinator,editorA", ok, "coordinator2", nf), call: del(onActivity(pa))},
			{what: "of PB's activity", want: every(pd, "admin,coordinator", ok, "editorA,viewerA,coordinator2", nf), call: del(onActivity(pb))},
			{what: "of A's draft progress update", want: every(pd, "admin,coordinator,editorA", ok, "coordinator2", nf), call: del(onUpdate(pa, a))},
			{what: "of B's draft progress update", want: every(pd, "admin,coordinator", ok, "editorA,viewerA,coordinator2", nf), call: del(onUpdate(pb, b))},
		},
		v1.AttachmentServiceUpdateAttachmentProcedure: {
			{what: "of PA's activity", want: every(pd, "admin,coordinator,editorA", ok, "coordinator2", nf), call: upd(onActivity(pa))},
			{what: "of PB's activity", want: every(pd, "admin,coordinator", ok, "editorA,viewerA,coordinator2", nf), call: upd(onActivity(pb))},
			{what: "of A's draft progress update", want: every(pd, "admin,coordinator,editorA", ok, "coordinator2", nf), call: upd(onUpdate(pa, a))},
			{what: "of B's draft progress update", want: every(pd, "admin,coordinator", ok, "editorA,viewerA,coordinator2", nf), call: upd(onUpdate(pb, b))},
		},
	}
}
