package budget

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rules"
)

// VersionKind says what a budget version is.
type VersionKind string

const (
	// Original: the budget annexed to the signed contract (number 0).
	Original VersionKind = "original"
	// Addendum: a formal addendum; resets the flexibility baseline.
	Addendum VersionKind = "addendum"
	// Transfer: transfers between headings without an addendum.
	Transfer VersionKind = "transfer"
)

// VersionState is where a version is in its life.
type VersionState string

const (
	Draft   VersionState = "draft"   // lines can be changed
	Adopted VersionState = "adopted" // fixed; the latest is what spending is compared with
)

// Version is a budget version of a grant, with its heading totals (and its
// lines when read one at a time), as far as the caller may see them.
type Version struct {
	bun.BaseModel `bun:"table:budget_versions"`

	ID            string        `bun:"id,pk"`
	GrantID       string        `bun:"grant_id"`
	Number        int           `bun:"number"`
	Kind          VersionKind   `bun:"kind"`
	Label         string        `bun:"label"`
	EffectiveDate calendar.Date `bun:"effective_date"` // zero: not set (NULL)
	State         VersionState  `bun:"state"`
	AdoptTime     *time.Time    `bun:"adopt_time"`
	// ApprovalReference is the donor's reference of its approval: an
	// addendum's, or the prior approval of a use of the contingency
	// reserve (see needsApproval).
	ApprovalReference string    `bun:"approval_reference"`
	Version           int64     `bun:"version"`
	CreateTime        time.Time `bun:"create_time"`
	UpdateTime        time.Time `bun:"update_time"`

	Currency string         `bun:"-"` // the grant currency
	Headings []HeadingTotal `bun:"-"` // in template order, computed rows included
	Total    int64          `bun:"-"` // the template's total row
	Lines    []*Line        `bun:"-"` // GetVersion only
}

// Name returns the resource name.
func (v *Version) Name() string { return VersionName(v.GrantID, v.ID) }

// ETag returns the current etag.
func (v *Version) ETag() string { return resource.ETag(v.Version) }

// VersionInput is what a caller writes of a version.
type VersionInput struct {
	Kind          VersionKind // required on create; ignored on update
	Label         string
	EffectiveDate string // "YYYY-MM-DD" or ""
	// ApprovalReference is the donor's reference of its approval (an
	// addendum's, or of the prior approval of a use of the contingency
	// reserve); "" while not known.
	ApprovalReference string
}

// VersionUpdatable lists the fields UpdateVersion may change.
var VersionUpdatable = []string{"label", "effective_date", "approval_reference"}

