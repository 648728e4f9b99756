package results

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// The OPSYS indicator sheet: a grant's indicators as the EU's results
// platform asks for them (one row per indicator and disaggregation
// category, with baseline, target and current values and their dates), the
// record of each submission to OPSYS, and what changed since the last one.
//
// Who may: the sheet is the whole grant's, so it is read by those who read
// the grant in full (policy.CanReadGrantInFull: its coordinators, finance
// staff and auditors); a partner, who reads only its own projects' results,
// is denied. Submissions are recorded by those who may manage the grant.

// DisaggregationCountry is the disaggregation of a number indicator by the
// country of its projects (each project's first country).
const DisaggregationCountry = "country"

// SheetRow is one row of the indicator sheet.
type SheetRow struct {
	Key          string   `json:"key"`
	EUCode       string   `json:"eu_code"`
	EUCorporate  bool     `json:"eu_corporate"`
	Code         string   `json:"code"`
	Title        string   `json:"title"`
	Unit         string   `json:"unit"`
	Type         Type     `json:"type"`
	ProjectID    string   `json:"project_id,omitempty"` // for a row of one project
	ProjectCode  string   `json:"project_code,omitempty"`
	Disagg       string   `json:"disaggregation,omitempty"` // "" for the total
	Category     string   `json:"category,omitempty"`
	Baseline     string   `json:"baseline"`
	BaselineDate string   `json:"baseline_date"`
	Target       string   `json:"target"`
	TargetDate   string   `json:"target_date"`
	CurrentValue string   `json:"current_value"`
	CurrentDate  string   `json:"current_date"`
	DataSource   string   `json:"data_source"`
	Indicators   []string `json:"indicators"`

	// Compared with the last submission (not kept in a submission).
	SubmittedValue string    `json:"-"`
	SubmittedDate  string    `json:"-"`
	Changed        bool      `json:"-"`
	ChangedFields  []string  `json:"-"` // see compare
	Submitted      *SheetRow `json:"-"` // the row as last submitted
}

// Submission records one submission of a grant's indicator sheet to OPSYS.
// Its rows never change.
type Submission struct {
	bun.BaseModel `bun:"table:indicator_submissions,alias:s"`

	ID          string     `bun:"id,pk"`
	GrantID     string     `bun:"grant_id"`
	SubmittedBy string     `bun:"submitted_by"`
	SubmitTime  time.Time  `bun:"submit_time"`
	Note        string     `bun:"note"`
	Rows        []SheetRow `bun:"row_values"`
	// The display name of the user who recorded it (read only).
	SubmitterName string `bun:"submitter_name,scanonly"`
}

// withSubmitter adds the submitter's display name to a query of submissions.
func withSubmitter(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("s.*").ColumnExpr("COALESCE((SELECT u.display_name FROM users u WHERE 'users/' || u.id = s.submitted_by), '') AS submitter_name")
}

// SubmissionName returns "grants/{grant}/indicatorSubmissions/{id}".
func SubmissionName(grantID, id string) string {
	return resource.Name(resource.Grants, grantID) + "/indicatorSubmissions/" + id
}

// Name returns the resource name.
func (s *Submission) Name() string { return SubmissionName(s.GrantID, s.ID) }

// Sheet is a grant's indicator sheet now.
type Sheet struct {
	Grant           *grantfacts.Facts
	Rows            []SheetRow
	Last            *Submission // nil when never submitted
	Changed         int         // rows changed since Last
	CallerCanSubmit bool
}

// MaxSubmissionNoteLen caps a submission's note, in characters.
const MaxSubmissionNoteLen = 2000

// projectFacts is what the sheet and the logframe need of a project.
type projectFacts struct {
	ID      string `bun:"id"`
	Code    string `bun:"code"`
	Title   string `bun:"title"`
	Country string `bun:"country"` // its first country
}

