package budget

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// HeadingKind says what a template heading holds.
type HeadingKind string

const (
	KindDirect      HeadingKind = "direct"       // a heading of direct costs (PRAG 1 to 6)
	KindSubtotal    HeadingKind = "subtotal"     // computed: the sum of direct headings (PRAG 7)
	KindContingency HeadingKind = "contingency"  // the contingency reserve (PRAG 8)
	KindTotalDirect HeadingKind = "total_direct" // computed: subtotal + contingency (PRAG 9)
	KindIndirect    HeadingKind = "indirect"     // indirect costs (PRAG 10)
	KindTotal       HeadingKind = "total"        // computed: total direct + indirect (PRAG 11)
)

// HeadingKinds lists every kind, in the order of a PRAG budget.
var HeadingKinds = []HeadingKind{KindDirect, KindSubtotal, KindContingency, KindTotalDirect, KindIndirect, KindTotal}

// Valid reports whether k is a known kind.
func (k HeadingKind) Valid() bool {
	for _, v := range HeadingKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Computed reports whether the heading's total is computed from other
// headings (it holds no lines).
func (k HeadingKind) Computed() bool {
	return k == KindSubtotal || k == KindTotalDirect || k == KindTotal
}

// Template is a donor's budget template: headings in order.
type Template struct {
	bun.BaseModel `bun:"table:budget_templates"`

	ID             string    `bun:"id,pk"`
	DisplayName    string    `bun:"name"`
	Description    string    `bun:"description"`
	BuiltIn        bool      `bun:"built_in"`
	OrganisationID string    `bun:"organisation_id,nullzero"` // "" for built-in templates
	Version        int64     `bun:"version"`
	CreateTime     time.Time `bun:"create_time"`
	UpdateTime     time.Time `bun:"update_time"`

	Headings   []Heading `bun:"-"` // by position
	GrantCount int       `bun:"-"` // grants whose rules use it
}

// ETag returns the current etag.
func (t *Template) ETag() string { return resource.ETag(t.Version) }

// CanDeleteTemplate reports whether the caller may delete t: not a built-in
// template, and the caller defines templates for its organisation. Whether
// a grant uses it is DeleteTemplate's to check.
func CanDeleteTemplate(c actor.Caller, t *Template) bool {
	return !t.BuiltIn && t.OrganisationID != "" && policy.MayDefineTemplates(c, t.OrganisationID)
}

// Name returns the resource name.
func (t *Template) Name() string { return resource.Name(resource.BudgetTemplates, t.ID) }

// Heading returns the heading with code, if the template has it.
func (t *Template) Heading(code string) (Heading, bool) {
	for _, h := range t.Headings {
		if h.Code == code {
			return h, true
		}
	}
	return Heading{}, false
}

// lineHeadings lists the codes of the headings that hold lines.
func (t *Template) lineHeadings() []string {
	var out []string
	for _, h := range t.Headings {
		if !h.Kind.Computed() {
			out = append(out, h.Code)
		}
	}
	return out
}

// Heading is one heading of a template.
type Heading struct {
	bun.BaseModel `bun:"table:budget_template_headings"`

	TemplateID string      `bun:"template_id,pk"`
	Code       string      `bun:"code,pk"`
	Title      string      `bun:"title"`
	Kind       HeadingKind `bun:"kind"`
	Position   int         `bun:"position"`
	// UsualLinesText is stored as one "code<TAB>description" per text line.
	UsualLinesText string `bun:"usual_lines"`
}

// UsualLine is a line usually found under a heading, offered when drafting.
type UsualLine struct {
	Code        string
	Description string
}

// UsualLines returns the heading's usual lines.
func (h Heading) UsualLines() []UsualLine {
	var out []UsualLine
	for _, l := range strings.Split(h.UsualLinesText, "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		code, desc, _ := strings.Cut(l, "\t")
		out = append(out, UsualLine{Code: code, Description: desc})
	}
	return out
}

// TemplateInput is what a caller writes of a new template.
type TemplateInput struct {
	DisplayName    string
	Description    string
	OrganisationID string // the defining organisation (an id)
	Headings       []HeadingInput
}

// HeadingInput is one heading of a new template.
type HeadingInput struct {
	Code       string
	Title      string
	Kind       HeadingKind // "" or unknown: refused
	UsualLines []UsualLine
}

// templateGroup sorts built-in templates ("a") before the others ("b"):
// a text key, so that page tokens compare alike on SQLite and PostgreSQL.
const templateGroup = "CASE WHEN built_in THEN 'a' ELSE 'b' END"

// ListTemplates returns a page of the templates, built-in ones first, then
// by name, and the token of the next page ("" on the last). Any signed-in
// caller may read them. Errors: invalid (page size or token), internal.
func (s *Service) ListTemplates(ctx context.Context, p page.Request) ([]*Template, string, error) {
	cur, err := page.Open(p)
	if err != nil {
		return nil, "", err
	}
	var out []*Template
	if err := cur.Apply(s.db.NewSelect().Model(&out), templateGroup, "name", "id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		last := out[len(out)-1]
		group := "b"
		if last.BuiltIn {
			group = "a"
		}
		next = cur.Next(true, group, last.DisplayName, last.ID)
	}
	if len(out) == 0 {
		return out, "", nil
	}
	ids := make([]string, len(out))
	for i, t := range out {
		ids[i] = t.ID
	}
	var hs []Heading
	if err := s.db.NewSelect().Model(&hs).Where("template_id IN (?)", bun.List(ids)).
		OrderExpr("template_id ASC, position ASC").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	byID := map[string]*Template{}
	for _, t := range out {
		byID[t.ID] = t
	}
	for _, h := range hs {
		if t := byID[h.TemplateID]; t != nil {
			t.Headings = append(t.Headings, h)
		}
	}
	var uses []struct {
		TemplateID string `bun:"template_id"`
		N          int    `bun:"n"`
	}
	if err := s.db.NewSelect().Table("grant_rules").Column("template_id").ColumnExpr("COUNT(*) AS n").
		Where("template_id IN (?)", bun.List(ids)).Group("template_id").Scan(ctx, &uses); err != nil {
		return nil, "", db.Err(err)
	}
	for _, u := range uses {
		if t := byID[u.TemplateID]; t != nil {
			t.GrantCount = u.N
		}
	}
	return out, next, nil
}

// countTemplateUses counts the grants whose rules use template id.
func countTemplateUses(ctx context.Context, idb bun.IDB, id string) (int, error) {
	n, err := idb.NewSelect().Table("grant_rules").Where("template_id = ?", id).Count(ctx)
	return n, db.Err(err)
}

// GetTemplate returns one template. Errors: not found.
func (s *Service) GetTemplate(ctx context.Context, id string) (*Template, error) {
	return loadTemplate(ctx, s.db, id)
}

// loadTemplate reads a template with its headings within idb. Errors: not
// found.
func loadTemplate(ctx context.Context, idb bun.IDB, id string) (*Template, error) {
	t := new(Template)
	err := idb.NewSelect().Model(t).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.BudgetTemplates, id)))
	}
	if err := idb.NewSelect().Model(&t.Headings).Where("template_id = ?", id).Order("position").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	if t.GrantCount, err = countTemplateUses(ctx, idb, id); err != nil {
		return nil, err
	}
	return t, nil
}

