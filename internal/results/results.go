// Package results holds a project's results framework (logframe): the
// overall objective, specific objectives (outcomes) and outputs, and the
// indicators that measure them, with a target and an achieved value per
// reporting period and disaggregation categories. Rollup adds a grant's
// projects up: numbers are summed, percentages are not.
package results

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// ResultName returns "projects/{project}/results/{id}".
func ResultName(projectID, id string) string {
	return resource.Name(resource.Projects, projectID) + "/" + resource.Name(resource.Results, id)
}

// IndicatorName returns "projects/{project}/indicators/{id}".
func IndicatorName(projectID, id string) string {
	return resource.Name(resource.Projects, projectID) + "/" + resource.Name(resource.Indicators, id)
}

// Level is a result's level in the logframe.
type Level string

const (
	LevelOverallObjective  Level = "overall_objective"
	LevelSpecificObjective Level = "specific_objective"
	LevelOutput            Level = "output"
)

// parentLevel is the level a result of level l hangs from ("" for none).
func (l Level) parentLevel() Level {
	switch l {
	case LevelSpecificObjective:
		return LevelOverallObjective
	case LevelOutput:
		return LevelSpecificObjective
	}
	return ""
}

func (l Level) valid() bool {
	return l == LevelOverallObjective || l == LevelSpecificObjective || l == LevelOutput
}

// Type says how an indicator's values combine.
type Type string

const (
	TypeNumber      Type = "number"
	TypePercentage  Type = "percentage"
	TypeYesNo       Type = "yes_no"
	TypeQualitative Type = "qualitative"
)

func (t Type) valid() bool {
	return t == TypeNumber || t == TypePercentage || t == TypeYesNo || t == TypeQualitative
}

// Maximum lengths, in characters.
const (
	MaxCodeLen  = 50
	MaxTitleLen = 1000
)

// Result is a stored result: an objective or output of a project.
type Result struct {
	bun.BaseModel `bun:"table:results,alias:r"`

	ID             string    `bun:"id,pk"`
	ProjectID      string    `bun:"project_id"`
	GrantID        string    `bun:"grant_id"`
	Level          Level     `bun:"level"`
	ParentResultID string    `bun:"parent_result_id,nullzero"`
	Code           string    `bun:"code"`
	Title          string    `bun:"title"`
	Description    string    `bun:"description"`
	Version        int64     `bun:"version"`
	CreateTime     time.Time `bun:"create_time"`
	UpdateTime     time.Time `bun:"update_time"`
}

// Name returns the resource name.
func (r *Result) Name() string { return ResultName(r.ProjectID, r.ID) }

// ETag returns the current etag.
func (r *Result) ETag() string { return resource.ETag(r.Version) }

// ResultInput is what a caller writes of a result.
type ResultInput struct {
	Level          Level  // set on creation only
	ParentResultID string // set on creation only
	Code           string
	Title          string
	Description    string
}

// ResultUpdatable lists the fields UpdateResult may change.
var ResultUpdatable = []string{"code", "title", "description"}

func (r *Result) apply(in ResultInput, mask resource.Mask) {
	if mask.Has("level") {
		r.Level = in.Level
	}
	if mask.Has("parent_result") {
		r.ParentResultID = strings.TrimSpace(in.ParentResultID)
	}
	if mask.Has("code") {
		r.Code = strings.TrimSpace(in.Code)
	}
	if mask.Has("title") {
		r.Title = strings.TrimSpace(in.Title)
	}
	if mask.Has("description") {
		r.Description = strings.TrimSpace(in.Description)
	}
}

func (r *Result) normalise(v *errs.Violations) {
	if !r.Level.valid() {
		v.Add("level", "is required: overall objective, specific objective or output")
	}
	checkText(v, "code", r.Code, false, MaxCodeLen)
	checkText(v, "title", r.Title, true, MaxTitleLen)
}

func checkText(v *errs.Violations, field, s string, required bool, limit int) {
	if required && s == "" {
		v.Add(field, "is required")
	}
	if n := utf8.RuneCountInString(s); n > limit {
		v.Add(field, "is %d characters long; at most %d", n, limit)
	}
}

// Disaggregation is one way an indicator's value is broken down.
type Disaggregation struct {
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
}

// DisaggregatedValue is the part of a value in one category.
type DisaggregatedValue struct {
	Disaggregation string `json:"disaggregation"`
	Category       string `json:"category"`
	Value          string `json:"value"`
}

