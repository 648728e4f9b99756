package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"

	"github.com/shopspring/decimal"

	"github.com/pactum-dev/pactum/internal/calendar"
)

// demoRates are the demo's exchange rates per 1 EUR at the start of the
// rates history, and how much each drifts per month (fictional, of a
// plausible size; XOF is pegged to the euro).
var demoRates = []struct {
	country, name, code string
	start               string
	driftBP             int64 // drift per month, hundredths of a percent
	decimals            int32
}{
	{"Kenya", "Kenyan shilling", "KES", "141.20", 40, 2},
	{"Senegal", "CFA franc BCEAO", "XOF", "655.957", 0, 3},
	{"Nepal", "Nepalese rupee", "NPR", "147.85", 30, 2},
	{"Philippines", "Philippine peso", "PHP", "61.05", 20, 3},
	{"Brazil", "Brazilian real", "BRL", "5.8120", 50, 4},
	{"Bolivia", "Boliviano", "BOB", "7.6410", 20, 4},
	{"United States", "US dollar", "USD", "1.0850", 10, 4},
	{"United Kingdom", "Pound sterling", "GBP", "0.8560", 10, 4},
	{"Switzerland", "Swiss franc", "CHF", "0.9420", -10, 4},
	{"Cameroon", "CFA franc BEAC", "XAF", "655.957", 0, 3},
	{"India", "Indian rupee", "INR", "90.42", 30, 2},
	{"Kyrgyzstan", "Kyrgyz som", "KGS", "94.70", 20, 2},
}

// ratesCSV is an InforEuro-style file of the month's rates (the k-th month
// of the demo's rate history): country, currency, ISO code, rate.
func ratesCSV(k int) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"Country", "Currency", "ISO code", "Rate"})
	for _, r := range demoRates {
		start := decimal.RequireFromString(r.start)
		// A gentle drift with a small wobble (0.6% steps), rounded as published.
		bp := r.driftBP * int64(k)
		if r.driftBP != 0 {
			bp += 60 * int64((k*7+len(r.code))%5-2)
		}
		rate := start.Mul(decimal.New(10000+bp, -4)).Round(r.decimals)
		_ = w.Write([]string{r.country, r.name, r.code, rate.String()})
	}
	w.Flush()
	return buf.Bytes()
}

// budgetLine is one line of a demo budget, allocated to a project's partner
// (or to the lead when project is "").
type budgetLine struct {
	heading, code, description, unit string
	units                            string
	unitCost                         string
	project, partner                 string // project code, organisation short name
}

