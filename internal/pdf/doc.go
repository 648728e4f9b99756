// Package pdf is Pactum's one door to PDF generation (github.com/go-pdf/fpdf,
// whose last release is v0.9.0): documents with an embedded Unicode
// TrueType font (DejaVu Sans, under its free licence), so that names in any
// Latin, Vietnamese or Cyrillic script render as written.
//
// The API is small and knows nothing of grants: a Doc (A4, portrait or
// landscape) with a running header and footer and "Page X of Y" numbers,
// titles, headings kept with what follows them, paragraphs, label/value
// lists, tables (column alignment, wrapped cells, header rows repeated on
// every page the table runs onto), horizontal bar charts and a line chart
// (with bars on a second axis) drawn with primitives, and colours.
//
// Amounts reach charts as int64 (minor units, or any integer unit) and
// every label is formatted by the caller; float64 serves only for drawing
// coordinates.
package pdf

import (
	_ "embed"
)

//go:embed fonts/DejaVuSans.ttf
var regularFont []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var boldFont []byte
