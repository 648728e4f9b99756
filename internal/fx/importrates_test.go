package fx_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/page"
)

// inforEuroCountries is an InforEuro-like month: one row per country, so
// currencies shared by several countries (XOF, XAF, XCD, USD, ANG) come more
// than once with the same rate, and euro-area countries list EUR at 1.
const inforEuroCountries = `Afghanistan|Afghani|AFN
Albania|Lek|ALL
Algeria|Algerian dinar|DZD
Angola|Kwanza|AOA
Argentina|Argentine peso|ARS
Armenia|Dram|AMD
Aruba|Aruban florin|AWG
Australia|Australian dollar|AUD
Azerbaijan|Azerbaijani manat|AZN
Bahamas|Bahamian dollar|BSD
Bahrain|Bahraini dinar|BHD
Bangladesh|Taka|BDT
Barbados|Barbados dollar|BBD
Belarus|Belarusian rouble|BYN
Belize|Belize dollar|BZD
Bermuda|Bermudian dollar|BMD
Bhutan|Ngultrum|BTN
Bolivia|Boliviano|BOB
Bosnia and Herzegovina|Convertible mark|BAM
Botswana|Pula|BWP
Brazil|Brazilian real|BRL
Brunei|Brunei dollar|BND
Bulgaria|Lev|BGN
Burundi|Burundi franc|BIF
Cabo Verde|Cabo Verde escudo|CVE
Cambodia|Riel|KHR
Canada|Canadian dollar|CAD
Cayman Islands|Cayman Islands dollar|KYD
Chile|Chilean peso|CLP
China|Yuan renminbi|CNY
Colombia|Colombian peso|COP
Comoros|Comorian franc|KMF
Congo (Democratic Republic)|Congolese franc|CDF
Costa Rica|Costa Rican colon|CRC
Cuba|Cuban peso|CUP
Czechia|Czech koruna|CZK
Denmark|Danish krone|DKK
Djibouti|Djibouti franc|DJF
Dominican Republic|Dominican peso|DOP
Egypt|Egyptian pound|EGP
Eritrea|Nakfa|ERN
Eswatini|Lilangeni|SZL
Ethiopia|Ethiopian birr|ETB
Fiji|Fiji dollar|FJD
Gambia|Dalasi|GMD
Georgia|Lari|GEL
Ghana|Ghana cedi|GHS
Gibraltar|Gibraltar pound|GIP
Guatemala|Quetzal|GTQ
Guinea|Guinean franc|GNF
Guyana|Guyana dollar|GYD
Haiti|Gourde|HTG
Honduras|Lempira|HNL
Hong Kong|Hong Kong dollar|HKD
Hungary|Forint|HUF
Iceland|Iceland krona|ISK
India|Indian rupee|INR
Indonesia|Rupiah|IDR
Iran|Iranian rial|IRR
Iraq|Iraqi dinar|IQD
Israel|New Israeli sheqel|ILS
Jamaica|Jamaican dollar|JMD
Japan|Yen|JPY
Jordan|Jordanian dinar|JOD
Kazakhstan|Tenge|KZT
Kenya|Kenyan shilling|KES
Korea (Republic)|Won|KRW
Kuwait|Kuwaiti dinar|KWD
Kyrgyzstan|Som|KGS
Laos|Lao kip|LAK
Lebanon|Lebanese pound|LBP
Lesotho|Loti|LSL
Liberia|Liberian dollar|LRD
Libya|Libyan dinar|LYD
Macao|Pataca|MOP
Madagascar|Malagasy ariary|MGA
Malawi|Malawi kwacha|MWK
Malaysia|Malaysian ringgit|MYR
Maldives|Rufiyaa|MVR
Mauritania|Ouguiya|MRU
Mauritius|Mauritius rupee|MUR
Mexico|Mexican peso|MXN
Moldova|Moldovan leu|MDL
Mongolia|Tugrik|MNT
Morocco|Moroccan dirham|MAD
Mozambique|Mozambique metical|MZN
Myanmar|Kyat|MMK
Namibia|Namibia dollar|NAD
Nepal|Nepalese rupee|NPR
New Zealand|New Zealand dollar|NZD
Nicaragua|Cordoba oro|NIO
Nigeria|Naira|NGN
North Macedonia|Denar|MKD
Norway|Norwegian krone|NOK
Oman|Rial Omani|OMR
Pakistan|Pakistan rupee|PKR
Panama|Balboa|PAB
Papua New Guinea|Kina|PGK
Paraguay|Guarani|PYG
Peru|Sol|PEN
Philippines|Philippine peso|PHP
Poland|Zloty|PLN
Qatar|Qatari rial|QAR
Romania|Romanian leu|RON
Russia|Russian ruble|RUB
Rwanda|Rwanda franc|RWF
Saint Helena|Saint Helena pound|SHP
Samoa|Tala|WST
Sao Tome and Principe|Dobra|STN
Saudi Arabia|Saudi riyal|SAR
Serbia|Serbian dinar|RSD
Seychelles|Seychelles rupee|SCR
Sierra Leone|Leone|SLE
Singapore|Singapore dollar|SGD
Solomon Islands|Solomon Islands dollar|SBD
Somalia|Somali shilling|SOS
South Africa|Rand|ZAR
South Sudan|South Sudanese pound|SSP
Sri Lanka|Sri Lanka rupee|LKR
Sudan|Sudanese pound|SDG
Suriname|Surinam dollar|SRD
Sweden|Swedish krona|SEK
Switzerland|Swiss franc|CHF
Syria|Syrian pound|SYP
Taiwan|New Taiwan dollar|TWD
Tajikistan|Somoni|TJS
Tanzania|Tanzanian shilling|TZS
Thailand|Baht|THB
Tonga|Pa'anga|TOP
Trinidad and Tobago|Trinidad and Tobago dollar|TTD
Tunisia|Tunisian dinar|TND
Turkey|Turkish lira|TRY
Turkmenistan|Turkmenistan new manat|TMT
Uganda|Uganda shilling|UGX
Ukraine|Hryvnia|UAH
United Arab Emirates|UAE dirham|AED
United Kingdom|Pound sterling|GBP
United States|US dollar|USD
Uruguay|Peso uruguayo|UYU
Uzbekistan|Uzbekistan sum|UZS
Vanuatu|Vatu|VUV
Venezuela|Bolivar soberano|VES
Viet Nam|Dong|VND
Yemen|Yemeni rial|YER
Zambia|Zambian kwacha|ZMW
Zimbabwe|Zimbabwe gold|ZWG
Senegal|CFA franc BCEAO|XOF
Cameroon|CFA franc BEAC|XAF
Antigua and Barbuda|East Caribbean dollar|XCD
French Polynesia|CFP franc|XPF
Netherlands Antilles|Netherlands Antillean guilder|ANG
Burkina Faso|CFA franc BCEAO|XOF
Mali|CFA franc BCEAO|XOF
Chad|CFA franc BEAC|XAF
Ecuador|US dollar|USD
Grenada|East Caribbean dollar|XCD
Germany|Euro|EUR
France|Euro|EUR`