// ListVersions returns a page of the budget versions of a grant the caller
// may read, oldest first, with heading totals of the lines the caller may
// see (a partner sees those allocated to their organisation), and the token
// of the next page ("" on the last). Errors: invalid (page size or token),
// not found (also for a grant the caller may not read).
func (s *Service) ListVersions(ctx context.Context, grantID string, p page.Request) ([]*Version, string, error) {
	cur, err := page.Open(p, grantID)
	if err != nil {
		return nil, "", err
	}
	c := actor.From(ctx)
	g, err := readGrant(ctx, s.db, c, grantID, resource.Name(resource.Grants, grantID))
	if err != nil {
		return nil, "", err
	}
	var out []*Version
	q := s.db.NewSelect().Model(&out).Where("grant_id = ?", grantID)
	// number is numeric; the cursor carries it as text.
	if len(cur.After) == 1 {
		after, err := strconv.Atoi(cur.After[0])
		if err != nil {
			return nil, "", errs.Invalid(errs.FieldViolation{Field: "page_token", Description: "is not a page token from this list"})
		}
		q = q.Where("number > ?", after)
	}
	if err := q.Order("number").Limit(cur.Limit + 1).Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		next = cur.Next(true, strconv.Itoa(out[len(out)-1].Number))
	}
	if len(out) == 0 {
		return out, "", nil
	}
	ids := make([]string, len(out))
	for i, v := range out {
		ids[i] = v.ID
	}
	t, err := grantTemplate(ctx, s.db, grantID)
	if err != nil {
		return nil, "", err
	}
	var sums []struct {
		VersionID string `bun:"budget_version_id"`
		Heading   string `bun:"heading_code"`
		Total     int64  `bun:"total"`
	}
	sq := s.db.NewSelect().Table("budget_lines").
		ColumnExpr("budget_version_id, heading_code, CAST(SUM(total) AS BIGINT) AS total").
		Where("grant_id = ?", grantID).Where("budget_version_id IN (?)", bun.List(ids))
	sq = policy.Where(sq, policy.PartnerMoney(c, "grant_id", "organisation_id"))
	if err := sq.GroupExpr("budget_version_id, heading_code").Scan(ctx, &sums); err != nil {
		return nil, "", db.Err(err)
	}
	byVersion := map[string]map[string]int64{}
	for _, r := range sums {
		if byVersion[r.VersionID] == nil {
			byVersion[r.VersionID] = map[string]int64{}
		}
		byVersion[r.VersionID][r.Heading] += r.Total
	}
	for _, v := range out {
		v.Currency = g.CurrencyCode
		v.Headings, v.Total = Totals(t, byVersion[v.ID])
	}
	return out, next, nil
}

// GetVersion returns a version with the lines the caller may see and their
// heading totals. versionID Latest reads the latest adopted version.
// Errors: not found (also for a grant the caller may not read, and for
// Latest before any version is adopted).
func (s *Service) GetVersion(ctx context.Context, grantID, versionID string) (*Version, error) {
	c := actor.From(ctx)
	name := VersionName(grantID, versionID)
	if _, err := readGrant(ctx, s.db, c, grantID, name); err != nil {
		return nil, err
	}
	return readVersion(ctx, s.db, c, grantID, versionID)
}

// readVersion reads a version with the lines c may see and the totals.
func readVersion(ctx context.Context, idb bun.IDB, c actor.Caller, grantID, versionID string) (*Version, error) {
	var v *Version
	var err error
	if versionID == Latest {
		v, err = latestAdopted(ctx, idb, grantID)
		if err == nil && v == nil {
			return nil, errs.NotFound(VersionName(grantID, Latest) + " (no budget version has been adopted yet)")
		}
	} else {
		v, err = loadVersion(ctx, idb, grantID, versionID)
	}
	if err != nil {
		return nil, err
	}
	if err := fill(ctx, idb, c, v); err != nil {
		return nil, err
	}
	return v, nil
}

// fill reads the version's visible lines and computes its totals.
func fill(ctx context.Context, idb bun.IDB, c actor.Caller, v *Version) error {
	g, err := grantfacts.Read(ctx, idb, v.GrantID)
	if err != nil {
		return err
	}
	currency := g.CurrencyCode
	t, err := grantTemplate(ctx, idb, v.GrantID)
	if err != nil {
		return err
	}
	var lines []*Line
	q := idb.NewSelect().Model(&lines).Where("budget_version_id = ?", v.ID)
	q = policy.Where(q, policy.PartnerMoney(c, "grant_id", "organisation_id"))
	if err := q.Order("position", "id").Scan(ctx); err != nil {
		return db.Err(err)
	}
	pos := map[string]int{}
	for _, h := range t.Headings {
		pos[h.Code] = h.Position
	}
	sort.SliceStable(lines, func(i, j int) bool { return pos[lines[i].HeadingCode] < pos[lines[j].HeadingCode] })
	sums := map[string]int64{}
	for _, l := range lines {
		l.Currency = currency
		sums[l.HeadingCode] += l.Total
	}
	v.Currency, v.Lines = currency, lines
	v.Headings, v.Total = Totals(t, sums)
	return nil
}

