package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pactum-dev/pactum/internal/db/dbtest"
)

// TestXLSXPageImages prints the demo grant's workbook (period 2, with a
// flat rate and the package's parts) in English and French to PDF with
// LibreOffice, as a reader would print it, and each page to a PNG
// (pdftoppm -r 50), so that every sheet can be looked at:
//
//	PACTUM_XLSX_IMAGES=/tmp/sheets go test -run TestXLSXPageImages ./internal/report/
//
// Without PACTUM_XLSX_IMAGES it is skipped.
func TestXLSXPageImages(t *testing.T) {
	dir := os.Getenv("PACTUM_XLSX_IMAGES")
	if dir == "" {
		t.Skip("set PACTUM_XLSX_IMAGES to a folder to print the workbook's pages there")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("no soffice on PATH")
	}
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("no pdftoppm on PATH")
	}
	w := packageWorld(t, dbtest.SQLite(t))
	ctx := withStatement(w.ctx, fillPackage)
	for _, lang := range []string{"en", "fr"} {
		_, raw := workbook(ctx, t, w.svc, Request{GrantID: w.data.Grants[0].ID, Period: 2, Language: lang,
			SignatoryName: "Amina Diallo", SignatoryFunction: "Executive director"})
		out := filepath.Join(dir, lang)
		if err := os.MkdirAll(out, 0o750); err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(out, "workbook.xlsx")
		if err := os.WriteFile(in, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		profile := t.TempDir()
		cctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		// #nosec G204 -- the soffice found on PATH, fixed arguments
		cmd := exec.CommandContext(cctx, soffice, "-env:UserInstallation=file://"+profile, "--headless", "--convert-to", "pdf", "--outdir", out, in)
		b, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("soffice: %v\n%s", err, b)
		}
		// #nosec G204 -- the pdftoppm found on PATH, fixed arguments
		if b, err := exec.Command(pdftoppm, "-png", "-r", "50", filepath.Join(out, "workbook.pdf"), filepath.Join(out, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, b)
		}
		pages, _ := filepath.Glob(filepath.Join(out, "page*.png"))
		t.Logf("%s: %d pages in %s", lang, len(pages), out)
	}
}
