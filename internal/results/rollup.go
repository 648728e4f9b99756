package results

import (
	"context"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
)

// PeriodTotal is a number indicator's target and actual in one period,
// summed over projects.
type PeriodTotal struct {
	Period         int
	Target, Actual decimal.Decimal
}

// ProjectValue is one project's indicator in one period (not summed).
type ProjectValue struct {
	Indicator      string // resource name
	Period         int
	Target, Actual string
}

// Mismatch flags a disaggregation whose values do not add up to the actual.
type Mismatch struct {
	Indicator      string // resource name
	Period         int
	Disaggregation string
	Total, Sum     decimal.Decimal
}

// Rollup is one indicator code (with its type and unit) across a grant's
// projects.
type Rollup struct {
	Code, Title, Unit string
	Type              Type
	Indicators        []string // resource names
	// Numbers only.
	Periods                  []PeriodTotal
	TotalTarget, TotalActual decimal.Decimal
	// Other types.
	ProjectValues []ProjectValue
	Mismatches    []Mismatch
}

// GrantRollup adds up the indicators of grant grantID's projects that the
// caller may read (a partner sees only their own projects' part), grouped
// by code, type and unit. Numbers are summed across periods and projects
// (an empty target or actual counts as nothing); percentages, yes/no and
// qualitative indicators are listed per project and period. A number
// indicator's disaggregation whose values do not add up to the period's
// actual is flagged in Mismatches. Errors: not found (a grant hidden from
// the caller), internal.
func (s *Service) GrantRollup(ctx context.Context, grantID string) ([]*Rollup, error) {
	c := actor.From(ctx)
	if _, err := grantfacts.Visible(ctx, s.db, c, grantID); err != nil {
		return nil, err
	}
	var inds []*Indicator
	if err := policy.Where(s.db.NewSelect().Model(&inds).Where("i.grant_id = ?", grantID), visibleIndicators(ctx)).
		Order("i.code", "i.project_id", "i.id").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	type key struct {
		code, unit string
		typ        Type
	}
	var out []*Rollup
	groups := map[key]*Rollup{}
	for _, ind := range inds {
		k := key{ind.Code, ind.Unit, ind.Type}
		r := groups[k]
		if r == nil {
			r = &Rollup{Code: ind.Code, Title: ind.Title, Unit: ind.Unit, Type: ind.Type}
			groups[k] = r
			out = append(out, r)
		}
		r.Indicators = append(r.Indicators, ind.Name())
		for _, p := range ind.Periods {
			if ind.Type != TypeNumber {
				r.ProjectValues = append(r.ProjectValues, ProjectValue{Indicator: ind.Name(), Period: p.Period, Target: p.Target, Actual: p.Actual})
			} else {
				t, a := num(p.Target), num(p.Actual)
				j := slices.IndexFunc(r.Periods, func(pt PeriodTotal) bool { return pt.Period == p.Period })
				if j < 0 {
					r.Periods = append(r.Periods, PeriodTotal{Period: p.Period})
					j = len(r.Periods) - 1
				}
				r.Periods[j].Target = r.Periods[j].Target.Add(t)
				r.Periods[j].Actual = r.Periods[j].Actual.Add(a)
				r.TotalTarget = r.TotalTarget.Add(t)
				r.TotalActual = r.TotalActual.Add(a)
			}
			if ind.Type == TypeNumber {
				r.Mismatches = append(r.Mismatches, mismatches(ind, p)...)
			}
		}
	}
	for _, r := range out {
		slices.SortFunc(r.Periods, func(a, b PeriodTotal) int { return a.Period - b.Period })
	}
	return out, nil
}

// mismatches returns the disaggregations of period p of ind whose values do
// not add up to its actual, in the order of the indicator's disaggregations.
func mismatches(ind *Indicator, p Period) []Mismatch {
	var out []Mismatch
	total := num(p.Actual)
	for _, d := range ind.Disaggregations {
		sum, found := decimal.Zero, false
		for _, dv := range p.DisaggregatedActuals {
			if dv.Disaggregation == d.Name {
				sum, found = sum.Add(num(dv.Value)), true
			}
		}
		if found && !sum.Equal(total) {
			out = append(out, Mismatch{Indicator: ind.Name(), Period: p.Period, Disaggregation: d.Name, Total: total, Sum: sum})
		}
	}
	return out
}

// num parses a stored (already checked) number; "" is zero.
func num(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}
