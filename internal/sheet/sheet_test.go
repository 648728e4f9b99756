package sheet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

func readAll(t *testing.T, name string, content []byte) ([][]string, []int) {
	t.Helper()
	r, err := Open(context.Background(), name, content, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rows [][]string
	var nums []int
	for {
		cells, n, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, nums
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, nums = append(rows, cells), append(nums, n)
	}
}

func TestCSVWithSemicolonsAndBOMAndQuotedNewline(t *testing.T) {
	t.Parallel()
	rows, nums := readAll(t, "rates.csv", []byte("\xef\xbb\xbfCountry;Currency;ISO code;Rate\nKenya;\"Kenyan\nshilling\";KES;140,52\nNepal;Rupee;NPR;150.1\n"))
	if len(rows) != 3 || rows[0][2] != "ISO code" || rows[1][3] != "140,52" || rows[2][2] != "NPR" {
		t.Fatalf("rows %q", rows)
	}
	// The quoted newline makes Nepal the file's fourth line.
	if nums[0] != 1 || nums[1] != 2 || nums[2] != 4 {
		t.Fatalf("row numbers %v", nums)
	}
}

func TestXLSX(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"Country", "Currency", "Code", "Rate"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"Brazil", "Real", "BRL", 6.1234})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, nums := readAll(t, "Rates.XLSX", buf.Bytes())
	if len(rows) != 2 || rows[1][2] != "BRL" || rows[1][3] != "6.1234" || nums[1] != 2 {
		t.Fatalf("rows %q %v", rows, nums)
	}
	idx, missing := Header(rows[0], map[string][]string{"code": {"ISO code", "code"}, "rate": {"rate"}, "amount": {"amount"}})
	if idx["code"] != 2 || idx["rate"] != 3 || len(missing) != 1 || missing[0] != "amount" {
		t.Fatalf("header %v missing %v", idx, missing)
	}
}

func TestRefusesOtherFiles(t *testing.T) {
	t.Parallel()
	if _, err := Open(context.Background(), "rates.pdf", []byte("%PDF"), Options{}); err == nil {
		t.Fatal("a PDF opened")
	}
	if _, err := Open(context.Background(), "rates.xlsx", []byte("not a zip"), Options{}); err == nil {
		t.Fatal("garbage opened as xlsx")
	}
	if _, err := Open(context.Background(), "rates.csv", []byte{0xff, 0xfe, 0x00}, Options{}); err == nil {
		t.Fatal("UTF-16 opened as CSV")
	}
}

func TestXLSXReadsStoredValuesNotFormattedOnes(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"Code", "Rate", "Amount", "Small"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"BGN", 1.9558, 140.52, 0.000123456789012345678})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 2}) // "0.00"
	_ = f.SetCellStyle("Sheet1", "B2", "C2", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, _ := readAll(t, "r.xlsx", buf.Bytes())
	if got := rows[1]; got[1] != "1.9558" || got[2] != "140.52" || got[3] != "0.000123456789012346" {
		t.Fatalf("row %q: want the stored values 1.9558, 140.52 and 15 significant digits", got)
	}
	for in, want := range map[string]string{"140.52000000000001": "140.52", "0.30000000000000004": "0.3", "45992": "45992", "KES": "KES", "1e-3": "0.001", "2.5.1": "2.5.1", "-12.5": "-12.5"} {
		if got := excelNumber(in); got != want {
			t.Errorf("excelNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