type countryRow struct{ country, currency, code, rate string }

// inforEuroRows returns the month's rows with made-up but plausible rates
// (4 decimals; XOF and XAF at their fixed parity 655.957, EUR at 1), and
// the rate per distinct currency other than EUR.
func inforEuroRows(t *testing.T) ([]countryRow, map[string]string) {
	t.Helper()
	var rows []countryRow
	rates := map[string]string{"XOF": "655.957", "XAF": "655.957", "EUR": "1"}
	for i, line := range strings.Split(inforEuroCountries, "\n") {
		f := strings.Split(line, "|")
		if len(f) != 3 {
			t.Fatalf("bad line %q", line)
		}
		if _, ok := rates[f[2]]; !ok {
			rates[f[2]] = fmt.Sprintf("%d.%04d", 1+(i*7919)%20000, (i*104729)%10000)
		}
		rows = append(rows, countryRow{f[0], f[1], f[2], rates[f[2]]})
	}
	delete(rates, "EUR")
	return rows, rates
}

// inforEuroCSV writes rows as a semicolon-separated CSV with decimal commas
// (as a French or German spreadsheet exports it), after a title line and a
// blank line.
func inforEuroCSV(rows []countryRow, header ...string) []byte {
	var b bytes.Buffer
	b.WriteString("InforEuro monthly accounting rates\n\n")
	if len(header) == 0 {
		header = []string{"Country", "Currency", "ISO code", "Rate per EUR"}
	}
	b.WriteString(strings.Join(header, ";") + "\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s;%s;%s;%s\n", r.country, r.currency, r.code, strings.Replace(r.rate, ".", ",", 1))
	}
	return b.Bytes()
}