// loadVersion reads one version of the grant. Errors: not found.
func loadVersion(ctx context.Context, idb bun.IDB, grantID, versionID string) (*Version, error) {
	v := new(Version)
	err := idb.NewSelect().Model(v).Where("id = ? AND grant_id = ?", versionID, grantID).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(VersionName(grantID, versionID)))
	}
	return v, nil
}

// latestAdopted reads the grant's latest adopted version, or nil.
func latestAdopted(ctx context.Context, idb bun.IDB, grantID string) (*Version, error) {
	v := new(Version)
	err := idb.NewSelect().Model(v).Where("grant_id = ? AND state = ?", grantID, Adopted).
		OrderExpr("number DESC").Limit(1).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, db.Err(err)
	}
	return v, nil
}

// grantTemplate reads the template the grant's rule set names.
func grantTemplate(ctx context.Context, idb bun.IDB, grantID string) (*Template, error) {
	r, err := rules.Load(ctx, idb, grantID)
	if err != nil {
		return nil, err
	}
	return loadTemplate(ctx, idb, r.TemplateID)
}

// CreateVersion starts a draft version of the grant: the original (number
// 0) when the grant has none, otherwise an addendum or transfer (number one
// above the last) holding copies of the latest adopted version's lines,
// with the same line keys. Only one draft at a time. A retry with the same
// requestID returns the version made the first time. Errors: not found,
// permission, invalid, precondition (BUDGET_DRAFT_EXISTS,
// BUDGET_ORIGINAL_EXISTS, BUDGET_NO_ORIGINAL, GRANT_CLOSED).
func (s *Service) CreateVersion(ctx context.Context, grantID string, in VersionInput, requestID string) (*Version, error) {
	c := actor.From(ctx)
	var out *Version
	err := idem.Create(ctx, s.db, "CreateBudgetVersion", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			g, v, err := ParseVersionName(name, "name")
			if err != nil {
				return errs.Internal(err)
			}
			if _, err := readGrant(ctx, tx, c, g, name); err != nil {
				return err
			}
			out, err = readVersion(ctx, tx, c, g, v)
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			g, err := manageGrant(ctx, tx, c, grantID, resource.Name(resource.Grants, grantID), "the budget")
			if err != nil {
				return "", err
			}
			var ve errs.Violations
			switch in.Kind {
			case Original, Addendum, Transfer:
			default:
				ve.Add("kind", "is required: ORIGINAL for the grant's first budget, then ADDENDUM or TRANSFER")
			}
			label, date := checkVersionFields(in, &ve)
			if err := ve.Err(); err != nil {
				return "", err
			}
			var existing []*Version
			if err := tx.NewSelect().Model(&existing).Where("grant_id = ?", grantID).Order("number").Scan(ctx); err != nil {
				return "", db.Err(err)
			}
			for _, e := range existing {
				if e.State == Draft {
					return "", errs.Precondition("BUDGET_DRAFT_EXISTS",
						"%s already has a draft budget version (%s, %q); adopt or delete it before starting another", g.Name(), e.Name(), e.Label)
				}
			}
			v := &Version{GrantID: grantID, Kind: in.Kind, Label: label, EffectiveDate: date, State: Draft,
				ApprovalReference: checkApprovalReference(in.ApprovalReference, &ve)}
			if err := ve.Err(); err != nil {
				return "", err
			}
			var from *Version
			switch {
			case in.Kind == Original && len(existing) > 0:
				return "", errs.Precondition("BUDGET_ORIGINAL_EXISTS",
					"%s already has its original budget; start an ADDENDUM or a TRANSFER instead", g.Name())
			case in.Kind != Original && len(existing) == 0:
				return "", errs.Precondition("BUDGET_NO_ORIGINAL",
					"%s has no budget yet; its first budget version is the ORIGINAL", g.Name())
			case in.Kind != Original:
				v.Number = existing[len(existing)-1].Number + 1
				if from, err = latestAdopted(ctx, tx, grantID); err != nil {
					return "", err
				}
			}
			if v.Label == "" {
				v.Label = defaultLabel(v.Kind, existing)
			}
			now := s.now()
			v.ID, v.Version, v.CreateTime, v.UpdateTime = resource.NewID(), 1, now, now
			if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
				return "", db.Err(err, db.Unique(errs.Precondition("BUDGET_DRAFT_EXISTS", "another budget version of %s was started at the same time; read the versions again", g.Name())))
			}
			changes := audit.Diff(tx, nil, v)
			if from != nil {
				n, err := copyLines(ctx, tx, from, v, now)
				if err != nil {
					return "", err
				}
				changes = append(changes, audit.Change{Field: "lines", New: fmt.Sprintf("%d copied from %s", n, from.Name())})
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: v.Name(), GrantID: grantID, Changes: changes}); err != nil {
				return "", err
			}
			out, err = readVersion(ctx, tx, c, grantID, v.ID)
			if err != nil {
				return "", err
			}
			return v.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// defaultLabel names a version that was given no label: "Original budget",
