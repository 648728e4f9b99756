package narrative_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// world is the demo data set with its photos, and the narrative service.
type world struct {
	d       *bun.DB
	data    *demo.Data
	svc     *narrative.Service
	grantID string
	period  int // the reporting period of the first grant's approved update
	from    calendar.Date
	to      calendar.Date
}

func seed(t *testing.T, d *bun.DB) *world {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	data, err := demo.Seed(ctx, d, calendar.Today())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Users(ctx, d, data); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	blobs, err := blob.NewFS(filepath.Join(dir, "files"), dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedPhotos(ctx, d, blobs, data); err != nil {
		t.Fatal(err)
	}
	w := &world{d: d, data: data, svc: narrative.NewService(d, blobs), grantID: data.Grants[0].ID}
	var approved []*progress.Update
	if err := d.NewSelect().Model(&approved).ColumnExpr("pu.*").Where("pu.grant_id = ? AND pu.state = ?", w.grantID, progress.StateApproved).
		Scan(ctx); err != nil || len(approved) == 0 {
		t.Fatalf("the demo's first grant has no approved update (%v)", err)
	}
	u, err := progress.NewService(d).Get(ctx, approved[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	w.period = u.ReportingPeriod
	ps, err := milestone.GrantPeriods(ctx, d, w.grantID)
	if err != nil {
		t.Fatal(err)
	}
	w.from, w.to = ps[w.period-1].Start, ps[w.period-1].End
	return w
}

func (w *world) updates(t *testing.T) []*progress.Update {
	var all []*progress.Update
	if err := w.d.NewSelect().Model(&all).ColumnExpr("pu.*").Where("pu.grant_id = ?", w.grantID).Order("pu.id").
		Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return all
}

func section(r *narrative.Report, key string) *narrative.Section {
	for _, s := range r.Sections {
		if s.Key == key {
			return s
		}
	}
	return nil
}

func allText(r *narrative.Report) string {
	var b strings.Builder
	for _, s := range r.Sections {
		b.WriteString(s.Text())
		b.WriteString("\n")
		b.WriteString(s.CompiledText)
		b.WriteString("\n")
	}
	return b.String()
}

// firstSentence is an update's own sentence (the demo's updates share the
// rest of their texts).
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

func TestCompileTheDemoGrantsPeriodReport(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := seed(t, d)
		ctx := actor.SystemContext(context.Background())
		if _, err := w.svc.Get(ctx, w.grantID, w.period); !errs.Is(err, errs.KindNotFound) {
			t.Fatalf("Get before compiling: %v, want not found", err)
		}
		l, err := w.svc.Compile(ctx, w.grantID, w.period)
		if err != nil {
			t.Fatal(err)
		}
		r := l.Report
		if r.State != narrative.StateDraft || !l.CallerCanEdit || r.Language != "en" {
			t.Errorf("state %s, can edit %v, language %q", r.State, l.CallerCanEdit, r.Language)
		}
		keys := []string{}
		for _, s := range r.Sections {
			keys = append(keys, s.Key)
		}
		if keys[0] != "executive-summary" || keys[len(keys)-1] != "records" {
			t.Errorf("sections %v: the executive summary first, the records last", keys)
		}

		// Each approved update's achievements are in its partner's
		// section, with the update as a source; the others' texts nowhere.
		text := allText(r)
		approved, left := 0, 0
		for _, u := range w.updates(t) {
			if u.State == progress.StateApproved {
				approved++
				s := section(r, "partners-"+u.OrganisationID)
				if s == nil || !strings.Contains(s.CompiledText, u.Achievements) || !strings.Contains(s.CompiledText, u.ChangesToPlans) {
					t.Errorf("approved update %s: its achievements are not in section partners-%s", u.ID, u.OrganisationID)
					continue
				}
				found := false
				for _, src := range s.Sources {
					found = found || (src.Name == u.Name() && src.Kind == narrative.SourceProgressUpdate && src.DisplayName != "")
				}
				if !found {
					t.Errorf("section %s does not name update %s among its sources: %+v", s.Key, u.Name(), s.Sources)
				}
				continue
			}
			if u.Achievements == "" {
				continue
			}
			left++
			if strings.Contains(text, firstSentence(u.Achievements)) || strings.Contains(text, u.ChangesToPlans) {
				t.Errorf("the %s update %s is in the report: %q", u.State, u.ID, firstSentence(u.Achievements))
			}
		}
		if approved == 0 || left < 2 {
			t.Fatalf("the demo grant has %d approved and %d other updates with text; want at least 1 and 2", approved, left)
		}
		if r.UpdatesIncluded != approved {
			t.Errorf("updates included %d, want %d", r.UpdatesIncluded, approved)
		}
		if r.UpdatesNotApproved < left {
			t.Errorf("updates not approved %d, want at least %d", r.UpdatesNotApproved, left)
		}

		// Women and men: a hand count of the activity log.
		var period, toDate struct {
			Women int `bun:"women"`
			Men   int `bun:"men"`
			N     int `bun:"n"`
		}
		sum := func(into any, q string, args ...any) {
			if err := d.NewRaw("SELECT COALESCE(SUM(women), 0) AS women, COALESCE(SUM(men), 0) AS men, COUNT(*) AS n FROM activities WHERE "+q, args...).
				Scan(ctx, into); err != nil {
				t.Fatal(err)
			}
		}
		sum(&period, "grant_id = ? AND start_date >= ? AND start_date <= ?", w.grantID, w.from.String(), w.to.String())
		sum(&toDate, "grant_id = ? AND start_date <= ?", w.grantID, w.to.String())
		got := r.Description
		if period.N == 0 || got.ParticipantsPeriod.Women != period.Women || got.ParticipantsPeriod.Men != period.Men || got.ActivitiesPeriod != period.N {
			t.Errorf("period: %d activities, %d women, %d men; the log says %d, %d, %d", got.ActivitiesPeriod,
				got.ParticipantsPeriod.Women, got.ParticipantsPeriod.Men, period.N, period.Women, period.Men)
		}
		if got.ParticipantsToDate.Women != toDate.Women || got.ParticipantsToDate.Men != toDate.Men {
			t.Errorf("to date: %d women, %d men; the log says %d, %d", got.ParticipantsToDate.Women, got.ParticipantsToDate.Men, toDate.Women, toDate.Men)
		}
		if !strings.Contains(section(r, "executive-summary").CompiledText, itoa(period.Women)+" women") {
			t.Errorf("the executive summary does not give the women reached: %q", section(r, "executive-summary").CompiledText)
		}
		if got.Coordinator.DisplayName == "" || got.ContactName == "" || got.ContactEmail == "" || len(got.Partners) == 0 ||
			len(got.TargetCountries) == 0 || len(got.CountriesOfActivity) == 0 || got.ContractNumber != w.data.Grants[0].DonorReference {
			t.Errorf("description incomplete: %+v", got)
		}
		for _, p := range got.Partners {
			if p.Role != "co_beneficiary" && p.Role != "affiliated_entity" && p.Role != "associate" {
				t.Errorf("partner %s has role %q", p.DisplayName, p.Role)
			}
		}

		// Every project's indicator value of the period is in the
		// logframe, as that partner's value.
		var inds []*results.Indicator
		if err := d.NewSelect().Model(&inds).Where("i.grant_id = ?", w.grantID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, ind := range inds {
			for _, p := range ind.Periods {
				if p.Period != w.period || p.Actual == "" {
					continue
				}
				found := false
				for _, row := range r.Logframe {
					for _, pv := range row.PartnerValues {
						if pv.Indicator == ind.Name() && pv.Achieved == p.Actual && pv.OrganisationDisplayName != "" {
							found = true
						}
					}
				}
				if !found {
					t.Errorf("indicator %s: the period's value %s of its partner is not in the logframe", ind.Name(), p.Actual)
				}
				checked++
			}
		}
		if checked == 0 {
			t.Fatal("no indicator value in the period to check")
		}

		// Photos: only those with consent; the rest counted.
		for _, p := range r.Photos {
			var consent bool
			if err := d.NewSelect().Table("attachments").Column("consent").Where("id = ?", p.Name[strings.LastIndex(p.Name, "/")+1:]).
				Scan(ctx, &consent); err != nil || !consent {
				t.Errorf("photo %s in the report without consent (%v)", p.Name, err)
			}
			rc, err := p.Open()
			if err != nil {
				t.Errorf("photo %s: %v", p.Name, err)
				continue
			}
			_ = rc.Close()
			if p.Caption == "" || p.Credit == "" {
				t.Errorf("photo %s without caption or credit", p.Name)
			}
		}
		var without int
		if err := d.NewRaw(`SELECT COUNT(*) FROM attachments AS att JOIN activities AS a ON att.owner LIKE '%/activities/' || a.id
			WHERE NOT att.consent AND a.grant_id = ? AND a.start_date >= ? AND a.start_date <= ?`, w.grantID, w.from.String(), w.to.String()).
			Scan(ctx, &without); err != nil {
			t.Fatal(err)
		}
		if r.PhotosWithoutConsent != without || len(r.Photos) == 0 {
			t.Errorf("%d photos in, %d without consent; the period's activities hold %d without", len(r.Photos), r.PhotosWithoutConsent, without)
		}

		// The demo's period is the grant's last: its contracts above
		// EUR 60,000, and only those.
		if r.Kind == narrative.KindFinal {
			if len(r.ProcurementContracts) != 1 || r.ProcurementContracts[0].Amount != "84500.00" {
				t.Errorf("procurement contracts %+v, want the one of 84500.00", r.ProcurementContracts)
			}
		} else if len(r.ProcurementContracts) != 0 {
			t.Errorf("an interim report lists procurement contracts: %+v", r.ProcurementContracts)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestCoordinatorsEditSurvivesCompilingAgainAndSubmitLocks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := seed(t, d)
		ctx := actor.SystemContext(context.Background())
		l, err := w.svc.Compile(ctx, w.grantID, w.period)
		if err != nil {
			t.Fatal(err)
		}
		sum := section(l.Report, "executive-summary")
		edit := "The coordinator's own summary of the period, written for the donor."
		_, err = w.svc.UpdateSection(ctx, w.grantID, w.period, sum.Key, edit, false, "\"stale\"")
		if !errs.Is(err, errs.KindAborted) {
			t.Fatalf("edit with a stale etag: %v, want aborted", err)
		}
		if _, err := w.svc.UpdateSection(ctx, w.grantID, w.period, sum.Key, "  ", false, etag(sum.Version)); !errs.Is(err, errs.KindInvalid) {
			t.Fatalf("an empty edit: %v, want invalid", err)
		}
		got, err := w.svc.UpdateSection(ctx, w.grantID, w.period, sum.Key, edit, false, etag(sum.Version))
		if err != nil {
			t.Fatal(err)
		}
		if got.Text() != edit || got.SourcesChanged || got.EditBaseText == nil || *got.EditBaseText != sum.CompiledText {
			t.Fatalf("after the edit: text %q, sources changed %v", got.Text(), got.SourcesChanged)
		}

		// Another update is approved: the submitted one of the grant.
		ps := progress.NewService(d)
		var submitted []*progress.Update
		if err := d.NewSelect().Model(&submitted).ColumnExpr("pu.*").Where("pu.grant_id = ? AND pu.state = ?", w.grantID, progress.StateSubmitted).
			Scan(ctx); err != nil || len(submitted) == 0 {
			t.Fatalf("no submitted update to approve (%v)", err)
		}
		u, err := ps.Get(ctx, submitted[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.ReportingPeriod != w.period {
			t.Fatalf("the submitted update is of period %d, the report of %d", u.ReportingPeriod, w.period)
		}
		if _, err := ps.Approve(ctx, u.ID, u.ETag(), "Approved."); err != nil {
			t.Fatal(err)
		}
		l, err = w.svc.Compile(ctx, w.grantID, w.period)
		if err != nil {
			t.Fatal(err)
		}
		after := section(l.Report, "executive-summary")
		if after.Text() != edit || after.EditedText == nil {
			t.Errorf("compiling again lost the edit: %q", after.Text())
		}
		if !after.SourcesChanged || after.EditBaseText == nil || *after.EditBaseText != sum.CompiledText || after.CompiledText == sum.CompiledText {
			t.Errorf("the summary's sources changed (one more approved update) but SourcesChanged is %v", after.SourcesChanged)
		}
		if !strings.Contains(after.CompiledText, "approved for the period: "+itoa(l.UpdatesIncluded)) {
			t.Errorf("the new compiled text does not count %d approved updates: %q", l.UpdatesIncluded, after.CompiledText)
		}
		if s := section(l.Report, "partners-"+u.OrganisationID); s == nil || !strings.Contains(s.CompiledText, u.Achievements) {
			t.Errorf("the newly approved update is not in a partner section")
		}

		// use_compiled drops the edit.
		back, err := w.svc.UpdateSection(ctx, w.grantID, w.period, after.Key, "", true, etag(after.Version))
		if err != nil {
			t.Fatal(err)
		}
		if back.EditedText != nil || back.Text() != after.CompiledText || back.SourcesChanged {
			t.Errorf("use_compiled: text %q, edited %v", back.Text(), back.EditedText != nil)
		}

		// Submit: a stale etag, a future date and one before the period's
		// end are refused; then it locks.
		w.svc.SetClock(func() time.Time { return w.to.AddDays(20).Time().Add(10 * time.Hour) })
		if _, err := w.svc.Submit(ctx, w.grantID, w.period, "\"stale\"", ""); !errs.Is(err, errs.KindAborted) {
			t.Errorf("submit with a stale etag: %v, want aborted", err)
		}
		e := etag(l.Version)
		for _, date := range []string{w.to.AddDays(21).String(), w.to.AddDays(-1).String(), "31/12/2026"} {
			if _, err := w.svc.Submit(ctx, w.grantID, w.period, e, date); !errs.Is(err, errs.KindInvalid) {
				t.Errorf("submit on %s: %v, want invalid", date, err)
			}
		}
		sub, err := w.svc.Submit(ctx, w.grantID, w.period, e, w.to.AddDays(5).String())
		if err != nil {
			t.Fatal(err)
		}
		if sub.State != narrative.StateSubmitted || sub.SubmitDate != w.to.AddDays(5) || sub.CallerCanEdit {
			t.Errorf("submitted: state %s, date %s, can edit %v", sub.State, sub.SubmitDate, sub.CallerCanEdit)
		}
		if _, err := w.svc.Compile(ctx, w.grantID, w.period); !errs.Is(err, errs.KindPrecondition) {
			t.Errorf("compile once submitted: %v, want precondition", err)
		}
		rec := section(sub.Report, "records")
		if _, err := w.svc.UpdateSection(ctx, w.grantID, w.period, rec.Key, "Late change", false, etag(rec.Version)); !errs.Is(err, errs.KindPrecondition) {
			t.Errorf("edit once submitted: %v, want precondition", err)
		}
		if _, err := w.svc.Submit(ctx, w.grantID, w.period, etag(sub.Version), ""); !errs.Is(err, errs.KindPrecondition) {
			t.Errorf("submit twice: %v, want precondition", err)
		}
		// The trail records each step.
		var actions []string
		if err := d.NewSelect().Table("audit_events").Column("action").Where("resource LIKE ?", "grants/"+w.grantID+"/narrativeReports/%").
			Order("seq").Scan(ctx, &actions); err != nil {
			t.Fatal(err)
		}
		if want := "create update compile use_compiled submit"; strings.Join(actions, " ") != want {
			t.Errorf("audit actions %v, want %s", actions, want)
		}
	})
}

func etag(v int64) string { return resource.ETag(v) }
