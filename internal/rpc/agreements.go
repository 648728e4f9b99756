package rpc

import (
	"github.com/pactum-dev/pactum/internal/agreement"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

// agreementServer maps FrameworkAgreementService to the agreement package.
// TODO(foundation): implement; until then every method answers UNIMPLEMENTED.
type agreementServer struct {
	pactumv1connect.UnimplementedFrameworkAgreementServiceHandler
	svc *agreement.Service
}
