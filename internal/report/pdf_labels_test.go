package report

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pactum-dev/pactum/internal/calendar"
)

var pdfPlaceholder = regexp.MustCompile(`\{[a-z]+\}`)

// TestPDFLabelsEveryLanguageHasEveryKey: every report language has every
// label of the others, with the same placeholders, and twelve months.
func TestPDFLabelsEveryLanguageHasEveryKey(t *testing.T) {
	t.Parallel()
	keys := map[string]bool{}
	for _, labels := range pdfLabels {
		for k := range labels {
			keys[k] = true
		}
	}
	if len(pdfLabels) != len(Languages) {
		t.Errorf("labels in %d languages, reports in %d", len(pdfLabels), len(Languages))
	}
	for _, lang := range Languages {
		labels, ok := pdfLabels[lang]
		if !ok {
			t.Errorf("no labels in %s", lang)
			continue
		}
		for k := range keys {
			v, ok := labels[k]
			if !ok || strings.TrimSpace(v) == "" {
				t.Errorf("%s: no label %q", lang, k)
				continue
			}
			want := pdfPlaceholder.FindAllString(pdfLabels["en"][k], -1)
			got := pdfPlaceholder.FindAllString(v, -1)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(want, got) {
				t.Errorf("%s: %q has placeholders %v, English %v", lang, k, got, want)
			}
		}
		for _, k := range []string{"months", "monthsAbbr"} {
			if n := len(strings.Fields(labels[k])); n != 12 {
				t.Errorf("%s: %s has %d months", lang, k, n)
			}
		}
		// Translations, not copies, where the languages differ.
		if lang != "en" && labels["summary"] == pdfLabels["en"]["summary"] {
			t.Errorf("%s: the summary's title is English", lang)
		}
	}
}

func TestPDFFormatsNumbersAndDatesPerLanguage(t *testing.T) {
	t.Parallel()
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
	if got := pdfTN("fr", "expenditures", 0); got != "0 dépense" {
		t.Errorf("French plural of 0: %q", got)
	}
	if got := pdfTN("en", "expenditures", 1234); got != "1,234 expenditures" {
		t.Errorf("English plural: %q", got)
	}
}
