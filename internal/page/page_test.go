package page

import (
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/pactum-dev/pactum/internal/errs"
)

// violation returns the description err gives field, or "" when it names
// no such field.
func violation(err error, field string) string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return ""
	}
	for _, v := range e.Violations {
		if v.Field == field {
			return v.Description
		}
	}
	return ""
}

func TestOpenBoundsThePageSize(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		size  int32
		limit int
	}{
		{0, DefaultSize},
		{1, 1},
		{DefaultSize + 1, DefaultSize + 1},
		{MaxSize, MaxSize},
		{MaxSize + 1, MaxSize},
		{1 << 30, MaxSize},
	} {
		cur, err := Open(Request{Size: c.size})
		if err != nil || cur.Limit != c.limit || cur.After != nil {
			t.Errorf("page_size %d: limit %d, after %v, err %v; want limit %d, first page", c.size, cur.Limit, cur.After, err, c.limit)
		}
	}
}

func TestOpenRefusesANegativePageSize(t *testing.T) {
	t.Parallel()
	for _, size := range []int32{-1, -50, -1 << 31} {
		_, err := Open(Request{Size: size})
		if errs.KindOf(err) != errs.KindInvalid {
			t.Fatalf("page_size %d: %v, want invalid", size, err)
		}
		if d := violation(err, "page_size"); !strings.Contains(d, "must not be negative") {
			t.Errorf("page_size %d: violation %q", size, d)
		}
	}
}

func TestTokenRoundTrip(t *testing.T) {
	t.Parallel()
	first, err := Open(Request{Size: 2}, "grants/1", "active")
	if err != nil {
		t.Fatal(err)
	}
	if tok := first.Next(false, "2025-01-01", "id-9"); tok != "" {
		t.Fatalf("last page: next token %q, want none", tok)
	}
	// Keys with characters that matter in SQL, JSON and URLs survive.
	keys := []string{`2025-01-01 "quoted" / ? & =`, "0192-é-id"}
	tok := first.Next(true, keys...)
	if tok == "" || strings.ContainsAny(tok, "+/=") {
		t.Fatalf("token %q is empty or not URL-safe", tok)
	}
	next, err := Open(Request{Size: 2, Token: tok}, "grants/1", "active")
	if err != nil {
		t.Fatal(err)
	}
	if next.Limit != 2 || len(next.After) != 2 || next.After[0] != keys[0] || next.After[1] != keys[1] {
		t.Errorf("decoded cursor %+v, want limit 2 after %q", next, keys)
	}
	// The size may change between pages; the filters may not.
	if c, err := Open(Request{Size: 10, Token: tok}, "grants/1", "active"); err != nil || c.Limit != 10 {
		t.Errorf("another page size: %+v, %v", c, err)
	}
}

func TestOpenRefusesATokenOfOtherFilters(t *testing.T) {
	t.Parallel()
	tok := Cursor{filter: hashFilter([]string{"grants/1", "active"})}.Next(true, "k")
	for _, filter := range [][]string{
		{"grants/2", "active"},
		{"grants/1"},
		{"grants/1", "active", ""},
		{"grants/1active"}, // the parts are separated, not concatenated
		nil,
	} {
		_, err := Open(Request{Token: tok}, filter...)
		if d := violation(err, "page_token"); !strings.Contains(d, "other filters") {
			t.Errorf("filters %q: %v, want a page_token violation about other filters", filter, err)
		}
	}
}

func TestOpenRefusesMalformedTokens(t *testing.T) {
	t.Parallel()
	enc := base64.RawURLEncoding.EncodeToString
	good := []byte(`{"k":["a"],"f":"` + hashFilter(nil) + `"}`) // 34 bytes: standard base64 pads it with "=="
	if _, err := Open(Request{Token: enc(good)}); err != nil {
		t.Fatalf("the well-formed token: %v", err)
	}
	for name, tok := range map[string]string{
		"not base64":       "%%%",
		"padded base64":    base64.URLEncoding.EncodeToString(good),
		"standard base64":  strings.ReplaceAll(enc(good), "_", "/") + "/+",
		"not JSON":         enc([]byte("grants/1")),
		"no keys":          enc([]byte(`{"k":[],"f":"` + hashFilter(nil) + `"}`)),
		"keys not strings": enc([]byte(`{"k":[1],"f":"` + hashFilter(nil) + `"}`)),
	} {
		_, err := Open(Request{Token: tok})
		if d := violation(err, "page_token"); !strings.Contains(d, "is not a page token") {
			t.Errorf("%s: %v, want a page_token violation", name, err)
		}
	}
}

func TestOpenReportsBothViolations(t *testing.T) {
	t.Parallel()
	_, err := Open(Request{Size: -1, Token: "%%%"})
	if violation(err, "page_size") == "" || violation(err, "page_token") == "" {
		t.Errorf("%v: want violations for page_size and page_token", err)
	}
}

func sqlOf(t *testing.T, q *bun.SelectQuery) string {
	t.Helper()
	return q.String()
}

func TestApplyKeysetCondition(t *testing.T) {
	t.Parallel()
	db := bun.NewDB(&sql.DB{}, sqlitedialect.New())
	q := func() *bun.SelectQuery { return db.NewSelect().Column("id").Table("grants") }

	first := Cursor{Limit: 3}
	if got, want := sqlOf(t, first.Apply(q(), "g.code", "g.id")),
		`SELECT "id" FROM "grants" ORDER BY g.code ASC, g.id ASC LIMIT 4`; got != want {
		t.Errorf("first page:\n got %s\nwant %s", got, want)
	}
	after := Cursor{Limit: 3, After: []string{"A'1", "x"}}
	if got, want := sqlOf(t, after.Apply(q(), "g.code", "g.id")),
		`SELECT "id" FROM "grants" WHERE (((g.code > 'A''1')) OR ((g.code = 'A''1' AND g.id > 'x'))) ORDER BY g.code ASC, g.id ASC LIMIT 4`; got != want {
		t.Errorf("next page:\n got %s\nwant %s", got, want)
	}
	if got, want := sqlOf(t, after.ApplyDesc(q(), "g.code", "g.id")),
		`SELECT "id" FROM "grants" WHERE (((g.code < 'A''1')) OR ((g.code = 'A''1' AND g.id < 'x'))) ORDER BY g.code DESC, g.id DESC LIMIT 4`; got != want {
		t.Errorf("next page, descending:\n got %s\nwant %s", got, want)
	}
	// A token with another number of keys than the columns is ignored
	// rather than misread: the first page again.
	odd := Cursor{Limit: 3, After: []string{"x"}}
	if got := sqlOf(t, odd.Apply(q(), "g.code", "g.id")); strings.Contains(got, "WHERE") {
		t.Errorf("keys for other columns applied: %s", got)
	}
}
