package project

import (
	"context"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
)

// Rights returns what the caller in ctx may do with each of ps, in order
// (policy.OnProject); nothing of a project of a closed grant changes.
// Errors: internal.
func (s *Service) Rights(ctx context.Context, ps ...*Project) ([]policy.ProjectRights, error) {
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.GrantID)
	}
	grants, err := grantfacts.Many(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	c := actor.From(ctx)
	out := make([]policy.ProjectRights, len(ps))
	for i, p := range ps {
		g := grants[p.GrantID]
		if g == nil {
			continue // the grant went meanwhile: nothing
		}
		orgs := make([]string, 0, len(p.Participants))
		for _, pt := range p.Participants {
			orgs = append(orgs, pt.OrganisationID)
		}
		r := policy.OnProject(c, g.ID, g.LeadOrganisationID, orgs)
		if g.Closed() {
			r.Manage = false
		}
		out[i] = r
	}
	return out, nil
}
