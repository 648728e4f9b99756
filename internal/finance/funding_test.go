package finance_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/uptrace/bun"
)

// fundingWorld is a grant of total eligible costs 1,000,000.00 EUR, a
// co-financing rate of 90% and a maximum EU contribution of 900,000.00
// (2025-01-01 to 2027-12-31, reporting periods of 12 months), with
// project KE-01 whose partner Umoja is a co-beneficiary and Himalaya an
// associate; sources: own funds of the lead 60,000.00 and of Umoja
// 20,000.00, another donor (SDC) 20,000.00 with a receipt of 5,000.00 on
// 2026-03-01 (period 2) and one of 2,000.00 on 2028-01-15 (after period 2),
// and a contribution in kind of 7,500.00 with 1,000.00 received in period 2.
type fundingWorld struct {
	*fixture
	grant, project, lead, umoja, sdc, inKind string
}

func newFundingWorld(t *testing.T, d *bun.DB) *fundingWorld {
	t.Helper()
	f := newFixture(t, d)
	w := &fundingWorld{fixture: f}
	w.grant = f.grant(t)
	f.exec(t, "UPDATE grants SET total_eligible_costs = ?, max_donor_contribution = ? WHERE id = ?", int64(1000000_00), int64(900000_00), w.grant)
	w.project = f.project(t, w.grant, "KE-01", "Organising domestic workers in Nairobi")
	f.exec(t, "INSERT INTO project_participants (project_id, organisation_id, role, position) VALUES (?, ?, 'co_beneficiary', 1), (?, ?, 'associate', 2)",
		w.project, f.partnerA, w.project, f.pB)
	src := func(in finance.FundingSourceInput) string {
		s, err := f.svc.CreateFundingSource(f.ctx, w.grant, in, "")
		if err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
		return s.ID
	}
	w.lead = src(finance.FundingSourceInput{Kind: "own_funds", OrganisationID: f.lead, ExpectedAmount: "60000.00"})
	w.umoja = src(finance.FundingSourceInput{Kind: "own_funds", OrganisationID: f.partnerA, ExpectedAmount: "20000"})
	w.sdc = src(finance.FundingSourceInput{Kind: "other_donor", DisplayName: "Swiss Agency for Development and Cooperation", ExpectedAmount: "20000.00"})
	w.inKind = src(finance.FundingSourceInput{Kind: "in_kind", DisplayName: "Office space lent by the city", ExpectedAmount: "7500.00"})
	rc := func(source, date, amount string) {
		if _, err := f.svc.CreateFundingReceipt(f.ctx, w.grant, source, finance.FundingReceiptInput{ReceivedDate: date, Amount: amount}, ""); err != nil {
			t.Fatal(err)
		}
	}
	rc(w.sdc, "2026-03-01", "5000.00")
	rc(w.sdc, "2028-01-15", "2000.00")
	rc(w.inKind, "2026-02-01", "1000.00")
	return w
}

func (w *fundingWorld) readGrant(t *testing.T) *grant.Grant {
	t.Helper()
	g := new(grant.Grant)
	if err := w.d.NewSelect().Model(g).Where("id = ?", w.grant).Scan(w.ctx); err != nil {
		t.Fatal(err)
	}
	return g
}

func (w *fundingWorld) compute(t *testing.T, acceptedPeriod, acceptedToDate int64) finance.Funding {
	t.Helper()
	fu, err := finance.ComputeFunding(w.ctx, w.d, w.readGrant(t), calendar.MustParse("2026-01-01"), calendar.MustParse("2026-12-31"),
		acceptedPeriod, acceptedToDate)
	if err != nil {
		t.Fatal(err)
	}
	return fu
}

type fl struct {
	kind, source           string
	expected, period, date int64
}

func checkLines(t *testing.T, what string, got []finance.FundingLine, want []fl) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d lines, want %d: %+v", what, len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Kind != w.kind || g.SourceID != w.source || g.Expected != w.expected || g.Period != w.period || g.ToDate != w.date {
			t.Errorf("%s line %d = %+v, want %+v", what, i, g, w)
		}
	}
}

