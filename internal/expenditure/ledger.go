package expenditure

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/sheet"
)

// MaxLedgerBytes is the largest ledger file accepted.
const MaxLedgerBytes = 32 << 20

// insertBatch is how many expenditures one INSERT writes.
const insertBatch = 500

// maxProblems is how many problems an answer lists; the count of the rest
// is added as a last problem.
const maxProblems = 10_000

// ImportRequest is a ledger file to import into a grant.
type ImportRequest struct {
	FileName     string // .xlsx or .csv
	Content      []byte
	ValidateOnly bool // check every row and answer the problems, storing nothing
	// Progress, when set, is called as rows are read, validated and
	// inserted: every ProgressEvery rows (default 5,000) and at the end of
	// each stage.
	Progress      func(Progress)
	ProgressEvery int
	// DateOrder reads dates whose day and month could be swapped.
	DateOrder DateOrder
	// Mapping names the file's header to read a column from, by column key
	// (LedgerColumn.Key), for headers not recognised.
	Mapping map[string]string
}

// Progress reports how far an import is.
type Progress struct {
	Stage string // StageRead, StageValidated or StageInserted
	Done  int    // rows done in this stage
	Total int    // rows of the stage (0 while reading: not known yet)
}

// Stages of an import.
const (
	StageRead      = "read"
	StageValidated = "validated"
	StageInserted  = "inserted"
)

// ImportResult is the outcome of an import. With problems, nothing was
// stored.
type ImportResult struct {
	RowCount    int // rows read (header and blank rows excluded)
	Imported    int // rows added (with ValidateOnly: rows that would be added)
	Skipped     int // rows imported before (by this or an earlier file)
	RateMissing int // of the rows added, how many wait for a rate
	Problems    []Problem
	// When required columns were not found in the header: the header's
	// cells and the columns to map (see ImportRequest.Mapping).
	Headers   []string
	Unmatched []LedgerColumn
	// Import is the import's name, "grants/{grant}/ledgerImports/{id}",
	// when rows were added (its drafts can be submitted at once:
	// BatchSubmit).
	Import string
}

// Problem is one problem in a ledger, by row and column.
type Problem struct {
	Row     int    // as the spreadsheet shows it (the header is row 1)
	Column  string // the column's header text
	Problem string
}

// column is a column of the ledger.
type column struct {
	key      string   // sheet.Header key
	title    string   // the template's header, and the name of a missing column
	names    []string // header texts accepted
	field    string   // the Input field (API name) whose problems it shows
	required bool     // the header must have it
	width    float64  // in the template
}

// ledgerColumns are the ledger's columns, in the template's order, with the
// headers recognised for each in English, French, Spanish and Portuguese
// (compared as sheet.Header does: without case, accents, spaces and
// punctuation).
var ledgerColumns = []column{
	{key: "date", title: "Date", names: []string{"date", "expense date", "date of expense", "expense_date", "transaction date", "value date", "posting date",
		"date de la dépense", "date de dépense", "date d'opération", "date de paiement",
		"fecha", "fecha del gasto", "fecha de gasto", "fecha de pago",
		"data", "data da despesa", "data do gasto", "data de pagamento"}, field: "expense_date", required: true, width: 12},
	{key: "line", title: "Budget line", names: []string{"budget line", "line", "budget line code", "line code", "budget_line_key", "line key", "budget code",
		"ligne budgétaire", "ligne", "ligne de budget", "code ligne", "code de la ligne", "rubrique",
		"línea presupuestaria", "línea", "línea de presupuesto", "partida", "partida presupuestaria", "código de línea",
		"linha orçamentária", "linha orçamental", "linha", "rubrica", "código da linha"}, field: "budget_line_key", required: true, width: 12},
	{key: "project", title: "Project code", names: []string{"project code", "project",
		"projet", "code projet", "code du projet", "proyecto", "código de proyecto", "código del proyecto", "projeto", "código do projeto"}, field: "project", width: 14},
	{key: "partner", title: "Partner", names: []string{"partner", "organisation", "organization", "partner organisation", "partner organization",
		"partenaire", "organisation partenaire", "socio", "organización", "contraparte", "socio local", "parceiro", "organização", "organização parceira"}, field: "organisation", width: 24},
	{key: "amount", title: "Amount", names: []string{"amount", "amount paid", "total amount",
		"montant", "montant payé", "somme", "monto", "importe", "monto pagado", "montante", "valor", "valor pago", "quantia"}, field: "amount", required: true, width: 14},
	{key: "currency", title: "Currency", names: []string{"currency", "currency code", "currency_code", "ccy", "cur", "curr",
		"devise", "monnaie", "code devise", "moneda", "divisa", "código de moneda", "moeda", "código da moeda"}, field: "currency_code", required: true, width: 10},
	{key: "payee", title: "Payee", names: []string{"payee", "paid to", "supplier", "vendor", "beneficiary",
		"bénéficiaire", "fournisseur", "payé à", "beneficiario", "proveedor", "pagado a", "beneficiário", "fornecedor", "pago a", "favorecido"}, field: "payee", width: 28},
	{key: "description", title: "Description", names: []string{"description", "details", "particulars", "narration", "narrative",
		"libellé", "objet", "descripción", "concepto", "detalle", "descrição", "histórico", "detalhe"}, field: "description", width: 48},
	{key: "document", title: "Document reference", names: []string{"document reference", "document ref", "document_ref", "document", "reference", "invoice", "voucher",
		"voucher no", "receipt", "ref", "référence", "pièce", "numéro de pièce", "n° pièce", "justificatif", "facture",
		"referencia", "comprobante", "factura", "documento", "referência", "comprovante", "nota fiscal", "recibo"}, field: "document_ref", width: 20},
}

