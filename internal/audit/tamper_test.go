package audit_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
)

// These tests tamper with the trail as someone who can write the database
// (but cannot read the audit key file) would: with SQL. Each tampering
// passes the SHA-256 chain check alone (audit.LegacyVerify, what Verify
// was before the key), and Verify names it.

func keeper(t *testing.T, d *bun.DB) *audit.Keeper {
	t.Helper()
	return audit.NewKeeper(d, dbtest.AuditKey, filepath.Join(t.TempDir(), "audit-checkpoints.jsonl"))
}

// checkpoint signs the head, as the server does periodically.
func checkpoint(t *testing.T, kp *audit.Keeper) audit.Checkpoint {
	t.Helper()
	c, err := kp.Checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func verifyWith(t *testing.T, d *bun.DB, kp *audit.Keeper) audit.Result {
	t.Helper()
	cps, err := kp.Checkpoints()
	if err != nil {
		t.Fatal(err)
	}
	r, err := audit.Verify(context.Background(), d, kp.Key(), cps)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// legacyPasses asserts that the SHA-256 chain alone sees nothing wrong.
func legacyPasses(t *testing.T, d *bun.DB) {
	t.Helper()
	r, err := audit.LegacyVerify(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("the tampering is not one the SHA-256 chain alone misses: %+v", r)
	}
}

func exec(t *testing.T, d *bun.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.NewRaw(q, args...).Exec(context.Background()); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func events(t *testing.T, d *bun.DB) []audit.Event {
	t.Helper()
	var out []audit.Event
	if err := d.NewSelect().Model(&out).OrderExpr("seq ASC").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

// rechain recomputes the SHA-256 chain from event from on, and the head,
// as an attacker who knows the (public) algorithm does; with wrongKey, the
// MACs too, with a key of their own.
func rechain(t *testing.T, d *bun.DB, from int64, wrongKey *audit.Key) {
	t.Helper()
	prev, prevMAC := "", ""
	var seq int64
	for _, e := range events(t, d) {
		if e.Seq < from {
			prev, prevMAC, seq = e.Hash, e.MAC, e.Seq
			continue
		}
		e.PreviousHash = prev
		e.Hash = audit.HashOf(&e)
		if wrongKey != nil {
			e.MAC = audit.MACWith(wrongKey, &e, e.Seq, prevMAC)
		}
		exec(t, d, "UPDATE audit_events SET previous_hash = ?, hash = ?, mac = ? WHERE seq = ?", e.PreviousHash, e.Hash, e.MAC, e.Seq)
		prev, prevMAC, seq = e.Hash, e.MAC, e.Seq
	}
	exec(t, d, "UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1", seq, prev, prevMAC)
}

func want(t *testing.T, r audit.Result, c audit.Case, seq int64, words string) {
	t.Helper()
	if r.OK() || r.Case != c || r.BadSeq != seq || !strings.Contains(r.Problem, words) {
		t.Fatalf("got %+v, want case %q at event %d saying %q", r, c, seq, words)
	}
}

func TestIntactTrailWithCheckpoints(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		kp := keeper(t, d)
		first := checkpoint(t, kp) // the empty trail
		record(t, d, 3)
		c := checkpoint(t, kp)
		if again := checkpoint(t, kp); again.Fingerprint() != c.Fingerprint() {
			t.Errorf("a head that did not move was signed again: %+v, %+v", c, again)
		}
		record(t, d, 2)
		r := verifyWith(t, d, kp)
		if !r.OK() || r.Events != 5 || r.Checkpoints != 2 || r.MACFrom() != 1 || r.Latest == nil || r.Latest.Seq != 3 {
			t.Fatalf("intact trail: %+v", r)
		}
		if first.Seq != 0 || c.Seq != 3 || c.Kind != audit.KindCheckpoint || !c.Valid(dbtest.AuditKey.PublicKey()) || len(c.Fingerprint()) != 16 {
			t.Errorf("checkpoints %+v, %+v", first, c)
		}
	})
}

// 1. The tail cut and the head rewound to the new last event.
func TestDetectsCutTailWithHeadRewound(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		kp := keeper(t, d)
		record(t, d, 6)
		checkpoint(t, kp)
		ev := events(t, d)
		exec(t, d, "DELETE FROM audit_events WHERE seq > 3")
		exec(t, d, "UPDATE audit_head SET seq = 3, hash = ?, mac = ? WHERE id = 1", ev[2].Hash, ev[2].MAC)

		legacyPasses(t, d)
		want(t, verifyWith(t, d, kp), audit.CutTail, 4, "events 4 to 6 were cut and the head rewound")
		// Nor does the server sign the rewound head.
		if _, err := kp.Checkpoint(context.Background()); err == nil || !strings.Contains(err.Error(), "cut") {
			t.Errorf("checkpoint of a rewound head: %v", err)
		}
	})
}

// 2. An event edited and the chain recomputed: by SHA-256 alone, or with
// MACs under a key of the attacker's own.
func TestDetectsEditWithRecomputedChain(t *testing.T) {
	t.Parallel()
	wrong, err := audit.NewKey(bytes.Repeat([]byte{0x42}, 32))
	if err != nil {
		t.Fatal(err)
	}
	for name, key := range map[string]*audit.Key{"sha256": nil, "wrong key": wrong} {
		t.Run(name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *bun.DB) {
				kp := keeper(t, d)
				record(t, d, 6)
				checkpoint(t, kp)
				exec(t, d, `UPDATE audit_events SET changes = '[{"field":"title","old":"a","new":"forged"}]' WHERE seq = 3`)
				rechain(t, d, 3, key)

				legacyPasses(t, d)
				want(t, verifyWith(t, d, kp), audit.Recomputed, 3, "MAC mismatch at event 3 although its SHA-256 chain is consistent")
			})
		})
	}
}

