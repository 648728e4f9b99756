package project

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/geo"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service manages projects. Its exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on db.
func NewService(d *bun.DB) *Service {
	// Times are kept to the microsecond, as both databases store them, so
	// that what Create and Update answer equals what Get reads later.
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Filter narrows List. Every filter is applied in SQL.
type Filter struct {
	GrantID        string // only projects of this grant
	OrganisationID string // only projects this organisation takes part in
	CountryCode    string // only projects in this country
}

// Get returns a project the caller may read, with its countries and
// participants. Errors: not found (also for a project the caller may not
// read: its existence is not revealed).
func (s *Service) Get(ctx context.Context, id string) (*Project, error) {
	return getVisible(ctx, s.db, actor.From(ctx), id)
}

// Get reads one project with its countries and participants within idb (a
// transaction or the database), whoever the caller: for reference checks by
// other packages, never to answer a caller. Errors: not found.
func Get(ctx context.Context, idb bun.IDB, id string) (*Project, error) {
	return get(ctx, idb, id, nil)
}

// visible is the condition for the projects c may read, on the columns of
// the Project model's table alias.
func visible(c actor.Caller) policy.Cond { return policy.Projects(c, "p.id", "p.grant_id") }

// getVisible reads one project within idb if c may read it. Errors: not
// found (missing or out of c's scope).
func getVisible(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*Project, error) {
	scope := visible(c)
	return get(ctx, idb, id, &scope)
}

// getManaged reads one project within idb that c may change, with its
// grant. Errors: not found (c may not read it), permission (c may read but
// not change it).
func getManaged(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*Project, *grantfacts.Facts, error) {
	p, err := getVisible(ctx, idb, c, id)
	if err != nil {
		return nil, nil, err
	}
	g, err := readGrant(ctx, idb, p.GrantID, nil)
	if err != nil {
		return nil, nil, err
	}
	if g == nil {
		return nil, nil, errs.NotFound(p.Name()) // the grant went with it meanwhile
	}
	if !policy.CanManageGrant(c, g.ID, g.LeadOrganisationID) {
		return nil, nil, policy.Denied(p.Name())
	}
	return p, g, nil
}

// get reads one project with its children, within scope when it is not nil.
func get(ctx context.Context, idb bun.IDB, id string, scope *policy.Cond) (*Project, error) {
	p := new(Project)
	q := idb.NewSelect().Model(p).Where("p.id = ?", id)
	if scope != nil {
		q = policy.Where(q, *scope)
	}
	err := q.Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Projects, id)))
	}
	if err := loadChildren(ctx, idb, []*Project{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// List returns a page of the projects the caller may read (chosen in SQL),
// oldest first, with their countries and participants, and the token of the
// next page ("" on the last). Errors: invalid (country code, page size or
// token).
func (s *Service) List(ctx context.Context, f Filter, p page.Request) ([]*Project, string, error) {
	cur, err := page.Open(p, f.GrantID, f.OrganisationID, f.CountryCode)
	if err != nil {
		return nil, "", err
	}
	if f.CountryCode != "" {
		if _, err := geo.Country(f.CountryCode); err != nil {
			return nil, "", errs.Invalid(errs.FieldViolation{Field: "country_code", Description: err.Error()})
		}
	}
	var out []*Project
	q := policy.Where(s.db.NewSelect().Model(&out), visible(actor.From(ctx)))
	if f.GrantID != "" {
		q = q.Where("p.grant_id = ?", f.GrantID)
	}
	if f.OrganisationID != "" {
		q = q.Where("EXISTS (SELECT 1 FROM project_participants AS pp WHERE pp.project_id = p.id AND pp.organisation_id = ?)", f.OrganisationID)
	}
	if f.CountryCode != "" {
		q = q.Where("EXISTS (SELECT 1 FROM project_countries AS pc WHERE pc.project_id = p.id AND pc.country_code = ?)", f.CountryCode)
	}
	q = cur.Apply(q, "p.id")
	if err := q.Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	more := len(out) > cur.Limit
	if more {
		out = out[:cur.Limit]
	}
	if err := loadChildren(ctx, s.db, out); err != nil {
		return nil, "", err
	}
	next := ""
	if more {
		next = cur.Next(true, out[len(out)-1].ID)
	}
	return out, next, nil
}

// Create stores a new project with its countries and participants and
// records the creation in the audit trail, in one transaction. Only those
// who may manage the grant may; a grant the caller may not read does not
// exist for them. A retry with the same requestID returns the project made
// the first time and records nothing. Errors: permission, invalid (naming
// each field, including an unknown grant or organisation), precondition
// (GRANT_CLOSED), already exists (code taken within the grant).
func (s *Service) Create(ctx context.Context, in Input, requestID string) (*Project, error) {
	c := actor.From(ctx)
	if !policy.MayManageSomeGrant(c) {
		return nil, errs.PermissionDenied("only the coordinators of a grant and admins may create its projects; ask a coordinator")
	}
	now := s.now()
	var out *Project
	err := idem.Create(ctx, s.db, "CreateProject", requestID,
		func(ctx context.Context, tx bun.Tx, name string) (err error) {
			id, _ := strings.CutPrefix(name, resource.Projects+"/")
			out, err = getVisible(ctx, tx, c, id)
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			p, err := CreateIn(ctx, tx, c, in, now)
			if err != nil {
				return "", err
			}
			out = p
			return p.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateIn stores a new project made by c at now with its countries and
// participants, generates its partners' progress updates and records the
// creation in the audit trail, within tx: Create, and the creation of a
// grant from its contract in one transaction. Errors: as Create's.
func CreateIn(ctx context.Context, tx bun.IDB, c actor.Caller, in Input, now time.Time) (*Project, error) {
	var p Project
	var v errs.Violations
	p.normalise(in, &v)
	p.ID, p.Version, p.CreateTime, p.UpdateTime = resource.NewID(), 1, now, now
	if err := checkReferences(ctx, tx, c, &v, &p, "gets no new projects"); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if _, err := tx.NewInsert().Model(&p).Exec(ctx); err != nil {
		return nil, writeErr(err, &p)
	}
	if err := insertChildren(ctx, tx, &p); err != nil {
		return nil, err
	}
	if err := record(ctx, tx, "create", &p, diff(tx, nil, &p)); err != nil {
		return nil, err
	}
	if err := syncMilestones(ctx, tx, p.GrantID); err != nil {
		return nil, err
	}
	return &p, nil
}

// Update changes the fields named in mask (see Updatable) to their values in
// in; new countries or participants replace the old ones, in the same
// transaction, which also records the changed fields in the audit trail.
// etag is required and must be current: countries and participants are
// replaced as a whole, and a change made unseen must not be overwritten.
// in.GrantID, when set, must be the project's grant. Only those who may
// manage the grant may. Errors: not found (also for a project the caller may
// not read), permission (one they may read but not change), invalid (also a
// missing etag, field "etag"), aborted (stale etag), precondition
// (GRANT_CLOSED), already exists (code taken).
func (s *Service) Update(ctx context.Context, id string, in Input, mask resource.Mask, etag string) (*Project, error) {
	c := actor.From(ctx)
	var out *Project
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, _, err := getManaged(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := resource.RequireETag(cur.Name(), etag, cur.Version); err != nil {
			return err
		}
		if cur.Closed() {
			return errs.Precondition("PROJECT_CLOSED", "%s is closed and no longer changes; reopen it first", cur.Name())
		}
		var v errs.Violations
		if g := strings.TrimSpace(in.GrantID); g != "" && g != cur.GrantID {
			v.Add("grant", "cannot change: %s stays under %s, where it was created; create a new project under the other grant instead",
				cur.Name(), cur.GrantName())
		}
		p := *cur
		p.normalise(overlay(cur.Input(), in, mask), &v)
		if err := checkReferences(ctx, tx, c, &v, &p, "can no longer change its projects"); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		prev := p.Version
		p.Version++
		p.UpdateTime = s.now()
		res, err := tx.NewUpdate().Model(&p).WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return writeErr(err, &p)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(p.Name())
		}
		// The row is locked by the update above, so concurrent updates of the
		// same project replace the children one after the other.
		if mask.Has("country_codes") || mask.Has("participants") {
			if err := deleteChildren(ctx, tx, p.ID); err != nil {
				return db.Err(err)
			}
			if err := insertChildren(ctx, tx, &p); err != nil {
				return err
			}
		}
		if err := record(ctx, tx, "update", &p, diff(tx, cur, &p)); err != nil {
			return err
		}
		if mask.Has("participants") || mask.Has("start_date") || mask.Has("end_date") || mask.Has("progress_update_months") {
			if err := syncMilestones(ctx, tx, p.GrantID); err != nil {
				return err
			}
		}
		out = &p
		return nil
	})
	return out, err
}

// Delete removes a project, its countries and participants, and its open
// milestones, in one transaction, which also records the deletions in the
// audit trail. etag, when set, must be current. Only those who may manage
// the grant may. Errors: not found (also for a project the caller may not
// read), permission (one they may read but not change), aborted,
// precondition (PROJECT_HAS_HISTORY when one of its milestones was submitted
// or accepted; GRANT_CLOSED).
func (s *Service) Delete(ctx context.Context, id, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, g, err := getManaged(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := resource.CheckETag(p.Name(), etag, p.Version); err != nil {
			return err
		}
		if g.Closed() {
			return errs.Precondition("GRANT_CLOSED", "%s is closed and can no longer change its projects; %s stays as it is", g.Name(), p.Name())
		}
		var done int
		if err := tx.NewRaw("SELECT COUNT(*) FROM milestones WHERE project_id = ? AND (submit_time IS NOT NULL OR accept_time IS NOT NULL)",
			p.ID).Scan(ctx, &done); err != nil {
			return db.Err(err)
		}
		if done > 0 {
			return errs.Precondition(reasonHistory,
				"%s cannot be deleted: %d of its milestones were submitted or accepted, and their record must stay whole", p.Name(), done)
		}
		// Only open milestones go: one submitted meanwhile by another
		// transaction stays, and the foreign key then refuses the delete.
		var gone []*openMilestone
		if err := tx.NewSelect().Model(&gone).Where("project_id = ? AND submit_time IS NULL AND accept_time IS NULL", p.ID).
			OrderExpr("id ASC").Scan(ctx); err != nil {
			return db.Err(err)
		}
		if _, err := tx.NewRaw("DELETE FROM milestones WHERE project_id = ? AND submit_time IS NULL AND accept_time IS NULL",
			p.ID).Exec(ctx); err != nil {
			return deleteErr(err, p)
		}
		if err := deleteChildren(ctx, tx, p.ID); err != nil {
			return deleteErr(err, p)
		}
		res, err := tx.NewDelete().Model(p).WherePK().Where("version = ?", p.Version).Exec(ctx)
		if err != nil {
			return deleteErr(err, p)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(p.Name())
		}
		for _, m := range gone {
			if err := audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: resource.Name(resource.Milestones, m.ID),
				GrantID: m.GrantID, Changes: audit.Diff(tx, m, nil)}); err != nil {
				return err
			}
		}
		return record(ctx, tx, "delete", p, diff(tx, p, nil))
	})
}

