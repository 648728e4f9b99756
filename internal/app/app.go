// Package app wires Pactum together: configuration, the database, the domain
// services and the HTTP server. It is the only place that knows every part.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/frontend"
	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/agreement"
	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/contract"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/expenditure"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/receipt"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
	"github.com/pactum-dev/pactum/internal/rpc"
	"github.com/pactum-dev/pactum/internal/tmpdir"
)

// MaxBodyBytes caps every HTTP request body; each service caps its own
// messages lower (ledger imports are the largest, at 32 MB).
const MaxBodyBytes = 34 << 20

// OpenDB opens the database and applies pending migrations, with the
// audit files at their default place (DefaultAuditFiles): Open with them.
func OpenDB(ctx context.Context, dsn string, log *slog.Logger) (*bun.DB, error) {
	d, _, err := Open(ctx, dsn, DefaultAuditFiles(dsn), log)
	return d, err
}

// AuditFiles are where the audit trail's protection outside the database
// is kept: the audit key (secret; see README.md) and the signed
// checkpoints of its head.
type AuditFiles struct {
	Key         string
	Checkpoints string
}

// DefaultAuditFiles are audit.key and audit-checkpoints.jsonl next to a
// SQLite database, or in ./pactum-data for PostgreSQL.
func DefaultAuditFiles(dsn string) AuditFiles {
	dir := "pactum-data"
	if !db.IsPostgres(dsn) {
		dir = filepath.Dir(strings.TrimPrefix(dsn, "sqlite:"))
	}
	return AuditFiles{Key: filepath.Join(dir, "audit.key"), Checkpoints: filepath.Join(dir, "audit-checkpoints.jsonl")}
}

// Open opens the database, applies pending migrations and sets up the
// audit trail's protection: it loads the audit key (creating it, 0600, on
// a database whose trail has no MAC yet), gives it to the database
// (audit.Use: the one place the application does) and seals the events
// written before the key existed (audit.Keeper.Seal). It refuses to make a
// new key for a trail already protected by one: the key must be restored.
func Open(ctx context.Context, dsn string, files AuditFiles, log *slog.Logger) (*bun.DB, *audit.Keeper, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	kp, err := setUp(ctx, d, files, log)
	if err != nil {
		_ = d.Close()
		return nil, nil, err
	}
	return d, kp, nil
}

func setUp(ctx context.Context, d *bun.DB, files AuditFiles, log *slog.Logger) (*audit.Keeper, error) {
	applied, err := db.MigrateUp(ctx, d)
	if err != nil {
		return nil, err
	}
	for _, m := range applied {
		log.Info("migration applied", "migration", m)
	}
	key, err := audit.LoadKey(files.Key)
	if errors.Is(err, fs.ErrNotExist) {
		var mac string
		if err := d.NewRaw("SELECT mac FROM audit_head WHERE id = 1").Scan(ctx, &mac); err != nil {
			return nil, err
		}
		if mac != "" {
			return nil, fmt.Errorf("no audit key at %s, but the audit trail is protected by one: restore the key file from your backup (or point --audit-key-file at it); a new key would make the whole trail fail verification", files.Key)
		}
		var created bool
		if key, created, err = audit.LoadOrCreateKey(files.Key); err == nil && created {
			log.Warn("audit key created: back it up, and give the same file to every server sharing this database (see README.md)", "file", files.Key)
		}
	}
	if err != nil {
		return nil, err
	}
	audit.Use(d, key)
	kp := audit.NewKeeper(d, key, files.Checkpoints)
	sealed, err := kp.Seal(ctx)
	if err != nil {
		return nil, err
	}
	if sealed > 0 {
		log.Info("audit trail sealed: the events written before the audit key existed now carry MACs", "events", sealed, "checkpoints", files.Checkpoints)
	}
	return kp, nil
}

// Storage is where the server keeps files: the file store and the
// temporary folder.
type Storage struct {
	Blobs *blob.FS
	Temp  *tmpdir.Dir
}

// OpenStorage opens the temporary folder tmp, removing what processes that
// crashed left in it, and the file store in files, whose uploads are
// written in tmp first (tmp must be on the same file system). It also
// removes the temporary files that versions of Pactum before the temporary
// folder left elsewhere: upload-* in files and pactum-report-* in the
// system's temporary folder, when older than tmpdir.StaleAfter (other
// servers of an older version may share files and be writing them).
func OpenStorage(files, tmp string, log *slog.Logger) (*Storage, error) {
	temp, removed, err := tmpdir.Open(tmp)
	if err != nil {
		return nil, err
	}
	for _, p := range removed {
		log.Info("temporary file left by a stopped process removed", "path", p)
	}
	blobs, err := blob.NewFS(files, temp.Path())
	if err != nil {
		_ = temp.Close()
		return nil, err
	}
	for _, old := range []struct{ dir, pattern string }{{files, "upload-*"}, {os.TempDir(), "pactum-report-*"}} {
		removed, err := tmpdir.RemoveOld(old.dir, old.pattern, tmpdir.StaleAfter)
		for _, p := range removed {
			log.Info("temporary file left by an earlier version removed", "path", p)
		}
		if err != nil {
			log.Warn("removing old temporary files", "dir", old.dir, "error", err)
		}
	}
	return &Storage{Blobs: blobs, Temp: temp}, nil
}

// Close removes the temporary folder of this process.
func (s *Storage) Close() error { return s.Temp.Close() }

