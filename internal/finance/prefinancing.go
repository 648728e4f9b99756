package finance

import (
	"context"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Payment is a pre-financing instalment received from the donor. Amount is
// in minor units of the grant currency.
type Payment struct {
	bun.BaseModel `bun:"table:prefinancing_payments"`

	ID           string        `bun:"id,pk"`
	GrantID      string        `bun:"grant_id"`
	Number       int           `bun:"number"` // 1, 2, ... in the order received
	ReceivedDate calendar.Date `bun:"received_date"`
	Amount       int64         `bun:"amount"`
	CreateTime   time.Time     `bun:"create_time"`

	Currency string `bun:"-"` // the grant currency, for writing Amount
}

// Name returns the resource name.
func (p *Payment) Name() string { return PaymentName(p.GrantID, p.ID) }

// PaymentName returns "grants/{grantID}/prefinancingPayments/{id}".
func PaymentName(grantID, id string) string {
	return grantName(grantID) + "/" + resource.PrefinancingPayments + "/" + id
}

// ParsePaymentName returns the grant and payment ids of a payment's name.
// field names the request field for the error.
func ParsePaymentName(name, field string) (grantID, id string, err error) {
	return resource.ParseGrantChild(name, resource.PrefinancingPayments, field)
}

// PaymentInput is an instalment as users write it: the date received
// ("YYYY-MM-DD") and the amount, a decimal in the grant currency.
type PaymentInput struct {
	ReceivedDate string
	Amount       string
}

// listPayments returns a grant's instalments by number.
func listPayments(ctx context.Context, idb bun.IDB, grantID string) ([]*Payment, error) {
	var out []*Payment
	if err := idb.NewSelect().Model(&out).Where("grant_id = ?", grantID).Order("number").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// ListPayments returns a page of the grant's pre-financing instalments in
// the order received, and the token of the next page ("" on the last).
// Only the grant's coordinators, finance staff and auditors (and admins)
// may read them. Errors: invalid (page size or token), not found (a grant
// the caller may not read), permission (a partner of the grant).
func (s *Service) ListPayments(ctx context.Context, grantID string, p page.Request) ([]*Payment, string, error) {
	cur, err := page.Open(p, grantID)
	if err != nil {
		return nil, "", err
	}
	after := 0
	if len(cur.After) == 1 {
		// number is numeric; the cursor carries it as text.
		if after, err = strconv.Atoi(cur.After[0]); err != nil {
			return nil, "", errs.Invalid(errs.FieldViolation{Field: "page_token", Description: "is not a page token from this list"})
		}
	}
	c := actor.From(ctx)
	var out []*Payment
	next := ""
	err = s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		g, err := readFull(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		if err := tx.NewSelect().Model(&out).Where("grant_id = ? AND number > ?", grantID, after).
			Order("number").Limit(cur.Limit + 1).Scan(ctx); err != nil {
			return db.Err(err)
		}
		if len(out) > cur.Limit {
			out = out[:cur.Limit]
			next = cur.Next(true, strconv.Itoa(out[len(out)-1].Number))
		}
		for _, p := range out {
			p.Currency = g.CurrencyCode
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// CreatePayment records the next pre-financing instalment of the grant
// (numbered after the last one) and the creation in the audit trail, in one
// transaction. The amount must be above zero, with at most the grant
// currency's decimals, and the date no earlier than the last instalment's.
// A retry with the same requestID returns the instalment made the first
// time. Only the grant's coordinators and finance staff (and admins) may.
// Errors: not found (a grant the caller may not read), permission, invalid
// (received_date, amount), precondition (GRANT_CLOSED), aborted (another
// instalment was recorded at the same moment).
func (s *Service) CreatePayment(ctx context.Context, grantID string, in PaymentInput, requestID string) (*Payment, error) {
	c := actor.From(ctx)
	var out *Payment
	err := idem.Create(ctx, s.db, "CreatePrefinancingPayment", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			gid, id, err := ParsePaymentName(name, "name")
			if err != nil {
				return errs.Internal(err)
			}
			g, err := readFull(ctx, tx, c, gid)
			if err != nil {
				return err
			}
			out = &Payment{Currency: g.CurrencyCode}
			err = tx.NewSelect().Model(out).Where("grant_id = ? AND id = ?", gid, id).Scan(ctx)
			if err != nil {
				return db.Err(err, db.NotFound(name))
			}
			return nil
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			g, err := readManaged(ctx, tx, c, grantID)
			if err != nil {
				return "", err
			}
			if g.State == grant.StateClosed {
				return "", errs.Precondition("GRANT_CLOSED", "%s is closed and its pre-financing can no longer be changed", g.Name())
			}
			prev, err := listPayments(ctx, tx, g.ID)
			if err != nil {
				return "", err
			}
			p, err := buildPayment(g, in, prev)
			if err != nil {
				return "", err
			}
			p.ID, p.CreateTime = resource.NewID(), s.now()
			if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
				return "", db.Err(err, db.Unique(errs.Aborted(g.Name()+"/"+resource.PrefinancingPayments)))
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: p.Name(), GrantID: g.ID,
				Changes: audit.Diff(tx, nil, p)}); err != nil {
				return "", err
			}
			out = p
			return p.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// buildPayment checks in and returns the instalment that follows prev.
func buildPayment(g *grant.Grant, in PaymentInput, prev []*Payment) (*Payment, error) {
	var v errs.Violations
	p := &Payment{GrantID: g.ID, Number: len(prev) + 1, Currency: g.CurrencyCode}
	if n := len(prev); n > 0 {
		p.Number = prev[n-1].Number + 1
	}
	if in.ReceivedDate == "" {
		v.Add("received_date", "is required: the date the instalment reached the grant's account, e.g. 2025-02-15")
	} else if d, err := calendar.Parse(in.ReceivedDate); err != nil {
		v.Add("received_date", "%s", err.Error())
	} else {
		p.ReceivedDate = d
		if n := len(prev); n > 0 && d.Before(prev[n-1].ReceivedDate) {
			v.Add("received_date", "must be on or after %s, when instalment %d was received: instalments are recorded in the order received",
				prev[n-1].ReceivedDate, prev[n-1].Number)
		}
	}
	if in.Amount == "" {
		v.Add("amount", "is required: the amount received in %s, e.g. 250000.00", g.CurrencyCode)
	} else if a, err := money.Parse(in.Amount, g.CurrencyCode); err != nil {
		v.Add("amount", "%s", err.Error())
	} else if a == 0 {
		v.Add("amount", "must be more than 0 %s", g.CurrencyCode)
	} else {
		p.Amount = a
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// DeletePayment removes the grant's last pre-financing instalment (only the
// last, so that the numbers stay 1, 2, ... in the order received) and
// records the deletion in the audit trail. Only the grant's coordinators
// and finance staff (and admins) may. Errors: not found (the instalment,
// or a grant the caller may not read), permission, precondition
// (PREFINANCING_NOT_LAST, GRANT_CLOSED).
func (s *Service) DeletePayment(ctx context.Context, grantID, id string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := readManaged(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		p := new(Payment)
		err = tx.NewSelect().Model(p).Where("grant_id = ? AND id = ?", g.ID, id).Scan(ctx)
		if err != nil {
			return db.Err(err, db.NotFound(PaymentName(g.ID, id)))
		}
		if g.State == grant.StateClosed {
			return errs.Precondition("GRANT_CLOSED", "%s is closed and its pre-financing can no longer be changed", g.Name())
		}
		var last int
		if err := tx.NewRaw("SELECT COALESCE(MAX(number), 0) FROM prefinancing_payments WHERE grant_id = ?", g.ID).Scan(ctx, &last); err != nil {
			return db.Err(err)
		}
		if p.Number != last {
			return errs.Precondition("PREFINANCING_NOT_LAST",
				"instalment %d of %s cannot be deleted: only the last one (instalment %d) can, so that the instalments stay numbered in the order received",
				p.Number, g.Name(), last)
		}
		if _, err := tx.NewDelete().Model(p).WherePK().Exec(ctx); err != nil {
			return db.Err(err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: p.Name(), GrantID: g.ID, Changes: audit.Diff(tx, p, nil)})
	})
}
