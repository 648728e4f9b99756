package pdf

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Color is an RGB colour.
type Color struct{ R, G, B uint8 }

// The palette. Black is a soft black: the zero Color means "the default"
// wherever a colour is optional.
var (
	Black     = Color{33, 37, 41}
	White     = Color{255, 255, 255}
	Navy      = Color{27, 54, 93}
	Blue      = Color{46, 109, 180}
	LightBlue = Color{168, 198, 232}
	Grey      = Color{104, 112, 122}
	MidGrey   = Color{178, 186, 196}
	Rule      = Color{214, 219, 226}
	Shade     = Color{238, 241, 245}
	Red       = Color{190, 48, 38}
	Amber     = Color{196, 120, 10}
	Green     = Color{34, 128, 84}
)

func (c Color) isZero() bool { return c == Color{} }

// Align is a horizontal alignment.
type Align int

const (
	Left Align = iota
	Right
	Center
)

func (a Align) fpdf() string {
	switch a {
	case Right:
		return "RM"
	case Center:
		return "CM"
	}
	return "LM"
}

// Options describe a document.
type Options struct {
	Landscape bool // A4 landscape; portrait otherwise
	// Metadata of the file.
	Title, Subject, Author, Keywords string
	Language                         string // "en", "fr", ...
	// Created dates the file (its metadata): the same options and content
	// make the same bytes.
	Created time.Time
	// Header returns the running header of a page (1-based), left and
	// right; nil, or both empty, draws none.
	Header func(page int) (left, right string)
	// Footer returns the footer of a page, left and right, knowing the
	// number of pages ("Page 2 of 7"); nil draws none.
	Footer func(page, pages int) (left, right string)
}

// Page geometry, in millimetres.
const (
	marginX      = 14.0
	marginTop    = 19.0
	marginBottom = 16.0
	headerY      = 8.0
	footerGap    = 9.0 // from the bottom edge to the footer's text
	ptMM         = 25.4 / 72
	family       = "DejaVu"
)

// Doc is a document being laid out. Its methods draw from the current
// position down, starting new pages as needed.
type Doc struct {
	f    *fpdf.Fpdf
	opt  Options
	w, h float64
}

// Write lays out a document with build and writes it to w. Errors: those of
// the layout (fpdf's) and of w.
func Write(w io.Writer, opt Options, build func(d *Doc)) error {
	orientation := "P"
	if opt.Landscape {
		orientation = "L"
	}
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orientation, UnitStr: "mm", SizeStr: "A4"})
	f.AddUTF8FontFromBytes(family, "", regularFont)
	f.AddUTF8FontFromBytes(family, "B", boldFont)
	f.SetMargins(marginX, marginTop, marginX)
	f.SetAutoPageBreak(true, marginBottom)
	f.SetCellMargin(1.4)
	f.SetCreator("Pactum", true)
	f.SetProducer("Pactum (go-pdf/fpdf)", true)
	if opt.Title != "" {
		f.SetTitle(opt.Title, true)
	}
	if opt.Subject != "" {
		f.SetSubject(opt.Subject, true)
	}
	if opt.Author != "" {
		f.SetAuthor(opt.Author, true)
	}
	if opt.Keywords != "" {
		f.SetKeywords(opt.Keywords, true)
	}
	if opt.Language != "" {
		f.SetLang(opt.Language)
	}
	created := opt.Created
	if created.IsZero() {
		created = time.Now()
	}
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetCatalogSort(true)
	f.SetDisplayMode("fullwidth", "continuous")
	d := &Doc{f: f, opt: opt}
	d.w, d.h = f.GetPageSize()
	f.SetHeaderFuncMode(d.header, true)
	f.AddPage()
	d.font(false, 9)
	build(d)
	d.footers()
	if err := f.Error(); err != nil {
		return fmt.Errorf("lay out the PDF: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("write the PDF: %w", err)
	}
	return nil
}

// header draws the running header of the page fpdf is starting.
func (d *Doc) header() {
	if d.opt.Header == nil {
		return
	}
	left, right := d.opt.Header(d.f.PageNo())
	if left == "" && right == "" {
		return
	}
	d.font(false, 7.5)
	d.textColor(Grey)
	wr := 0.0
	if right != "" {
		wr = d.f.GetStringWidth(right) + 4
	}
	d.f.SetXY(marginX, headerY)
	d.f.CellFormat(d.ContentWidth()-wr, 4, d.fit(left, d.ContentWidth()-wr-3), "", 0, "LM", false, 0, "")
	d.f.SetXY(d.w-marginX-wr, headerY)
	d.f.CellFormat(wr, 4, right, "", 0, "RM", false, 0, "")
	d.drawColor(Rule)
	d.f.SetLineWidth(0.25)
	d.f.Line(marginX, headerY+5, d.w-marginX, headerY+5)
	d.textColor(Black)
}

