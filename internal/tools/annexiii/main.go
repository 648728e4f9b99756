// Command annexiii turns an Annex III budget written as CSV into the
// workbook a contract comes with (numbers as numbers, headings in bold), as
// Pactum imports it when a grant is made from its contract:
//
//	go run ./internal/tools/annexiii -o internal/contract/testdata/annex-iii.xlsx internal/contract/testdata/annex-iii.csv
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/xuri/excelize/v2"
)

func main() {
	out := flag.String("o", "annex-iii.xlsx", "the workbook to write")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: annexiii -o OUT.xlsx IN.csv")
		os.Exit(2)
	}
	if err := convert(flag.Arg(0), *out); err != nil {
		fmt.Fprintln(os.Stderr, "annexiii:", err)
		os.Exit(1)
	}
}

func convert(in, out string) error {
	src, err := os.Open(in) //nolint:gosec // a file the developer names
	if err != nil {
		return err
	}
	defer src.Close() //nolint:errcheck // read only
	rows, err := csv.NewReader(src).ReadAll()
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close() //nolint:errcheck // SaveAs reports the errors that matter
	const sh = "Budget"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return err
	}
	for r, row := range rows {
		for c, v := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return err
			}
			if n, err := strconv.ParseFloat(v, 64); err == nil && c >= 4 && c <= 6 && r > 1 {
				if err := f.SetCellValue(sh, cell, n); err != nil {
					return err
				}
				if c >= 5 {
					if err := f.SetCellStyle(sh, cell, cell, money); err != nil {
						return err
					}
				}
				continue
			}
			if err := f.SetCellStr(sh, cell, v); err != nil {
				return err
			}
		}
		if len(row) > 1 && row[1] == "" && r > 0 {
			first, _ := excelize.CoordinatesToCellName(1, r+1)
			last, _ := excelize.CoordinatesToCellName(len(row), r+1)
			if err := f.SetCellStyle(sh, first, last, bold); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(sh, "C", "C", 48); err != nil {
		return err
	}
	return f.SaveAs(out)
}
