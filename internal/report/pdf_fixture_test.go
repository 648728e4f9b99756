package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/resource"
)

// pdfFixture is a grant whose organisations, people and payees have names
// in Vietnamese, Portuguese, Spanish and Russian, with a budget and
// expenditures written as the budget and expenditure services would.
type pdfFixture struct {
	d       *bun.DB
	sys     context.Context // the system caller
	finance context.Context // a finance officer of the lead organisation
	grant   string
	version string
	donor   string
	lead    string
	// Partners by short key: dl (Đắk Lắk), st (São Tomé), nu (Ñuñoa),
	// bk (Бишкек).
	org   map[string]string
	names map[string]string // and their names
}

// The fixture's names: the organisations' and the finance officer's.
const (
	pdfLeadName    = "Quỹ Hỗ trợ Lao động Nguyễn Thị Hương"
	pdfOfficerName = "Nguyễn Thị Hương"
)

var pdfPartnerNames = map[string]string{
	"dl": "Hội Liên hiệp Phụ nữ Đắk Lắk",
	"st": "Cooperativa Agrícola de São Tomé",
	"nu": "Sindicato de Trabajadoras de Casa Particular de Ñuñoa",
	"bk": "Бишкекский центр трудовых мигрантов",
}

func (f *pdfFixture) exec(t testing.TB, query string, args ...any) {
	t.Helper()
	if _, err := f.d.ExecContext(f.sys, query, args...); err != nil {
		t.Fatalf("%s: %v", strings.Join(strings.Fields(query)[:3], " "), err)
	}
}

