package progress

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// Service manages progress updates. Its exported methods own their
// transactions, act for the caller in their context (see access.go: they
// read only what the caller may read, and change only what the caller may
// change) and write an audit event with every step, in the same
// transaction; the steps of the review also notify the other side, in the
// same transaction. Saving a draft notifies nobody.
type Service struct {
	db    *bun.DB
	clock atomic.Pointer[func() time.Time]
}

// NewService returns a Service on d, on the system clock (UTC).
func NewService(d *bun.DB) *Service {
	s := &Service{db: d}
	s.SetClock(func() time.Time { return time.Now().UTC() })
	return s
}

// SetClock makes the Service read the time (submission, return and approval
// times, and "today" for lateness) from now. Safe for concurrent use.
func (s *Service) SetClock(now func() time.Time) { s.clock.Store(&now) }

func (s *Service) now() time.Time { return (*s.clock.Load())().UTC().Truncate(time.Microsecond) }

func (s *Service) today() calendar.Date { return calendar.Of(s.now()) }

// selectUpdates selects updates into out with what they show of their
// milestone, organisation and project; detail includes the narrative
// sections and values, which lists leave out.
func selectUpdates(idb bun.IDB, out any, detail bool) *bun.SelectQuery {
	q := idb.NewSelect().Model(out)
	if detail {
		q = q.ColumnExpr("pu.*")
	} else {
		q = q.ColumnExpr("pu.id, pu.milestone_id, pu.grant_id, pu.project_id, pu.organisation_id, pu.state, " +
			"pu.submission_count, pu.first_submit_time, pu.submit_time, pu.return_time, pu.approve_time, pu.created_by, " +
			"pu.version, pu.create_time, pu.update_time")
	}
	return q.ColumnExpr("m.title AS milestone_title, m.period_start_date, m.period_end_date, m.due_date").
		ColumnExpr("COALESCE(m.generator_key, '') AS milestone_generator_key, m.edited AS milestone_edited").
		ColumnExpr("o.display_name AS organisation_display_name").
		ColumnExpr("COALESCE(p.code, '') AS project_code, COALESCE(p.title, '') AS project_title").
		Join("JOIN milestones AS m ON m.id = pu.milestone_id").
		Join("JOIN organisations AS o ON o.id = pu.organisation_id").
		Join("LEFT JOIN projects AS p ON p.id = pu.project_id")
}

// get reads update id, which the caller in ctx may read, within idb.
// Errors: not found (also for one hidden from the caller), internal.
func get(ctx context.Context, idb bun.IDB, id string) (*Update, error) {
	u := new(Update)
	err := policy.Where(selectUpdates(idb, u, true).Where("pu.id = ?", id), visible(ctx)).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(Name(id)))
	}
	return u, nil
}

// completer derives what is not stored of updates, caching per grant.
type completer struct {
	ctx     context.Context
	idb     bun.IDB
	today   calendar.Date
	periods map[string][]milestone.Period
	rights  map[[2]string]rights
}

func (s *Service) completer(ctx context.Context, idb bun.IDB) *completer {
	return &completer{ctx: ctx, idb: idb, today: s.today(), periods: map[string][]milestone.Period{}, rights: map[[2]string]rights{}}
}

func (c *completer) periodOf(grantID string, d calendar.Date) (int, error) {
	ps, ok := c.periods[grantID]
	if !ok {
		var err error
		if ps, err = milestone.GrantPeriods(c.ctx, c.idb, grantID); err != nil {
			return 0, err
		}
		c.periods[grantID] = ps
	}
	return milestone.PeriodOf(ps, d), nil
}

func (c *completer) rightsOn(grantID, orgID string) (rights, error) {
	k := [2]string{grantID, orgID}
	r, ok := c.rights[k]
	if !ok {
		var err error
		if r, err = rightsOn(c.ctx, c.idb, grantID, orgID); err != nil {
			return rights{}, err
		}
		c.rights[k] = r
	}
	return r, nil
}

