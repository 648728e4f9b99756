package grant

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/rules"
)

// indirectCap returns the cap on indirect costs of the rule set of prev
// (the stored grant on update), or of the default rule set on create, in
// hundredths of a percent. Errors: internal.
func indirectCap(ctx context.Context, idb bun.IDB, prev *Grant) (int64, error) {
	if prev == nil {
		return rules.Defaults("").IndirectCapBP, nil
	}
	r, err := rules.Load(ctx, idb, prev.ID)
	if err != nil {
		return 0, err
	}
	return r.IndirectCapBP, nil
}

// checkIndirectRate reads the flat rate of indirect costs s into
// g.IndirectCostRateBP: "" is 0 (no flat rate); otherwise a percentage from
// 0 to the cap of the grant's rule set (7% under the PRAG defaults), with
// at most two decimals. Broken rules are added to v; other errors are
// returned (internal).
func checkIndirectRate(ctx context.Context, idb bun.IDB, g *Grant, s string, prev *Grant, v *errs.Violations) error {
	s = strings.TrimSpace(s)
	if s == "" {
		g.IndirectCostRateBP = 0
		return nil
	}
	capBP, err := indirectCap(ctx, idb, prev)
	if err != nil {
		return err
	}
	bp, err := money.ParsePercent(s)
	switch {
	case err != nil && strings.Contains(err.Error(), "more than two decimals"):
		v.Add("indirect_cost_rate", "%s has more than two decimals; write the flat rate of the Special Conditions with at most two, from 0 to %s percent, e.g. 7 or 6.5",
			s, money.FormatPercent(capBP))
	case err != nil:
		v.Add("indirect_cost_rate", "%q is not a percentage; write the flat rate of indirect costs of the Special Conditions from 0 to %s percent of the direct eligible costs, e.g. 7 or 6.5 (0: no indirect costs at a flat rate)",
			s, money.FormatPercent(capBP))
	case bp > capBP:
		v.Add("indirect_cost_rate", "must be from 0 to %s percent of the direct eligible costs, the cap on indirect costs of the grant's rules (got %s)",
			money.FormatPercent(capBP), s)
	default:
		g.IndirectCostRateBP = bp
	}
	return nil
}
