package narrative

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Collections of the report's resource names.
const (
	Reports  = "narrativeReports" // grants/{grant}/narrativeReports/{period}
	Sections = "sections"         // .../narrativeReports/{period}/sections/{key}
)

// MaxPeriod is the highest reporting period number a name may carry.
const MaxPeriod = 999

// MaxTextLen is the longest text of a section, in characters.
const MaxTextLen = 100000

// Service compiles, keeps and locks narrative reports. Its exported methods
// own their transactions.
type Service struct {
	db    *bun.DB
	blobs blob.Store
	clock atomic.Pointer[func() time.Time]
}

// NewService returns a Service on d, reading photos from blobs.
func NewService(d *bun.DB, blobs blob.Store) *Service {
	s := &Service{db: d, blobs: blobs}
	s.SetClock(time.Now)
	return s
}

// SetClock makes the Service read the time from now (tests fix "today").
func (s *Service) SetClock(now func() time.Time) { s.clock.Store(&now) }

func (s *Service) now() time.Time { return (*s.clock.Load())().UTC().Truncate(time.Microsecond) }

// Name is "grants/{grant}/narrativeReports/{period}".
func Name(grantID string, period int) string {
	return resource.Name(resource.Grants, grantID) + "/" + Reports + "/" + strconv.Itoa(period)
}

// SectionName is "grants/{grant}/narrativeReports/{period}/sections/{key}".
func SectionName(grantID string, period int, key string) string {
	return Name(grantID, period) + "/" + Sections + "/" + key
}

func parsePeriod(p, name, field string) (int, error) {
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > MaxPeriod || strconv.Itoa(n) != p {
		return 0, errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("must be grants/{grant}/narrativeReports/{period} with the number of a reporting period, from 1; got %q", name)})
	}
	return n, nil
}

// ParseName returns the grant id and period of a report's name; field
// names the request field. Errors: invalid.
func ParseName(name, field string) (grantID string, period int, err error) {
	g, p, err := resource.ParseGrantChild(name, Reports, field)
	if err != nil {
		return "", 0, err
	}
	n, err := parsePeriod(p, name, field)
	return g, n, err
}

// ParseSectionName returns the grant id, period and section key of a
// section's name. Errors: invalid.
func ParseSectionName(name, field string) (grantID string, period int, key string, err error) {
	parent, key, ok := cutLast(name, "/"+Sections+"/")
	if !ok || key == "" || strings.Contains(key, "/") {
		return "", 0, "", errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("must be grants/{grant}/narrativeReports/{period}/sections/{section}; got %q", name)})
	}
	g, p, err := ParseName(parent, field)
	return g, p, key, err
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// grantRow is what the report needs of a grant.
type grantRow struct {
	ID                    string        `bun:"id"`
	LeadOrganisationID    string        `bun:"lead_organisation_id"`
	DonorReference        string        `bun:"donor_reference"`
	Title                 string        `bun:"title"`
	CurrencyCode          string        `bun:"currency_code"`
	StartDate             calendar.Date `bun:"start_date"`
	EndDate               calendar.Date `bun:"end_date"`
	ReportingPeriodMonths int           `bun:"reporting_period_months"`
	State                 string        `bun:"state"`
	ReportingLanguage     string        `bun:"reporting_language"`
}

func (g *grantRow) name() string { return resource.Name(resource.Grants, g.ID) }

// access is the caller's standing on a grant's narrative reports.
type access struct {
	g       *grantRow
	canEdit bool
}

// readable reads grant id if the caller may read its narrative reports:
// admins, its coordinators and its auditors. Errors: not found (a grant
// hidden from the caller), permission (finance staff and partners, who may
// read the grant but not this).
func readable(ctx context.Context, idb bun.IDB, id string) (*access, error) {
	c := actor.From(ctx)
	g := new(grantRow)
	q := idb.NewSelect().Table(resource.Grants).Column("id", "lead_organisation_id", "donor_reference", "title", "currency_code",
		"start_date", "end_date", "reporting_period_months", "state", "reporting_language").Where("id = ?", id)
	if err := policy.Where(q, policy.Grants(c, "id")).Scan(ctx, g); err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Grants, id)))
	}
	if !policy.CanReadAudit(c, g.ID, g.LeadOrganisationID) {
		return nil, errs.PermissionDenied("the narrative reports of %s are for the grant's coordinators and auditors; "+
			"a partner's texts reach them through approved progress updates", g.name())
	}
	return &access{g: g, canEdit: policy.CanManageGrant(c, g.ID, g.LeadOrganisationID)}, nil
}

// editable is readable for a change: only admins and the grant's
// coordinators. Errors: as readable, and permission for auditors.
func editable(ctx context.Context, idb bun.IDB, id string) (*access, error) {
	a, err := readable(ctx, idb, id)
	if err != nil {
		return nil, err
	}
	if !a.canEdit {
		return nil, errs.PermissionDenied("you may read but not change the narrative reports of %s; ask a coordinator of the grant", a.g.name())
	}
	return a, nil
}

