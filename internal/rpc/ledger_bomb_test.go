package rpc_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db/dbtest"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
	"github.com/pactum-dev/pactum/internal/sheet/sheettest"
)

// A partner's editor checking a ledger (validate only) that unpacks to
// hundreds of megabytes, or holds millions of rows or columns, is answered
// INVALID_ARGUMENT naming content and the limit, with the server's heap
// bounded (issue 12: a 517 KB workbook took it to 3.6 GB).
func TestImportLedgerRefusesBombs(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	cases := []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"512 MiB of shared strings", "ledger.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 512 * mib}), "the workbook unpacks to more than 128 MB"},
		{"512 MiB of shared strings declared as 1 KB", "ledger.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 512 * mib, Declared: 1024}), "the workbook is damaged"},
		{"100 MiB of shared strings", "ledger.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 100 * mib}), "more than 1,000,000 different texts"},
		{"one shared string of 100 MiB", "ledger.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.LongString, Size: 100 * mib}), "more than 32,767 characters"},
		{"120 MiB of rows", "ledger.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Rows, Size: 120 * mib}), "more than 120,000 rows"},
		{"a row of 100 MiB of cells", "ledger.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Columns, Size: 100 * mib}), "more than 16,384 columns"},
		{"a cell of 100 MiB", "ledger.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Cell, Size: 100 * mib}), "more than 32,767 characters"},
		{"a CSV of 2 million rows", "ledger.csv", append([]byte(strings.Join(ledgerHeader, ",")+"\n"), bytes.Repeat([]byte("x\n"), 2<<20)...), "more than 120,000 rows"},
		{"a CSV row of 4 million columns", "ledger.csv", append([]byte(strings.Join(ledgerHeader, ",")+"\n"), bytes.Repeat([]byte(","), 4<<20)...), "row 2 has more than 16,384 columns"},
	}
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newExWorld(t, rpctest.Start(t, d))
		for _, c := range cases {
			var err error
			peak := sheettest.PeakHeap(func() { _, err = w.importLedger(w.editorA, c.file, c.content, true) })
			rpctest.ExpectViolation(t, err, "content")
			if got := rpctest.Violations(err)["content"]; !strings.Contains(got, c.want) {
				t.Errorf("%s: content violation %q, want it to say %q", c.name, got, c.want)
			}
			if peak > 100<<20 {
				t.Errorf("%s: the server took %d MB of heap", c.name, peak>>20)
			}
			t.Logf("%s (%d KB): peak heap %.1f MB", c.name, len(c.content)>>10, float64(peak)/(1<<20))
		}
	})
}

// A ledger of as many rows as may be read, each with problems, is checked
// in bounded memory: the problems past the 10,000 listed are only counted.
func TestImportLedgerManyBadRows(t *testing.T) {
	t.Parallel()
	content := append([]byte(strings.Join(ledgerHeader, ",")+"\n"), bytes.Repeat([]byte("x\n"), 119_990)...)
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newExWorld(t, rpctest.Start(t, d))
		var (
			res *pactumv1.ImportLedgerResponse
			err error
		)
		peak := sheettest.PeakHeap(func() { res, err = w.importLedger(w.editorA, "ledger.csv", content, true) })
		if err != nil {
			t.Fatal(err)
		}
		ps := res.GetProblems()
		if len(ps) != 10_001 || !strings.Contains(ps[10_000].GetProblem(), "more problems from this row on") {
			t.Fatalf("%d problems, the last %v", len(ps), ps[len(ps)-1])
		}
		if peak > 200<<20 {
			t.Errorf("checking it took %d MB of heap", peak>>20)
		}
		t.Logf("%s; peak heap %.1f MB", ps[10_000].GetProblem(), float64(peak)/(1<<20))
	})
}
