package notification

import (
	"context"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Settings are a user's own notification choices.
type Settings struct {
	EmailDigest bool   // email the daily digest when the installation can send email
	Language    string // of emails: one of i18n.Languages
}

// settingsRow reads and writes the notification columns of users.
type settingsRow struct {
	bun.BaseModel `bun:"table:users"`

	ID          string `bun:"id,pk"`
	Language    string `bun:"language"`
	EmailDigest bool   `bun:"email_digest"`
}

// Listed is one page of the caller's notifications with the names the API
// shows for the ids they hold.
type Listed struct {
	Notifications []*Notification
	NextPageToken string
	UnreadCount   int
	// OrganisationNames maps the organisation ids of the items to their
	// display names; ActorNames the actor ids to the users' display names.
	OrganisationNames map[string]string
	ActorNames        map[string]string
}

// Service serves the caller's own notifications and settings. Every method
// acts on the signed-in caller's rows only: someone else's notification is
// not found, whatever the caller's role.
type Service struct {
	db    *bun.DB
	email atomic.Bool
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service { return &Service{db: d} }

// SetEmailAvailable says whether the installation can send email (an SMTP
// sender is configured), which GetSettings reports. Safe for concurrent use.
func (s *Service) SetEmailAvailable(ok bool) { s.email.Store(ok) }

// EmailAvailable reports what SetEmailAvailable was told.
func (s *Service) EmailAvailable() bool { return s.email.Load() }

// caller returns the signed-in user's id. Errors: unauthenticated for a
// caller who is not a user (the system has no notifications).
func caller(ctx context.Context) (string, error) {
	c := actor.From(ctx)
	if c.Kind != actor.User || c.UserID == "" {
		return "", errs.Unauthenticated("notifications belong to a signed-in user")
	}
	return c.UserID, nil
}

// List returns a page of the caller's notifications, newest first (ids are
// UUIDv7, so id order is creation order), only the unread ones when
// unreadOnly, with the count of all the caller's unread notifications.
// Errors: invalid (page size or token), unauthenticated.
func (s *Service) List(ctx context.Context, unreadOnly bool, p page.Request) (*Listed, error) {
	userID, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := page.Open(p, userID, strconv.FormatBool(unreadOnly))
	if err != nil {
		return nil, err
	}
	out := &Listed{}
	q := s.db.NewSelect().Model(&out.Notifications).Where("user_id = ?", userID)
	if unreadOnly {
		q = q.Where("read_time IS NULL")
	}
	if len(cur.After) == 1 {
		q = q.Where("id < ?", cur.After[0])
	}
	if err := q.OrderExpr("id DESC").Limit(cur.Limit + 1).Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	if more := len(out.Notifications) > cur.Limit; more {
		out.Notifications = out.Notifications[:cur.Limit]
		out.NextPageToken = cur.Next(true, out.Notifications[cur.Limit-1].ID)
	}
	if out.UnreadCount, err = unread(ctx, s.db, userID); err != nil {
		return nil, err
	}
	var orgIDs, actorIDs []string
	for _, n := range out.Notifications {
		if n.ActorID != "" {
			actorIDs = append(actorIDs, n.ActorID)
		}
		for _, it := range n.Items {
			if it.OrganisationID != "" {
				orgIDs = append(orgIDs, it.OrganisationID)
			}
		}
	}
	if out.OrganisationNames, err = names(ctx, s.db, "organisations", orgIDs); err != nil {
		return nil, err
	}
	if out.ActorNames, err = names(ctx, s.db, "users", actorIDs); err != nil {
		return nil, err
	}
	return out, nil
}

// names maps ids to the display_name column of table.
func names(ctx context.Context, idb bun.IDB, table string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID          string `bun:"id"`
		DisplayName string `bun:"display_name"`
	}
	err := idb.NewSelect().Table(table).Column("id", "display_name").Where("id IN (?)", bun.List(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out[r.ID] = r.DisplayName
	}
	return out, nil
}

func unread(ctx context.Context, idb bun.IDB, userID string) (int, error) {
	n, err := idb.NewSelect().Model((*Notification)(nil)).Where("user_id = ? AND read_time IS NULL", userID).Count(ctx)
	if err != nil {
		return 0, db.Err(err)
	}
	return n, nil
}

// MarkRead marks the caller's notifications with the given ids read, or all
// of them when all is set, and returns how many of the caller's remain
// unread. Marking one already read changes nothing. Reading is not a change
// of the grant's records, so it is not in the audit trail. Errors: invalid
// (neither ids nor all), not found (an id that is not the caller's own
// notification, naming the first such), unauthenticated.
func (s *Service) MarkRead(ctx context.Context, ids []string, all bool) (int, error) {
	userID, err := caller(ctx)
	if err != nil {
		return 0, err
	}
	if !all && len(ids) == 0 {
		return 0, errs.Invalid(errs.FieldViolation{Field: "names",
			Description: "name at least one notification (notifications/{id}), or set all to mark every notification read"})
	}
	var left int
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*Notification)(nil)).Set("read_time = ?", time.Now().UTC()).
			Where("user_id = ? AND read_time IS NULL", userID)
		if !all {
			ids = slices.Compact(slices.Sorted(slices.Values(ids)))
			var mine []string
			if err := tx.NewSelect().Model((*Notification)(nil)).Column("id").
				Where("user_id = ? AND id IN (?)", userID, bun.List(ids)).Scan(ctx, &mine); err != nil {
				return db.Err(err)
			}
			for _, id := range ids {
				if !slices.Contains(mine, id) {
					return errs.NotFound(resource.Name(resource.Notifications, id))
				}
			}
			q = q.Where("id IN (?)", bun.List(ids))
		}
		if _, err := q.Exec(ctx); err != nil {
			return db.Err(err)
		}
		var err error
		left, err = unread(ctx, tx, userID)
		return err
	})
	return left, err
}

