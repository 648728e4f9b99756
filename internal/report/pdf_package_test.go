package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/resource"
)

// pdfPackageFixture is the fixture's grant claiming indirect costs at the
// flat rate of 7% with 500.00 EUR budgeted for them, an addendum that takes
// 5,000.00 EUR from the contingency reserve, the lead as coordinator and
// Đắk Lắk as co-beneficiary, and in 2026 (reporting period 2): 10,000.00
// EUR of verified direct costs, 200.00 EUR submitted and not yet verified,
// 30.00 EUR recorded under the indirect heading (not claimed), and 100.00
// EUR dated before the grant's start (not eligible).
func pdfPackageFixture(t *testing.T, d *bun.DB) *pdfFixture {
	f := pdfNewFixture(t, d)
	f.exec(t, "UPDATE grants SET indirect_cost_rate_bp = 700 WHERE id = ?", f.grant)
	f.exec(t, "UPDATE budget_lines SET total = 50000, unit_cost = 50000 WHERE budget_version_id = ? AND line_key = 'L101'", f.version)
	f.exec(t, "UPDATE budget_lines SET unit = 'month', units = '12', unit_cost = 1000000 WHERE budget_version_id = ? AND line_key = 'L11'", f.version)
	v1 := resource.NewID()
	f.exec(t, `INSERT INTO budget_versions (id, grant_id, number, kind, label, state, adopt_time, effective_date, approval_reference,
			version, create_time, update_time)
		VALUES (?, ?, 1, 'addendum', 'Addendum 1', 'adopted', '2026-02-01 09:00:00', '2026-02-01', 'Ares(2026)123456', 1,
			CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, v1, f.grant)
	f.exec(t, `INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units,
			unit_cost, total, organisation_id, position, version, create_time, update_time)
		SELECT id || '-1', ?, grant_id, line_key, heading_code, code, description, unit, units,
			CASE line_key WHEN 'L81' THEN 500000 WHEN 'L12' THEN 3500000 ELSE unit_cost END,
			CASE line_key WHEN 'L81' THEN 500000 WHEN 'L12' THEN 3500000 ELSE total END,
			organisation_id, position, 1, create_time, update_time
		FROM budget_lines WHERE budget_version_id = ?`, v1, f.version)
	f.exec(t, `INSERT INTO projects (id, grant_id, code, title, version, create_time, update_time)
		VALUES (?, ?, 'P1', 'Project', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, "p-"+f.grant, f.grant)
	f.exec(t, `INSERT INTO project_participants (project_id, organisation_id, role, position) VALUES (?, ?, 'co_beneficiary', 1)`,
		"p-"+f.grant, f.org["dl"])
	f.expenditures(t,
		pdfExpenditure{"L11", "1", "dl", "2026-03-10", "verified", "EUR", "Salaries March", 1000000, 1000000},
		pdfExpenditure{"L21", "2", "nu", "2026-05-01", "submitted", "EUR", "Taxi", 20000, 20000},
		pdfExpenditure{"L101", "10", "lead", "2026-06-01", "verified", "EUR", "Office rent", 3000, 3000},
		pdfExpenditure{"L51", "5", "lead", "2024-12-20", "verified", "EUR", "Before the start", 10000, 10000},
	)
	return f
}