// DefaultCloseReason is the reason kept with the milestones a project's
// closing cancels when none is given.
const DefaultCloseReason = "Project closed"

// Close closes a project whose work is done, now, by the caller: it no
// longer changes and gets no new milestones, and its open milestones are
// cancelled with reason (DefaultCloseReason when empty), in one transaction
// that records it all in the audit trail. It returns the project and how many
// milestones were cancelled. etag, when set, must be current. Only those who
// may manage the grant may. Errors: not found (also for a project the caller
// may not read), permission, invalid (reason too long), aborted,
// precondition (PROJECT_CLOSED: already; GRANT_CLOSED).
func (s *Service) Close(ctx context.Context, id, etag, reason string) (*Project, int, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = DefaultCloseReason
	}
	if n := len([]rune(reason)); n > milestone.MaxCancelReasonLen {
		return nil, 0, errs.Invalid(errs.FieldViolation{Field: "reason",
			Description: fmt.Sprintf("is %d characters long; at most %d", n, milestone.MaxCancelReasonLen)})
	}
	var cancelled int
	p, err := s.setClosed(ctx, id, etag, true, func(ctx context.Context, tx bun.Tx, p *Project, now time.Time) (err error) {
		cancelled, err = milestone.CancelOpen(ctx, tx, p.ID, now, reason)
		return err
	})
	return p, cancelled, err
}

