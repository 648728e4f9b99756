package rpc_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// Budgets and expenditures are other services' business; these helpers
// write their rows directly, as those services would.

// finVersion inserts a budget version of grant (a name) and returns its id.
func finVersion(t *testing.T, e *rpctest.Env, grant string, number int, kind, state string) string {
	t.Helper()
	v := resource.NewID()
	finExec(t, e, `INSERT INTO budget_versions (id, grant_id, number, kind, label, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, '', ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, v, id(grant), number, kind, state)
	return v
}

// finLine inserts a budget line: key, heading, code, description, total in
// cents, project and organisation names ("" for none).
func finLine(t *testing.T, e *rpctest.Env, grant, version, key, heading, code, desc string, total int64, project, org string) {
	t.Helper()
	finExec(t, e, `INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units,
		unit_cost, total, project_id, organisation_id, position, version, create_time, update_time)
		VALUES (?, ?, ?, ?, ?, ?, ?, '', '1', ?, ?, ?, ?, 1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		resource.NewID(), version, id(grant), key, heading, code, desc, total, total, finRef(project), finRef(org))
}

// finHeadings inserts a version with one line per heading of totals (cents).
func finHeadings(t *testing.T, e *rpctest.Env, grant string, number int, kind string, totals map[string]int64) {
	t.Helper()
	v := finVersion(t, e, grant, number, kind, "adopted")
	for h, total := range totals {
		finLine(t, e, grant, v, "L"+h, h, h+".1", "Line "+h, total, "", "")
	}
}

