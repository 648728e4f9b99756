package fx_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/rules"
)

// The must-show scenario: a EUR grant (2026-01-01 to 2026-06-30, reporting
// periods of 3 months: P1 = January to March, P2 = April to June) whose
// partners spent in four currencies, converted under each of the four rate
// policies (one grant per policy, the same expenditures in each). Every
// expected figure below was computed by hand; the comments show the
// arithmetic: amount / rate = the exact quotient (digits shown to 10
// places), then rounded once to the cent, half away from zero.
//
// Partners: A (Kenya) spends KES, B (Nepal) NPR, C (Senegal) XOF (no minor
// unit: amounts are whole francs), D (Brazil) BRL.
//
// Monthly rates (units per 1 EUR), imported month by month from
// InforEuro-style files; BRL has no rate for June:
//
//	        Jan      Feb      Mar      Apr      May      Jun
//	KES  140.50   141.20   139.80   142.00   143.10   141.60
//	XOF 655.957  655.957  655.957  655.957  655.957  655.957
//	NPR  155.30   156.10   154.90   157.25   158.00   156.40
//	BRL  6.1234   6.2011   6.0987   6.3050   6.2500        -
//
// Expenditures (status verified):
//
//	E1 A KES 2026-01-15  125,000.00
//	E2 A KES 2026-04-14   50,001.75
//	E3 C XOF 2026-02-10   1,500,000
//	E4 C XOF 2026-05-05     250,000
//	E5 B NPR 2026-03-03   98,765.43
//	E6 B NPR 2026-06-18   23,456.78
//	E7 D BRL 2026-01-28    4,321.09
//	E8 D BRL 2026-06-30      987.65
type expense struct {
	key, org, currency, date string
	amount                   int64 // minor units of currency
}

var expenses = []expense{
	{"E1", "A", "KES", "2026-01-15", 12500000},
	{"E2", "A", "KES", "2026-04-14", 5000175},
	{"E3", "C", "XOF", "2026-02-10", 1500000},
	{"E4", "C", "XOF", "2026-05-05", 250000},
	{"E5", "B", "NPR", "2026-03-03", 9876543},
	{"E6", "B", "NPR", "2026-06-18", 2345678},
	{"E7", "D", "BRL", "2026-01-28", 432109},
	{"E8", "D", "BRL", "2026-06-30", 98765},
}

var monthlyRates = map[string][6]string{
	"KES": {"140.50", "141.20", "139.80", "142.00", "143.10", "141.60"},
	"XOF": {"655.957", "655.957", "655.957", "655.957", "655.957", "655.957"},
	"NPR": {"155.30", "156.10", "154.90", "157.25", "158.00", "156.40"},
	"BRL": {"6.1234", "6.2011", "6.0987", "6.3050", "6.2500", ""},
}

// want is one expected conversion: rate "" means no rate applies (the
// expenditure stays unconverted, with a problem containing problem).
type want struct {
	rate      string
	converted int64 // cents of EUR
	problem   string
}

// Monthly policy: the rate of the month the cost was incurred.
var wantMonthly = map[string]want{
	// 125,000.00 / 140.50 = 889.6797153025 -> 889.68
	"E1": {rate: "140.50", converted: 88968},
	// THE HALF CENT: 50,001.75 / 142.00 = 352.125 exactly -> 352.13, half
	// away from zero (half-to-even would give 352.12, truncation 352.12).
	"E2": {rate: "142.00", converted: 35213},
	// XOF has no decimals: 1,500,000 / 655.957 = 2286.7352585612 -> 2,286.74
	"E3": {rate: "655.957", converted: 228674},
	// 250,000 / 655.957 = 381.1225430935 -> 381.12
	"E4": {rate: "655.957", converted: 38112},
	// 98,765.43 / 154.90 (March) = 637.6076823757 -> 637.61
	"E5": {rate: "154.90", converted: 63761},
	// 23,456.78 / 156.40 (June) = 149.9794117647 -> 149.98
	"E6": {rate: "156.40", converted: 14998},
	// 4,321.09 / 6.1234 (January) = 705.6684195055 -> 705.67
	"E7": {rate: "6.1234", converted: 70567},
	// No BRL rate for June: left unconverted, out of the totals, never 1:1.
	"E8": {problem: "no BRL rate for 2026-06 per EUR"},
}

