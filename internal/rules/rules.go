// Package rules holds a grant's financial rule set: the donor template its
// budget follows, the flexibility threshold between headings, the caps on
// indirect costs and contingency, the pre-financing threshold, and the
// exchange-rate policy with its fixed contract rates. A grant without a
// stored rule set follows the EU PRAG defaults.
package rules

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
)

// RatePolicy is how a grant converts expenditures to its currency.
type RatePolicy string

const (
	// Monthly: the monthly rate of the month the cost was incurred.
	Monthly RatePolicy = "monthly"
	// PeriodAverage: the simple average of the monthly rates over the
	// reporting period that holds the cost's date.
	PeriodAverage RatePolicy = "period_average"
	// Fixed: a fixed contract rate per currency.
	Fixed RatePolicy = "fixed"
	// Transfer: the rate of the latest bank transfer to the partner in that
	// currency on or before the cost's date.
	Transfer RatePolicy = "transfer"
)

// PRAGTemplateID is the built-in EU PRAG Annex III template.
const PRAGTemplateID = "eu-prag-annex-iii"

// Rules is a grant's rule set. Percentages are hundredths of a percent.
type Rules struct {
	bun.BaseModel `bun:"table:grant_rules"`

	GrantID                 string     `bun:"grant_id,pk"`
	TemplateID              string     `bun:"template_id"`
	FlexibilityBP           int64      `bun:"flexibility_bp"`
	IndirectCapBP           int64      `bun:"indirect_cap_bp"`
	ContingencyCapBP        int64      `bun:"contingency_cap_bp"`
	PrefinancingThresholdBP int64      `bun:"prefinancing_threshold_bp"`
	RatePolicy              RatePolicy `bun:"rate_policy"`
	Version                 int64      `bun:"version"` // 0: defaults, never stored
	CreateTime              time.Time  `bun:"create_time"`
	UpdateTime              time.Time  `bun:"update_time"`

	// FixedRates are the contract rates (policy Fixed), by currency.
	FixedRates []FixedRate `bun:"-"`
}

// FixedRate is a contract rate: units of Currency per 1 unit of the grant
// currency.
type FixedRate struct {
	bun.BaseModel `bun:"table:grant_fixed_rates"`

	GrantID  string          `bun:"grant_id,pk"`
	Currency string          `bun:"currency_code,pk"`
	Rate     decimal.Decimal `bun:"rate,type:text"`
	Source   string          `bun:"source"`
}

// Defaults returns the EU PRAG rule set for a grant: 25% flexibility,
// indirect costs at most 7%, contingency at most 5%, further pre-financing
// at 70%, monthly rates.
func Defaults(grantID string) *Rules {
	return &Rules{
		GrantID: grantID, TemplateID: PRAGTemplateID,
		FlexibilityBP: 2500, IndirectCapBP: 700, ContingencyCapBP: 500, PrefinancingThresholdBP: 7000,
		RatePolicy: Monthly,
	}
}

// Load returns the grant's rule set, or the defaults when none is stored.
// It does not check who is asking: callers have checked access to the grant.
func Load(ctx context.Context, idb bun.IDB, grantID string) (*Rules, error) {
	r := new(Rules)
	err := idb.NewSelect().Model(r).Where("grant_id = ?", grantID).Scan(ctx)
	if db.IsNoRows(err) {
		r = Defaults(grantID)
	} else if err != nil {
		return nil, db.Err(err)
	}
	if err := idb.NewSelect().Model(&r.FixedRates).Where("grant_id = ?", grantID).Order("currency_code").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	return r, nil
}

// Save stores r (inserting it the first time) with its fixed rates, within
// a transaction the caller owns, and bumps its version. The caller has
// checked the etag against r.Version before changing r.
func Save(ctx context.Context, tx bun.Tx, r *Rules, now time.Time) error {
	r.UpdateTime = now
	if r.Version == 0 {
		r.Version, r.CreateTime = 1, now
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return db.Err(err)
		}
	} else {
		res, err := tx.NewUpdate().Model(r).
			Set("template_id = ?, flexibility_bp = ?, indirect_cap_bp = ?, contingency_cap_bp = ?", r.TemplateID, r.FlexibilityBP, r.IndirectCapBP, r.ContingencyCapBP).
			Set("prefinancing_threshold_bp = ?, rate_policy = ?, version = version + 1, update_time = ?", r.PrefinancingThresholdBP, r.RatePolicy, now).
			Where("grant_id = ? AND version = ?", r.GrantID, r.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted("grants/" + r.GrantID + "/rules")
		}
		r.Version++
	}
	if _, err := tx.NewDelete().Model((*FixedRate)(nil)).Where("grant_id = ?", r.GrantID).Exec(ctx); err != nil {
		return db.Err(err)
	}
	for i := range r.FixedRates {
		r.FixedRates[i].GrantID = r.GrantID
	}
	if len(r.FixedRates) > 0 {
		if _, err := tx.NewInsert().Model(&r.FixedRates).Exec(ctx); err != nil {
			return db.Err(err)
		}
	}
	return nil
}

// FixedRate returns the contract rate for currency, if there is one.
func (r *Rules) FixedRate(currency string) (FixedRate, bool) {
	for _, f := range r.FixedRates {
		if f.Currency == currency {
			return f, true
		}
	}
	return FixedRate{}, false
}

// Percent writes hundredths of a percent as a decimal percentage ("25.00").
func Percent(bp int64) string { return decimal.New(bp, -2).StringFixed(2) }

// Describe names the policy for people, e.g. in rate sources.
func (p RatePolicy) Describe() string {
	switch p {
	case Monthly:
		return "monthly rate of the month incurred"
	case PeriodAverage:
		return "average of the monthly rates over the reporting period"
	case Fixed:
		return "fixed contract rate"
	case Transfer:
		return "rate of the bank transfer that funded the partner"
	}
	return fmt.Sprintf("unknown policy %q", string(p))
}
