package finance_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/rules"
)

// plan inserts the grant's pre-financing plan: amounts in cents, due a
// year apart from 2025-01-15.
func (f *fixture) plan(t testing.TB, grantID string, amounts ...int64) {
	t.Helper()
	for i, a := range amounts {
		f.exec(t, "INSERT INTO grant_prefinancing_plan (grant_id, number, due_date, amount) VALUES (?, ?, ?, ?)",
			grantID, i+1, fmt.Sprintf("%d-01-15", 2025+i), a)
	}
}

// payments runs the rule for grantID with accepted costs and a monthly
// burn (cents) as of asOf.
func (f *fixture) payments(t *testing.T, grantID string, accepted, burn int64, asOf string) finance.Payments {
	t.Helper()
	g, err := finance.ReadFull(f.ctx, f.d, actor.From(f.ctx), grantID)
	if err != nil {
		t.Fatal(err)
	}
	r, err := rules.Load(f.ctx, f.d, grantID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := finance.ComputePayments(f.ctx, f.d, g, r, accepted, burn, calendar.MustParse(asOf))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func eur(v int64) string { return money.Format(v, "EUR") }

// text writes the rule's figures for comparison with hand-computed ones.
func payText(p finance.Payments) string {
	return fmt.Sprintf("next=%d eu=%s required=%s may=%t shortfall=%s planned=%s cap=%s room=%s requestable=%s date=%s",
		p.Next, eur(p.EUPart), eur(p.Required), p.MayRequest, eur(p.Shortfall), eur(p.NextPlanned), eur(p.Cap),
		eur(p.CapRoom), eur(p.Requestable), p.EstimatedDate)
}

// The rule for further pre-financing as the EU states it, at co-financing
// 90%: instalments 100,000.00 then 200,000.00 received; instalment 3 may
// be requested once the EU part of spending (accepted x 90%) reaches 70%
// of 200,000.00 plus 100% of 100,000.00 = 240,000.00. Hand-computed:
//
//	accepted 266,644.44 x 0.9 = 239,979.996 -> 239,979.99...: 239,980.00
//	  = 69.99% of the last (139,980.00) + the earlier 100,000.00: short by 20.00
//	accepted 266,666.67 x 0.9 = 240,000.003 -> 240,000.00 = 70.00%: may request
//	accepted 266,666.66 x 0.9 = 239,999.994 -> 239,999.99: short by 0.01
//	  (the old check compared the whole 266,666.66 with 240,000.00 and said
//	  "may request" from 240,000.00 of spending: 11% too early)
//
// The plan foresees 200,000.00 for instalment 3: requestable is that less
// the shortfall.
func TestPaymentsFurtherPrefinancingBoundary(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t) // co-financing 90%, maximum contribution 900,000,000.00
		f.payment(t, g, 1, "2025-01-20", 100000_00)
		f.payment(t, g, 2, "2025-12-15", 200000_00)
		f.plan(t, g, 100000_00, 200000_00, 200000_00)
		cases := []struct {
			name     string
			accepted int64
			burn     int64
			want     string
		}{
			{"69.99% of the last", 266644_44, 0,
				"next=3 eu=239980.00 required=240000.00 may=false shortfall=20.00 planned=200000.00 cap=810000000.00 room=809700000.00 requestable=199980.00 date="},
			// 20.00 short at an EU burn of 90% of 100.00 = 90.00 a month:
			// 20 / 90 months x 30.4375 days = 6.76 days, rounded up to 7.
			{"69.99% with a burn", 266644_44, 100_00,
				"next=3 eu=239980.00 required=240000.00 may=false shortfall=20.00 planned=200000.00 cap=810000000.00 room=809700000.00 requestable=199980.00 date=2026-07-07"},
			{"70.00% of the last", 266666_67, 100_00,
				"next=3 eu=240000.00 required=240000.00 may=true shortfall=0.00 planned=200000.00 cap=810000000.00 room=809700000.00 requestable=200000.00 date="},
			{"a cent short", 266666_66, 0,
				"next=3 eu=239999.99 required=240000.00 may=false shortfall=0.01 planned=200000.00 cap=810000000.00 room=809700000.00 requestable=199999.99 date="},
			{"spending equal to the old threshold", 240000_00, 0,
				"next=3 eu=216000.00 required=240000.00 may=false shortfall=24000.00 planned=200000.00 cap=810000000.00 room=809700000.00 requestable=176000.00 date="},
			{"nothing accepted", 0, 0,
				"next=3 eu=0.00 required=240000.00 may=false shortfall=240000.00 planned=200000.00 cap=810000000.00 room=809700000.00 requestable=0.00 date="},
		}
		for _, c := range cases {
			if got := payText(f.payments(t, g, c.accepted, c.burn, "2026-06-30")); got != c.want {
				t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
			}
		}
	})
}

