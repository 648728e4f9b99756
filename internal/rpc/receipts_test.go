package rpc_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/blob"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/receipt"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// rcptBlobDir points the server's receipt service at a blob store in a
// folder of the test's own, so that tests can count the files stored.
func rcptBlobDir(t *testing.T, e *rpctest.Env) string {
	t.Helper()
	dir := t.TempDir()
	fs, err := blob.NewFS(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	*e.Services.Receipts = *receipt.NewService(e.DB, fs)
	return dir
}

func rcptBlobFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// rcptExpenditure writes an expenditure row directly (the expenditure
// service is not needed to test receipts) and returns its name. Its budget
// line, "L-{org}", is allocated to org in the grant's adopted budget (made
// here too when missing), as partners may change only expenditures on their
// own allocations.
func rcptExpenditure(t testing.TB, e *rpctest.Env, grant, project, org, status string) string {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Microsecond)
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := e.DB.NewRaw(query, args...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	lineKey := "L-" + id(org)
	var versions []string
	if err := e.DB.NewRaw("SELECT id FROM budget_versions WHERE grant_id = ? AND state = 'adopted'", id(grant)).Scan(ctx, &versions); err != nil {
		t.Fatal(err)
	}
	if len(versions) == 0 {
		versions = []string{resource.NewID()}
		exec(`INSERT INTO budget_versions (id, grant_id, number, kind, label, state, adopt_time, create_time, update_time)
			VALUES (?, ?, 0, 'original', 'Original', 'adopted', ?, ?, ?)`, versions[0], id(grant), now, now, now)
	}
	if rcptCount(t, e, "SELECT COUNT(*) FROM budget_lines WHERE budget_version_id = ? AND line_key = ?", versions[0], lineKey) == 0 {
		exec(`INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, units, unit_cost,
			total, project_id, organisation_id, position, create_time, update_time)
			VALUES (?, ?, ?, ?, '1', ?, 'Salaries', '12', 100000, 1200000, ?, ?, 1, ?, ?)`,
			resource.NewID(), versions[0], id(grant), lineKey, lineKey, id(project), id(org), now, now)
	}
	eid := resource.NewID()
	exec(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, project_id, organisation_id,
		expense_date, amount, currency_code, status, created_by, create_time, update_time)
		VALUES (?, ?, ?, '1', ?, ?, '2026-03-01', 1500000, 'KES', ?, 'system', ?, ?)`,
		eid, id(grant), lineKey, id(project), id(org), status, now, now)
	return grant + "/expenditures/" + eid
}

// rcptSetStatus moves an expenditure to status directly.
func rcptSetStatus(t testing.TB, e *rpctest.Env, expenditure, status string) {
	t.Helper()
	if _, err := e.DB.NewRaw("UPDATE expenditures SET status = ? WHERE id = ?", status, id(expenditure)).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A file part of a multipart upload.
type rcptPart struct {
	field, name string
	content     []byte
}

func rcptFile(name string, content []byte) rcptPart {
	return rcptPart{field: "file", name: name, content: content}
}

func rcptMultipart(t testing.TB, parts ...rcptPart) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		// The name as browsers send it: its bytes, raw but for quotes
		// and backslashes (%q would escape the characters under test).
		quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p.name)
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="%s"`, p.field, quoted))
		h.Set("Content-Type", "application/pdf") // what a client claims counts for nothing
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = pw.Write(p.content)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), b.Bytes()
}

// rcptAnswer is an HTTP response read in full.
type rcptAnswer struct {
	status int
	header http.Header
	body   []byte
}

// connectError is the body of an error rcptAnswer.
func (a rcptAnswer) connectError(t testing.TB) (code, message string) {
	t.Helper()
	var e struct{ Code, Message string }
	if err := json.Unmarshal(a.body, &e); err != nil || e.Code == "" {
		t.Fatalf("status %d: body %q is not a Connect error (%v)", a.status, a.body, err)
	}
	return e.Code, e.Message
}

func (a rcptAnswer) receipt(t testing.TB) *pactumv1.Receipt {
	t.Helper()
	r := &pactumv1.Receipt{}
	if err := protojson.Unmarshal(a.body, r); err != nil {
		t.Fatalf("status %d: body %q is not a Receipt: %v", a.status, a.body, err)
	}
	return r
}

