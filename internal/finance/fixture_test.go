package finance_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/resource"
)

// The tables this package reads are filled by other services (budgets,
// expenditures); these fixtures write their rows directly, as those
// services would.

type fixture struct {
	d                         *bun.DB
	svc                       *finance.Service
	ctx                       context.Context // the system caller
	donor, lead, partnerA, pB string          // organisation ids
	n                         int
}

func newFixture(t testing.TB, d *bun.DB) *fixture {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	orgs := organisation.NewService(d)
	org := func(name, country string, kind organisation.Kind) string {
		o, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: name, CountryCode: country, Kind: kind}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f := &fixture{d: d, svc: finance.NewService(d), ctx: ctx}
	f.donor = org("European Commission", "BE", organisation.KindDonor)
	f.lead = org("Global Alliance for Decent Work", "BE", organisation.KindLead)
	f.partnerA = org("Umoja Domestic Workers Union", "KE", organisation.KindLocalPartner)
	f.pB = org("Himalaya Migrant Workers Forum", "NP", organisation.KindMember)
	return f
}

func (f *fixture) exec(t testing.TB, query string, args ...any) {
	t.Helper()
	if _, err := f.d.ExecContext(f.ctx, query, args...); err != nil {
		t.Fatalf("%s: %v", strings.Fields(query)[0:3], err)
	}
}

// grant inserts an active EUR grant from 2025-01-01 to 2027-12-31 (36
// months) and returns its id.
func (f *fixture) grant(t testing.TB) string {
	t.Helper()
	f.n++
	id := resource.NewID()
	f.exec(t, `INSERT INTO grants (id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, 'Decent work for domestic workers', 'EUR', '2025-01-01', '2027-12-31',
		100000000000, 90000000000, 9000, 12, 60, 3, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		id, f.donor, f.lead, fmt.Sprintf("SGA/%d", f.n))
	return id
}

// project inserts a project of the grant and returns its id.
func (f *fixture) project(t testing.TB, grantID, code, title string) string {
	t.Helper()
	id := resource.NewID()
	f.exec(t, `INSERT INTO projects (id, grant_id, code, title, version, create_time, update_time)
		VALUES (?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, grantID, code, title)
	return id
}

// version inserts a budget version (kind original, addendum or transfer;
// state draft or adopted) and returns its id.
func (f *fixture) version(t testing.TB, grantID string, number int, kind, state string) string {
	t.Helper()
	id := resource.NewID()
	f.exec(t, `INSERT INTO budget_versions (id, grant_id, number, kind, label, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, '', ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, grantID, number, kind, state)
	return id
}

// bl is a budget line: its key, heading, code, description, total (cents),
// project and organisation ids ("" for none).
type bl struct {
	key, heading, code, desc string
	total                    int64
	project, org             string
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// lines inserts the lines of a version, in order.
func (f *fixture) lines(t testing.TB, grantID, versionID string, ls ...bl) {
	t.Helper()
	for i, l := range ls {
		f.exec(t, `INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units,
			unit_cost, total, project_id, organisation_id, position, version, create_time, update_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'lump sum', '1', ?, ?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			resource.NewID(), versionID, grantID, l.key, l.heading, l.code, l.desc, l.total, l.total,
			nullable(l.project), nullable(l.org), i+1)
	}
}

// headings inserts an adopted version whose lines are one per heading, with
// the given totals (cents): a quick budget for the compliance checks.
func (f *fixture) headings(t testing.TB, grantID string, number int, kind, state string, totals map[string]int64) string {
	t.Helper()
	v := f.version(t, grantID, number, kind, state)
	var ls []bl
	for _, h := range []string{"1", "2", "3", "4", "5", "6", "8", "10"} {
		if amt, ok := totals[h]; ok {
			ls = append(ls, bl{key: "L" + h, heading: h, code: h + ".1", desc: "Line of heading " + h, total: amt})
		}
	}
	f.lines(t, grantID, v, ls...)
	return v
}

// ex is an expenditure: line key, heading, project and organisation ids,
// date, status, currency ("" is EUR) and converted amount in cents (noRate:
// no rate applies).
type ex struct {
	line, heading, project, org, date, status, currency string
	converted                                           int64
}

const noRate = int64(-1 << 62)

// expenditures inserts expenditures of the grant.
func (f *fixture) expenditures(t testing.TB, grantID string, es ...ex) {
	t.Helper()
	for _, e := range es {
		var conv, rate any
		if e.converted != noRate {
			conv, rate = e.converted, "1"
		}
		cur := e.currency
		if cur == "" {
			cur = "EUR"
		}
		amount := e.converted
		if amount == noRate {
			amount = 100000
		}
		f.exec(t, `INSERT INTO expenditures (id, grant_id, line_key, heading_code, project_id, organisation_id, expense_date,
			amount, currency_code, status, rate, converted_amount, created_by, version, create_time, update_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			resource.NewID(), grantID, e.line, e.heading, nullable(e.project), e.org, e.date, amount, cur, e.status, rate, conv)
	}
}

// payment inserts a pre-financing instalment.
func (f *fixture) payment(t testing.TB, grantID string, number int, date string, amount int64) {
	t.Helper()
	f.exec(t, `INSERT INTO prefinancing_payments (id, grant_id, number, received_date, amount, create_time)
		VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP)`, resource.NewID(), grantID, number, date, amount)
}
