package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rules"
)

// financeServer maps FinanceService to the finance package.
type financeServer struct {
	pactumv1connect.UnimplementedFinanceServiceHandler
	svc *finance.Service
}

var groupingFromProto = map[pactumv1.BudgetGrouping]finance.Grouping{
	pactumv1.BudgetGrouping_BUDGET_GROUPING_UNSPECIFIED: finance.ByHeading,
	pactumv1.BudgetGrouping_BUDGET_GROUPING_HEADING:     finance.ByHeading,
	pactumv1.BudgetGrouping_BUDGET_GROUPING_LINE:        finance.ByLine,
	pactumv1.BudgetGrouping_BUDGET_GROUPING_PARTNER:     finance.ByPartner,
	pactumv1.BudgetGrouping_BUDGET_GROUPING_PROJECT:     finance.ByProject,
}

var severityToProto = map[finance.Severity]pactumv1.FindingSeverity{
	finance.Info:      pactumv1.FindingSeverity_FINDING_SEVERITY_INFO,
	finance.Warning:   pactumv1.FindingSeverity_FINDING_SEVERITY_WARNING,
	finance.Violation: pactumv1.FindingSeverity_FINDING_SEVERITY_VIOLATION,
}

func (s *financeServer) GetBudgetVsActual(ctx context.Context, req *connect.Request[pactumv1.GetBudgetVsActualRequest]) (*connect.Response[pactumv1.GetBudgetVsActualResponse], error) {
	m := req.Msg
	id, err := resource.ParseName(resource.Grants, m.GetGrant(), "grant")
	if err != nil {
		return nil, err
	}
	by, ok := groupingFromProto[m.GetGroupBy()]
	if !ok {
		return nil, errs.Invalid(errs.FieldViolation{Field: "group_by", Description: "must be BUDGET_GROUPING_HEADING, _LINE, _PARTNER or _PROJECT"})
	}
	b, err := s.svc.BudgetVsActual(ctx, finance.Query{GrantID: id, GroupBy: by, VerifiedOnly: m.GetVerifiedOnly(), AsOf: m.GetAsOf()})
	if err != nil {
		return nil, err
	}
	cur := b.Currency
	key := func(k string) string {
		switch by {
		case finance.ByPartner:
			return refName(resource.Organisations, k)
		case finance.ByProject:
			return refName(resource.Projects, k)
		}
		return k
	}
	row := func(r finance.Row) *pactumv1.BudgetVsActualRow {
		return &pactumv1.BudgetVsActualRow{
			Key: key(r.Key), Label: r.Label, HeadingCode: r.HeadingCode,
			Budget: money.Format(r.Budget, cur), Spent: money.Format(r.Spent, cur), Remaining: money.Format(r.Remaining, cur),
			PercentSpent: r.Percent, MonthlyBurn: money.Format(r.MonthlyBurn, cur), ProjectedAtEnd: money.Format(r.Projected, cur),
			ExpenditureCount: int32(r.Count), Computed: r.Computed,
		}
	}
	out := &pactumv1.GetBudgetVsActualResponse{
		CurrencyCode: cur, RateMissingCount: int32(b.RateMissing), MonthsElapsed: int32(b.MonthsElapsed),
		MonthsLeft: int32(b.MonthsLeft), AsOf: b.AsOf.String(), Total: row(b.Total),
		Ineligible: &pactumv1.IneligibleSpending{Count: int32(b.Ineligible.Count), BeforeStartCount: int32(b.Ineligible.Before),
			AfterEndCount: int32(b.Ineligible.After), Total: money.Format(b.Ineligible.Converted, cur)},
		UnverifiedCount: int32(b.UnverifiedCount), UnverifiedTotal: money.Format(b.UnverifiedAmount, cur),
	}
	if in := b.Indirect; in.Applies {
		out.IndirectCosts = &pactumv1.IndirectCosts{Applies: true, RatePercent: money.FormatPercent(in.RateBP), HeadingCode: in.HeadingCode,
			Base: money.Format(in.BaseToDate, cur), Computed: money.Format(in.ComputedToDate, cur), Budget: money.Format(in.Budget, cur),
			Claimed: money.Format(in.ClaimedToDate, cur), Capped: in.Capped, RecordedCount: int32(in.RecordedCount),
			RecordedTotal: money.Format(in.RecordedAmount, cur)}
	}
	if b.VersionID != "" {
		out.BudgetVersion = m.GetGrant() + "/budgetVersions/" + b.VersionID
	}
	for _, r := range b.Rows {
		out.Rows = append(out.Rows, row(r))
	}
	for _, mo := range b.Months {
		out.Months = append(out.Months, &pactumv1.MonthlySpending{Month: mo.Month, Spent: money.Format(mo.Spent, cur),
			Cumulative: money.Format(mo.Cumulative, cur)})
	}
	return connect.NewResponse(out), nil
}

