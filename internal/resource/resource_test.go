package resource

import (
	"errors"
	"slices"
	"strings"
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

func TestPatterns(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p    Pattern
		form string
		name string
		ids  []string
	}{
		{GrantPattern, "grants/{grant}", "grants/g", []string{"g"}},
		{TransferPattern, "grants/{grant}/transfers/{transfer}", "grants/g/transfers/t", []string{"g", "t"}},
		{ReceiptPattern, "grants/{grant}/expenditures/{expenditure}/receipts/{receipt}", "grants/g/expenditures/e/receipts/r", []string{"g", "e", "r"}},
		{LinePattern, "grants/{grant}/budgetVersions/{version}/lines/{line}", "grants/g/budgetVersions/v/lines/l", []string{"g", "v", "l"}},
		{RulesPattern, "grants/{grant}/rules", "grants/g/rules", []string{"g"}},
		{ActivityPattern, "projects/{project}/activities/{activity}", "projects/p/activities/a", []string{"p", "a"}},
	} {
		if got := c.p.String(); got != c.form {
			t.Errorf("%v: form %q, want %q", []string(c.p), got, c.form)
		}
		if got := c.p.Name(c.ids...); got != c.name {
			t.Errorf("%s: name %q, want %q", c.form, got, c.name)
		}
		ids, err := c.p.Parse(c.name, "name")
		if err != nil || !slices.Equal(ids, c.ids) {
			t.Errorf("%s: Parse(%q) = %v, %v; want %v", c.form, c.name, ids, err, c.ids)
		}
		// Every shorter, longer or emptied name is refused.
		for _, bad := range []string{"", c.name + "/", c.name + "/x", "x/" + c.name, c.name[:len(c.name)-1] + "x/"} {
			if _, ok := c.p.Match(bad); ok {
				t.Errorf("%s: %q matched", c.form, bad)
			}
		}
		for i := range c.ids {
			empty := slices.Clone(c.ids)
			empty[i] = ""
			bad := c.p.Name(empty...)
			_, err := c.p.Parse(bad, "parent")
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.KindInvalid || e.Violations[0].Field != "parent" ||
				!strings.Contains(e.Violations[0].Description, c.form) {
				t.Errorf("%s: Parse(%q) = %v; want invalid naming parent and the form", c.form, bad, err)
			}
		}
	}
	if g, id, err := ParseGrantChild("grants/g/expenditures/e", Expenditures, "name"); err != nil || g != "g" || id != "e" {
		t.Errorf("ParseGrantChild: %q %q %v", g, id, err)
	}
	if _, _, err := ParseGrantChild("grants/g/transfers/e", Expenditures, "name"); err == nil {
		t.Error("ParseGrantChild took a transfer for an expenditure")
	}
	if p, id, err := ParseProjectChild("projects/p/results/r", Results, "name"); err != nil || p != "p" || id != "r" {
		t.Errorf("ParseProjectChild: %q %q %v", p, id, err)
	}
}
