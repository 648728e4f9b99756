// Package render writes a compiled narrative report as an editable Word
// document (DOCX) and as a PDF, in the language asked for.
//
// Both formats are drawn from one list of blocks (headings, paragraphs,
// label/value lists, tables, photos, notes) that layout builds from the
// Report, so the two carry the same content in the same order. The DOCX is
// written with github.com/gomutex/godocx (MIT); the footer with its page
// numbers is a small part added through that library's exported package
// parts (its file map, content types and relationships), which it lacks.
// The PDF is written with internal/pdf (go-pdf/fpdf).
package render

import (
	"context"
	"io"
	"time"

	"github.com/pactum-dev/pactum/internal/narrative"
)

// Options say how to render: the language ("en", "fr", "es", "pt"), who
// generated the document (a person's name) and when (Time; zero: now).
// Progress, when set, is told of the photos written.
type Options struct {
	Language    string
	GeneratedBy string
	Progress    func(stage string, done, total int64)
	Time        time.Time
}

// DOCX writes r as a Word document to w. Errors: ctx's when it is
// cancelled, and those of writing to w. A photo that cannot be read or
// decoded, or that is too large, is left out with a note in the document.
func DOCX(ctx context.Context, w io.Writer, r *narrative.Report, o Options) error {
	c := layout(r, o)
	return writeDOCX(ctx, w, c, o)
}

// PDF writes r as a PDF to w. Errors: as DOCX's.
func PDF(ctx context.Context, w io.Writer, r *narrative.Report, o Options) error {
	c := layout(r, o)
	return writePDF(ctx, w, c, o)
}