// expect fails unless the rcptAnswer has the status, and for errors the code.
func (a rcptAnswer) expect(t testing.TB, status int, code string) rcptAnswer {
	t.Helper()
	if a.status != status {
		t.Fatalf("got %d %s, want %d", a.status, a.body, status)
	}
	if code != "" {
		if got, _ := a.connectError(t); got != code {
			t.Fatalf("got code %q (%s), want %q", got, a.body, code)
		}
	}
	return a
}

// rcptAuth sets a request's credentials.
type rcptAuth func(*http.Request)

func rcptBearer(c *rpctest.Clients) rcptAuth {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+c.Token) }
}

// cookie sends a session cookie, and the given headers ("Name: value").
func rcptCookie(session string, headers ...string) rcptAuth {
	return func(r *http.Request) {
		r.Header.Set("Cookie", "pactum_session="+session)
		for _, h := range headers {
			k, v, _ := strings.Cut(h, ": ")
			r.Header.Set(k, v)
		}
	}
}

func rcptSend(t testing.TB, e *rpctest.Env, method, path, contentType string, body io.Reader, a rcptAuth) rcptAnswer {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if a != nil {
		a(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rcptAnswer{status: res.StatusCode, header: res.Header, body: b}
}

// upload posts files to an expenditure's receipts.
func rcptUpload(t testing.TB, e *rpctest.Env, expenditure string, a rcptAuth, parts ...rcptPart) rcptAnswer {
	t.Helper()
	ct, body := rcptMultipart(t, parts...)
	return rcptSend(t, e, http.MethodPost, "/api/v1/"+expenditure+"/receipts", ct, bytes.NewReader(body), a)
}

func rcptDownload(t testing.TB, e *rpctest.Env, receiptName string, a rcptAuth) rcptAnswer {
	t.Helper()
	return rcptSend(t, e, http.MethodGet, "/api/v1/"+receiptName, "", nil, a)
}

func rcptPDF(n int) []byte {
	return fmt.Appendf(nil, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%% receipt %d\n%%%%EOF\n", n)
}

func rcptPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 5))
	for x := range 8 {
		img.Set(x, x%5, color.RGBA{R: uint8(30 * x), G: 120, B: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func rcptSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func rcptCount(t testing.TB, e *rpctest.Env, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReceiptUploadAndDownload(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		rcptBlobDir(t, e)
		exp := rcptExpenditure(t, e, f.g1, f.pa, f.a, "draft")

		// Finance staff upload a PDF with an API token.
		pdf := rcptPDF(1)
		a := rcptUpload(t, e, exp, rcptBearer(f.roles["finance"]), rcptFile("facture 42.pdf", pdf)).expect(t, http.StatusCreated, "")
		r := a.receipt(t)
		if !strings.HasPrefix(r.GetName(), exp+"/receipts/") || r.GetFileName() != "facture 42.pdf" || r.GetContentType() != "application/pdf" ||
			r.GetSizeBytes() != int64(len(pdf)) || r.GetSha256() != rcptSHA(pdf) || r.GetCreateTime().AsTime().IsZero() {
			t.Fatalf("receipt %v", r)
		}
		if a.header.Get("Location") != "/api/v1/"+r.GetName() {
			t.Errorf("Location %q", a.header.Get("Location"))
		}
		d := rcptDownload(t, e, r.GetName(), rcptBearer(f.roles["finance"])).expect(t, http.StatusOK, "")
		if !bytes.Equal(d.body, pdf) {
			t.Fatalf("downloaded %q, uploaded %q", d.body, pdf)
		}
		for h, want := range map[string]string{
			"Content-Type":           "application/pdf",
			"Content-Disposition":    `attachment; filename="facture 42.pdf"; filename*=UTF-8''facture%2042.pdf`,
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "private",
		} {
			if got := d.header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}

		// Partner A's editor adds a PNG to A's own draft expenditure; its
		// viewer reads it back, name and all.
		img := rcptPNG(t)
		r2 := rcptUpload(t, e, exp, rcptBearer(f.roles["editorA"]), rcptFile(`C:\Scans\reçu "café".png`, img)).expect(t, http.StatusCreated, "").receipt(t)
		if r2.GetContentType() != "image/png" || r2.GetFileName() != `reçu "café".png` || r2.GetSha256() != rcptSHA(img) {
			t.Fatalf("receipt %v", r2)
		}
		d2 := rcptDownload(t, e, r2.GetName(), rcptBearer(f.roles["viewerA"])).expect(t, http.StatusOK, "")
		if !bytes.Equal(d2.body, img) || d2.header.Get("Content-Type") != "image/png" {
			t.Fatalf("downloaded %d bytes (%s), uploaded %d", len(d2.body), d2.header.Get("Content-Type"), len(img))
		}
		if got, want := d2.header.Get("Content-Disposition"), `attachment; filename="re_u _caf__.png"; filename*=UTF-8''re%C3%A7u%20%22caf%C3%A9%22.png`; got != want {
			t.Errorf("Content-Disposition %q, want %q", got, want)
		}

		// Both are in the audit trail, by whom and of which grant.
		for _, rec := range []struct{ name, actor string }{{r.GetName(), f.roles["finance"].UserID}, {r2.GetName(), f.roles["editorA"].UserID}} {
			if n := rcptCount(t, e, "SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = 'create' AND actor = ? AND grant_id = ?",
				rec.name, "users/"+rec.actor, id(f.g1)); n != 1 {
				t.Errorf("%s: %d audit events", rec.name, n)
			}
		}
	})
}

func TestReceiptSizeAndTypeLimits(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		dir := rcptBlobDir(t, e)
		exp := rcptExpenditure(t, e, f.g1, f.pa, f.a, "draft")
		admin := rcptBearer(&e.Clients)

		// Exactly 10 MB is allowed; one byte more is not.
		exact := append(rcptPDF(2), bytes.Repeat([]byte{'x'}, receipt.MaxBytes-len(rcptPDF(2)))...)
		rcptUpload(t, e, exp, admin, rcptFile("big.pdf", exact)).expect(t, http.StatusCreated, "")
		over := append(exact, 'y')
		_, msg := rcptUpload(t, e, exp, admin, rcptFile("bigger.pdf", over)).expect(t, http.StatusRequestEntityTooLarge, "resource_exhausted").connectError(t)
		if !strings.Contains(msg, "10 MB") {
			t.Errorf("413 message %q does not name the limit", msg)
		}
		// A body far over the limit is refused from its length, and
		// without one (chunked), as it is read.
		huge := append(over, bytes.Repeat([]byte{'z'}, 2<<20)...)
		rcptUpload(t, e, exp, admin, rcptFile("huge.pdf", huge)).expect(t, http.StatusRequestEntityTooLarge, "resource_exhausted")
		ct, body := rcptMultipart(t, rcptFile("huge.pdf", huge))
		rcptSend(t, e, http.MethodPost, "/api/v1/"+exp+"/receipts", ct, io.MultiReader(bytes.NewReader(body)), admin).
			expect(t, http.StatusRequestEntityTooLarge, "resource_exhausted")

		// Types are sniffed from the bytes, never taken from the name.
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
		html := []byte("<!DOCTYPE html><html><body><script>fetch('/pactum.v1.UserService/ListUsers')</script></body></html>")
		for _, bad := range []rcptPart{rcptFile("receipt.pdf", exe), rcptFile("receipt.png", html)} {
			_, msg := rcptUpload(t, e, exp, admin, bad).expect(t, http.StatusUnsupportedMediaType, "invalid_argument").connectError(t)
			if !strings.Contains(msg, "application/pdf, image/jpeg, image/png, image/webp, image/gif") {
				t.Errorf("%s: 415 message %q does not name the allowed types", bad.name, msg)
			}
		}

		// Other malformed uploads.
		rcptUpload(t, e, exp, admin, rcptFile("empty.pdf", nil)).expect(t, http.StatusBadRequest, "invalid_argument")
		rcptUpload(t, e, exp, admin, rcptPart{field: "document", name: "a.pdf", content: rcptPDF(3)}).expect(t, http.StatusBadRequest, "invalid_argument")
		rcptUpload(t, e, exp, admin, rcptFile("a.pdf", rcptPDF(4)), rcptFile("b.pdf", rcptPDF(5))).expect(t, http.StatusBadRequest, "invalid_argument")
		rcptSend(t, e, http.MethodPost, "/api/v1/"+exp+"/receipts", "application/pdf", bytes.NewReader(rcptPDF(6)), admin).
			expect(t, http.StatusUnsupportedMediaType, "invalid_argument")

		// Only the 10 MB file was kept: one row, one blob, no temporary files.
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM receipts WHERE expenditure_id = ?", id(exp)); n != 1 {
			t.Errorf("%d receipts stored, want 1", n)
		}
		if files := rcptBlobFiles(t, dir); len(files) != 1 || !strings.HasSuffix(files[0], rcptSHA(exact)) {
			t.Errorf("blob files %v, want only the 10 MB one", files)
		}
	})
}