// Pre-financing in all is at most 90% of the maximum EU contribution:
// 500,000.00 x 90% = 450,000.00. Received 250,000.00 + 150,000.00 =
// 400,000.00; the plan foresees 100,000.00 more; the EU part of 400,000.00
// accepted, 360,000.00, reaches 70% of 150,000.00 + 250,000.00 =
// 355,000.00. Requestable: min(100,000.00, 450,000.00 - 400,000.00) =
// 50,000.00. With a shortfall as well, the smaller of the two applies.
func TestPaymentsCap(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t)
		f.exec(t, "UPDATE grants SET max_donor_contribution = ? WHERE id = ?", 500000_00, g)
		f.payment(t, g, 1, "2025-01-20", 250000_00)
		f.payment(t, g, 2, "2025-12-15", 150000_00)
		f.plan(t, g, 250000_00, 150000_00, 100000_00)
		if got, want := payText(f.payments(t, g, 400000_00, 0, "2026-06-30")),
			"next=3 eu=360000.00 required=355000.00 may=true shortfall=0.00 planned=100000.00 cap=450000.00 room=50000.00 requestable=50000.00 date="; got != want {
			t.Errorf("under the cap:\n got %s\nwant %s", got, want)
		}
		// Accepted 350,000.00: EU part 315,000.00, 40,000.00 short:
		// 100,000.00 - 40,000.00 = 60,000.00, but only 50,000.00 fit.
		if got, want := payText(f.payments(t, g, 350000_00, 0, "2026-06-30")),
			"next=3 eu=315000.00 required=355000.00 may=false shortfall=40000.00 planned=100000.00 cap=450000.00 room=50000.00 requestable=50000.00 date="; got != want {
			t.Errorf("cap and shortfall:\n got %s\nwant %s", got, want)
		}
		// Accepted 300,000.00: EU part 270,000.00, 85,000.00 short: the
		// reduction leaves 15,000.00, under the room.
		if got, want := payText(f.payments(t, g, 300000_00, 0, "2026-06-30")),
			"next=3 eu=270000.00 required=355000.00 may=false shortfall=85000.00 planned=100000.00 cap=450000.00 room=50000.00 requestable=15000.00 date="; got != want {
			t.Errorf("reduced:\n got %s\nwant %s", got, want)
		}

		// At the cap: a third instalment of 50,000.00 brings the total to
		// 450,000.00; nothing more may be requested, and the check says so.
		f.payment(t, g, 3, "2026-07-01", 50000_00)
		p := f.payments(t, g, 900000_00, 0, "2026-07-31")
		if p.CapRoom != 0 || p.Requestable != 0 || p.ReceivedTotal != 450000_00 {
			t.Errorf("at the cap: %s", payText(p))
		}
		f.expenditures(t, g, ex{"L1", "1", "", f.partnerA, "2026-07-15", "verified", "", 500000_00})
		c := check(t, f, g, "2026-07-31")
		got := findings(c, finance.CodePrefinancingCapReached, "next_instalment", "cap", "cap_room", "received_total", "cap_percent")
		if strings.Join(got, "|") != "next_instalment=4 cap=450000.00 cap_room=0.00 received_total=450000.00 cap_percent=90.00" {
			t.Errorf("cap reached finding: %v (codes %s)", got, codes(c))
		}
	})
}

