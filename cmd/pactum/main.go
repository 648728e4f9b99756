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
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kong"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/audit"
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

	AuditKeyFile        string `name:"audit-key-file" env:"PACTUM_AUDIT_KEY_FILE" type:"path" help:"The audit key (secret; created at first start, 0600): keep a backup, and give every server on one PostgreSQL database the same file. Default: audit.key next to the SQLite database, or ./pactum-data/audit.key."`
	AuditCheckpointFile string `name:"audit-checkpoint-file" env:"PACTUM_AUDIT_CHECKPOINT_FILE" type:"path" help:"The signed checkpoints of the audit trail's head (appended to). Default: audit-checkpoints.jsonl next to the audit key."`
}

// auditFiles are the audit key and checkpoint files the flags name, or
// their defaults.
func (g *globals) auditFiles() app.AuditFiles {
	f := app.DefaultAuditFiles(g.DB)
	if g.AuditKeyFile != "" {
		f.Key = g.AuditKeyFile
		f.Checkpoints = filepath.Join(filepath.Dir(g.AuditKeyFile), filepath.Base(f.Checkpoints))
	}
	if g.AuditCheckpointFile != "" {
		f.Checkpoints = g.AuditCheckpointFile
	}
	return f
}

// open opens the database as the application does: migrated, with the
// audit key (app.Open).
func (g *globals) open(ctx context.Context, log *slog.Logger) (*bun.DB, *audit.Keeper, error) {
	return app.Open(ctx, g.DB, g.auditFiles(), log)
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

	Serve           serveCmd           `cmd:"" help:"Run the Pactum server (API and web app on one port)."`
	Migrate         migrateCmd         `cmd:"" help:"Apply, roll back or show database migrations."`
	User            userCmd            `cmd:"" help:"Manage users."`
	Audit           auditCmd           `cmd:"" help:"Check the audit trail."`
	Ledger          ledgerCmd          `cmd:"" help:"Import expenditure ledgers."`
	Rates           ratesCmd           `cmd:"" help:"Import exchange rates."`
	Report          reportCmd          `cmd:"" help:"Make reports: the donor financial report in Excel or PDF."`
	Reminders       remindersCmd       `cmd:"" help:"Run the daily reminder job (the server runs it every day by itself)."`
	NarrativeReport narrativeReportCmd `cmd:"" name:"narrative-report" help:"Write a grant's narrative report of a reporting period as a Word document (DOCX) or a PDF."`
	Version         versionCmd         `cmd:"" help:"Print the version."`
}

type userCmd struct {
	Create    userCreateCmd    `cmd:"" help:"Create a user, e.g. the first admin: pactum user create --role admin --email you@example.org --name 'Your Name'."`
	ResetLink userResetLinkCmd `cmd:"" name:"reset-link" help:"Print a new password-reset link for a user to stdout (without SMTP, the server logs links only redacted). It revokes the user's earlier reset links."`
}

type userResetLinkCmd struct {
	Email     string `required:"" help:"The user's email address."`
	PublicURL string `name:"public-url" env:"PACTUM_PUBLIC_URL" default:"http://localhost:8080" help:"Where users reach Pactum (the start of the link)."`
}

func (c *userResetLinkCmd) Run(g *globals) error {
	return c.run(actor.SystemContext(context.Background()), g, os.Stdout)
}

func (c *userResetLinkCmd) run(ctx context.Context, g *globals, out io.Writer) error {
	d, err := app.OpenDB(ctx, g.DB, g.logger())
	if err != nil {
		return err
	}
	defer d.Close()
	secret, u, err := identity.NewService(d).CreateResetLink(ctx, c.Email)
	if err != nil {
		return err
	}
	if secret == "" {
		return fmt.Errorf("no enabled user has the email address %s", identity.NormaliseEmail(c.Email))
	}
	fmt.Fprintf(out, "%s\n", rpc.ResetLink(c.PublicURL, secret))
	fmt.Fprintf(os.Stderr, "password-reset link for %s (%s): it works once, within %s; pass it on safely\n", u.Name(), u.Email, identity.ResetTTL)
	return nil
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
	d, _, err := g.open(ctx, g.logger())
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
	Verify     auditVerifyCmd     `cmd:"" help:"Check the audit trail's MAC chain with the audit key, and its signed checkpoints; name the first tampering found (edited, recomputed, renumbered, removed, cut tail, wiped)."`
	Checkpoint auditCheckpointCmd `cmd:"" help:"Sign a checkpoint of the audit trail's head now (the server signs them by itself) and print it with the public key that checks it."`
}

type auditVerifyCmd struct{}

func (auditVerifyCmd) Run(g *globals) error {
	return auditVerify(context.Background(), g, os.Stdout)
}

