package milestone

import (
	"context"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
)

// Rights is what the caller may do with a milestone now: policy's decision
// (policy.OnMilestone), narrowed by the milestone's state.
type Rights struct {
	Update bool // an open milestone
	Delete bool // an open milestone (one still generated from the grant's rules is refused all the same)
	Submit bool // an open milestone not followed through its progress update
	Accept bool // a submitted one, likewise
}

// Rights returns what the caller in ctx may do with each of ms, in order.
// Errors: internal.
func (s *Service) Rights(ctx context.Context, ms ...*Milestone) ([]Rights, error) {
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.GrantID)
	}
	grants, err := grantfacts.Many(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	c := actor.From(ctx)
	out := make([]Rights, len(ms))
	for i, m := range ms {
		g := grants[m.GrantID]
		if g == nil {
			continue
		}
		p := policy.OnMilestone(c, g.ID, g.LeadOrganisationID, m.ResponsibleOrganisationID)
		byHand := m.Kind != KindPartnerProgressUpdate
		out[i] = Rights{
			Update: p.Manage && m.Open(),
			Delete: p.Manage && m.Open(),
			Submit: p.Submit && m.Open() && byHand,
			Accept: p.Manage && m.SubmitTime != nil && m.AcceptTime == nil && byHand,
		}
	}
	return out, nil
}
