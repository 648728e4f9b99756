package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
)

// auditGlobals are the flags of a new database, SQLite or PostgreSQL, with
// the audit key and checkpoints in a folder of the test's own.
func auditGlobals(t *testing.T, backend string) *globals {
	t.Helper()
	dir := t.TempDir()
	g := &globals{DB: filepath.Join(dir, "pactum.db"), LogFormat: "text", LogLevel: "error",
		AuditKeyFile: filepath.Join(dir, "secrets", "audit.key")}
	if backend == "postgres" {
		g.DB, _ = dbtest.NewPostgresSchema(t)
	}
	return g
}

// eachBackend runs fn on SQLite, and on PostgreSQL when the test DSN is set.
func eachBackend(t *testing.T, fn func(t *testing.T, backend string)) {
	for _, b := range []string{"sqlite", "postgres"} {
		t.Run(b, func(t *testing.T) {
			if b == "postgres" {
				dbtest.PostgresDSN(t)
			}
			fn(t, b)
		})
	}
}

// seedTrail opens the database as the application does, records n audit
// events and signs a checkpoint, as the server does now and then.
func seedTrail(t *testing.T, g *globals, n int) {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	d, kp, err := g.open(ctx, g.logger())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	recordN(t, d, n)
	if _, err := kp.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
}

func recordN(t *testing.T, d *bun.DB, n int) {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	for i := 0; i < n; i++ {
		err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: "grants/g1", GrantID: "g1",
				Changes: []audit.Change{{Field: "title", Old: "a", New: strconv.Itoa(i)}}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// attacker opens the database directly, without the audit key.
func attacker(t *testing.T, g *globals, queries ...string) *bun.DB {
	t.Helper()
	d, err := db.Open(context.Background(), g.DB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	for _, q := range queries {
		if _, err := d.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return d
}

// sha256Chain recomputes the SHA-256 chain from event from on, and the
// head, from the published algorithm: what a database writer can do.
func sha256Chain(t *testing.T, d *bun.DB, from int64) {
	t.Helper()
	ctx := context.Background()
	var events []audit.Event
	if err := d.NewSelect().Model(&events).OrderExpr("seq ASC").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	prev, prevMAC, seq := "", "", int64(0)
	for _, e := range events {
		if e.Seq >= from {
			grant := ""
			if e.GrantID != nil {
				grant = *e.GrantID
			}
			h := sha256.New()
			for _, part := range []string{strconv.FormatInt(e.Seq, 10), e.Time.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Resource, grant, e.Changes, prev} {
				_, _ = fmt.Fprintf(h, "%d:%s;", len(part), part) // a hash's Write never returns an error
			}
			e.Hash = hex.EncodeToString(h.Sum(nil))
			if _, err := d.NewRaw("UPDATE audit_events SET previous_hash = ?, hash = ? WHERE seq = ?", prev, e.Hash, e.Seq).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		prev, prevMAC, seq = e.Hash, e.MAC, e.Seq
	}
	if _, err := d.NewRaw("UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1", seq, prev, prevMAC).Exec(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestAuditVerifyCommandNamesTheTampering: pactum audit verify fails
// (non-zero exit) naming each tampering of a database writer, and says
// how far an intact trail is protected.
func TestAuditVerifyCommandNamesTheTampering(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, backend string) {
		g := auditGlobals(t, backend)
		seedTrail(t, g, 5)
		var out bytes.Buffer
		if err := auditVerify(context.Background(), g, &out); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		for _, want := range []string{"audit trail intact: 5 events, MAC chain verified", "MAC-protected from event 1",
			"1 signed checkpoints in", "the latest: event 5", "checkpoint public key: "} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("intact: output lacks %q:\n%s", want, out.String())
			}
		}
	})

	for _, c := range []struct {
		name   string
		tamper func(t *testing.T, g *globals)
		want   string
	}{
		{"edited", func(t *testing.T, g *globals) {
			attacker(t, g, `UPDATE audit_events SET changes = '[{"field":"title","old":"a","new":"forged"}]' WHERE seq = 3`)
		}, "BROKEN at event 3 (edited): MAC mismatch at event 3: event 3 was edited"},
		{"recomputed", func(t *testing.T, g *globals) {
			d := attacker(t, g, `UPDATE audit_events SET changes = '[{"field":"title","old":"a","new":"forged"}]' WHERE seq = 3`)
			sha256Chain(t, d, 3)
		}, "BROKEN at event 3 (recomputed): MAC mismatch at event 3 although its SHA-256 chain is consistent: the trail was rewritten from event 3 and its chain recomputed without the audit key"},
		{"renumbered", func(t *testing.T, g *globals) {
			d := attacker(t, g, "DELETE FROM audit_events WHERE seq = 2",
				"UPDATE audit_events SET seq = 2 WHERE seq = 3", "UPDATE audit_events SET seq = 3 WHERE seq = 4", "UPDATE audit_events SET seq = 4 WHERE seq = 5")
			sha256Chain(t, d, 2)
		}, "BROKEN at event 2 (renumbered): MAC mismatch at event 2: events were deleted and the rest renumbered"},
		{"cut tail", func(t *testing.T, g *globals) {
			d := attacker(t, g, "DELETE FROM audit_events WHERE seq > 3")
			sha256Chain(t, d, 4) // the head rewound to event 3
		}, "BROKEN at event 4 (cut-tail): the checkpoint of "},
		{"wiped", func(t *testing.T, g *globals) {
			attacker(t, g, "DELETE FROM audit_events", "UPDATE audit_head SET seq = 0, hash = '', mac = '' WHERE id = 1")
		}, "BROKEN at event 1 (wiped): the audit trail is empty, but the checkpoint of "},
	} {
		t.Run(c.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, backend string) {
				g := auditGlobals(t, backend)
				seedTrail(t, g, 5)
				c.tamper(t, g)
				var out bytes.Buffer
				err := auditVerify(context.Background(), g, &out)
				if !errors.Is(err, errAuditBroken) || !strings.Contains(out.String(), c.want) {
					t.Fatalf("%v:\n%s\nwant %q", err, out.String(), c.want)
				}
				if c.name == "cut tail" && !strings.Contains(out.String(), "records event 5, beyond the database's last event 3: events 4 to 5 were cut and the head rewound") {
					t.Errorf("cut tail: %s", out.String())
				}
			})
		})
	}

	// Without the key there is nothing to verify with.
	g := auditGlobals(t, "sqlite")
	seedTrail(t, g, 1)
	if err := os.Remove(g.AuditKeyFile); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := auditVerify(context.Background(), g, &out); err == nil || !strings.Contains(err.Error(), "no audit key at "+g.AuditKeyFile) {
		t.Errorf("without the key: %v", err)
	}
}

