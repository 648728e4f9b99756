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

// TestUpdateGrantDatesPastRecordedSpending: moving a grant's dates past
// recorded expenditures is refused unless confirmed with their number, as
// validate_only lists them; once applied, budget versus actual lists the
// claimed ones as not eligible and counts them nowhere.
func TestUpdateGrantDatesPastRecordedSpending(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		coord := f.roles["coordinator"]
		v := finVersion(t, e, f.g1, 0, "original", "adopted")
		finLine(t, e, f.g1, v, "L11", "1", "1.1", "Salaries", 50000_00, f.pa, f.a)
		// G1 runs from 2025-01-01 to 2027-12-31.
		finExp(t, e, f.g1, "L11", "1", f.pa, f.a, "2025-01-10", "verified", 100_00) // claimed, becomes ineligible
		finExp(t, e, f.g1, "L11", "1", f.pa, f.a, "2025-01-20", "draft", 50_00)     // recorded, becomes ineligible
		finExp(t, e, f.g1, "L11", "1", f.pa, f.a, "2025-01-25", "rejected", 70_00)  // not eligible anyway
		finExp(t, e, f.g1, "L11", "1", f.pa, f.a, "2025-03-01", "submitted", 200_00)

		g := must(coord.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: f.g1}))).GetGrant()
		update := func(start string, validate bool, confirm int32) (*pactumv1.UpdateGrantResponse, error) {
			res, err := coord.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
				Grant:      &pactumv1.Grant{Name: f.g1, Etag: g.GetEtag(), StartDate: start},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"start_date"}}, ValidateOnly: validate, ConfirmIneligibleCount: confirm}))
			if err != nil {
				return nil, err
			}
			return res.Msg, nil
		}

		_, err := update("2025-02-01", false, 0)
		expectReason(t, err, "EXPENDITURES_OUTSIDE_PERIOD")
		if !strings.Contains(err.Error(), "2 recorded expenditure(s) (2 dated before 2025-02-01)") || !strings.Contains(err.Error(), "confirm_ineligible_count 2") {
			t.Errorf("refusal: %v", err)
		}

		preview, err := update("2025-02-01", true, 0)
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, x := range preview.GetIneligibleExpenditures() {
			listed = append(listed, x.GetExpenseDate()+" "+x.GetConvertedAmount()+" "+x.GetReason().String()+map[bool]string{true: " draft"}[x.GetDraft()])
			if !strings.HasPrefix(x.GetExpenditure(), f.g1+"/expenditures/") || x.GetOrganisation() != f.a || x.GetAmount() != "1.00" {
				t.Errorf("listed %v", x)
			}
		}
		if got, want := strings.Join(listed, "|"), "2025-01-10 100.00 OUT_OF_PERIOD_REASON_BEFORE_START|2025-01-20 50.00 OUT_OF_PERIOD_REASON_BEFORE_START draft"; got != want ||
			preview.GetIneligibleCount() != 2 || preview.GetIneligibleTotal() != "150.00" ||
			preview.GetGrant().GetStartDate() != "2025-02-01" || preview.GetGrant().GetEtag() != g.GetEtag() {
			t.Errorf("validate only: %s (%d, %s), grant %s %s; want %s", got, preview.GetIneligibleCount(), preview.GetIneligibleTotal(),
				preview.GetGrant().GetStartDate(), preview.GetGrant().GetEtag(), want)
		}
		if now := must(coord.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: f.g1}))).GetGrant(); now.GetStartDate() != "2025-01-01" || now.GetEtag() != g.GetEtag() {
			t.Errorf("validate only wrote: %s %s", now.GetStartDate(), now.GetEtag())
		}
		_, err = update("2025-02-01", false, 1)
		expectReason(t, err, "EXPENDITURES_OUTSIDE_PERIOD")

		done, err := update("2025-02-01", false, 2)
		if err != nil {
			t.Fatal(err)
		}
		if done.GetGrant().GetStartDate() != "2025-02-01" || done.GetGrant().GetEtag() == g.GetEtag() || done.GetIneligibleCount() != 2 {
			t.Errorf("confirmed: %v", done)
		}

		// Moving the end before the last expenditure: it would be after the end.
		end, err := coord.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant:      &pactumv1.Grant{Name: f.g1, Etag: done.GetGrant().GetEtag(), EndDate: "2025-02-28", ReportingPeriodMonths: 1},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"end_date", "reporting_period_months"}}, ValidateOnly: true}))
		if err != nil {
			t.Fatal(err)
		}
		if x := end.Msg.GetIneligibleExpenditures(); end.Msg.GetIneligibleCount() != 1 || len(x) != 1 || x[0].GetExpenseDate() != "2025-03-01" ||
			x[0].GetReason() != pactumv1.OutOfPeriodReason_OUT_OF_PERIOD_REASON_AFTER_END || x[0].GetDraft() || end.Msg.GetIneligibleTotal() != "200.00" {
			t.Errorf("moving the end: %v", end.Msg)
		}

		bva := must(f.roles["finance"].Finance.GetBudgetVsActual(ctx, connect.NewRequest(&pactumv1.GetBudgetVsActualRequest{Grant: f.g1, AsOf: "2025-06-30"})))
		in := bva.GetIneligible()
		if bva.GetTotal().GetSpent() != "200.00" || bva.GetTotal().GetExpenditureCount() != 1 ||
			in.GetCount() != 1 || in.GetBeforeStartCount() != 1 || in.GetAfterEndCount() != 0 || in.GetTotal() != "100.00" {
			t.Errorf("budget versus actual: spent %s (%d), not eligible %v", bva.GetTotal().GetSpent(), bva.GetTotal().GetExpenditureCount(), in)
		}
	})
}
