package rpc_test

import (
	"context"
	"fmt"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, resultsMatrixCases) }

// resNewResult creates (as admin) an overall objective in project.
func resNewResult(f *fixture, project string) *pactumv1.Result {
	return must(f.e.Results.CreateResult(context.Background(), connect.NewRequest(&pactumv1.CreateResultRequest{Parent: project,
		Result: &pactumv1.Result{Level: pactumv1.ResultLevel_RESULT_LEVEL_OVERALL_OBJECTIVE, Code: fmt.Sprintf("OO%d", f.next()), Title: "Objective"}}))).GetResult()
}

// resNewIndicator creates (as admin) a number indicator "M1" in project.
func resNewIndicator(f *fixture, project string) *pactumv1.Indicator {
	r := resNewResult(f, project)
	return must(f.e.Results.CreateIndicator(context.Background(), connect.NewRequest(&pactumv1.CreateIndicatorRequest{Parent: project,
		Indicator: &pactumv1.Indicator{Result: r.GetName(), Code: "M1", Title: "People reached", Type: pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER,
			Periods: []*pactumv1.IndicatorPeriod{{Period: 1, Target: "10", Actual: "5"}}}}))).GetIndicator()
}

// resNewActivity logs (as admin) a training in project.
func resNewActivity(f *fixture, project, country string) *pactumv1.Activity {
	return must(f.e.Activities.CreateActivity(context.Background(), connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: project,
		Activity: &pactumv1.Activity{Title: "Training", Type: pactumv1.ActivityType_ACTIVITY_TYPE_TRAINING, StartDate: "2025-05-05",
			CountryCode: country, Participants: &pactumv1.Participants{Women: 3, Men: 2}}}))).GetActivity()
}

// resRemember keeps what the last list case created on the fixture: sees
// and notSees run after the call.
func resRemember(f *fixture, a, b string) { f.resMade = [2]string{a, b} }

func resRecall(f *fixture) [2]string { return f.resMade }

