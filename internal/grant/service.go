package grant

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service manages grants. Its exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on db.
func NewService(d *bun.DB) *Service {
	// Times are kept to the microsecond, as both databases store them, so
	// that what a write answers equals what a later read gives.
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Filter narrows List.
type Filter struct {
	FrameworkAgreementID string // only grants under this agreement
	State                State  // only grants in this state
	DonorID              string // only grants of this donor
	LeadOrganisationID   string // only grants led by this organisation
}

// Get returns a grant the caller may read. Errors: not found (also for a
// grant the caller may not read: its existence is not revealed).
func (s *Service) Get(ctx context.Context, id string) (*Grant, error) {
	return getVisible(ctx, s.db, actor.From(ctx), id)
}

// Get reads one grant within idb (a transaction or the database), whoever
// the caller: for reference checks by other packages, never to answer a
// caller. Errors: not found.
func Get(ctx context.Context, idb bun.IDB, id string) (*Grant, error) {
	return get(ctx, idb, id, nil)
}

// getVisible reads one grant within idb if c may read it. Errors: not found
// (missing or out of c's scope).
func getVisible(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*Grant, error) {
	scope := policy.Grants(c, "id")
	return get(ctx, idb, id, &scope)
}

// getManaged reads one grant within idb that c may change. Errors: not
// found (c may not read it), permission (c may read but not change it).
func getManaged(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*Grant, error) {
	g, err := getVisible(ctx, idb, c, id)
	if err != nil {
		return nil, err
	}
	if !policy.CanManageGrant(c, g.ID, g.LeadOrganisationID) {
		return nil, policy.Denied(g.describe())
	}
	return g, nil
}

// get reads one grant, within scope when it is not nil.
func get(ctx context.Context, idb bun.IDB, id string, scope *policy.Cond) (*Grant, error) {
	g := new(Grant)
	q := idb.NewSelect().Model(g).Where("id = ?", id)
	if scope != nil {
		q = policy.Where(q, *scope)
	}
	err := q.Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Grants, id)))
	}
	return g, nil
}

// List returns a page of the grants the caller may read (chosen in SQL),
// oldest first, and the token of the next page ("" on the last). Errors:
// invalid (page size or token).
func (s *Service) List(ctx context.Context, f Filter, p page.Request) ([]*Grant, string, error) {
	cur, err := page.Open(p, f.FrameworkAgreementID, string(f.State), f.DonorID, f.LeadOrganisationID)
	if err != nil {
		return nil, "", err
	}
	var out []*Grant
	q := policy.Where(s.db.NewSelect().Model(&out), policy.Grants(actor.From(ctx), "id"))
	if f.FrameworkAgreementID != "" {
		q = q.Where("framework_agreement_id = ?", f.FrameworkAgreementID)
	}
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.DonorID != "" {
		q = q.Where("donor_id = ?", f.DonorID)
	}
	if f.LeadOrganisationID != "" {
		q = q.Where("lead_organisation_id = ?", f.LeadOrganisationID)
	}
	q = cur.Apply(q, "id")
	if err := q.Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	more := len(out) > cur.Limit
	if more {
		out = out[:cur.Limit]
	}
	next := ""
	if more {
		next = cur.Next(true, out[len(out)-1].ID)
	}
	return out, next, nil
}

