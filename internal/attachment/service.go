package attachment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Who may do what is decided by the owner's package, through the Access
// registered for the owner's first collection: whoever may read the owner
// reads (lists, downloads) its files; whoever may change it adds and
// deletes them, and only while it can be changed (an approved progress
// update is locked). Owners hidden from the caller do not exist for them.
//
// Blobs are never deleted, as with receipts (see internal/receipt): a
// deleted attachment's row goes (the audit trail keeps its SHA-256), its
// bytes stay. One blob is shared by every receipt and attachment with the
// same bytes, so no deletion can race an upload of the same file, and an
// auditor can still be shown what was once attached.

// MaxPerOwner is how many files one activity or progress update may hold.
const MaxPerOwner = 100

// ownerDescription says what an owner's name looks like, for messages.
const ownerDescription = "the name of an activity (projects/{project}/activities/{activity}) or of a progress update (progressUpdates/{progress_update})"

// access returns the Access for owner, checking the name's shape: pairs of
// collection and id, the first a registered collection. field names the
// request field for the error. Errors: invalid.
func (s *Service) access(owner, field string) (Access, error) {
	parts := strings.Split(owner, "/")
	bad := len(parts) < 2 || len(parts)%2 != 0 || parts[len(parts)-2] == resource.Attachments
	for _, p := range parts {
		bad = bad || p == ""
	}
	a, ok := s.owners[parts[0]]
	if bad || !ok {
		return nil, errs.Invalid(errs.FieldViolation{Field: field, Description: fmt.Sprintf("must be %s, got %q", ownerDescription, owner)})
	}
	return a, nil
}

// ParseName splits "{owner}/attachments/{id}" into owner and id; field
// names the request field for the error. Errors: invalid.
func ParseName(name, field string) (owner, id string, err error) {
	owner, id, ok := cutLast(name, "/"+resource.Attachments+"/")
	if !ok || owner == "" || id == "" || strings.Contains(id, "/") {
		return "", "", errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("must be an attachment name, {owner}/attachments/{attachment}, the owner %s; got %q", ownerDescription, name)})
	}
	return owner, id, nil
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// Upload stores a file for owner: r's bytes (their content type sniffed, at
// most MaxBytes) go to the blob store, then the attachment's row and its
// audit event are written in one transaction. The same bytes uploaded again
// to the same owner give the attachment made the first time, and created
// false. The caller's access is checked before anything is read from r, and
// again in the transaction. Errors: invalid (owner's name, field "parent";
// an empty file; reason ReasonType for a type not allowed), exhausted
// (reason ReasonTooLarge, a file over MaxBytes), not found (an owner the caller may not read),
// permission (one they may read but not change), precondition (an owner
// that can no longer be changed, or holding MaxPerOwner files), and r's own
// read errors, wrapped.
func (s *Service) Upload(ctx context.Context, owner, clientName string, r io.Reader) (att *Attachment, created bool, err error) {
	access, err := s.access(owner, "parent")
	if err != nil {
		return nil, false, err
	}
	if _, err := access(ctx, s.db, owner, true); err != nil {
		return nil, false, err
	}
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, false, fmt.Errorf("reading the file: %w", err)
	}
	head = head[:n]
	contentType, err := Sniff(head, clientName)
	if err != nil {
		return nil, false, err
	}
	sha, size, err := s.blobs.Put(ctx, blob.LimitReader(io.MultiReader(bytes.NewReader(head), r), MaxBytes))
	if errors.Is(err, blob.ErrTooLarge) {
		return nil, false, TooLarge()
	}
	if err != nil {
		return nil, false, fmt.Errorf("storing the file: %w", err)
	}
	c := actor.From(ctx)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Again, inside the transaction: the owner may have been locked or
		// deleted while the file arrived.
		grantID, err := access(ctx, tx, owner, true)
		if err != nil {
			return err
		}
		prev := new(Attachment)
		err = tx.NewSelect().Model(prev).Where("owner = ?", owner).Where("sha256 = ?", sha).
			OrderExpr("create_time, id").Limit(1).Scan(ctx)
		if err == nil {
			att = prev
			return withUploaders(ctx, tx, []*Attachment{att})
		}
		if !db.IsNoRows(err) {
			return db.Err(err)
		}
		count, err := tx.NewSelect().Model((*Attachment)(nil)).Where("owner = ?", owner).Count(ctx)
		if err != nil {
			return db.Err(err)
		}
		if count >= MaxPerOwner {
			return errs.Precondition("TOO_MANY_ATTACHMENTS", "%s already holds %d files, the most it may; delete one first, "+
				"or gather several photos in one PDF", owner, count)
		}
		att = &Attachment{
			ID: resource.NewID(), Owner: owner, GrantID: grantID, SHA256: sha,
			FileName: fileName(clientName, contentType), ContentType: contentType, SizeBytes: size,
			CreatedBy: c.Name(), CreateTime: s.now(), Version: 1,
		}
		if _, err := tx.NewInsert().Model(att).Exec(ctx); err != nil {
			return db.Err(err)
		}
		if err := withUploaders(ctx, tx, []*Attachment{att}); err != nil {
			return err
		}
		created = true
		return audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: att.Name(), GrantID: grantID,
			Changes: audit.Diff(tx, nil, att)})
	})
	if err != nil {
		return nil, false, err
	}
	return att, created, nil
}

