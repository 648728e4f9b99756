package procurement

import "testing"

// Only contracts of EUR grants strictly above EUR 60,000 go into the final
// report; other currencies are never converted, so never marked.
func TestInFinalReport(t *testing.T) {
	for _, c := range []struct {
		currency string
		amount   int64
		want     bool
	}{
		{"EUR", 60_000_00, false},
		{"EUR", 60_000_01, true},
		{"eur", 75_000_00, true},
		{"EUR", 0, false},
		{"USD", 1_000_000_00, false},
	} {
		k := &Contract{Currency: c.currency, Amount: c.amount}
		if got := k.InFinalReport(); got != c.want {
			t.Errorf("%s %d: InFinalReport %v, want %v", c.currency, c.amount, got, c.want)
		}
	}
}

func TestParseName(t *testing.T) {
	g, id, err := ParseName("grants/g1/procurementContracts/c1", "name")
	if err != nil || g != "g1" || id != "c1" {
		t.Fatalf("ParseName = %q, %q, %v", g, id, err)
	}
	for _, bad := range []string{"", "grants/g1", "grants/g1/fundingSources/c1", "grants//procurementContracts/c1", "grants/g1/procurementContracts/c1/x"} {
		if _, _, err := ParseName(bad, "name"); err == nil {
			t.Errorf("ParseName(%q) accepted", bad)
		}
	}
	if (&Contract{GrantID: "g1", ID: "c1"}).Name() != "grants/g1/procurementContracts/c1" {
		t.Error("Name")
	}
}
