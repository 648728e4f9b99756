package fx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/sheet"
)

// MaxImportBytes is the largest rate file ImportRates reads.
const MaxImportBytes = 5 << 20

// maxProblems caps the problems listed for one file; a final entry says how
// many more there were.
const maxProblems = 1000

// headerSearchRows is how many non-blank rows may come before the header
// (InforEuro exports open with a title line or two).
const headerSearchRows = 10

// ImportInput is a monthly rate file to import.
type ImportInput struct {
	FileName string // its extension (.csv, .xlsx) says how to read it
	Content  []byte
	Month    string // "YYYY-MM"
	Base     string // "" for EUR (InforEuro)
	Source   string // "" for "InforEuro {month}"
}

// Problem is what is wrong with one cell (or row) of an imported file.
type Problem struct {
	Row     int    // as the spreadsheet shows it (the header is row 1 when it comes first)
	Column  string // the column's header as the file writes it ("" for the whole row or file)
	Problem string
}

// ImportResult is the outcome of ImportRates. When Problems is not empty
// the file was refused and nothing was stored.
type ImportResult struct {
	Imported    int // rates read from the file and stored (unchanged ones included)
	Replaced    int // of them, those that replaced a different rate of the same month
	Reconverted int // expenditures converted again
	Problems    []Problem
}

// Header texts accepted for each column, compared without case, spaces,
// dots, underscores and hyphens. "{base}" stands for the base currency.
var importColumns = map[string][]string{
	"country":  {"Country", "Country name", "Pays", "Land"},
	"currency": {"Currency", "Currency name", "Currency (name)", "Devise", "Monnaie", "Währung"},
	"iso": {"ISO code", "ISO", "Code", "ISO 4217", "ISO 4217 code", "ISO currency code", "Currency code", "ISO A3 code",
		"isoA3Code", "Code ISO", "ISO-Code"},
	"rate": {"Rate", "Rate per {base}", "Rate per 1 {base}", "Value", "Amount", "Exchange rate", "{base} rate", "Per 1 {base}",
		"Units per {base}", "Taux", "Valeur", "Kurs"},
}

