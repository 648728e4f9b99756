package rpc_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// resFramework creates (as admin) an overall objective, a specific objective
// and an output in project, and returns the output's name.
func resFramework(t *testing.T, e *rpctest.Env, project string) string {
	t.Helper()
	ctx := context.Background()
	mk := func(level pactumv1.ResultLevel, parent, code string) string {
		return must(e.Results.CreateResult(ctx, connect.NewRequest(&pactumv1.CreateResultRequest{Parent: project,
			Result: &pactumv1.Result{Level: level, ParentResult: parent, Code: code, Title: "Result " + code}}))).GetResult().GetName()
	}
	oo := mk(pactumv1.ResultLevel_RESULT_LEVEL_OVERALL_OBJECTIVE, "", "OO")
	so := mk(pactumv1.ResultLevel_RESULT_LEVEL_SPECIFIC_OBJECTIVE, oo, "SO1")
	return mk(pactumv1.ResultLevel_RESULT_LEVEL_OUTPUT, so, "OP1.1")
}

var resSex = &pactumv1.Disaggregation{Name: "sex", Categories: []string{"women", "men", "other_or_not_stated"}}

func resSexValues(women, men string) []*pactumv1.DisaggregatedValue {
	return []*pactumv1.DisaggregatedValue{{Disaggregation: "sex", Category: "women", Value: women}, {Disaggregation: "sex", Category: "men", Value: men}}
}

func resIndicator(t *testing.T, c *rpctest.Clients, project, result, code string, typ pactumv1.IndicatorType, periods ...*pactumv1.IndicatorPeriod) *pactumv1.Indicator {
	t.Helper()
	return must(c.Results.CreateIndicator(context.Background(), connect.NewRequest(&pactumv1.CreateIndicatorRequest{Parent: project,
		Indicator: &pactumv1.Indicator{Result: result, Code: code, Title: "Indicator " + code, Unit: "people", Type: typ, Baseline: "0",
			Disaggregations: []*pactumv1.Disaggregation{resSex}, Periods: periods}}))).GetIndicator()
}

func TestGrantResultsRollup(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		opA, opB := resFramework(t, e, f.pa), resFramework(t, e, f.pb)
		num, pct := pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER, pactumv1.IndicatorType_INDICATOR_TYPE_PERCENTAGE
		// "I1" (people trained), a number, in both projects:
		//   PA: period 1 target 100 actual 80 (women 50 + men 30 = 80: adds up); period 2 target 150 actual 120.
		//   PB: period 1 target 60 actual 70 (women 40 + men 20 = 60 != 70: flagged); period 2 target 90 actual 95.
		resIndicator(t, &e.Clients, f.pa, opA, "I1", num,
			&pactumv1.IndicatorPeriod{Period: 1, Target: "100", Actual: "80", DisaggregatedActuals: resSexValues("50", "30")},
			&pactumv1.IndicatorPeriod{Period: 2, Target: "150", Actual: "120"})
		b1 := resIndicator(t, &e.Clients, f.pb, opB, "I1", num,
			&pactumv1.IndicatorPeriod{Period: 1, Target: "60", Actual: "70", DisaggregatedActuals: resSexValues("40", "20")},
			&pactumv1.IndicatorPeriod{Period: 2, Target: "90", Actual: "95"})
		// "I2", a percentage, in both projects: PA 40% (target 50), PB 75% (target 60); never summed.
		resIndicator(t, &e.Clients, f.pa, opA, "I2", pct, &pactumv1.IndicatorPeriod{Period: 1, Target: "50", Actual: "40"})
		resIndicator(t, &e.Clients, f.pb, opB, "I2", pct, &pactumv1.IndicatorPeriod{Period: 1, Target: "60", Actual: "75"})

		roll := must(e.Results.GetGrantResultsRollup(ctx, connect.NewRequest(&pactumv1.GetGrantResultsRollupRequest{Grant: f.g1}))).GetIndicators()
		if len(roll) != 2 || roll[0].GetCode() != "I1" || roll[1].GetCode() != "I2" {
			t.Fatalf("rollup: %v", roll)
		}
		i1 := roll[0]
		// Period 1: target 100 + 60 = 160, actual 80 + 70 = 150.
		// Period 2: target 150 + 90 = 240, actual 120 + 95 = 215.
		// Total: target 160 + 240 = 400, actual 150 + 215 = 365.
		if len(i1.GetPeriods()) != 2 ||
			i1.GetPeriods()[0].GetTarget() != "160" || i1.GetPeriods()[0].GetActual() != "150" ||
			i1.GetPeriods()[1].GetTarget() != "240" || i1.GetPeriods()[1].GetActual() != "215" {
			t.Errorf("I1 periods: %v", i1.GetPeriods())
		}
		if i1.GetTotalTarget() != "400" || i1.GetTotalActual() != "365" || len(i1.GetIndicators()) != 2 {
			t.Errorf("I1 totals: target %s actual %s over %v; want 400 and 365 over 2", i1.GetTotalTarget(), i1.GetTotalActual(), i1.GetIndicators())
		}
		// Only PB's period 1 is flagged: 40 + 20 = 60, not 70.
		if ms := i1.GetMismatches(); len(ms) != 1 || ms[0].GetIndicator() != b1.GetName() || ms[0].GetPeriod() != 1 ||
			ms[0].GetDisaggregation() != "sex" || ms[0].GetTotal() != "70" || ms[0].GetSum() != "60" {
			t.Errorf("I1 mismatches: %v", ms)
		}
		i2 := roll[1]
		if i2.GetTotalTarget() != "" || i2.GetTotalActual() != "" || len(i2.GetPeriods()) != 0 {
			t.Errorf("percentages were summed: %v", i2)
		}
		if pv := i2.GetProjectValues(); len(pv) != 2 || pv[0].GetActual() != "40" || pv[1].GetActual() != "75" {
			t.Errorf("I2 per project: %v", pv)
		}

		// Partner A's roll-up holds only its own project: I1 actual 80 + 120 = 200, nothing flagged.
		roll = must(f.roles["editorA"].Results.GetGrantResultsRollup(ctx, connect.NewRequest(&pactumv1.GetGrantResultsRollupRequest{Grant: f.g1}))).GetIndicators()
		if len(roll) != 2 || roll[0].GetTotalActual() != "200" || len(roll[0].GetMismatches()) != 0 || len(roll[0].GetIndicators()) != 1 {
			t.Errorf("partner A's rollup: %v", roll)
		}
	})
}

