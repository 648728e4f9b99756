package report

import (
	"regexp"
	"strings"
	"testing"
)

var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

func verbs(s string) string {
	var out []string
	for _, v := range verbRE.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return strings.Join(out, " ")
}

// TestXLSXLabelsComplete: every language has every key, no more, with the
// same fmt verbs in the same order (the PRAG headings are plain text), and sheet names a spreadsheet accepts.
func TestXLSXLabelsComplete(t *testing.T) {
	t.Parallel()
	en := xlsxLabels["en"]
	for _, lang := range Languages {
		l, ok := xlsxLabels[lang]
		if !ok {
			t.Errorf("no workbook labels in %s", lang)
			continue
		}
		for k, v := range en {
			got, ok := l[k]
			switch {
			case !ok:
				t.Errorf("%s lacks %q", lang, k)
			case strings.TrimSpace(got) == "":
				t.Errorf("%s %q is empty", lang, k)
			case !strings.HasPrefix(k, "prag.") && verbs(got) != verbs(v):
				t.Errorf("%s %q has verbs %q, English %q", lang, k, verbs(got), verbs(v))
			}
		}
		for k := range l {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has %q, which English lacks", lang, k)
			}
		}
		names := map[string]bool{}
		for _, k := range []string{"sheet.cover", "sheet.summary", "sheet.currencies", "sheet.list", "sheet.rates"} {
			n := l[k]
			if len([]rune(n)) > 31 || strings.ContainsAny(n, `[]:*?/\'`) || names[n] {
				t.Errorf("%s sheet name %q is not usable", lang, n)
			}
			names[n] = true
		}
	}
	if len(xlsxLabels) != len(Languages) {
		t.Errorf("labels in %d languages, reports in %d", len(xlsxLabels), len(Languages))
	}
	if xlsxLabels["fr"]["col.heading"] != "Rubrique" || xlsxLabels["es"]["col.heading"] != "Partida" || xlsxLabels["pt"]["col.heading"] != "Rubrica" {
		t.Error("the heading column is not named as Annex VI names it")
	}
}
