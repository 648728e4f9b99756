package rpc_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/xuri/excelize/v2"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func (w *exWorld) importMapped(c *rpctest.Clients, name string, content []byte, order pactumv1.LedgerDateOrder, mapping map[string]string) (*pactumv1.ImportLedgerResponse, error) {
	res, err := c.Expenditures.ImportLedger(context.Background(), connect.NewRequest(&pactumv1.ImportLedgerRequest{
		Parent: w.g1, FileName: name, Content: content, DateOrder: order, ColumnMapping: mapping}))
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

func storedRows(t *testing.T, e *rpctest.Env) []string {
	t.Helper()
	var got []string
	if err := e.DB.NewRaw("SELECT expense_date || ' ' || CAST(amount AS TEXT) || ' ' || currency_code || ' ' || COALESCE(CAST(converted_amount AS TEXT), '-') FROM expenditures ORDER BY expense_date, amount").
		Scan(context.Background(), &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// The must-show: a Kenyan export with dd/mm/yyyy dates and KSH amounts
// imports correctly, as CSV and as XLSX (whose dates may also be date cells).
func TestImportLedgerKenyanExport(t *testing.T) {
	t.Parallel()
	for _, format := range exFormats {
		t.Run(strings.TrimPrefix(format.ext, "."), func(t *testing.T) {
			rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
				w := newExWorld(t, e)
				rows := [][]string{ledgerHeader,
					{"28/11/2025", "2.1", "", "", "14,050.00", "KSH", "Kenya Airways", "Flight NBO-KSM", "V-1"},
					{"03/02/2025", "2.1", "", "", "1 405", "Ksh", "Taxi", "Airport", "V-2"},
					{"1.3.2025", "2.1", "", "", "281", "KShs.", "Matatu", "Fares", "V-3"},
					{"2025-01-01", "2.1", "", "", "100", "kes", "Hotel", "Tea", "V-4"},
				}
				res, err := w.importMapped(w.finance, "kenya"+format.ext, format.encode(t, rows), pactumv1.LedgerDateOrder_LEDGER_DATE_ORDER_UNSPECIFIED, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.GetProblems()) > 0 || res.GetImportedCount() != 4 {
					t.Fatalf("imported %d, problems %v", res.GetImportedCount(), res.GetProblems())
				}
				// KES per EUR: 140.5 (see exWorld's rates).
				want := []string{"2025-01-01 10000 KES 71", "2025-02-03 140500 KES 1000", "2025-03-01 28100 KES 200", "2025-11-28 1405000 KES 10000"}
				if got := storedRows(t, e); !slices.Equal(got, want) {
					t.Fatalf("stored %v, want %v", got, want)
				}
			})
		})
	}
}

