// Package audit keeps Pactum's tamper-evident audit trail. Every change
// writes an event in the same transaction as the change: time, actor,
// action, resource and the changed fields with old and new values. Events
// are hash-chained: each holds the hash of the one before, so an event that
// is edited, removed or reordered breaks the chain, and Verify finds it.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/pactum-dev/pactum/internal/actor"
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

// hash is the chain hash of an event: SHA-256 over its fields and the hash
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
		fmt.Fprintf(h, "%d:%s;", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Record appends an event within tx, chained to the one before. Writers are
// serialised on the single row of audit_head, so the chain never forks, on
// SQLite or PostgreSQL.
func Record(ctx context.Context, tx bun.IDB, e Entry) error {
	changes, err := json.Marshal(nonNil(e.Changes))
	if err != nil {
		return errs.Internal(err)
	}
	// Taking the row lock first makes concurrent writers wait their turn.
	if _, err := tx.NewRaw("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").Exec(ctx); err != nil {
		return errs.Internal(err)
	}
	var seq int64
	var prev string
	if err := tx.NewRaw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(ctx, &seq, &prev); err != nil {
		return errs.Internal(err)
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
	if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
		return errs.Internal(err)
	}
	if _, err := tx.NewRaw("UPDATE audit_head SET hash = ? WHERE id = 1", ev.Hash).Exec(ctx); err != nil {
		return errs.Internal(err)
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

// Result is the outcome of Verify.
type Result struct {
	Events  int64  // events checked
	BadSeq  int64  // the first event found wrong (0: none)
	Problem string // what is wrong with it
}

// OK reports whether the chain is intact.
func (r Result) OK() bool { return r.Problem == "" }

// Verify walks the whole chain in order and reports the first event that
// was edited (its hash no longer matches its contents), removed (a gap in
// the sequence, or the head names a later event), or reordered (its link to
// the event before does not match).
func Verify(ctx context.Context, idb bun.IDB) (Result, error) {
	var res Result
	prevHash := ""
	var last int64
	const batch = 1000
	for {
		var events []Event
		if err := idb.NewSelect().Model(&events).Where("seq > ?", last).OrderExpr("seq ASC").Limit(batch).Scan(ctx); err != nil {
			return res, err
		}
		for i := range events {
			e := &events[i]
			res.Events++
			switch {
			case e.Seq != last+1:
				res.BadSeq, res.Problem = last+1, fmt.Sprintf("event %d is missing: it was removed (the next event is %d)", last+1, e.Seq)
			case e.PreviousHash != prevHash:
				res.BadSeq, res.Problem = e.Seq, fmt.Sprintf("event %d does not follow event %d: the chain was reordered or an event before it was replaced", e.Seq, last)
			case e.computeHash() != e.Hash:
				res.BadSeq, res.Problem = e.Seq, fmt.Sprintf("event %d was edited: its contents no longer match its hash", e.Seq)
			}
			if res.Problem != "" {
				return res, nil
			}
			prevHash, last = e.Hash, e.Seq
		}
		if len(events) < batch {
			break
		}
	}
	var headSeq int64
	var headHash string
	if err := idb.NewRaw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(ctx, &headSeq, &headHash); err != nil {
		return res, err
	}
	if headSeq != last || headHash != prevHash {
		res.BadSeq = last + 1
		res.Problem = fmt.Sprintf("the trail ends at event %d but %d events were written: event %d and later were removed", last, headSeq, last+1)
	}
	return res, nil
}

// Describe formats a change list for logs and the CLI.
func Describe(changes []Change) string {
	var parts []string
	for _, c := range changes {
		parts = append(parts, fmt.Sprintf("%s: %q -> %q", c.Field, c.Old, c.New))
	}
	return strings.Join(parts, ", ")
}
