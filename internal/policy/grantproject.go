package policy

import (
	"slices"

	"github.com/pactum-dev/pactum/internal/actor"
)

// MayCreateGrants reports whether the caller may create a grant for some
// lead organisation: admins, and coordinators not limited to named grants.
// Which lead organisation is decided by CanManageLeadOrg once it is known.
func MayCreateGrants(c actor.Caller) bool {
	if c.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		return m.Role == actor.RoleCoordinator && len(m.GrantIDs) == 0
	})
}

// MayManageSomeGrant reports whether the caller may change some grant (and
// so create projects in it): admins and coordinators. Which grant is decided
// by CanManageGrant once it is known.
func MayManageSomeGrant(c actor.Caller) bool {
	return c.IsAdmin() || c.Has(actor.RoleCoordinator)
}
