package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/money"
)

// pdfSeparators are the digit-group and decimal separators of each report
// language: 1,234,567.89 (en), 1 234 567,89 (fr, with narrow no-break
// spaces), 1.234.567,89 (es, pt).
var pdfSeparators = map[string][2]string{
	"en": {",", "."},
	"fr": {"\u202f", ","},
	"es": {".", ","},
	"pt": {".", ","},
}

// pdfLocalizers write the PDF's words in each language, counts grouped as
// pdfInteger groups them.
var pdfLocalizers = func() map[string]*i18n.Localizer {
	m := map[string]*i18n.Localizer{}
	for _, lang := range i18n.Languages {
		m[lang] = i18n.For(lang).CountFormat(func(n int64) string { return pdfInteger(lang, n) })
	}
	return m
}()

// pdfWords returns the Localizer of the PDF's words in lang (English's
// when Pactum does not write in lang).
func pdfWords(lang string) *i18n.Localizer { return pdfLocalizers[i18n.Of(lang)] }

// pdfDecimal writes a decimal string ("-1234567.89", as money.Format and
// the compliance findings write them) with the separators of lang. Exact:
// it only moves characters.
func pdfDecimal(lang, s string) string {
	sep, ok := pdfSeparators[lang]
	if !ok {
		sep = pdfSeparators["en"]
	}
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
	}
	if sign == "-" && strings.Trim(s, "0.") == "" {
		sign = "" // no "-0.00"
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep[0])
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString(sep[1])
		b.WriteString(frac)
	}
	return b.String()
}

// pdfInteger writes a count.
func pdfInteger(lang string, n int64) string { return pdfDecimal(lang, strconv.FormatInt(n, 10)) }

// pdfMoney writes minor units of currency as a number of lang, with the
// currency's decimals ("1 234,56" in French for 123456 EUR).
func pdfMoney(lang string, minor int64, currency string) string {
	return pdfDecimal(lang, money.Format(minor, currency))
}

// pdfAxis writes a chart tick (minor units) in whole units of the currency
// when it is whole, as nice ticks are.
func pdfAxis(lang string, minor int64, currency string) string {
	s := money.Format(minor, currency)
	if i := strings.IndexByte(s, '.'); i >= 0 && strings.Trim(s[i+1:], "0") == "" {
		s = s[:i]
	}
	return pdfDecimal(lang, s)
}

// pdfPercent writes a percentage given as a decimal string ("26.00"), ""
// for none: 26.00% (en), 26,00 % (fr, es), 26,00% (pt).
func pdfPercent(lang, pct string) string {
	if pct == "" {
		return ""
	}
	n := pdfDecimal(lang, pct)
	switch lang {
	case "fr":
		return n + "\u202f%"
	case "es":
		return n + "\u00a0%"
	}
	return n + "%"
}

// pdfSignedPercent is pdfPercent with a "+" before a positive figure.
func pdfSignedPercent(lang, pct string) string {
	if pct != "" && !strings.HasPrefix(pct, "-") && !strings.HasPrefix(pct, "+") && strings.Trim(pct, "0.") != "" {
		pct = "+" + pct
	}
	return pdfPercent(lang, pct)
}

// pdfDate writes a date in full: "31 December 2026", "31 décembre 2026",
// "31 de diciembre de 2026".
func pdfDate(lang string, d calendar.Date) string {
	t := d.Time()
	day := strconv.Itoa(t.Day())
	if lang == "fr" && t.Day() == 1 {
		day = "1er"
	}
	return pdfWords(lang).T("pdf.longDate", "Day", day, "Month", strings.Fields(pdfWords(lang).T("pdf.months"))[t.Month()-1], "Year", strconv.Itoa(t.Year()))
}

// pdfDateString is pdfDate of "YYYY-MM-DD", or the string itself when it
// is no date.
func pdfDateString(lang, s string) string {
	d, err := calendar.Parse(s)
	if err != nil {
		return s
	}
	return pdfDate(lang, d)
}

// pdfDateTime writes a moment, in UTC, to the minute.
func pdfDateTime(lang string, t time.Time) string {
	t = t.UTC()
	return pdfWords(lang).T("pdf.dateTime", "Date", pdfDate(lang, calendar.Of(t)), "Time", t.Format("15:04"))
}

// pdfMonth writes "YYYY-MM" as a short month: "Mar 2026", "mars 2026".
func pdfMonth(lang, ym string) string {
	d, err := calendar.Parse(ym + "-01")
	if err != nil {
		return ym
	}
	return strings.Fields(pdfWords(lang).T("pdf.monthsAbbr"))[d.Time().Month()-1] + " " + ym[:4]
}
