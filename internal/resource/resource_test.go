package resource

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/pactum-dev/pactum/internal/errs"
)

func TestNewIDIsAUUIDv7InCreationOrder(t *testing.T) {
	t.Parallel()
	ids := make([]string, 200)
	for i := range ids {
		ids[i] = NewID()
		u, err := uuid.Parse(ids[i])
		if err != nil || u.Version() != 7 {
			t.Fatalf("%q: version %v, %v; want a UUIDv7", ids[i], u.Version(), err)
		}
	}
	if !slices.IsSorted(ids) {
		t.Error("ids made one after another do not sort in creation order")
	}
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Error("the same id twice")
	}
}

func TestParseName(t *testing.T) {
	t.Parallel()
	if got := Name("grants", "0192"); got != "grants/0192" {
		t.Fatalf("Name: %q", got)
	}
	if id, err := ParseName("grants", "grants/0192", "name"); err != nil || id != "0192" {
		t.Errorf("grants/0192: %q, %v", id, err)
	}
	for _, name := range []string{"", "grants", "grants/", "projects/0192", "grants/0192/x", "grantsx/0192", "/0192", "0192"} {
		_, err := ParseName("grants", name, "parent")
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.KindInvalid || len(e.Violations) != 1 || e.Violations[0].Field != "parent" {
			t.Errorf("%q: %v; want invalid naming the field parent", name, err)
		}
	}
}

func TestETags(t *testing.T) {
	t.Parallel()
	if ETag(1) == ETag(2) || ETag(35) != `"z"` || ETag(36) != `"10"` {
		t.Errorf("etags: %s %s %s %s", ETag(1), ETag(2), ETag(35), ETag(36))
	}
	for _, c := range []struct {
		given   string
		version int64
		check   errs.Kind // CheckETag
		require errs.Kind // RequireETag
	}{
		{ETag(3), 3, "", ""},
		{ETag(2), 3, errs.KindAborted, errs.KindAborted},
		{ETag(4), 3, errs.KindAborted, errs.KindAborted},
		{"", 3, "", errs.KindInvalid},
		{"3", 3, errs.KindAborted, errs.KindAborted}, // unquoted
		{"W/" + ETag(3), 3, errs.KindAborted, errs.KindAborted},
	} {
		if got := kind(CheckETag("grants/1", c.given, c.version)); got != c.check {
			t.Errorf("CheckETag(%q, %d): %q, want %q", c.given, c.version, got, c.check)
		}
		err := RequireETag("grants/1", c.given, c.version)
		if got := kind(err); got != c.require {
			t.Errorf("RequireETag(%q, %d): %q, want %q", c.given, c.version, got, c.require)
		}
		if c.require == errs.KindInvalid {
			var e *errs.Error
			if !errors.As(err, &e) || len(e.Violations) != 1 || e.Violations[0].Field != "etag" {
				t.Errorf("RequireETag without an etag: %v, want a violation of etag", err)
			}
		}
	}
}

func kind(err error) errs.Kind {
	if err == nil {
		return ""
	}
	return errs.KindOf(err)
}

func TestMaskHas(t *testing.T) {
	t.Parallel()
	m := Mask{"title", "budget.total", "end_date"}
	for field, want := range map[string]bool{
		"title":        true,
		"end_date":     true,
		"budget":       true, // a subfield of it is named
		"budget.rate":  false,
		"budget.total": true,
		"tit":          false,
		"title.x":      false, // the mask names the whole field, not this subfield
		"end":          false,
		"":             false,
	} {
		if got := m.Has(field); got != want {
			t.Errorf("%v.Has(%q) = %v, want %v", m, field, got, want)
		}
	}
}
