package report

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/resource"
)

// withStatement returns ctx with edit applied to the statement before the
// workbook's sheets render it.
func withStatement(ctx context.Context, edit func(*Summary)) context.Context {
	return context.WithValue(ctx, statementEditKey{}, edit)
}

// workbook makes a workbook with svc as ctx's caller and opens it.
func workbook(ctx context.Context, t *testing.T, svc *Service, req Request) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := svc.XLSX(ctx, req, &buf, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, buf.Bytes()
}

// halfAway is v x bp / 10000 rounded half away from zero (the test's own
// arithmetic).
func halfAway(v, bp int64) int64 {
	return decimal.NewFromInt(v * bp).Div(decimal.NewFromInt(10000)).Round(0).IntPart()
}

// fillPackage gives a demo statement its sources of funding, payments and
// forecast, worked out by the test from the statement's own figures, as
// the finance package will.
func fillPackage(sm *Summary) {
	accepted := sm.Total.ToDate
	rate := int64(9000)
	maxEU := sm.Grant.MaxDonorContribution
	computed := halfAway(accepted, rate)
	eu := min(computed, maxEU)
	euPeriod := min(halfAway(sm.Total.Period, rate), eu)
	other := int64(1234567)
	lines := []finance.FundingLine{
		{Kind: finance.FundingEU, Expected: maxEU, Period: euPeriod, ToDate: eu},
		{Kind: finance.FundingOwnFunds, Name: sm.Lead, Expected: sm.Grant.TotalEligibleCosts - maxEU - 2000000,
			Period: sm.Total.Period - euPeriod - 100000, ToDate: accepted - eu - other},
		{Kind: finance.FundingOtherDonor, Name: "Fondation Lumière", Expected: 2000000, Period: 100000, ToDate: other},
	}
	var total finance.FundingLine
	for _, l := range lines {
		total.Expected, total.Period, total.ToDate = total.Expected+l.Expected, total.Period+l.Period, total.ToDate+l.ToDate
	}
	sm.Funding = finance.Funding{Lines: lines, Total: total,
		InKind:            []finance.FundingLine{{Kind: finance.FundingInKind, Name: "Volunteers' time", Expected: 500000, Period: 12345, ToDate: 67890}},
		CoFinancingRateBP: rate, MaxContribution: maxEU, AcceptedPeriod: sm.Total.Period, AcceptedToDate: accepted,
		EUShareComputed: computed, EUSharePeriod: euPeriod, EUShareToDate: eu, EUShareCapped: computed > maxEU}
	received := []finance.Instalment{{Number: 1, Date: calendar.MustParse("2024-01-20"), Amount: 30000001},
		{Number: 2, Date: calendar.MustParse("2025-02-10"), Amount: 40000001}}
	p := finance.Payments{Received: received, ReceivedTotal: 70000002,
		Plan: []finance.Instalment{{Number: 1, Date: calendar.MustParse("2024-01-15"), Amount: 30000001},
			{Number: 2, Date: calendar.MustParse("2025-01-15"), Amount: 40000001}, {Number: 3, Date: calendar.MustParse("2026-01-15"), Amount: 50000000}},
		Next: 3, NextPlanned: 50000000, AcceptedToDate: accepted, CoFinancingRateBP: rate, EUPart: computed, ThresholdBP: 7000, CapBP: 9000}
	// 70% of 40,000.01 is 28,000.007: rounded up, 28,000.01.
	p.Required = (40000001*7000+9999)/10000 + 30000001
	p.Shortfall = max(0, p.Required-p.EUPart)
	p.MayRequest = p.Shortfall == 0
	p.Cap = halfAway(maxEU, 9000)
	p.CapRoom = max(0, p.Cap-p.ReceivedTotal)
	p.Requestable = max(0, min(p.NextPlanned-p.Shortfall, p.CapRoom))
	sm.Payments = p
	fc := &finance.Forecast{Period: sm.Period + 1, From: sm.To.AddDays(1), To: sm.To.AddDays(365), Months: 12, UpdatedBy: "Amina Diallo", Version: 2}
	n := 0
	for _, h := range sm.Headings {
		if h.Computed() {
			continue
		}
		for _, l := range h.Lines {
			if !l.InBudget {
				continue
			}
			x := finance.ForecastLine{HeadingCode: h.Code, LineKey: l.Key, Code: l.Code, Description: l.Description,
				Budget: l.Budget, Remaining: l.Budget - l.ToDate, Suggested: max(0, min(l.ToDate/2, l.Budget-l.ToDate))}
			if n%3 == 0 {
				x.Entered, x.Amount = true, x.Suggested+1001
			}
			n++
			fc.Lines = append(fc.Lines, x)
			if x.Entered {
				fc.Total += x.Amount
			} else {
				fc.Total += x.Suggested
			}
		}
	}
	sm.Forecast = fc
}

