package fx_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/sheet/sheettest"
)

// A rate file that unpacks to hundreds of megabytes, or holds millions of
// rows, is refused as an invalid content naming the limit, in bounded
// memory, and nothing is stored.
func TestImportRatesRefusesBombs(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	cases := []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"512 MiB of shared strings", "rates.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 512 * mib}), "the workbook unpacks to more than 128 MB"},
		{"100 MiB of shared strings", "rates.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 100 * mib}), "more than 1,000,000 different texts"},
		{"120 MiB of rows", "rates.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Rows, Size: 120 * mib}), "more than 120,000 rows"},
		{"a row of 100 MiB of cells", "rates.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Columns, Size: 100 * mib}), "more than 16,384 columns"},
		{"a cell of 100 MiB", "rates.xlsx", sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Cell, Size: 100 * mib}), "more than 32,767 characters"},
		{"a CSV row of 4 million columns", "rates.csv", append([]byte("ISO code;Rate\n"), bytes.Repeat([]byte(";"), 4<<20)...), "row 2 has more than 16,384 columns"},
	}
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		svc := fx.NewService(d)
		ctx := actor.SystemContext(context.Background())
		for _, c := range cases {
			var err error
			peak := sheettest.PeakHeap(func() {
				_, err = svc.ImportRates(ctx, fx.ImportInput{FileName: c.file, Content: c.content, Month: "2026-03"})
			})
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.KindInvalid || len(e.Violations) != 1 || e.Violations[0].Field != "content" ||
				!strings.Contains(e.Violations[0].Description, c.want) {
				t.Errorf("%s: got %v, want an invalid content saying %q", c.name, err, c.want)
			}
			if peak > 64<<20 {
				t.Errorf("%s: importing it took %d MB of heap", c.name, peak>>20)
			}
		}
		if got := storedRates(t, svc, "2026-03"); len(got) != 0 {
			t.Errorf("%d rates stored", len(got))
		}
	})
}