func (s *Service) readTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, fn)
}

// Loaded is a report as read, with what the caller may do with it.
type Loaded struct {
	*Report
	// CallerCanEdit: the caller may compile, edit and submit it (a
	// coordinator, while it is a draft).
	CallerCanEdit bool
}

func loaded(r *Report, a *access) *Loaded {
	return &Loaded{Report: r, CallerCanEdit: a.canEdit && r.State == StateDraft}
}

// Get returns the report of grant grantID's reporting period as last
// compiled, its description, logframe and photos read from the records as
// they are now. Errors: not found (not compiled yet, or a grant hidden from
// the caller), permission, invalid (name: a period the grant does not
// have).
func (s *Service) Get(ctx context.Context, grantID string, period int) (*Loaded, error) {
	var out *Loaded
	err := s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		a, err := readable(ctx, tx, grantID)
		if err != nil {
			return err
		}
		r, err := s.read(ctx, tx, a.g, period)
		if err != nil {
			return err
		}
		out = loaded(r, a)
		return nil
	})
	return out, err
}

// read reads the stored report of g's period with the compiled parts.
func (s *Service) read(ctx context.Context, idb bun.IDB, g *grantRow, period int) (*Report, error) {
	row, err := getReport(ctx, idb, g.ID, period)
	if err != nil {
		return nil, err
	}
	c, err := s.gather(ctx, idb, g, period, "name")
	if err != nil {
		return nil, err
	}
	secs, err := getSections(ctx, idb, row.ID)
	if err != nil {
		return nil, err
	}
	r := c.report
	r.ID, r.State, r.CompileTime, r.Version, r.Sections = row.ID, row.State, row.CompileTime, row.Version, secs
	if row.SubmitTime != nil {
		r.SubmitDate = calendar.Of(*row.SubmitTime)
		r.SubmitterDisplayName = row.SubmitterDisplayName
	}
	return r, nil
}

// Compile compiles the report of grant grantID's reporting period from its
// sources, in one transaction: the first time it creates it; afterwards it
// refreshes every section's compiled text and sources, adds the sections
// of new subjects, drops those whose subject is gone unless edited, and
// never touches an edit (an edited section whose compiled text changed
// shows SourcesChanged). It is recorded in the audit trail. Only the
// grant's coordinators (and admins) may. Errors: not found, permission,
// invalid (name: a period the grant does not have), precondition
// (NARRATIVE_REPORT_SUBMITTED).
func (s *Service) Compile(ctx context.Context, grantID string, period int) (*Loaded, error) {
	var out *Loaded
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := editable(ctx, tx, grantID)
		if err != nil {
			return err
		}
		c, err := s.gather(ctx, tx, a.g, period, "name")
		if err != nil {
			return err
		}
		if err := s.store(ctx, tx, a.g, period, c); err != nil {
			return err
		}
		r, err := s.read(ctx, tx, a.g, period)
		if err != nil {
			return err
		}
		out = loaded(r, a)
		return nil
	})
	return out, err
}

// UpdateSection replaces the text of section key of the report of grant
// grantID's period with the coordinator's (text), or drops the edit
// (useCompiled) so that the compiled text stands again, in one transaction
// recorded in the audit trail. etag is the section's as last read. Only the
// grant's coordinators (and admins) may, while the report is a draft.
// Errors: not found (the report or section), permission, invalid (text,
// etag), aborted (stale etag), precondition (NARRATIVE_REPORT_SUBMITTED).
func (s *Service) UpdateSection(ctx context.Context, grantID string, period int, key, text string, useCompiled bool, etag string) (*Section, error) {
	var out *Section
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := editable(ctx, tx, grantID)
		if err != nil {
			return err
		}
		row, err := getReport(ctx, tx, a.g.ID, period)
		if err != nil {
			return err
		}
		if row.State == StateSubmitted {
			return submittedErr(a.g, period)
		}
		name := SectionName(a.g.ID, period, key)
		sec := new(sectionRow)
		if err := tx.NewSelect().Model(sec).Where("report_id = ? AND key = ?", row.ID, key).Scan(ctx); err != nil {
			return db.Err(err, db.NotFound(name))
		}
		if err := resource.RequireETag(name, etag, sec.Version); err != nil {
			return err
		}
		before := sectionText(sec)
		prev := sec.Version
		if useCompiled {
			sec.EditedText, sec.EditBaseText, sec.EditedBy, sec.EditTime = nil, nil, nil, nil
		} else {
			text = strings.TrimSpace(text)
			if text == "" {
				return errs.Invalid(errs.FieldViolation{Field: "text",
					Description: "is empty: write the section's text, or set use_compiled to take the compiled text again"})
			}
			if n := len([]rune(text)); n > MaxTextLen {
				return errs.Invalid(errs.FieldViolation{Field: "text", Description: fmt.Sprintf("is %d characters long; at most %d", n, MaxTextLen)})
			}
			base := sec.CompiledText
			now := s.now()
			sec.EditedText, sec.EditBaseText, sec.EditTime = &text, &base, &now
			sec.EditedBy = nil
			if c := actor.From(ctx); c.Kind == actor.User && c.UserID != "" {
				sec.EditedBy = &c.UserID
			}
		}
		sec.Version = prev + 1
		res, err := tx.NewUpdate().Model(sec).Column("edited_text", "edit_base_text", "edited_by", "edit_time", "version").
			Where("report_id = ? AND key = ? AND version = ?", row.ID, key, prev).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(name)
		}
		action := "update"
		if useCompiled {
			action = "use_compiled"
		}
		if err := auditRecord(ctx, tx, action, name, a.g.ID, "text", clip(before), clip(sectionText(sec))); err != nil {
			return err
		}
		secs, err := getSections(ctx, tx, row.ID)
		if err != nil {
			return err
		}
		for _, x := range secs {
			if x.Key == key {
				out = x
			}
		}
		return nil
	})
	return out, err
}