// GetSettings returns the caller's settings (the language as written:
// i18n.Default when none was chosen) and whether the installation can
// send email. Errors: unauthenticated, not found (a user removed meanwhile).
func (s *Service) GetSettings(ctx context.Context) (Settings, bool, error) {
	userID, err := caller(ctx)
	if err != nil {
		return Settings{}, false, err
	}
	row, err := settingsOf(ctx, s.db, userID)
	if err != nil {
		return Settings{}, false, err
	}
	return Settings{EmailDigest: row.EmailDigest, Language: i18n.Of(row.Language)}, s.EmailAvailable(), nil
}

func settingsOf(ctx context.Context, idb bun.IDB, userID string) (*settingsRow, error) {
	row := &settingsRow{}
	err := idb.NewSelect().Model(row).Where("id = ?", userID).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name("users", userID)))
	}
	return row, nil
}

// SettingsUpdatable are the settings UpdateSettings changes.
var SettingsUpdatable = []string{"email_digest", "language"}

// UpdateSettings writes the fields of in named by mask (see
// SettingsUpdatable) to the caller's settings, with an audit event naming
// what changed on the user, and returns all the caller's settings. Errors:
// invalid (a language Pactum does not write in), unauthenticated, not found.
func (s *Service) UpdateSettings(ctx context.Context, in Settings, mask resource.Mask) (Settings, error) {
	userID, err := caller(ctx)
	if err != nil {
		return Settings{}, err
	}
	if mask.Has("language") && !i18n.Supported(in.Language) {
		return Settings{}, errs.Invalid(errs.FieldViolation{Field: "settings.language",
			Description: "must be one of en (English), fr (French), es (Spanish) or pt (Portuguese), got \"" + in.Language + "\""})
	}
	var out Settings
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := settingsOf(ctx, tx, userID)
		if err != nil {
			return err
		}
		after := *before
		if mask.Has("email_digest") {
			after.EmailDigest = in.EmailDigest
		}
		if mask.Has("language") {
			after.Language = in.Language
		}
		out = Settings{EmailDigest: after.EmailDigest, Language: after.Language}
		changes := audit.Diff(tx, before, &after)
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.NewUpdate().Model(&after).Column("language", "email_digest").WherePK().Exec(ctx); err != nil {
			return db.Err(err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: resource.Name("users", userID), Changes: changes})
	})
	if err != nil {
		return Settings{}, err
	}
	return out, nil
}

// OrganisationNames maps organisation ids to their display names (ids
// that name no organisation are left out).
func OrganisationNames(ctx context.Context, idb bun.IDB, ids []string) (map[string]string, error) {
	return names(ctx, idb, "organisations", slices.Clone(ids))
}
