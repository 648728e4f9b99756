package organisation_test

import (
	"sync"
	"testing"

	"github.com/pactum-dev/pactum/internal/organisation"
)

func TestSearchKeyFoldsCaseAndAccents(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Coopérative":   "cooperative",
		"COOPERATIVE":   "cooperative",
		"São Tomé Ação": "sao tome acao",
		"Ñandú":         "nandu",
	} {
		if got := organisation.SearchKey(in); got != want {
			t.Errorf("SearchKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// Requests search organisations concurrently: SearchKey must be safe for
// that (run with -race; a shared transform.Chain panicked or garbled keys).
func TestSearchKeyConcurrent(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in, want := "Fédération Générale du Travail", "federation generale du travail"
			if i%2 == 1 {
				in, want = "Associação dos Trabalhadores", "associacao dos trabalhadores"
			}
			for range 500 {
				if got := organisation.SearchKey(in); got != want {
					t.Errorf("SearchKey(%q) = %q, want %q", in, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
