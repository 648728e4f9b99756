package i18n

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// placeholder is the one placeholder syntax; any other template action,
// fmt verb or {name} in a message is a mistake.
var (
	placeholder = regexp.MustCompile(`\{\{\.([A-Z][A-Za-z0-9]*)\}\}`)
	otherSyntax = regexp.MustCompile(`\{\{|\}\}|%[-+#0-9.]*[sdvqfx]\b|%\[|%%|\{[a-z]+\}`)
)

// forms are a message's plural forms that have text, by name.
func forms(m *goi18n.Message) map[string]string {
	f := map[string]string{}
	for name, s := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if s != "" {
			f[name] = s
		}
	}
	return f
}

func isPlural(m *goi18n.Message) bool { return len(forms(m)) > 1 || m.One != "" }

// names are the placeholders of s.
func names(s string) map[string]bool {
	n := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		n[m[1]] = true
	}
	return n
}

// placeholders are the placeholders of every form of m.
func placeholders(m *goi18n.Message) map[string]bool {
	n := map[string]bool{}
	for _, s := range forms(m) {
		maps.Copy(n, names(s))
	}
	return n
}

func sorted(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

// TestEveryLanguageHasEveryMessage: every language has every message of
// English and no other, none empty, each with English's placeholders in
// the one syntax, a plural message with every form its language needs.
func TestEveryLanguageHasEveryMessage(t *testing.T) {
	en := catalogue[Default]
	if len(en) < 200 {
		t.Fatalf("English has %d messages", len(en))
	}
	if len(catalogue) != len(Languages) {
		t.Errorf("messages in %d languages, Pactum writes in %d", len(catalogue), len(Languages))
	}
	for _, lang := range Languages {
		msgs := catalogue[lang]
		for id := range msgs {
			if en[id] == nil {
				t.Errorf("%s has %q, which English lacks", lang, id)
			}
		}
		for id, e := range en {
			m := msgs[id]
			if m == nil {
				t.Errorf("%s lacks %q", lang, id)
				continue
			}
			for form, s := range forms(m) {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s %q (%s) is empty", lang, id, form)
				}
				if rest := placeholder.ReplaceAllString(s, ""); otherSyntax.MatchString(rest) {
					t.Errorf("%s %q (%s) has a placeholder not written {{.Name}}: %q", lang, id, form, otherSyntax.FindString(rest))
				}
			}
			if m.Other == "" {
				t.Errorf("%s %q has no text (or no \"other\" form)", lang, id)
			}
			if isPlural(e) != isPlural(m) {
				t.Errorf("%s %q: plural %v, English %v", lang, id, isPlural(m), isPlural(e))
			}
			want, got := placeholders(e), placeholders(m)
			if !isPlural(e) {
				if !maps.Equal(want, got) {
					t.Errorf("%s %q has placeholders %v, English %v", lang, id, sorted(got), sorted(want))
				}
				continue
			}
			// A plural form may leave the count unsaid ("en retard d'un
			// jour"), but not the other placeholders.
			delete(want, "Count")
			for form, s := range forms(m) {
				n := names(s)
				delete(n, "Count")
				if !maps.Equal(want, n) {
					t.Errorf("%s %q (%s) has placeholders %v, English %v", lang, id, form, sorted(n), sorted(want))
				}
			}
			for _, count := range []int64{0, 1, 2, 3, 5, 11, 21, 100, 1000000, 2000000} {
				if _, err := For(lang).localize(id, &count, []any{"Count", "n", "Currency", "x", "Start", "s", "End", "e", "Currencies", "c", "ToDate", "t", "To", "t", "Total", "t", "Sheet", "s"}); err != nil {
					t.Errorf("%s %q of %d: %v", lang, id, count, err)
				}
			}
		}
	}
}

func TestPluralFormsFollowTheLanguage(t *testing.T) {
	for _, c := range []struct {
		lang  string
		count int64
		want  string
	}{
		{"en", 0, "0 expenditures"}, {"en", 1, "1 expenditure"}, {"en", 3, "3 expenditures"},
		{"fr", 0, "0 dépense"}, {"fr", 1, "1 dépense"}, {"fr", 2, "2 dépenses"}, {"fr", 1000000, "1000000 de dépenses"},
		{"es", 0, "0 gastos"}, {"es", 1, "1 gasto"}, {"es", 2000000, "2000000 de gastos"},
		{"pt", 0, "0 despesa"}, {"pt", 1, "1 despesa"}, {"pt", 2, "2 despesas"},
	} {
		if got := For(c.lang).N("pdf.expenditures", c.count); got != c.want {
			t.Errorf("%s of %d: %q, want %q", c.lang, c.count, got, c.want)
		}
	}
	grouped := For("fr").CountFormat(func(n int64) string { return "«" + strconv.FormatInt(n, 10) + "»" })
	if got := grouped.N("pdf.expenditures", 1234); got != "«1234» dépenses" {
		t.Errorf("CountFormat: %q", got)
	}
	if got := For("en").N("reminder.daysOverdue", 1); got != "1 day overdue" {
		t.Errorf("one day: %q", got)
	}
}

func TestFillsPlaceholdersAndFallsBack(t *testing.T) {
	if got := For("fr").T("xlsx.amountsIn", "Currency", "XOF"); got != "montants en XOF" {
		t.Errorf("French: %q", got)
	}
	if l := For("de"); l.Lang() != "en" || l.T("xlsx.sheet.cover") != "Cover" {
		t.Errorf("German falls back to %s: %q", l.Lang(), l.T("xlsx.sheet.cover"))
	}
	// A value is text, never a template.
	if got := For("en").T("reminder.greeting", "Name", "{{.Name}} %s"); got != "Hello {{.Name}} %s," {
		t.Errorf("a name that looks like a template: %q", got)
	}
	if got := For("en").T("no.such.message"); got != "no.such.message" {
		t.Errorf("an unknown message: %q", got)
	}
	if _, err := For("en").localize("xlsx.amountsIn", nil, nil); err == nil {
		t.Error("a placeholder left without a value is no error")
	}
	if !Has("pdf.finding.NO_BUDGET") || Has("pdf.finding.NO_SUCH") {
		t.Error("Has")
	}
	for _, l := range []string{"en", "fr", "es", "pt"} {
		if !Supported(l) || Of(l) != l {
			t.Errorf("%s is not supported", l)
		}
	}
	if Supported("") || Of("") != Default || Of("de") != Default {
		t.Error("unsupported languages")
	}
}