// TestComputeFunding checks the sources of funding against figures
// computed by hand: accepted costs of 400,000.00 to date, 150,000.00 of
// them in the period (so 250,000.00 before it).
//
//	EU:       90% x 400,000.00 = 360,000.00 to date; 90% x 250,000.00 =
//	          225,000.00 before, so 135,000.00 in the period.
//	SDC:      5,000.00 in the period and to date (the 2028 receipt is
//	          after the period).
//	Own:      400,000.00 - 360,000.00 - 5,000.00 = 35,000.00 to date;
//	          before: 250,000.00 - 225,000.00 - 0 = 25,000.00; so 10,000.00
//	          in the period. Split 60:20 (3:1): to date 26,250.00 and
//	          8,750.00; before 18,750.00 and 6,250.00; in the period
//	          7,500.00 and 2,500.00.
//	Total:    expected 900,000 + 60,000 + 20,000 + 20,000 = 1,000,000.00;
//	          to date 400,000.00, period 150,000.00. In kind apart.
func TestComputeFunding(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newFundingWorld(t, d)
		fu := w.compute(t, 150000_00, 400000_00)
		checkLines(t, "lines", fu.Lines, []fl{
			{"eu_contribution", "", 900000_00, 135000_00, 360000_00},
			{"own_funds", w.lead, 60000_00, 7500_00, 26250_00},
			{"own_funds", w.umoja, 20000_00, 2500_00, 8750_00},
			{"other_donor", w.sdc, 20000_00, 5000_00, 5000_00},
		})
		checkLines(t, "in kind", fu.InKind, []fl{{"in_kind", w.inKind, 7500_00, 1000_00, 1000_00}})
		if fu.Total.Expected != 1000000_00 || fu.Total.ToDate != 400000_00 || fu.Total.Period != 150000_00 {
			t.Errorf("total = %+v, want 1,000,000.00 expected, 400,000.00 to date, 150,000.00 in the period", fu.Total)
		}
		if fu.EUShareToDate != 360000_00 || fu.EUSharePeriod != 135000_00 || fu.EUShareComputed != 360000_00 || fu.EUShareCapped {
			t.Errorf("EU share = %d / %d (computed %d, capped %v)", fu.EUShareToDate, fu.EUSharePeriod, fu.EUShareComputed, fu.EUShareCapped)
		}
		if fu.OwnFunds != 35000_00 || fu.OwnFundsComputedPeriod != 10000_00 {
			t.Errorf("own funds = %d to date, %d in the period; want 35,000.00 and 10,000.00", fu.OwnFunds, fu.OwnFundsComputedPeriod)
		}
		if fu.Lines[1].Name != "Global Alliance for Decent Work" || fu.Lines[3].Name != "Swiss Agency for Development and Cooperation" {
			t.Errorf("names: %q, %q", fu.Lines[1].Name, fu.Lines[3].Name)
		}
		if got := finance.FundingFindings(fu, w.readGrant(t)); len(got) != 0 {
			t.Errorf("findings = %+v, want none (the sources add up to the total eligible costs)", got)
		}
	})
}

// TestComputeFundingCapped: accepted costs of 1,050,000.00 to date (above
// the total eligible costs), 300,000.00 in the period. 90% would be
// 945,000.00: capped at 900,000.00; before: 90% x 750,000.00 = 675,000.00,
// so 225,000.00 in the period. Own funds: 1,050,000.00 - 900,000.00 -
// 5,000.00 = 145,000.00 (108,750.00 and 36,250.00).
func TestComputeFundingCapped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newFundingWorld(t, d)
		fu := w.compute(t, 300000_00, 1050000_00)
		if fu.EUShareToDate != 900000_00 || fu.EUShareComputed != 945000_00 || !fu.EUShareCapped || fu.EUSharePeriod != 225000_00 {
			t.Errorf("EU share = %d to date (computed %d, capped %v), %d in the period; want 900,000.00 (945,000.00, capped), 225,000.00",
				fu.EUShareToDate, fu.EUShareComputed, fu.EUShareCapped, fu.EUSharePeriod)
		}
		if fu.Lines[1].ToDate != 108750_00 || fu.Lines[2].ToDate != 36250_00 || fu.Total.ToDate != 1050000_00 {
			t.Errorf("own funds %d + %d, total %d", fu.Lines[1].ToDate, fu.Lines[2].ToDate, fu.Total.ToDate)
		}
	})
}