func TestReceiptAccess(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		rcptBlobDir(t, e)
		draftA := rcptExpenditure(t, e, f.g1, f.pa, f.a, "draft")
		rejectedA := rcptExpenditure(t, e, f.g1, f.pa, f.a, "rejected")
		submittedA := rcptExpenditure(t, e, f.g1, f.pa, f.a, "submitted")
		verifiedA := rcptExpenditure(t, e, f.g1, f.pa, f.a, "verified")
		draftB := rcptExpenditure(t, e, f.g1, f.pb, f.b, "draft")
		r := func(who string) rcptAuth { return rcptBearer(f.roles[who]) }
		n := 0
		pdf := func() rcptPart { n++; return rcptFile("r.pdf", rcptPDF(100+n)) }

		// Who may add receipts.
		for _, tc := range []struct {
			who, exp string
			status   int
			code     string
		}{
			{"admin", draftB, http.StatusCreated, ""},
			{"coordinator", draftA, http.StatusCreated, ""},
			{"finance", draftB, http.StatusCreated, ""},
			{"editorA", draftA, http.StatusCreated, ""},
			{"editorA", rejectedA, http.StatusCreated, ""},
			// What finance verifies stays as verified: no changes once submitted.
			{"editorA", submittedA, http.StatusBadRequest, "failed_precondition"},
			{"finance", submittedA, http.StatusBadRequest, "failed_precondition"},
			{"admin", verifiedA, http.StatusBadRequest, "failed_precondition"},
			{"editorA", draftB, http.StatusNotFound, "not_found"},
			{"viewerA", draftA, http.StatusForbidden, "permission_denied"},
			{"auditor", draftA, http.StatusForbidden, "permission_denied"},
			{"coordinator2", draftA, http.StatusNotFound, "not_found"},
		} {
			t.Run("upload "+tc.who, func(t *testing.T) { rcptUpload(t, e, tc.exp, r(tc.who), pdf()).expect(t, tc.status, tc.code) })
		}
		// The expenditure under another grant's name, or unknown: not found.
		rcptUpload(t, e, f.g2+"/expenditures/"+id(draftA), r("admin"), pdf()).expect(t, http.StatusNotFound, "not_found")
		rcptUpload(t, e, f.g1+"/expenditures/nope", r("admin"), pdf()).expect(t, http.StatusNotFound, "not_found")
		// Without valid credentials: unauthenticated.
		rcptUpload(t, e, draftA, nil, pdf()).expect(t, http.StatusUnauthorized, "unauthenticated")
		rcptUpload(t, e, draftA, rcptCookie("forged", "X-Requested-With: pactum"), pdf()).expect(t, http.StatusUnauthorized, "unauthenticated")
		rcptUpload(t, e, draftA, func(r *http.Request) { r.Header.Set("Authorization", "Bearer pt_forged") }, pdf()).
			expect(t, http.StatusUnauthorized, "unauthenticated")

		// Who may read them.
		onA := rcptUpload(t, e, draftA, r("admin"), pdf()).expect(t, http.StatusCreated, "").receipt(t).GetName()
		onB := rcptUpload(t, e, draftB, r("admin"), pdf()).expect(t, http.StatusCreated, "").receipt(t).GetName()
		for _, who := range f.roleOrder {
			wantA, wantB := http.StatusOK, http.StatusOK
			switch who {
			case "editorA", "viewerA":
				wantB = http.StatusNotFound
			case "coordinator2":
				wantA, wantB = http.StatusNotFound, http.StatusNotFound
			}
			t.Run("download "+who, func(t *testing.T) {
				rcptDownload(t, e, onA, r(who)).expect(t, wantA, "")
				rcptDownload(t, e, onB, r(who)).expect(t, wantB, "")
			})
		}
		// A receipt read through another expenditure's name: not found.
		rcptDownload(t, e, draftB+"/receipts/"+id(onA), r("admin")).expect(t, http.StatusNotFound, "not_found")
		rcptDownload(t, e, onA, nil).expect(t, http.StatusUnauthorized, "unauthenticated")
	})
}

