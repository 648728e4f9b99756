package budget

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rules"
)

// RuleSet is a grant's rule set as served: the rules and the grant
// currency.
type RuleSet struct {
	*rules.Rules
	Currency string
}

// Name returns "grants/{grant}/rules".
func (r *RuleSet) Name() string { return RulesName(r.GrantID) }

// ETag returns the current etag ("0" while the defaults apply).
func (r *RuleSet) ETag() string { return resource.ETag(r.Version) }

// RulesInput is what a caller writes of a rule set: percentages as decimal
// strings ("25", "7.5"), the template as an id.
type RulesInput struct {
	TemplateID            string
	Flexibility           string
	IndirectCap           string
	ContingencyCap        string
	PrefinancingThreshold string
	RatePolicy            rules.RatePolicy // "": not given
	FixedRates            []FixedRateInput
}

// FixedRateInput is a contract rate as written: units of Currency per 1
// unit of the grant currency.
type FixedRateInput struct {
	Currency string
	Rate     string
	Source   string
}

// RulesUpdatable lists the fields UpdateRules may change.
var RulesUpdatable = []string{"budget_template", "flexibility", "indirect_cap", "contingency_cap",
	"prefinancing_threshold", "exchange_rate_policy", "fixed_rates"}

// RatePolicies lists every rate policy.
var RatePolicies = []rules.RatePolicy{rules.Monthly, rules.PeriodAverage, rules.Fixed, rules.Transfer}

// GetRules returns the grant's rule set (the PRAG defaults, version 0,
// until it is first changed). Whoever reads the grant reads its rules.
// Errors: not found (also for a grant the caller may not read).
func (s *Service) GetRules(ctx context.Context, grantID string) (*RuleSet, error) {
	g, err := readGrant(ctx, s.db, actor.From(ctx), grantID, RulesName(grantID))
	if err != nil {
		return nil, err
	}
	r, err := rules.Load(ctx, s.db, grantID)
	if err != nil {
		return nil, err
	}
	return &RuleSet{Rules: r, Currency: g.CurrencyCode}, nil
}

// UpdateRules changes the fields named in mask (see RulesUpdatable) of the
// grant's rule set. etag is required and must be current (that of version
// 0 for the defaults, as GetRules returns it): the rules decide the
// conversion of every expenditure, and a change made unseen must not be
// overwritten. Changing the rate policy or the fixed rates converts the
// grant's expenditures again, in the same transaction; it returns how many
// changed. Field violations name GrantRules's fields. Errors: not found,
// permission, invalid (also a missing etag, field "etag"), aborted (stale
// etag), precondition (GRANT_CLOSED).
func (s *Service) UpdateRules(ctx context.Context, grantID string, in RulesInput, mask resource.Mask, etag string) (*RuleSet, int, error) {
	c := actor.From(ctx)
	var out *RuleSet
	var reconverted int
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		name := RulesName(grantID)
		g, err := manageGrant(ctx, tx, c, grantID, name, "the rules")
		if err != nil {
			return err
		}
		prev, err := rules.Load(ctx, tx, grantID)
		if err != nil {
			return err
		}
		if err := resource.RequireETag(name, etag, prev.Version); err != nil {
			return err
		}
		next := *prev
		next.FixedRates = slices.Clone(prev.FixedRates)
		if err := applyRules(ctx, tx, g, &next, in, mask); err != nil {
			return err
		}
		if err := rules.Save(ctx, tx, &next, s.now()); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.Aborted(name)
			}
			return err
		}
		changes := audit.Diff(tx, prev, &next)
		if a, b := describeRates(prev.FixedRates), describeRates(next.FixedRates); a != b {
			changes = append(changes, audit.Change{Field: "fixed_rates", Old: a, New: b})
		}
		if next.RatePolicy != prev.RatePolicy || describeRates(prev.FixedRates) != describeRates(next.FixedRates) {
			n, err := fx.ReconvertGrant(ctx, tx, grantID, fx.Scope{})
			if err != nil {
				return err
			}
			reconverted = n
			if n > 0 {
				changes = append(changes, audit.Change{Field: "expenditures_reconverted", New: fmt.Sprint(n)})
			}
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: name, GrantID: grantID, Changes: changes}); err != nil {
			return err
		}
		out = &RuleSet{Rules: &next, Currency: g.CurrencyCode}
		return nil
	})
	return out, reconverted, err
}

func describeRates(fs []rules.FixedRate) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Currency+" "+f.Rate.String()+" ("+f.Source+")")
	}
	return strings.Join(parts, "; ")
}

