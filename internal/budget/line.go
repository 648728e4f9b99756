package budget

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Line is a budget line of one version. Amounts are minor units of the
// grant currency.
type Line struct {
	bun.BaseModel `bun:"table:budget_lines"`

	ID             string    `bun:"id,pk"`
	VersionID      string    `bun:"budget_version_id"`
	GrantID        string    `bun:"grant_id"`
	LineKey        string    `bun:"line_key"` // identity across versions
	HeadingCode    string    `bun:"heading_code"`
	Code           string    `bun:"code"`
	Description    string    `bun:"description"`
	Unit           string    `bun:"unit"`
	Units          string    `bun:"units"` // canonical decimal, e.g. "2.5"
	UnitCost       int64     `bun:"unit_cost"`
	Total          int64     `bun:"total"` // units x unit cost, rounded once
	ProjectID      string    `bun:"project_id,nullzero"`
	OrganisationID string    `bun:"organisation_id,nullzero"`
	Position       int       `bun:"position"`
	Version        int64     `bun:"version"`
	CreateTime     time.Time `bun:"create_time"`
	UpdateTime     time.Time `bun:"update_time"`

	Currency string `bun:"-"` // the grant currency
}

// Name returns the resource name.
func (l *Line) Name() string { return LineName(l.GrantID, l.VersionID, l.ID) }

// ETag returns the current etag.
func (l *Line) ETag() string { return resource.ETag(l.Version) }

// LineInput is what a caller writes of a line: amounts as decimal strings
// in the grant currency, the project and organisation as ids ("" for none).
type LineInput struct {
	HeadingCode    string
	Code           string
	Description    string
	Unit           string
	Units          string
	UnitCost       string
	ProjectID      string
	OrganisationID string
}

// LineUpdatable lists the fields UpdateLine may change.
var LineUpdatable = []string{"heading_code", "code", "description", "unit", "units", "unit_cost", "project", "organisation"}

// Input returns the line's writable fields as a caller would write them.
func (l *Line) Input() LineInput {
	return LineInput{
		HeadingCode: l.HeadingCode, Code: l.Code, Description: l.Description, Unit: l.Unit, Units: l.Units,
		UnitCost: money.Format(l.UnitCost, l.Currency), ProjectID: l.ProjectID, OrganisationID: l.OrganisationID,
	}
}

func overlayLine(base, in LineInput, mask resource.Mask) LineInput {
	out := base
	set := func(field string, dst *string, v string) {
		if mask.Has(field) {
			*dst = v
		}
	}
	set("heading_code", &out.HeadingCode, in.HeadingCode)
	set("code", &out.Code, in.Code)
	set("description", &out.Description, in.Description)
	set("unit", &out.Unit, in.Unit)
	set("units", &out.Units, in.Units)
	set("unit_cost", &out.UnitCost, in.UnitCost)
	set("project", &out.ProjectID, in.ProjectID)
	set("organisation", &out.OrganisationID, in.OrganisationID)
	return out
}

// draftVersion reads the version a line change happens in and refuses one
// that is not a draft.
func draftVersion(ctx context.Context, idb bun.IDB, grantID, versionID string) (*Version, error) {
	v, err := loadVersion(ctx, idb, grantID, versionID)
	if err != nil {
		return nil, err
	}
	if v.State != Draft {
		return nil, errs.Precondition("BUDGET_VERSION_NOT_DRAFT",
			"%s (%q) is adopted and its lines are fixed; start an addendum or a transfer (CreateBudgetVersion) to change them", v.Name(), v.Label)
	}
	return v, nil
}

