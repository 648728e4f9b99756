// Package render writes a compiled narrative report as an editable Word
// document (DOCX) and as a PDF, in the language asked for.
package render

import (
	"context"
	"errors"
	"io"

	"github.com/pactum-dev/pactum/internal/narrative"
)

// Options say how to render: the language ("en", "fr", "es", "pt"), who
// generated the document (a person's name) and when.
type Options struct {
	Language    string
	GeneratedBy string
	Progress    func(stage string, done, total int64)
}

// DOCX writes r as a Word document to w.
func DOCX(ctx context.Context, w io.Writer, r *narrative.Report, o Options) error {
	return errors.New("render: DOCX is not written yet")
}

// PDF writes r as a PDF to w.
func PDF(ctx context.Context, w io.Writer, r *narrative.Report, o Options) error {
	return errors.New("render: PDF is not written yet")
}