// periodDate is the day that places u in a reporting period: the end of
// the period it covers, or its due date when it covers none.
func (u *Update) periodDate() calendar.Date {
	if u.PeriodEnd.IsZero() {
		return u.DueDate
	}
	return u.PeriodEnd
}

// complete sets u's reporting period, lateness and the caller's rights.
func (c *completer) complete(u *Update) error {
	var err error
	if u.ReportingPeriod, err = c.periodOf(u.GrantID, u.periodDate()); err != nil {
		return err
	}
	u.Late = LateOn(u.DueDate, u.FirstSubmitTime, c.today)
	r, err := c.rightsOn(u.GrantID, u.OrganisationID)
	if err != nil {
		return err
	}
	u.fill(r)
	return nil
}

// detail sets the mismatched disaggregations of u's values, and its
// attachments (with their uploaders' names).
func (c *completer) detail(u *Update) error {
	inds, err := indicators(c.ctx, c.idb, u.ProjectID)
	if err != nil {
		return err
	}
	for k := range u.IndicatorValues {
		iv := &u.IndicatorValues[k]
		iv.Mismatched = mismatches(inds[iv.IndicatorID], *iv)
	}
	if u.Attachments, err = attachment.ListFor(c.ctx, c.idb, u.Name()); err != nil {
		return err
	}
	if u.State.Editable() {
		if u.Suggestions, err = suggestions(c.ctx, c.idb, u, inds); err != nil {
			return err
		}
	}
	return nil
}

// indicators returns the indicators of project projectID by id (none for
// "").
func indicators(ctx context.Context, idb bun.IDB, projectID string) (map[string]*results.Indicator, error) {
	out := map[string]*results.Indicator{}
	if projectID == "" {
		return out, nil
	}
	var list []*results.Indicator
	if err := idb.NewSelect().Model(&list).Where("i.project_id = ?", projectID).Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	for _, i := range list {
		out[i.ID] = i
	}
	return out, nil
}

// read returns update id as the caller sees it, complete. Errors: not
// found, internal.
func (s *Service) read(ctx context.Context, idb bun.IDB, id string) (*Update, error) {
	u, err := get(ctx, idb, id)
	if err != nil {
		return nil, err
	}
	c := s.completer(ctx, idb)
	if err := c.complete(u); err != nil {
		return nil, err
	}
	if err := c.detail(u); err != nil {
		return nil, err
	}
	if err := returnComments(ctx, idb, []*Update{u}); err != nil {
		return nil, err
	}
	return u, nil
}

// Get returns update id, with its values, attachments and what the caller
// may do with it. Errors: not found (also for one hidden from the caller).
func (s *Service) Get(ctx context.Context, id string) (*Update, error) {
	return s.read(ctx, s.db, id)
}

// Filter narrows List. Empty fields do not filter.
type Filter struct {
	GrantID        string
	ProjectID      string
	OrganisationID string
	State          State
}

