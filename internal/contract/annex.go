package contract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/sheet"
)

// MaxBudgetBytes is the largest budget file read: an Annex III budget is a
// few hundred lines, some tens of kilobytes.
const MaxBudgetBytes = 5 << 20

// MaxBudgetRows caps the rows of a budget file, blank ones included (a
// tighter bound than sheet's default, which is made for ledgers).
const MaxBudgetRows = 5_000

// Problem codes: what the web app words in the user's language, with Args.
const (
	ProblemEmpty              = "EMPTY"          // no header or no line
	ProblemMissingColumn      = "MISSING_COLUMN" // args: column
	ProblemUnreadable         = "UNREADABLE"     // args: detail
	ProblemNoHeading          = "LINE_WITHOUT_HEADING"
	ProblemUnknownHeading     = "UNKNOWN_HEADING"       // args: heading, headings
	ProblemComputedHeading    = "COMPUTED_HEADING"      // args: heading
	ProblemHeadingMismatch    = "LINE_NOT_IN_HEADING"   // args: line, heading
	ProblemMissing            = "MISSING"               // args: column
	ProblemBadNumber          = "BAD_NUMBER"            // args: value
	ProblemBadAmount          = "BAD_AMOUNT"            // args: value, currency
	ProblemTotalDiffers       = "LINE_TOTAL_DIFFERS"    // args: written, computed
	ProblemDuplicateLine      = "DUPLICATE_LINE"        // args: line, row
	ProblemUnknownPartner     = "UNKNOWN_PARTNER"       // args: partner
	ProblemAmbiguousPartner   = "AMBIGUOUS_PARTNER"     // args: partner
	ProblemPartnerNotInAction = "PARTNER_NOT_IN_ACTION" // args: partner
	ProblemTotalMismatch      = "TOTAL_MISMATCH"        // args: budget_total, total_eligible_costs
	ProblemIndirectCap        = "INDIRECT_CAP"          // args: amount, percent, cap_percent
	ProblemContingencyCap     = "CONTINGENCY_CAP"       // args: amount, percent, cap_percent
	ProblemInvalid            = "INVALID"               // args: detail (a rule of the budget's lines)
)

// Problem is one thing wrong in the budget file, at a row (1-based as the
// spreadsheet shows it; 0 for the budget as a whole) and column (its key:
// heading, line, description, unit, units, unit_cost, total, partner).
type Problem struct {
	Row     int
	Column  string
	Code    string
	Args    map[string]string
	Message string // in English, with the figures
}

func problem(row int, column, code string, args map[string]string, format string, a ...any) Problem {
	if args == nil {
		args = map[string]string{}
	}
	return Problem{Row: row, Column: column, Code: code, Args: args, Message: fmt.Sprintf(format, a...)}
}

// column is one column of an Annex III budget file.
type column struct {
	key      string
	names    []string // header texts, in the four languages
	required bool
}

var columns = []column{
	{"heading", []string{"heading", "budget heading", "rubrique", "rúbrica", "rubrica", "partida", "chapter", "chapitre"}, true},
	{"line", []string{"line", "budget line", "line code", "code", "ligne", "línea", "linea", "linha", "item"}, true},
	{"description", []string{"description", "expenses", "descripción", "descrição", "descricao", "dépenses", "gastos", "despesas"}, true},
	{"unit", []string{"unit", "unité", "unite", "unidad", "unidade"}, true},
	{"units", []string{"number of units", "# units", "no of units", "units", "quantity", "nombre d'unités", "nombre d'unites", "nombre unités", "número de unidades", "numero de unidades", "n.º de unidades", "cantidad", "quantidade"}, true},
	{"unit_cost", []string{"unit cost", "unit rate", "coût unitaire", "cout unitaire", "coste unitario", "costo unitario", "custo unitário", "custo unitario"}, true},
	{"total", []string{"total", "costs", "total cost", "coûts", "couts", "total coût", "costes", "costos", "custos"}, false},
	{"partner", []string{"partner", "organisation", "organization", "beneficiary", "partenaire", "bénéficiaire", "socio", "beneficiario", "parceiro", "beneficiário"}, false},
}

// rawLine is a line as read from the file, before it is checked.
type rawLine struct {
	row                                                  int
	heading, code, description, unit, units, cost, total string
	partner                                              string
}