// Totals (sums of the rounded amounts):
//
//	KES  889.68 + 352.13            =   1,241.81
//	XOF  2,286.74 + 381.12          =   2,667.86
//	NPR  637.61 + 149.98            =     787.59
//	BRL  705.67 (E8 left out)       =     705.67
//	all  1,241.81 + 2,667.86 + 787.59 + 705.67 = 5,402.93
var totalsMonthly = map[string]int64{"KES": 124181, "XOF": 266786, "NPR": 78759, "BRL": 70567, "": 540293}

// Period-average policy: the simple average of the monthly rates of the
// reporting period holding the date, rounded to 8 decimals (half away from
// zero) before dividing.
//
//	KES P1 (140.50 + 141.20 + 139.80) / 3 = 421.50 / 3 = 140.5 exactly
//	KES P2 (142.00 + 143.10 + 141.60) / 3 = 426.70 / 3 = 142.2333333333.. -> 142.23333333
//	XOF P1, P2: 3 x 655.957 / 3 = 655.957
//	NPR P1 (155.30 + 156.10 + 154.90) / 3 = 466.30 / 3 = 155.4333333333.. -> 155.43333333
//	NPR P2 (157.25 + 158.00 + 156.40) / 3 = 471.65 / 3 = 157.2166666666.. -> 157.21666667 (rounded up)
//	BRL P1 (6.1234 + 6.2011 + 6.0987) / 3 = 18.4232 / 3 = 6.1410666666.. -> 6.14106667
//	BRL P2: June is missing, so no average.
var wantAverage = map[string]want{
	// 125,000.00 / 140.5 = 889.6797153025 -> 889.68
	"E1": {rate: "140.5", converted: 88968},
	// 50,001.75 / 142.23333333 = 351.5473400598 -> 351.55
	"E2": {rate: "142.23333333", converted: 35155},
	// 1,500,000 / 655.957 = 2286.7352585612 -> 2,286.74
	"E3": {rate: "655.957", converted: 228674},
	// 250,000 / 655.957 = 381.1225430935 -> 381.12
	"E4": {rate: "655.957", converted: 38112},
	// 98,765.43 / 155.43333333 = 635.4198799193 -> 635.42
	"E5": {rate: "155.43333333", converted: 63542},
	// 23,456.78 / 157.21666667 = 149.2003392314 -> 149.20
	"E6": {rate: "157.21666667", converted: 14920},
	// 4,321.09 / 6.14106667 = 703.6383469193 -> 703.64
	"E7": {rate: "6.14106667", converted: 70364},
	"E8": {problem: "needs the monthly rates of 2026-06"},
}

// Totals:
//
//	KES  889.68 + 351.55   = 1,241.23
//	XOF  2,286.74 + 381.12 = 2,667.86
//	NPR  635.42 + 149.20   =   784.62
//	BRL  703.64            =   703.64
//	all  1,241.23 + 2,667.86 + 784.62 + 703.64 = 5,397.35
var totalsAverage = map[string]int64{"KES": 124123, "XOF": 266786, "NPR": 78462, "BRL": 70364, "": 539735}

// Fixed policy: contract rates KES 140, XOF 655.957, NPR 160, BRL 6.
var wantFixed = map[string]want{
	// 125,000.00 / 140 = 892.8571428571 -> 892.86
	"E1": {rate: "140", converted: 89286},
	// 50,001.75 / 140 = 357.1553571429 -> 357.16
	"E2": {rate: "140", converted: 35716},
	// 1,500,000 / 655.957 = 2286.7352585612 -> 2,286.74
	"E3": {rate: "655.957", converted: 228674},
	// 250,000 / 655.957 = 381.1225430935 -> 381.12
	"E4": {rate: "655.957", converted: 38112},
	// 98,765.43 / 160 = 617.2839375 -> 617.28
	"E5": {rate: "160", converted: 61728},
	// 23,456.78 / 160 = 146.604875 -> 146.60
	"E6": {rate: "160", converted: 14660},
	// 4,321.09 / 6 = 720.1816666667 -> 720.18
	"E7": {rate: "6", converted: 72018},
	// 987.65 / 6 = 164.6083333333 -> 164.61
	"E8": {rate: "6", converted: 16461},
}

