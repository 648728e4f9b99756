package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
)

// Case names what Verify found.
type Case string

// What Verify finds.
const (
	// Intact: nothing wrong.
	Intact Case = ""
	// Removed: a gap in the numbers; an event was deleted.
	Removed Case = "removed"
	// Edited: an event's contents no longer match its MAC (nor its hash).
	Edited Case = "edited"
	// Recomputed: an event's MAC does not match although its SHA-256 chain
	// does: the trail was rewritten and its chain recomputed without the
	// key (by SHA-256, or with another key).
	Recomputed Case = "recomputed"
	// Renumbered: events were deleted and those after them renumbered.
	Renumbered Case = "renumbered"
	// Reordered: an event does not follow the one before it.
	Reordered Case = "reordered"
	// MACMissing: an event carries no MAC.
	MACMissing Case = "mac-missing"
	// Unsealed: the trail was written before the key existed and has not
	// been sealed yet: only its SHA-256 chain could be checked.
	Unsealed Case = "unsealed"
	// CutTail: the last events were deleted (the head, or a checkpoint,
	// names events the database no longer has).
	CutTail Case = "cut-tail"
	// Wiped: the trail is empty but checkpoints saw events.
	Wiped Case = "wiped"
	// CheckpointMismatch: an event's MAC differs from the one a checkpoint
	// signed for it.
	CheckpointMismatch Case = "checkpoint-mismatch"
	// BadCheckpoint: a checkpoint is not signed by the key.
	BadCheckpoint Case = "bad-checkpoint"
)

// Result is the outcome of Verify.
type Result struct {
	Events  int64  // events checked
	BadSeq  int64  // the first event found wrong (0: none)
	Case    Case   // what is wrong (Intact: nothing)
	Problem string // what is wrong, in words

	// SealedThrough: events 1 to SealedThrough were written before the
	// audit key existed and got their MACs when the trail was sealed, at
	// SealedAt (zero when unknown: the seal checkpoint is not in the file).
	// Later events got theirs when written.
	SealedThrough int64
	SealedAt      time.Time
	// Checkpoints is how many checkpoints were checked; Latest the last.
	Checkpoints int
	Latest      *Checkpoint
}

// OK reports whether the trail is intact.
func (r Result) OK() bool { return r.Problem == "" }

// MACFrom is the first event that got its MAC when it was written.
func (r Result) MACFrom() int64 { return r.SealedThrough + 1 }

func (r *Result) fail(seq int64, c Case, format string, args ...any) {
	r.BadSeq, r.Case, r.Problem = seq, c, fmt.Sprintf(format, args...)
}

// maxRenumbering bounds how far back Verify looks for the number an event
// had before the events before it were deleted and it was renumbered.
const maxRenumbering = 1 << 16

