package audit_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
)

func record(t *testing.T, d *bun.DB, n int) {
	t.Helper()
	ctx := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u1"})
	for i := 0; i < n; i++ {
		err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: "grants/g1", GrantID: "g1",
				Changes: []audit.Change{{Field: "title", Old: "a", New: strings.Repeat("b", i+1)}}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, d *bun.DB) audit.Result {
	t.Helper()
	r, err := audit.Verify(context.Background(), d, dbtest.AuditKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestChainDetectsTampering(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		if r := verify(t, d); !r.OK() || r.Events != 0 {
			t.Fatalf("empty trail: %+v", r)
		}
		record(t, d, 6)
		if r := verify(t, d); !r.OK() || r.Events != 6 {
			t.Fatalf("intact trail: %+v", r)
		}
		var actorName string
		if err := d.NewRaw("SELECT actor FROM audit_events WHERE seq = 1").Scan(ctx, &actorName); err != nil || actorName != "users/u1" {
			t.Fatalf("actor = %q (%v)", actorName, err)
		}

		// Edited: a change's new value rewritten.
		if _, err := d.ExecContext(ctx, `UPDATE audit_events SET changes = '[{"field":"title","old":"a","new":"forged"}]' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		if r := verify(t, d); r.OK() || r.BadSeq != 3 || !strings.Contains(r.Problem, "edited") {
			t.Fatalf("edited event: %+v", r)
		}
	})
}

func TestChainDetectsRemovalAndReordering(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		record(t, d, 5)
		// Removed from the middle.
		if _, err := d.ExecContext(ctx, `DELETE FROM audit_events WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		if r := verify(t, d); r.OK() || r.BadSeq != 2 || !strings.Contains(r.Problem, "removed") {
			t.Fatalf("removed event: %+v", r)
		}
	})
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		record(t, d, 5)
		// Removed from the end.
		if _, err := d.ExecContext(ctx, `DELETE FROM audit_events WHERE seq = 5`); err != nil {
			t.Fatal(err)
		}
		if r := verify(t, d); r.OK() || r.BadSeq != 5 {
			t.Fatalf("last event removed: %+v", r)
		}
	})
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		record(t, d, 5)
		// Reordered: events 2 and 3 swap places (sequence numbers exchanged).
		for _, q := range []string{
			`UPDATE audit_events SET seq = 100 WHERE seq = 2`,
			`UPDATE audit_events SET seq = 2 WHERE seq = 3`,
			`UPDATE audit_events SET seq = 3 WHERE seq = 100`,
		} {
			if _, err := d.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if r := verify(t, d); r.OK() || r.BadSeq != 2 {
			t.Fatalf("reordered events: %+v", r)
		}
	})
}

// Concurrent writers never fork the chain.
func TestConcurrentRecordsKeepOneChain(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				record(t, d, 5)
			}()
		}
		wg.Wait()
		if r := verify(t, d); !r.OK() || r.Events != 20 {
			t.Fatalf("after concurrent writes: %+v", r)
		}
	})
}
