// Package procurement keeps the procurement contracts awarded under a grant
// by its coordinator or a beneficiary (goods, works and services bought
// under the procurement rules of the grant contract, Annex IV). The final
// narrative report lists those above EUR 60,000.
//
// Who may do what: the grant's coordinators (and admins) record, change
// and delete them; its coordinators, finance staff and auditors read them.
// Partners do not: a partner's view of the grant is its own projects, and
// the contracts of the other beneficiaries (contractors, amounts) are not
// theirs to see. A caller who may not read the grant at all gets not found.
package procurement

import (
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Collection is the segment of a contract's name:
// "grants/{grant}/procurementContracts/{contract}".
const Collection = "procurementContracts"

// Pattern is the shape of a contract's name.
var Pattern = resource.Pattern{resource.Grants, Collection}

// The award procedures, as stored (PRAG's names, in words).
const (
	InternationalOpenTender       = "international_open_tender"
	InternationalRestrictedTender = "international_restricted_tender"
	LocalOpenTender               = "local_open_tender"
	CompetitiveNegotiated         = "competitive_negotiated"
	NegotiatedSingleTender        = "negotiated_single_tender"
	FrameworkContract             = "framework_contract"
	Other                         = "other"
)

// Procedures lists the award procedures a contract may have.
var Procedures = []string{InternationalOpenTender, InternationalRestrictedTender, LocalOpenTender,
	CompetitiveNegotiated, NegotiatedSingleTender, FrameworkContract, Other}

// FinalReportThreshold is the amount above which a contract goes into the
// final narrative report: EUR 60,000, in cents.
const (
	FinalReportThreshold         int64 = 60_000_00
	FinalReportThresholdCurrency       = "EUR"
)

// Longest texts, in characters.
const (
	MaxReferenceLen  = 100
	MaxTitleLen      = 300
	MaxContractorLen = 200
)

// Contract is a procurement contract awarded under a grant. Amount is in
// minor units of the grant currency.
type Contract struct {
	bun.BaseModel `bun:"table:procurement_contracts"`

	ID             string        `bun:"id,pk"`
	GrantID        string        `bun:"grant_id"`
	OrganisationID string        `bun:"organisation_id,nullzero"` // the beneficiary that awarded it
	Reference      string        `bun:"reference"`
	Title          string        `bun:"title"`
	Contractor     string        `bun:"contractor"`
	Procedure      string        `bun:"award_procedure"` // one of Procedures
	AwardDate      calendar.Date `bun:"award_date"`
	Amount         int64         `bun:"amount"`
	Version        int64         `bun:"version"`
	CreateTime     time.Time     `bun:"create_time"`
	UpdateTime     time.Time     `bun:"update_time"`

	// Read with the contract, not stored in its row.
	Currency         string `bun:"-"` // the grant currency
	OrganisationName string `bun:"-"` // the organisation's display name
	CanChange        bool   `bun:"-"` // the caller may update and delete it
}

// Name returns "grants/{grant}/procurementContracts/{id}".
func (c *Contract) Name() string { return Pattern.Name(c.GrantID, c.ID) }

// ETag returns the current etag.
func (c *Contract) ETag() string { return resource.ETag(c.Version) }

// InFinalReport reports whether the contract goes into the final narrative
// report: a grant in EUR and an amount above EUR 60,000. Amounts in other
// currencies are not converted (no rate is defined for it), so they are
// never marked.
func (c *Contract) InFinalReport() bool {
	return strings.EqualFold(c.Currency, FinalReportThresholdCurrency) && c.Amount > FinalReportThreshold
}

// FormatAmount is the amount as a decimal string in the grant currency.
func (c *Contract) FormatAmount() string { return money.Format(c.Amount, c.Currency) }

// ParseName returns the grant and contract ids of a contract's name; field
// names the request field for the error. Errors: invalid.
func ParseName(name, field string) (grantID, id string, err error) {
	ids, err := Pattern.Parse(name, field)
	if err != nil {
		return "", "", err
	}
	return ids[0], ids[1], nil
}

// Input is a contract as users write it: the award date "YYYY-MM-DD", the
// amount a decimal in the grant currency, the procedure one of Procedures,
// the organisation an id ("": the grant's lead organisation).
type Input struct {
	Reference      string
	Title          string
	Contractor     string
	Procedure      string
	AwardDate      string
	Amount         string
	OrganisationID string
}

// Updatable lists the fields Update may change (the API's names).
var Updatable = []string{"reference", "title", "contractor", "procedure", "award_date", "amount", "organisation"}
