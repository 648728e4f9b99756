package narrative

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/resource"
)

// reportRow is a stored report.
type reportRow struct {
	bun.BaseModel `bun:"table:narrative_reports,alias:nr"`

	ID          string     `bun:"id,pk"`
	GrantID     string     `bun:"grant_id"`
	Period      int        `bun:"period"`
	Kind        Kind       `bun:"kind"`
	State       State      `bun:"state"`
	CompileTime time.Time  `bun:"compile_time"`
	SubmitTime  *time.Time `bun:"submit_time"`
	SubmittedBy *string    `bun:"submitted_by"`
	Version     int64      `bun:"version"`
	CreateTime  time.Time  `bun:"create_time"`
	UpdateTime  time.Time  `bun:"update_time"`

	SubmitterDisplayName string `bun:"submitter_display_name,scanonly"`
}

// sectionRow is a stored section.
type sectionRow struct {
	bun.BaseModel `bun:"table:narrative_sections,alias:ns"`

	ReportID     string      `bun:"report_id,pk"`
	Key          string      `bun:"key,pk"`
	Position     int         `bun:"position"`
	Kind         SectionKind `bun:"kind"`
	SubjectID    string      `bun:"subject_id"`
	CompiledText string      `bun:"compiled_text"`
	EditedText   *string     `bun:"edited_text"`
	EditBaseText *string     `bun:"edit_base_text"`
	Sources      []Source    `bun:"sources"`
	EditedBy     *string     `bun:"edited_by"`
	EditTime     *time.Time  `bun:"edit_time"`
	Version      int64       `bun:"version"`

	EditorDisplayName string `bun:"editor_display_name,scanonly"`
}

func sectionText(r *sectionRow) string {
	if r.EditedText != nil {
		return *r.EditedText
	}
	return r.CompiledText
}

// getReport reads the stored report of a grant's period. Errors: not found.
func getReport(ctx context.Context, idb bun.IDB, grantID string, period int) (*reportRow, error) {
	r := new(reportRow)
	err := idb.NewSelect().Model(r).ColumnExpr("nr.*").ColumnExpr("COALESCE(u.display_name, '') AS submitter_display_name").
		Join("LEFT JOIN users AS u ON u.id = nr.submitted_by").
		Where("nr.grant_id = ? AND nr.period = ?", grantID, period).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(Name(grantID, period)))
	}
	return r, nil
}

// getSections reads a report's sections in order, with their subjects'
// display names.
func getSections(ctx context.Context, idb bun.IDB, reportID string) ([]*Section, error) {
	var rows []*sectionRow
	if err := idb.NewSelect().Model(&rows).ColumnExpr("ns.*").ColumnExpr("COALESCE(u.display_name, '') AS editor_display_name").
		Join("LEFT JOIN users AS u ON u.id = ns.edited_by").
		Where("ns.report_id = ?", reportID).Order("ns.position", "ns.key").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	subjects, err := subjectNames(ctx, idb, rows)
	if err != nil {
		return nil, err
	}
	out := make([]*Section, 0, len(rows))
	for _, r := range rows {
		s := &Section{Key: r.Key, Kind: r.Kind, CompiledText: r.CompiledText, EditedText: r.EditedText, EditBaseText: r.EditBaseText,
			Sources: r.Sources, EditorDisplayName: r.EditorDisplayName, EditTime: r.EditTime, Version: r.Version}
		if s.Sources == nil {
			s.Sources = []Source{}
		}
		if sub, ok := subjects[r.Key]; ok {
			s.Subject, s.SubjectDisplayName = sub[0], sub[1]
		}
		s.SourcesChanged = r.EditedText != nil && r.EditBaseText != nil && *r.EditBaseText != r.CompiledText
		out = append(out, s)
	}
	return out, nil
}

// subjectNames returns, by section key, the resource name and display name
// of each section's subject (a result or an organisation).
func subjectNames(ctx context.Context, idb bun.IDB, rows []*sectionRow) (map[string][2]string, error) {
	out := map[string][2]string{}
	var results, orgs []string
	for _, r := range rows {
		switch r.Kind {
		case SectionOutput:
			results = append(results, r.SubjectID)
		case SectionPartner:
			orgs = append(orgs, r.SubjectID)
		}
	}
	type named struct {
		ID        string `bun:"id"`
		ProjectID string `bun:"project_id"`
		Code      string `bun:"code"`
		Title     string `bun:"title"`
		// ProjectCode is a result's project's code: outputs of several
		// projects often share a code.
		ProjectCode string `bun:"project_code"`
	}
	byID := map[string]named{}
	if len(results) > 0 {
		var rs []named
		if err := idb.NewSelect().TableExpr("results AS r").Join("JOIN projects AS p ON p.id = r.project_id").
			ColumnExpr("r.id, r.project_id, r.code, r.title, p.code AS project_code").
			Where("r.id IN (?)", bun.List(results)).Scan(ctx, &rs); err != nil {
			return nil, db.Err(err)
		}
		for _, x := range rs {
			byID[x.ID] = x
		}
	}
	if len(orgs) > 0 {
		var os []named
		if err := idb.NewSelect().Table("organisations").ColumnExpr("id, display_name AS title").
			Where("id IN (?)", bun.List(orgs)).Scan(ctx, &os); err != nil {
			return nil, db.Err(err)
		}
		for _, x := range os {
			byID[x.ID] = x
		}
	}
	for _, r := range rows {
		x, ok := byID[r.SubjectID]
		if !ok {
			continue
		}
		switch r.Kind {
		case SectionOutput:
			display := joinCode(x.Code, x.Title)
			if x.ProjectCode != "" {
				display = x.ProjectCode + " · " + display
			}
			out[r.Key] = [2]string{resource.Name(resource.Projects, x.ProjectID) + "/" + resource.Name(resource.Results, x.ID), display}
		case SectionPartner:
			out[r.Key] = [2]string{resource.Name(resource.Organisations, x.ID), x.Title}
		}
	}
	return out, nil
}

