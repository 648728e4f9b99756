package milestone

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service manages milestones. Its exported methods own their transactions,
// act for the caller in their context (see access.go: they read only what the
// caller may read, and change only what the caller may change) and write an
// audit event with every change, in the same transaction.
type Service struct {
	db    *bun.DB
	clock atomic.Pointer[func() time.Time]
}

// NewService returns a Service on db, on the system clock (UTC).
func NewService(d *bun.DB) *Service {
	s := &Service{db: d}
	s.SetClock(func() time.Time { return time.Now().UTC() })
	return s
}

// SetClock makes the Service read the time, and so "today" for statuses and
// due lists, from now. Tests fix "today" with it. Safe for concurrent use.
func (s *Service) SetClock(now func() time.Time) { s.clock.Store(&now) }

func (s *Service) now() time.Time { return (*s.clock.Load())().UTC() }

// Today is the date of the Service's clock, in UTC.
func (s *Service) Today() calendar.Date { return calendar.Of(s.now()) }

// Filter narrows List. Empty fields do not filter.
type Filter struct {
	GrantID                   string
	ProjectID                 string
	ResponsibleOrganisationID string
	Kind                      Kind
	Status                    Status // derived from today of the Service's clock
}

// DueFilter says which open milestones ListDue returns.
type DueFilter struct {
	WithinDays                int    // due on or before today + WithinDays: 1 to MaxWithinDays
	ResponsibleOrganisationID string // "" for every organisation
	ExcludeOverdue            bool   // leave out those due before today
}

// MaxWithinDays is the longest window ListDue looks ahead.
const MaxWithinDays = 366

// Get returns a milestone the caller may read, with its status. Errors: not
// found (also for a milestone hidden from the caller).
func (s *Service) Get(ctx context.Context, id string) (*Milestone, error) {
	m, err := get(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	m.Status = m.StatusOn(s.Today())
	return m, nil
}

// Get reads one milestone within idb (a transaction or the database), with
// its status as of today (UTC, system clock), whoever the caller: for other
// packages that have already decided the caller may see it. Errors: not
// found.
func Get(ctx context.Context, idb bun.IDB, id string) (*Milestone, error) {
	m := new(Milestone)
	err := idb.NewSelect().Model(m).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Milestones, id)))
	}
	m.Status = m.StatusOn(calendar.Today())
	return m, nil
}

