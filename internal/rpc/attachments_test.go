package rpc_test

import (
	"archive/zip"
	"bytes"
	"context"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/attachment"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// attUpload posts files to owner's attachments over plain HTTP.
func attUpload(t testing.TB, e *rpctest.Env, owner string, a rcptAuth, parts ...rcptPart) rcptAnswer {
	t.Helper()
	ct, body := rcptMultipart(t, parts...)
	return rcptSend(t, e, http.MethodPost, "/files/"+owner+"/attachments", ct, bytes.NewReader(body), a)
}

// attDownload gets an attachment's bytes by its name.
func attDownload(t testing.TB, e *rpctest.Env, name string, a rcptAuth) rcptAnswer {
	t.Helper()
	return rcptSend(t, e, http.MethodGet, "/files/"+name, "", nil, a)
}

// attOf decodes an upload's answer as the frontend does (protojson).
func attOf(t testing.TB, a rcptAnswer) *pactumv1.Attachment {
	t.Helper()
	out := &pactumv1.Attachment{}
	if err := protojson.Unmarshal(a.body, out); err != nil {
		t.Fatalf("status %d: body %q is not an Attachment: %v", a.status, a.body, err)
	}
	return out
}

// attZip is an office document: a ZIP whose first entry is first (stored
// raw, sizes in its header, as office suites write "mimetype").
func attZip(t testing.TB, first, content string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	fw, err := w.CreateRaw(&zip.FileHeader{Name: first, Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(content)),
		CompressedSize64: uint64(len(content)), UncompressedSize64: uint64(len(content))})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte(content))
	cw, err := w.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = cw.Write([]byte(strings.Repeat("<w:p>Training report</w:p>", 50)))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAttachmentUploadAndDownloadOnActivity(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		act := resNewActivity(f, f.pa, "KE").GetName()
		editor := f.roles["editorA"]

		// Partner A's editor adds a photo and a report to an activity of
		// A's project.
		img := rcptPNG(t)
		up := attUpload(t, e, act, rcptBearer(editor), rcptFile("atelier.png", img)).expect(t, http.StatusCreated, "")
		photo := attOf(t, up)
		if !strings.HasPrefix(photo.GetName(), act+"/attachments/") || photo.GetFileName() != "atelier.png" ||
			photo.GetContentType() != "image/png" || photo.GetSizeBytes() != int64(len(img)) ||
			photo.GetUploader() != "users/"+editor.UserID || photo.GetUploaderDisplayName() == "" ||
			photo.GetCreateTime().AsTime().IsZero() || photo.GetDownloadPath() != "/files/"+photo.GetName() {
			t.Fatalf("attachment %v", photo)
		}
		if up.header.Get("Location") != photo.GetDownloadPath() {
			t.Errorf("Location %q", up.header.Get("Location"))
		}
		pdf := rcptPDF(1)
		report := attOf(t, attUpload(t, e, act, rcptBearer(editor), rcptFile(`C:\Rapports\rapport "final".pdf`, pdf)).
			expect(t, http.StatusCreated, ""))
		if report.GetContentType() != "application/pdf" || report.GetFileName() != `rapport "final".pdf` {
			t.Fatalf("attachment %v", report)
		}

		// Partner A's viewer downloads both, byte for byte.
		for _, c := range []struct {
			att     *pactumv1.Attachment
			content []byte
			disp    string
		}{
			{photo, img, `attachment; filename="atelier.png"; filename*=UTF-8''atelier.png`},
			{report, pdf, `attachment; filename="rapport _final_.pdf"; filename*=UTF-8''rapport%20%22final%22.pdf`},
		} {
			d := attDownload(t, e, c.att.GetName(), rcptBearer(f.roles["viewerA"])).expect(t, http.StatusOK, "")
			if !bytes.Equal(d.body, c.content) {
				t.Fatalf("%s: downloaded %d bytes, uploaded %d", c.att.GetName(), len(d.body), len(c.content))
			}
			for h, want := range map[string]string{
				"Content-Type": c.att.GetContentType(), "Content-Disposition": c.disp,
				"X-Content-Type-Options": "nosniff", "Cache-Control": "private",
			} {
				if got := d.header.Get(h); got != want {
					t.Errorf("%s: %s %q, want %q", c.att.GetFileName(), h, got, want)
				}
			}
		}

		// Office documents and text, typed by their bytes (and, for a ZIP,
		// the extension that says which office document it is).
		for _, c := range []struct{ name, want, wantName, wantType string }{
			{"budget.xlsx", attachment.TypeXLSX, "budget.xlsx", attachment.TypeXLSX},
			{"minutes.odt", attachment.TypeODT, "minutes.odt", attachment.TypeODT},
			{"participants.csv", attachment.TypeCSV, "participants.csv", "text/csv; charset=utf-8"},
			{"notes.html", attachment.TypeText, "notes.txt", "text/plain; charset=utf-8"},
		} {
			var content []byte
			switch c.want {
			case attachment.TypeXLSX:
				content = attZip(t, "[Content_Types].xml", `<?xml version="1.0"?><Types/>`)
			case attachment.TypeODT:
				content = attZip(t, "mimetype", attachment.TypeODT)
			default:
				content = []byte("name,women,men\nNairobi,12,3\n" + c.name)
			}
			a := attOf(t, attUpload(t, e, act, rcptBearer(editor), rcptFile(c.name, content)).expect(t, http.StatusCreated, ""))
			if a.GetContentType() != c.want || a.GetFileName() != c.wantName {
				t.Errorf("%s: attachment %v", c.name, a)
			}
			d := attDownload(t, e, a.GetName(), rcptBearer(editor)).expect(t, http.StatusOK, "")
			if !bytes.Equal(d.body, content) || d.header.Get("Content-Type") != c.wantType {
				t.Errorf("%s: downloaded %q as %s", c.name, d.body, d.header.Get("Content-Type"))
			}
		}

		// The same file again (a retry): the first attachment, 200.
		again := attOf(t, attUpload(t, e, act, rcptBearer(editor), rcptFile("copy.png", img)).expect(t, http.StatusOK, ""))
		if again.GetName() != photo.GetName() || again.GetFileName() != "atelier.png" {
			t.Fatalf("again %v, first %v", again, photo)
		}

		// The activity shows its files, oldest first, on Get and List.
		got := must(f.roles["viewerA"].Activities.GetActivity(ctx, connect.NewRequest(&pactumv1.GetActivityRequest{Name: act}))).GetActivity()
		if n := len(got.GetAttachments()); n != 6 || got.GetAttachments()[0].GetName() != photo.GetName() ||
			got.GetAttachments()[1].GetName() != report.GetName() || got.GetAttachments()[0].GetDownloadPath() != photo.GetDownloadPath() {
			t.Fatalf("GetActivity attachments %v", got.GetAttachments())
		}
		other := resNewActivity(f, f.pa, "KE").GetName()
		list := must(editor.Activities.ListActivities(ctx, connect.NewRequest(&pactumv1.ListActivitiesRequest{Parent: f.pa, PageSize: 10}))).GetActivities()
		byName := map[string]int{}
		for _, a := range list {
			byName[a.GetName()] = len(a.GetAttachments())
		}
		if byName[act] != 6 || byName[other] != 0 || len(byName) != 2 {
			t.Fatalf("ListActivities attachments per activity %v", byName)
		}

		// Every upload is in the audit trail, by whom and of which grant.
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM audit_events WHERE resource LIKE ? AND action = 'create' AND actor = ? AND grant_id = ?",
			act+"/attachments/%", "users/"+editor.UserID, id(f.g1)); n != 6 {
			t.Errorf("%d create events, want 6", n)
		}
	})
}

