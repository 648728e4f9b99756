// Package export writes a grant's narrative report as a file (DOCX or PDF,
// through internal/narrative/render): the one function the RPC and the
// command line both call.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/narrative/render"
)

// Format is a file format of the report.
type Format string

const (
	DOCX Format = "docx"
	PDF  Format = "pdf"
)

// Content types of the formats.
const (
	ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ContentTypePDF  = "application/pdf"
)

// ContentType is the content type of f.
func (f Format) ContentType() string {
	if f == PDF {
		return ContentTypePDF
	}
	return ContentTypeDOCX
}

// Request says which report to write, how.
type Request struct {
	GrantID  string
	Period   int
	Format   Format
	Language string // "" the grant's reporting language
	// GeneratedBy names who made the file ("" for none).
	GeneratedBy string
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// FileName is "narrative-report-{contract number}-P{n}.{format}".
func FileName(contract string, period int, f Format) string {
	c := strings.Trim(unsafe.ReplaceAllString(contract, "-"), "-")
	if c == "" {
		c = "grant"
	}
	return fmt.Sprintf("narrative-report-%s-P%d.%s", c, period, f)
}

// Write writes the report as last compiled (read with the caller's rights:
// coordinators and auditors) to w, telling progress, and returns the file's
// name. Only photos with consent go in. Errors: not found (not compiled
// yet, or a grant hidden from the caller), permission, invalid (format,
// language), internal.
func Write(ctx context.Context, svc *narrative.Service, req Request, w io.Writer, progress func(stage string, done, total int64)) (string, error) {
	if req.Format != DOCX && req.Format != PDF {
		return "", errs.Invalid(errs.FieldViolation{Field: "format", Description: "choose DOCX (an editable Word document) or PDF"})
	}
	if req.Language != "" && !i18n.Supported(req.Language) {
		return "", errs.Invalid(errs.FieldViolation{Field: "language",
			Description: fmt.Sprintf("%q is not a language Pactum writes in; choose en, fr, es or pt, or leave it empty for the grant's reporting language", req.Language)})
	}
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	progress("reading", 0, 0)
	r, err := svc.Get(ctx, req.GrantID, req.Period)
	if err != nil {
		return "", err
	}
	lang := req.Language
	if lang == "" {
		lang = r.Language
	}
	by := req.GeneratedBy
	if by == "" {
		by = svc.CallerName(ctx)
	}
	o := render.Options{Language: lang, GeneratedBy: by, Progress: progress}
	if req.Format == PDF {
		err = render.PDF(ctx, w, r.Report, o)
	} else {
		err = render.DOCX(ctx, w, r.Report, o)
	}
	if err != nil {
		if e := (*errs.Error)(nil); errors.As(err, &e) {
			return "", err
		}
		return "", errs.Internal(err)
	}
	return FileName(r.Description.ContractNumber, req.Period, req.Format), nil
}