// Submit marks the report of grant grantID's period as sent to the donor on
// date ("YYYY-MM-DD"; "" is today), which may not be in the future nor
// before the period's end, and locks it, in one transaction recorded in
// the audit trail. etag is the report's as last read. Only the grant's
// coordinators (and admins) may. Errors: not found, permission, invalid
// (etag, submit_date), aborted (stale etag), precondition
// (NARRATIVE_REPORT_SUBMITTED).
func (s *Service) Submit(ctx context.Context, grantID string, period int, etag, date string) (*Loaded, error) {
	var out *Loaded
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := editable(ctx, tx, grantID)
		if err != nil {
			return err
		}
		row, err := getReport(ctx, tx, a.g.ID, period)
		if err != nil {
			return err
		}
		name := Name(a.g.ID, period)
		if err := resource.RequireETag(name, etag, row.Version); err != nil {
			return err
		}
		if row.State == StateSubmitted {
			return submittedErr(a.g, period)
		}
		today := calendar.Of(s.now())
		d := today
		if date != "" {
			if d, err = calendar.Parse(date); err != nil {
				return errs.Invalid(errs.FieldViolation{Field: "submit_date", Description: err.Error() + "; leave it empty for today"})
			}
		}
		_, end, err := periodDates(ctx, tx, a.g.ID, period, "name")
		if err != nil {
			return err
		}
		switch {
		case d.After(today):
			return errs.Invalid(errs.FieldViolation{Field: "submit_date",
				Description: fmt.Sprintf("%s is in the future; give the day the report was sent, %s at the latest", d, today)})
		case d.Before(end):
			return errs.Invalid(errs.FieldViolation{Field: "submit_date",
				Description: fmt.Sprintf("%s is before the end of reporting period %d (%s); a report is sent once its period is over", d, period, end)})
		}
		t := d.Time()
		row.State, row.SubmitTime, row.Version, row.UpdateTime = StateSubmitted, &t, row.Version+1, s.now()
		row.SubmittedBy = nil
		if c := actor.From(ctx); c.Kind == actor.User && c.UserID != "" {
			row.SubmittedBy = &c.UserID
		}
		res, err := tx.NewUpdate().Model(row).Column("state", "submit_time", "submitted_by", "version", "update_time").
			Where("id = ? AND version = ?", row.ID, row.Version-1).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(name)
		}
		if err := auditRecord(ctx, tx, "submit", name, a.g.ID, "submit_date", "", d.String()); err != nil {
			return err
		}
		r, err := s.read(ctx, tx, a.g, period)
		if err != nil {
			return err
		}
		out = loaded(r, a)
		return nil
	})
	return out, err
}

func submittedErr(g *grantRow, period int) error {
	return errs.Precondition("NARRATIVE_REPORT_SUBMITTED",
		"the narrative report of reporting period %d of %s is marked as submitted and is locked; it can no longer be compiled or edited", period, g.name())
}

func clip(s string) string {
	const limit = 500
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}

// CallerName is the display name of the signed-in caller in ctx, for the
// documents' "generated by" ("" for Pactum itself or an unknown user).
func (s *Service) CallerName(ctx context.Context) string {
	c := actor.From(ctx)
	if c.Kind != actor.User || c.UserID == "" {
		return ""
	}
	var name string
	if err := s.db.NewSelect().Table("users").Column("display_name").Where("id = ?", c.UserID).Scan(ctx, &name); err != nil {
		return ""
	}
	return name
}
