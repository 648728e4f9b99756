// Package activity holds a project's activity log: trainings, workshops,
// campaigns, advocacy meetings, research and publications, with their
// dates, place and participants by sex and age group, and the outputs and
// indicators they serve, and the photos and documents attached to them (see
// attach.go; the files themselves are kept by internal/attachment).
package activity

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Name returns "projects/{project}/activities/{id}".
func Name(projectID, id string) string {
	return resource.Name(resource.Projects, projectID) + "/" + resource.Name(resource.Activities, id)
}

// Type is the kind of activity.
type Type string

const (
	TypeTraining        Type = "training"
	TypeWorkshop        Type = "workshop"
	TypeCampaign        Type = "campaign"
	TypeAdvocacyMeeting Type = "advocacy_meeting"
	TypeResearch        Type = "research"
	TypePublication     Type = "publication"
	TypeOther           Type = "other"
)

// Types lists every Type.
var Types = []Type{TypeTraining, TypeWorkshop, TypeCampaign, TypeAdvocacyMeeting, TypeResearch, TypePublication, TypeOther}

func (t Type) valid() bool {
	for _, c := range Types {
		if t == c {
			return true
		}
	}
	return false
}

// AgeGroup counts the participants of one age group.
type AgeGroup struct {
	AgeGroup string `json:"age_group"`
	Count    int    `json:"count"`
}

// MaxTitleLen is the longest title, in characters.
const MaxTitleLen = 500

// Activity is a stored activity.
type Activity struct {
	bun.BaseModel `bun:"table:activities,alias:a"`

	ID                string        `bun:"id,pk"`
	ProjectID         string        `bun:"project_id"`
	GrantID           string        `bun:"grant_id"`
	Title             string        `bun:"title"`
	Type              Type          `bun:"type"`
	StartDate         calendar.Date `bun:"start_date"`
	EndDate           calendar.Date `bun:"end_date"`
	CountryCode       string        `bun:"country_code"`
	Place             string        `bun:"place"`
	Women             int           `bun:"women"`
	Men               int           `bun:"men"`
	OtherOrNotStated  int           `bun:"other_or_not_stated"`
	ParticipantsByAge []AgeGroup    `bun:"participants_by_age"`
	Description       string        `bun:"description"`
	OutputIDs         []string      `bun:"output_ids"`
	IndicatorIDs      []string      `bun:"indicator_ids"`
	Version           int64         `bun:"version"`
	CreateTime        time.Time     `bun:"create_time"`
	UpdateTime        time.Time     `bun:"update_time"`

	// Attachments are the photos and documents attached, oldest first
	// (read by Get, List and Update; not a column).
	Attachments []*attachment.Attachment `bun:"-"`
}

// Name returns the resource name.
func (a *Activity) Name() string { return Name(a.ProjectID, a.ID) }

// ETag returns the current etag.
func (a *Activity) ETag() string { return resource.ETag(a.Version) }

// Participants is the number of participants.
func (a *Activity) Participants() int { return a.Women + a.Men + a.OtherOrNotStated }

// Input is what a caller writes of an activity: ids, dates as "YYYY-MM-DD".
type Input struct {
	Title             string
	Type              Type
	StartDate         string
	EndDate           string // "": the start date
	CountryCode       string
	Place             string
	Women, Men, Other int
	ParticipantsByAge []AgeGroup
	Description       string
	OutputIDs         []string
	IndicatorIDs      []string
}

// Updatable lists the fields Update may change (the API's field names).
var Updatable = []string{"title", "type", "start_date", "end_date", "country_code", "place", "participants",
	"participants_by_age", "description", "outputs", "indicators"}

func (a *Activity) apply(in Input, mask resource.Mask, v *errs.Violations) {
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
	if mask.Has("title") {
		a.Title = strings.TrimSpace(in.Title)
	}
	if mask.Has("type") {
		a.Type = in.Type
	}
	date("start_date", in.StartDate, &a.StartDate)
	date("end_date", in.EndDate, &a.EndDate)
	if mask.Has("country_code") {
		a.CountryCode = strings.ToUpper(strings.TrimSpace(in.CountryCode))
	}
	if mask.Has("place") {
		a.Place = strings.TrimSpace(in.Place)
	}
	if mask.Has("participants") {
		a.Women, a.Men, a.OtherOrNotStated = in.Women, in.Men, in.Other
	}
	if mask.Has("participants_by_age") {
		a.ParticipantsByAge = in.ParticipantsByAge
	}
	if mask.Has("description") {
		a.Description = strings.TrimSpace(in.Description)
	}
	if mask.Has("outputs") {
		a.OutputIDs = in.OutputIDs
	}
	if mask.Has("indicators") {
		a.IndicatorIDs = in.IndicatorIDs
	}
}

// normalise checks the rules that need no database, naming each field.
func (a *Activity) normalise(v *errs.Violations) {
	if a.Title == "" {
		v.Add("title", "is required: what the activity was, e.g. \"Training of trainers on labour rights\"")
	}
	if n := utf8.RuneCountInString(a.Title); n > MaxTitleLen {
		v.Add("title", "is %d characters long; at most %d", n, MaxTitleLen)
	}
	if !a.Type.valid() {
		v.Add("type", "is required: training, workshop, campaign, advocacy meeting, research, publication or other")
	}
	switch {
	case v.Has("start_date") || v.Has("end_date"):
	case a.StartDate.IsZero():
		v.Add("start_date", "is required: the day the activity started, as YYYY-MM-DD")
	case a.EndDate.IsZero():
		a.EndDate = a.StartDate
	case a.EndDate.Before(a.StartDate):
		v.Add("end_date", "%s is before start_date %s; the activity must end on or after its start", a.EndDate, a.StartDate)
	}
	if a.Women < 0 || a.Men < 0 || a.OtherOrNotStated < 0 {
		v.Add("participants", "counts must not be negative")
	}
	if a.ParticipantsByAge == nil {
		a.ParticipantsByAge = []AgeGroup{}
	}
	if len(a.ParticipantsByAge) > 0 {
		sum, seen := 0, map[string]bool{}
		for k, g := range a.ParticipantsByAge {
			name := strings.TrimSpace(g.AgeGroup)
			a.ParticipantsByAge[k].AgeGroup = name
			if seen[name] {
				v.Add("participants_by_age", "age group %q is given twice; give each group once", name)
			}
			seen[name] = true
			sum += g.Count
		}
		if sum != a.Participants() {
			v.Add("participants_by_age", "the age groups add up to %d, but the participants by sex add up to %d; "+
				"both must count the same people (use an \"unknown\" age group for those whose age was not recorded)",
				sum, a.Participants())
		}
	}
	if a.OutputIDs == nil {
		a.OutputIDs = []string{}
	}
	if a.IndicatorIDs == nil {
		a.IndicatorIDs = []string{}
	}
}
