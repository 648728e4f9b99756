package results

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Who may do what is decided by internal/policy (see policy/results.go);
// this file only asks it.
//
//   - Read: results and indicators of the projects in policy.ProjectRecords,
//     applied in SQL to every query. Others do not exist for the caller.
//   - Create, update: those who may manage the project's grant
//     (policy.CanManageGrant).

// ProjectInfo is what access decisions need of a project.
type ProjectInfo struct {
	ID           string
	GrantID      string
	LeadOrgID    string   // the grant's lead organisation
	Participants []string // organisations taking part
}

// VisibleProject reads project id if the caller in ctx may read it.
// Errors: not found (also when hidden from the caller), internal.
func VisibleProject(ctx context.Context, idb bun.IDB, id string) (*ProjectInfo, error) {
	p := &ProjectInfo{ID: id}
	q := idb.NewSelect().Table("projects").Column("grant_id").Where("id = ?", id)
	err := policy.Where(q, policy.ProjectRecords(actor.From(ctx), "id", "grant_id")).Scan(ctx, &p.GrantID)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Projects, id)))
	}
	g, err := grantfacts.Read(ctx, idb, p.GrantID)
	if err != nil {
		return nil, err
	}
	p.LeadOrgID = g.LeadOrganisationID
	if p.Participants, err = grantfacts.Participants(ctx, idb, id); err != nil {
		return nil, err
	}
	return p, nil
}

// authorise decides whether the caller may change project p's results
// framework. Errors: permission.
func authorise(ctx context.Context, p *ProjectInfo) error {
	if policy.CanManageGrant(actor.From(ctx), p.GrantID, p.LeadOrgID) {
		return nil
	}
	return policy.Denied("the results framework of " + resource.Name(resource.Projects, p.ID))
}

func visibleResults(ctx context.Context) policy.Cond {
	return policy.ProjectRecords(actor.From(ctx), "r.project_id", "r.grant_id")
}

func visibleIndicators(ctx context.Context) policy.Cond {
	return policy.ProjectRecords(actor.From(ctx), "i.project_id", "i.grant_id")
}

// getResult reads result id of project projectID that the caller may read.
func getResult(ctx context.Context, idb bun.IDB, projectID, id string) (*Result, error) {
	r := new(Result)
	err := policy.Where(idb.NewSelect().Model(r).Where("r.id = ? AND r.project_id = ?", id, projectID), visibleResults(ctx)).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(ResultName(projectID, id)))
	}
	return r, nil
}

// getIndicator reads indicator id of project projectID that the caller may read.
func getIndicator(ctx context.Context, idb bun.IDB, projectID, id string) (*Indicator, error) {
	i := new(Indicator)
	err := policy.Where(idb.NewSelect().Model(i).Where("i.id = ? AND i.project_id = ?", id, projectID), visibleIndicators(ctx)).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(IndicatorName(projectID, id)))
	}
	return i, nil
}

func record(ctx context.Context, tx bun.IDB, action, name, grantID string, changes []audit.Change) error {
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: name, GrantID: grantID, Changes: changes})
}
