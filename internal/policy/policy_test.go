package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/actor"
)

// The world of the table: grant g1 is led by organisation "lead", g2 by
// "other"; organisation "partner" takes part in a project of g1.
const (
	g1, g2         = "g1", "g2"
	lead, other    = "lead", "other"
	partner, third = "partner", "third"
)

func user(ms ...actor.Membership) actor.Caller {
	return actor.Caller{Kind: actor.User, UserID: "u", Memberships: ms}
}

func member(role actor.Role, org string, grants ...string) actor.Membership {
	return actor.Membership{Role: role, OrganisationID: org, GrantIDs: grants}
}

var callers = map[string]actor.Caller{
	"anonymous":                     {Kind: actor.Anonymous},
	"system":                        {Kind: actor.System},
	"admin":                         user(member(actor.RoleAdmin, "")),
	"no role":                       user(),
	"coordinator lead":              user(member(actor.RoleCoordinator, lead)),
	"coordinator lead[g1]":          user(member(actor.RoleCoordinator, lead, g1)),
	"coordinator lead[g2]":          user(member(actor.RoleCoordinator, lead, g2)),
	"coordinator other":             user(member(actor.RoleCoordinator, other)),
	"finance lead":                  user(member(actor.RoleFinance, lead)),
	"finance lead[g2]":              user(member(actor.RoleFinance, lead, g2)),
	"finance other[g1]":             user(member(actor.RoleFinance, other, g1)),
	"auditor [g1]":                  user(member(actor.RoleAuditor, third, g1)),
	"auditor unlimited":             user(member(actor.RoleAuditor, lead)),
	"editor partner":                user(member(actor.RolePartnerEditor, partner)),
	"editor third":                  user(member(actor.RolePartnerEditor, third)),
	"viewer partner":                user(member(actor.RolePartnerViewer, partner)),
	"viewer partner + finance lead": user(member(actor.RolePartnerViewer, partner), member(actor.RoleFinance, lead)),
}

// actions are the decisions policy exposes, each on g1 (led by lead, with
// partner in one of its projects) where it takes a resource.
var actions = []struct {
	name string
	may  func(actor.Caller) bool
}{
	{"manage organisations", CanManageOrganisations},
	{"manage lead's agreements and grants", func(c actor.Caller) bool { return CanManageLeadOrg(c, lead) }},
	{"create grants", MayCreateGrants},
	{"manage some grant", MayManageSomeGrant},
	{"manage g1", func(c actor.Caller) bool { return CanManageGrant(c, g1, lead) }},
	{"read g1's audit trail", func(c actor.Caller) bool { return CanReadAudit(c, g1, lead) }},
	{"manage g1's money", func(c actor.Caller) bool { return CanManageFinance(c, g1, lead) }},
	{"verify g1's expenditures", func(c actor.Caller) bool { return CanVerifyExpenditures(c, g1, lead) }},
	{"log activities in g1's project", func(c actor.Caller) bool { return CanLogActivities(c, g1, lead, []string{partner}) }},
	{"record exchange rates", MayManageRates},
	{"define lead's budget templates", func(c actor.Caller) bool { return MayDefineTemplates(c, lead) }},
	{"edit for partner", func(c actor.Caller) bool { return IsPartnerEditorOf(c, partner) }},
	{"manage users", UserAdmin.Allows},
	{"signed in", SignedIn.Allows},
	{"public", Public.Allows},
}

// allowed lists, for each caller, the actions it may take; every other
// action of the table must be refused.
var allowed = map[string][]string{
	"anonymous": {"public"},
	"system": {"manage organisations", "manage lead's agreements and grants", "create grants", "manage some grant", "manage g1",
		"read g1's audit trail", "manage g1's money", "verify g1's expenditures", "log activities in g1's project",
		"record exchange rates", "define lead's budget templates", "manage users", "signed in", "public"},
	"admin": {"manage organisations", "manage lead's agreements and grants", "create grants", "manage some grant", "manage g1",
		"read g1's audit trail", "manage g1's money", "verify g1's expenditures", "log activities in g1's project",
		"record exchange rates", "define lead's budget templates", "manage users", "signed in", "public"},
	"no role": {"signed in", "public"},
	"coordinator lead": {"manage organisations", "manage lead's agreements and grants", "create grants", "manage some grant",
		"manage g1", "read g1's audit trail", "manage g1's money", "log activities in g1's project", "record exchange rates",
		"define lead's budget templates", "manage users", "signed in", "public"},
	// Limited to g1: not the lead organisation's agreements or new grants.
	// (Budget templates only check the organisation.)
	"coordinator lead[g1]": {"manage organisations", "manage some grant", "manage g1", "read g1's audit trail", "manage g1's money",
		"log activities in g1's project", "record exchange rates", "define lead's budget templates", "manage users", "signed in", "public"},
	"coordinator lead[g2]": {"manage organisations", "manage some grant", "record exchange rates", "define lead's budget templates",
		"manage users", "signed in", "public"},
	"coordinator other": {"manage organisations", "create grants", "manage some grant", "record exchange rates", "manage users",
		"signed in", "public"},
	"finance lead":      {"manage g1's money", "verify g1's expenditures", "record exchange rates", "signed in", "public"},
	"finance lead[g2]":  {"record exchange rates", "signed in", "public"},
	"finance other[g1]": {"manage g1's money", "verify g1's expenditures", "record exchange rates", "signed in", "public"},
	"auditor [g1]":      {"read g1's audit trail", "signed in", "public"},
	// An auditor reads only the grants named in the membership.
	"auditor unlimited":             {"signed in", "public"},
	"editor partner":                {"log activities in g1's project", "edit for partner", "signed in", "public"},
	"editor third":                  {"signed in", "public"},
	"viewer partner":                {"signed in", "public"},
	"viewer partner + finance lead": {"manage g1's money", "verify g1's expenditures", "record exchange rates", "signed in", "public"},
}