// auditVerify checks the trail without changing anything: the database
// is not migrated, the key not created, the trail not sealed.
func auditVerify(ctx context.Context, g *globals, out io.Writer) error {
	files := g.auditFiles()
	key, err := audit.LoadKey(files.Key)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no audit key at %s: the trail cannot be verified without it (--audit-key-file names it)", files.Key)
	}
	if err != nil {
		return err
	}
	cps, err := audit.ReadCheckpoints(files.Checkpoints)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, g.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := audit.Verify(ctx, d, key, cps)
	if err != nil {
		return err
	}
	if !res.OK() {
		fmt.Fprintf(out, "audit trail BROKEN at event %d (%s): %s\n", res.BadSeq, res.Case, res.Problem)
		return errAuditBroken
	}
	fmt.Fprintf(out, "audit trail intact: %d events, MAC chain verified with the audit key %s\n", res.Events, files.Key)
	switch {
	case res.SealedThrough == 0:
		fmt.Fprintln(out, "  MAC-protected from event 1: every event got its MAC when it was written")
	default:
		sealed := ""
		if !res.SealedAt.IsZero() {
			sealed = " on " + res.SealedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(out, "  MAC-protected from event %d: events 1 to %d were written before the audit key existed and were sealed%s (until then only their SHA-256 chain, which a database writer can recompute, protected them)\n",
			res.MACFrom(), res.SealedThrough, sealed)
	}
	if res.Latest == nil {
		fmt.Fprintf(out, "  no signed checkpoint in %s: a cut tail or a wiped trail could not be detected\n", files.Checkpoints)
	} else {
		c := res.Latest
		fmt.Fprintf(out, "  %d signed checkpoints in %s agree; the latest: event %d, signed %s, fingerprint %s\n",
			res.Checkpoints, files.Checkpoints, c.Seq, c.Time.Format(time.RFC3339), c.Fingerprint())
	}
	fmt.Fprintf(out, "  checkpoint public key: %s\n", key.PublicKeyHex())
	return nil
}

type auditCheckpointCmd struct{}

func (auditCheckpointCmd) Run(g *globals) error {
	ctx := context.Background()
	d, kp, err := g.open(ctx, g.logger())
	if err != nil {
		return err
	}
	defer d.Close()
	c, err := kp.Checkpoint(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("audit checkpoint: event %d, signed %s, fingerprint %s, in %s\ncheckpoint public key: %s\n",
		c.Seq, c.Time.Format(time.RFC3339), c.Fingerprint(), kp.Path(), kp.Key().PublicKeyHex())
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
	Tmp       string `name:"tmp" env:"PACTUM_TMP" default:"./pactum-data/tmp" help:"Directory for temporary files (uploads on their way into --files, reports being made); on the file system of --files. What a crashed server left there is removed at start-up."`

	AuditCheckpointEvery time.Duration `name:"audit-checkpoint-every" env:"PACTUM_AUDIT_CHECKPOINT_EVERY" default:"10m" help:"How often to sign a checkpoint of the audit trail's head when it moved (also at shutdown and for every report)."`
}

func (c *serveCmd) Run(g *globals) error {
	log := g.logger()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, keeper, err := g.open(ctx, log)
	if err != nil {
		return err
	}
	defer d.Close()
	if c.AuditCheckpointEvery <= 0 {
		return errors.New("--audit-checkpoint-every must be positive")
	}
	storage, err := app.OpenStorage(c.Files, c.Tmp, log)
	if err != nil {
		return err
	}
	defer storage.Close()
	services := app.NewServices(d, storage.Blobs, storage.Temp, keeper)
	if c.Demo {
		seeded, err := demo.Seed(ctx, d, calendar.Today())
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if err := demo.SeedPhotos(ctx, d, storage.Blobs, seeded); err != nil {
			return fmt.Errorf("demo photos: %w", err)
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
	h, err := app.Handler(services, cfg, app.Ready(d, storage.Blobs), log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	stopReminders := startReminders(ctx, d, cfg.Mailer, c.PublicURL, log)
	stopCheckpoints := startCheckpoints(keeper, c.AuditCheckpointEvery, log)
	err = app.Serve(ctx, app.NewHTTPServer(c.Addr, h, log), ln, log)
	stopReminders()
	stopCheckpoints() // after the last write: the final checkpoint has it
	return err
}

// startCheckpoints signs a checkpoint of the audit trail's head every
// period while it moves, in the background; the returned function signs a
// last one and waits for it (at shutdown, before the database is closed).
func startCheckpoints(keeper *audit.Keeper, every time.Duration, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		keeper.Run(ctx, every, log)
	}()
	return func() {
		cancel()
		<-done
	}
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
	d, _, err := g.open(ctx, log)
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
