// Package notification keeps users' in-app notifications: the daily
// reminder digest (internal/reminder writes it) and the steps of the
// progress-update workflow (internal/progress writes them, in the
// transaction of the step). A digest is one row per user and day, never one
// message per item.
package notification

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Kind is what a notification is about.
type Kind string

const (
	KindReminderDigest  Kind = "reminder_digest"
	KindUpdateSubmitted Kind = "update_submitted"
	KindUpdateReturned  Kind = "update_returned"
	KindUpdateApproved  Kind = "update_approved"
	KindUpdateCommented Kind = "update_commented"
)

// Reason says why a digest names a milestone or an update.
type Reason string

const (
	ReasonDueIn14Days    Reason = "due_in_14_days"
	ReasonDueIn3Days     Reason = "due_in_3_days"
	ReasonOverdue        Reason = "overdue"
	ReasonAwaitingReview Reason = "awaiting_review"
)

// Item is one line of a notification.
type Item struct {
	Reason           Reason `json:"reason,omitempty"`
	MilestoneID      string `json:"milestone_id,omitempty"`
	ProgressUpdateID string `json:"progress_update_id,omitempty"`
	Title            string `json:"title,omitempty"`
	DueDate          string `json:"due_date,omitempty"` // "YYYY-MM-DD"
	DaysOverdue      int    `json:"days_overdue,omitempty"`
	OrganisationID   string `json:"organisation_id,omitempty"`
}

// Notification is a stored notification.
type Notification struct {
	bun.BaseModel `bun:"table:notifications"`

	ID         string     `bun:"id,pk"`
	UserID     string     `bun:"user_id"`
	Kind       Kind       `bun:"kind"`
	DigestDate *string    `bun:"digest_date"` // digests only: "YYYY-MM-DD"; unique per user
	Items      []Item     `bun:"items,type:text"`
	Body       string     `bun:"body"`
	ActorID    string     `bun:"actor_id"`
	ReadTime   *time.Time `bun:"read_time"`
	EmailTime  *time.Time `bun:"email_time"`
	CreateTime time.Time  `bun:"create_time"`
}

// Name is "notifications/{id}".
func (n *Notification) Name() string { return resource.Name(resource.Notifications, n.ID) }

// Notify writes one notification of kind to each of userIDs (duplicates and
// actorID, who caused it, are skipped) within idb, the transaction of the
// change it is about. It is for workflow steps, not digests.
func Notify(ctx context.Context, idb bun.IDB, userIDs []string, kind Kind, items []Item, body, actorID string) error {
	seen := map[string]bool{actorID: true}
	now := time.Now().UTC()
	var rows []*Notification
	for _, u := range userIDs {
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		rows = append(rows, &Notification{
			ID: resource.NewID(), UserID: u, Kind: kind, Items: items, Body: body, ActorID: actorID, CreateTime: now,
		})
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := idb.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return db.Err(err)
	}
	return nil
}

// OrganisationUsers returns the active users with a membership in the
// organisation (editors and viewers alike), in id order.
func OrganisationUsers(ctx context.Context, idb bun.IDB, organisationID string) ([]string, error) {
	var ids []string
	err := idb.NewRaw(`SELECT DISTINCT u.id FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.organisation_id = ? AND NOT u.disabled ORDER BY u.id`, organisationID).Scan(ctx, &ids)
	if err != nil {
		return nil, db.Err(err)
	}
	return ids, nil
}

// GrantManagers returns the active users who manage the grant: the
// coordinators of its lead organisation without a grant list, and the
// coordinators whose grant list names it (policy.GrantManagerMemberships), in id
// order. Administrators are not included: they see everything and are not
// told about everything.
func GrantManagers(ctx context.Context, idb bun.IDB, grantID string) ([]string, error) {
	var ids []string
	managers := policy.GrantManagerMemberships("m", "g")
	err := idb.NewRaw(`SELECT DISTINCT u.id FROM users u JOIN memberships m ON m.user_id = u.id
		JOIN grants g ON g.id = ?
		WHERE NOT u.disabled AND (`+managers.SQL+`)
		ORDER BY u.id`, append([]any{grantID}, managers.Args...)...).Scan(ctx, &ids)
	if err != nil {
		return nil, db.Err(err)
	}
	return ids, nil
}