// footers draws every page's footer once the number of pages is known,
// going back to each page.
func (d *Doc) footers() {
	if d.opt.Footer == nil {
		return
	}
	n := d.f.PageCount()
	d.f.SetAutoPageBreak(false, 0)
	for p := 1; p <= n; p++ {
		d.f.SetPage(p)
		left, right := d.opt.Footer(p, n)
		// The page's content stream ends in whatever state its last
		// drawing left: set the font and colours afresh.
		d.f.SetFont(family, "", 1)
		d.font(false, 7.5)
		d.drawColor(Rule)
		d.f.SetLineWidth(0.25)
		y := d.h - footerGap
		d.f.Line(marginX, y-1.5, d.w-marginX, y-1.5)
		d.textColor(Grey)
		wr := 0.0
		if right != "" {
			wr = d.f.GetStringWidth(right) + 4
		}
		d.f.SetXY(marginX, y)
		d.f.CellFormat(d.ContentWidth()-wr, 4, d.fit(left, d.ContentWidth()-wr-3), "", 0, "LM", false, 0, "")
		d.f.SetXY(d.w-marginX-wr, y)
		d.f.CellFormat(wr, 4, right, "", 0, "RM", false, 0, "")
	}
}

func (d *Doc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.f.SetFont(family, style, size)
}

func (d *Doc) textColor(c Color) { d.f.SetTextColor(int(c.R), int(c.G), int(c.B)) }
func (d *Doc) fillColor(c Color) { d.f.SetFillColor(int(c.R), int(c.G), int(c.B)) }
func (d *Doc) drawColor(c Color) { d.f.SetDrawColor(int(c.R), int(c.G), int(c.B)) }

// lineHeight is the height of a line of text of size points.
func lineHeight(size float64) float64 { return size * ptMM * 1.32 }

// ContentWidth is the width between the margins.
func (d *Doc) ContentWidth() float64 { return d.w - 2*marginX }

// bottom is the lowest y content may reach.
func (d *Doc) bottom() float64 { return d.h - marginBottom }

// Remaining is the height left on the page below the current position.
func (d *Doc) Remaining() float64 { return d.bottom() - d.f.GetY() }

// Y is the current vertical position (mm from the top edge).
func (d *Doc) Y() float64 { return d.f.GetY() }

// NewPage starts a new page.
func (d *Doc) NewPage() {
	d.f.AddPage()
}

// Need starts a new page unless h millimetres are left on this one.
func (d *Doc) Need(h float64) {
	if d.Remaining() < h && d.f.GetY() > marginTop+0.5 {
		d.NewPage()
	}
}

// Space moves down h millimetres (not beyond the page's end).
func (d *Doc) Space(h float64) {
	y := d.f.GetY() + h
	if y > d.bottom() {
		y = d.bottom()
	}
	d.f.SetXY(marginX, y)
}

// Style is how text looks.
type Style struct {
	Size  float64 // points; 0 is 9
	Bold  bool
	Color Color // zero: Black
	Align Align
	// Keep keeps the text's lines on one page (a page break comes before
	// it rather than within it), for a sentence that reads as a whole.
	Keep bool
}

// Text writes text wrapped to the content width, breaking pages between
// lines.
func (d *Doc) Text(text string, st Style) {
	if st.Size == 0 {
		st.Size = 9
	}
	if st.Color.isZero() {
		st.Color = Black
	}
	d.font(st.Bold, st.Size)
	d.textColor(st.Color)
	lh := lineHeight(st.Size)
	lines := d.wrap(text, d.ContentWidth()-2*d.f.GetCellMargin())
	if st.Keep {
		d.Need(float64(len(lines)) * lh)
		d.font(st.Bold, st.Size)
		d.textColor(st.Color)
	}
	for _, line := range lines {
		if d.Remaining() < lh {
			d.NewPage()
			d.font(st.Bold, st.Size)
			d.textColor(st.Color)
		}
		d.f.SetX(marginX)
		d.f.CellFormat(d.ContentWidth(), lh, line, "", 1, st.Align.fpdf(), false, 0, "")
	}
	d.textColor(Black)
}

// Title writes the document's title.
func (d *Doc) Title(text string) {
	d.Text(text, Style{Size: 20, Bold: true, Color: Navy})
	d.Space(1)
}

// Paragraph writes body text.
func (d *Doc) Paragraph(text string) { d.Text(text, Style{}) }

// Note writes small grey text.
func (d *Doc) Note(text string) { d.Text(text, Style{Size: 7.5, Color: Grey}) }

// Heading writes a section heading, with a rule under it and an entry in
// the file's outline; it starts a new page unless the heading and keep
// millimetres of what follows fit on this one, so that no heading is left
// alone at the foot of a page.
func (d *Doc) Heading(text string, keep float64) {
	const size = 12.5
	lh := lineHeight(size)
	lines := len(d.wrapWith(text, d.ContentWidth(), true, size))
	d.Need(float64(lines)*lh + 4 + keep)
	if d.f.GetY() > marginTop+0.5 {
		d.Space(4)
	}
	d.f.Bookmark(text, 0, -1)
	d.Text(text, Style{Size: size, Bold: true, Color: Navy})
	y := d.f.GetY() + 0.6
	d.drawColor(Navy)
	d.f.SetLineWidth(0.4)
	d.f.Line(marginX, y, d.w-marginX, y)
	d.Space(3.2)
}