// LedgerColumn is a column of the ledger, for a screen that maps a file's
// headers to them.
type LedgerColumn struct {
	Key      string // "date", "line", "project", "partner", "amount", "currency", "payee", "description", "document"
	Title    string // the template's header
	Required bool
}

// columnIndex is the position of each column (by key) in ledgerColumns.
var columnIndex = func() map[string]int {
	m := map[string]int{}
	for i, col := range ledgerColumns {
		m[col.key] = i
	}
	return m
}()

// ledgerRow is one row of a ledger as read.
type ledgerRow struct {
	row   int
	cells [9]string // by ledgerColumns
}

// layout says where each column is in a ledger and what its header says.
type layout struct {
	index     map[string]int    // key -> cell index
	header    map[string]string // field -> header text (the title for a missing column)
	headers   []string          // the header row's cells, when required columns are missing
	unmatched []LedgerColumn    // the required columns missing
}

func (l layout) columnOf(field string) string { return l.header[field] }

// Import imports the expenditures of a ledger file into grant grantID as
// drafts, all or nothing. The rows are checked and converted outside any
// transaction, staged in short batches, and made visible at once by one
// short transaction that checks again what may have changed meanwhile (see
// commit), so that a large ledger never holds the database's write lock
// for long; when the grant keeps changing, it gives up after
// maxImportAttempts attempts, storing nothing. Every row is checked by the
// rules of Create, and when any row breaks one the answer lists every
// problem by row and column and nothing is stored. Rows imported before
// (by this or an earlier file: same date, line, project, partner, amount,
// currency, payee, description and document reference, counting identical
// rows within a file) are skipped. The grant's coordinators and finance
// staff import rows on any line; partners' editors rows of their own
// organisation on the lines allocated to it (other rows are problems).
// Errors: not found (the grant), permission, invalid (file name or
// content that is not a ledger at all), aborted (the grant kept changing).
func (s *Service) Import(ctx context.Context, grantID string, req ImportRequest) (*ImportResult, error) {
	c := actor.From(ctx)
	if err := checkFile(req.FileName, req.Content); err != nil {
		return nil, err
	}
	// Who may, before the file is read.
	g, err := visibleGrant(ctx, s.db, c, grantID)
	if err != nil {
		return nil, err
	}
	b, err := openBook(ctx, s.db, g)
	if err != nil {
		return nil, err
	}
	if _, err := recorderFor(c, b); err != nil {
		return nil, err
	}

	rows, lay, problems, err := readLedger(ctx, req, s.Sheets)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{RowCount: len(rows), Headers: lay.headers, Unmatched: lay.unmatched}
	if len(problems) > 0 {
		res.Problems = capProblems(problems, 0, 0)
		return res, nil
	}
	imp := &importer{s: s, c: c, grantID: grantID, req: req, rows: rows, lay: lay, res: res}
	if req.ValidateOnly {
		if _, err := imp.prepare(ctx, s.db); err != nil {
			return nil, err
		}
		return res, nil
	}
	// Leftovers of imports that died; a failure here is no reason to
	// refuse this one.
	_ = s.clearStaging(ctx, "create_time < ?", s.now().Add(-staleStaging))
	for attempt := 1; ; attempt++ {
		err := imp.importOnce(ctx)
		if err == nil {
			return res, nil
		}
		if !errors.Is(err, errChanged) {
			return nil, err
		}
		if attempt == maxImportAttempts {
			return nil, &errs.Error{Kind: errs.KindAborted, Message: fmt.Sprintf(
				"the budget, projects, partners, rates or expenditures of %s changed while this ledger was being imported, %d times; nothing was imported: import it again",
				resource.Name(resource.Grants, grantID), maxImportAttempts)}
		}
	}
}

// maxImportAttempts is how many times Import checks and stages a ledger
// whose grant changes meanwhile before giving up.
const maxImportAttempts = 3

