package rpc

import (
	"context"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
)

// forecastServer maps ForecastService to the finance package.
type forecastServer struct {
	pactumv1connect.UnimplementedForecastServiceHandler
	svc *finance.Service
}

func forecastToProto(f *finance.Forecast) *pactumv1.Forecast {
	m := func(v int64) string { return money.Format(v, f.Currency) }
	heading := func(h finance.ForecastHeading) *pactumv1.ForecastHeading {
		return &pactumv1.ForecastHeading{Code: h.Code, Title: h.Title, Budget: m(h.Budget), SpentToDate: m(h.ToDate),
			Remaining: m(h.Remaining), Suggested: m(h.Suggested), Total: m(h.Total)}
	}
	out := &pactumv1.Forecast{
		Name: finance.ForecastName(f.GrantID, f.Period), Period: int32(f.Period), FromDate: f.From.String(), ToDate: f.To.String(),
		Months: int32(f.Months), CurrencyCode: f.Currency, BasisAsOf: f.BasisAsOf.String(), MonthsElapsed: int32(f.MonthsElapsed),
		Totals: heading(f.Totals), UpdatedBy: f.UpdatedBy, UpdateTime: optionalTime(&f.UpdateTime), Etag: resource.ETag(f.Version),
		CallerCanUpdate: f.CallerCanUpdate,
	}
	for _, l := range f.Lines {
		p := &pactumv1.ForecastLine{LineKey: l.LineKey, HeadingCode: l.HeadingCode, Code: l.Code, Description: l.Description,
			Budget: m(l.Budget), SpentToDate: m(l.ToDate), Remaining: m(l.Remaining), Suggested: m(l.Suggested), InBudget: l.InBudget}
		if l.Entered {
			p.Amount = m(l.Amount)
		}
		out.Lines = append(out.Lines, p)
	}
	for _, h := range f.Headings {
		out.Headings = append(out.Headings, heading(h))
	}
	return out
}

func (s *forecastServer) GetForecast(ctx context.Context, req *connect.Request[pactumv1.GetForecastRequest]) (*connect.Response[pactumv1.GetForecastResponse], error) {
	g, period, err := finance.ParseForecastName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	f, err := s.svc.GetForecast(ctx, g, period)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetForecastResponse{Forecast: forecastToProto(f)}), nil
}

func (s *forecastServer) UpdateForecast(ctx context.Context, req *connect.Request[pactumv1.UpdateForecastRequest]) (*connect.Response[pactumv1.UpdateForecastResponse], error) {
	p := req.Msg.GetForecast()
	g, period, err := finance.ParseForecastName(p.GetName(), "forecast.name")
	if err != nil {
		return nil, err
	}
	lines := make([]finance.ForecastLineInput, 0, len(p.GetLines()))
	for _, l := range p.GetLines() {
		lines = append(lines, finance.ForecastLineInput{LineKey: l.GetLineKey(), Amount: l.GetAmount()})
	}
	f, err := s.svc.UpdateForecast(ctx, g, period, lines, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "forecast.")
	}
	return connect.NewResponse(&pactumv1.UpdateForecastResponse{Forecast: forecastToProto(f)}), nil
}
