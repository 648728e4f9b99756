package report

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// styles are the workbook's cell styles.
type styles struct {
	title, subtitle, header                   int
	text, textBold, textComputed, textWrap    int
	textIndent, coverMoney                    int
	label, note, warning, flag, explain, date int
	noteWrap, noteIndent                      int
	count, countComputed                      int
	percent, percentBold, percentComputed     int
	rate, units                               int
	// Amounts by the currency's decimals (0 to 4): plain, heading rows,
	// computed and total rows.
	money, moneyBold, moneyComputed [5]int
	scale                           int // the grant currency's decimals
}

// Money styles of the grant currency.
func (s *styles) grant() int         { return s.money[s.scale] }
func (s *styles) grantBold() int     { return s.moneyBold[s.scale] }
func (s *styles) grantComputed() int { return s.moneyComputed[s.scale] }

// amountFormat is the number format of amounts with scale decimals, with
// thousands separators (the spreadsheet application shows them in the
// reader's locale: 1 234,56 in French, 1.234,56 in Spanish).
func amountFormat(scale int) (builtin int, custom string) {
	switch scale {
	case 0:
		return 3, "" // #,##0
	case 2:
		return 4, "" // #,##0.00
	default:
		return 0, "#,##0." + strings.Repeat("0", scale)
	}
}

func newStyles(f *excelize.File, grantScale int) (*styles, error) {
	s := &styles{scale: grantScale}
	var err error
	add := func(dst *int, st *excelize.Style) {
		if err != nil {
			return
		}
		*dst, err = f.NewStyle(st)
	}
	font := func(bold bool) *excelize.Font { return &excelize.Font{Family: "Calibri", Size: 10, Bold: bold} }
	thin := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	total := []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	headFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}}

	add(&s.title, &excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 14, Bold: true, Color: "1F4E79"}})
	add(&s.subtitle, &excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 10, Italic: true, Color: "595959"}})
	add(&s.header, &excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 10, Bold: true, Color: "FFFFFF"}, Fill: headFill,
		Border: thin, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}})
	add(&s.text, &excelize.Style{Font: font(false)})
	add(&s.textBold, &excelize.Style{Font: font(true)})
	add(&s.textIndent, &excelize.Style{Font: font(false), Alignment: &excelize.Alignment{Horizontal: "left", Indent: 1}})
	add(&s.textComputed, &excelize.Style{Font: font(true), Fill: fill, Border: total})
	add(&s.textWrap, &excelize.Style{Font: font(false), Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	add(&s.label, &excelize.Style{Font: font(true), Alignment: &excelize.Alignment{Vertical: "top"}})
	add(&s.note, &excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 9, Italic: true, Color: "595959"}})
	add(&s.noteWrap, &excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 9, Italic: true, Color: "595959"},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	add(&s.noteIndent, &excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 9, Italic: true, Color: "595959"},
		Alignment: &excelize.Alignment{Horizontal: "left", Indent: 1}})
	add(&s.warning, &excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 10, Bold: true, Color: "C00000"}})
	add(&s.flag, &excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 10, Bold: true, Color: "C00000"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}}})
	add(&s.explain, &excelize.Style{Font: font(false), Border: thin, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	add(&s.date, &excelize.Style{Font: font(false), NumFmt: 14})
	add(&s.count, &excelize.Style{Font: font(false), NumFmt: 3})
	add(&s.countComputed, &excelize.Style{Font: font(true), NumFmt: 3, Fill: fill, Border: total})
	add(&s.percent, &excelize.Style{Font: font(false), NumFmt: 10})
	add(&s.percentBold, &excelize.Style{Font: font(true), NumFmt: 10})
	add(&s.percentComputed, &excelize.Style{Font: font(true), NumFmt: 10, Fill: fill, Border: total})
	add(&s.units, &excelize.Style{Font: font(false), Alignment: &excelize.Alignment{Horizontal: "right"}})
	rateFmt := "0.00########"
	add(&s.rate, &excelize.Style{Font: font(false), CustomNumFmt: &rateFmt, Alignment: &excelize.Alignment{Horizontal: "right"}})
	grantFmt, grantCustom := amountFormat(grantScale)
	cover := &excelize.Style{Font: font(true), NumFmt: grantFmt, Alignment: &excelize.Alignment{Horizontal: "left"}}
	if grantCustom != "" {
		cover.CustomNumFmt = &grantCustom
	}
	add(&s.coverMoney, cover)
	for scale := range s.money {
		builtin, custom := amountFormat(scale)
		mk := func(bold bool, computed bool) *excelize.Style {
			st := &excelize.Style{Font: font(bold), NumFmt: builtin}
			if custom != "" {
				c := custom
				st.CustomNumFmt = &c
			}
			if computed {
				st.Fill, st.Border = fill, total
			}
			return st
		}
		add(&s.money[scale], mk(false, false))
		add(&s.moneyBold[scale], mk(true, false))
		add(&s.moneyComputed[scale], mk(true, true))
	}
	return s, err
}

// moneyStyle returns the plain amount style of a currency's scale.
func (s *styles) moneyStyle(scale int) int {
	if scale < 0 || scale >= len(s.money) {
		scale = 2
	}
	return s.money[scale]
}

// moneyComputedStyle returns the total style of a currency's scale.
func (s *styles) moneyComputedStyle(scale int) int {
	if scale < 0 || scale >= len(s.moneyComputed) {
		scale = 2
	}
	return s.moneyComputed[scale]
}