func TestAttachmentAccessOnActivities(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		actA := resNewActivity(f, f.pa, "KE").GetName()
		actB := resNewActivity(f, f.pb, "NP").GetName()
		r := func(who string) rcptAuth { return rcptBearer(f.roles[who]) }
		n := 0
		pdf := func() rcptPart { n++; return rcptFile("r.pdf", rcptPDF(100+n)) }

		// Who may add files: those who may change the activity.
		for _, tc := range []struct {
			who, act string
			status   int
			code     string
		}{
			{"admin", actB, http.StatusCreated, ""},
			{"coordinator", actA, http.StatusCreated, ""},
			{"editorA", actA, http.StatusCreated, ""},
			// Another partner's activity does not exist for A.
			{"editorA", actB, http.StatusNotFound, "not_found"},
			{"viewerA", actB, http.StatusNotFound, "not_found"},
			{"coordinator2", actA, http.StatusNotFound, "not_found"},
			// Readers who may not change it.
			{"viewerA", actA, http.StatusForbidden, "permission_denied"},
			{"finance", actA, http.StatusForbidden, "permission_denied"},
			{"auditor", actA, http.StatusForbidden, "permission_denied"},
		} {
			on := "A's"
			if tc.act == actB {
				on = "B's"
			}
			t.Run("upload "+tc.who+" on "+on, func(t *testing.T) { attUpload(t, e, tc.act, r(tc.who), pdf()).expect(t, tc.status, tc.code) })
		}
		// Unknown activities, owners and paths.
		attUpload(t, e, f.pb+"/activities/"+id(actA), r("admin"), pdf()).expect(t, http.StatusNotFound, "not_found")
		attUpload(t, e, f.pa+"/activities/nope", r("admin"), pdf()).expect(t, http.StatusNotFound, "not_found")
		_, msg := attUpload(t, e, f.g1, r("admin"), pdf()).expect(t, http.StatusBadRequest, "invalid_argument").connectError(t)
		if !strings.Contains(msg, "parent: must be the name of an activity (projects/{project}/activities/{activity}) or of a progress update") {
			t.Errorf("unknown owner: %q does not say what owners are", msg)
		}
		attUpload(t, e, f.pa, r("admin"), pdf()).expect(t, http.StatusBadRequest, "invalid_argument")
		rcptSend(t, e, http.MethodPost, "/files/"+actA+"/photos", "text/plain", strings.NewReader("x"), r("admin")).expect(t, http.StatusNotFound, "not_found")
		// Without valid credentials: unauthenticated.
		attUpload(t, e, actA, nil, pdf()).expect(t, http.StatusUnauthorized, "unauthenticated")
		attUpload(t, e, actA, func(r *http.Request) { r.Header.Set("Authorization", "Bearer pt_forged") }, pdf()).
			expect(t, http.StatusUnauthorized, "unauthenticated")

		// Who may read them.
		onA := attOf(t, attUpload(t, e, actA, r("admin"), pdf()).expect(t, http.StatusCreated, "")).GetName()
		onB := attOf(t, attUpload(t, e, actB, r("admin"), pdf()).expect(t, http.StatusCreated, "")).GetName()
		for _, who := range f.roleOrder {
			wantA, wantB := http.StatusOK, http.StatusOK
			switch who {
			case "editorA", "viewerA":
				wantB = http.StatusNotFound
			case "coordinator2":
				wantA, wantB = http.StatusNotFound, http.StatusNotFound
			}
			t.Run("download "+who, func(t *testing.T) {
				attDownload(t, e, onA, r(who)).expect(t, wantA, "")
				attDownload(t, e, onB, r(who)).expect(t, wantB, "")
			})
		}
		// A file read through another activity's name: not found.
		attDownload(t, e, actB+"/attachments/"+id(onA), r("admin")).expect(t, http.StatusNotFound, "not_found")
		attDownload(t, e, actA+"/attachments/", r("admin")).expect(t, http.StatusNotFound, "not_found")
		attDownload(t, e, onA, nil).expect(t, http.StatusUnauthorized, "unauthenticated")
	})
}