func TestReceiptUploadWithSessionCookieNeedsSameOriginProof(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		rcptBlobDir(t, e)
		exp := rcptExpenditure(t, e, f.g1, f.pa, f.a, "draft")
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
			_, msg := rcptUpload(t, e, exp, rcptCookie(session, headers...), rcptFile("r.pdf", rcptPDF(7))).
				expect(t, http.StatusForbidden, "permission_denied").connectError(t)
			if !strings.Contains(msg, "X-Requested-With") {
				t.Errorf("%v: message %q does not say what to send", headers, msg)
			}
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM receipts"); n != 0 {
			t.Fatalf("%d receipts stored by refused requests", n)
		}
		// The web app's header, or Pactum's own origin, passes.
		var names []string
		for i, headers := range [][]string{{"X-Requested-With: pactum"}, {"Origin: http://pactum.test"}, {"Origin: " + e.URL}, {"Sec-Fetch-Site: same-origin"}} {
			names = append(names, rcptUpload(t, e, exp, rcptCookie(session, headers...), rcptFile("r.pdf", rcptPDF(8+i))).
				expect(t, http.StatusCreated, "").receipt(t).GetName())
		}
		// Reading needs no proof: a link opens it.
		rcptDownload(t, e, names[0], rcptCookie(session)).expect(t, http.StatusOK, "")
	})
}

