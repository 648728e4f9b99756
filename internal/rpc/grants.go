package rpc

import (
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

// grantServer maps GrantService to the grant package.
// TODO(foundation): implement; until then every method answers UNIMPLEMENTED.
type grantServer struct {
	pactumv1connect.UnimplementedGrantServiceHandler
	svc *grant.Service
}
