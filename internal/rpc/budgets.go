package rpc

import (
	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

type budgetServer struct {
	pactumv1connect.UnimplementedBudgetServiceHandler
	svc *budget.Service
}