func TestAttachmentSizeAndTypeLimits(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		act := resNewActivity(f, f.pa, "KE").GetName()
		editor := rcptBearer(f.roles["editorA"])

		// Exactly 20 MB is allowed; one byte more is not.
		exact := append(rcptPDF(2), bytes.Repeat([]byte{'x'}, attachment.MaxBytes-len(rcptPDF(2)))...)
		attUpload(t, e, act, editor, rcptFile("big.pdf", exact)).expect(t, http.StatusCreated, "")
		over := append(exact, 'y')
		_, msg := attUpload(t, e, act, editor, rcptFile("bigger.pdf", over)).expect(t, http.StatusRequestEntityTooLarge, "resource_exhausted").connectError(t)
		if !strings.Contains(msg, "20 MB") {
			t.Errorf("413 message %q does not name the limit", msg)
		}
		// Far over: refused from the length, and without one (chunked) as read.
		huge := append(over, bytes.Repeat([]byte{'z'}, 2<<20)...)
		attUpload(t, e, act, editor, rcptFile("huge.pdf", huge)).expect(t, http.StatusRequestEntityTooLarge, "resource_exhausted")
		ct, body := rcptMultipart(t, rcptFile("huge.pdf", huge))
		rcptSend(t, e, http.MethodPost, "/files/"+act+"/attachments", ct, io.MultiReader(bytes.NewReader(body)), editor).
			expect(t, http.StatusRequestEntityTooLarge, "resource_exhausted")

		// Types are sniffed from the bytes, never taken from the name or
		// the declared type; the answer says what is allowed.
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
		html := []byte("<!DOCTYPE html><html><body><script>fetch('/pactum.v1.UserService/ListUsers')</script></body></html>")
		archive := attZip(t, "photos/1.jpg", "not really")
		for _, bad := range []rcptPart{rcptFile("report.pdf", exe), rcptFile("photo.png", html), rcptFile("notes.txt", html),
			rcptFile("photos.zip", archive)} {
			_, msg := attUpload(t, e, act, editor, bad).expect(t, http.StatusUnsupportedMediaType, "invalid_argument").connectError(t)
			if !strings.Contains(msg, "PDF, JPEG, PNG, WebP, GIF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx)") ||
				!strings.Contains(msg, "CSV (.csv)") {
				t.Errorf("%s: 415 message %q does not name the allowed types", bad.name, msg)
			}
		}
		// Other malformed uploads.
		attUpload(t, e, act, editor, rcptFile("empty.pdf", nil)).expect(t, http.StatusBadRequest, "invalid_argument")
		attUpload(t, e, act, editor, rcptPart{field: "photo", name: "a.pdf", content: rcptPDF(3)}).expect(t, http.StatusBadRequest, "invalid_argument")
		attUpload(t, e, act, editor, rcptFile("a.pdf", rcptPDF(4)), rcptFile("b.pdf", rcptPDF(5))).expect(t, http.StatusBadRequest, "invalid_argument")
		rcptSend(t, e, http.MethodPost, "/files/"+act+"/attachments", "application/pdf", bytes.NewReader(rcptPDF(6)), editor).
			expect(t, http.StatusUnsupportedMediaType, "invalid_argument")

		// Only the 20 MB file was kept.
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM attachments WHERE owner = ?", act); n != 1 {
			t.Errorf("%d attachments stored, want 1", n)
		}
	})
}

