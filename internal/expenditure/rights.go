package expenditure

import (
	"context"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
)

// Rights is what the caller may do with an expenditure now.
type Rights struct {
	Change bool // update, delete, submit: mayChange, on a draft or rejected one
	Verify bool // verify or reject: the grant's finance staff, on a submitted one, under four eyes not their own
	// FourEyes: the caller would verify it but for four eyes (they
	// recorded or submitted it); they may still reject it.
	FourEyes bool
}

// Rights returns what the caller in ctx may do with each of es, in order:
// policy's decisions (policy.CanManageFinance, policy.IsPartnerEditorOf on a
// line allocated to the organisation, policy.CanVerifyExpenditures),
// narrowed by the expenditure's status, as the changes themselves decide.
// Errors: internal.
func (s *Service) Rights(ctx context.Context, es ...*Expenditure) ([]Rights, error) {
	ids := make([]string, 0, len(es))
	for _, e := range es {
		ids = append(ids, e.GrantID)
	}
	grants, err := grantfacts.Many(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	c := actor.From(ctx)
	type key struct{ grant, line string }
	allocated := map[key]string{} // the organisation a line is allocated to
	out := make([]Rights, len(es))
	for i, e := range es {
		g := grants[e.GrantID]
		if g == nil {
			continue
		}
		change := policy.CanManageFinance(c, g.ID, g.LeadOrganisationID)
		if !change && policy.IsPartnerEditorOf(c, e.OrganisationID) {
			k := key{g.ID, e.LineKey}
			org, ok := allocated[k]
			if !ok {
				l, err := latestLine(ctx, s.db, g.ID, e.LineKey)
				if err != nil {
					return nil, err
				}
				if l != nil {
					org = l.OrganisationID
				}
				allocated[k] = org
			}
			change = org == e.OrganisationID
		}
		out[i] = Rights{
			Change: change && e.Status.Editable(),
			Verify: policy.CanVerifyExpenditures(c, g.ID, g.LeadOrganisationID) && e.Status == StatusSubmitted,
		}
		if out[i].Verify && fourEyes(c, g, e) != nil {
			out[i].Verify, out[i].FourEyes = false, true
		}
	}
	return out, nil
}
