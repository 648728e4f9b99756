package rpc_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// Through the API: the OPSYS fields of an indicator are written and read
// back, bad ones are refused naming the field; a submission recorded twice
// with one request_id is one; a value changed afterwards shows on the sheet
// with both values.
func TestIndicatorSheetOverTheAPI(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		coord := f.roles["coordinator"]
		ind := resNewIndicator(f, f.pa)
		upd := func(i *pactumv1.Indicator, paths ...string) (*pactumv1.Indicator, error) {
			i.Name, i.Etag = ind.GetName(), e.ETag(ind.GetName())
			res, err := coord.Results.UpdateIndicator(ctx, connect.NewRequest(&pactumv1.UpdateIndicatorRequest{Indicator: i, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetIndicator(), nil
		}
		got, err := upd(&pactumv1.Indicator{EuCode: "EURF 2.27", EuCorporate: true, BaselineDate: "2025-01-10", FinalTarget: "40",
			TargetDate: "2027-12-31", DataSource: "Attendance lists"}, "eu_code", "eu_corporate", "baseline_date", "final_target", "target_date", "data_source")
		if err != nil {
			t.Fatal(err)
		}
		if got.GetEuCode() != "EURF 2.27" || !got.GetEuCorporate() || got.GetBaselineDate() != "2025-01-10" || got.GetFinalTarget() != "40" ||
			got.GetTargetDate() != "2027-12-31" || got.GetDataSource() != "Attendance lists" {
			t.Errorf("indicator after update: %v", got)
		}
		for _, c := range []struct {
			in    *pactumv1.Indicator
			paths []string
			field string
		}{
			{&pactumv1.Indicator{BaselineDate: "2025-02-30"}, []string{"baseline_date"}, "indicator.baseline_date"},
			{&pactumv1.Indicator{BaselineDate: "10/01/2025"}, []string{"baseline_date"}, "indicator.baseline_date"},
			{&pactumv1.Indicator{FinalTarget: "forty"}, []string{"final_target"}, "indicator.final_target"},
			{&pactumv1.Indicator{TargetDate: "2024-12-31"}, []string{"target_date"}, "indicator.target_date"},
			{&pactumv1.Indicator{EuCode: ""}, []string{"eu_code"}, "indicator.eu_code"},
		} {
			_, err := upd(c.in, c.paths...)
			if rpctest.Code(err) != connect.CodeInvalidArgument || rpctest.Violations(err)[c.field] == "" {
				t.Errorf("%v: %v (violations %v), want INVALID_ARGUMENT on %s", c.in, err, rpctest.Violations(err), c.field)
			}
		}

		const rid = "0193a5b2-7c1d-7e2f-8a3b-4c5d6e7f8a9c"
		record := func() *pactumv1.IndicatorSubmission {
			res, err := coord.ResultsOut.RecordIndicatorSubmission(ctx, connect.NewRequest(&pactumv1.RecordIndicatorSubmissionRequest{Grant: f.g1, Note: "typed in OPSYS", RequestId: rid}))
			if err != nil {
				t.Fatal(err)
			}
			return res.Msg.GetSubmission()
		}
		a, b := record(), record()
		if a.GetName() != b.GetName() || !strings.HasPrefix(a.GetName(), f.g1+"/indicatorSubmissions/") || a.GetRowCount() == 0 || len(a.GetRows()) != int(a.GetRowCount()) {
			t.Errorf("submissions %s and %s (%d rows)", a.GetName(), b.GetName(), a.GetRowCount())
		}
		list, err := coord.ResultsOut.ListIndicatorSubmissions(ctx, connect.NewRequest(&pactumv1.ListIndicatorSubmissionsRequest{Grant: f.g1}))
		if err != nil || len(list.Msg.GetSubmissions()) != 1 {
			t.Fatalf("list: %v, %d submissions, want 1", err, len(list.Msg.GetSubmissions()))
		}
		if _, err := coord.ResultsOut.RecordIndicatorSubmission(ctx, connect.NewRequest(&pactumv1.RecordIndicatorSubmissionRequest{Grant: f.g1, RequestId: "not-a-uuid"})); rpctest.Violations(err)["request_id"] == "" {
			t.Errorf("a malformed request_id: %v", err)
		}

		// The value achieved in period 1 changes from 5 to 7.
		if _, err := upd(&pactumv1.Indicator{Periods: []*pactumv1.IndicatorPeriod{{Period: 1, Target: "10", Actual: "7"}}}, "periods"); err != nil {
			t.Fatal(err)
		}
		sh, err := coord.ResultsOut.GetIndicatorSheet(ctx, connect.NewRequest(&pactumv1.GetIndicatorSheetRequest{Grant: f.g1}))
		if err != nil {
			t.Fatal(err)
		}
		var total *pactumv1.IndicatorSheetRow
		for _, r := range sh.Msg.GetRows() {
			if r.GetCode() == "M1" && r.GetDisaggregation() == "" {
				total = r
			}
		}
		if total == nil || !total.GetChanged() || total.GetSubmittedValue() != "5" || total.GetCurrentValue() != "7" || total.GetEuCode() != "EURF 2.27" ||
			total.GetCurrentDate() == "" || sh.Msg.GetChangedCount() < 1 || sh.Msg.GetLastSubmission().GetName() != a.GetName() || !sh.Msg.GetCallerCanSubmit() {
			t.Errorf("sheet after the change: total %v, changed %d, last %v", total, sh.Msg.GetChangedCount(), sh.Msg.GetLastSubmission())
		}
	})
}
