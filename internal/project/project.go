// Package project holds the projects (action components) of a grant: the
// work done in one or more countries by participating organisations, one of
// which coordinates it.
package project

import (
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/geo"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Role is the contractual role of an organisation in an EU action (PRAG).
type Role string

const (
	RoleCoordinator      Role = "coordinator"       // leads the project, signs and reports; exactly one per project
	RoleCoBeneficiary    Role = "co_beneficiary"    // signs too; costs eligible
	RoleAffiliatedEntity Role = "affiliated_entity" // linked to a beneficiary; costs eligible
	RoleAssociate        Role = "associate"         // takes part; costs NOT eligible
	RoleContractor       Role = "contractor"        // procured; reports no progress
	// RoleFinancialSupportRecipient receives financial support to third
	// parties (cascade grants); reports no progress.
	RoleFinancialSupportRecipient Role = "financial_support_recipient"
)

// Roles lists every valid Role.
var Roles = []Role{RoleCoordinator, RoleCoBeneficiary, RoleAffiliatedEntity, RoleAssociate, RoleContractor,
	RoleFinancialSupportRecipient}

// CostsEligible reports whether costs incurred by an organisation in role r
// may be charged to the grant: not an associate's.
func (r Role) CostsEligible() bool { return r != RoleAssociate }

// ReportsProgress reports whether an organisation in role r sends partner
// progress updates to the coordinator: co-beneficiaries, affiliated entities
// and associates do; the coordinator (who writes the reports), contractors
// and recipients of financial support do not.
func (r Role) ReportsProgress() bool {
	return r == RoleCoBeneficiary || r == RoleAffiliatedEntity || r == RoleAssociate
}

// Participant is an organisation taking part in a project.
type Participant struct {
	OrganisationID string
	Role           Role
	// CountryCode is where it works in the action, ISO 3166-1 alpha-2; ""
	// on input takes the organisation's own country.
	CountryCode string
	// BudgetShare is its share of the budget, a decimal in the grant
	// currency as written ("120000.00"); "" when not stated.
	BudgetShare string
}

// DefaultProgressUpdateMonths is how often partners send a progress update
// when the project does not say: quarterly.
const DefaultProgressUpdateMonths = 3

// MaxProgressUpdateMonths is the longest period between progress updates.
const MaxProgressUpdateMonths = 12

// Project is a stored project with its countries and participants, in the
// order they were given.
type Project struct {
	bun.BaseModel `bun:"table:projects,alias:p"`

	ID          string        `bun:"id,pk"`
	GrantID     string        `bun:"grant_id"`
	Code        string        `bun:"code"`
	Title       string        `bun:"title"`
	Description string        `bun:"description"`
	StartDate   calendar.Date `bun:"start_date"` // zero: not set (NULL)
	EndDate     calendar.Date `bun:"end_date"`   // zero: not set (NULL)
	// ProgressUpdateMonths is how often partners send progress updates.
	ProgressUpdateMonths int           `bun:"progress_update_months"`
	CloseTime            *time.Time    `bun:"close_time"` // nil while open
	ClosedBy             string        `bun:"closed_by"`  // "users/{id}", the audit trail's actor name
	Version              int64         `bun:"version"`
	CreateTime           time.Time     `bun:"create_time"`
	UpdateTime           time.Time     `bun:"update_time"`
	CountryCodes         []string      `bun:"-"` // project_countries, by position
	Participants         []Participant `bun:"-"` // project_participants, by position
}

// Name returns the resource name.
func (p *Project) Name() string { return resource.Name(resource.Projects, p.ID) }

// GrantName returns the resource name of the project's grant.
func (p *Project) GrantName() string { return resource.Name(resource.Grants, p.GrantID) }

// ETag returns the current etag.
func (p *Project) ETag() string { return resource.ETag(p.Version) }

// Closed reports whether the project was closed: its work is done, it no
// longer changes and gets no new milestones.
func (p *Project) Closed() bool { return p.CloseTime != nil }

// Input is what a caller writes of a project. Dates are "YYYY-MM-DD" or ""
// (not set); the grant and the organisations are ids, not resource names.
type Input struct {
	GrantID      string // required by Create; Update refuses a different one
	Code         string // optional, unique within the grant
	Title        string
	Description  string
	CountryCodes []string // ISO 3166-1 alpha-2, at least one
	Participants []Participant
	StartDate    string
	EndDate      string
	// ProgressUpdateMonths: 0 is DefaultProgressUpdateMonths.
	ProgressUpdateMonths int
}

// Updatable lists the fields Update may change (the names of the API's
// fields). The grant cannot change.
var Updatable = []string{"code", "title", "description", "country_codes", "participants", "start_date", "end_date",
	"progress_update_months"}

// Input returns the project's writable fields as a caller would write them.
func (p *Project) Input() Input {
	return Input{
		GrantID:      p.GrantID,
		Code:         p.Code,
		Title:        p.Title,
		Description:  p.Description,
		CountryCodes: append([]string(nil), p.CountryCodes...),
		Participants: append([]Participant(nil), p.Participants...),
		StartDate:    p.StartDate.String(),
		EndDate:      p.EndDate.String(),

		ProgressUpdateMonths: p.ProgressUpdateMonths,
	}
}

// overlay returns base with the fields of in named by mask.
func overlay(base, in Input, mask resource.Mask) Input {
	out := base
	if mask.Has("code") {
		out.Code = in.Code
	}
	if mask.Has("title") {
		out.Title = in.Title
	}
	if mask.Has("description") {
		out.Description = in.Description
	}
	if mask.Has("country_codes") {
		out.CountryCodes = in.CountryCodes
	}
	if mask.Has("participants") {
		out.Participants = in.Participants
	}
	if mask.Has("start_date") {
		out.StartDate = in.StartDate
	}
	if mask.Has("end_date") {
		out.EndDate = in.EndDate
	}
	if mask.Has("progress_update_months") {
		out.ProgressUpdateMonths = in.ProgressUpdateMonths
	}
	return out
}

// normalise trims text, parses dates and checks the rules that need no
// database, writing the result into p and naming each field that is wrong
// in v. The grant and organisations are checked by checkReferences.
func (p *Project) normalise(in Input, v *errs.Violations) {
	p.GrantID = strings.TrimSpace(in.GrantID)
	p.Code = strings.TrimSpace(in.Code)
	p.Title = strings.TrimSpace(in.Title)
	p.Description = strings.TrimSpace(in.Description)
	if p.GrantID == "" {
		v.Add("grant", "is required: the grant the project belongs to, as grants/{id}")
	}
	if p.Title == "" {
		v.Add("title", "is required: what the project is called, e.g. \"Organising domestic workers in Kenya\"")
	}

	p.CountryCodes = nil
	if len(in.CountryCodes) == 0 {
		v.Add("country_codes", "at least one country of implementation is required, as ISO 3166-1 alpha-2 codes such as KE or NP")
	}
	seenCountry := map[string]int{}
	for i, c := range in.CountryCodes {
		field := fmt.Sprintf("country_codes[%d]", i)
		c = strings.TrimSpace(c)
		if _, err := geo.Country(c); err != nil {
			v.Add(field, "%s", err.Error())
			continue
		}
		if j, dup := seenCountry[c]; dup {
			v.Add(field, "%s is already listed as country_codes[%d]; list each country once", c, j)
			continue
		}
		seenCountry[c] = i
		p.CountryCodes = append(p.CountryCodes, c)
	}

	p.Participants = nil
	seenOrg := map[string]int{}
	var coordinators []string
	for i, pt := range in.Participants {
		field := fmt.Sprintf("participants[%d]", i)
		pt.OrganisationID = strings.TrimSpace(pt.OrganisationID)
		if pt.OrganisationID == "" {
			v.Add(field+".organisation", "is required: the participating organisation, as organisations/{id}")
		} else if j, dup := seenOrg[pt.OrganisationID]; dup {
			v.Add(field+".organisation", "%s is already listed as participants[%d]; list each organisation once, in one role",
				resource.Name(resource.Organisations, pt.OrganisationID), j)
		} else {
			seenOrg[pt.OrganisationID] = i
		}
		if !validRole(pt.Role) {
			v.Add(field+".role", "is required: coordinator, co-beneficiary, affiliated entity, associate, contractor "+
				"or recipient of financial support to third parties")
		}
		pt.CountryCode = strings.ToUpper(strings.TrimSpace(pt.CountryCode))
		if pt.CountryCode != "" {
			if _, err := geo.Country(pt.CountryCode); err != nil {
				v.Add(field+".country_code", "%s", err.Error())
			}
		}
		pt.BudgetShare = strings.TrimSpace(pt.BudgetShare)
		if pt.Role == RoleCoordinator {
			coordinators = append(coordinators, field)
		}
		p.Participants = append(p.Participants, pt)
	}
	switch {
	case len(in.Participants) == 0:
		v.Add("participants", "are required: list the participating organisations, exactly one of them as coordinator")
	case len(coordinators) == 0:
		v.Add("participants", "need exactly one coordinator, and none is; give the lead partner the role coordinator")
	case len(coordinators) > 1:
		v.Add("participants", "need exactly one coordinator, but %d are (%s); keep one coordinator and give the others another role (co-beneficiary, affiliated entity, associate, ...)",
			len(coordinators), strings.Join(coordinators, ", "))
	}

	p.ProgressUpdateMonths = in.ProgressUpdateMonths
	switch {
	case p.ProgressUpdateMonths == 0:
		p.ProgressUpdateMonths = DefaultProgressUpdateMonths
	case p.ProgressUpdateMonths < 0 || p.ProgressUpdateMonths > MaxProgressUpdateMonths:
		v.Add("progress_update_months", "must be from 1 (monthly) to %d (yearly), e.g. 3 for quarterly updates; got %d",
			MaxProgressUpdateMonths, p.ProgressUpdateMonths)
	}

	p.StartDate = parseDate(v, "start_date", in.StartDate)
	p.EndDate = parseDate(v, "end_date", in.EndDate)
	if !p.StartDate.IsZero() && !p.EndDate.IsZero() && !p.EndDate.After(p.StartDate) {
		v.Add("end_date", "must be after start_date (%s); got %s", p.StartDate, p.EndDate)
	}
}

func validRole(r Role) bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// parseDate reads an optional "YYYY-MM-DD", recording a malformed one in v.
func parseDate(v *errs.Violations, field, s string) calendar.Date {
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
