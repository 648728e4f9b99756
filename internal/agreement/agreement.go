// Package agreement holds framework partnership agreements (FPAs): the
// multi-year umbrella agreements between a donor and a lead organisation
// under which specific grants are signed. An agreement holds no money itself.
package agreement

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Agreement is a stored framework agreement.
type Agreement struct {
	bun.BaseModel `bun:"table:framework_agreements"`

	ID                 string        `bun:"id,pk"`
	Reference          string        `bun:"reference"`
	Title              string        `bun:"title"`
	DonorID            string        `bun:"donor_id"`
	LeadOrganisationID string        `bun:"lead_organisation_id"`
	SignatureDate      calendar.Date `bun:"signature_date"` // zero: not signed yet (NULL)
	StartDate          calendar.Date `bun:"start_date"`
	EndDate            calendar.Date `bun:"end_date"`
	CurrencyCode       string        `bun:"currency_code"`
	CloseTime          *time.Time    `bun:"close_time"` // nil while open
	ClosedBy           string        `bun:"closed_by"`  // "users/{id}", the audit trail's actor name
	Version            int64         `bun:"version"`
	CreateTime         time.Time     `bun:"create_time"`
	UpdateTime         time.Time     `bun:"update_time"`
}

// Name returns the resource name.
func (a *Agreement) Name() string { return resource.Name(resource.FrameworkAgreements, a.ID) }

// ETag returns the current etag.
func (a *Agreement) ETag() string { return resource.ETag(a.Version) }

// Closed reports whether the agreement was closed: no further grant is
// signed under it, and it no longer changes.
func (a *Agreement) Closed() bool { return a.CloseTime != nil }

// Input is what a caller writes of an agreement, as users write it: dates
// are "YYYY-MM-DD" strings, organisations are ids (not resource names).
type Input struct {
	Reference          string // the donor's reference, e.g. "FPA 2015/001-234"
	Title              string
	DonorID            string // an organisation of kind donor
	LeadOrganisationID string // an organisation of kind lead or member
	SignatureDate      string // optional
	StartDate          string
	EndDate            string
	CurrencyCode       string // ISO 4217, e.g. "EUR"
}

// Updatable lists the fields Update may change (the names of the API's fields).
var Updatable = []string{
	"reference", "title", "donor", "lead_organisation",
	"signature_date", "start_date", "end_date", "currency_code",
}

// apply copies the fields of in named by mask onto a, trimming text and
// reading dates; unreadable dates are recorded in v.
func (a *Agreement) apply(in Input, mask resource.Mask, v *errs.Violations) {
	if mask.Has("reference") {
		a.Reference = strings.TrimSpace(in.Reference)
	}
	if mask.Has("title") {
		a.Title = strings.TrimSpace(in.Title)
	}
	if mask.Has("donor") {
		a.DonorID = in.DonorID
	}
	if mask.Has("lead_organisation") {
		a.LeadOrganisationID = in.LeadOrganisationID
	}
	if mask.Has("signature_date") {
		a.SignatureDate = ParseDate(v, "signature_date", in.SignatureDate)
	}
	if mask.Has("start_date") {
		a.StartDate = ParseDate(v, "start_date", in.StartDate)
	}
	if mask.Has("end_date") {
		a.EndDate = ParseDate(v, "end_date", in.EndDate)
	}
	if mask.Has("currency_code") {
		a.CurrencyCode = strings.TrimSpace(in.CurrencyCode)
	}
}

// check records in v every business rule a breaks. Organisations are looked
// up in idb; on update (prev set) only those that changed, so that a later
// change of an organisation's kind does not block unrelated edits. The error
// is for failures to read, not for broken rules.
func (a *Agreement) check(ctx context.Context, idb bun.IDB, v *errs.Violations, prev *Agreement) error {
	if a.Reference == "" {
		v.Add("reference", "is required: the donor's reference of the agreement, e.g. FPA 2015/001-234")
	}
	if a.Title == "" {
		v.Add("title", "is required: the agreement's title as signed")
	}
	if prev == nil || prev.DonorID != a.DonorID || prev.LeadOrganisationID != a.LeadOrganisationID {
		if err := CheckParties(ctx, idb, v, a.DonorID, a.LeadOrganisationID); err != nil {
			return err
		}
	}
	CheckPeriod(v, a.StartDate, a.EndDate)
	if !a.SignatureDate.IsZero() && !a.EndDate.IsZero() && a.SignatureDate.After(a.EndDate) {
		v.Add("signature_date", "must not be after end_date (%s): an agreement is signed before it ends", a.EndDate)
	}
	if a.CurrencyCode == "" {
		v.Add("currency_code", "is required: the ISO 4217 code of the agreement's currency, e.g. EUR")
	} else if _, err := money.Currency(a.CurrencyCode); err != nil {
		v.Add("currency_code", "%s", err.Error())
	}
	return nil
}

// ParseDate reads an optional "YYYY-MM-DD" date: "" is the zero Date, and an
// unreadable date is recorded in v against field.
func ParseDate(v *errs.Violations, field, s string) calendar.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.Parse(s)
	if err != nil {
		v.Add(field, "%s", err.Error())
	}
	return d
}

// CheckPeriod records in v a missing start_date or end_date, or an end that
// is not after the start. Fields that already have a violation are left alone.
func CheckPeriod(v *errs.Violations, start, end calendar.Date) {
	if start.IsZero() && !v.Has("start_date") {
		v.Add("start_date", "is required: the first day of the period, YYYY-MM-DD")
	}
	if end.IsZero() && !v.Has("end_date") {
		v.Add("end_date", "is required: the last day of the period, YYYY-MM-DD")
	}
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		v.Add("end_date", "must be after start_date (%s); got %s", start, end)
	}
}

// CheckParties records in v what is wrong with a donor and a lead
// organisation: each is required and must exist; the donor must be of kind
// donor, the lead of kind lead or member. The error is for failures to read.
func CheckParties(ctx context.Context, idb bun.IDB, v *errs.Violations, donorID, leadID string) error {
	if err := checkOrganisation(ctx, idb, v, "donor", donorID, organisation.KindDonor); err != nil {
		return err
	}
	return checkOrganisation(ctx, idb, v, "lead_organisation", leadID, organisation.KindLead, organisation.KindMember)
}

func checkOrganisation(ctx context.Context, idb bun.IDB, v *errs.Violations, field, id string, kinds ...organisation.Kind) error {
	want := kindList(kinds)
	if id == "" {
		v.Add(field, "is required: an organisation of kind %s, as organisations/{id}", want)
		return nil
	}
	o, err := organisation.Get(ctx, idb, id)
	if errs.Is(err, errs.KindNotFound) {
		v.Add(field, "%s does not exist; choose an existing organisation of kind %s", resource.Name(resource.Organisations, id), want)
		return nil
	}
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if o.Kind == k {
			return nil
		}
	}
	v.Add(field, "%s (%s) is of kind %s; it must be an organisation of kind %s", o.Name(), o.DisplayName, kindWord(o.Kind), want)
	return nil
}

func kindWord(k organisation.Kind) string { return strings.ReplaceAll(string(k), "_", " ") }

func kindList(kinds []organisation.Kind) string {
	words := make([]string, len(kinds))
	for i, k := range kinds {
		words[i] = kindWord(k)
	}
	return strings.Join(words, " or ")
}