// NewServices builds the domain services on d, keeping files in blobs and
// temporary files in tmp (nil: the system's temporary folder); reports sign
// a checkpoint of the audit trail with keeper (nil: none).
func NewServices(d *bun.DB, blobs blob.Store, tmp *tmpdir.Dir, keeper *audit.Keeper) rpc.Services {
	activities := activity.NewService(d)
	updates := progress.NewService(d)
	// Who may read and change the files of an activity or a progress update
	// is decided by its own package, by the first collection of its name.
	attachmentOwners := map[string]attachment.Access{
		resource.Projects:        activities.AttachmentAccess,
		resource.ProgressUpdates: updates.AttachmentAccess,
	}
	rates, expenditures, reports := fx.NewService(d), expenditure.NewService(d), report.NewService(d, reportOptions(keeper)...)
	contracts := contract.NewService(d)
	for _, s := range []interface{ SetTempDir(string) }{rates, expenditures, reports, contracts} {
		s.SetTempDir(tmp.Path())
	}
	return rpc.Services{
		Identity:      identity.NewService(d),
		Audit:         audit.NewService(d),
		Organisations: organisation.NewService(d),
		Agreements:    agreement.NewService(d),
		Grants:        grant.NewService(d),
		Projects:      project.NewService(d),
		Milestones:    milestone.NewService(d),
		Budgets:       budget.NewService(d),
		Rates:         rates,
		Expenditures:  expenditures,
		Receipts:      receipt.NewService(d, blobs),
		Finance:       finance.NewService(d),
		Reports:       reports,
		Results:       results.NewService(d),
		Activities:    activities,
		Progress:      updates,
		Attachments:   attachment.NewService(d, blobs, attachmentOwners),
		Notifications: notification.NewService(d),
		Contracts:     contracts,
		Narrative:     narrative.NewService(d, blobs),
	}
}

func reportOptions(keeper *audit.Keeper) []report.Option {
	if keeper == nil {
		return nil
	}
	return []report.Option{report.WithCheckpoints(keeper)}
}

// Ready returns the readiness of a server on d keeping files in blobs: the
// database answers SELECT 1 within db.PingTimeout, and the file store (when
// it can tell, as blob.FS can) takes a new file.
func Ready(d *bun.DB, blobs blob.Store) rpc.Readiness {
	return func(ctx context.Context) error {
		if err := db.Ping(ctx, d); err != nil {
			return &notReady{reason: "database not answering", err: err}
		}
		if c, ok := blobs.(interface{ Check(context.Context) error }); ok {
			if err := c.Check(ctx); err != nil {
				return &notReady{reason: "file store not writable", err: err}
			}
		}
		return nil
	}
}

// notReady is why a server is not ready: a short reason, safe to show to
// anyone, and the error behind it, for the log.
type notReady struct {
	reason string
	err    error
}

func (e *notReady) Error() string { return e.reason + ": " + e.err.Error() }
func (e *notReady) Unwrap() error { return e.err }

// mountProbes registers the probes of load balancers and orchestrators:
// /livez (and /healthz, its older name) answers 200 while the process
// serves HTTP at all; /readyz answers 200 when ready, and 503 with a short
// plain reason when not.
func mountProbes(mux *http.ServeMux, ready rpc.Readiness, log *slog.Logger) {
	live := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, "ok\n")
	}
	mux.HandleFunc("GET /livez", live)
	mux.HandleFunc("GET /healthz", live)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := ready(r.Context()); err != nil {
			log.WarnContext(r.Context(), "not ready", "error", err)
			reason := "not ready"
			var nr *notReady
			if errors.As(err, &nr) {
				reason = nr.reason
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, reason+"\n")
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	})
}

// Handler returns the HTTP handler serving the API (Connect, gRPC and
// gRPC-Web), gRPC health checking and the /livez, /healthz and /readyz
// probes (by ready), reflection and the embedded web app.
func Handler(s rpc.Services, cfg rpc.AuthConfig, ready rpc.Readiness, log *slog.Logger) (http.Handler, error) {
	mux := http.NewServeMux()
	if err := rpc.Mount(mux, s, cfg, ready, log); err != nil {
		return nil, err
	}
	mountProbes(mux, ready, log)
	mux.Handle("/", frontend.Handler())
	if _, err := fs.Stat(frontend.Dist(), "index.html"); err != nil {
		return nil, fmt.Errorf("embedded web app: %w", err)
	}
	csp, err := frontend.ContentSecurityPolicy()
	if err != nil {
		return nil, err
	}
	return securityHeaders(http.MaxBytesHandler(longStreams(mux), MaxBodyBytes), csp), nil
}

// securityHeaders sets the browser's protections on every response, of the
// web app and of the API alike: the Content-Security-Policy csp (see
// frontend.ContentSecurityPolicy; file downloads replace it with a stricter
// one), no framing by any page (frame-ancestors in csp, X-Frame-Options for
// older browsers), no Referer to other sites, and no guessing of content
// types.
func securityHeaders(h http.Handler, csp string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

// StreamWriteTimeout bounds how long a streamed download (the financial
// report) may take to make and send, instead of the server's WriteTimeout.
const StreamWriteTimeout = 30 * time.Minute

// longStreams gives the streamed report downloads a write deadline of
// StreamWriteTimeout: the server's WriteTimeout (two minutes) would cut the
// report of a large grant sent to a slow connection. (The read deadline
// does not matter: once the request is read, it is lifted.)
func longStreams(h http.Handler) http.Handler {
	prefix := "/" + pactumv1connect.ReportServiceName + "/"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, prefix) {
			_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(StreamWriteTimeout))
		}
		h.ServeHTTP(w, r)
	})
}

// NewHTTPServer returns a server for h with explicit timeouts, speaking
// HTTP/1.1 and cleartext HTTP/2 (h2c, for gRPC) on one port.
func NewHTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		Protocols:         &protocols,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Serve runs srv on ln until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish for up to 15 seconds.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("pactum listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