func TestReceiptSameFileIsStoredOnceAndDeleteKeepsShared(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		dir := rcptBlobDir(t, e)
		exp1 := rcptExpenditure(t, e, f.g1, f.pa, f.a, "draft")
		exp2 := rcptExpenditure(t, e, f.g1, f.pa, f.a, "draft")
		editor := rcptBearer(f.roles["editorA"])
		pdf := rcptPDF(9)

		first := rcptUpload(t, e, exp1, editor, rcptFile("r.pdf", pdf)).expect(t, http.StatusCreated, "").receipt(t)
		// The same file again on the same expenditure (a retry, a double
		// click): the receipt made the first time.
		again := rcptUpload(t, e, exp1, editor, rcptFile("copy.pdf", pdf)).expect(t, http.StatusOK, "").receipt(t)
		if again.GetName() != first.GetName() || again.GetFileName() != "r.pdf" {
			t.Fatalf("second upload gave %v, first %v", again, first)
		}
		// On another expenditure: a receipt of its own, the same bytes.
		other := rcptUpload(t, e, exp2, editor, rcptFile("r.pdf", pdf)).expect(t, http.StatusCreated, "").receipt(t)
		if other.GetName() == first.GetName() || other.GetSha256() != first.GetSha256() {
			t.Fatalf("receipts %v and %v", first, other)
		}
		if files := rcptBlobFiles(t, dir); len(files) != 1 {
			t.Fatalf("blob files %v, want one for the same bytes", files)
		}
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM receipts WHERE sha256 = ?", rcptSHA(pdf)); n != 2 {
			t.Fatalf("%d receipts, want 2", n)
		}

		// Deleting: the viewer may not; the editor may, once.
		_, err := f.roles["viewerA"].Expenditures.DeleteReceipt(ctx, connect.NewRequest(&pactumv1.DeleteReceiptRequest{Name: first.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = f.roles["editorA"].Expenditures.DeleteReceipt(ctx, connect.NewRequest(&pactumv1.DeleteReceiptRequest{Name: first.GetName()}))
		rpctest.ExpectCode(t, err, 0)
		_, err = f.roles["editorA"].Expenditures.DeleteReceipt(ctx, connect.NewRequest(&pactumv1.DeleteReceiptRequest{Name: first.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Expenditures.DeleteReceipt(ctx, connect.NewRequest(&pactumv1.DeleteReceiptRequest{Name: "grants/x/expenditures/y"}))
		rpctest.ExpectViolation(t, err, "name")
		rcptDownload(t, e, first.GetName(), editor).expect(t, http.StatusNotFound, "not_found")
		if n := rcptCount(t, e, "SELECT COUNT(*) FROM audit_events WHERE resource = ? AND action = 'delete' AND actor = ?",
			first.GetName(), "users/"+f.roles["editorA"].UserID); n != 1 {
			t.Errorf("%d delete events", n)
		}
		// The other receipt of the same bytes still reads; the blob stays.
		if d := rcptDownload(t, e, other.GetName(), editor).expect(t, http.StatusOK, ""); !bytes.Equal(d.body, pdf) {
			t.Fatal("the shared receipt lost its bytes")
		}
		if files := rcptBlobFiles(t, dir); len(files) != 1 {
			t.Fatalf("blob files after delete %v", files)
		}
		// Uploading it again after deletion makes a new receipt.
		rcptUpload(t, e, exp1, editor, rcptFile("r.pdf", pdf)).expect(t, http.StatusCreated, "")
	})
}

// Receipts and attachments are named by one rule (text.FileName): the
// extension is the sniffed type's whatever the name claimed, and bidi and
// control characters are gone, so "invoice\u202efdp.exe" (which reads
// "invoiceexe.pdf") is neither stored nor served as an .exe. A name stored
// before the rule is served under it too.
func TestUploadedFileNamesTakeTheSniffedExtension(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		rcptBlobDir(t, e)
		exp := rcptExpenditure(t, e, f.g1, f.pa, f.a, "draft")
		act := resNewActivity(f, f.pa, "KE").GetName()
		editor := rcptBearer(f.roles["editorA"])
		const want = `attachment; filename="invoicefdp.pdf"; filename*=UTF-8''invoicefdp.pdf`

		r := rcptUpload(t, e, exp, editor, rcptFile("invoice\u202efdp.exe", rcptPDF(7))).expect(t, http.StatusCreated, "").receipt(t)
		if r.GetFileName() != "invoicefdp.pdf" {
			t.Errorf("receipt stored as %q, want invoicefdp.pdf", r.GetFileName())
		}
		if got := rcptDownload(t, e, r.GetName(), editor).expect(t, http.StatusOK, "").header.Get("Content-Disposition"); got != want {
			t.Errorf("receipt served as %q, want %q", got, want)
		}

		a := attOf(t, attUpload(t, e, act, editor, rcptFile("invoice\u202efdp.exe", rcptPDF(8))).expect(t, http.StatusCreated, ""))
		if a.GetFileName() != "invoicefdp.pdf" {
			t.Errorf("attachment stored as %q, want invoicefdp.pdf", a.GetFileName())
		}
		if got := attDownload(t, e, a.GetName(), editor).expect(t, http.StatusOK, "").header.Get("Content-Disposition"); got != want {
			t.Errorf("attachment served as %q, want %q", got, want)
		}

		// A name kept before the rule is served under it.
		ctx := context.Background()
		if _, err := e.DB.NewRaw("UPDATE receipts SET file_name = ?", "invoice\u202efdp.exe").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.DB.NewRaw("UPDATE attachments SET file_name = ?", "invoice\u202efdp.exe").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if got := rcptDownload(t, e, r.GetName(), editor).expect(t, http.StatusOK, "").header.Get("Content-Disposition"); got != want {
			t.Errorf("old receipt served as %q, want %q", got, want)
		}
		if got := attDownload(t, e, a.GetName(), editor).expect(t, http.StatusOK, "").header.Get("Content-Disposition"); got != want {
			t.Errorf("old attachment served as %q, want %q", got, want)
		}
	})
}