// frame is what the caller may read of a grant's results frameworks.
type frame struct {
	today      calendar.Date
	grant      *grantfacts.Facts
	projects   []projectFacts // by code
	results    []*Result
	indicators []*Indicator
}

func (f *frame) project(id string) projectFacts {
	for _, p := range f.projects {
		if p.ID == id {
			return p
		}
	}
	return projectFacts{ID: id}
}

// readFrame reads the results, indicators and projects of grant g that the
// caller may read.
func readFrame(ctx context.Context, idb bun.IDB, g *grantfacts.Facts, today calendar.Date) (*frame, error) {
	f := &frame{grant: g, today: today}
	q := idb.NewSelect().Table("projects").ColumnExpr("projects.id, projects.code, projects.title").
		ColumnExpr("COALESCE((SELECT pc.country_code FROM project_countries pc WHERE pc.project_id = projects.id ORDER BY pc.position LIMIT 1), '') AS country").
		Where("projects.grant_id = ?", g.ID)
	if err := policy.Where(q, policy.ProjectRecords(actor.From(ctx), "projects.id", "projects.grant_id")).
		Order("projects.code", "projects.id").Scan(ctx, &f.projects); err != nil {
		return nil, db.Err(err)
	}
	if err := policy.Where(idb.NewSelect().Model(&f.results).Where("r.grant_id = ?", g.ID), visibleResults(ctx)).
		Order("r.code", "r.project_id", "r.id").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	if err := policy.Where(idb.NewSelect().Model(&f.indicators).Where("i.grant_id = ?", g.ID), visibleIndicators(ctx)).
		Order("i.code", "i.project_id", "i.id").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	return f, nil
}

// PeriodEnd returns the last day of reporting period k (from 1) of grant g,
// at most its end date.
func PeriodEnd(g *grantfacts.Facts, k int) calendar.Date {
	end := g.StartDate.AddMonths(k * max(g.ReportingPeriodMonths, 1)).AddDays(-1)
	if !g.EndDate.IsZero() && end.After(g.EndDate) {
		return g.EndDate
	}
	return end
}

