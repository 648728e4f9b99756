// Package narrative compiles a grant's narrative report for a reporting
// period (the EU's Annex VI narrative) from the partners' approved progress
// updates, the activity log, the results framework and the photos with
// consent; keeps the coordinator's edits of its sections across
// compilations; and locks it once submitted. Package narrative/render
// writes a compiled Report as DOCX and PDF.
package narrative

import (
	"io"
	"time"

	"github.com/pactum-dev/pactum/internal/calendar"
)

// Kind is interim (after a reporting period other than the last) or final.
type Kind string

const (
	KindInterim Kind = "interim"
	KindFinal   Kind = "final"
)

// State is draft or submitted (locked).
type State string

const (
	StateDraft     State = "draft"
	StateSubmitted State = "submitted"
)

// SectionKind says what a section is about; documents and screens head it
// in the reader's language from its kind and subject.
type SectionKind string

const (
	SectionExecutiveSummary SectionKind = "executive_summary"
	SectionOutput           SectionKind = "output"      // Subject: a result (output)
	SectionPartner          SectionKind = "partner"     // Subject: an organisation
	SectionCooperation      SectionKind = "cooperation" // with partners, authorities, other actors
	SectionVisibility       SectionKind = "visibility"
	SectionRecords          SectionKind = "records" // where the records are kept
)

// SourceKind is the kind of record a section's text came from.
type SourceKind string

const (
	SourceProgressUpdate SourceKind = "progress_update"
	SourceActivity       SourceKind = "activity"
	SourceIndicator      SourceKind = "indicator"
	SourceResult         SourceKind = "result"
)

// Source is a record a section's compiled text came from.
type Source struct {
	Name                    string     `json:"name"` // resource name
	Kind                    SourceKind `json:"kind"`
	DisplayName             string     `json:"display_name"`
	OrganisationDisplayName string     `json:"organisation_display_name,omitempty"`
}

// Section is one editable part of the report.
type Section struct {
	Key                string // stable across compilations, e.g. "partners-{id}"
	Kind               SectionKind
	Subject            string // resource name of the result or organisation; "" for the others
	SubjectDisplayName string // a result: "1.1 Title"; an organisation: its name
	CompiledText       string
	EditedText         *string // nil: not edited
	EditBaseText       *string // the compiled text the edit was made on
	Sources            []Source
	EditorDisplayName  string
	EditTime           *time.Time
	Version            int64
	// Derived when read.
	SourcesChanged bool // edited, and CompiledText differs from EditBaseText
}

// Text is what goes into the report: the edit, or the compiled text.
func (s *Section) Text() string {
	if s.EditedText != nil {
		return *s.EditedText
	}
	return s.CompiledText
}

// Party is an organisation of the action and its contractual role
// ("coordinator", "co_beneficiary", "affiliated_entity", "associate").
type Party struct {
	Organisation string // resource name
	DisplayName  string
	CountryCode  string // ISO 3166-1 alpha-2, "" when not known
	Role         string
}

// People counts participants by sex.
type People struct{ Women, Men, Other int }

// Total is the sum of the three.
func (p People) Total() int { return p.Women + p.Men + p.Other }

// Description is the report's first part, from the grant's records.
type Description struct {
	Title, ContractNumber     string
	Coordinator               Party
	ContactName, ContactEmail string
	Partners                  []Party // co-beneficiaries, affiliated entities, associates
	TargetCountries           []string
	CountriesOfActivity       []string
	ParticipantsPeriod        People
	ParticipantsToDate        People
	ActivitiesPeriod          int
	Start, End                calendar.Date
}

// Disaggregated is the part of a value in one category of a
// disaggregation (e.g. "Sex" / "Women").
type Disaggregated struct {
	Disaggregation, Category, Value string
}

// PartnerValue is one partner's (project's) value of an indicator.
type PartnerValue struct {
	OrganisationDisplayName, ProjectDisplayName string
	Indicator                                   string // resource name
	Target, Achieved                            string
	Disaggregated                               []Disaggregated
}

// Indicator is one row of the updated logframe: an indicator code summed
// over the projects that share it (numbers), with the partners' values.
type Indicator struct {
	ResultLevel                  string // "overall_objective", "specific_objective", "output"
	ResultCode, ResultTitle      string
	Code, Title, Unit, Type      string // Type: "number", "percentage", "yes_no", "qualitative"
	Baseline                     string
	TargetPeriod, AchievedPeriod string
	TargetToDate, AchievedToDate string
	Disaggregated                []Disaggregated
	PartnerValues                []PartnerValue
}

// ProcurementContract is a contract above EUR 60,000 (final report).
type ProcurementContract struct {
	Reference, Title, Contractor, Procedure string
	AwardDate                               calendar.Date
	Amount                                  string // decimal in the grant currency
	OrganisationDisplayName                 string
}

// Photo is an attachment with consent that goes into the documents.
type Photo struct {
	Name            string // the attachment's resource name
	Caption, Credit string
	ContentType     string // image/jpeg or image/png
	SizeBytes       int64
	// Open reads its bytes (from the blob store).
	Open func() (io.ReadCloser, error)
	// The section it belongs to (its activity's output, or its update's
	// partner); "" for the report's annex of photos.
	SectionKey string
}

// Report is a compiled narrative report, ready to render.
type Report struct {
	ID, Grant            string // Grant: "grants/{id}"
	Period               int
	PeriodStart          calendar.Date
	PeriodEnd            calendar.Date
	Kind                 Kind
	State                State
	Language             string // the grant's reporting language
	Currency             string // the grant currency (procurement amounts)
	Description          Description
	Sections             []*Section
	Logframe             []Indicator
	ProcurementContracts []ProcurementContract // final report only
	Photos               []Photo
	PhotosWithoutConsent int
	UpdatesIncluded      int
	UpdatesNotApproved   int
	CompileTime          time.Time
	SubmitDate           calendar.Date // zero until submitted
	SubmitterDisplayName string
	Version              int64
}
