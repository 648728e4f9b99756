package activity

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// Photos and documents are attached to an activity through the attachment
// service, which asks AttachmentAccess who may see and change them: the
// activity's readers read them; those who may change the activity (its
// grant's coordinators, partner editors of an organisation taking part in
// the project) add and delete them.

var _ attachment.Access = (*Service)(nil).AttachmentAccess

// AttachmentAccess decides whether the caller in ctx may read (write false)
// or change (write true) the files attached to owner,
// "projects/{project}/activities/{activity}", and returns its grant, for
// the attachment service. Errors: invalid (not an activity's name, field
// "parent"), not found (also an activity hidden from the caller),
// permission, internal.
func (s *Service) AttachmentAccess(ctx context.Context, idb bun.IDB, owner string, write bool) (string, error) {
	projectID, id, err := resource.ParseProjectChild(owner, resource.Activities, "parent")
	if err != nil {
		return "", err
	}
	a, err := get(ctx, idb, projectID, id)
	if err != nil {
		return "", err
	}
	if write {
		p, err := results.VisibleProject(ctx, idb, a.ProjectID)
		if err != nil {
			return "", err
		}
		if err := authorise(ctx, p); err != nil {
			return "", err
		}
	}
	return a.GrantID, nil
}

// withAttachments fills the attachments of list, in one query.
func withAttachments(ctx context.Context, idb bun.IDB, list ...*Activity) error {
	if len(list) == 0 {
		return nil
	}
	names := make([]string, len(list))
	for k, a := range list {
		names[k] = a.Name()
	}
	byOwner, err := attachment.ListForOwners(ctx, idb, names)
	if err != nil {
		return err
	}
	for _, a := range list {
		a.Attachments = byOwner[a.Name()]
	}
	return nil
}
