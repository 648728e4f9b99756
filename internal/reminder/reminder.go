// Package reminder is the daily reminder job: it finds the open milestones
// due in 14 days, due in 3 days and overdue, and the progress updates
// awaiting review, and tells each person concerned in ONE digest a day (a
// reminder_digest notification), emailed when the installation can send
// email and the person has not turned it off.
//
// Who is told what:
//   - an open milestone (neither submitted nor accepted) of an active grant
//     goes to every active user of its responsible organisation
//     (notification.OrganisationUsers) when it is due exactly 14 days or
//     exactly 3 days from today, or when it is overdue on the first day past
//     its due date and then every 7 days (days overdue 1, 8, 15, ...: that
//     is, days_overdue % 7 == 1). Telling people every day that something is
//     late teaches them to ignore the digest; once a week keeps it in sight.
//   - a progress update submitted or resubmitted, awaiting review, goes to
//     the coordinators who manage its grant (notification.GrantManagers)
//     every day until it is reviewed: reviewing is their job, and the list
//     is short.
//
// The job is idempotent for a day: the notifications table holds at most one
// digest per user and date (a unique index), so a second run the same day
// writes nothing new; and an email is sent at most once per digest (its
// email_time is set after a successful send), a failed send being retried by
// the next run that day.
package reminder

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/mail"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/resource"
)

// The days before the due date on which an open milestone is reminded.
const (
	FirstNoticeDays = 14
	LastNoticeDays  = 3
)

// OverdueEvery is how often, in days, an overdue milestone is reminded,
// starting on the first day overdue.
const OverdueEvery = 7

// Options are the job's settings.
type Options struct {
	// PublicURL is where users reach Pactum, for the link in emails.
	PublicURL string
	// Log receives failed sends and a summary; nil discards them.
	Log *slog.Logger
}

// Result says what a run did.
type Result struct {
	Digests      int // digests written by this run (0 on a second run the same day)
	Emails       int // digests emailed by this run
	EmailsFailed int // sends that failed, to be retried by the next run today
}

// Remind reports whether an open milestone due on due is reminded today, why,
// and how many days overdue it is: due exactly FirstNoticeDays or
// LastNoticeDays from today, or overdue by 1, 1+OverdueEvery,
// 1+2*OverdueEvery, ... days.
func Remind(today, due calendar.Date) (notification.Reason, int, bool) {
	switch days := today.DaysUntil(due); {
	case days == FirstNoticeDays:
		return notification.ReasonDueIn14Days, 0, true
	case days == LastNoticeDays:
		return notification.ReasonDueIn3Days, 0, true
	case days < 0 && -days%OverdueEvery == 1:
		return notification.ReasonOverdue, -days, true
	}
	return "", 0, false
}

// Run is one day's job for today: it writes the day's digests and, when
// sender is not nil, emails those not yet emailed to users who want email.
// A failed send is logged and counted, not returned: the next run today
// retries it. Errors: internal (the database).
func Run(ctx context.Context, d *bun.DB, today calendar.Date, sender mail.Sender, opts Options) (Result, error) {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var res Result
	items, err := collect(ctx, d, today)
	if err != nil {
		return res, err
	}
	day := today.String()
	users := make([]string, 0, len(items))
	for u := range items {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		its := items[u]
		sortItems(its)
		n := &notification.Notification{
			ID: resource.NewID(), UserID: u, Kind: notification.KindReminderDigest, DigestDate: &day,
			Items: its, CreateTime: time.Now().UTC(),
		}
		r, err := d.NewInsert().Model(n).On("CONFLICT (user_id, digest_date) DO NOTHING").Exec(ctx)
		if err != nil {
			return res, db.Err(err)
		}
		if k, _ := r.RowsAffected(); k > 0 {
			res.Digests++
		}
	}
	if sender != nil {
		if err := email(ctx, d, today, sender, opts.PublicURL, log, &res); err != nil {
			return res, err
		}
	}
	log.Info("reminders", "date", day, "digests", res.Digests, "emails", res.Emails, "emails_failed", res.EmailsFailed)
	return res, nil
}