// grantBudgets are the demo budgets by grant (index into grantsData), PRAG
// Annex III headings; indirect costs are added at 7% of total direct costs.
var grantBudgets = [][]budgetLine{
	{
		{"1", "1.1.1", "Project coordinator, Brussels", "month", "36", "5200.00", "", "GADW"},
		{"1", "1.1.2", "Finance officer, Brussels", "month", "36", "3900.00", "", "GADW"},
		{"1", "1.1.3", "Organisers, Nairobi", "person-month", "144", "600.00", "KE-01", "UDWU"},
		{"1", "1.1.4", "Organisers, Mombasa", "person-month", "72", "550.00", "KE-01", "MPWA"},
		{"1", "1.1.5", "Field staff, Kathmandu", "person-month", "108", "700.00", "NP-01", "HMWF"},
		{"1", "1.1.6", "Welfare officers, Manila", "person-month", "108", "850.00", "PH-01", "BSSC"},
		{"1", "1.3.1", "Per diems, monitoring missions", "day", "400", "95.00", "", "GADW"},
		{"2", "2.1.1", "International travel", "trip", "60", "1100.00", "", "GADW"},
		{"2", "2.2.1", "Local transport, Kenya", "month", "36", "450.00", "KE-01", "UDWU"},
		{"2", "2.2.2", "Local transport, Nepal", "month", "36", "400.00", "NP-01", "HMWF"},
		{"2", "2.2.3", "Local transport, Philippines", "month", "36", "380.00", "PH-01", "BSSC"},
		{"3", "3.2.1", "Laptops for partner staff", "laptop", "20", "900.00", "", "GADW"},
		{"3", "3.5.1", "Hotline equipment, Nairobi", "lump sum", "1", "12500.00", "KE-01", "UDWU"},
		{"4", "4.2.1", "Office rent, Nairobi", "month", "36", "900.00", "KE-01", "UDWU"},
		{"4", "4.2.2", "Office rent, Kathmandu", "month", "36", "600.00", "NP-01", "HMWF"},
		{"4", "4.2.3", "Office rent, Manila", "month", "36", "750.00", "PH-01", "BSSC"},
		{"5", "5.1.1", "Publications and know-your-rights leaflets", "edition", "12", "2500.00", "", "GADW"},
		{"5", "5.3.1", "Expenditure verification", "verification", "2", "12000.00", "", "GADW"},
		{"5", "5.4.1", "Final evaluation", "lump sum", "1", "45000.00", "", "GADW"},
		{"5", "5.7.1", "Trainings and assemblies, Kenya", "event", "24", "3200.00", "KE-01", "UDWU"},
		{"5", "5.7.2", "Pre-departure orientations, Nepal", "event", "24", "2900.00", "NP-01", "HMWF"},
		{"5", "5.7.3", "Port welfare sessions, Manila", "event", "24", "3000.00", "PH-01", "BSSC"},
		{"5", "5.8.1", "Visibility actions", "lump sum", "1", "15000.00", "", "GADW"},
		{"6", "6.1.1", "Legal aid fund, Kenya", "lump sum", "1", "60000.00", "KE-01", "UDWU"},
		{"6", "6.1.2", "Recruitment-fee monitoring, Nepal", "lump sum", "1", "40000.00", "NP-01", "HMWF"},
		{"6", "6.1.3", "Wage claims assistance, Philippines", "lump sum", "1", "35000.00", "PH-01", "BSSC"},
		{"8", "8.1", "Contingency reserve", "lump sum", "1", "30000.00", "", "GADW"},
	},
	{
		{"1", "1.1.1", "Programme manager, Brussels", "month", "36", "4800.00", "", "GADW"},
		{"1", "1.1.2", "Organisers, Thiès", "person-month", "108", "520.00", "SN-01", "RTT"},
		{"1", "1.1.3", "Organisers, Recife", "person-month", "108", "780.00", "BR-01", "ITD"},
		{"1", "1.1.4", "Organisers, La Paz", "person-month", "108", "560.00", "BO-01", "RATH"},
		{"2", "2.1.1", "International travel", "trip", "30", "1150.00", "", "GADW"},
		{"2", "2.2.1", "Local transport, Senegal", "month", "36", "300.00", "SN-01", "RTT"},
		{"2", "2.2.2", "Local transport, Brazil", "month", "36", "420.00", "BR-01", "ITD"},
		{"2", "2.2.3", "Local transport, Bolivia", "month", "36", "310.00", "BO-01", "RATH"},
		{"3", "3.2.1", "Mobile phones for riders' safety network", "phone", "120", "180.00", "BR-01", "ITD"},
		{"4", "4.2.1", "Office rent, Thiès", "month", "36", "350.00", "SN-01", "RTT"},
		{"4", "4.2.2", "Office rent, Recife", "month", "36", "650.00", "BR-01", "ITD"},
		{"4", "4.2.3", "Office rent, La Paz", "month", "36", "420.00", "BO-01", "RATH"},
		{"5", "5.3.1", "Expenditure verification", "verification", "2", "11000.00", "", "GADW"},
		{"5", "5.7.1", "Savings group trainings, Thiès", "event", "30", "1800.00", "SN-01", "RTT"},
		{"5", "5.7.2", "Occupational safety campaigns, Recife", "event", "24", "2600.00", "BR-01", "ITD"},
		{"5", "5.7.3", "Contract registration clinics, La Paz", "event", "30", "1500.00", "BO-01", "RATH"},
		{"6", "6.1.1", "Strategic litigation fund, Brazil", "lump sum", "1", "38000.00", "BR-01", "ITD"},
		{"8", "8.1", "Contingency reserve", "lump sum", "1", "20000.00", "", "GADW"},
	},
}

