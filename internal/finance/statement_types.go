package finance

import (
	"database/sql"
	"time"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/rules"
)

// Kinds of template headings, exported for the renderers.
const (
	KindDirect      = kindDirect
	KindSubtotal    = kindSubtotal
	KindContingency = kindContingency
	KindTotalDirect = kindTotalDirect
	KindIndirect    = kindIndirect
	KindTotal       = kindTotal
)

// StatementQuery asks for a grant's statement over a period.
type StatementQuery struct {
	// From and To bound the period reported on, inclusive; Period is its
	// number (1 = the grant's first reporting period; 0: a free range).
	From, To calendar.Date
	Period   int
	// Today is the day the statement is made: CheckedAsOf is the earlier
	// of Today and To (never a date in the future).
	Today calendar.Date
	// VerifiedOnly counts verified expenditures only; the submitted ones
	// not yet verified are then added up apart (Unverified).
	VerifiedOnly bool
	// Now is when the statement is made, for the cover.
	Now time.Time
}

// Figures are the amounts of one row of the statement, in minor units of
// the grant currency.
type Figures struct {
	// Baseline is the budget of the flexibility baseline: the latest
	// original or addendum (the same as Budget unless the latest adopted
	// version is a transfer between headings).
	Baseline int64
	// Budget is the latest adopted version's.
	Budget int64
	// Period is the accepted spending dated within the period, ToDate that
	// dated up to the period's end: counted expenditures with a rate,
	// converted (and, on the indirect heading, the flat rate's claim).
	Period, ToDate int64
	// Counts of the expenditures in Period and ToDate.
	CountPeriod, CountToDate int64
	// Ineligible is the claimed spending on the row that is not eligible,
	// to date: dated outside the implementation period, or charged to an
	// associate.
	Ineligible int64
	// Unverified is the submitted, not yet verified, spending to date when
	// the statement counts verified expenditures only (else 0).
	Unverified int64
}

// StatementLine is one budget line of a heading (or spending on a line the
// budget does not have under that heading).
type StatementLine struct {
	Key         string // the line key
	Code        string // "1.1" (from the latest version that had the line)
	Description string
	// The budget's detail: unit, number of units (a decimal), unit cost
	// (minor units), from the latest adopted version.
	Unit     string
	Units    string
	UnitCost int64
	// InBudget: the latest adopted version has the line under this heading;
	// InBaseline: the baseline has it.
	InBudget, InBaseline bool
	// FlatRate: the line carries the indirect costs claimed at the flat
	// rate (Statement.Indirect), not expenditures.
	FlatRate bool
	Figures
}

// StatementHeading is a heading of the template (or one it lacks, holding
// lines or spending), in template order.
type StatementHeading struct {
	Code  string
	Title string // as the template names it
	Kind  string // Kind*
	// InTemplate is false for a heading code the template does not have
	// (reported as a direct cost heading), and for the grand total added
	// when the template has none (Code "").
	InTemplate bool
	// Parts are the codes of the cost headings a computed heading adds up.
	Parts []string
	Lines []StatementLine
	// Figures: the sum of the lines, or of the parts.
	Figures
	// Flex is set where the heading moved beyond the flexibility threshold
	// (finding FLEXIBILITY_EXCEEDED).
	Flex *Flexibility
}

// Computed reports whether the heading is a computed row.
func (h *StatementHeading) Computed() bool {
	return h.Kind == KindSubtotal || h.Kind == KindTotalDirect || h.Kind == KindTotal
}

// Flexibility is a heading's move between the baseline and the latest
// transfer, beyond the rule set's threshold.
type Flexibility struct {
	Baseline, Budget int64
	// ChangePercent is the move in percent with two decimals ("32.50",
	// "-27.10"); "" for a heading the baseline did not have.
	ChangePercent string
	ThresholdBP   int64
}

// Version is an adopted budget version.
type Version struct {
	ID                string
	Number            int
	Kind              string // original, addendum, transfer
	Label             string
	EffectiveDate     string // "YYYY-MM-DD" or ""
	ApprovalReference string
	AdoptTime         time.Time
}

// ContingencyUse is a move of budget out of (or into) the contingency
// reserve by an adopted version: the reserve's budget before and after, and
// the donor's approval reference.
type ContingencyUse struct {
	Version           Version
	Before, After     int64
	ApprovalReference string
}

