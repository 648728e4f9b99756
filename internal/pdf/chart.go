package pdf

import (
	"math"
)

// Series is a named series of values of a chart. Values are integers (minor
// units, counts): a chart scales them for drawing only. Negative values
// are drawn as zero.
type Series struct {
	Name   string
	Color  Color
	Values []int64
	// Labels are written by the values: at the end of each bar (bar
	// charts), or by a line's last point (its last label). Optional.
	Labels []string
	// Colors colour single bars; a zero Color (or none) is Color.
	Colors []Color
	// Dashed draws a line dashed.
	Dashed bool
}

func (s Series) colorAt(i int) Color {
	if i < len(s.Colors) && !s.Colors[i].isZero() {
		return s.Colors[i]
	}
	return s.Color
}

// BarChart is a horizontal bar chart: a band per category, a bar per
// series in each band, one axis.
type BarChart struct {
	Categories []string
	Series     []Series
	Format     func(int64) string // the axis' tick labels
}

// LineChart is a chart over categories along the x axis (months, say):
// lines against the left axis, and bars against a right axis of their own
// scale, behind the lines. A line may stop before the last category.
type LineChart struct {
	Labels     []string
	Lines      []Series
	Bars       []Series
	Format     func(int64) string // the left axis' tick labels
	BarFormat  func(int64) string // the right axis' tick labels
	LeftTitle  string
	RightTitle string
	Height     float64 // of the plot area, mm; 0 is 90
	// Levels are horizontal lines across the plot (a budget), against the
	// left axis.
	Levels []Level
	// Span shades a run of categories (a reporting period); nil for none.
	Span *Span
}

// Level is a horizontal line of a line chart.
type Level struct {
	Name   string
	Color  Color
	Value  int64
	Label  string // written at the line's right end; optional
	Dashed bool
}

// Span is a run of categories, From to To inclusive (0-based).
type Span struct {
	From, To int
	Name     string // in the legend
}

var spanColor = Color{246, 240, 222}

const (
	chartFont  = 7.5
	axisTicks  = 8 // at most; 4 to 8 in practice
	legendH    = 7.0
	tickLabelH = 5.5
)

// scale is an axis from 0 to top in steps.
type scale struct{ step, top int64 }

// niceScale covers 0..v in at most n steps of 1, 2, 2.5 or 5 times a power
// of ten.
func niceScale(v int64, n int) scale {
	if v <= 0 {
		return scale{step: 1, top: 0}
	}
	raw := (v + int64(n) - 1) / int64(n)
	return stepScale(v, niceAtLeast(raw))
}

// niceAtLeast returns the smallest 1, 2, 2.5 or 5 times a power of ten
// (an integer) that is at least raw.
func niceAtLeast(raw int64) int64 {
	if raw <= 1 {
		return 1
	}
	p := int64(1)
	for p <= math.MaxInt64/10 && p*10 < raw {
		p *= 10
	}
	cands := []int64{p, 2 * p}
	if p%2 == 0 {
		cands = append(cands, 5*p/2)
	}
	cands = append(cands, 5*p, 10*p)
	for _, c := range cands {
		if c >= raw {
			return c
		}
	}
	return 10 * p
}

func stepScale(v, step int64) scale {
	top := (v + step - 1) / step * step
	return scale{step: step, top: top}
}

// pos maps v to a fraction of the axis.
func (s scale) pos(v int64) float64 {
	if s.top <= 0 || v <= 0 {
		return 0
	}
	if v > s.top {
		v = s.top
	}
	return float64(v) / float64(s.top)
}

func maxOf(series []Series) int64 {
	var m int64
	for _, s := range series {
		for _, v := range s.Values {
			m = max(m, v)
		}
	}
	return m
}