// TestFundingFindings: sources that do not add up to the total eligible
// costs (the co-beneficiary's own funds deleted: 980,000.00 against
// 1,000,000.00) warn with the difference; other sources above the accepted
// costs (accepted 4,000.00: EU 3,600.00 + SDC 5,000.00 = 8,600.00) leave
// own funds at -4,600.00, a violation. With no own funds recorded, one line
// of own resources carries them.
func TestFundingFindings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newFundingWorld(t, d)
		for _, id := range []string{w.umoja, w.lead} {
			if err := w.svc.DeleteFundingSource(w.ctx, w.grant, id, ""); err != nil {
				t.Fatal(err)
			}
			if id == w.umoja {
				fu := w.compute(t, 4000_00, 4000_00)
				got := finance.FundingFindings(fu, w.readGrant(t))
				if len(got) != 2 || got[0].Code != finance.CodeFundingMismatch || got[0].Severity != finance.Warning ||
					got[0].Args["difference"] != "20000.00" || got[1].Code != finance.CodeFundingExceedsCosts ||
					got[1].Severity != finance.Violation || got[1].Args["excess"] != "4600.00" {
					t.Errorf("findings = %+v", got)
				}
				if fu.Lines[1].ToDate != -4600_00 || fu.Total.ToDate != 4000_00 {
					t.Errorf("own funds %d, total %d", fu.Lines[1].ToDate, fu.Total.ToDate)
				}
			}
		}
		fu := w.compute(t, 150000_00, 400000_00)
		checkLines(t, "lines", fu.Lines, []fl{
			{"eu_contribution", "", 900000_00, 135000_00, 360000_00},
			{"own_funds", "", 0, 10000_00, 35000_00},
			{"other_donor", w.sdc, 20000_00, 5000_00, 5000_00},
		})
	})
}

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{3500000, []int64{6000000, 2000000}, []int64{2625000, 875000}},
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{-100, []int64{1, 1, 1}, []int64{-34, -33, -33}},
		{10, []int64{0, 0}, []int64{5, 5}},
		{2, []int64{1, 2}, []int64{1, 1}}, // 0.67 and 1.33: the larger remainder (first) gets the cent
	} {
		got := finance.Split(c.total, c.weights)
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("split(%d, %v) = %v, want %v", c.total, c.weights, got, c.want)
				break
			}
		}
	}
}

// TestFundingSummary computes the same figures from expenditures: 250,000.00
// accepted in 2025 (period 1), 150,000.00 in 2026 (period 2).
func TestFundingSummary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newFundingWorld(t, d)
		w.headings(t, w.grant, 0, "original", "adopted", map[string]int64{"1": 1000000_00})
		A := w.partnerA
		w.expenditures(t, w.grant,
			ex{"L1", "1", w.project, A, "2025-05-01", "verified", "", 200000_00},
			ex{"L1", "1", w.project, A, "2025-12-31", "submitted", "", 50000_00},
			ex{"L1", "1", w.project, A, "2026-01-01", "verified", "", 150000_00},
			ex{"L1", "1", w.project, A, "2027-01-01", "verified", "", 99000_00}, // after period 2
			ex{"L1", "1", w.project, A, "2026-06-01", "draft", "", 77000_00})    // not counted
		s, err := w.svc.GetFundingSummary(w.ctx, w.grant, 2)
		if err != nil {
			t.Fatal(err)
		}
		if s.From.String() != "2026-01-01" || s.To.String() != "2026-12-31" || s.Funding.AcceptedToDate != 400000_00 ||
			s.Funding.AcceptedPeriod != 150000_00 || s.Funding.EUShareToDate != 360000_00 || s.Funding.Lines[1].ToDate != 26250_00 {
			t.Errorf("summary = %s to %s, %+v", s.From, s.To, s.Funding)
		}
		if _, err := w.svc.GetFundingSummary(w.ctx, w.grant, 4); !errs.Is(err, errs.KindInvalid) {
			t.Errorf("period 4 of 3: %v, want invalid", err)
		}
	})
}

