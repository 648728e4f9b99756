// Package grant holds grants (specific grant agreements): signed under a
// framework agreement or standalone, with a grant currency, an implementation
// period, the donor's maximum contribution and co-financing rate, and the
// reporting rules from which their reporting milestones are generated.
package grant

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/agreement"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// State is where a grant is in its life.
type State string

const (
	StateDraft  State = "draft"  // being set up; can still be deleted
	StateActive State = "active" // signed and running
	StateClosed State = "closed" // final report accepted and balance paid
)

// Defaults of the deadline rules, and their bounds.
const (
	DefaultInterimReportDueDays = 60
	DefaultFinalReportDueMonths = 3
	MaxReportingPeriodMonths    = 120
	MaxInterimReportDueDays     = 365
	MaxFinalReportDueMonths     = 24
)

// Grant is a stored grant. Amounts are minor units of CurrencyCode.
type Grant struct {
	bun.BaseModel `bun:"table:grants"`

	ID                   string        `bun:"id,pk"`
	FrameworkAgreementID string        `bun:"framework_agreement_id,nullzero"` // "" for a standalone grant
	DonorID              string        `bun:"donor_id"`
	LeadOrganisationID   string        `bun:"lead_organisation_id"`
	DonorReference       string        `bun:"donor_reference"`
	Title                string        `bun:"title"`
	CurrencyCode         string        `bun:"currency_code"`
	StartDate            calendar.Date `bun:"start_date"`
	EndDate              calendar.Date `bun:"end_date"`
	TotalEligibleCosts   int64         `bun:"total_eligible_costs"`
	MaxDonorContribution int64         `bun:"max_donor_contribution"`
	CoFinancingRateBP    int64         `bun:"co_financing_rate_bp"` // hundredths of a percent: 9000 is 90%
	// IndirectCostRateBP is the flat rate of indirect costs of the Special
	// Conditions, in hundredths of a percent of the direct eligible costs
	// incurred (700 is 7%); 0: no flat rate.
	IndirectCostRateBP int64 `bun:"indirect_cost_rate_bp"`
	// FourEyes: whoever recorded or submitted an expenditure may not verify
	// it (on by default).
	FourEyes              bool `bun:"four_eyes"`
	ReportingPeriodMonths int  `bun:"reporting_period_months"`
	InterimReportDueDays  int  `bun:"interim_report_due_days"`
	FinalReportDueMonths  int  `bun:"final_report_due_months"`
	// ReportingLanguage is the language the grant reports in to the donor,
	// one of ReportingLanguages: the narrative report's default language.
	ReportingLanguage string    `bun:"reporting_language"`
	State             State     `bun:"state"`
	Version           int64     `bun:"version"`
	CreateTime        time.Time `bun:"create_time"`
	UpdateTime        time.Time `bun:"update_time"`
}

// Name returns the resource name.
func (g *Grant) Name() string { return resource.Name(resource.Grants, g.ID) }

// ETag returns the current etag.
func (g *Grant) ETag() string { return resource.ETag(g.Version) }

// period is the grant's implementation period: the eligibility window of
// its costs.
func (g *Grant) period() eligibility.Period {
	return eligibility.Period{Start: g.StartDate, End: g.EndDate}
}

// Schedule returns what milestone generation needs to know of the grant.
func (g *Grant) Schedule() milestone.GrantSchedule {
	return milestone.GrantSchedule{
		GrantID:            g.ID,
		LeadOrganisationID: g.LeadOrganisationID,
		Start:              g.StartDate,
		End:                g.EndDate,
		PeriodMonths:       g.ReportingPeriodMonths,
		InterimDueDays:     g.InterimReportDueDays,
		FinalDueMonths:     g.FinalReportDueMonths,
		CurrencyCode:       g.CurrencyCode,
		MaxContribution:    g.MaxDonorContribution,
	}
}

func sameSchedule(a, b milestone.GrantSchedule) bool {
	return a.GrantID == b.GrantID && a.LeadOrganisationID == b.LeadOrganisationID &&
		a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.PeriodMonths == b.PeriodMonths &&
		a.InterimDueDays == b.InterimDueDays && a.FinalDueMonths == b.FinalDueMonths &&
		a.CurrencyCode == b.CurrencyCode && a.MaxContribution == b.MaxContribution
}