func (s *financeServer) CheckCompliance(ctx context.Context, req *connect.Request[pactumv1.CheckComplianceRequest]) (*connect.Response[pactumv1.CheckComplianceResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetGrant(), "grant")
	if err != nil {
		return nil, err
	}
	c, err := s.svc.CheckCompliance(ctx, id, req.Msg.GetAsOf())
	if err != nil {
		return nil, err
	}
	p, cur := c.Prefinancing, c.Currency
	pay := p.Payments
	out := &pactumv1.CheckComplianceResponse{AsOf: c.AsOf.String(), Prefinancing: &pactumv1.PrefinancingStatus{
		MayRequest: p.MayRequest, NextInstalment: int32(p.NextInstalment), Spent: money.Format(p.Spent, cur),
		Required: money.Format(p.Required, cur), EstimatedDate: p.EstimatedDate.String(),
		EuPart: money.Format(pay.EUPart, cur), CoFinancingRate: rules.Percent(pay.CoFinancingRateBP),
		Shortfall: money.Format(pay.Shortfall, cur), NextPlanned: money.Format(pay.NextPlanned, cur),
		Cap: money.Format(pay.Cap, cur), CapRoom: money.Format(pay.CapRoom, cur), Requestable: money.Format(pay.Requestable, cur),
		ReceivedTotal: money.Format(pay.ReceivedTotal, cur), Threshold: rules.Percent(pay.ThresholdBP),
	}}
	for _, f := range c.Findings {
		out.Findings = append(out.Findings, &pactumv1.ComplianceFinding{Code: f.Code, Severity: severityToProto[f.Severity],
			Message: f.Message, HeadingCode: f.HeadingCode, Args: f.Args})
	}
	return connect.NewResponse(out), nil
}

func paymentToProto(p *finance.Payment) *pactumv1.PrefinancingPayment {
	return &pactumv1.PrefinancingPayment{
		Name: p.Name(), Number: int32(p.Number), ReceivedDate: p.ReceivedDate.String(),
		Amount: money.Format(p.Amount, p.Currency), CreateTime: timestamppb.New(p.CreateTime),
	}
}

func (s *financeServer) ListPrefinancingPayments(ctx context.Context, req *connect.Request[pactumv1.ListPrefinancingPaymentsRequest]) (*connect.Response[pactumv1.ListPrefinancingPaymentsResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.ListPayments(ctx, id, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListPrefinancingPaymentsResponse{NextPageToken: next}
	for _, p := range list {
		out.PrefinancingPayments = append(out.PrefinancingPayments, paymentToProto(p))
	}
	return connect.NewResponse(out), nil
}

func (s *financeServer) CreatePrefinancingPayment(ctx context.Context, req *connect.Request[pactumv1.CreatePrefinancingPaymentRequest]) (*connect.Response[pactumv1.CreatePrefinancingPaymentResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetPrefinancingPayment()
	p, err := s.svc.CreatePayment(ctx, id, finance.PaymentInput{ReceivedDate: in.GetReceivedDate(), Amount: in.GetAmount()},
		req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "prefinancing_payment.")
	}
	return connect.NewResponse(&pactumv1.CreatePrefinancingPaymentResponse{PrefinancingPayment: paymentToProto(p)}), nil
}

func (s *financeServer) DeletePrefinancingPayment(ctx context.Context, req *connect.Request[pactumv1.DeletePrefinancingPaymentRequest]) (*connect.Response[pactumv1.DeletePrefinancingPaymentResponse], error) {
	g, id, err := finance.ParsePaymentName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.DeletePayment(ctx, g, id); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeletePrefinancingPaymentResponse{}), nil
}
