package finance_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/resource"
)

const benchExpenditures = 200_000

// BenchmarkBudgetVsActual200k times GetBudgetVsActual (the service call,
// every grouping), and the compliance check, over a grant with 200,000 expenditures on 60 budget lines,
// 6 partners, 6 projects and 36 months, on SQLite and (when
// PACTUM_TEST_POSTGRES_DSN is set) PostgreSQL. The data is inserted before
// the timer runs.
func BenchmarkBudgetVsActual200k(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *bun.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			d := db.open(b)
			f := newFixture(b, d)
			grantID := seedBench(b, f)
			for _, by := range []finance.Grouping{finance.ByHeading, finance.ByLine, finance.ByPartner, finance.ByProject} {
				b.Run(string(by), func(b *testing.B) {
					q := finance.Query{GrantID: grantID, GroupBy: by, AsOf: "2027-12-31"}
					for b.Loop() {
						res, err := f.svc.BudgetVsActual(f.ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						if res.Total.Count < benchExpenditures/2 {
							b.Fatalf("only %d expenditures counted", res.Total.Count)
						}
					}
				})
			}
			// Not asked for, but it reads the same rows: the compliance check.
			b.Run("compliance", func(b *testing.B) {
				for b.Loop() {
					if _, err := f.svc.CheckCompliance(f.ctx, grantID, "2027-12-31"); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// seedBench inserts the benchmark's grant: 6 partners each with a project,
// 60 lines (10 per partner, over headings 1 to 6, contingency and indirect
// costs) and 200,000 expenditures spread over 36 months, in batches.
func seedBench(b *testing.B, f *fixture) string {
	b.Helper()
	ctx := f.ctx
	g := f.grant(b)
	orgs := organisation.NewService(f.d)
	var partners, projects []string
	for i := range 6 {
		o, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: fmt.Sprintf("Partner %d", i+1), CountryCode: "KE",
			Kind: organisation.KindLocalPartner}, "")
		if err != nil {
			b.Fatal(err)
		}
		partners = append(partners, o.ID)
		projects = append(projects, f.project(b, g, fmt.Sprintf("P-%02d", i+1), fmt.Sprintf("Project %d", i+1)))
	}
	v := f.version(b, g, 0, "original", "adopted")
	headings := []string{"1", "1", "1", "2", "3", "4", "5", "5", "8", "10"}
	type lineOf struct{ key, heading, project, org string }
	var lines []lineOf
	var bls []bl
	for p := range 6 {
		for h, code := range headings {
			l := lineOf{key: fmt.Sprintf("L%d-%d", p, h), heading: code, project: projects[p], org: partners[p]}
			lines = append(lines, l)
			bls = append(bls, bl{key: l.key, heading: code, code: fmt.Sprintf("%s.%d.%d", code, p+1, h+1),
				desc: "Line " + l.key, total: int64(100000_00 + 1000_00*h), project: l.project, org: l.org})
		}
	}
	f.lines(b, g, v, bls...)

	start := calendar.MustParse("2025-01-01")
	statuses := []string{"verified", "verified", "verified", "verified", "verified", "verified", "submitted", "submitted", "draft", "rejected"}
	const batch = 500
	rnd := rand.New(rand.NewPCG(5, 2026)) // the same data every run
	err := f.d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for from := 0; from < benchExpenditures; from += batch {
			var sb strings.Builder
			sb.WriteString(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, project_id, organisation_id, expense_date,
				amount, currency_code, status, rate, converted_amount, created_by, version, create_time, update_time) VALUES `)
			args := make([]any, 0, batch*11)
			for i := from; i < from+batch && i < benchExpenditures; i++ {
				if i > from {
					sb.WriteString(", ")
				}
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, 'KES', ?, ?, ?, 'bench', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
				l := lines[rnd.IntN(len(lines))]
				amount := 1000 + rnd.Int64N(500000)
				var rate, conv any = "140", (amount*100 + 70) / 140
				if rnd.IntN(100) == 0 { // 1% without a rate
					rate, conv = nil, nil
				}
				args = append(args, resource.NewID(), g, l.key, l.heading, l.project, l.org,
					start.AddDays(rnd.IntN(1095)).String(), amount, statuses[rnd.IntN(len(statuses))], rate, conv)
			}
			if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// PostgreSQL's autovacuum analyses a table soon after a bulk insert;
	// Pactum never analyses SQLite databases, so neither does the benchmark.
	if f.d.Dialect().Name() == dialect.PG {
		if _, err := f.d.ExecContext(ctx, "ANALYZE expenditures"); err != nil {
			b.Fatal(err)
		}
	}
	return g
}
