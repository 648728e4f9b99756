package report

import (
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/i18n"
)

// TestXLSXLabelsComplete: the workbook's sheet names are names a
// spreadsheet accepts in every language, its heading column is named as
// Annex VI names it, and every message the workbook builds from a value
// exists. (The catalogue's own test sees that every language has every
// message with English's placeholders.)
func TestXLSXLabelsComplete(t *testing.T) {
	for _, lang := range i18n.Languages {
		l := i18n.For(lang)
		names := map[string]bool{}
		for _, id := range []string{"xlsx.sheet.cover", "xlsx.sheet.summary", "xlsx.sheet.currencies", "xlsx.sheet.list", "xlsx.sheet.rates"} {
			n := l.T(id)
			if len([]rune(n)) > 31 || strings.ContainsAny(n, `[]:*?/\'`) || names[n] {
				t.Errorf("%s sheet name %q is not usable", lang, n)
			}
			names[n] = true
		}
	}
	for _, id := range dynamicIDs("xlsx.") {
		if !i18n.Has(id) {
			t.Errorf("no message %q", id)
		}
	}
	for _, s := range countedStatuses {
		if !i18n.Has("xlsx.status." + s) {
			t.Errorf("no message for the status %q", s)
		}
	}
	for code, title := range pragTitles {
		if got := i18n.For("en").T("xlsx.prag." + code); got != title {
			t.Errorf("PRAG heading %s is %q in English, the template's title is %q", code, got, title)
		}
	}
	if i18n.For("fr").T("xlsx.col.heading") != "Rubrique" || i18n.For("es").T("xlsx.col.heading") != "Partida" || i18n.For("pt").T("xlsx.col.heading") != "Rubrica" {
		t.Error("the heading column is not named as Annex VI names it")
	}
}
