package render

import (
	"context"
	"fmt"
	"io"

	"github.com/pactum-dev/pactum/internal/pdf"
)

// photoMaxHeightMM bounds a photo's height in the PDF, so that its caption
// and credit follow it on the page.
const photoMaxHeightMM = 125.0

// writePDF writes c as a PDF.
func writePDF(ctx context.Context, out io.Writer, c *content, o Options) error {
	w := c.w
	var cancelled error
	var done int64
	total := int64(len(c.blocks))
	opt := pdf.Options{
		Title:    c.title,
		Subject:  c.footer,
		Author:   o.GeneratedBy,
		Language: w.lang,
		Created:  c.time,
		Header:   func(int) (string, string) { return c.header, c.headerRight },
		Footer: func(page, pages int) (string, string) {
			return c.footer, w.T("narrative.doc.page", "Page", w.count(page), "Pages", w.count(pages))
		},
	}
	err := pdf.Write(out, opt, func(d *pdf.Doc) {
		for i, b := range c.blocks {
			if cancelled != nil {
				return
			}
			if err := ctx.Err(); err != nil {
				cancelled = err
				return
			}
			pdfBlock(d, w, b, i)
			done++
			if o.Progress != nil && b.Kind == kPhoto {
				o.Progress("pdf", done, total)
			}
		}
	})
	if cancelled != nil {
		return cancelled
	}
	return err
}

func pdfBlock(d *pdf.Doc, w words, b block, i int) {
	switch b.Kind {
	case kTitle:
		d.Space(30)
		d.Title(b.Text)
	case kSubtitle:
		d.Text(b.Text, pdf.Style{Size: 15, Bold: true, Color: pdf.Blue})
		d.Space(8)
	case kHeading:
		switch b.Level {
		case 1:
			d.Heading(b.Text, 40) // room for a table's header and first rows
		case 2:
			d.Need(18)
			d.Space(2.5)
			d.Text(b.Text, pdf.Style{Size: 11, Bold: true, Color: pdf.Navy, Keep: true})
			d.Space(1.2)
		default:
			d.Need(16)
			d.Space(2)
			d.Text(b.Text, pdf.Style{Size: 9.5, Bold: true, Color: pdf.Blue, Keep: true})
			d.Space(1)
		}
	case kPara:
		d.Paragraph(b.Text)
		d.Space(1.8)
	case kBullet:
		d.Text("•  "+b.Text, pdf.Style{})
		d.Space(0.8)
	case kNote:
		d.Note(b.Text)
		d.Space(1.5)
	case kLabel:
		d.Need(25)
		d.Note(b.Text)
		d.Space(1)
	case kKV:
		rows := make([]pdf.KeyValue, len(b.KV))
		for k, e := range b.KV {
			rows[k] = pdf.KeyValue{Key: e.Key, Value: e.Value}
		}
		d.KeyValues(rows, 0)
	case kTable:
		pdfTable(d, b.Table)
	case kPhoto:
		pdfPhoto(d, w, b, i)
	case kPageBreak:
		d.NewPage()
	}
}

func pdfTable(d *pdf.Doc, t *table) {
	pt := pdf.Table{Zebra: len(t.Rows) > 8}
	if t.Small {
		pt.FontSize = 7.5
	}
	for _, c := range t.Columns {
		align := pdf.Left
		if c.Right {
			align = pdf.Right
		}
		pt.Columns = append(pt.Columns, pdf.Column{Title: c.Title, Width: c.Width, Align: align})
	}
	for _, r := range t.Rows {
		pr := pdf.Row{Cells: r.Cells}
		if r.Group {
			// A result above its indicators: its title across the table,
			// shaded.
			pr = pdf.Row{Cells: []string{r.Cells[0]}, Bold: true, Shade: true, Span: true}
		}
		pt.Rows = append(pt.Rows, pr)
	}
	d.Table(pt)
}

// pdfPhoto draws a photo scaled to the width (its height bounded), keeping
// its aspect ratio, with its caption and credit under it; a photo that
// cannot be included leaves a note.
func pdfPhoto(d *pdf.Doc, w words, b block, i int) {
	p := b.Photo
	pic, err := load(p)
	var data []byte
	if err == nil {
		data, err = pic.forPDF()
	}
	if err != nil {
		d.Note(w.skipped(p, err))
		d.Space(1.5)
		return
	}
	width := d.ContentWidth()
	height := width * float64(pic.h) / float64(pic.w)
	if height > photoMaxHeightMM {
		height = photoMaxHeightMM
		width = height * float64(pic.w) / float64(pic.h)
	}
	d.Need(height + 12)
	d.Space(1.5)
	if err := d.Image(fmt.Sprintf("photo%d", i), data, pic.format, width, height); err != nil {
		d.Note(w.skipped(p, skipNotImage))
		d.Space(1.5)
		return
	}
	d.Space(1)
	if p.Caption != "" {
		d.Text(p.Caption, pdf.Style{Size: 8.5, Align: pdf.Center, Keep: true})
	}
	if p.Credit != "" {
		d.Text(w.T("narrative.doc.photoCredit", "Credit", p.Credit), pdf.Style{Size: 7.5, Color: pdf.Grey, Align: pdf.Center, Keep: true})
	}
	d.Space(3)
}
