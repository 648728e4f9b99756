package progress

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// OverviewRow is one partner progress update milestone of a grant, with its
// update when one was started.
type OverviewRow struct {
	Milestone               *milestone.Milestone // with its status as of today
	ProjectDisplayName      string
	OrganisationDisplayName string
	UpdateID                string // "" when none was started
	State                   State  // "" when none was started
	SubmitTime              *time.Time
	Late                    bool
	DaysOverdue             int // past the due date while not submitted
}

// Overview is the coordinator's view of a grant's progress updates.
type Overview struct {
	Rows           []*OverviewRow // by due date
	SubmittedCount int            // submitted (awaiting review or approved), due yet or not
	LateCount      int            // past their due date and not submitted
	AwaitingReview int            // submitted or resubmitted
	ApprovedCount  int
}

// GrantOverview returns, for each partner progress update milestone of grant
// grantID that the caller may read, who has submitted, who is late and what
// awaits review: the grant's coordinators, finance staff and auditors see
// every organisation's, a partner only their own organisation's. Errors: not
// found (a grant hidden from the caller), internal.
func (s *Service) GrantOverview(ctx context.Context, grantID string) (*Overview, error) {
	c := actor.From(ctx)
	if _, err := grantfacts.Visible(ctx, s.db, c, grantID); err != nil {
		return nil, err
	}
	var rows []struct {
		ID               string        `bun:"id"`
		Title            string        `bun:"title"`
		GeneratorKey     string        `bun:"generator_key"`
		Edited           bool          `bun:"edited"`
		ProjectID        string        `bun:"project_id"`
		OrganisationID   string        `bun:"responsible_organisation_id"`
		DueDate          calendar.Date `bun:"due_date"`
		SubmitTime       *time.Time    `bun:"submit_time"`
		AcceptTime       *time.Time    `bun:"accept_time"`
		CancelTime       *time.Time    `bun:"cancel_time"`
		OrganisationName string        `bun:"organisation_display_name"`
		ProjectCode      string        `bun:"project_code"`
		ProjectTitle     string        `bun:"project_title"`
		UpdateID         string        `bun:"update_id"`
		State            string        `bun:"update_state"`
		UpdateSubmitTime *time.Time    `bun:"update_submit_time"`
		FirstSubmitTime  *time.Time    `bun:"update_first_submit_time"`
	}
	sel := s.db.NewSelect().TableExpr("milestones AS ms").
		ColumnExpr("ms.id, ms.title, COALESCE(ms.generator_key, '') AS generator_key, ms.edited, COALESCE(ms.project_id, '') AS project_id, ms.responsible_organisation_id, ms.due_date, ms.submit_time, ms.accept_time, ms.cancel_time").
		ColumnExpr("o.display_name AS organisation_display_name").
		ColumnExpr("COALESCE(p.code, '') AS project_code, COALESCE(p.title, '') AS project_title").
		ColumnExpr("COALESCE(pu.id, '') AS update_id, COALESCE(pu.state, '') AS update_state").
		ColumnExpr("pu.submit_time AS update_submit_time, pu.first_submit_time AS update_first_submit_time").
		Join("JOIN organisations AS o ON o.id = ms.responsible_organisation_id").
		Join("LEFT JOIN projects AS p ON p.id = ms.project_id").
		Join("LEFT JOIN progress_updates AS pu ON pu.milestone_id = ms.id").
		Where("ms.grant_id = ? AND ms.kind = ?", grantID, milestone.KindPartnerProgressUpdate).
		OrderExpr("ms.due_date ASC, ms.id ASC")
	if err := policy.Where(sel, policy.ProgressUpdates(c, "ms.grant_id", "ms.responsible_organisation_id")).Scan(ctx, &rows); err != nil {
		return nil, db.Err(err)
	}
	today := s.today()
	out := &Overview{Rows: []*OverviewRow{}}
	for k := range rows {
		r := &rows[k]
		m := &milestone.Milestone{ID: r.ID, GrantID: grantID, GeneratorKey: r.GeneratorKey, Edited: r.Edited, ProjectID: r.ProjectID, Kind: milestone.KindPartnerProgressUpdate,
			Title: r.Title, DueDate: r.DueDate, ResponsibleOrganisationID: r.OrganisationID, SubmitTime: r.SubmitTime, AcceptTime: r.AcceptTime, CancelTime: r.CancelTime}
		m.Status = m.StatusOn(today)
		row := &OverviewRow{
			Milestone: m, OrganisationDisplayName: r.OrganisationName, UpdateID: r.UpdateID, State: State(r.State),
			ProjectDisplayName: strings.TrimSpace(r.ProjectCode + " " + r.ProjectTitle),
		}
		submitted := row.State.AwaitsReview() || row.State == StateApproved
		if submitted {
			row.SubmitTime = r.UpdateSubmitTime
		}
		row.Late = LateOn(m.DueDate, r.FirstSubmitTime, today)
		if !submitted && today.After(m.DueDate) {
			row.DaysOverdue = m.DueDate.DaysUntil(today)
		}
		switch {
		case submitted:
			out.SubmittedCount++
		case !submitted && today.After(m.DueDate):
			out.LateCount++
		}
		if row.State.AwaitsReview() {
			out.AwaitingReview++
		}
		if row.State == StateApproved {
			out.ApprovedCount++
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// AttachmentAccess decides who may read and change the files of owner, a
// progress update's name "progressUpdates/{id}" (see attachment.Access):
// reading, whoever may read the update; changing, whoever may edit it, while
// it is a draft or returned (approved updates are locked). It returns the
// update's grant. Errors: not found (also for an update hidden from the
// caller), permission, precondition, internal.
func (s *Service) AttachmentAccess(ctx context.Context, idb bun.IDB, owner string, write bool) (grantID string, err error) {
	id, err := resource.ParseName(resource.ProgressUpdates, owner, "parent")
	if err != nil {
		return "", err
	}
	u, err := get(ctx, idb, id)
	if err != nil {
		return "", err
	}
	if !write {
		return u.GrantID, nil
	}
	r, err := rightsOn(ctx, idb, u.GrantID, u.OrganisationID)
	if err != nil {
		return "", err
	}
	switch {
	case !r.edit:
		return "", denied("the files of " + u.Name())
	case u.State == StateApproved:
		return "", locked(u)
	case !u.State.Editable():
		return "", errs.Precondition("PROGRESS_UPDATE_SUBMITTED",
			"%s is %s and awaits review; its files can be changed again only if a coordinator returns it", u.Name(), u.State)
	}
	return u.GrantID, nil
}
