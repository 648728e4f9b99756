package fx

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/sheet"
	"github.com/pactum-dev/pactum/internal/sheet/sheettest"
)

// FuzzReadRateFile reads any bytes as a rate file (CSV and XLSX): it never
// panics; a file it cannot read is an invalid content; the rates it reads
// are of known currencies, above 0, one each; problems are capped.
func FuzzReadRateFile(f *testing.F) {
	o := sheet.Options{MaxUnpackedBytes: 8 << 20, MaxPartBytes: 64 << 10, MaxRows: 2000, MaxColumns: 200,
		MaxCellChars: 1000, MaxSharedStrings: 5000, MaxTextBytes: 1 << 20, Timeout: 5 * time.Second}
	wb := excelize.NewFile()
	_ = wb.SetSheetRow("Sheet1", "A1", &[]any{"InforEuro March 2026"})
	_ = wb.SetSheetRow("Sheet1", "A3", &[]any{"Country", "Currency", "ISO code", "Rate per EUR"})
	_ = wb.SetSheetRow("Sheet1", "A4", &[]any{"Kenya", "Kenyan shilling", "KES", 140.52})
	_ = wb.SetSheetRow("Sheet1", "A5", &[]any{"Senegal", "CFA franc", "XOF", "655,957"})
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(true, buf.Bytes())
	for _, k := range sheettest.Kinds {
		f.Add(true, sheettest.MustBytes(f, sheettest.Bomb{Kind: k, Size: 256 << 10}))
	}
	f.Add(false, []byte("\xef\xbb\xbfCountry;Currency;ISO code;Rate\nKenya;\"Kenyan\nshilling\";KES;140,52\nBelgium;Euro;EUR;1\nMali;CFA;XOF;655.957\nSenegal;CFA;XOF;655.957\n"))
	f.Add(false, []byte("Code,Value\nKES,\"1,234.56\"\nNPR,abc\nXXX,-1\nKES,2\n"))
	f.Fuzz(func(t *testing.T, xlsx bool, content []byte) {
		name := "rates.csv"
		if xlsx {
			name = "rates.xlsx"
		}
		rates, problems, err := readRateFile(context.Background(), ImportInput{FileName: name, Content: content, Month: "2026-03", Base: "EUR", Source: "fuzz"}, o)
		if err != nil {
			if !errs.Is(err, errs.KindInvalid) {
				t.Fatalf("not an invalid error: %v", err)
			}
			return
		}
		if len(problems) > maxProblems+1 {
			t.Fatalf("%d problems", len(problems))
		}
		if len(problems) > 0 {
			return
		}
		seen := map[string]bool{}
		for _, r := range rates {
			if _, err := money.Currency(r.Currency); err != nil || r.Currency == "EUR" || seen[r.Currency] || !r.Rate.IsPositive() {
				t.Fatalf("rate %+v", r)
			}
			seen[r.Currency] = true
		}
	})
}
