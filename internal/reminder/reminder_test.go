package reminder_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/reminder"
	"github.com/pactum-dev/pactum/internal/resource"
)

// sentMail is one email the capturing sender received.
type sentMail struct{ to, subject, body string }

// capture is a mail.Sender that keeps what it is given, and refuses
// addresses in fail.
type capture struct {
	mu   sync.Mutex
	sent []sentMail
	fail map[string]bool
}

func (c *capture) Send(_ context.Context, to, subject, body string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail[to] {
		return errors.New("mailbox unavailable")
	}
	c.sent = append(c.sent, sentMail{to, subject, body})
	return nil
}

func (c *capture) to(addr string) []sentMail {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []sentMail
	for _, m := range c.sent {
		if m.to == addr {
			out = append(out, m)
		}
	}
	return out
}

type fixture struct {
	d                       *bun.DB
	ctx                     context.Context
	donor, lead, a, b, idle string // organisation ids
	grant, draftGrant       string
	n                       int
}

func newFixture(t *testing.T, d *bun.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, ctx: actor.SystemContext(context.Background())}
	orgs := organisation.NewService(d)
	org := func(name, country string, kind organisation.Kind) string {
		o, err := orgs.Create(f.ctx, &organisation.Organisation{DisplayName: name, CountryCode: country, Kind: kind}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f.donor = org("European Commission", "BE", organisation.KindDonor)
	f.lead = org("Global Alliance for Decent Work", "BE", organisation.KindLead)
	f.a = org("Umoja Domestic Workers Union", "KE", organisation.KindLocalPartner)
	f.b = org("Himalaya Migrant Workers Forum", "NP", organisation.KindMember)
	f.idle = org("Quiet Partner", "PE", organisation.KindMember)
	f.grant = f.insertGrant(t, "G/1", "active")
	f.draftGrant = f.insertGrant(t, "G/2", "draft")
	return f
}

// insertGrant writes a grant row directly: grants are another package's
// business, and only the state matters here.
func (f *fixture) insertGrant(t *testing.T, ref, state string) string {
	t.Helper()
	id := resource.NewID()
	_, err := f.d.ExecContext(f.ctx, `INSERT INTO grants
		(id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		 total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		 interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, 'Decent work', 'EUR', '2025-01-01', '2027-12-31',
		 111111111, 100000000, 9000, 12, 60, 3, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		id, f.donor, f.lead, ref, state)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) milestone(t *testing.T, grant, org, title, due string, submitted bool) string {
	t.Helper()
	svc := milestone.NewService(f.d)
	m, err := svc.Create(f.ctx, milestone.Input{GrantID: grant, Kind: milestone.KindPartnerProgressUpdate, Title: title,
		DueDate: due, ResponsibleOrganisationID: org}, "")
	if err != nil {
		t.Fatal(err)
	}
	if submitted {
		// As its progress update's submission does.
		if err := milestone.FollowSubmitted(f.ctx, f.d, m.ID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
	}
	return m.ID
}

// update writes a progress update row in state for milestone m of org:
// the progress package is another helper's; the job reads the table.
func (f *fixture) update(t *testing.T, m, org, state string) string {
	t.Helper()
	id := resource.NewID()
	_, err := f.d.ExecContext(f.ctx, `INSERT INTO progress_updates (id, milestone_id, grant_id, organisation_id, state, create_time, update_time)
		VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, m, f.grant, org, state)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

type user struct{ id, email string }

func (f *fixture) user(t *testing.T, role actor.Role, org, lang string, emailDigest bool) user {
	t.Helper()
	f.n++
	u, err := identity.NewService(f.d).CreateUser(f.ctx, identity.NewUser{Email: fmt.Sprintf("u%d@example.org", f.n),
		DisplayName: fmt.Sprintf("User %d", f.n), Memberships: []identity.Membership{{OrganisationID: &org, Role: role}}})
	if err != nil {
		t.Fatal(err)
	}
	if lang != "" || !emailDigest {
		if lang == "" {
			lang = "en"
		}
		// As the user would, through their settings.
		_, err := notification.NewService(f.d).UpdateSettings(actor.With(context.Background(), u.ToCaller()),
			notification.Settings{Language: lang, EmailDigest: emailDigest}, notification.SettingsUpdatable)
		if err != nil {
			t.Fatal(err)
		}
	}
	return user{u.ID, u.Email}
}

// digests returns the user's digests.
func (f *fixture) digests(t *testing.T, u user) []*notification.Notification {
	t.Helper()
	var out []*notification.Notification
	if err := f.d.NewSelect().Model(&out).Where("user_id = ?", u.id).Order("id").Scan(f.ctx); err != nil {
		t.Fatal(err)
	}
	return out
}

// summary is "reason:milestone title:days overdue" per item, in order.
func summary(n *notification.Notification) []string {
	var out []string
	for _, it := range n.Items {
		out = append(out, fmt.Sprintf("%s:%s:%d", it.Reason, it.Title, it.DaysOverdue))
	}
	return out
}

func TestDailyDigests(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		today := calendar.MustParse("2026-03-10")
		ms := map[string]string{}
		for _, c := range []struct {
			title, due string
			submitted  bool
		}{
			{"in 14 days", "2026-03-24", false},
			{"in 3 days", "2026-03-13", false},
			{"in 5 days", "2026-03-15", false},
			{"1 day late", "2026-03-09", false},
			{"8 days late", "2026-03-02", false},
			{"2 days late", "2026-03-08", false},
			{"submitted", "2026-03-13", true},
			{"under review", "2026-03-01", true},
			{"in 13 days", "2026-03-23", false},
			{"15 days late", "2026-02-23", false},
		} {
			ms[c.title] = f.milestone(t, f.grant, f.a, c.title, c.due, c.submitted)
		}
		f.milestone(t, f.draftGrant, f.a, "draft grant", "2026-03-13", false)
		f.milestone(t, f.grant, f.b, "B in 3 days", "2026-03-13", false)
		review := f.update(t, ms["under review"], f.a, "submitted")
		f.update(t, ms["in 5 days"], f.a, "draft")

		editor := f.user(t, actor.RolePartnerEditor, f.a, "fr", true)
		viewer := f.user(t, actor.RolePartnerViewer, f.a, "", true)
		quiet := f.user(t, actor.RolePartnerViewer, f.a, "es", false)
		disabled := f.user(t, actor.RolePartnerEditor, f.a, "", true)
		if _, err := d.ExecContext(f.ctx, "UPDATE users SET disabled = TRUE WHERE id = ?", disabled.id); err != nil {
			t.Fatal(err)
		}
		userB := f.user(t, actor.RolePartnerEditor, f.b, "pt", true)
		coordinator := f.user(t, actor.RoleCoordinator, f.lead, "es", true)
		idle := f.user(t, actor.RolePartnerEditor, f.idle, "", true)

		mails := &capture{fail: map[string]bool{editor.email: true}}
		opts := reminder.Options{PublicURL: "https://pactum.example.org/"}
		res, err := reminder.Run(f.ctx, d, today, mails, opts)
		if err != nil {
			t.Fatal(err)
		}
		// editor, viewer, quiet, userB, coordinator.
		if res.Digests != 5 || res.Emails != 3 || res.EmailsFailed != 1 {
			t.Errorf("first run: %+v, want 5 digests, 3 emails, 1 failed", res)
		}
		partnerItems := []string{"overdue:15 days late:15", "overdue:8 days late:8", "overdue:1 day late:1",
			"due_in_3_days:in 3 days:0", "due_in_14_days:in 14 days:0"}
		for name, u := range map[string]user{"editor": editor, "viewer": viewer, "quiet": quiet} {
			ds := f.digests(t, u)
			if len(ds) != 1 {
				t.Fatalf("%s has %d digests, want 1", name, len(ds))
			}
			n := ds[0]
			if n.Kind != notification.KindReminderDigest || n.DigestDate == nil || *n.DigestDate != "2026-03-10" || n.ReadTime != nil {
				t.Errorf("%s's digest: %+v", name, n)
			}
			if got := summary(n); !slices.Equal(got, partnerItems) {
				t.Errorf("%s's items:\n got %v\nwant %v", name, got, partnerItems)
			}
			for _, it := range n.Items {
				if it.OrganisationID != f.a || it.MilestoneID != ms[it.Title] || it.DueDate == "" {
					t.Errorf("%s's item %+v", name, it)
				}
			}
		}
		if got := summary(f.digests(t, userB)[0]); !slices.Equal(got, []string{"due_in_3_days:B in 3 days:0"}) {
			t.Errorf("partner B's items: %v", got)
		}
		cd := f.digests(t, coordinator)
		if len(cd) != 1 || !slices.Equal(summary(cd[0]), []string{"awaiting_review:under review:0"}) {
			t.Fatalf("coordinator's digests: %v", cd)
		}
		if it := cd[0].Items[0]; it.ProgressUpdateID != review || it.MilestoneID != ms["under review"] || it.OrganisationID != f.a || it.DueDate != "2026-03-01" {
			t.Errorf("coordinator's item %+v", it)
		}
		for name, u := range map[string]user{"disabled": disabled, "idle": idle} {
			if ds := f.digests(t, u); len(ds) != 0 {
				t.Errorf("%s got %d digests", name, len(ds))
			}
		}

		// Emails: one per person who wants them, in their language.
		if got := mails.to(viewer.email); len(got) != 1 || !strings.Contains(got[0].subject, "Pactum reminders for 2026-03-10") ||
			!strings.Contains(got[0].body, "Overdue\n- 15 days late (Umoja Domestic Workers Union), due 2026-02-23, 15 days overdue\n") ||
			!strings.Contains(got[0].body, "- 1 day late (Umoja Domestic Workers Union), due 2026-03-09, 1 day overdue\n") || !strings.Contains(got[0].body, "Due in 14 days\n- in 14 days") ||
			!strings.Contains(got[0].body, "https://pactum.example.org/notifications") {
			t.Errorf("viewer's emails: %+v", got)
		}
		if got := mails.to(userB.email); len(got) != 1 || got[0].subject != "Lembretes do Pactum de 2026-03-10" ||
			!strings.Contains(got[0].body, "Prazo em 3 dias\n- B in 3 days (Himalaya Migrant Workers Forum), prazo: 2026-03-13") {
			t.Errorf("partner B's emails: %+v", got)
		}
		if got := mails.to(coordinator.email); len(got) != 1 || got[0].subject != "Recordatorios de Pactum del 2026-03-10" ||
			!strings.Contains(got[0].body, "Pendiente de su revisión\n- under review (Umoja Domestic Workers Union)") {
			t.Errorf("coordinator's emails: %+v", got)
		}
		for name, u := range map[string]user{"quiet": quiet, "disabled": disabled, "idle": idle, "editor (failing)": editor} {
			if got := mails.to(u.email); len(got) != 0 {
				t.Errorf("%s was emailed: %+v", name, got)
			}
		}
		if n := f.digests(t, editor)[0]; n.EmailTime != nil {
			t.Errorf("a failed send set email_time %v", n.EmailTime)
		}
		if n := f.digests(t, viewer)[0]; n.EmailTime == nil {
			t.Error("a sent digest has no email_time")
		}

		// A second run the same day writes nothing new and emails only the
		// digest whose send failed.
		mails.fail = nil
		res, err = reminder.Run(f.ctx, d, today, mails, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res != (reminder.Result{Emails: 1}) {
			t.Errorf("second run: %+v, want only the retried email", res)
		}
		got := mails.to(editor.email)
		if len(got) != 1 || got[0].subject != "Rappels Pactum du 2026-03-10" ||
			!strings.Contains(got[0].body, "- 1 day late (Umoja Domestic Workers Union), échéance le 2026-03-09, en retard d'un jour\n") ||
			!strings.Contains(got[0].body, "en retard de 8 jours") {
			t.Errorf("editor's retried email: %+v", got)
		}
		for _, u := range []user{editor, viewer, quiet, userB, coordinator} {
			if ds := f.digests(t, u); len(ds) != 1 {
				t.Errorf("%s has %d digests after the second run", u.email, len(ds))
			}
		}
		res, err = reminder.Run(f.ctx, d, today, mails, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res != (reminder.Result{}) || len(mails.sent) != 4 {
			t.Errorf("third run: %+v, %d emails in all, want nothing new and 4", res, len(mails.sent))
		}

		// The next day no milestone is on a reminder day (the 1-day-late
		// one is 2 days late, the 14-day one due in 13): only the update
		// still awaiting review is told, to the coordinator.
		res, err = reminder.Run(f.ctx, d, today.AddDays(1), nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Digests != 1 || res.Emails != 0 {
			t.Errorf("next day: %+v, want the coordinator's digest only", res)
		}
		if ds := f.digests(t, coordinator); len(ds) != 2 || *ds[1].DigestDate != "2026-03-11" {
			t.Errorf("coordinator's digests the next day: %d", len(ds))
		}
	})
}

// Two runs at once write one digest per person: the unique index decides.
func TestConcurrentRunsWriteOneDigest(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		today := calendar.MustParse("2026-03-10")
		f.milestone(t, f.grant, f.a, "in 3 days", "2026-03-13", false)
		u := f.user(t, actor.RolePartnerEditor, f.a, "", true)
		var wg sync.WaitGroup
		results := make([]reminder.Result, 4)
		errs := make([]error, 4)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = reminder.Run(f.ctx, d, today, nil, reminder.Options{})
			}()
		}
		wg.Wait()
		total := 0
		for i := range results {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			total += results[i].Digests
		}
		if total != 1 || len(f.digests(t, u)) != 1 {
			t.Errorf("%d digests reported, %d stored; want 1", total, len(f.digests(t, u)))
		}
	})
}

