package demo_test

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/results"
)

// The demo's logframes roll up per grant: IND-1 (people trained) is summed
// over the grant's projects, the percentage is listed per project, and
// KE-01's deliberately wrong age groups are flagged. Every project has an
// activity log whose age groups add up.
func TestSeedResultsAndActivities(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		today := calendar.MustParse("2026-11-23")
		data, err := demo.Seed(ctx, d, today)
		if err != nil {
			t.Fatal(err)
		}
		sys := actor.SystemContext(ctx)
		rs := results.NewService(d)
		all := page.Request{Size: page.MaxSize}
		for code, p := range data.Projects {
			res, _, err := rs.ListResults(sys, p.ID, all)
			if err != nil {
				t.Fatal(err)
			}
			levels := map[results.Level]int{}
			for _, r := range res {
				levels[r.Level]++
			}
			if levels[results.LevelOverallObjective] != 1 || levels[results.LevelSpecificObjective] != 2 || levels[results.LevelOutput] != 3 {
				t.Errorf("%s: results by level %v, want 1 overall objective, 2 specific objectives, 3 outputs", code, levels)
			}
			inds, _, err := rs.ListIndicators(sys, p.ID, all)
			if err != nil {
				t.Fatal(err)
			}
			types := map[results.Type]int{}
			for _, i := range inds {
				types[i.Type]++
			}
			if len(inds) != 5 || types[results.TypeNumber] != 2 || types[results.TypePercentage] != 1 || types[results.TypeYesNo] != 1 || types[results.TypeQualitative] != 1 {
				t.Errorf("%s: indicator types %v", code, types)
			}
			acts, _, totals, err := activity.NewService(d).List(sys, activity.Filter{ProjectID: p.ID}, all)
			if err != nil {
				t.Fatal(err)
			}
			if len(acts) < 4 || len(acts) > 8 || totals.Women+totals.Men+totals.OtherOrNotStated == 0 {
				t.Errorf("%s: %d activities, totals %+v", code, len(acts), totals)
			}
			for _, a := range acts {
				sum := 0
				for _, g := range a.ParticipantsByAge {
					sum += g.Count
				}
				if sum != a.Participants() || a.StartDate.After(today) || len(a.OutputIDs) == 0 {
					t.Errorf("%s: activity %q: age groups %d, participants %d, start %s, outputs %v", code, a.Title, sum, a.Participants(), a.StartDate, a.OutputIDs)
				}
			}
		}

		// Grant 1 (KE-01, NP-01, PH-01), which began on 1 January 2024:
		// periods 1 and 2 have ended, period 3 has begun.
		roll, err := rs.GrantRollup(sys, data.Grants[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]*results.Rollup{}
		for _, r := range roll {
			byCode[r.Code] = r
		}
		ind1 := byCode["IND-1"]
		if ind1 == nil || len(ind1.Indicators) != 3 || len(ind1.Periods) != 3 {
			t.Fatalf("IND-1 roll-up: %+v", ind1)
		}
		// Targets: 120+30i, +40 and +80 for projects i = 0, 1, 2.
		if got := ind1.Periods[0].Target.String(); got != "450" {
			t.Errorf("IND-1 period 1 target %s, want 450", got)
		}
		if got := ind1.TotalTarget.String(); got != "1710" {
			t.Errorf("IND-1 total target %s, want 1710", got)
		}
		if ind1.Periods[0].Actual.IsZero() || ind1.Periods[2].Actual.IsZero() {
			t.Errorf("IND-1 actuals %+v: want values for the ended and the current period", ind1.Periods)
		}
		if len(ind1.Mismatches) != 1 || ind1.Mismatches[0].Period != 1 || ind1.Mismatches[0].Disaggregation != "age group" ||
			!ind1.Mismatches[0].Total.Sub(ind1.Mismatches[0].Sum).Equal(decimalSeven) {
			t.Errorf("IND-1 mismatches %+v, want KE-01's age groups in period 1, 7 short", ind1.Mismatches)
		}
		share := byCode["IND-3"]
		if share == nil || share.Type != results.TypePercentage || len(share.Periods) != 0 || !share.TotalActual.IsZero() || len(share.ProjectValues) != 9 {
			t.Errorf("IND-3 (a percentage) must be listed per project, not summed: %+v", share)
		}
	})
}

var decimalSeven = decimal.NewFromInt(7)
