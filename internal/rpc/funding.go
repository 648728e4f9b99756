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
)

// fundingServer maps FundingService to the finance package.
type fundingServer struct {
	pactumv1connect.UnimplementedFundingServiceHandler
	svc *finance.Service
}

var fundingKindToProto = map[string]pactumv1.FundingKind{
	finance.FundingEU:         pactumv1.FundingKind_FUNDING_KIND_EU_CONTRIBUTION,
	finance.FundingOwnFunds:   pactumv1.FundingKind_FUNDING_KIND_OWN_FUNDS,
	finance.FundingOtherDonor: pactumv1.FundingKind_FUNDING_KIND_OTHER_DONOR,
	finance.FundingIncome:     pactumv1.FundingKind_FUNDING_KIND_INCOME,
	finance.FundingInKind:     pactumv1.FundingKind_FUNDING_KIND_IN_KIND,
}

// fundingKindFromProto maps the kinds a caller may record; others map to
// "" (refused by the service, naming the field).
var fundingKindFromProto = map[pactumv1.FundingKind]string{
	pactumv1.FundingKind_FUNDING_KIND_OWN_FUNDS:   finance.FundingOwnFunds,
	pactumv1.FundingKind_FUNDING_KIND_OTHER_DONOR: finance.FundingOtherDonor,
	pactumv1.FundingKind_FUNDING_KIND_INCOME:      finance.FundingIncome,
	pactumv1.FundingKind_FUNDING_KIND_IN_KIND:     finance.FundingInKind,
}

func fundingReceiptToProto(r *finance.FundingReceipt) *pactumv1.FundingReceipt {
	return &pactumv1.FundingReceipt{Name: r.Name(), ReceivedDate: r.ReceivedDate.String(),
		Amount: money.Format(r.Amount, r.Currency), Reference: r.Reference, CreateTime: timestamppb.New(r.CreateTime)}
}

func fundingSourceToProto(s *finance.FundingSource) *pactumv1.FundingSource {
	out := &pactumv1.FundingSource{
		Name: s.Name(), Kind: fundingKindToProto[s.Kind], Organisation: refName(resource.Organisations, s.OrganisationID),
		OrganisationDisplayName: s.OrganisationName, DisplayName: s.DisplayName,
		ExpectedAmount: money.Format(s.ExpectedAmount, s.Currency), Etag: s.ETag(),
		CreateTime: timestamppb.New(s.CreateTime), UpdateTime: timestamppb.New(s.UpdateTime),
		CallerCanUpdate: s.CanChange, CallerCanDelete: s.CanChange,
	}
	for _, r := range s.Receipts {
		out.Receipts = append(out.Receipts, fundingReceiptToProto(r))
	}
	return out
}

func fundingSourceInput(p *pactumv1.FundingSource) (finance.FundingSourceInput, error) {
	org, err := refID(resource.Organisations, p.GetOrganisation(), "organisation")
	if err != nil {
		return finance.FundingSourceInput{}, err
	}
	return finance.FundingSourceInput{Kind: fundingKindFromProto[p.GetKind()], OrganisationID: org,
		DisplayName: p.GetDisplayName(), ExpectedAmount: p.GetExpectedAmount()}, nil
}

func (s *fundingServer) ListFundingSources(ctx context.Context, req *connect.Request[pactumv1.ListFundingSourcesRequest]) (*connect.Response[pactumv1.ListFundingSourcesResponse], error) {
	id, err := resource.ParseGrant(req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	list, next, canCreate, err := s.svc.ListFundingSources(ctx, id, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListFundingSourcesResponse{NextPageToken: next, CallerCanCreate: canCreate}
	for _, src := range list {
		out.FundingSources = append(out.FundingSources, fundingSourceToProto(src))
	}
	return connect.NewResponse(out), nil
}

func (s *fundingServer) CreateFundingSource(ctx context.Context, req *connect.Request[pactumv1.CreateFundingSourceRequest]) (*connect.Response[pactumv1.CreateFundingSourceResponse], error) {
	id, err := resource.ParseGrant(req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in, err := fundingSourceInput(req.Msg.GetFundingSource())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "funding_source.")
	}
	src, err := s.svc.CreateFundingSource(ctx, id, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "funding_source.")
	}
	return connect.NewResponse(&pactumv1.CreateFundingSourceResponse{FundingSource: fundingSourceToProto(src)}), nil
}

