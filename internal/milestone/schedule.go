package milestone

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// GrantSchedule is what milestone generation needs to know of a grant. The
// grant package fills it in and calls SyncGenerated, in its own transaction,
// whenever a grant is created or its dates or deadline rules change.
type GrantSchedule struct {
	GrantID            string
	LeadOrganisationID string // responsible for the generated milestones
	Start, End         calendar.Date
	PeriodMonths       int // reporting-period length
	InterimDueDays     int // interim reports due this many days after each period
	FinalDueMonths     int // final reports due this many months after End
	CurrencyCode       string
	MaxContribution    int64 // donor's maximum contribution, minor units of CurrencyCode

	// Projects are the grant's projects with the partners that send
	// progress updates. SyncGenerated reads them from the database itself;
	// Plan uses them as given (a preview of a grant not yet stored).
	Projects []ProjectSchedule
}

// ProjectSchedule is what the generation of partner progress updates needs
// to know of a project.
type ProjectSchedule struct {
	ProjectID  string
	Start, End calendar.Date // the project's dates; zero: the grant's
	Months     int           // months between progress updates; < 1: the default, 3
	// From is the day the project was created: periods that ended before
	// it get no progress update (a project set up late is not behind from
	// its first day). Zero: every period.
	From calendar.Date
	// Partners are the organisations that send progress updates (see
	// ReportingRoles), in the project's order.
	Partners []string
}

// ReportingRoles are the participant roles (the project package's Role
// values) whose organisations send partner progress updates: the
// coordinator writes the reports, contractors and recipients of financial
// support to third parties report to no one in the action.
var ReportingRoles = []string{"co_beneficiary", "affiliated_entity", "associate"}

// ProgressUpdateDueDays is how many days after the end of its period a
// partner progress update is due.
const ProgressUpdateDueDays = 15

// VerificationThreshold is the donor contribution above which an
// expenditure verification is due with the final report: EUR 100,000.00,
// in cents.
const VerificationThreshold int64 = 100_000_00

// Generator keys: one per generated milestone of a grant, stable across
// regeneration. Interim keys carry the 1-based period number.
const (
	keyInterimNarrative = "interim_narrative:%d"
	keyInterimFinancial = "interim_financial:%d"
	keyFinalNarrative   = "final_narrative"
	keyFinalFinancial   = "final_financial"
	keyVerification     = "expenditure_verification"
	// A partner's progress update: project, organisation, period number.
	keyProgressUpdate = "progress_update:%s:%s:%d"
)

// Period is one reporting period of a grant.
type Period struct {
	Number     int // from 1
	Start, End calendar.Date
}

// Periods cuts [s.Start, s.End] into reporting periods of s.PeriodMonths
// counted from s.Start (so month ends clamp without drifting), the last
// clipped to s.End. PeriodMonths < 1 gives one period for the whole grant.
func (s GrantSchedule) Periods() []Period {
	if s.Start.IsZero() || s.End.IsZero() || s.End.Before(s.Start) {
		return nil
	}
	if s.PeriodMonths < 1 {
		return []Period{{Number: 1, Start: s.Start, End: s.End}}
	}
	var out []Period
	for k := 0; ; k++ {
		start := s.Start.AddMonths(k * s.PeriodMonths)
		if start.After(s.End) {
			break
		}
		end := s.Start.AddMonths((k + 1) * s.PeriodMonths).AddDays(-1)
		if end.After(s.End) {
			end = s.End
		}
		out = append(out, Period{Number: k + 1, Start: start, End: end})
		if !end.Before(s.End) {
			break
		}
	}
	return out
}