// readBudget reads the lines of an Annex III budget file (CSV or XLSX)
// within the limits of o: heading rows ("1", "Human resources") and line
// rows ("1.1", description, unit, number of units, unit cost, total,
// partner). A line row without a heading cell belongs to the heading above
// it. Problems of the file's shape come back as problems; a file that is
// no spreadsheet, or beyond one of the limits, is an invalid error naming
// budget_content.
func readBudget(ctx context.Context, fileName string, content []byte, o sheet.Options) ([]rawLine, []Problem, error) {
	switch strings.ToLower(filepath.Ext(fileName)) {
	case ".xlsx", ".csv":
	default:
		return nil, nil, errs.Invalid(errs.FieldViolation{Field: "budget_file_name",
			Description: fmt.Sprintf("%q is neither an .xlsx nor a .csv file; save the contract's budget (Annex III) as Excel workbook (.xlsx) or CSV UTF-8 (.csv)", fileName)})
	}
	if len(content) > MaxBudgetBytes {
		return nil, nil, errs.Invalid(errs.FieldViolation{Field: "budget_content",
			Description: fmt.Sprintf("is %d bytes; a budget file may be at most %d MB", len(content), MaxBudgetBytes>>20)})
	}
	if o.MaxRows <= 0 || o.MaxRows > MaxBudgetRows {
		o.MaxRows = MaxBudgetRows
	}
	r, err := sheet.Open(ctx, fileName, content, o)
	if err != nil {
		return nil, nil, contentErr(err)
	}
	defer r.Close() //nolint:errcheck // read only: a failed Close loses nothing
	want := map[string][]string{}
	for _, c := range columns {
		want[c.key] = c.names
	}
	var index map[string]int
	var lines []rawLine
	var problems []Problem
	current := "" // the heading of the rows below its row
	last := 0
	for {
		cells, n, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var limit *sheet.LimitError
		if err != nil && (errors.As(err, &limit) || ctx.Err() != nil) {
			return nil, nil, contentErr(err)
		}
		if err != nil {
			problems = append(problems, problem(n, "", ProblemUnreadable, map[string]string{"detail": err.Error()}, "%s", err.Error()))
			if n <= last {
				break
			}
			last = n
			continue
		}
		last = n
		if sheet.Blank(cells) {
			continue
		}
		if index == nil {
			idx, missing := sheet.Header(cells, want)
			if len(columns)-len(missing) < 3 {
				continue // a title above the table
			}
			for _, c := range columns {
				if c.required && contains(missing, c.key) {
					problems = append(problems, problem(n, c.key, ProblemMissingColumn, map[string]string{"column": c.key},
						"the header has no %q column; an Annex III budget needs the columns heading, line, description, unit, number of units and unit cost (total and partner are optional)", c.key))
				}
			}
			if len(problems) > 0 {
				return nil, problems, nil
			}
			index = idx
			continue
		}
		cell := func(key string) string {
			if i, ok := index[key]; ok {
				return sheet.Cell(cells, i)
			}
			return ""
		}
		l := rawLine{row: n, heading: headingCode(cell("heading")), code: strings.TrimSpace(cell("line")),
			description: cell("description"), unit: cell("unit"), units: cell("units"), cost: cell("unit_cost"),
			total: cell("total"), partner: cell("partner")}
		if l.code == "" {
			// A heading row (or a subtotal row, which names a computed heading).
			if l.heading != "" {
				current = l.heading
			}
			continue
		}
		if l.heading == "" {
			l.heading = current
		}
		lines = append(lines, l)
	}
	if index == nil {
		return nil, []Problem{problem(1, "", ProblemEmpty, nil,
			"the file has no header row: it needs the columns heading, line, description, unit, number of units and unit cost, then a row per heading and per line")}, nil
	}
	if len(lines) == 0 && len(problems) == 0 {
		problems = append(problems, problem(last+1, "", ProblemEmpty, nil, "the budget has no lines below its header: add a row per budget line"))
	}
	return lines, problems, nil
}

