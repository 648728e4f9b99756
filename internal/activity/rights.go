package activity

import (
	"context"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
)

// Rights returns, for each of as in order, whether the caller in ctx may
// change it and its files (policy.CanLogActivities on its project).
// Errors: internal.
func (s *Service) Rights(ctx context.Context, as ...*Activity) ([]bool, error) {
	var grantIDs, projectIDs []string
	for _, a := range as {
		grantIDs, projectIDs = append(grantIDs, a.GrantID), append(projectIDs, a.ProjectID)
	}
	grants, err := grantfacts.Many(ctx, s.db, grantIDs)
	if err != nil {
		return nil, err
	}
	participants, err := grantfacts.ParticipantsOf(ctx, s.db, projectIDs)
	if err != nil {
		return nil, err
	}
	c := actor.From(ctx)
	out := make([]bool, len(as))
	for i, a := range as {
		if g := grants[a.GrantID]; g != nil {
			out[i] = policy.CanLogActivities(c, g.ID, g.LeadOrganisationID, participants[a.ProjectID])
		}
	}
	return out, nil
}
