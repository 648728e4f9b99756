package identity

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// ListUsers lists users by email, optionally members of one organisation.
// Admins and coordinators only (checked by the transport's need). Errors:
// invalid (page).
func (s *Service) ListUsers(ctx context.Context, organisationID string, p page.Request) ([]*User, string, error) {
	cur, err := page.Open(p, organisationID)
	if err != nil {
		return nil, "", err
	}
	var out []*User
	q := s.db.NewSelect().Model(&out)
	if organisationID != "" {
		q = q.Where("id IN (SELECT user_id FROM memberships WHERE organisation_id = ?)", organisationID)
	}
	if err := cur.Apply(q, "email", "id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	more := len(out) > cur.Limit
	if more {
		out = out[:cur.Limit]
	}
	if err := loadMemberships(ctx, s.db, out...); err != nil {
		return nil, "", err
	}
	next := ""
	if more {
		next = cur.Next(true, out[len(out)-1].Email, out[len(out)-1].ID)
	}
	return out, next, nil
}

// UserPatch is what UpdateUser may change.
type UserPatch struct {
	DisplayName string
	Memberships []Membership
	Disabled    bool
}

// UpdateUser changes the fields in mask (display_name, memberships,
// disabled). Only admins may give or take the admin role or change an
// admin; nobody may disable themselves. Disabling ends the user's sessions.
// etag is required and must be current: memberships are replaced as a
// whole, so a change made unseen (a role taken away, an account disabled)
// must not be undone by an older form. Errors: not found, invalid (also a
// missing etag, field "etag"), aborted (stale etag), permission.
func (s *Service) UpdateUser(ctx context.Context, id string, in UserPatch, mask resource.Mask, etag string) (*User, error) {
	c := actor.From(ctx)
	var out *User
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		before := *u
		if !policy.MayChangeUser(c, roles(u.Memberships)) {
			return policy.Denied(u.Name() + " (an admin)")
		}
		if err := resource.RequireETag(u.Name(), etag, u.Version); err != nil {
			return err
		}
		if mask.Has("display_name") {
			u.DisplayName = strings.TrimSpace(in.DisplayName)
			if u.DisplayName == "" {
				return errs.Invalid(errs.FieldViolation{Field: "display_name", Description: "is required: the user's name as colleagues know it"})
			}
		}
		if mask.Has("disabled") {
			if in.Disabled && u.ID == c.UserID {
				return errs.Invalid(errs.FieldViolation{Field: "disabled", Description: "you cannot disable your own account"})
			}
			u.Disabled = in.Disabled
		}
		changes := []audit.Change{}
		if mask.Has("memberships") {
			if err := mayGiveRoles(ctx, in.Memberships); err != nil {
				return err
			}
			if err := checkMemberships(ctx, tx, in.Memberships); err != nil {
				return err
			}
			old := describeMemberships(u.Memberships)
			if err := s.replaceMemberships(ctx, tx, u, in.Memberships); err != nil {
				return err
			}
			if n := describeMemberships(u.Memberships); n != old {
				changes = append(changes, audit.Change{Field: "memberships", Old: old, New: n})
			}
		}
		u.Version++
		u.UpdateTime = s.now()
		if _, err := tx.NewUpdate().Model(u).Column("display_name", "disabled", "version", "update_time").WherePK().Exec(ctx); err != nil {
			return db.Err(err)
		}
		if u.Disabled {
			if _, err := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", u.ID).Exec(ctx); err != nil {
				return db.Err(err)
			}
		}
		changes = append(audit.Diff(tx, &before, u), changes...)
		out = u
		return audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: u.Name(), Changes: changes})
	})
	return out, err
}

// roles returns the roles of memberships ms.
func roles(ms []*Membership) []actor.Role {
	out := make([]actor.Role, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Role)
	}
	return out
}
