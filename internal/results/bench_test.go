package results_test

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"testing"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/results"
)

// bigWorld is the demo data with 17 more projects in grant 1 (20 in all),
// each with the demo's logframe shape (6 results) and 5 indicators over 8
// quarterly periods, IND-1 broken down by sex and age group.
func bigWorld(b *testing.B) *sheetWorld {
	b.Helper()
	w := newSheetWorld(b, dbtest.SQLite(b))
	ctx := actor.SystemContext(context.Background())
	ps := project.NewService(w.d)
	countries := []string{"KE", "NP", "PH", "SN", "BR", "BO", "UG", "GH"}
	org := w.data.Organisations["UDWU"].ID
	for k := 0; k < 17; k++ {
		p, err := ps.Create(ctx, project.Input{GrantID: w.grant, Code: fmt.Sprintf("X-%02d", k), Title: fmt.Sprintf("Project %d", k),
			CountryCodes: []string{countries[k%len(countries)]}, Participants: []project.Participant{{OrganisationID: org, Role: project.RoleCoordinator}}}, "")
		if err != nil {
			b.Fatal(err)
		}
		res := func(level results.Level, parent, code string) string {
			r, err := w.svc.CreateResult(ctx, p.ID, results.ResultInput{Level: level, ParentResultID: parent, Code: code, Title: "Result " + code}, "")
			if err != nil {
				b.Fatal(err)
			}
			return r.ID
		}
		oo := res(results.LevelOverallObjective, "", "OO")
		so1, so2 := res(results.LevelSpecificObjective, oo, "SO1"), res(results.LevelSpecificObjective, oo, "SO2")
		outs := []string{res(results.LevelOutput, so1, "OP1.1"), res(results.LevelOutput, so1, "OP1.2"), res(results.LevelOutput, so2, "OP2.1")}
		for n := 1; n <= 5; n++ {
			in := results.IndicatorInput{ResultID: outs[n%3], Code: "IND-" + strconv.Itoa(n), Title: "Indicator " + strconv.Itoa(n), Unit: "people",
				Type: results.TypeNumber, Baseline: "0"}
			if n == 1 {
				in.Disaggregations = []results.Disaggregation{{Name: "sex", Categories: []string{"women", "men"}}, {Name: "age group", Categories: []string{"15-24", "25+"}}}
			}
			for q := 1; q <= 8; q++ {
				a := 10*q + k
				per := results.Period{Period: q, Target: strconv.Itoa(12 * q), Actual: strconv.Itoa(a)}
				if n == 1 {
					per.DisaggregatedActuals = []results.DisaggregatedValue{{Disaggregation: "sex", Category: "women", Value: strconv.Itoa(a / 2)},
						{Disaggregation: "sex", Category: "men", Value: strconv.Itoa(a - a/2)}, {Disaggregation: "age group", Category: "15-24", Value: strconv.Itoa(a / 3)},
						{Disaggregation: "age group", Category: "25+", Value: strconv.Itoa(a - a/3)}}
				}
				in.Periods = append(in.Periods, per)
			}
			if _, err := w.svc.CreateIndicator(ctx, p.ID, in, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	return w
}

// go test ./internal/results -run '^$' -bench . -benchtime 5x
func BenchmarkResultsOfTwentyProjects(b *testing.B) {
	w := bigWorld(b)
	b.Run("logframe workbook", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.svc.LogframeXLSX(w.coordinator, w.grant, "fr", io.Discard, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("indicator sheet", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.svc.IndicatorSheet(w.coordinator, w.grant); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OPSYS workbook", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.svc.IndicatorSheetXLSX(w.coordinator, w.grant, "fr", io.Discard, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
