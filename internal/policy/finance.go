package policy

import (
	"slices"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
)

// Money of a grant (budgets, rule sets, expenditures, transfers,
// pre-financing) by role:
//   - admin: everything.
//   - coordinator and finance of a grant (their organisation leads it, or it
//     is named in their membership): read and change its budget, rules,
//     transfers, pre-financing and every expenditure; record expenditures on
//     any line.
//   - finance (and admins) alone verify or reject submitted expenditures.
//   - auditor of a grant: read all of it.
//   - partner editor: read the budget lines allocated to their organisation,
//     and its expenditures; record, change and submit their own
//     organisation's expenditures on those lines, while draft or rejected.
//   - partner viewer: read what a partner editor reads.
// Exchange rates are installation-wide reference data: every signed-in user
// reads them; admins, coordinators and finance staff record them.

// FinanceGrants is the condition on a grant id column for grants whose money
// the caller may change: coordinators and finance staff of the grant.
func FinanceGrants(c actor.Caller, col string) Cond {
	if c.IsAdmin() {
		return all
	}
	var cs []Cond
	for _, m := range c.Memberships {
		if m.Role == actor.RoleCoordinator || m.Role == actor.RoleFinance {
			cond, _ := fullGrants(m, col)
			cs = append(cs, cond)
		}
	}
	return or(cs)
}

// PartnerMoney is the condition for rows of a grant's money that belong to
// an organisation (budget lines allocated to it, its expenditures), given the
// grant id and organisation id columns: all of the grants the caller reads
// in full, and their own organisation's rows in grants where they are a
// partner.
func PartnerMoney(c actor.Caller, grantCol, orgCol string) Cond {
	if c.IsAdmin() {
		return all
	}
	cs := []Cond{FullGrants(c, grantCol)}
	if orgs := partnerOrgs(c); len(orgs) > 0 {
		cs = append(cs, Cond{SQL: orgCol + " IN (?)", Args: []any{bun.List(orgs)}})
	}
	return or(cs)
}

// CanManageFinance reports whether the caller may change a grant's money
// (budget, rules, transfers, pre-financing, any expenditure), given the
// grant's id and lead organisation: admins, and its coordinators and
// finance staff.
func CanManageFinance(c actor.Caller, grantID, leadOrgID string) bool {
	if c.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		if m.Role != actor.RoleCoordinator && m.Role != actor.RoleFinance {
			return false
		}
		if len(m.GrantIDs) > 0 {
			return slices.Contains(m.GrantIDs, grantID)
		}
		return m.OrganisationID == leadOrgID
	})
}

// CanVerifyExpenditures reports whether the caller may verify or reject a
// grant's submitted expenditures: admins and the grant's finance staff.
func CanVerifyExpenditures(c actor.Caller, grantID, leadOrgID string) bool {
	if c.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		if m.Role != actor.RoleFinance {
			return false
		}
		if len(m.GrantIDs) > 0 {
			return slices.Contains(m.GrantIDs, grantID)
		}
		return m.OrganisationID == leadOrgID
	})
}

// MayManageRates reports whether the caller may record exchange rates:
// admins, coordinators and finance staff.
func MayManageRates(c actor.Caller) bool {
	return c.IsAdmin() || c.Has(actor.RoleCoordinator) || c.Has(actor.RoleFinance)
}

// MayDefineSomeTemplates reports whether the caller may define budget
// templates for some organisation: admins and coordinators (of any
// organisation; MayDefineTemplates decides which).
func MayDefineSomeTemplates(c actor.Caller) bool {
	return c.IsAdmin() || c.Has(actor.RoleCoordinator)
}

// MayDefineTemplates reports whether the caller may define budget templates
// for organisation orgID: admins and its coordinators.
func MayDefineTemplates(c actor.Caller, orgID string) bool {
	if c.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		return m.Role == actor.RoleCoordinator && m.OrganisationID == orgID
	})
}
