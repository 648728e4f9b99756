// Package attachment keeps the photos and documents attached to activities
// and progress updates. Their bytes live in the blob store under SHA-256;
// who may read or change an owner's files is decided by the owner's package
// (an Access function per owner collection).
package attachment

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Attachment is a stored file attached to Owner.
type Attachment struct {
	bun.BaseModel `bun:"table:attachments"`

	ID          string    `bun:"id,pk"`
	Owner       string    `bun:"owner"` // "progressUpdates/{id}" or "projects/{p}/activities/{a}"
	GrantID     string    `bun:"grant_id"`
	SHA256      string    `bun:"sha256"`
	FileName    string    `bun:"file_name"`
	ContentType string    `bun:"content_type"`
	SizeBytes   int64     `bun:"size_bytes"`
	CreatedBy   string    `bun:"created_by"`
	CreateTime  time.Time `bun:"create_time"`
	// Caption says what a photo shows and Credit who took it; Consent that
	// the people shown agreed to its publication: only photos with consent
	// go into reports and exports.
	Caption string `bun:"caption"`
	Credit  string `bun:"credit"`
	Consent bool   `bun:"consent"`
	// Version counts the changes of caption, credit and consent: the etag.
	Version int64 `bun:"version"`

	// UploaderDisplayName is the display name of the user CreatedBy names
	// ("" for the system or a deleted user); not a column.
	UploaderDisplayName string `bun:"-"`
}

// Name is "{owner}/attachments/{id}".
func (a *Attachment) Name() string { return a.Owner + "/attachments/" + a.ID }

// ETag is the etag of the attachment's caption, credit and consent.
func (a *Attachment) ETag() string { return resource.ETag(a.Version) }

// Access decides whether the caller in ctx may read (write false) or change
// (write true) the files of owner, a resource name of the collection it is
// registered for, and returns the owner's grant. Errors: not found (also for
// an owner hidden from the caller), permission, internal.
type Access func(ctx context.Context, idb bun.IDB, owner string, write bool) (grantID string, err error)

// ListFor returns the attachments of owner within idb, oldest first, whoever
// the caller: for owner packages that have already decided the caller may
// read owner.
func ListFor(ctx context.Context, idb bun.IDB, owner string) ([]*Attachment, error) {
	var out []*Attachment
	if err := idb.NewSelect().Model(&out).Where("owner = ?", owner).OrderExpr("create_time, id").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	if err := withUploaders(ctx, idb, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ListForOwners returns the attachments of each of owners, by owner, oldest
// first, in one query per 500 owners: ListFor for a page of owners.
func ListForOwners(ctx context.Context, idb bun.IDB, owners []string) (map[string][]*Attachment, error) {
	out := map[string][]*Attachment{}
	var all []*Attachment
	// Chunks keep the bind parameters under SQLite's and PostgreSQL's limits.
	for start := 0; start < len(owners); start += 500 {
		chunk := owners[start:min(start+500, len(owners))]
		var part []*Attachment
		if err := idb.NewSelect().Model(&part).Where("owner IN (?)", bun.List(chunk)).OrderExpr("create_time, id").Scan(ctx); err != nil {
			return nil, db.Err(err)
		}
		all = append(all, part...)
	}
	if err := withUploaders(ctx, idb, all); err != nil {
		return nil, err
	}
	for _, a := range all {
		out[a.Owner] = append(out[a.Owner], a)
	}
	return out, nil
}

// withUploaders fills the uploaders' display names.
func withUploaders(ctx context.Context, idb bun.IDB, list []*Attachment) error {
	var ids []string
	seen := map[string]bool{}
	for _, a := range list {
		if id, ok := strings.CutPrefix(a.CreatedBy, "users/"); ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var users []struct {
		ID          string `bun:"id"`
		DisplayName string `bun:"display_name"`
	}
	names := map[string]string{}
	for start := 0; start < len(ids); start += 500 {
		users = users[:0]
		if err := idb.NewSelect().Table("users").Column("id", "display_name").
			Where("id IN (?)", bun.List(ids[start:min(start+500, len(ids))])).Scan(ctx, &users); err != nil {
			return db.Err(err)
		}
		for _, u := range users {
			names["users/"+u.ID] = u.DisplayName
		}
	}
	for _, a := range list {
		a.UploaderDisplayName = names[a.CreatedBy]
	}
	return nil
}

// Service stores and serves attachments.
type Service struct {
	db     *bun.DB
	blobs  blob.Store
	owners map[string]Access
	now    func() time.Time
}

// NewService returns a Service on d and blobs; owners maps the first
// collection of an owner's name ("progressUpdates", "projects") to the
// function that decides access to its files.
func NewService(d *bun.DB, blobs blob.Store, owners map[string]Access) *Service {
	return &Service{db: d, blobs: blobs, owners: owners,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}