// 3. An event deleted and the ones after it renumbered to close the gap.
func TestDetectsDeletedAndRenumbered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		kp := keeper(t, d)
		record(t, d, 6)
		checkpoint(t, kp)
		exec(t, d, "DELETE FROM audit_events WHERE seq = 3")
		for seq := 4; seq <= 6; seq++ {
			exec(t, d, "UPDATE audit_events SET seq = ? WHERE seq = ?", seq-1, seq)
		}
		rechain(t, d, 3, nil)

		legacyPasses(t, d)
		want(t, verifyWith(t, d, kp), audit.Renumbered, 3, "events were deleted and the rest renumbered (1 event(s) removed before event 3")
	})
}

// 4. The whole trail wiped and the head reset.
func TestDetectsWipedTrail(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		kp := keeper(t, d)
		record(t, d, 4)
		checkpoint(t, kp)
		exec(t, d, "DELETE FROM audit_events")
		exec(t, d, "UPDATE audit_head SET seq = 0, hash = '', mac = '' WHERE id = 1")

		legacyPasses(t, d)
		want(t, verifyWith(t, d, kp), audit.Wiped, 1, "the trail was wiped")
	})
}

func TestDetectsEditedCheckpointFile(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		kp := keeper(t, d)
		record(t, d, 4)
		checkpoint(t, kp)
		b, err := os.ReadFile(kp.Path())
		if err != nil {
			t.Fatal(err)
		}
		// Lowered to hide a cut tail: the signature no longer matches.
		if err := os.WriteFile(kp.Path(), bytes.Replace(b, []byte(`"seq":4`), []byte(`"seq":2`), 1), 0o600); err != nil {
			t.Fatal(err)
		}
		want(t, verifyWith(t, d, kp), audit.BadCheckpoint, 2, "not signed by this audit key")
	})
}

// unseal makes d's trail look as one written before the audit key existed.
func unseal(t *testing.T, d *bun.DB) {
	t.Helper()
	exec(t, d, "UPDATE audit_events SET mac = ''")
	exec(t, d, "UPDATE audit_head SET mac = '' WHERE id = 1")
}

func TestSealsTrailWrittenBeforeTheKey(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		kp := keeper(t, d)
		record(t, d, 3)
		unseal(t, d)
		want(t, verifyWith(t, d, kp), audit.Unsealed, 1, "not sealed yet")

		n, err := kp.Seal(ctx)
		if err != nil || n != 3 {
			t.Fatalf("sealed %d: %v", n, err)
		}
		if n, err := kp.Seal(ctx); err != nil || n != 0 {
			t.Fatalf("sealed again %d: %v", n, err)
		}
		record(t, d, 2)
		r := verifyWith(t, d, kp)
		if !r.OK() || r.Events != 5 || r.SealedThrough != 3 || r.MACFrom() != 4 || r.SealedAt.IsZero() || r.Latest == nil || r.Latest.Kind != audit.KindSeal {
			t.Fatalf("after sealing: %+v", r)
		}
		// Sealed once: editing a sealed event is caught like any other.
		exec(t, d, `UPDATE audit_events SET actor = 'users/someone-else' WHERE seq = 2`)
		want(t, verifyWith(t, d, kp), audit.Edited, 2, "was edited")
	})
}

func TestSealRefusesBrokenOrStrippedTrail(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		kp := keeper(t, d)
		record(t, d, 3)
		unseal(t, d)
		exec(t, d, `UPDATE audit_events SET action = 'forged' WHERE seq = 2`)
		if n, err := kp.Seal(context.Background()); err == nil || n != 0 || !strings.Contains(err.Error(), "broken at event 2") {
			t.Fatalf("sealed a broken chain: %d, %v", n, err)
		}
	})
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		kp := keeper(t, d)
		record(t, d, 3)
		checkpoint(t, kp)
		// MACs stripped so that the next start would seal an edited trail.
		unseal(t, d)
		if _, err := kp.Seal(context.Background()); err == nil || !strings.Contains(err.Error(), "MACs were removed") {
			t.Fatalf("sealed a stripped trail: %v", err)
		}
		want(t, verifyWith(t, d, kp), audit.MACMissing, 1, "its MAC was removed")
	})
}

func TestRecordNeedsAKey(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	audit.Forget(d)
	err := d.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: "grants/g1"})
	})
	if err == nil {
		t.Fatal("recorded an event without an audit key")
	}
}

func TestKeyFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "data", "audit.key")
	if _, err := audit.LoadKey(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("no key file: %v", err)
	}
	k, created, err := audit.LoadOrCreateKey(path)
	if err != nil || !created {
		t.Fatalf("created %v: %v", created, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v: %v", st.Mode(), err)
	}
	again, created, err := audit.LoadOrCreateKey(path)
	if err != nil || created || again.PublicKeyHex() != k.PublicKeyHex() {
		t.Fatalf("reloaded: created %v, same %v: %v", created, again.PublicKeyHex() == k.PublicKeyHex(), err)
	}
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.LoadKey(path); err == nil {
		t.Fatal("loaded a broken key file")
	}
}
