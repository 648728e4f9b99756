// Package attachment keeps the photos and documents attached to activities
// and progress updates. Their bytes live in the blob store under SHA-256;
// who may read or change an owner's files is decided by the owner's package
// (an Access function per owner collection).
package attachment

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/errs"
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
}

// Name is "{owner}/attachments/{id}".
func (a *Attachment) Name() string { return a.Owner + "/attachments/" + a.ID }

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
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Service stores and serves attachments.
type Service struct {
	db     *bun.DB
	blobs  blob.Store
	owners map[string]Access
}

// NewService returns a Service on d and blobs; owners maps the first
// collection of an owner's name ("progressUpdates", "projects") to the
// function that decides access to its files.
func NewService(d *bun.DB, blobs blob.Store, owners map[string]Access) *Service {
	return &Service{db: d, blobs: blobs, owners: owners}
}
