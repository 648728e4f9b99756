package grant

import (
	"context"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
)

// Rights is what the caller may do with a grant now: policy's decision
// (policy.OnGrant), narrowed by the grant's state.
type Rights struct {
	policy.GrantRights
	Update        bool // change, activate, close (not a closed grant)
	Delete        bool // a draft only
	CreateProject bool // not in a closed grant
}

// Rights returns what the caller in ctx may do with each of gs, in order.
// Errors: internal.
func (s *Service) Rights(ctx context.Context, gs ...*Grant) ([]Rights, error) {
	ids := make([]string, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	parties, err := grantfacts.PartiesOf(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	c := actor.From(ctx)
	out := make([]Rights, len(gs))
	for i, g := range gs {
		r := Rights{GrantRights: policy.OnGrant(c, g.ID, g.LeadOrganisationID, parties[g.ID])}
		r.Update = r.Manage && g.State != StateClosed
		r.Delete = r.Manage && g.State == StateDraft
		r.CreateProject = r.Manage && g.State != StateClosed
		if g.State == StateClosed {
			r.ManageMoney, r.RecordExpenditures = false, false
		}
		out[i] = r
	}
	return out, nil
}
