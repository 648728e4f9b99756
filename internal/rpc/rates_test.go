package rpc_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// ratesInsertExpenditure stores a verified expenditure directly (the
// expenditure service is another's) and returns its id.
func ratesInsertExpenditure(t *testing.T, e *rpctest.Env, grantName, orgName, date, currency string, amount int64) string {
	t.Helper()
	expID := fmt.Sprintf("exp-%d-%s", ratesExpenditures.Add(1), currency)
	now := time.Now().UTC()
	_, err := e.DB.NewRaw(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, organisation_id, expense_date, amount,
		currency_code, status, created_by, create_time, update_time) VALUES (?, ?, 'l1', '1', ?, ?, ?, ?, 'verified', 'system', ?, ?)`,
		expID, id(grantName), id(orgName), date, amount, currency, now, now).Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return expID
}

// ratesExpenditures numbers the expenditures ratesInsertExpenditure makes
// (tests run in parallel).
var ratesExpenditures atomic.Int64

type ratesConversion struct {
	Rate      *string `bun:"rate"`
	Converted *int64  `bun:"converted_amount"`
	Problem   string  `bun:"rate_problem"`
}

func ratesConversionOf(t *testing.T, e *rpctest.Env, id string) ratesConversion {
	t.Helper()
	var c ratesConversion
	if err := e.DB.NewSelect().Table("expenditures").Column("rate", "converted_amount", "rate_problem").Where("id = ?", id).
		Scan(context.Background(), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func setRate(t *testing.T, c *rpctest.Clients, cur, month, rate string) *pactumv1.SetExchangeRateResponse {
	t.Helper()
	res, err := c.Rates.SetExchangeRate(context.Background(), connect.NewRequest(&pactumv1.SetExchangeRateRequest{
		ExchangeRate: &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: cur, Month: month, Rate: rate}}))
	if err != nil {
		t.Fatalf("set %s %s: %v", cur, month, err)
	}
	return res.Msg
}

func TestExchangeRates(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		finance := f.roles["finance"]

		// A KES expenditure of partner A in March 2025 waits for its rate.
		exp := ratesInsertExpenditure(t, e, f.g1, f.a, "2025-03-10", "KES", 1405000) // KES 14,050.00
		if _, err := e.DB.NewRaw("UPDATE expenditures SET rate_problem = 'no rate yet' WHERE id = ?", exp).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		// Recording the rate converts it: 14,050.00 / 140.5 = 100.00 EUR.
		set := setRate(t, finance, "KES", "2025-03", "140.50")
		r := set.GetExchangeRate()
		if r.GetName() != "exchangeRates/EUR-KES-2025-03" || r.GetRate() != "140.5" || !strings.HasPrefix(r.GetSource(), "manual (user") ||
			r.GetUpdateTime() == nil || set.GetReconvertedCount() != 1 {
			t.Fatalf("set: %+v", set)
		}
		if c := ratesConversionOf(t, e, exp); c.Converted == nil || *c.Converted != 10000 || *c.Rate != "140.5" || c.Problem != "" {
			t.Fatalf("conversion after the rate: %+v", c)
		}
		// Setting the same rate again changes nothing.
		if again := setRate(t, finance, "KES", "2025-03", "140.5"); again.GetReconvertedCount() != 0 || again.GetExchangeRate().GetSource() != r.GetSource() {
			t.Errorf("same rate again: %+v", again)
		}
		// Replacing it converts again: 14,050.00 / 141 = 99.6453900709 -> 99.65.
		res, err := e.Rates.SetExchangeRate(ctx, connect.NewRequest(&pactumv1.SetExchangeRateRequest{ExchangeRate: &pactumv1.ExchangeRate{
			BaseCurrency: "EUR", CurrencyCode: "KES", Month: "2025-03", Rate: "141", Source: "central bank notice"}}))
		if err != nil || res.Msg.GetReconvertedCount() != 1 || res.Msg.GetExchangeRate().GetSource() != "central bank notice" {
			t.Fatalf("replace: %v %+v", err, res)
		}
		if c := ratesConversionOf(t, e, exp); *c.Converted != 9965 {
			t.Fatalf("after replacing: %+v", c)
		}
		var events int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM audit_events WHERE resource = 'exchangeRates/EUR-KES-2025-03'").Scan(ctx, &events); err != nil || events != 2 {
			t.Errorf("%d audit events for the rate (%v), want create and update", events, err)
		}

		// Bad input names the field and what would be valid.
		for _, sc := range []struct {
			name   string
			rate   *pactumv1.ExchangeRate
			field  string
			saying string
		}{
			{"unknown currency", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "QQQ", Month: "2025-03", Rate: "1"}, "exchange_rate.currency_code", "ISO 4217"},
			{"same as base", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "EUR", Month: "2025-03", Rate: "1"}, "exchange_rate.currency_code", "must differ from base_currency"},
			{"unknown base", &pactumv1.ExchangeRate{BaseCurrency: "EUX", CurrencyCode: "KES", Month: "2025-03", Rate: "1"}, "exchange_rate.base_currency", "ISO 4217"},
			{"zero rate", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "KES", Month: "2025-03", Rate: "0"}, "exchange_rate.rate", "above 0"},
			{"negative rate", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "KES", Month: "2025-03", Rate: "-140"}, "exchange_rate.rate", "above 0"},
			{"rate not a number", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "KES", Month: "2025-03", Rate: "lots"}, "exchange_rate.rate", "not a number"},
			{"decimal comma", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "KES", Month: "2025-03", Rate: "140,5"}, "exchange_rate.rate", "decimal point"},
			{"11 decimals", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "KES", Month: "2025-03", Rate: "140.12345678901"}, "exchange_rate.rate", "at most 10"},
			{"missing rate", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "KES", Month: "2025-03"}, "exchange_rate.rate", "KES per 1 EUR"},
			{"month 13", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "KES", Month: "2025-13", Rate: "1"}, "exchange_rate.month", ""},
			{"lowercase code", &pactumv1.ExchangeRate{BaseCurrency: "EUR", CurrencyCode: "kes", Month: "2025-03", Rate: "1"}, "exchange_rate.currency_code", ""},
		} {
			_, err := finance.Rates.SetExchangeRate(ctx, connect.NewRequest(&pactumv1.SetExchangeRateRequest{ExchangeRate: sc.rate}))
			rpctest.ExpectViolation(t, err, sc.field)
			if got := rpctest.Violations(err)[sc.field]; !strings.Contains(got, sc.saying) {
				t.Errorf("%s: %s says %q, want %q", sc.name, sc.field, got, sc.saying)
			}
		}

		// Listing: newest month first, then by currency; keyset pages.
		setRate(t, finance, "NPR", "2025-02", "150")
		setRate(t, finance, "KES", "2025-02", "139")
		setRate(t, finance, "BRL", "2025-03", "6.1")
		setRate(t, finance, "KES", "2025-01", "138")
		var names []string
		token := ""
		for pages := 0; ; pages++ {
			res, err := f.roles["viewerA"].Rates.ListExchangeRates(ctx, connect.NewRequest(&pactumv1.ListExchangeRatesRequest{PageSize: 2, PageToken: token}))
			if err != nil || pages > 5 {
				t.Fatalf("list: %v", err)
			}
			for _, r := range res.Msg.GetExchangeRates() {
				names = append(names, r.GetName())
			}
			if token = res.Msg.GetNextPageToken(); token == "" {
				break
			}
		}
		wantNames := "exchangeRates/EUR-BRL-2025-03 exchangeRates/EUR-KES-2025-03 exchangeRates/EUR-KES-2025-02 " +
			"exchangeRates/EUR-NPR-2025-02 exchangeRates/EUR-KES-2025-01"
		if strings.Join(names, " ") != wantNames {
			t.Errorf("pages gave %v, want %s", names, wantNames)
		}
		list := func(req *pactumv1.ListExchangeRatesRequest) ([]string, error) {
			res, err := e.Rates.ListExchangeRates(ctx, connect.NewRequest(req))
			if err != nil {
				return nil, err
			}
			var out []string
			for _, r := range res.Msg.GetExchangeRates() {
				out = append(out, r.GetCurrencyCode()+" "+r.GetMonth())
			}
			return out, nil
		}
		for _, c := range []struct {
			req  *pactumv1.ListExchangeRatesRequest
			want string
		}{
			{&pactumv1.ListExchangeRatesRequest{CurrencyCode: "KES"}, "[KES 2025-03 KES 2025-02 KES 2025-01]"},
			{&pactumv1.ListExchangeRatesRequest{FromMonth: "2025-02", ToMonth: "2025-02"}, "[KES 2025-02 NPR 2025-02]"},
			{&pactumv1.ListExchangeRatesRequest{FromMonth: "2025-03", BaseCurrency: "EUR"}, "[BRL 2025-03 KES 2025-03]"},
			{&pactumv1.ListExchangeRatesRequest{BaseCurrency: "USD"}, "[]"},
		} {
			got, err := list(c.req)
			if err != nil || fmt.Sprint(got) != c.want {
				t.Errorf("list %v: %v %v, want %s", c.req, got, err, c.want)
			}
		}
		first, _ := e.Rates.ListExchangeRates(ctx, connect.NewRequest(&pactumv1.ListExchangeRatesRequest{PageSize: 1}))
		_, err = list(&pactumv1.ListExchangeRatesRequest{PageSize: 1, PageToken: first.Msg.GetNextPageToken(), CurrencyCode: "KES"})
		rpctest.ExpectViolation(t, err, "page_token")
		_, err = list(&pactumv1.ListExchangeRatesRequest{FromMonth: "2025-03", ToMonth: "2025-01"})
		rpctest.ExpectViolation(t, err, "to_month")
		_, err = list(&pactumv1.ListExchangeRatesRequest{PageSize: -1})
		rpctest.ExpectViolation(t, err, "page_size")

		// Deleting the March rate leaves the expenditure without one again
		// (flagged, never 1:1).
		del, err := finance.Rates.DeleteExchangeRate(ctx, connect.NewRequest(&pactumv1.DeleteExchangeRateRequest{Name: "exchangeRates/EUR-KES-2025-03"}))
		if err != nil || del.Msg.GetReconvertedCount() != 1 {
			t.Fatalf("delete: %v %+v", err, del)
		}
		if c := ratesConversionOf(t, e, exp); c.Converted != nil || c.Rate != nil || !strings.Contains(c.Problem, "no KES rate for 2025-03") {
			t.Fatalf("after deleting the rate: %+v", c)
		}
		_, err = finance.Rates.DeleteExchangeRate(ctx, connect.NewRequest(&pactumv1.DeleteExchangeRateRequest{Name: "exchangeRates/EUR-KES-2025-03"}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = finance.Rates.DeleteExchangeRate(ctx, connect.NewRequest(&pactumv1.DeleteExchangeRateRequest{Name: "exchangeRates/KES-2025-03"}))
		rpctest.ExpectViolation(t, err, "name")
	})
}

func TestImportExchangeRates(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		exp := ratesInsertExpenditure(t, e, f.g1, f.b, "2026-04-20", "NPR", 3144000) // NPR 31,440.00

		// A refused file: OK, with the problems by row and column; nothing stored.
		bad := "Country;Currency;ISO code;Rate per EUR\nEuro area;Euro;EUR;1\nKenya;Kenyan shilling;KES;140,52\n" +
			"Nepal;Nepalese rupee;NPR;0\nAtlantis;Orichalcum;ATL;3\n"
		res, err := f.roles["finance"].Rates.ImportExchangeRates(ctx, connect.NewRequest(&pactumv1.ImportExchangeRatesRequest{
			FileName: "inforeuro-2026-04.csv", Content: []byte(bad), Month: "2026-04"}))
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, p := range res.Msg.GetProblems() {
			got = append(got, fmt.Sprintf("%d %s: %s", p.GetRow(), p.GetColumn(), p.GetProblem()))
		}
		if len(got) != 2 || !strings.HasPrefix(got[0], "4 Rate per EUR: must be above 0") || !strings.HasPrefix(got[1], `5 ISO code: "ATL" is not an ISO 4217`) ||
			res.Msg.GetImportedCount() != 0 {
			t.Fatalf("problems %q, imported %d", got, res.Msg.GetImportedCount())
		}
		if l, _ := e.Rates.ListExchangeRates(ctx, connect.NewRequest(&pactumv1.ListExchangeRatesRequest{})); len(l.Msg.GetExchangeRates()) != 0 {
			t.Fatalf("a refused file stored %d rates", len(l.Msg.GetExchangeRates()))
		}

		// The corrected file imports whole and converts the waiting
		// expenditure: 31,440.00 / 157.2 = 200.00 EUR.
		good := strings.Replace(strings.Replace(bad, "NPR;0", "NPR;157,20", 1), "Atlantis;Orichalcum;ATL;3\n", "", 1)
		res, err = f.roles["coordinator"].Rates.ImportExchangeRates(ctx, connect.NewRequest(&pactumv1.ImportExchangeRatesRequest{
			FileName: "inforeuro-2026-04.csv", Content: []byte(good), Month: "2026-04"}))
		if err != nil || len(res.Msg.GetProblems()) > 0 || res.Msg.GetImportedCount() != 2 || res.Msg.GetReplacedCount() != 0 || res.Msg.GetReconvertedCount() != 1 {
			t.Fatalf("import: %v %+v", err, res)
		}
		if c := ratesConversionOf(t, e, exp); c.Converted == nil || *c.Converted != 20000 {
			t.Fatalf("conversion: %+v", c)
		}
		l, _ := e.Rates.ListExchangeRates(ctx, connect.NewRequest(&pactumv1.ListExchangeRatesRequest{CurrencyCode: "NPR"}))
		if rs := l.Msg.GetExchangeRates(); len(rs) != 1 || rs[0].GetRate() != "157.2" || rs[0].GetSource() != "InforEuro 2026-04" {
			t.Fatalf("stored %+v", rs)
		}

		// The same month again, with another source and NPR changed.
		res, err = e.Rates.ImportExchangeRates(ctx, connect.NewRequest(&pactumv1.ImportExchangeRatesRequest{
			FileName: "april.csv", Content: []byte(strings.Replace(good, "157,20", "160", 1)), Month: "2026-04", Source: "InforEuro April (corrected)"}))
		if err != nil || res.Msg.GetImportedCount() != 2 || res.Msg.GetReplacedCount() != 2 || res.Msg.GetReconvertedCount() != 1 {
			t.Fatalf("re-import: %v %+v", err, res)
		}

		// A request wrong in itself is INVALID_ARGUMENT.
		for _, c := range []struct {
			req   *pactumv1.ImportExchangeRatesRequest
			field string
		}{
			{&pactumv1.ImportExchangeRatesRequest{FileName: "rates.pdf", Content: []byte(good), Month: "2026-04"}, "file_name"},
			{&pactumv1.ImportExchangeRatesRequest{FileName: "rates.csv", Content: []byte(good)}, "month"},
			{&pactumv1.ImportExchangeRatesRequest{FileName: "rates.xlsx", Content: []byte(good), Month: "2026-04"}, "content"},
			{&pactumv1.ImportExchangeRatesRequest{FileName: "rates.csv", Content: []byte(good), Month: "2026-04", BaseCurrency: "ZZZ"}, "base_currency"},
		} {
			_, err := e.Rates.ImportExchangeRates(ctx, connect.NewRequest(c.req))
			rpctest.ExpectViolation(t, err, c.field)
		}
	})
}

func TestTransfers(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		finance := f.roles["finance"]
		// G1 converts at the rate of the transfer that funded the partner.
		if _, err := e.DB.NewRaw(`INSERT INTO grant_rules (grant_id, template_id, flexibility_bp, indirect_cap_bp, contingency_cap_bp,
			prefinancing_threshold_bp, rate_policy, version, create_time, update_time)
			VALUES (?, 'eu-prag-annex-iii', 2500, 700, 500, 7000, 'transfer', 1, ?, ?)`, id(f.g1), time.Now().UTC(), time.Now().UTC()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		expA := ratesInsertExpenditure(t, e, f.g1, f.a, "2025-03-10", "KES", 1405000) // KES 14,050.00
		expB := ratesInsertExpenditure(t, e, f.g1, f.b, "2025-03-10", "KES", 1405000) // partner B's, untouched by A's transfer

		create := func(c *rpctest.Clients, tr *pactumv1.Transfer, requestID string) (*pactumv1.CreateTransferResponse, error) {
			res, err := c.Rates.CreateTransfer(ctx, connect.NewRequest(&pactumv1.CreateTransferRequest{Parent: f.g1, Transfer: tr, RequestId: requestID}))
			if err != nil {
				return nil, err
			}
			return res.Msg, nil
		}
		valid := func() *pactumv1.Transfer {
			return &pactumv1.Transfer{Organisation: f.a, TransferDate: "2025-03-01", GrantAmount: "10000.00", CurrencyCode: "KES",
				LocalAmount: "1405000.00", Reference: "SWIFT 2025-03-01"}
		}

		// EUR 10,000.00 bought KES 1,405,000.00: 140.5; A's expenditure
		// converts at it: 14,050.00 / 140.5 = 100.00.
		const rid = "0193a0f2-5b6e-7c3d-9a1b-2c3d4e5f6a7b"
		res, err := create(finance, valid(), rid)
		if err != nil {
			t.Fatal(err)
		}
		tr := res.GetTransfer()
		if !strings.HasPrefix(tr.GetName(), f.g1+"/transfers/") || tr.GetRate() != "140.5" || tr.GetGrantAmount() != "10000.00" ||
			tr.GetLocalAmount() != "1405000.00" || tr.GetOrganisation() != f.a || tr.GetCreateTime() == nil || res.GetReconvertedCount() != 1 {
			t.Fatalf("created %+v", res)
		}
		if c := ratesConversionOf(t, e, expA); c.Converted == nil || *c.Converted != 10000 || *c.Rate != "140.5" {
			t.Fatalf("A's expenditure: %+v", c)
		}
		if c := ratesConversionOf(t, e, expB); c.Converted != nil {
			t.Fatalf("B's expenditure converted at A's transfer: %+v", c)
		}
		// A retry with the same request_id returns the same transfer.
		again, err := create(finance, valid(), rid)
		if err != nil || again.GetTransfer().GetName() != tr.GetName() || again.GetReconvertedCount() != 0 {
			t.Fatalf("retry: %v %+v", err, again)
		}
		// XOF has no minor unit; transfers to B and to the lead organisation.
		if _, err := create(&e.Clients, &pactumv1.Transfer{Organisation: f.b, TransferDate: "2025-02-01", GrantAmount: "3.00",
			CurrencyCode: "XOF", LocalAmount: "1000"}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := create(finance, &pactumv1.Transfer{Organisation: f.lead, TransferDate: "2025-04-01", GrantAmount: "1.00",
			CurrencyCode: "USD", LocalAmount: "1.08"}, ""); err != nil {
			t.Fatal(err)
		}

		for _, sc := range []struct {
			name   string
			mutate func(*pactumv1.Transfer)
			field  string
			saying string
		}{
			{"organisation outside the grant", func(tr *pactumv1.Transfer) { tr.Organisation = f.lead2 }, "transfer.organisation", "taking part in a project of"},
			{"organisation not a name", func(tr *pactumv1.Transfer) { tr.Organisation = "Umoja" }, "transfer.organisation", ""},
			{"before the grant", func(tr *pactumv1.Transfer) { tr.TransferDate = "2024-12-31" }, "transfer.transfer_date", "from 2025-01-01 to 2027-12-31"},
			{"after the grant", func(tr *pactumv1.Transfer) { tr.TransferDate = "2028-01-01" }, "transfer.transfer_date", "inside the implementation period"},
			{"impossible date", func(tr *pactumv1.Transfer) { tr.TransferDate = "2025-02-30" }, "transfer.transfer_date", ""},
			{"grant amount below the cent", func(tr *pactumv1.Transfer) { tr.GrantAmount = "10000.001" }, "transfer.grant_amount", "more decimals than EUR allows"},
			{"zero grant amount", func(tr *pactumv1.Transfer) { tr.GrantAmount = "0" }, "transfer.grant_amount", "more than zero"},
			{"negative local amount", func(tr *pactumv1.Transfer) { tr.LocalAmount = "-5" }, "transfer.local_amount", "negative"},
			{"missing local amount", func(tr *pactumv1.Transfer) { tr.LocalAmount = "" }, "transfer.local_amount", "required"},
			{"XOF with decimals", func(tr *pactumv1.Transfer) { tr.CurrencyCode, tr.LocalAmount = "XOF", "6559.57" }, "transfer.local_amount", "more decimals than XOF allows (0)"},
			{"grant currency", func(tr *pactumv1.Transfer) { tr.CurrencyCode = "EUR" }, "transfer.currency_code", "must differ from the grant currency"},
			{"unknown currency", func(tr *pactumv1.Transfer) { tr.CurrencyCode = "QQQ" }, "transfer.currency_code", "ISO 4217"},
		} {
			tr := valid()
			sc.mutate(tr)
			_, err := create(finance, tr, "")
			rpctest.ExpectViolation(t, err, sc.field)
			if got := rpctest.Violations(err)[sc.field]; !strings.Contains(got, sc.saying) {
				t.Errorf("%s: %s says %q, want %q", sc.name, sc.field, got, sc.saying)
			}
		}

		// Oldest first; partners see their own organisation's only.
		listed := func(c *rpctest.Clients) []string {
			res, err := c.Rates.ListTransfers(ctx, connect.NewRequest(&pactumv1.ListTransfersRequest{Parent: f.g1}))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, t := range res.Msg.GetTransfers() {
				out = append(out, t.GetCurrencyCode()+" "+t.GetTransferDate()+" "+t.GetRate())
			}
			return out
		}
		// EUR 3.00 bought XOF 1000: 333.33333333; EUR 1.00 bought USD 1.08.
		if got := fmt.Sprint(listed(f.roles["auditor"])); got != "[XOF 2025-02-01 333.33333333 KES 2025-03-01 140.5 USD 2025-04-01 1.08]" {
			t.Errorf("auditor sees %s", got)
		}
		if got := fmt.Sprint(listed(f.roles["viewerA"])); got != "[KES 2025-03-01 140.5]" {
			t.Errorf("partner A sees %s", got)
		}

		// Deleting the transfer leaves A's expenditure without a rate again.
		del, err := finance.Rates.DeleteTransfer(ctx, connect.NewRequest(&pactumv1.DeleteTransferRequest{Name: tr.GetName()}))
		if err != nil || del.Msg.GetReconvertedCount() != 1 {
			t.Fatalf("delete: %v %+v", err, del)
		}
		if c := ratesConversionOf(t, e, expA); c.Converted != nil || !strings.Contains(c.Problem, "no transfer to the partner in KES on or before 2025-03-10") {
			t.Fatalf("after deleting the transfer: %+v", c)
		}
		_, err = finance.Rates.DeleteTransfer(ctx, connect.NewRequest(&pactumv1.DeleteTransferRequest{Name: tr.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		// The transfer is not reachable under another grant's name.
		_, err = e.Rates.DeleteTransfer(ctx, connect.NewRequest(&pactumv1.DeleteTransferRequest{Name: f.g2 + "/transfers/" + id(tr.GetName())}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Rates.ListTransfers(ctx, connect.NewRequest(&pactumv1.ListTransfersRequest{Parent: "grants/nope"}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}
