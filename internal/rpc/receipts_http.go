package rpc

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/receipt"
	"github.com/pactum-dev/pactum/internal/text"
)

// Receipts travel over plain HTTP rather than Connect, so that browsers can
// show upload progress and open a receipt from a link:
//
//	POST /api/v1/grants/{g}/expenditures/{e}/receipts      multipart/form-data, one file in field "file"
//	GET  /api/v1/grants/{g}/expenditures/{e}/receipts/{r}  the file
//
// Callers authenticate as for the Connect API (session cookie or
// "Authorization: Bearer" API token). Errors are Connect's JSON errors
// ({"code": ..., "message": ..., "details": [...]}), with HTTP 413 and code
// resource_exhausted for a file over 10 MB and 415 for a type that is not
// allowed.
const (
	receiptUploadPattern   = "POST /api/v1/grants/{grant}/expenditures/{expenditure}/receipts"
	receiptDownloadPattern = "GET /api/v1/grants/{grant}/expenditures/{expenditure}/receipts/{receipt}"
	// receiptField is the multipart field holding the file.
	receiptField = "file"
	// receiptBodySlack is room for the multipart framing around the file.
	receiptBodySlack = 64 << 10
	// receiptTransferTime is how long one upload or download by a signed-in
	// caller may take: a 10 MB receipt over a 1 Mbit/s link takes 80 s,
	// beyond the server's general read timeout (60 s).
	receiptTransferTime = 10 * time.Minute
	reasonNotMultipart  = "NOT_MULTIPART"
)

type receiptHTTP struct {
	ids  *identity.Service
	svc  *receipt.Service
	cfg  AuthConfig
	log  *slog.Logger
	errw *connect.ErrorWriter
}

// mountReceipts registers the receipt upload and download endpoints.
func mountReceipts(mux *http.ServeMux, s Services, cfg AuthConfig, log *slog.Logger) {
	h := &receiptHTTP{ids: s.Identity, svc: s.Receipts, cfg: cfg, log: log, errw: connect.NewErrorWriter()}
	mux.HandleFunc(receiptUploadPattern, h.upload)
	mux.HandleFunc(receiptDownloadPattern, h.download)
}

// caller authenticates r, returning it with the caller in its context, or
// r and the error to answer. Changes (unsafe) must pass crossSiteRefusal;
// reads need not, as a link from elsewhere (an email) may open a file.
func (h *receiptHTTP) caller(r *http.Request, unsafe bool) (*http.Request, error) {
	c, via, authErr := resolveCaller(r.Context(), h.ids, r.Header, r.RemoteAddr)
	if err := signedIn(c, authErr); err != nil {
		return r, err
	}
	if unsafe {
		if err := crossSiteRefusal(siteOf(r, h.cfg.PublicURL), via); err != nil {
			return r, err
		}
	}
	return r.WithContext(actor.With(r.Context(), c)), nil
}

func (h *receiptHTTP) upload(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r, err := h.caller(r, true)
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	mr, part, err := h.openUpload(w, r, receiptTransferTime, receipt.MaxBytes, receipt.TooLarge)
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	rec, created, err := h.svc.Upload(r.Context(), r.PathValue("grant"), r.PathValue("expenditure"), part.FileName(),
		&onlyFilePart{mr: mr, part: part})
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	body, err := protojson.Marshal(receiptToProto(rec))
	if err != nil {
		h.fail(w, r, start, errs.Internal(err))
		return
	}
	status := http.StatusOK // the same file again: the receipt made the first time
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", "/api/v1/"+rec.Name())
	w.WriteHeader(status)
	_, _ = w.Write(body)
	h.logged(r, status, start)
}

func (h *receiptHTTP) download(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r, err := h.caller(r, false)
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(receiptTransferTime))
	rec, content, err := h.svc.Open(r.Context(), r.PathValue("grant"), r.PathValue("expenditure"), r.PathValue("receipt"))
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	h.serveFile(w, r, start, storedFile{name: rec.Name(), fileName: rec.FileName, contentType: rec.ContentType,
		sha256: rec.SHA256, size: rec.SizeBytes, created: rec.CreateTime}, content)
}

// fail answers err as a Connect JSON error (see failFile).
func (h *receiptHTTP) fail(w http.ResponseWriter, r *http.Request, start time.Time, err error) {
	h.failFile(w, r, start, err, receipt.TooLarge, receipt.ReasonTooLarge, receipt.ReasonType)
}

// openUpload prepares r, an upload of one file of at most maxBytes, to be
// read within transfer: it returns the multipart reader and the file's
// part. Errors: too large (from tooLarge), not multipart, no file.
func (h *receiptHTTP) openUpload(w http.ResponseWriter, r *http.Request, transfer time.Duration, maxBytes int64,
	tooLarge func() error) (*multipart.Reader, *multipart.Part, error) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(transfer))
	if r.ContentLength > maxBytes+receiptBodySlack {
		return nil, nil, tooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes+receiptBodySlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, &errs.Error{Kind: errs.KindInvalid, Reason: reasonNotMultipart, Message: "not a multipart upload",
			Violations: []errs.FieldViolation{{Field: receiptField,
				Description: `send the file as multipart/form-data, in the field "file" (one file per request)`}}}
	}
	part, err := nextFilePart(mr)
	if err != nil {
		return nil, nil, err
	}
	return mr, part, nil
}

// storedFile is what a download tells of a stored file.
type storedFile struct {
	name, fileName, contentType, sha256 string
	size                                int64
	created                             time.Time
}

