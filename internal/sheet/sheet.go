// Package sheet reads tabular files (CSV and XLSX) row by row, for imports
// of exchange rates and ledgers, and numbers rows as a spreadsheet shows
// them (the header is row 1).
package sheet

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Rows reads a file's rows in order.
type Rows interface {
	// Next returns the next row's cells and its 1-based row number, or
	// io.EOF after the last row. Trailing empty cells may be missing.
	Next() (cells []string, row int, err error)
	Close() error
}

// Open reads content as CSV or XLSX, chosen by the file name's extension.
// An XLSX file is read from its first sheet. CSV may be separated by commas
// or semicolons (as spreadsheets export in many locales), with or without a
// byte-order mark. Reading is bounded by o (zero fields take the defaults,
// see Options): a file beyond a limit gets a *LimitError, from Open or from
// Rows.Next, which says which limit; once ctx is done, Next returns its
// error. Every error's message is meant for the user who sent the file.
func Open(ctx context.Context, fileName string, content []byte, o Options) (Rows, error) {
	o = o.withDefaults()
	b := newBudget(ctx, o)
	switch strings.ToLower(filepath.Ext(fileName)) {
	case ".csv", ".txt":
		return openCSV(content, o, b)
	case ".xlsx":
		return openXLSX(content, o, b)
	}
	return nil, fmt.Errorf("%q is neither a .csv nor an .xlsx file", fileName)
}

type csvRows struct {
	r   *csv.Reader
	b   *budget
	row int
}

func openCSV(content []byte, o Options, b *budget) (Rows, error) {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(content) {
		return nil, errors.New("the CSV file is not UTF-8 text; save it as \"CSV UTF-8\"")
	}
	// The separator is the one more frequent over the first lines (not the
	// first line alone, which may be a title without any).
	lines := bytes.SplitN(content, []byte("\n"), 11)
	head := bytes.Join(lines[:min(len(lines), 10)], nil)
	r := csv.NewReader(bytes.NewReader(content))
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		r.Comma = ';'
	}
	if err := scanCSV(content, byte(r.Comma), o, b); err != nil {
		return nil, err
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	return &csvRows{r: r, b: b}, nil
}

func (c *csvRows) Next() ([]string, int, error) {
	if err := c.b.alive(c.row); err != nil {
		return nil, c.row, err
	}
	cells, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	c.row++
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.Line, fmt.Errorf("row %d is not valid CSV: %w", pe.Line, pe.Err)
		}
		return nil, c.row, err
	}
	line, _ := c.r.FieldPos(0)
	c.row = line
	if err := c.b.row(cells, line); err != nil {
		return nil, line, err
	}
	return cells, line, nil
}

func (c *csvRows) Close() error { return nil }

type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
	b    *budget
	row  int
}

func openXLSX(content []byte, o Options, b *budget) (Rows, error) {
	packed, err := repackXLSX(content, o, b)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(packed), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: o.MaxUnpackedBytes, UnzipXMLSizeLimit: o.MaxPartBytes, TmpDir: o.TmpDir})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, errNotWorkbook
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return nil, errors.New("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		_ = f.Close()
		return nil, errors.New("the workbook's first sheet cannot be read")
	}
	return &xlsxRows{f: f, rows: rows, b: b}, nil
}

func (x *xlsxRows) Next() ([]string, int, error) {
	if err := x.b.alive(x.row); err != nil {
		return nil, x.row, err
	}
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, x.row, err
		}
		return nil, 0, io.EOF
	}
	x.row++
	if x.row > x.b.o.MaxRows {
		x.b.err = tooManyRows(x.b.o)
		return nil, x.row, x.b.err
	}
	// Raw values: a rate stored as 1.9558 in a cell formatted "0.00" must
	// read 1.9558, not the 1.96 on screen. Numbers come back as Excel keeps
	// them (binary doubles written with up to 17 digits, 140.52 as
	// 140.52000000000001), so they are cut to the 15 significant digits
	// Excel itself shows. Dates come back as serial day numbers.
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err == nil {
		err = x.b.row(cells, x.row)
	}
	if err != nil {
		return nil, x.row, err
	}
	for i, c := range cells {
		cells[i] = excelNumber(c)
	}
	return cells, x.row, nil
}

// excelNumber rounds a number as Excel stores it to 15 significant digits
// and writes it without exponent or trailing zeros; other text is returned
// as it is.
func excelNumber(c string) string {
	if c == "" || strings.TrimLeft(c, "-0123456789.eE+") != "" || strings.Count(c, ".") > 1 {
		return c
	}
	d, err := decimal.NewFromString(c)
	if err != nil {
		return c
	}
	digits := int32(len(d.Abs().Truncate(0).String()))
	if d.Abs().LessThan(decimal.NewFromInt(1)) {
		// Leading zeros after the point do not count as significant.
		digits = d.Exponent() + int32(len(d.Coefficient().String())) // may be <= 0
	}
	return d.Round(15 - digits).String()
}

func (x *xlsxRows) Close() error {
	_ = x.rows.Close()
	return x.f.Close()
}

// Header maps a header row's cells to the wanted columns. want maps each
// column's key to the header texts it may have (compared without case,
// accents, spaces, dots, underscores, hyphens, apostrophes, brackets and
// asterisks, which mark required columns). It returns each key's cell index
// and the keys not found.
func Header(cells []string, want map[string][]string) (index map[string]int, missing []string) {
	index = map[string]int{}
	for i, c := range cells {
		n := normalise(c)
		for key, names := range want {
			if _, done := index[key]; done {
				continue
			}
			for _, name := range names {
				if n == normalise(name) {
					index[key] = i
					break
				}
			}
		}
	}
	for key := range want {
		if _, ok := index[key]; !ok {
			missing = append(missing, key)
		}
	}
	return index, missing
}

// Normalise is the form Header compares header texts in.
func Normalise(s string) string { return normalise(s) }

func normalise(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '_', '-', '\t', '\'', '’', '(', ')', '*', '\u00a0':
			return -1
		}
		return r
	}, strings.ToLower(FoldAccents(strings.TrimSpace(s))))
}

// FoldAccents removes the accents of Latin letters (é -> e, ç -> c, ã -> a).
func FoldAccents(s string) string { return accentFolder.Replace(s) }

var accentFolder = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "ç", "c", "è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ñ", "n", "ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u",
	"À", "A", "Á", "A", "Â", "A", "Ã", "A", "Ä", "A", "Ç", "C", "È", "E", "É", "E", "Ê", "E", "Ë", "E",
	"Ì", "I", "Í", "I", "Î", "I", "Ï", "I", "Ñ", "N", "Ò", "O", "Ó", "O", "Ô", "O", "Õ", "O", "Ö", "O",
	"Ù", "U", "Ú", "U", "Û", "U", "Ü", "U",
)

// Cell returns cells[i] trimmed, or "" when the row is shorter.
func Cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// Blank reports whether every cell is empty.
func Blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