// Period is an indicator's target and achieved value in one reporting period.
type Period struct {
	Period               int                  `json:"period"`
	Target               string               `json:"target"`
	Actual               string               `json:"actual"`
	DisaggregatedActuals []DisaggregatedValue `json:"disaggregated_actuals"`
}

// Indicator is a stored indicator.
type Indicator struct {
	bun.BaseModel `bun:"table:indicators,alias:i"`

	ID              string           `bun:"id,pk"`
	ProjectID       string           `bun:"project_id"`
	GrantID         string           `bun:"grant_id"`
	ResultID        string           `bun:"result_id"`
	Code            string           `bun:"code"`
	Title           string           `bun:"title"`
	Unit            string           `bun:"unit"`
	Type            Type             `bun:"type"`
	Baseline        string           `bun:"baseline"`
	Disaggregations []Disaggregation `bun:"disaggregations"`
	Periods         []Period         `bun:"periods"`
	OPSYS
	Version    int64     `bun:"version"`
	CreateTime time.Time `bun:"create_time"`
	UpdateTime time.Time `bun:"update_time"`
}

// OPSYS is what the EU's results platform asks of an indicator beyond the
// logframe: the EU corporate or custom code, the baseline's date, the final
// target and its date, and the source of data.
type OPSYS struct {
	EUCode       string `bun:"eu_code"`
	EUCorporate  bool   `bun:"eu_corporate"`
	BaselineDate string `bun:"baseline_date"` // "YYYY-MM-DD" or ""
	FinalTarget  string `bun:"final_target"`
	TargetDate   string `bun:"target_date"` // "YYYY-MM-DD" or ""
	DataSource   string `bun:"data_source"`
}

// Name returns the resource name.
func (i *Indicator) Name() string { return IndicatorName(i.ProjectID, i.ID) }

// ETag returns the current etag.
func (i *Indicator) ETag() string { return resource.ETag(i.Version) }

// IndicatorInput is what a caller writes of an indicator.
type IndicatorInput struct {
	ResultID        string
	Code            string
	Title           string
	Unit            string
	Type            Type
	Baseline        string
	Disaggregations []Disaggregation
	Periods         []Period
	OPSYS
}

// IndicatorUpdatable lists the fields UpdateIndicator may change.
var IndicatorUpdatable = []string{"result", "code", "title", "unit", "type", "baseline", "disaggregations", "periods",
	"eu_code", "eu_corporate", "baseline_date", "final_target", "target_date", "data_source"}

func (i *Indicator) apply(in IndicatorInput, mask resource.Mask) {
	if mask.Has("result") {
		i.ResultID = strings.TrimSpace(in.ResultID)
	}
	if mask.Has("code") {
		i.Code = strings.TrimSpace(in.Code)
	}
	if mask.Has("title") {
		i.Title = strings.TrimSpace(in.Title)
	}
	if mask.Has("unit") {
		i.Unit = strings.TrimSpace(in.Unit)
	}
	if mask.Has("type") {
		i.Type = in.Type
	}
	if mask.Has("baseline") {
		i.Baseline = strings.TrimSpace(in.Baseline)
	}
	if mask.Has("disaggregations") {
		i.Disaggregations = in.Disaggregations
	}
	if mask.Has("periods") {
		i.Periods = in.Periods
	}
	if mask.Has("eu_code") {
		i.EUCode = strings.TrimSpace(in.EUCode)
	}
	if mask.Has("eu_corporate") {
		i.EUCorporate = in.EUCorporate
	}
	if mask.Has("baseline_date") {
		i.BaselineDate = strings.TrimSpace(in.BaselineDate)
	}
	if mask.Has("final_target") {
		i.FinalTarget = strings.TrimSpace(in.FinalTarget)
	}
	if mask.Has("target_date") {
		i.TargetDate = strings.TrimSpace(in.TargetDate)
	}
	if mask.Has("data_source") {
		i.DataSource = strings.TrimSpace(in.DataSource)
	}
}

// Maximum lengths of the OPSYS fields, in characters.
const (
	MaxEUCodeLen     = 100
	MaxDataSourceLen = 2000
)

