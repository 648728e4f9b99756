package rpc_test

import (
	"context"
	"fmt"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, rateMatrixCases) }

// ratesMonth returns a month no other case has used.
func ratesMonth(f *fixture) string {
	n := f.next()
	return fmt.Sprintf("%d-%02d", 2040+n/12, n%12+1)
}

// ratesTransfer records, as admin, a transfer in grant g to organisation org.
func ratesTransfer(f *fixture, g, org string) string {
	return must(f.e.Rates.CreateTransfer(context.Background(), connect.NewRequest(&pactumv1.CreateTransferRequest{Parent: g,
		Transfer: &pactumv1.Transfer{Organisation: org, TransferDate: "2025-06-01", GrantAmount: fmt.Sprintf("%d.00", 1000+f.next()),
			CurrencyCode: "KES", LocalAmount: "140500.00"}}))).GetTransfer().GetName()
}

// ratesFixture returns transfers to partners A and B in G1 and one in G2,
// made once per fixture, and a rate every role lists.
func ratesFixture(f *fixture) map[string]string {
	if f.rates != nil {
		return f.rates
	}
	m := map[string]string{
		"toA": ratesTransfer(f, f.g1, f.a),
		"toB": ratesTransfer(f, f.g1, f.b),
		"g2":  ratesTransfer(f, f.g2, f.lead2),
		"rate": must(f.e.Rates.SetExchangeRate(context.Background(), connect.NewRequest(&pactumv1.SetExchangeRateRequest{
			ExchangeRate: &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "NPR", Month: "2025-05", Rate: "157"}}))).GetExchangeRate().GetName(),
	}
	f.rates = m
	return m
}

func transferNames(res *connect.Response[pactumv1.ListTransfersResponse], err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range res.Msg.GetTransfers() {
		out = append(out, t.GetName())
	}
	return out, nil
}

func rateMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	// Exchange rates are reference data: every signed-in user reads them;
	// admins, coordinators and finance staff (of any organisation) record them.
	rateKeepers := "admin,coordinator,finance,coordinator2"
	// A grant's transfers: its coordinators and finance staff change them.
	g1Money := "admin,coordinator,finance"
	return map[string][]matrixCase{
		v1.ExchangeRateServiceListExchangeRatesProcedure: {{what: "all rates", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				ratesFixture(f)
				res, err := c.Rates.ListExchangeRates(ctx, connect.NewRequest(&pactumv1.ListExchangeRatesRequest{PageSize: 1000}))
				if err != nil {
					return nil, err
				}
				var out []string
				for _, r := range res.Msg.GetExchangeRates() {
					out = append(out, r.GetName())
				}
				return out, nil
			},
			sees: func(f *fixture) map[string][]string {
				return byRole(ratesFixture(f)["rate"], "admin,coordinator,finance,auditor,editorA,viewerA,coordinator2")
			}}},
		v1.ExchangeRateServiceSetExchangeRateProcedure: {{what: "a KES rate", want: every(pd, rateKeepers, ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Rates.SetExchangeRate(ctx, connect.NewRequest(&pactumv1.SetExchangeRateRequest{ExchangeRate: &pactumv1.ExchangeRate{
					BaseCurrency: "EUR", CurrencyCode: "KES", Month: ratesMonth(f), Rate: "140.5"}})))
			}}},
		v1.ExchangeRateServiceDeleteExchangeRateProcedure: {{what: "a new rate", want: every(pd, rateKeepers, ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				r := must(f.e.Rates.SetExchangeRate(ctx, connect.NewRequest(&pactumv1.SetExchangeRateRequest{ExchangeRate: &pactumv1.ExchangeRate{
					BaseCurrency: "EUR", CurrencyCode: "BRL", Month: ratesMonth(f), Rate: "6.1"}}))).GetExchangeRate()
				return noNames(c.Rates.DeleteExchangeRate(ctx, connect.NewRequest(&pactumv1.DeleteExchangeRateRequest{Name: r.GetName()})))
			}}},
		v1.ExchangeRateServiceImportExchangeRatesProcedure: {{what: "a month's file", want: every(pd, rateKeepers, ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Rates.ImportExchangeRates(ctx, connect.NewRequest(&pactumv1.ImportExchangeRatesRequest{FileName: "inforeuro.csv",
					Content: []byte("Country;Currency;ISO code;Rate\nKenya;Kenyan shilling;KES;140,52\n"), Month: ratesMonth(f)}))
				if err == nil && (res.Msg.GetImportedCount() != 1 || len(res.Msg.GetProblems()) > 0) {
					t.Errorf("import: %+v", res.Msg)
				}
				return nil, err
			}}},
		v1.ExchangeRateServiceListTransfersProcedure: {
			{what: "G1's", want: every(ok, "coordinator2", nf),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					ratesFixture(f)
					return transferNames(c.Rates.ListTransfers(ctx, connect.NewRequest(&pactumv1.ListTransfersRequest{Parent: f.g1})))
				},
				sees: func(f *fixture) map[string][]string {
					m := ratesFixture(f)
					return merge(byRole(m["toA"], "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(m["toB"], "admin,coordinator,finance,auditor"))
				},
				notSees: func(f *fixture) map[string][]string {
					m := ratesFixture(f)
					return merge(byRole(m["toB"], "editorA,viewerA"), byRole(m["g2"], "admin,coordinator,finance,auditor,editorA,viewerA"))
				}},
			{what: "G2's", want: every(nf, "admin,coordinator2", ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					ratesFixture(f)
					return transferNames(c.Rates.ListTransfers(ctx, connect.NewRequest(&pactumv1.ListTransfersRequest{Parent: f.g2})))
				},
				sees: func(f *fixture) map[string][]string { return byRole(ratesFixture(f)["g2"], "admin,coordinator2") }},
		},
		v1.ExchangeRateServiceCreateTransferProcedure: {{what: "in G1 to A", want: every(pd, g1Money, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Rates.CreateTransfer(ctx, connect.NewRequest(&pactumv1.CreateTransferRequest{Parent: f.g1,
					Transfer: &pactumv1.Transfer{Organisation: f.a, TransferDate: "2025-07-01", GrantAmount: "500.00", CurrencyCode: "KES",
						LocalAmount: fmt.Sprintf("%d.00", 70000+f.next())}})))
			}}},
		v1.ExchangeRateServiceDeleteTransferProcedure: {
			{what: "a new transfer in G1 to A", want: every(pd, g1Money, ok, "coordinator2", nf),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					tr := ratesTransfer(f, f.g1, f.a)
					return noNames(c.Rates.DeleteTransfer(ctx, connect.NewRequest(&pactumv1.DeleteTransferRequest{Name: tr})))
				}},
			{what: "a new transfer in G1 to B", want: every(pd, g1Money, ok, "editorA,viewerA,coordinator2", nf),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					tr := ratesTransfer(f, f.g1, f.b)
					return noNames(c.Rates.DeleteTransfer(ctx, connect.NewRequest(&pactumv1.DeleteTransferRequest{Name: tr})))
				}},
		},
	}
}