// The same dates read month first when the request says so; a file whose
// dates cannot be read so names the row, the column and the formats.
func TestImportLedgerDateOrderAndBadDates(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		rows := [][]string{ledgerHeader,
			{"03/02/2025", "2.1", "", "", "100", "KES", "", "", "A"},
			{"12/31/2025", "2.1", "", "", "100", "KES", "", "", "B"},
		}
		res, err := w.importMapped(w.finance, "us.csv", exCSV(rows), pactumv1.LedgerDateOrder_LEDGER_DATE_ORDER_DAY_FIRST, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := problemList(res.GetProblems()); !slices.Equal(got, []string{"3 Date"}) {
			t.Fatalf("problems %v", res.GetProblems())
		}
		p := res.GetProblems()[0].GetProblem()
		for _, says := range []string{`"12/31/2025" is not a date`, "there is no month 31", "dd/mm/yyyy (28/11/2026)", "yyyy-mm-dd"} {
			if !strings.Contains(p, says) {
				t.Errorf("problem %q does not say %q", p, says)
			}
		}
		if exCount(t, e, "1 = 1") != 0 {
			t.Fatal("a refused file stored rows")
		}
		res, err = w.importMapped(w.finance, "us.csv", exCSV(rows), pactumv1.LedgerDateOrder_LEDGER_DATE_ORDER_MONTH_FIRST, nil)
		if err != nil || len(res.GetProblems()) > 0 {
			t.Fatalf("month first: %v %v", res, err)
		}
		var dates []string
		_ = e.DB.NewRaw("SELECT expense_date FROM expenditures ORDER BY document_ref").Scan(context.Background(), &dates)
		if !slices.Equal(dates, []string{"2025-03-02", "2025-12-31"}) {
			t.Fatalf("dates %v", dates)
		}
		// Text that is no date, and a day the month has not.
		rows = [][]string{ledgerHeader,
			{"yesterday", "2.1", "", "", "100", "KES", "", "", "C"},
			{"31/04/2025", "2.1", "", "", "100", "KES", "", "", "D"},
			// FCFA for a Kenyan partner: which CFA franc cannot be told.
			{"2025-03-01", "3.1", "", "UMOJA", "100", "FCFA", "", "", "E"},
		}
		res, err = w.importMapped(w.finance, "bad.csv", exCSV(rows), 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := problemList(res.GetProblems()); !slices.Equal(got, []string{"2 Date", "3 Date", "4 Currency"}) {
			t.Fatalf("problems %v", res.GetProblems())
		}
		if p := res.GetProblems()[2].GetProblem(); !strings.Contains(p, `"FCFA" is written for several currencies (XAF, XOF)`) {
			t.Errorf("problem %q", p)
		}
		if p := res.GetProblems()[1].GetProblem(); !strings.Contains(p, "April 2025 has no day 31") {
			t.Errorf("problem %q", p)
		}
	})
}

// A ledger kept in French maps by its headers, whatever their accents and
// case; FCFA reads as the CFA franc of the partner's country.
func TestImportLedgerFrenchHeaders(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		rows := [][]string{
			{"Libellé", "DATE DE LA DÉPENSE", "Ligne budgétaire", "Code projet", "Partenaire", "Montant", "Devise", "Bénéficiaire", "N° pièce"},
			{"Ordinateur", "15/06/2025", "3.1", "", "UMOJA", "655957", "XOF", "Librairie", "F-1"},
			{"Billet", "16.06.2025", "2.1", "", "", "281", "Ksh", "Kenya Airways", "F-2"},
		}
		res, err := w.importMapped(w.finance, "grand-livre.csv", exCSV(rows), 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.GetProblems()) > 0 || res.GetImportedCount() != 2 || len(res.GetUnmatchedColumns()) > 0 {
			t.Fatalf("imported %d, problems %v, unmatched %v", res.GetImportedCount(), res.GetProblems(), res.GetUnmatchedColumns())
		}
		var got []string
		_ = e.DB.NewRaw("SELECT expense_date || ' ' || currency_code || ' ' || description || ' ' || payee || ' ' || document_ref FROM expenditures ORDER BY document_ref").Scan(context.Background(), &got)
		want := []string{"2025-06-15 XOF Ordinateur Librairie F-1", "2025-06-16 KES Billet Kenya Airways F-2"}
		if !slices.Equal(got, want) {
			t.Fatalf("stored %v, want %v", got, want)
		}
	})
}