// List returns a page of the updates the caller may read that match f, by
// due date, without their narrative sections, values and attachments (Get
// has them). Errors: invalid (page size or token).
func (s *Service) List(ctx context.Context, f Filter, p page.Request) ([]*Update, string, error) {
	cur, err := page.Open(p, f.GrantID, f.ProjectID, f.OrganisationID, string(f.State))
	if err != nil {
		return nil, "", err
	}
	var out []*Update
	q := policy.Where(selectUpdates(s.db, &out, false), visible(ctx))
	if f.GrantID != "" {
		q = q.Where("pu.grant_id = ?", f.GrantID)
	}
	if f.ProjectID != "" {
		q = q.Where("pu.project_id = ?", f.ProjectID)
	}
	if f.OrganisationID != "" {
		q = q.Where("pu.organisation_id = ?", f.OrganisationID)
	}
	if f.State != "" {
		q = q.Where("pu.state = ?", f.State)
	}
	if err := cur.Apply(q, "m.due_date", "pu.id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		last := out[len(out)-1]
		next = cur.Next(true, last.DueDate.String(), last.ID)
	}
	c := s.completer(ctx, s.db)
	for _, u := range out {
		if err := c.complete(u); err != nil {
			return nil, "", err
		}
	}
	if err := returnComments(ctx, s.db, out); err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// Create starts the draft update of milestone milestoneID, a partner
// progress update milestone, for a caller who may manage its grant or edits
// for its responsible organisation; the update is of the milestone's grant,
// project and organisation. A milestone has at most one update: when it
// already has one, that one is returned, unchanged. Errors: not found (a
// milestone hidden from the caller), invalid (milestone: of another kind;
// request_id: used before for a different request), permission. A repeat
// with the same requestID returns the update made the first time.
func (s *Service) Create(ctx context.Context, milestoneID, requestID string) (*Update, error) {
	var id string
	run := func() error {
		return idem.Create(ctx, s.db, "CreateProgressUpdate", requestID,
			func(_ context.Context, _ bun.Tx, name string) error {
				id = strings.TrimPrefix(name, resource.ProgressUpdates+"/")
				return nil
			},
			func(ctx context.Context, tx bun.Tx) (string, error) {
				if err := s.create(ctx, tx, milestoneID, &id); err != nil {
					return "", err
				}
				return Name(id), nil
			})
	}
	err := run()
	if err != nil && db.IsUniqueViolation(err) {
		err = run() // the update made concurrently is found and returned
	}
	if err != nil {
		return nil, db.Err(err)
	}
	return s.read(ctx, s.db, id)
}

// create makes the draft update of milestoneID within tx, or finds the one
// it has, and sets *id to its id.
func (s *Service) create(ctx context.Context, tx bun.Tx, milestoneID string, id *string) error {
	m := new(milestone.Milestone)
	q := tx.NewSelect().Model(m).Where("milestone.id = ?", milestoneID)
	err := policy.Where(q, policy.ProgressUpdates(actor.From(ctx), "milestone.grant_id", "milestone.responsible_organisation_id")).Scan(ctx)
	if err != nil {
		return db.Err(err, db.NotFound(resource.Name(resource.Milestones, milestoneID)))
	}
	if m.Kind != milestone.KindPartnerProgressUpdate {
		return errs.Invalid(errs.FieldViolation{Field: "milestone", Description: m.Name() + " is " +
			strings.ToLower(m.Kind.Label()) + " milestone; progress updates are written for partner progress update milestones"})
	}
	r, err := rightsOn(ctx, tx, m.GrantID, m.ResponsibleOrganisationID)
	if err != nil {
		return err
	}
	if !r.edit {
		return errs.PermissionDenied("only the partner editors of %s and the grant's coordinators start its progress update",
			resource.Name(resource.Organisations, m.ResponsibleOrganisationID))
	}
	var existing []string
	if err := tx.NewSelect().Table("progress_updates").Column("id").Where("milestone_id = ?", m.ID).Scan(ctx, &existing); err != nil {
		return db.Err(err)
	}
	if len(existing) > 0 {
		*id = existing[0]
		return nil
	}
	if m.Cancelled() {
		return errs.Precondition("MILESTONE_CANCELLED", "%s was cancelled (%s): no progress update is due for it", m.Name(), m.CancelReason)
	}
	now := s.now()
	u := &Update{
		ID: resource.NewID(), MilestoneID: m.ID, GrantID: m.GrantID, ProjectID: m.ProjectID,
		OrganisationID: m.ResponsibleOrganisationID, State: StateDraft,
		IndicatorValues: []IndicatorValue{}, ActivityIDs: []string{},
		CreatedBy: actor.From(ctx).UserID, Version: 1, CreateTime: now, UpdateTime: now,
	}
	if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
		return err // a unique violation: another call made it meanwhile
	}
	*id = u.ID
	return record(ctx, tx, "create", u, changes(tx, nil, u))
}