// touchVersion bumps the draft version's etag after one of its lines
// changed (so that adopting it with an older etag is refused), and refuses
// the change when the version was adopted meanwhile.
func touchVersion(ctx context.Context, tx bun.Tx, v *Version, now time.Time) error {
	res, err := tx.NewUpdate().Table("budget_versions").Set("version = version + 1, update_time = ?", now).
		Where("id = ? AND state = ?", v.ID, Draft).Exec(ctx)
	if err != nil {
		return db.Err(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.Aborted(v.Name())
	}
	return nil
}

// CreateLine adds a line to a draft version, with a new line key. A retry
// with the same requestID returns the line made the first time. Errors:
// not found, permission, invalid (fields named as in BudgetLine), already
// exists (the code is taken in the version), precondition
// (BUDGET_VERSION_NOT_DRAFT, GRANT_CLOSED).
func (s *Service) CreateLine(ctx context.Context, grantID, versionID string, in LineInput, requestID string) (*Line, error) {
	c := actor.From(ctx)
	var out *Line
	err := idem.Create(ctx, s.db, "CreateBudgetLine", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			g, v, l, err := ParseLineName(name, "name")
			if err != nil {
				return errs.Internal(err)
			}
			gr, err := readGrant(ctx, tx, c, g, name)
			if err != nil {
				return err
			}
			out, err = loadLine(ctx, tx, g, v, l)
			if out != nil {
				out.Currency = gr.CurrencyCode
			}
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			g, err := manageGrant(ctx, tx, c, grantID, VersionName(grantID, versionID), "the budget")
			if err != nil {
				return "", err
			}
			v, err := draftVersion(ctx, tx, grantID, versionID)
			if err != nil {
				return "", err
			}
			l, err := buildLine(ctx, tx, g, in, nil)
			if err != nil {
				return "", err
			}
			if err := checkCodeFree(ctx, tx, v, l.Code, ""); err != nil {
				return "", err
			}
			var maxPos int
			if err := tx.NewRaw("SELECT COALESCE(MAX(position), 0) FROM budget_lines WHERE budget_version_id = ?", v.ID).Scan(ctx, &maxPos); err != nil {
				return "", db.Err(err)
			}
			now := s.now()
			l.ID, l.VersionID, l.GrantID, l.LineKey = resource.NewID(), v.ID, grantID, uuid.NewString()
			l.Position, l.Version, l.CreateTime, l.UpdateTime = maxPos+1, 1, now, now
			if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
				return "", lineWriteErr(err, l)
			}
			if err := touchVersion(ctx, tx, v, now); err != nil {
				return "", err
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: l.Name(), GrantID: grantID,
				Changes: audit.Diff(tx, nil, l)}); err != nil {
				return "", err
			}
			out = l
			return l.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateLine changes the fields named in mask (see LineUpdatable) of a line
// of a draft version. etag is required and must be current: two people
// editing the same line, the second gets aborted instead of overwriting the
// first's amounts. Errors: not found, permission, invalid (also a missing
// etag, field "etag"), already exists, aborted (stale etag), precondition
// (BUDGET_VERSION_NOT_DRAFT, GRANT_CLOSED).
func (s *Service) UpdateLine(ctx context.Context, grantID, versionID, lineID string, in LineInput, mask resource.Mask, etag string) (*Line, error) {
	c := actor.From(ctx)
	var out *Line
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		name := LineName(grantID, versionID, lineID)
		g, err := manageGrant(ctx, tx, c, grantID, name, "the budget")
		if err != nil {
			return err
		}
		prev, err := loadLine(ctx, tx, grantID, versionID, lineID)
		if err != nil {
			return err
		}
		prev.Currency = g.CurrencyCode
		if err := resource.RequireETag(name, etag, prev.Version); err != nil {
			return err
		}
		v, err := draftVersion(ctx, tx, grantID, versionID)
		if err != nil {
			return err
		}
		l, err := buildLine(ctx, tx, g, overlayLine(prev.Input(), in, mask), prev)
		if err != nil {
			return err
		}
		if err := checkCodeFree(ctx, tx, v, l.Code, prev.ID); err != nil {
			return err
		}
		now := s.now()
		l.ID, l.VersionID, l.GrantID, l.LineKey, l.Position = prev.ID, prev.VersionID, prev.GrantID, prev.LineKey, prev.Position
		l.CreateTime, l.Version, l.UpdateTime = prev.CreateTime, prev.Version+1, now
		res, err := tx.NewUpdate().Model(l).WherePK().Where("version = ?", prev.Version).Exec(ctx)
		if err != nil {
			return lineWriteErr(err, l)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(name)
		}
		if err := touchVersion(ctx, tx, v, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: name, GrantID: grantID,
			Changes: audit.Diff(tx, prev, l)}); err != nil {
			return err
		}
		out = l
		return nil
	})
	return out, err
}

// DeleteLine removes a line of a draft version. etag, when set, must be
// current. Errors: not found, permission, aborted, precondition
// (BUDGET_VERSION_NOT_DRAFT, BUDGET_LINE_IN_USE, GRANT_CLOSED).
func (s *Service) DeleteLine(ctx context.Context, grantID, versionID, lineID, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		name := LineName(grantID, versionID, lineID)
		g, err := manageGrant(ctx, tx, c, grantID, name, "the budget")
		if err != nil {
			return err
		}
		l, err := loadLine(ctx, tx, grantID, versionID, lineID)
		if err != nil {
			return err
		}
		l.Currency = g.CurrencyCode
		if err := resource.CheckETag(name, etag, l.Version); err != nil {
			return err
		}
		v, err := draftVersion(ctx, tx, grantID, versionID)
		if err != nil {
			return err
		}
		if err := checkOrphans(ctx, tx, grantID, versionID, lineID); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model(l).WherePK().Where("version = ?", l.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(name)
		}
		if err := touchVersion(ctx, tx, v, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: name, GrantID: grantID, Changes: audit.Diff(tx, l, nil)})
	})
}

// loadLine reads one line of a version. Errors: not found.
func loadLine(ctx context.Context, idb bun.IDB, grantID, versionID, lineID string) (*Line, error) {
	l := new(Line)
	err := idb.NewSelect().Model(l).Where("id = ? AND budget_version_id = ? AND grant_id = ?", lineID, versionID, grantID).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(LineName(grantID, versionID, lineID)))
	}
	return l, nil
}

