package rpc

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// The files attached to activities and progress updates travel over plain
// HTTP, as receipts do (receipts_http.go), and are authenticated, limited
// and answered the same way:
//
//	POST /files/{owner}/attachments        multipart/form-data, one file in field "file"
//	GET  /files/{owner}/attachments/{id}   the file
//
// {owner} is "projects/{p}/activities/{a}" or "progressUpdates/{u}". The
// upload answers 201 with the Attachment in protobuf's JSON form (200 and
// the first attachment when the same file is sent again), 413 (code
// resource_exhausted) for a file over 20 MB and 415 for a type that is not
// allowed.
const (
	filesPrefix            = "/files/"
	attachmentUploadPath   = "POST " + filesPrefix + "{path...}"
	attachmentDownloadPath = "GET " + filesPrefix + "{path...}"
	attachmentsSuffix      = "/" + resource.Attachments
)

// attachmentPath is the path attachment name is downloaded from.
func attachmentPath(name string) string { return filesPrefix + name }

type attachmentHTTP struct {
	*receiptHTTP // the caller, the same-origin check and the request log
	svc          *attachment.Service
}

// mountAttachments registers the attachment upload and download endpoints.
func mountAttachments(mux *http.ServeMux, s Services, cfg AuthConfig, log *slog.Logger) {
	h := &attachmentHTTP{receiptHTTP: &receiptHTTP{ids: s.Identity, cfg: cfg, log: log, errw: connect.NewErrorWriter()}, svc: s.Attachments}
	mux.HandleFunc(attachmentUploadPath, h.upload)
	mux.HandleFunc(attachmentDownloadPath, h.download)
}

func (h *attachmentHTTP) upload(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	owner, ok := strings.CutSuffix(r.PathValue("path"), attachmentsSuffix)
	if !ok {
		h.fail(w, r, start, errs.NotFound(r.URL.Path))
		return
	}
	r, err := h.caller(r, true)
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	mr, part, err := h.openUpload(w, r, attachmentTransferTime, attachment.MaxBytes, attachment.TooLarge)
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	att, created, err := h.svc.Upload(r.Context(), owner, part.FileName(), &onlyFilePart{mr: mr, part: part})
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	body, err := protojson.Marshal(attachmentToProto(att, true))
	if err != nil {
		h.fail(w, r, start, errs.Internal(err))
		return
	}
	status := http.StatusOK // the same file again: the attachment made the first time
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", attachmentPath(att.Name()))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	h.logged(r, status, start)
}

// attachmentTransferTime is how long one upload or download may take: a
// 20 MB file over a 1 Mbit/s link takes 160 s.
const attachmentTransferTime = 15 * time.Minute

func (h *attachmentHTTP) download(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	name := r.PathValue("path")
	if _, _, err := attachment.ParseName(name, "name"); err != nil {
		h.fail(w, r, start, errs.NotFound(r.URL.Path))
		return
	}
	r, err := h.caller(r, false)
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(attachmentTransferTime))
	att, content, err := h.svc.Open(r.Context(), name)
	if err != nil {
		h.fail(w, r, start, err)
		return
	}
	h.serveFile(w, r, start, storedFile{name: att.Name(), fileName: att.FileName, contentType: att.ContentType,
		sha256: att.SHA256, size: att.SizeBytes, created: att.CreateTime}, content)
}

// fail answers err as a Connect JSON error (see failFile).
func (h *attachmentHTTP) fail(w http.ResponseWriter, r *http.Request, start time.Time, err error) {
	h.failFile(w, r, start, err, attachment.TooLarge, attachment.ReasonTooLarge, attachment.ReasonType)
}