// locked refuses a change to an approved update.
func locked(u *Update) error {
	return errs.Precondition("PROGRESS_UPDATE_LOCKED",
		"%s was approved: approved updates are locked and can no longer be changed, submitted or returned", u.Name())
}

// Update changes the fields named in mask (see Updatable) of a draft or
// returned update, for a caller who may edit it. etag is required and must
// be current, so an autosave never overwrites a newer save. Indicator values
// must be of the update's project's indicators, typed as they are, with
// disaggregations and categories of theirs; disaggregations that do not add
// up are accepted in a draft (and flagged when read). Activities must be of
// the update's project. Errors: not found, permission, invalid (naming the
// field), aborted (stale etag), precondition (PROGRESS_UPDATE_SUBMITTED:
// awaiting review; PROGRESS_UPDATE_LOCKED: approved).
func (s *Service) Update(ctx context.Context, id string, in Input, mask resource.Mask, etag string) (*Update, error) {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		r, err := rightsOn(ctx, tx, u.GrantID, u.OrganisationID)
		if err != nil {
			return err
		}
		if !r.edit {
			return denied(u.Name())
		}
		switch {
		case u.State == StateApproved:
			return locked(u)
		case !u.State.Editable():
			return errs.Precondition("PROGRESS_UPDATE_SUBMITTED",
				"%s is %s and awaits review; it can be changed again only if a coordinator returns it", u.Name(), u.State)
		}
		if strings.TrimSpace(etag) == "" {
			return errs.Invalid(errs.FieldViolation{Field: "etag",
				Description: "is required: the etag of the update as last read or saved, so that a save never overwrites a newer one"})
		}
		if err := resource.CheckETag(u.Name(), etag, u.Version); err != nil {
			return err
		}
		before := *u
		var v errs.Violations
		u.applyText(in, mask, &v)
		if mask.Has("indicator_values") {
			inds, err := indicators(ctx, tx, u.ProjectID)
			if err != nil {
				return err
			}
			u.IndicatorValues = checkValues(&v, in.IndicatorValues, u.ProjectID, inds)
		}
		if mask.Has("activities") {
			known, err := projectActivities(ctx, tx, u.ProjectID, in.Activities)
			if err != nil {
				return err
			}
			u.ActivityIDs = checkActivities(&v, in.Activities, u.ProjectID, known)
		}
		if err := v.Err(); err != nil {
			return err
		}
		return s.write(ctx, tx, u, &before, "update", "achievements", "challenges", "changes_to_plans",
			"lessons_learned", "next_steps", "indicator_values", "activity_ids")
	})
	if err != nil {
		return nil, err
	}
	return s.read(ctx, s.db, id)
}