// Party is the spending and budget of one partner (organisation) or
// project: the breakdown per beneficiary.
type Party struct {
	ID      string // "" for budget or spending on none
	Name    string
	Country string
	Role    string // the organisation's contractual role in the grant's projects ("" unknown)
	Budget  int64
	Period  int64
	ToDate  int64
	// Counts of the expenditures.
	CountPeriod, CountToDate int64
}

// RateUse is the period's counted expenditures in one currency converted
// at one rate from one source, in one month of expenditure.
type RateUse struct {
	Currency  string
	Month     string
	Rate      sql.NullString
	Source    string
	Count     int64
	Amount    int64 // minor units of Currency
	Converted int64 // minor units of the grant currency
}

// CurrencyRate is the period's expenditures in one currency at one rate
// and source, over all months.
type CurrencyRate struct {
	Rate, Source     string
	Count            int64
	Amount           int64 // minor units of the currency
	Converted        int64 // minor units of the grant currency: the sum of each expenditure converted and rounded
	FirstMonth, Last string
	// AtOnce is Amount converted at Rate in one go, rounded half away from
	// zero; Converted - AtOnce is the rounding difference of converting
	// each expenditure (the report's figure) rather than the total.
	AtOnce int64
}

// CurrencyBlock is the period's counted expenditures in one original
// currency.
type CurrencyBlock struct {
	Currency string
	Scale    int // decimals of the currency
	Rates    []CurrencyRate
	// Amount, Converted and Count add up Rates.
	Amount, Converted, Count int64
	// MissingCount and MissingAmount: those waiting for a rate.
	MissingCount, MissingAmount int64
}

// Currencies is the period's spending per original currency and the rates
// used.
type Currencies struct {
	Blocks []CurrencyBlock
	// Uses are per currency, month, rate and source (those with a rate).
	Uses []RateUse
	// Converted is the period's converted total; Count the expenditures
	// listed (with or without a rate).
	Converted, Count int64
	// RoundingRows counts the currency-and-rate rows whose AtOnce differs
	// from Converted; RoundingMax is the largest difference (absolute).
	RoundingRows, RoundingMax int64
}

// Statement is a grant's money over a reporting period, read within one
// transaction: what the web app's budget versus actual and compliance
// screens, the workbook, the PDF and the payment request all show.
type Statement struct {
	Grant        *grant.Grant
	Rules        *rules.Rules
	Scale        int // decimals of the grant currency
	From, To     calendar.Date
	Period       int
	CheckedAsOf  calendar.Date // the earlier of today and To
	VerifiedOnly bool
	Donor, Lead  string // organisation names
	Framework    string // the framework agreement's reference ("" standalone)
	// Version is the latest adopted budget version (nil: none adopted);
	// Baseline the flexibility baseline (nil: none). Versions are all the
	// adopted versions in order (the addenda listed); ContingencyUses the
	// moves of the contingency reserve among them.
	Version, Baseline *Version
	Versions          []Version
	ContingencyUses   []ContingencyUse
	// Headings in template order, computed rows included.
	Headings []*StatementHeading
	// Total is the grand total (the template's "total" row, or all cost
	// headings when it has none).
	Total Figures
	// Indirect is the flat rate's claim (already in the indirect heading's
	// figures when it applies).
	Indirect Indirect
	// Partners and Projects break the budget and spending down.
	Partners, Projects []Party
	// Months is the accepted spending per month from the grant's start to
	// the period's end.
	Months     []Month
	Currencies *Currencies
	// Expenditures that would count but wait for an exchange rate: left out
	// of every figure.
	RateMissingPeriod, RateMissingToDate int64
	// UnverifiedCount and UnverifiedAmount: submitted, not verified, to date
	// (left out when VerifiedOnly; shown either way).
	UnverifiedCount, UnverifiedAmount int64
	// Ineligible adds up the claimed expenditures dated outside the
	// implementation period: listed as not eligible, counted in no figure.
	Ineligible eligibility.Summary
	Findings   []Finding // violations first
	Funding    Funding
	Payments   Payments
	// Prefinancing is the rule for the next instalment as CheckCompliance
	// answers it.
	Prefinancing Prefinancing
	Forecast     *Forecast // the next period's; nil after the last period
	// The audit trail's head when the statement was read.
	AuditSeq  int64
	AuditHash string
	// GeneratedAt is when it was made (UTC); GeneratedBy the person's name
	// (or the system's, "").
	GeneratedAt time.Time
	GeneratedBy string
}