// Create stores a new draft grant, generates its reporting milestones and
// records the creation in the audit trail, in one transaction. Only admins
// and the coordinators of the lead organisation (not limited to named
// grants) may; an agreement the caller may not read does not exist for them.
// A retry with the same requestID returns the grant made the first time and
// records nothing. Errors: permission, invalid (naming each field and what
// would be valid), already exists (the donor already has a grant with this
// reference).
func (s *Service) Create(ctx context.Context, in Input, requestID string) (*Grant, error) {
	c := actor.From(ctx)
	if !policy.MayCreateGrants(c) {
		return nil, errs.PermissionDenied("only coordinators of a lead organisation and admins may create grants; ask a coordinator")
	}
	var out *Grant
	err := idem.Create(ctx, s.db, "CreateGrant", requestID,
		func(ctx context.Context, tx bun.Tx, name string) (err error) {
			id, _ := strings.CutPrefix(name, resource.Grants+"/")
			out, err = getVisible(ctx, tx, c, id)
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			g, err := CreateIn(ctx, tx, c, in, s.now())
			if err != nil {
				return "", err
			}
			out = g
			return g.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateOptions are the rarer wishes of an update.
type UpdateOptions struct {
	// ValidateOnly checks the change and reports what it would do, writing
	// nothing.
	ValidateOnly bool
	// ConfirmIneligible confirms that this many recorded expenditures,
	// which the change leaves outside the implementation period, become
	// ineligible (see Update).
	ConfirmIneligible int64
}

// MaxIneligibleListed is how many of the expenditures a change of dates
// makes ineligible an update lists (all are counted).
const MaxIneligibleListed = 500

// Ineligible are the recorded expenditures a change of the grant's dates
// leaves outside its implementation period: the first MaxIneligibleListed,
// by date, and the sums of them all.
type Ineligible struct {
	Listed []eligibility.Expenditure
	eligibility.Summary
}

// CreateIn stores a new draft grant made by c at now, generates its
// reporting milestones and records the creation in the audit trail, within
// tx: Create, and the creation of a grant from its contract with its
// budget and partners in one transaction. It checks what Create checks but
// c's right to create grants (the caller's to check). Errors: as Create's.
func CreateIn(ctx context.Context, tx bun.IDB, c actor.Caller, in Input, now time.Time) (*Grant, error) {
	g, err := build(ctx, tx, c, in, nil)
	if err != nil {
		return nil, err
	}
	g.ID, g.State, g.Version, g.CreateTime, g.UpdateTime = resource.NewID(), StateDraft, 1, now, now
	if _, err := tx.NewInsert().Model(g).Exec(ctx); err != nil {
		return nil, writeErr(err, g)
	}
	if err := syncMilestones(ctx, tx, g); err != nil {
		return nil, err
	}
	if err := record(ctx, tx, "create", g, audit.Diff(tx, nil, g)); err != nil {
		return nil, err
	}
	return g, nil
}

// Update changes the fields named in mask (see Updatable) to their values in
// in, checks the grant as a whole again and records the changed fields in
// the audit trail. etag is required and must be current: grants are edited
// by several coordinators and finance staff, and a change made unseen must
// not be overwritten. When the schedule changes (dates, reporting rules, lead organisation, currency or maximum
// contribution) the generated milestones follow, in the same transaction.
// Only those who may manage the grant may; a new lead organisation must be
// one they may manage too.
//
// A change of dates that leaves recorded expenditures (drafts, submitted
// or verified) outside the implementation period makes them ineligible:
// budget versus actual, compliance and the reports then list them as not
// eligible and never count them (package eligibility). It is refused
// unless opt.ConfirmIneligible is their number; with opt.ValidateOnly the
// change is checked and its outcome (the grant as it would be, with its
// current etag, and those expenditures) returned, and nothing is written.
//
// Errors: not found (also for a grant the caller may not read), permission
// (one they may read but not change, or a lead organisation they may not
// manage), invalid (also a missing etag, field "etag"), aborted (stale
// etag), already exists, precondition (GRANT_CLOSED,
// EXPENDITURES_OUTSIDE_PERIOD).
func (s *Service) Update(ctx context.Context, id string, in Input, mask resource.Mask, etag string) (*Grant, error) {
	g, _, err := s.UpdateWith(ctx, id, in, mask, etag, UpdateOptions{})
	return g, err
}

// UpdateWith is Update with options: a validate-only check, or the
// confirmation that expenditures become ineligible. It also returns the
// expenditures the change leaves outside the implementation period.
// Errors: as Update.
func (s *Service) UpdateWith(ctx context.Context, id string, in Input, mask resource.Mask, etag string, o UpdateOptions) (*Grant, *Ineligible, error) {
	c := actor.From(ctx)
	var out *Grant
	var outside *Ineligible
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		prev, err := getManaged(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := resource.RequireETag(prev.Name(), etag, prev.Version); err != nil {
			return err
		}
		if prev.State == StateClosed {
			return errs.Precondition("GRANT_CLOSED", "%s is closed and can no longer be changed", prev.describe())
		}
		g, err := build(ctx, tx, c, overlay(prev.Input(), in, mask), prev)
		if err != nil {
			return err
		}
		g.ID, g.State, g.CreateTime = prev.ID, prev.State, prev.CreateTime
		g.Version, g.UpdateTime = prev.Version+1, s.now()
		listed, sum, err := eligibility.Moved(ctx, tx, g.ID, prev.period(), g.period(), MaxIneligibleListed)
		if err != nil {
			return err
		}
		outside = &Ineligible{Listed: listed, Summary: sum}
		if sum.Count > 0 && !o.ValidateOnly && o.ConfirmIneligible != sum.Count {
			return outsideRefused(g, sum, o.ConfirmIneligible)
		}
		res, err := tx.NewUpdate().Model(g).WherePK().Where("version = ?", prev.Version).Exec(ctx)
		if err != nil {
			return writeErr(err, g)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(g.Name())
		}
		if !sameSchedule(prev.Schedule(), g.Schedule()) {
			if err := syncMilestones(ctx, tx, g); err != nil {
				return err
			}
		}
		if err := record(ctx, tx, "update", g, audit.Diff(tx, prev, g)); err != nil {
			return err
		}
		out = g
		if o.ValidateOnly {
			g.Version, g.UpdateTime = prev.Version, prev.UpdateTime
			return errValidateOnly
		}
		return nil
	})
	if errors.Is(err, errValidateOnly) {
		err = nil
	}
	if err != nil {
		return nil, nil, err
	}
	return out, outside, nil
}

// errValidateOnly rolls a validate-only update back.
var errValidateOnly = errors.New("validate only: roll back")

// outsideRefused refuses a change of dates that would leave sum's
// expenditures outside g's implementation period, unconfirmed (or
// confirmed with another number).
func outsideRefused(g *Grant, sum eligibility.Summary, confirmed int64) error {
	var where []string
	if sum.Before > 0 {
		where = append(where, fmt.Sprintf("%d dated before %s", sum.Before, g.StartDate))
	}
	if sum.After > 0 {
		where = append(where, fmt.Sprintf("%d dated after %s", sum.After, g.EndDate))
	}
	confirm := fmt.Sprintf("list them with validate_only, then confirm with confirm_ineligible_count %d", sum.Count)
	if confirmed != 0 {
		confirm = fmt.Sprintf("confirm_ineligible_count was %d but there are now %d (expenditures were recorded or removed meanwhile); list them again with validate_only", confirmed, sum.Count)
	}
	return errs.Precondition("EXPENDITURES_OUTSIDE_PERIOD",
		"%d recorded expenditure(s) (%s) would fall outside the implementation period %s to %s and become ineligible: "+
			"no longer counted as spending, listed as not eligible in budget versus actual, compliance and the financial reports "+
			"(%s %s converted); %s",
		sum.Count, strings.Join(where, ", "), g.StartDate, g.EndDate, money.Format(sum.Converted, g.CurrencyCode), g.CurrencyCode, confirm)
}

// Activate moves a draft grant to active and records it in the audit trail.
// etag, when set, must be current. Only those who may manage the grant may.
// Errors: not found (also for a grant the caller may not read), permission,
// aborted, precondition (GRANT_NOT_DRAFT).
func (s *Service) Activate(ctx context.Context, id, etag string) (*Grant, error) {
	return s.transition(ctx, id, etag, "activate", StateDraft, StateActive, "GRANT_NOT_DRAFT",
		"only a draft grant can be activated")
}

// Close moves an active grant to closed and records it in the audit trail; a
// closed grant can no longer be changed. etag, when set, must be current.
// Only those who may manage the grant may. Errors: not found (also for a
// grant the caller may not read), permission, aborted, precondition
// (GRANT_NOT_ACTIVE).
func (s *Service) Close(ctx context.Context, id, etag string) (*Grant, error) {
	return s.transition(ctx, id, etag, "close", StateActive, StateClosed, "GRANT_NOT_ACTIVE",
		"only an active grant can be closed; activate a draft grant first")
}

func (s *Service) transition(ctx context.Context, id, etag, action string, from, to State, reason, rule string) (*Grant, error) {
	c := actor.From(ctx)
	var out *Grant
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := getManaged(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := resource.CheckETag(g.Name(), etag, g.Version); err != nil {
			return err
		}
		if g.State != from {
			return errs.Precondition(reason, "%s is %s: %s", g.describe(), g.State, rule)
		}
		before := *g
		prev := g.Version
		g.State, g.Version, g.UpdateTime = to, prev+1, s.now()
		res, err := tx.NewUpdate().Model(g).Column("state", "version", "update_time").
			WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(g.Name())
		}
		if err := record(ctx, tx, action, g, audit.Diff(tx, &before, g)); err != nil {
			return err
		}
		out = g
		return nil
	})
	return out, err
}