// packageWorld is the demo world whose first grant claims indirect costs
// at a flat rate of 7%, with a finance officer who has a name.
func packageWorld(t *testing.T, d *bun.DB) *demoWorld {
	t.Helper()
	w := newDemoWorld(t, d)
	ctx := context.Background()
	if _, err := d.NewRaw("UPDATE grants SET indirect_cost_rate_bp = 700 WHERE id = ?", w.data.Grants[0].ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	// Two expenditures of the period, and one before it, recorded under
	// the indirect heading: not claimed.
	if _, err := d.NewRaw(`UPDATE expenditures SET heading_code = '10', line_key = (SELECT bl.line_key FROM budget_lines bl
		JOIN budget_versions v ON v.id = bl.budget_version_id WHERE v.grant_id = ? AND v.state = 'adopted' AND bl.heading_code = '10'
		ORDER BY v.number DESC, bl.position LIMIT 1)
		WHERE id IN (SELECT id FROM (SELECT id FROM expenditures WHERE grant_id = ? AND status IN ('submitted', 'verified')
			AND converted_amount IS NOT NULL AND heading_code = '5' AND expense_date BETWEEN '2025-03-01' AND '2025-12-31' ORDER BY id LIMIT 2) a
		UNION SELECT id FROM (SELECT id FROM expenditures WHERE grant_id = ? AND status IN ('submitted', 'verified')
			AND converted_amount IS NOT NULL AND heading_code = '5' AND expense_date < '2025-01-01' ORDER BY id LIMIT 1) b)`,
		w.data.Grants[0].ID, w.data.Grants[0].ID, w.data.Grants[0].ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	// Two of the period's expenditures are submitted, not yet verified.
	if _, err := d.NewRaw(`UPDATE expenditures SET status = 'submitted' WHERE id IN (SELECT id FROM (SELECT id FROM expenditures
		WHERE grant_id = ? AND status = 'verified' AND heading_code = '1' AND expense_date BETWEEN '2025-06-01' AND '2025-12-31' ORDER BY id LIMIT 2) a)`,
		w.data.Grants[0].ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.NewRaw(`INSERT INTO users (id, email, display_name, version, create_time, update_time)
		VALUES ('u-finance', 'finance@gadw.example.org', 'Fatoumata Koné', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// rowWith returns the first row (1-based) whose column col holds text, 0
// for none.
func rowWith(rows [][]string, col int, text string) int {
	for r := range rows {
		if col < len(rows[r]) && rows[r][col] == text {
			return r + 1
		}
	}
	return 0
}

// rawKey matches what must never reach a reader: enum names and codes
// (CO_BENEFICIARY, own_funds), message keys and resource names.
var rawKey = regexp.MustCompile(`\b[A-Z]+_[A-Z_]+\b|\b[a-z]+_[a-z_]+\b|\b(xlsx|pdf)\.[a-zA-Z]|users/|grants/|organisations/|<no value>`)

// noRawKeys scans every cell of every sheet.
func noRawKeys(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if m := rawKey.FindString(v); m != "" {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					t.Errorf("%s!%s shows %q: %q", sheet, cell, m, v)
				}
			}
		}
	}
}

func TestXLSXPackageOfTheDemoGrant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := packageWorld(t, d)
		g := w.data.Grants[0]
		var want *Summary
		ctx := withStatement(w.ctx, func(sm *Summary) { fillPackage(sm); want = sm })
		for _, lang := range i18n.Languages {
			t.Run(lang, func(t *testing.T) {
				f, _ := workbook(ctx, t, w.svc, Request{GrantID: g.ID, Period: 2, Language: lang,
					SignatoryName: "Amina Diallo", SignatoryFunction: "Executive director"})
				l := i18n.For(lang)
				ck := &checker{t: t, w: w, f: f, l: l, grantID: g.ID, from: "2025-01-01", to: "2025-12-31"}
				ck.formulas()
				noRawKeys(t, f)
				sheets := f.GetSheetList()
				if len(sheets) != 10 {
					t.Fatalf("sheets %q", sheets)
				}
				in := want.Indirect
				if !in.Applies || in.ClaimedToDate == 0 || in.RecordedCount == 0 {
					t.Fatalf("the demo grant should claim indirect costs at a flat rate and have some recorded: %+v", in)
				}
				b := &book{l: l, sc: &Scope{Language: lang, Grant: want.Grant}}

				// Summary: the claim on its line, worked out, and the
				// reconciliation to the cent.
				rows := ck.rows(l.T("xlsx.sheet.summary"))
				flat := 0
				for r := range rows {
					if len(rows[r]) > 1 && rows[r][1] == l.T("xlsx.flat.line", "Rate", b.percentText(700)) {
						flat = r + 1
					}
				}
				if flat == 0 {
					t.Fatal("no flat-rate line in the summary")
				}
				ck.exact("flat rate, period", cell(rows, flat, 7), in.ClaimedPeriod, "EUR")
				ck.exact("flat rate, to date", cell(rows, flat, 8), in.ClaimedToDate, "EUR")
				if fm, _ := f.GetCellFormula(l.T("xlsx.sheet.summary"), ref("I", flat)); fm == "" {
					t.Error("the flat rate's claim is not a formula")
				}
				for label, v := range map[string]int64{l.T("xlsx.flat.base"): in.BaseToDate, l.T("xlsx.flat.computed"): in.ComputedToDate,
					l.T("xlsx.flat.claimed"): in.ClaimedToDate, l.T("xlsx.flat.claimedPeriod"): in.ClaimedPeriod} {
					ck.exact(label, cell(rows, rowWith(rows, 1, label), 8), v, "EUR")
				}
				ck.exact("recon, recorded", cell(rows, rowWith(rows, 1, l.T("xlsx.recon.lessRecorded", "Heading", "10")), 7), in.RecordedPeriod, "EUR")
				ck.exact("recon, difference", cell(rows, rowWith(rows, 1, l.T("xlsx.recon.difference")), 7), 0, "EUR")
				// Unit detail of a line and the ineligible column.
				line := want.Headings[0].Lines[0]
				r := rowWith(rows, 0, line.Code)
				if cell(rows, r, 2) != line.Unit || !sameNumber(cell(rows, r, 3), line.Units) {
					t.Errorf("line %s: unit %q × %q, the budget says %q × %q", line.Code, cell(rows, r, 2), cell(rows, r, 3), line.Unit, line.Units)
				}
				ck.exact("unit cost", cell(rows, r, 4), line.UnitCost, "EUR")
				ck.exact("total, ineligible", cell(rows, rowWith(rows, 0, "11"), 12), want.Total.Ineligible, "EUR")
				if want.UnverifiedCount == 0 || !sheetHas(rows, l.N("xlsx.note.unverifiedIncluded", want.UnverifiedCount, "Total", b.moneyText(want.UnverifiedAmount), "To", "2025-12-31")) {
					t.Error("the summary does not say how much is not yet verified")
				}

				// Cover.
				cover := ck.rows(l.T("xlsx.sheet.cover"))
				for _, s := range []string{"Fatoumata Koné", "Amina Diallo", "Executive director", want.CheckedAsOf.String(),
					l.T("xlsx.cover.basisSubmitted"), l.T("xlsx.versionN", "Number", want.Versions[0].Number)} {
					if !sheetHas(cover, s) {
						t.Errorf("the cover lacks %q", s)
					}
				}

				// Currencies: each rate's amount converted at once and the
				// rounding difference, and the note that counts them.
				rows = ck.rows(l.T("xlsx.sheet.currencies"))
				cu := want.Currencies
				var rateRows int64
				for _, blk := range cu.Blocks {
					for _, x := range blk.Rates {
						rateRows++
						for r := range rows {
							if cell(rows, r+1, 0) == blk.Currency && cell(rows, r+1, 2) == x.Source && sameNumber(cell(rows, r+1, 1), x.Rate) {
								ck.exact(blk.Currency+" "+x.Source+" at once", cell(rows, r+1, 7), x.AtOnce, "EUR")
								ck.exact(blk.Currency+" "+x.Source+" rounding", cell(rows, r+1, 8), x.Converted-x.AtOnce, "EUR")
							}
						}
					}
				}
				if cu.RoundingRows == 0 {
					t.Error("the demo's conversions should differ somewhere from converting each total at once")
				}
				if !sheetHas(rows, l.T("xlsx.note.rounding", "Count", cu.RoundingRows, "Rows", rateRows, "Max", b.moneyText(cu.RoundingMax),
					"Column", l.T("xlsx.col.atOnce", "Currency", "EUR"))) {
					t.Error("the currencies sheet does not count the rows whose rounding differs")
				}

				// Funding.
				rows = ck.rows(l.T("xlsx.sheet.funding"))
				fu := want.Funding
				tr := rowWith(rows, 0, l.T("xlsx.funding.total"))
				ck.exact("funding total expected", cell(rows, tr, 2), fu.Total.Expected, "EUR")
				ck.exact("funding total to date", cell(rows, tr, 5), fu.Total.ToDate, "EUR")
				ck.exact("EU share", cell(rows, rowWith(rows, 0, l.T("xlsx.funding.euShare")), 5), fu.EUShareToDate, "EUR")
				ck.exact("in kind", cell(rows, rowWith(rows, 0, l.T("xlsx.funding.inKindTotal")), 5), 67890, "EUR")
				if rowWith(rows, 0, l.T("xlsx.funding.kind.own_funds")) == 0 {
					t.Error("the own funds are not named")
				}

				// Payments.
				rows = ck.rows(l.T("xlsx.sheet.payments"))
				p := want.Payments
				for label, v := range map[string]int64{l.T("xlsx.payments.receivedTotal"): p.ReceivedTotal, l.T("xlsx.payments.euPart"): p.EUPart,
					l.T("xlsx.payments.required"): p.Required, l.T("xlsx.payments.shortfall"): p.Shortfall, l.T("xlsx.payments.capRoom"): p.CapRoom,
					l.T("xlsx.payments.requestable", "Number", 3): p.Requestable} {
					ck.exact(label, cell(rows, rowWith(rows, 0, label), 2), v, "EUR")
				}

				// Forecast.
				rows = ck.rows(l.T("xlsx.sheet.forecast"))
				ck.exact("forecast total", cell(rows, rowWith(rows, 1, l.T("xlsx.forecast.total")), 6), want.Forecast.Total, "EUR")

				// Beneficiaries: reconciled with the summary.
				rows = ck.rows(l.T("xlsx.sheet.partners"))
				var period, toDate int64
				for _, x := range want.Partners {
					period, toDate = period+x.Period, toDate+x.ToDate
				}
				tr = rowWith(rows, 0, l.T("xlsx.total"))
				ck.exact("beneficiaries, period", cell(rows, tr, 4), period, "EUR")
				ck.exact("beneficiaries, to date", cell(rows, tr, 5), toDate, "EUR")
				dr := rowWith(rows, 0, l.T("xlsx.recon.difference"))
				ck.exact("beneficiaries, difference in the period", cell(rows, dr, 4), 0, "EUR")
				ck.exact("beneficiaries, difference to date", cell(rows, dr, 5), 0, "EUR")
				if rowWith(rows, 1, l.T("xlsx.role.coordinator")) == 0 {
					t.Error("no coordinator among the beneficiaries")
				}

				// Findings: worded, the flat rate's one among them.
				rows = ck.rows(l.T("xlsx.sheet.findings"))
				if len(rows) < firstRow+len(want.Findings)-1 {
					t.Errorf("%d findings, %d rows", len(want.Findings), len(rows))
				}
				if lang == "en" { // verified expenditures only: the cover and the summary say so
					f, _ := workbook(ctx, t, w.svc, Request{GrantID: g.ID, Period: 2, Language: lang, VerifiedOnly: true})
					vk := &checker{t: t, w: w, f: f, l: l}
					vk.formulas()
					if !sheetHas(vk.rows(l.T("xlsx.sheet.cover")), l.T("xlsx.cover.basisVerified")) {
						t.Error("the cover does not say that only verified expenditures count")
					}
					if want.UnverifiedCount == 0 || !sheetHas(vk.rows(l.T("xlsx.sheet.summary")), l.N("xlsx.note.unverifiedLeftOut", want.UnverifiedCount,
						"Total", b.moneyText(want.UnverifiedAmount), "To", "2025-12-31")) {
						t.Errorf("the summary does not say that %d unverified expenditures are left out", want.UnverifiedCount)
					}
				}
				words := l.N("pdf.pkg.finding.INDIRECT_RECORDED", in.RecordedCount, "Total", pdfMoney(lang, in.RecordedAmount, "EUR")+"\u00a0EUR")
				if !sheetHas(rows, words) {
					t.Error("the findings do not word the recorded indirect costs")
				}
			})
		}
	})
}

// TestXLSXFlatRateByHand: a small grant, 10,000.00 of direct costs at 7%
// is 700.00, capped by a budget of 500.00 for indirect costs; 123.45
// recorded under the indirect heading is not claimed. The package's parts
// are given by hand and checked against hand-computed figures.
func TestXLSXFlatRateByHand(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		sys := actor.SystemContext(context.Background())
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.ExecContext(sys, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		orgs := organisation.NewService(d)
		mk := func(name string, kind organisation.Kind) string {
			o, err := orgs.Create(sys, &organisation.Organisation{DisplayName: name, CountryCode: "SN", Kind: kind}, "")
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		donor, lead := mk("European Commission", organisation.KindDonor), mk("Association Sénégalaise", organisation.KindLead)
		grant, version := resource.NewID(), resource.NewID()
		exec(`INSERT INTO grants (id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
			total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
			interim_report_due_days, final_report_due_months, state, version, create_time, update_time, indirect_cost_rate_bp)
			VALUES (?, ?, ?, 'CSO-LA/2025/1', 'Petite subvention', 'EUR', '2025-01-01', '2026-12-31',
			1050000, 945000, 9000, 12, 60, 3, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 700)`, grant, donor, lead)
		exec(`INSERT INTO budget_versions (id, grant_id, number, kind, label, state, adopt_time, approval_reference, version, create_time, update_time)
			VALUES (?, ?, 0, 'original', 'Annex III', 'adopted', '2025-01-02 10:00:00', 'ARES(2024)123', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, version, grant)
		for i, l := range []struct {
			key, heading, code, desc, unit, units string
			cost, total                           int64
		}{
			{"L11", "1", "1.1", "Coordinator", "month", "20", 50000, 1000000},
			{"L101", "10", "10.1", "Indirect costs", "", "", 0, 50000},
		} {
			exec(`INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units,
				unit_cost, total, organisation_id, position, version, create_time, update_time)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				resource.NewID(), version, grant, l.key, l.heading, l.code, l.desc, l.unit, l.units, l.cost, l.total, lead, i+1)
		}
		for i, e := range []struct {
			line, heading string
			amount        int64
		}{{"L11", "1", 600000}, {"L11", "1", 400000}, {"L101", "10", 12345}} {
			exec(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, organisation_id, expense_date, amount, currency_code,
				payee, description, document_ref, status, rate, rate_source, converted_amount, created_by, version, create_time, update_time)
				VALUES (?, ?, ?, ?, ?, '2025-06-01', ?, 'EUR', 'Payee', 'test', ?, 'verified', '1', 'test', ?, 'test', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				resource.NewID(), grant, e.line, e.heading, lead, e.amount, fmt.Sprintf("D-%d", i), e.amount)
		}
		officer := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u-nobody",
			Memberships: []actor.Membership{{OrganisationID: lead, Role: actor.RoleFinance}}})
		ctx := withStatement(officer, func(sm *Summary) {
			// Accepted: 10,000.00 + 500.00; EU 90%: 9,450.00, the maximum.
			sm.Funding = finance.Funding{
				Lines: []finance.FundingLine{{Kind: finance.FundingEU, Expected: 945000, Period: 945000, ToDate: 945000},
					{Kind: finance.FundingOwnFunds, Name: "Association Sénégalaise", Expected: 105000, Period: 105000, ToDate: 105000}},
				Total:             finance.FundingLine{Expected: 1050000, Period: 1050000, ToDate: 1050000},
				CoFinancingRateBP: 9000, MaxContribution: 945000, AcceptedPeriod: 1050000, AcceptedToDate: 1050000,
				EUShareComputed: 945000, EUSharePeriod: 945000, EUShareToDate: 945000}
			// Received 300,000.01 then 200,000.01: 70% of the last is
			// 140,000.007, rounded up 140,000.01; required 440,000.02; the
			// EU part 9,450.00 falls short by 430,550.02.
			sm.Payments = finance.Payments{
				Received: []finance.Instalment{{Number: 1, Date: calendar.MustParse("2025-01-10"), Amount: 30000001},
					{Number: 2, Date: calendar.MustParse("2025-05-10"), Amount: 20000001}},
				ReceivedTotal: 50000002, Next: 3, NextPlanned: 100000, AcceptedToDate: 1050000, CoFinancingRateBP: 9000, EUPart: 945000,
				ThresholdBP: 7000, Required: 44000002, Shortfall: 43055002, CapBP: 9000, Cap: 850500, CapRoom: 0, Requestable: 0}
			sm.Forecast = nil
			// An addendum that used the contingency reserve.
			add := finance.Version{Number: 1, Kind: "addendum", Label: "Avenant 1", EffectiveDate: "2025-09-01", ApprovalReference: "ARES(2025)456"}
			sm.Versions = append(sm.Versions, add)
			sm.ContingencyUses = []finance.ContingencyUse{{Version: add, Before: 30000, After: 10000, ApprovalReference: "ARES(2025)456"}}
		})
		svc := NewService(d)
		f, _ := workbook(ctx, t, svc, Request{GrantID: grant, Period: 1, Language: "fr"})
		l := i18n.For("fr")
		ck := &checker{t: t, f: f, l: l}
		ck.formulas()
		noRawKeys(t, f)
		rows := ck.rows(l.T("xlsx.sheet.summary"))
		for label, want := range map[string]int64{
			l.T("xlsx.flat.base"): 1000000, l.T("xlsx.flat.computed"): 70000, l.T("xlsx.flat.budget", "Heading", "10"): 50000,
			l.T("xlsx.flat.claimed"): 50000, l.T("xlsx.flat.claimedPeriod"): 50000,
		} {
			ck.exact(label, cell(rows, rowWith(rows, 1, label), 8), want, "EUR")
		}
		r := rowWith(rows, 0, "10.1")
		ck.exact("10.1 period", cell(rows, r, 7), 50000, "EUR")
		ck.exact("10.1 to date", cell(rows, r, 8), 50000, "EUR")
		ck.exact("11 period", cell(rows, rowWith(rows, 0, "11"), 7), 1050000, "EUR")
		ck.exact("list total", cell(rows, rowWith(rows, 1, l.T("xlsx.recon.sheet", "Sheet", l.T("xlsx.sheet.list"))), 7), 1012345, "EUR")
		ck.exact("recorded", cell(rows, rowWith(rows, 1, l.T("xlsx.recon.lessRecorded", "Heading", "10")), 7), 12345, "EUR")
		ck.exact("difference", cell(rows, rowWith(rows, 1, l.T("xlsx.recon.difference")), 7), 0, "EUR")
		r = rowWith(rows, 0, "1.1")
		if cell(rows, r, 2) != "month" || cell(rows, r, 3) != "20" || cell(rows, r, 4) != "500" {
			t.Errorf("line 1.1's detail: %q", rows[r-1][:5])
		}
		if !sheetHas(rows, l.T("xlsx.flat.capped", "Computed", pdfMoney("fr", 70000, "EUR")+"\u00a0EUR", "Budget", pdfMoney("fr", 50000, "EUR")+"\u00a0EUR")) {
			t.Error("the summary does not say that the budget caps the claim")
		}

		rows = ck.rows(l.T("xlsx.sheet.payments"))
		for label, want := range map[string]int64{l.T("xlsx.payments.receivedTotal"): 50000002, l.T("xlsx.payments.euPart"): 945000,
			l.T("xlsx.payments.required"): 44000002, l.T("xlsx.payments.shortfall"): 43055002, l.T("xlsx.payments.capRoom"): 0,
			l.T("xlsx.payments.requestable", "Number", 3): 0} {
			ck.exact(label, cell(rows, rowWith(rows, 0, label), 2), want, "EUR")
		}
		rows = ck.rows(l.T("xlsx.sheet.funding"))
		ck.exact("EU share", cell(rows, rowWith(rows, 0, l.T("xlsx.funding.euShare")), 5), 945000, "EUR")
		rows = ck.rows(l.T("xlsx.sheet.forecast"))
		if !sheetHas(rows, l.T("xlsx.forecast.none")) {
			t.Error("the forecast sheet does not say there is none")
		}
		rows = ck.rows(l.T("xlsx.sheet.cover"))
		for _, s := range []string{l.T("xlsx.cover.generatedBySystem"), blankLine, "ARES(2024)123", "Avenant 1", "ARES(2025)456",
			l.T("xlsx.cover.contingencyUse", "Before", pdfMoney("fr", 30000, "EUR")+"\u00a0EUR", "After", pdfMoney("fr", 10000, "EUR")+"\u00a0EUR"),
			l.T("xlsx.cover.effective", "Date", "2025-09-01"), l.T("xlsx.kind.addendum")} {
			found := false
			for _, row := range rows {
				for _, v := range row {
					found = found || strings.Contains(v, s)
				}
			}
			if !found {
				t.Errorf("the cover lacks %q", s)
			}
		}
	})
}