// partnerCurrency is the currency each demo organisation pays in.
var partnerCurrency = map[string]string{
	"GADW": "EUR", "UDWU": "KES", "MPWA": "KES", "HMWF": "NPR", "BSSC": "PHP", "RTT": "XOF", "ITD": "BRL", "RATH": "BOB",
}

// payees per partner, for fictional ledgers.
var payees = map[string][]string{
	"GADW": {"Brussels Airlines", "SNCB", "Imprimerie Lambert", "Hotel Manos", "Proximus", "Audit Partners BV"},
	"UDWU": {"Kenya Power", "Safaricom PLC", "Nairobi Printers Ltd", "Matatu Sacco", "Java House Catering"},
	"MPWA": {"Mombasa Stationers", "Coast Bus", "Kenya Power"},
	"HMWF": {"Nepal Telecom", "Himalayan Bank", "Kathmandu Press", "Sajha Yatayat"},
	"BSSC": {"Meralco", "PLDT", "National Book Store", "Jollibee Catering"},
	"RTT":  {"Senelec", "Orange Sénégal", "Imprimerie du Cayor", "Dakar Dem Dikk"},
	"ITD":  {"Neoenergia", "Claro", "Gráfica Recife", "Uber do Brasil"},
	"RATH": {"DELAPAZ", "Entel", "Imprenta Illimani", "Transportes Sopocachi"},
}

// ledgerRows builds a fictional ledger for a grant's budget: each line
// spends month by month from the grant's start until today at a pace around
// its budget's, in the partner's currency (converted at roughly the demo
// rate), with a few refunds-free irregularities. Rows: date, line code,
// project code, partner short name, amount, currency, payee, description,
// document reference.
func ledgerRows(seed uint64, lines []budgetLine, start, end, today calendar.Date, pacePercent int64) [][]string {
	rng := rand.New(rand.NewPCG(seed, seed*31+7))
	months := int64(calendar.MonthsBetween(start, end) + 1)
	var rows [][]string
	n := 0
	for _, l := range lines {
		if l.heading == "8" {
			continue // the contingency reserve is not spent directly
		}
		total := decimal.RequireFromString(l.units).Mul(decimal.RequireFromString(l.unitCost)).Mul(decimal.New(pacePercent, -2))
		lump := l.unit == "lump sum"
		// Lump sums are spent in instalments every six months, other lines
		// monthly, in 1 to 3 payments.
		share := total.Div(decimal.NewFromInt(months))
		if lump {
			share = total.Div(decimal.NewFromInt(months/6 + 1))
		}
		cur := partnerCurrency[l.partner]
		rate := approxRate(cur)
		scale := int32(2)
		if cur == "XOF" {
			scale = 0
		}
		for m := 0; ; m++ {
			month := start.AddMonths(m)
			if month.After(today) || month.After(end) {
				break
			}
			if lump && m%6 != 3 {
				continue
			}
			parts := 1 + rng.IntN(4)
			for p := 0; p < parts; p++ {
				date := calendar.New(month.Time().Year(), month.Time().Month(), 1+rng.IntN(27))
				if date.After(today) || date.Before(start) {
					continue
				}
				// 75% to 125% of an even share, in the partner's currency.
				factor := decimal.New(int64(75+rng.IntN(51)), -2)
				amount := share.Div(decimal.NewFromInt(int64(parts))).Mul(factor).Mul(rate).Round(scale)
				if !amount.IsPositive() {
					continue
				}
				n++
				rows = append(rows, []string{
					date.String(), l.code, l.project, l.partner, amount.StringFixed(scale), cur,
					payees[l.partner][rng.IntN(len(payees[l.partner]))], l.description,
					fmt.Sprintf("%s-%s-%05d", l.partner, date.String()[:7], n),
				})
			}
		}
	}
	return rows
}

// approxRate is a demo currency's starting rate per EUR, to make fictional
// local amounts of a plausible size (conversion uses the rate table).
func approxRate(code string) decimal.Decimal {
	for _, r := range demoRates {
		if r.code == code {
			return decimal.RequireFromString(r.start)
		}
	}
	return decimal.NewFromInt(1)
}

// ledgerCSV writes rows under the ledger template's header.
func ledgerCSV(header []string, rows [][]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	return buf.Bytes()
}