// Plan returns the milestones s generates, in due-date order, each with its
// generator key and without ids or times. It does not check s.
func (s GrantSchedule) Plan() []*Milestone {
	var out []*Milestone
	add := func(key string, kind Kind, title string, start, end, due calendar.Date) {
		out = append(out, &Milestone{
			GrantID: s.GrantID, Kind: kind, Title: title, PeriodStart: start, PeriodEnd: end, DueDate: due,
			ResponsibleOrganisationID: s.LeadOrganisationID, GeneratorKey: key,
		})
	}
	periods := s.Periods()
	if len(periods) == 0 {
		return nil
	}
	for _, p := range periods[:len(periods)-1] {
		due := p.End.AddDays(s.InterimDueDays)
		add(fmt.Sprintf(keyInterimNarrative, p.Number), KindInterimNarrativeReport,
			fmt.Sprintf("%s, period %d", KindInterimNarrativeReport.Label(), p.Number), p.Start, p.End, due)
		add(fmt.Sprintf(keyInterimFinancial, p.Number), KindInterimFinancialReport,
			fmt.Sprintf("%s, period %d", KindInterimFinancialReport.Label(), p.Number), p.Start, p.End, due)
	}
	final := s.End.AddMonths(s.FinalDueMonths)
	add(keyFinalNarrative, KindFinalNarrativeReport, KindFinalNarrativeReport.Label(), s.Start, s.End, final)
	add(keyFinalFinancial, KindFinalFinancialReport, KindFinalFinancialReport.Label(), s.Start, s.End, final)
	if s.NeedsVerification() {
		add(keyVerification, KindExpenditureVerification, KindExpenditureVerification.Label(), s.Start, s.End, final)
	}
	for _, p := range s.Projects {
		ps := GrantSchedule{Start: p.Start, End: p.End, PeriodMonths: p.Months}
		if ps.Start.IsZero() {
			ps.Start = s.Start
		}
		if ps.End.IsZero() {
			ps.End = s.End
		}
		if ps.PeriodMonths < 1 {
			ps.PeriodMonths = 3
		}
		for _, per := range ps.Periods() {
			if !p.From.IsZero() && per.End.Before(p.From) {
				continue
			}
			for _, org := range p.Partners {
				out = append(out, &Milestone{
					GrantID: s.GrantID, ProjectID: p.ProjectID, Kind: KindPartnerProgressUpdate,
					Title:       fmt.Sprintf("%s, period %d", KindPartnerProgressUpdate.Label(), per.Number),
					PeriodStart: per.Start, PeriodEnd: per.End, DueDate: per.End.AddDays(ProgressUpdateDueDays),
					ResponsibleOrganisationID: org, GeneratorKey: fmt.Sprintf(keyProgressUpdate, p.ProjectID, org, per.Number),
				})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *Milestone) int { return a.DueDate.Time().Compare(b.DueDate.Time()) })
	return out
}

// readProjects reads the grant's projects with the partners that send
// progress updates, within idb.
func readProjects(ctx context.Context, idb bun.IDB, grantID string) ([]ProjectSchedule, error) {
	var rows []struct {
		ID      string        `bun:"id"`
		Start   calendar.Date `bun:"start_date"`
		End     calendar.Date `bun:"end_date"`
		Months  int           `bun:"progress_update_months"`
		Created time.Time     `bun:"create_time"`
	}
	if err := idb.NewRaw("SELECT id, start_date, end_date, progress_update_months, create_time FROM projects WHERE grant_id = ? ORDER BY id",
		grantID).Scan(ctx, &rows); err != nil {
		return nil, db.Err(err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var parts []struct {
		ProjectID      string `bun:"project_id"`
		OrganisationID string `bun:"organisation_id"`
	}
	if err := idb.NewRaw(`SELECT pp.project_id, pp.organisation_id FROM project_participants AS pp
		JOIN projects AS p ON p.id = pp.project_id
		WHERE p.grant_id = ? AND pp.role IN (?) ORDER BY pp.project_id, pp.position`,
		grantID, bun.List(ReportingRoles)).Scan(ctx, &parts); err != nil {
		return nil, db.Err(err)
	}
	out := make([]ProjectSchedule, len(rows))
	index := make(map[string]int, len(rows))
	for i, r := range rows {
		out[i] = ProjectSchedule{ProjectID: r.ID, Start: r.Start, End: r.End, Months: r.Months, From: calendar.Of(r.Created.UTC())}
		index[r.ID] = i
	}
	for _, pt := range parts {
		i := index[pt.ProjectID]
		out[i].Partners = append(out[i].Partners, pt.OrganisationID)
	}
	return out, nil
}

// SyncGrant regenerates the generated milestones of grant grantID from what
// is stored of it and its projects, within tx: the project package calls
// it when a project's partners, dates or progress-update frequency change.
// Errors: those of SyncGenerated, not found.
func SyncGrant(ctx context.Context, tx bun.IDB, grantID string) error {
	s, err := readSchedule(ctx, tx, grantID)
	if err != nil {
		return err
	}
	return SyncGenerated(ctx, tx, s)
}

// NeedsVerification reports whether an expenditure verification is due with
// the final report: a EUR grant whose donor contribution exceeds EUR 100,000.
func (s GrantSchedule) NeedsVerification() bool {
	return s.CurrencyCode == "EUR" && s.MaxContribution > VerificationThreshold
}

// check refuses a schedule generation cannot work from, naming the grant's
// fields.
func (s GrantSchedule) check() error {
	var v errs.Violations
	if s.GrantID == "" {
		v.Add("name", "is required: the grant whose milestones are generated")
	}
	if s.LeadOrganisationID == "" {
		v.Add("lead_organisation", "is required: the organisation responsible for the reports")
	}
	if s.Start.IsZero() {
		v.Add("start_date", "is required to generate the reporting milestones")
	}
	if s.End.IsZero() {
		v.Add("end_date", "is required to generate the reporting milestones")
	} else if !s.Start.IsZero() && s.End.Before(s.Start) {
		v.Add("end_date", "%s is before start_date %s", s.End, s.Start)
	}
	if s.PeriodMonths < 0 {
		v.Add("reporting_period_months", "must not be negative")
	}
	if s.InterimDueDays < 0 {
		v.Add("interim_report_due_days", "must not be negative")
	}
	if s.FinalDueMonths < 0 {
		v.Add("final_report_due_months", "must not be negative")
	}
	return v.Err()
}

// SyncGenerated creates, moves or removes the grant's generated milestones so
// that they match s, within tx. Milestones users edited, submitted or
// accepted are kept as they are.
//
// In detail: a wanted milestone that does not exist is created; one that
// exists untouched (never edited, submitted or accepted) is updated to the
// new dates, title and responsible organisation, with a new version; one that
// is no longer wanted is deleted when untouched and kept otherwise. Every
// write is guarded in SQL as well, so a milestone submitted or edited by a
// concurrent transaction is left alone. Errors: invalid (s cannot be
// generated from, naming the grant's fields), aborted (a concurrent
// generation for the same grant), internal.
//
// Every milestone it writes leaves an audit event in tx, with the caller of
// ctx as actor and the grant's id: "generate" for one created, "regenerate"
// (with the old and new values, the due date among them) for one moved, and
// "delete" for one removed. The grant package decides who may change a
// grant; generation follows from that and checks no permission itself.
func SyncGenerated(ctx context.Context, tx bun.IDB, s GrantSchedule) error {
	if err := s.check(); err != nil {
		return err
	}
	projects, err := readProjects(ctx, tx, s.GrantID)
	if err != nil {
		return err
	}
	s.Projects = projects
	var existing []*Milestone
	if err := tx.NewSelect().Model(&existing).
		Where("grant_id = ? AND generator_key IS NOT NULL", s.GrantID).Scan(ctx); err != nil {
		return db.Err(err)
	}
	byKey := make(map[string]*Milestone, len(existing))
	for _, m := range existing {
		byKey[m.GeneratorKey] = m
	}
	now := time.Now().UTC()
	for _, w := range s.Plan() {
		m, ok := byKey[w.GeneratorKey]
		delete(byKey, w.GeneratorKey)
		if !ok {
			w.ID, w.Version, w.CreateTime, w.UpdateTime = resource.NewID(), 1, now, now
			if _, err := tx.NewInsert().Model(w).Exec(ctx); err != nil {
				return db.Err(err, db.Unique(errs.Aborted(resource.Name(resource.Grants, s.GrantID)+"'s milestones")))
			}
			if err := record(ctx, tx, "generate", w, audit.Diff(tx, nil, w)); err != nil {
				return err
			}
			continue
		}
		if !m.untouched() || sameContent(m, w) {
			continue
		}
		before := *m
		m.ProjectID, m.Kind, m.Title = w.ProjectID, w.Kind, w.Title
		m.PeriodStart, m.PeriodEnd, m.DueDate = w.PeriodStart, w.PeriodEnd, w.DueDate
		m.ResponsibleOrganisationID = w.ResponsibleOrganisationID
		m.UpdateTime = now
		res, err := tx.NewUpdate().Model(m).
			Column("project_id", "kind", "title", "period_start_date", "period_end_date", "due_date",
				"responsible_organisation_id", "update_time").
			Set("version = version + 1").
			WherePK().Where(untouchedSQL).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue // touched meanwhile: left alone, nothing to record
		}
		if err := record(ctx, tx, "regenerate", m, audit.Diff(tx, &before, m)); err != nil {
			return err
		}
	}
	// What is left is no longer wanted; removed in key order, so that the
	// audit trail reads the same on every run.
	for _, key := range slices.Sorted(maps.Keys(byKey)) {
		m := byKey[key]
		if !m.untouched() {
			continue
		}
		// A partner's progress update begun on it keeps it.
		res, err := tx.NewDelete().Model(m).WherePK().Where(untouchedSQL).
			Where("NOT EXISTS (SELECT 1 FROM progress_updates AS pu WHERE pu.milestone_id = milestone.id)").Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue
		}
		if err := record(ctx, tx, "delete", m, audit.Diff(tx, m, nil)); err != nil {
			return err
		}
	}
	return nil
}

// untouchedSQL holds for the rows generation may still move or remove.
const untouchedSQL = "generator_key IS NOT NULL AND edited = FALSE AND " + OpenSQL

// readSchedule reads the schedule of grant id from the grants table (the
// grant package is not imported). Errors: not found, internal.
func readSchedule(ctx context.Context, idb bun.IDB, id string) (GrantSchedule, error) {
	var row struct {
		LeadOrganisationID    string        `bun:"lead_organisation_id"`
		StartDate             calendar.Date `bun:"start_date"`
		EndDate               calendar.Date `bun:"end_date"`
		ReportingPeriodMonths int           `bun:"reporting_period_months"`
		InterimReportDueDays  int           `bun:"interim_report_due_days"`
		FinalReportDueMonths  int           `bun:"final_report_due_months"`
		CurrencyCode          string        `bun:"currency_code"`
		MaxDonorContribution  int64         `bun:"max_donor_contribution"`
	}
	err := idb.NewRaw(`SELECT lead_organisation_id, start_date, end_date, reporting_period_months,
		interim_report_due_days, final_report_due_months, currency_code, max_donor_contribution
		FROM grants WHERE id = ?`, id).Scan(ctx, &row)
	if err != nil {
		return GrantSchedule{}, db.Err(err, db.NotFound(resource.Name(resource.Grants, id)))
	}
	return GrantSchedule{
		GrantID: id, LeadOrganisationID: row.LeadOrganisationID, Start: row.StartDate, End: row.EndDate,
		PeriodMonths: row.ReportingPeriodMonths, InterimDueDays: row.InterimReportDueDays,
		FinalDueMonths: row.FinalReportDueMonths, CurrencyCode: row.CurrencyCode, MaxContribution: row.MaxDonorContribution,
	}, nil
}