// pdfPackageParts sets by hand the statement's parts that other code fills:
// the sources of funding, the payments and the forecast.
func pdfPackageParts(st *finance.Statement) {
	st.Funding = finance.Funding{
		Lines: []finance.FundingLine{
			{Kind: finance.FundingEU, Expected: 900000, Period: 945000, ToDate: 945000},
			{Kind: finance.FundingOwnFunds, Name: pdfLeadName, Expected: 100000, Period: 105000, ToDate: 105000},
			{Kind: finance.FundingOtherDonor, Name: "Fondation Lumière", Expected: 50000},
		},
		InKind:            []finance.FundingLine{{Kind: finance.FundingInKind, Name: "Mairie de Ségou", Expected: 20000, Period: 12345, ToDate: 12345}},
		Total:             finance.FundingLine{Expected: 1050000, Period: 1050000, ToDate: 1050000},
		CoFinancingRateBP: 9000, MaxContribution: 27945045,
		AcceptedPeriod: 1050000, AcceptedToDate: 1050000,
		EUShareComputed: 945000, EUSharePeriod: 945000, EUShareToDate: 945000,
		OwnFundsComputedPeriod: 105000, OwnFunds: 105000,
	}
	st.Payments = finance.Payments{
		Received:      []finance.Instalment{{Number: 1, Date: calendar.MustParse("2025-02-01"), Amount: 1000000}},
		Plan:          []finance.Instalment{{Number: 1, Date: calendar.MustParse("2025-02-01"), Amount: 1000000}, {Number: 2, Date: calendar.MustParse("2026-03-01"), Amount: 800000}},
		ReceivedTotal: 1000000, Next: 2, NextPlanned: 800000,
		AcceptedToDate: 1050000, CoFinancingRateBP: 9000, EUPart: 945000,
		ThresholdBP: 7000, Required: 700000, MayRequest: true,
		CapBP: 9000, Cap: 25150541, CapRoom: 24150541, Requestable: 800000,
	}
	st.Forecast = &finance.Forecast{
		Period: 3, From: calendar.MustParse("2027-01-01"), To: calendar.MustParse("2027-12-31"), Months: 12,
		Lines: []finance.ForecastLine{
			{HeadingCode: "1", LineKey: "L11", Code: "1.1", Description: "Salaries, local staff", Budget: 12000000, Remaining: 11000000,
				Suggested: 1200000, Amount: 1500000, Entered: true},
			{HeadingCode: "2", LineKey: "L21", Code: "2.1", Description: "Local transportation", Budget: 2550050, Remaining: 2550050},
		},
		Total: 1500000, UpdatedBy: pdfOfficerName, Version: 2,
	}
}

