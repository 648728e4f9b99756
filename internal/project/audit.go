package project

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Who may do what with projects is decided by internal/policy; this package
// only asks it:
//
//   - Read: the projects in policy.Projects, applied in SQL to every query
//     of the Service. A project outside it does not exist for the caller.
//   - Create, update, delete: those who may manage the project's grant
//     (policy.CanManageGrant). A grant the caller cannot read does not exist
//     for them; one they read but may not manage refuses with permission.
//
// Every change writes an audit event in the same transaction: its resource
// is the project and its grant the project's grant.

// record writes the audit event of a change to p within tx.
func record(ctx context.Context, tx bun.IDB, action string, p *Project, changes []audit.Change) error {
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: p.Name(), GrantID: p.GrantID, Changes: changes})
}

// diff lists the changed fields between two states of a project (before nil
// on create, after nil on delete): its columns, and its countries and
// participants written out as text.
func diff(idb bun.IDB, before, after *Project) []audit.Change {
	out := audit.Diff(idb, before, after)
	for _, f := range []struct {
		field string
		text  func(*Project) string
	}{{"country_codes", countriesText}, {"participants", participantsText}} {
		if o, n := f.text(before), f.text(after); o != n {
			out = append(out, audit.Change{Field: f.field, Old: o, New: n})
		}
	}
	return out
}

// countriesText writes the countries as "KE, NP".
func countriesText(p *Project) string {
	if p == nil {
		return ""
	}
	return strings.Join(p.CountryCodes, ", ")
}

// participantsText writes the participants as
// "organisations/{id} (coordinator), organisations/{id} (associate)".
func participantsText(p *Project) string {
	if p == nil {
		return ""
	}
	parts := make([]string, len(p.Participants))
	for i, pt := range p.Participants {
		detail := string(pt.Role)
		if pt.CountryCode != "" {
			detail += ", " + pt.CountryCode
		}
		if pt.BudgetShare != "" {
			detail += ", share " + pt.BudgetShare
		}
		parts[i] = resource.Name(resource.Organisations, pt.OrganisationID) + " (" + detail + ")"
	}
	return strings.Join(parts, ", ")
}

// openMilestone is what the audit trail keeps of a milestone deleted with
// its project.
type openMilestone struct {
	bun.BaseModel `bun:"table:milestones"`

	ID                        string        `bun:"id,pk"`
	GrantID                   string        `bun:"grant_id"`
	ProjectID                 string        `bun:"project_id"`
	Kind                      string        `bun:"kind"`
	Title                     string        `bun:"title"`
	PeriodStart               calendar.Date `bun:"period_start_date"`
	PeriodEnd                 calendar.Date `bun:"period_end_date"`
	DueDate                   calendar.Date `bun:"due_date"`
	ResponsibleOrganisationID string        `bun:"responsible_organisation_id"`
}