// KeyValue is one line of a label/value list.
type KeyValue struct {
	Key, Value string
	Bold       bool // the value in bold
	Mono       bool // a value to be read character by character (a hash): smaller
}

// KeyValues writes a two-column list of labels (grey) and values, the
// labels keyWidth millimetres wide (0: a third of the width).
func (d *Doc) KeyValues(rows []KeyValue, keyWidth float64) { d.KeyValuesSized(rows, keyWidth, 9.5) }

// KeyValuesSized is KeyValues in size points (a long cover's list).
func (d *Doc) KeyValuesSized(rows []KeyValue, keyWidth, size float64) {
	if keyWidth == 0 {
		keyWidth = d.ContentWidth() / 3
	}
	lh := lineHeight(size) + 0.6
	vw := d.ContentWidth() - keyWidth
	for _, r := range rows {
		vsize := size
		if r.Mono {
			vsize = size - 1.5
		}
		d.font(false, size)
		keys := d.wrap(r.Key, keyWidth-2*d.f.GetCellMargin())
		d.font(r.Bold, vsize)
		vals := d.wrap(r.Value, vw-2*d.f.GetCellMargin())
		n := max(len(keys), len(vals))
		h := float64(n)*lh + 1.2
		d.Need(h)
		y := d.f.GetY()
		d.font(false, size)
		d.textColor(Grey)
		for i, k := range keys {
			d.f.SetXY(marginX, y+0.6+float64(i)*lh)
			d.f.CellFormat(keyWidth, lh, k, "", 0, "LM", false, 0, "")
		}
		d.font(r.Bold, vsize)
		d.textColor(Black)
		for i, v := range vals {
			d.f.SetXY(marginX+keyWidth, y+0.6+float64(i)*lh)
			d.f.CellFormat(vw, lh, v, "", 0, "LM", false, 0, "")
		}
		d.drawColor(Rule)
		d.f.SetLineWidth(0.2)
		d.f.Line(marginX, y+h, d.w-marginX, y+h)
		d.f.SetXY(marginX, y+h)
	}
	d.Space(1)
}

// Tile is a figure shown large, with its label.
type Tile struct {
	Label, Value string
	Note         string // a small line under the value
	Color        Color  // the value's colour; zero: Navy
}

// Tiles writes figures side by side in boxes of equal width.
func (d *Doc) Tiles(tiles []Tile) {
	if len(tiles) == 0 {
		return
	}
	const gap = 4.0
	w := (d.ContentWidth() - gap*float64(len(tiles)-1)) / float64(len(tiles))
	h := 22.0
	d.Need(h + 2)
	y := d.f.GetY()
	for i, t := range tiles {
		x := marginX + float64(i)*(w+gap)
		d.fillColor(Shade)
		d.f.Rect(x, y, w, h, "F")
		c := t.Color
		if c.isZero() {
			c = Navy
		}
		d.fillColor(c)
		d.f.Rect(x, y, 1.2, h, "F")
		d.font(false, 7.5)
		d.textColor(Grey)
		d.f.SetXY(x+2.5, y+2.2)
		d.f.CellFormat(w-4, 4, d.fit(t.Label, w-7), "", 0, "LM", false, 0, "")
		size := 14.0
		d.font(true, size)
		for size > 8 && d.f.GetStringWidth(t.Value) > w-7 {
			size -= 0.5
			d.font(true, size)
		}
		d.textColor(c)
		d.f.SetXY(x+2.5, y+8)
		d.f.CellFormat(w-4, 7, t.Value, "", 0, "LM", false, 0, "")
		if t.Note != "" {
			d.font(false, 7.5)
			d.textColor(Grey)
			d.f.SetXY(x+2.5, y+15.5)
			d.f.CellFormat(w-4, 4, d.fit(t.Note, w-7), "", 0, "LM", false, 0, "")
		}
	}
	d.textColor(Black)
	d.f.SetXY(marginX, y+h+3)
}

// wrap splits text into lines no wider than w in the current font, at
// spaces (and at newlines); a word wider than a line is cut.
func (d *Doc) wrap(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		line := ""
		for _, word := range words {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if d.f.GetStringWidth(try) <= w {
				line = try
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			// A word too long for a line: cut it.
			for d.f.GetStringWidth(word) > w {
				r := []rune(word)
				n := len(r) - 1
				for n > 1 && d.f.GetStringWidth(string(r[:n])) > w {
					n--
				}
				out = append(out, string(r[:n]))
				word = string(r[n:])
			}
			line = word
		}
		out = append(out, line)
	}
	return out
}

// wrapWith wraps text in the given style, leaving the current font as it
// was set afterwards by the caller.
func (d *Doc) wrapWith(text string, w float64, bold bool, size float64) []string {
	d.font(bold, size)
	return d.wrap(text, w-2*d.f.GetCellMargin())
}

// fit shortens text with an ellipsis to fit w in the current font.
func (d *Doc) fit(text string, w float64) string {
	if d.f.GetStringWidth(text) <= w {
		return text
	}
	r := []rune(text)
	for len(r) > 0 && d.f.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}