// ImportRates imports a monthly rate file, InforEuro style: CSV (comma or
// semicolon separated) or XLSX, with columns for the country, the currency's
// name, its ISO code and its rate per 1 unit of the base currency (decimals
// with a point or a comma: "140.52", "140,52"). Headers are matched
// tolerantly and may follow a few title rows; only the ISO code and the rate
// are required. The base currency's own row (EUR 1 in InforEuro files) and
// blank rows are skipped. All rows or none: on any bad row (unknown ISO
// code, a rate that is not a number or not above 0, a currency twice)
// nothing is stored and the result lists every problem by row and column.
// Otherwise every rate is stored (replacing that month's earlier rate),
// recorded in the audit trail, and the expenditures waiting for them are
// converted, in one transaction. Admins, coordinators and finance staff may.
// Errors: permission, invalid (month, base currency, source, a file that is
// not CSV or XLSX or cannot be read).
func (s *Service) ImportRates(ctx context.Context, in ImportInput) (*ImportResult, error) {
	c := actor.From(ctx)
	if !policy.MayManageRates(c) {
		return nil, errs.PermissionDenied("only admins, coordinators and finance staff may import exchange rates")
	}
	var v errs.Violations
	in.Month, in.Base, in.Source = strings.TrimSpace(in.Month), strings.TrimSpace(in.Base), strings.TrimSpace(in.Source)
	if in.Base == "" {
		in.Base = "EUR"
	}
	checkCurrency(&v, "base_currency", in.Base, "the currency the rates are per 1 unit of, e.g. EUR")
	switch {
	case in.Month == "":
		v.Add("month", "is required: the month the rates apply to, YYYY-MM, e.g. 2026-03")
	case !ValidMonth(in.Month):
		v.Add("month", "must be a month YYYY-MM, e.g. 2026-03 (got %q)", in.Month)
	}
	if in.Source == "" {
		in.Source = "InforEuro " + in.Month
	}
	if len(in.Source) > 200 {
		v.Add("source", "must be at most 200 characters (got %d)", len(in.Source))
	}
	switch ext := strings.ToLower(filepath.Ext(in.FileName)); {
	case ext != ".csv" && ext != ".xlsx" && ext != ".txt":
		v.Add("file_name", "must end in .csv or .xlsx, which says how to read the file (got %q)", in.FileName)
	case len(in.Content) == 0:
		v.Add("content", "is empty: send the rate file's bytes")
	case len(in.Content) > MaxImportBytes:
		v.Add("content", "is %d bytes; a rate file may be at most %d bytes (5 MB)", len(in.Content), MaxImportBytes)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	rates, problems, err := readRateFile(ctx, in, s.Sheets)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return &ImportResult{Problems: problems}, nil
	}

	res := &ImportResult{}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		*res = ImportResult{}
		var existing []*Rate
		if err := tx.NewSelect().Model(&existing).Where("base_currency = ? AND month = ?", in.Base, in.Month).Scan(ctx); err != nil {
			return db.Err(err)
		}
		prev := map[string]*Rate{}
		for _, r := range existing {
			prev[r.Currency] = r
		}
		var changed []string
		for _, r := range rates {
			res.Imported++
			p := prev[r.Currency]
			if p != nil && p.Rate.Equal(r.Rate) && p.Source == r.Source {
				continue
			}
			replaced, err := s.putRate(ctx, tx, r, p)
			if err != nil {
				return err
			}
			if replaced {
				res.Replaced++
			}
			changed = append(changed, r.Currency)
		}
		for _, cur := range changed {
			n, err := ReconvertForRate(ctx, tx, in.Base, cur)
			if err != nil {
				return err
			}
			res.Reconverted += n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// readRateFile reads the rates of a file, or every problem it has. The error
// is for a file that cannot be read at all, or is beyond one of the limits
// of o (invalid, naming content), or the context's once it is done.
func readRateFile(ctx context.Context, in ImportInput, o sheet.Options) ([]*Rate, []Problem, error) {
	rows, err := sheet.Open(ctx, in.FileName, in.Content, o)
	if err != nil {
		return nil, nil, contentErr(err)
	}
	defer rows.Close() //nolint:errcheck // read only: a failed Close loses nothing

	want := map[string][]string{}
	for key, names := range importColumns {
		for _, n := range names {
			want[key] = append(want[key], strings.ReplaceAll(n, "{base}", in.Base))
		}
	}
	var (
		problems []Problem
		more     int
		add      = func(p Problem) {
			if len(problems) < maxProblems {
				problems = append(problems, p)
			} else {
				more++
			}
		}
		header     []string
		index      map[string]int
		firstRow   int
		firstCells []string
		seen       int
		rates      []*Rate
		firstSeen  = map[string]seenRate{}
		headerRow  int
	)
	for {
		cells, row, err := rows.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var limit *sheet.LimitError
		if err != nil && (errors.As(err, &limit) || ctx.Err() != nil) {
			return nil, nil, contentErr(err)
		}
		if err != nil {
			add(Problem{Row: row, Problem: err.Error()})
			break
		}
		if sheet.Blank(cells) {
			continue
		}
		if header == nil {
			if firstRow == 0 {
				firstRow, firstCells = row, cells
			}
			idx, missing := sheet.Header(cells, want)
			if !slices.Contains(missing, "iso") && !slices.Contains(missing, "rate") {
				header, index, headerRow = cells, idx, row
				continue
			}
			if seen++; seen >= headerSearchRows {
				break
			}
			continue
		}
		isoCol, rateCol := index["iso"], index["rate"]
		code := strings.ToUpper(sheet.Cell(cells, isoCol))
		rawRate := sheet.Cell(cells, rateCol)
		if code == "" && rawRate == "" {
			continue // a note or a section title, not a rate
		}
		if code == in.Base {
			continue // the base currency's own row (1 EUR = 1 EUR)
		}
		var codeProblem string
		switch _, err := money.Currency(code); {
		case code == "":
			codeProblem = "is empty: give the currency's ISO 4217 code, e.g. KES"
		case err != nil:
			codeProblem = err.Error()
		}
		what := "the rate per 1 " + in.Base
		if codeProblem == "" {
			what = fmt.Sprintf("%s per 1 %s", code, in.Base)
		}
		num := normaliseNumber(rawRate)
		d, rateProblem := ParseRate(num, what)
		if rateProblem != "" && num != rawRate {
			rateProblem += fmt.Sprintf(" (the cell holds %q)", rawRate)
		}
		if codeProblem != "" {
			add(Problem{Row: row, Column: header[isoCol], Problem: codeProblem})
		}
		if rateProblem != "" {
			add(Problem{Row: row, Column: header[rateCol], Problem: rateProblem})
		}
		if codeProblem != "" || rateProblem != "" {
			continue
		}
		// Countries sharing a currency (XOF, XAF, USD, ...) each have their
		// row, with the same rate; two different rates are a conflict.
		if first, dup := firstSeen[code]; dup {
			if !first.rate.Equal(d) {
				add(Problem{Row: row, Column: header[rateCol], Problem: fmt.Sprintf(
					"%s has two different rates in the file: row %d gives %s, this row %s; a currency has one rate a month",
					code, first.row, first.rate, d)})
			}
			continue
		}
		firstSeen[code] = seenRate{row: row, rate: d}
		rates = append(rates, &Rate{Base: in.Base, Currency: code, Month: in.Month, Rate: d, Source: in.Source})
	}
	switch {
	case header == nil && len(problems) == 0 && firstRow == 0:
		add(Problem{Row: 1, Problem: "the file is empty: it needs a header row (ISO code, rate) and a row per currency"})
	case header == nil && len(problems) == 0:
		row := firstRow
		add(Problem{Row: row, Problem: fmt.Sprintf("no header row found in the first %d rows: the file needs a column for the ISO code "+
			"(headed e.g. \"ISO code\" or \"Code\") and one for the rate (headed e.g. \"Rate\", \"Rate per %s\" or \"Value\"); row %d reads %q",
			headerSearchRows, in.Base, row, strings.Join(firstCells, " | "))})
	case len(problems) == 0 && len(rates) == 0:
		add(Problem{Row: headerRow + 1, Problem: "the file holds no rates below its header"})
	}
	if more > 0 {
		problems = append(problems, Problem{Problem: fmt.Sprintf("and %d more problems not listed", more)})
	}
	sort.SliceStable(rates, func(i, j int) bool { return rates[i].Currency < rates[j].Currency })
	return rates, problems, nil
}

// contentErr is the answer for a file that cannot be read: an invalid
// content, or the context's error once it is done.
func contentErr(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return errs.Invalid(errs.FieldViolation{Field: "content", Description: err.Error()})
}

type seenRate struct {
	row  int
	rate decimal.Decimal
}

var spacesRE = regexp.MustCompile(`[\s\x{00a0}\x{202f}']+`)

// normaliseNumber turns a number as spreadsheets in various locales write
// it into one with a decimal point and no grouping: "140,52" -> "140.52",
// "1.234,56" and "1,234.56" and "1 234,56" -> "1234.56". A single comma or
// point is the decimal separator; when both appear, the last one is; a mark
// repeated with no other is grouping. Other text is left for ParseRate to
// refuse.
func normaliseNumber(s string) string {
	s = spacesRE.ReplaceAllString(strings.TrimSpace(s), "")
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0:
		if comma > dot {
			s = strings.ReplaceAll(s, ".", "")
			s = strings.Replace(s, ",", ".", 1)
		} else {
			s = strings.ReplaceAll(s, ",", "")
		}
	case comma >= 0:
		if strings.Count(s, ",") == 1 {
			s = strings.Replace(s, ",", ".", 1)
		} else {
			s = strings.ReplaceAll(s, ",", "")
		}
	case dot >= 0:
		if strings.Count(s, ".") > 1 {
			s = strings.ReplaceAll(s, ".", "")
		}
	}
	return s
}
