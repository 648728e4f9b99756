package agreement

import (
	"context"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/policy"
)

// Rights is what the caller may do with a framework agreement.
type Rights struct {
	Manage      bool // change, delete, sign grants under it (policy.CanManageLeadOrg)
	ReadHistory bool // policy.CanReadRecordHistory
}

// Rights returns what the caller in ctx may do with each of as, in order.
// It reads nothing, and returns no error; the signature is the other
// services'.
func (s *Service) Rights(ctx context.Context, as ...*Agreement) ([]Rights, error) {
	c := actor.From(ctx)
	out := make([]Rights, len(as))
	for i, a := range as {
		out[i] = Rights{Manage: policy.CanManageLeadOrg(c, a.LeadOrganisationID), ReadHistory: policy.CanReadRecordHistory(c)}
	}
	return out, nil
}
