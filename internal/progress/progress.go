// Package progress holds partners' progress updates: for each partner
// progress update milestone, the responsible organisation's report on the
// period, its review by the grant's coordinators and its comment thread.
//
// An update moves through custom methods: draft -> submitted -> returned
// (with a comment) -> resubmitted -> ... -> approved, after which it is
// locked. The milestone follows it (internal/milestone follow.go), every
// step is in the audit trail, and approving it makes its indicator values
// the indicators' achieved values for its reporting period
// (internal/results actuals.go).
package progress

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// Name returns "progressUpdates/{id}".
func Name(id string) string { return resource.Name(resource.ProgressUpdates, id) }

// State is where an update stands in its review.
type State string

const (
	StateDraft       State = "draft"
	StateSubmitted   State = "submitted"
	StateReturned    State = "returned"
	StateResubmitted State = "resubmitted"
	StateApproved    State = "approved"
)

// States lists every State.
var States = []State{StateDraft, StateSubmitted, StateReturned, StateResubmitted, StateApproved}

// Editable reports whether an update in state st can be changed: drafts and
// returned updates.
func (st State) Editable() bool { return st == StateDraft || st == StateReturned }

// AwaitsReview reports whether an update in state st awaits review.
func (st State) AwaitsReview() bool { return st == StateSubmitted || st == StateResubmitted }

// IndicatorValue is the value an update reports for one indicator.
type IndicatorValue struct {
	IndicatorID         string                       `json:"indicator_id"`
	Value               string                       `json:"value"`
	DisaggregatedValues []results.DisaggregatedValue `json:"disaggregated_values"`
	Evidence            string                       `json:"evidence"`
	// Mismatched are the disaggregations whose values do not add up to
	// Value; derived when the update is read, never stored.
	Mismatched []Mismatch `json:"-"`
}

// Mismatch is a disaggregation of a number indicator whose values do not add
// up to the value reported.
type Mismatch struct {
	Disaggregation string
	Parts          []string // "women 12", in the order given
	Sum            decimal.Decimal
	Value          string // "" when no value is given
}

// String says it in words: "women 12 + men 10 = 22, but the value is 25".
func (m Mismatch) String() string {
	value := "empty"
	if m.Value != "" {
		value = m.Value
	}
	return fmt.Sprintf("%s = %s, but the value is %s", strings.Join(m.Parts, " + "), m.Sum.String(), value)
}

// Update is a stored progress update. The fields marked scanonly are read
// with it from its milestone, organisation and project.
type Update struct {
	bun.BaseModel `bun:"table:progress_updates,alias:pu"`

	ID              string           `bun:"id,pk"`
	MilestoneID     string           `bun:"milestone_id"`
	GrantID         string           `bun:"grant_id"`
	ProjectID       string           `bun:"project_id,nullzero"`
	OrganisationID  string           `bun:"organisation_id"`
	State           State            `bun:"state"`
	Achievements    string           `bun:"achievements"`
	Challenges      string           `bun:"challenges"`
	ChangesToPlans  string           `bun:"changes_to_plans"`
	LessonsLearned  string           `bun:"lessons_learned"`
	NextSteps       string           `bun:"next_steps"`
	IndicatorValues []IndicatorValue `bun:"indicator_values"`
	ActivityIDs     []string         `bun:"activity_ids"`
	SubmissionCount int              `bun:"submission_count"`
	FirstSubmitTime *time.Time       `bun:"first_submit_time"`
	SubmitTime      *time.Time       `bun:"submit_time"`
	ReturnTime      *time.Time       `bun:"return_time"`
	ApproveTime     *time.Time       `bun:"approve_time"`
	CreatedBy       string           `bun:"created_by"`
	Version         int64            `bun:"version"`
	CreateTime      time.Time        `bun:"create_time"`
	UpdateTime      time.Time        `bun:"update_time"`

	Title                   string        `bun:"milestone_title,scanonly"`
	PeriodStart             calendar.Date `bun:"period_start_date,scanonly"`
	PeriodEnd               calendar.Date `bun:"period_end_date,scanonly"`
	DueDate                 calendar.Date `bun:"due_date,scanonly"`
	OrganisationDisplayName string        `bun:"organisation_display_name,scanonly"`
	ProjectCode             string        `bun:"project_code,scanonly"`
	ProjectTitle            string        `bun:"project_title,scanonly"`
	MilestoneGeneratorKey   string        `bun:"milestone_generator_key,scanonly"`
	MilestoneEdited         bool          `bun:"milestone_edited,scanonly"`

	// Derived when read.
	ReportingPeriod int                      `bun:"-"`
	Late            bool                     `bun:"-"`
	CallerCanEdit   bool                     `bun:"-"`
	CallerCanReview bool                     `bun:"-"`
	CallerWrites    bool                     `bun:"-"`
	Attachments     []*attachment.Attachment `bun:"-"`
	// ReturnComment is the comment of the last return, while returned.
	ReturnComment string `bun:"-"`
	// Suggestions are the values suggested from the activity log (Get).
	Suggestions []Suggestion `bun:"-"`
}