// resultsMatrixCases: a project's results framework and activities are read
// by the grant's coordinators, finance staff and auditors, and by the
// partners of that project only: partner A never reads partner B's results,
// indicators or activities (not found). Coordinators change the framework;
// coordinators and partner A's editors log A's activities.
func resultsMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	pa := func(f *fixture) string { return f.pa }
	pb := func(f *fixture) string { return f.pb }
	readA := every(ok, "coordinator2", nf)
	readB := every(ok, "editorA,viewerA,coordinator2", nf)
	manageA := every(pd, "admin,coordinator", ok, "coordinator2", nf)
	manageB := every(pd, "admin,coordinator", ok, "editorA,viewerA,coordinator2", nf)
	logA := every(pd, "admin,coordinator,editorA", ok, "coordinator2", nf)
	type call = func(*testing.T, *fixture, *rpctest.Clients) ([]string, error)
	listResults := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Results.ListResults(ctx, connect.NewRequest(&pactumv1.ListResultsRequest{Parent: p(f)})))
		}
	}
	getResult := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Results.GetResult(ctx, connect.NewRequest(&pactumv1.GetResultRequest{Name: resNewResult(f, p(f)).GetName()})))
		}
	}
	createResult := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Results.CreateResult(ctx, connect.NewRequest(&pactumv1.CreateResultRequest{Parent: p(f),
				Result: &pactumv1.Result{Level: pactumv1.ResultLevel_RESULT_LEVEL_OVERALL_OBJECTIVE, Title: "Objective"}})))
		}
	}
	updateResult := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			r := resNewResult(f, p(f))
			return noNames(c.Results.UpdateResult(ctx, connect.NewRequest(&pactumv1.UpdateResultRequest{
				Result: &pactumv1.Result{Name: r.GetName(), Etag: f.e.ETag(r.GetName()), Title: "Renamed"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}})))
		}
	}
	listIndicators := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Results.ListIndicators(ctx, connect.NewRequest(&pactumv1.ListIndicatorsRequest{Parent: p(f)})))
		}
	}
	getIndicator := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Results.GetIndicator(ctx, connect.NewRequest(&pactumv1.GetIndicatorRequest{Name: resNewIndicator(f, p(f)).GetName()})))
		}
	}
	createIndicator := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			r := resNewResult(f, p(f))
			return noNames(c.Results.CreateIndicator(ctx, connect.NewRequest(&pactumv1.CreateIndicatorRequest{Parent: p(f),
				Indicator: &pactumv1.Indicator{Result: r.GetName(), Title: "Done", Type: pactumv1.IndicatorType_INDICATOR_TYPE_YES_NO}})))
		}
	}
	updateIndicator := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			i := resNewIndicator(f, p(f))
			return noNames(c.Results.UpdateIndicator(ctx, connect.NewRequest(&pactumv1.UpdateIndicatorRequest{
				Indicator:  &pactumv1.Indicator{Name: i.GetName(), Etag: f.e.ETag(i.GetName()), Periods: []*pactumv1.IndicatorPeriod{{Period: 1, Target: "12", Actual: "6"}}},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"periods"}}})))
		}
	}
	rollup := func(g func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			ia, ib := resNewIndicator(f, f.pa), resNewIndicator(f, f.pb)
			resRemember(f, ia.GetName(), ib.GetName())
			res, err := c.Results.GetGrantResultsRollup(ctx, connect.NewRequest(&pactumv1.GetGrantResultsRollupRequest{Grant: g(f)}))
			if err != nil {
				return nil, err
			}
			var names []string
			for _, r := range res.Msg.GetIndicators() {
				names = append(names, r.GetIndicators()...)
			}
			return names, nil
		}
	}
	listActivities := func(parent func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			aa, ab := resNewActivity(f, f.pa, "KE"), resNewActivity(f, f.pb, "NP")
			resRemember(f, aa.GetName(), ab.GetName())
			res, err := c.Activities.ListActivities(ctx, connect.NewRequest(&pactumv1.ListActivitiesRequest{Parent: parent(f), PageSize: 1000}))
			if err != nil {
				return nil, err
			}
			var names []string
			for _, a := range res.Msg.GetActivities() {
				names = append(names, a.GetName())
			}
			return names, nil
		}
	}
	getActivity := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Activities.GetActivity(ctx, connect.NewRequest(&pactumv1.GetActivityRequest{Name: resNewActivity(f, p(f), "KE").GetName()})))
		}
	}
	createActivity := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: p(f),
				Activity: &pactumv1.Activity{Title: "Workshop", Type: pactumv1.ActivityType_ACTIVITY_TYPE_WORKSHOP, StartDate: "2025-07-01"}})))
		}
	}
	updateActivity := func(p func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			a := resNewActivity(f, p(f), "KE")
			return noNames(c.Activities.UpdateActivity(ctx, connect.NewRequest(&pactumv1.UpdateActivityRequest{
				Activity: &pactumv1.Activity{Name: a.GetName(), Etag: f.e.ETag(a.GetName()), Place: "Mombasa"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"place"}}})))
		}
	}
	// Both the roll-up and the activity list: A's record is seen by G1's
	// readers and partner A; B's never by partner A.
	sees := func(f *fixture) map[string][]string {
		m := resRecall(f)
		return merge(byRole(m[0], "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(m[1], "admin,coordinator,finance,auditor"))
	}
	notSees := func(f *fixture) map[string][]string {
		m := resRecall(f)
		return merge(byRole(m[1], "editorA,viewerA,coordinator2"), byRole(m[0], "coordinator2"))
	}
	return map[string][]matrixCase{
		v1.ResultsServiceListResultsProcedure:     {{what: "PA", want: readA, call: listResults(pa)}, {what: "PB", want: readB, call: listResults(pb)}},
		v1.ResultsServiceGetResultProcedure:       {{what: "PA's", want: readA, call: getResult(pa)}, {what: "PB's", want: readB, call: getResult(pb)}},
		v1.ResultsServiceCreateResultProcedure:    {{what: "in PA", want: manageA, call: createResult(pa)}, {what: "in PB", want: manageB, call: createResult(pb)}},
		v1.ResultsServiceUpdateResultProcedure:    {{what: "PA's", want: manageA, call: updateResult(pa)}, {what: "PB's", want: manageB, call: updateResult(pb)}},
		v1.ResultsServiceListIndicatorsProcedure:  {{what: "PA", want: readA, call: listIndicators(pa)}, {what: "PB", want: readB, call: listIndicators(pb)}},
		v1.ResultsServiceGetIndicatorProcedure:    {{what: "PA's", want: readA, call: getIndicator(pa)}, {what: "PB's", want: readB, call: getIndicator(pb)}},
		v1.ResultsServiceCreateIndicatorProcedure: {{what: "in PA", want: manageA, call: createIndicator(pa)}, {what: "in PB", want: manageB, call: createIndicator(pb)}},
		v1.ResultsServiceUpdateIndicatorProcedure: {{what: "PA's", want: manageA, call: updateIndicator(pa)}, {what: "PB's", want: manageB, call: updateIndicator(pb)}},
		v1.ResultsServiceGetGrantResultsRollupProcedure: {
			{what: "G1", want: readA, call: rollup(func(f *fixture) string { return f.g1 }), sees: sees, notSees: notSees},
			{what: "G2", want: every(nf, "admin,coordinator2", ok), call: rollup(func(f *fixture) string { return f.g2 })},
		},
		v1.ActivityServiceListActivitiesProcedure: {
			{what: "every project", want: every(ok), call: listActivities(func(*fixture) string { return "projects/-" }), sees: sees, notSees: notSees},
			{what: "PA", want: readA, call: listActivities(pa)},
			{what: "PB", want: readB, call: listActivities(pb)},
		},
		v1.ActivityServiceGetActivityProcedure:    {{what: "PA's", want: readA, call: getActivity(pa)}, {what: "PB's", want: readB, call: getActivity(pb)}},
		v1.ActivityServiceCreateActivityProcedure: {{what: "in PA", want: logA, call: createActivity(pa)}, {what: "in PB", want: manageB, call: createActivity(pb)}},
		v1.ActivityServiceUpdateActivityProcedure: {{what: "PA's", want: logA, call: updateActivity(pa)}, {what: "PB's", want: manageB, call: updateActivity(pb)}},
	}
}
