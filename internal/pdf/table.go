package pdf

import "strings"

// Column is a column of a table.
type Column struct {
	Title string
	// Width is the column's share of the table's width (any unit: the
	// widths are scaled to fill the content width).
	Width float64
	Align Align
}

// Row is a row of a table.
type Row struct {
	Cells []string
	Bold  bool
	Shade bool // a grey background (subtotals and totals)
	// Colors are the cells' text colours; a zero Color (or none) is Black.
	Colors []Color
	// Indent indents the first cell, in millimetres.
	Indent float64
	// Span draws the first cell across the whole table (a group's title
	// above its rows); the other cells are not drawn.
	Span bool
}

// Table is a table: a header row repeated on each page it runs onto, and
// rows whose cells wrap within their column. A page break never falls
// within a row, nor right after the header.
type Table struct {
	Columns  []Column
	Rows     []Row
	FontSize float64 // points; 0 is 8.5
	// KeepTail keeps the table's last rows together (totals with the rows
	// just above them); 0 keeps none.
	KeepTail int
	// Zebra shades every other row lightly (for long lists).
	Zebra bool
}

const (
	cellPadY = 1.1
)

// Table draws t from the current position.
func (d *Doc) Table(t Table) {
	if len(t.Columns) == 0 {
		return
	}
	size := t.FontSize
	if size == 0 {
		size = 8.5
	}
	lh := lineHeight(size)
	total := 0.0
	for _, c := range t.Columns {
		total += c.Width
	}
	widths := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = c.Width / total * d.ContentWidth()
	}
	cm := d.f.GetCellMargin()
	d.fitWidths(t, widths, size, cm)

	// Lay every cell out first: the rows' heights decide the breaks.
	layout := func(cells []string, bold bool, indent float64, span bool) ([][]string, float64) {
		d.font(bold, size)
		lines := make([][]string, len(t.Columns))
		n := 1
		if span {
			text := ""
			if len(cells) > 0 {
				text = cells[0]
			}
			lines[0] = d.wrap(text, d.ContentWidth()-2*cm-indent)
			return lines, float64(len(lines[0]))*lh + 2*cellPadY
		}
		for i := range t.Columns {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			w := widths[i] - 2*cm
			if i == 0 {
				w -= indent
			}
			lines[i] = d.wrap(text, w)
			n = max(n, len(lines[i]))
		}
		return lines, float64(n)*lh + 2*cellPadY
	}
	titles := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		titles[i] = c.Title
	}
	headLines, headH := layout(titles, true, 0, false)
	rowLines := make([][][]string, len(t.Rows))
	rowH := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		rowLines[i], rowH[i] = layout(r.Cells, r.Bold, r.Indent, r.Span)
	}

	drawHeader := func() {
		y := d.f.GetY()
		d.fillColor(Navy)
		d.f.Rect(marginX, y, d.ContentWidth(), headH, "F")
		d.font(true, size)
		d.textColor(White)
		x := marginX
		for i, c := range t.Columns {
			// Header text sits at the bottom of the header row, as in a
			// spreadsheet, aligned like its column.
			off := headH - cellPadY - float64(len(headLines[i]))*lh
			for k, line := range headLines[i] {
				d.f.SetXY(x, y+off+float64(k)*lh)
				d.f.CellFormat(widths[i], lh, line, "", 0, c.Align.fpdf(), false, 0, "")
			}
			x += widths[i]
		}
		d.f.SetXY(marginX, y+headH)
	}
	drawRow := func(i int) {
		r := t.Rows[i]
		y := d.f.GetY()
		h := rowH[i]
		switch {
		case r.Shade:
			d.fillColor(Shade)
			d.f.Rect(marginX, y, d.ContentWidth(), h, "F")
		case t.Zebra && i%2 == 1:
			d.fillColor(Color{248, 249, 251})
			d.f.Rect(marginX, y, d.ContentWidth(), h, "F")
		}
		d.font(r.Bold, size)
		x := marginX
		for c, col := range t.Columns {
			color := Black
			if c < len(r.Colors) && !r.Colors[c].isZero() {
				color = r.Colors[c]
			}
			d.textColor(color)
			indent := 0.0
			if c == 0 {
				indent = r.Indent
			}
			w := widths[c]
			if r.Span {
				w = d.ContentWidth()
			}
			for k, line := range rowLines[i][c] {
				d.f.SetXY(x+indent, y+cellPadY+float64(k)*lh)
				d.f.CellFormat(w-indent, lh, line, "", 0, col.Align.fpdf(), false, 0, "")
			}
			x += widths[c]
		}
		d.drawColor(Rule)
		d.f.SetLineWidth(0.2)
		if r.Bold && r.Shade {
			d.drawColor(MidGrey)
		}
		d.f.Line(marginX, y+h, d.w-marginX, y+h)
		d.f.SetXY(marginX, y+h)
	}

	// The header never stands alone: it goes where the first rows fit.
	first := headH
	for i := 0; i < len(t.Rows) && i < 2; i++ {
		first += rowH[i]
	}
	d.Need(first)
	drawHeader()
	tail := len(t.Rows) - t.KeepTail
	for i := range t.Rows {
		need := rowH[i]
		if t.KeepTail > 0 && i == tail {
			for k := i + 1; k < len(t.Rows); k++ {
				need += rowH[k]
			}
		}
		if need > d.bottom()-marginTop-headH {
			need = rowH[i] // a tail longer than a page cannot be kept together
		}
		if d.Remaining() < need {
			d.NewPage()
			drawHeader()
		}
		drawRow(i)
	}
	d.textColor(Black)
	d.Space(2)
}

// fitWidths widens the columns too narrow for their longest header word or,
// in right-aligned and centred columns (figures), their widest cell, taking
// the room from the columns with room to spare, so that no word and no
// figure is cut.
func (d *Doc) fitWidths(t Table, widths []float64, size, cm float64) {
	need := make([]float64, len(widths))
	for i, c := range t.Columns {
		d.font(true, size)
		for _, w := range strings.Fields(c.Title) {
			need[i] = max(need[i], d.f.GetStringWidth(w)+2*cm+0.2)
		}
		if c.Align == Left {
			continue
		}
		for _, r := range t.Rows {
			if i < len(r.Cells) {
				d.font(r.Bold, size)
				need[i] = max(need[i], d.f.GetStringWidth(r.Cells[i])+2*cm+0.2)
			}
		}
	}
	var short, spare float64
	for i := range widths {
		if widths[i] < need[i] {
			short += need[i] - widths[i]
			widths[i] = need[i]
		} else {
			spare += widths[i] - need[i]
		}
	}
	if short == 0 || spare == 0 {
		return
	}
	take := min(short/spare, 1)
	for i := range widths {
		if widths[i] > need[i] {
			widths[i] -= (widths[i] - need[i]) * take
		}
	}
}