// Name returns the resource name.
func (u *Update) Name() string { return Name(u.ID) }

// TitleGenerated reports whether the title is the one Pactum generated for
// the milestone (never edited since).
func (u *Update) TitleGenerated() bool { return u.MilestoneGeneratorKey != "" && !u.MilestoneEdited }

// ETag returns the current etag.
func (u *Update) ETag() string { return resource.ETag(u.Version) }

// ProjectDisplayName is the project's code and title ("KE-01 Organising
// ..."), or "" for an update of the whole grant.
func (u *Update) ProjectDisplayName() string {
	if u.ProjectCode == "" {
		return u.ProjectTitle
	}
	return strings.TrimSpace(u.ProjectCode + " " + u.ProjectTitle)
}

// LateOn reports whether the update is late on day today: first submitted
// after its due date, or not yet submitted and past it.
func LateOn(due calendar.Date, firstSubmit *time.Time, today calendar.Date) bool {
	if due.IsZero() {
		return false
	}
	if firstSubmit != nil {
		return calendar.Of(firstSubmit.UTC()).After(due)
	}
	return today.After(due)
}

// Input is what a caller writes of an update. Indicators and activities are
// given by resource name: "projects/{p}/indicators/{i}",
// "projects/{p}/activities/{a}".
type Input struct {
	Achievements    string
	Challenges      string
	ChangesToPlans  string
	LessonsLearned  string
	NextSteps       string
	IndicatorValues []ValueInput
	Activities      []string
}

// ValueInput is an indicator value as a caller writes it.
type ValueInput struct {
	Indicator           string // resource name
	Value               string
	DisaggregatedValues []results.DisaggregatedValue
	Evidence            string
}

// Updatable lists the fields Update may change (the API's field names).
var Updatable = []string{"achievements", "challenges", "changes_to_plans", "lessons_learned", "next_steps",
	"indicator_values", "activities"}

// Maximum lengths, in characters.
const (
	MaxNarrativeLen = 50000
	MaxEvidenceLen  = 5000
	MaxValueLen     = 2000
	MaxCommentLen   = 20000
)

// narratives returns the narrative sections by field name.
func (u *Update) narratives() map[string]*string {
	return map[string]*string{
		"achievements": &u.Achievements, "challenges": &u.Challenges, "changes_to_plans": &u.ChangesToPlans,
		"lessons_learned": &u.LessonsLearned, "next_steps": &u.NextSteps,
	}
}

// applyText copies the narrative sections named by mask into u.
func (u *Update) applyText(in Input, mask resource.Mask, v *errs.Violations) {
	given := map[string]string{
		"achievements": in.Achievements, "challenges": in.Challenges, "changes_to_plans": in.ChangesToPlans,
		"lessons_learned": in.LessonsLearned, "next_steps": in.NextSteps,
	}
	for field, p := range u.narratives() {
		if !mask.Has(field) {
			continue
		}
		s := strings.TrimSpace(given[field])
		if n := utf8.RuneCountInString(s); n > MaxNarrativeLen {
			v.Add(field, "is %d characters long; at most %d", n, MaxNarrativeLen)
		}
		*p = s
	}
}

// hasNarrative reports whether some narrative section is written.
func (u *Update) hasNarrative() bool {
	for _, p := range u.narratives() {
		if strings.TrimSpace(*p) != "" {
			return true
		}
	}
	return false
}

