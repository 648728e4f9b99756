package policy

import (
	"slices"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/errs"
)

// CanManageOrganisations: admins and coordinators keep the directory of
// organisations.
func CanManageOrganisations(c actor.Caller) bool {
	return c.IsAdmin() || c.Has(actor.RoleCoordinator)
}

// CanManageLeadOrg reports whether the caller coordinates for the lead
// organisation without grant limits (or is an admin): who may create
// agreements and grants that organisation leads.
func CanManageLeadOrg(c actor.Caller, leadOrgID string) bool {
	if c.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		return m.Role == actor.RoleCoordinator && m.OrganisationID == leadOrgID && len(m.GrantIDs) == 0
	})
}

// CanManageGrant reports whether the caller may change a grant (and its
// projects and milestones), given the grant's id and lead organisation.
func CanManageGrant(c actor.Caller, grantID, leadOrgID string) bool {
	if c.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		if m.Role != actor.RoleCoordinator {
			return false
		}
		if len(m.GrantIDs) > 0 {
			return slices.Contains(m.GrantIDs, grantID)
		}
		return m.OrganisationID == leadOrgID
	})
}

// CanReadAudit reports whether the caller may read the audit trail of a
// grant: admins, its coordinators and its auditors.
func CanReadAudit(c actor.Caller, grantID, leadOrgID string) bool {
	if CanManageGrant(c, grantID, leadOrgID) {
		return true
	}
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		return m.Role == actor.RoleAuditor && slices.Contains(m.GrantIDs, grantID)
	})
}

// IsPartnerEditorOf reports whether the caller edits for organisation orgID.
func IsPartnerEditorOf(c actor.Caller, orgID string) bool {
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		return m.Role == actor.RolePartnerEditor && m.OrganisationID == orgID
	})
}

// Denied is the error for a change the caller may not make to a resource it
// may read.
func Denied(what string) error {
	return errs.PermissionDenied("you may read but not change %s; ask a coordinator of the grant", what)
}

// GrantManagerMemberships is the condition on a row of memberships (alias
// m) for the memberships that may manage the grant in a row of grants
// (alias g): CanManageGrant turned round, to find whom to tell about a
// grant. Admins are not included: they see everything and are not told
// about everything.
func GrantManagerMemberships(m, g string) Cond {
	return Cond{SQL: m + ".role = ? AND (" +
		"EXISTS (SELECT 1 FROM membership_grants mg WHERE mg.membership_id = " + m + ".id AND mg.grant_id = " + g + ".id)" +
		" OR (" + m + ".organisation_id = " + g + ".lead_organisation_id" +
		" AND NOT EXISTS (SELECT 1 FROM membership_grants mg WHERE mg.membership_id = " + m + ".id)))",
		Args: []any{string(actor.RoleCoordinator)}}
}
