package policy

import (
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
)

// Progress updates (and partner progress update milestones), by role:
//   - read an update, its comments and files: admins; the coordinators,
//     finance staff and auditors of its grant (FullGrants); the members
//     (editors and viewers) of its organisation, never another partner's,
//     even in a project they share.
//   - create, change, submit and comment: those who may manage the grant
//     (CanManageGrant) and the partner editors of its organisation.
//   - return and approve: those who may manage the grant.
//
// Milestones: read as Milestones says; created, changed, deleted and
// accepted by those who may manage the grant; submitted by them and by the
// partner editors of the milestone's responsible organisation.

// ProgressUpdates is the condition for the progress updates (or partner
// progress update milestones) the caller may read, given the grant id and
// the responsible organisation id columns.
func ProgressUpdates(c actor.Caller, grantCol, orgCol string) Cond {
	full := FullGrants(c, grantCol)
	if c.IsAdmin() {
		return full
	}
	orgs := partnerOrgs(c)
	if len(orgs) == 0 {
		return full
	}
	return or([]Cond{full, {SQL: orgCol + " IN (?)", Args: []any{bun.List(orgs)}}})
}

// CanEditProgress reports whether the caller may write, submit and comment
// on organisation orgID's progress update in a grant (id and lead
// organisation).
func CanEditProgress(c actor.Caller, grantID, leadOrgID, orgID string) bool {
	return CanManageGrant(c, grantID, leadOrgID) || IsPartnerEditorOf(c, orgID)
}

// CanReviewProgress reports whether the caller may return and approve the
// progress updates of a grant: those who may manage it.
func CanReviewProgress(c actor.Caller, grantID, leadOrgID string) bool {
	return CanManageGrant(c, grantID, leadOrgID)
}

// CanSubmitMilestone reports whether the caller may submit a milestone of a
// grant (id and lead organisation) for which organisation responsibleOrgID
// is responsible: those who may manage the grant and that organisation's
// partner editors.
func CanSubmitMilestone(c actor.Caller, grantID, leadOrgID, responsibleOrgID string) bool {
	return CanManageGrant(c, grantID, leadOrgID) ||
		(responsibleOrgID != "" && IsPartnerEditorOf(c, responsibleOrgID))
}