// sheetRows makes the indicator sheet's rows of f: number indicators with
// the same code, unit and type are summed over the projects (a total row,
// a row per category of each of their disaggregations, and a row per
// country of their projects); the other types are one row per project.
// An empty baseline date is the grant's start date, an empty target date
// its end date; an indicator's empty final target is the sum of its period
// targets (numbers) or its last period's target.
func sheetRows(f *frame) []SheetRow {
	type key struct {
		code, unit string
		typ        Type
		project    string
	}
	var order []key
	groups := map[key][]*Indicator{}
	for _, ind := range f.indicators {
		k := key{ind.Code, ind.Unit, ind.Type, ""}
		if ind.Type != TypeNumber {
			k.project = ind.ProjectID
		}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], ind)
	}
	slices.SortStableFunc(order, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(f.project(a.project).Code, f.project(b.project).Code))
	})
	var out []SheetRow
	for _, k := range order {
		inds := groups[k]
		first := inds[0]
		base := SheetRow{Code: k.code, Title: first.Title, Unit: k.unit, Type: k.typ, ProjectID: k.project, EUCode: k.code}
		if k.project != "" {
			base.ProjectCode = f.project(k.project).Code
		}
		var sources, titles []string
		for _, ind := range inds {
			base.Indicators = append(base.Indicators, ind.Name())
			if !slices.Contains(titles, ind.Title) {
				titles = append(titles, ind.Title)
			}
			if base.EUCode == k.code && ind.EUCode != "" {
				base.EUCode, base.EUCorporate = ind.EUCode, ind.EUCorporate
			}
			if ind.BaselineDate != "" && (base.BaselineDate == "" || ind.BaselineDate < base.BaselineDate) {
				base.BaselineDate = ind.BaselineDate
			}
			if ind.TargetDate > base.TargetDate {
				base.TargetDate = ind.TargetDate
			}
			if ind.DataSource != "" && !slices.Contains(sources, ind.DataSource) {
				sources = append(sources, ind.DataSource)
			}
		}
		base.DataSource = strings.Join(sources, "; ")
		// Projects may word the same indicator each their way.
		base.Title = strings.Join(titles, " / ")
		if base.BaselineDate == "" {
			base.BaselineDate = f.grant.StartDate.String()
		}
		if base.TargetDate == "" {
			base.TargetDate = f.grant.EndDate.String()
		}
		// The date of the current value: the end of the last period with
		// an achieved value (today while it runs).
		last := 0
		for _, ind := range inds {
			for _, p := range ind.Periods {
				if p.Actual != "" && p.Period > last {
					last = p.Period
				}
			}
		}
		if last > 0 {
			// A period not over yet: its values are those of today.
			end := PeriodEnd(f.grant, last)
			if !f.today.IsZero() && f.today.Before(end) {
				end = f.today
			}
			base.CurrentDate = end.String()
		}
		if k.typ != TypeNumber {
			total := base
			total.Key = rowKey(k.code, k.unit, k.typ, k.project, "", "")
			total.Baseline, total.Target = first.Baseline, finalTarget(first)
			for _, p := range first.Periods {
				if p.Period == last {
					total.CurrentValue = p.Actual
				}
			}
			out = append(out, total)
			continue
		}
		// Numbers: summed over the indicators, and broken down.
		total := base
		total.Key = rowKey(k.code, k.unit, k.typ, "", "", "")
		var baseline, target, current decimal.Decimal
		anyBaseline := false
		byCountry := map[string]*[3]decimal.Decimal{} // baseline, target, current
		var countries []string
		type dc struct{ d, c string }
		var cats []dc
		catSums := map[dc]decimal.Decimal{}
		for _, ind := range inds {
			b, t, c := num(ind.Baseline), num(finalTarget(ind)), decimal.Zero
			anyBaseline = anyBaseline || ind.Baseline != ""
			for _, p := range ind.Periods {
				c = c.Add(num(p.Actual))
				for _, dv := range p.DisaggregatedActuals {
					x := dc{dv.Disaggregation, dv.Category}
					catSums[x] = catSums[x].Add(num(dv.Value))
				}
			}
			for _, d := range ind.Disaggregations {
				for _, cat := range d.Categories {
					if x := (dc{d.Name, cat}); !slices.Contains(cats, x) {
						cats = append(cats, x)
					}
				}
			}
			baseline, target, current = baseline.Add(b), target.Add(t), current.Add(c)
			country := f.project(ind.ProjectID).Country
			if byCountry[country] == nil {
				byCountry[country] = &[3]decimal.Decimal{}
				countries = append(countries, country)
			}
			v := byCountry[country]
			v[0], v[1], v[2] = v[0].Add(b), v[1].Add(t), v[2].Add(c)
		}
		if anyBaseline {
			total.Baseline = baseline.String()
		}
		total.Target = target.String()
		if last > 0 {
			total.CurrentValue = current.String()
		}
		out = append(out, total)
		for _, x := range cats {
			if x.d == DisaggregationCountry {
				continue
			}
			r := base
			r.Key = rowKey(k.code, k.unit, k.typ, "", x.d, x.c)
			r.Disagg, r.Category = x.d, x.c
			if last > 0 {
				r.CurrentValue = catSums[x].String()
			}
			out = append(out, r)
		}
		slices.Sort(countries)
		for _, c := range countries {
			if c == "" {
				continue
			}
			v := byCountry[c]
			r := base
			r.Key = rowKey(k.code, k.unit, k.typ, "", DisaggregationCountry, c)
			r.Disagg, r.Category = DisaggregationCountry, c
			if anyBaseline {
				r.Baseline = v[0].String()
			}
			r.Target = v[1].String()
			if last > 0 {
				r.CurrentValue = v[2].String()
			}
			out = append(out, r)
		}
	}
	return out
}

