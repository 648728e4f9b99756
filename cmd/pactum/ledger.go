package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/expenditure"
)

type ledgerCmd struct {
	Import ledgerImportCmd `cmd:"" help:"Import a grant's expenditures from an XLSX or CSV ledger, all rows or none: pactum ledger import --grant grants/ID FILE."`
}

type ledgerImportCmd struct {
	Grant        string            `required:"" help:"The grant to import into (grants/{id} or its id)."`
	ValidateOnly bool              `name:"validate-only" help:"Check every row and report the problems, storing nothing."`
	MonthFirst   bool              `name:"month-first" help:"Read dates such as 03/04/2026 month first (the 4th of March); by default the day comes first."`
	Column       map[string]string `name:"column" help:"Read a ledger column from a header of the file that is not recognised, e.g. --column date='Txn Dt' --column amount=Debit (columns: date, line, project, partner, amount, currency, payee, description, document)."`
	File         string            `arg:"" type:"existingfile" help:"The ledger, .xlsx or .csv, with the columns of the template (GetLedgerTemplate)."`
}

var errLedgerRefused = errors.New("the ledger was refused; nothing was stored")

// Run imports the ledger as Pactum itself (the audit trail names "system"),
// showing progress on stderr every 5,000 rows.
func (c *ledgerImportCmd) Run(g *globals) error {
	ctx := actor.SystemContext(context.Background())
	info, err := os.Stat(c.File)
	if err != nil {
		return err
	}
	if info.Size() > expenditure.MaxLedgerBytes {
		return fmt.Errorf("%s is %d MB; a ledger may be at most %d MB: split it into several files",
			c.File, info.Size()>>20, expenditure.MaxLedgerBytes>>20)
	}
	content, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	d, _, err := g.open(ctx, g.logger())
	if err != nil {
		return err
	}
	defer d.Close()

	start := time.Now()
	progress := func(p expenditure.Progress) {
		switch {
		case p.Stage == expenditure.StageRead && p.Total == 0:
			fmt.Fprintf(os.Stderr, "read %d rows\n", p.Done)
		case p.Stage == expenditure.StageRead:
			fmt.Fprintf(os.Stderr, "read %d rows (%.1fs)\n", p.Done, time.Since(start).Seconds())
		default:
			fmt.Fprintf(os.Stderr, "%s %d of %d rows (%.1fs)\n", p.Stage, p.Done, p.Total, time.Since(start).Seconds())
		}
	}
	grantID := strings.TrimPrefix(c.Grant, "grants/")
	order := expenditure.DayFirst
	if c.MonthFirst {
		order = expenditure.MonthFirst
	}
	res, err := expenditure.NewService(d).Import(ctx, grantID, expenditure.ImportRequest{
		FileName: filepath.Base(c.File), Content: content, ValidateOnly: c.ValidateOnly, Progress: progress,
		DateOrder: order, Mapping: c.Column,
	})
	if err != nil {
		return err
	}
	if len(res.Problems) > 0 {
		for _, p := range res.Problems {
			switch {
			case p.Row > 0 && p.Column != "":
				fmt.Printf("row %d, %s: %s\n", p.Row, p.Column, p.Problem)
			case p.Row > 0:
				fmt.Printf("row %d: %s\n", p.Row, p.Problem)
			default:
				fmt.Println(p.Problem)
			}
		}
		fmt.Printf("%d problem(s) in %d rows\n", len(res.Problems), res.RowCount)
		return errLedgerRefused
	}
	verb := "imported"
	if c.ValidateOnly {
		verb = "valid; would import"
	}
	fmt.Printf("%s: %d rows read, %s %d, %d already imported (skipped), %d waiting for an exchange rate (%.1fs)\n",
		c.File, res.RowCount, verb, res.Imported, res.Skipped, res.RateMissing, time.Since(start).Seconds())
	return nil
}
