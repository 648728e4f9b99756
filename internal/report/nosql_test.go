package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReportHoldsNoSQL keeps the money figures in one place: package
// finance computes the statement; report only renders it, so none of its
// files builds a query of its own.
func TestReportHoldsNoSQL(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	query := regexp.MustCompile(`\.(NewSelect|NewRaw|NewInsert|NewUpdate|NewDelete|QueryContext|ExecContext|QueryRowContext)\(`)
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for i, line := range strings.Split(string(b), "\n") {
			if query.MatchString(line) {
				t.Errorf("%s:%d builds a query of its own: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked %d files; expected the package's sources", checked)
	}
}