// inforEuroXLSX writes rows to a workbook: rates as numbers, except every
// tenth, typed in as text with a decimal comma.
func inforEuroXLSX(t *testing.T, rows []countryRow, header ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	set := func(col, row int, v any) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set(1, 1, "InforEuro - monthly accounting rates")
	if len(header) == 0 {
		header = []string{"Country", "Currency", "Code", "Value"}
	}
	for i, h := range header {
		set(i+1, 3, h)
	}
	for i, r := range rows {
		set(1, i+4, r.country)
		set(2, i+4, r.currency)
		set(3, i+4, r.code)
		if i%10 == 0 {
			set(4, i+4, strings.Replace(r.rate, ".", ",", 1))
		} else {
			// A spreadsheet's number, read back exactly (15 significant
			// digits); text that is no number stays text.
			if v, err := strconv.ParseFloat(r.rate, 64); err == nil {
				set(4, i+4, v)
			} else {
				set(4, i+4, r.rate)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func storedRates(t *testing.T, svc *fx.Service, month string) map[string]*fx.Rate {
	t.Helper()
	out := map[string]*fx.Rate{}
	list, next, err := svc.ListRates(actor.SystemContext(context.Background()), fx.RateFilter{Base: "EUR", FromMonth: month, ToMonth: month}, page.Request{Size: 1000})
	if err != nil || next != "" {
		t.Fatalf("list: %v (next %q)", err, next)
	}
	for _, r := range list {
		out[r.Currency] = r
	}
	return out
}

func countAudit(t *testing.T, d *bun.DB, pattern string) int {
	t.Helper()
	var n int
	if err := d.NewRaw("SELECT COUNT(*) FROM audit_events WHERE resource LIKE ?", pattern).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportRatesInforEuroFile(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *bun.DB) {
				ctx := actor.SystemContext(context.Background())
				svc := fx.NewService(d)
				rows, rates := inforEuroRows(t)
				if len(rates) < 145 {
					t.Fatalf("only %d currencies", len(rates))
				}
				file := func(rows []countryRow) []byte {
					if format == "csv" {
						return inforEuroCSV(rows)
					}
					return inforEuroXLSX(t, rows)
				}
				res, err := svc.ImportRates(ctx, fx.ImportInput{FileName: "inforeuro_2026-03." + format, Content: file(rows), Month: "2026-03"})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Problems) > 0 || res.Imported != len(rates) || res.Replaced != 0 || res.Reconverted != 0 {
					t.Fatalf("imported %d of %d, replaced %d, problems %v", res.Imported, len(rates), res.Replaced, res.Problems)
				}
				got := storedRates(t, svc, "2026-03")
				if len(got) != len(rates) {
					t.Fatalf("%d rates stored, want %d", len(got), len(rates))
				}
				for code, want := range rates {
					r := got[code]
					if r == nil || !r.Rate.Equal(decimal.RequireFromString(want)) || r.Source != "InforEuro 2026-03" {
						t.Errorf("%s: stored %+v, want %s from InforEuro 2026-03", code, r, want)
					}
				}
				if _, ok := got["EUR"]; ok {
					t.Error("the base currency's own row was stored")
				}
				if n := countAudit(t, d, "exchangeRates/EUR-%-2026-03"); n != len(rates) {
					t.Errorf("%d audit events, want one per rate (%d)", n, len(rates))
				}

				// Next month's file corrects three rates: they replace the
				// earlier ones; the rest, unchanged, are neither rewritten
				// nor audited again.
				changed := map[string]string{"KES": "141.2345", "NPR": "156.5", "BRL": "6.0123"}
				for i := range rows {
					if c, ok := changed[rows[i].code]; ok {
						rows[i].rate = c
					}
				}
				res, err = svc.ImportRates(ctx, fx.ImportInput{FileName: "again." + format, Content: file(rows), Month: "2026-03"})
				if err != nil || len(res.Problems) > 0 {
					t.Fatalf("%v %v", err, res.Problems)
				}
				if res.Imported != len(rates) || res.Replaced != 3 {
					t.Errorf("imported %d, replaced %d; want %d and 3", res.Imported, res.Replaced, len(rates))
				}
				if n := countAudit(t, d, "exchangeRates/EUR-%-2026-03"); n != len(rates)+3 {
					t.Errorf("%d audit events, want %d", n, len(rates)+3)
				}
				if r := storedRates(t, svc, "2026-03")["KES"]; r.Rate.String() != "141.2345" {
					t.Errorf("KES now %s", r.Rate)
				}
			})
		})
	}
}

