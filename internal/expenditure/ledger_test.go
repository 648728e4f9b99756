package expenditure

import (
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/resource"
)

func TestImportKeyIsTheRowsIdentity(t *testing.T) {
	t.Parallel()
	row := func() *Expenditure {
		return &Expenditure{ExpenseDate: calendar.MustParse("2025-03-01"), LineKey: "k1", ProjectID: "p", OrganisationID: "o",
			Amount: 140500, CurrencyCode: "KES", Payee: "Kenya Airways", Description: "Flight NBO-MBA", DocumentRef: "INV-1"}
	}
	seen := map[string]int{}
	first := importKey(row(), seen)
	if !strings.HasSuffix(first, "#1") || len(first) != 64+2 {
		t.Fatalf("key %q", first)
	}
	// The same row again in the same file is the second of its kind.
	second := importKey(row(), seen)
	if second != strings.TrimSuffix(first, "#1")+"#2" {
		t.Fatalf("second identical row: %q", second)
	}
	// In another file (a fresh count), spacing aside, it is the same row.
	spaced := row()
	spaced.Payee, spaced.Description = "Kenya   Airways", " Flight NBO-MBA "
	if got := importKey(spaced, map[string]int{}); got != first {
		t.Fatalf("re-spaced row: %q, want %q", got, first)
	}
	// Any other field makes another row.
	for name, change := range map[string]func(e *Expenditure){
		"date":     func(e *Expenditure) { e.ExpenseDate = calendar.MustParse("2025-03-02") },
		"line":     func(e *Expenditure) { e.LineKey = "k2" },
		"project":  func(e *Expenditure) { e.ProjectID = "" },
		"partner":  func(e *Expenditure) { e.OrganisationID = "o2" },
		"amount":   func(e *Expenditure) { e.Amount++ },
		"currency": func(e *Expenditure) { e.CurrencyCode = "TZS" },
		"payee":    func(e *Expenditure) { e.Payee = "KQ" },
		"text":     func(e *Expenditure) { e.Description = "Flight" },
		"document": func(e *Expenditure) { e.DocumentRef = "INV-2" },
		// Field boundaries count: "ab"+"c" is not "a"+"bc".
		"boundary": func(e *Expenditure) { e.Payee, e.Description = "Kenya AirwaysF", "light NBO-MBA" },
	} {
		e := row()
		change(e)
		if got := importKey(e, map[string]int{}); got == first {
			t.Errorf("changing the %s keeps the key", name)
		}
	}
}

func TestLedgerCells(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"1250.50":       "1250.50",
		"1,250.50":      "1250.50",
		"1,250,000":     "1250000",
		"1 250 000,00":  "1250000,00", // a decimal comma stays, to be refused as not a decimal
		"1\u00a0250.00": "1250.00",
		"12,50":         "12,50",
		"1,25,000":      "1,25,000",
		"-1,000.00":     "-1000.00",
		"1'250.00":      "1250.00",
	} {
		if got := ledgerAmount(in); got != want {
			t.Errorf("ledgerAmount(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTemplateFileName(t *testing.T) {
	t.Parallel()
	for ref, want := range map[string]string{
		"CSO-LA/2026/001":          "ledger-template-CSO-LA-2026-001.xlsx",
		"FED/2024/123-456 (Kenya)": "ledger-template-FED-2024-123-456-Kenya.xlsx",
		"Ünïcode ref":              "ledger-template-n-code-ref.xlsx",
		"///":                      "ledger-template.xlsx",
	} {
		if got := TemplateFileName(ref); got != want {
			t.Errorf("TemplateFileName(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestCapProblems(t *testing.T) {
	t.Parallel()
	var ps []Problem
	for i := range maxProblems + 25 {
		ps = append(ps, Problem{Row: i + 2, Column: "Amount", Problem: "bad"})
	}
	got := capProblems(ps, 0, 0)
	if len(got) != maxProblems+1 || !strings.Contains(got[maxProblems].Problem, "25 more problems") || got[maxProblems].Row != maxProblems+2 {
		t.Fatalf("%d problems, last %+v", len(got), got[len(got)-1])
	}
	if got := capProblems(ps[:3], 0, 0); len(got) != 3 {
		t.Fatalf("%d problems", len(got))
	}
	// Problems dropped while collecting are counted from their first row.
	got = capProblems(ps[:maxProblems+2], 40, maxProblems+9)
	if len(got) != maxProblems+1 || !strings.Contains(got[maxProblems].Problem, "42 more problems") || got[maxProblems].Row != maxProblems+2 {
		t.Fatalf("%d problems, last %+v", len(got), got[len(got)-1])
	}
	got = capProblems(ps[:maxProblems], 7, maxProblems+30)
	if len(got) != maxProblems+1 || !strings.Contains(got[maxProblems].Problem, "7 more problems") || got[maxProblems].Row != maxProblems+30 {
		t.Fatalf("%d problems, last %+v", len(got), got[len(got)-1])
	}
}

func TestOverlayFollowsTheNewLine(t *testing.T) {
	t.Parallel()
	base := Input{ExpenseDate: "2025-03-01", LineKey: "k1", ProjectID: "p1", OrganisationID: "o1", Amount: "1250.00", CurrencyCode: "EUR", Payee: "x"}
	// A new line: project and partner follow it, keeping the old ones where
	// it has no allocation.
	out, keep := overlay(base, Input{LineKey: "k2"}, resource.Mask{"budget_line_key"})
	if out.LineKey != "k2" || out.ProjectID != "" || out.OrganisationID != "" || keep.ProjectID != "p1" || keep.OrganisationID != "o1" {
		t.Fatalf("new line: %+v keep %+v", out, keep)
	}
	// Named ones are taken as given.
	out, keep = overlay(base, Input{LineKey: "k2", OrganisationID: "o2"}, resource.Mask{"budget_line_key", "organisation"})
	if out.OrganisationID != "o2" || keep.OrganisationID != "" || keep.ProjectID != "p1" {
		t.Fatalf("new line and partner: %+v keep %+v", out, keep)
	}
	// A new currency keeps the amount's value: EUR 1250.00 is XOF 1250.
	out, _ = overlay(base, Input{CurrencyCode: "XOF"}, resource.Mask{"currency_code"})
	if out.Amount != "1250" || out.CurrencyCode != "XOF" || out.Payee != "x" || out.LineKey != "k1" {
		t.Fatalf("new currency: %+v", out)
	}
	out, _ = overlay(base, Input{Payee: "y", Amount: "3"}, resource.Mask{"payee"})
	if out.Payee != "y" || out.Amount != "1250.00" {
		t.Fatalf("payee only: %+v", out)
	}
}
