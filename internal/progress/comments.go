package progress

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// addComment adds a comment of kind to u's thread within tx, by the caller
// in ctx, and records it in the update's audit trail.
func addComment(ctx context.Context, tx bun.IDB, u *Update, kind CommentKind, body string, now time.Time) (*Comment, error) {
	c := &Comment{ID: resource.NewID(), ProgressUpdateID: u.ID, Kind: kind, Body: body,
		AuthorID: actor.From(ctx).UserID, CreateTime: now}
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return nil, db.Err(err)
	}
	return c, audit.Record(ctx, tx, audit.Entry{Action: "comment", Resource: u.Name(), GrantID: u.GrantID,
		Changes: []audit.Change{{Field: "comment", New: clip(body)}, {Field: "kind", New: string(kind)}, {Field: "name", New: c.Name()}}})
}

// selectComments selects comments into out with their authors' names.
func selectComments(idb bun.IDB, out any) *bun.SelectQuery {
	return idb.NewSelect().Model(out).ColumnExpr("c.*").
		ColumnExpr("COALESCE(usr.display_name, '') AS author_display_name").
		Join("LEFT JOIN users AS usr ON usr.id = c.author_id")
}

// ListComments returns a page of the comment thread of update updateID,
// oldest first (ids are UUIDv7), with each author's name and the
// organisation they act for, and the token of the next page ("" on the
// last). Errors: invalid (page size or token), not found (also for an
// update hidden from the caller).
func (s *Service) ListComments(ctx context.Context, updateID string, p page.Request) ([]*Comment, string, error) {
	cur, err := page.Open(p, updateID)
	if err != nil {
		return nil, "", err
	}
	u, err := get(ctx, s.db, updateID)
	if err != nil {
		return nil, "", err
	}
	var out []*Comment
	if err := cur.Apply(selectComments(s.db, &out).Where("c.progress_update_id = ?", u.ID), "c.id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		next = cur.Next(true, out[len(out)-1].ID)
	}
	if err := authorOrganisations(ctx, s.db, u, out); err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// authorOrganisations sets the organisation each author acts for on u: the
// update's organisation when they are one of its members, the grant's lead
// organisation when they are one of its staff, else their first
// membership's.
func authorOrganisations(ctx context.Context, idb bun.IDB, u *Update, list []*Comment) error {
	var ids []string
	for _, c := range list {
		if c.AuthorID != "" {
			ids = append(ids, c.AuthorID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	g, err := grantfacts.Read(ctx, idb, u.GrantID)
	if err != nil {
		return err
	}
	lead := g.LeadOrganisationID
	var rows []struct {
		UserID         string `bun:"user_id"`
		OrganisationID string `bun:"organisation_id"`
		DisplayName    string `bun:"display_name"`
	}
	if err := idb.NewSelect().TableExpr("memberships AS ms").
		ColumnExpr("ms.user_id, ms.organisation_id, o.display_name").
		Join("JOIN organisations AS o ON o.id = ms.organisation_id").
		Where("ms.user_id IN (?)", bun.List(ids)).OrderExpr("ms.user_id, ms.position").Scan(ctx, &rows); err != nil {
		return db.Err(err)
	}
	best := map[string]string{}
	rank := map[string]int{}
	for _, r := range rows {
		k := 3
		switch r.OrganisationID {
		case u.OrganisationID:
			k = 1
		case lead:
			k = 2
		}
		if prev, ok := rank[r.UserID]; !ok || k < prev {
			rank[r.UserID], best[r.UserID] = k, r.DisplayName
		}
	}
	for _, c := range list {
		c.AuthorOrganisationDisplayName = best[c.AuthorID]
	}
	return nil
}

// CreateComment adds a comment to the thread of update updateID, for a
// caller who may manage the grant or edits for the update's organisation
// (viewers, finance staff and auditors read only), and tells the other side:
// the organisation's users when a coordinator comments, the grant's
// coordinators when the organisation does. A retry with the same requestID
// returns the first comment. Errors: not found, permission, invalid (body).
func (s *Service) CreateComment(ctx context.Context, updateID, body, requestID string) (*Comment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, errs.Invalid(errs.FieldViolation{Field: "body", Description: "is required: the text of the comment"})
	}
	if err := checkCommentLen("body", body); err != nil {
		return nil, err
	}
	var out *Comment
	var u *Update
	err := idem.Create(ctx, s.db, "CreateProgressUpdateComment", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			var err error
			if u, err = get(ctx, tx, updateID); err != nil {
				return err
			}
			prefix := u.Name() + "/" + resource.Comments + "/"
			id, ok := strings.CutPrefix(name, prefix)
			if !ok {
				return errs.Invalid(errs.FieldViolation{Field: "request_id",
					Description: "was already used for " + name + "; give a new request_id for each comment"})
			}
			out = new(Comment)
			err = selectComments(tx, out).Where("c.id = ? AND c.progress_update_id = ?", id, u.ID).Scan(ctx)
			if err != nil {
				return db.Err(err, db.NotFound(name))
			}
			return nil
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			var err error
			if u, err = get(ctx, tx, updateID); err != nil {
				return "", err
			}
			r, err := rightsOn(ctx, tx, u.GrantID, u.OrganisationID)
			if err != nil {
				return "", err
			}
			if !r.edit {
				return "", errs.PermissionDenied("you may read but not comment on %s; the partner editors of its organisation "+
					"and the grant's coordinators may", u.Name())
			}
			c, err := addComment(ctx, tx, u, CommentPlain, body, s.now())
			if err != nil {
				return "", err
			}
			var users []string
			if r.manage {
				users, err = notification.OrganisationUsers(ctx, tx, u.OrganisationID)
			} else {
				users, err = notification.GrantManagers(ctx, tx, u.GrantID)
			}
			if err != nil {
				return "", err
			}
			if err := notify(ctx, tx, users, notification.KindUpdateCommented, u, body); err != nil {
				return "", err
			}
			if err := selectComments(tx, c).Where("c.id = ?", c.ID).Scan(ctx); err != nil {
				return "", db.Err(err)
			}
			out = c
			return c.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	if err := authorOrganisations(ctx, s.db, u, []*Comment{out}); err != nil {
		return nil, err
	}
	return out, nil
}

// returnComments sets the ReturnComment of the returned updates among us:
// the body of the last comment each was returned with.
func returnComments(ctx context.Context, idb bun.IDB, us []*Update) error {
	byID := map[string]*Update{}
	var ids []string
	for _, u := range us {
		if u.State == StateReturned {
			byID[u.ID] = u
			ids = append(ids, u.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var cs []*Comment
	if err := idb.NewSelect().Model(&cs).Where("c.progress_update_id IN (?)", bun.List(ids)).
		Where("c.kind = ?", CommentReturn).OrderExpr("c.id").Scan(ctx); err != nil {
		return db.Err(err)
	}
	for _, c := range cs { // oldest first: the last one stays
		byID[c.ProgressUpdateID].ReturnComment = c.Body
	}
	return nil
}