// collect returns each user's items for today.
func collect(ctx context.Context, d *bun.DB, today calendar.Date) (map[string][]notification.Item, error) {
	out := map[string][]notification.Item{}
	add := func(users []string, it notification.Item) {
		for _, u := range users {
			out[u] = append(out[u], it)
		}
	}

	// Open milestones of active grants due on a reminder day or overdue.
	var ms []*milestone.Milestone
	err := d.NewSelect().Model(&ms).
		Where(milestone.OpenSQL).
		Where("grant_id IN (SELECT id FROM grants WHERE state = 'active')").
		Where("(due_date IN (?, ?) OR due_date < ?)",
			today.AddDays(FirstNoticeDays).String(), today.AddDays(LastNoticeDays).String(), today.String()).
		Order("due_date", "id").Scan(ctx)
	if err != nil {
		return nil, db.Err(err)
	}
	orgUsers := map[string][]string{}
	for _, m := range ms {
		reason, late, ok := Remind(today, m.DueDate)
		if !ok {
			continue
		}
		users, seen := orgUsers[m.ResponsibleOrganisationID]
		if !seen {
			if users, err = notification.OrganisationUsers(ctx, d, m.ResponsibleOrganisationID); err != nil {
				return nil, err
			}
			orgUsers[m.ResponsibleOrganisationID] = users
		}
		add(users, notification.Item{
			Reason: reason, MilestoneID: m.ID, Title: title(m), DueDate: m.DueDate.String(), DaysOverdue: late,
			OrganisationID: m.ResponsibleOrganisationID,
		})
	}

	// Progress updates awaiting review, for the grant's coordinators.
	var updates []struct {
		ID             string        `bun:"id"`
		MilestoneID    string        `bun:"milestone_id"`
		GrantID        string        `bun:"grant_id"`
		OrganisationID string        `bun:"organisation_id"`
		Title          string        `bun:"title"`
		Kind           string        `bun:"kind"`
		DueDate        calendar.Date `bun:"due_date"`
	}
	err = d.NewRaw(`SELECT pu.id, pu.milestone_id, pu.grant_id, pu.organisation_id, m.title, m.kind, m.due_date
		FROM progress_updates pu JOIN milestones m ON m.id = pu.milestone_id
		WHERE pu.state IN (?) ORDER BY m.due_date, pu.id`, bun.List([]progress.State{progress.StateSubmitted, progress.StateResubmitted})).Scan(ctx, &updates)
	if err != nil {
		return nil, db.Err(err)
	}
	managers := map[string][]string{}
	for _, u := range updates {
		users, seen := managers[u.GrantID]
		if !seen {
			if users, err = notification.GrantManagers(ctx, d, u.GrantID); err != nil {
				return nil, err
			}
			managers[u.GrantID] = users
		}
		t := u.Title
		if t == "" {
			t = milestone.Kind(u.Kind).Label()
		}
		add(users, notification.Item{
			Reason: notification.ReasonAwaitingReview, MilestoneID: u.MilestoneID, ProgressUpdateID: u.ID, Title: t,
			DueDate: u.DueDate.String(), OrganisationID: u.OrganisationID,
		})
	}
	return out, nil
}

func title(m *milestone.Milestone) string {
	if m.Title != "" {
		return m.Title
	}
	return m.Kind.Label()
}

// reasonOrder puts what is late first and what waits on the reader last.
var reasonOrder = map[notification.Reason]int{
	notification.ReasonOverdue: 0, notification.ReasonDueIn3Days: 1, notification.ReasonDueIn14Days: 2, notification.ReasonAwaitingReview: 3,
}

func sortItems(its []notification.Item) {
	slices.SortStableFunc(its, func(a, b notification.Item) int {
		return cmp.Or(cmp.Compare(reasonOrder[a.Reason], reasonOrder[b.Reason]), cmp.Compare(a.DueDate, b.DueDate),
			cmp.Compare(a.Title, b.Title), cmp.Compare(a.MilestoneID, b.MilestoneID))
	})
}

// recipient is a digest to email with its user's address and language.
type recipient struct {
	ID          string              `bun:"id"`
	Items       []notification.Item `bun:"items"`
	Email       string              `bun:"email"`
	DisplayName string              `bun:"display_name"`
	Language    string              `bun:"language"`
}

// email sends today's digests not yet emailed to the active users who want
// email, setting email_time after each successful send. A failed send is
// logged and counted; the digest stays unsent for the next run.
func email(ctx context.Context, d *bun.DB, today calendar.Date, sender mail.Sender, publicURL string, log *slog.Logger, res *Result) error {
	var rs []recipient
	err := d.NewRaw(`SELECT n.id, n.items, u.email, u.display_name, u.language
		FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.kind = ? AND n.digest_date = ? AND n.email_time IS NULL AND u.email_digest AND NOT u.disabled
		ORDER BY n.id`, notification.KindReminderDigest, today.String()).Scan(ctx, &rs)
	if err != nil {
		return db.Err(err)
	}
	var orgIDs []string
	for _, r := range rs {
		for _, it := range r.Items {
			orgIDs = append(orgIDs, it.OrganisationID)
		}
	}
	orgs, err := notification.OrganisationNames(ctx, d, orgIDs)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if len(r.Items) == 0 {
			continue
		}
		subject, body := Compose(i18n.Of(r.Language), r.DisplayName, today, r.Items, orgs, publicURL)
		if err := sender.Send(ctx, r.Email, subject, body); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			res.EmailsFailed++
			log.Warn("reminder email not sent; the next run today retries it", "notification", resource.Name(resource.Notifications, r.ID), "error", err)
			continue
		}
		res.Emails++
		if _, err := d.NewUpdate().Model((*notification.Notification)(nil)).Set("email_time = ?", time.Now().UTC()).
			Where("id = ? AND email_time IS NULL", r.ID).Exec(ctx); err != nil {
			return db.Err(err)
		}
	}
	return nil
}
