package policy

import (
	"fmt"
	"slices"
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

// The callers of the table, by column. Memberships limited to named grants
// are written org[grant].
var callers = map[string]actor.Caller{
	"anon": {Kind: actor.Anonymous},                                                         // not signed in
	"sys":  {Kind: actor.System},                                                            // Pactum itself
	"adm":  user(member(actor.RoleAdmin, "")),                                               // admin
	"none": user(),                                                                          // signed in, no role
	"coL":  user(member(actor.RoleCoordinator, lead)),                                       // coordinator lead
	"coL1": user(member(actor.RoleCoordinator, lead, g1)),                                   // coordinator lead[g1]
	"coL2": user(member(actor.RoleCoordinator, lead, g2)),                                   // coordinator lead[g2]
	"coO":  user(member(actor.RoleCoordinator, other)),                                      // coordinator other
	"fiL":  user(member(actor.RoleFinance, lead)),                                           // finance lead
	"fiL2": user(member(actor.RoleFinance, lead, g2)),                                       // finance lead[g2]
	"fiO1": user(member(actor.RoleFinance, other, g1)),                                      // finance other[g1]
	"au1":  user(member(actor.RoleAuditor, third, g1)),                                      // auditor third[g1]
	"auL":  user(member(actor.RoleAuditor, lead)),                                           // auditor lead, no grants named: reads nothing
	"edP":  user(member(actor.RolePartnerEditor, partner)),                                  // partner editor of partner
	"edT":  user(member(actor.RolePartnerEditor, third)),                                    // partner editor of third
	"viP":  user(member(actor.RolePartnerViewer, partner)),                                  // partner viewer of partner
	"viFL": user(member(actor.RolePartnerViewer, partner), member(actor.RoleFinance, lead)), // viewer of partner + finance lead
}

// columns is the order of the callers in the table.
var columns = strings.Fields("anon sys adm none coL coL1 coL2 coO fiL fiL2 fiO1 au1 auL edP edT viP viFL")

// decisions are the decisions policy exposes, each named "resource: action"
// and taken on g1 (led by lead; partner takes part in one of its projects,
// for which partner is also responsible for a milestone and a progress
// update) where it takes a resource.
var decisions = []struct {
	name string
	may  func(actor.Caller) bool
}{
	{"procedure: public", Public.Allows},
	{"procedure: signed in", SignedIn.Allows},
	{"procedure: user admin", UserAdmin.Allows},
	{"user: manage users", MayManageUsers},
	{"user: give the admin role", func(c actor.Caller) bool { return MayGiveRole(c, actor.RoleAdmin) }},
	{"user: give the coordinator role (if user admin)", func(c actor.Caller) bool { return MayGiveRole(c, actor.RoleCoordinator) }},
	{"user: change an admin", func(c actor.Caller) bool { return MayChangeUser(c, []actor.Role{actor.RoleAdmin}) }},
	{"user: change a partner (if user admin)", func(c actor.Caller) bool { return MayChangeUser(c, []actor.Role{actor.RolePartnerEditor}) }},
	{"user: revoke own token", func(c actor.Caller) bool { return MayManageTokensOf(c, "u") }},
	{"user: revoke another's token", func(c actor.Caller) bool { return MayManageTokensOf(c, "someone") }},
	{"organisation: manage", CanManageOrganisations},
	{"organisation: read history", CanReadRecordHistory},
	{"agreement: manage lead's", func(c actor.Caller) bool { return CanManageLeadOrg(c, lead) }},
	{"grant: create some", MayCreateGrants},
	{"grant: manage some (create projects)", MayManageSomeGrant},
	{"grant g1: manage", func(c actor.Caller) bool { return CanManageGrant(c, g1, lead) }},
	{"grant g1: read in full", func(c actor.Caller) bool { return CanReadGrantInFull(c, g1, lead) }},
	{"grant g1: read history", func(c actor.Caller) bool { return CanReadAudit(c, g1, lead) }},
	{"grant g1: manage money", func(c actor.Caller) bool { return CanManageFinance(c, g1, lead) }},
	{"grant g1: record expenditures", func(c actor.Caller) bool { return CanRecordExpenditures(c, g1, lead, []string{partner}) }},
	{"grant g1: verify expenditures", func(c actor.Caller) bool { return CanVerifyExpenditures(c, g1, lead) }},
	{"project of g1: log activities", func(c actor.Caller) bool { return CanLogActivities(c, g1, lead, []string{partner}) }},
	{"activities: log in some project", MayLogSomeActivities},
	{"milestone of g1 (partner's): submit", func(c actor.Caller) bool { return CanSubmitMilestone(c, g1, lead, partner) }},
	{"milestone of g1 (no one's): submit", func(c actor.Caller) bool { return CanSubmitMilestone(c, g1, lead, "") }},
	{"progress update of g1 (partner's): edit", func(c actor.Caller) bool { return CanEditProgress(c, g1, lead, partner) }},
	{"progress update of g1 (third's): edit", func(c actor.Caller) bool { return CanEditProgress(c, g1, lead, third) }},
	{"progress update of g1: review", func(c actor.Caller) bool { return CanReviewProgress(c, g1, lead) }},
	{"exchange rates: record", MayManageRates},
	{"budget templates of lead: define", func(c actor.Caller) bool { return MayDefineTemplates(c, lead) }},
	{"budget templates: define some", MayDefineSomeTemplates},
	{"partner: edit for it", func(c actor.Caller) bool { return IsPartnerEditorOf(c, partner) }},
}

// table is the expected decision of every caller (column) on every decision
// (row): Y allowed, . refused. Read it as the rules of Pactum; a change of
// policy changes this table.
//
// Worth a reviewer's eye: a coordinator limited to g1 (coL1) manages g1 but
// creates no grants and manages none of the lead's agreements; one limited
// to g2 (coL2) does nothing in g1; an auditor without named grants (auL)
// reads nothing; budget templates and the organisation directory go by
// organisation and role, not by grant.
const table = `
                                                 anon sys adm none coL coL1 coL2 coO fiL fiL2 fiO1 au1 auL edP edT viP viFL
procedure: public                                Y    Y   Y   Y    Y   Y    Y    Y   Y   Y    Y    Y   Y   Y   Y   Y   Y
procedure: signed in                             .    Y   Y   Y    Y   Y    Y    Y   Y   Y    Y    Y   Y   Y   Y   Y   Y
procedure: user admin                            .    Y   Y   .    Y   Y    Y    Y   .   .    .    .   .   .   .   .   .
user: manage users                               .    Y   Y   .    Y   Y    Y    Y   .   .    .    .   .   .   .   .   .
user: give the admin role                        .    Y   Y   .    .   .    .    .   .   .    .    .   .   .   .   .   .
user: give the coordinator role (if user admin)  Y    Y   Y   Y    Y   Y    Y    Y   Y   Y    Y    Y   Y   Y   Y   Y   Y
user: change an admin                            .    Y   Y   .    .   .    .    .   .   .    .    .   .   .   .   .   .
user: change a partner (if user admin)           Y    Y   Y   Y    Y   Y    Y    Y   Y   Y    Y    Y   Y   Y   Y   Y   Y
user: revoke own token                           .    Y   Y   Y    Y   Y    Y    Y   Y   Y    Y    Y   Y   Y   Y   Y   Y
user: revoke another's token                     .    Y   Y   .    .   .    .    .   .   .    .    .   .   .   .   .   .
organisation: manage                             .    Y   Y   .    Y   Y    Y    Y   .   .    .    .   .   .   .   .   .
organisation: read history                       .    Y   Y   .    Y   Y    Y    Y   .   .    .    .   .   .   .   .   .
agreement: manage lead's                         .    Y   Y   .    Y   .    .    .   .   .    .    .   .   .   .   .   .
grant: create some                               .    Y   Y   .    Y   .    .    Y   .   .    .    .   .   .   .   .   .
grant: manage some (create projects)             .    Y   Y   .    Y   Y    Y    Y   .   .    .    .   .   .   .   .   .
grant g1: manage                                 .    Y   Y   .    Y   Y    .    .   .   .    .    .   .   .   .   .   .
grant g1: read in full                           .    Y   Y   .    Y   Y    .    .   Y   .    Y    Y   .   .   .   .   Y
grant g1: read history                           .    Y   Y   .    Y   Y    .    .   .   .    .    Y   .   .   .   .   .
grant g1: manage money                           .    Y   Y   .    Y   Y    .    .   Y   .    Y    .   .   .   .   .   Y
grant g1: record expenditures                    .    Y   Y   .    Y   Y    .    .   Y   .    Y    .   .   Y   .   .   Y
grant g1: verify expenditures                    .    Y   Y   .    .   .    .    .   Y   .    Y    .   .   .   .   .   Y
project of g1: log activities                    .    Y   Y   .    Y   Y    .    .   .   .    .    .   .   Y   .   .   .
activities: log in some project                  .    Y   Y   .    Y   Y    Y    Y   .   .    .    .   .   Y   Y   .   .
milestone of g1 (partner's): submit              .    Y   Y   .    Y   Y    .    .   .   .    .    .   .   Y   .   .   .
milestone of g1 (no one's): submit               .    Y   Y   .    Y   Y    .    .   .   .    .    .   .   .   .   .   .
progress update of g1 (partner's): edit          .    Y   Y   .    Y   Y    .    .   .   .    .    .   .   Y   .   .   .
progress update of g1 (third's): edit            .    Y   Y   .    Y   Y    .    .   .   .    .    .   .   .   Y   .   .
progress update of g1: review                    .    Y   Y   .    Y   Y    .    .   .   .    .    .   .   .   .   .   .
exchange rates: record                           .    Y   Y   .    Y   Y    Y    Y   Y   Y    Y    .   .   .   .   .   Y
budget templates of lead: define                 .    Y   Y   .    Y   Y    Y    .   .   .    .    .   .   .   .   .   .
budget templates: define some                    .    Y   Y   .    Y   Y    Y    Y   .   .    .    .   .   .   .   .   .
partner: edit for it                             .    .   .   .    .   .    .    .   .   .    .    .   .   Y   .   .   .
`

func TestDecisions(t *testing.T) {
	t.Parallel()
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if got := strings.Fields(lines[0]); !slices.Equal(got, columns) {
		t.Fatalf("the table's columns are %v, want %v", got, columns)
	}
	if len(callers) != len(columns) {
		t.Fatalf("%d callers, %d columns", len(callers), len(columns))
	}
	rows := map[string][]string{}
	for _, l := range lines[1:] {
		fields := strings.Fields(l)
		if len(fields) < len(columns) {
			t.Fatalf("short row: %q", l)
		}
		cells := fields[len(fields)-len(columns):]
		rows[strings.Join(fields[:len(fields)-len(columns)], " ")] = cells
	}
	if len(rows) != len(decisions) {
		t.Errorf("%d rows in the table, %d decisions", len(rows), len(decisions))
	}
	for _, d := range decisions {
		cells, ok := rows[d.name]
		if !ok {
			t.Errorf("no row for %q", d.name)
			continue
		}
		for i, who := range columns {
			c, ok := callers[who]
			if !ok {
				t.Fatalf("no caller %q", who)
			}
			want := cells[i] == "Y"
			if cells[i] != "Y" && cells[i] != "." {
				t.Fatalf("%s / %s: cell %q is neither Y nor .", d.name, who, cells[i])
			}
			if got := d.may(c); got != want {
				t.Errorf("%s, %s: %v, want %v", d.name, who, got, want)
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
		for _, who := range []string{"adm", "sys"} {
			if got := cond(callers[who]); got.SQL != all.SQL || len(got.Args) != 0 {
				t.Errorf("%s for %s: %+v, want every row", name, who, got)
			}
		}
		if got := cond(callers["none"]); !strings.Contains(got.SQL, none.SQL) || strings.Contains(got.SQL, all.SQL) {
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
		{conds["FullGrants"], "coL", "lead_organisation_id = ?"},
		{conds["FullGrants"], "coL1", "x.grant_id IN (?)"},
		{conds["FullGrants"], "au1", "x.grant_id IN (?)"},
		{conds["FullGrants"], "auL", ""},
		{conds["FullGrants"], "edP", ""},
		{conds["ManagedGrants"], "fiL", ""},
		{conds["FinanceGrants"], "fiL", "lead_organisation_id = ?"},
		{conds["FinanceGrants"], "au1", ""},
		{conds["Grants"], "viP", "project_participants"},
		{conds["PartnerMoney"], "edP", "x.org_id IN (?)"},
		{conds["AuditGrants"], "au1", "x.grant_id IN (?)"},
		{conds["AuditGrants"], "fiL", ""},
		{conds["AuditRecords"], "coL2", "organisations/%"},
		{conds["AuditRecords"], "fiL", ""},
		{conds["Organisations"], "coO", all.SQL},
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
	if got := fmt.Sprint(FullGrants(callers["coL"], "x.grant_id").Args); got != "[lead]" {
		t.Errorf("the lead organisation's condition has arguments %s", got)
	}
}
