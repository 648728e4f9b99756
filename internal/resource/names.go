package resource

import (
	"fmt"
	"strings"

	"github.com/pactum-dev/pactum/internal/errs"
)

// Collections: the one place where the segments of resource names are
// spelt. A top-level resource is "{collection}/{id}"; a child resource
// follows its parent's name ("grants/{grant}/transfers/{transfer}").
const (
	Activities           = "activities"
	FrameworkAgreements  = "frameworkAgreements"
	Forecasts            = "forecasts" // grants/{grant}/forecasts/{period}: the id is a reporting period's number
	APITokens            = "apiTokens"
	Attachments          = "attachments"
	BudgetTemplates      = "budgetTemplates"
	BudgetVersions       = "budgetVersions"
	Comments             = "comments"
	ExchangeRates        = "exchangeRates"
	Expenditures         = "expenditures"
	FundingSources       = "fundingSources"
	Grants               = "grants"
	Indicators           = "indicators"
	Lines                = "lines"
	Milestones           = "milestones"
	Notifications        = "notifications"
	Organisations        = "organisations"
	PrefinancingPayments = "prefinancingPayments"
	ProgressUpdates      = "progressUpdates"
	Projects             = "projects"
	Receipts             = "receipts"
	Results              = "results"
	Transfers            = "transfers"
	Users                = "users"
)

// Singletons: segments that name the one child of a resource, with no id
// ("grants/{grant}/rules").
const (
	Rules            = "rules"
	PrefinancingPlan = "prefinancingPlan"
)

// singular names the id of a collection in the forms error messages show.
var singular = map[string]string{
	Activities: "activity", FrameworkAgreements: "framework_agreement", APITokens: "api_token",
	Attachments: "attachment", Forecasts: "period", BudgetTemplates: "budget_template", BudgetVersions: "version",
	Comments: "comment", ExchangeRates: "exchange_rate", Expenditures: "expenditure", FundingSources: "funding_source", Grants: "grant",
	Indicators: "indicator", Lines: "line", Milestones: "milestone", Notifications: "notification",
	Organisations: "organisation", PrefinancingPayments: "payment", ProgressUpdates: "progress_update",
	Projects: "project", Receipts: "receipt", Results: "result", Transfers: "transfer", Users: "user",
}

// Pattern is the shape of a resource name: its collections from the top,
// each followed by an id, and optionally a last singleton segment.
// Pattern{Grants, Transfers} is "grants/{grant}/transfers/{transfer}".
type Pattern []string

// IDs of a grant's child names, and the like.
var (
	GrantPattern         = Pattern{Grants}
	ProjectPattern       = Pattern{Projects}
	OrganisationPattern  = Pattern{Organisations}
	TransferPattern      = Pattern{Grants, Transfers}
	PaymentPattern       = Pattern{Grants, PrefinancingPayments}
	ForecastPattern      = Pattern{Grants, Forecasts}
	ExpenditurePattern   = Pattern{Grants, Expenditures}
	ReceiptPattern       = Pattern{Grants, Expenditures, Receipts}
	FundingSourcePattern = Pattern{Grants, FundingSources}
	// FundingReceiptPattern: what a source of funding brought.
	FundingReceiptPattern = Pattern{Grants, FundingSources, Receipts}
	VersionPattern        = Pattern{Grants, BudgetVersions}
	LinePattern           = Pattern{Grants, BudgetVersions, Lines}
	RulesPattern          = Pattern{Grants, Rules}
	PlanPattern           = Pattern{Grants, PrefinancingPlan}
	ActivityPattern       = Pattern{Projects, Activities}
	ResultPattern         = Pattern{Projects, Results}
	IndicatorPattern      = Pattern{Projects, Indicators}
	ProjectBudgetPattern  = Pattern{Grants, Projects}
)

func isSingleton(segment string) bool { return segment == Rules || segment == PrefinancingPlan }

// String is the pattern as the API documents it:
// "grants/{grant}/transfers/{transfer}".
func (p Pattern) String() string {
	var b strings.Builder
	for i, c := range p {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(c)
		if !isSingleton(c) {
			s := singular[c]
			if s == "" {
				s = "id"
			}
			b.WriteString("/{" + s + "}")
		}
	}
	return b.String()
}

// Name returns the name of the resource with ids, one per collection.
func (p Pattern) Name(ids ...string) string {
	var b strings.Builder
	for i, c := range p {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(c)
		if !isSingleton(c) && i < len(ids) {
			b.WriteString("/" + ids[i])
		}
	}
	return b.String()
}

// Match returns the ids of name, one per collection of the pattern, and
// whether name has the pattern's shape (every id non-empty).
func (p Pattern) Match(name string) ([]string, bool) {
	parts := strings.Split(name, "/")
	var ids []string
	i := 0
	for _, c := range p {
		if i >= len(parts) || parts[i] != c {
			return nil, false
		}
		i++
		if isSingleton(c) {
			continue
		}
		if i >= len(parts) || parts[i] == "" {
			return nil, false
		}
		ids = append(ids, parts[i])
		i++
	}
	if i != len(parts) {
		return nil, false
	}
	return ids, true
}

// Parse returns the ids of name, one per collection of the pattern. field
// names the request field for the error. Errors: invalid, saying the form
// expected.
func (p Pattern) Parse(name, field string) ([]string, error) {
	ids, ok := p.Match(name)
	if !ok {
		return nil, errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("must be a resource name of the form %s, got %q", p, name)})
	}
	return ids, nil
}

// ParseGrant returns the id of "grants/{grant}". Errors: invalid.
func ParseGrant(name, field string) (string, error) { return ParseName(Grants, name, field) }

// ParseProject returns the id of "projects/{project}". Errors: invalid.
func ParseProject(name, field string) (string, error) { return ParseName(Projects, name, field) }

// ParseOrganisation returns the id of "organisations/{organisation}".
// Errors: invalid.
func ParseOrganisation(name, field string) (string, error) {
	return ParseName(Organisations, name, field)
}

// ParseGrantChild returns the ids of "grants/{grant}/{collection}/{id}".
// Errors: invalid.
func ParseGrantChild(name, collection, field string) (grantID, id string, err error) {
	return parseChild(Grants, name, collection, field)
}

// ParseProjectChild returns the ids of "projects/{project}/{collection}/{id}".
// Errors: invalid.
func ParseProjectChild(name, collection, field string) (projectID, id string, err error) {
	return parseChild(Projects, name, collection, field)
}

func parseChild(parent, name, collection, field string) (string, string, error) {
	ids, err := Pattern{parent, collection}.Parse(name, field)
	if err != nil {
		return "", "", err
	}
	return ids[0], ids[1], nil
}
