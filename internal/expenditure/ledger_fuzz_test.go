package expenditure

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/sheet"
	"github.com/pactum-dev/pactum/internal/sheet/sheettest"
)

// FuzzReadLedger reads any bytes as a ledger (CSV and XLSX): it never
// panics; a file it cannot read is an invalid content; the rows it reads
// come in order, within the limits.
func FuzzReadLedger(f *testing.F) {
	o := sheet.Options{MaxUnpackedBytes: 8 << 20, MaxPartBytes: 64 << 10, MaxRows: 2000, MaxColumns: 200,
		MaxCellChars: 1000, MaxSharedStrings: 5000, MaxTextBytes: 1 << 20, Timeout: 5 * time.Second}
	wb := excelize.NewFile()
	_ = wb.SetSheetRow("Sheet1", "A1", &[]any{"Date", "Budget line", "Project code", "Partner", "Amount", "Currency", "Payee", "Description", "Document reference"})
	_ = wb.SetSheetRow("Sheet1", "A2", &[]any{"2025-03-01", "2.1", "KE-01", "UMOJA", 1250.5, "KES", "Kenya Airways", "Flight", "INV-1"})
	_ = wb.SetSheetRow("Sheet1", "A3", &[]any{45658, "3.1", "", "", "1,250.00", "XOF", "x", "", ""})
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(true, buf.Bytes())
	for _, k := range sheettest.Kinds {
		f.Add(true, sheettest.MustBytes(f, sheettest.Bomb{Kind: k, Size: 256 << 10}))
	}
	f.Add(false, []byte("Date,Budget line,Amount,Currency,Payee\n2025-03-01,2.1,\"1,250.50\",KES,Kenya Airways\n\n2025/03/02,1.1,12,EUR,x\n"))
	f.Add(false, []byte("Title\n\nexpense date;line;amount;currency\n45658;2.1;1 250,00;KES\n"))
	f.Add(false, []byte("Date,Budget line,Amount,Currency\n\"unterminated,2.1\n"))
	f.Fuzz(func(t *testing.T, xlsx bool, content []byte) {
		name := "ledger.csv"
		if xlsx {
			name = "ledger.xlsx"
		}
		rows, lay, problems, err := readLedger(context.Background(), ImportRequest{FileName: name, Content: content}, o)
		if err != nil {
			if !errs.Is(err, errs.KindInvalid) {
				t.Fatalf("not an invalid error: %v", err)
			}
			return
		}
		last := 0
		for _, r := range rows {
			if r.row <= last || r.row > o.MaxRows {
				t.Fatalf("row %d after row %d", r.row, last)
			}
			last = r.row
		}
		if len(problems) == 0 && (lay.index == nil || len(rows) == 0) {
			t.Fatalf("no problems, %d rows, layout %v", len(rows), lay.index)
		}
		for _, p := range problems {
			if p.Row < 0 || p.Problem == "" {
				t.Fatalf("problem %+v", p)
			}
		}
	})
}