// Verify checks the audit trail against the key k and the checkpoints
// cps (the checkpoint file, oldest first), and reports the first thing
// found wrong, named (see Case):
//   - the checkpoints' signatures;
//   - each event in order: its number follows the one before (else an
//     event was removed), its MAC matches its fields, number and the MAC
//     before it (else it was edited, renumbered, reordered, or the chain
//     recomputed without the key);
//   - the head names the last event (else the tail was cut);
//   - every checkpoint's event is there with the MAC signed for it (else
//     the tail was cut and the head rewound, the trail wiped, or rewritten).
//
// Events cut after the latest checkpoint cannot be told from events never
// written: checkpoints are signed periodically, at shutdown and whenever a
// report is made.
func Verify(ctx context.Context, idb bun.IDB, k *Key, cps []Checkpoint) (Result, error) {
	var res Result
	res.Checkpoints = len(cps)
	var headSeq, sealedSeq int64
	var headHash, headMAC string
	if err := idb.NewRaw("SELECT seq, hash, mac, sealed_seq FROM audit_head WHERE id = 1").Scan(ctx, &headSeq, &headHash, &headMAC, &sealedSeq); err != nil {
		return res, err
	}
	res.SealedThrough = sealedSeq
	pub := k.PublicKey()
	var maxCp *Checkpoint
	bySeq := map[int64]*Checkpoint{} // the last checkpoint of each event
	byMAC := map[string]*Checkpoint{}
	for i := range cps {
		c := &cps[i]
		if !c.Valid(pub) {
			res.fail(c.Seq, BadCheckpoint, "checkpoint %d of the file (event %d, %s) is not signed by this audit key: the checkpoint file was edited, or belongs to another key",
				i+1, c.Seq, c.Time.Format(time.RFC3339))
			return res, nil
		}
		if c.Kind == KindSeal && res.SealedAt.IsZero() {
			res.SealedThrough, res.SealedAt = c.Seq, c.Time
		}
		if maxCp == nil || c.Seq > maxCp.Seq {
			maxCp = c
		}
		bySeq[c.Seq] = c
		if c.MAC != "" {
			byMAC[c.MAC] = c
		}
	}
	if len(cps) > 0 {
		res.Latest = &cps[len(cps)-1]
	}

	prevHash, prevMAC := "", ""
	var last int64
	var walkErr error
	stop := fmt.Errorf("stop")
	err := eachEvent(ctx, idb, func(e *Event) error {
		res.Events++
		switch {
		case e.Seq != last+1:
			res.fail(last+1, Removed, "event %d is missing: it was removed (the next event is %d)", last+1, e.Seq)
		case e.MAC == "":
			if headMAC == "" && sealedSeq == 0 && len(cps) == 0 {
				res.fail(e.Seq, Unsealed, "event %d carries no MAC: the trail was written before the audit key existed and is not sealed yet (pactum seals it when it starts with the key); only its SHA-256 chain, which a database writer can recompute, protects it", e.Seq)
			} else {
				res.fail(e.Seq, MACMissing, "event %d carries no MAC although the trail was sealed: its MAC was removed", e.Seq)
			}
		case !k.macOK(e, e.Seq, prevMAC, e.MAC):
			d, err := renumbering(ctx, idb, k, e, byMAC)
			if err != nil {
				walkErr = err
				return stop
			}
			switch {
			case d > 0:
				res.fail(e.Seq, Renumbered, "MAC mismatch at event %d: events were deleted and the rest renumbered (%d event(s) removed before event %d, the events after them numbered %d lower)", e.Seq, d, e.Seq, d)
			case e.PreviousHash != prevHash:
				res.fail(e.Seq, Reordered, "MAC mismatch at event %d: event %d does not follow event %d: the chain was reordered or an event before it was replaced", e.Seq, e.Seq, last)
			case e.computeHash() != e.Hash:
				res.fail(e.Seq, Edited, "MAC mismatch at event %d: event %d was edited: its contents no longer match its MAC nor its hash", e.Seq, e.Seq)
			default:
				res.fail(e.Seq, Recomputed, "MAC mismatch at event %d although its SHA-256 chain is consistent: the trail was rewritten from event %d and its chain recomputed without the audit key", e.Seq, e.Seq)
			}
		}
		if res.Problem != "" {
			return stop
		}
		if c := bySeq[e.Seq]; c != nil && c.MAC != e.MAC {
			res.fail(e.Seq, CheckpointMismatch, "event %d's MAC differs from the one signed in the checkpoint of %s: the trail was rewritten up to event %d (with the audit key, or it is another database)",
				e.Seq, c.Time.Format(time.RFC3339), e.Seq)
			return stop
		}
		prevHash, prevMAC, last = e.Hash, e.MAC, e.Seq
		return nil
	})
	if walkErr != nil {
		return res, walkErr
	}
	if err != nil && !errors.Is(err, stop) {
		return res, err
	}
	if res.Problem != "" {
		return res, nil
	}
	switch {
	case maxCp != nil && maxCp.Seq > last && last == 0:
		res.fail(1, Wiped, "the audit trail is empty, but the checkpoint of %s records %d events: the trail was wiped",
			maxCp.Time.Format(time.RFC3339), maxCp.Seq)
	case maxCp != nil && maxCp.Seq > last:
		res.fail(last+1, CutTail, "the checkpoint of %s records event %d, beyond the database's last event %d: events %d to %d were cut and the head rewound",
			maxCp.Time.Format(time.RFC3339), maxCp.Seq, last, last+1, maxCp.Seq)
	case headSeq > last:
		res.fail(last+1, CutTail, "the trail ends at event %d but %d events were written: event %d and later were removed", last, headSeq, last+1)
	case headSeq != last || headHash != prevHash || headMAC != prevMAC:
		res.fail(last, CutTail, "the audit trail's head (event %d) does not match its last event %d: the head was rewritten", headSeq, last)
	}
	return res, nil
}

// renumbering reports how many events were removed before e when its
// successor's MAC matches only with the number it was written with: the
// events after a deletion were renumbered to close the gap. It also
// recognises e itself from a checkpoint that signed its MAC under
// another number. 0: not a renumbering.
func renumbering(ctx context.Context, idb bun.IDB, k *Key, e *Event, byMAC map[string]*Checkpoint) (int64, error) {
	if c := byMAC[e.MAC]; c != nil && c.Seq > e.Seq {
		return c.Seq - e.Seq, nil
	}
	var next Event
	err := idb.NewSelect().Model(&next).Where("seq > ?", e.Seq).OrderExpr("seq ASC").Limit(1).Scan(ctx)
	if err != nil {
		if db.IsNoRows(err) {
			return 0, nil
		}
		return 0, err
	}
	if next.Seq != e.Seq+1 || next.MAC == "" {
		return 0, nil
	}
	for d := int64(1); d <= maxRenumbering; d++ {
		if k.macOK(&next, next.Seq+d, e.MAC, next.MAC) {
			return d, nil
		}
	}
	return 0, nil
}

// verifyHashChain is the check of the SHA-256 chain alone (what Verify was
// before the key): each event's hash matches its fields and the hash
// before it, the numbers follow, and the head names the last event. A
// database writer can rewrite all of that; Seal uses it to refuse to seal
// a chain already broken.
func verifyHashChain(ctx context.Context, idb bun.IDB) (Result, error) {
	var res Result
	prevHash := ""
	var last int64
	stop := fmt.Errorf("stop")
	err := eachEvent(ctx, idb, func(e *Event) error {
		res.Events++
		switch {
		case e.Seq != last+1:
			res.fail(last+1, Removed, "event %d is missing: it was removed (the next event is %d)", last+1, e.Seq)
		case e.PreviousHash != prevHash:
			res.fail(e.Seq, Reordered, "event %d does not follow event %d: the chain was reordered or an event before it was replaced", e.Seq, last)
		case e.computeHash() != e.Hash:
			res.fail(e.Seq, Edited, "event %d was edited: its contents no longer match its hash", e.Seq)
		}
		if res.Problem != "" {
			return stop
		}
		prevHash, last = e.Hash, e.Seq
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		return res, err
	}
	if res.Problem != "" {
		return res, nil
	}
	var headSeq int64
	var headHash string
	if err := idb.NewRaw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(ctx, &headSeq, &headHash); err != nil {
		return res, err
	}
	if headSeq != last || headHash != prevHash {
		res.fail(last+1, CutTail, "the trail ends at event %d but %d events were written: event %d and later were removed", last, headSeq, last+1)
	}
	return res, nil
}