// Input is what a caller writes of a grant, as users write it: dates are
// "YYYY-MM-DD", amounts are decimal strings in the grant currency
// ("1250000.00"), the co-financing rate a percentage ("90", "87.5"), and
// organisations and agreements are ids (not resource names).
type Input struct {
	FrameworkAgreementID string // "" for a standalone grant
	DonorID              string // under an agreement: "" (the agreement's) or the agreement's
	LeadOrganisationID   string // under an agreement: "" (the agreement's) or the agreement's
	DonorReference       string
	Title                string
	CurrencyCode         string
	StartDate            string
	EndDate              string
	TotalEligibleCosts   string
	MaxDonorContribution string
	CoFinancingRate      string
	// IndirectCostRate is the flat rate of indirect costs of the Special
	// Conditions, in percent of the direct eligible costs incurred ("7",
	// "6.5"); "" or "0": the grant claims no indirect costs at a flat rate.
	IndirectCostRate string
	// FourEyes: whoever recorded or submitted an expenditure may not verify
	// or reject it; nil: on (the default).
	FourEyes              *bool
	ReportingPeriodMonths int
	InterimReportDueDays  *int // nil: DefaultInterimReportDueDays
	FinalReportDueMonths  *int // nil: DefaultFinalReportDueMonths
	// ReportingLanguage is one of ReportingLanguages; "": DefaultReportingLanguage.
	ReportingLanguage string
}

// ReportingLanguages are the languages a grant may report in to the donor
// (those Pactum writes its documents in).
var ReportingLanguages = []string{"en", "fr", "es", "pt"}

// DefaultReportingLanguage is the reporting language of a grant that names none.
const DefaultReportingLanguage = "en"

// Updatable lists the fields Update may change (the names of the API's
// fields). The state changes only through Activate and Close.
var Updatable = []string{
	"framework_agreement", "donor", "lead_organisation", "donor_reference", "title", "currency_code",
	"start_date", "end_date", "total_eligible_costs", "max_donor_contribution", "co_financing_rate",
	"indirect_cost_rate", "reporting_period_months", "interim_report_due_days", "final_report_due_months",
	"reporting_language",
	"four_eyes",
}

// Input returns the grant's writable fields as a caller would write them.
func (g *Grant) Input() Input {
	interim, final, fourEyes := g.InterimReportDueDays, g.FinalReportDueMonths, g.FourEyes
	return Input{
		FrameworkAgreementID:  g.FrameworkAgreementID,
		DonorID:               g.DonorID,
		LeadOrganisationID:    g.LeadOrganisationID,
		DonorReference:        g.DonorReference,
		Title:                 g.Title,
		CurrencyCode:          g.CurrencyCode,
		StartDate:             g.StartDate.String(),
		EndDate:               g.EndDate.String(),
		TotalEligibleCosts:    money.Format(g.TotalEligibleCosts, g.CurrencyCode),
		MaxDonorContribution:  money.Format(g.MaxDonorContribution, g.CurrencyCode),
		CoFinancingRate:       money.FormatPercent(g.CoFinancingRateBP),
		IndirectCostRate:      money.FormatPercent(g.IndirectCostRateBP),
		ReportingPeriodMonths: g.ReportingPeriodMonths,
		InterimReportDueDays:  &interim,
		FinalReportDueMonths:  &final,
		ReportingLanguage:     g.ReportingLanguage,
		FourEyes:              &fourEyes,
	}
}

