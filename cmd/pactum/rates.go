package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"text/tabwriter"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/fx"
)

type ratesCmd struct {
	Import ratesImportCmd `cmd:"" help:"Import a month's exchange rates from an InforEuro-style file (CSV or XLSX with country, currency, ISO code and rate columns): all rows or none."`
}

type ratesImportCmd struct {
	Month  string `help:"The month the rates apply to, YYYY-MM. By default it is read from a YYYY-MM or YYYYMM in the file name (inforeuro-2026-03.xlsx)."`
	Base   string `default:"EUR" help:"The currency the rates are per 1 unit of (InforEuro: EUR)."`
	Source string `help:"Source kept with each rate; by default \"InforEuro YYYY-MM\"."`
	File   string `arg:"" type:"existingfile" help:"The rate file, .csv or .xlsx."`
}

// errRatesRefused is returned (exit status 1) when the file had problems.
var errRatesRefused = errors.New("the rate file was refused; nothing was imported")

func (c *ratesImportCmd) Run(g *globals) error {
	return c.run(context.Background(), g, os.Stdout)
}

// run imports the file as Pactum itself (the system caller), printing the
// counts, or the table of problems, to out.
func (c *ratesImportCmd) run(ctx context.Context, g *globals, out io.Writer) error {
	month := c.Month
	if month == "" {
		if month = monthInFileName(c.File); month == "" {
			return fmt.Errorf("no month in the file name %q: give it with --month YYYY-MM", filepath.Base(c.File))
		}
	}
	info, err := os.Stat(c.File)
	if err != nil {
		return err
	}
	if info.Size() > fx.MaxImportBytes {
		return fmt.Errorf("%s is %d bytes; a rate file may be at most %d bytes (5 MB)", c.File, info.Size(), fx.MaxImportBytes)
	}
	content, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	ctx = actor.SystemContext(ctx)
	d, _, err := g.open(ctx, g.logger())
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := fx.NewService(d).ImportRates(ctx, fx.ImportInput{
		FileName: filepath.Base(c.File), Content: content, Month: month, Base: c.Base, Source: c.Source,
	})
	if err != nil {
		return err
	}
	if len(res.Problems) > 0 {
		fmt.Fprintf(out, "%s: %d problem(s); nothing was imported. Correct the file and import it again.\n\n", filepath.Base(c.File), len(res.Problems))
		w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ROW\tCOLUMN\tPROBLEM")
		for _, p := range res.Problems {
			row := "-"
			if p.Row > 0 {
				row = fmt.Sprint(p.Row)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", row, p.Column, p.Problem)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return errRatesRefused
	}
	base := c.Base
	if base == "" {
		base = "EUR"
	}
	fmt.Fprintf(out, "imported %d rates for %s (per 1 %s): %d replaced an earlier rate of that month; %d expenditure(s) converted again\n",
		res.Imported, month, base, res.Replaced, res.Reconverted)
	return nil
}

var fileMonthRE = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})[-_.]?(0[1-9]|1[0-2])(?:[^0-9]|$)`)

// monthInFileName finds a month, YYYY-MM or YYYYMM, in a file's name.
func monthInFileName(path string) string {
	m := fileMonthRE.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return ""
	}
	return m[1] + "-" + m[2]
}