// normaliseOPSYS checks the OPSYS fields of an indicator of a valid type.
func (i *Indicator) normaliseOPSYS(v *errs.Violations) {
	checkText(v, "eu_code", i.EUCode, false, MaxEUCodeLen)
	checkText(v, "data_source", i.DataSource, false, MaxDataSourceLen)
	if i.EUCorporate && i.EUCode == "" {
		v.Add("eu_code", "is required for an EU corporate indicator: give its code in the EU Results Framework")
	}
	for _, d := range []struct{ field, value string }{{"baseline_date", i.BaselineDate}, {"target_date", i.TargetDate}} {
		if d.value == "" {
			continue
		}
		if _, err := calendar.Parse(d.value); err != nil {
			v.Add(d.field, "%q is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31", d.value)
		}
	}
	if i.BaselineDate != "" && i.TargetDate != "" && i.TargetDate < i.BaselineDate {
		v.Add("target_date", "%s is before the baseline date %s; the target is reached after the baseline", i.TargetDate, i.BaselineDate)
	}
	i.FinalTarget = i.Type.value(v, "final_target", i.FinalTarget)
}

// MaxPercentage is the largest percentage value.
var MaxPercentage = decimal.NewFromInt(100)

// value checks s as a value of an indicator of type t, adding a violation
// for field, and returns it normalised ("yes"/"no" become "1"/"0").
func (t Type) value(v *errs.Violations, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	switch t {
	case TypeNumber, TypePercentage:
		d, err := decimal.NewFromString(s)
		if err != nil {
			v.Add(field, "%q is not a number; write a decimal number such as 120 or 37.5", s)
			return s
		}
		if t == TypePercentage && (d.IsNegative() || d.GreaterThan(MaxPercentage)) {
			v.Add(field, "%s is not a percentage; give a number from 0 to 100", s)
		}
		return d.String()
	case TypeYesNo:
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

// normalise checks the rules that need no database and normalises values.
func (i *Indicator) normalise(v *errs.Violations) {
	if i.ResultID == "" {
		v.Add("result", "is required: the result (projects/{project}/results/{id}) the indicator measures")
	}
	checkText(v, "code", i.Code, false, MaxCodeLen)
	checkText(v, "title", i.Title, true, MaxTitleLen)
	if !i.Type.valid() {
		v.Add("type", "is required: number, percentage, yes/no or qualitative")
		return
	}
	i.Baseline = i.Type.value(v, "baseline", i.Baseline)
	i.normaliseOPSYS(v)
	if i.Disaggregations == nil {
		i.Disaggregations = []Disaggregation{}
	}
	cats := map[string]map[string]bool{}
	for k := range i.Disaggregations {
		d := &i.Disaggregations[k]
		d.Name = strings.TrimSpace(d.Name)
		f := "disaggregations[" + strconv.Itoa(k) + "]"
		if d.Name == "" {
			v.Add(f+".name", "is required, e.g. sex or age group")
		}
		if cats[d.Name] != nil {
			v.Add(f+".name", "%q is given twice; each disaggregation once", d.Name)
		}
		cats[d.Name] = map[string]bool{}
		for _, c := range d.Categories {
			cats[d.Name][strings.TrimSpace(c)] = true
		}
	}
	if i.Periods == nil {
		i.Periods = []Period{}
	}
	seen := map[int]bool{}
	for k := range i.Periods {
		p := &i.Periods[k]
		f := "periods[" + strconv.Itoa(k) + "]"
		if p.Period < 1 {
			v.Add(f+".period", "must be a reporting period from 1")
		}
		if seen[p.Period] {
			v.Add(f+".period", "period %d is given twice; give each period once", p.Period)
		}
		seen[p.Period] = true
		p.Target = i.Type.value(v, f+".target", p.Target)
		p.Actual = i.Type.value(v, f+".actual", p.Actual)
		if p.DisaggregatedActuals == nil {
			p.DisaggregatedActuals = []DisaggregatedValue{}
		}
		if len(p.DisaggregatedActuals) > 0 && i.Type != TypeNumber && i.Type != TypePercentage {
			v.Add(f+".disaggregated_actuals", "only number and percentage indicators are disaggregated")
			continue
		}
		for j := range p.DisaggregatedActuals {
			dv := &p.DisaggregatedActuals[j]
			df := f + ".disaggregated_actuals[" + strconv.Itoa(j) + "]"
			dv.Disaggregation, dv.Category = strings.TrimSpace(dv.Disaggregation), strings.TrimSpace(dv.Category)
			switch {
			case cats[dv.Disaggregation] == nil:
				v.Add(df+".disaggregation", "%q is not one of the indicator's disaggregations", dv.Disaggregation)
			case !cats[dv.Disaggregation][dv.Category]:
				v.Add(df+".category", "%q is not a category of %q", dv.Category, dv.Disaggregation)
			}
			if strings.TrimSpace(dv.Value) == "" {
				v.Add(df+".value", "is required: a number")
				continue
			}
			dv.Value = TypeNumber.value(v, df+".value", dv.Value)
		}
	}
}
