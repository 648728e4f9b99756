package results_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// sheetWorld is the demo data set (seeded as of 23 November 2026) with a
// coordinator and a partner editor of KE-01's organisation.
type sheetWorld struct {
	d           *bun.DB
	data        *demo.Data
	svc         *results.Service
	coordinator context.Context
	partner     context.Context // UDWU, KE-01's coordinating partner
	grant       string          // grant 1: KE-01, NP-01, PH-01; 2024 to 2026, periods of 12 months
}

var sheetToday = calendar.MustParse("2026-11-23")

func newSheetWorld(t testing.TB, d *bun.DB) *sheetWorld {
	t.Helper()
	data, err := demo.Seed(context.Background(), d, sheetToday)
	if err != nil {
		t.Fatal(err)
	}
	svc := results.NewService(d)
	svc.SetClock(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
	lead := data.Organisations["GADW"].ID
	coord := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u-coord", Email: "coord@gadw.example.org",
		Memberships: []actor.Membership{{OrganisationID: lead, Role: actor.RoleCoordinator}}})
	partner := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "u-udwu", Email: "editor@udwu.example.org",
		Memberships: []actor.Membership{{OrganisationID: data.Organisations["UDWU"].ID, Role: actor.RolePartnerEditor}}})
	return &sheetWorld{d: d, data: data, svc: svc, coordinator: coord, partner: partner, grant: data.Grants[0].ID}
}

// indicator returns project code's indicator of code ind.
func (w *sheetWorld) indicator(t *testing.T, project, ind string) *results.Indicator {
	t.Helper()
	list, _, err := w.svc.ListIndicators(w.coordinator, w.data.Projects[project].ID, page.Request{Size: page.MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range list {
		if i.Code == ind {
			return i
		}
	}
	t.Fatalf("%s has no indicator %s", project, ind)
	return nil
}

// row finds a row of the sheet by indicator code, project code ("" for
// the grant's), disaggregation and category.
func row(t *testing.T, rows []results.SheetRow, code, project, disagg, cat string) results.SheetRow {
	t.Helper()
	for _, r := range rows {
		if r.Code == code && r.ProjectCode == project && r.Disagg == disagg && r.Category == cat {
			return r
		}
	}
	t.Fatalf("no row %s/%s/%s/%s", code, project, disagg, cat)
	return results.SheetRow{}
}

// The demo's values, worked out by hand from its seed (internal/demo/results.go)
// for grant 1's projects KE-01 (i=0), NP-01 (i=1), PH-01 (i=2): IND-1's
// target in period k is 120+30i+40(k-1); its actual in an ended period is
// target*(85+5*((i+k)%4))/100, in the running period 3 target*2/5; women
// are 3/5 of it, men 1/3 (integer parts).
//
//	        targets P1 P2 P3    actuals P1 P2 P3    women        men
//	KE-01   120 160 200         108 152  80         64 91 48     36 50 26
//	NP-01   150 190 230         142 190  92         85 114 55    47 63 30
//	PH-01   180 220 260         180 187 104         108 112 62   60 62 34
//
// Grant: targets 450 570 690 (final 1710), actuals 430 529 276 (to date
// 1235), women 739, men 408; by country KE 340 (target 480), NP 424, PH 471.
// IND-2 (cases): targets 105 135 165 (405), actuals 84 108 132 (324).
func TestIndicatorSheetRowsOfTheDemoGrant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newSheetWorld(t, d)
		ke := w.indicator(t, "KE-01", "IND-1")
		if _, err := w.svc.UpdateIndicator(w.coordinator, ke.ProjectID, ke.ID, results.IndicatorInput{OPSYS: results.OPSYS{
			EUCode: "EURF 2.27", EUCorporate: true, BaselineDate: "2024-01-15", DataSource: "Attendance lists of the trainings"}},
			resource.Mask{"eu_code", "eu_corporate", "baseline_date", "data_source"}, ke.ETag()); err != nil {
			t.Fatal(err)
		}
		sh, err := w.svc.IndicatorSheet(w.coordinator, w.grant)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Last != nil || sh.Changed != 0 || !sh.CallerCanSubmit {
			t.Errorf("before any submission: last %v, changed %d, can submit %v", sh.Last, sh.Changed, sh.CallerCanSubmit)
		}
		total := row(t, sh.Rows, "IND-1", "", "", "")
		want := results.SheetRow{EUCode: "EURF 2.27", EUCorporate: true, Baseline: "0", BaselineDate: "2024-01-15", Target: "1710",
			TargetDate: "2026-12-31", CurrentValue: "1235", CurrentDate: "2026-11-23", DataSource: "Attendance lists of the trainings"}
		got := results.SheetRow{EUCode: total.EUCode, EUCorporate: total.EUCorporate, Baseline: total.Baseline, BaselineDate: total.BaselineDate,
			Target: total.Target, TargetDate: total.TargetDate, CurrentValue: total.CurrentValue, CurrentDate: total.CurrentDate, DataSource: total.DataSource}
		if !sameRow(got, want) {
			t.Errorf("IND-1 total\n got %+v\nwant %+v", got, want)
		}
		if len(total.Indicators) != 3 {
			t.Errorf("IND-1 adds up %d indicators, want 3 (one per project)", len(total.Indicators))
		}
		for _, c := range []struct{ d, cat, value, target string }{
			{"sex", "women", "739", ""}, {"sex", "men", "408", ""},
			{"country", "KE", "340", "480"}, {"country", "NP", "424", "570"}, {"country", "PH", "471", "660"},
		} {
			r := row(t, sh.Rows, "IND-1", "", c.d, c.cat)
			if r.CurrentValue != c.value || r.Target != c.target || r.CurrentDate != "2026-11-23" {
				t.Errorf("IND-1 %s %s: value %q target %q date %q, want %q %q 2026-11-23", c.d, c.cat, r.CurrentValue, r.Target, r.CurrentDate, c.value, c.target)
			}
		}
		cases := row(t, sh.Rows, "IND-2", "", "", "")
		if cases.CurrentValue != "324" || cases.Target != "405" || cases.EUCode != "IND-2" || cases.EUCorporate || cases.BaselineDate != "2024-01-01" {
			t.Errorf("IND-2: %+v", cases)
		}
		// A percentage is never summed: one row per project, its last value.
		share := row(t, sh.Rows, "IND-3", "KE-01", "", "")
		if share.CurrentValue != "53" || share.Target != "70" || share.Disagg != "" {
			t.Errorf("IND-3 of KE-01: value %q target %q, want 53 (period 3) and 70", share.CurrentValue, share.Target)
		}
		for _, r := range sh.Rows {
			if r.Code == "IND-3" && r.ProjectCode == "" {
				t.Errorf("a percentage summed over projects: %+v", r)
			}
		}

		// A partner reads only its own projects: not the grant's sheet.
		if _, err := w.svc.IndicatorSheet(w.partner, w.grant); !errs.Is(err, errs.KindPermission) {
			t.Errorf("partner reading the indicator sheet: %v, want permission denied", err)
		}
	})
}