// List returns a page of the attachments of owner, oldest first (ids are
// UUIDv7), for a caller who may read owner, and the token of the next page
// ("" on the last). Errors: invalid (owner's name, field "parent"; page
// size or token), not found.
func (s *Service) List(ctx context.Context, owner string, p page.Request) ([]*Attachment, string, error) {
	cur, err := page.Open(p, owner)
	if err != nil {
		return nil, "", err
	}
	access, err := s.access(owner, "parent")
	if err != nil {
		return nil, "", err
	}
	if _, err := access(ctx, s.db, owner, false); err != nil {
		return nil, "", err
	}
	var out []*Attachment
	if err := cur.Apply(s.db.NewSelect().Model(&out).Where("owner = ?", owner), "id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		next = cur.Next(true, out[len(out)-1].ID)
	}
	if err := withUploaders(ctx, s.db, out); err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// Open returns the attachment name, which the caller may read, and its
// bytes, which the caller closes. Errors: invalid (name, field "name"), not
// found (also for a file of an owner the caller may not read), internal
// (the blob is missing).
func (s *Service) Open(ctx context.Context, name string) (*Attachment, io.ReadCloser, error) {
	owner, id, err := ParseName(name, "name")
	if err != nil {
		return nil, nil, err
	}
	access, err := s.access(owner, "name")
	if err != nil {
		return nil, nil, err
	}
	if _, err := access(ctx, s.db, owner, false); err != nil {
		return nil, nil, err
	}
	att, err := get(ctx, s.db, owner, id)
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.blobs.Open(ctx, att.SHA256)
	if err != nil {
		// The row says the bytes were stored: losing them is an outage.
		return nil, nil, errs.Internal(fmt.Errorf("attachment %s: blob %s: %w", att.Name(), att.SHA256, err))
	}
	return att, rc, nil
}

// Delete removes attachment name from its owner and records it in the
// audit trail, in one transaction; its bytes stay in the blob store (see
// above). Errors: invalid (name), not found (the attachment, or an owner the
// caller may not read), permission, precondition (an owner that can no
// longer be changed).
func (s *Service) Delete(ctx context.Context, name string) error {
	owner, id, err := ParseName(name, "name")
	if err != nil {
		return err
	}
	access, err := s.access(owner, "name")
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		grantID, err := access(ctx, tx, owner, true)
		if err != nil {
			return err
		}
		att, err := get(ctx, tx, owner, id)
		if err != nil {
			return err
		}
		res, err := tx.NewDelete().Model(att).WherePK().Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return errs.NotFound(att.Name())
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: att.Name(), GrantID: grantID,
			Changes: audit.Diff(tx, att, nil)})
	})
}

// The longest caption and credit, in characters.
const (
	MaxCaptionLen = 500
	MaxCreditLen  = 200
)