// serveFile sends content, the bytes of f, as a download that no browser
// renders in Pactum's origin, and closes it.
func (h *receiptHTTP) serveFile(w http.ResponseWriter, r *http.Request, start time.Time, f storedFile, content io.ReadCloser) {
	defer content.Close() //nolint:errcheck // read only: a failed Close loses nothing
	hd := w.Header()
	ct := f.contentType
	if strings.HasPrefix(ct, "text/") {
		ct += "; charset=utf-8"
	}
	hd.Set("Content-Type", ct)
	// Named by the rule uploads are (a name kept before it was the rule
	// is served under it too).
	hd.Set("Content-Disposition", attachmentDisposition(text.FileName(f.fileName, f.contentType, "download")))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("ETag", `"`+f.sha256+`"`)
	if rs, ok := content.(io.ReadSeeker); ok {
		// Ranges and conditional requests (the ETag) for free.
		http.ServeContent(w, r, "", f.created, rs)
	} else {
		hd.Set("Content-Length", fmt.Sprint(f.size))
		if _, err := io.Copy(w, content); err != nil {
			h.log.WarnContext(r.Context(), "download cut short", "file", f.name, "error", err)
		}
	}
	h.logged(r, http.StatusOK, start)
}

// failFile answers err as a Connect JSON error; files too large (over the
// body limit, or with reasonTooLarge) answer 413, and types not allowed
// (reasonType) or bodies that are not multipart 415.
func (h *receiptHTTP) failFile(w http.ResponseWriter, r *http.Request, start time.Time, err error,
	tooLarge func() error, reasonTooLarge, reasonType string) {
	var tooBig *http.MaxBytesError
	var body uploadReadError
	switch {
	case errors.As(err, &tooBig):
		err = tooLarge()
	case errors.As(err, &body):
		err = errs.Invalid(errs.FieldViolation{Field: receiptField,
			Description: "the upload ended early or is not well-formed multipart/form-data; send the file again"})
	}
	status := 0
	var de *errs.Error
	if errors.As(err, &de) {
		switch de.Reason {
		case reasonTooLarge:
			status = http.StatusRequestEntityTooLarge
		case reasonType, reasonNotMultipart:
			status = http.StatusUnsupportedMediaType
		}
	}
	ce := toConnect(r.Context(), h.log, r.Method+" "+r.Pattern, err)
	out := w
	if status != 0 {
		out = fixedStatusWriter{ResponseWriter: w, status: status}
	}
	_ = h.errw.Write(out, r, ce)
	h.logged(r, status, start, "code", connect.CodeOf(ce).String())
}

// logged logs a request; status 0 stands for the code's usual status.
func (h *receiptHTTP) logged(r *http.Request, status int, start time.Time, more ...any) {
	args := []any{"method", r.Method, "path", r.URL.Path}
	if status != 0 {
		args = append(args, "status", status)
	}
	args = append(args, more...)
	h.log.InfoContext(r.Context(), "http", append(args, "duration", time.Since(start).Round(time.Microsecond), "peer", r.RemoteAddr)...)
}

// fixedStatusWriter answers with its status whatever status is written.
type fixedStatusWriter struct {
	http.ResponseWriter
	status int
}

func (w fixedStatusWriter) WriteHeader(int) { w.ResponseWriter.WriteHeader(w.status) }

// uploadReadError marks an error reading the request body (not storing it).
type uploadReadError struct{ err error }

func (e uploadReadError) Error() string { return "reading the upload: " + e.err.Error() }
func (e uploadReadError) Unwrap() error { return e.err }

// nextFilePart skips to the part holding the file.
func nextFilePart(mr *multipart.Reader) (*multipart.Part, error) {
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errs.Invalid(errs.FieldViolation{Field: receiptField,
				Description: `no file: send the file in the multipart field "file"`})
		}
		if err != nil {
			return nil, uploadReadError{err}
		}
		if p.FormName() == receiptField {
			return p, nil
		}
	}
}

// onlyFilePart reads the file's part; at its end it reads the rest of the
// body and fails if another file follows (one file per request), so that
// nothing is stored for such a request.
type onlyFilePart struct {
	mr   *multipart.Reader
	part *multipart.Part
	done bool
}

func (f *onlyFilePart) Read(p []byte) (int, error) {
	if f.done {
		return 0, io.EOF
	}
	n, err := f.part.Read(p)
	if errors.Is(err, io.EOF) {
		if err := f.rest(); err != nil {
			return n, err
		}
		f.done = true
		return n, io.EOF
	}
	if err != nil {
		return n, uploadReadError{err}
	}
	return n, nil
}

func (f *onlyFilePart) rest() error {
	for {
		p, err := f.mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return uploadReadError{err}
		}
		if p.FormName() == receiptField {
			return errs.Invalid(errs.FieldViolation{Field: receiptField,
				Description: "send one file per request; this request holds more"})
		}
	}
}

// attachmentDisposition is an attachment header for name (RFC 6266): an ASCII
// fallback and the exact name in RFC 5987 encoding.
func attachmentDisposition(name string) string {
	var ascii, exact strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		if isRFC5987AttrChar(b) {
			exact.WriteByte(b)
		} else {
			fmt.Fprintf(&exact, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + exact.String()
}

// isRFC5987AttrChar: RFC 5987 attr-char, the bytes that need no percent-encoding.
func isRFC5987AttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