// TestPDFCarriesTheFinancialPackage makes the report of period 2 counting
// verified expenditures only, with a signatory, and reads back every part
// of the package: the flat rate (10,000.00 x 7% = 700.00, capped by the
// 500.00 budget: 500.00), the lines with their unit detail, the cover's
// basis, unverified amount, versions and contingency use, the sources of
// funding, the payment request, the forecast, the roles, the findings and
// the signature block; in English and French, with no raw key or enum
// name.
func TestPDFCarriesTheFinancialPackage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfPackageFixture(t, d)
		svc := report.NewServiceAt(d, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
		want := map[string][]string{
			"en": {
				// The cover.
				"Generated by " + pdfOfficerName,
				"Checked as of 23 November 2026",
				"Expenditures counted Verified only",
				"Submitted, not yet verified 1 expenditure, 200.00 EUR: left out of the figures",
				"Version 1: addendum – Addendum 1, effective 1 February 2026, adopted on 1 February 2026, approval reference Ares(2026)123456",
				"Version 1 (addendum): reserve from 10,000.00 EUR to 5,000.00 EUR, approval reference Ares(2026)123456",
				// The summary: the flat rate, its computation, the unit detail.
				"10.1 Indirect costs at the flat rate of 7% of direct",
				"Indirect costs at the flat rate: direct eligible costs to date 10,000.00 EUR × 7% = 700.00 EUR, capped by the budget of heading 10 (500.00 EUR): 500.00 EUR claimed to date, of which 500.00 EUR in the period.",
				"1 expenditure recorded under the indirect costs heading (30.00 EUR) is not claimed",
				"12 × month × 10,000.00",
				"Spending counts verified expenditures only",
				// Sources of funding.
				"Sources of funding",
				"EU contribution to date: accepted costs 10,500.00 EUR × the co-financing rate of 90% = 9,450.00 EUR, within the maximum contribution of 279,450.45 EUR: 9,450.00 EUR, of which 9,450.00 EUR in the period.",
				"Other donor: Fondation Lumière",
				"Contribution in kind: Mairie de Ségou",
				"own funds cover what the other sources leave of the accepted costs: 1,050.00 EUR to date",
				// Pre-financing and payment.
				"Pre-financing and payment request",
				"Part financed by the EU 10,500.00 EUR × 90% = 9,450.00 EUR",
				"70% of the last instalment plus all earlier ones: 7,000.00 EUR",
				"90% of the maximum contribution: 251,505.41 EUR; left under it: 241,505.41 EUR",
				"8,000.00 EUR of the 8,000.00 EUR foreseen",
				"Pre-financing instalment 2 may be requested.",
				"1 February 2025",
				// Forecast.
				"Forecast for the next period",
				"Reporting period 3: 1 January 2027 – 31 December 2027 (12 months)",
				"Last entered by " + pdfOfficerName,
				"* Nothing entered for the line: the suggestion stands.",
				// Beneficiaries, findings, signature.
				"Coordinator", "Co-beneficiary",
				"1 expenditure of 30.00 EUR is recorded under the indirect costs heading",
				"For the coordinator, " + pdfLeadName + ": certified true and complete.",
				"Name Trần Thị Mai", "Function Directrice financière", "Date 23 November 2026",
			},
			"fr": {
				"Généré par " + pdfOfficerName,
				"Vérifié à la date du 23 novembre 2026",
				"Dépenses comptées Vérifiées uniquement",
				"1 dépense, 200,00 EUR : exclue des montants",
				"10.1 Coûts indirects au taux forfaitaire de 7 %",
				"Coûts indirects au taux forfaitaire : coûts directs éligibles cumulés 10 000,00 EUR × 7 % = 700,00 EUR, plafonnés au budget de la rubrique 10 (500,00 EUR) : 500,00 EUR déclarés à ce jour, dont 500,00 EUR sur la période.",
				"Sources de financement",
				"Contribution de l'UE à ce jour : coûts acceptés 10 500,00 EUR × le taux de cofinancement de 90 % = 9 450,00 EUR",
				"Autre bailleur : Fondation Lumière",
				"Préfinancement et demande de paiement",
				"La tranche de préfinancement n° 2 peut être demandée.",
				"Prévisions pour la période suivante",
				"Période de rapport 3 : 1er janvier 2027 – 31 décembre 2027 (12 mois)",
				"Coordinateur", "Cobénéficiaire",
				"Pour le coordinateur, " + pdfLeadName + " : certifié exact et complet.",
				"Nom Trần Thị Mai", "Fonction Directrice financière", "Date 23 novembre 2026",
			},
		}
		for _, lang := range []string{"en", "fr"} {
			var buf bytes.Buffer
			_, err := svc.PDFWithStatement(f.finance, report.Request{GrantID: f.grant, Period: 2, Language: lang, VerifiedOnly: true,
				SignatoryName: "Trần Thị Mai", SignatoryFunction: "Directrice financière"}, &buf, pdfPackageParts)
			if err != nil {
				t.Fatal(err)
			}
			pdfKeep(t, "package-"+lang+"-"+d.Dialect().Name().String()+".pdf", buf.Bytes())
			pages := pdfToText(t, buf.Bytes())
			text := pdfCollapse(pages)
			for _, w := range want[lang] {
				if !strings.Contains(text, w) {
					t.Errorf("%s: %q is not in the PDF", lang, w)
				}
			}
			pdfNoRawWords(t, lang, text)
			// The flat-rate line: budget 500.00, 500.00 in the period and
			// to date, nothing remaining.
			row := map[string]string{"en": "10.1 Indirect costs", "fr": "10.1 Coûts indirects"}[lang]
			if line := pdfLineWith(pages, row); !pdfInOrder(line, pdfFormat(lang, 50000), pdfFormat(lang, 50000), pdfFormat(lang, 50000), pdfFormat(lang, 0)) {
				t.Errorf("%s: the flat-rate line %q", lang, line)
			}
			// The publications line: 100.00 dated before the grant's start,
			// not eligible, in a column of its own.
			if line := pdfLineWith(pages, "5.1 Publications"); !pdfInOrder(line, pdfFormat(lang, 6000000), pdfFormat(lang, 0), pdfFormat(lang, 0),
				pdfFormat(lang, 6000000), pdfFormat(lang, -6000000), pdfFormat(lang, 10000)) {
				t.Errorf("%s: the publications line %q", lang, line)
			}
			if !strings.Contains(text, map[string]string{"en": "Not eligible", "fr": "Non éligible"}[lang]) {
				t.Errorf("%s: no column of spending not eligible", lang)
			}
			// The salaries line: 120,000.00 budgeted, 10,000.00 spent.
			if line := pdfLineWith(pages, "1.1 Salaries"); !pdfInOrder(line, pdfFormat(lang, 12000000), pdfFormat(lang, 1000000), pdfFormat(lang, 1000000), pdfFormat(lang, 11000000)) {
				t.Errorf("%s: the salaries line %q", lang, line)
			}
		}
	})
}

