package rpc_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/db/dbtest"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

var ledgerHeader = []string{"Date", "Budget line", "Project code", "Partner", "Amount", "Currency", "Payee", "Description", "Document reference"}

// exLedger returns the header and n rows of a valid ledger of exWorld's G1,
// as finance staff keep it: dated through 2025, on lines 2.1 (UMOJA, KES),
// 3.1 (UMOJA named by short name, XOF), 2.2 (HMWF, NPR: no rates, so those
// rows wait for one), 1.1 (the lead, EUR, line named by its key), with
// thousands separators here and there; data row i is spreadsheet row i+2.
// Rows 10 and 11 are identical (two equal taxi fares): both are kept.
func (w *exWorld) exLedger(n int) [][]string {
	rows := [][]string{ledgerHeader}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		date := day.AddDate(0, 0, i%365).Format("2006-01-02")
		r := []string{date, "2.1", "", "", fmt.Sprintf("%d.%02d", 100+i%5000, i%100), "KES", fmt.Sprintf("Payee %d", i%50), fmt.Sprintf("Item %d", i), fmt.Sprintf("INV-%d", i)}
		switch i % 10 {
		case 3:
			r[1], r[3], r[4], r[5] = "3.1", "UMOJA", fmt.Sprintf("%d", 1000+i), "XOF"
		case 7:
			r[1], r[5] = "2.2", "NPR"
		case 9:
			r[1], r[2], r[3], r[5] = w.line["1.1"], "KE-01", "Global Solidarity Network", "EUR"
			r[4] = fmt.Sprintf("1,%03d.50", i%1000)
		}
		rows = append(rows, r)
	}
	if n > 11 {
		rows[12] = slices.Clone(rows[11])
	}
	return rows
}

func exCSV(rows [][]string) []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.WriteAll(rows)
	return b.Bytes()
}