func TestResultsValidationAndETag(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		op := resFramework(t, e, f.pa)
		// An output needs a specific objective above it.
		_, err := e.Results.CreateResult(ctx, connect.NewRequest(&pactumv1.CreateResultRequest{Parent: f.pa,
			Result: &pactumv1.Result{Level: pactumv1.ResultLevel_RESULT_LEVEL_OUTPUT, Title: "Orphan"}}))
		rpctest.ExpectViolation(t, err, "result.parent_result")
		// A number that is not a number, a percentage over 100, a category the indicator does not have.
		_, err = e.Results.CreateIndicator(ctx, connect.NewRequest(&pactumv1.CreateIndicatorRequest{Parent: f.pa,
			Indicator: &pactumv1.Indicator{Result: op, Title: "Trained", Type: pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER,
				Disaggregations: []*pactumv1.Disaggregation{resSex},
				Periods: []*pactumv1.IndicatorPeriod{{Period: 1, Target: "many", DisaggregatedActuals: []*pactumv1.DisaggregatedValue{
					{Disaggregation: "sex", Category: "girls", Value: "3"}}}}}}))
		rpctest.ExpectViolation(t, err, "indicator.periods[0].target")
		rpctest.ExpectViolation(t, err, "indicator.periods[0].disaggregated_actuals[0].category")
		_, err = e.Results.CreateIndicator(ctx, connect.NewRequest(&pactumv1.CreateIndicatorRequest{Parent: f.pa,
			Indicator: &pactumv1.Indicator{Result: op, Title: "Share", Type: pactumv1.IndicatorType_INDICATOR_TYPE_PERCENTAGE,
				Periods: []*pactumv1.IndicatorPeriod{{Period: 1, Target: "120"}}}}))
		rpctest.ExpectViolation(t, err, "indicator.periods[0].target")
		// A result of another project.
		opB := resFramework(t, e, f.pb)
		_, err = e.Results.CreateIndicator(ctx, connect.NewRequest(&pactumv1.CreateIndicatorRequest{Parent: f.pa,
			Indicator: &pactumv1.Indicator{Result: opB, Title: "X", Type: pactumv1.IndicatorType_INDICATOR_TYPE_YES_NO}}))
		rpctest.ExpectViolation(t, err, "indicator.result")

		ind := resIndicator(t, &e.Clients, f.pa, op, "I1", pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER)
		upd := func(etag, target string) (*connect.Response[pactumv1.UpdateIndicatorResponse], error) {
			return e.Results.UpdateIndicator(ctx, connect.NewRequest(&pactumv1.UpdateIndicatorRequest{
				Indicator:  &pactumv1.Indicator{Name: ind.GetName(), Etag: etag, Periods: []*pactumv1.IndicatorPeriod{{Period: 1, Target: target}}},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"periods"}}}))
		}
		res, err := upd(ind.GetEtag(), "10")
		if err != nil || res.Msg.GetIndicator().GetPeriods()[0].GetTarget() != "10" || res.Msg.GetIndicator().GetTitle() != "Indicator I1" {
			t.Fatalf("update: %v %v", res, err)
		}
		_, err = upd(ind.GetEtag(), "20")
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		r := must(e.Results.GetResult(ctx, connect.NewRequest(&pactumv1.GetResultRequest{Name: op})))
		_, err = e.Results.UpdateResult(ctx, connect.NewRequest(&pactumv1.UpdateResultRequest{
			Result: &pactumv1.Result{Name: op, Etag: `"zz"`, Title: "New"}}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		if _, err := e.Results.UpdateResult(ctx, connect.NewRequest(&pactumv1.UpdateResultRequest{
			Result: &pactumv1.Result{Name: op, Etag: r.GetResult().GetEtag(), Title: "New"}})); err != nil {
			t.Fatal(err)
		}
	})
}

