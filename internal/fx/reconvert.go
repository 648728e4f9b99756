package fx

import (
	"context"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
)

// Scope narrows a reconversion within one grant; empty fields match all.
type Scope struct {
	OrganisationID string
	Currency       string
}

// ReconvertGrant converts the grant's expenditures again (within scope),
// within the caller's transaction, after its rules, fixed rates, transfers
// or rates changed, and stores the conversions that changed. It returns how
// many expenditures changed.
func ReconvertGrant(ctx context.Context, tx bun.IDB, grantID string, scope Scope) (int, error) {
	conv, err := NewConverter(ctx, tx, grantID)
	if err != nil {
		return 0, err
	}
	return reconvert(ctx, tx, conv, scope)
}

// ReconvertForRate converts again, within the caller's transaction, the
// expenditures in currency of every grant kept in base whose conversion may
// use that currency's monthly rates, after a rate was set, replaced or
// deleted. It returns how many expenditures changed.
func ReconvertForRate(ctx context.Context, tx bun.IDB, base, currency string) (int, error) {
	var grantIDs []string
	err := tx.NewSelect().Table("grants").Column("id").
		Where("currency_code = ?", base).
		Where("id IN (SELECT grant_id FROM expenditures WHERE currency_code = ?)", currency).
		Where("id NOT IN (SELECT grant_id FROM grant_rules WHERE rate_policy NOT IN ('monthly', 'period_average'))").
		Order("id").Scan(ctx, &grantIDs)
	if err != nil {
		return 0, db.Err(err)
	}
	total := 0
	for _, id := range grantIDs {
		n, err := ReconvertGrant(ctx, tx, id, Scope{Currency: currency})
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

type stored struct {
	ID        string           `bun:"id"`
	OrgID     string           `bun:"organisation_id"`
	Date      calendar.Date    `bun:"expense_date"`
	Amount    int64            `bun:"amount"`
	Currency  string           `bun:"currency_code"`
	Rate      *decimal.Decimal `bun:"rate,type:text"`
	Source    string           `bun:"rate_source"`
	Converted *int64           `bun:"converted_amount"`
	Problem   string           `bun:"rate_problem"`
}

func reconvert(ctx context.Context, tx bun.IDB, conv *Converter, scope Scope) (int, error) {
	q := tx.NewSelect().Table("expenditures").
		Column("id", "organisation_id", "expense_date", "amount", "currency_code", "rate", "rate_source", "converted_amount", "rate_problem").
		Where("grant_id = ?", conv.grant.ID)
	if scope.OrganisationID != "" {
		q = q.Where("organisation_id = ?", scope.OrganisationID)
	}
	if scope.Currency != "" {
		q = q.Where("currency_code = ?", scope.Currency)
	}
	var rows []stored
	if err := q.Order("id").Scan(ctx, &rows); err != nil {
		return 0, db.Err(err)
	}
	changed := 0
	for _, r := range rows {
		c, err := conv.Convert(ctx, r.Date, r.OrgID, r.Currency, r.Amount)
		if err != nil {
			return changed, err
		}
		if same(r, c) {
			continue
		}
		if err := Store(ctx, tx, r.ID, c); err != nil {
			return changed, err
		}
		changed++
	}
	return changed, nil
}

func same(r stored, c Conversion) bool {
	if !c.OK() {
		return r.Converted == nil && r.Problem == c.Problem
	}
	return r.Converted != nil && *r.Converted == c.Converted && r.Rate != nil && r.Rate.Equal(c.Rate) && r.Source == c.Source && r.Problem == ""
}

// Store writes a conversion onto an expenditure row, within the caller's
// transaction. It does not bump the row's version: the conversion follows
// from the rates, it is not an edit of the expenditure.
func Store(ctx context.Context, tx bun.IDB, expenditureID string, c Conversion) error {
	q := tx.NewUpdate().Table("expenditures").Where("id = ?", expenditureID)
	if c.OK() {
		q = q.Set("rate = ?, rate_source = ?, converted_amount = ?, rate_problem = ''", c.Rate.String(), c.Source, c.Converted)
	} else {
		q = q.Set("rate = NULL, rate_source = '', converted_amount = NULL, rate_problem = ?", c.Problem)
	}
	if _, err := q.Exec(ctx); err != nil {
		return db.Err(err)
	}
	return nil
}
