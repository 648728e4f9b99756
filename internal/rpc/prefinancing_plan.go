package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
)

func instalmentsToProto(in []finance.Instalment, currency string) []*pactumv1.PlannedInstalment {
	out := make([]*pactumv1.PlannedInstalment, 0, len(in))
	for _, x := range in {
		out = append(out, &pactumv1.PlannedInstalment{Number: int32(x.Number), Date: x.Date.String(), Amount: money.Format(x.Amount, currency)})
	}
	return out
}

func planToProto(p *finance.Plan) *pactumv1.PrefinancingPlan {
	out := &pactumv1.PrefinancingPlan{
		Name: p.Name(), Etag: p.ETag(), CurrencyCode: p.Currency,
		Instalments: instalmentsToProto(p.Instalments, p.Currency), Received: instalmentsToProto(p.Received, p.Currency),
		Total: money.Format(p.Total, p.Currency), Cap: money.Format(p.Cap, p.Currency),
		UpdatedBy: p.UpdatedBy, CallerCanUpdate: p.CallerCanUpdate,
	}
	if !p.UpdateTime.IsZero() {
		out.UpdateTime = timestamppb.New(p.UpdateTime)
	}
	return out
}

func (s *financeServer) GetPrefinancingPlan(ctx context.Context, req *connect.Request[pactumv1.GetPrefinancingPlanRequest]) (*connect.Response[pactumv1.GetPrefinancingPlanResponse], error) {
	ids, err := resource.PlanPattern.Parse(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	p, err := s.svc.GetPlan(ctx, ids[0])
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetPrefinancingPlanResponse{PrefinancingPlan: planToProto(p)}), nil
}

func (s *financeServer) UpdatePrefinancingPlan(ctx context.Context, req *connect.Request[pactumv1.UpdatePrefinancingPlanRequest]) (*connect.Response[pactumv1.UpdatePrefinancingPlanResponse], error) {
	m := req.Msg.GetPrefinancingPlan()
	ids, err := resource.PlanPattern.Parse(m.GetName(), "prefinancing_plan.name")
	if err != nil {
		return nil, err
	}
	in := make([]finance.PlannedInput, 0, len(m.GetInstalments()))
	for _, x := range m.GetInstalments() {
		in = append(in, finance.PlannedInput{DueDate: x.GetDate(), Amount: x.GetAmount()})
	}
	p, err := s.svc.UpdatePlan(ctx, ids[0], in, m.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "prefinancing_plan.")
	}
	return connect.NewResponse(&pactumv1.UpdatePrefinancingPlanResponse{PrefinancingPlan: planToProto(p)}), nil
}
