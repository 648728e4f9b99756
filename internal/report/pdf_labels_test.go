package report

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
)

// TestPDFLabelsEveryLanguageHasEveryKey: every message the PDF builds from
// a value exists, every language has twelve months, and the summary's
// title is translated. (The catalogue's own test sees that every language
// has every message with English's placeholders.)
func TestPDFLabelsEveryLanguageHasEveryKey(t *testing.T) {
	for _, id := range dynamicIDs("pdf.") {
		if !i18n.Has(id) {
			t.Errorf("no message %q", id)
		}
	}
	for _, lang := range i18n.Languages {
		l := i18n.For(lang)
		for _, id := range []string{"pdf.months", "pdf.monthsAbbr"} {
			if n := len(strings.Fields(l.T(id))); n != 12 {
				t.Errorf("%s: %s has %d months", lang, id, n)
			}
		}
		// Translations, not copies, where the languages differ.
		if lang != "en" && l.T("pdf.summary") == i18n.For("en").T("pdf.summary") {
			t.Errorf("%s: the summary's title is English", lang)
		}
	}
}

func TestPDFFormatsNumbersAndDatesPerLanguage(t *testing.T) {
	for _, c := range []struct {
		lang, money, negative, pct, date, month string
	}{
		{"en", "1,234,567.89", "-1,000.00", "26.50%", "1 March 2026", "Mar 2026"},
		{"fr", "1\u202f234\u202f567,89", "-1\u202f000,00", "26,50\u202f%", "1er mars 2026", "mars 2026"},
		{"es", "1.234.567,89", "-1.000,00", "26,50\u00a0%", "1 de marzo de 2026", "mar. 2026"},
		{"pt", "1.234.567,89", "-1.000,00", "26,50%", "1 de março de 2026", "mar. 2026"},
	} {
		if got := pdfMoney(c.lang, 123456789, "EUR"); got != c.money {
			t.Errorf("%s: money %q, want %q", c.lang, got, c.money)
		}
		if got := pdfMoney(c.lang, -100000, "EUR"); got != c.negative {
			t.Errorf("%s: negative %q, want %q", c.lang, got, c.negative)
		}
		if got := pdfPercent(c.lang, "26.50"); got != c.pct {
			t.Errorf("%s: percent %q, want %q", c.lang, got, c.pct)
		}
		if got := pdfDate(c.lang, calendar.MustParse("2026-03-01")); got != c.date {
			t.Errorf("%s: date %q, want %q", c.lang, got, c.date)
		}
		if got := pdfMonth(c.lang, "2026-03"); got != c.month {
			t.Errorf("%s: month %q, want %q", c.lang, got, c.month)
		}
	}
	for in, want := range map[string]string{"0": "0", "-0.00": "0.00", "999": "999", "1000": "1,000", "-123456.7": "-123,456.7", "+5.00": "+5.00"} {
		if got := pdfDecimal("en", in); got != want {
			t.Errorf("pdfDecimal(%q) = %q, want %q", in, got, want)
		}
	}
	if got := pdfMoney("fr", 1234567, "XOF"); got != "1\u202f234\u202f567" {
		t.Errorf("XOF has no decimals: %q", got)
	}
	if got := pdfAxis("en", 25000000, "EUR"); got != "250,000" {
		t.Errorf("axis %q", got)
	}
	if got := pdfSignedPercent("en", "50.00"); got != "+50.00%" {
		t.Errorf("signed %q", got)
	}
	if got := pdfDateTime("fr", time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC)); got != "23 novembre 2026 à 14:05 UTC" {
		t.Errorf("date time %q", got)
	}
	if got := pdfWords("fr").N("pdf.expenditures", 0); got != "0 dépense" {
		t.Errorf("French plural of 0: %q", got)
	}
	if got := pdfWords("en").N("pdf.expenditures", 1234); got != "1,234 expenditures" {
		t.Errorf("English plural: %q", got)
	}
}

// TestPDFPackageLabelsInEveryLanguage: the financial package's messages
// built from a value (roles, sources of funding) exist, and every message
// of the package is written in each language, not copied from English
// (but for words the languages share).
func TestPDFPackageLabelsInEveryLanguage(t *testing.T) {
	var ids []string
	for _, role := range []string{"coordinator", "co_beneficiary", "affiliated_entity", "associate", "contractor", "financial_support_recipient"} {
		ids = append(ids, "pdf.pkg.role."+role)
	}
	for _, kind := range []string{finance.FundingEU, finance.FundingOwnFunds, finance.FundingOtherDonor, finance.FundingIncome, finance.FundingInKind, "other"} {
		ids = append(ids, "pdf.pkg.source."+kind)
	}
	for _, id := range ids {
		if !i18n.Has(id) {
			t.Errorf("no message %q", id)
		}
	}
	shared := map[string]bool{"pdf.pkg.lineDetail": true, "pdf.pkg.euPartValue": true, "pdf.pkg.sourceNamed": true, "pdf.pkg.signDate": true,
		"pdf.pkg.signature": true, "pdf.pkg.signSignature": true, "pdf.pkg.source": true}
	read := func(lang string) map[string]any {
		m := map[string]any{}
		if _, err := toml.DecodeFile(filepath.Join("..", "i18n", "locales", "pdfpkg."+lang+".toml"), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	en := read("en")
	if len(en) < 80 {
		t.Fatalf("only %d messages in the package's catalogue", len(en))
	}
	for _, lang := range i18n.Languages[1:] {
		m := read(lang)
		for id, e := range en {
			v, ok := m[id]
			switch {
			case !ok:
				t.Errorf("%s lacks %q", lang, id)
			case !shared[id] && fmt.Sprint(v) == fmt.Sprint(e):
				t.Errorf("%s: %q is English: %v", lang, id, v)
			}
		}
		for id := range m {
			if _, ok := en[id]; !ok {
				t.Errorf("%s has %q, English has not", lang, id)
			}
		}
	}
}
