package audit

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
)

// Checkpoint is a signed record of the audit trail's head at a time, kept
// in a file outside the database (one JSON object a line, appended to).
// A database writer can rewind the head or wipe the trail, but not the
// checkpoints: Verify then finds events that a checkpoint saw and that are
// no longer there.
type Checkpoint struct {
	// Kind is "checkpoint", or "seal" for the one written when the events
	// written before the key existed were given their MACs.
	Kind string    `json:"kind"`
	Seq  int64     `json:"seq"`  // the head: the last event's number (0: none yet)
	MAC  string    `json:"mac"`  // and its MAC
	Time time.Time `json:"time"` // when it was signed (UTC)
	// Signature is ed25519, by the key derived from the audit key, over
	// the fields above (see signed).
	Signature []byte `json:"sig"`
}

// Checkpoint kinds.
const (
	KindCheckpoint = "checkpoint"
	KindSeal       = "seal"
)

func (c *Checkpoint) signed() []byte {
	return fmt.Appendf(nil, "pactum audit checkpoint v1\nkind=%s\nseq=%d\nmac=%s\ntime=%s\n",
		c.Kind, c.Seq, c.MAC, c.Time.UTC().Format(time.RFC3339Nano))
}

// Valid reports whether c is signed by pub.
func (c *Checkpoint) Valid(pub ed25519.PublicKey) bool {
	return ed25519.Verify(pub, c.signed(), c.Signature)
}

// Fingerprint is a short fingerprint of c's signature (16 hexadecimal
// digits), to print on reports and compare with the checkpoint file.
func (c *Checkpoint) Fingerprint() string {
	sum := sha256.Sum256(c.Signature)
	return hex.EncodeToString(sum[:8])
}

