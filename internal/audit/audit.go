// Package audit keeps Pactum's tamper-evident audit trail. Every change
// writes an event in the same transaction as the change: time, actor,
// action, resource and the changed fields with old and new values.
//
// Events are chained twice. Each holds the SHA-256 hash of its fields and
// of the hash before it (the original chain, which anyone can recompute),
// and a MAC: HMAC-SHA256 over its fields, its number and the MAC before
// it, with a key kept outside the database (see Key). A database writer
// without the key can neither edit, remove, renumber nor reorder events
// without breaking the MAC chain. What the chain alone cannot show, a cut
// tail with the head rewound or a wiped trail, the checkpoints show: the
// head, signed now and then into a file outside the database (see Keeper).
// Verify checks it all and names what it finds.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
)

// Change is one changed field.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Event is a stored audit event.
type Event struct {
	bun.BaseModel `bun:"table:audit_events"`

	Seq          int64     `bun:"seq,pk"`
	Time         time.Time `bun:"event_time"`
	Actor        string    `bun:"actor"`
	Action       string    `bun:"action"`
	Resource     string    `bun:"resource"`
	GrantID      *string   `bun:"grant_id"`
	Changes      string    `bun:"changes"`
	PreviousHash string    `bun:"previous_hash"`
	Hash         string    `bun:"hash"`
	// MAC is the keyed MAC of the event (see Key); "" for an event written
	// before the key existed and not yet sealed.
	MAC string `bun:"mac"`
}

// ChangeList decodes the event's changes.
func (e *Event) ChangeList() []Change {
	var out []Change
	_ = json.Unmarshal([]byte(e.Changes), &out)
	return out
}

// Entry is what a caller records; the actor comes from the context.
type Entry struct {
	Action   string // create, update, delete, activate, submit, sign_in, sign_in_failed, token_create, ...
	Resource string // resource name, e.g. "grants/0192..."
	GrantID  string // the grant the resource belongs to, for scoping ("" if none)
	Changes  []Change
}

// computeHash is the SHA-256 chain hash of an event: SHA-256 over its fields and the hash
// of the event before it.
func (e *Event) computeHash() string {
	grant := ""
	if e.GrantID != nil {
		grant = *e.GrantID
	}
	h := sha256.New()
	for _, part := range []string{
		strconv.FormatInt(e.Seq, 10), e.Time.UTC().Format(time.RFC3339Nano), e.Actor, e.Action,
		e.Resource, grant, e.Changes, e.PreviousHash,
	} {
		_, _ = fmt.Fprintf(h, "%d:%s;", len(part), part) // a hash's Write never returns an error
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Record appends an event within tx, chained to the one before, with its
// MAC by the key audit.Use gave tx's database. Writers are serialised on
// the single row of audit_head, so the chain never forks, on SQLite or
// PostgreSQL. Errors: internal (also without a key, or on a trail written
// before the key existed and not yet sealed: see Keeper.Seal).
func Record(ctx context.Context, tx bun.IDB, e Entry) error {
	key := keyOf(tx)
	if key == nil {
		return errs.Internal(errors.New("audit: no audit key for this database (audit.Use is called where it is opened)"))
	}
	changes, err := json.Marshal(nonNil(e.Changes))
	if err != nil {
		return errs.Internal(err)
	}
	// Taking the row lock first makes concurrent writers wait their turn.
	if _, err := tx.NewRaw("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").Exec(ctx); err != nil {
		return db.Err(err)
	}
	var seq int64
	var prev, prevMAC string
	if err := tx.NewRaw("SELECT seq, hash, mac FROM audit_head WHERE id = 1").Scan(ctx, &seq, &prev, &prevMAC); err != nil {
		return db.Err(err)
	}
	if seq > 1 && prevMAC == "" {
		return errs.Internal(errors.New("audit: the trail written before the audit key existed is not sealed yet (audit.Keeper.Seal)"))
	}
	ev := &Event{
		Seq: seq, Time: time.Now().UTC().Truncate(time.Microsecond), Actor: actor.From(ctx).Name(),
		Action: e.Action, Resource: e.Resource, Changes: string(changes), PreviousHash: prev,
	}
	if e.GrantID != "" {
		g := e.GrantID
		ev.GrantID = &g
	}
	ev.Hash = ev.computeHash()
	ev.MAC = key.eventMAC(ev, ev.Seq, prevMAC)
	if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
		return db.Err(err)
	}
	if _, err := tx.NewRaw("UPDATE audit_head SET hash = ?, mac = ? WHERE id = 1", ev.Hash, ev.MAC).Exec(ctx); err != nil {
		return db.Err(err)
	}
	return nil
}

func nonNil(c []Change) []Change {
	if c == nil {
		return []Change{}
	}
	return c
}

// skipped are bookkeeping columns left out of diffs.
var skipped = map[string]bool{"version": true, "update_time": true, "create_time": true, "search_name": true, "password_hash": true, "token_hash": true}

// Diff lists the columns whose values differ between two rows of the same
// Bun model (pointers to structs). A nil before lists every column as new (a
// creation); a nil after lists every column as old (a deletion).
func Diff(idb bun.IDB, before, after any) []Change {
	model := after
	if model == nil || reflect.ValueOf(model).IsNil() {
		model = before
	}
	t := reflect.TypeOf(model).Elem()
	table := idb.Dialect().Tables().Get(t)
	var out []Change
	for _, f := range table.Fields {
		if skipped[f.Name] {
			continue
		}
		o, n := field(f, before), field(f, after)
		if o != n {
			out = append(out, Change{Field: f.Name, Old: o, New: n})
		}
	}
	return out
}

func field(f *schema.Field, row any) string {
	if row == nil {
		return ""
	}
	v := reflect.ValueOf(row)
	if v.IsNil() {
		return ""
	}
	fv := f.Value(v.Elem())
	for fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			return ""
		}
		fv = fv.Elem()
	}
	if t, ok := fv.Interface().(time.Time); ok {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	if s, ok := fv.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprint(fv.Interface())
}

// Describe formats a change list for logs and the CLI.
func Describe(changes []Change) string {
	var parts []string
	for _, c := range changes {
		parts = append(parts, fmt.Sprintf("%s: %q -> %q", c.Field, c.Old, c.New))
	}
	return strings.Join(parts, ", ")
}
