package progress

import (
	"context"
	"github.com/pactum-dev/pactum/internal/grantfacts"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Who may do what with progress updates. The rules are built from
// internal/policy's; the one rule of its own is that partners read only
// their own organisation's updates, even in a project they share with
// another partner.
//
//   - Read an update, its comments and files: admins; the coordinators,
//     finance staff and auditors of its grant (policy.FullGrants); the
//     members (editors and viewers) of its organisation. Others: not found.
//   - Create, change and submit: those who may manage the grant
//     (policy.CanManageGrant) and the partner editors of its organisation.
//   - Return and approve: those who may manage the grant.
//   - Comment: those who may manage the grant and the partner editors of its
//     organisation; viewers, finance staff and auditors read only.

// Readable is the condition for the progress updates (or partner progress
// update milestones) the caller may read, given the grant id and the
// responsible organisation id columns.
func Readable(c actor.Caller, grantCol, orgCol string) policy.Cond {
	full := policy.FullGrants(c, grantCol)
	if c.IsAdmin() {
		return full
	}
	var orgs []any
	for _, m := range c.Memberships {
		if m.Role == actor.RolePartnerEditor || m.Role == actor.RolePartnerViewer {
			orgs = append(orgs, m.OrganisationID)
		}
	}
	if len(orgs) == 0 {
		return full
	}
	return policy.Cond{
		SQL:  "(" + full.SQL + ") OR (" + orgCol + " IN (?))",
		Args: append(append([]any{}, full.Args...), bun.List(orgs)),
	}
}

func visible(ctx context.Context) policy.Cond {
	return Readable(actor.From(ctx), "pu.grant_id", "pu.organisation_id")
}

// rights is what the caller may do with an update (or a milestone's update).
type rights struct {
	manage bool // manages the grant: edit, review, comment
	edit   bool // partner editor of the organisation, or manage
}

func rightsOn(ctx context.Context, idb bun.IDB, grantID, orgID string) (rights, error) {
	c := actor.From(ctx)
	g, err := grantfacts.Read(ctx, idb, grantID)
	if err != nil {
		return rights{}, err
	}
	r := rights{manage: policy.CanManageGrant(c, grantID, g.LeadOrganisationID)}
	r.edit = r.manage || policy.IsPartnerEditorOf(c, orgID)
	return r, nil
}

// fill sets the caller's rights on u, given its state.
func (u *Update) fill(r rights) {
	u.CallerCanEdit = r.edit && u.State.Editable()
	u.CallerCanReview = r.manage && u.State.AwaitsReview()
}

func denied(what string) error {
	return errs.PermissionDenied("you may read but not change %s; the partner editors of its organisation "+
		"and the grant's coordinators may", what)
}

func notReviewer(u *Update) error {
	return errs.PermissionDenied("only the coordinators of %s review its progress updates; you may read %s",
		resource.Name(resource.Grants, u.GrantID), u.Name())
}