// checkValue checks s as a value of an indicator of type t, adding a
// violation for field, and returns it normalised ("yes"/"no" become "1"/"0").
func checkValue(v *errs.Violations, field string, t results.Type, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if n := utf8.RuneCountInString(s); n > MaxValueLen {
		v.Add(field, "is %d characters long; at most %d", n, MaxValueLen)
		return s
	}
	switch t {
	case results.TypeNumber, results.TypePercentage:
		d, err := decimal.NewFromString(s)
		if err != nil {
			v.Add(field, "%q is not a number; write a decimal number such as 120 or 37.5", s)
			return s
		}
		if t == results.TypePercentage && (d.IsNegative() || d.GreaterThan(results.MaxPercentage)) {
			v.Add(field, "%s is not a percentage; give a number from 0 to 100", s)
		}
		if t == results.TypeNumber && d.IsNegative() {
			v.Add(field, "%s is negative; give the number achieved in the period, 0 or more", s)
		}
		return d.String()
	case results.TypeYesNo:
		switch strings.ToLower(s) {
		case "1", "yes", "true":
			return "1"
		case "0", "no", "false":
			return "0"
		}
		v.Add(field, "%q is not yes or no; write 1 (yes) or 0 (no)", s)
	}
	return s
}

// checkValues checks the indicator values given against the indicators of
// the update's project (inds, by id) and returns them as stored. Field names
// are "indicator_values[k]...".
func checkValues(v *errs.Violations, in []ValueInput, projectID string, inds map[string]*results.Indicator) []IndicatorValue {
	out := []IndicatorValue{}
	seen := map[string]int{}
	for k, iv := range in {
		f := "indicator_values[" + strconv.Itoa(k) + "]"
		p, id, ok := parseChild(iv.Indicator, resource.Indicators)
		ind := inds[id]
		switch {
		case !ok:
			v.Add(f+".indicator", "must be a resource name of the form projects/{project}/indicators/{id}, got %q", iv.Indicator)
			continue
		case projectID == "":
			v.Add(f+".indicator", "%s: this update is for the whole grant, not a project, so it reports no indicator values", iv.Indicator)
			continue
		case p != projectID || ind == nil:
			v.Add(f+".indicator", "%s is not an indicator of this update's project %s; give one of its indicators",
				iv.Indicator, resource.Name(resource.Projects, projectID))
			continue
		}
		if j, dup := seen[id]; dup {
			v.Add(f+".indicator", "%s is given twice (also at indicator_values[%d]); give each indicator once", iv.Indicator, j)
			continue
		}
		seen[id] = k
		val := IndicatorValue{IndicatorID: id, Value: checkValue(v, f+".value", ind.Type, iv.Value),
			Evidence: strings.TrimSpace(iv.Evidence), DisaggregatedValues: []results.DisaggregatedValue{}}
		if n := utf8.RuneCountInString(val.Evidence); n > MaxEvidenceLen {
			v.Add(f+".evidence", "is %d characters long; at most %d", n, MaxEvidenceLen)
		}
		if len(iv.DisaggregatedValues) > 0 && ind.Type != results.TypeNumber && ind.Type != results.TypePercentage {
			v.Add(f+".disaggregated_values", "%s is a %s indicator; only number and percentage indicators are disaggregated",
				indicatorLabel(ind), strings.ReplaceAll(string(ind.Type), "_", "/"))
			out = append(out, val)
			continue
		}
		cats := map[string]map[string]bool{}
		for _, d := range ind.Disaggregations {
			cats[d.Name] = map[string]bool{}
			for _, c := range d.Categories {
				cats[d.Name][c] = true
			}
		}
		given := map[[2]string]bool{}
		for j, dv := range iv.DisaggregatedValues {
			df := f + ".disaggregated_values[" + strconv.Itoa(j) + "]"
			dv.Disaggregation, dv.Category = strings.TrimSpace(dv.Disaggregation), strings.TrimSpace(dv.Category)
			switch {
			case cats[dv.Disaggregation] == nil:
				v.Add(df+".disaggregation", "%q is not one of the disaggregations of %s (%s)", dv.Disaggregation,
					indicatorLabel(ind), disaggregationNames(ind))
				continue
			case !cats[dv.Disaggregation][dv.Category]:
				v.Add(df+".category", "%q is not a category of %q for %s; give one of: %s", dv.Category, dv.Disaggregation,
					indicatorLabel(ind), categoryNames(ind, dv.Disaggregation))
				continue
			case given[[2]string{dv.Disaggregation, dv.Category}]:
				v.Add(df+".category", "%s %q is given twice; give each category once", dv.Disaggregation, dv.Category)
				continue
			}
			given[[2]string{dv.Disaggregation, dv.Category}] = true
			if strings.TrimSpace(dv.Value) == "" {
				continue // not reported yet
			}
			dv.Value = checkValue(v, df+".value", results.TypeNumber, dv.Value)
			val.DisaggregatedValues = append(val.DisaggregatedValues, dv)
		}
		out = append(out, val)
	}
	return out
}