// importOnce checks and converts the rows, outside any transaction; stages
// the rows to add in short batches; and commits them in one short
// transaction (see commit). Whatever happens, the staged rows are removed.
// With problems, it stages nothing. Errors: errChanged, and those of
// Import.
func (imp *importer) importOnce(ctx context.Context) error {
	p, err := imp.prepare(ctx, imp.s.db)
	if err != nil || p == nil {
		return err
	}
	defer func() {
		// Also when the request was cancelled: the staged rows must go.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_ = imp.s.clearStaging(ctx, "ledger_import_id = ?", p.importID)
	}()
	if err := imp.stage(ctx, p); err != nil {
		return err
	}
	return imp.commit(ctx, p)
}

// checkFile refuses what cannot be a ledger.
func checkFile(name string, content []byte) error {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".xlsx", ".csv":
	default:
		return errs.Invalid(errs.FieldViolation{Field: "file_name",
			Description: fmt.Sprintf("%q is neither an .xlsx nor a .csv file; save the ledger as Excel workbook (.xlsx) or CSV UTF-8 (.csv)", name)})
	}
	if len(content) == 0 {
		return errs.Invalid(errs.FieldViolation{Field: "content", Description: "is empty: send the ledger file's content"})
	}
	if len(content) > MaxLedgerBytes {
		return errs.Invalid(errs.FieldViolation{Field: "content",
			Description: fmt.Sprintf("is %d bytes; a ledger may be at most %d MB: split it into several files", len(content), MaxLedgerBytes>>20)})
	}
	return nil
}

// readLedger reads the header and every non-blank row. A header without a
// required column, or rows that cannot be read, are problems; a file that
// is no spreadsheet at all, or beyond one of the limits of o, is an invalid
// error naming content.
func readLedger(ctx context.Context, req ImportRequest, o sheet.Options) ([]ledgerRow, layout, []Problem, error) {
	if err := checkMapping(req.Mapping); err != nil {
		return nil, layout{}, nil, err
	}
	r, err := sheet.Open(ctx, req.FileName, req.Content, o)
	if err != nil {
		return nil, layout{}, nil, contentErr(err)
	}
	defer r.Close() //nolint:errcheck // read only: a failed Close loses nothing
	want := map[string][]string{}
	for _, col := range ledgerColumns {
		want[col.key] = col.names
	}
	lay := layout{header: map[string]string{}}
	var problems []Problem
	var rows []ledgerRow
	every := progressEvery(req)
	headerRow, last := 0, 0
	for {
		cells, n, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var limit *sheet.LimitError
		if err != nil && (errors.As(err, &limit) || ctx.Err() != nil) {
			return nil, lay, nil, contentErr(err)
		}
		if err != nil {
			problems = append(problems, Problem{Row: n, Problem: err.Error()})
			if n <= last {
				break // the reader cannot go on
			}
			last = n
			continue
		}
		last = n
		if sheet.Blank(cells) {
			continue
		}
		if headerRow == 0 {
			headerRow = n
			index, missing := sheet.Header(cells, want)
			if index, missing, err = applyMapping(cells, index, missing, req.Mapping); err != nil {
				return nil, lay, nil, err
			}
			lay.index = index
			for _, col := range ledgerColumns {
				if i, ok := index[col.key]; ok {
					lay.header[col.field] = strings.TrimSpace(cells[i])
				} else {
					lay.header[col.field] = col.title
				}
			}
			for _, col := range ledgerColumns {
				if col.required && slices.Contains(missing, col.key) {
					problems = append(problems, Problem{Row: n, Column: col.title,
						Problem: fmt.Sprintf("the header has no %q column; the ledger needs the columns %s (download the template, or say which of the file's columns holds it)", col.title, requiredTitles())})
					lay.unmatched = append(lay.unmatched, LedgerColumn{Key: col.key, Title: col.title, Required: true})
				}
			}
			if len(lay.unmatched) > 0 {
				for _, c := range cells {
					lay.headers = append(lay.headers, strings.TrimSpace(c))
				}
			}
			if len(problems) > 0 {
				return nil, lay, problems, nil
			}
			continue
		}
		lr := ledgerRow{row: n}
		for i, col := range ledgerColumns {
			if j, ok := lay.index[col.key]; ok {
				lr.cells[i] = sheet.Cell(cells, j)
			}
		}
		rows = append(rows, lr)
		if req.Progress != nil && len(rows)%every == 0 {
			req.Progress(Progress{Stage: StageRead, Done: len(rows)})
		}
	}
	if headerRow == 0 {
		return nil, lay, []Problem{{Row: 1, Problem: fmt.Sprintf("the file is empty: it needs a header row with the columns %s, and a row per expenditure", requiredTitles())}}, nil
	}
	if len(rows) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{Row: headerRow + 1, Problem: "the ledger has no rows below its header: add a row per expenditure"})
	}
	if req.Progress != nil {
		req.Progress(Progress{Stage: StageRead, Done: len(rows), Total: len(rows)})
	}
	return rows, lay, problems, nil
}