func TestAttachmentUploadWithSessionCookieNeedsSameOriginProof(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		act := resNewActivity(f, f.pa, "KE").GetName()
		createUserWithPassword(t, e, "amina@umoja.example", "a long enough password", rpctest.Member(actor.RolePartnerEditor, id(f.a)))
		res, err := signIn(e, "amina@umoja.example", "a long enough password")
		if err != nil {
			t.Fatal(err)
		}
		c, err := http.ParseSetCookie(res.Header().Get("Set-Cookie"))
		if err != nil {
			t.Fatal(err)
		}
		session := c.Value
		// A cross-site form post carries the cookie but cannot add headers.
		for _, headers := range [][]string{nil, {"Origin: https://evil.example"}, {"Origin: null"}, {"Sec-Fetch-Site: cross-site"}} {
			_, msg := attUpload(t, e, act, rcptCookie(session, headers...), rcptFile("r.pdf", rcptPDF(7))).
				expect(t, http.StatusForbidden, "permission_denied").connectError(t)
			if !strings.Contains(msg, "X-Requested-With") {
				t.Errorf("%v: message %q does not say what to send", headers, msg)
			}
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM attachments"); n != 0 {
			t.Fatalf("%d attachments stored by refused requests", n)
		}
		// The web app's header, or Pactum's own origin, passes.
		var names []string
		for i, headers := range [][]string{{"X-Requested-With: pactum"}, {"Origin: " + e.URL}, {"Sec-Fetch-Site: same-origin"}} {
			names = append(names, attOf(t, attUpload(t, e, act, rcptCookie(session, headers...), rcptFile("r.pdf", rcptPDF(8+i))).
				expect(t, http.StatusCreated, "")).GetName())
		}
		// Reading needs no proof: a link opens it.
		attDownload(t, e, names[0], rcptCookie(session)).expect(t, http.StatusOK, "")
	})
}