func rowKey(code, unit string, t Type, project, disagg, category string) string {
	return strings.Join([]string{code, unit, string(t), project, disagg, category}, "\x1f")
}

// finalTarget is an indicator's final target: the one set, or else the sum
// of its period targets (numbers) or its last period's target.
func finalTarget(ind *Indicator) string {
	if ind.FinalTarget != "" {
		return ind.FinalTarget
	}
	if ind.Type == TypeNumber {
		sum, some := decimal.Zero, false
		for _, p := range ind.Periods {
			if p.Target != "" {
				sum, some = sum.Add(num(p.Target)), true
			}
		}
		if !some {
			return ""
		}
		return sum.String()
	}
	out, last := "", 0
	for _, p := range ind.Periods {
		if p.Target != "" && p.Period > last {
			out, last = p.Target, p.Period
		}
	}
	return out
}

// compare sets, on each row, the same row in last and what changed since:
// the current value, baseline and target (compared as values), their dates
// and the EU code (the current value's date alone moves with time and is
// not compared). A row not in last is changed. It returns how many rows
// changed. With no last submission nothing is changed.
func compare(rows []SheetRow, last *Submission) int {
	if last == nil {
		return 0
	}
	prev := map[string]SheetRow{}
	for _, r := range last.Rows {
		prev[r.Key] = r
	}
	n := 0
	for k := range rows {
		r := &rows[k]
		p, ok := prev[r.Key]
		r.ChangedFields = nil
		if ok {
			r.SubmittedValue, r.SubmittedDate, r.Submitted = p.CurrentValue, p.CurrentDate, &p
			for _, f := range []struct {
				name       string
				was, is    string
				comparable bool
			}{
				{"current_value", p.CurrentValue, r.CurrentValue, true},
				{"baseline", p.Baseline, r.Baseline, true},
				{"baseline_date", p.BaselineDate, r.BaselineDate, false},
				{"target", p.Target, r.Target, true},
				{"target_date", p.TargetDate, r.TargetDate, false},
				{"eu_code", p.EUCode, r.EUCode, false},
			} {
				if f.comparable && !sameValue(r.Type, f.was, f.is) || !f.comparable && f.was != f.is {
					r.ChangedFields = append(r.ChangedFields, f.name)
				}
			}
		}
		r.Changed = !ok || len(r.ChangedFields) > 0
		if r.Changed {
			n++
		}
	}
	return n
}

// sameValue compares two values of an indicator of type t: numbers as
// numbers ("120" is "120.0"), others as text.
func sameValue(t Type, a, b string) bool {
	if a == b {
		return true
	}
	if t == TypeNumber || t == TypePercentage {
		x, err1 := decimal.NewFromString(a)
		y, err2 := decimal.NewFromString(b)
		return err1 == nil && err2 == nil && x.Equal(y)
	}
	return false
}

// sheetGrant reads grant grantID for the indicator sheet: a grant hidden
// from the caller is not found; one the caller reads only in part is
// denied.
func sheetGrant(ctx context.Context, idb bun.IDB, grantID string) (*grantfacts.Facts, error) {
	c := actor.From(ctx)
	g, err := grantfacts.Visible(ctx, idb, c, grantID)
	if err != nil {
		return nil, err
	}
	if !policy.CanReadGrantInFull(c, g.ID, g.LeadOrganisationID) {
		return nil, policy.Denied("the indicator sheet of " + g.Describe() + " (it holds every partner's values)")
	}
	return g, nil
}

func lastSubmission(ctx context.Context, idb bun.IDB, grantID string) (*Submission, error) {
	s := new(Submission)
	err := withSubmitter(idb.NewSelect().Model(s)).Where("s.grant_id = ?", grantID).Order("s.id DESC").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, db.Err(err)
	}
	return s, nil
}