// contentErr is the answer for a file that cannot be read: an invalid
// content, or the context's error once it is done.
func contentErr(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return errs.Invalid(errs.FieldViolation{Field: "content", Description: err.Error()})
}

// LedgerColumns lists the ledger's columns, in the template's order.
func LedgerColumns() []LedgerColumn {
	out := make([]LedgerColumn, len(ledgerColumns))
	for i, col := range ledgerColumns {
		out[i] = LedgerColumn{Key: col.key, Title: col.title, Required: col.required}
	}
	return out
}

// checkMapping refuses a mapping naming a column the ledger has not, or no
// header. Errors: invalid (column_mapping).
func checkMapping(m map[string]string) error {
	for key, header := range m {
		if _, ok := columnIndex[key]; !ok {
			var keys []string
			for _, col := range ledgerColumns {
				keys = append(keys, col.key)
			}
			return errs.Invalid(errs.FieldViolation{Field: "column_mapping",
				Description: fmt.Sprintf("%q is not a column of the ledger; map one of: %s", key, strings.Join(keys, ", "))})
		}
		if strings.TrimSpace(header) == "" || len(header) > 255 {
			return errs.Invalid(errs.FieldViolation{Field: "column_mapping",
				Description: fmt.Sprintf("the header to read %q from must be one of the file's headers, of at most 255 characters", key)})
		}
	}
	return nil
}

// applyMapping places the columns mapping names at the header cells it
// names, over what was recognised. Errors: invalid (column_mapping: a
// header the file has not).
func applyMapping(cells []string, index map[string]int, missing []string, mapping map[string]string) (map[string]int, []string, error) {
	for _, col := range ledgerColumns {
		header, ok := mapping[col.key]
		if !ok {
			continue
		}
		found := -1
		for i, c := range cells {
			if sheet.Normalise(c) == sheet.Normalise(header) {
				found = i
				break
			}
		}
		if found < 0 {
			return nil, nil, errs.Invalid(errs.FieldViolation{Field: "column_mapping",
				Description: fmt.Sprintf("the file has no header %q to read the %q column from", header, col.title)})
		}
		// A cell read for another column is now this one's.
		for k, i := range index {
			if i == found && k != col.key {
				delete(index, k)
				missing = append(missing, k)
			}
		}
		index[col.key] = found
		missing = slices.DeleteFunc(missing, func(k string) bool { return k == col.key })
	}
	return index, missing, nil
}

func requiredTitles() string {
	var out []string
	for _, col := range ledgerColumns {
		if col.required {
			out = append(out, strconv.Quote(col.title))
		}
	}
	return strings.Join(out, ", ")
}

func progressEvery(req ImportRequest) int {
	if req.ProgressEvery > 0 {
		return req.ProgressEvery
	}
	return 5000
}

// capProblems keeps the first maxProblems problems and counts the rest,
// with dropped more from row droppedRow on that were not kept.
func capProblems(ps []Problem, dropped, droppedRow int) []Problem {
	if len(ps)+dropped <= maxProblems {
		return ps
	}
	rest, row := len(ps)+dropped-maxProblems, droppedRow
	if len(ps) > maxProblems {
		row = ps[maxProblems].Row
	}
	out := append(ps[:min(len(ps), maxProblems):maxProblems], Problem{Row: row,
		Problem: fmt.Sprintf("... and %d more problems from this row on; correct the ones above and import again", rest)})
	return out
}

// importer imports one ledger's rows.
type importer struct {
	s       *Service
	c       actor.Caller
	grantID string
	req     ImportRequest
	rows    []ledgerRow
	lay     layout
	res     *ImportResult

	projects map[string]string // project code, id or name (lower case) -> id
	parties  map[string]string // organisation short name, display name, id or name (lower case) -> id
}

// plan is a validated, converted ledger, ready to be staged and committed.
type plan struct {
	grant *grantfacts.Facts
	fresh []*Expenditure // the rows to add (rows imported before left out)
	// state is the fingerprint of what the rows were checked against (see
	// book.state); rates holds one converted row per date, partner and
	// currency, whose conversion is checked again at commit.
	state string
	rates map[string]*Expenditure
	// imports is how many imports the grant had when the rows imported
	// before were read (imports are never deleted): the rows of file ledgers
	// can only be added by another import.
	imports int
	// importID names the import, and its staged rows.
	importID string
}