// DeleteTemplate deletes a template that no grant's rules use, and records
// it in the audit trail. Templates never change once made (a grant's
// budget is kept in its template's headings): to change one, copy it into a
// new one. etag, when set, must be current. Errors: not found, permission
// (another organisation's template), aborted (stale etag), precondition
// (TEMPLATE_BUILT_IN, TEMPLATE_IN_USE).
func (s *Service) DeleteTemplate(ctx context.Context, id, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := loadTemplate(ctx, tx, id)
		if err != nil {
			return err
		}
		if t.BuiltIn {
			return errs.Precondition("TEMPLATE_BUILT_IN", "%s is shipped with Pactum and cannot be deleted", t.Name())
		}
		if !CanDeleteTemplate(c, t) {
			return errs.PermissionDenied("only coordinators of %s and admins may delete its budget templates",
				resource.Name(resource.Organisations, t.OrganisationID))
		}
		if err := resource.CheckETag(t.Name(), etag, t.Version); err != nil {
			return err
		}
		if t.GrantCount > 0 {
			return errs.Precondition("TEMPLATE_IN_USE",
				"%s cannot be deleted: the rules of %d grant(s) use it; pick another template in their rules first", t.Name(), t.GrantCount)
		}
		if _, err := tx.NewDelete().Model((*Heading)(nil)).Where("template_id = ?", id).Exec(ctx); err != nil {
			return db.Err(err)
		}
		if _, err := tx.NewDelete().Model(t).WherePK().Exec(ctx); err != nil {
			return db.Err(err, db.ForeignKey(errs.Precondition("TEMPLATE_IN_USE", "%s cannot be deleted: grants use it", t.Name())))
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: t.Name(), Changes: audit.Diff(tx, t, nil)})
	})
}