// Totals:
//
//	KES  892.86 + 357.16   = 1,250.02
//	XOF  2,286.74 + 381.12 = 2,667.86
//	NPR  617.28 + 146.60   =   763.88
//	BRL  720.18 + 164.61   =   884.79
//	all  1,250.02 + 2,667.86 + 763.88 + 884.79 = 5,566.55
var totalsFixed = map[string]int64{"KES": 125002, "XOF": 266786, "NPR": 76388, "BRL": 88479, "": 556655}

// Transfer policy: the rate of the latest transfer to the partner in that
// currency on or before the date (local received / EUR sent, 8 decimals):
//
//	A KES 2026-01-05  EUR 20,000.00 -> KES 2,812,000.00: 2,812,000 / 20,000 = 140.6
//	A KES 2026-04-01  EUR 10,000.00 -> KES 1,423,456.00: 1,423,456 / 10,000 = 142.3456
//	C XOF 2026-03-01  EUR  5,000.00 -> XOF 3,279,785:    3,279,785 / 5,000  = 655.957
//	B NPR 2026-02-15  EUR  8,000.00 -> NPR 1,250,000.00: 1,250,000 / 8,000  = 156.25
//	D BRL 2026-01-20  EUR  3,000.00 -> BRL 18,500.00:    18,500 / 3,000 = 6.1666666666.. -> 6.16666667
var wantTransfer = map[string]want{
	// 125,000.00 / 140.6 = 889.0469416785 -> 889.05
	"E1": {rate: "140.6", converted: 88905},
	// 50,001.75 / 142.3456 (the April transfer) = 351.2700778949 -> 351.27
	"E2": {rate: "142.3456", converted: 35127},
	// Spent on 2026-02-10, before C's first XOF transfer (2026-03-01): no rate.
	"E3": {problem: "no transfer to the partner in XOF on or before 2026-02-10"},
	// 250,000 / 655.957 = 381.1225430935 -> 381.12
	"E4": {rate: "655.957", converted: 38112},
	// 98,765.43 / 156.25 = 632.098752 -> 632.10
	"E5": {rate: "156.25", converted: 63210},
	// 23,456.78 / 156.25 = 150.123392 -> 150.12
	"E6": {rate: "156.25", converted: 15012},
	// 4,321.09 / 6.16666667 = 700.7172969185 -> 700.72
	"E7": {rate: "6.16666667", converted: 70072},
	// 987.65 / 6.16666667 = 160.1594593729 -> 160.16
	"E8": {rate: "6.16666667", converted: 16016},
}

// Totals:
//
//	KES  889.05 + 351.27  = 1,240.32
//	XOF  381.12 (E3 left out)
//	NPR  632.10 + 150.12  =   782.22
//	BRL  700.72 + 160.16  =   860.88
//	all  1,240.32 + 381.12 + 782.22 + 860.88 = 3,264.54
var totalsTransfer = map[string]int64{"KES": 124032, "XOF": 38112, "NPR": 78222, "BRL": 86088, "": 326454}

type scenario struct {
	d      *bun.DB
	svc    *fx.Service
	orgs   map[string]string                      // "A" -> organisation id
	grants map[rules.RatePolicy]string            // policy -> grant id
	ids    map[rules.RatePolicy]map[string]string // policy -> "E1" -> expenditure id
}

var policies = []rules.RatePolicy{rules.Monthly, rules.PeriodAverage, rules.Fixed, rules.Transfer}

