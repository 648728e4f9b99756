package rpc

import (
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

type rateServer struct {
	pactumv1connect.UnimplementedExchangeRateServiceHandler
	svc *fx.Service
}
