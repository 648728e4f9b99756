package render

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/i18n"
)

// words is the document's language: its messages, and its way of writing
// numbers, dates and country names.
type words struct {
	lang string
	loc  *i18n.Localizer
}

func wordsFor(lang string) words {
	lang = i18n.Of(lang)
	w := words{lang: lang}
	w.loc = i18n.For(lang).CountFormat(func(n int64) string { return w.decimal(strconv.FormatInt(n, 10)) })
	return w
}

func (w words) T(id string, args ...any) string          { return w.loc.T(id, args...) }
func (w words) N(id string, n int64, args ...any) string { return w.loc.N(id, n, args...) }
func (w words) count(n int) string                       { return w.decimal(strconv.Itoa(n)) }
func (w words) dash() string                             { return "—" }
func (w words) orDash(s string) string                   { return or(s, w.dash()) }
func or(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

// separators are the digit-group and decimal separators of each language:
// 1,234.5 (en), 1 234,5 (fr, narrow no-break space), 1.234,5 (es, pt).
var separators = map[string][2]string{
	"en": {",", "."},
	"fr": {"\u202f", ","},
	"es": {".", ","},
	"pt": {".", ","},
}

// isDecimal reports whether s is a plain decimal number ("-1234.50").
func isDecimal(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" {
		return false
	}
	dot := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return true
}

// decimal writes a plain decimal string with the language's separators;
// anything else is returned as it is. Exact: it only moves characters.
func (w words) decimal(s string) string {
	if !isDecimal(s) {
		return s
	}
	sep := separators[w.lang]
	sign := ""
	if s[0] == '-' || s[0] == '+' {
		sign, s = s[:1], s[1:]
	}
	if sign == "+" {
		sign = ""
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

// value writes an indicator's value: a number with the language's
// separators, yes or no in words, text as it is, "—" for none.
func (w words) value(typ, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return w.dash()
	}
	if typ == "yes_no" {
		switch strings.ToLower(s) {
		case "yes", "true", "1":
			return w.T("narrative.doc.yes")
		case "no", "false", "0":
			return w.T("narrative.doc.no")
		}
	}
	return w.decimal(s)
}

// date writes a date in full ("31 December 2026", "1er janvier 2026"),
// "—" for none.
func (w words) date(d calendar.Date) string {
	if d.IsZero() {
		return w.dash()
	}
	t := d.Time()
	day := strconv.Itoa(t.Day())
	if w.lang == "fr" && t.Day() == 1 {
		day = "1er"
	}
	month := strings.Fields(w.T("pdf.months"))[t.Month()-1]
	return w.T("pdf.longDate", "Day", day, "Month", month, "Year", strconv.Itoa(t.Year()))
}

func (w words) moment(t time.Time) string { return w.date(calendar.Of(t.UTC())) }

func (w words) rangeOf(start, end calendar.Date) string {
	return w.T("narrative.doc.range", "Start", w.date(start), "End", w.date(end))
}

// country names an ISO 3166 country in the document's language, or
// returns the code when it names none.
func (w words) country(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return ""
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	// Portuguese as Pactum writes it elsewhere (the web's "ficheiro"):
	// European ("Quénia", not "Quênia").
	tag := w.lang
	if tag == "pt" {
		tag = "pt-PT"
	}
	if n := display.Regions(language.Make(tag)).Name(r); n != "" {
		return n
	}
	return code
}

func (w words) countries(codes []string) string {
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		if n := w.country(c); n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return w.T("narrative.doc.none")
	}
	return strings.Join(names, ", ")
}

// languageName is the name of a language in itself ("français").
func languageName(lang string) string {
	t := language.Make(lang)
	if n := display.Self.Name(t); n != "" {
		return n
	}
	return lang
}

// role writes a party's contractual role in words.
func (w words) role(role string) string {
	switch role {
	case "coordinator", "co_beneficiary", "affiliated_entity", "associate":
		return w.T("narrative.doc.role." + role)
	}
	return w.T("narrative.doc.role.partner")
}

// level writes a result's level in words ("Output").
func (w words) level(level string) string {
	switch level {
	case "overall_objective", "specific_objective", "output":
		return w.T("narrative.doc.level." + level)
	}
	return ""
}

// category writes a disaggregation's category: a country code ("KE") as
// the country's name, any other category as the compiler wrote it.
func (w words) category(s string) string {
	if len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' {
		return w.country(s)
	}
	switch strings.ToLower(s) {
	case "women", "female":
		return w.T("narrative.doc.people.women")
	case "men", "male":
		return w.T("narrative.doc.people.men")
	case "other_or_not_stated", "other":
		return w.T("narrative.doc.people.other")
	}
	return w.orDash(s)
}

// disaggregation names a disaggregation: the usual ones (sex, age group,
// country) in words, any other as the compiler wrote it.
func (w words) disaggregation(s string) string {
	switch strings.ToLower(strings.ReplaceAll(s, "_", " ")) {
	case "sex":
		return w.T("narrative.doc.dis.sex")
	case "age group":
		return w.T("narrative.doc.dis.ageGroup")
	case "country":
		return w.T("narrative.doc.dis.country")
	}
	return w.orDash(s)
}