func TestScenarioFourCurrenciesUnderEachRatePolicy(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		sys := actor.SystemContext(context.Background())
		sc := newScenario(t, d)

		// Rates first (nothing to convert yet), then the expenditures, then
		// one reconversion of each grant.
		for m := 1; m <= 6; m++ {
			month := fmt.Sprintf("2026-%02d", m)
			var b strings.Builder
			b.WriteString("Country;Currency;ISO code;Rate per EUR\n")
			b.WriteString("Euro area;Euro;EUR;1\n")
			for _, cur := range []string{"KES", "XOF", "NPR", "BRL"} {
				if r := monthlyRates[cur][m-1]; r != "" {
					// Decimal commas, as InforEuro's French and German exports write them.
					fmt.Fprintf(&b, "Somewhere;Some currency;%s;%s\n", cur, strings.Replace(r, ".", ",", 1))
				}
			}
			res, err := sc.svc.ImportRates(sys, fx.ImportInput{FileName: "inforeuro-" + month + ".csv", Content: []byte(b.String()), Month: month})
			if err != nil || len(res.Problems) > 0 {
				t.Fatalf("import %s: %v %v", month, err, res)
			}
		}
		sc.createTransfers(sys, t)
		sc.insertExpenditures(t)
		for _, p := range policies {
			if _, err := fx.ReconvertGrant(sys, d, sc.grants[p], fx.Scope{}); err != nil {
				t.Fatal(err)
			}
		}
		sc.check(t, rules.Monthly, wantMonthly, totalsMonthly)
		sc.check(t, rules.PeriodAverage, wantAverage, totalsAverage)
		sc.check(t, rules.Fixed, wantFixed, totalsFixed)
		sc.check(t, rules.Transfer, wantTransfer, totalsTransfer)

		// Converting again changes nothing.
		for _, p := range policies {
			if n, err := fx.ReconvertGrant(sys, d, sc.grants[p], fx.Scope{}); err != nil || n != 0 {
				t.Fatalf("%s: reconverting again changed %d rows (%v)", p, n, err)
			}
		}

		// A finance officer corrects January's KES rate, 140.50 -> 141.00.
		// Only E1 of the monthly grant and E1 of the average grant use it:
		//	monthly  125,000.00 / 141 = 886.5248226950 -> 886.52
		//	average  (141.00 + 141.20 + 139.80) / 3 = 422.00 / 3 = 140.6666666666.. -> 140.66666667;
		//	         125,000.00 / 140.66666667 = 888.6255923960 -> 888.63
		financeCtx := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u1", Email: "finance@lead.example",
			Memberships: []actor.Membership{{OrganisationID: sc.orgs["L"], Role: actor.RoleFinance}}})
		before := sc.snapshot(t)
		r, n, err := sc.svc.SetRate(financeCtx, fx.RateInput{Base: "EUR", Currency: "KES", Month: "2026-01", Rate: "141.00"})
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 || r.Source != "manual (finance@lead.example)" || r.Rate.String() != "141" {
			t.Fatalf("SetRate: %d reconverted, rate %s, source %q", n, r.Rate, r.Source)
		}
		sc.expectChanged(t, before, map[string]want{
			"monthly/E1":        {rate: "141.00", converted: 88652},
			"period_average/E1": {rate: "140.66666667", converted: 88863},
		})
		// Totals follow: monthly KES 886.52 + 352.13 = 1,238.65, all
		// 5,402.93 - 889.68 + 886.52 = 5,399.77; average KES 888.63 + 351.55
		// = 1,240.18, all 5,397.35 - 889.68 + 888.63 = 5,396.30.
		sc.checkTotals(t, rules.Monthly, map[string]int64{"KES": 123865, "XOF": 266786, "NPR": 78759, "BRL": 70567, "": 539977})
		sc.checkTotals(t, rules.PeriodAverage, map[string]int64{"KES": 124018, "XOF": 266786, "NPR": 78462, "BRL": 70364, "": 539630})

		// June's BRL rate arrives (6.18): the two expenditures waiting for it
		// are converted; nothing else moves.
		//	monthly  987.65 / 6.18 = 159.8139158576 -> 159.81
		//	average  (6.3050 + 6.2500 + 6.1800) / 3 = 18.7350 / 3 = 6.245 exactly;
		//	         987.65 / 6.245 = 158.1505204163 -> 158.15
		before = sc.snapshot(t)
		if _, n, err = sc.svc.SetRate(financeCtx, fx.RateInput{Base: "EUR", Currency: "BRL", Month: "2026-06", Rate: "6.18", Source: "bank notice"}); err != nil || n != 2 {
			t.Fatalf("SetRate BRL: %d, %v", n, err)
		}
		sc.expectChanged(t, before, map[string]want{
			"monthly/E8":        {rate: "6.18", converted: 15981},
			"period_average/E8": {rate: "6.245", converted: 15815},
		})
		// Monthly BRL 705.67 + 159.81 = 865.48; all 5,399.77 + 159.81 = 5,559.58.
		sc.checkTotals(t, rules.Monthly, map[string]int64{"KES": 123865, "XOF": 266786, "NPR": 78759, "BRL": 86548, "": 555958})

		// A transfer to C in XOF on 2026-02-01 (EUR 2,000.00 -> XOF 1,311,914:
		// 1,311,914 / 2,000 = 655.957) gives E3 of the transfer grant its
		// rate: 1,500,000 / 655.957 = 2286.7352585612 -> 2,286.74. No other
		// grant, partner or currency moves.
		before = sc.snapshot(t)
		tr, n, err := sc.svc.CreateTransfer(financeCtx, sc.grants[rules.Transfer], fx.TransferInput{OrganisationID: sc.orgs["C"],
			Date: "2026-02-01", GrantAmount: "2000.00", Currency: "XOF", LocalAmount: "1311914", Reference: "SWIFT 0201"}, "")
		if err != nil || n != 1 {
			t.Fatalf("CreateTransfer: %d, %v", n, err)
		}
		sc.expectChanged(t, before, map[string]want{"transfer/E3": {rate: "655.957", converted: 228674}})
		// Transfer XOF 381.12 + 2,286.74 = 2,667.86; all 3,264.54 + 2,286.74 = 5,551.28.
		sc.checkTotals(t, rules.Transfer, map[string]int64{"KES": 124032, "XOF": 266786, "NPR": 78222, "BRL": 86088, "": 555128})

		// Taking the June BRL rate and the transfer back restores the
		// earlier state: rows without a rate again, never converted 1:1.
		before = sc.snapshot(t)
		if n, err := sc.svc.DeleteRate(financeCtx, "EUR", "BRL", "2026-06"); err != nil || n != 2 {
			t.Fatalf("DeleteRate: %d, %v", n, err)
		}
		if n, err := sc.svc.DeleteTransfer(financeCtx, tr.GrantID, tr.ID); err != nil || n != 1 {
			t.Fatalf("DeleteTransfer: %d, %v", n, err)
		}
		sc.expectChanged(t, before, map[string]want{
			"monthly/E8":        wantMonthly["E8"],
			"period_average/E8": wantAverage["E8"],
			"transfer/E3":       wantTransfer["E3"],
		})
		sc.checkTotals(t, rules.Transfer, totalsTransfer)
	})
}

