package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/resource"
)

type reportCmd struct {
	Financial reportFinancialCmd `cmd:"" help:"Make a grant's donor financial report (EU Annex VI style) as an Excel workbook or a PDF."`
}

type reportFinancialCmd struct {
	Grant             string `required:"" help:"The grant: grants/{id} or its id."`
	Period            int    `help:"The reporting period, by number (1 = the grant's first). Without it and without --from/--to: from the grant's start to today."`
	From              string `help:"A date range instead of a period: its first day, YYYY-MM-DD."`
	To                string `help:"The date range's last day (inclusive), YYYY-MM-DD."`
	Format            string `required:"" enum:"xlsx,pdf" help:"xlsx (Excel workbook with live formulas) or pdf."`
	Language          string `default:"en" enum:"en,fr,es,pt" help:"The report's language: en, fr, es or pt."`
	VerifiedOnly      bool   `help:"Report verified expenditures only (those submitted but not yet verified are shown apart)."`
	SignatoryName     string `help:"Who signs the report for the coordinator (the signature block)."`
	SignatoryFunction string `help:"The signatory's function, e.g. Executive Director."`
	Output            string `short:"o" type:"path" help:"The file to write, or a directory to write the report into under its own name (financial-report-{reference}-P{n}.xlsx). Default: the current directory."`
}

func (c *reportFinancialCmd) Run(g *globals) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return c.run(ctx, g, os.Stdout, os.Stderr)
}

// run makes the report as Pactum itself (the system caller), showing
// progress on errOut and the file written on out. The file appears only
// when the report is complete.
func (c *reportFinancialCmd) run(ctx context.Context, g *globals, out, errOut io.Writer) error {
	if c.Period < 0 {
		return errors.New("--period must be 1 or more")
	}
	if c.Period > math.MaxInt32 {
		return fmt.Errorf("--period %d is no grant's reporting period", c.Period)
	}
	grantID, err := resource.ParseName(resource.Grants, c.Grant, "--grant")
	if err != nil && !strings.Contains(c.Grant, "/") {
		grantID, err = c.Grant, nil
	}
	if err != nil {
		return err
	}
	ctx = actor.SystemContext(ctx)
	d, keeper, err := g.open(ctx, g.logger())
	if err != nil {
		return err
	}
	defer d.Close()
	svc := report.NewService(d, report.WithCheckpoints(keeper))
	gen, _, err := svc.Generator(report.Format(c.Format))
	if err != nil {
		return err
	}
	req := report.Request{GrantID: grantID, Period: c.Period, From: c.From, To: c.To, Language: c.Language,
		VerifiedOnly: c.VerifiedOnly, SignatoryName: c.SignatoryName, SignatoryFunction: c.SignatoryFunction}

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
	tmp, err := os.CreateTemp(dir, ".pactum-report-*")
	if err != nil {
		return err
	}
	defer func() {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name()) // gone already when renamed
	}()

	p := newProgressLine(errOut)
	start := time.Now()
	w := bufio.NewWriterSize(tmp, 64<<10)
	name, err := gen(ctx, req, w, p.show)
	p.end()
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Close()
	}
	if err == nil {
		// As readable as the database it comes from (CreateTemp makes 0600).
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

// progressLine shows a report's progress on one line of a terminal (or one
// line per update, at most every second, elsewhere).
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	every time.Duration
	last  time.Time
	shown bool
}

func newProgressLine(w io.Writer) *progressLine {
	p := &progressLine{w: w, every: time.Second}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty, p.every = true, 100*time.Millisecond
		}
	}
	return p
}

func (p *progressLine) show(stage string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	text := fmt.Sprintf("%s: %d", stage, done)
	if total > 0 {
		text = fmt.Sprintf("%s: %d/%d (%d%%)", stage, done, total, done*100/total)
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", text)
	} else {
		fmt.Fprintln(p.w, text)
	}
	p.shown = true
}

func (p *progressLine) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