// overlay returns base with the fields of in named by mask.
func overlay(base, in Input, mask resource.Mask) Input {
	out := base
	if mask.Has("framework_agreement") {
		out.FrameworkAgreementID = in.FrameworkAgreementID
		// Under a new agreement, donor and lead follow it unless given.
		if out.FrameworkAgreementID != "" && out.FrameworkAgreementID != base.FrameworkAgreementID {
			if !mask.Has("donor") {
				out.DonorID = ""
			}
			if !mask.Has("lead_organisation") {
				out.LeadOrganisationID = ""
			}
		}
	}
	if mask.Has("donor") {
		out.DonorID = in.DonorID
	}
	if mask.Has("lead_organisation") {
		out.LeadOrganisationID = in.LeadOrganisationID
	}
	if mask.Has("donor_reference") {
		out.DonorReference = in.DonorReference
	}
	if mask.Has("title") {
		out.Title = in.Title
	}
	if mask.Has("currency_code") {
		out.CurrencyCode = in.CurrencyCode
	}
	if mask.Has("start_date") {
		out.StartDate = in.StartDate
	}
	if mask.Has("end_date") {
		out.EndDate = in.EndDate
	}
	if mask.Has("total_eligible_costs") {
		out.TotalEligibleCosts = in.TotalEligibleCosts
	}
	if mask.Has("max_donor_contribution") {
		out.MaxDonorContribution = in.MaxDonorContribution
	}
	if mask.Has("co_financing_rate") {
		out.CoFinancingRate = in.CoFinancingRate
	}
	if mask.Has("indirect_cost_rate") {
		out.IndirectCostRate = in.IndirectCostRate
	}
	if mask.Has("reporting_period_months") {
		out.ReportingPeriodMonths = in.ReportingPeriodMonths
	}
	if mask.Has("interim_report_due_days") {
		out.InterimReportDueDays = in.InterimReportDueDays
	}
	if mask.Has("final_report_due_months") {
		out.FinalReportDueMonths = in.FinalReportDueMonths
	}
	if mask.Has("reporting_language") {
		out.ReportingLanguage = in.ReportingLanguage
	}
	if mask.Has("four_eyes") {
		out.FourEyes = in.FourEyes
	}
	return out
}

