package results_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/i18n"
)

func (w *sheetWorld) logframe(ctx context.Context, grantID, lang string, out *bytes.Buffer) (string, error) {
	return w.svc.LogframeXLSX(ctx, grantID, lang, out, nil)
}

func (w *sheetWorld) opsys(ctx context.Context, grantID, lang string, out *bytes.Buffer) (string, error) {
	return w.svc.IndicatorSheetXLSX(ctx, grantID, lang, out, nil)
}

// The logframe workbook of the demo grant holds the values worked out by
// hand (see TestIndicatorSheetRowsOfTheDemoGrant): the grant's sheet sums
// the number indicators over the projects, each project's sheet has its
// own; totals over periods are SUM formulas with the right cached value.
// A partner's workbook has its own project only.
func TestLogframeWorkbookValues(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newSheetWorld(t, d)
		f, _, name := workbook(w.coordinator, t, w.logframe, w.grant, "en")
		if !strings.HasPrefix(name, "logframe-CSO-LA-") || !strings.HasSuffix(name, ".xlsx") {
			t.Errorf("file name %q", name)
		}
		sheets := f.GetSheetList()
		if strings.Join(sheets, ",") != "Logframe,KE-01,NP-01,PH-01" {
			t.Fatalf("sheets %v", sheets)
		}
		rows := cellsOf(t, f, "Logframe")
		// Columns: A level .. K baseline date, L-N targets P1-P3, O final
		// target, P target date, Q-S achieved P1-P3, T to date, U source.
		check := func(sheet string, rows [][]string, match map[int]string, want map[int]string) {
			t.Helper()
			r := findRow(rows, match)
			if r == nil {
				t.Errorf("%s: no row %v", sheet, match)
				return
			}
			for c, v := range want {
				if c >= len(r) || r[c] != v {
					got := ""
					if c < len(r) {
						got = r[c]
					}
					t.Errorf("%s %v column %d: %q, want %q", sheet, match, c, got, v)
				}
			}
		}
		check("Logframe", rows, map[int]string{3: "IND-1", 8: "Total"}, map[int]string{7: "All partners", 9: "0",
			11: "450", 12: "570", 13: "690", 14: "1710", 16: "430", 17: "529", 18: "276", 19: "1235"})
		check("Logframe", rows, map[int]string{3: "IND-1", 8: "Sex: Women"}, map[int]string{16: "257", 17: "317", 18: "165", 19: "739"})
		check("Logframe", rows, map[int]string{3: "IND-1", 8: "Sex: Men"}, map[int]string{19: "408"})
		check("Logframe", rows, map[int]string{3: "IND-2", 8: "Total"}, map[int]string{14: "405", 19: "324"})
		check("Logframe", rows, map[int]string{3: "IND-3", 7: "KE-01"}, map[int]string{9: "30", 19: "53"})
		check("Logframe", rows, map[int]string{3: "IND-4", 7: "NP-01"}, map[int]string{19: "No"})
		check("Logframe", rows, map[int]string{0: "Overall objective"}, map[int]string{1: "OO"})
		check("Logframe", rows, map[int]string{0: "Output", 1: "OP1.1"}, map[int]string{2: "Workers trained on labour rights"})
		ke := cellsOf(t, f, "KE-01")
		check("KE-01", ke, map[int]string{3: "IND-1", 8: "Total"}, map[int]string{7: "KE-01", 11: "120", 12: "160", 13: "200", 14: "480",
			16: "108", 17: "152", 18: "80", 19: "340"})
		for _, ref := range []string{"O", "T"} {
			r := 0
			for k, row := range rows {
				if len(row) > 8 && row[3] == "IND-1" && row[8] == "Total" {
					r = k + 1
				}
			}
			formula, err := f.GetCellFormula("Logframe", ref+itoa(r))
			if err != nil || !strings.HasPrefix(formula, "SUM(") {
				t.Errorf("Logframe!%s%d: formula %q (%v), want a SUM", ref, r, formula, err)
			}
		}

		// Partner UDWU reads KE-01 only.
		pf, _, _ := workbook(w.partner, t, w.logframe, w.grant, "en")
		if got := strings.Join(pf.GetSheetList(), ","); got != "Logframe,KE-01" {
			t.Errorf("partner's workbook sheets %s, want Logframe,KE-01", got)
		}
		prow := findRow(cellsOf(t, pf, "Logframe"), map[int]string{3: "IND-1", 8: "Total"})
		if prow == nil || prow[19] != "340" || prow[7] != "KE-01" {
			t.Errorf("partner's IND-1 row %v, want KE-01's 340 only", prow)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// The workbooks in French: every label is French; no English label of the
// results catalogue and no raw key or category is left.
func TestResultsWorkbooksInFrench(t *testing.T) {
	t.Parallel()
	w := newSheetWorld(t, dbtest.SQLite(t))
	if _, err := w.svc.RecordSubmission(w.coordinator, w.grant, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.NewRaw(`UPDATE indicators SET periods = REPLACE(periods, '"actual":"80"', '"actual":"90"') WHERE code = 'IND-1' AND project_id = ?`,
		w.data.Projects["KE-01"].ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	var en map[string]any
	if _, err := toml.DecodeFile(filepath.Join("..", "i18n", "locales", "results.en.toml"), &en); err != nil {
		t.Fatal(err)
	}
	for _, gen := range []struct {
		name string
		gen  func(ctx context.Context, grantID, lang string, out *bytes.Buffer) (string, error)
		must []string
	}{
		{"logframe", w.logframe, []string{"Cadre logique", "Objectif global", "Produit", "Réalisé, période 1", "Sexe : Femmes", "Tous les partenaires", "Non"}},
		{"opsys", w.opsys, []string{i18n.For("fr").T("results.xlsx.sheet.opsys"), "Soumissions", "Code UE ou propre", "Pays", "Kenya", "Femmes", "Modifié : 1235 → 1245", "Inchangé", "Indicateur propre à l'action"}},
	} {
		t.Run(gen.name, func(t *testing.T) {
			f, raw, _ := workbook(w.coordinator, t, gen.gen, w.grant, "fr")
			seen := map[string]bool{}
			for _, s := range f.GetSheetList() {
				seen[s] = true
				rows, err := f.GetRows(s)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					for _, c := range r {
						seen[c] = true
						if strings.HasPrefix(c, "results.") || c == "women" || c == "men" || c == "other_or_not_stated" || c == "sex" {
							t.Errorf("%s: raw key or category %q", s, c)
						}
					}
				}
			}
			for _, want := range gen.must {
				if !seen[want] {
					t.Errorf("no cell %q", want)
				}
			}
			fr := i18n.For("fr")
			for id, v := range en {
				s, ok := v.(string)
				if !ok || len(s) < 4 || strings.Contains(s, "{{") || fr.T(id) == s {
					continue // the same word in both (Total), plural or a template
				}
				if seen[s] {
					t.Errorf("English label %q (%s) in the French workbook", s, id)
				}
			}
			if os.Getenv("PACTUM_KEEP_XLSX") != "" {
				_ = os.WriteFile(filepath.Join(os.Getenv("PACTUM_KEEP_XLSX"), gen.name+"-fr.xlsx"), raw, 0o600)
			}
		})
	}
}