// Without a plan the next instalment's amount is unknown: NextPlanned 0
// and nothing requestable, whatever the EU part. Before any instalment,
// the first (on signature) has no threshold: requestable is the plan's
// first. The EU part rounds half away from zero: 0.05 x 90% = 0.045 ->
// 0.05.
func TestPaymentsNoPlanAndFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t)
		f.payment(t, g, 1, "2025-01-20", 100000_00)
		if got, want := payText(f.payments(t, g, 200000_00, 0, "2026-06-30")),
			"next=2 eu=180000.00 required=70000.00 may=true shortfall=0.00 planned=0.00 cap=810000000.00 room=809900000.00 requestable=0.00 date="; got != want {
			t.Errorf("no plan:\n got %s\nwant %s", got, want)
		}
		// The check says so rather than "0.00 may be requested".
		f.expenditures(t, g, ex{"L1", "1", "", f.partnerA, "2026-03-01", "verified", "", 200000_00})
		c := check(t, f, g, "2026-06-30")
		if got := findings(c, finance.CodePrefinancingAllowed, "next_planned", "requestable"); strings.Join(got, "|") != "next_planned=0.00 requestable=0.00" ||
			!strings.Contains(c.Findings[len(c.Findings)-1].Message, "the plan gives no amount for it") {
			t.Errorf("no plan: %v %q", got, c.Findings[len(c.Findings)-1].Message)
		}
		g2 := f.grant(t)
		f.plan(t, g2, 300000_00, 200000_00)
		if got, want := payText(f.payments(t, g2, 5, 0, "2025-01-10")),
			"next=1 eu=0.05 required=0.00 may=true shortfall=0.00 planned=300000.00 cap=810000000.00 room=810000000.00 requestable=300000.00 date="; got != want {
			t.Errorf("first instalment:\n got %s\nwant %s", got, want)
		}
	})
}

// The compliance check words the rule with the EU part, and the payment
// request reads the same figures from the expenditures in one snapshot.
func TestPaymentsInComplianceAndPaymentRequest(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := newFixture(t, d)
		g := f.grant(t)
		f.payment(t, g, 1, "2025-01-20", 100000_00)
		f.payment(t, g, 2, "2025-12-15", 200000_00)
		f.plan(t, g, 100000_00, 200000_00, 200000_00)
		f.expenditures(t, g,
			ex{"L1", "1", "", f.partnerA, "2026-01-10", "verified", "", 200000_00},
			ex{"L1", "1", "", f.partnerA, "2026-02-10", "submitted", "", 66644_44},
			ex{"L1", "1", "", f.partnerA, "2026-03-10", "draft", "", 100000_00}, // not accepted
		)
		c := check(t, f, g, "2026-06-30")
		got := findings(c, finance.CodePrefinancingNotYet, "next_instalment", "spent", "eu_part", "co_financing_percent",
			"required", "shortfall", "requestable", "next_planned", "cap")
		if strings.Join(got, "|") != "next_instalment=3 spent=266644.44 eu_part=239980.00 co_financing_percent=90.00 required=240000.00 "+
			"shortfall=20.00 requestable=199980.00 next_planned=200000.00 cap=810000000.00" {
			t.Errorf("not yet: %v", got)
		}
		if p := c.Prefinancing; p.MayRequest || p.Required != 240000_00 || p.Payments.EUPart != 239980_00 {
			t.Errorf("status: %+v", p)
		}

		gr, err := finance.ReadFull(f.ctx, f.d, actor.From(f.ctx), g)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := finance.PaymentRequestIn(f.ctx, f.d, gr, calendar.MustParse("2026-06-30"))
		if err != nil {
			t.Fatal(err)
		}
		if pr.Lead != "Global Alliance for Decent Work" || pr.LeadCountry != "BE" || pr.Donor != "European Commission" {
			t.Errorf("names: %q %q %q", pr.Lead, pr.LeadCountry, pr.Donor)
		}
		if got, want := payText(pr.Payments),
			"next=3 eu=239980.00 required=240000.00 may=false shortfall=20.00 planned=200000.00 cap=810000000.00 room=809700000.00 requestable=199980.00 date=2026-07-01"; got != want {
			t.Errorf("payment request:\n got %s\nwant %s", got, want)
		}
		if pr.Payments.AcceptedToDate != 266644_44 || len(pr.Payments.Received) != 2 || len(pr.Payments.Plan) != 3 {
			t.Errorf("payment request: %+v", pr.Payments)
		}
	})
}
