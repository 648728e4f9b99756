package milestone

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// A partner progress update milestone follows its progress update
// (internal/progress): submitted when the update is, open again when it is
// returned, accepted when it is approved. The progress package decides who
// may take those steps and calls these functions in the transaction of the
// step; they check no permission themselves. Each writes a new version of
// the milestone and its audit event ("submit", "return", "accept"), with the
// caller of ctx as actor.

// FollowSubmitted marks milestone id submitted at t, within tx. Errors: not
// found, internal.
func FollowSubmitted(ctx context.Context, tx bun.IDB, id string, t time.Time) error {
	return follow(ctx, tx, id, "submit", func(m *Milestone) {
		m.SubmitTime, m.AcceptTime = &t, nil
	})
}

// FollowReturned opens milestone id again, within tx: its submission is
// cleared, so it is due (or overdue) until the update is submitted again.
// Errors: not found, internal.
func FollowReturned(ctx context.Context, tx bun.IDB, id string, _ time.Time) error {
	return follow(ctx, tx, id, "return", func(m *Milestone) {
		m.SubmitTime, m.AcceptTime = nil, nil
	})
}

// FollowApproved marks milestone id accepted at t, within tx (and submitted
// at t, if it somehow was not). Errors: not found, internal.
func FollowApproved(ctx context.Context, tx bun.IDB, id string, t time.Time) error {
	return follow(ctx, tx, id, "accept", func(m *Milestone) {
		if m.SubmitTime == nil {
			m.SubmitTime = &t
		}
		m.AcceptTime = &t
	})
}

func follow(ctx context.Context, tx bun.IDB, id, action string, change func(m *Milestone)) error {
	m := new(Milestone)
	err := tx.NewSelect().Model(m).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return db.Err(err, db.NotFound(resource.Name(resource.Milestones, id)))
	}
	before := *m
	change(m)
	prev := m.Version
	m.Version++
	m.UpdateTime = time.Now().UTC()
	res, err := tx.NewUpdate().Model(m).Column("submit_time", "accept_time", "version", "update_time").
		WherePK().Where("version = ?", prev).Exec(ctx)
	if err != nil {
		return db.Err(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.Aborted(m.Name())
	}
	return record(ctx, tx, action, m, audit.Diff(tx, &before, m))
}

// GrantPeriods returns the reporting periods of grant grantID, read within
// idb (unscoped: the caller already reads something of the grant). Errors:
// not found, internal.
func GrantPeriods(ctx context.Context, idb bun.IDB, grantID string) ([]Period, error) {
	s, err := readSchedule(ctx, idb, grantID)
	if err != nil {
		return nil, err
	}
	return s.Periods(), nil
}

// PeriodOf returns the number of the period of periods that contains d: the
// first for a day before them, the last for a day after them, 0 when there
// are none or d is zero.
func PeriodOf(periods []Period, d calendar.Date) int {
	if len(periods) == 0 || d.IsZero() {
		return 0
	}
	for _, p := range periods {
		if !d.After(p.End) {
			return p.Number
		}
	}
	return periods[len(periods)-1].Number
}

// AddIn stores a milestone made by hand within tx, at now, and records its
// creation in the audit trail: for a package that makes milestones as part
// of a larger change it authorised itself (a grant made from its contract
// gets a payment request per further pre-financing instalment). It checks
// the milestone's own fields, not who may add it. Errors: invalid, internal.
func AddIn(ctx context.Context, tx bun.IDB, in Input, now time.Time) (*Milestone, error) {
	m := new(Milestone)
	var v errs.Violations
	m.apply(in, allFields, &v)
	m.normalise(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	m.ID, m.Version, m.CreateTime, m.UpdateTime = resource.NewID(), 1, now, now
	if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
		return nil, writeErr(err)
	}
	if err := record(ctx, tx, "create", m, audit.Diff(tx, nil, m)); err != nil {
		return nil, err
	}
	return m, nil
}

// ListIn returns the milestones of a grant read within tx, by due date,
// whoever asks (the caller reads the grant already), with their status on
// today. Errors: internal.
func ListIn(ctx context.Context, tx bun.IDB, grantID string, today calendar.Date) ([]*Milestone, error) {
	var out []*Milestone
	if err := tx.NewSelect().Model(&out).Where("grant_id = ?", grantID).OrderExpr("due_date ASC, kind ASC, id ASC").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	for _, m := range out {
		m.Status = m.StatusOn(today)
	}
	return out, nil
}