func TestAttachmentListAndDelete(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		act := resNewActivity(f, f.pa, "KE").GetName()
		act2 := resNewActivity(f, f.pa, "KE").GetName()
		editor := f.roles["editorA"]
		pdf := rcptPDF(9)
		first := attOf(t, attUpload(t, e, act, rcptBearer(editor), rcptFile("r.pdf", pdf)).expect(t, http.StatusCreated, ""))
		photo := attOf(t, attUpload(t, e, act, rcptBearer(editor), rcptFile("p.png", rcptPNG(t))).expect(t, http.StatusCreated, ""))
		// The same bytes on another activity: its own attachment, one blob.
		shared := attOf(t, attUpload(t, e, act2, rcptBearer(editor), rcptFile("r.pdf", pdf)).expect(t, http.StatusCreated, ""))

		list := func(c *rpctest.Clients, parent string) ([]string, error) {
			res, err := c.Attachments.ListAttachments(ctx, connect.NewRequest(&pactumv1.ListAttachmentsRequest{Parent: parent}))
			if err != nil {
				return nil, err
			}
			var names []string
			for _, a := range res.Msg.GetAttachments() {
				names = append(names, a.GetName())
				if a.GetDownloadPath() != "/files/"+a.GetName() || a.GetUploader() != "users/"+editor.UserID {
					t.Errorf("listed %v", a)
				}
			}
			return names, nil
		}
		names, err := list(f.roles["viewerA"], act)
		if err != nil || strings.Join(names, ",") != first.GetName()+","+photo.GetName() {
			t.Fatalf("ListAttachments = %v, %v", names, err)
		}
		_, err = list(f.roles["coordinator2"], act)
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = list(&e.Clients, "projects/x")
		rpctest.ExpectViolation(t, err, "parent")

		del := func(c *rpctest.Clients, name string) error {
			_, err := c.Attachments.DeleteAttachment(ctx, connect.NewRequest(&pactumv1.DeleteAttachmentRequest{Name: name}))
			return err
		}
		rpctest.ExpectCode(t, del(f.roles["viewerA"], first.GetName()), connect.CodePermissionDenied)
		rpctest.ExpectCode(t, del(f.roles["coordinator2"], first.GetName()), connect.CodeNotFound)
		rpctest.ExpectCode(t, del(editor, first.GetName()), 0)
		rpctest.ExpectCode(t, del(editor, first.GetName()), connect.CodeNotFound)
		rpctest.ExpectViolation(t, del(&e.Clients, "grants/x/attachments/y"), "name")
		rpctest.ExpectCode(t, del(editor, act2+"/attachments/"+id(photo.GetName())), connect.CodeNotFound)
		attDownload(t, e, first.GetName(), rcptBearer(editor)).expect(t, http.StatusNotFound, "not_found")
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = 'delete' AND actor = ? AND grant_id = ?",
			first.GetName(), "users/"+editor.UserID, id(f.g1)); n != 1 {
			t.Errorf("%d delete events", n)
		}
		// The other attachment of the same bytes still reads.
		if d := attDownload(t, e, shared.GetName(), rcptBearer(editor)).expect(t, http.StatusOK, ""); !bytes.Equal(d.body, pdf) {
			t.Fatal("the shared attachment lost its bytes")
		}
		names, err = list(editor, act)
		if err != nil || strings.Join(names, ",") != photo.GetName() {
			t.Fatalf("after delete: %v, %v", names, err)
		}
		// Uploading it again after deletion makes a new attachment.
		again := attOf(t, attUpload(t, e, act, rcptBearer(editor), rcptFile("r.pdf", pdf)).expect(t, http.StatusCreated, ""))
		if again.GetName() == first.GetName() {
			t.Fatal("deleted attachment came back")
		}
	})
}