// build checks in as a whole for caller c and returns the grant it
// describes (without id, state, version or times). prev is the stored grant
// on update, nil on create: organisations it already had are not checked
// again. An agreement c may not read counts as not existing. Once the lead
// organisation is settled, a new one (on create, or a changed one) must be
// one c may manage: otherwise a permission error, before any other rule is
// reported. Broken rules are an invalid error naming each field; other
// errors are internal.
func build(ctx context.Context, idb bun.IDB, c actor.Caller, in Input, prev *Grant) (*Grant, error) {
	var v errs.Violations
	g := &Grant{
		FrameworkAgreementID: in.FrameworkAgreementID,
		DonorID:              in.DonorID,
		LeadOrganisationID:   in.LeadOrganisationID,
		DonorReference:       strings.TrimSpace(in.DonorReference),
		Title:                strings.TrimSpace(in.Title),
		CurrencyCode:         strings.TrimSpace(in.CurrencyCode),
	}

	if err := checkParties(ctx, idb, c, g, prev, &v); err != nil {
		return nil, err
	}
	if g.LeadOrganisationID != "" && !v.Has("lead_organisation") && !v.Has("framework_agreement") &&
		(prev == nil || g.LeadOrganisationID != prev.LeadOrganisationID) && !policy.CanManageLeadOrg(c, g.LeadOrganisationID) {
		return nil, errs.PermissionDenied("you may not make %s the lead organisation of a grant: only its coordinators (not limited to named grants) and admins may",
			orgName(g.LeadOrganisationID))
	}
	if g.DonorReference == "" {
		v.Add("donor_reference", "is required: the donor's reference of the grant contract, e.g. CSO-LA/2024/123-456")
	}
	if g.Title == "" {
		v.Add("title", "is required: the grant's title as in the contract")
	}

	currencyOK := false
	if g.CurrencyCode == "" {
		v.Add("currency_code", "is required: the ISO 4217 code of the grant currency, e.g. EUR")
	} else if _, err := money.Currency(g.CurrencyCode); err != nil {
		v.Add("currency_code", "%s", err.Error())
	} else {
		currencyOK = true
	}

	g.StartDate = agreement.ParseDate(&v, "start_date", in.StartDate)
	g.EndDate = agreement.ParseDate(&v, "end_date", in.EndDate)
	agreement.CheckPeriod(&v, g.StartDate, g.EndDate)

	var totalOK, maxOK, rateOK bool
	if currencyOK {
		g.TotalEligibleCosts, totalOK = parseAmount(&v, "total_eligible_costs", in.TotalEligibleCosts, g.CurrencyCode,
			"the total eligible costs of the action")
		g.MaxDonorContribution, maxOK = parseAmount(&v, "max_donor_contribution", in.MaxDonorContribution, g.CurrencyCode,
			"the donor's maximum contribution")
	}
	switch rate := strings.TrimSpace(in.CoFinancingRate); {
	case rate == "":
		v.Add("co_financing_rate", "is required: the donor's share of the total eligible costs in percent, more than 0 and at most 100, e.g. 90")
	default:
		bp, err := money.ParsePercent(rate)
		switch {
		case err != nil:
			v.Add("co_financing_rate", "%s", err.Error())
		case bp <= 0:
			v.Add("co_financing_rate", "must be more than 0 and at most 100 percent (got %s)", rate)
		default:
			g.CoFinancingRateBP, rateOK = bp, true
		}
	}
	if totalOK && maxOK && rateOK {
		if limit := maxContribution(g.TotalEligibleCosts, g.CoFinancingRateBP); g.MaxDonorContribution > limit {
			if g.CoFinancingRateBP == 100_00 {
				v.Add("max_donor_contribution", "must not exceed total_eligible_costs: at most %s %s (got %s)",
					money.Format(limit, g.CurrencyCode), g.CurrencyCode, money.Format(g.MaxDonorContribution, g.CurrencyCode))
			} else {
				v.Add("max_donor_contribution", "must not exceed co_financing_rate (%s%%) of total_eligible_costs (%s %s): at most %s %s (got %s)",
					money.FormatPercent(g.CoFinancingRateBP), money.Format(g.TotalEligibleCosts, g.CurrencyCode), g.CurrencyCode,
					money.Format(limit, g.CurrencyCode), g.CurrencyCode, money.Format(g.MaxDonorContribution, g.CurrencyCode))
			}
		}
	}

	if err := checkIndirectRate(ctx, idb, g, in.IndirectCostRate, prev, &v); err != nil {
		return nil, err
	}
	g.FourEyes = in.FourEyes == nil || *in.FourEyes

	g.ReportingPeriodMonths = in.ReportingPeriodMonths
	switch {
	case in.ReportingPeriodMonths == 0:
		v.Add("reporting_period_months", "is required: the length of a reporting period in months, from 1 to %d, usually 12", MaxReportingPeriodMonths)
	case in.ReportingPeriodMonths < 1 || in.ReportingPeriodMonths > MaxReportingPeriodMonths:
		v.Add("reporting_period_months", "must be from 1 to %d months (got %d)", MaxReportingPeriodMonths, in.ReportingPeriodMonths)
	case !g.StartDate.IsZero() && !g.EndDate.IsZero() && g.EndDate.After(g.StartDate):
		if months := calendar.MonthsBetween(g.StartDate, g.EndDate); in.ReportingPeriodMonths > months {
			v.Add("reporting_period_months", "must not be longer than the implementation period from %s to %s, which is %d whole month(s) (got %d)",
				g.StartDate, g.EndDate, months, in.ReportingPeriodMonths)
		}
	}

	g.InterimReportDueDays = DefaultInterimReportDueDays
	if p := in.InterimReportDueDays; p != nil {
		g.InterimReportDueDays = *p
		if *p < 0 || *p > MaxInterimReportDueDays {
			v.Add("interim_report_due_days", "must be from 0 to %d days after the end of each reporting period (got %d); leave it unset for the usual %d",
				MaxInterimReportDueDays, *p, DefaultInterimReportDueDays)
		}
	}
	g.FinalReportDueMonths = DefaultFinalReportDueMonths
	if p := in.FinalReportDueMonths; p != nil {
		g.FinalReportDueMonths = *p
		if *p < 0 || *p > MaxFinalReportDueMonths {
			v.Add("final_report_due_months", "must be from 0 to %d months after end_date (got %d); leave it unset for the usual %d",
				MaxFinalReportDueMonths, *p, DefaultFinalReportDueMonths)
		}
	}
	g.ReportingLanguage = strings.TrimSpace(in.ReportingLanguage)
	if g.ReportingLanguage == "" {
		g.ReportingLanguage = DefaultReportingLanguage
	} else if !slices.Contains(ReportingLanguages, g.ReportingLanguage) {
		v.Add("reporting_language", "must be one of en (English), fr (French), es (Spanish) or pt (Portuguese), the languages the reports are written in; leave it empty for en (got %q)",
			in.ReportingLanguage)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return g, nil
}

// checkParties settles the grant's donor and lead organisation. Under a
// framework agreement they default to the agreement's and, when given, must
// be the agreement's; a standalone grant needs both, of the right kinds. A
// new agreement (on create, or a changed one) must be one c may read.
func checkParties(ctx context.Context, idb bun.IDB, c actor.Caller, g, prev *Grant, v *errs.Violations) error {
	if g.FrameworkAgreementID != "" {
		readable := true
		if prev == nil || prev.FrameworkAgreementID != g.FrameworkAgreementID {
			var err error
			if readable, err = agreementReadable(ctx, idb, c, g.FrameworkAgreementID); err != nil {
				return err
			}
		}
		var a *agreement.Agreement
		var err error = errs.NotFound(resource.Name(resource.FrameworkAgreements, g.FrameworkAgreementID))
		if readable {
			if err := agreement.Lock(ctx, idb, g.FrameworkAgreementID); err != nil {
				return err
			}
			a, err = agreement.Get(ctx, idb, g.FrameworkAgreementID)
		}
		if errs.Is(err, errs.KindNotFound) {
			v.Add("framework_agreement", "%s does not exist; name an existing framework agreement, or leave it empty for a standalone grant",
				resource.Name(resource.FrameworkAgreements, g.FrameworkAgreementID))
			return nil
		}
		if err != nil {
			return err
		}
		if a.Closed() && (prev == nil || prev.FrameworkAgreementID != g.FrameworkAgreementID) {
			v.Add("framework_agreement", "%s (%s) is closed: no further grant is signed under it; choose an open agreement, "+
				"reopen this one, or leave it empty for a standalone grant", a.Name(), a.Reference)
			return nil
		}
		if g.DonorID == "" {
			g.DonorID = a.DonorID
		} else if g.DonorID != a.DonorID {
			v.Add("donor", "must be the donor of %s, %s, or be left empty to take it from the agreement (got %s)",
				a.Name(), orgName(a.DonorID), orgName(g.DonorID))
		}
		if g.LeadOrganisationID == "" {
			g.LeadOrganisationID = a.LeadOrganisationID
		} else if g.LeadOrganisationID != a.LeadOrganisationID {
			v.Add("lead_organisation", "must be the lead organisation of %s, %s, or be left empty to take it from the agreement (got %s)",
				a.Name(), orgName(a.LeadOrganisationID), orgName(g.LeadOrganisationID))
		}
		return nil
	}
	if prev != nil && prev.DonorID == g.DonorID && prev.LeadOrganisationID == g.LeadOrganisationID {
		return nil // unchanged, and checked when they were set
	}
	return agreement.CheckParties(ctx, idb, v, g.DonorID, g.LeadOrganisationID)
}

func orgName(id string) string { return resource.Name(resource.Organisations, id) }

// agreementReadable reports whether c may read the framework agreement id
// (false also when there is none).
func agreementReadable(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (bool, error) {
	q := idb.NewSelect().Table("framework_agreements").Where("id = ?", id)
	n, err := policy.Where(q, policy.Agreements(c, "id")).Count(ctx)
	if err != nil {
		return false, db.Err(err)
	}
	return n > 0, nil
}

// parseAmount reads a required, positive decimal amount in currency code.
func parseAmount(v *errs.Violations, field, s, code, what string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		v.Add(field, "is required: %s, a decimal amount in %s such as 1250000.00", what, code)
		return 0, false
	}
	n, err := money.Parse(s, code)
	if err != nil {
		v.Add(field, "%s", err.Error())
		return 0, false
	}
	if n == 0 {
		v.Add(field, "must be more than zero: %s in %s", what, code)
		return 0, false
	}
	return n, true
}

// maxContribution is the most the donor may contribute: the co-financing
// rate (hundredths of a percent) of total, rounded down to the minor unit.
func maxContribution(total, rateBP int64) int64 {
	p := new(big.Int).Mul(big.NewInt(total), big.NewInt(rateBP))
	return p.Quo(p, big.NewInt(100_00)).Int64()
}

// describe names a grant for messages: its resource name and reference.
func (g *Grant) describe() string { return fmt.Sprintf("%s (%s)", g.Name(), g.DonorReference) }