func newScenario(t *testing.T, d *bun.DB) *scenario {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	sc := &scenario{d: d, svc: fx.NewService(d), orgs: map[string]string{}, grants: map[rules.RatePolicy]string{},
		ids: map[rules.RatePolicy]map[string]string{}}
	orgs := organisation.NewService(d)
	for _, o := range []struct {
		key, name, country string
		kind               organisation.Kind
	}{
		{"EC", "European Commission", "BE", organisation.KindDonor},
		{"L", "Global Alliance for Decent Work", "BE", organisation.KindLead},
		{"A", "Umoja Domestic Workers Union", "KE", organisation.KindLocalPartner},
		{"B", "Himalaya Migrant Workers Forum", "NP", organisation.KindMember},
		{"C", "Syndicat des travailleuses domestiques", "SN", organisation.KindLocalPartner},
		{"D", "Federação das Trabalhadoras Domésticas", "BR", organisation.KindMember},
	} {
		org, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: o.name, CountryCode: o.country, Kind: o.kind}, "")
		if err != nil {
			t.Fatal(err)
		}
		sc.orgs[o.key] = org.ID
	}
	grants, projects := grant.NewService(d), project.NewService(d)
	for i, p := range policies {
		g, err := grants.Create(ctx, grant.Input{DonorID: sc.orgs["EC"], LeadOrganisationID: sc.orgs["L"],
			DonorReference: fmt.Sprintf("CSO-LA/2026/%d", i+1), Title: "Decent work, " + string(p), CurrencyCode: "EUR",
			StartDate: "2026-01-01", EndDate: "2026-06-30", TotalEligibleCosts: "100000.00", MaxDonorContribution: "90000.00",
			CoFinancingRate: "90", ReportingPeriodMonths: 3}, "")
		if err != nil {
			t.Fatal(err)
		}
		sc.grants[p] = g.ID
		if _, err := projects.Create(ctx, project.Input{GrantID: g.ID, Code: "P1", Title: "Four countries", CountryCodes: []string{"KE", "NP", "SN", "BR"},
			Participants: []project.Participant{
				{OrganisationID: sc.orgs["A"], Role: project.RoleCoordinator},
				{OrganisationID: sc.orgs["B"], Role: project.RoleCoBeneficiary},
				{OrganisationID: sc.orgs["C"], Role: project.RoleCoBeneficiary},
				{OrganisationID: sc.orgs["D"], Role: project.RoleCoBeneficiary},
			}}, ""); err != nil {
			t.Fatal(err)
		}
		r := rules.Defaults(g.ID)
		r.RatePolicy = p
		if p == rules.Fixed {
			for cur, rate := range map[string]string{"KES": "140", "XOF": "655.957", "NPR": "160", "BRL": "6"} {
				r.FixedRates = append(r.FixedRates, rules.FixedRate{Currency: cur, Rate: decimal.RequireFromString(rate), Source: "contract, Annex III"})
			}
		}
		if err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return rules.Save(ctx, tx, r, time.Now().UTC())
		}); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

