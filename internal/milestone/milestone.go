// Package milestone holds reporting milestones: the dated obligations of a
// grant or one of its projects (interim and final reports, partner progress
// updates, expenditure verification, payment requests). A grant's standard
// milestones are generated from its dates and deadline rules (SyncGenerated);
// others are added by hand.
package milestone

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Kind is the kind of obligation.
type Kind string

const (
	KindInterimNarrativeReport  Kind = "interim_narrative_report"
	KindInterimFinancialReport  Kind = "interim_financial_report"
	KindFinalNarrativeReport    Kind = "final_narrative_report"
	KindFinalFinancialReport    Kind = "final_financial_report"
	KindPartnerProgressUpdate   Kind = "partner_progress_update"
	KindExpenditureVerification Kind = "expenditure_verification"
	KindPaymentRequest          Kind = "payment_request"
	// Made by hand only: the donor's request for additional information
	// (due within AdditionalInformationDays unless the donor says otherwise),
	// a mid-term evaluation, a monitoring visit, anything else.
	KindAdditionalInformation Kind = "additional_information"
	KindMidTermEvaluation     Kind = "mid_term_evaluation"
	KindMonitoringVisit       Kind = "monitoring_visit"
	KindOther                 Kind = "other"
)

// AdditionalInformationDays is how long after the donor's request
// additional information is due, unless the donor says otherwise.
const AdditionalInformationDays = 30

// Kinds lists every valid Kind.
var Kinds = []Kind{
	KindInterimNarrativeReport, KindInterimFinancialReport, KindFinalNarrativeReport, KindFinalFinancialReport,
	KindPartnerProgressUpdate, KindExpenditureVerification, KindPaymentRequest,
	KindAdditionalInformation, KindMidTermEvaluation, KindMonitoringVisit, KindOther,
}

// Label is the kind in words, as a title: "Interim narrative report".
func (k Kind) Label() string {
	switch k {
	case KindInterimNarrativeReport:
		return "Interim narrative report"
	case KindInterimFinancialReport:
		return "Interim financial report"
	case KindFinalNarrativeReport:
		return "Final narrative report"
	case KindFinalFinancialReport:
		return "Final financial report"
	case KindPartnerProgressUpdate:
		return "Partner progress update"
	case KindExpenditureVerification:
		return "Expenditure verification"
	case KindPaymentRequest:
		return "Payment request"
	case KindAdditionalInformation:
		return "Additional information requested by the donor"
	case KindMidTermEvaluation:
		return "Mid-term evaluation"
	case KindMonitoringVisit:
		return "Monitoring visit"
	case KindOther:
		return "Other obligation"
	}
	return string(k)
}

func (k Kind) valid() bool {
	for _, c := range Kinds {
		if k == c {
			return true
		}
	}
	return false
}

// Status is where a milestone stands. It is derived from the due date and
// the submit and accept times, never stored.
type Status string

const (
	StatusUpcoming  Status = "upcoming"  // open, due in more than DueSoonDays
	StatusDueSoon   Status = "due_soon"  // open, due today or within DueSoonDays
	StatusOverdue   Status = "overdue"   // open, past its due date
	StatusSubmitted Status = "submitted" // submitted, not yet accepted
	StatusAccepted  Status = "accepted"
	StatusCancelled Status = "cancelled" // cancelled with a reason: no longer due
)

// Statuses lists every Status.
var Statuses = []Status{StatusUpcoming, StatusDueSoon, StatusOverdue, StatusSubmitted, StatusAccepted, StatusCancelled}

// DueSoonDays is the window, from today, in which an open milestone is due soon.
const DueSoonDays = 30

// MaxTitleLen is the longest title, in characters.
const MaxTitleLen = 500

// Milestone is a stored milestone.
type Milestone struct {
	bun.BaseModel `bun:"table:milestones"`

	ID                        string        `bun:"id,pk"`
	GrantID                   string        `bun:"grant_id"`
	ProjectID                 string        `bun:"project_id,nullzero"` // "" for the whole grant
	Kind                      Kind          `bun:"kind"`
	Title                     string        `bun:"title"`
	PeriodStart               calendar.Date `bun:"period_start_date"` // zero where no period applies
	PeriodEnd                 calendar.Date `bun:"period_end_date"`
	DueDate                   calendar.Date `bun:"due_date"`
	ResponsibleOrganisationID string        `bun:"responsible_organisation_id"`
	GeneratorKey              string        `bun:"generator_key,nullzero"` // "" for a milestone made by hand
	Edited                    bool          `bun:"edited"`                 // a generated milestone a user changed
	SubmitTime                *time.Time    `bun:"submit_time"`
	AcceptTime                *time.Time    `bun:"accept_time"`
	CancelTime                *time.Time    `bun:"cancel_time"`
	CancelReason              string        `bun:"cancel_reason"`
	CancelledBy               string        `bun:"cancelled_by"`      // "users/{id}" (the audit trail's actor name)
	CancelledByName           string        `bun:"cancelled_by_name"` // their display name then
	Version                   int64         `bun:"version"`
	CreateTime                time.Time     `bun:"create_time"`
	UpdateTime                time.Time     `bun:"update_time"`

	// Status is derived when the milestone is read, from "today" of the
	// Service's clock (see StatusOn).
	Status Status `bun:"-"`
}

// Name returns the resource name.
func (m *Milestone) Name() string { return resource.Name(resource.Milestones, m.ID) }

// ETag returns the current etag.
func (m *Milestone) ETag() string { return resource.ETag(m.Version) }

// Generated reports whether the milestone was generated from its grant's
// deadline rules.
func (m *Milestone) Generated() bool { return m.GeneratorKey != "" }