// IndicatorSheet returns grant grantID's indicator sheet now, compared with
// its last submission. Errors: not found (a grant hidden from the caller),
// permission (a caller who reads the grant only in part), internal.
func (s *Service) IndicatorSheet(ctx context.Context, grantID string) (*Sheet, error) {
	out := &Sheet{}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := sheetGrant(ctx, tx, grantID)
		if err != nil {
			return err
		}
		f, err := readFrame(ctx, tx, g, calendar.Of(s.now()))
		if err != nil {
			return err
		}
		out.Grant, out.Rows = g, sheetRows(f)
		if out.Last, err = lastSubmission(ctx, tx, g.ID); err != nil {
			return err
		}
		out.Changed = compare(out.Rows, out.Last)
		out.CallerCanSubmit = policy.CanManageGrant(actor.From(ctx), g.ID, g.LeadOrganisationID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RecordSubmission records that grant grantID's indicator sheet, as it is
// now, was submitted to OPSYS, for a caller who may manage the grant: every
// row is kept as it is, and later values are compared with it. A retry with
// the same requestID returns the first record. Errors: not found,
// permission, invalid (note), failed precondition (a sheet with no
// indicators), internal.
func (s *Service) RecordSubmission(ctx context.Context, grantID, note, requestID string) (*Submission, error) {
	note = strings.TrimSpace(note)
	var v errs.Violations
	checkText(&v, "note", note, false, MaxSubmissionNoteLen)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *Submission
	err := idem.Create(ctx, s.db, "RecordIndicatorSubmission", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			prev := new(Submission)
			if err := withSubmitter(tx.NewSelect().Model(prev)).Where("s.id = ? AND s.grant_id = ?", lastID(name), grantID).Scan(ctx); err != nil {
				return db.Err(err, db.NotFound(name))
			}
			out = prev
			return nil
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			g, err := sheetGrant(ctx, tx, grantID)
			if err != nil {
				return "", err
			}
			c := actor.From(ctx)
			if !policy.CanManageGrant(c, g.ID, g.LeadOrganisationID) {
				return "", policy.Denied("recording a submission to OPSYS of " + g.Describe())
			}
			f, err := readFrame(ctx, tx, g, calendar.Of(s.now()))
			if err != nil {
				return "", err
			}
			sub := &Submission{ID: resource.NewID(), GrantID: g.ID, SubmittedBy: c.Name(), SubmitTime: s.now(), Note: note, Rows: sheetRows(f)}
			if len(sub.Rows) == 0 {
				return "", errs.Precondition("NO_INDICATORS", "%s has no indicators yet: there is nothing to submit to OPSYS; add indicators to its projects' results frameworks first", g.Describe())
			}
			if _, err := tx.NewInsert().Model(sub).Exec(ctx); err != nil {
				return "", db.Err(err)
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "submit", Resource: sub.Name(), GrantID: g.ID,
				Changes: []audit.Change{{Field: "rows", New: strconv.Itoa(len(sub.Rows))}}}); err != nil {
				return "", err
			}
			out = new(Submission)
			if err := withSubmitter(tx.NewSelect().Model(out)).Where("s.id = ?", sub.ID).Scan(ctx); err != nil {
				return "", db.Err(err)
			}
			return sub.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListSubmissions returns a page of grant grantID's submissions, newest
// first. Errors: not found, permission, invalid (page size, token), internal.
func (s *Service) ListSubmissions(ctx context.Context, grantID string, p page.Request) ([]*Submission, string, error) {
	cur, err := page.Open(p, grantID)
	if err != nil {
		return nil, "", err
	}
	if _, err := sheetGrant(ctx, s.db, grantID); err != nil {
		return nil, "", err
	}
	var out []*Submission
	if err := cur.ApplyDesc(withSubmitter(s.db.NewSelect().Model(&out)).Where("s.grant_id = ?", grantID), "s.id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		last := out[len(out)-1]
		next = cur.Next(true, last.ID)
	}
	return out, next, nil
}