func sameRow(a, b results.SheetRow) bool {
	return a.EUCode == b.EUCode && a.EUCorporate == b.EUCorporate && a.Baseline == b.Baseline && a.BaselineDate == b.BaselineDate &&
		a.Target == b.Target && a.TargetDate == b.TargetDate && a.CurrentValue == b.CurrentValue && a.CurrentDate == b.CurrentDate &&
		a.DataSource == b.DataSource
}

// A submission keeps every row as it was; a value that changes afterwards
// is flagged with both values, and the submission itself does not change.
// A retry with the same request id records once.
func TestIndicatorSubmissionSnapshotAndChanges(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newSheetWorld(t, d)
		const rid = "0193a5b2-7c1d-7e2f-8a3b-4c5d6e7f8a9b"
		first, err := w.svc.RecordSubmission(w.coordinator, w.grant, "OPSYS ref 2026/778", rid)
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.svc.RecordSubmission(w.coordinator, w.grant, "OPSYS ref 2026/778", rid)
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != first.ID {
			t.Errorf("a retry with the same request id recorded another submission: %s, then %s", first.ID, again.ID)
		}
		n, err := d.NewSelect().Table("indicator_submissions").Where("grant_id = ?", w.grant).Count(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("%d submissions stored (%v), want 1", n, err)
		}
		if first.SubmittedBy != "users/u-coord" || first.Note != "OPSYS ref 2026/778" || len(first.Rows) < 20 {
			t.Errorf("submission: by %q note %q, %d rows", first.SubmittedBy, first.Note, len(first.Rows))
		}
		sh, err := w.svc.IndicatorSheet(w.coordinator, w.grant)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Last == nil || sh.Last.ID != first.ID || sh.Changed != 0 {
			t.Fatalf("right after the submission: last %v, %d changed, want none", sh.Last, sh.Changed)
		}
		if r := row(t, sh.Rows, "IND-1", "", "", ""); r.SubmittedValue != "1235" || r.Changed {
			t.Errorf("IND-1 right after: submitted %q changed %v", r.SubmittedValue, r.Changed)
		}

		// KE-01's period 3 grows from 80 to 90 people trained.
		ke := w.indicator(t, "KE-01", "IND-1")
		periods := slices.Clone(ke.Periods)
		for k := range periods {
			if periods[k].Period == 3 {
				periods[k].Actual = "90"
				periods[k].DisaggregatedActuals = nil
			}
		}
		if _, err := w.svc.UpdateIndicator(w.coordinator, ke.ProjectID, ke.ID, results.IndicatorInput{Periods: periods},
			resource.Mask{"periods"}, ke.ETag()); err != nil {
			t.Fatal(err)
		}
		sh, err = w.svc.IndicatorSheet(w.coordinator, w.grant)
		if err != nil {
			t.Fatal(err)
		}
		changed := map[string]string{}
		for _, r := range sh.Rows {
			if r.Changed {
				changed[r.Code+" "+r.Disagg+" "+r.Category] = r.SubmittedValue + " -> " + r.CurrentValue
			}
		}
		// KE-01's period 3 had women 48, men 26 (now no breakdown).
		want := map[string]string{"IND-1  ": "1235 -> 1245", "IND-1 country KE": "340 -> 350",
			"IND-1 sex women": "739 -> 691", "IND-1 sex men": "408 -> 382",
			"IND-1 sex other_or_not_stated": "88 -> 82", "IND-1 age group 15-24": "307 -> 287",
			"IND-1 age group 25-44": "617 -> 577", "IND-1 age group 45+": "304 -> 284"}
		for k, v := range want {
			if changed[k] != v {
				t.Errorf("row %q: changed %q, want %q", k, changed[k], v)
			}
		}
		if sh.Changed != len(changed) || len(changed) != len(want) {
			t.Errorf("%d rows changed %v; want %d", sh.Changed, changed, len(want))
		}
		// A final target set afterwards (KE-01 raises its own from 480 to
		// 500) changes the total's and Kenya's targets: flagged too, with
		// the row as submitted.
		ke = w.indicator(t, "KE-01", "IND-1")
		if _, err := w.svc.UpdateIndicator(w.coordinator, ke.ProjectID, ke.ID, results.IndicatorInput{OPSYS: results.OPSYS{FinalTarget: "500"}},
			resource.Mask{"final_target"}, ke.ETag()); err != nil {
			t.Fatal(err)
		}
		sh, err = w.svc.IndicatorSheet(w.coordinator, w.grant)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			d, cat, target string
			fields         []string
		}{{"", "", "1730", []string{"current_value", "target"}}, {"country", "KE", "500", []string{"current_value", "target"}},
			{"country", "NP", "570", nil}, {"sex", "women", "", []string{"current_value"}}} {
			r := row(t, sh.Rows, "IND-1", "", c.d, c.cat)
			if r.Target != c.target || !slices.Equal(r.ChangedFields, c.fields) || r.Changed != (len(c.fields) > 0) ||
				r.Submitted == nil || (len(c.fields) == 2 && r.Submitted.Target == r.Target) {
				t.Errorf("IND-1 %s %s after the new final target: target %q, changed %v %v, submitted %+v", c.d, c.cat, r.Target, r.Changed, r.ChangedFields, r.Submitted)
			}
		}

		// The submission is as it was.
		subs, _, err := w.svc.ListSubmissions(w.coordinator, w.grant, page.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if len(subs) != 1 || row(t, subs[0].Rows, "IND-1", "", "", "").CurrentValue != "1235" {
			t.Errorf("the stored submission changed: %d submissions", len(subs))
		}

		// Partners do not record submissions; a note too long is refused
		// naming the field.
		if _, err := w.svc.RecordSubmission(w.partner, w.grant, "", ""); !errs.Is(err, errs.KindPermission) {
			t.Errorf("partner recording a submission: %v", err)
		}
		var e *errs.Error
		if _, err := w.svc.RecordSubmission(w.coordinator, w.grant, strings.Repeat("x", 2001), ""); !errors.As(err, &e) || !strings.Contains(err.Error(), "note") {
			t.Errorf("a note of 2001 characters: %v", err)
		}
	})
}

// cellsOf reads a sheet's rows (cached values of formulas).
func cellsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// findRow returns the first row whose cells at the given columns (0-based)
// hold the given texts.
func findRow(rows [][]string, match map[int]string) []string {
	for _, r := range rows {
		ok := true
		for c, v := range match {
			if c >= len(r) || r[c] != v {
				ok = false
				break
			}
		}
		if ok {
			return r
		}
	}
	return nil
}

func workbook(ctx context.Context, t *testing.T, gen func(ctx context.Context, grantID, lang string, out *bytes.Buffer) (string, error), grant, lang string) (*excelize.File, []byte, string) {
	t.Helper()
	var buf bytes.Buffer
	name, err := gen(ctx, grant, lang, &buf)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, buf.Bytes(), name
}