// legend draws the series' names with their swatches in a row at y.
func (d *Doc) legend(y float64, bars, lines []Series, span *Span) {
	d.font(false, chartFont)
	x := marginX
	if span != nil && span.Name != "" {
		d.fillColor(spanColor)
		d.f.Rect(x, y+0.9, 5, 3.8, "F")
		x += 6.2
		d.textColor(Black)
		d.f.SetXY(x-d.f.GetCellMargin(), y+0.8)
		w := d.f.GetStringWidth(span.Name) + 2*d.f.GetCellMargin()
		d.f.CellFormat(w, 4, span.Name, "", 0, "LM", false, 0, "")
		x += w + 4
	}
	for _, s := range bars {
		d.fillColor(s.Color)
		d.f.Rect(x, y+1.2, 3.2, 3.2, "F")
		x += 4.4
		d.textColor(Black)
		d.f.SetXY(x-d.f.GetCellMargin(), y+0.8)
		w := d.f.GetStringWidth(s.Name) + 2*d.f.GetCellMargin()
		d.f.CellFormat(w, 4, s.Name, "", 0, "LM", false, 0, "")
		x += w + 4
	}
	for _, s := range lines {
		d.drawColor(s.Color)
		d.f.SetLineWidth(0.7)
		d.dash(s.Dashed)
		d.f.Line(x, y+2.8, x+7, y+2.8)
		d.dash(false)
		x += 8.2
		d.textColor(Black)
		d.f.SetXY(x-d.f.GetCellMargin(), y+0.8)
		w := d.f.GetStringWidth(s.Name) + 2*d.f.GetCellMargin()
		d.f.CellFormat(w, 4, s.Name, "", 0, "LM", false, 0, "")
		x += w + 4
	}
}

func (d *Doc) dash(on bool) {
	if on {
		d.f.SetDashPattern([]float64{1.8, 1.2}, 0)
	} else {
		d.f.SetDashPattern([]float64{}, 0)
	}
}

// BarChart draws c at the full content width, starting a new page unless
// it fits on this one.
func (d *Doc) BarChart(c BarChart) {
	n := len(c.Categories)
	if n == 0 || len(c.Series) == 0 {
		return
	}
	format := c.Format
	if format == nil {
		format = func(int64) string { return "" }
	}
	ns := float64(len(c.Series))
	barH, gap := 5.2, 3.8
	band := ns*barH + gap
	// Shrink the bars to fit a page when there are many categories.
	if avail := d.bottom() - marginTop - legendH - tickLabelH - 4; float64(n)*band > avail {
		band = avail / float64(n)
		barH = band * 0.78 / ns
		gap = band - ns*barH
	}
	height := legendH + float64(n)*band + tickLabelH + 2
	d.Need(height)
	y0 := d.f.GetY()
	d.legend(y0, c.Series, nil, nil)

	// Category labels: up to 2 lines, in at most 30% of the width.
	d.font(false, chartFont+0.5)
	labelW := 0.0
	for _, cat := range c.Categories {
		labelW = max(labelW, d.f.GetStringWidth(cat)+2*d.f.GetCellMargin()+2)
	}
	labelW = min(labelW, d.ContentWidth()*0.3)
	// Room for the value labels at the bars' ends.
	d.font(false, chartFont)
	valueW := 0.0
	for _, s := range c.Series {
		for _, l := range s.Labels {
			valueW = max(valueW, d.f.GetStringWidth(l)+3)
		}
	}
	x0 := marginX + labelW
	x1 := marginX + d.ContentWidth() - valueW
	plotTop := y0 + legendH
	plotBottom := plotTop + float64(n)*band
	sc := niceScale(maxOf(c.Series), axisTicks)

	// Grid and ticks.
	d.font(false, chartFont)
	d.f.SetLineWidth(0.2)
	for v := int64(0); v <= sc.top && sc.top > 0; v += sc.step {
		x := x0 + sc.pos(v)*(x1-x0)
		d.drawColor(Rule)
		d.f.Line(x, plotTop, x, plotBottom)
		label := format(v)
		w := d.f.GetStringWidth(label) + 2
		d.textColor(Grey)
		d.f.SetXY(x-w/2, plotBottom+1)
		d.f.CellFormat(w, 4, label, "", 0, "CM", false, 0, "")
	}
	d.drawColor(MidGrey)
	d.f.SetLineWidth(0.3)
	d.f.Line(x0, plotTop, x0, plotBottom)

	lh := lineHeight(chartFont + 0.5)
	for i, cat := range c.Categories {
		top := plotTop + float64(i)*band + gap/2
		d.font(false, chartFont+0.5)
		lines := d.wrap(cat, labelW-2*d.f.GetCellMargin()-1)
		if len(lines) > 2 {
			lines = lines[:2]
			lines[1] = d.fit(lines[1]+"…", labelW-2*d.f.GetCellMargin()-1)
		}
		d.textColor(Black)
		ly := top + (ns*barH-float64(len(lines))*lh)/2
		for k, l := range lines {
			d.f.SetXY(marginX, ly+float64(k)*lh)
			d.f.CellFormat(labelW-1, lh, l, "", 0, "LM", false, 0, "")
		}
		for j, s := range c.Series {
			var v int64
			if i < len(s.Values) {
				v = s.Values[i]
			}
			by := top + float64(j)*barH
			w := sc.pos(v) * (x1 - x0)
			if w > 0 {
				d.fillColor(s.colorAt(i))
				d.f.Rect(x0, by+0.35, w, barH-0.7, "F")
			}
			if i < len(s.Labels) && s.Labels[i] != "" {
				d.font(false, chartFont)
				d.textColor(Grey)
				d.f.SetXY(x0+w+0.3, by)
				d.f.CellFormat(valueW, barH, s.Labels[i], "", 0, "LM", false, 0, "")
			}
		}
	}
	d.textColor(Black)
	d.f.SetXY(marginX, plotBottom+tickLabelH+2)
}

