package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/db"
)

func TestMonthInFileName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"inforeuro-2026-03.csv":           "2026-03",
		"/tmp/x/InforEuro_202603.xlsx":    "2026-03",
		"rates 2025_11.csv":               "2025-11",
		"inforeuro_2026-03-01.csv":        "2026-03",
		"2026-12.xlsx":                    "2026-12",
		"rates.csv":                       "",
		"rates-2026-13.csv":               "",
		"export-20260315.csv":             "",
		"/data/2026-03/inforeuro.csv":     "",
		"inforeuro-v2-20261.csv":          "",
		"inforeuro 2026-03 corrected.csv": "2026-03",
	} {
		if got := monthInFileName(name); got != want {
			t.Errorf("monthInFileName(%q) = %q, want %q", name, got, want)
		}
	}
}

func countRates(t *testing.T, dsn, month string) int {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.NewRaw("SELECT COUNT(*) FROM exchange_rates WHERE month = ?", month).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRatesImportCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	g := &globals{DB: filepath.Join(dir, "pactum.db"), LogFormat: "text", LogLevel: "error"}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ctx := context.Background()

	// The month comes from the file name.
	good := write("inforeuro-2026-03.csv", "Country;Currency;ISO code;Rate per EUR\nEuro area;Euro;EUR;1\n"+
		"Kenya;Kenyan shilling;KES;140,52\nNepal;Nepalese rupee;NPR;157,20\nSenegal;CFA franc;XOF;655,957\n")
	var out bytes.Buffer
	if err := (&ratesImportCmd{File: good, Base: "EUR"}).run(ctx, g, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 3 rates for 2026-03 (per 1 EUR): 0 replaced") {
		t.Errorf("output %q", out.String())
	}
	if n := countRates(t, g.DB, "2026-03"); n != 3 {
		t.Fatalf("%d rates stored", n)
	}

	// --month wins over the name; an XLSX file works the same.
	f := excelize.NewFile()
	for i, row := range [][]any{{"Country", "Currency", "Code", "Value"}, {"Kenya", "Kenyan shilling", "KES", 141.0}, {"Brazil", "Real", "BRL", 6.18}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := filepath.Join(dir, "inforeuro-2026-03.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := (&ratesImportCmd{File: xlsx, Month: "2026-04", Base: "EUR"}).run(ctx, g, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 2 rates for 2026-04") || countRates(t, g.DB, "2026-04") != 2 {
		t.Errorf("xlsx: output %q", out.String())
	}

	// A bad file: non-zero exit (an error), the problems as a table, nothing stored.
	bad := write("inforeuro-202605.csv", "Country;Currency;ISO code;Rate per EUR\nKenya;Kenyan shilling;KES;0\nAtlantis;Orichalcum;ATL;3\n")
	out.Reset()
	err := (&ratesImportCmd{File: bad, Base: "EUR"}).run(ctx, g, &out)
	if !errors.Is(err, errRatesRefused) {
		t.Fatalf("bad file: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 || !strings.Contains(lines[0], "2 problem(s); nothing was imported") || !strings.HasPrefix(lines[2], "ROW") ||
		!strings.HasPrefix(lines[3], "2    Rate per EUR  must be above 0") || !strings.HasPrefix(lines[4], `3    ISO code      "ATL" is not an ISO 4217`) {
		t.Errorf("problems table:\n%s", out.String())
	}
	if n := countRates(t, g.DB, "2026-05"); n != 0 {
		t.Errorf("a refused file stored %d rates", n)
	}

	// No month anywhere.
	noMonth := write("rates.csv", "ISO code;Rate\nKES;140\n")
	if err := (&ratesImportCmd{File: noMonth, Base: "EUR"}).run(ctx, g, &out); err == nil || !strings.Contains(err.Error(), "--month") {
		t.Errorf("no month: %v", err)
	}
	// A month that is no month is refused by the service.
	if err := (&ratesImportCmd{File: noMonth, Month: "2026-3", Base: "EUR"}).run(ctx, g, &out); err == nil || !strings.Contains(err.Error(), "YYYY-MM") {
		t.Errorf("bad month: %v", err)
	}
}