func TestActivityLogTotals(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		op := resFramework(t, e, f.pa)
		log := func(c *rpctest.Clients, project string, typ pactumv1.ActivityType, start, country string, w, m, o int32) (*pactumv1.Activity, error) {
			res, err := c.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: project,
				Activity: &pactumv1.Activity{Title: "Activity " + start, Type: typ, StartDate: start, CountryCode: country, Place: "Town",
					Participants: &pactumv1.Participants{Women: w, Men: m, OtherOrNotStated: o}}}))
			return res.Msg.GetActivity(), err
		}
		training, workshop := pactumv1.ActivityType_ACTIVITY_TYPE_TRAINING, pactumv1.ActivityType_ACTIVITY_TYPE_WORKSHOP
		a1, err := log(f.roles["editorA"], f.pa, training, "2025-03-10", "KE", 10, 5, 1) // 16 people
		if err != nil {
			t.Fatal(err)
		}
		if _, err := log(&e.Clients, f.pa, workshop, "2025-06-01", "KE", 20, 0, 0); err != nil { // 20 people
			t.Fatal(err)
		}
		if _, err := log(f.roles["coordinator"], f.pb, training, "2025-03-15", "NP", 7, 8, 0); err != nil { // 15 people
			t.Fatal(err)
		}
		list := func(c *rpctest.Clients, req *pactumv1.ListActivitiesRequest) *pactumv1.ListActivitiesResponse {
			t.Helper()
			return must(c.Activities.ListActivities(ctx, connect.NewRequest(req)))
		}
		check := func(what string, res *pactumv1.ListActivitiesResponse, n, women, men, other, total int32) {
			t.Helper()
			p := res.GetParticipantTotals()
			if res.GetTotalSize() != n || int32(len(res.GetActivities())) != n || p.GetWomen() != women || p.GetMen() != men ||
				p.GetOtherOrNotStated() != other || p.GetTotal() != total {
				t.Errorf("%s: %d activities, totals %v; want %d, %d/%d/%d = %d", what, res.GetTotalSize(), p, n, women, men, other, total)
			}
		}
		// Trainings in every project: 16 + 15 = 31 (women 10 + 7, men 5 + 8, other 1 + 0).
		check("trainings", list(&e.Clients, &pactumv1.ListActivitiesRequest{Parent: "projects/-", Type: training}), 2, 17, 13, 1, 31)
		// Kenya: 16 + 20 = 36.
		check("Kenya", list(&e.Clients, &pactumv1.ListActivitiesRequest{Parent: "projects/-", CountryCode: "KE"}), 2, 30, 5, 1, 36)
		// Project PB: 15.
		check("PB", list(&e.Clients, &pactumv1.ListActivitiesRequest{Parent: f.pb}), 1, 7, 8, 0, 15)
		// From May 2025 on: only the workshop, 20.
		check("period", list(&e.Clients, &pactumv1.ListActivitiesRequest{Parent: "projects/-", Grant: f.g1, StartDate: "2025-05-01", EndDate: "2025-12-31"}), 1, 20, 0, 0, 20)
		// Partner A's trainings: only its own, 16.
		check("A's trainings", list(f.roles["editorA"], &pactumv1.ListActivitiesRequest{Parent: "projects/-", Type: training}), 1, 10, 5, 1, 16)
		// Paging keeps the totals of the whole filter.
		pg := list(&e.Clients, &pactumv1.ListActivitiesRequest{Parent: "projects/-", PageSize: 1})
		if len(pg.GetActivities()) != 1 || pg.GetNextPageToken() == "" || pg.GetParticipantTotals().GetTotal() != 51 {
			t.Errorf("first page: %v", pg)
		}

		// Newest first, across pages: 2025-06-01, 2025-03-15, 2025-03-10.
		var starts []string
		req := &pactumv1.ListActivitiesRequest{Parent: "projects/-", PageSize: 1, OrderBy: "start_date desc"}
		for {
			pg := list(&e.Clients, req)
			for _, a := range pg.GetActivities() {
				starts = append(starts, a.GetStartDate())
			}
			if req.PageToken = pg.GetNextPageToken(); req.PageToken == "" {
				break
			}
		}
		if !slices.Equal(starts, []string{"2025-06-01", "2025-03-15", "2025-03-10"}) {
			t.Errorf("newest first: %v", starts)
		}
		_, err = e.Activities.ListActivities(ctx, connect.NewRequest(&pactumv1.ListActivitiesRequest{Parent: "projects/-", OrderBy: "title"}))
		rpctest.ExpectViolation(t, err, "order_by")

		// Age groups are added up over every matching activity, not the page:
		// two activities with a breakdown (15-24: 4 + 6, 25-34: 6 + 0, 35+: 0 + 3),
		// the three without one counted apart (16 + 20 + 15).
		aged := func(start string, w, m int32, ages ...*pactumv1.AgeGroupCount) {
			_, err := e.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: f.pb,
				Activity: &pactumv1.Activity{Title: "Aged " + start, Type: workshop, StartDate: start, CountryCode: "NP",
					Participants: &pactumv1.Participants{Women: w, Men: m}, ParticipantsByAge: ages}}))
			if err != nil {
				t.Fatal(err)
			}
		}
		aged("2025-07-01", 6, 4, &pactumv1.AgeGroupCount{AgeGroup: "15-24", Count: 4}, &pactumv1.AgeGroupCount{AgeGroup: "25-34", Count: 6})
		aged("2025-07-02", 5, 4, &pactumv1.AgeGroupCount{AgeGroup: "15-24", Count: 6}, &pactumv1.AgeGroupCount{AgeGroup: "35+", Count: 3})
		ages := list(&e.Clients, &pactumv1.ListActivitiesRequest{Parent: "projects/-", PageSize: 1})
		var got []string
		for _, g := range ages.GetParticipantsByAgeTotals() {
			got = append(got, fmt.Sprintf("%s=%d", g.GetAgeGroup(), g.GetCount()))
		}
		if !slices.Equal(got, []string{"15-24=10", "25-34=6", "35+=3"}) || ages.GetParticipantsWithoutAge() != 51 {
			t.Errorf("age totals: %v, without age %d; want 15-24=10 25-34=6 35+=3, 51", got, ages.GetParticipantsWithoutAge())
		}

		// Bad input names the field.
		_, err = e.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: f.pa,
			Activity: &pactumv1.Activity{Title: "Ages", Type: training, StartDate: "2025-04-01",
				Participants:      &pactumv1.Participants{Women: 3, Men: 2},
				ParticipantsByAge: []*pactumv1.AgeGroupCount{{AgeGroup: "15-24", Count: 4}}}}))
		rpctest.ExpectViolation(t, err, "activity.participants_by_age")
		_, err = e.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: f.pa,
			Activity: &pactumv1.Activity{Title: "Dates", Type: training, StartDate: "2025-04-01", EndDate: "2025-03-01"}}))
		rpctest.ExpectViolation(t, err, "activity.end_date")
		_, err = e.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: f.pa,
			Activity: &pactumv1.Activity{Type: training, StartDate: "2025-04-01"}}))
		rpctest.ExpectViolation(t, err, "activity.title")

		// Serving an output; a stale etag is refused.
		upd := func(etag string) (*connect.Response[pactumv1.UpdateActivityResponse], error) {
			return f.roles["editorA"].Activities.UpdateActivity(ctx, connect.NewRequest(&pactumv1.UpdateActivityRequest{
				Activity:   &pactumv1.Activity{Name: a1.GetName(), Etag: etag, Outputs: []string{op}},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"outputs"}}}))
		}
		res, err := upd(a1.GetEtag())
		if err != nil || len(res.Msg.GetActivity().GetOutputs()) != 1 || res.Msg.GetActivity().GetParticipants().GetTotal() != 16 {
			t.Fatalf("update: %v %v", res, err)
		}
		_, err = upd(a1.GetEtag())
		rpctest.ExpectCode(t, err, connect.CodeAborted)
	})
}
