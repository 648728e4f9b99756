// Command pactum runs Pactum: the server, database migrations and
// administration commands. Every flag can also be set with a PACTUM_*
// environment variable.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/mail"
	"github.com/pactum-dev/pactum/internal/reminder"
	"github.com/pactum-dev/pactum/internal/rpc"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type globals struct {
	DB        string `name:"db" env:"PACTUM_DB" default:"./pactum-data/pactum.db" help:"Database: a SQLite file path, or a postgres:// URL."`
	LogFormat string `name:"log-format" env:"PACTUM_LOG_FORMAT" enum:"text,json" default:"text" help:"Log format: text or json."`
	LogLevel  string `name:"log-level" env:"PACTUM_LOG_LEVEL" enum:"debug,info,warn,error" default:"info" help:"Log level."`
}

func (g *globals) logger() *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(g.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if g.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

type cli struct {
	globals

	Serve     serveCmd     `cmd:"" help:"Run the Pactum server (API and web app on one port)."`
	Migrate   migrateCmd   `cmd:"" help:"Apply, roll back or show database migrations."`
	User      userCmd      `cmd:"" help:"Manage users."`
	Audit     auditCmd     `cmd:"" help:"Check the audit trail."`
	Ledger    ledgerCmd    `cmd:"" help:"Import expenditure ledgers."`
	Rates     ratesCmd     `cmd:"" help:"Import exchange rates."`
	Report    reportCmd    `cmd:"" help:"Make reports: the donor financial report in Excel or PDF."`
	Reminders remindersCmd `cmd:"" help:"Run the daily reminder job (the server runs it every day by itself)."`
	Version   versionCmd   `cmd:"" help:"Print the version."`
}

type userCmd struct {
	Create userCreateCmd `cmd:"" help:"Create a user, e.g. the first admin: pactum user create --role admin --email you@example.org --name 'Your Name'."`
}

type userCreateCmd struct {
	Demo         bool     `help:"Seed the demo data set into an empty database and create one demo user per role, printing their credentials."`
	Email        string   `help:"The user's email address (their sign-in name)."`
	Name         string   `help:"The user's name."`
	Role         string   `enum:"admin,coordinator,finance,partner_editor,partner_viewer,auditor," default:"" help:"Role: admin, coordinator, finance, partner_editor, partner_viewer or auditor."`
	Organisation string   `help:"The organisation of the membership (organisations/{id} or its id); required except for admins."`
	Grant        []string `help:"Limit the role to these grants (grants/{id} or ids); repeatable. Required for auditors."`
	Password     string   `env:"PACTUM_USER_PASSWORD" help:"The password (at least 10 characters). Without it a strong one is generated and printed."`
}

func (c *userCreateCmd) Run(g *globals) error {
	ctx := actor.SystemContext(context.Background())
	d, err := app.OpenDB(ctx, g.DB, g.logger())
	if err != nil {
		return err
	}
	defer d.Close()
	if c.Demo {
		data, err := demo.Seed(ctx, d, calendar.Today())
		if err != nil {
			return err
		}
		if data == nil {
			return errors.New("--demo needs an empty database: the demo users belong to the demo data set")
		}
		users, err := demo.Users(ctx, d, data)
		if err != nil {
			return err
		}
		printDemoUsers(users)
		return nil
	}
	var missing []string
	for flag, v := range map[string]string{"--email": c.Email, "--name": c.Name, "--role": c.Role} {
		if v == "" {
			missing = append(missing, flag)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("missing %s (or use --demo)", strings.Join(missing, ", "))
	}
	password := c.Password
	generated := password == ""
	if generated {
		b := make([]byte, 15)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		password = base64.RawURLEncoding.EncodeToString(b)
	}
	m := identity.Membership{Role: actor.Role(c.Role)}
	if c.Organisation != "" {
		id := strings.TrimPrefix(c.Organisation, "organisations/")
		m.OrganisationID = &id
	}
	for _, gr := range c.Grant {
		m.GrantIDs = append(m.GrantIDs, strings.TrimPrefix(gr, "grants/"))
	}
	u, err := identity.NewService(d).CreateUser(ctx, identity.NewUser{Email: c.Email, DisplayName: c.Name, Password: password,
		Memberships: []identity.Membership{m}})
	if err != nil {
		return err
	}
	fmt.Printf("created %s (%s) with the %s role\n", u.Name(), u.Email, c.Role)
	if generated {
		fmt.Printf("password: %s\n(shown once: pass it on safely; the user can change it with a password reset)\n", password)
	}
	return nil
}

type auditCmd struct {
	Verify auditVerifyCmd `cmd:"" help:"Walk the hash chain of the audit trail and report the first event that was edited, removed or reordered."`
}

type auditVerifyCmd struct{}

func (auditVerifyCmd) Run(g *globals) error {
	ctx := context.Background()
	d, err := db.Open(ctx, g.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := audit.Verify(ctx, d)
	if err != nil {
		return err
	}
	if !res.OK() {
		fmt.Printf("audit trail BROKEN at event %d: %s\n", res.BadSeq, res.Problem)
		return errAuditBroken
	}
	fmt.Printf("audit trail intact: %d events, hash chain verified\n", res.Events)
	return nil
}

var errAuditBroken = errors.New("the audit trail has been tampered with")

type serveCmd struct {
	Addr      string `env:"PACTUM_ADDR" default:":8080" help:"Address to listen on."`
	Demo      bool   `env:"PACTUM_DEMO" help:"Seed fictional demo data and one demo user per role into an empty database, and print their credentials."`
	PublicURL string `name:"public-url" env:"PACTUM_PUBLIC_URL" default:"http://localhost:8080" help:"Where users reach Pactum, for links in emails; cookies are Secure when it is https."`
	SMTPURL   string `name:"smtp-url" env:"PACTUM_SMTP_URL" help:"SMTP server for invitations and password resets, smtp://user:password@host:587. Without it, links are logged and shown to the inviter."`
	SMTPFrom  string `name:"smtp-from" env:"PACTUM_SMTP_FROM" help:"Sender address of Pactum's emails."`
	Files     string `name:"files" env:"PACTUM_FILES" default:"./pactum-data/files" help:"Directory for uploaded files (receipts), stored by content hash."`
}

func (c *serveCmd) Run(g *globals) error {
	log := g.logger()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := app.OpenDB(ctx, g.DB, log)
	if err != nil {
		return err
	}
	defer d.Close()
	blobs, err := blob.NewFS(c.Files)
	if err != nil {
		return err
	}
	services := app.NewServices(d, blobs)
	if c.Demo {
		seeded, err := demo.Seed(ctx, d, calendar.Today())
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if seeded != nil {
			users, err := demo.Users(ctx, d, seeded)
			if err != nil {
				return fmt.Errorf("demo users: %w", err)
			}
			log.Info("demo data seeded")
			printDemoUsers(users)
		} else {
			log.Info("demo data not seeded: the database already holds data")
		}
	}
	cfg := rpc.AuthConfig{PublicURL: c.PublicURL}
	if cfg.Mailer, err = mailer(c.SMTPURL, c.SMTPFrom); err != nil {
		return err
	}
	services.Notifications.SetEmailAvailable(cfg.Mailer != nil)
	h, err := app.Handler(services, cfg, app.Ready(d, blobs), log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	stopReminders := startReminders(ctx, d, cfg.Mailer, c.PublicURL, log)
	err = app.Serve(ctx, app.NewHTTPServer(c.Addr, h, log), ln, log)
	stopReminders()
	return err
}

// mailer returns the SMTP sender of smtpURL, or nil (no email) without one.
func mailer(smtpURL, from string) (mail.Sender, error) {
	if smtpURL == "" {
		return nil, nil
	}
	m, err := mail.ParseURL(smtpURL, from)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// startReminders runs the reminder job now and then every day at
// reminder.RunHour UTC, in the background; the returned function stops it
// and waits for a run in progress to end (before the database is closed).
func startReminders(ctx context.Context, d *bun.DB, sender mail.Sender, publicURL string, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(actor.SystemContext(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		reminder.Daily(ctx, reminder.RunHour, func(ctx context.Context) {
			_, err := reminder.Run(ctx, d, calendar.Today(), sender, reminder.Options{PublicURL: publicURL, Log: log})
			if err != nil && ctx.Err() == nil {
				log.Error("reminder job failed; it runs again tomorrow, or run pactum reminders run", "error", err)
			}
		})
	}()
	return func() {
		cancel()
		<-done
	}
}

type remindersCmd struct {
	Run remindersRunCmd `cmd:"" help:"Write today's reminder digests (one per person) and email them when SMTP is configured. Running it again the same day adds nothing."`
}

type remindersRunCmd struct {
	Date      string `help:"The day to remind for, YYYY-MM-DD (default: today in UTC)."`
	PublicURL string `name:"public-url" env:"PACTUM_PUBLIC_URL" default:"http://localhost:8080" help:"Where users reach Pactum, for the link in emails."`
	SMTPURL   string `name:"smtp-url" env:"PACTUM_SMTP_URL" help:"SMTP server, smtp://user:password@host:587. Without it, digests are written in the app only (no email)."`
	SMTPFrom  string `name:"smtp-from" env:"PACTUM_SMTP_FROM" help:"Sender address of Pactum's emails."`
}

func (c *remindersRunCmd) Run(g *globals) error {
	today := calendar.Today()
	if c.Date != "" {
		var err error
		if today, err = calendar.Parse(c.Date); err != nil {
			return fmt.Errorf("--date: %w", err)
		}
	}
	sender, err := mailer(c.SMTPURL, c.SMTPFrom)
	if err != nil {
		return err
	}
	log := g.logger()
	ctx := actor.SystemContext(context.Background())
	d, err := app.OpenDB(ctx, g.DB, log)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := reminder.Run(ctx, d, today, sender, reminder.Options{PublicURL: c.PublicURL, Log: log})
	if err != nil {
		return err
	}
	fmt.Printf("reminders for %s: %d digests written, %d emailed", today, res.Digests, res.Emails)
	if res.EmailsFailed > 0 {
		fmt.Printf(", %d emails failed (run again to retry them)", res.EmailsFailed)
	}
	if sender == nil {
		fmt.Print(" (no SMTP configured: in the app only)")
	}
	fmt.Println()
	return nil
}

func printDemoUsers(users []demo.User) {
	fmt.Println("Demo users (demo passwords: for trying Pactum out only):")
	for _, u := range users {
		fmt.Printf("  %-15s %-36s %-24s %s\n", u.Role, u.Email, u.Password, u.Organisation)
	}
}

type migrateCmd struct {
	Up     migrateUpCmd     `cmd:"" help:"Apply every pending migration."`
	Down   migrateDownCmd   `cmd:"" help:"Roll back the last group of migrations."`
	Status migrateStatusCmd `cmd:"" help:"List migrations and whether each is applied."`
}

type migrateUpCmd struct{}

func (migrateUpCmd) Run(g *globals) error {
	ctx := context.Background()
	d, err := db.Open(ctx, g.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	names, err := db.MigrateUp(ctx, d)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		fmt.Println("nothing to apply: the database is up to date")
	}
	for _, n := range names {
		fmt.Println("applied", n)
	}
	return nil
}

type migrateDownCmd struct{}

func (migrateDownCmd) Run(g *globals) error {
	ctx := context.Background()
	d, err := db.Open(ctx, g.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	names, err := db.MigrateDown(ctx, d)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		fmt.Println("nothing to roll back")
	}
	for _, n := range names {
		fmt.Println("rolled back", n)
	}
	return nil
}

type migrateStatusCmd struct{}

func (migrateStatusCmd) Run(g *globals) error {
	ctx := context.Background()
	d, err := db.Open(ctx, g.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	return db.MigrateStatus(ctx, d, os.Stdout)
}

type versionCmd struct{}

func (versionCmd) Run() error {
	fmt.Println("pactum", version)
	return nil
}

func main() {
	var c cli
	k := kong.Parse(&c,
		kong.Name("pactum"),
		kong.Description("Pactum: grant and project management for framework partnerships."),
		kong.UsageOnError(),
	)
	if err := k.Run(&c.globals); err != nil {
		fmt.Fprintln(os.Stderr, "pactum:", err)
		os.Exit(1)
	}
}
