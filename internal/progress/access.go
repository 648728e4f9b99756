package progress

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Who may do what with progress updates is decided by internal/policy (see
// policy/progress.go); this file only asks it.

func visible(ctx context.Context) policy.Cond {
	return policy.ProgressUpdates(actor.From(ctx), "pu.grant_id", "pu.organisation_id")
}

// rights is what the caller may do with an update (or a milestone's update).
type rights struct {
	manage bool // manages the grant: edit, review, comment
	edit   bool // partner editor of the organisation, or manage
	writes bool // partner editor of the organisation, or manage the lead's own
}

func rightsOn(ctx context.Context, idb bun.IDB, grantID, orgID string) (rights, error) {
	c := actor.From(ctx)
	g, err := grantfacts.Read(ctx, idb, grantID)
	if err != nil {
		return rights{}, err
	}
	return rights{
		manage: policy.CanReviewProgress(c, grantID, g.LeadOrganisationID),
		edit:   policy.CanEditProgress(c, grantID, g.LeadOrganisationID, orgID),
		writes: policy.IsPartnerEditorOf(c, orgID) ||
			(orgID == g.LeadOrganisationID && policy.CanManageGrant(c, grantID, g.LeadOrganisationID)),
	}, nil
}

// fill sets the caller's rights on u, given its state.
func (u *Update) fill(r rights) {
	u.CallerCanEdit = r.edit && u.State.Editable()
	u.CallerCanReview = r.manage && u.State.AwaitsReview()
	u.CallerWrites = r.writes
}

func denied(what string) error {
	return errs.PermissionDenied("you may read but not change %s; the partner editors of its organisation "+
		"and the grant's coordinators may", what)
}

func notReviewer(u *Update) error {
	return errs.PermissionDenied("only the coordinators of %s review its progress updates; you may read %s",
		resource.Name(resource.Grants, u.GrantID), u.Name())
}
