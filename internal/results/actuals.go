package results

import (
	"context"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// ReportedValue is the value an approved progress update reported for an
// indicator in a reporting period (internal/progress gathers them).
type ReportedValue struct {
	Value         string // already checked against the indicator's type
	Disaggregated []DisaggregatedValue
	ApproveTime   time.Time
}

// SetActualFromUpdates sets, within tx, the achieved value of indicator
// indicatorID in reporting period period from every approved progress update
// of its project in that period (values): for a number indicator the sum of
// the values and, per disaggregation and category, of the disaggregated
// values; for the other types (percentages are never summed) the value of
// the update approved last. The period is added when the indicator has no
// entry for it yet (with no target). With no values the actual is cleared.
// The indicator gets a new version and an "update" audit event, with the
// caller of ctx as actor; the caller has already decided it may approve the
// updates, and no permission is checked here. Errors: not found, internal.
func SetActualFromUpdates(ctx context.Context, tx bun.IDB, indicatorID string, period int, values []ReportedValue) error {
	i := new(Indicator)
	err := tx.NewSelect().Model(i).Where("i.id = ?", indicatorID).Scan(ctx)
	if err != nil {
		return db.Err(err, db.NotFound(resource.Name(resource.Indicators, indicatorID)))
	}
	before := *i
	before.Periods = slices.Clone(i.Periods)
	actual, disagg := combine(i, values)
	periods := slices.Clone(i.Periods)
	k := slices.IndexFunc(periods, func(p Period) bool { return p.Period == period })
	if k < 0 {
		periods = append(periods, Period{Period: period})
		slices.SortFunc(periods, func(a, b Period) int { return a.Period - b.Period })
		k = slices.IndexFunc(periods, func(p Period) bool { return p.Period == period })
	}
	periods[k].Actual, periods[k].DisaggregatedActuals = actual, disagg
	i.Periods = periods
	prev := i.Version
	i.Version++
	i.UpdateTime = time.Now().UTC()
	res, err := tx.NewUpdate().Model(i).Column("periods", "version", "update_time").WherePK().Where("version = ?", prev).Exec(ctx)
	if err != nil {
		return db.Err(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.Aborted(i.Name())
	}
	return record(ctx, tx, "update", i.Name(), i.GrantID, audit.Diff(tx, &before, i))
}

// combine works out an indicator's actual from the approved values.
func combine(i *Indicator, values []ReportedValue) (string, []DisaggregatedValue) {
	if len(values) == 0 {
		return "", []DisaggregatedValue{}
	}
	if i.Type != TypeNumber {
		latest := slices.MaxFunc(values, func(a, b ReportedValue) int { return a.ApproveTime.Compare(b.ApproveTime) })
		return latest.Value, append([]DisaggregatedValue{}, latest.Disaggregated...)
	}
	total := decimal.Zero
	type key struct{ d, c string }
	sums := map[key]decimal.Decimal{}
	var order []key
	for _, v := range values {
		total = total.Add(num(v.Value))
		for _, dv := range v.Disaggregated {
			k := key{dv.Disaggregation, dv.Category}
			if _, ok := sums[k]; !ok {
				order = append(order, k)
			}
			sums[k] = sums[k].Add(num(dv.Value))
		}
	}
	// In the order of the indicator's disaggregations and categories;
	// anything else after them.
	rank := func(k key) int {
		n := 0
		for _, d := range i.Disaggregations {
			for _, c := range d.Categories {
				if d.Name == k.d && c == k.c {
					return n
				}
				n++
			}
		}
		return n + slices.Index(order, k)
	}
	slices.SortStableFunc(order, func(a, b key) int { return rank(a) - rank(b) })
	out := []DisaggregatedValue{}
	for _, k := range order {
		out = append(out, DisaggregatedValue{Disaggregation: k.d, Category: k.c, Value: sums[k].String()})
	}
	return total.String(), out
}
