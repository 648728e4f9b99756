package rpc

import (
	"github.com/pactum-dev/pactum/internal/expenditure"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/receipt"
)

type expenditureServer struct {
	pactumv1connect.UnimplementedExpenditureServiceHandler
	svc      *expenditure.Service
	receipts *receipt.Service
}
