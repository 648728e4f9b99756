// Package grantfacts reads what the domains and policy need to know of a
// grant without importing the grant package: its lead organisation, state,
// currency, implementation and reporting periods, and the organisations
// taking part in it. It is the one reader of those facts; the grant package
// owns the table and its changes.
package grantfacts

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// States of a grant, as the grant package stores them.
const (
	StateDraft  = "draft"
	StateActive = "active"
	StateClosed = "closed"
)

// Facts are a grant's facts.
type Facts struct {
	ID                    string        `bun:"id"`
	LeadOrganisationID    string        `bun:"lead_organisation_id"`
	DonorReference        string        `bun:"donor_reference"`
	State                 string        `bun:"state"`
	CurrencyCode          string        `bun:"currency_code"`
	StartDate             calendar.Date `bun:"start_date"`
	EndDate               calendar.Date `bun:"end_date"`
	ReportingPeriodMonths int           `bun:"reporting_period_months"`
	// TotalEligibleCosts is the contract's total eligible costs, in minor
	// units of CurrencyCode.
	TotalEligibleCosts int64 `bun:"total_eligible_costs"`
	// IndirectCostRateBP is the flat rate of indirect costs of the Special
	// Conditions, in hundredths of a percent of the direct eligible costs
	// incurred (700 is 7%); 0: no flat rate.
	IndirectCostRateBP int64 `bun:"indirect_cost_rate_bp"`
	// FourEyes: whoever recorded or submitted an expenditure may not verify
	// or reject it.
	FourEyes bool `bun:"four_eyes"`
}

var columns = []string{"id", "lead_organisation_id", "donor_reference", "state", "currency_code",
	"start_date", "end_date", "reporting_period_months", "total_eligible_costs", "indirect_cost_rate_bp", "four_eyes"}

// Name returns the grant's resource name, "grants/{id}".
func (f *Facts) Name() string { return resource.Name(resource.Grants, f.ID) }

// Describe names the grant for messages: "grants/{id} (donor reference)".
func (f *Facts) Describe() string { return fmt.Sprintf("%s (%s)", f.Name(), f.DonorReference) }

// Closed reports whether the grant is closed (nothing of it changes).
func (f *Facts) Closed() bool { return f.State == StateClosed }

// Read reads grant id within idb, whoever the caller: for callers that have
// already checked access (they read a record of the grant). Errors: not
// found, internal.
func Read(ctx context.Context, idb bun.IDB, id string) (*Facts, error) {
	return read(ctx, idb, id, nil)
}

// Visible reads grant id within idb if c may read it (policy.Grants).
// Errors: not found (also a grant hidden from c), internal.
func Visible(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*Facts, error) {
	scope := policy.Grants(c, "id")
	return read(ctx, idb, id, &scope)
}

// Exists reports whether there is a grant with id, whoever the caller.
// Errors: internal.
func Exists(ctx context.Context, idb bun.IDB, id string) (bool, error) {
	n, err := idb.NewSelect().Table(resource.Grants).Where("id = ?", id).Count(ctx)
	if err != nil {
		return false, db.Err(err)
	}
	return n > 0, nil
}

func read(ctx context.Context, idb bun.IDB, id string, scope *policy.Cond) (*Facts, error) {
	f := new(Facts)
	q := idb.NewSelect().Table(resource.Grants).Column(columns...).Where("id = ?", id)
	if scope != nil {
		q = policy.Where(q, *scope)
	}
	err := q.Scan(ctx, f)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Grants, id)))
	}
	return f, nil
}

// Many reads the facts of the grants ids, whoever the caller, by id: for
// lists that decide per row what the caller may do. Missing ids are absent
// from the map. Errors: internal.
func Many(ctx context.Context, idb bun.IDB, ids []string) (map[string]*Facts, error) {
	out := map[string]*Facts{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []*Facts
	if err := idb.NewSelect().Table(resource.Grants).Column(columns...).Where("id IN (?)", bun.List(ids)).
		Scan(ctx, &rows); err != nil {
		return nil, db.Err(err)
	}
	for _, f := range rows {
		out[f.ID] = f
	}
	return out, nil
}

// Participants returns the organisations taking part in project projectID
// (not its grant's lead, unless it takes part too). Errors: internal.
func Participants(ctx context.Context, idb bun.IDB, projectID string) ([]string, error) {
	var orgs []string
	if err := idb.NewSelect().Table("project_participants").Column("organisation_id").
		Where("project_id = ?", projectID).Order("organisation_id").Scan(ctx, &orgs); err != nil {
		return nil, db.Err(err)
	}
	return orgs, nil
}

// Parties returns the organisations of grant id: its lead organisation and
// every organisation taking part in one of its projects, each once, lead
// first. Errors: not found, internal.
func Parties(ctx context.Context, idb bun.IDB, id string) ([]string, error) {
	f, err := Read(ctx, idb, id)
	if err != nil {
		return nil, err
	}
	var orgs []string
	if err := idb.NewSelect().Table("project_participants").ColumnExpr("DISTINCT organisation_id").
		Where("project_id IN (SELECT id FROM projects WHERE grant_id = ?)", id).
		Where("organisation_id <> ?", f.LeadOrganisationID).
		OrderExpr("organisation_id").Scan(ctx, &orgs); err != nil {
		return nil, db.Err(err)
	}
	return append([]string{f.LeadOrganisationID}, orgs...), nil
}

// ParticipantsOf returns the organisations taking part in each of the
// projects projectIDs, by project id. Errors: internal.
func ParticipantsOf(ctx context.Context, idb bun.IDB, projectIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(projectIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ProjectID      string `bun:"project_id"`
		OrganisationID string `bun:"organisation_id"`
	}
	if err := idb.NewSelect().Table("project_participants").Column("project_id", "organisation_id").
		Where("project_id IN (?)", bun.List(projectIDs)).Order("project_id", "organisation_id").Scan(ctx, &rows); err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out[r.ProjectID] = append(out[r.ProjectID], r.OrganisationID)
	}
	return out, nil
}

// PartiesOf returns, for each of the grants grantIDs, the organisations
// taking part in one of its projects (its lead organisation not added), by
// grant id. Errors: internal.
func PartiesOf(ctx context.Context, idb bun.IDB, grantIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(grantIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		GrantID        string `bun:"grant_id"`
		OrganisationID string `bun:"organisation_id"`
	}
	if err := idb.NewSelect().TableExpr("project_participants AS pp").Join("JOIN projects AS p ON p.id = pp.project_id").
		ColumnExpr("DISTINCT p.grant_id, pp.organisation_id").
		Where("p.grant_id IN (?)", bun.List(grantIDs)).OrderExpr("p.grant_id, pp.organisation_id").Scan(ctx, &rows); err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out[r.GrantID] = append(out[r.GrantID], r.OrganisationID)
	}
	return out, nil
}