// LineChart draws c at the full content width, starting a new page unless
// it fits on this one.
func (d *Doc) LineChart(c LineChart) {
	n := len(c.Labels)
	if n == 0 {
		return
	}
	format, barFormat := c.Format, c.BarFormat
	if format == nil {
		format = func(int64) string { return "" }
	}
	if barFormat == nil {
		barFormat = format
	}
	plotH := c.Height
	if plotH == 0 {
		plotH = 90
	}
	titleH := 0.0
	if c.LeftTitle != "" || c.RightTitle != "" {
		titleH = 4.5
	}
	height := legendH + titleH + plotH + tickLabelH + 2
	d.Need(height)
	y0 := d.f.GetY()
	lines := c.Lines
	for _, l := range c.Levels {
		lines = append(lines, Series{Name: l.Name, Color: l.Color, Dashed: l.Dashed})
	}
	d.legend(y0, c.Bars, lines, c.Span)

	top := maxOf(c.Lines)
	for _, l := range c.Levels {
		top = max(top, l.Value)
	}
	left := niceScale(top, axisTicks)
	ticks := axisTicks
	if left.top > 0 {
		ticks = int(left.top / left.step)
	}
	// The right axis has as many steps as the left, so that both share the
	// grid lines.
	var right scale
	if len(c.Bars) > 0 {
		right = stepScale(maxOf(c.Bars), niceAtLeast((maxOf(c.Bars)+int64(ticks)-1)/int64(ticks)))
		right.top = right.step * int64(ticks)
	}
	d.font(false, chartFont)
	leftW, rightW := 0.0, 0.0
	for k := 0; k <= ticks; k++ {
		leftW = max(leftW, d.f.GetStringWidth(format(int64(k)*left.step))+3)
		if len(c.Bars) > 0 {
			rightW = max(rightW, d.f.GetStringWidth(barFormat(int64(k)*right.step))+3)
		}
	}
	x0 := marginX + leftW
	x1 := marginX + d.ContentWidth() - rightW
	plotTop := y0 + legendH + titleH
	plotBottom := plotTop + plotH
	if titleH > 0 {
		d.textColor(Grey)
		d.f.SetXY(marginX-d.f.GetCellMargin(), y0+legendH)
		d.f.CellFormat(x1-x0, 4, c.LeftTitle, "", 0, "LM", false, 0, "")
		w := d.f.GetStringWidth(c.RightTitle) + 2*d.f.GetCellMargin()
		d.f.SetXY(marginX+d.ContentWidth()-w+d.f.GetCellMargin(), y0+legendH)
		d.f.CellFormat(w, 4, c.RightTitle, "", 0, "RM", false, 0, "")
	}

	bw := (x1 - x0) / float64(n)
	xAt := func(i int) float64 { return x0 + bw*(float64(i)+0.5) }
	if sp := c.Span; sp != nil && sp.From <= sp.To && sp.From < n && sp.To >= 0 {
		from, to := max(sp.From, 0), min(sp.To, n-1)
		d.fillColor(spanColor)
		d.f.Rect(x0+bw*float64(from), plotTop, bw*float64(to-from+1), plotH, "F")
	}

	// Grid and both axes' ticks.
	d.f.SetLineWidth(0.2)
	for k := 0; k <= ticks; k++ {
		y := plotBottom - float64(k)/float64(ticks)*plotH
		d.drawColor(Rule)
		d.f.Line(x0, y, x1, y)
		d.textColor(Grey)
		d.f.SetXY(marginX, y-2)
		d.f.CellFormat(leftW-1, 4, format(int64(k)*left.step), "", 0, "RM", false, 0, "")
		if len(c.Bars) > 0 {
			d.f.SetXY(x1+1, y-2)
			d.f.CellFormat(rightW-1, 4, barFormat(int64(k)*right.step), "", 0, "LM", false, 0, "")
		}
	}
	d.drawColor(MidGrey)
	d.f.SetLineWidth(0.3)
	d.f.Line(x0, plotBottom, x1, plotBottom)

	// Category labels, as many as fit side by side.
	maxW := 0.0
	for _, l := range c.Labels {
		maxW = max(maxW, d.f.GetStringWidth(l)+2.5)
	}
	every := max(1, int(math.Ceil(maxW/bw)))
	d.textColor(Grey)
	for i, l := range c.Labels {
		if i%every != 0 {
			continue
		}
		d.drawColor(MidGrey)
		d.f.Line(xAt(i), plotBottom, xAt(i), plotBottom+0.9)
		d.f.SetXY(xAt(i)-maxW/2, plotBottom+1)
		d.f.CellFormat(maxW, 4, l, "", 0, "CM", false, 0, "")
	}

	// Bars (right axis), side by side within a category.
	if len(c.Bars) > 0 {
		w := bw * 0.56 / float64(len(c.Bars))
		for j, s := range c.Bars {
			for i, v := range s.Values {
				if i >= n {
					break
				}
				h := right.pos(v) * plotH
				if h <= 0 {
					continue
				}
				d.fillColor(s.colorAt(i))
				x := xAt(i) - bw*0.28 + float64(j)*w
				d.f.Rect(x, plotBottom-h, w, h, "F")
			}
		}
	}
	// Lines (left axis).
	d.f.SetLineJoinStyle("round")
	d.f.SetLineCapStyle("round")
	for _, s := range c.Lines {
		d.drawColor(s.Color)
		d.f.SetLineWidth(0.7)
		d.dash(s.Dashed)
		last := min(len(s.Values), n) - 1
		for i := 1; i <= last; i++ {
			d.f.Line(xAt(i-1), plotBottom-left.pos(s.Values[i-1])*plotH, xAt(i), plotBottom-left.pos(s.Values[i])*plotH)
		}
		d.dash(false)
		if last >= 0 && len(s.Labels) > 0 && s.Labels[len(s.Labels)-1] != "" {
			y := plotBottom - left.pos(s.Values[last])*plotH
			d.fillColor(s.Color)
			d.f.Circle(xAt(last), y, 0.9, "F")
			label := s.Labels[len(s.Labels)-1]
			d.font(true, chartFont)
			d.textColor(s.Color)
			w := d.f.GetStringWidth(label) + 2*d.f.GetCellMargin()
			x := xAt(last) + 1.2
			if x+w > x1 {
				x = xAt(last) - 1.2 - w
			}
			d.f.SetXY(x, y-5)
			d.f.CellFormat(w, 4, label, "", 0, "LM", false, 0, "")
			d.font(false, chartFont)
		}
	}
	for _, l := range c.Levels {
		y := plotBottom - left.pos(l.Value)*plotH
		d.drawColor(l.Color)
		d.f.SetLineWidth(0.6)
		d.dash(l.Dashed)
		d.f.Line(x0, y, x1, y)
		d.dash(false)
		if l.Label != "" {
			d.font(true, chartFont)
			d.textColor(l.Color)
			w := d.f.GetStringWidth(l.Label) + 2*d.f.GetCellMargin()
			d.f.SetXY(x1-w, y-4.6)
			d.f.CellFormat(w, 4, l.Label, "", 0, "RM", false, 0, "")
			d.font(false, chartFont)
		}
	}
	d.f.SetLineCapStyle("butt")
	d.f.SetLineJoinStyle("miter")
	d.textColor(Black)
	d.f.SetXY(marginX, plotBottom+tickLabelH+2)
}
