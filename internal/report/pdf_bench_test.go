package report_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/resource"
)

const pdfBenchExpenditures = 200_000

// pdfBenchCurrencies are the synthetic grant's 8 currencies, with a rough
// rate per EUR.
var pdfBenchCurrencies = []struct {
	code string
	rate int64
}{{"EUR", 1}, {"KES", 140}, {"XOF", 656}, {"NPR", 145}, {"PHP", 62}, {"BRL", 6}, {"BOB", 7}, {"KGS", 95}}

// BenchmarkFinancialReportPDF times the PDF of the second reporting period
// of a grant with 200,000 expenditures in 8 currencies over its 36 months
// (inserted before the timer runs), on SQLite and, when
// PACTUM_TEST_POSTGRES_DSN is set, PostgreSQL; besides ns/op it reports
// the peak heap in use while the report is made and the file's size.
//
//	go test -run '^$' -bench FinancialReportPDF -benchtime 1x ./internal/report/
func BenchmarkFinancialReportPDF(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *bun.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			d := db.open(b)
			f := pdfNewFixture(b, d)
			pdfBenchSeed(b, f)
			svc := report.NewService(d)
			req := report.Request{GrantID: f.grant, Period: 2, Language: "fr"}
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			var peak atomic.Uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // samples the heap in use while the benchmark runs
				defer close(done)
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-time.After(2 * time.Millisecond):
					}
				}
			}()
			var size pdfCounter
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				size = 0
				if _, err := svc.PDF(f.finance, req, &size, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			close(stop)
			<-done
			b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(size)/1024, "pdf-KiB")
		})
	}
}

// pdfCounter counts the bytes written to it.
type pdfCounter int64

func (c *pdfCounter) Write(p []byte) (int, error) { *c += pdfCounter(len(p)); return len(p), nil }

var _ io.Writer = (*pdfCounter)(nil)

// pdfBenchSeed inserts 200,000 expenditures of the fixture's grant over
// its budget lines and partners, in 8 currencies, dated over its 36 months
// (and a few before its start), in batches; 1% have no rate, a fifth are
// drafts or rejected.
func pdfBenchSeed(b *testing.B, f *pdfFixture) {
	b.Helper()
	type line struct{ key, heading, org string }
	lines := []line{{"L11", "1", "dl"}, {"L12", "1", "st"}, {"L21", "2", "nu"}, {"L31", "3", "bk"}, {"L51", "5", "lead"},
		{"L61", "6", "nu"}, {"L81", "8", "lead"}, {"L101", "10", "lead"}}
	statuses := []string{"verified", "verified", "verified", "verified", "verified", "verified", "submitted", "submitted", "draft", "rejected"}
	start := calendar.MustParse("2025-01-01")
	rnd := rand.New(rand.NewPCG(6, 2026)) // the same data every run
	const batch = 500
	err := f.d.RunInTx(f.sys, nil, func(ctx context.Context, tx bun.Tx) error {
		for from := 0; from < pdfBenchExpenditures; from += batch {
			var sb strings.Builder
			sb.WriteString(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, organisation_id, expense_date, amount,
				currency_code, payee, document_ref, status, rate, rate_source, converted_amount, created_by, version, create_time, update_time) VALUES `)
			args := make([]any, 0, batch*12)
			for i := from; i < from+batch && i < pdfBenchExpenditures; i++ {
				if i > from {
					sb.WriteString(", ")
				}
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'InforEuro', ?, 'bench', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
				l := lines[rnd.IntN(len(lines))]
				cur := pdfBenchCurrencies[rnd.IntN(len(pdfBenchCurrencies))]
				eur := 500 + rnd.Int64N(50000) // cents
				var rate, conv any = fmt.Sprint(cur.rate), eur
				if rnd.IntN(100) == 0 {
					rate, conv = nil, nil
				}
				args = append(args, resource.NewID(), f.grant, l.key, l.heading, f.org[l.org],
					start.AddDays(rnd.IntN(1095)-3).String(), eur*cur.rate, cur.code, fmt.Sprintf("Payee %d", i%5000),
					fmt.Sprintf("B-%06d", i), statuses[rnd.IntN(len(statuses))], rate, conv)
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
	if f.d.Dialect().Name() == dialect.PG {
		if _, err := f.d.ExecContext(f.sys, "ANALYZE expenditures"); err != nil {
			b.Fatal(err)
		}
	}
}