// Delete removes a draft grant without projects, with its milestones, none
// of which may have been submitted, and records the deletions in the audit
// trail. etag, when set, must be current. Only those who may manage the
// grant may. Errors: not found (also for a grant the caller may not read),
// permission, aborted, precondition (GRANT_NOT_DRAFT, GRANT_HAS_PROJECTS,
// GRANT_HAS_SUBMITTED_MILESTONES).
func (s *Service) Delete(ctx context.Context, id, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := getManaged(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := resource.CheckETag(g.Name(), etag, g.Version); err != nil {
			return err
		}
		if g.State != StateDraft {
			return errs.Precondition("GRANT_NOT_DRAFT",
				"%s is %s: only a draft grant can be deleted, so that the record of a signed grant stays whole", g.describe(), g.State)
		}
		var projects, submitted int
		if err := tx.NewRaw("SELECT COUNT(*) FROM projects WHERE grant_id = ?", id).Scan(ctx, &projects); err != nil {
			return db.Err(err)
		}
		if projects > 0 {
			return errs.Precondition("GRANT_HAS_PROJECTS",
				"%s cannot be deleted: it has %d project(s); delete them first", g.describe(), projects)
		}
		if err := tx.NewRaw("SELECT COUNT(*) FROM milestones WHERE grant_id = ? AND (submit_time IS NOT NULL OR accept_time IS NOT NULL)", id).
			Scan(ctx, &submitted); err != nil {
			return db.Err(err)
		}
		if submitted > 0 {
			return errs.Precondition("GRANT_HAS_SUBMITTED_MILESTONES",
				"%s cannot be deleted: %d of its milestone(s) were submitted or accepted, and that record is kept", g.describe(), submitted)
		}
		// Only never-submitted milestones go: one submitted meanwhile stays, and
		// its reference then refuses the grant's deletion below.
		var gone []*milestone.Milestone
		if err := tx.NewSelect().Model(&gone).Where("grant_id = ? AND submit_time IS NULL AND accept_time IS NULL", id).
			OrderExpr("id ASC").Scan(ctx); err != nil {
			return db.Err(err)
		}
		if _, err := tx.NewRaw("DELETE FROM milestones WHERE grant_id = ? AND submit_time IS NULL AND accept_time IS NULL", id).Exec(ctx); err != nil {
			return db.Err(err)
		}
		if _, err := tx.NewDelete().Model(g).WherePK().Exec(ctx); err != nil {
			return db.Err(err, db.ForeignKey(errs.Precondition("GRANT_IN_USE", "%s cannot be deleted: a project or a submitted milestone was added to it meanwhile", g.describe())))
		}
		for _, m := range gone {
			if err := audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: m.Name(), GrantID: g.ID,
				Changes: audit.Diff(tx, m, nil)}); err != nil {
				return err
			}
		}
		return record(ctx, tx, "delete", g, audit.Diff(tx, g, nil))
	})
}

// record writes the audit event of a change to g within tx.
func record(ctx context.Context, tx bun.IDB, action string, g *Grant, changes []audit.Change) error {
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: g.Name(), GrantID: g.ID, Changes: changes})
}

// syncGenerated is milestone.SyncGenerated; tests observe the calls through it.
var syncGenerated = milestone.SyncGenerated

// syncMilestones (re)generates the grant's reporting milestones within tx.
func syncMilestones(ctx context.Context, tx bun.IDB, g *Grant) error {
	return db.Err(syncGenerated(ctx, tx, g.Schedule()))
}

func writeErr(err error, g *Grant) error {
	return db.Err(err,
		db.Unique(errs.AlreadyExistsOn("donor_reference", "%s already has a grant with reference %q; donor references are unique per donor",
			orgName(g.DonorID), g.DonorReference)),
		// An organisation or the agreement was deleted between the check and the write.
		db.ForeignKey(errs.Precondition("REFERENCE_DELETED",
			"the framework agreement, donor or lead organisation was deleted meanwhile; read them again and retry")))
}