func (s *fundingServer) UpdateFundingSource(ctx context.Context, req *connect.Request[pactumv1.UpdateFundingSourceRequest]) (*connect.Response[pactumv1.UpdateFundingSourceResponse], error) {
	p := req.Msg.GetFundingSource()
	gid, id, err := finance.ParseFundingSourceName(p.GetName(), "funding_source.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), finance.FundingSourceUpdatable)
	if err != nil {
		return nil, err
	}
	in, err := fundingSourceInput(p)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "funding_source.")
	}
	src, err := s.svc.UpdateFundingSource(ctx, gid, id, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "funding_source.")
	}
	return connect.NewResponse(&pactumv1.UpdateFundingSourceResponse{FundingSource: fundingSourceToProto(src)}), nil
}

func (s *fundingServer) DeleteFundingSource(ctx context.Context, req *connect.Request[pactumv1.DeleteFundingSourceRequest]) (*connect.Response[pactumv1.DeleteFundingSourceResponse], error) {
	gid, id, err := finance.ParseFundingSourceName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.DeleteFundingSource(ctx, gid, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteFundingSourceResponse{}), nil
}

func (s *fundingServer) CreateFundingReceipt(ctx context.Context, req *connect.Request[pactumv1.CreateFundingReceiptRequest]) (*connect.Response[pactumv1.CreateFundingReceiptResponse], error) {
	gid, sid, err := finance.ParseFundingSourceName(req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetFundingReceipt()
	r, err := s.svc.CreateFundingReceipt(ctx, gid, sid, finance.FundingReceiptInput{ReceivedDate: in.GetReceivedDate(),
		Amount: in.GetAmount(), Reference: in.GetReference()}, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "funding_receipt.")
	}
	return connect.NewResponse(&pactumv1.CreateFundingReceiptResponse{FundingReceipt: fundingReceiptToProto(r)}), nil
}

func (s *fundingServer) DeleteFundingReceipt(ctx context.Context, req *connect.Request[pactumv1.DeleteFundingReceiptRequest]) (*connect.Response[pactumv1.DeleteFundingReceiptResponse], error) {
	gid, sid, id, err := finance.ParseFundingReceiptName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.DeleteFundingReceipt(ctx, gid, sid, id); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteFundingReceiptResponse{}), nil
}

func (s *fundingServer) GetFundingSummary(ctx context.Context, req *connect.Request[pactumv1.GetFundingSummaryRequest]) (*connect.Response[pactumv1.GetFundingSummaryResponse], error) {
	id, err := resource.ParseGrant(req.Msg.GetGrant(), "grant")
	if err != nil {
		return nil, err
	}
	sum, err := s.svc.GetFundingSummary(ctx, id, int(req.Msg.GetReportingPeriod()))
	if err != nil {
		return nil, err
	}
	cur, fu := sum.Currency, sum.Funding
	f := func(v int64) string { return money.Format(v, cur) }
	line := func(l finance.FundingLine) *pactumv1.FundingLine {
		out := &pactumv1.FundingLine{Kind: fundingKindToProto[l.Kind], DisplayName: l.Name,
			Organisation: refName(resource.Organisations, l.OrganisationID),
			Expected:     f(l.Expected), Period: f(l.Period), ToDate: f(l.ToDate)}
		if l.SourceID != "" {
			out.FundingSource = finance.FundingSourceName(id, l.SourceID)
		}
		return out
	}
	out := &pactumv1.GetFundingSummaryResponse{
		CurrencyCode: cur, ReportingPeriod: int32(sum.Period), ReportingPeriodCount: int32(sum.Periods), FromDate: sum.From.String(), ToDate: sum.To.String(),
		Total: line(fu.Total), CoFinancingRate: money.FormatPercent(fu.CoFinancingRateBP), MaxContribution: f(fu.MaxContribution),
		AcceptedPeriod: f(fu.AcceptedPeriod), AcceptedToDate: f(fu.AcceptedToDate), EuShareComputed: f(fu.EUShareComputed),
		EuSharePeriod: f(fu.EUSharePeriod), EuShareToDate: f(fu.EUShareToDate), EuShareCapped: fu.EUShareCapped,
		OwnFundsPeriod: f(fu.OwnFundsComputedPeriod), OwnFundsToDate: f(fu.OwnFunds),
	}
	for _, l := range fu.Lines {
		out.Lines = append(out.Lines, line(l))
	}
	for _, l := range fu.InKind {
		out.InKind = append(out.InKind, line(l))
	}
	for _, x := range sum.Findings {
		out.Findings = append(out.Findings, &pactumv1.ComplianceFinding{Code: x.Code, Severity: severityToProto[x.Severity],
			Message: x.Message, HeadingCode: x.HeadingCode, Args: x.Args})
	}
	return connect.NewResponse(out), nil
}