// mismatches returns the disaggregations of a number indicator's value that
// do not add up to it, in the order of the indicator's disaggregations.
func mismatches(ind *results.Indicator, iv IndicatorValue) []Mismatch {
	if ind == nil || ind.Type != results.TypeNumber {
		return nil
	}
	total, _ := decimal.NewFromString(iv.Value)
	var out []Mismatch
	for _, d := range ind.Disaggregations {
		m := Mismatch{Disaggregation: d.Name, Value: iv.Value}
		found := false
		for _, dv := range iv.DisaggregatedValues {
			if dv.Disaggregation != d.Name {
				continue
			}
			n, err := decimal.NewFromString(dv.Value)
			if err != nil {
				continue
			}
			found = true
			m.Sum = m.Sum.Add(n)
			m.Parts = append(m.Parts, dv.Category+" "+n.String())
		}
		if found && (iv.Value == "" || !m.Sum.Equal(total)) {
			out = append(out, m)
		}
	}
	return out
}

func indicatorLabel(ind *results.Indicator) string {
	if ind.Code != "" {
		return fmt.Sprintf("%s %q", ind.Code, ind.Title)
	}
	return fmt.Sprintf("%q", ind.Title)
}

func disaggregationNames(ind *results.Indicator) string {
	var names []string
	for _, d := range ind.Disaggregations {
		names = append(names, strconv.Quote(d.Name))
	}
	if len(names) == 0 {
		return "it has none"
	}
	return "give one of " + strings.Join(names, ", ")
}

func categoryNames(ind *results.Indicator, disagg string) string {
	for _, d := range ind.Disaggregations {
		if d.Name == disagg {
			var names []string
			for _, c := range d.Categories {
				names = append(names, strconv.Quote(c))
			}
			return strings.Join(names, ", ")
		}
	}
	return ""
}

// checkActivities checks the activities given (resource names) against the
// update's project (ids of its activities in known) and returns their ids.
func checkActivities(v *errs.Violations, names []string, projectID string, known map[string]bool) []string {
	out := []string{}
	seen := map[string]bool{}
	for k, n := range names {
		f := "activities[" + strconv.Itoa(k) + "]"
		p, id, ok := parseChild(n, resource.Activities)
		switch {
		case !ok:
			v.Add(f, "must be a resource name of the form projects/{project}/activities/{id}, got %q", n)
		case projectID == "":
			v.Add(f, "%s: this update is for the whole grant, not a project, so it lists no activities", n)
		case p != projectID || !known[id]:
			v.Add(f, "%s is not an activity of this update's project %s; pick one from its activity log",
				n, resource.Name(resource.Projects, projectID))
		case seen[id]:
			v.Add(f, "%s is given twice; give each activity once", n)
		default:
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// CommentKind is what a comment on a progress update is: a plain comment,
// or the note that came with a return or an approval.
type CommentKind string

const (
	CommentPlain    CommentKind = "comment"
	CommentReturn   CommentKind = "return"
	CommentApproval CommentKind = "approval"
)

// Comment is a stored comment on an update.
type Comment struct {
	bun.BaseModel `bun:"table:progress_update_comments,alias:c"`

	ID               string      `bun:"id,pk"`
	ProgressUpdateID string      `bun:"progress_update_id"`
	Kind             CommentKind `bun:"kind"`
	Body             string      `bun:"body"`
	AuthorID         string      `bun:"author_id"`
	CreateTime       time.Time   `bun:"create_time"`

	AuthorDisplayName             string `bun:"author_display_name,scanonly"`
	AuthorOrganisationDisplayName string `bun:"-"`
}

// Name returns "progressUpdates/{u}/comments/{id}".
func (c *Comment) Name() string {
	return Name(c.ProgressUpdateID) + "/" + resource.Name(resource.Comments, c.ID)
}

// parseChild returns the project and child ids of "projects/{p}/{collection}/{id}".
func parseChild(name, collection string) (projectID, id string, ok bool) {
	ids, ok := resource.Pattern{resource.Projects, collection}.Match(name)
	if !ok {
		return "", "", false
	}
	return ids[0], ids[1], true
}