// "Addendum 2", "Transfer 1".
func defaultLabel(k VersionKind, existing []*Version) string {
	if k == Original {
		return "Original budget"
	}
	n := 1
	for _, e := range existing {
		if e.Kind == k {
			n++
		}
	}
	return fmt.Sprintf("%s %d", strings.ToUpper(string(k[:1]))+string(k[1:]), n)
}

// checkVersionFields checks the label and effective date.
func checkVersionFields(in VersionInput, ve *errs.Violations) (string, calendar.Date) {
	label := strings.TrimSpace(in.Label)
	if len(label) > 200 {
		ve.Add("label", "must be at most 200 characters")
	}
	var date calendar.Date
	if in.EffectiveDate != "" {
		d, err := calendar.Parse(in.EffectiveDate)
		if err != nil {
			ve.Add("effective_date", "%q is not a date; write YYYY-MM-DD, e.g. 2026-03-01", in.EffectiveDate)
		}
		date = d
	}
	return label, date
}

// copyLines copies the lines of from into the new version to, keeping
// their line keys, and returns how many it copied.
func copyLines(ctx context.Context, tx bun.Tx, from, to *Version, now time.Time) (int, error) {
	var lines []*Line
	if err := tx.NewSelect().Model(&lines).Where("budget_version_id = ?", from.ID).Order("position", "id").Scan(ctx); err != nil {
		return 0, db.Err(err)
	}
	if len(lines) == 0 {
		return 0, nil
	}
	for _, l := range lines {
		l.ID, l.VersionID, l.Version, l.CreateTime, l.UpdateTime = resource.NewID(), to.ID, 1, now, now
	}
	if _, err := tx.NewInsert().Model(&lines).Exec(ctx); err != nil {
		return 0, db.Err(err)
	}
	return len(lines), nil
}

