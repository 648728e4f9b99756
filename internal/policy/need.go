package policy

import "github.com/pactum-dev/pactum/internal/actor"

// Need is what a procedure requires of its caller before the domain's own
// checks of the resources it touches.
type Need string

const (
	// Public: no credentials needed (signing in, invitation and reset links).
	Public Need = "public"
	// SignedIn: any signed-in user; the domain scopes what they see and
	// decides what they may change.
	SignedIn Need = "signed_in"
	// UserAdmin: admins and coordinators, who manage users.
	UserAdmin Need = "user_admin"
)

// Allows reports whether an authenticated caller meets the need.
func (n Need) Allows(c actor.Caller) bool {
	switch n {
	case Public:
		return true
	case SignedIn:
		return c.Authenticated()
	case UserAdmin:
		return c.Authenticated() && (c.IsAdmin() || c.Has(actor.RoleCoordinator))
	}
	return false
}
