package expenditure

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/sheet"
)

// DateOrder says how a ledger's dates whose day and month could be swapped
// (03/04/2026) are read.
type DateOrder int

const (
	// DayFirst reads 03/04/2026 as the 3rd of April: the order of every
	// language Pactum speaks (en-GB, fr, es, pt), and the default.
	DayFirst DateOrder = iota
	// MonthFirst reads 03/04/2026 as the 4th of March (US exports).
	MonthFirst
)

// acceptedDates lists the date formats a ledger may use, for problems.
func acceptedDates(o DateOrder) string {
	if o == MonthFirst {
		return "mm/dd/yyyy (11/28/2026), mm.dd.yyyy, yyyy-mm-dd (2026-11-28), 28 Nov 2026, or a date cell"
	}
	return "dd/mm/yyyy (28/11/2026), dd.mm.yyyy (28.11.2026), dd-mm-yyyy, yyyy-mm-dd (2026-11-28), 28 Nov 2026, or a date cell"
}

var (
	numericDate = regexp.MustCompile(`^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$`)
	namedDate   = regexp.MustCompile(`^(\d{1,2})(?:er)?[ \-./]+(?:de )?([\p{L}]+)\.?[ \-./]+(?:de )?(\d{2}|\d{4})$`)
)

// monthNames are month names and abbreviations in English, French, Spanish
// and Portuguese (lower case, without accents), by month.
var monthNames = map[string]time.Month{}

func init() {
	for m, names := range [12][]string{
		{"jan", "january", "janvier", "janv", "enero", "ene", "janeiro"},
		{"feb", "february", "fevrier", "fev", "fevr", "febrero", "fevereiro"},
		{"mar", "march", "mars", "marzo", "marco"},
		{"apr", "april", "avril", "avr", "abril", "abr"},
		{"may", "mai", "mayo", "maio"},
		{"jun", "june", "juin", "junio", "junho"},
		{"jul", "july", "juillet", "juil", "julio", "julho"},
		{"aug", "august", "aout", "agosto", "ago"},
		{"sep", "sept", "september", "septembre", "septiembre", "setiembre", "set", "setembro"},
		{"oct", "october", "octobre", "octubre", "out", "outubro"},
		{"nov", "november", "novembre", "noviembre", "novembro"},
		{"dec", "december", "decembre", "dic", "diciembre", "dez", "dezembro"}, //nolint:misspell // French "décembre" without its accent
	} {
		for _, n := range names {
			monthNames[n] = time.Month(m + 1)
		}
	}
}

// parseLedgerDate reads a date cell as a ledger writes it, with o deciding
// dates whose day and month could be swapped: "YYYY-MM-DD" (also with a
// time, or "/" or "." between), day and month of one or two digits with
// "/", "." or "-" between ("28/11/2026", "1.3.2026"), a two-digit year
// (20yy), a month's name in English, French, Spanish or Portuguese ("28 Nov
// 2026", "28-nov-26", "1er mars 2026", "3 de abril de 2026"), or an Excel date
// serial number (a date cell formatted as a number). ok is false for
// anything else, or a date that does not exist; why then says what is wrong
// ("" for text that is no date at all).
func parseLedgerDate(s string, o DateOrder) (d calendar.Date, why string, ok bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n > 20_000 && n < 80_000 {
			return excelEpoch.AddDays(n), "", true
		}
		return d, "", false
	}
	if m := numericDate.FindStringSubmatch(s); m != nil {
		a, b, c := m[1], m[2], m[3]
		var year, month, day int
		switch {
		case len(a) == 4 && len(c) <= 2:
			year, month, day = atoi(a), atoi(b), atoi(c)
		case len(a) <= 2 && (len(c) == 4 || len(c) == 2):
			year = atoi(c)
			if len(c) == 2 {
				year += 2000
			}
			day, month = atoi(a), atoi(b)
			if o == MonthFirst {
				day, month = month, day
			}
		default:
			return d, "", false
		}
		return makeDate(year, month, day, o)
	}
	if m := namedDate.FindStringSubmatch(strings.ToLower(sheet.FoldAccents(s))); m != nil {
		month, known := monthNames[m[2]]
		if !known {
			return d, "", false
		}
		year := atoi(m[3])
		if len(m[3]) == 2 {
			year += 2000
		}
		return makeDate(year, int(month), atoi(m[1]), o)
	}
	return d, "", false
}

func makeDate(year, month, day int, o DateOrder) (calendar.Date, string, bool) {
	if month < 1 || month > 12 {
		why := fmt.Sprintf("there is no month %d", month)
		if day >= 1 && day <= 12 {
			if o == MonthFirst {
				why += "; the dates were read month first: choose \"day first\" if the file writes the day first"
			} else {
				why += "; the dates were read day first: choose \"month first\" if the file writes the month first"
			}
		}
		return calendar.Date{}, why, false
	}
	d := calendar.New(year, time.Month(month), day)
	if day < 1 || d.String() != fmt.Sprintf("%04d-%02d-%02d", year, month, day) {
		return calendar.Date{}, fmt.Sprintf("%s %d has no day %d", time.Month(month), year, day), false
	}
	return d, "", true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // only called on digits
	return n
}