// CreateTemplate defines a template for organisation in.OrganisationID:
// admins and that organisation's coordinators may. A retry with the same
// requestID returns the template made the first time. Field violations
// name the request's fields ("budget_template.headings[1].kind",
// "organisation"). Errors: permission, invalid.
func (s *Service) CreateTemplate(ctx context.Context, in TemplateInput, requestID string) (*Template, error) {
	c := actor.From(ctx)
	if in.OrganisationID == "" {
		return nil, errs.Invalid(errs.FieldViolation{Field: "organisation",
			Description: "is required: the organisations/{id} of the organisation defining the template, one you coordinate"})
	}
	if !policy.MayDefineTemplates(c, in.OrganisationID) {
		return nil, errs.PermissionDenied("only coordinators of %s and admins may define budget templates for it",
			resource.Name(resource.Organisations, in.OrganisationID))
	}
	var out *Template
	err := idem.Create(ctx, s.db, "CreateBudgetTemplate", requestID,
		func(ctx context.Context, tx bun.Tx, name string) (err error) {
			id, _ := strings.CutPrefix(name, resource.BudgetTemplates+"/")
			out, err = loadTemplate(ctx, tx, id)
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			t, err := buildTemplate(ctx, tx, in)
			if err != nil {
				return "", err
			}
			now := s.now()
			t.ID, t.Version, t.CreateTime, t.UpdateTime = resource.NewID(), 1, now, now
			if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
				return "", db.Err(err)
			}
			for i := range t.Headings {
				t.Headings[i].TemplateID = t.ID
			}
			if _, err := tx.NewInsert().Model(&t.Headings).Exec(ctx); err != nil {
				return "", db.Err(err)
			}
			changes := audit.Diff(tx, nil, t)
			for _, h := range t.Headings {
				changes = append(changes, audit.Change{Field: "heading " + h.Code, New: string(h.Kind) + ": " + h.Title})
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: t.Name(), Changes: changes}); err != nil {
				return "", err
			}
			out = t
			return t.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// buildTemplate checks in and returns the template it describes.
func buildTemplate(ctx context.Context, idb bun.IDB, in TemplateInput) (*Template, error) {
	var v errs.Violations
	t := &Template{
		DisplayName:    strings.TrimSpace(in.DisplayName),
		Description:    strings.TrimSpace(in.Description),
		OrganisationID: in.OrganisationID,
	}
	if t.DisplayName == "" {
		v.Add("budget_template.display_name", "is required: the donor's name for the template, e.g. \"SIDA budget 2025\"")
	}
	n, err := idb.NewSelect().Table("organisations").Where("id = ?", in.OrganisationID).Count(ctx)
	if err != nil {
		return nil, db.Err(err)
	}
	if n == 0 {
		v.Add("organisation", "%s does not exist; give the organisations/{id} of an organisation you coordinate",
			resource.Name(resource.Organisations, in.OrganisationID))
	}
	if len(in.Headings) == 0 {
		v.Add("budget_template.headings", "needs at least one heading, and at least one of them of kind DIRECT")
	}
	seen := map[string]int{}
	kinds := map[HeadingKind]int{}
	for i, h := range in.Headings {
		f := func(name string) string { return "budget_template.headings[" + itoa(i) + "]" + name }
		code, title := strings.TrimSpace(h.Code), strings.TrimSpace(h.Title)
		switch {
		case code == "":
			v.Add(f(".code"), "is required: the heading's number as the donor writes it, e.g. \"1\" or \"A.2\"")
		case strings.ContainsAny(code, "/\t\n"):
			v.Add(f(".code"), "must not contain slashes, tabs or line breaks (got %q)", code)
		default:
			if j, dup := seen[code]; dup {
				v.Add(f(".code"), "%q is also the code of headings[%d]; heading codes are unique within a template", code, j)
			} else {
				seen[code] = i
			}
		}
		if title == "" {
			v.Add(f(".title"), "is required: the heading's title, e.g. \"Human resources\"")
		}
		if !h.Kind.Valid() {
			v.Add(f(".kind"), "is required: DIRECT, SUBTOTAL, CONTINGENCY, TOTAL_DIRECT, INDIRECT or TOTAL")
		} else {
			kinds[h.Kind]++
			if h.Kind != KindDirect && kinds[h.Kind] == 2 {
				v.Add(f(".kind"), "a template has at most one heading of kind %s; only DIRECT headings may repeat", strings.ToUpper(string(h.Kind)))
			}
			if h.Kind.Computed() && len(h.UsualLines) > 0 {
				v.Add(f(".usual_lines"), "must be empty: a %s heading is computed from the others and holds no lines", strings.ToUpper(string(h.Kind)))
			}
		}
		var lines []string
		for j, l := range h.UsualLines {
			lc, ld := strings.TrimSpace(l.Code), strings.TrimSpace(l.Description)
			lf := f(".usual_lines[" + itoa(j) + "]")
			if lc == "" || strings.ContainsAny(lc, "\t\n\r") {
				v.Add(lf+".code", "is required, without tabs or line breaks, e.g. \"1.1\"")
			}
			if strings.ContainsAny(ld, "\t\n\r") {
				v.Add(lf+".description", "must be one line, without tabs")
			}
			lines = append(lines, lc+"\t"+ld)
		}
		t.Headings = append(t.Headings, Heading{Code: code, Title: title, Kind: h.Kind, Position: i + 1,
			UsualLinesText: strings.Join(lines, "\n")})
	}
	if len(in.Headings) > 0 && kinds[KindDirect] == 0 {
		v.Add("budget_template.headings", "needs at least one heading of kind DIRECT (a heading of direct costs)")
	}
	return t, v.Err()
}