// Open reports whether the milestone is neither submitted, accepted nor
// cancelled: still to be delivered.
func (m *Milestone) Open() bool {
	return m.SubmitTime == nil && m.AcceptTime == nil && m.CancelTime == nil
}

// Cancelled reports whether the milestone was cancelled.
func (m *Milestone) Cancelled() bool { return m.CancelTime != nil }

// OpenSQL holds for the rows of milestones still to be delivered (see Open).
const OpenSQL = "submit_time IS NULL AND accept_time IS NULL AND cancel_time IS NULL"

// untouched reports whether generation may still move or remove the
// milestone: generated, never edited, never submitted or accepted.
func (m *Milestone) untouched() bool { return m.Generated() && !m.Edited && m.Open() }

// StatusOn derives the status on the given day: cancelled, accepted,
// submitted, or for an open milestone overdue (due before today), due soon
// (due today up to DueSoonDays later) or upcoming.
func (m *Milestone) StatusOn(today calendar.Date) Status {
	switch {
	case m.CancelTime != nil:
		return StatusCancelled
	case m.AcceptTime != nil:
		return StatusAccepted
	case m.SubmitTime != nil:
		return StatusSubmitted
	case m.DueDate.Before(today):
		return StatusOverdue
	case !m.DueDate.After(today.AddDays(DueSoonDays)):
		return StatusDueSoon
	}
	return StatusUpcoming
}

// Input is what a caller writes of a milestone, as users write it: ids (not
// resource names) and dates as "YYYY-MM-DD" ("" for none).
type Input struct {
	GrantID                   string // set on creation only
	ProjectID                 string // "" for the whole grant
	Kind                      Kind
	Title                     string // "" on creation: the kind in words
	PeriodStartDate           string
	PeriodEndDate             string
	DueDate                   string
	ResponsibleOrganisationID string
}

// Updatable lists the fields Update may change (the names of the API's
// fields). The grant is set on creation; status fields change only through
// Submit and Accept.
var Updatable = []string{
	"project", "kind", "title", "period_start_date", "period_end_date", "due_date", "responsible_organisation",
}

// apply copies the fields of in named by mask into m, parsing dates; a date
// that does not parse is recorded in v under its field.
func (m *Milestone) apply(in Input, mask resource.Mask, v *errs.Violations) {
	date := func(field, s string, into *calendar.Date) {
		if !mask.Has(field) {
			return
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*into = calendar.Date{}
			return
		}
		d, err := calendar.Parse(s)
		if err != nil {
			v.Add(field, "%s", err.Error())
			return
		}
		*into = d
	}
	if mask.Has("grant") {
		m.GrantID = strings.TrimSpace(in.GrantID)
	}
	if mask.Has("project") {
		m.ProjectID = strings.TrimSpace(in.ProjectID)
	}
	if mask.Has("kind") {
		m.Kind = in.Kind
	}
	if mask.Has("title") {
		m.Title = in.Title
	}
	date("period_start_date", in.PeriodStartDate, &m.PeriodStart)
	date("period_end_date", in.PeriodEndDate, &m.PeriodEnd)
	date("due_date", in.DueDate, &m.DueDate)
	if mask.Has("responsible_organisation") {
		m.ResponsibleOrganisationID = strings.TrimSpace(in.ResponsibleOrganisationID)
	}
}

// normalise trims text and checks the rules that need no database, adding
// to v (which may already hold parse errors) and naming each field that is
// wrong. A title left empty becomes the kind in words.
func (m *Milestone) normalise(v *errs.Violations) {
	m.Title = strings.TrimSpace(m.Title)
	if m.GrantID == "" {
		v.Add("grant", "is required: the grant (grants/{id}) the milestone belongs to")
	}
	if !m.Kind.valid() {
		v.Add("kind", "is required: one of interim narrative report, interim financial report, final narrative report, "+
			"final financial report, partner progress update, expenditure verification, payment request, "+
			"additional information, mid-term evaluation, monitoring visit or other")
	} else if m.Title == "" {
		m.Title = m.Kind.Label()
	}
	if n := utf8.RuneCountInString(m.Title); n > MaxTitleLen {
		v.Add("title", "is %d characters long; at most %d", n, MaxTitleLen)
	}
	if m.DueDate.IsZero() && !v.Has("due_date") {
		v.Add("due_date", "is required: the date by which it must be delivered, as YYYY-MM-DD")
	}
	start, end := m.PeriodStart, m.PeriodEnd
	switch {
	case v.Has("period_start_date") || v.Has("period_end_date"):
	case start.IsZero() && !end.IsZero():
		v.Add("period_start_date", "is required when period_end_date is set: give both dates of the period covered, or neither")
	case !start.IsZero() && end.IsZero():
		v.Add("period_end_date", "is required when period_start_date is set: give both dates of the period covered, or neither")
	case end.Before(start):
		v.Add("period_end_date", "%s is before period_start_date %s; the period must end on or after its start", end, start)
	}
	if m.ResponsibleOrganisationID == "" {
		v.Add("responsible_organisation", "is required: the organisation (organisations/{id}) that must deliver it")
	}
}

// sameContent reports whether a and b have the same writable fields.
func sameContent(a, b *Milestone) bool {
	return a.ProjectID == b.ProjectID && a.Kind == b.Kind && a.Title == b.Title &&
		a.PeriodStart.Equal(b.PeriodStart) && a.PeriodEnd.Equal(b.PeriodEnd) && a.DueDate.Equal(b.DueDate) &&
		a.ResponsibleOrganisationID == b.ResponsibleOrganisationID
}