// currencyAlias is what a ledger may write for a currency instead of its
// ISO 4217 code. code is the currency whatever the partner's country;
// byCountry, for a sign several currencies use, the currency of each
// country (ISO 3166-1 alpha-2) that uses it.
type currencyAlias struct {
	code      string
	byCountry map[string]string
}

// zoneOf gives each listed country the same currency.
func zoneOf(code string, countries ...string) map[string]string {
	m := map[string]string{}
	for _, c := range countries {
		m[c] = code
	}
	return m
}

// cfa are the countries of the two CFA francs: XOF (West Africa, UEMOA) and
// XAF (Central Africa, CEMAC).
var cfa = func() map[string]string {
	m := zoneOf("XOF", "BJ", "BF", "CI", "GW", "ML", "NE", "SN", "TG")
	for c, code := range zoneOf("XAF", "CM", "CF", "TD", "CG", "GQ", "GA") {
		m[c] = code
	}
	return m
}()

// currencyAliases are the currency signs and abbreviations common in
// partners' ledgers, keyed by their upper-case form without spaces and dots
// (see aliasKey).
var currencyAliases = map[string]currencyAlias{
	// Kenyan shilling
	"KSH": {code: "KES"}, "KSHS": {code: "KES"}, "KES/=": {code: "KES"}, "KSH/=": {code: "KES"},
	// Ugandan and Tanzanian shillings
	"USH": {code: "UGX"}, "USHS": {code: "UGX"}, "UGSH": {code: "UGX"},
	"TSH": {code: "TZS"}, "TSHS": {code: "TZS"},
	// US dollar, euro, pound sterling
	"US$": {code: "USD"}, "$US": {code: "USD"}, "USD$": {code: "USD"}, "USDOLLAR": {code: "USD"}, "USDOLLARS": {code: "USD"},
	"€": {code: "EUR"}, "EURO": {code: "EUR"}, "EUROS": {code: "EUR"},
	"£": {code: "GBP"}, "GB£": {code: "GBP"},
	// Nepalese rupee; "Rs" alone is the rupee of the partner's country
	"NRS": {code: "NPR"}, "NPRS": {code: "NPR"},
	"RS":   {byCountry: map[string]string{"NP": "NPR", "IN": "INR", "PK": "PKR", "LK": "LKR", "MU": "MUR"}},
	"INRS": {code: "INR"}, "₹": {code: "INR"},
	// CFA francs: West (XOF) or Central (XAF) by the partner's country
	"FCFA": {byCountry: cfa}, "CFA": {byCountry: cfa}, "FRCFA": {byCountry: cfa}, "CFAF": {byCountry: cfa},
	// Brazilian real, Philippine peso, Nigerian naira, Ghanaian cedi
	"R$": {code: "BRL"}, "₱": {code: "PHP"}, "₦": {code: "NGN"}, "GH₵": {code: "GHS"}, "GHC": {code: "GHS"}, "GH¢": {code: "GHS"},
	// Bolivian boliviano, Kyrgyz som, Rwandan franc, Ethiopian birr
	"BS":  {byCountry: map[string]string{"BO": "BOB"}},
	"SOM": {byCountry: map[string]string{"KG": "KGS"}},
	"FRW": {code: "RWF"}, "RF": {code: "RWF"},
	"BIRR": {code: "ETB"}, "BR": {byCountry: map[string]string{"ET": "ETB"}},
}

// aliasKey is the form currency cells are compared in: upper case, without
// spaces and dots.
func aliasKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '\u00a0':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}

// ledgerCurrency reads a currency cell for a partner in country (ISO 3166-1
// alpha-2, "" when not known): an ISO 4217 code in any case, or an alias of
// currencyAliases. problem says why a sign several currencies share cannot
// be read ("" otherwise); other text is returned as written, to be refused by
// the currency check.
func ledgerCurrency(s, country string) (code, problem string) {
	k := aliasKey(s)
	a, ok := currencyAliases[k]
	if !ok {
		if len(k) == 3 && strings.ToUpper(k) == k && strings.Trim(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
			return k, ""
		}
		return strings.TrimSpace(s), ""
	}
	if a.code != "" {
		return a.code, ""
	}
	if c := a.byCountry[strings.ToUpper(country)]; c != "" {
		return c, ""
	}
	var codes []string
	for _, c := range a.byCountry {
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	return "", fmt.Sprintf("%q is written for several currencies (%s) and the partner's country does not say which: write the currency's ISO code",
		strings.TrimSpace(s), strings.Join(codes, ", "))
}
