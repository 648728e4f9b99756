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
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/narrative/render"
)

func TestNarrativeReportCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	g := &globals{DB: filepath.Join(dir, "pactum.db"), LogFormat: "text", LogLevel: "error"}
	files := filepath.Join(dir, "files")
	ctx := actor.SystemContext(context.Background())
	d, err := app.OpenDB(ctx, g.DB, g.logger())
	if err != nil {
		t.Fatal(err)
	}
	data, err := demo.Seed(ctx, d, calendar.Today())
	if err == nil {
		var blobs *blob.FS
		if blobs, err = blob.NewFS(files, files); err == nil {
			err = demo.SeedPhotos(ctx, d, blobs, data)
		}
	}
	_ = d.Close()
	if err != nil {
		t.Fatal(err)
	}
	gr := data.Grants[0]
	period := 3 // the demo's first grant has three yearly periods; its updates are of the last

	// Not compiled yet: the command says how to.
	var out, progress bytes.Buffer
	docx := filepath.Join(dir, "report.docx")
	err = (&narrativeReportCmd{Grant: gr.Name(), Period: period, Format: "docx", Files: files, Output: docx}).run(context.Background(), g, &out, &progress)
	if err == nil || !strings.Contains(err.Error(), "--compile") {
		t.Fatalf("before compiling: %v, want a hint at --compile", err)
	}

	// Compiled and written (once internal/narrative/render writes documents).
	err = (&narrativeReportCmd{Grant: gr.ID, Period: period, Format: "docx", Compile: true, Files: files, Output: docx}).run(context.Background(), g, &out, &progress)
	stub := render.DOCX(context.Background(), &bytes.Buffer{}, &narrative.Report{}, render.Options{Language: "en"})
	if stub != nil && strings.Contains(stub.Error(), "not written yet") {
		if err == nil || !strings.Contains(err.Error(), "not written yet") {
			t.Fatalf("with render's stub: %v", err)
		}
	} else {
		if err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(docx); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
			t.Fatalf("docx: %v", err)
		}
		out.Reset()
		if err := (&narrativeReportCmd{Grant: gr.ID, Period: period, Format: "pdf", Lang: "fr", Files: files, Output: dir}).run(context.Background(), g, &out, &progress); err != nil {
			t.Fatal(err)
		}
		pdfs, _ := filepath.Glob(filepath.Join(dir, "narrative-report-*-P3.pdf"))
		if len(pdfs) != 1 || !strings.Contains(out.String(), "wrote ") {
			t.Fatalf("pdf files %v; output %q", pdfs, out.String())
		}
	}

	// Refusals say why and leave no file behind.
	for _, c := range []struct {
		cmd  narrativeReportCmd
		want string
	}{
		{narrativeReportCmd{Grant: "grants/nope", Period: 1, Format: "docx"}, "not found"},
		{narrativeReportCmd{Grant: gr.ID, Period: 9, Format: "pdf", Compile: true}, "reporting periods"},
		{narrativeReportCmd{Grant: gr.ID, Period: 0, Format: "pdf"}, "--period"},
	} {
		c.cmd.Files, c.cmd.Output = files, filepath.Join(dir, "refused.docx")
		err := c.cmd.run(context.Background(), g, &out, &progress)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cmd, err, c.want)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range left {
		if b := filepath.Base(f); b == "refused.docx" || strings.HasPrefix(b, ".pactum-narrative-") {
			t.Errorf("left behind: %s", b)
		}
	}
}