func exXLSX(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exFile is a ledger in one format.
type exFile struct {
	ext    string
	encode func(t testing.TB, rows [][]string) []byte
}

var exFormats = []exFile{
	{".csv", func(_ testing.TB, rows [][]string) []byte { return exCSV(rows) }},
	{".xlsx", exXLSX},
}

func (w *exWorld) importLedger(c *rpctest.Clients, name string, content []byte, validateOnly bool) (*pactumv1.ImportLedgerResponse, error) {
	res, err := c.Expenditures.ImportLedger(context.Background(), connect.NewRequest(&pactumv1.ImportLedgerRequest{
		Parent: w.g1, FileName: name, Content: content, ValidateOnly: validateOnly}))
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

func problemList(ps []*pactumv1.ImportProblem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d %s", p.GetRow(), p.GetColumn()))
	}
	return out
}

func countTable(t testing.TB, e *rpctest.Env, table string) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT COUNT(*) FROM "+table).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The must-show: a 10,000-row ledger with 3 bad rows fails whole, naming
// the 3 rows and their columns, and stores nothing; the corrected file
// imports in full; importing it again adds nothing. In CSV and XLSX.
func TestImportLedgerAllOrNothing(t *testing.T) {
	t.Parallel()
	for _, format := range exFormats {
		t.Run(strings.TrimPrefix(format.ext, "."), func(t *testing.T) {
			rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
				w := newExWorld(t, e)
				const n = 10_000
				rows := w.exLedger(n)
				good := make([][]string, len(rows))
				for i := range rows {
					good[i] = slices.Clone(rows[i])
				}
				// Three bad rows (spreadsheet rows 101, 5002 and 9999).
				rows[100][5] = "KSX"         // no such currency
				rows[5001][0] = "2024-12-31" // before the grant
				rows[9998][1] = "9.9"        // no such line
				events := countTable(t, e, "audit_events")

				res, err := w.importLedger(w.finance, "ledger"+format.ext, format.encode(t, rows), false)
				if err != nil {
					t.Fatal(err)
				}
				want := []string{"101 Currency", "5002 Date", "9999 Budget line"}
				if got := problemList(res.GetProblems()); !slices.Equal(got, want) {
					t.Fatalf("problems %v, want %v (%v)", got, want, res.GetProblems())
				}
				for i, says := range []string{"ISO 4217", "implementation period, 2025-01-01 to 2027-12-31", `"9.9" is not a line`} {
					if !strings.Contains(res.GetProblems()[i].GetProblem(), says) {
						t.Errorf("problem %q does not say %q", res.GetProblems()[i].GetProblem(), says)
					}
				}
				if res.GetRowCount() != n || res.GetImportedCount() != 0 {
					t.Fatalf("refused import: %d rows, %d imported", res.GetRowCount(), res.GetImportedCount())
				}
				if got := countTable(t, e, "expenditures"); got != 0 {
					t.Fatalf("a refused import stored %d expenditures", got)
				}
				if got := countTable(t, e, "ledger_imports") + countTable(t, e, "audit_events") - events; got != 0 {
					t.Fatal("a refused import left a trace")
				}

				// Corrected: all 10,000 rows, of which the NPR ones (every
				// tenth, 1,000) wait for a rate.
				content := format.encode(t, good)
				res, err = w.importLedger(w.finance, "ledger-corrected"+format.ext, content, false)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.GetProblems()) > 0 || res.GetRowCount() != n || res.GetImportedCount() != n || res.GetSkippedCount() != 0 || res.GetRateMissingCount() != n/10 {
					t.Fatalf("corrected import: %d rows, %d imported, %d skipped, %d rate missing, problems %v",
						res.GetRowCount(), res.GetImportedCount(), res.GetSkippedCount(), res.GetRateMissingCount(), res.GetProblems())
				}
				if got := exCount(t, e, "grant_id = ? AND status = 'draft' AND ledger_import_id IS NOT NULL", id(w.g1)); got != n {
					t.Fatalf("%d expenditures stored", got)
				}
				if got := exCount(t, e, "converted_amount IS NULL"); got != n/10 {
					t.Fatalf("%d without a rate", got)
				}
				// Row 2 (index 0): KES 100.00 on 2025-01-01 at 140.5 = EUR 0.71 (0.7117...).
				// Row 11 (index 9): EUR 1,009.50 on line 1.1, the lead's, project KE-01.
				var conv []struct {
					Amount    int64  `bun:"amount"`
					Converted int64  `bun:"converted_amount"`
					Org       string `bun:"organisation_id"`
					Project   string `bun:"project_id"`
				}
				if err := e.DB.NewRaw("SELECT amount, converted_amount, organisation_id, COALESCE(project_id, '') AS project_id FROM expenditures WHERE document_ref IN ('INV-0', 'INV-9') ORDER BY document_ref").
					Scan(context.Background(), &conv); err != nil {
					t.Fatal(err)
				}
				if len(conv) != 2 || conv[0].Amount != 10000 || conv[0].Converted != 71 || conv[0].Org != id(w.a) || conv[0].Project != id(w.pa) ||
					conv[1].Amount != 100950 || conv[1].Converted != 100950 || conv[1].Org != id(w.lead) || conv[1].Project != id(w.pa) {
					t.Fatalf("stored %+v", conv)
				}
				// The two identical rows are both there.
				if got := exCount(t, e, "document_ref = 'INV-10'"); got != 2 {
					t.Fatalf("%d copies of the duplicated row", got)
				}

				// Again: nothing new.
				res, err = w.importLedger(w.finance, "ledger-corrected"+format.ext, content, false)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.GetProblems()) > 0 || res.GetImportedCount() != 0 || res.GetSkippedCount() != n {
					t.Fatalf("second import: %d imported, %d skipped, problems %v", res.GetImportedCount(), res.GetSkippedCount(), res.GetProblems())
				}
				if got := exCount(t, e, "1 = 1"); got != n {
					t.Fatalf("%d expenditures after importing twice", got)
				}
				// Each import is recorded, with its audit event.
				var imports []struct {
					FileName string `bun:"file_name"`
					Rows     int    `bun:"row_count"`
					New      int    `bun:"new_count"`
				}
				if err := e.DB.NewRaw("SELECT file_name, row_count, new_count FROM ledger_imports ORDER BY create_time").Scan(context.Background(), &imports); err != nil {
					t.Fatal(err)
				}
				if len(imports) != 2 || imports[0].Rows != n || imports[0].New != n || imports[1].New != 0 {
					t.Fatalf("ledger imports %+v", imports)
				}
				var audited int
				_ = e.DB.NewRaw("SELECT COUNT(*) FROM audit_events WHERE action = 'import' AND grant_id = ?", id(w.g1)).Scan(context.Background(), &audited)
				if audited != 2 {
					t.Fatalf("%d import events", audited)
				}
			})
		})
	}
}