// finExp inserts an expenditure: line, heading, project and organisation
// names, date, status and converted amount in cents (negative: no rate).
func finExp(t *testing.T, e *rpctest.Env, grant, line, heading, project, org, date, status string, converted int64) {
	t.Helper()
	var conv, rate any
	if converted >= 0 {
		conv, rate = converted, "1"
	}
	finExec(t, e, `INSERT INTO expenditures (id, grant_id, line_key, heading_code, project_id, organisation_id, expense_date,
		amount, currency_code, status, rate, converted_amount, created_by, version, create_time, update_time)
		VALUES (?, ?, ?, ?, ?, ?, ?, 100, 'EUR', ?, ?, ?, 'test', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		resource.NewID(), id(grant), line, heading, finRef(project), id(org), date, status, rate, conv)
}

func finRef(name string) any {
	if name == "" {
		return nil
	}
	return id(name)
}

func finExec(t *testing.T, e *rpctest.Env, query string, args ...any) {
	t.Helper()
	if _, err := e.DB.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

func finRowText(r *pactumv1.BudgetVsActualRow) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s|%d|%t", r.GetKey(), r.GetLabel(), r.GetBudget(), r.GetSpent(), r.GetRemaining(),
		r.GetPercentSpent(), r.GetMonthlyBurn(), r.GetProjectedAtEnd(), r.GetExpenditureCount(), r.GetComputed())
}

func TestFinanceBudgetVsActual(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		// G1 (EUR, 2025-01-01 to 2027-12-31) as of 2025-04-30: 4 months
		// elapsed, 32 left. Budget (version 0): 1.1 50,000.00 (KE-01, A), 2.1
		// 10,000.00 (NP-01, B), 10.1 4,200.00 (the lead).
		v := finVersion(t, e, f.g1, 0, "original", "adopted")
		finLine(t, e, f.g1, v, "L11", "1", "1.1", "Salaries", 50000_00, f.pa, f.a)
		finLine(t, e, f.g1, v, "L21", "2", "2.1", "International travel", 10000_00, f.pb, f.b)
		finLine(t, e, f.g1, v, "L101", "10", "10.1", "Indirect costs", 4200_00, "", f.lead)
		finExp(t, e, f.g1, "L11", "1", f.pa, f.a, "2025-02-10", "verified", 1234_56)
		finExp(t, e, f.g1, "L21", "2", f.pb, f.b, "2025-03-15", "submitted", 765_44)
		finExp(t, e, f.g1, "L21", "2", f.pb, f.b, "2025-03-20", "submitted", -1) // no rate
		finExp(t, e, f.g1, "L101", "10", "", f.lead, "2025-04-01", "verified", 140_00)
		e.Services.Finance.SetClock(func() time.Time { return time.Date(2025, 4, 30, 22, 0, 0, 0, time.UTC) })

		get := func(by pactumv1.BudgetGrouping) *pactumv1.GetBudgetVsActualResponse {
			t.Helper()
			res, err := e.Finance.GetBudgetVsActual(ctx, connect.NewRequest(&pactumv1.GetBudgetVsActualRequest{Grant: f.g1, GroupBy: by}))
			if err != nil {
				t.Fatal(err)
			}
			return res.Msg
		}
		// By partner, in the order of their names. A: 1,234.56 of 50,000.00
		// = 2.469...% -> 2.47; burn 1,234.56 / 4 = 308.64; projected 1,234.56
		// + 32 x 308.64 = 11,111.04. B: 765.44 of 10,000.00 = 7.65%; burn
		// 191.36; projected 765.44 + 6,123.52 = 6,888.96. The lead: 140.00 of
		// 4,200.00 = 3.33%; burn 35.00; projected 140.00 + 1,120.00 =
		// 1,260.00. Total 2,140.00 of 64,200.00 = 3.33%; burn 535.00;
		// projected 2,140.00 + 17,120.00 = 19,260.00.
		m := get(pactumv1.BudgetGrouping_BUDGET_GROUPING_PARTNER)
		var rows []string
		for _, r := range m.GetRows() {
			rows = append(rows, finRowText(r))
		}
		want := []string{
			f.lead + "|Global Alliance for Decent Work|4200.00|140.00|4060.00|3.33|35.00|1260.00|1|false",
			f.b + "|Himalaya Migrant Workers Forum|10000.00|765.44|9234.56|7.65|191.36|6888.96|1|false",
			f.a + "|Umoja Domestic Workers Union|50000.00|1234.56|48765.44|2.47|308.64|11111.04|1|false",
		}
		if strings.Join(rows, "\n") != strings.Join(want, "\n") {
			t.Errorf("by partner:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}
		if got := finRowText(m.GetTotal()); got != "|Total|64200.00|2140.00|62060.00|3.33|535.00|19260.00|3|true" {
			t.Errorf("total: %s", got)
		}
		if m.GetCurrencyCode() != "EUR" || m.GetBudgetVersion() != f.g1+"/budgetVersions/"+v || m.GetRateMissingCount() != 1 ||
			m.GetMonthsElapsed() != 4 || m.GetMonthsLeft() != 32 || m.GetAsOf() != "2025-04-30" {
			t.Errorf("currency %s version %s rate missing %d elapsed %d left %d as of %s", m.GetCurrencyCode(), m.GetBudgetVersion(),
				m.GetRateMissingCount(), m.GetMonthsElapsed(), m.GetMonthsLeft(), m.GetAsOf())
		}
		var months []string
		for _, mo := range m.GetMonths() {
			months = append(months, mo.GetMonth()+" "+mo.GetSpent()+" "+mo.GetCumulative())
		}
		if got := strings.Join(months, ", "); got != "2025-01 0.00 0.00, 2025-02 1234.56 1234.56, 2025-03 765.44 2000.00, 2025-04 140.00 2140.00" {
			t.Errorf("months: %s", got)
		}

		// By project: the indirect costs belong to none.
		rows = nil
		for _, r := range get(pactumv1.BudgetGrouping_BUDGET_GROUPING_PROJECT).GetRows() {
			rows = append(rows, r.GetKey()+"|"+r.GetLabel()+"|"+r.GetSpent())
		}
		if got, want := strings.Join(rows, ", "), f.pa+"|KE-01 Project KE-01|1234.56, "+f.pb+"|NP-01 Project NP-01|765.44, |No project|140.00"; got != want {
			t.Errorf("by project: %s\nwant        %s", got, want)
		}
		// By heading (the default): template order, computed rows flagged.
		rows = nil
		for _, r := range get(pactumv1.BudgetGrouping_BUDGET_GROUPING_UNSPECIFIED).GetRows() {
			if r.GetBudget() != "0.00" || r.GetComputed() {
				rows = append(rows, fmt.Sprintf("%s %s %s %s %t", r.GetHeadingCode(), r.GetLabel(), r.GetBudget(), r.GetSpent(), r.GetComputed()))
			}
		}
		want = []string{"1 1 Human resources 50000.00 1234.56 false", "2 2 Travel 10000.00 765.44 false",
			"7 7 Subtotal direct eligible costs of the Action (1-6) 60000.00 2000.00 true",
			"9 9 Total direct eligible costs of the Action (7+8) 60000.00 2000.00 true",
			"10 10 Indirect costs (maximum 7% of 9) 4200.00 140.00 false", "11 11 Total eligible costs (9+10) 64200.00 2140.00 true"}
		if strings.Join(rows, "\n") != strings.Join(want, "\n") {
			t.Errorf("by heading:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}
		// By line, verified only: B's submitted travel no longer counts.
		res, err := e.Finance.GetBudgetVsActual(ctx, connect.NewRequest(&pactumv1.GetBudgetVsActualRequest{Grant: f.g1,
			GroupBy: pactumv1.BudgetGrouping_BUDGET_GROUPING_LINE, VerifiedOnly: true, AsOf: "2025-03-31"}))
		if err != nil {
			t.Fatal(err)
		}
		rows = nil
		for _, r := range res.Msg.GetRows() {
			rows = append(rows, r.GetKey()+" "+r.GetLabel()+" "+r.GetHeadingCode()+" "+r.GetSpent())
		}
		if got := strings.Join(rows, ", "); got != "L11 1.1 Salaries 1 1234.56, L21 2.1 International travel 2 0.00, L101 10.1 Indirect costs 10 0.00" ||
			res.Msg.GetRateMissingCount() != 0 || res.Msg.GetMonthsElapsed() != 3 {
			t.Errorf("by line, verified only, to March: %s (rate missing %d, elapsed %d)", got, res.Msg.GetRateMissingCount(), res.Msg.GetMonthsElapsed())
		}

		// Bad requests name the field.
		for _, tc := range []struct {
			req   *pactumv1.GetBudgetVsActualRequest
			field string
		}{
			{&pactumv1.GetBudgetVsActualRequest{Grant: f.g1, AsOf: "2025-02-30"}, "as_of"},
			{&pactumv1.GetBudgetVsActualRequest{Grant: f.g1, AsOf: "30/04/2025"}, "as_of"},
			{&pactumv1.GetBudgetVsActualRequest{Grant: f.g1, GroupBy: 42}, "group_by"},
			{&pactumv1.GetBudgetVsActualRequest{Grant: "grant/1"}, "grant"},
		} {
			_, err := e.Finance.GetBudgetVsActual(ctx, connect.NewRequest(tc.req))
			rpctest.ExpectViolation(t, err, tc.field)
		}
		_, err = e.Finance.GetBudgetVsActual(ctx, connect.NewRequest(&pactumv1.GetBudgetVsActualRequest{Grant: "grants/nope"}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

// finding returns the findings of code as "heading|severity|arg=value ..."
// with the named args.
func finFindings(res *pactumv1.CheckComplianceResponse, code string, args ...string) []string {
	var out []string
	for _, f := range res.GetFindings() {
		if f.GetCode() != code {
			continue
		}
		s := f.GetHeadingCode() + "|" + f.GetSeverity().String()
		for _, a := range args {
			s += " " + a + "=" + f.GetArgs()[a]
		}
		out = append(out, s)
	}
	return out
}

// The "must show": the compliance check flags heading 2 raised by
// 26% and not by 24%, flags indirect costs at 7.01%, and says when the next
// pre-financing instalment may be requested.
func TestFinanceComplianceMustShow(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		check := func(grant, asOf string) *pactumv1.CheckComplianceResponse {
			t.Helper()
			res, err := e.Finance.CheckCompliance(ctx, connect.NewRequest(&pactumv1.CheckComplianceRequest{Grant: grant, AsOf: asOf}))
			if err != nil {
				t.Fatal(err)
			}
			return res.Msg
		}

		// The original: 1 100,000.00, 2 10,000.00, contingency 5,000.00
		// (4.55% of 110,000.00), indirect 8,000.00 (6.96% of 115,000.00).
		// A transfer then moves money from heading 1 to heading 2.
		original := map[string]int64{"1": 100000_00, "2": 10000_00, "8": 5000_00, "10": 8000_00}
		for _, tc := range []struct {
			h1, h2 int64
			want   string
		}{
			// (12,600.00 - 10,000.00) / 10,000.00 = 26% > 25%.
			{97400_00, 12600_00, "2|FINDING_SEVERITY_VIOLATION change_percent=26.00 threshold_percent=25.00 baseline=10000.00 budget=12600.00"},
			// 24%: allowed.
			{97600_00, 12400_00, ""},
		} {
			g := f.grant(t, f.fa, fmt.Sprintf("FLEX/%d", f.next()), true)
			finHeadings(t, e, g, 0, "original", original)
			finHeadings(t, e, g, 1, "transfer", map[string]int64{"1": tc.h1, "2": tc.h2, "8": 5000_00, "10": 8000_00})
			res := check(g, "2025-06-30")
			got := finFindings(res, "FLEXIBILITY_EXCEEDED", "change_percent", "threshold_percent", "baseline", "budget")
			if strings.Join(got, "|") != tc.want {
				t.Errorf("heading 2 at %d: %v, want %q", tc.h2, got, tc.want)
			}
			if tc.want != "" && !strings.Contains(res.GetFindings()[0].GetMessage(), "moved by 26.00%") {
				t.Errorf("message: %s", res.GetFindings()[0].GetMessage())
			}
		}

		// Indirect costs against total direct costs of 1,050,000.00 (heading
		// 1 1,000,000.00 + contingency 50,000.00): 73,605.00 is 7.01% (above
		// the 7% cap), 73,500.00 is 7.00% (at it).
		for _, tc := range []struct {
			indirect int64
			want     string
		}{
			{73605_00, "10|FINDING_SEVERITY_VIOLATION basis=budget percent=7.01 cap_percent=7.00 amount=73605.00 base=1050000.00"},
			{73500_00, ""},
		} {
			g := f.grant(t, f.fa, fmt.Sprintf("CAP/%d", f.next()), true)
			finHeadings(t, e, g, 0, "original", map[string]int64{"1": 1000000_00, "8": 50000_00, "10": tc.indirect})
			got := finFindings(check(g, "2025-06-30"), "INDIRECT_CAP_EXCEEDED", "basis", "percent", "cap_percent", "amount", "base")
			if strings.Join(got, "|") != tc.want {
				t.Errorf("indirect %d: %v, want %q", tc.indirect, got, tc.want)
			}
		}

		// Pre-financing: instalments of 300,000.00 and 200,000.00 received;
		// the third may be requested once the EU part of spending (x 90%)
		// reaches 70% x 200,000.00 + 300,000.00 = 440,000.00.
		g := f.grant(t, f.fa, "PF/1", true)
		for _, p := range []struct{ date, amount string }{{"2025-01-20", "300000.00"}, {"2025-12-15", "200000.00"}} {
			_, err := e.Finance.CreatePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.CreatePrefinancingPaymentRequest{Parent: g,
				PrefinancingPayment: &pactumv1.PrefinancingPayment{ReceivedDate: p.date, Amount: p.amount}}))
			if err != nil {
				t.Fatal(err)
			}
		}
		finExp(t, e, g, "L1", "1", "", f.a, "2026-03-01", "verified", 396000_00)
		// Spent 396,000.00: EU part 356,400.00, 83,600.00 short. As of
		// 2026-06-30, 18 months elapsed: burn 396,000.00 / 18 = 22,000.00 a
		// month, its EU part 19,800.00; 83,600.00 / 19,800.00 = 4.2222
		// months of 30.4375 days (365.25 / 12) = 128.51 days, rounded up to
		// 129: 2026-06-30 + 129 days = 2026-11-06.
		res := check(g, "2026-06-30")
		pf := res.GetPrefinancing()
		if got := fmt.Sprintf("%t %d %s %s %s %s %s", pf.GetMayRequest(), pf.GetNextInstalment(), pf.GetSpent(), pf.GetEuPart(), pf.GetRequired(),
			pf.GetShortfall(), pf.GetEstimatedDate()); got != "false 3 396000.00 356400.00 440000.00 83600.00 2026-11-06" {
			t.Errorf("short of the threshold: %s", got)
		}
		if got := finFindings(res, "PREFINANCING_NOT_YET", "next_instalment", "eu_part", "shortfall", "monthly_burn", "estimated_date"); strings.Join(got, "|") !=
			"|FINDING_SEVERITY_INFO next_instalment=3 eu_part=356400.00 shortfall=83600.00 monthly_burn=22000.00 estimated_date=2026-11-06" {
			t.Errorf("short of the threshold: %v", got)
		}
		// 92,888.89 more, submitted: 488,888.89 spent, EU part 440,000.001
		// -> 440,000.00, the threshold.
		finExp(t, e, g, "L1", "1", "", f.a, "2026-06-30", "submitted", 92888_89)
		res = check(g, "2026-06-30")
		pf = res.GetPrefinancing()
		if got := fmt.Sprintf("%t %d %s %s %s %q", pf.GetMayRequest(), pf.GetNextInstalment(), pf.GetSpent(), pf.GetEuPart(), pf.GetRequired(),
			pf.GetEstimatedDate()); got != `true 3 488888.89 440000.00 440000.00 ""` {
			t.Errorf("at the threshold: %s", got)
		}
		if got := finFindings(res, "PREFINANCING_ALLOWED", "next_instalment", "spent", "eu_part", "required"); strings.Join(got, "|") !=
			"|FINDING_SEVERITY_INFO next_instalment=3 spent=488888.89 eu_part=440000.00 required=440000.00" {
			t.Errorf("at the threshold: %v", got)
		}
		if res.GetAsOf() != "2026-06-30" {
			t.Errorf("as of %s", res.GetAsOf())
		}
		_, err := e.Finance.CheckCompliance(ctx, connect.NewRequest(&pactumv1.CheckComplianceRequest{Grant: g, AsOf: "2026-02-29"}))
		rpctest.ExpectViolation(t, err, "as_of")
	})
}

func TestFinancePrefinancingPayments(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		g := f.g1
		create := func(c *rpctest.Clients, date, amount, requestID string) (*pactumv1.PrefinancingPayment, error) {
			res, err := c.Finance.CreatePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.CreatePrefinancingPaymentRequest{Parent: g,
				PrefinancingPayment: &pactumv1.PrefinancingPayment{ReceivedDate: date, Amount: amount}, RequestId: requestID}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetPrefinancingPayment(), nil
		}
		list := func() string {
			res, err := e.Finance.ListPrefinancingPayments(ctx, connect.NewRequest(&pactumv1.ListPrefinancingPaymentsRequest{Parent: g}))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range res.Msg.GetPrefinancingPayments() {
				out = append(out, fmt.Sprintf("%d %s %s", p.GetNumber(), p.GetReceivedDate(), p.GetAmount()))
			}
			return strings.Join(out, ", ")
		}
		finance := f.roles["finance"]
		p1, err := create(finance, "2025-01-20", "300000", "")
		if err != nil {
			t.Fatal(err)
		}
		if p1.GetNumber() != 1 || p1.GetAmount() != "300000.00" || p1.GetReceivedDate() != "2025-01-20" ||
			!strings.HasPrefix(p1.GetName(), g+"/prefinancingPayments/") || p1.GetCreateTime() == nil {
			t.Errorf("first instalment: %v", p1)
		}
		// A retry with the same request_id gives the same instalment.
		const rid = "6f1c1a57-3f0e-4d3a-9a53-2b1f3c6d7e8f"
		p2, err := create(finance, "2025-12-15", "200000.50", rid)
		if err != nil {
			t.Fatal(err)
		}
		again, err := create(finance, "2025-12-15", "200000.50", rid)
		if err != nil || again.GetName() != p2.GetName() || again.GetNumber() != 2 {
			t.Fatalf("retry: %v %v, want %s", again, err, p2.GetName())
		}
		if got := list(); got != "1 2025-01-20 300000.00, 2 2025-12-15 200000.50" {
			t.Errorf("list: %s", got)
		}

		for _, tc := range []struct {
			date, amount, field, says string
		}{
			{"2025-12-20", "0", "prefinancing_payment.amount", "more than 0 EUR"},
			{"2025-12-20", "-5", "prefinancing_payment.amount", "negative"},
			{"2025-12-20", "10.001", "prefinancing_payment.amount", "more decimals than EUR allows"},
			{"2025-12-20", "", "prefinancing_payment.amount", "required"},
			{"2025-12-20", "a lot", "prefinancing_payment.amount", "not a decimal amount"},
			{"2025-12-14", "10", "prefinancing_payment.received_date", "on or after 2025-12-15"},
			{"2025-02-30", "10", "prefinancing_payment.received_date", "YYYY-MM-DD"},
			{"", "10", "prefinancing_payment.received_date", ""},
		} {
			_, err := create(&e.Clients, tc.date, tc.amount, "")
			rpctest.ExpectViolation(t, err, tc.field)
			if got := rpctest.Violations(err)[tc.field]; !strings.Contains(got, tc.says) {
				t.Errorf("%s %q: %q does not say %q", tc.field, tc.date+" "+tc.amount, got, tc.says)
			}
		}
		if got := list(); got != "1 2025-01-20 300000.00, 2 2025-12-15 200000.50" {
			t.Errorf("after bad requests: %s", got)
		}

		// Only the last can be deleted.
		_, err = e.Finance.DeletePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.DeletePrefinancingPaymentRequest{Name: p1.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if rpctest.Reason(err) != "PREFINANCING_NOT_LAST" {
			t.Errorf("reason %q", rpctest.Reason(err))
		}
		if _, err := finance.Finance.DeletePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.DeletePrefinancingPaymentRequest{Name: p2.GetName()})); err != nil {
			t.Fatal(err)
		}
		_, err = e.Finance.DeletePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.DeletePrefinancingPaymentRequest{Name: p2.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Finance.DeletePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.DeletePrefinancingPaymentRequest{Name: g + "/payments/x"}))
		rpctest.ExpectViolation(t, err, "name")
		// The next is number 2 again.
		p3, err := create(&e.Clients, "2026-01-10", "150000.00", "")
		if err != nil || p3.GetNumber() != 2 {
			t.Fatalf("after the deletion: %v %v", p3, err)
		}

		// Every change is in the audit trail, with the grant.
		var events []struct {
			Action   string `bun:"action"`
			Resource string `bun:"resource"`
		}
		if err := e.DB.NewRaw("SELECT action, resource FROM audit_events WHERE grant_id = ? AND resource LIKE ? ORDER BY seq",
			id(g), g+"/prefinancingPayments/%").Scan(ctx, &events); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ev := range events {
			got = append(got, ev.Action+" "+ev.Resource)
		}
		want := []string{"create " + p1.GetName(), "create " + p2.GetName(), "delete " + p2.GetName(), "create " + p3.GetName()}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// A grant in XOF (no decimals) takes whole francs only.
		xof := must(e.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
			FrameworkAgreement: f.fa, DonorReference: "XOF/1", Title: "Grant in CFA francs", CurrencyCode: "XOF",
			StartDate: "2025-01-01", EndDate: "2026-12-31", TotalEligibleCosts: "100000000", MaxDonorContribution: "90000000",
			CoFinancingRate: "90", ReportingPeriodMonths: 12}}))).GetGrant().GetName()
		_, err = e.Finance.CreatePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.CreatePrefinancingPaymentRequest{Parent: xof,
			PrefinancingPayment: &pactumv1.PrefinancingPayment{ReceivedDate: "2025-01-05", Amount: "1500.5"}}))
		rpctest.ExpectViolation(t, err, "prefinancing_payment.amount")
		res, err := e.Finance.CreatePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.CreatePrefinancingPaymentRequest{Parent: xof,
			PrefinancingPayment: &pactumv1.PrefinancingPayment{ReceivedDate: "2025-01-05", Amount: "30000000"}}))
		if err != nil || res.Msg.GetPrefinancingPayment().GetAmount() != "30000000" {
			t.Errorf("XOF instalment: %v %v", res, err)
		}

		// A closed grant's pre-financing no longer changes.
		closed := f.grant(t, f.fa, "CLOSED/1", true)
		p := finNewPayment(f, closed)
		must(e.Grants.CloseGrant(ctx, connect.NewRequest(&pactumv1.CloseGrantRequest{Name: closed})))
		_, err = e.Finance.CreatePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.CreatePrefinancingPaymentRequest{Parent: closed,
			PrefinancingPayment: &pactumv1.PrefinancingPayment{ReceivedDate: "2025-03-01", Amount: "10.00"}}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		_, err = e.Finance.DeletePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.DeletePrefinancingPaymentRequest{Name: p}))
		if rpctest.Code(err) != connect.CodeFailedPrecondition || rpctest.Reason(err) != "GRANT_CLOSED" {
			t.Errorf("delete on a closed grant: %v (%s)", err, rpctest.Reason(err))
		}
		// Partners read the grant but not its pre-financing.
		_, err = f.roles["editorA"].Finance.ListPrefinancingPayments(ctx, connect.NewRequest(&pactumv1.ListPrefinancingPaymentsRequest{Parent: g}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if !strings.Contains(err.Error(), "ask the grant's finance staff") {
			t.Errorf("denial says: %v", err)
		}
	})
}