// checkCodeFree refuses a code another line of the version (not exceptID)
// has.
func checkCodeFree(ctx context.Context, tx bun.Tx, v *Version, code, exceptID string) error {
	n, err := tx.NewSelect().Table("budget_lines").Where("budget_version_id = ? AND code = ? AND id <> ?", v.ID, code, exceptID).Count(ctx)
	if err != nil {
		return db.Err(err)
	}
	if n > 0 {
		return codeTaken(v.Name(), code)
	}
	return nil
}

func codeTaken(version, code string) error {
	return errs.AlreadyExistsOn("code", "%s already has a line %q; line codes are unique within a budget version", version, code)
}

func lineWriteErr(err error, l *Line) error {
	return db.Err(err, db.Unique(codeTaken(VersionName(l.GrantID, l.VersionID), l.Code)),
		db.ForeignKey(errs.Precondition("REFERENCE_DELETED", "the project or organisation was deleted meanwhile; read them again and retry")))
}

// buildLine checks in for grant g and returns the line it describes
// (without ids, position, version or times). prev is the stored line on
// update. Field violations name BudgetLine's fields.
func buildLine(ctx context.Context, idb bun.IDB, g *grantfacts.Facts, in LineInput, prev *Line) (*Line, error) {
	var v errs.Violations
	l := &Line{
		HeadingCode:    strings.TrimSpace(in.HeadingCode),
		Code:           strings.TrimSpace(in.Code),
		Description:    strings.TrimSpace(in.Description),
		Unit:           strings.TrimSpace(in.Unit),
		ProjectID:      in.ProjectID,
		OrganisationID: in.OrganisationID,
		Currency:       g.CurrencyCode,
	}
	t, err := grantTemplate(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	if l.HeadingCode == "" {
		v.Add("heading_code", "is required: one of the headings %s of template %q", strings.Join(t.lineHeadings(), ", "), t.DisplayName)
	} else if h, ok := t.Heading(l.HeadingCode); !ok {
		v.Add("heading_code", "%q is not a heading of template %q; use one of %s", l.HeadingCode, t.DisplayName, strings.Join(t.lineHeadings(), ", "))
	} else if h.Kind.Computed() {
		v.Add("heading_code", "heading %s (%s) is computed from the others and holds no lines; use one of %s",
			h.Code, h.Title, strings.Join(t.lineHeadings(), ", "))
	}
	if l.Code == "" {
		v.Add("code", "is required: the line's number, unique within the version, e.g. \"1.1\" or \"2.3\"")
	}
	if l.Description == "" {
		v.Add("description", "is required: what the line pays for, e.g. \"Project coordinator, 50%%\"")
	}
	units, uerr := ParseUnits(strings.TrimSpace(in.Units))
	if uerr != nil {
		v.Add("units", "%s", uerr.Error())
	} else {
		l.Units = units.String()
	}
	cost, cerr := money.Parse(strings.TrimSpace(in.UnitCost), g.CurrencyCode)
	if cerr != nil {
		v.Add("unit_cost", "%s", cerr.Error())
	} else {
		l.UnitCost = cost
	}
	if uerr == nil && cerr == nil {
		total, ok := LineTotal(units, cost)
		if !ok {
			v.Add("units", "units x unit_cost is too large")
		}
		l.Total = total
	}
	if l.ProjectID != "" && (prev == nil || prev.ProjectID != l.ProjectID) {
		var projectGrant string
		err := idb.NewSelect().Table("projects").Column("grant_id").Where("id = ?", l.ProjectID).Scan(ctx, &projectGrant)
		switch {
		case db.IsNoRows(err):
			v.Add("project", "%s does not exist; give a projects/{id} of %s, or leave it empty", resource.Name(resource.Projects, l.ProjectID), g.Name())
		case err != nil:
			return nil, db.Err(err)
		case projectGrant != g.ID:
			v.Add("project", "%s belongs to another grant; give a project of %s, or leave it empty", resource.Name(resource.Projects, l.ProjectID), g.Name())
		}
	}
	if l.OrganisationID != "" && (prev == nil || prev.OrganisationID != l.OrganisationID) && l.OrganisationID != g.LeadOrganisationID {
		n, err := idb.NewSelect().Table("project_participants").
			Where("organisation_id = ? AND project_id IN (SELECT id FROM projects WHERE grant_id = ?)", l.OrganisationID, g.ID).Count(ctx)
		if err != nil {
			return nil, db.Err(err)
		}
		if n == 0 {
			v.Add("organisation", "%s neither leads %s nor takes part in one of its projects; allocate the line to the lead or a partner of the grant, or leave it empty",
				resource.Name(resource.Organisations, l.OrganisationID), g.Name())
		}
	}
	return l, v.Err()
}
