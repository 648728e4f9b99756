package rpc

import (
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

// projectServer maps ProjectService to the project package.
// TODO(foundation): implement; until then every method answers UNIMPLEMENTED.
type projectServer struct {
	pactumv1connect.UnimplementedProjectServiceHandler
	svc *project.Service
}