func TestDecisions(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, a := range actions {
		known[a.name] = true
	}
	for name, c := range callers {
		want := map[string]bool{}
		for _, a := range allowed[name] {
			if !known[a] {
				t.Fatalf("%s: unknown action %q in the table", name, a)
			}
			want[a] = true
		}
		if _, ok := allowed[name]; !ok {
			t.Fatalf("no row for caller %q", name)
		}
		for _, a := range actions {
			if got := a.may(c); got != want[a.name] {
				t.Errorf("%s: %s = %v, want %v", name, a.name, got, want[a.name])
			}
		}
	}
}

func TestNeedOfAnUnknownKindRefuses(t *testing.T) {
	t.Parallel()
	if Need("nope").Allows(actor.Caller{Kind: actor.System}) {
		t.Error("an unknown need let the system through")
	}
}

// The scoping conditions: admins (and the system) see every row, callers
// with no role none; otherwise the condition names the column and carries
// the caller's ids as arguments, never in the SQL text.
func TestConditions(t *testing.T) {
	t.Parallel()
	conds := map[string]func(actor.Caller) Cond{
		"FullGrants":     func(c actor.Caller) Cond { return FullGrants(c, "x.grant_id") },
		"ManagedGrants":  func(c actor.Caller) Cond { return ManagedGrants(c, "x.grant_id") },
		"FinanceGrants":  func(c actor.Caller) Cond { return FinanceGrants(c, "x.grant_id") },
		"Grants":         func(c actor.Caller) Cond { return Grants(c, "x.grant_id") },
		"Projects":       func(c actor.Caller) Cond { return Projects(c, "x.project_id", "x.grant_id") },
		"ProjectRecords": func(c actor.Caller) Cond { return ProjectRecords(c, "x.project_id", "x.grant_id") },
		"Milestones":     func(c actor.Caller) Cond { return Milestones(c, "x.grant_id", "x.project_id", "x.org_id") },
		"PartnerMoney":   func(c actor.Caller) Cond { return PartnerMoney(c, "x.grant_id", "x.org_id") },
		"Agreements":     func(c actor.Caller) Cond { return Agreements(c, "x.agreement_id") },
		"Organisations":  func(c actor.Caller) Cond { return Organisations(c, "x.org_id") },
		"AuditGrants":    func(c actor.Caller) Cond { return AuditGrants(c, "x.grant_id") },
		"AuditRecords":   func(c actor.Caller) Cond { return AuditRecords(c, "x.resource") },
	}
	for name, cond := range conds {
		for _, who := range []string{"admin", "system"} {
			if got := cond(callers[who]); got.SQL != all.SQL || len(got.Args) != 0 {
				t.Errorf("%s for %s: %+v, want every row", name, who, got)
			}
		}
		if got := cond(callers["no role"]); !strings.Contains(got.SQL, none.SQL) || strings.Contains(got.SQL, all.SQL) {
			t.Errorf("%s for a caller with no role: %q, want no row", name, got.SQL)
		}
		for who, c := range callers {
			got := cond(c)
			if n := strings.Count(got.SQL, "?"); n != len(got.Args) {
				t.Errorf("%s for %s: %d placeholders, %d arguments: %q", name, who, n, len(got.Args), got.SQL)
			}
			for _, id := range []string{lead, other, partner, third, g1, g2} {
				if strings.Contains(got.SQL, "'"+id+"'") {
					t.Errorf("%s for %s: id %q in the SQL text: %q", name, who, id, got.SQL)
				}
			}
		}
	}
	// Which memberships reach which rows, by the shape of the condition.
	for _, c := range []struct {
		cond func(actor.Caller) Cond
		who  string
		want string // "" when the caller sees nothing
	}{
		{conds["FullGrants"], "coordinator lead", "lead_organisation_id = ?"},
		{conds["FullGrants"], "coordinator lead[g1]", "x.grant_id IN (?)"},
		{conds["FullGrants"], "auditor [g1]", "x.grant_id IN (?)"},
		{conds["FullGrants"], "auditor unlimited", ""},
		{conds["FullGrants"], "editor partner", ""},
		{conds["ManagedGrants"], "finance lead", ""},
		{conds["FinanceGrants"], "finance lead", "lead_organisation_id = ?"},
		{conds["FinanceGrants"], "auditor [g1]", ""},
		{conds["Grants"], "viewer partner", "project_participants"},
		{conds["PartnerMoney"], "editor partner", "x.org_id IN (?)"},
		{conds["AuditGrants"], "auditor [g1]", "x.grant_id IN (?)"},
		{conds["AuditGrants"], "finance lead", ""},
		{conds["AuditRecords"], "coordinator lead[g2]", "organisations/%"},
		{conds["AuditRecords"], "finance lead", ""},
		{conds["Organisations"], "coordinator other", all.SQL},
	} {
		got := c.cond(callers[c.who])
		if c.want == "" {
			if got.SQL != none.SQL && got.SQL != "("+none.SQL+")" {
				t.Errorf("%s: %q, want no row", c.who, got.SQL)
			}
		} else if !strings.Contains(got.SQL, c.want) {
			t.Errorf("%s: %q, want it to contain %q", c.who, got.SQL, c.want)
		}
	}
	if got := fmt.Sprint(FullGrants(callers["coordinator lead"], "x.grant_id").Args); got != "[lead]" {
		t.Errorf("the lead organisation's condition has arguments %s", got)
	}
}