// List returns a page of the milestones the caller may read, ordered by due
// date, and the token of the next page ("" on the last). The caller's scope
// and the status filter are applied in SQL, the status relative to today of
// the Service's clock. Errors: invalid (kind, status, page size or token).
func (s *Service) List(ctx context.Context, f Filter, p page.Request) ([]*Milestone, string, error) {
	var v errs.Violations
	if f.Kind != "" && !f.Kind.valid() {
		v.Add("kind", "%q is not a milestone kind", f.Kind)
	}
	if f.Status != "" && !validStatus(f.Status) {
		v.Add("status", "%q is not a milestone status; one of upcoming, due soon, overdue, submitted, accepted or cancelled", f.Status)
	}
	cur, err := page.Open(p, f.GrantID, f.ProjectID, f.ResponsibleOrganisationID, string(f.Kind), string(f.Status))
	if err := merge(v, err); err != nil {
		return nil, "", err
	}
	today := s.Today()
	var out []*Milestone
	q := policy.Where(s.db.NewSelect().Model(&out), visible(ctx))
	if f.GrantID != "" {
		q = q.Where("grant_id = ?", f.GrantID)
	}
	if f.ProjectID != "" {
		q = q.Where("project_id = ?", f.ProjectID)
	}
	if f.ResponsibleOrganisationID != "" {
		q = q.Where("responsible_organisation_id = ?", f.ResponsibleOrganisationID)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Status != "" {
		q = whereStatus(q, f.Status, today)
	}
	return s.page(ctx, q, cur, &out, today)
}

// ListDue answers "what is due in the next N days": open (not submitted,
// accepted or cancelled) milestones the caller may read, due on or before today + f.WithinDays, and
// on or after today when f.ExcludeOverdue, for every organisation or the one
// named, by due date. Errors: invalid (window, page size or token).
func (s *Service) ListDue(ctx context.Context, f DueFilter, p page.Request) ([]*Milestone, string, error) {
	var v errs.Violations
	if f.WithinDays < 1 || f.WithinDays > MaxWithinDays {
		v.Add("within_days", "must be from 1 to %d days, got %d", MaxWithinDays, f.WithinDays)
	}
	cur, err := page.Open(p, strconv.Itoa(f.WithinDays), f.ResponsibleOrganisationID, strconv.FormatBool(f.ExcludeOverdue))
	if err := merge(v, err); err != nil {
		return nil, "", err
	}
	today := s.Today()
	var out []*Milestone
	q := policy.Where(s.db.NewSelect().Model(&out), visible(ctx)).
		Where(OpenSQL).
		Where("due_date <= ?", today.AddDays(f.WithinDays).String())
	if f.ExcludeOverdue {
		q = q.Where("due_date >= ?", today.String())
	}
	if f.ResponsibleOrganisationID != "" {
		q = q.Where("responsible_organisation_id = ?", f.ResponsibleOrganisationID)
	}
	return s.page(ctx, q, cur, &out, today)
}

// page runs q in (due_date, id) order after the cursor and returns the page,
// with statuses as of today, and the next token.
func (s *Service) page(ctx context.Context, q *bun.SelectQuery, cur page.Cursor, out *[]*Milestone, today calendar.Date) ([]*Milestone, string, error) {
	q = cur.Apply(q, "due_date", "id")
	if err := q.Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	list := *out
	more := len(list) > cur.Limit
	if more {
		list = list[:cur.Limit]
	}
	for _, m := range list {
		m.Status = m.StatusOn(today)
	}
	next := ""
	if more {
		last := list[len(list)-1]
		next = cur.Next(true, last.DueDate.String(), last.ID)
	}
	return list, next, nil
}

// merge returns the violations of v and of err (from page.Open) as one
// invalid error, err itself when it is of another kind, or nil.
func merge(v errs.Violations, err error) error {
	var e *errs.Error
	if err != nil && (!errors.As(err, &e) || e.Kind != errs.KindInvalid) {
		return err
	}
	if e != nil {
		v = append(v, e.Violations...)
	}
	return v.Err()
}

func validStatus(st Status) bool {
	for _, c := range Statuses {
		if st == c {
			return true
		}
	}
	return false
}

// whereStatus adds the SQL condition of status st on day today: the same
// rules as StatusOn.
func whereStatus(q *bun.SelectQuery, st Status, today calendar.Date) *bun.SelectQuery {
	const open = OpenSQL
	t, soon := today.String(), today.AddDays(DueSoonDays).String()
	switch st {
	case StatusCancelled:
		return q.Where("cancel_time IS NOT NULL")
	case StatusAccepted:
		return q.Where("accept_time IS NOT NULL AND cancel_time IS NULL")
	case StatusSubmitted:
		return q.Where("submit_time IS NOT NULL AND accept_time IS NULL AND cancel_time IS NULL")
	case StatusOverdue:
		return q.Where(open+" AND due_date < ?", t)
	case StatusDueSoon:
		return q.Where(open+" AND due_date >= ? AND due_date <= ?", t, soon)
	case StatusUpcoming:
		return q.Where(open+" AND due_date > ?", soon)
	}
	return q
}

// allFields is the mask of every field a caller writes on creation.
var allFields = resource.Mask(append([]string{"grant"}, Updatable...))

// Create stores a milestone made by hand, for a caller who may manage its
// grant. A retry with the same requestID returns the milestone made the first
// time, and records nothing more. Errors: permission (the caller may read the
// grant but not manage it), invalid (naming the field: grant, project, kind,
// title, dates, responsible_organisation, including a grant, project or
// organisation that does not exist or that the caller cannot read, or a
// project of another grant), precondition (REFERENCE_DELETED: a referenced
// record was deleted meanwhile).
func (s *Service) Create(ctx context.Context, in Input, requestID string) (*Milestone, error) {
	m := new(Milestone)
	now := s.now()
	if in.Kind == KindAdditionalInformation && strings.TrimSpace(in.DueDate) == "" {
		// The donor's request for additional information: due within 30 days.
		in.DueDate = calendar.Of(now).AddDays(AdditionalInformationDays).String()
	}
	var checked errs.Violations
	m.apply(in, allFields, &checked)
	m.normalise(&checked)
	m.ID, m.Version, m.CreateTime, m.UpdateTime = resource.NewID(), 1, now, now
	var out *Milestone
	err := idem.Create(ctx, s.db, "CreateMilestone", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			id, _ := strings.CutPrefix(name, resource.Milestones+"/")
			prev, err := get(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := authorise(ctx, tx, prev, manage); err != nil {
				return err
			}
			out = prev
			return nil
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			v := append(errs.Violations(nil), checked...)
			if m.GrantID != "" {
				lead, ok, err := visibleGrant(ctx, tx, m.GrantID)
				switch {
				case err != nil:
					return "", err
				case !ok:
					v.Add("grant", "%s does not exist; give an existing grant", resource.Name(resource.Grants, m.GrantID))
				case !policy.CanManageGrant(actor.From(ctx), m.GrantID, lead):
					return "", policy.Denied("the milestones of " + resource.Name(resource.Grants, m.GrantID))
				}
			}
			if err := checkReferences(ctx, tx, m, &v); err != nil {
				return "", err
			}
			if err := v.Err(); err != nil {
				return "", err
			}
			if err := refuseClosedProject(ctx, tx, m.ProjectID); err != nil {
				return "", err
			}
			if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
				return "", writeErr(err)
			}
			if err := record(ctx, tx, "create", m, audit.Diff(tx, nil, m)); err != nil {
				return "", err
			}
			out = m
			return m.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	out.Status = out.StatusOn(calendar.Of(now))
	return out, nil
}

// Update changes the fields named in mask (see Updatable) to their values in
// in, for a caller who may manage the milestone's grant. etag is required
// and must be current: a due date or owner changed unseen must not be
// overwritten. A generated milestone whose content changes is marked
// edited, so that generation no longer moves it. Errors: not found (also
// hidden from the caller), permission (readable, not changeable), invalid
// (including a project or organisation the caller cannot read, and a
// missing etag, field "etag"), aborted (stale etag),
// precondition (MILESTONE_SUBMITTED: a submitted or accepted milestone is a
// record and no longer changes; REFERENCE_DELETED).
func (s *Service) Update(ctx context.Context, id string, in Input, mask resource.Mask, etag string) (*Milestone, error) {
	var out *Milestone
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		m, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := authorise(ctx, tx, m, manage); err != nil {
			return err
		}
		if err := resource.RequireETag(m.Name(), etag, m.Version); err != nil {
			return err
		}
		if err := refuseCancelled(m); err != nil {
			return err
		}
		if !m.Open() {
			return errs.Precondition("MILESTONE_SUBMITTED",
				"%s was already submitted and can no longer be changed; it is kept as it was delivered", m.Name())
		}
		before := *m
		var v errs.Violations
		m.apply(in, mask, &v)
		m.normalise(&v)
		if err := checkReferences(ctx, tx, m, &v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if m.ProjectID != before.ProjectID {
			if err := refuseClosedProject(ctx, tx, m.ProjectID); err != nil {
				return err
			}
		}
		if m.Generated() && !sameContent(&before, m) {
			m.Edited = true
		}
		prev := m.Version
		m.Version++
		m.UpdateTime = s.now()
		res, err := tx.NewUpdate().Model(m).WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return writeErr(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(m.Name())
		}
		if err := record(ctx, tx, "update", m, audit.Diff(tx, &before, m)); err != nil {
			return err
		}
		out = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Status = out.StatusOn(s.Today())
	return out, nil
}

// Delete removes a milestone made by hand that was never submitted, for a
// caller who may manage its grant. etag, when set, must be current. Errors:
// not found (also hidden from the caller), permission, aborted, precondition
// (MILESTONE_HAS_HISTORY: submitted or accepted; MILESTONE_GENERATED: it
// comes from the grant's deadline rules, which are to be changed instead).
// A generated milestone that the grant's current rules no longer produce
// (one kept by regeneration because it was edited) may be deleted.
func (s *Service) Delete(ctx context.Context, id, etag string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		m, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := authorise(ctx, tx, m, manage); err != nil {
			return err
		}
		if err := resource.CheckETag(m.Name(), etag, m.Version); err != nil {
			return err
		}
		if m.Cancelled() {
			return errs.Precondition("MILESTONE_HAS_HISTORY",
				"%s was cancelled and cannot be deleted: its cancellation and reason are part of the grant's reporting record", m.Name())
		}
		if !m.Open() {
			return errs.Precondition("MILESTONE_HAS_HISTORY",
				"%s was submitted and cannot be deleted: it is part of the grant's reporting record", m.Name())
		}
		if m.Generated() {
			wanted, err := stillGenerated(ctx, tx, m)
			if err != nil {
				return err
			}
			if wanted {
				return errs.Precondition("MILESTONE_GENERATED",
					"%s is generated from the dates and deadline rules of %s and cannot be deleted; change the grant's "+
						"rules instead, or edit the milestone", m.Name(), resource.Name(resource.Grants, m.GrantID))
			}
		}
		res, err := tx.NewDelete().Model(m).WherePK().Where("version = ?", m.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(m.Name())
		}
		return record(ctx, tx, "delete", m, audit.Diff(tx, m, nil))
	})
}

// stillGenerated reports whether the grant's current schedule produces m's
// generator key.
func stillGenerated(ctx context.Context, tx bun.IDB, m *Milestone) (bool, error) {
	sched, err := readSchedule(ctx, tx, m.GrantID)
	if err != nil {
		return false, err
	}
	for _, w := range sched.Plan() {
		if w.GeneratorKey == m.GeneratorKey {
			return true, nil
		}
	}
	return false, nil
}

// Submit records that the milestone was delivered, now: for a caller who may
// manage its grant or edits for its responsible organisation. etag, when
// set, must be current. Errors: not found (also hidden from the caller),
// permission, aborted, precondition (MILESTONE_SUBMITTED: already submitted
// or accepted; MILESTONE_FOLLOWS_PROGRESS_UPDATE: a partner progress update,
// submitted by submitting its update).
func (s *Service) Submit(ctx context.Context, id, etag string) (*Milestone, error) {
	return s.transition(ctx, id, etag, submit, "submit", func(_ bun.IDB, m *Milestone, now time.Time) error {
		if err := followsItsUpdate(m); err != nil {
			return err
		}
		if err := refuseCancelled(m); err != nil {
			return err
		}
		if !m.Open() {
			return errs.Precondition("MILESTONE_SUBMITTED", "%s was already submitted", m.Name())
		}
		m.SubmitTime = &now
		return nil
	})
}

// Accept records that a submitted milestone was accepted, now, for a caller
// who may manage its grant. etag, when set, must be current. Errors: not
// found (also hidden from the caller), permission, aborted, precondition
// (MILESTONE_NOT_SUBMITTED: submit it first; MILESTONE_ACCEPTED: already
// accepted; MILESTONE_FOLLOWS_PROGRESS_UPDATE: a partner progress update,
// accepted by approving its update).
func (s *Service) Accept(ctx context.Context, id, etag string) (*Milestone, error) {
	return s.transition(ctx, id, etag, manage, "accept", func(_ bun.IDB, m *Milestone, now time.Time) error {
		if err := followsItsUpdate(m); err != nil {
			return err
		}
		if err := refuseCancelled(m); err != nil {
			return err
		}
		switch {
		case m.AcceptTime != nil:
			return errs.Precondition("MILESTONE_ACCEPTED", "%s was already accepted", m.Name())
		case m.SubmitTime == nil:
			return errs.Precondition("MILESTONE_NOT_SUBMITTED",
				"%s has not been submitted; only a submitted milestone can be accepted", m.Name())
		}
		m.AcceptTime = &now
		return nil
	})
}

// MaxCancelReasonLen is the longest reason for a cancellation, in characters.
const MaxCancelReasonLen = 1000

// Cancel cancels an open milestone, now, for a caller who may manage its
// grant: it is no longer due (nor overdue), stays in the lists and the
// history with its reason, who cancelled it and when, and generation no
// longer moves or removes it. etag, when set, must be current. A partner
// progress update whose update was started cannot be cancelled (the update
// is the partner's record). Errors: not found (also hidden from the caller),
// permission, invalid (reason missing or too long, field "reason"), aborted,
// precondition (MILESTONE_CANCELLED: already; MILESTONE_SUBMITTED: submitted
// or accepted, a record; MILESTONE_HAS_PROGRESS_UPDATE).
func (s *Service) Cancel(ctx context.Context, id, etag, reason string) (*Milestone, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return nil, errs.Invalid(errs.FieldViolation{Field: "reason",
			Description: "is required: say why the milestone is cancelled, e.g. \"The donor withdrew its request\"; it is kept with the milestone"})
	case n > MaxCancelReasonLen:
		return nil, errs.Invalid(errs.FieldViolation{Field: "reason",
			Description: fmt.Sprintf("is %d characters long; at most %d", n, MaxCancelReasonLen)})
	}
	return s.transition(ctx, id, etag, manage, "cancel", func(tx bun.IDB, m *Milestone, now time.Time) error {
		return cancelInTx(ctx, tx, m, now, reason)
	})
}