// prepare validates every row within idb and converts it; with no problem,
// it returns the rows to add, else it sets the result's problems and
// returns nil. It writes nothing.
func (imp *importer) prepare(ctx context.Context, idb bun.IDB) (*plan, error) {
	*imp.res = ImportResult{RowCount: len(imp.rows)}
	g, err := visibleGrant(ctx, idb, imp.c, imp.grantID)
	if err != nil {
		return nil, err
	}
	b, err := openBook(ctx, idb, g)
	if err != nil {
		return nil, err
	}
	r, err := recorderFor(imp.c, b)
	if err != nil {
		return nil, err
	}
	imp.index(b)

	total, every := len(imp.rows), progressEvery(imp.req)
	var problems []Problem
	// Once maxProblems are listed, the problems of later rows are only
	// counted: a file of a million bad rows does not hold a million.
	dropped, droppedRow := 0, 0
	out := make([]*Expenditure, 0, total)
	seen := map[string]int{}
	rates := map[string]*Expenditure{}
	for i := range imp.rows {
		lr := &imp.rows[i]
		before := len(problems)
		in, unknownCells := imp.input(b, lr, &problems)
		e, v, denied := b.check(r, in, Input{})
		switch {
		case denied != "":
			problems = append(problems, Problem{Row: lr.row, Column: imp.lay.columnOf("budget_line_key"), Problem: denied})
		case len(v) > 0:
			for _, fv := range v {
				if unknownCells.reported(fv.Field) {
					continue // its cell was already reported as naming nothing known
				}
				problems = append(problems, Problem{Row: lr.row, Column: imp.lay.columnOf(fv.Field), Problem: fv.Description})
			}
		case len(problems) == 0:
			// Only rows of a file without problems so far are converted.
			if err := b.convert(ctx, e); err != nil {
				return nil, err
			}
			e.ImportKey = importKey(e, seen)
			out = append(out, e)
			if k := rateKey(e); rates[k] == nil {
				rates[k] = e
			}
		}
		if before >= maxProblems && len(problems) > before {
			if dropped == 0 {
				droppedRow = lr.row
			}
			dropped += len(problems) - before
			problems = problems[:before]
		}
		if imp.req.Progress != nil && (i+1)%every == 0 {
			imp.req.Progress(Progress{Stage: StageValidated, Done: i + 1, Total: total})
		}
	}
	if imp.req.Progress != nil {
		imp.req.Progress(Progress{Stage: StageValidated, Done: total, Total: total})
	}
	if len(problems) > 0 {
		imp.res.Problems = capProblems(imp.sorted(problems), dropped, droppedRow)
		return nil, nil
	}

	// The imports so far, before the rows they added: when another import
	// commits after this count, commit sees the count change.
	imports, err := importCount(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	existing, err := existingKeys(ctx, idb, g.ID, out)
	if err != nil {
		return nil, err
	}
	fresh := out[:0]
	for _, e := range out {
		if !existing[e.ImportKey] {
			fresh = append(fresh, e)
		}
	}
	imp.res.Imported, imp.res.Skipped = len(fresh), len(out)-len(fresh)
	for _, e := range fresh {
		if e.RateMissing() {
			imp.res.RateMissing++
		}
	}
	return &plan{grant: g, fresh: fresh, state: b.state(r), rates: rates, imports: imports}, nil
}

// rateKey is what a row's conversion depends on besides its amount: its
// date, partner and currency.
func rateKey(e *Expenditure) string {
	return e.ExpenseDate.String() + " " + e.OrganisationID + " " + e.CurrencyCode
}

// sorted orders problems by row, then by column as the ledger has them.
func (imp *importer) sorted(ps []Problem) []Problem {
	pos := map[string]int{}
	for i, col := range ledgerColumns {
		pos[imp.lay.columnOf(col.field)] = i
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Row != ps[j].Row {
			return ps[i].Row < ps[j].Row
		}
		return pos[ps[i].Column] < pos[ps[j].Column]
	})
	return ps
}

// stagingTable holds the rows of imports in progress (see the migration
// 20261207000009_expenditure_staging).
const stagingTable = "expenditure_staging"

// expenditureColumns are the columns of expenditures (and of stagingTable).
const expenditureColumns = "id, grant_id, line_key, heading_code, project_id, organisation_id, expense_date, amount, currency_code, " +
	"payee, description, document_ref, status, reject_reason, rate, rate_source, converted_amount, rate_problem, " +
	"ledger_import_id, import_key, created_by, version, create_time, update_time"

// staleStaging is how old staged rows must be to be taken for the leftovers
// of an import that died (a crash, a restart): far longer than any import
// takes to stage its rows and commit.
const staleStaging = time.Hour