func joinCode(code, title string) string {
	if code == "" {
		return title
	}
	return code + " " + title
}

// periodDates returns the dates of a grant's reporting period and how many
// periods it has. Errors: invalid (field: a period the grant does not
// have).
func periodDates(ctx context.Context, idb bun.IDB, grantID string, period int, field string) (calendar.Date, calendar.Date, error) {
	ps, err := milestone.GrantPeriods(ctx, idb, grantID)
	if err != nil {
		return calendar.Date{}, calendar.Date{}, err
	}
	if period < 1 || period > len(ps) {
		return calendar.Date{}, calendar.Date{}, errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("the grant has %d reporting periods; choose 1 to %d", len(ps), len(ps))})
	}
	return ps[period-1].Start, ps[period-1].End, nil
}

// kindRank orders sections by kind.
var kindRank = map[SectionKind]int{SectionExecutiveSummary: 0, SectionOutput: 1, SectionPartner: 2, SectionCooperation: 3,
	SectionVisibility: 4, SectionRecords: 5}

// store writes a compilation: creates the report, or refreshes its
// sections keeping the edits. Errors: precondition (submitted), internal.
func (s *Service) store(ctx context.Context, tx bun.IDB, g *grantRow, period int, c *compiled) error {
	now := s.now()
	row, err := getReport(ctx, tx, g.ID, period)
	created := false
	switch {
	case errs.Is(err, errs.KindNotFound):
		row = &reportRow{ID: resource.NewID(), GrantID: g.ID, Period: period, Kind: c.report.Kind, State: StateDraft,
			CompileTime: now, Version: 1, CreateTime: now, UpdateTime: now}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return db.Err(err, db.Unique(errs.Aborted(Name(g.ID, period))))
		}
		created = true
	case err != nil:
		return err
	case row.State == StateSubmitted:
		return submittedErr(g, period)
	default:
		prev := row.Version
		row.Kind, row.CompileTime, row.UpdateTime, row.Version = c.report.Kind, now, now, prev+1
		res, err := tx.NewUpdate().Model(row).Column("kind", "compile_time", "update_time", "version").
			Where("id = ? AND version = ?", row.ID, prev).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(Name(g.ID, period))
		}
	}
	var old []*sectionRow
	if err := tx.NewSelect().Model(&old).Where("report_id = ?", row.ID).Order("position").Scan(ctx); err != nil {
		return db.Err(err)
	}
	byKey := map[string]*sectionRow{}
	for _, o := range old {
		byKey[o.Key] = o
	}
	type placed struct {
		row            *sectionRow
		rank           int
		isNew, changed bool
	}
	var all []placed
	seen := map[string]bool{}
	added, changed, dropped := 0, 0, 0
	for i, sec := range c.sections {
		seen[sec.Key] = true
		rank := kindRank[sec.Kind]*100000 + i
		if o := byKey[sec.Key]; o != nil {
			ch := o.CompiledText != sec.CompiledText || !slices.Equal(o.Sources, sec.Sources) || o.Kind != sec.Kind || o.SubjectID != sec.subjectID
			o.CompiledText, o.Sources, o.Kind, o.SubjectID = sec.CompiledText, sec.Sources, sec.Kind, sec.subjectID
			if ch {
				o.Version++
				changed++
			}
			all = append(all, placed{row: o, rank: rank, changed: ch})
			continue
		}
		added++
		all = append(all, placed{row: &sectionRow{ReportID: row.ID, Key: sec.Key, Kind: sec.Kind, SubjectID: sec.subjectID,
			CompiledText: sec.CompiledText, Sources: sec.Sources, Version: 1}, rank: rank, isNew: true})
	}
	// Sections whose subject is gone stay only when edited, after the
	// others of their kind.
	for _, o := range old {
		if seen[o.Key] {
			continue
		}
		if o.EditedText == nil {
			if _, err := tx.NewDelete().Model((*sectionRow)(nil)).Where("report_id = ? AND key = ?", row.ID, o.Key).Exec(ctx); err != nil {
				return db.Err(err)
			}
			dropped++
			continue
		}
		all = append(all, placed{row: o, rank: kindRank[o.Kind]*100000 + 99999})
	}
	slices.SortStableFunc(all, func(a, b placed) int { return a.rank - b.rank })
	for i, p := range all {
		moved := p.row.Position != i
		p.row.Position = i
		switch {
		case p.isNew:
			if _, err := tx.NewInsert().Model(p.row).Exec(ctx); err != nil {
				return db.Err(err)
			}
		case p.changed || moved:
			if _, err := tx.NewUpdate().Model(p.row).Column("position", "kind", "subject_id", "compiled_text", "sources", "version").
				Where("report_id = ? AND key = ?", row.ID, p.row.Key).Exec(ctx); err != nil {
				return db.Err(err)
			}
		}
	}
	action := "compile"
	if created {
		action = "create"
	}
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: Name(g.ID, period), GrantID: g.ID, Changes: []audit.Change{
		{Field: "sections_added", New: fmt.Sprint(added)},
		{Field: "sections_changed", New: fmt.Sprint(changed)},
		{Field: "sections_dropped", New: fmt.Sprint(dropped)},
	}})
}

func auditRecord(ctx context.Context, tx bun.IDB, action, name, grantID, field, before, after string) error {
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: name, GrantID: grantID,
		Changes: []audit.Change{{Field: field, Old: before, New: after}}})
}