// TestFundingSourceWrites: validation names the field; own funds only of
// beneficiaries, once each; a retry returns the first source; a stale etag
// is aborted; receipts are refused on own funds; deleting a source deletes
// its receipts.
func TestFundingSourceWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		w := newFundingWorld(t, d)
		ctx := w.ctx
		invalid := func(what string, err error, field string) {
			t.Helper()
			var e *errs.Error
			if !errs.Is(err, errs.KindInvalid) || !asErr(err, &e) || !hasField(e, field) {
				t.Errorf("%s: %v, want invalid on %s", what, err, field)
			}
		}
		_, err := w.svc.CreateFundingSource(ctx, w.grant, finance.FundingSourceInput{Kind: "grant", ExpectedAmount: "1"}, "")
		invalid("kind", err, "kind")
		_, err = w.svc.CreateFundingSource(ctx, w.grant, finance.FundingSourceInput{Kind: "own_funds", OrganisationID: w.pB, ExpectedAmount: "1"}, "")
		invalid("an associate's own funds", err, "organisation")
		_, err = w.svc.CreateFundingSource(ctx, w.grant, finance.FundingSourceInput{Kind: "own_funds", OrganisationID: w.partnerA, ExpectedAmount: "1"}, "")
		invalid("Umoja's own funds twice", err, "organisation")
		_, err = w.svc.CreateFundingSource(ctx, w.grant, finance.FundingSourceInput{Kind: "other_donor", ExpectedAmount: "-5"}, "")
		invalid("a nameless donor", err, "display_name")
		invalid("a negative amount", err, "expected_amount")
		_, err = w.svc.CreateFundingSource(ctx, w.grant, finance.FundingSourceInput{Kind: "income", OrganisationID: w.lead, ExpectedAmount: "1.001"}, "")
		invalid("income of an organisation", err, "organisation")
		invalid("three decimals", err, "expected_amount")

		req := "0190a0b0-0000-7000-8000-000000000001"
		a, err := w.svc.CreateFundingSource(ctx, w.grant, finance.FundingSourceInput{Kind: "income", DisplayName: "Training fees", ExpectedAmount: "0"}, req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := w.svc.CreateFundingSource(ctx, w.grant, finance.FundingSourceInput{Kind: "income", DisplayName: "Training fees", ExpectedAmount: "0"}, req)
		if err != nil || b.ID != a.ID {
			t.Fatalf("retry: %v, %v; want the same source", b, err)
		}
		up, err := w.svc.UpdateFundingSource(ctx, w.grant, a.ID, finance.FundingSourceInput{ExpectedAmount: "1500.50"}, resource.Mask{"expected_amount"}, a.ETag())
		if err != nil || up.ExpectedAmount != 1500_50 || up.DisplayName != "Training fees" || up.Version != 2 {
			t.Fatalf("update: %+v, %v", up, err)
		}
		if _, err := w.svc.UpdateFundingSource(ctx, w.grant, a.ID, finance.FundingSourceInput{DisplayName: "x"}, resource.Mask{"display_name"}, a.ETag()); !errs.Is(err, errs.KindAborted) {
			t.Errorf("stale etag: %v, want aborted", err)
		}
		_, err = w.svc.UpdateFundingSource(ctx, w.grant, a.ID, finance.FundingSourceInput{DisplayName: "x"}, resource.Mask{"display_name"}, "")
		invalid("no etag", err, "etag")
		_, err = w.svc.CreateFundingReceipt(ctx, w.grant, w.lead, finance.FundingReceiptInput{ReceivedDate: "2026-01-01", Amount: "5"}, "")
		if !errs.Is(err, errs.KindPrecondition) {
			t.Errorf("a receipt of own funds: %v, want precondition", err)
		}
		_, err = w.svc.CreateFundingReceipt(ctx, w.grant, a.ID, finance.FundingReceiptInput{ReceivedDate: "2026-02-30", Amount: "0"}, "")
		invalid("a bad date", err, "received_date")
		invalid("a zero receipt", err, "amount")

		if err := w.svc.DeleteFundingSource(ctx, w.grant, w.sdc, `"zz"`); !errs.Is(err, errs.KindAborted) {
			t.Errorf("delete with a stale etag: %v, want aborted", err)
		}
		list, _, canCreate, err := w.svc.ListFundingSources(ctx, w.grant, page.Request{})
		if err != nil || len(list) != 5 || !canCreate {
			t.Fatalf("list: %d, %v, %v", len(list), canCreate, err)
		}
		var sdc *finance.FundingSource
		for _, s := range list {
			if s.ID == w.sdc {
				sdc = s
			}
		}
		if sdc == nil || len(sdc.Receipts) != 2 || sdc.Receipts[0].Amount != 5000_00 {
			t.Fatalf("SDC's receipts: %+v", sdc)
		}
		if err := w.svc.DeleteFundingReceipt(ctx, w.grant, w.sdc, sdc.Receipts[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.DeleteFundingSource(ctx, w.grant, w.sdc, sdc.ETag()); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.NewRaw("SELECT COUNT(*) FROM funding_receipts WHERE funding_source_id = ?", w.sdc).Scan(context.Background(), &n); err != nil || n != 0 {
			t.Errorf("receipts left: %d, %v", n, err)
		}
		first, next, _, err := w.svc.ListFundingSources(ctx, w.grant, page.Request{Size: 2})
		if err != nil || len(first) != 2 || next == "" {
			t.Fatalf("page 1: %d, %q, %v", len(first), next, err)
		}
		rest, next2, _, err := w.svc.ListFundingSources(ctx, w.grant, page.Request{Size: 2, Token: next})
		if err != nil || len(rest) != 2 || next2 != "" || rest[0].ID <= first[1].ID {
			t.Fatalf("page 2: %d, %q, %v", len(rest), next2, err)
		}
	})
}

func asErr(err error, target **errs.Error) bool { return errors.As(err, target) }

func hasField(e *errs.Error, field string) bool {
	for _, v := range e.Violations {
		if v.Field == field {
			return true
		}
	}
	return false
}