// cancelInTx marks m cancelled at now with reason, by the caller of ctx,
// after checking it may be. It writes nothing: the caller stores m.
func cancelInTx(ctx context.Context, idb bun.IDB, m *Milestone, now time.Time, reason string) error {
	if err := refuseCancelled(m); err != nil {
		return err
	}
	if !m.Open() {
		return errs.Precondition("MILESTONE_SUBMITTED",
			"%s was already submitted and cannot be cancelled; it is kept as it was delivered", m.Name())
	}
	if m.Kind == KindPartnerProgressUpdate {
		n, err := idb.NewSelect().Table("progress_updates").Where("milestone_id = ?", m.ID).Count(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n > 0 {
			return errs.Precondition("MILESTONE_HAS_PROGRESS_UPDATE",
				"%s has a progress update under way, which is its partner's record; return or finish that update instead", m.Name())
		}
	}
	c := actor.From(ctx)
	name := ""
	if c.UserID != "" {
		if err := idb.NewSelect().Table("users").Column("display_name").Where("id = ?", c.UserID).Scan(ctx, &name); err != nil {
			return db.Err(err, db.AllowNoRows)
		}
	}
	m.CancelTime, m.CancelReason, m.CancelledBy, m.CancelledByName = &now, reason, c.Name(), name
	return nil
}

// CancelOpen cancels, within tx, the open milestones of project projectID at
// now with reason, by the caller of ctx (who the project package has found
// may manage the grant), and writes their audit events. Partner progress
// updates with an update under way are left open. It returns how many it
// cancelled. Errors: internal.
func CancelOpen(ctx context.Context, tx bun.IDB, projectID string, now time.Time, reason string) (int, error) {
	var open []*Milestone
	if err := tx.NewSelect().Model(&open).Where("project_id = ?", projectID).Where(OpenSQL).
		OrderExpr("due_date ASC, id ASC").Scan(ctx); err != nil {
		return 0, db.Err(err)
	}
	n := 0
	for _, m := range open {
		before := *m
		if err := cancelInTx(ctx, tx, m, now, reason); err != nil {
			if errs.Is(err, errs.KindPrecondition) {
				continue
			}
			return n, err
		}
		prev := m.Version
		m.Version++
		m.UpdateTime = now
		res, err := tx.NewUpdate().Model(m).
			Column("cancel_time", "cancel_reason", "cancelled_by", "cancelled_by_name", "version", "update_time").
			WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return n, db.Err(err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			continue
		}
		if err := record(ctx, tx, "cancel", m, audit.Diff(tx, &before, m)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// refuseCancelled refuses any change of a cancelled milestone.
func refuseCancelled(m *Milestone) error {
	if m.Cancelled() {
		return errs.Precondition("MILESTONE_CANCELLED",
			"%s was cancelled (%s) and no longer changes; add a new milestone if the obligation comes back", m.Name(), m.CancelReason)
	}
	return nil
}

// refuseClosedProject refuses a new milestone under a closed project.
func refuseClosedProject(ctx context.Context, idb bun.IDB, projectID string) error {
	if projectID == "" {
		return nil
	}
	n, err := idb.NewSelect().Table("projects").Where("id = ? AND close_time IS NOT NULL", projectID).Count(ctx)
	if err != nil {
		return db.Err(err)
	}
	if n > 0 {
		return errs.Precondition("PROJECT_CLOSED", "%s is closed and gets no new milestones; reopen it first",
			resource.Name(resource.Projects, projectID))
	}
	return nil
}

// followsItsUpdate refuses to submit or accept a partner progress update
// milestone by hand: its status follows its progress update (submitted,
// returned, approved; see follow.go), so that it is never "submitted"
// without an update or "accepted" without a review.
func followsItsUpdate(m *Milestone) error {
	if m.Kind != KindPartnerProgressUpdate {
		return nil
	}
	return errs.Precondition("MILESTONE_FOLLOWS_PROGRESS_UPDATE",
		"%s is a partner progress update: it is submitted by submitting its progress update (CreateProgressUpdate, then "+
			"SubmitProgressUpdate) and accepted by approving that update", m.Name())
}

// transition applies change to the milestone in a transaction, for a caller
// allowed to do a, with the etag check, a new version and an audit event
// named auditAction.
func (s *Service) transition(ctx context.Context, id, etag string, a action, auditAction string,
	change func(tx bun.IDB, m *Milestone, now time.Time) error) (*Milestone, error) {
	var out *Milestone
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		m, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := authorise(ctx, tx, m, a); err != nil {
			return err
		}
		if err := resource.CheckETag(m.Name(), etag, m.Version); err != nil {
			return err
		}
		before := *m
		now := s.now()
		if err := change(tx, m, now); err != nil {
			return err
		}
		prev := m.Version
		m.Version++
		m.UpdateTime = now
		res, err := tx.NewUpdate().Model(m).
			Column("submit_time", "accept_time", "cancel_time", "cancel_reason", "cancelled_by", "cancelled_by_name", "version", "update_time").
			WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(m.Name())
		}
		if err := record(ctx, tx, auditAction, m, audit.Diff(tx, &before, m)); err != nil {
			return err
		}
		out = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Status = out.StatusOn(s.Today())
	return out, nil
}

// checkReferences checks, within tx, that m's project (of m's grant) and
// responsible organisation exist and that the caller in ctx may read them,
// adding a violation to v for each field that is wrong. The grant is the
// caller's to check: Create refuses a grant the caller cannot read or
// manage, and Update never changes it. Errors: internal.
func checkReferences(ctx context.Context, tx bun.IDB, m *Milestone, v *errs.Violations) error {
	c := actor.From(ctx)
	if m.ProjectID != "" {
		var grantIDs []string
		q := tx.NewSelect().Table("projects").Column("grant_id").Where("id = ?", m.ProjectID)
		if err := policy.Where(q, policy.Projects(c, "id", "grant_id")).Scan(ctx, &grantIDs); err != nil {
			return db.Err(err)
		}
		switch {
		case len(grantIDs) == 0:
			v.Add("project", "%s does not exist; give a project of the milestone's grant, or none for the whole grant",
				resource.Name(resource.Projects, m.ProjectID))
		case grantIDs[0] != m.GrantID:
			v.Add("project", "%s belongs to %s, not to the milestone's grant %s; give a project of the same grant, or none",
				resource.Name(resource.Projects, m.ProjectID), resource.Name(resource.Grants, grantIDs[0]),
				resource.Name(resource.Grants, m.GrantID))
		}
	}
	if m.ResponsibleOrganisationID != "" {
		var n int
		q := tx.NewSelect().Table("organisations").ColumnExpr("COUNT(*)").Where("id = ?", m.ResponsibleOrganisationID)
		if err := policy.Where(q, policy.Organisations(c, "id")).Scan(ctx, &n); err != nil {
			return db.Err(err)
		}
		if n == 0 {
			v.Add("responsible_organisation", "%s does not exist; give an existing organisation",
				resource.Name(resource.Organisations, m.ResponsibleOrganisationID))
		}
	}
	return nil
}

func writeErr(err error) error {
	// The grant, project or organisation was deleted between the check and the write.
	return db.Err(err, db.ForeignKey(errs.Precondition("REFERENCE_DELETED",
		"the grant, project or responsible organisation was deleted meanwhile; read them again and retry")))
}