// Headers not recognised: the answer lists the file's headers and the
// required columns to map, storing nothing; with the mapping chosen, the
// file imports. A mapping naming no header of the file, or no column, is
// refused naming column_mapping.
func TestImportLedgerColumnMapping(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		rows := [][]string{
			{"Txn Dt", "Budget line", "Debit", "Curr.", "Narration"},
			{"02/01/2025", "2.1", "1,405.00", "KSH", "Fuel"},
		}
		for _, format := range exFormats {
			res, err := w.importMapped(w.finance, "bank"+format.ext, format.encode(t, rows), 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.GetHeaders(), rows[0]) {
				t.Fatalf("%s: headers %v", format.ext, res.GetHeaders())
			}
			var keys []string
			for _, c := range res.GetUnmatchedColumns() {
				keys = append(keys, c.GetKey())
				if !c.GetRequired() || c.GetTitle() == "" {
					t.Errorf("column %v", c)
				}
			}
			if !slices.Equal(keys, []string{"date", "amount"}) {
				t.Fatalf("%s: unmatched %v (the currency is recognised as Curr.)", format.ext, keys)
			}
			if got := problemList(res.GetProblems()); !slices.Equal(got, []string{"1 Date", "1 Amount"}) {
				t.Fatalf("%s: problems %v", format.ext, got)
			}
			if exCount(t, e, "1 = 1") != 0 {
				t.Fatal("stored rows")
			}
		}
		mapping := map[string]string{"date": "txn dt", "amount": "Debit"}
		res, err := w.importMapped(w.finance, "bank.xlsx", exXLSX(t, rows), 0, mapping)
		if err != nil || len(res.GetProblems()) > 0 || res.GetImportedCount() != 1 {
			t.Fatalf("mapped: %v %v", res, err)
		}
		if got := storedRows(t, e); !slices.Equal(got, []string{"2025-01-02 140500 KES 1000"}) {
			t.Fatalf("stored %v", got)
		}
		tooMany := map[string]string{}
		for i := range 10 {
			tooMany[fmt.Sprintf("c%d", i)] = "Txn Dt"
		}
		for _, bad := range []map[string]string{{"date": "Posted"}, {"when": "Txn Dt"}, {"date": strings.Repeat("x", 300)}, {"date": " "}, tooMany} {
			_, err := w.importMapped(w.finance, "bank.csv", exCSV(rows), 0, bad)
			if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), "column_mapping") {
				t.Errorf("mapping %v: %v", bad, err)
			}
		}
	})
}

// The template marks the required columns (their own header style and a
// note) and offers lists of the budget lines and currencies.
func TestLedgerTemplateMarksRequiredColumnsAndOffersLists(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		w := newExWorld(t, e)
		res, err := w.finance.Expenditures.GetLedgerTemplate(context.Background(), connect.NewRequest(&pactumv1.GetLedgerTemplateRequest{Parent: w.g1}))
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(strings.NewReader(string(res.Msg.GetContent())))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		header, _ := f.GetRows("Ledger")
		if len(header) == 0 || header[0][0] != "Date *" || header[0][2] != "Project code" || header[0][4] != "Amount *" {
			t.Fatalf("header %v", header)
		}
		reqStyle, _ := f.GetCellStyle("Ledger", "A1")
		optStyle, _ := f.GetCellStyle("Ledger", "C1")
		if reqStyle == optStyle {
			t.Error("required and optional headers look alike")
		}
		comments, _ := f.GetComments("Ledger")
		var noted []string
		for _, c := range comments {
			noted = append(noted, c.Cell)
		}
		slices.Sort(noted)
		if !slices.Equal(noted, []string{"A1", "B1", "E1", "F1"}) {
			t.Errorf("notes on %v", noted)
		}
		dvs, err := f.GetDataValidations("Ledger")
		if err != nil {
			t.Fatal(err)
		}
		lists := map[string]string{}
		for _, dv := range dvs {
			lists[dv.Sqref] = dv.Formula1
		}
		if !strings.Contains(lists["B2:B10000"], "Budget lines") || !strings.Contains(lists["F2:F10000"], "Budget lines") {
			t.Errorf("lists %v", lists)
		}
		// A filled-in template imports (its headers carry the marks).
		rows := [][]string{header[0], {"28/11/2025", "2.1", "", "", "100", "KSH", "", "", ""}}
		imp, err := w.importMapped(w.finance, "t.csv", exCSV(rows), 0, nil)
		if err != nil || len(imp.GetProblems()) > 0 || imp.GetImportedCount() != 1 {
			t.Fatalf("template import: %v %v", imp, err)
		}
	})
}