func TestImportRatesRefusesTheWholeFileOnAnyBadRow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		svc := fx.NewService(d)
		rows, _ := inforEuroRows(t)
		// Rows 1 (title), 2 (blank) and 3 (header) come first: the
		// country rows start at row 4; the bad ones follow them.
		n := len(rows)
		bad := append(rows[:n:n],
			countryRow{"Atlantis", "Orichalcum", "XYZ", "12.5"},             // n+4: unknown code
			countryRow{"Kenya (again)", "Kenyan shilling", "KES", "999.99"}, // n+5: KES twice, another rate
			countryRow{"Nowhere", "Zero", "CHF", "0"},                       // n+6: CHF's second row, rate 0
			countryRow{"Negative", "Minus", "JPY", "-1.5"},                  // n+7
			countryRow{"Words", "Words", "USD", "n/a"},                      // n+8
			countryRow{"Too precise", "Precise", "GBP", "0.85123456789"},    // n+9: 11 decimals
			countryRow{"No code", "Unknown", "", "3.2"},                     // n+10
			countryRow{"Senegal", "CFA franc BCEAO", "XOF", "655.957"},      // n+11: XOF again, same rate: fine
		)
		for _, format := range []string{"csv", "xlsx"} {
			var content []byte
			header := []string{"Country", "Currency", "ISO code", "Rate per EUR"}
			if format == "csv" {
				content = inforEuroCSV(bad, header...)
			} else {
				content = inforEuroXLSX(t, bad, header...)
			}
			res, err := svc.ImportRates(ctx, fx.ImportInput{FileName: "march." + format, Content: content, Month: "2026-03"})
			if err != nil {
				t.Fatal(err)
			}
			want := []fx.Problem{
				{Row: n + 4, Column: "ISO code", Problem: `"XYZ" is not an ISO 4217 currency code`},
				{Row: n + 5, Column: "Rate per EUR", Problem: "KES has two different rates in the file: row "},
				{Row: n + 6, Column: "Rate per EUR", Problem: "must be above 0 (got 0): CHF per 1 EUR"},
				{Row: n + 7, Column: "Rate per EUR", Problem: "must be above 0"},
				{Row: n + 8, Column: "Rate per EUR", Problem: `"n/a" is not a number`},
				{Row: n + 9, Column: "Rate per EUR", Problem: "has 11 decimals; at most 10"},
				{Row: n + 10, Column: "ISO code", Problem: "is empty"},
			}
			if len(res.Problems) != len(want) {
				t.Fatalf("%s: problems %+v, want %d", format, res.Problems, len(want))
			}
			for i, w := range want {
				p := res.Problems[i]
				if p.Row != w.Row || p.Column != w.Column || !strings.Contains(p.Problem, w.Problem) {
					t.Errorf("%s: problem %d = %+v, want %+v", format, i, p, w)
				}
			}
			if res.Imported != 0 || len(storedRates(t, svc, "2026-03")) != 0 || countAudit(t, d, "exchangeRates/%") != 0 {
				t.Errorf("%s: a refused file stored rates (imported %d)", format, res.Imported)
			}
		}
	})
}

func TestImportRatesHeadersAndNumbers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		svc := fx.NewService(d)
		for i, c := range []struct {
			name, file, base string
			want             map[string]string
			problem          string
		}{
			{name: "InforEuro headers, comma separated",
				file: "Country,Currency,ISO code,Rate\nKenya,Kenyan shilling,KES,140.52\nNepal,Nepalese rupee,NPR,\"155,30\"\n",
				want: map[string]string{"KES": "140.52", "NPR": "155.3"}},
			{name: "Code and Value, extra columns, lowercase code, grouped thousands",
				file: "Code;Name;Value;Remarks\nidr;Rupiah;17.543,21;\nKRW;Won;1 523,4;\nPYG;Guarani;7,891.5;\n",
				want: map[string]string{"IDR": "17543.21", "KRW": "1523.4", "PYG": "7891.5"}},
			{name: "ISO and Rate per USD, another base",
				file: "ISO;Rate per USD\nUSD;1\nKES;129.5\n", base: "USD",
				want: map[string]string{"KES": "129.5"}},
			{name: "no rate column", file: "Country;Currency;ISO code\nKenya;Kenyan shilling;KES\n",
				problem: "no header row found"},
			{name: "header only", file: "ISO code;Rate\n\n", problem: "no rates below its header"},
			{name: "empty file", file: "\n\n", problem: "the file is empty"},
		} {
			month := fmt.Sprintf("2025-%02d", i+1)
			res, err := svc.ImportRates(ctx, fx.ImportInput{FileName: "rates.csv", Content: []byte(c.file), Month: month, Base: c.base})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if c.problem != "" {
				if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Problem, c.problem) {
					t.Errorf("%s: problems %+v, want one saying %q", c.name, res.Problems, c.problem)
				}
				continue
			}
			if len(res.Problems) > 0 || res.Imported != len(c.want) {
				t.Errorf("%s: imported %d, problems %+v", c.name, res.Imported, res.Problems)
				continue
			}
			base := c.base
			if base == "" {
				base = "EUR"
			}
			list, _, err := svc.ListRates(ctx, fx.RateFilter{Base: base, FromMonth: month, ToMonth: month}, page.Request{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, r := range list {
				got[r.Currency] = r.Rate.String()
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: stored %v, want %v", c.name, got, c.want)
			}
		}
	})
}

