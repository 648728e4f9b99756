package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/narrative/export"
	"github.com/pactum-dev/pactum/internal/resource"
)

type narrativeReportCmd struct {
	Grant   string `required:"" help:"The grant: grants/{id} or its id."`
	Period  int    `required:"" help:"The reporting period, by number (1 = the grant's first)."`
	Format  string `required:"" enum:"docx,pdf" help:"docx (an editable Word document) or pdf."`
	Lang    string `default:"" enum:"en,fr,es,pt," help:"The document's language: en, fr, es or pt; default: the grant's reporting language."`
	Compile bool   `help:"Compile the report from its sources first (keeping the coordinator's edits); without it the report as last compiled is written. A submitted report is written as it is."`
	Files   string `name:"files" env:"PACTUM_FILES" default:"./pactum-data/files" help:"The server's directory of uploaded files (the photos)."`
	Output  string `short:"o" type:"path" help:"The file to write, or a directory to write it into under its own name (narrative-report-{contract}-P{n}.docx). Default: the current directory."`
}

func (c *narrativeReportCmd) Run(g *globals) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return c.run(ctx, g, os.Stdout, os.Stderr)
}

// run writes the narrative report as Pactum itself (the system caller),
// through the same export function as the API; the file appears only when
// it is complete.
func (c *narrativeReportCmd) run(ctx context.Context, g *globals, out, errOut io.Writer) error {
	if c.Period < 1 || c.Period > narrative.MaxPeriod {
		return fmt.Errorf("--period must be a reporting period's number, 1 to %d", narrative.MaxPeriod)
	}
	grantID, err := resource.ParseName(resource.Grants, c.Grant, "--grant")
	if err != nil && !strings.Contains(c.Grant, "/") {
		grantID, err = c.Grant, nil
	}
	if err != nil {
		return err
	}
	ctx = actor.SystemContext(ctx)
	d, _, err := g.open(ctx, g.logger())
	if err != nil {
		return err
	}
	defer d.Close()
	blobs, err := blob.NewFS(c.Files, c.Files)
	if err != nil {
		return fmt.Errorf("--files: %w", err)
	}
	svc := narrative.NewService(d, blobs)
	if c.Compile {
		if _, err := svc.Compile(ctx, grantID, c.Period); err != nil && !errs.Is(err, errs.KindPrecondition) {
			return err
		}
	}

	target, dir := c.Output, c.Output
	if target == "" {
		target, dir = ".", "."
	}
	intoDir := false
	if st, err := os.Stat(target); err == nil && st.IsDir() {
		intoDir = true
	} else {
		dir = filepath.Dir(target)
	}
	tmp, err := os.CreateTemp(dir, ".pactum-narrative-*")
	if err != nil {
		return err
	}
	defer func() {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
	}()
	p := newProgressLine(errOut)
	start := time.Now()
	w := bufio.NewWriterSize(tmp, 64<<10)
	name, err := export.Write(ctx, svc, export.Request{GrantID: grantID, Period: c.Period, Format: export.Format(c.Format),
		Language: c.Lang}, w, p.show)
	p.end()
	if errs.Is(err, errs.KindNotFound) && !c.Compile {
		return errors.New(err.Error() + "; compile it first (--compile)")
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Close()
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		return err
	}
	if intoDir {
		target = filepath.Join(target, name)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (%d bytes) in %s\n", target, st.Size(), time.Since(start).Round(10*time.Millisecond))
	return nil
}
