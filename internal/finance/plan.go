package finance

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// MaxPlannedInstalments caps the pre-financing plan (as the contract's
// import does).
const MaxPlannedInstalments = 20

// Plan is a grant's pre-financing plan (the Special Conditions' schedule of
// instalments) beside what has been received. Amounts are minor units of
// the grant currency.
type Plan struct {
	GrantID     string
	Currency    string
	Instalments []Instalment // foreseen, by number
	Received    []Instalment // received, by number
	Total       int64        // of the foreseen instalments
	// Cap is 90% of the maximum EU contribution: what the instalments may
	// come to in all.
	Cap        int64
	Version    int64 // 0: never edited here (the contract's import, or none)
	UpdateTime time.Time
	UpdatedBy  string // the display name of the user who last changed it; "" when none
	// CallerCanUpdate: the caller may change the plan.
	CallerCanUpdate bool
}

// PlanName returns "grants/{grantID}/prefinancingPlan".
func PlanName(grantID string) string { return grantName(grantID) + "/" + resource.PrefinancingPlan }

// Name returns the plan's resource name.
func (p *Plan) Name() string { return PlanName(p.GrantID) }

// ETag changes with every change of the plan made here.
func (p *Plan) ETag() string { return resource.ETag(p.Version) }

// PlannedInput is a foreseen instalment as users write it: the date
// foreseen ("YYYY-MM-DD") and the amount, a decimal in the grant currency.
type PlannedInput struct {
	DueDate string
	Amount  string
}

// planVersion is the row that versions a grant's plan.
type planVersion struct {
	bun.BaseModel `bun:"table:prefinancing_plans"`

	GrantID    string    `bun:"grant_id,pk"`
	Version    int64     `bun:"version"`
	UpdateTime time.Time `bun:"update_time"`
	UpdatedBy  string    `bun:"updated_by"`
}