func TestImportRatesChecksTheRequest(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		svc := fx.NewService(d)
		sys := actor.SystemContext(context.Background())
		good := []byte("ISO code;Rate\nKES;140.52\n")
		for _, c := range []struct {
			in    fx.ImportInput
			field string
		}{
			{fx.ImportInput{FileName: "r.csv", Content: good, Month: "2026-13"}, "month"},
			{fx.ImportInput{FileName: "r.csv", Content: good}, "month"},
			{fx.ImportInput{FileName: "r.csv", Content: good, Month: "2026-03", Base: "EUX"}, "base_currency"},
			{fx.ImportInput{FileName: "r.pdf", Content: good, Month: "2026-03"}, "file_name"},
			{fx.ImportInput{FileName: "r.csv", Month: "2026-03"}, "content"},
			{fx.ImportInput{FileName: "r.xlsx", Content: good, Month: "2026-03"}, "content"},
			{fx.ImportInput{FileName: "r.csv", Content: good, Month: "2026-03", Source: strings.Repeat("s", 201)}, "source"},
		} {
			_, err := svc.ImportRates(sys, c.in)
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.KindInvalid || len(e.Violations) == 0 || e.Violations[0].Field != c.field {
				t.Errorf("%+v: got %v, want a violation of %s", c.in.Month+" "+c.in.FileName, err, c.field)
			}
		}
		partner := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "p",
			Memberships: []actor.Membership{{OrganisationID: "o", Role: actor.RolePartnerEditor}}})
		if _, err := svc.ImportRates(partner, fx.ImportInput{FileName: "r.csv", Content: good, Month: "2026-03"}); !errs.Is(err, errs.KindPermission) {
			t.Errorf("a partner imported rates: %v", err)
		}
	})
}

// Importing a month's rates converts the expenditures that were waiting for
// them, in every grant whose policy uses monthly rates, and only those.
func TestImportRatesConvertsWaitingExpenditures(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		sys := actor.SystemContext(context.Background())
		sc := newScenario(t, d)
		sc.insertExpenditures(t)
		for _, p := range policies {
			if _, err := fx.ReconvertGrant(sys, d, sc.grants[p], fx.Scope{}); err != nil {
				t.Fatal(err)
			}
		}
		before := sc.snapshot(t)
		// June's file: KES 141.60 and BRL 6.18 (decimal comma). Under the
		// monthly policy E6 is NPR (no June NPR rate in this file) and E8 is
		// BRL: 987.65 / 6.18 = 159.8139158576 -> 159.81; E2 (KES, April) has
		// no April rate. Under the average policy the second period still
		// lacks April and May: E2 and E8 stay unconverted, their problem now
		// naming only those two months. Fixed and transfer grants ignore
		// monthly rates.
		res, err := sc.svc.ImportRates(sys, fx.ImportInput{FileName: "inforeuro-2026-06.csv", Month: "2026-06",
			Content: []byte("Country;Currency;ISO code;Rate\nKenya;Shilling;KES;141,60\nBrazil;Real;BRL;6,18\n")})
		if err != nil || len(res.Problems) > 0 {
			t.Fatalf("%v %v", err, res)
		}
		if res.Imported != 2 || res.Reconverted != 3 {
			t.Errorf("imported %d, reconverted %d; want 2 and 3", res.Imported, res.Reconverted)
		}
		sc.expectChanged(t, before, map[string]want{
			"monthly/E8":        {rate: "6.18", converted: 15981},
			"period_average/E2": {problem: "the KES average for the reporting period 2026-04-01 to 2026-06-30 needs the monthly rates of 2026-04, 2026-05"},
			"period_average/E8": {problem: "the BRL average for the reporting period 2026-04-01 to 2026-06-30 needs the monthly rates of 2026-04, 2026-05"},
		})
	})
}