// Patch holds the fields of an attachment UpdateAttachment may change.
type Patch struct {
	Caption string
	Credit  string
	Consent bool
}

// Updatable lists the fields Update changes, as named in an update mask.
var Updatable = []string{"caption", "credit", "consent"}

// Update changes the caption, credit and consent of attachment name (the
// fields of in named in mask), for a caller who may change the owner's
// files, and records the change in the audit trail, in one transaction.
// etag is required and must be current. One change is allowed on an owner
// that can no longer be changed (an approved progress update), to whoever
// could change it otherwise: withdrawing consent alone, since the people
// shown may be at risk if the photo is published. Errors: invalid (name; a
// missing etag, field "etag"; a caption or credit too long, fields
// "caption", "credit"), not found (the attachment, or an owner the caller
// may not read), permission, precondition (an owner that can no longer be
// changed), aborted (stale etag).
func (s *Service) Update(ctx context.Context, name string, in Patch, mask resource.Mask, etag string) (*Attachment, error) {
	owner, id, err := ParseName(name, "name")
	if err != nil {
		return nil, err
	}
	access, err := s.access(owner, "name")
	if err != nil {
		return nil, err
	}
	var v errs.Violations
	in.Caption, in.Credit = strings.TrimSpace(in.Caption), strings.TrimSpace(in.Credit)
	if n := utf8.RuneCountInString(in.Caption); mask.Has("caption") && n > MaxCaptionLen {
		v.Add("caption", "is %d characters long; at most %d are allowed", n, MaxCaptionLen)
	}
	if n := utf8.RuneCountInString(in.Credit); mask.Has("credit") && n > MaxCreditLen {
		v.Add("credit", "is %d characters long; at most %d are allowed", n, MaxCreditLen)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	withdrawal := len(mask) > 0 && !in.Consent
	for _, f := range mask {
		withdrawal = withdrawal && f == "consent"
	}
	var out *Attachment
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		grantID, err := access(ctx, tx, owner, true)
		if errs.Is(err, errs.KindPrecondition) && withdrawal {
			// Locked, but the caller may otherwise change it (owners check
			// permission before state): consent may still be withdrawn.
			grantID, err = access(ctx, tx, owner, false)
		}
		if err != nil {
			return err
		}
		att, err := get(ctx, tx, owner, id)
		if err != nil {
			return err
		}
		if err := resource.RequireETag(att.Name(), etag, att.Version); err != nil {
			return err
		}
		before := *att
		if mask.Has("caption") {
			att.Caption = in.Caption
		}
		if mask.Has("credit") {
			att.Credit = in.Credit
		}
		if mask.Has("consent") {
			att.Consent = in.Consent
		}
		if before.Caption == att.Caption && before.Credit == att.Credit && before.Consent == att.Consent {
			out = att // nothing changes: no new version, no audit record
			return nil
		}
		prev := att.Version
		att.Version++
		res, err := tx.NewUpdate().Model(att).Column("caption", "credit", "consent", "version").
			WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(att.Name())
		}
		out = att
		return audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: att.Name(), GrantID: grantID,
			Changes: audit.Diff(tx, &before, att)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CanUpdate reports whether the caller in ctx may change the caption,
// credit and consent of the files of owner (as they may change its files).
// Errors: internal only; the others answer false.
func (s *Service) CanUpdate(ctx context.Context, owner string) (bool, error) {
	access, err := s.access(owner, "parent")
	if err != nil {
		return false, nil
	}
	_, err = access(ctx, s.db, owner, true)
	if err == nil {
		return true, nil
	}
	if errs.KindOf(err) == errs.KindInternal {
		return false, err
	}
	return false, nil
}

// get reads attachment id of owner. Errors: not found.
func get(ctx context.Context, idb bun.IDB, owner, id string) (*Attachment, error) {
	att := new(Attachment)
	err := idb.NewSelect().Model(att).Where("id = ?", id).Where("owner = ?", owner).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(owner+"/"+resource.Attachments+"/"+id))
	}
	if err := withUploaders(ctx, idb, []*Attachment{att}); err != nil {
		return nil, err
	}
	return att, nil
}
