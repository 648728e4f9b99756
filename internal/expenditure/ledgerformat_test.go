package expenditure

import (
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/sheet"
)

func TestLedgerDates(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"2025-03-31", DayFirst, "2025-03-31"},
		{" 2025-03-31 ", DayFirst, "2025-03-31"},
		{"2025-03-31 00:00:00", DayFirst, "2025-03-31"},
		{"2025-03-31T12:00:00", DayFirst, "2025-03-31"},
		{"2025/03/31", DayFirst, "2025-03-31"},
		{"45658", DayFirst, "2025-01-01"}, // Excel's serial number of 1 January 2025
		{"45747", MonthFirst, "2025-03-31"},
		{"28/11/2026", DayFirst, "2026-11-28"},
		{"28.11.2026", DayFirst, "2026-11-28"},
		{"28-11-2026", DayFirst, "2026-11-28"},
		{"1/3/2026", DayFirst, "2026-03-01"},
		{"1/3/2026", MonthFirst, "2026-01-03"},
		{"03/04/2026", DayFirst, "2026-04-03"},
		{"03/04/2026", MonthFirst, "2026-03-04"},
		{"11/28/2026", MonthFirst, "2026-11-28"},
		{"28/11/26", DayFirst, "2026-11-28"},
		{"28/11/2026 14:05", DayFirst, "2026-11-28"},
		{"28 Nov 2026", DayFirst, "2026-11-28"},
		{"28-Nov-26", DayFirst, "2026-11-28"},
		{"1er mars 2026", DayFirst, "2026-03-01"},
		{"3 de abril de 2026", DayFirst, "2026-04-03"},
		{"5 février 2026", DayFirst, "2026-02-05"},
		{"12 dezembro 2026", DayFirst, "2026-12-12"},
	} {
		d, why, ok := parseLedgerDate(c.in, c.order)
		if !ok || d.String() != c.want {
			t.Errorf("parseLedgerDate(%q, %d) = %s %q %v, want %s", c.in, c.order, d, why, ok, c.want)
		}
	}
	for _, c := range []struct {
		in    string
		order DateOrder
		why   string
	}{
		{"11/28/2026", DayFirst, "there is no month 28"},
		{"28/11/2026", MonthFirst, "there is no month 28"},
		{"31/04/2026", DayFirst, "April 2026 has no day 31"},
		{"29/02/2026", DayFirst, "February 2026 has no day 29"},
		{"03/13/2026", DayFirst, `choose "month first"`},
		{"12", DayFirst, ""},
		{"yesterday", DayFirst, ""},
		{"28 Foo 2026", DayFirst, ""},
		{"2026-11", DayFirst, ""},
		{"1/2/3", DayFirst, ""},
	} {
		_, why, ok := parseLedgerDate(c.in, c.order)
		if ok || !strings.Contains(why, c.why) {
			t.Errorf("parseLedgerDate(%q) = %q %v, want a refusal saying %q", c.in, why, ok, c.why)
		}
	}
}

func TestLedgerCurrencies(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, country, want string }{
		{"KES", "", "KES"},
		{"kes", "", "KES"},
		{"KSH", "KE", "KES"},
		{"Ksh", "", "KES"},
		{"KShs.", "", "KES"},
		{"Kshs", "", "KES"},
		{"US$", "", "USD"},
		{"USD", "", "USD"},
		{"€", "", "EUR"},
		{"Euro", "", "EUR"},
		{"FCFA", "SN", "XOF"},
		{"F CFA", "BF", "XOF"},
		{"CFA", "CM", "XAF"},
		{"Rs", "NP", "NPR"},
		{"Rs.", "IN", "INR"},
		{"NRs", "", "NPR"},
		{"R$", "", "BRL"},
		{"Bs", "BO", "BOB"},
		{"som", "KG", "KGS"},
		{"Dollars", "", "Dollars"}, // unknown: left for the currency check to refuse
	} {
		got, problem := ledgerCurrency(c.in, c.country)
		if got != c.want || problem != "" {
			t.Errorf("ledgerCurrency(%q, %q) = %q %q, want %q", c.in, c.country, got, problem, c.want)
		}
	}
	for _, c := range []struct{ in, country, says string }{
		{"FCFA", "", "XAF, XOF"},
		{"FCFA", "KE", "XAF, XOF"},
		{"Rs", "", "INR"},
	} {
		got, problem := ledgerCurrency(c.in, c.country)
		if got != "" || !strings.Contains(problem, c.says) {
			t.Errorf("ledgerCurrency(%q, %q) = %q %q, want a problem naming %s", c.in, c.country, got, problem, c.says)
		}
	}
}

func TestLedgerHeadersInFourLanguages(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, col := range ledgerColumns {
		for _, n := range col.names {
			k := strings.ToLower(n)
			if other, dup := seen[k]; dup && other != col.key {
				t.Errorf("%q names both %s and %s", n, other, col.key)
			}
			seen[k] = col.key
		}
	}
	lay := map[string][]string{}
	for _, col := range ledgerColumns {
		lay[col.key] = col.names
	}
	for lang, header := range map[string][]string{
		"fr": {"Date de la dépense", "Ligne budgétaire", "Projet", "Partenaire", "Montant", "Devise", "Bénéficiaire", "Libellé", "N° pièce"},
		"es": {"Fecha", "Partida presupuestaria", "Proyecto", "Socio", "Importe", "Moneda", "Proveedor", "Concepto", "Comprobante"},
		"pt": {"Data", "Linha orçamentária", "Projeto", "Parceiro", "Valor", "Moeda", "Fornecedor", "Descrição", "Recibo"},
		"en": {"DATE", "Budget Line", "Project", "Organization", "Amount Paid", "CCY", "Paid To", "Particulars", "Voucher No."},
	} {
		index, missing := sheetHeader(header, lay)
		if len(missing) > 0 || len(index) != len(ledgerColumns) {
			t.Errorf("%s: %v missing from %v", lang, missing, header)
		}
	}
}

var sheetHeader = sheet.Header
