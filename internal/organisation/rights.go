package organisation

import (
	"context"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/policy"
)

// Rights is what the caller may do with an organisation.
type Rights struct {
	Manage      bool // change, delete (policy.CanManageOrganisations)
	ReadHistory bool // policy.CanReadRecordHistory
}

// Rights returns what the caller in ctx may do with each of os, in order.
// It reads nothing, and returns no error; the signature is the other
// services'.
func (s *Service) Rights(ctx context.Context, os ...*Organisation) ([]Rights, error) {
	c := actor.From(ctx)
	r := Rights{Manage: policy.CanManageOrganisations(c), ReadHistory: policy.CanReadRecordHistory(c)}
	out := make([]Rights, len(os))
	for i := range os {
		out[i] = r
	}
	return out, nil
}