// TestAuditKeyAtFirstStart: a database whose trail was written before the
// audit key existed gets a key (0600) and is sealed at the first start,
// and verify says so; a sealed trail whose key is missing is not given a
// new one.
func TestAuditKeyAtFirstStart(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, backend string) {
		g := auditGlobals(t, backend)
		files := g.auditFiles()
		seedTrail(t, g, 3)
		// As an install from before the key: no MACs, no key, no checkpoints.
		attacker(t, g, "UPDATE audit_events SET mac = ''", "UPDATE audit_head SET mac = ''")
		for _, f := range []string{files.Key, files.Checkpoints} {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}

		ctx := actor.SystemContext(context.Background())
		d, _, err := g.open(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		recordN(t, d, 2)
		_ = d.Close()
		if st, err := os.Stat(files.Key); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v, %v", st, err)
		}
		var out bytes.Buffer
		if err := auditVerify(context.Background(), g, &out); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		if want := "MAC-protected from event 4: events 1 to 3 were written before the audit key existed and were sealed on "; !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}

		// The key lost: no new one for a sealed trail.
		if err := os.Rename(files.Key, files.Key+".bak"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := g.open(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil || !strings.Contains(err.Error(), "restore the key file") {
			t.Errorf("opened a sealed trail without its key: %v", err)
		}
		if _, err := os.Stat(files.Key); err == nil {
			t.Error("a new key was made for a sealed trail")
		}
	})
}

// TestServerSignsACheckpointAtShutdown: the server's checkpoint loop
// signs the head it leaves when it stops.
func TestServerSignsACheckpointAtShutdown(t *testing.T) {
	t.Parallel()
	g := auditGlobals(t, "sqlite")
	ctx := actor.SystemContext(context.Background())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, kp, err := g.open(ctx, log)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	stop := startCheckpoints(kp, time.Hour, log)
	recordN(t, d, 3)
	stop()
	cps, err := audit.ReadCheckpoints(g.auditFiles().Checkpoints)
	if err != nil || len(cps) == 0 || cps[len(cps)-1].Seq != 3 {
		t.Fatalf("checkpoints after shutdown: %+v, %v", cps, err)
	}
}