// Rows already imported from another file (or another format) are skipped,
// new ones added.
func TestImportLedgerSkipsRowsImportedBefore(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		rows := w.exLedger(30)
		res, err := w.importLedger(w.finance, "first.csv", exCSV(rows[:21]), false)
		if err != nil || res.GetImportedCount() != 20 {
			t.Fatalf("first: %v %v", res, err)
		}
		// The whole ledger, as a workbook, with cells spaced differently.
		rows[1][6] = "  Payee   0 "
		res, err = w.importLedger(w.finance, "all.xlsx", exXLSX(t, rows), false)
		if err != nil || res.GetImportedCount() != 10 || res.GetSkippedCount() != 20 {
			t.Fatalf("second: %v %v", res, err)
		}
		// A third copy of the duplicated row is new.
		rows = append(rows, slices.Clone(rows[12]))
		res, err = w.importLedger(w.finance, "more.csv", exCSV(rows), false)
		if err != nil || res.GetImportedCount() != 1 || res.GetSkippedCount() != 30 {
			t.Fatalf("third: %v %v", res, err)
		}
		if got := exCount(t, e, "document_ref = 'INV-10'"); got != 3 {
			t.Fatalf("%d copies", got)
		}
	})
}

func TestImportLedgerResolvesCellsAndNamesProblems(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		rows := [][]string{
			{"Expense date", "Line", "Project", "Organisation", "Amount", "Currency code", "Payee", "Description", "Invoice"},
			// 2: display name, lower-case project code, thousands, Excel date serial (2025-03-01).
			{"45717", "1.1", "np-01", "Himalaya Migrant Workers Forum", "1,250.50", "eur", "Hotel", "Workshop", ""},
			// 3: unknown partner and project.
			{"2025-03-02", "1.1", "XX-99", "ACME", "10", "EUR", "", "", ""},
			// 4: a partner other than the line's.
			{"2025-03-03", "2.1", "", "HMWF", "10", "KES", "", "", ""},
			// 5: several problems in one row.
			{"31/04/2025", "2.1", "", "", "10.001", "KES", "", "", strings.Repeat("x", 101)},
			// 6: blank rows are skipped; 7: a date and time.
			{"", "", "", "", "", "", "", "", ""},
			{"2025-03-05 00:00:00", "2.1", "", "", "1 000", "KES", "", "", ""},
		}
		res, err := w.importLedger(w.finance, "ledger.csv", exCSV(rows), false)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"3 Project", "3 Organisation", "4 Organisation", "5 Expense date", "5 Amount", "5 Invoice"}
		if got := problemList(res.GetProblems()); !slices.Equal(got, want) {
			t.Fatalf("problems %v, want %v\n%v", got, want, res.GetProblems())
		}
		if p := res.GetProblems()[0].GetProblem(); !strings.Contains(p, `"XX-99" is not a project`) || !strings.Contains(p, "KE-01, NP-01") {
			t.Errorf("project problem: %s", p)
		}
		if p := res.GetProblems()[1].GetProblem(); !strings.Contains(p, `"ACME"`) || !strings.Contains(p, "GSN, HMWF, UMOJA") {
			t.Errorf("partner problem: %s", p)
		}
		if p := res.GetProblems()[2].GetProblem(); !strings.Contains(p, "allocated to") {
			t.Errorf("allocation problem: %s", p)
		}
		if res.GetRowCount() != 5 || exCount(t, e, "1 = 1") != 0 {
			t.Fatalf("rows %d", res.GetRowCount())
		}
		// Fixed, the rows import as read.
		rows[2] = []string{"2025-03-02", "1.1", "", "GSN", "10", "EUR", "", "", ""}
		rows[3][3] = "umoja"
		rows[4] = []string{"2025-03-04", "2.1", "", "", "10.00", "KES", "", "", "A-1"}
		res, err = w.importLedger(w.finance, "ledger.csv", exCSV(rows), false)
		if err != nil || len(res.GetProblems()) > 0 || res.GetImportedCount() != 5 {
			t.Fatalf("fixed: %v %v", res, err)
		}
		var got []string
		_ = e.DB.NewRaw("SELECT expense_date || ' ' || CAST(amount AS TEXT) || ' ' || currency_code || ' ' || organisation_id || ' ' || COALESCE(project_id, '-') FROM expenditures ORDER BY expense_date").
			Scan(context.Background(), &got)
		wantRows := []string{
			"2025-03-01 125050 EUR " + id(w.b) + " " + id(w.pb),
			"2025-03-02 1000 EUR " + id(w.lead) + " -",
			"2025-03-03 1000 KES " + id(w.a) + " " + id(w.pa),
			"2025-03-04 1000 KES " + id(w.a) + " " + id(w.pa),
			"2025-03-05 100000 KES " + id(w.a) + " " + id(w.pa),
		}
		if !slices.Equal(got, wantRows) {
			t.Fatalf("stored\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
		}
	})
}