// UpdateVersion changes the label and effective date (those named in mask)
// of a version, draft or adopted. etag is required and must be current:
// the effective date decides which budget applies when, and a change made
// unseen (or an adoption meanwhile) must not be overwritten. Errors: not
// found, permission, invalid (also a missing etag, field "etag"), aborted
// (stale etag), precondition (GRANT_CLOSED).
func (s *Service) UpdateVersion(ctx context.Context, grantID, versionID string, in VersionInput, mask resource.Mask, etag string) (*Version, error) {
	c := actor.From(ctx)
	var out *Version
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		name := VersionName(grantID, versionID)
		if _, err := manageGrant(ctx, tx, c, grantID, name, "the budget"); err != nil {
			return err
		}
		prev, err := loadVersion(ctx, tx, grantID, versionID)
		if err != nil {
			return err
		}
		if err := resource.RequireETag(name, etag, prev.Version); err != nil {
			return err
		}
		var ve errs.Violations
		label, date := checkVersionFields(in, &ve)
		ref := checkApprovalReference(in.ApprovalReference, &ve)
		if err := ve.Err(); err != nil {
			return err
		}
		v := *prev
		if mask.Has("label") {
			v.Label = label
		}
		if mask.Has("effective_date") {
			v.EffectiveDate = date
		}
		if mask.Has("approval_reference") {
			v.ApprovalReference = ref
			// An adopted version's reference may be corrected, not removed
			// where its adoption needed one.
			if v.State == Adopted && ref == "" && prev.ApprovalReference != "" {
				why, err := needsApproval(ctx, tx, &v)
				if err != nil {
					return err
				}
				if why != "" {
					return errs.Invalid(errs.FieldViolation{Field: "approval_reference", Description: fmt.Sprintf(
						"cannot be removed from %q, adopted: %s; correct it instead", v.Label, why)})
				}
			}
		}
		v.Version, v.UpdateTime = prev.Version+1, s.now()
		res, err := tx.NewUpdate().Model(&v).Column("label", "effective_date", "approval_reference", "version", "update_time").
			WherePK().Where("version = ?", prev.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(name)
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: name, GrantID: grantID,
			Changes: audit.Diff(tx, prev, &v)}); err != nil {
			return err
		}
		out, err = readVersion(ctx, tx, c, grantID, versionID)
		return err
	})
	return out, err
}

// DeleteVersion deletes a draft version with its lines. etag, when set,
// must be current. Errors: not found, permission, aborted, precondition
// (BUDGET_VERSION_ADOPTED, BUDGET_LINE_IN_USE, GRANT_CLOSED).
func (s *Service) DeleteVersion(ctx context.Context, grantID, versionID, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		name := VersionName(grantID, versionID)
		if _, err := manageGrant(ctx, tx, c, grantID, name, "the budget"); err != nil {
			return err
		}
		v, err := loadVersion(ctx, tx, grantID, versionID)
		if err != nil {
			return err
		}
		if err := resource.CheckETag(name, etag, v.Version); err != nil {
			return err
		}
		if v.State != Draft {
			return errs.Precondition("BUDGET_VERSION_ADOPTED",
				"%s (%q) was adopted and is kept as it was decided; only a draft version can be deleted", name, v.Label)
		}
		if err := checkOrphans(ctx, tx, grantID, versionID, ""); err != nil {
			return err
		}
		var n int
		if err := tx.NewRaw("SELECT COUNT(*) FROM budget_lines WHERE budget_version_id = ?", versionID).Scan(ctx, &n); err != nil {
			return db.Err(err)
		}
		if _, err := tx.NewDelete().Table("budget_lines").Where("budget_version_id = ?", versionID).Exec(ctx); err != nil {
			return db.Err(err)
		}
		res, err := tx.NewDelete().Model(v).WherePK().Where("version = ?", v.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.Aborted(name)
		}
		changes := append(audit.Diff(tx, v, nil), audit.Change{Field: "lines", Old: fmt.Sprintf("%d", n)})
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: name, GrantID: grantID, Changes: changes})
	})
}

// checkOrphans refuses to delete lines (of a version, or the one line
// lineID when set) whose line key only they hold while expenditures point
// to it: those expenditures would lose their budget line.
func checkOrphans(ctx context.Context, tx bun.Tx, grantID, versionID, lineID string) error {
	q := `SELECT COUNT(*) FROM expenditures e WHERE e.grant_id = ? AND e.line_key IN
		(SELECT l.line_key FROM budget_lines l WHERE l.budget_version_id = ?`
	args := []any{grantID, versionID}
	if lineID != "" {
		q += ` AND l.id = ?`
		args = append(args, lineID)
	}
	q += `) AND e.line_key NOT IN (SELECT o.line_key FROM budget_lines o WHERE o.grant_id = ? AND o.budget_version_id <> ?)`
	args = append(args, grantID, versionID)
	var n int
	if err := tx.NewRaw(q, args...).Scan(ctx, &n); err != nil {
		return db.Err(err)
	}
	if n > 0 {
		return errs.Precondition("BUDGET_LINE_IN_USE",
			"%d expenditure(s) are recorded on budget lines that exist only here; move them to another line first", n)
	}
	return nil
}