// projectActivities returns which of the activities named are of project
// projectID.
func projectActivities(ctx context.Context, idb bun.IDB, projectID string, names []string) (map[string]bool, error) {
	out := map[string]bool{}
	var ids []string
	for _, n := range names {
		if p, id, ok := parseChild(n, resource.Activities); ok && p == projectID {
			ids = append(ids, id)
		}
	}
	if projectID == "" || len(ids) == 0 {
		return out, nil
	}
	var found []string
	if err := idb.NewSelect().Table("activities").Column("id").
		Where("project_id = ? AND id IN (?)", projectID, bun.List(ids)).Scan(ctx, &found); err != nil {
		return nil, db.Err(err)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// write stores the columns of u named, with a new version, guarded by the
// version read, and records the audit event "progress_update.<action>".
func (s *Service) write(ctx context.Context, tx bun.IDB, u, before *Update, action string, cols ...string) error {
	prev := u.Version
	u.Version++
	u.UpdateTime = s.now()
	res, err := tx.NewUpdate().Model(u).Column(append(cols, "version", "update_time")...).
		WherePK().Where("version = ?", prev).Exec(ctx)
	if err != nil {
		return db.Err(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.Aborted(u.Name())
	}
	return record(ctx, tx, action, u, changes(tx, before, u))
}

// Submit submits a draft update, or resubmits a returned one, for a caller
// who may edit it: at least one narrative section must be written and every
// disaggregation must add up. The milestone is submitted with it, and the
// grant's coordinators are told. A retry with the same requestID returns the
// update as it is now and submits nothing more. etag, when set, must be
// current. Errors: not found, permission, invalid (naming the field: the
// narrative sections, indicator_values[k].disaggregated_values, request_id
// used for another update), aborted, precondition (PROGRESS_UPDATE_SUBMITTED:
// already submitted; PROGRESS_UPDATE_LOCKED: approved).
func (s *Service) Submit(ctx context.Context, id, etag, requestID string) (*Update, error) {
	err := idem.Create(ctx, s.db, "SubmitProgressUpdate", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			if name != Name(id) {
				return errs.Invalid(errs.FieldViolation{Field: "request_id",
					Description: "was already used to submit " + name + "; give a new request_id for each submission"})
			}
			_, err := get(ctx, tx, id)
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			u, err := get(ctx, tx, id)
			if err != nil {
				return "", err
			}
			r, err := rightsOn(ctx, tx, u.GrantID, u.OrganisationID)
			if err != nil {
				return "", err
			}
			if !r.edit {
				return "", denied(u.Name())
			}
			switch {
			case u.State == StateApproved:
				return "", locked(u)
			case u.State.AwaitsReview():
				return "", errs.Precondition("PROGRESS_UPDATE_SUBMITTED",
					"%s is already %s and awaits review; it can be submitted again only after a coordinator returns it", u.Name(), u.State)
			}
			if err := resource.CheckETag(u.Name(), etag, u.Version); err != nil {
				return "", err
			}
			if err := checkComplete(ctx, tx, u); err != nil {
				return "", err
			}
			before := *u
			now := s.now()
			action := "submit"
			if u.State == StateReturned {
				u.State, action = StateResubmitted, "resubmit"
			} else {
				u.State = StateSubmitted
			}
			u.SubmissionCount++
			u.SubmitTime = &now
			if u.FirstSubmitTime == nil {
				u.FirstSubmitTime = &now
			}
			if err := s.write(ctx, tx, u, &before, action, "state", "submission_count", "submit_time", "first_submit_time"); err != nil {
				return "", err
			}
			if err := milestone.FollowSubmitted(ctx, tx, u.MilestoneID, now); err != nil {
				return "", err
			}
			managers, err := notification.GrantManagers(ctx, tx, u.GrantID)
			if err != nil {
				return "", err
			}
			if err := notify(ctx, tx, managers, notification.KindUpdateSubmitted, u, ""); err != nil {
				return "", err
			}
			return u.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return s.read(ctx, s.db, id)
}

// checkComplete refuses to submit u without a narrative or with
// disaggregations that do not add up.
func checkComplete(ctx context.Context, idb bun.IDB, u *Update) error {
	var v errs.Violations
	if !u.hasNarrative() {
		v.Add("achievements", "write at least one of the narrative sections (achievements, challenges, changes to plans, "+
			"lessons learned, next steps) before submitting")
	}
	inds, err := indicators(ctx, idb, u.ProjectID)
	if err != nil {
		return err
	}
	for k, iv := range u.IndicatorValues {
		ind := inds[iv.IndicatorID]
		for _, m := range mismatches(ind, iv) {
			v.Add("indicator_values["+itoa(k)+"].disaggregated_values",
				"%s, by %s: %s; make the %s values add up to the value before submitting",
				indicatorLabel(ind), m.Disaggregation, m.String(), m.Disaggregation)
		}
	}
	return v.Err()
}

// review loads update id for a step of its review by a caller who may
// manage its grant: it must await review and etag (when set) be current.
func review(ctx context.Context, tx bun.IDB, id, etag, step string) (*Update, error) {
	u, err := get(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	r, err := rightsOn(ctx, tx, u.GrantID, u.OrganisationID)
	if err != nil {
		return nil, err
	}
	if !r.manage {
		return nil, notReviewer(u)
	}
	switch {
	case u.State == StateApproved:
		return nil, locked(u)
	case !u.State.AwaitsReview():
		return nil, errs.Precondition("PROGRESS_UPDATE_NOT_SUBMITTED",
			"%s is %s; only a submitted update can be %s", u.Name(), u.State, step)
	}
	if err := resource.CheckETag(u.Name(), etag, u.Version); err != nil {
		return nil, err
	}
	return u, nil
}

// Return sends a submitted update back to its organisation with comment,
// which says what to correct (added to the thread), for a caller who may
// manage the grant. The milestone is open again (overdue if past its due
// date) until the update is resubmitted, and the organisation's users are
// told. etag, when set, must be current. Errors: not found, permission,
// invalid (comment), aborted, precondition (PROGRESS_UPDATE_NOT_SUBMITTED,
// PROGRESS_UPDATE_LOCKED).
func (s *Service) Return(ctx context.Context, id, etag, comment string) (*Update, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return nil, errs.Invalid(errs.FieldViolation{Field: "comment",
			Description: "is required: say what the organisation should correct"})
	}
	if err := checkCommentLen("comment", comment); err != nil {
		return nil, err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := review(ctx, tx, id, etag, "returned")
		if err != nil {
			return err
		}
		before := *u
		now := s.now()
		u.State, u.ReturnTime = StateReturned, &now
		if err := s.write(ctx, tx, u, &before, "return", "state", "return_time"); err != nil {
			return err
		}
		if _, err := addComment(ctx, tx, u, CommentReturn, comment, now); err != nil {
			return err
		}
		if err := milestone.FollowReturned(ctx, tx, u.MilestoneID, now); err != nil {
			return err
		}
		users, err := notification.OrganisationUsers(ctx, tx, u.OrganisationID)
		if err != nil {
			return err
		}
		return notify(ctx, tx, users, notification.KindUpdateReturned, u, comment)
	})
	if err != nil {
		return nil, err
	}
	return s.read(ctx, s.db, id)
}

// Approve approves a submitted update and locks it, for a caller who may
// manage the grant, with an optional comment (added to the thread). The
// milestone is accepted; the update's indicator values become its
// indicators' achieved values for its reporting period (with those of the
// project's other approved updates of the period: see
// results.SetActualFromUpdates); the organisation's users are told. etag,
// when set, must be current. Errors: not found, permission, invalid
// (comment), aborted, precondition (PROGRESS_UPDATE_NOT_SUBMITTED,
// PROGRESS_UPDATE_LOCKED).
func (s *Service) Approve(ctx context.Context, id, etag, comment string) (*Update, error) {
	comment = strings.TrimSpace(comment)
	if err := checkCommentLen("comment", comment); err != nil {
		return nil, err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := review(ctx, tx, id, etag, "approved")
		if err != nil {
			return err
		}
		before := *u
		now := s.now()
		u.State, u.ApproveTime = StateApproved, &now
		if err := s.write(ctx, tx, u, &before, "approve", "state", "approve_time"); err != nil {
			return err
		}
		if comment != "" {
			if _, err := addComment(ctx, tx, u, CommentApproval, comment, now); err != nil {
				return err
			}
		}
		if err := milestone.FollowApproved(ctx, tx, u.MilestoneID, now); err != nil {
			return err
		}
		if err := s.setActuals(ctx, tx, u); err != nil {
			return err
		}
		users, err := notification.OrganisationUsers(ctx, tx, u.OrganisationID)
		if err != nil {
			return err
		}
		return notify(ctx, tx, users, notification.KindUpdateApproved, u, comment)
	})
	if err != nil {
		return nil, err
	}
	return s.read(ctx, s.db, id)
}

// setActuals recomputes, within tx, the achieved values of the indicators
// approved update u reports, in its reporting period, from every approved
// update of its project in that period.
func (s *Service) setActuals(ctx context.Context, tx bun.IDB, u *Update) error {
	if u.ProjectID == "" || len(u.IndicatorValues) == 0 {
		return nil
	}
	periods, err := milestone.GrantPeriods(ctx, tx, u.GrantID)
	if err != nil {
		return err
	}
	periodOf := func(x *Update) int { return milestone.PeriodOf(periods, x.periodDate()) }
	period := periodOf(u)
	if period == 0 {
		return nil
	}
	var approved []*Update
	if err := selectUpdates(tx, &approved, true).Where("pu.project_id = ? AND pu.state = ?", u.ProjectID, StateApproved).
		Scan(ctx); err != nil {
		return db.Err(err)
	}
	for _, iv := range u.IndicatorValues {
		var values []results.ReportedValue
		for _, a := range approved {
			if periodOf(a) != period || a.ApproveTime == nil {
				continue
			}
			for _, av := range a.IndicatorValues {
				if av.IndicatorID == iv.IndicatorID && (av.Value != "" || len(av.DisaggregatedValues) > 0) {
					values = append(values, results.ReportedValue{Value: av.Value, Disaggregated: av.DisaggregatedValues, ApproveTime: *a.ApproveTime})
				}
			}
		}
		if len(values) == 0 {
			continue
		}
		if err := results.SetActualFromUpdates(ctx, tx, iv.IndicatorID, period, values); err != nil {
			return err
		}
	}
	return nil
}

// notify tells users of a step of u, within tx.
func notify(ctx context.Context, tx bun.IDB, users []string, kind notification.Kind, u *Update, body string) error {
	item := notification.Item{MilestoneID: u.MilestoneID, ProgressUpdateID: u.ID, Title: u.Title,
		DueDate: u.DueDate.String(), OrganisationID: u.OrganisationID}
	if u.DueDate.IsZero() {
		item.DueDate = ""
	}
	return notification.Notify(ctx, tx, users, kind, []notification.Item{item}, body, actor.From(ctx).UserID)
}

// record writes the audit event of action (create, update, submit,
// resubmit, return, approve) on u within tx.
func record(ctx context.Context, tx bun.IDB, action string, u *Update, cs []audit.Change) error {
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: u.Name(), GrantID: u.GrantID, Changes: cs})
}

// maxAuditText is how much of a long text an audit change keeps: a draft is
// saved often, and the update itself holds the full text.
const maxAuditText = 500

// changes lists the changed columns of u, lists as JSON, long texts cut.
func changes(idb bun.IDB, before, after *Update) []audit.Change {
	cs := audit.Diff(idb, before, after)
	asJSON := func(x *Update, field string) string {
		if x == nil {
			return ""
		}
		var v any = x.ActivityIDs
		if field == "indicator_values" {
			v = x.IndicatorValues
		}
		out, _ := json.Marshal(v)
		return string(out)
	}
	for k := range cs {
		c := &cs[k]
		if c.Field == "indicator_values" || c.Field == "activity_ids" {
			c.Old, c.New = asJSON(before, c.Field), asJSON(after, c.Field)
		}
		c.Old, c.New = clip(c.Old), clip(c.New)
	}
	return cs
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxAuditText {
		return s
	}
	return string([]rune(s)[:maxAuditText]) + "…"
}

func checkCommentLen(field, s string) error {
	if n := utf8.RuneCountInString(s); n > MaxCommentLen {
		return errs.Invalid(errs.FieldViolation{Field: field, Description: "is " + itoa(n) + " characters long; at most " + itoa(MaxCommentLen)})
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