func TestImportLedgerFileProblems(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		_, err := w.importLedger(w.finance, "ledger.pdf", []byte("%PDF"), false)
		rpctest.ExpectViolation(t, err, "file_name")
		_, err = w.importLedger(w.finance, "ledger.xlsx", []byte("not a workbook"), false)
		rpctest.ExpectViolation(t, err, "content")
		res, err := w.importLedger(w.finance, "ledger.csv", []byte("Date,Budget line,Currency,Payee\n2025-03-01,2.1,KES,x\n"), false)
		if err != nil {
			t.Fatal(err)
		}
		if got := problemList(res.GetProblems()); !slices.Equal(got, []string{"1 Amount"}) {
			t.Fatalf("problems %v", res.GetProblems())
		}
		res, err = w.importLedger(w.finance, "ledger.csv", exCSV([][]string{ledgerHeader}), false)
		if err != nil || len(res.GetProblems()) != 1 || res.GetProblems()[0].GetRow() != 2 {
			t.Fatalf("header only: %v %v", res, err)
		}
		if countTable(t, e, "ledger_imports") != 0 {
			t.Fatal("a refused file was recorded")
		}
	})
}

func TestImportLedgerValidateOnly(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		rows := w.exLedger(50)
		res, err := w.importLedger(w.finance, "ledger.csv", exCSV(rows), true)
		if err != nil || len(res.GetProblems()) > 0 || res.GetImportedCount() != 50 || res.GetRateMissingCount() != 5 {
			t.Fatalf("validate only: %v %v", res, err)
		}
		if countTable(t, e, "expenditures")+countTable(t, e, "ledger_imports") != 0 {
			t.Fatal("validate_only stored something")
		}
		rows[7][4] = "-3"
		res, err = w.importLedger(w.finance, "ledger.csv", exCSV(rows), true)
		if err != nil || !slices.Equal(problemList(res.GetProblems()), []string{"8 Amount"}) {
			t.Fatalf("validate only, bad: %v %v", res, err)
		}
	})
}

