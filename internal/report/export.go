package report

import (
	"context"
	"io"

	"github.com/pactum-dev/pactum/internal/errs"
)

// Format is a report file's format.
type Format string

const (
	FormatXLSX Format = "xlsx"
	FormatPDF  Format = "pdf"
)

// Content types of the formats.
const (
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentTypePDF  = "application/pdf"
)

// Generator writes a report to w, telling progress, and returns the file's
// name; an error comes back before anything is written when the request is
// refused. Service.XLSX and Service.PDF are ones.
type Generator func(ctx context.Context, req Request, w io.Writer, progress Progress) (string, error)

// Generator returns the generator of format and its content type: the one
// entry point of the RPC and the command line. Errors: invalid (format).
func (s *Service) Generator(format Format) (Generator, string, error) {
	switch format {
	case FormatXLSX:
		return s.XLSX, ContentTypeXLSX, nil
	case FormatPDF:
		return s.PDF, ContentTypePDF, nil
	}
	return nil, "", errs.Invalid(errs.FieldViolation{Field: "format", Description: "must be REPORT_FORMAT_XLSX or REPORT_FORMAT_PDF"})
}

// Export writes the report of req in format to w and returns the file's
// name and content type. Errors: as XLSX and PDF; invalid (format).
func (s *Service) Export(ctx context.Context, req Request, format Format, w io.Writer, progress Progress) (name, contentType string, err error) {
	gen, contentType, err := s.Generator(format)
	if err != nil {
		return "", "", err
	}
	name, err = gen(ctx, req, w, progress)
	return name, contentType, err
}
