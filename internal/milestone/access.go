package milestone

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Who may do what with milestones is decided by internal/policy; this file
// only asks it.
//
//   - Read: the milestones in policy.Milestones, applied in SQL to every
//     query. A milestone outside it does not exist for the caller.
//   - Create, update, delete, accept: those who may manage the milestone's
//     grant (policy.CanManageGrant). A grant, project or organisation the
//     caller cannot read does not exist for them.
//   - Submit: those who may manage the grant, and the partner editors of the
//     milestone's responsible organisation.

// visible is the condition for the milestones the caller in ctx may read, on
// the columns of the Milestone model's table alias.
func visible(ctx context.Context) policy.Cond {
	return policy.Milestones(actor.From(ctx),
		"milestone.grant_id", "milestone.project_id", "milestone.responsible_organisation_id")
}

// get reads one milestone the caller in ctx may read, within idb, without
// its status. Errors: not found (also for one hidden from the
// caller), internal.
func get(ctx context.Context, idb bun.IDB, id string) (*Milestone, error) {
	m := new(Milestone)
	err := policy.Where(idb.NewSelect().Model(m).Where("milestone.id = ?", id), visible(ctx)).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Milestones, id)))
	}
	return m, nil
}

// visibleGrant returns the lead organisation of grant id, and whether the
// caller in ctx may read the grant (false also when it does not exist).
func visibleGrant(ctx context.Context, idb bun.IDB, id string) (lead string, ok bool, err error) {
	g, err := grantfacts.Visible(ctx, idb, actor.From(ctx), id)
	if errs.KindOf(err) == errs.KindNotFound {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return g.LeadOrganisationID, true, nil
}

// action is what a caller does to a milestone, for authorise.
type action int

const (
	manage action = iota // create, update, delete, accept
	submit
)

// authorise decides whether the caller in ctx may do a to m, which they may
// read. Errors: permission, not found (the grant vanished), internal.
func authorise(ctx context.Context, idb bun.IDB, m *Milestone, a action) error {
	c := actor.From(ctx)
	g, err := grantfacts.Read(ctx, idb, m.GrantID)
	if err != nil {
		return err
	}
	if policy.CanManageGrant(c, m.GrantID, g.LeadOrganisationID) ||
		(a == submit && policy.CanSubmitMilestone(c, m.GrantID, g.LeadOrganisationID, m.ResponsibleOrganisationID)) {
		return nil
	}
	return policy.Denied(m.Name())
}

// record writes the audit event of a change to m within tx.
func record(ctx context.Context, tx bun.IDB, action string, m *Milestone, changes []audit.Change) error {
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: m.Name(), GrantID: m.GrantID, Changes: changes})
}