// Reopen opens a closed project again; the milestones cancelled when it was
// closed stay cancelled. The rules and errors are Close's (PROJECT_OPEN: it
// is not closed).
func (s *Service) Reopen(ctx context.Context, id, etag string) (*Project, error) {
	return s.setClosed(ctx, id, etag, false, nil)
}

func (s *Service) setClosed(ctx context.Context, id, etag string, closed bool,
	then func(ctx context.Context, tx bun.Tx, p *Project, now time.Time) error) (*Project, error) {
	c := actor.From(ctx)
	var out *Project
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, g, err := getManaged(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := resource.CheckETag(cur.Name(), etag, cur.Version); err != nil {
			return err
		}
		switch {
		case g.Closed():
			return errs.Precondition("GRANT_CLOSED", "%s is closed and can no longer change its projects; %s stays as it is", g.Name(), cur.Name())
		case closed && cur.Closed():
			return errs.Precondition("PROJECT_CLOSED", "%s is already closed", cur.Name())
		case !closed && !cur.Closed():
			return errs.Precondition("PROJECT_OPEN", "%s is open; only a closed project can be reopened", cur.Name())
		}
		p := *cur
		now := s.now()
		action := "reopen"
		if closed {
			p.CloseTime, p.ClosedBy, action = &now, c.Name(), "close"
		} else {
			p.CloseTime, p.ClosedBy = nil, ""
		}
		p.Version, p.UpdateTime = cur.Version+1, now
		res, err := tx.NewUpdate().Model(&p).Column("close_time", "closed_by", "version", "update_time").
			WherePK().Where("version = ?", cur.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(p.Name())
		}
		if err := record(ctx, tx, action, &p, diff(tx, cur, &p)); err != nil {
			return err
		}
		if then != nil {
			if err := then(ctx, tx, &p, now); err != nil {
				return err
			}
		}
		out = &p
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const reasonHistory = "PROJECT_HAS_HISTORY"

func deleteErr(err error, p *Project) error {
	return db.Err(err, db.ForeignKey(errs.Precondition(reasonHistory, "%s cannot be deleted: other records refer to it", p.Name())))
}

// syncMilestones regenerates the grant's generated milestones (its
// partners' progress updates among them) within tx.
func syncMilestones(ctx context.Context, tx bun.IDB, grantID string) error {
	return milestone.SyncGrant(ctx, tx, grantID)
}

// readGrant reads a grant, visible to c when c is not nil, or returns nil
// when there is none with that id (that c may read).
func readGrant(ctx context.Context, idb bun.IDB, id string, c *actor.Caller) (*grantfacts.Facts, error) {
	var g *grantfacts.Facts
	var err error
	if c != nil {
		g, err = grantfacts.Visible(ctx, idb, *c, id)
	} else {
		g, err = grantfacts.Read(ctx, idb, id)
	}
	if errs.KindOf(err) == errs.KindNotFound {
		return nil, nil
	}
	return g, err
}

// checkReferences records in v an unknown grant or organisation and dates
// outside the grant's implementation period; a grant c may not read does
// not exist for them. A grant c may not manage, or a closed one, refuses
// the change (what says what a closed grant refuses). The error is for
// these refusals and for failures to read.
func checkReferences(ctx context.Context, idb bun.IDB, c actor.Caller, v *errs.Violations, p *Project, what string) error {
	var grant *grantfacts.Facts
	if p.GrantID != "" {
		g, err := readGrant(ctx, idb, p.GrantID, &c)
		if err != nil {
			return err
		}
		grant = g
		switch {
		case g == nil:
			v.Add("grant", "%s does not exist; give the grants/{id} of an existing grant", resource.Name(resource.Grants, p.GrantID))
		case !policy.CanManageGrant(c, g.ID, g.LeadOrganisationID):
			return policy.Denied(g.Name())
		case g.Closed():
			return errs.Precondition("GRANT_CLOSED", "%s is closed and %s", g.Name(), what)
		default:
			for _, d := range []struct {
				field string
				date  calendar.Date
			}{{"start_date", p.StartDate}, {"end_date", p.EndDate}} {
				if !d.date.IsZero() && !v.Has(d.field) && (d.date.Before(g.StartDate) || d.date.After(g.EndDate)) {
					v.Add(d.field, "must be within the implementation period of %s, %s to %s; got %s",
						g.Name(), g.StartDate, g.EndDate, d.date)
				}
			}
		}
	}
	var ids []string
	for _, pt := range p.Participants {
		if pt.OrganisationID != "" {
			ids = append(ids, pt.OrganisationID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var found []struct {
		ID      string `bun:"id"`
		Country string `bun:"country_code"`
	}
	if err := idb.NewSelect().Table("organisations").Column("id", "country_code").Where("id IN (?)", bun.List(ids)).Scan(ctx, &found); err != nil {
		return db.Err(err)
	}
	country := make(map[string]string, len(found))
	for _, o := range found {
		country[o.ID] = o.Country
	}
	for i, pt := range p.Participants {
		field := fmt.Sprintf("participants[%d].organisation", i)
		c, exists := country[pt.OrganisationID]
		if pt.OrganisationID != "" && !exists && !v.Has(field) {
			v.Add(field, "%s does not exist; give the organisations/{id} of an existing organisation",
				resource.Name(resource.Organisations, pt.OrganisationID))
		}
		if pt.CountryCode == "" {
			p.Participants[i].CountryCode = c
		}
	}
	if grant != nil {
		return checkShares(ctx, idb, v, p, grant)
	}
	return nil
}

// checkShares parses the participants' budget shares in the grant currency
// (writing them back in canonical form) and records in v shares that, with
// those of the grant's other projects, exceed its total eligible costs.
func checkShares(ctx context.Context, idb bun.IDB, v *errs.Violations, p *Project, g *grantfacts.Facts) error {
	var sum int64
	stated := false
	for i, pt := range p.Participants {
		if pt.BudgetShare == "" {
			continue
		}
		field := fmt.Sprintf("participants[%d].budget_share", i)
		a, err := money.Parse(pt.BudgetShare, g.CurrencyCode)
		if err != nil {
			v.Add(field, "%s", err.Error())
			continue
		}
		p.Participants[i].BudgetShare = money.Format(a, g.CurrencyCode)
		sum += a
		stated = true
	}
	if !stated || v.Has("participants") {
		return nil
	}
	var others int64
	if err := idb.NewRaw(`SELECT CAST(COALESCE(SUM(pp.budget_share), 0) AS BIGINT) FROM project_participants AS pp
		JOIN projects AS pr ON pr.id = pp.project_id WHERE pr.grant_id = ? AND pr.id <> ?`, g.ID, p.ID).Scan(ctx, &others); err != nil {
		return db.Err(err)
	}
	if others+sum > g.TotalEligibleCosts {
		v.Add("participants", "budget shares come to %s %s (%s in this project, %s in the grant's other projects), more than the total eligible costs of %s, %s %s; lower the shares",
			money.Format(others+sum, g.CurrencyCode), g.CurrencyCode, money.Format(sum, g.CurrencyCode),
			money.Format(others, g.CurrencyCode), g.Name(), money.Format(g.TotalEligibleCosts, g.CurrencyCode), g.CurrencyCode)
	}
	return nil
}

// countryRow and participantRow are the child rows of a project.
type countryRow struct {
	bun.BaseModel `bun:"table:project_countries"`

	ProjectID   string `bun:"project_id,pk"`
	CountryCode string `bun:"country_code,pk"`
	Position    int    `bun:"position"`
}

type participantRow struct {
	bun.BaseModel `bun:"table:project_participants"`

	ProjectID      string `bun:"project_id,pk"`
	OrganisationID string `bun:"organisation_id,pk"`
	Role           Role   `bun:"role"`
	CountryCode    string `bun:"country_code"`
	BudgetShare    int64  `bun:"budget_share"` // minor units of the grant currency; 0: not stated
	Position       int    `bun:"position"`
}

// loadChildren fills in the countries and participants of ps: one query per
// table, however many projects.
func loadChildren(ctx context.Context, idb bun.IDB, ps []*Project) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[string]*Project, len(ps))
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		p.CountryCodes, p.Participants = nil, nil
		byID[p.ID] = p
		ids = append(ids, p.ID)
	}
	var cs []countryRow
	if err := idb.NewSelect().Model(&cs).Where("project_id IN (?)", bun.List(ids)).
		OrderExpr("project_id ASC, position ASC").Scan(ctx); err != nil {
		return db.Err(err)
	}
	for _, c := range cs {
		p := byID[c.ProjectID]
		p.CountryCodes = append(p.CountryCodes, c.CountryCode)
	}
	var pts []struct {
		ProjectID      string `bun:"project_id"`
		OrganisationID string `bun:"organisation_id"`
		Role           Role   `bun:"role"`
		CountryCode    string `bun:"country_code"`
		BudgetShare    int64  `bun:"budget_share"`
		Currency       string `bun:"currency_code"`
	}
	if err := idb.NewRaw(`SELECT pp.project_id, pp.organisation_id, pp.role, pp.country_code, pp.budget_share, g.currency_code
		FROM project_participants AS pp JOIN projects AS pr ON pr.id = pp.project_id JOIN grants AS g ON g.id = pr.grant_id
		WHERE pp.project_id IN (?) ORDER BY pp.project_id ASC, pp.position ASC`, bun.List(ids)).Scan(ctx, &pts); err != nil {
		return db.Err(err)
	}
	for _, r := range pts {
		p := byID[r.ProjectID]
		pt := Participant{OrganisationID: r.OrganisationID, Role: r.Role, CountryCode: r.CountryCode}
		if r.BudgetShare != 0 {
			pt.BudgetShare = money.Format(r.BudgetShare, r.Currency)
		}
		p.Participants = append(p.Participants, pt)
	}
	return nil
}

// insertChildren writes the countries and participants of p, keeping their order.
func insertChildren(ctx context.Context, tx bun.IDB, p *Project) error {
	if len(p.CountryCodes) > 0 {
		rows := make([]countryRow, len(p.CountryCodes))
		for i, c := range p.CountryCodes {
			rows[i] = countryRow{ProjectID: p.ID, CountryCode: c, Position: i}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return db.Err(err)
		}
	}
	if len(p.Participants) > 0 {
		var currency string
		if err := tx.NewRaw("SELECT currency_code FROM grants WHERE id = ?", p.GrantID).Scan(ctx, &currency); err != nil {
			return db.Err(err, db.AllowNoRows)
		}
		rows := make([]participantRow, len(p.Participants))
		for i, pt := range p.Participants {
			rows[i] = participantRow{ProjectID: p.ID, OrganisationID: pt.OrganisationID, Role: pt.Role,
				CountryCode: pt.CountryCode, Position: i}
			if pt.BudgetShare != "" {
				// Checked by checkShares.
				rows[i].BudgetShare, _ = money.Parse(pt.BudgetShare, currency)
			}
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			// An organisation was deleted since it was checked.
			return db.Err(err, db.ForeignKey(errs.Invalid(errs.FieldViolation{Field: "participants",
				Description: "an organisation listed was deleted meanwhile; read the organisations again and retry"})))
		}
	}
	return nil
}

func deleteChildren(ctx context.Context, tx bun.IDB, projectID string) error {
	if _, err := tx.NewDelete().Model((*countryRow)(nil)).Where("project_id = ?", projectID).Exec(ctx); err != nil {
		return err
	}
	if _, err := tx.NewDelete().Model((*participantRow)(nil)).Where("project_id = ?", projectID).Exec(ctx); err != nil {
		return err
	}
	return nil
}

func writeErr(err error, p *Project) error {
	return db.Err(err, db.Unique(errs.AlreadyExistsOn("code", "code %q is already used by another project of %s; codes are unique within a grant", p.Code, p.GrantName())),
		db.ForeignKey(errs.Invalid(errs.FieldViolation{Field: "grant", Description: p.GrantName() + " was deleted meanwhile; choose an existing grant"})))
}
