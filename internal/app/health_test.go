package app_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/rpc"
)

// probeServer serves the application's handler over d, keeping files in
// filesDir, until the test ends.
func probeServer(t *testing.T, d *bun.DB, filesDir string) string {
	t.Helper()
	blobs, err := blob.NewFS(filesDir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := app.Handler(app.NewServices(d, blobs, nil, nil), rpc.AuthConfig{PublicURL: "http://localhost"}, app.Ready(d, blobs), log)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// probe answers the status and body of a GET.
func probe(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// grpcHealth answers the gRPC health status of the server ("").
func grpcHealth(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Post(base+"/grpc.health.v1.Health/Check", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Status string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("health check: %d %v", res.StatusCode, err)
	}
	return out.Status
}

// call sends a Connect call (JSON) with an API token, answering the HTTP
// status and the Connect error code ("" on success).
func call(t *testing.T, base, procedure, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+procedure, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Code string }
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out.Code
}

// The must-show of issue 12 (6): /livez and /healthz answer while the
// process runs; /readyz and gRPC health follow the database and the file
// store; with the database gone, calls answer unavailable (503), not
// internal.
func TestProbesFollowTheDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		s := identity.NewService(d)
		admin, err := s.CreateUser(ctx, identity.NewUser{Email: "admin@pactum.test", DisplayName: "Admin",
			Memberships: []identity.Membership{{Role: actor.RoleAdmin}}})
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := s.CreateAPIToken(actor.With(ctx, admin.ToCaller()), "tests", time.Hour, "")
		if err != nil {
			t.Fatal(err)
		}
		files := filepath.Join(t.TempDir(), "files")
		base := probeServer(t, d, files)

		for _, path := range []string{"/livez", "/healthz", "/readyz"} {
			if status, body := probe(t, base+path); status != http.StatusOK || body != "ok\n" {
				t.Errorf("%s: %d %q", path, status, body)
			}
		}
		if got := grpcHealth(t, base); got != "SERVING_STATUS_SERVING" {
			t.Errorf("gRPC health %s", got)
		}
		const list = "/pactum.v1.OrganisationService/ListOrganisations"
		if status, code := call(t, base, list, token, `{}`); status != http.StatusOK {
			t.Fatalf("list: %d %s", status, code)
		}

		// The file store's folder is gone.
		if err := os.RemoveAll(files); err != nil {
			t.Fatal(err)
		}
		if status, body := probe(t, base+"/readyz"); status != http.StatusServiceUnavailable || body != "file store not writable\n" {
			t.Errorf("readyz without the file store: %d %q", status, body)
		}
		if err := os.MkdirAll(files, 0o750); err != nil {
			t.Fatal(err)
		}

		// The database is gone.
		_ = d.Close()
		if status, body := probe(t, base+"/readyz"); status != http.StatusServiceUnavailable || body != "database not answering\n" {
			t.Errorf("readyz without the database: %d %q", status, body)
		}
		for _, path := range []string{"/livez", "/healthz"} {
			if status, body := probe(t, base+path); status != http.StatusOK || body != "ok\n" {
				t.Errorf("%s without the database: %d %q", path, status, body)
			}
		}
		if got := grpcHealth(t, base); got != "SERVING_STATUS_NOT_SERVING" {
			t.Errorf("gRPC health without the database: %s", got)
		}
		if status, code := call(t, base, list, token, `{}`); status != http.StatusServiceUnavailable || code != "unavailable" {
			t.Errorf("list without the database: %d %s", status, code)
		}
	})
}

// A database that cannot be reached at all (PostgreSQL on a port nobody
// listens on, SQLite in a folder that does not exist): not ready, and
// calls answer unavailable.
func TestProbesWithAnUnreachableDatabase(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	_ = ln.Close()
	open := func(driver, dsn string) *sql.DB {
		sqldb, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = sqldb.Close() })
		return sqldb
	}
	for name, d := range map[string]*bun.DB{
		"postgres": bun.NewDB(open("pgx", "postgres://postgres@"+closed+"/pactum?sslmode=disable&connect_timeout=2"), pgdialect.New()),
		"sqlite":   bun.NewDB(open("sqlite", filepath.Join(t.TempDir(), "missing", "pactum.db")), sqlitedialect.New()),
	} {
		t.Run(name, func(t *testing.T) {
			base := probeServer(t, d, t.TempDir())
			if status, body := probe(t, base+"/readyz"); status != http.StatusServiceUnavailable || body != "database not answering\n" {
				t.Errorf("readyz: %d %q", status, body)
			}
			if status, _ := probe(t, base+"/livez"); status != http.StatusOK {
				t.Errorf("livez: %d", status)
			}
			if got := grpcHealth(t, base); got != "SERVING_STATUS_NOT_SERVING" {
				t.Errorf("gRPC health: %s", got)
			}
			// Finding the token's user needs the database.
			if status, code := call(t, base, "/pactum.v1.OrganisationService/ListOrganisations", "pt_whatever", `{}`); status != http.StatusServiceUnavailable || code != "unavailable" {
				t.Errorf("a call: %d %s", status, code)
			}
		})
	}
}