// stage writes p's rows to the staging table, insertBatch rows per
// statement, each statement its own short transaction: other writers get
// the database between batches. The rows stay invisible until commit.
func (imp *importer) stage(ctx context.Context, p *plan) error {
	now, every := imp.s.now(), progressEvery(imp.req)
	p.importID = resource.NewID()
	for _, e := range p.fresh {
		e.ID, e.Status, e.LedgerImportID, e.CreatedBy = resource.NewID(), StatusDraft, p.importID, imp.c.Name()
		e.Version, e.CreateTime, e.UpdateTime = 1, now, now
	}
	for start := 0; start < len(p.fresh); start += insertBatch {
		chunk := p.fresh[start:min(start+insertBatch, len(p.fresh))]
		if _, err := imp.s.db.NewInsert().Model(&chunk).ModelTableExpr(stagingTable).Exec(ctx); err != nil {
			return db.Err(err)
		}
		if done := start + len(chunk); imp.req.Progress != nil && (done/every > start/every || done == len(p.fresh)) {
			imp.req.Progress(Progress{Stage: StageInserted, Done: done, Total: len(p.fresh)})
		}
	}
	if imp.req.Progress != nil && len(p.fresh) == 0 {
		imp.req.Progress(Progress{Stage: StageInserted, Done: 0, Total: 0})
	}
	return nil
}

// errChanged: what the staged rows were checked against changed before
// they were committed; they must be checked again.
var errChanged = errors.New("the grant's ledger changed while the import was checked")

// commit makes p's staged rows visible at once, in one short transaction,
// with the import's record and audit event, after checking again within it
// what may have changed since the rows were checked: the grant and the
// caller's access to it, its budget, projects and partners, the rates and
// rules of the conversions, and other imports into the grant (which may
// have added some of the rows; the unique index on import keys guards this
// too).
// Errors: errChanged, and those of visibleGrant and recorderFor.
func (imp *importer) commit(ctx context.Context, p *plan) error {
	return imp.s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := visibleGrant(ctx, tx, imp.c, imp.grantID)
		if err != nil {
			return err
		}
		b, err := openBook(ctx, tx, g)
		if err != nil {
			return err
		}
		r, err := recorderFor(imp.c, b)
		if err != nil {
			return err
		}
		if b.state(r) != p.state {
			return errChanged
		}
		for _, e := range p.rates {
			c := *e
			if err := b.convert(ctx, &c); err != nil {
				return err
			}
			if !sameConversion(&c, e) {
				return errChanged
			}
		}
		imports, err := importCount(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		if imports != p.imports {
			return errChanged // another import may have added some of these rows
		}

		now := imp.s.now()
		sum := sha256.Sum256(imp.req.Content)
		li := &ledgerImport{ID: p.importID, GrantID: g.ID, FileName: imp.req.FileName, FileSHA256: hex.EncodeToString(sum[:]),
			RowCount: len(imp.rows), NewCount: len(p.fresh), CreatedBy: imp.c.Name(), CreateTime: now}
		if _, err := tx.NewInsert().Model(li).Exec(ctx); err != nil {
			return db.Err(err)
		}
		imp.res.Import = li.name()
		selected := strings.Replace(expenditureColumns, "create_time, update_time", "?, ?", 1)
		res, err := tx.NewRaw("INSERT INTO expenditures ("+expenditureColumns+") SELECT "+selected+" FROM "+stagingTable+" WHERE ledger_import_id = ?",
			now, now, p.importID).Exec(ctx)
		if err != nil {
			if db.IsUniqueViolation(err) {
				return errChanged
			}
			return writeErr(err)
		}
		moved, err := res.RowsAffected()
		if err != nil {
			return errs.Internal(fmt.Errorf("ledger import %s: rows moved: %w", p.importID, err))
		}
		if moved != int64(len(p.fresh)) {
			return errs.Internal(fmt.Errorf("ledger import %s: %d rows staged, %d moved", p.importID, len(p.fresh), moved))
		}
		changes := audit.Diff(tx, nil, li)
		changes = append(changes, audit.Change{Field: "skipped_count", New: strconv.Itoa(imp.res.Skipped)},
			audit.Change{Field: "rate_missing_count", New: strconv.Itoa(imp.res.RateMissing)})
		return audit.Record(ctx, tx, audit.Entry{Action: "import", Resource: li.name(), GrantID: g.ID, Changes: changes})
	})
}

// importCount counts the grant's ledger imports.
func importCount(ctx context.Context, idb bun.IDB, grantID string) (int, error) {
	n, err := idb.NewSelect().Table("ledger_imports").Where("grant_id = ?", grantID).Count(ctx)
	if err != nil {
		return 0, db.Err(err)
	}
	return n, nil
}

// sameConversion reports whether a and b were converted alike.
func sameConversion(a, b *Expenditure) bool {
	if a.RateMissing() || b.RateMissing() {
		return a.RateMissing() && b.RateMissing() && a.RateProblem == b.RateProblem
	}
	return *a.Converted == *b.Converted && a.Rate.Equal(*b.Rate) && a.RateSource == b.RateSource
}

