package rpc_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/actor"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// A progress update says who writes it (the partner's editors, not the
// coordinator who reviews it), carries the comment it was returned with,
// and suggests values for the indicators that count people from the
// activities logged in its period.
func TestProgressUpdateReviewAndSuggestions(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		puClock(e, "2025-07-01")
		editor := e.As(t, rpctest.Member(actor.RolePartnerEditor, id(f.a)))
		coord := e.As(t, rpctest.Member(actor.RoleCoordinator, id(f.lead)))
		ms := puMilestone(t, e, f.g1, f.pa, f.a, "2025-04-01", "2025-06-30", "2025-07-15")
		op := resFramework(t, e, f.pa)
		num := pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER
		// Linked: trained (sex and age group); by unit: reached ("personnes
		// atteintes", no activity linked); neither: cases.
		age := &pactumv1.Disaggregation{Name: "age group", Categories: []string{"15-24", "25-44", "45+"}}
		mkInd := func(code, unit string, ds ...*pactumv1.Disaggregation) string {
			return must(coord.Results.CreateIndicator(ctx, connect.NewRequest(&pactumv1.CreateIndicatorRequest{Parent: f.pa,
				Indicator: &pactumv1.Indicator{Result: op, Code: code, Title: "Indicator " + code, Unit: unit, Type: num, Disaggregations: ds}}))).GetIndicator().GetName()
		}
		trained := mkInd("T1", "trainees", resSex, age)
		reached := mkInd("R1", "personnes atteintes", resSex)
		cases := mkInd("C1", "cases")
		mkAct := func(start string, women, men int32, byAge []*pactumv1.AgeGroupCount, inds ...string) string {
			return must(editor.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: f.pa,
				Activity: &pactumv1.Activity{Title: "Training " + start, Type: pactumv1.ActivityType_ACTIVITY_TYPE_TRAINING, StartDate: start,
					CountryCode: "KE", Participants: &pactumv1.Participants{Women: women, Men: men}, ParticipantsByAge: byAge, Indicators: inds}}))).GetActivity().GetName()
		}
		a1 := mkAct("2025-04-10", 12, 3, []*pactumv1.AgeGroupCount{{AgeGroup: "15-24", Count: 5}, {AgeGroup: "25-44", Count: 10}}, trained)
		a2 := mkAct("2025-06-20", 9, 1, []*pactumv1.AgeGroupCount{{AgeGroup: "25-44", Count: 6}, {AgeGroup: "45+", Count: 4}}, trained)
		a3 := mkAct("2025-05-02", 7, 0, nil)      // no indicator linked
		mkAct("2025-07-02", 50, 50, nil, trained) // after the period
		mkAct("2025-03-31", 40, 40, nil, trained) // before it

		u := puCreate(t, editor, ms)
		got := must(editor.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: u.GetName()}))).GetProgressUpdate()
		if got.GetTitleGenerated() || got.GetTitle() != "Progress update 2025-07-15" {
			t.Errorf("a title typed by a coordinator: %q, generated %v", got.GetTitle(), got.GetTitleGenerated())
		}
		// A title Pactum generated for the milestone is said to be one: the app
		// names the update by its kind and reporting period instead.
		if _, err := e.DB.NewUpdate().Table("milestones").Set("generator_key = ?", "probe").Set("title = ?", "Partner progress update, period 5").
			Where("id = ?", strings.TrimPrefix(ms, "milestones/")).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if g := must(editor.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: u.GetName()}))).GetProgressUpdate(); !g.GetTitleGenerated() {
			t.Errorf("a generated title: %q, generated %v", g.GetTitle(), g.GetTitleGenerated())
		}
		rows := must(coord.Progress.GetGrantProgressOverview(ctx, connect.NewRequest(&pactumv1.GetGrantProgressOverviewRequest{Grant: f.g1}))).GetRows()
		if i := slices.IndexFunc(rows, func(r *pactumv1.ProgressOverviewRow) bool { return r.GetMilestone() == ms }); i < 0 || !rows[i].GetTitleGenerated() {
			t.Errorf("the overview does not say the title was generated: %v", rows)
		}
		if !got.GetCallerWrites() || !got.GetCallerCanEdit() {
			t.Errorf("the partner editor: writes %v, edit %v", got.GetCallerWrites(), got.GetCallerCanEdit())
		}
		sugg := map[string]*pactumv1.IndicatorSuggestion{}
		for _, s := range got.GetIndicatorSuggestions() {
			sugg[s.GetIndicator()] = s
		}
		if len(sugg) != 2 || sugg[cases] != nil {
			t.Fatalf("suggestions for %d indicators, want trained and reached: %v", len(sugg), got.GetIndicatorSuggestions())
		}
		s := sugg[trained]
		dis := func(s *pactumv1.IndicatorSuggestion) map[string]string {
			m := map[string]string{}
			for _, d := range s.GetDisaggregatedValues() {
				m[d.GetDisaggregation()+"/"+d.GetCategory()] = d.GetValue()
			}
			return m
		}
		if s.GetValue() != "25" || !s.GetLinked() || s.GetParticipants().GetWomen() != 21 || s.GetParticipants().GetMen() != 4 ||
			!slices.Equal(s.GetActivities(), []string{a1, a2}) {
			t.Errorf("trained: %v", s)
		}
		if d := dis(s); d["sex/women"] != "21" || d["sex/men"] != "4" || d["sex/other_or_not_stated"] != "0" ||
			d["age group/15-24"] != "5" || d["age group/25-44"] != "16" || d["age group/45+"] != "4" {
			t.Errorf("trained broken down as %v", d)
		}
		r := sugg[reached]
		if r.GetValue() != "32" || r.GetLinked() || len(r.GetActivities()) != 3 || !slices.Contains(r.GetActivities(), a3) {
			t.Errorf("reached (by unit, every activity of the period): %v", r)
		}
		if d := dis(r); d["sex/women"] != "28" || d["sex/men"] != "4" {
			t.Errorf("reached broken down as %v", d)
		}

		// The coordinator may edit but does not write it: the app shows them
		// the update to review, not the partner's form.
		cg := must(coord.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: u.GetName()}))).GetProgressUpdate()
		if cg.GetCallerWrites() || !cg.GetCallerCanEdit() {
			t.Errorf("the coordinator: writes %v, edit %v", cg.GetCallerWrites(), cg.GetCallerCanEdit())
		}

		// Returned: the comment comes with the update, in lists too.
		u, err := puUpdate(editor, &pactumv1.ProgressUpdate{Name: u.GetName(), Etag: got.GetEtag(), Achievements: "Trained"}, "achievements")
		rpctest.ExpectCode(t, err, 0)
		u, err = puSubmit(editor, u.GetName(), u.GetEtag(), "")
		rpctest.ExpectCode(t, err, 0)
		if len(u.GetIndicatorSuggestions()) != 0 {
			t.Errorf("a submitted update suggests nothing: %v", u.GetIndicatorSuggestions())
		}
		_, err = puReturn(coord, u.GetName(), u.GetEtag(), "First comment")
		rpctest.ExpectCode(t, err, 0)
		list := must(editor.Progress.ListProgressUpdates(ctx, connect.NewRequest(&pactumv1.ListProgressUpdatesRequest{Organisation: f.a}))).GetProgressUpdates()
		if len(list) != 1 || list[0].GetReturnComment() != "First comment" || list[0].GetState() != pactumv1.ProgressUpdateState_PROGRESS_UPDATE_STATE_RETURNED {
			t.Fatalf("listed: %v", list)
		}
		u = list[0]
		u, err = puSubmit(editor, u.GetName(), u.GetEtag(), "")
		rpctest.ExpectCode(t, err, 0)
		if u.GetReturnComment() != "" {
			t.Errorf("resubmitted, still the return comment %q", u.GetReturnComment())
		}
		_, err = puReturn(coord, u.GetName(), u.GetEtag(), "Second comment")
		rpctest.ExpectCode(t, err, 0)
		cg = must(coord.Progress.GetProgressUpdate(ctx, connect.NewRequest(&pactumv1.GetProgressUpdateRequest{Name: u.GetName()}))).GetProgressUpdate()
		if cg.GetReturnComment() != "Second comment" || cg.GetCallerWrites() {
			t.Errorf("returned twice, the coordinator reads %q, writes %v", cg.GetReturnComment(), cg.GetCallerWrites())
		}
	})
}
