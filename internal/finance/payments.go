package finance

import (
	"context"
	"math/big"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/rules"
)

// PrefinancingCapBP is the share of the maximum EU contribution that all
// pre-financing instalments together may reach (the grant contract's
// general conditions): 90%; the balance is paid after the final report.
const PrefinancingCapBP = 9000

// computePayments fills Payments for grant g as of asOf, within idb: the
// instalments received (prefinancing_payments) and foreseen
// (grant_prefinancing_plan), and the rule for the next one applied to the
// costs accepted to date and their monthly burn (both minor units of the
// grant currency). Every figure is exact integer arithmetic:
//
//	EUPart      = accepted x rate / 10000, rounded half away from zero
//	Required    = ceil(threshold x last / 10000) + earlier (0 before any)
//	Shortfall   = max(0, Required - EUPart)
//	Cap         = floor(max contribution x 9000 / 10000)
//	CapRoom     = max(0, Cap - received)
//	Requestable = max(0, min(NextPlanned - Shortfall, CapRoom))
//
// EstimatedDate is when EUPart reaches Required at the EU part of the
// monthly burn (burn x rate), months of 30.4375 days, rounded up to a day.
func computePayments(ctx context.Context, idb bun.IDB, g *grant.Grant, r *rules.Rules, acceptedToDate, monthlyBurn int64,
	asOf calendar.Date) (Payments, error) {
	received, err := listPayments(ctx, idb, g.ID)
	if err != nil {
		return Payments{}, err
	}
	plan, err := listPlan(ctx, idb, g.ID)
	if err != nil {
		return Payments{}, err
	}
	p := Payments{
		Plan: plan, AcceptedToDate: acceptedToDate, CoFinancingRateBP: g.CoFinancingRateBP,
		ThresholdBP: r.PrefinancingThresholdBP, CapBP: PrefinancingCapBP,
	}
	for _, x := range received {
		p.Received = append(p.Received, Instalment{Number: x.Number, Date: x.ReceivedDate, Amount: x.Amount})
		p.ReceivedTotal += x.Amount
	}
	p.Next = len(received) + 1
	if n := len(received); n > 0 {
		p.Next = received[n-1].Number + 1
	}
	for _, x := range plan {
		if x.Number == p.Next {
			p.NextPlanned = x.Amount
		}
	}
	p.EUPart = mulBPRound(acceptedToDate, g.CoFinancingRateBP)
	if n := len(received); n > 0 {
		last := received[n-1].Amount
		earlier := p.ReceivedTotal - last
		p.Required = ceilDiv(new(big.Int).Mul(big.NewInt(p.ThresholdBP), big.NewInt(last)), big.NewInt(10000)) + earlier
	}
	p.MayRequest = p.EUPart >= p.Required
	if !p.MayRequest {
		p.Shortfall = p.Required - p.EUPart
	}
	p.Cap = capOf(g)
	p.CapRoom = max(0, p.Cap-p.ReceivedTotal)
	p.Requestable = max(0, min(p.NextPlanned-p.Shortfall, p.CapRoom))
	if p.Shortfall > 0 && monthlyBurn > 0 && g.CoFinancingRateBP > 0 {
		// days = shortfall / (burn x rate / 10000) months x 1461/48 days.
		num := new(big.Int).Mul(big.NewInt(p.Shortfall), big.NewInt(10000*daysPerMonthNum))
		den := new(big.Int).Mul(big.NewInt(monthlyBurn), big.NewInt(g.CoFinancingRateBP*daysPerMonthDen))
		p.EstimatedDate = asOf.AddDays(int(ceilDiv(num, den)))
	}
	return p, nil
}

// mulBPRound returns v x bp / 10000 rounded half away from zero, exactly.
func mulBPRound(v, bp int64) int64 {
	num := new(big.Int).Mul(big.NewInt(v), big.NewInt(bp))
	q, m := new(big.Int).QuoRem(num, big.NewInt(10000), new(big.Int))
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	if twice.Cmp(big.NewInt(10000)) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64()
}

// listPlan returns the grant's pre-financing plan by number.
func listPlan(ctx context.Context, idb bun.IDB, grantID string) ([]Instalment, error) {
	var rows []struct {
		Number  int           `bun:"number"`
		DueDate calendar.Date `bun:"due_date"`
		Amount  int64         `bun:"amount"`
	}
	err := idb.NewRaw("SELECT number, due_date, amount FROM grant_prefinancing_plan WHERE grant_id = ? ORDER BY number", grantID).Scan(ctx, &rows)
	if err != nil {
		return nil, db.Err(err)
	}
	out := make([]Instalment, 0, len(rows))
	for _, r := range rows {
		out = append(out, Instalment{Number: r.Number, Date: r.DueDate, Amount: r.Amount})
	}
	return out, nil
}

// acceptedToDate is the costs accepted to date that the rule for further
// pre-financing counts: the statement's total to asOf (submitted and
// verified expenditures inside the implementation period, converted, and
// the indirect costs at the flat rate).
func acceptedToDate(ctx context.Context, idb bun.IDB, g *grant.Grant, asOf calendar.Date) (int64, error) {
	st, err := StatementIn(ctx, idb, g, StatementQuery{From: g.StartDate, To: asOf, Today: asOf})
	if err != nil {
		return 0, err
	}
	return st.Total.ToDate, nil
}

// monthlyBurn is accepted spread over the months elapsed from the grant's
// start to asOf (at least one), rounded half away from zero.
func monthlyBurn(g *grant.Grant, accepted int64, asOf calendar.Date) int64 {
	elapsed, _ := period(g, asOf)
	return divRound(accepted, int64(elapsed))
}

// PaymentRequest is what the request for payment (Annex V) shows: the
// grant, its coordinator and the contracting authority, and the
// pre-financing with the rule for the next instalment as of AsOf.
type PaymentRequest struct {
	Grant *grant.Grant
	AsOf  calendar.Date
	// Donor is the contracting authority's name; Lead and LeadCountry the
	// coordinator's name and country code.
	Donor, Lead, LeadCountry string
	Payments                 Payments
}

// PaymentRequestIn reads what the request for payment of grant g shows as
// of asOf within idb, a transaction the caller owns (one snapshot for the
// whole document), for a grant the caller has already been allowed to read
// in full. Errors: internal (the database).
func PaymentRequestIn(ctx context.Context, idb bun.IDB, g *grant.Grant, asOf calendar.Date) (*PaymentRequest, error) {
	r, err := rules.Load(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	accepted, err := acceptedToDate(ctx, idb, g, asOf)
	if err != nil {
		return nil, err
	}
	p, err := computePayments(ctx, idb, g, r, accepted, monthlyBurn(g, accepted, asOf), asOf)
	if err != nil {
		return nil, err
	}
	out := &PaymentRequest{Grant: g, AsOf: asOf, Payments: p}
	var orgs []struct {
		ID      string `bun:"id"`
		Name    string `bun:"display_name"`
		Country string `bun:"country_code"`
	}
	if err := idb.NewRaw("SELECT id, display_name, country_code FROM organisations WHERE id IN (?, ?)",
		g.DonorID, g.LeadOrganisationID).Scan(ctx, &orgs); err != nil {
		return nil, db.Err(err)
	}
	for _, o := range orgs {
		if o.ID == g.DonorID {
			out.Donor = o.Name
		}
		if o.ID == g.LeadOrganisationID {
			out.Lead, out.LeadCountry = o.Name, o.Country
		}
	}
	return out, nil
}