// clearStaging removes the staged rows matching where, deleteBatch at a
// time, each batch its own short transaction.
func (s *Service) clearStaging(ctx context.Context, where string, args ...any) error {
	const deleteBatch = 2000
	for {
		res, err := s.db.NewRaw("DELETE FROM "+stagingTable+" WHERE id IN (SELECT id FROM "+stagingTable+" WHERE "+where+" LIMIT ?)",
			append(args, deleteBatch)...).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, err := res.RowsAffected(); err != nil || n < deleteBatch {
			return err
		}
	}
}

// ledgerImport is a stored ledger import.
type ledgerImport struct {
	bun.BaseModel `bun:"table:ledger_imports"`

	ID         string    `bun:"id,pk"`
	GrantID    string    `bun:"grant_id"`
	FileName   string    `bun:"file_name"`
	FileSHA256 string    `bun:"file_sha256"`
	RowCount   int       `bun:"row_count"`
	NewCount   int       `bun:"new_count"`
	CreatedBy  string    `bun:"created_by"`
	CreateTime time.Time `bun:"create_time"`
}

func (li *ledgerImport) name() string {
	return resource.Name(resource.Grants, li.GrantID) + "/ledgerImports/" + li.ID
}

// index builds the lookups of project and partner cells.
func (imp *importer) index(b *book) {
	imp.projects, imp.parties = map[string]string{}, map[string]string{}
	for _, p := range b.projects {
		for _, k := range []string{p.ID, "projects/" + p.ID, p.Code} {
			if k != "" {
				imp.projects[strings.ToLower(k)] = p.ID
			}
		}
	}
	// Ids first, then display names, then short names win.
	for _, p := range b.parties {
		imp.parties[strings.ToLower(p.ID)] = p.ID
		imp.parties["organisations/"+strings.ToLower(p.ID)] = p.ID
	}
	for _, p := range b.parties {
		imp.parties[strings.ToLower(p.DisplayName)] = p.ID
	}
	for _, p := range b.parties {
		if p.ShortName != "" {
			imp.parties[strings.ToLower(p.ShortName)] = p.ID
		}
	}
}

// unknown names the fields whose cells named nothing known (and were
// reported as such).
type unknown struct{ project, organisation, date, currency bool }

// reported says whether field's cell was already reported.
func (u unknown) reported(field string) bool {
	return (field == "project" && u.project) || (field == "organisation" && u.organisation) ||
		(field == "expense_date" && u.date) || (field == "currency_code" && u.currency)
}

// input maps a row to an Input, resolving the line's code, the project's
// code and the partner's name. Cells that name nothing known are problems.
func (imp *importer) input(b *book, lr *ledgerRow, problems *[]Problem) (Input, unknown) {
	cell := func(key string) string { return lr.cells[columnIndex[key]] }
	var u unknown
	in := Input{
		LineKey:     cell("line"),
		Amount:      ledgerAmount(cell("amount")),
		Payee:       cell("payee"),
		Description: cell("description"),
		DocumentRef: cell("document"),
	}
	if l := b.byCode[strings.ToLower(in.LineKey)]; l != nil {
		in.LineKey = l.LineKey
	}
	if p := cell("project"); p != "" {
		id, ok := imp.projects[strings.ToLower(p)]
		if !ok {
			u.project = true
			*problems = append(*problems, Problem{Row: lr.row, Column: imp.lay.columnOf("project"),
				Problem: fmt.Sprintf("%q is not a project of %s; write the code of one of its projects: %s", p, b.grant.Describe(), projectCodes(b))})
		}
		in.ProjectID = id
	}
	if o := cell("partner"); o != "" {
		id, ok := imp.parties[strings.ToLower(o)]
		if !ok {
			u.organisation = true
			*problems = append(*problems, Problem{Row: lr.row, Column: imp.lay.columnOf("organisation"),
				Problem: fmt.Sprintf("%q is not an organisation taking part in %s; write the short name, name or id of one of: %s", o, b.grant.Describe(), partyNames(b))})
		}
		in.OrganisationID = id
	}
	if c := cell("date"); c != "" {
		d, why, ok := parseLedgerDate(c, imp.req.DateOrder)
		if ok {
			in.ExpenseDate = d.String()
		} else {
			u.date = true
			if why != "" {
				why = " (" + why + ")"
			}
			*problems = append(*problems, Problem{Row: lr.row, Column: imp.lay.columnOf("expense_date"),
				Problem: fmt.Sprintf("%q is not a date%s; write it as %s", c, why, acceptedDates(imp.req.DateOrder))})
		}
	}
	if c := cell("currency"); c != "" {
		code, problem := ledgerCurrency(c, imp.countryOf(b, in))
		if problem != "" {
			u.currency = true
			*problems = append(*problems, Problem{Row: lr.row, Column: imp.lay.columnOf("currency_code"), Problem: problem})
		}
		in.CurrencyCode = code
	}
	return in, u
}

