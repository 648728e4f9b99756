package sheet_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/sheet"
	"github.com/pactum-dev/pactum/internal/sheet/sheettest"
)

// fuzzOptions are small limits, so that each input is read fast.
var fuzzOptions = sheet.Options{MaxUnpackedBytes: 8 << 20, MaxPartBytes: 64 << 10, MaxRows: 2000, MaxColumns: 200,
	MaxCellChars: 1000, MaxSharedStrings: 5000, MaxTextBytes: 1 << 20, Timeout: 5 * time.Second}

// FuzzSeeds returns small files of every kind Open reads, bombs included.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	wb := excelize.NewFile()
	_ = wb.SetSheetRow("Sheet1", "A1", &[]any{"Date", "Budget line", "Amount", "Currency", "Payee"})
	_ = wb.SetSheetRow("Sheet1", "A2", &[]any{"2025-03-01", "2.1", 1250.5, "KES", "Kenya Airways"})
	_ = wb.SetSheetRow("Sheet1", "A4", &[]any{45658, "3.1", "1,250.00", "XOF", "Umoja & Co <ltd>"})
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		f.Fatal(err)
	}
	seeds := [][]byte{buf.Bytes()}
	for _, k := range sheettest.Kinds {
		seeds = append(seeds, sheettest.MustBytes(f, sheettest.Bomb{Kind: k, Size: 256 << 10}))
	}
	return append(seeds,
		[]byte("Date,Budget line,Amount,Currency\n2025-03-01,2.1,1250.50,KES\n"),
		[]byte("\xef\xbb\xbfCountry;Currency;ISO code;Rate\nKenya;\"Kenyan\nshilling\";KES;140,52\n"),
		[]byte("a\"b,c\n\"x\"\"y\",\"z\n"))
}

// FuzzOpen reads any bytes as CSV and as XLSX: it never panics, and what it
// answers keeps within the limits.
func FuzzOpen(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(true, s)
		f.Add(false, s)
	}
	f.Fuzz(func(t *testing.T, xlsx bool, content []byte) {
		name := "f.csv"
		if xlsx {
			name = "f.xlsx"
		}
		r, err := sheet.Open(context.Background(), name, content, fuzzOptions)
		if err != nil {
			return
		}
		defer r.Close()
		last, text := 0, 0
		for {
			cells, n, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if n < 0 {
					t.Fatalf("error at row %d: %v", n, err)
				}
				if n <= last {
					return // the reader cannot go on
				}
				last = n
				continue
			}
			if n <= last || n > fuzzOptions.MaxRows {
				t.Fatalf("row %d after row %d", n, last)
			}
			last = n
			if len(cells) > fuzzOptions.MaxColumns {
				t.Fatalf("row %d has %d cells", n, len(cells))
			}
			for _, c := range cells {
				if utf8.RuneCountInString(c) > fuzzOptions.MaxCellChars {
					t.Fatalf("row %d has a cell of %d characters", n, utf8.RuneCountInString(c))
				}
				text += len(c)
			}
			if int64(text) > fuzzOptions.MaxTextBytes {
				t.Fatalf("%d bytes of text read", text)
			}
		}
	})
}
