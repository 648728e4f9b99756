package rpc_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// The forecast of G1 (2025 to 2027, periods of 12 months) for period 2,
// over the fixture's budget (1.1 Kenya staff 12,000.00; 1.2 Nepal staff
// 10,800.00; 2.1 Lead travel 1,500.00) with 6,000.00 spent on 1.1 in 2025
// (and 120.00 in 2026, after the basis).
func TestForecastThroughTheAPI(t *testing.T) {
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		f.budget(t)
		name := f.g1 + "/forecasts/2"
		get := func(c *rpctest.Clients) (*pactumv1.Forecast, error) {
			res, err := c.Forecasts.GetForecast(ctx, connect.NewRequest(&pactumv1.GetForecastRequest{Name: name}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetForecast(), nil
		}
		fc, err := get(f.roles["coordinator"])
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]string{}
		for _, l := range fc.GetLines() {
			keys[l.GetCode()] = l.GetLineKey()
		}
		if len(keys) != 3 || keys["1.1"] == "" {
			t.Fatalf("lines %v; want 1.1, 1.2 and 2.1", fc.GetLines())
		}
		for _, x := range []struct{ date, amount string }{{"2025-03-01", "6000.00"}, {"2026-02-01", "120.00"}} {
			exp := must(e.Expenditures.CreateExpenditure(ctx, connect.NewRequest(&pactumv1.CreateExpenditureRequest{Parent: f.g1, Expenditure: &pactumv1.Expenditure{
				ExpenseDate: x.date, BudgetLineKey: keys["1.1"], Amount: x.amount, CurrencyCode: "EUR", Description: "Salary"}}))).GetExpenditure()
			must(e.Expenditures.SubmitExpenditure(ctx, connect.NewRequest(&pactumv1.SubmitExpenditureRequest{Name: exp.GetName()})))
		}

		// 1.1: 6,000.00 over the 12 months of 2025, for the 12 of 2026:
		// 6,000.00 (as much as remains).
		fc, err = get(f.roles["finance"])
		if err != nil {
			t.Fatal(err)
		}
		if fc.GetPeriod() != 2 || fc.GetFromDate() != "2026-01-01" || fc.GetToDate() != "2026-12-31" || fc.GetBasisAsOf() != "2025-12-31" ||
			fc.GetMonths() != 12 || fc.GetMonthsElapsed() != 12 || !fc.GetCallerCanUpdate() || fc.GetCurrencyCode() != "EUR" {
			t.Errorf("forecast %v", fc)
		}
		l := fc.GetLines()[0]
		if l.GetCode() != "1.1" || l.GetBudget() != "12000.00" || l.GetSpentToDate() != "6000.00" || l.GetRemaining() != "6000.00" ||
			l.GetSuggested() != "6000.00" || l.GetAmount() != "" || !l.GetInBudget() {
			t.Errorf("line 1.1: %v", l)
		}
		if fc.GetTotals().GetTotal() != "6000.00" || fc.GetTotals().GetBudget() != "24300.00" {
			t.Errorf("totals %v; want a total of 6000.00 of a budget of 24300.00", fc.GetTotals())
		}

		// The auditor reads, and may not enter; partners may do neither.
		audited, err := get(f.roles["auditor"])
		if err != nil || audited.GetCallerCanUpdate() {
			t.Errorf("auditor: %v, caller_can_update %v", err, audited.GetCallerCanUpdate())
		}
		update := func(c *rpctest.Clients, etag string, lines ...*pactumv1.ForecastLine) (*pactumv1.Forecast, error) {
			res, err := c.Forecasts.UpdateForecast(ctx, connect.NewRequest(&pactumv1.UpdateForecastRequest{
				Forecast: &pactumv1.Forecast{Name: name, Etag: etag, Lines: lines}}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetForecast(), nil
		}
		entry := &pactumv1.ForecastLine{LineKey: keys["1.2"], Amount: "500.00"}
		for _, role := range []string{"auditor", "editorA"} {
			_, err := update(f.roles[role], fc.GetEtag(), entry)
			rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		}
		_, err = get(f.roles["editorA"])
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)

		// Finance enters 1.2; the total is 1.1's suggestion and 1.2's amount.
		done, err := update(f.roles["finance"], fc.GetEtag(), entry, &pactumv1.ForecastLine{LineKey: keys["2.1"]})
		if err != nil {
			t.Fatal(err)
		}
		if done.GetTotals().GetTotal() != "6500.00" || done.GetLines()[1].GetAmount() != "500.00" || done.GetEtag() == fc.GetEtag() || done.GetUpdatedBy() == "" {
			t.Errorf("after entering: %v", done)
		}
		// The coordinator's copy is stale now.
		_, err = update(f.roles["coordinator"], fc.GetEtag(), &pactumv1.ForecastLine{LineKey: keys["1.2"], Amount: "1.00"})
		rpctest.ExpectCode(t, err, connect.CodeAborted)

		// Errors name the request's field.
		_, err = update(f.roles["coordinator"], done.GetEtag(), &pactumv1.ForecastLine{LineKey: keys["1.2"], Amount: "1.234"})
		rpctest.ExpectViolation(t, err, "forecast.lines[0].amount")
		_, err = update(f.roles["coordinator"], done.GetEtag(), &pactumv1.ForecastLine{LineKey: keys["1.2"]}, &pactumv1.ForecastLine{LineKey: "no-such-line", Amount: "1"})
		rpctest.ExpectViolation(t, err, "forecast.lines[1].line_key")
		_, err = f.roles["coordinator"].Forecasts.GetForecast(ctx, connect.NewRequest(&pactumv1.GetForecastRequest{Name: f.g1 + "/forecasts/1"}))
		rpctest.ExpectViolation(t, err, "name")
		_, err = f.roles["coordinator"].Forecasts.GetForecast(ctx, connect.NewRequest(&pactumv1.GetForecastRequest{Name: f.g1 + "/forecasts/4"}))
		rpctest.ExpectViolation(t, err, "name")
		// Nothing was written by the refused calls.
		if now, err := get(f.roles["coordinator"]); err != nil || now.GetEtag() != done.GetEtag() {
			t.Errorf("after refused calls: %v, etag %s, want %s", err, now.GetEtag(), done.GetEtag())
		}
	})
}