// countryOf is the country of the organisation whose expenditure in is:
// the row's partner, else the one the line is allocated to, else the lead.
func (imp *importer) countryOf(b *book, in Input) string {
	id := in.OrganisationID
	if id == "" {
		if l := b.byKey[in.LineKey]; l != nil {
			id = l.OrganisationID
		}
	}
	if id == "" {
		id = b.grant.LeadOrganisationID
	}
	if p := b.parties[id]; p != nil {
		return p.Country
	}
	return ""
}

func projectCodes(b *book) string {
	var out []string
	for _, p := range b.projects {
		if p.Code != "" {
			out = append(out, p.Code)
		} else {
			out = append(out, "projects/"+p.ID)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return "(it has none: leave the column empty)"
	}
	return strings.Join(out, ", ")
}

func partyNames(b *book) string {
	var out []string
	for _, p := range b.parties {
		if p.ShortName != "" {
			out = append(out, p.ShortName)
		} else {
			out = append(out, p.DisplayName)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// excelEpoch is day 0 of Excel's date serial numbers (1900 date system, with
// its leap-year bug accounted for).
var excelEpoch = calendar.New(1899, time.December, 30)

var thousands = regexp.MustCompile(`^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`)

// ledgerAmount reads an amount cell: spaces (also non-breaking) and
// thousands separators ("1,250,000.50") are dropped.
func ledgerAmount(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		}
		return r
	}, s)
	if thousands.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	return s
}

// importKey is the identity of an imported row: the SHA-256 of its
// normalised fields, and "#n" for the n-th identical row of the file (seen
// counts them), so that a file imported again adds nothing while identical
// rows of one file are all kept.
func importKey(e *Expenditure, seen map[string]int) string {
	h := sha256.New()
	for _, part := range []string{
		e.ExpenseDate.String(), e.LineKey, e.ProjectID, e.OrganisationID, strconv.FormatInt(e.Amount, 10), e.CurrencyCode,
		collapse(e.Payee), collapse(e.Description), collapse(e.DocumentRef),
	} {
		_, _ = fmt.Fprintf(h, "%d:%s;", len(part), part) // a hash's Write never returns an error
	}
	base := hex.EncodeToString(h.Sum(nil))
	seen[base]++
	return base + "#" + strconv.Itoa(seen[base])
}

// collapse trims s and reduces its runs of white space to one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// existingKeys returns which import keys of es the grant already holds.
func existingKeys(ctx context.Context, idb bun.IDB, grantID string, es []*Expenditure) (map[string]bool, error) {
	out := map[string]bool{}
	const chunk = 500
	for start := 0; start < len(es); start += chunk {
		keys := make([]string, 0, chunk)
		for _, e := range es[start:min(start+chunk, len(es))] {
			keys = append(keys, e.ImportKey)
		}
		var found []string
		if err := idb.NewSelect().Table("expenditures").Column("import_key").
			Where("grant_id = ? AND import_key IN (?)", grantID, bun.List(keys)).Scan(ctx, &found); err != nil {
			return nil, db.Err(err)
		}
		for _, k := range found {
			out[k] = true
		}
	}
	return out, nil
}

// state is a fingerprint of what rows of the book's grant are checked
// against by r (save conversions): the grant, its latest adopted budget's
// lines, its projects and the organisations taking part, and the lines r
// may record on. Two books with the same state check every row alike.
func (b *book) state(r recorder) string {
	h := sha256.New()
	put := func(parts ...any) {
		for _, p := range parts {
			s := fmt.Sprint(p)
			_, _ = fmt.Fprintf(h, "%d:%s;", len(s), s) // a hash's Write never returns an error
		}
		h.Write([]byte{'\n'})
	}
	g := b.grant
	put("grant", g.ID, g.LeadOrganisationID, g.DonorReference, g.CurrencyCode, g.StartDate, g.EndDate, g.ReportingPeriodMonths)
	put("budget", b.hasBudget, b.budgetNumber)
	for _, l := range b.lines {
		put("line", l.LineKey, l.HeadingCode, l.Code, l.Description, l.ProjectID, l.OrganisationID)
	}
	for _, id := range slices.Sorted(maps.Keys(b.projects)) {
		p := b.projects[id]
		put("project", p.ID, p.Code, p.Title)
	}
	for _, id := range slices.Sorted(maps.Keys(b.parties)) {
		p := b.parties[id]
		put("party", p.ID, p.DisplayName, p.ShortName, p.lead, slices.Sorted(maps.Keys(p.projects)))
	}
	put("recorder", r.all, r.editorOrgs)
	return hex.EncodeToString(h.Sum(nil))
}
