package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/fx"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// rateServer maps ExchangeRateService to the fx package.
type rateServer struct {
	pactumv1connect.UnimplementedExchangeRateServiceHandler
	svc *fx.Service
}

func fxRateToProto(r *fx.Rate) *pactumv1.ExchangeRate {
	return &pactumv1.ExchangeRate{
		Name:         r.Name(),
		BaseCurrency: r.Base,
		CurrencyCode: r.Currency,
		Month:        r.Month,
		Rate:         r.Rate.String(),
		Source:       r.Source,
		UpdateTime:   timestamppb.New(r.UpdateTime),
	}
}

func fxTransferToProto(t *fx.Transfer) *pactumv1.Transfer {
	return &pactumv1.Transfer{
		Name:         t.Name(),
		Organisation: resource.Name(resource.Organisations, t.OrganisationID),
		TransferDate: t.Date.String(),
		GrantAmount:  money.Format(t.GrantAmount, t.GrantCurrency),
		CurrencyCode: t.Currency,
		LocalAmount:  money.Format(t.LocalAmount, t.Currency),
		Reference:    t.Reference,
		Rate:         t.Rate().String(),
		CreateTime:   timestamppb.New(t.CreateTime),
	}
}

func (s *rateServer) ListExchangeRates(ctx context.Context, req *connect.Request[pactumv1.ListExchangeRatesRequest]) (*connect.Response[pactumv1.ListExchangeRatesResponse], error) {
	m := req.Msg
	list, next, err := s.svc.ListRates(ctx, fx.RateFilter{
		Base: m.GetBaseCurrency(), Currency: m.GetCurrencyCode(), FromMonth: m.GetFromMonth(), ToMonth: m.GetToMonth(),
	}, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListExchangeRatesResponse{NextPageToken: next}
	for _, r := range list {
		out.ExchangeRates = append(out.ExchangeRates, fxRateToProto(r))
	}
	return connect.NewResponse(out), nil
}

func (s *rateServer) SetExchangeRate(ctx context.Context, req *connect.Request[pactumv1.SetExchangeRateRequest]) (*connect.Response[pactumv1.SetExchangeRateResponse], error) {
	p := req.Msg.GetExchangeRate()
	r, n, err := s.svc.SetRate(ctx, fx.RateInput{
		Base: p.GetBaseCurrency(), Currency: p.GetCurrencyCode(), Month: p.GetMonth(), Rate: p.GetRate(), Source: p.GetSource(),
	})
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "exchange_rate.")
	}
	return connect.NewResponse(&pactumv1.SetExchangeRateResponse{ExchangeRate: fxRateToProto(r), ReconvertedCount: int32(n)}), nil
}

func (s *rateServer) DeleteExchangeRate(ctx context.Context, req *connect.Request[pactumv1.DeleteExchangeRateRequest]) (*connect.Response[pactumv1.DeleteExchangeRateResponse], error) {
	base, cur, month, err := fx.ParseRateName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	n, err := s.svc.DeleteRate(ctx, base, cur, month)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteExchangeRateResponse{ReconvertedCount: int32(n)}), nil
}

// ImportExchangeRates answers OK when the file was read, also when it was
// refused: then problems lists every bad row and cell (row as the
// spreadsheet shows it, the column's header, the problem), imported_count is
// 0 and nothing was stored, so that the client can show the whole report
// (an error status carries no structured per-row detail). A request that is
// wrong in itself (month, base currency, a file that is not CSV or XLSX or
// cannot be opened) answers INVALID_ARGUMENT.
func (s *rateServer) ImportExchangeRates(ctx context.Context, req *connect.Request[pactumv1.ImportExchangeRatesRequest]) (*connect.Response[pactumv1.ImportExchangeRatesResponse], error) {
	m := req.Msg
	res, err := s.svc.ImportRates(ctx, fx.ImportInput{
		FileName: m.GetFileName(), Content: m.GetContent(), Month: m.GetMonth(), Base: m.GetBaseCurrency(), Source: m.GetSource(),
	})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ImportExchangeRatesResponse{
		ImportedCount:    int32(res.Imported),
		ReplacedCount:    int32(res.Replaced),
		ReconvertedCount: int32(res.Reconverted),
	}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, &pactumv1.ImportProblem{Row: int32(p.Row), Column: p.Column, Problem: p.Problem})
	}
	return connect.NewResponse(out), nil
}

func (s *rateServer) ListTransfers(ctx context.Context, req *connect.Request[pactumv1.ListTransfersRequest]) (*connect.Response[pactumv1.ListTransfersResponse], error) {
	g, err := resource.ParseName(resource.Grants, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.ListTransfers(ctx, g, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListTransfersResponse{NextPageToken: next}
	for _, t := range list {
		out.Transfers = append(out.Transfers, fxTransferToProto(t))
	}
	return connect.NewResponse(out), nil
}

func (s *rateServer) CreateTransfer(ctx context.Context, req *connect.Request[pactumv1.CreateTransferRequest]) (*connect.Response[pactumv1.CreateTransferResponse], error) {
	g, err := resource.ParseName(resource.Grants, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	p := req.Msg.GetTransfer()
	org, err := refID(resource.Organisations, p.GetOrganisation(), "transfer.organisation")
	if err != nil {
		return nil, err
	}
	t, n, err := s.svc.CreateTransfer(ctx, g, fx.TransferInput{
		OrganisationID: org, Date: p.GetTransferDate(), GrantAmount: p.GetGrantAmount(), Currency: p.GetCurrencyCode(),
		LocalAmount: p.GetLocalAmount(), Reference: p.GetReference(),
	}, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "transfer.")
	}
	return connect.NewResponse(&pactumv1.CreateTransferResponse{Transfer: fxTransferToProto(t), ReconvertedCount: int32(n)}), nil
}

func (s *rateServer) DeleteTransfer(ctx context.Context, req *connect.Request[pactumv1.DeleteTransferRequest]) (*connect.Response[pactumv1.DeleteTransferResponse], error) {
	g, t, err := fx.ParseTransferName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	n, err := s.svc.DeleteTransfer(ctx, g, t)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteTransferResponse{ReconvertedCount: int32(n)}), nil
}
