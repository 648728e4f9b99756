package results_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/db/dbtest"
)

// TestLogframeLibreOfficeRecalculatesTheSameTotals opens the logframe
// workbook in LibreOffice (headless) with every formula's cached value
// removed, so that LibreOffice computes them all, exports every sheet to
// CSV and compares each recalculated formula with the value Pactum cached
// (as internal/report's test of the financial report does). -short skips it.
func TestLogframeLibreOfficeRecalculatesTheSameTotals(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: skipping the LibreOffice recalculation of the logframe workbook")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice is not installed (no soffice on PATH)")
	}
	w := newSheetWorld(t, dbtest.SQLite(t))
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			f, raw, _ := workbook(w.coordinator, t, w.logframe, w.grant, lang)
			dir := t.TempDir()
			stripped, n, err := withoutCachedValues(raw)
			if err != nil {
				t.Fatal(err)
			}
			if n < 40 {
				t.Fatalf("only %d formulas found in the workbook", n)
			}
			in := filepath.Join(dir, "recalc.xlsx")
			if err := os.WriteFile(in, stripped, 0o600); err != nil {
				t.Fatal(err)
			}
			sheets := recalcWithLibreOffice(t, soffice, dir, in, f.GetSheetList())
			compared := 0
			for _, sheet := range f.GetSheetList() {
				rows := cellsOf(t, f, sheet)
				lo := sheets[sheet]
				perSheet := 0
				for r := range rows {
					for c := range rows[r] {
						ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
						formula, _ := f.GetCellFormula(sheet, ref)
						if formula == "" {
							continue
						}
						compared++
						perSheet++
						got := ""
						if r < len(lo) && c < len(lo[r]) {
							got = lo[r][c]
						}
						if rows[r][c] == "" || !sameNumber(rows[r][c], got) {
							t.Errorf("%s!%s =%s: Pactum cached %q, LibreOffice computes %q", sheet, ref, formula, rows[r][c], got)
						}
					}
				}
				if perSheet == 0 {
					t.Errorf("sheet %q has no formula", sheet)
				}
			}
			if compared != n {
				t.Errorf("compared %d formulas, the workbook has %d", compared, n)
			}
		})
	}
}

func sameNumber(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	return err1 == nil && err2 == nil && x.Sub(y).Abs().LessThan(decimal.New(5, -7))
}

var cachedValueRE = regexp.MustCompile(`(<f>[^<]*</f>)<v>[^<]*</v>`)

// withoutCachedValues returns the workbook with the cached values of its
// formulas removed, and how many formulas it holds.
func withoutCachedValues(xlsx []byte) ([]byte, int, error) {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		return nil, 0, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	n := 0
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return nil, 0, err
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return nil, 0, err
		}
		if strings.HasPrefix(zf.Name, "xl/worksheets/") {
			n += bytes.Count(b, []byte("<f>"))
			b = cachedValueRE.ReplaceAll(b, []byte("$1"))
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			return nil, 0, err
		}
		if _, err := w.Write(b); err != nil {
			return nil, 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, 0, err
	}
	return out.Bytes(), n, nil
}

// recalcWithLibreOffice converts every sheet of the workbook to CSV (raw
// values) with a private LibreOffice profile that always recalculates on
// load, and returns the rows of each sheet by name.
func recalcWithLibreOffice(t *testing.T, soffice, dir, in string, sheets []string) map[string][][]string {
	t.Helper()
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o700); err != nil {
		t.Fatal(err)
	}
	xcu := `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>`
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(xcu), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "csv")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// #nosec G204 -- the soffice found on PATH, fixed arguments
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+profile, "--headless",
		"--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`, "--outdir", out, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	res := map[string][][]string{}
	base := strings.TrimSuffix(filepath.Base(in), ".xlsx")
	for _, s := range sheets {
		b, err := os.ReadFile(filepath.Join(out, base+"-"+s+".csv")) // #nosec G304 -- a file the test's soffice wrote
		if err != nil {
			t.Fatalf("LibreOffice wrote no CSV for sheet %q: %v", s, err)
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("CSV of %q: %v", s, err)
		}
		res[s] = rows
	}
	return res
}
