package policy

import (
	"slices"

	"github.com/pactum-dev/pactum/internal/actor"
)

// Users and their roles, by role:
//   - admins and coordinators manage users (Need UserAdmin); only admins
//     give or take the admin role, or change an admin's account.
//   - every user manages their own API tokens; admins anyone's.
//   - a membership may be limited to named grants only for the roles that
//     apply to grants (coordinator, finance, auditor); an auditor must be
//     given the grants they audit; every role but admin belongs to an
//     organisation.

// MayManageUsers reports whether the caller may list, invite and change
// users: admins and coordinators.
func MayManageUsers(c actor.Caller) bool { return UserAdmin.Allows(c) }

// MayGiveRole reports whether the caller may give (or take away) role.
func MayGiveRole(c actor.Caller, role actor.Role) bool {
	return role != actor.RoleAdmin || c.IsAdmin()
}

// MayChangeUser reports whether the caller may change a user holding roles:
// an admin's account only admins change.
func MayChangeUser(c actor.Caller, roles []actor.Role) bool {
	return !slices.Contains(roles, actor.RoleAdmin) || c.IsAdmin()
}

// MayManageTokensOf reports whether the caller may see and revoke the API
// tokens of user userID: their own, and for admins anyone's.
func MayManageTokensOf(c actor.Caller, userID string) bool {
	return c.IsAdmin() || (c.Kind == actor.User && c.UserID == userID)
}

// RoleTakesGrants reports whether a membership of role may be limited to
// named grants.
func RoleTakesGrants(role actor.Role) bool {
	return role == actor.RoleCoordinator || role == actor.RoleFinance || role == actor.RoleAuditor
}

// RoleNeedsGrants reports whether a membership of role must name its
// grants (an auditor reads only the grants given).
func RoleNeedsGrants(role actor.Role) bool { return role == actor.RoleAuditor }

// RoleNeedsOrganisation reports whether a membership of role belongs to an
// organisation (all but the installation-wide admin).
func RoleNeedsOrganisation(role actor.Role) bool { return role != actor.RoleAdmin }
