// Package policy decides what a caller may see and change. It is the one
// place where roles turn into rules: the transport asks it whether a
// procedure needs a signed-in caller, and the domain packages ask it for SQL
// conditions that scope every query (so lists are filtered in the database,
// never after loading) and whether a caller may change a resource.
//
// Visibility, by role (X is the organisation of the membership):
//   - admin: everything.
//   - coordinator: all organisations; agreements X leads; grants X leads (or
//     only the named grants), with their projects, milestones and audit trail.
//   - finance: grants X leads (or the named grants), read-only for now.
//   - auditor: the named grants, everything in them, audit trail included.
//   - partner editor / viewer: X itself; projects X takes part in, their
//     grants (read-only), their milestones and milestones X is responsible
//     for; the organisations in those projects and grants.
package policy

import (
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Cond is a SQL condition with its arguments, for bun's Where.
type Cond struct {
	SQL  string
	Args []any
}

var (
	all  = Cond{SQL: "1 = 1"}
	none = Cond{SQL: "1 = 0"}
)

func or(cs []Cond) Cond {
	if len(cs) == 0 {
		return none
	}
	var parts []string
	var args []any
	for _, c := range cs {
		parts = append(parts, "("+c.SQL+")")
		args = append(args, c.Args...)
	}
	return Cond{SQL: strings.Join(parts, " OR "), Args: args}
}

// fullGrants: the grants whose every record the membership may read.
func fullGrants(m actor.Membership, col string) (Cond, bool) {
	switch m.Role {
	case actor.RoleCoordinator, actor.RoleFinance, actor.RoleAuditor:
	default:
		return Cond{}, false
	}
	if len(m.GrantIDs) > 0 {
		return Cond{SQL: col + " IN (?)", Args: []any{bun.List(m.GrantIDs)}}, true
	}
	if m.Role == actor.RoleAuditor {
		return Cond{}, false
	}
	return Cond{SQL: col + " IN (SELECT id FROM grants WHERE lead_organisation_id = ?)", Args: []any{m.OrganisationID}}, true
}

func isPartner(m actor.Membership) bool {
	return m.Role == actor.RolePartnerEditor || m.Role == actor.RolePartnerViewer
}

// FullGrants is the condition on a grant id column for grants whose every
// record the caller may read (not partners: they see only their projects).
func FullGrants(c actor.Caller, col string) Cond {
	if c.IsAdmin() {
		return all
	}
	var cs []Cond
	for _, m := range c.Memberships {
		if cond, ok := fullGrants(m, col); ok {
			cs = append(cs, cond)
		}
	}
	return or(cs)
}

// ManagedGrants is the condition on a grant id column for grants the caller
// may change (and whose projects and milestones they may change).
func ManagedGrants(c actor.Caller, col string) Cond {
	if c.IsAdmin() {
		return all
	}
	var cs []Cond
	for _, m := range c.Memberships {
		if m.Role == actor.RoleCoordinator {
			cond, _ := fullGrants(m, col)
			cs = append(cs, cond)
		}
	}
	return or(cs)
}

// partnerOrgs returns the organisations in which the caller is a partner.
func partnerOrgs(c actor.Caller) []string {
	var out []string
	for _, m := range c.Memberships {
		if isPartner(m) {
			out = append(out, m.OrganisationID)
		}
	}
	return out
}

// Grants is the condition on a grant id column for grants the caller may read.
func Grants(c actor.Caller, col string) Cond {
	if c.IsAdmin() {
		return all
	}
	cs := []Cond{FullGrants(c, col)}
	if orgs := partnerOrgs(c); len(orgs) > 0 {
		cs = append(cs, Cond{SQL: col + ` IN (SELECT p.grant_id FROM projects p
			JOIN project_participants pp ON pp.project_id = p.id WHERE pp.organisation_id IN (?))`, Args: []any{bun.List(orgs)}})
	}
	return or(cs)
}

// Projects is the condition for projects the caller may read, given the
// project id and grant id columns.
func Projects(c actor.Caller, projectCol, grantCol string) Cond {
	if c.IsAdmin() {
		return all
	}
	cs := []Cond{FullGrants(c, grantCol)}
	if orgs := partnerOrgs(c); len(orgs) > 0 {
		cs = append(cs, Cond{SQL: projectCol + " IN (SELECT project_id FROM project_participants WHERE organisation_id IN (?))", Args: []any{bun.List(orgs)}})
	}
	return or(cs)
}

// Milestones is the condition for milestones the caller may read, given the
// grant, project and responsible-organisation columns.
func Milestones(c actor.Caller, grantCol, projectCol, responsibleCol string) Cond {
	if c.IsAdmin() {
		return all
	}
	cs := []Cond{FullGrants(c, grantCol)}
	if orgs := partnerOrgs(c); len(orgs) > 0 {
		cs = append(cs,
			Cond{SQL: projectCol + " IN (SELECT project_id FROM project_participants WHERE organisation_id IN (?))", Args: []any{bun.List(orgs)}},
			Cond{SQL: responsibleCol + " IN (?)", Args: []any{bun.List(orgs)}})
	}
	return or(cs)
}

// Agreements is the condition on a framework agreement id column for
// agreements the caller may read: those its coordinators' organisations
// lead, and those of grants it may read.
func Agreements(c actor.Caller, col string) Cond {
	if c.IsAdmin() {
		return all
	}
	var cs []Cond
	for _, m := range c.Memberships {
		if m.Role == actor.RoleCoordinator && len(m.GrantIDs) == 0 {
			cs = append(cs, Cond{SQL: col + " IN (SELECT id FROM framework_agreements WHERE lead_organisation_id = ?)", Args: []any{m.OrganisationID}})
		}
	}
	g := Grants(c, "g.id")
	cs = append(cs, Cond{SQL: col + " IN (SELECT g.framework_agreement_id FROM grants g WHERE " + g.SQL + ")", Args: g.Args})
	return or(cs)
}

// Organisations is the condition on an organisation id column for
// organisations the caller may read: all for admins and coordinators;
// otherwise their own, and those that take part in the grants and projects
// they may read.
func Organisations(c actor.Caller, col string) Cond {
	if c.IsAdmin() || c.Has(actor.RoleCoordinator) {
		return all
	}
	var own []string
	for _, m := range c.Memberships {
		if m.OrganisationID != "" {
			own = append(own, m.OrganisationID)
		}
	}
	if len(own) == 0 {
		return none
	}
	cs := []Cond{{SQL: col + " IN (?)", Args: []any{bun.List(own)}}}
	g := Grants(c, "g.id")
	cs = append(cs,
		Cond{SQL: col + " IN (SELECT g.donor_id FROM grants g WHERE " + g.SQL + ")", Args: g.Args},
		Cond{SQL: col + " IN (SELECT g.lead_organisation_id FROM grants g WHERE " + g.SQL + ")", Args: g.Args})
	p := Projects(c, "pp.project_id", "p.grant_id")
	cs = append(cs, Cond{SQL: col + " IN (SELECT pp.organisation_id FROM project_participants pp JOIN projects p ON p.id = pp.project_id WHERE " + p.SQL + ")", Args: p.Args})
	return or(cs)
}

// Where applies a condition to a select query.
func Where(q *bun.SelectQuery, c Cond) *bun.SelectQuery { return q.Where(c.SQL, c.Args...) }

// AuditGrants is the condition on a grant id column for grants whose audit
// trail the caller may read: those they manage, and those they audit.
func AuditGrants(c actor.Caller, col string) Cond {
	if c.IsAdmin() {
		return all
	}
	cs := []Cond{ManagedGrants(c, col)}
	for _, m := range c.Memberships {
		if m.Role == actor.RoleAuditor && len(m.GrantIDs) > 0 {
			cs = append(cs, Cond{SQL: col + " IN (?)", Args: []any{bun.List(m.GrantIDs)}})
		}
	}
	return or(cs)
}

// AuditRecords is the condition on an audit event's resource column for
// events of records that belong to no grant and that the caller manages:
// coordinators read the history of every organisation (they keep the
// directory) and of the framework agreements they may read.
func AuditRecords(c actor.Caller, col string) Cond {
	if c.IsAdmin() {
		return all
	}
	if !c.Has(actor.RoleCoordinator) {
		return none
	}
	a := Agreements(c, "fa.id")
	return or([]Cond{
		{SQL: col + " LIKE 'organisations/%'"},
		{SQL: col + " IN (SELECT 'frameworkAgreements/' || fa.id FROM framework_agreements fa WHERE " + a.SQL + ")", Args: a.Args},
	})
}

// AuditEvents is the condition on an audit event's grant id and resource
// columns for the events the caller may read: those of the grants whose
// trail they read (AuditGrants), those of the records of no grant they keep
// (AuditRecords), and their own account's (sign-ins, API tokens).
func AuditEvents(c actor.Caller, grantCol, resourceCol string) Cond {
	if c.IsAdmin() {
		return all
	}
	records := AuditRecords(c, resourceCol)
	cs := []Cond{AuditGrants(c, grantCol), {SQL: grantCol + " IS NULL AND (" + records.SQL + ")", Args: records.Args}}
	if c.Kind == actor.User && c.UserID != "" {
		self := c.Name()
		cs = append(cs, Cond{SQL: resourceCol + " = ?", Args: []any{self}},
			Cond{SQL: resourceCol + " LIKE ?", Args: []any{self + "/" + resource.APITokens + "/%"}})
	}
	return or(cs)
}
