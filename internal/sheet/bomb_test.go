package sheet_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/sheet"
	"github.com/pactum-dev/pactum/internal/sheet/sheettest"
)

// heapBound is the most heap a test lets reading one hostile file take
// (the service's budget is 256 MB above idle for everything).
const heapBound = 64 << 20

// readAll opens and reads a whole file, returning the first error.
func readAll(ctx context.Context, name string, content []byte, o sheet.Options) (rows int, err error) {
	r, err := sheet.Open(ctx, name, content, o)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	for {
		_, _, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows++
	}
}

// bombCase is a hostile file and the words its error must have.
type bombCase struct {
	name    string
	file    string
	content []byte
	opts    sheet.Options
	want    string
	limit   bool // a *sheet.LimitError
}

// checkBombs reads each file, expecting its error, with the heap bounded.
func checkBombs(t *testing.T, cases []bombCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			peak := sheettest.PeakHeap(func() { _, err = readAll(context.Background(), c.file, c.content, c.opts) })
			var limit *sheet.LimitError
			switch {
			case err == nil:
				t.Fatalf("a %d-byte %s was read without error", len(c.content), c.name)
			case !strings.Contains(err.Error(), c.want):
				t.Errorf("error %q, want it to say %q", err, c.want)
			case c.limit != errors.As(err, &limit):
				t.Errorf("error %q (%T): a limit error is %v, want %v", err, err, !c.limit, c.limit)
			}
			if peak > heapBound {
				t.Errorf("reading it took %d MB of heap, more than %d MB", peak>>20, heapBound>>20)
			}
			t.Logf("%d KB file: %v; peak heap %.1f MB", len(c.content)>>10, err, float64(peak)/(1<<20))
		})
	}
}

// Workbooks of a few hundred kilobytes that unpack to hundreds of megabytes
// are refused, with the limit named, in bounded memory and time.
func TestXLSXBombs(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	checkBombs(t, []bombCase{
		{name: "512 MiB of shared strings (issue 12)", file: "bomb.xlsx", want: "the workbook unpacks to more than 128 MB", limit: true,
			content: sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 512 * mib})},
		{name: "512 MiB of shared strings declared as 1 KB", file: "bomb.xlsx", want: "the workbook is damaged",
			content: sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 512 * mib, Declared: 1024})},
		{name: "100 MiB of shared strings", file: "bomb.xlsx", want: "more than 1,000,000 different texts", limit: true,
			content: sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.SharedStrings, Size: 100 * mib})},
		{name: "one shared string of 100 MiB", file: "bomb.xlsx", want: "more than 32,767 characters", limit: true,
			content: sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.LongString, Size: 100 * mib})},
		{name: "120 MiB of rows", file: "bomb.xlsx", want: "more than 120,000 rows", limit: true,
			content: sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Rows, Size: 120 * mib})},
		{name: "a row of 100 MiB of cells", file: "bomb.xlsx", want: "row 1 has more than 16,384 columns", limit: true,
			content: sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Columns, Size: 100 * mib})},
		{name: "a cell of 100 MiB", file: "bomb.xlsx", want: "row 1 holds a cell of more than 32,767 characters", limit: true,
			content: sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Cell, Size: 100 * mib})},
		{name: "a sheet of 100 MiB over a limit of 64 MB", file: "bomb.xlsx", want: "the workbook unpacks to more than 64 MB", limit: true,
			opts:    sheet.Options{MaxUnpackedBytes: 64 << 20},
			content: sheettest.MustBytes(t, sheettest.Bomb{Kind: sheettest.Rows, Size: 100 * mib})},
	})
}

// CSV files need no unpacking, but a few megabytes may still hold millions
// of rows or columns.
func TestCSVBombs(t *testing.T) {
	t.Parallel()
	checkBombs(t, []bombCase{
		{name: "2 million rows", file: "bomb.csv", want: "more than 120,000 rows", limit: true,
			content: bytes.Repeat([]byte("x\n"), 2<<20)},
		{name: "a row of 4 million columns", file: "bomb.csv", want: "row 2 has more than 16,384 columns", limit: true,
			content: append([]byte("a,b\n"), bytes.Repeat([]byte(","), 4<<20)...)},
		{name: "columns across quoted newlines", file: "bomb.csv", want: "row 1 has more than 16,384 columns", limit: true,
			content: bytes.Repeat([]byte(`,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"x`+"\n"+`y"`), 1<<16)},
		{name: "a bare quote, then a row of 4 million columns", file: "bomb.csv", want: "row 2 has more than 16,384 columns", limit: true,
			content: append([]byte("a\"b\n"), bytes.Repeat([]byte(";"), 4<<20)...)},
		{name: "a cell of 4 MB", file: "bomb.csv", want: "row 1 holds a cell of more than 32,767 characters", limit: true,
			content: bytes.Repeat([]byte("x"), 4<<20)},
		{name: "a quoted cell of 4 MB", file: "bomb.csv", want: "row 1 holds a cell of more than 32,767 characters", limit: true,
			content: append([]byte(`"`), bytes.Repeat([]byte("x\n"), 2<<20)...)},
		{name: "a cell over a limit of 100 characters", file: "bomb.csv", want: "row 1, column B holds more than 100 characters", limit: true,
			opts: sheet.Options{MaxCellChars: 100}, content: []byte("a," + strings.Repeat("é", 101) + "\n")},
	})
}

// A long text repeated in every cell costs a few bytes per cell in the
// workbook and its whole length when read: the text read is capped.
func TestXLSXRepeatedLongText(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	long := strings.Repeat("y", 30_000)
	for row := 1; row <= 200; row++ {
		cells := make([]any, 20)
		for i := range cells {
			cells[i] = long
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	checkBombs(t, []bombCase{{name: "120 MB of text in 4,000 cells", file: "bomb.xlsx", content: buf.Bytes(),
		want: "the file's cells hold more than 64 MB of text", limit: true}})
}

// Reading stops once the time is up, or the context is done.
func TestTimeBound(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("x\n"), 100_000)
	_, err := readAll(context.Background(), "slow.csv", content, sheet.Options{Timeout: time.Nanosecond})
	var limit *sheet.LimitError
	if !errors.As(err, &limit) || !strings.Contains(err.Error(), "reading the file took longer than") {
		t.Errorf("timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := readAll(ctx, "cancelled.csv", content, sheet.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// A sheet larger than MaxPartBytes is unpacked to TmpDir, and removed once
// the file is closed.
func TestLargeSheetsAreUnpackedToTmpDir(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	for row := 1; row <= 2000; row++ {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow("Sheet1", cell, &[]any{"KES", 140.52, row}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r, err := sheet.Open(context.Background(), "big.xlsx", buf.Bytes(), sheet.Options{TmpDir: dir, MaxPartBytes: 4 << 10})
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for {
		cells, n, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rows++; n != rows || len(cells) != 3 || cells[1] != "140.52" {
			t.Fatalf("row %d: %d %q", rows, n, cells)
		}
	}
	if entries, _ := os.ReadDir(dir); rows != 2000 || len(entries) == 0 {
		t.Fatalf("%d rows, %d files in TmpDir while open", rows, len(entries))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("%d files left in TmpDir", len(entries))
	}
}