var leadingCode = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)*)\.?(?:\s|$)`)

// headingCode reads a heading cell: "1", "1.", "1. Human resources" -> "1".
func headingCode(s string) string {
	s = strings.TrimSpace(s)
	if m := leadingCode.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// contentErr is the answer for a file that cannot be read.
func contentErr(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return errs.Invalid(errs.FieldViolation{Field: "budget_content", Description: err.Error()})
}

// checkedLine is a line whose fields were read: what the budget stores.
type checkedLine struct {
	row   int
	input budget.LineInput
	total int64
	raw   rawLine
}

// sums are the totals by heading of every line whose amounts could be read
// (whatever else is wrong with it), and whether every line's could.
type sums struct {
	byHeading map[string]int64
	complete  bool
}

// checkLines checks the lines against the template's headings and the
// currency, one problem per cell at fault. Partners are resolved later.
func checkLines(lines []rawLine, t *budget.Template, currency string) ([]checkedLine, []Problem, sums) {
	var out []checkedLine
	var problems []Problem
	sum := sums{byHeading: map[string]int64{}, complete: true}
	seen := map[string]int{}
	var holding []string
	for _, h := range t.Headings {
		if !h.Kind.Computed() {
			holding = append(holding, h.Code)
		}
	}
	for _, l := range lines {
		ok := true
		bad := func(p Problem) { problems = append(problems, p); ok = false }
		switch h, found := t.Heading(l.heading); {
		case l.heading == "":
			bad(problem(l.row, "heading", ProblemNoHeading, map[string]string{"line": l.code},
				"line %s is under no heading: put a heading row (e.g. \"1 Human resources\") above it, or write its heading in the heading column", l.code))
		case !found:
			bad(problem(l.row, "heading", ProblemUnknownHeading, map[string]string{"heading": l.heading, "headings": strings.Join(holding, ", ")},
				"%q is not a heading of %s; use one of %s", l.heading, t.DisplayName, strings.Join(holding, ", ")))
		case h.Kind.Computed():
			bad(problem(l.row, "heading", ProblemComputedHeading, map[string]string{"heading": l.heading},
				"heading %s (%s) is computed from the others and holds no lines", h.Code, h.Title))
		case !strings.HasPrefix(l.code, l.heading+"."):
			bad(problem(l.row, "line", ProblemHeadingMismatch, map[string]string{"line": l.code, "heading": l.heading},
				"line %s is not a line of heading %s: its code should start with %s.", l.code, l.heading, l.heading))
		}
		if j, dup := seen[l.code]; dup {
			bad(problem(l.row, "line", ProblemDuplicateLine, map[string]string{"line": l.code, "row": fmt.Sprint(j)},
				"line %s is already on row %d; every line has its own code", l.code, j))
		} else {
			seen[l.code] = l.row
		}
		if l.description == "" {
			bad(problem(l.row, "description", ProblemMissing, map[string]string{"column": "description"}, "the description is missing"))
		}
		if l.unit == "" {
			bad(problem(l.row, "unit", ProblemMissing, map[string]string{"column": "unit"}, "the unit is missing (e.g. month, trip, lump sum)"))
		}
		units, uerr := budget.ParseUnits(l.units)
		if uerr != nil {
			bad(problem(l.row, "units", ProblemBadNumber, map[string]string{"value": l.units},
				"%q is not a number of units: write a number with a point for decimals, e.g. 12 or 2.5", l.units))
		}
		cost, cerr := money.Parse(l.cost, currency)
		if cerr != nil {
			bad(problem(l.row, "unit_cost", ProblemBadAmount, map[string]string{"value": l.cost, "currency": currency},
				"%q is not an amount in %s: write it with a point for decimals and no thousands separator, e.g. 1250.50", l.cost, currency))
		}
		var total int64
		if uerr != nil || cerr != nil {
			sum.complete = false
		}
		if uerr == nil && cerr == nil {
			var fits bool
			if total, fits = budget.LineTotal(units, cost); !fits {
				bad(problem(l.row, "units", ProblemBadNumber, map[string]string{"value": l.units}, "units x unit cost is too large"))
				sum.complete = false
			} else if sum.byHeading[l.heading] += total; l.total != "" {
				written, err := money.Parse(l.total, currency)
				if err != nil {
					bad(problem(l.row, "total", ProblemBadAmount, map[string]string{"value": l.total, "currency": currency},
						"%q is not an amount in %s", l.total, currency))
				} else if written != total {
					bad(problem(l.row, "total", ProblemTotalDiffers,
						map[string]string{"written": money.Format(written, currency), "computed": money.Format(total, currency)},
						"the total written, %s, is not units x unit cost, %s", money.Format(written, currency), money.Format(total, currency)))
				}
			}
		}
		if !ok {
			continue
		}
		out = append(out, checkedLine{row: l.row, total: total, raw: l, input: budget.LineInput{
			HeadingCode: l.heading, Code: l.code, Description: l.description, Unit: l.unit,
			Units: units.String(), UnitCost: money.Format(cost, currency),
		}})
	}
	return out, problems, sum
}