// ReadCheckpoints reads the checkpoint file at path, oldest first; none
// when the file does not exist.
func ReadCheckpoints(path string) ([]Checkpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close() //nolint:errcheck // read only: a failed Close loses nothing
	var out []Checkpoint
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var c Checkpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("audit checkpoint file %s, line %d: %w", path, n, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// appendCheckpoint adds c to the file at path (created 0600), synced.
func appendCheckpoint(path string, c Checkpoint) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Keeper keeps the audit trail's protection outside the database: it
// seals the events written before the key existed, and signs checkpoints
// of the head into the checkpoint file.
type Keeper struct {
	db   *bun.DB
	key  *Key
	path string
	now  func() time.Time

	mu     sync.Mutex
	latest *Checkpoint // the file's last checkpoint, once read
}

// NewKeeper returns a Keeper of d's trail, signing with k into the
// checkpoint file at path.
func NewKeeper(d *bun.DB, k *Key, path string) *Keeper {
	return &Keeper{db: d, key: k, path: path, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Key is the audit key.
func (kp *Keeper) Key() *Key { return kp.key }

// Path is the checkpoint file's path.
func (kp *Keeper) Path() string { return kp.path }

// Checkpoints reads the checkpoint file.
func (kp *Keeper) Checkpoints() ([]Checkpoint, error) { return ReadCheckpoints(kp.path) }

// sign signs c and appends it to the file. kp.mu is held.
func (kp *Keeper) sign(c Checkpoint) (Checkpoint, error) {
	c.Time = kp.now()
	c.Signature = ed25519.Sign(kp.key.sign, c.signed())
	if err := appendCheckpoint(kp.path, c); err != nil {
		return c, fmt.Errorf("audit checkpoint file: %w", err)
	}
	kp.latest = &c
	return c, nil
}

// last returns the file's last checkpoint (nil: none). kp.mu is held.
func (kp *Keeper) last() (*Checkpoint, error) {
	if kp.latest != nil {
		return kp.latest, nil
	}
	cps, err := ReadCheckpoints(kp.path)
	if err != nil || len(cps) == 0 {
		return nil, err
	}
	kp.latest = &cps[len(cps)-1]
	return kp.latest, nil
}

// Checkpoint signs the head into the checkpoint file when it moved since
// the file's last checkpoint (or there is none yet), and returns the
// latest checkpoint. It refuses (internal error) to sign a head behind
// the last checkpoint, or at the same event with another MAC: the trail
// was cut or rewritten.
func (kp *Keeper) Checkpoint(ctx context.Context) (Checkpoint, error) {
	kp.mu.Lock()
	defer kp.mu.Unlock()
	// The file first, then the head: the head only moves forward, so a
	// checkpoint another server appended meanwhile is never ahead of it.
	last, err := kp.last()
	if err != nil {
		return Checkpoint{}, errs.Internal(err)
	}
	var seq int64
	var mac string
	if err := kp.db.NewRaw("SELECT seq, mac FROM audit_head WHERE id = 1").Scan(ctx, &seq, &mac); err != nil {
		return Checkpoint{}, db.Err(err)
	}
	if last != nil {
		switch {
		case seq < last.Seq:
			return Checkpoint{}, errs.Internal(fmt.Errorf("the audit trail's head is at event %d, behind the checkpoint of %s at event %d: the trail was cut (run pactum audit verify)",
				seq, last.Time.Format(time.RFC3339), last.Seq))
		case seq == last.Seq && mac != last.MAC:
			return Checkpoint{}, errs.Internal(fmt.Errorf("the audit trail's head at event %d does not match the checkpoint of %s: the trail was rewritten (run pactum audit verify)",
				seq, last.Time.Format(time.RFC3339)))
		case seq == last.Seq:
			return *last, nil
		}
	}
	c, err := kp.sign(Checkpoint{Kind: KindCheckpoint, Seq: seq, MAC: mac})
	if err != nil {
		return c, errs.Internal(err)
	}
	return c, nil
}

// Run signs a checkpoint every period while the head moves, and a last one
// when ctx ends (at shutdown). Failures are logged.
func (kp *Keeper) Run(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if _, err := kp.Checkpoint(ctx); err != nil && ctx.Err() == nil {
				log.Error("audit checkpoint failed", "error", err)
			}
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			c, err := kp.Checkpoint(final)
			cancel()
			if err != nil {
				log.Error("audit checkpoint at shutdown failed", "error", err)
			} else {
				log.Info("audit checkpoint", "seq", c.Seq, "fingerprint", c.Fingerprint())
			}
			return
		}
	}
}

// Seal gives MACs to the events written before the audit key existed,
// once: the first time the trail is opened with a key. It checks their
// SHA-256 chain first (and refuses to seal a broken one), then MACs them
// in order, notes in the head how far they were sealed, and signs a "seal"
// checkpoint. It returns how many events it sealed (0: none, or sealed
// already). An honest note: the events sealed were protected until then
// only by the SHA-256 chain, which a database writer could recompute;
// Verify says so.
//
// Seal refuses when the trail carries no MAC but the checkpoint file holds
// checkpoints of it: the MACs were removed, and sealing again would bless
// whatever was changed.
func (kp *Keeper) Seal(ctx context.Context) (int64, error) {
	kp.mu.Lock()
	defer kp.mu.Unlock()
	cps, err := ReadCheckpoints(kp.path)
	if err != nil {
		return 0, err
	}
	var sealed int64
	var headMAC string
	err = kp.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Taking the head's row lock makes writers (and other servers
		// sealing) wait.
		if _, err := tx.NewRaw("UPDATE audit_head SET seq = seq WHERE id = 1").Exec(ctx); err != nil {
			return err
		}
		var seq int64
		var mac string
		if err := tx.NewRaw("SELECT seq, mac FROM audit_head WHERE id = 1").Scan(ctx, &seq, &mac); err != nil {
			return err
		}
		if mac != "" || seq == 0 {
			return nil
		}
		for _, c := range cps {
			if c.Seq > 0 {
				return fmt.Errorf("the audit trail carries no MAC, but the checkpoint file %s signed its head at event %d on %s: the MACs were removed from the database; it is not sealed again (run pactum audit verify)",
					kp.path, c.Seq, c.Time.Format(time.RFC3339))
			}
		}
		res, err := verifyHashChain(ctx, tx)
		if err != nil {
			return err
		}
		if !res.OK() {
			return fmt.Errorf("the audit trail written before the audit key existed is broken at event %d (%s): it is not sealed; investigate, or restore the database from a backup",
				res.BadSeq, res.Problem)
		}
		prev := ""
		err = eachEvent(ctx, tx, func(e *Event) error {
			e.MAC = kp.key.eventMAC(e, e.Seq, prev)
			if _, err := tx.NewRaw("UPDATE audit_events SET mac = ? WHERE seq = ?", e.MAC, e.Seq).Exec(ctx); err != nil {
				return err
			}
			prev, sealed = e.MAC, e.Seq
			return nil
		})
		if err != nil {
			return err
		}
		headMAC = prev
		_, err = tx.NewRaw("UPDATE audit_head SET mac = ?, sealed_seq = ? WHERE id = 1", headMAC, sealed).Exec(ctx)
		return err
	})
	if err != nil || sealed == 0 {
		return 0, err
	}
	if _, err := kp.sign(Checkpoint{Kind: KindSeal, Seq: sealed, MAC: headMAC}); err != nil {
		return sealed, err
	}
	return sealed, nil
}

// eachEvent calls fn with every event, in order, a batch at a time.
func eachEvent(ctx context.Context, idb bun.IDB, fn func(*Event) error) error {
	var last int64
	const batch = 1000
	for {
		var events []Event
		if err := idb.NewSelect().Model(&events).Where("seq > ?", last).OrderExpr("seq ASC").Limit(batch).Scan(ctx); err != nil {
			return err
		}
		for i := range events {
			if err := fn(&events[i]); err != nil {
				return err
			}
			last = events[i].Seq
		}
		if len(events) < batch {
			return nil
		}
	}
}