func TestAttachmentsOfProgressUpdates(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		editor, coordinator := f.roles["editorA"], f.roles["coordinator"]
		u := must(editor.Progress.CreateProgressUpdate(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateRequest{
			ProgressUpdate: &pactumv1.ProgressUpdate{Milestone: f.ma}}))).GetProgressUpdate()
		owner := u.GetName()
		u = must(editor.Progress.UpdateProgressUpdate(ctx, connect.NewRequest(&pactumv1.UpdateProgressUpdateRequest{
			ProgressUpdate: &pactumv1.ProgressUpdate{Name: owner, Etag: u.GetEtag(), Achievements: "Trained 40 domestic workers in Mombasa."},
			UpdateMask:     &fieldmaskpb.FieldMask{Paths: []string{"achievements"}}}))).GetProgressUpdate()

		// While a draft, A's editor adds evidence; A's viewer reads it;
		// another partner, and a viewer's upload, are refused.
		pdf := rcptPDF(20)
		att := attOf(t, attUpload(t, e, owner, rcptBearer(editor), rcptFile("attendance.pdf", pdf)).expect(t, http.StatusCreated, ""))
		if !strings.HasPrefix(att.GetName(), owner+"/attachments/") || att.GetDownloadPath() != "/files/"+att.GetName() {
			t.Fatalf("attachment %v", att)
		}
		if d := attDownload(t, e, att.GetName(), rcptBearer(f.roles["viewerA"])).expect(t, http.StatusOK, ""); !bytes.Equal(d.body, pdf) {
			t.Fatal("downloaded other bytes")
		}
		attUpload(t, e, owner, rcptBearer(f.roles["viewerA"]), rcptFile("x.pdf", rcptPDF(21))).expect(t, http.StatusForbidden, "permission_denied")
		attUpload(t, e, owner, rcptBearer(f.roles["coordinator2"]), rcptFile("x.pdf", rcptPDF(22))).expect(t, http.StatusNotFound, "not_found")
		attDownload(t, e, att.GetName(), rcptBearer(f.roles["coordinator2"])).expect(t, http.StatusNotFound, "not_found")
		res, err := f.roles["viewerA"].Attachments.ListAttachments(ctx, connect.NewRequest(&pactumv1.ListAttachmentsRequest{Parent: owner}))
		if err != nil || len(res.Msg.GetAttachments()) != 1 || res.Msg.GetAttachments()[0].GetName() != att.GetName() {
			t.Fatalf("ListAttachments = %v, %v", res, err)
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = 'create' AND grant_id = ?", att.GetName(), id(f.g1)); n != 1 {
			t.Errorf("%d create events", n)
		}

		// Once approved, the update is locked: no file is added or removed.
		u = must(editor.Progress.SubmitProgressUpdate(ctx, connect.NewRequest(&pactumv1.SubmitProgressUpdateRequest{Name: owner, Etag: u.GetEtag()}))).GetProgressUpdate()
		must(coordinator.Progress.ApproveProgressUpdate(ctx, connect.NewRequest(&pactumv1.ApproveProgressUpdateRequest{Name: owner, Etag: u.GetEtag()})))
		for _, who := range []string{"editorA", "coordinator", "admin"} {
			attUpload(t, e, owner, rcptBearer(f.roles[who]), rcptFile("late.pdf", rcptPDF(23))).expect(t, http.StatusBadRequest, "failed_precondition")
			_, err := f.roles[who].Attachments.DeleteAttachment(ctx, connect.NewRequest(&pactumv1.DeleteAttachmentRequest{Name: att.GetName()}))
			rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM attachments WHERE owner = ?", owner); n != 1 {
			t.Errorf("%d attachments after approval, want the one", n)
		}
		// Still readable.
		attDownload(t, e, att.GetName(), rcptBearer(f.roles["auditor"])).expect(t, http.StatusOK, "")
	})
}