// readPlan reads the plan of g within idb.
func readPlan(ctx context.Context, idb bun.IDB, c actor.Caller, g *grant.Grant) (*Plan, error) {
	p := &Plan{GrantID: g.ID, Currency: g.CurrencyCode, CallerCanUpdate: policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) && g.State != grant.StateClosed}
	var err error
	if p.Instalments, err = listPlan(ctx, idb, g.ID); err != nil {
		return nil, err
	}
	received, err := listPayments(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range received {
		p.Received = append(p.Received, Instalment{Number: x.Number, Date: x.ReceivedDate, Amount: x.Amount})
	}
	for _, x := range p.Instalments {
		p.Total += x.Amount
	}
	p.Cap = capOf(g)
	v := new(planVersion)
	err = idb.NewSelect().Model(v).Where("grant_id = ?", g.ID).Scan(ctx)
	switch {
	case err == nil:
		p.Version, p.UpdateTime = v.Version, v.UpdateTime
	case !db.IsNoRows(err):
		return nil, db.Err(err)
	}
	// Who changed it, by the name people know them by (never an id).
	if id, ok := strings.CutPrefix(v.UpdatedBy, resource.Users+"/"); ok {
		err := idb.NewRaw("SELECT display_name FROM users WHERE id = ?", id).Scan(ctx, &p.UpdatedBy)
		if err := db.Err(err, db.AllowNoRows); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// capOf is 90% of the grant's maximum contribution, rounded down.
func capOf(g *grant.Grant) int64 {
	return new(big.Int).Quo(new(big.Int).Mul(big.NewInt(g.MaxDonorContribution), big.NewInt(PrefinancingCapBP)), big.NewInt(10000)).Int64()
}

// GetPlan returns the grant's pre-financing plan with the instalments
// received. Only the grant's coordinators, finance staff and auditors (and
// admins) may read it. Errors: not found (a grant the caller may not
// read), permission (a partner of the grant).
func (s *Service) GetPlan(ctx context.Context, grantID string) (*Plan, error) {
	c := actor.From(ctx)
	var out *Plan
	err := s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		g, err := readFull(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		out, err = readPlan(ctx, tx, c, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdatePlan replaces the grant's foreseen instalments with in (numbered 1,
// 2, ... in order; none clears the plan), if etag is the plan's as the
// caller read it, and records the change in the audit trail, in one
// transaction. Dates must run in order and fall before the grant ends;
// amounts must be above zero; together at most 90% of the maximum EU
// contribution. Only the grant's coordinators and finance staff (and
// admins) may. Errors: not found (a grant the caller may not read),
// permission, invalid (instalments[i].due_date, .amount, instalments,
// etag), aborted (the plan changed since it was read), precondition
// (GRANT_CLOSED).
func (s *Service) UpdatePlan(ctx context.Context, grantID string, in []PlannedInput, etag string) (*Plan, error) {
	c := actor.From(ctx)
	var out *Plan
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := readManaged(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		old, err := readPlan(ctx, tx, c, g)
		if err != nil {
			return err
		}
		if err := resource.RequireETag(old.Name(), etag, old.Version); err != nil {
			return err
		}
		if g.State == grant.StateClosed {
			return errs.Precondition("GRANT_CLOSED", "%s is closed and its pre-financing can no longer be changed", g.Name())
		}
		plan, err := buildPlan(g, in)
		if err != nil {
			return err
		}
		now := s.now()
		if old.Version == 0 {
			if _, err := tx.NewInsert().Model(&planVersion{GrantID: g.ID, Version: 1, UpdateTime: now, UpdatedBy: c.Name()}).Exec(ctx); err != nil {
				return db.Err(err, db.Unique(errs.Aborted(old.Name())))
			}
		} else {
			res, err := tx.NewUpdate().Model((*planVersion)(nil)).Set("version = version + 1, update_time = ?, updated_by = ?", now, c.Name()).
				Where("grant_id = ? AND version = ?", g.ID, old.Version).Exec(ctx)
			if err != nil {
				return db.Err(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return errs.Aborted(old.Name())
			}
		}
		if _, err := tx.NewRaw("DELETE FROM grant_prefinancing_plan WHERE grant_id = ?", g.ID).Exec(ctx); err != nil {
			return db.Err(err)
		}
		for _, x := range plan {
			if _, err := tx.NewRaw("INSERT INTO grant_prefinancing_plan (grant_id, number, due_date, amount) VALUES (?, ?, ?, ?)",
				g.ID, x.Number, x.Date, x.Amount).Exec(ctx); err != nil {
				return db.Err(err)
			}
		}
		if was, is := describeInstalments(old.Instalments, g.CurrencyCode), describeInstalments(plan, g.CurrencyCode); was != is {
			if err := audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: old.Name(), GrantID: g.ID,
				Changes: []audit.Change{{Field: "instalments", Old: was, New: is}}}); err != nil {
				return err
			}
		}
		out, err = readPlan(ctx, tx, c, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// buildPlan checks the instalments as written and returns them numbered.
func buildPlan(g *grant.Grant, in []PlannedInput) ([]Instalment, error) {
	var v errs.Violations
	if len(in) > MaxPlannedInstalments {
		v.Add("instalments", "has %d instalments; a plan has at most %d", len(in), MaxPlannedInstalments)
		return nil, v.Err()
	}
	out := make([]Instalment, 0, len(in))
	var sum int64
	for i, x := range in {
		field := fmt.Sprintf("instalments[%d]", i)
		p := Instalment{Number: i + 1}
		d, err := calendar.Parse(strings.TrimSpace(x.DueDate))
		switch {
		case strings.TrimSpace(x.DueDate) == "":
			v.Add(field+".date", "is required: the date the instalment is foreseen, e.g. 2026-03-01")
		case err != nil:
			v.Add(field+".date", "%s", err.Error())
		case i > 0 && !out[i-1].Date.IsZero() && d.Before(out[i-1].Date):
			v.Add(field+".date", "must be on or after instalment %d's date, %s: list the instalments in order", i, out[i-1].Date)
		case d.After(g.EndDate):
			v.Add(field+".date", "must be on or before the grant's end, %s (got %s)", g.EndDate, d)
		default:
			p.Date = d
		}
		a, err := money.Parse(strings.TrimSpace(x.Amount), g.CurrencyCode)
		switch {
		case strings.TrimSpace(x.Amount) == "":
			v.Add(field+".amount", "is required: the amount foreseen in %s, e.g. 250000.00", g.CurrencyCode)
		case err != nil:
			v.Add(field+".amount", "%s", err.Error())
		case a <= 0:
			v.Add(field+".amount", "must be more than 0 %s", g.CurrencyCode)
		default:
			p.Amount = a
			sum += a
		}
		out = append(out, p)
	}
	if limit := capOf(g); sum > limit && v.Err() == nil {
		v.Add("instalments", "come to %s %s, more than 90%% of the maximum EU contribution (%s %s): the balance is paid after the final report",
			money.Format(sum, g.CurrencyCode), g.CurrencyCode, money.Format(limit, g.CurrencyCode), g.CurrencyCode)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// describeInstalments writes a plan for the audit trail.
func describeInstalments(plan []Instalment, currency string) string {
	parts := make([]string, len(plan))
	for i, p := range plan {
		parts[i] = fmt.Sprintf("%d: %s %s on %s", p.Number, money.Format(p.Amount, currency), currency, p.Date)
	}
	return strings.Join(parts, "; ")
}