func (sc *scenario) createTransfers(ctx context.Context, t *testing.T) {
	t.Helper()
	for _, tr := range []fx.TransferInput{
		{OrganisationID: sc.orgs["A"], Date: "2026-01-05", GrantAmount: "20000.00", Currency: "KES", LocalAmount: "2812000.00"},
		{OrganisationID: sc.orgs["A"], Date: "2026-04-01", GrantAmount: "10000.00", Currency: "KES", LocalAmount: "1423456.00"},
		{OrganisationID: sc.orgs["C"], Date: "2026-03-01", GrantAmount: "5000.00", Currency: "XOF", LocalAmount: "3279785"},
		{OrganisationID: sc.orgs["B"], Date: "2026-02-15", GrantAmount: "8000.00", Currency: "NPR", LocalAmount: "1250000.00"},
		{OrganisationID: sc.orgs["D"], Date: "2026-01-20", GrantAmount: "3000.00", Currency: "BRL", LocalAmount: "18500.00"},
	} {
		if _, _, err := sc.svc.CreateTransfer(ctx, sc.grants[rules.Transfer], tr, ""); err != nil {
			t.Fatalf("transfer %+v: %v", tr, err)
		}
	}
}

func (sc *scenario) insertExpenditures(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	for _, p := range policies {
		sc.ids[p] = map[string]string{}
		for i, e := range expenses {
			id := fmt.Sprintf("%s-%s", sc.grants[p], e.key)
			_, err := sc.d.NewRaw(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, organisation_id, expense_date, amount,
				currency_code, description, status, created_by, create_time, update_time)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'verified', 'system', ?, ?)`,
				id, sc.grants[p], fmt.Sprintf("line-%d", i%3+1), "1", sc.orgs[e.org], e.date, e.amount, e.currency, e.key, now, now).Exec(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sc.ids[p][e.key] = id
		}
	}
}

type row struct {
	ID        string  `bun:"id"`
	Rate      *string `bun:"rate"`
	Source    string  `bun:"rate_source"`
	Converted *int64  `bun:"converted_amount"`
	Problem   string  `bun:"rate_problem"`
}

func (r row) String() string {
	rate, conv := "NULL", "NULL"
	if r.Rate != nil {
		rate = *r.Rate
	}
	if r.Converted != nil {
		conv = fmt.Sprint(*r.Converted)
	}
	return fmt.Sprintf("rate %s, converted %s, source %q, problem %q", rate, conv, r.Source, r.Problem)
}

// snapshot reads every expenditure's conversion, keyed "policy/E1".
func (sc *scenario) snapshot(t *testing.T) map[string]row {
	t.Helper()
	out := map[string]row{}
	for _, p := range policies {
		var rows []row
		if err := sc.d.NewSelect().Table("expenditures").Column("id", "rate", "rate_source", "converted_amount", "rate_problem").
			Where("grant_id = ?", sc.grants[p]).Scan(context.Background(), &rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out[string(p)+"/"+r.ID[strings.LastIndex(r.ID, "-")+1:]] = r
		}
	}
	if len(out) != len(policies)*len(expenses) {
		t.Fatalf("%d expenditures", len(out))
	}
	return out
}

func matches(r row, w want) error {
	if w.rate == "" {
		if r.Rate != nil || r.Converted != nil || r.Source != "" || !strings.Contains(r.Problem, w.problem) {
			return fmt.Errorf("want unconverted with problem %q", w.problem)
		}
		return nil
	}
	if r.Rate == nil || r.Converted == nil || r.Problem != "" || r.Source == "" {
		return fmt.Errorf("want converted at %s to %d", w.rate, w.converted)
	}
	if !decimal.RequireFromString(*r.Rate).Equal(decimal.RequireFromString(w.rate)) || *r.Converted != w.converted {
		return fmt.Errorf("want rate %s, converted %d", w.rate, w.converted)
	}
	return nil
}

func (sc *scenario) check(t *testing.T, p rules.RatePolicy, wants map[string]want, totals map[string]int64) {
	t.Helper()
	rows := sc.snapshot(t)
	for _, e := range expenses {
		r := rows[string(p)+"/"+e.key]
		if err := matches(r, wants[e.key]); err != nil {
			t.Errorf("%s %s (%s %d on %s): got %s; %v", p, e.key, e.currency, e.amount, e.date, r, err)
		}
		if r.Rate != nil {
			sources := map[rules.RatePolicy]string{rules.Monthly: "InforEuro ", rules.PeriodAverage: "average of 3 monthly",
				rules.Fixed: "fixed contract rate (contract, Annex III)", rules.Transfer: "bank transfer of "}
			if !strings.Contains(r.Source, sources[p]) {
				t.Errorf("%s %s: source %q, want it to mention %q", p, e.key, r.Source, sources[p])
			}
		}
	}
	sc.checkTotals(t, p, totals)
}

// checkTotals sums the converted amounts in the database, per currency and
// overall, leaving out the rows without a rate.
func (sc *scenario) checkTotals(t *testing.T, p rules.RatePolicy, want map[string]int64) {
	t.Helper()
	var sums []struct {
		Currency string `bun:"currency_code"`
		Total    int64  `bun:"total"`
	}
	ctx := context.Background()
	if err := sc.d.NewRaw(`SELECT currency_code, SUM(converted_amount) AS total FROM expenditures
		WHERE grant_id = ? AND converted_amount IS NOT NULL GROUP BY currency_code`, sc.grants[p]).Scan(ctx, &sums); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, s := range sums {
		got[s.Currency] = s.Total
	}
	var all int64
	if err := sc.d.NewRaw(`SELECT COALESCE(SUM(converted_amount), 0) FROM expenditures WHERE grant_id = ?`, sc.grants[p]).Scan(ctx, &all); err != nil {
		t.Fatal(err)
	}
	got[""] = all
	for cur, w := range want {
		if got[cur] != w {
			name := cur
			if name == "" {
				name = "grand total"
			}
			t.Errorf("%s: %s total = %d cents, want %d (by hand)", p, name, got[cur], w)
		}
	}
	// The hand-computed per-currency totals add up to the hand-computed grand total.
	if s := want["KES"] + want["XOF"] + want["NPR"] + want["BRL"]; s != want[""] {
		t.Errorf("%s: the expected totals do not add up: %d != %d", p, s, want[""])
	}
}

// expectChanged checks that exactly the rows named in changed differ from
// before, and as wanted.
func (sc *scenario) expectChanged(t *testing.T, before map[string]row, changed map[string]want) {
	t.Helper()
	after := sc.snapshot(t)
	for k, b := range after {
		w, ok := changed[k]
		if !ok {
			if b.String() != before[k].String() {
				t.Errorf("%s changed though its rate did not: %s -> %s", k, before[k], b)
			}
			continue
		}
		if err := matches(b, w); err != nil {
			t.Errorf("%s: got %s; %v", k, b, err)
		}
	}
}
