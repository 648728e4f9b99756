package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/demo"
)

// demoDB seeds the demo data and users into a new SQLite database and
// returns its path, an open milestone of an active grant whose
// organisation has users, and the date 3 days before it is due: a day with
// reminders.
func demoDB(t *testing.T) (string, string, calendar.Date) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pactum.db")
	ctx := actor.SystemContext(context.Background())
	d, err := app.OpenDB(ctx, path, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	data, err := demo.Seed(ctx, d, calendar.Today())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Users(ctx, d, data); err != nil {
		t.Fatal(err)
	}
	var id string
	var due calendar.Date
	err = d.NewRaw(`SELECT m.id, m.due_date FROM milestones m JOIN grants g ON g.id = m.grant_id
		WHERE g.state = 'active' AND m.submit_time IS NULL AND m.accept_time IS NULL
		AND EXISTS (SELECT 1 FROM memberships ms WHERE ms.organisation_id = m.responsible_organisation_id)
		ORDER BY m.due_date LIMIT 1`).Scan(ctx, &id, &due)
	if err != nil {
		t.Fatal(err)
	}
	return path, id, due.AddDays(-3)
}

func countDigests(t *testing.T, d *bun.DB, day calendar.Date) int {
	t.Helper()
	n, err := d.NewSelect().Table("notifications").Where("kind = 'reminder_digest' AND digest_date = ?", day.String()).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRemindersRunCommand(t *testing.T) {
	t.Parallel()
	path, _, day := demoDB(t)
	g := &globals{DB: path, LogFormat: "text", LogLevel: "error"}
	cmd := &remindersRunCmd{Date: day.String(), PublicURL: "http://localhost:8080"}
	if err := cmd.Run(g); err != nil {
		t.Fatal(err)
	}
	d, err := app.OpenDB(context.Background(), path, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	first := countDigests(t, d, day)
	if first == 0 {
		t.Fatalf("no digest written for %s", day)
	}
	if err := cmd.Run(g); err != nil {
		t.Fatal(err)
	}
	if again := countDigests(t, d, day); again != first {
		t.Errorf("a second run the same day: %d digests, then %d", first, again)
	}
	for _, bad := range []*remindersRunCmd{{Date: "2026-02-30"}, {SMTPURL: "http://x", SMTPFrom: "a@b.org"}} {
		if err := bad.Run(g); err == nil {
			t.Errorf("%+v ran", bad)
		}
	}
}

// The server's scheduler runs the job at start-up and stops with its
// context, waiting for the run in progress.
func TestServeStartsAndStopsTheReminders(t *testing.T) {
	t.Parallel()
	path, milestone, _ := demoDB(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := app.OpenDB(context.Background(), path, log)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// Due in 3 days: whatever today is, there is something to remind.
	if _, err := d.Exec("UPDATE milestones SET due_date = ? WHERE id = ?", calendar.Today().AddDays(3).String(), milestone); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := startReminders(ctx, d, nil, "http://localhost:8080", log)
	deadline := time.Now().Add(20 * time.Second)
	for countDigests(t, d, calendar.Today()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if countDigests(t, d, calendar.Today()) == 0 {
		t.Error("no digest written at start-up")
	}
}