// A photo's caption, credit and consent: set by who may change the owner's
// files, with the etag; consent false until someone records it; locked with
// an approved progress update.
func TestAttachmentCaptionCreditAndConsent(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		editor, viewer, coordinator := f.roles["editorA"], f.roles["viewerA"], f.roles["coordinator"]
		act := resNewActivity(f, f.pa, "KE").GetName()
		photo := attOf(t, attUpload(t, e, act, rcptBearer(editor), rcptFile("atelier.png", rcptPNG(t))).expect(t, http.StatusCreated, ""))
		if photo.GetConsent() || photo.GetCaption() != "" || photo.GetEtag() == "" || !photo.GetCallerCanUpdate() {
			t.Fatalf("new photo %v: want no consent, no caption, an etag, changeable by its uploader", photo)
		}
		list := func(c *rpctest.Clients) *pactumv1.Attachment {
			t.Helper()
			res, err := c.Attachments.ListAttachments(ctx, connect.NewRequest(&pactumv1.ListAttachmentsRequest{Parent: act}))
			if err != nil || len(res.Msg.GetAttachments()) != 1 {
				t.Fatalf("ListAttachments = %v, %v", res, err)
			}
			return res.Msg.GetAttachments()[0]
		}
		if list(viewer).GetCallerCanUpdate() || !list(coordinator).GetCallerCanUpdate() {
			t.Errorf("caller_can_update: viewer %v, coordinator %v", list(viewer).GetCallerCanUpdate(), list(coordinator).GetCallerCanUpdate())
		}
		update := func(c *rpctest.Clients, a *pactumv1.Attachment, paths ...string) (*pactumv1.Attachment, error) {
			res, err := c.Attachments.UpdateAttachment(ctx, connect.NewRequest(&pactumv1.UpdateAttachmentRequest{
				Attachment: a, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetAttachment(), nil
		}

		// The partner's editor writes the caption and credit, and records consent.
		got, err := update(editor, &pactumv1.Attachment{Name: photo.GetName(), Etag: photo.GetEtag(),
			Caption: "  Domestic workers at the Mombasa training ", Credit: "Photo: Amina Wanjiku", Consent: true}, "caption", "credit", "consent")
		if err != nil {
			t.Fatal(err)
		}
		if got.GetCaption() != "Domestic workers at the Mombasa training" || got.GetCredit() != "Photo: Amina Wanjiku" || !got.GetConsent() || got.GetEtag() == photo.GetEtag() {
			t.Fatalf("updated %v", got)
		}
		// The coordinator reads them in the list and in the activity.
		if l := list(coordinator); l.GetCaption() != got.GetCaption() || !l.GetConsent() || l.GetEtag() != got.GetEtag() {
			t.Errorf("listed %v", l)
		}
		a := must(coordinator.Activities.GetActivity(ctx, connect.NewRequest(&pactumv1.GetActivityRequest{Name: act}))).GetActivity()
		if len(a.GetAttachments()) != 1 || a.GetAttachments()[0].GetCredit() != "Photo: Amina Wanjiku" || !a.GetAttachments()[0].GetCallerCanUpdate() {
			t.Errorf("activity's attachments %v", a.GetAttachments())
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = 'update'", photo.GetName()); n != 1 {
			t.Errorf("%d update events, want 1", n)
		}

		// The old etag is stale; none is invalid; the viewer may not; the mask
		// names only these fields; a too-long caption names its field.
		_, err = update(coordinator, &pactumv1.Attachment{Name: photo.GetName(), Etag: photo.GetEtag(), Consent: false}, "consent")
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = update(coordinator, &pactumv1.Attachment{Name: photo.GetName(), Consent: false}, "consent")
		rpctest.ExpectViolation(t, err, "attachment.etag")
		_, err = update(viewer, &pactumv1.Attachment{Name: photo.GetName(), Etag: got.GetEtag(), Consent: false}, "consent")
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = update(coordinator, &pactumv1.Attachment{Name: photo.GetName(), Etag: got.GetEtag(), FileName: "x.png"}, "file_name")
		rpctest.ExpectViolation(t, err, "update_mask")
		_, err = update(coordinator, &pactumv1.Attachment{Name: photo.GetName(), Etag: got.GetEtag(), Credit: strings.Repeat("é", attachment.MaxCreditLen+1)}, "credit")
		rpctest.ExpectViolation(t, err, "attachment.credit")
		if l := list(coordinator); !l.GetConsent() || l.GetEtag() != got.GetEtag() {
			t.Errorf("refused updates changed the photo: %v", l)
		}

		// The coordinator withdraws consent: only the masked field changes.
		got2, err := update(coordinator, &pactumv1.Attachment{Name: photo.GetName(), Etag: got.GetEtag(), Caption: "ignored", Consent: false}, "consent")
		if err != nil {
			t.Fatal(err)
		}
		if got2.GetConsent() || got2.GetCaption() != got.GetCaption() {
			t.Errorf("after withdrawing consent %v", got2)
		}

		// A progress update's photo is locked once the update is approved.
		u := must(editor.Progress.CreateProgressUpdate(ctx, connect.NewRequest(&pactumv1.CreateProgressUpdateRequest{
			ProgressUpdate: &pactumv1.ProgressUpdate{Milestone: f.ma}}))).GetProgressUpdate()
		up := attOf(t, attUpload(t, e, u.GetName(), rcptBearer(editor), rcptFile("p.png", rcptPNG(t))).expect(t, http.StatusCreated, ""))
		up, err = update(editor, &pactumv1.Attachment{Name: up.GetName(), Etag: up.GetEtag(), Consent: true}, "consent")
		if err != nil {
			t.Fatal(err)
		}
		u = must(editor.Progress.UpdateProgressUpdate(ctx, connect.NewRequest(&pactumv1.UpdateProgressUpdateRequest{
			ProgressUpdate: &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: u.GetEtag(), Achievements: "Trained 40 domestic workers."},
			UpdateMask:     &fieldmaskpb.FieldMask{Paths: []string{"achievements"}}}))).GetProgressUpdate()
		u = must(editor.Progress.SubmitProgressUpdate(ctx, connect.NewRequest(&pactumv1.SubmitProgressUpdateRequest{Name: u.GetName(), Etag: u.GetEtag()}))).GetProgressUpdate()
		u = must(coordinator.Progress.ApproveProgressUpdate(ctx, connect.NewRequest(&pactumv1.ApproveProgressUpdateRequest{Name: u.GetName(), Etag: u.GetEtag()}))).GetProgressUpdate()
		_, err = update(coordinator, &pactumv1.Attachment{Name: up.GetName(), Etag: up.GetEtag(), Credit: "x"}, "credit")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		_, err = update(editor, &pactumv1.Attachment{Name: up.GetName(), Etag: up.GetEtag(), Caption: "late"}, "caption")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		// Consent may still be withdrawn by who could change it, never by a viewer.
		consented := func() int {
			return rcptCount(t, e, "SELECT COUNT(*) FROM attachments WHERE id = ? AND consent", id(up.GetName()))
		}
		if consented() != 1 {
			t.Fatalf("consent recorded on the draft is not stored")
		}
		_, err = update(viewer, &pactumv1.Attachment{Name: up.GetName(), Etag: up.GetEtag(), Consent: false}, "consent")
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = update(editor, &pactumv1.Attachment{Name: up.GetName(), Etag: up.GetEtag(), Consent: false, Caption: "x"}, "consent", "caption")
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if _, err = update(editor, &pactumv1.Attachment{Name: up.GetName(), Etag: up.GetEtag(), Consent: false}, "consent"); err != nil {
			t.Errorf("withdrawing consent on an approved update: %v", err)
		}
		if consented() != 0 {
			t.Error("consent withdrawn on an approved update is still recorded")
		}
		pu := must(coordinator.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: u.GetName()}))).GetProgressUpdate()
		if len(pu.GetAttachments()) != 1 || pu.GetAttachments()[0].GetCallerCanUpdate() {
			t.Errorf("approved update's attachments %v: want one, not changeable", pu.GetAttachments())
		}
	})
}