// pdfNewFixture makes the organisations, the finance officer, and an
// active EUR grant from 2025-01-01 to 2027-12-31 in 12-month reporting
// periods, with an adopted original budget (version 0).
func pdfNewFixture(t testing.TB, d *bun.DB) *pdfFixture {
	t.Helper()
	f := &pdfFixture{d: d, sys: actor.SystemContext(context.Background()), org: map[string]string{}, names: map[string]string{}}
	orgs := organisation.NewService(d)
	mk := func(name, country string, kind organisation.Kind) string {
		o, err := orgs.Create(f.sys, &organisation.Organisation{DisplayName: name, CountryCode: country, Kind: kind}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f.donor = mk("European Commission", "BE", organisation.KindDonor)
	f.lead = mk(pdfLeadName, "VN", organisation.KindLead)
	countries := map[string]string{"dl": "VN", "st": "ST", "nu": "CL", "bk": "KG"}
	for _, k := range []string{"dl", "st", "nu", "bk"} {
		f.org[k] = mk(pdfPartnerNames[k], countries[k], organisation.KindLocalPartner)
		f.names[k] = pdfPartnerNames[k]
	}
	f.org["lead"], f.names["lead"] = f.lead, pdfLeadName

	user := resource.NewID()
	f.exec(t, `INSERT INTO users (id, email, display_name, version, create_time, update_time)
		VALUES (?, 'huong@example.org', ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, user, pdfOfficerName)
	f.finance = actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: user, Email: "huong@example.org",
		Memberships: []actor.Membership{{OrganisationID: f.lead, Role: actor.RoleFinance}}})

	f.grant = resource.NewID()
	f.exec(t, `INSERT INTO grants (id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, 'CSO-LA/2024/777-001', 'Quyền lao động cho người giúp việc gia đình', 'EUR', '2025-01-01', '2027-12-31',
		31050050, 27945045, 9000, 12, 60, 3, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		f.grant, f.donor, f.lead)
	f.version = resource.NewID()
	f.exec(t, `INSERT INTO budget_versions (id, grant_id, number, kind, label, state, adopt_time, version, create_time, update_time)
		VALUES (?, ?, 0, 'original', 'Annex III', 'adopted', '2025-01-02 10:00:00', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, f.version, f.grant)
	for i, l := range []struct {
		key, heading, code, desc string
		total                    int64
		org                      string
	}{
		{"L11", "1", "1.1", "Salaries, local staff", 12000000, "dl"},
		{"L12", "1", "1.2", "Per diems", 3000000, "st"},
		{"L21", "2", "2.1", "Local transportation", 2550050, "nu"},
		{"L31", "3", "3.1", "Computer equipment", 4000000, "bk"},
		{"L51", "5", "5.1", "Publications", 6000000, "lead"},
		{"L61", "6", "6.1", "Other", 500000, "nu"},
		{"L81", "8", "8.1", "Contingency reserve", 1000000, ""},
		{"L101", "10", "10.1", "Indirect costs", 2000000, ""},
	} {
		var org any
		if l.org != "" {
			org = f.org[l.org]
		}
		f.exec(t, `INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units,
			unit_cost, total, organisation_id, position, version, create_time, update_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'lump sum', '1', ?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			resource.NewID(), f.version, f.grant, l.key, l.heading, l.code, l.desc, l.total, l.total, org, i+1)
	}
	return f
}

// pdfExpenditure is an expenditure of the fixture's grant: converted is
// the amount in EUR cents, -1 for none (no rate).
type pdfExpenditure struct {
	line, heading, org, date, status, currency, payee string
	amount, converted                                 int64
}

func (f *pdfFixture) expenditures(t testing.TB, es ...pdfExpenditure) {
	t.Helper()
	for i, e := range es {
		var rate, conv any
		if e.converted >= 0 {
			conv = e.converted
			rate = "1"
			if e.currency != "EUR" && e.converted > 0 {
				rate = fmt.Sprintf("%d", e.amount/e.converted)
			}
		}
		f.exec(t, `INSERT INTO expenditures (id, grant_id, line_key, heading_code, organisation_id, expense_date, amount, currency_code,
			payee, description, document_ref, status, rate, rate_source, converted_amount, created_by, version, create_time, update_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'test', ?, ?, ?, 'test', ?, 'test', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
			resource.NewID(), f.grant, e.line, e.heading, f.org[e.org], e.date, e.amount, e.currency, e.payee,
			fmt.Sprintf("DOC-%03d", i+1), e.status, rate, conv)
	}
}

// pdfStandardSpending records the fixture's expenditures: two in the first
// reporting period (2025), most in the second (2026), one in the third,
// one before the grant's start; drafts and rejected ones, one without a
// rate, heading 3 overspent.
func (f *pdfFixture) standardSpending(t testing.TB) {
	f.expenditures(t,
		pdfExpenditure{"L11", "1", "dl", "2025-03-10", "verified", "VND", "Nguyễn Thị Hương", 29_000_000_000, 1045678},
		pdfExpenditure{"L21", "2", "nu", "2025-06-01", "submitted", "EUR", "Taxi Ñuñoa", 234567, 234567},
		pdfExpenditure{"L11", "1", "dl", "2026-02-15", "verified", "VND", "Trần Văn Đức", 34_000_000_000, 1234567},
		pdfExpenditure{"L12", "1", "st", "2026-04-30", "verified", "STN", "Hotel São Tomé", 7_900_000, 321099},
		pdfExpenditure{"L21", "2", "nu", "2026-07-07", "submitted", "CLP", "Buses de Ñuñoa", 8_400_000, 800000},
		pdfExpenditure{"L31", "3", "bk", "2026-09-09", "verified", "KGS", "ОсОО Бишкек Компьютер", 450_000_000, 4500001},
		pdfExpenditure{"L51", "5", "lead", "2026-12-31", "verified", "EUR", "Nhà in Đắk Lắk", 100000, 100000},
		pdfExpenditure{"L61", "6", "nu", "2026-05-05", "draft", "EUR", "Draft", 50000, 50000},
		pdfExpenditure{"L61", "6", "nu", "2026-05-06", "rejected", "EUR", "Rejected", 60000, 60000},
		pdfExpenditure{"L31", "3", "bk", "2026-10-10", "submitted", "KGS", "Бишкек Телеком", 1_000_000, -1},
		pdfExpenditure{"L11", "1", "dl", "2027-01-01", "verified", "EUR", "Next year", 99999, 99999},
		pdfExpenditure{"L51", "5", "lead", "2024-12-20", "verified", "EUR", "Before the start", 10000, 10000},
	)
}

// pdfSums are figures added up by SQL apart from the code under test.
type pdfSums struct{ budget, period, toDate int64 }

// sums returns, per value of col (heading_code or organisation_id), the
// budget of the adopted version and the spending (submitted and verified,
// converted, dated inside the grant's implementation period, 2025-01-01 to
// 2027-12-31: those outside it are not eligible) from..to and up to to; key "-" is none (budget lines of no
// partner) and key "" totals them all.
func (f *pdfFixture) sums(t testing.TB, col, from, to string) map[string]pdfSums {
	t.Helper()
	out := map[string]pdfSums{}
	var budget []struct {
		K string `bun:"k"`
		V int64  `bun:"v"`
	}
	if err := f.d.NewRaw(`SELECT COALESCE(`+col+`, '-') AS k, CAST(SUM(total) AS BIGINT) AS v FROM budget_lines
		WHERE budget_version_id = ? GROUP BY `+col, f.version).Scan(f.sys, &budget); err != nil {
		t.Fatal(err)
	}
	tot := pdfSums{}
	for _, b := range budget {
		s := out[b.K]
		s.budget += b.V
		out[b.K] = s
		tot.budget += b.V
	}
	var spent []struct {
		K      string `bun:"k"`
		Period int64  `bun:"p"`
		ToDate int64  `bun:"t"`
	}
	if err := f.d.NewRaw(`SELECT `+col+` AS k,
			CAST(COALESCE(SUM(CASE WHEN expense_date >= ? THEN converted_amount END), 0) AS BIGINT) AS p,
			CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS t
		FROM expenditures WHERE grant_id = ? AND status IN ('submitted', 'verified') AND expense_date <= ?
			AND expense_date >= '2025-01-01' AND expense_date <= '2027-12-31'
		GROUP BY `+col, from, f.grant, to).Scan(f.sys, &spent); err != nil {
		t.Fatal(err)
	}
	for _, x := range spent {
		s := out[x.K]
		s.period += x.Period
		s.toDate += x.ToDate
		out[x.K] = s
		tot.period += x.Period
		tot.toDate += x.ToDate
	}
	out[""] = tot
	return out
}
