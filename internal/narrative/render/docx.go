package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/common/constants"
	"github.com/gomutex/godocx/common/units"
	"github.com/gomutex/godocx/dml"
	"github.com/gomutex/godocx/dml/dmlct"
	"github.com/gomutex/godocx/dml/dmlpic"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// A4 in twentieths of a point, with margins of 2 cm.
const (
	a4W, a4H     = 11906, 16838
	marginTwips  = 1134
	contentTwips = a4W - 2*marginTwips
	twipsPerInch = 1440.0
	// photoMaxHeightIn bounds a photo's height, as in the PDF.
	photoMaxHeightIn = photoMaxHeightMM / 25.4
)

const (
	navy  = "1B365D"
	blue  = "2E6DB4"
	grey  = "68707A"
	shade = "EEF1F5"
	label = "F5F7FA"
)

// docxWriter holds what the blocks share while written.
type docxWriter struct {
	rd   *docx.RootDoc
	w    words
	exts map[string]bool // image extensions with a content type
}

// writeDOCX writes c as a Word document.
func writeDOCX(ctx context.Context, out io.Writer, c *content, o Options) error {
	rd, err := godocx.NewDocument()
	if err != nil {
		return fmt.Errorf("open the DOCX template: %w", err)
	}
	x := &docxWriter{rd: rd, w: c.w, exts: map[string]bool{}}
	for _, d := range rd.ContentType.Default {
		x.exts[d.Extension] = true
	}
	if err := x.setup(c, o); err != nil {
		return err
	}
	total := int64(len(c.blocks))
	for i, b := range c.blocks {
		if err := ctx.Err(); err != nil {
			return err
		}
		x.block(b)
		if o.Progress != nil && b.Kind == kPhoto {
			o.Progress("docx", int64(i+1), total)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := rd.Write(out); err != nil {
		return fmt.Errorf("write the DOCX: %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// docxLang is the language tag of the text in each language.
var docxLang = map[string]string{"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "pt": "pt-PT"}

// setup sets the page (A4), the running header and the footer with page
// numbers, and the file's properties; it drops the template's thumbnail.
func (x *docxWriter) setup(c *content, o Options) error {
	body := x.rd.Document.Body
	if body.SectPr == nil {
		body.SectPr = ctypes.NewSectionProper()
	}
	sp := body.SectPr
	sp.PageSize = &ctypes.PageSize{Width: ptr(uint64(a4W)), Height: ptr(uint64(a4H))}
	sp.PageMargin = &ctypes.PageMargin{
		Top: ptr(marginTwips), Bottom: ptr(marginTwips), Left: ptr(marginTwips), Right: ptr(marginTwips),
		Header: ptr(567), Footer: ptr(567), Gutter: ptr(0),
	}
	// The footer: the report's kind and period, and "Page X of Y" with
	// PAGE and NUMPAGES fields. godocx references header and footer parts
	// from the section but writes none: these two small parts are added
	// to its package by its exported file map, content types and
	// relationships.
	page := x.w.T("narrative.doc.page", "Page", "\x01", "Pages", "\x02")
	before, rest, _ := strings.Cut(page, "\x01")
	between, after, _ := strings.Cut(rest, "\x02")
	var ftr strings.Builder
	ftr.WriteString(esc(c.footer) + `</w:t></w:r><w:r><w:tab/></w:r>`)
	ftr.WriteString(`<w:r>` + runPr(grey, 8) + `<w:t xml:space="preserve">` + esc(before) + `</w:t></w:r>`)
	ftr.WriteString(field("PAGE") + `<w:r>` + runPr(grey, 8) + `<w:t xml:space="preserve">` + esc(between) + `</w:t></w:r>`)
	ftr.WriteString(field("NUMPAGES") + `<w:r>` + runPr(grey, 8) + `<w:t xml:space="preserve">` + esc(after))
	if err := x.part("footer", "ftr", ftr.String()); err != nil {
		return err
	}
	hdr := esc(c.header) + `</w:t></w:r><w:r><w:tab/></w:r><w:r>` + runPr(grey, 8) + `<w:t xml:space="preserve">` + esc(c.headerRight)
	if err := x.part("header", "hdr", hdr); err != nil {
		return err
	}

	// The text's language, for the spelling and hyphenation of Word and
	// LibreOffice.
	if st := x.rd.DocStyles; st != nil && st.DocDefaults != nil && st.DocDefaults.RunProp != nil && st.DocDefaults.RunProp.RunProp != nil {
		st.DocDefaults.RunProp.RunProp.Lang = &ctypes.Lang{Val: ptr(docxLang[x.w.lang])}
	}

	// The file's properties.
	created := c.time.UTC().Format(time.RFC3339)
	core := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(c.title) + `</dc:title><dc:subject>` + esc(c.footer) + `</dc:subject>` +
		`<dc:creator>` + esc(or(o.GeneratedBy, "Pactum")) + `</dc:creator><dc:description>` + esc(c.generatedFor) + `</dc:description>` +
		`<dc:language>` + x.w.lang + `</dc:language><cp:revision>1</cp:revision>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + created + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + created + `</dcterms:modified></cp:coreProperties>`
	x.rd.FileMap.Store("docProps/core.xml", []byte(core))
	x.rd.FileMap.Delete("docProps/thumbnail.jpeg")
	rels := x.rd.RootRels.Relationships[:0]
	for _, r := range x.rd.RootRels.Relationships {
		if !strings.HasSuffix(r.Type, "/thumbnail") {
			rels = append(rels, r)
		}
	}
	x.rd.RootRels.Relationships = rels
	return nil
}

// part adds a header or footer part (kind "header"/"footer", element
// "hdr"/"ftr") of one paragraph: left text, a tab, right runs (inner
// continues the first run's text and ends inside a run's text).
func (x *docxWriter) part(kind, elem, inner string) error {
	name := kind + "1.xml"
	xmlText := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:` + elem + ` xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<w:p><w:pPr><w:pStyle w:val="` + strings.ToUpper(kind[:1]) + kind[1:] + `"/><w:tabs>` +
		`<w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/><w:tab w:val="right" w:pos="` + strconv.Itoa(contentTwips) + `"/></w:tabs></w:pPr>` +
		`<w:r>` + runPr(grey, 8) + `<w:t xml:space="preserve">` + inner + `</w:t></w:r></w:p></w:` + elem + `>`
	// The part must be well-formed XML: check it before it goes in.
	if err := xml.NewDecoder(strings.NewReader(xmlText)).Decode(new(struct{})); err != nil {
		return fmt.Errorf("the DOCX %s: %w", kind, err)
	}
	x.rd.FileMap.Store("word/"+name, []byte(xmlText))
	if err := x.rd.ContentType.AddOverride("/word/"+name, "application/vnd.openxmlformats-officedocument.wordprocessingml."+kind+"+xml"); err != nil {
		return err
	}
	id := x.relation("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"+kind, name)
	if kind == "footer" {
		x.rd.Document.Body.SectPr.FooterReference = &ctypes.FooterReference{Type: stypes.HdrFtrDefault, ID: id}
	} else {
		x.rd.Document.Body.SectPr.HeaderReference = &ctypes.HeaderReference{Type: stypes.HdrFtrDefault, ID: id}
	}
	return nil
}

func (x *docxWriter) relation(typ, target string) string {
	id := "rId" + strconv.Itoa(x.rd.Document.IncRelationID())
	x.rd.Document.DocRels.Relationships = append(x.rd.Document.DocRels.Relationships, &docx.Relationship{ID: id, Type: typ, Target: target})
	return id
}

// field is a simple field (PAGE, NUMPAGES) that Word and LibreOffice
// update when they lay the pages out.
func field(instr string) string {
	return `<w:fldSimple w:instr=" ` + instr + ` "><w:r>` + runPr(grey, 8) + `<w:t>1</w:t></w:r></w:fldSimple>`
}

func runPr(color string, size int) string {
	return `<w:rPr><w:color w:val="` + color + `"/><w:sz w:val="` + strconv.Itoa(2*size) + `"/></w:rPr>`
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (x *docxWriter) block(b block) {
	rd := x.rd
	switch b.Kind {
	case kTitle:
		for range 6 {
			rd.AddEmptyParagraph()
		}
		p, _ := rd.AddHeading(b.Text, 0)
		_ = p
	case kSubtitle:
		p := rd.AddEmptyParagraph()
		p.Style("Subtitle")
		p.AddText(b.Text).Bold(true).Size(15).Color(blue)
		p.Spacing(120, 480)
	case kHeading:
		_, _ = rd.AddHeading(b.Text, uint(b.Level))
	case kPara:
		p := rd.AddEmptyParagraph()
		lines(p, b.Text)
		p.Spacing(0, 120)
	case kBullet:
		p := rd.AddEmptyParagraph()
		p.Indent(&ctypes.Indent{Left: ptr(360), Hanging: ptr(uint64(240))})
		lines(p, "•\u00a0"+b.Text)
		p.Spacing(0, 60)
	case kNote:
		p := rd.AddEmptyParagraph()
		p.AddText(b.Text).Size(8).Color(grey).Italic(true)
		p.Spacing(0, 120)
	case kLabel:
		p := rd.AddEmptyParagraph()
		p.AddText(b.Text).Size(8).Color(grey).Italic(true)
		p.Spacing(60, 40)
		p.GetCT().Property.KeepNext = &ctypes.OnOff{}
	case kKV:
		x.kv(b.KV)
	case kTable:
		x.table(b.Table)
	case kPhoto:
		x.photo(b)
	case kPageBreak:
		rd.AddPageBreak()
	}
}

// lines adds text to p, its line breaks kept.
func lines(p *docx.Paragraph, text string) {
	for i, line := range strings.Split(text, "\n") {
		r := p.AddText(line)
		if i < strings.Count(text, "\n") {
			r.AddBreak(ptr(stypes.BreakTypeTextWrapping))
		}
	}
}

// cell adds a cell holding text (a line a paragraph) to r.
func cell(r *docx.Row, text string, width int, right, bold bool, size uint64, color, fill string) *docx.Cell {
	c := r.AddCell().Width(width, stypes.TableWidthDxa)
	if fill != "" {
		c.BackgroundColor(fill)
	}
	for _, line := range strings.Split(text, "\n") {
		p := c.AddEmptyPara()
		p.Spacing(20, 20)
		if right {
			p.Justification(stypes.JustificationRight)
		}
		run := p.AddText(line).Size(size).Bold(bold)
		if color != "" {
			run.Color(color)
		}
	}
	return c
}

func (x *docxWriter) kv(rows []kv) {
	key := contentTwips * 32 / 100
	t := x.newTable([]int{key, contentTwips - key})
	for _, e := range rows {
		r := t.AddRow()
		cell(r, e.Key, key, false, false, 9, grey, label)
		cell(r, e.Value, contentTwips-key, false, false, 10, "", "")
	}
	x.rd.AddEmptyParagraph().Spacing(0, 60)
}

// newTable adds a table of fixed columns (twips) as wide as the text.
func (x *docxWriter) newTable(widths []int) *docx.Table {
	g := make([]uint64, len(widths))
	for i, w := range widths {
		g[i] = uint64(max(w, 0))
	}
	t := x.rd.AddTable()
	t.Style("TableGrid")
	t.Width(contentTwips, stypes.TableWidthDxa)
	t.Layout(stypes.TableLayoutFixed)
	t.Grid(g...)
	return t
}

func (x *docxWriter) table(tb *table) {
	total := 0.0
	for _, c := range tb.Columns {
		total += c.Width
	}
	widths := make([]int, len(tb.Columns))
	for i, c := range tb.Columns {
		widths[i] = int(math.Round(c.Width / total * contentTwips))
	}
	t := x.newTable(widths)
	size, headSize := uint64(9), uint64(8)
	if tb.Small {
		size, headSize = 8, 7
	}
	head := t.AddRow()
	for i, c := range tb.Columns {
		cell(head, c.Title, widths[i], c.Right, true, headSize, "FFFFFF", navy)
	}
	for _, r := range tb.Rows {
		row := t.AddRow()
		if r.Group {
			cell(row, r.Cells[0], contentTwips, false, true, size, navy, shade).ColSpan(len(tb.Columns))
			continue
		}
		for i, c := range tb.Columns {
			text := ""
			if i < len(r.Cells) {
				text = r.Cells[i]
			}
			cell(row, text, widths[i], c.Right, false, size, "", "")
		}
	}
	x.rd.AddEmptyParagraph().Spacing(0, 60)
}

// photo adds a photo scaled to the text's width (its height bounded),
// keeping its aspect ratio, with its caption and credit under it; a photo
// that cannot be included leaves a note.
func (x *docxWriter) photo(b block) {
	p := b.Photo
	pic, err := load(p)
	if err != nil {
		x.block(block{Kind: kNote, Text: x.w.skipped(p, err)})
		return
	}
	wIn := float64(contentTwips) / twipsPerInch
	hIn := wIn * float64(pic.h) / float64(pic.w)
	if hIn > photoMaxHeightIn {
		hIn = photoMaxHeightIn
		wIn = hIn * float64(pic.w) / float64(pic.h)
	}
	rd := x.rd
	rd.ImageCount++
	ext := pic.format // "jpeg" or "png"
	name := fmt.Sprintf("image%d.%s", rd.ImageCount, ext)
	rd.FileMap.Store(constants.MediaPath+name, pic.data)
	if !x.exts[ext] {
		_ = rd.ContentType.AddExtension(ext, "image/"+ext)
		x.exts[ext] = true
	}
	id := x.relation(constants.SourceRelationshipImage, "media/"+name)
	ew, eh := units.Inch(wIn).ToEmu(), units.Inch(hIn).ToEmu()
	inline := dml.NewInline(*dmlct.NewPostvSz2D(ew, eh),
		dml.DocProp{ID: uint64(rd.ImageCount), Name: fmt.Sprintf("Photo %d", rd.ImageCount), Description: p.Caption},
		*dml.NewPicGraphic(dmlpic.NewPic(id, rd.ImageCount, ew, eh)))
	para := rd.AddEmptyParagraph()
	para.Justification(stypes.JustificationCenter)
	para.Spacing(120, 40)
	// The photo stays on the page of its caption and credit.
	para.GetCT().Property.KeepNext = &ctypes.OnOff{}
	para.GetCT().Children = append(para.GetCT().Children, ctypes.ParagraphChild{Run: &ctypes.Run{
		Children: []ctypes.RunChild{{Drawing: &dml.Drawing{Inline: []dml.Inline{inline}}}},
	}})
	if p.Caption != "" {
		c := rd.AddEmptyParagraph()
		c.Style("Caption")
		c.Justification(stypes.JustificationCenter)
		c.AddText(p.Caption).Size(9)
		c.Spacing(0, 20)
		if p.Credit != "" {
			c.GetCT().Property.KeepNext = &ctypes.OnOff{}
		}
	}
	if p.Credit != "" {
		c := rd.AddEmptyParagraph()
		c.Justification(stypes.JustificationCenter)
		c.AddText(x.w.T("narrative.doc.photoCredit", "Credit", p.Credit)).Size(8).Color(grey)
		c.Spacing(0, 200)
	}
}
