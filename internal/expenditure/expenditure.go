package expenditure

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Status is where an expenditure is in its review.
type Status string

const (
	StatusDraft     Status = "draft"     // being recorded; editable
	StatusSubmitted Status = "submitted" // waiting for finance to verify it
	StatusVerified  Status = "verified"  // accepted by finance
	StatusRejected  Status = "rejected"  // sent back with a reason; editable, can be resubmitted
)

// Editable reports whether an expenditure in status s may be changed or
// deleted.
func (s Status) Editable() bool { return s == StatusDraft || s == StatusRejected }

// Expenditure is a stored expenditure: an amount in the currency it was paid
// in, and its conversion to the grant currency (Rate and Converted are nil,
// and RateProblem says why, while no rate applies).
type Expenditure struct {
	bun.BaseModel `bun:"table:expenditures,alias:e"`

	ID             string           `bun:"id,pk"`
	GrantID        string           `bun:"grant_id"`
	LineKey        string           `bun:"line_key"`
	HeadingCode    string           `bun:"heading_code"`
	ProjectID      string           `bun:"project_id,nullzero"` // "" when none
	OrganisationID string           `bun:"organisation_id"`
	ExpenseDate    calendar.Date    `bun:"expense_date"`
	Amount         int64            `bun:"amount"` // minor units of CurrencyCode
	CurrencyCode   string           `bun:"currency_code"`
	Payee          string           `bun:"payee"`
	Description    string           `bun:"description"`
	DocumentRef    string           `bun:"document_ref"`
	Status         Status           `bun:"status"`
	RejectReason   string           `bun:"reject_reason"`
	Rate           *decimal.Decimal `bun:"rate,type:text"`   // units of CurrencyCode per 1 grant currency
	RateSource     string           `bun:"rate_source"`      // where Rate comes from
	Converted      *int64           `bun:"converted_amount"` // minor units of the grant currency
	RateProblem    string           `bun:"rate_problem"`     // why no rate applies
	LedgerImportID string           `bun:"ledger_import_id,nullzero"`
	ImportKey      string           `bun:"import_key,nullzero"`
	CreatedBy      string           `bun:"created_by"`
	SubmittedBy    string           `bun:"submitted_by"` // who last submitted it; "" before it was kept
	Version        int64            `bun:"version"`
	CreateTime     time.Time        `bun:"create_time"`
	UpdateTime     time.Time        `bun:"update_time"`

	// Read with the expenditure, not stored on its row.
	GrantCurrency string    `bun:"-"`
	Receipts      []Receipt `bun:"-"`
}

// Name returns the resource name.
func (e *Expenditure) Name() string { return Name(e.GrantID, e.ID) }

// Name returns the resource name of expenditure id of grant grantID.
func Name(grantID, id string) string {
	return resource.Name(resource.Grants, grantID) + "/" + resource.Expenditures + "/" + id
}

// ETag returns the current etag.
func (e *Expenditure) ETag() string { return resource.ETag(e.Version) }

// RateMissing reports whether no rate applies yet (the expenditure is left
// out of totals).
func (e *Expenditure) RateMissing() bool { return e.Converted == nil }

// setConversion records conv on e.
func (e *Expenditure) setConversion(conv fx.Conversion) {
	if !conv.OK() {
		e.Rate, e.RateSource, e.Converted, e.RateProblem = nil, "", nil, conv.Problem
		return
	}
	rate, converted := conv.Rate, conv.Converted
	e.Rate, e.RateSource, e.Converted, e.RateProblem = &rate, conv.Source, &converted, ""
}

// describe names an expenditure for messages.
func (e *Expenditure) describe() string {
	return fmt.Sprintf("%s (%s %s on %s)", e.Name(), e.CurrencyCode, money.Format(e.Amount, e.CurrencyCode), e.ExpenseDate)
}

// Receipt is a file kept with an expenditure (stored by internal/receipt;
// read here to answer with the expenditure).
type Receipt struct {
	bun.BaseModel `bun:"table:receipts,alias:r"`

	ID            string    `bun:"id,pk"`
	ExpenditureID string    `bun:"expenditure_id"`
	SHA256        string    `bun:"sha256"`
	FileName      string    `bun:"file_name"`
	ContentType   string    `bun:"content_type"`
	SizeBytes     int64     `bun:"size_bytes"`
	CreateTime    time.Time `bun:"create_time"`
}

// Input is what a caller writes of an expenditure, as users write it: the
// date "YYYY-MM-DD", the amount a decimal in its currency ("1250.50"), the
// line by its key, project and organisation by id ("" to take them from the
// line's allocation).
type Input struct {
	ExpenseDate    string
	LineKey        string
	ProjectID      string
	OrganisationID string
	Amount         string
	CurrencyCode   string
	Payee          string
	Description    string
	DocumentRef    string
}

// Updatable lists the fields Update may change (the API's field names).
var Updatable = []string{
	"expense_date", "budget_line_key", "project", "organisation", "amount", "currency_code", "payee", "description", "document_ref",
}

// Input returns the expenditure's writable fields as a caller writes them.
func (e *Expenditure) Input() Input {
	return Input{
		ExpenseDate:    e.ExpenseDate.String(),
		LineKey:        e.LineKey,
		ProjectID:      e.ProjectID,
		OrganisationID: e.OrganisationID,
		Amount:         money.Format(e.Amount, e.CurrencyCode),
		CurrencyCode:   e.CurrencyCode,
		Payee:          e.Payee,
		Description:    e.Description,
		DocumentRef:    e.DocumentRef,
	}
}

// overlay returns base with the fields of in named by mask. When the line
// changes, project and organisation not named follow the new line's
// allocation; where the new line has none, the previous ones are kept
// (keep).
func overlay(base, in Input, mask resource.Mask) (out Input, keep Input) {
	out = base
	if mask.Has("budget_line_key") && in.LineKey != base.LineKey {
		out.LineKey = in.LineKey
		keep.ProjectID, keep.OrganisationID = base.ProjectID, base.OrganisationID
		out.ProjectID, out.OrganisationID = "", ""
	}
	if mask.Has("expense_date") {
		out.ExpenseDate = in.ExpenseDate
	}
	if mask.Has("project") {
		out.ProjectID, keep.ProjectID = in.ProjectID, ""
	}
	if mask.Has("organisation") {
		out.OrganisationID, keep.OrganisationID = in.OrganisationID, ""
	}
	if mask.Has("amount") {
		out.Amount = in.Amount
	}
	if mask.Has("currency_code") {
		out.CurrencyCode = in.CurrencyCode
		if !mask.Has("amount") {
			// The stored amount was written with the old currency's decimals.
			out.Amount = trimAmount(out.Amount)
		}
	}
	if mask.Has("payee") {
		out.Payee = in.Payee
	}
	if mask.Has("description") {
		out.Description = in.Description
	}
	if mask.Has("document_ref") {
		out.DocumentRef = in.DocumentRef
	}
	return out, keep
}

// trimAmount drops trailing zero decimals ("1250.00" -> "1250"), so that an
// amount keeps its value when its currency changes to one with fewer
// decimals.
func trimAmount(s string) string {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	return d.String()
}