func TestRemindDays(t *testing.T) {
	t.Parallel()
	today := calendar.MustParse("2026-03-10")
	for days, want := range map[int]notification.Reason{
		20: "", 15: "", 14: notification.ReasonDueIn14Days, 13: "", 4: "", 3: notification.ReasonDueIn3Days, 2: "", 0: "",
		-1: notification.ReasonOverdue, -2: "", -7: "", -8: notification.ReasonOverdue, -9: "", -15: notification.ReasonOverdue, -22: notification.ReasonOverdue,
	} {
		got, late, ok := reminder.Remind(today, today.AddDays(days))
		if got != want || ok != (want != "") {
			t.Errorf("due in %d days: %q %v, want %q", days, got, ok, want)
		}
		if want == notification.ReasonOverdue && late != -days {
			t.Errorf("due in %d days: %d days overdue", days, late)
		}
	}
}

func TestNextRun(t *testing.T) {
	t.Parallel()
	for now, want := range map[string]string{
		"2026-03-10T05:59:59Z":      "2026-03-10T06:00:00Z",
		"2026-03-10T06:00:00Z":      "2026-03-11T06:00:00Z",
		"2026-03-10T23:00:00Z":      "2026-03-11T06:00:00Z",
		"2026-03-10T07:30:00+02:00": "2026-03-10T06:00:00Z",
		"2026-03-10T09:30:00+02:00": "2026-03-11T06:00:00Z",
		"2026-12-31T12:00:00Z":      "2027-01-01T06:00:00Z",
	} {
		n, _ := time.Parse(time.RFC3339, now)
		if got := reminder.NextRun(n, 6).Format(time.RFC3339); got != want {
			t.Errorf("NextRun(%s) = %s, want %s", now, got, want)
		}
	}
}

func TestDailyStopsWithItsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	runs := make(chan struct{}, 10)
	done := make(chan struct{})
	go func() {
		reminder.Daily(ctx, 6, func(context.Context) { runs <- struct{}{} })
		close(done)
	}()
	select {
	case <-runs:
	case <-time.After(10 * time.Second):
		t.Fatal("Daily did not run the job at start-up")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Daily did not return when its context ended")
	}
	if len(runs) != 0 {
		t.Errorf("%d extra runs", len(runs))
	}
}

func TestComposeFallsBackToEnglish(t *testing.T) {
	t.Parallel()
	subject, body := reminder.Compose("de", "", calendar.MustParse("2026-03-10"),
		[]notification.Item{{Reason: notification.ReasonDueIn3Days, Title: "Update\nQ1", DueDate: "2026-03-13", OrganisationID: "o"}},
		map[string]string{"o": "Org"}, "http://x")
	if subject != "Pactum reminders for 2026-03-10" || !strings.HasPrefix(body, "Hello,\n") ||
		!strings.Contains(body, "- Update Q1 (Org), due 2026-03-13\n") {
		t.Errorf("subject %q body:\n%s", subject, body)
	}
}

// TestEveryReasonHasASection: the email names every reason an item can
// have, in every language.
func TestEveryReasonHasASection(t *testing.T) {
	for _, r := range []notification.Reason{notification.ReasonOverdue, notification.ReasonDueIn3Days,
		notification.ReasonDueIn14Days, notification.ReasonAwaitingReview} {
		if !i18n.Has("reminder.section." + string(r)) {
			t.Errorf("no section for %q", r)
		}
	}
	_, fr := reminder.Compose("fr", "Awa", calendar.MustParse("2026-03-10"), []notification.Item{
		{Reason: notification.ReasonOverdue, Title: "A", DueDate: "2026-03-09", DaysOverdue: 1, OrganisationID: "o"},
		{Reason: notification.ReasonOverdue, Title: "B", DueDate: "2026-03-01", DaysOverdue: 9, OrganisationID: "o"}},
		map[string]string{"o": "Org"}, "http://x")
	if !strings.Contains(fr, "Bonjour Awa,\n") || !strings.Contains(fr, "\nEn retard\n- A (Org), échéance le 2026-03-09, en retard d'un jour\n- B (Org), échéance le 2026-03-01, en retard de 9 jours\n") {
		t.Errorf("French email:\n%s", fr)
	}
}
