package rpc

import (
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

// milestoneServer maps MilestoneService to the milestone package.
// TODO(foundation): implement; until then every method answers UNIMPLEMENTED.
type milestoneServer struct {
	pactumv1connect.UnimplementedMilestoneServiceHandler
	svc *milestone.Service
}