// AdoptVersion makes a draft version the budget spending is compared with.
// Caps exceeded or transfers beyond the flexibility threshold do not stop
// it (CheckCompliance reports them); a version without lines is refused,
// and so is an addendum, or a transfer that lowers the contingency
// reserve, without the donor's approval reference (see AdoptVersionWith).
// etag, when set, must be current. Errors: not found, permission, aborted,
// invalid (approval_reference), precondition (BUDGET_VERSION_NOT_DRAFT,
// BUDGET_VERSION_EMPTY, GRANT_CLOSED).
func (s *Service) AdoptVersion(ctx context.Context, grantID, versionID, etag string) (*Version, error) {
	return s.AdoptVersionWith(ctx, grantID, versionID, etag, AdoptOptions{})
}

// AdoptOptions are what an adoption may record with it.
type AdoptOptions struct {
	// ApprovalReference, when set, becomes the version's approval
	// reference; "" keeps the version's own.
	ApprovalReference string
}

// AdoptVersionWith is AdoptVersion recording o with the adoption. An
// addendum needs the donor's approval reference, and so does a transfer
// that lowers the contingency heading (the prior approval of a use of the
// reserve): given in o or set on the version before, or the adoption is
// refused (invalid, field approval_reference, saying why). Errors: as
// AdoptVersion.
func (s *Service) AdoptVersionWith(ctx context.Context, grantID, versionID, etag string, o AdoptOptions) (*Version, error) {
	c := actor.From(ctx)
	var out *Version
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		name := VersionName(grantID, versionID)
		if _, err := manageGrant(ctx, tx, c, grantID, name, "the budget"); err != nil {
			return err
		}
		prev, err := loadVersion(ctx, tx, grantID, versionID)
		if err != nil {
			return err
		}
		if err := resource.CheckETag(name, etag, prev.Version); err != nil {
			return err
		}
		if prev.State != Draft {
			return errs.Precondition("BUDGET_VERSION_NOT_DRAFT", "%s (%q) is already adopted", name, prev.Label)
		}
		var n int
		if err := tx.NewRaw("SELECT COUNT(*) FROM budget_lines WHERE budget_version_id = ?", versionID).Scan(ctx, &n); err != nil {
			return db.Err(err)
		}
		if n == 0 {
			return errs.Precondition("BUDGET_VERSION_EMPTY", "%s (%q) has no lines; add the budget's lines before adopting it", name, prev.Label)
		}
		v := *prev
		var ve errs.Violations
		if ref := checkApprovalReference(o.ApprovalReference, &ve); ref != "" {
			v.ApprovalReference = ref
		}
		if err := ve.Err(); err != nil {
			return err
		}
		if v.ApprovalReference == "" {
			why, err := needsApproval(ctx, tx, &v)
			if err != nil {
				return err
			}
			if why != "" {
				return errs.Invalid(errs.FieldViolation{Field: "approval_reference", Description: fmt.Sprintf(
					"is required to adopt %q: %s", v.Label, why)})
			}
		}
		now := s.now()
		v.State, v.AdoptTime, v.Version, v.UpdateTime = Adopted, &now, prev.Version+1, now
		res, err := tx.NewUpdate().Model(&v).Column("state", "adopt_time", "approval_reference", "version", "update_time").
			WherePK().Where("version = ? AND state = ?", prev.Version, Draft).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.Aborted(name)
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "adopt", Resource: name, GrantID: grantID,
			Changes: audit.Diff(tx, prev, &v)}); err != nil {
			return err
		}
		out, err = readVersion(ctx, tx, c, grantID, versionID)
		return err
	})
	return out, err
}