func TestImportLedgerAccess(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		own := [][]string{ledgerHeader,
			{"2025-03-01", "2.1", "", "", "100", "KES", "", "Own line", ""},
			{"2025-03-02", "3.1", "", "UMOJA", "500", "XOF", "", "Own line", ""},
		}
		mixed := append(slices.Clone(own), []string{"2025-03-03", "2.2", "", "", "100", "NPR", "", "Nepal's line", ""},
			[]string{"2025-03-04", "1.1", "", "UMOJA", "100", "EUR", "", "Unallocated line", ""})
		res, err := w.importLedger(w.editorA, "mixed.csv", exCSV(mixed), false)
		if err != nil {
			t.Fatal(err)
		}
		if got := problemList(res.GetProblems()); !slices.Equal(got, []string{"4 Budget line", "5 Budget line"}) {
			t.Fatalf("partner's problems %v", res.GetProblems())
		}
		if !strings.Contains(res.GetProblems()[0].GetProblem(), "allocated to") {
			t.Errorf("problem %s", res.GetProblems()[0].GetProblem())
		}
		res, err = w.importLedger(w.editorA, "own.csv", exCSV(own), false)
		if err != nil || res.GetImportedCount() != 2 {
			t.Fatalf("own rows: %v %v", res, err)
		}
		var by []string
		_ = e.DB.NewRaw("SELECT DISTINCT created_by FROM expenditures").Scan(context.Background(), &by)
		if !slices.Equal(by, []string{"users/" + w.editorA.UserID}) {
			t.Fatalf("created by %v", by)
		}
		for who, c := range map[string]*rpctest.Clients{"viewer": w.viewerA, "auditor": w.auditor} {
			_, err = w.importLedger(c, "own.csv", exCSV(own), true)
			if rpctest.Code(err) != connect.CodePermissionDenied {
				t.Errorf("%s imports: %v", who, err)
			}
		}
		_, err = w.importLedger(w.coordinator2, "own.csv", exCSV(own), false)
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

func TestGetLedgerTemplate(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		ctx := context.Background()
		open := func(c *rpctest.Clients) (*pactumv1.GetLedgerTemplateResponse, *excelize.File) {
			t.Helper()
			res, err := c.Expenditures.GetLedgerTemplate(ctx, connect.NewRequest(&pactumv1.GetLedgerTemplateRequest{Parent: w.g1}))
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(res.Msg.GetContent()))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = f.Close() })
			return res.Msg, f
		}
		msg, f := open(w.finance)
		if msg.GetFileName() != "ledger-template-CSO-LA-2025-001.xlsx" || msg.GetContentType() != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("file %q %q", msg.GetFileName(), msg.GetContentType())
		}
		if got := f.GetSheetList(); !slices.Equal(got, []string{"Ledger", "Budget lines"}) {
			t.Fatalf("sheets %v", got)
		}
		rows, _ := f.GetRows("Ledger")
		marked := []string{"Date *", "Budget line *", "Project code", "Partner", "Amount *", "Currency *", "Payee", "Description", "Document reference"}
		if len(rows) != 1 || !slices.Equal(rows[0], marked) {
			t.Fatalf("ledger sheet %v", rows)
		}
		if wd, _ := f.GetColWidth("Ledger", "H"); wd < 40 {
			t.Fatalf("description column width %v", wd)
		}
		lines := func(f *excelize.File) []string {
			rows, _ := f.GetRows("Budget lines")
			var out []string
			for _, r := range rows[1:] {
				if len(r) >= 5 && r[0] != "" {
					out = append(out, strings.Join(r[:5], "|"))
				}
			}
			return out
		}
		want := []string{
			"1.1|1 Human resources|Salaries, local staff||",
			"2.1|2 Travel|Travel in Kenya|KE-01|UMOJA",
			"2.2|2 Travel|Travel in Nepal|NP-01|HMWF",
			"3.1|3 Equipment and supplies|Equipment, Umoja||UMOJA",
		}
		if got := lines(f); !slices.Equal(got, want) {
			t.Fatalf("lines\n%v\nwant\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		cols, _ := f.GetCols("Budget lines")
		if currencies := slices.DeleteFunc(slices.Clone(cols[6]), func(s string) bool { return s == "" }); !slices.Equal(currencies, []string{"Currency", "EUR", "KES", "XOF"}) {
			t.Fatalf("currencies %v", currencies)
		}
		// A partner's template lists their organisation's lines only.
		_, fa := open(w.editorA)
		if got := lines(fa); !slices.Equal(got, []string{want[1], want[3]}) {
			t.Fatalf("partner's lines %v", got)
		}
		_, err := w.coordinator2.Expenditures.GetLedgerTemplate(ctx, connect.NewRequest(&pactumv1.GetLedgerTemplateRequest{Parent: w.g1}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)

		// Filled in as a spreadsheet user does (a real date, a line code
		// typed into the text column), it imports.
		if err := f.SetCellValue("Ledger", "A2", time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		_ = f.SetSheetRow("Ledger", "B2", &[]any{"2.1", "", "", 1405.5, "KES", "Kenya Airways", "Flight", "INV-1"})
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.importLedger(w.finance, msg.GetFileName(), buf.Bytes(), false)
		if err != nil || len(res.GetProblems()) > 0 || res.GetImportedCount() != 1 {
			t.Fatalf("template import: %v %v", res, err)
		}
		if exCount(t, e, "expense_date = '2025-03-31' AND amount = 140550") != 1 {
			t.Fatal("the template's row was not read as written")
		}
	})
}

// BenchmarkImportLedger100k imports a 100,000-row ledger (XLSX and CSV,
// through the RPC) into a grant, on SQLite and, when
// PACTUM_TEST_POSTGRES_DSN is set, PostgreSQL.
func BenchmarkImportLedger100k(b *testing.B) {
	const n = 100_000
	for _, database := range []string{"sqlite", "postgres"} {
		for _, format := range exFormats {
			b.Run(database+"/"+strings.TrimPrefix(format.ext, "."), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					d := dbtest.SQLite(b)
					if database == "postgres" {
						d = dbtest.Postgres(b)
					}
					e := rpctest.Start(b, d)
					w := newExWorld(b, e)
					content := format.encode(b, w.exLedger(n))
					b.ReportMetric(float64(len(content))/(1<<20), "MB")
					b.StartTimer()
					res, err := w.importLedger(w.finance, "ledger"+format.ext, content, false)
					if err != nil || len(res.GetProblems()) > 0 || res.GetImportedCount() != n {
						b.Fatalf("import: %v %v", res, err)
					}
				}
			})
		}
	}
}