// applyRules checks the fields of in named by mask and sets them on r.
func applyRules(ctx context.Context, tx bun.IDB, g *grantfacts.Facts, r *rules.Rules, in RulesInput, mask resource.Mask) error {
	var v errs.Violations
	if mask.Has("budget_template") {
		if err := checkTemplateChange(ctx, tx, g, r.TemplateID, in.TemplateID, &v); err != nil {
			return err
		}
		r.TemplateID = in.TemplateID
	}
	percent := func(field, s, example string, dst *int64) {
		if !mask.Has(field) {
			return
		}
		if strings.TrimSpace(s) == "" {
			v.Add(field, "is required: a percentage with at most two decimals, e.g. %s", example)
			return
		}
		bp, err := money.ParsePercent(strings.TrimSpace(s))
		if err != nil {
			v.Add(field, "%s", err.Error())
			return
		}
		*dst = bp
	}
	percent("flexibility", in.Flexibility, "25 (PRAG), 15 or 20", &r.FlexibilityBP)
	percent("indirect_cap", in.IndirectCap, "7 (PRAG)", &r.IndirectCapBP)
	if mask.Has("indirect_cap") && !v.Has("indirect_cap") && r.IndirectCapBP < g.IndirectCostRateBP {
		v.Add("indirect_cap", "must not be below the grant's flat rate of indirect costs, %s percent (the Special Conditions'); lower the grant's indirect_cost_rate first (got %s)",
			money.FormatPercent(g.IndirectCostRateBP), strings.TrimSpace(in.IndirectCap))
	}
	percent("contingency_cap", in.ContingencyCap, "5 (PRAG)", &r.ContingencyCapBP)
	percent("prefinancing_threshold", in.PrefinancingThreshold, "70 (PRAG)", &r.PrefinancingThresholdBP)
	if mask.Has("exchange_rate_policy") {
		if !slices.Contains(RatePolicies, in.RatePolicy) {
			v.Add("exchange_rate_policy", "is required: MONTHLY, PERIOD_AVERAGE, FIXED or TRANSFER")
		} else {
			r.RatePolicy = in.RatePolicy
		}
	}
	if mask.Has("fixed_rates") {
		r.FixedRates = nil
		seen := map[string]int{}
		for i, f := range in.FixedRates {
			field := fmt.Sprintf("fixed_rates[%d]", i)
			cur := strings.TrimSpace(f.Currency)
			if _, err := money.Currency(cur); err != nil {
				v.Add(field+".currency_code", "%s", err.Error())
			} else if cur == g.CurrencyCode {
				v.Add(field+".currency_code", "%s is the grant currency, which needs no rate; give the currency expenditures are paid in, e.g. KES", cur)
			} else if j, dup := seen[cur]; dup {
				v.Add(field+".currency_code", "%s already has a rate at fixed_rates[%d]; give each currency once", cur, j)
			} else {
				seen[cur] = i
			}
			rate, err := decimal.NewFromString(strings.TrimSpace(f.Rate))
			if err != nil || strings.TrimSpace(f.Rate) == "" {
				v.Add(field+".rate", "%q is not a rate; write the units of %s per 1 %s as a decimal, e.g. 145.25", f.Rate, cur, g.CurrencyCode)
			} else if !rate.IsPositive() {
				v.Add(field+".rate", "must be more than 0 (got %s): the units of %s per 1 %s", f.Rate, cur, g.CurrencyCode)
			}
			r.FixedRates = append(r.FixedRates, rules.FixedRate{GrantID: g.ID, Currency: cur, Rate: rate, Source: strings.TrimSpace(f.Source)})
		}
		slices.SortFunc(r.FixedRates, func(a, b rules.FixedRate) int { return strings.Compare(a.Currency, b.Currency) })
	}
	return v.Err()
}

// checkTemplateChange checks a new template: it must exist, and every
// heading the grant's budget lines use must be a heading that holds lines
// in it.
func checkTemplateChange(ctx context.Context, tx bun.IDB, g *grantfacts.Facts, from, to string, v *errs.Violations) error {
	if to == "" {
		v.Add("budget_template", "is required: the budgetTemplates/{id} of the donor's template, e.g. budgetTemplates/%s", rules.PRAGTemplateID)
		return nil
	}
	t, err := loadTemplate(ctx, tx, to)
	if errs.Is(err, errs.KindNotFound) {
		v.Add("budget_template", "%s does not exist; ListBudgetTemplates gives the templates", resource.Name(resource.BudgetTemplates, to))
		return nil
	}
	if err != nil {
		return err
	}
	if to == from {
		return nil
	}
	var used []string
	if err := tx.NewSelect().Table("budget_lines").ColumnExpr("DISTINCT heading_code").Where("grant_id = ?", g.ID).
		OrderExpr("heading_code").Scan(ctx, &used); err != nil {
		return db.Err(err)
	}
	var missing []string
	for _, code := range used {
		if h, ok := t.Heading(code); !ok || h.Kind.Computed() {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		v.Add("budget_template", "the budget of %s has lines under heading(s) %s, which %q has no place for; keep the current template or move those lines first",
			g.Name(), strings.Join(missing, ", "), t.DisplayName)
	}
	return nil
}
