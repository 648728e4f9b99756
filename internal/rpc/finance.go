package rpc

import (
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

type financeServer struct {
	pactumv1connect.UnimplementedFinanceServiceHandler
	svc *finance.Service
}
