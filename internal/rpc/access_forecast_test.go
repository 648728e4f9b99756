package rpc_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, forecastMatrixCases) }

// forecastMatrixCases: a grant's forecast for the next period is read by
// those who read its money as a whole (coordinators, finance staff,
// auditors); its partners may read the grant but not this (denied); others
// do not know the grant. Coordinators and finance staff enter it.
func forecastMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	readers := every(ok, "editorA,viewerA", pd, "coordinator2", nf)
	g2Readers := every(nf, "admin,coordinator2", ok)
	managers := every(ok, "auditor,editorA,viewerA", pd, "coordinator2", nf)
	get := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Forecasts.GetForecast(ctx, connect.NewRequest(&pactumv1.GetForecastRequest{Name: grant(f) + "/forecasts/2"})))
		}
	}
	update := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			name := grant(f) + "/forecasts/2"
			return noNames(c.Forecasts.UpdateForecast(ctx, connect.NewRequest(&pactumv1.UpdateForecastRequest{
				Forecast: &pactumv1.Forecast{Name: name, Etag: f.e.ETag(name)}})))
		}
	}
	g1 := func(f *fixture) string { return f.g1 }
	g2 := func(f *fixture) string { return f.g2 }
	return map[string][]matrixCase{
		v1.ForecastServiceGetForecastProcedure: {
			{what: "G1 period 2", want: readers, call: get(g1)},
			{what: "G2 period 2", want: g2Readers, call: get(g2)},
		},
		v1.ForecastServiceUpdateForecastProcedure: {
			{what: "G1 period 2", want: managers, call: update(g1)},
			{what: "G2 period 2", want: g2Readers, call: update(g2)},
		},
	}
}