// TestPDFPackageWithoutTheOtherParts: a statement with no sources of
// funding or forecast (and no signatory) says so in words; a further
// instalment falling short is reduced; submitted expenditures count, the
// unverified amount still shown.
func TestPDFPackageWithoutTheOtherParts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfPackageFixture(t, d)
		svc := report.NewServiceAt(d, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
		var buf bytes.Buffer
		_, err := svc.PDFWithStatement(f.finance, report.Request{GrantID: f.grant, Period: 2, Language: "pt"}, &buf, func(st *finance.Statement) {
			st.Funding, st.Forecast = finance.Funding{}, nil
			// Instalment 2 not yet: 7,000.00 required, 6,300.00 financed by
			// the EU, 700.00 short; 1,300.00 of the 2,000.00 foreseen.
			st.Payments = finance.Payments{
				Received:      []finance.Instalment{{Number: 1, Date: calendar.MustParse("2025-02-01"), Amount: 1000000}},
				ReceivedTotal: 1000000, Next: 2, NextPlanned: 200000,
				AcceptedToDate: 700000, CoFinancingRateBP: 9000, EUPart: 630000,
				ThresholdBP: 7000, Required: 700000, Shortfall: 70000,
				CapBP: 9000, Cap: 25150541, CapRoom: 24150541, Requestable: 130000,
				EstimatedDate: calendar.MustParse("2027-02-15"),
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		text := pdfCollapse(pdfToText(t, buf.Bytes()))
		for _, w := range []string{
			"Despesas contadas Submetidas e verificadas",
			"1 despesa, 200,00 EUR: contada nos valores",
			// 10,200.00 of direct costs now: 714.00, capped at 500.00.
			"custos diretos elegíveis acumulados 10.200,00 EUR × 7% = 714,00 EUR, limitados ao orçamento da rubrica 10 (500,00 EUR)",
			"Não há fontes de financiamento registadas para esta subvenção.",
			"Não há previsão para um período de relatório seguinte.",
			"Défice (reduz a parcela) 700,00 EUR",
			"1.300,00 EUR dos 2.000,00 EUR previstos",
			"Limiar atingido ao ritmo atual em 15 de fevereiro de 2027",
			"A parcela de pré-financiamento n.º 2 ainda não pode ser solicitada na totalidade: faltam 700,00 EUR à parte financiada pela UE.",
			"Assinatura",
		} {
			if !strings.Contains(text, w) {
				t.Errorf("%q is not in the PDF", w)
			}
		}
		pdfNoRawWords(t, "pt", text)
	})
}

// pdfNoRawWords: no message key, enum name or resource name in the text.
func pdfNoRawWords(t *testing.T, lang, text string) {
	t.Helper()
	for _, raw := range []string{"pdf.", "CO_BENEFICIARY", "co_beneficiary", "affiliated_entity", "PREFINANCING_", "INDIRECT_RECORDED",
		"eu_contribution", "own_funds", "other_donor", "in_kind", "users/", "grants/", "<no value>"} {
		if strings.Contains(text, raw) {
			t.Errorf("%s: %q is in the PDF", lang, raw)
		}
	}
}
