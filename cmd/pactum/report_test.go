package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/demo"
)

func TestReportFinancialCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	g := &globals{DB: filepath.Join(dir, "pactum.db"), LogFormat: "text", LogLevel: "error"}
	ctx := actor.SystemContext(context.Background())
	d, err := app.OpenDB(ctx, g.DB, g.logger())
	if err != nil {
		t.Fatal(err)
	}
	data, err := demo.Seed(ctx, d, calendar.Today())
	_ = d.Close()
	if err != nil {
		t.Fatal(err)
	}
	gr := data.Grants[0]

	// The workbook of the first period, to a file named on the command line.
	xlsx := filepath.Join(dir, "report.xlsx")
	var out, progress bytes.Buffer
	if err := (&reportFinancialCmd{Grant: gr.Name(), Period: 1, Format: "xlsx", Language: "fr", Output: xlsx}).run(context.Background(), g, &out, &progress); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(xlsx); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("workbook: %v, starts %q", err, b[:min(len(b), 8)])
	}
	if !strings.Contains(out.String(), "wrote "+xlsx) || progress.Len() == 0 {
		t.Errorf("output %q, progress %q", out.String(), progress.String())
	}

	// The PDF, into a directory under the report's own name; the grant by id.
	out.Reset()
	if err := (&reportFinancialCmd{Grant: gr.ID, Format: "pdf", Language: "en", Output: dir}).run(context.Background(), g, &out, &progress); err != nil {
		t.Fatal(err)
	}
	pdfs, _ := filepath.Glob(filepath.Join(dir, "financial-report-*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("pdf files %v; output %q", pdfs, out.String())
	}
	if b, err := os.ReadFile(pdfs[0]); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("pdf: %v", err)
	}

	// Refusals say why and leave no file behind.
	for _, c := range []struct {
		cmd  reportFinancialCmd
		want string
	}{
		{reportFinancialCmd{Grant: "grants/nope", Format: "xlsx", Language: "en"}, "not found"},
		{reportFinancialCmd{Grant: gr.ID, Period: 99, Format: "xlsx", Language: "en"}, "reporting period"},
		{reportFinancialCmd{Grant: gr.ID, From: "2026-02-30", Format: "pdf", Language: "en"}, "from_date"},
		{reportFinancialCmd{Grant: gr.ID, Period: -1, Format: "pdf", Language: "en"}, "--period"},
	} {
		c.cmd.Output = filepath.Join(dir, "refused.xlsx")
		err := c.cmd.run(context.Background(), g, &out, &progress)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cmd, err, c.want)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range left {
		if b := filepath.Base(f); b == "refused.xlsx" || strings.HasPrefix(b, ".pactum-report-") {
			t.Errorf("left behind: %s", b)
		}
	}
}
