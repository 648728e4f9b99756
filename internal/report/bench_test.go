package report

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/resource"
)

// benchExpenditures is the size of the benchmark's grant.
const benchExpenditures = 200_000

// benchCurrencies are the benchmark's 8 currencies with a rate per EUR.
var benchCurrencies = []struct{ code, rate string }{
	{"EUR", "1"}, {"KES", "140.25"}, {"XOF", "655.957"}, {"NPR", "150.1234"},
	{"PHP", "62.515"}, {"BRL", "5.4321"}, {"BOB", "7.4876"}, {"KGS", "95.5"},
}

// BenchmarkFinancialReportXLSX times the workbook of a synthetic grant with
// 200,000 expenditures in 8 currencies (all in the reported range), on
// SQLite and, when PACTUM_TEST_POSTGRES_DSN is set, PostgreSQL, against a
// baseline measured in the same run: "baseline" reads the same rows in the
// same read transaction and writes the same cells with a bare excelize
// StreamWriter (no formulas, styles, statement, other sheets or layout).
// The two are interleaved (baseline, report, baseline, report, ...) so
// that a noisy, shared machine slows both alike, and the benchmark
// reports, per database, the report's time and bytes allocated over the
// baseline's (x-time, x-alloc-bytes, x-allocs; target <= 1.5 in time), each one's peak
// heap (sampled every 2 ms) and time per run. The data is inserted before
// the timer runs; one untimed run of each warms the caches.
//
//	go test -run '^$' -bench FinancialReportXLSX -benchtime 3x ./internal/report/
func BenchmarkFinancialReportXLSX(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *bun.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			d := db.open(b)
			grantID := SeedBenchGrant(b, d, benchExpenditures)
			svc := NewService(d)
			ctx := actor.SystemContext(context.Background())
			req := Request{GrantID: grantID, From: "2025-01-01", To: "2027-12-31"}
			base := func() error { return bareXLSX(ctx, svc, req, io.Discard) }
			full := func() error {
				_, err := svc.XLSX(ctx, req, io.Discard, nil)
				return err
			}
			for _, fn := range []func() error{base, full} {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
			var baseRun, fullRun run
			b.ResetTimer()
			for b.Loop() {
				if err := baseRun.measure(base); err != nil {
					b.Fatal(err)
				}
				if err := fullRun.measure(full); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(float64(baseRun.ns)/n/1e6, "baseline-ms/op")
			b.ReportMetric(float64(fullRun.ns)/n/1e6, "xlsx-ms/op")
			b.ReportMetric(float64(fullRun.ns)/float64(baseRun.ns), "x-time")
			b.ReportMetric(float64(fullRun.bytes)/float64(baseRun.bytes), "x-alloc-bytes")
			b.ReportMetric(float64(fullRun.allocs)/float64(baseRun.allocs), "x-allocs")
			b.ReportMetric(float64(baseRun.peak)/(1<<20), "baseline-peak-heap-MB")
			b.ReportMetric(float64(fullRun.peak)/(1<<20), "xlsx-peak-heap-MB")
		})
	}
}

// run adds up the measures of the runs of one side of a benchmark.
type run struct {
	ns, bytes, allocs int64
	peak              uint64
}

// measure runs fn once after a GC, adding its time, bytes and objects
// allocated and raising the peak heap seen while it ran.
func (r *run) measure(fn func() error) error {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := newPeakHeap()
	start := time.Now()
	err := fn()
	r.ns += time.Since(start).Nanoseconds()
	r.peak = max(r.peak, peak.stop())
	runtime.ReadMemStats(&after)
	r.bytes += int64(after.TotalAlloc - before.TotalAlloc)
	r.allocs += int64(after.Mallocs - before.Mallocs)
	return err
}

// peakHeap samples the heap's live and unswept objects until stopped.
type peakHeap struct {
	peak uint64 // written by the sampling goroutine only; read after it ends
	done chan struct{}
	wg   sync.WaitGroup
}

func newPeakHeap() *peakHeap {
	p := &peakHeap{done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > p.peak {
			p.peak = v
		}
	}
	read()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return p
}

func (p *peakHeap) stop() uint64 {
	close(p.done)
	p.wg.Wait()
	return p.peak
}

// bareXLSX is the baseline: within one read-only transaction, the same
// checks, names and rows as the expenditure list, written as the same cell
// values with a bare StreamWriter, and the file written out.
func bareXLSX(ctx context.Context, s *Service, req Request, w io.Writer) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	err := s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sc, err := resolve(ctx, tx, req, calendar.Of(s.now()))
		if err != nil {
			return err
		}
		names, err := finance.LoadListNames(ctx, tx, sc.Grant.ID)
		if err != nil {
			return err
		}
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return err
		}
		row := make([]any, 14)
		r := 0
		grantScale, _ := money.Currency(sc.Grant.CurrencyCode)
		scales := map[string]int{}
		err = finance.StreamExpenditures(ctx, tx, sc.Grant, sc.Query(s.now()), func(e *ListedExpenditure) error {
			r++
			d, _ := excelDate(e.Date)
			scale, ok := scales[e.Currency]
			if !ok {
				scale, _ = money.Currency(e.Currency)
				scales[e.Currency] = scale
			}
			amt, _ := amount(e.Amount, scale)
			row[0], row[1], row[2], row[3], row[4] = d, e.DocumentRef, e.Payee, e.Description, e.HeadingCode
			row[5], row[6], row[7], row[8], row[9] = names.Lines[e.LineKey].Code, names.Partners[e.OrganisationID], nil, e.Currency, amt
			if e.ProjectID.Valid {
				row[7] = names.Projects[e.ProjectID.String]
			}
			row[10], row[11], row[13] = nil, nil, nil
			if e.Converted.Valid {
				row[10] = rateValue(e.Rate.String)
				row[11], _ = amount(e.Converted.Int64, grantScale)
			} else {
				row[13] = "Waiting for an exchange rate: " + e.RateProblem
			}
			row[12] = e.Status
			cell, _ := excelize.CoordinatesToCellName(1, r)
			return sw.SetRow(cell, row)
		})
		if err != nil {
			return err
		}
		return sw.Flush()
	})
	if err != nil {
		return err
	}
	return f.Write(w)
}

// SeedBenchGrant inserts a synthetic EUR grant from 2025-01-01 to
// 2027-12-31 (12-month reporting periods) with 7 partners and their
// projects, an adopted PRAG budget of 70 lines, and n submitted or
// verified expenditures over 36 months in 8 currencies (1% waiting for a
// rate), in batches; and returns the grant's id. The same data every run.
func SeedBenchGrant(b testing.TB, d *bun.DB, n int) string {
	b.Helper()
	ctx := actor.SystemContext(context.Background())
	exec := func(q string, args ...any) {
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", strings.Fields(q)[0:3], err)
		}
	}
	orgs := organisation.NewService(d)
	org := func(name, short, country string, kind organisation.Kind) string {
		o, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: name, ShortName: short, CountryCode: country, Kind: kind}, "")
		if err != nil {
			b.Fatal(err)
		}
		return o.ID
	}
	donor := org("European Commission", "EC", "BE", organisation.KindDonor)
	lead := org("Global Alliance for Decent Work", "GADW", "BE", organisation.KindLead)
	grantID := resource.NewID()
	exec(`INSERT INTO grants (id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, 'CSO-LA/2025/999-001', 'Decent work at scale', 'EUR', '2025-01-01', '2027-12-31',
		100000000000, 90000000000, 9000, 12, 60, 3, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, grantID, donor, lead)
	countries := []string{"KE", "SN", "NP", "PH", "BR", "BO", "KG"}
	var partners, projects []string
	for i, c := range countries {
		partners = append(partners, org(fmt.Sprintf("Partner %d of %s", i+1, c), fmt.Sprintf("P%d%s", i+1, c), c, organisation.KindLocalPartner))
		p := resource.NewID()
		exec(`INSERT INTO projects (id, grant_id, code, title, version, create_time, update_time)
			VALUES (?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, p, grantID, fmt.Sprintf("PRJ-%02d", i+1), "Project in "+c)
		projects = append(projects, p)
	}
	version := resource.NewID()
	exec(`INSERT INTO budget_versions (id, grant_id, number, kind, label, state, version, create_time, update_time)
		VALUES (?, ?, 0, 'original', 'Original budget', 'adopted', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, version, grantID)
	type lineOf struct{ key, heading string }
	var lines []lineOf
	headings := []string{"1", "1", "1", "2", "3", "4", "5", "5", "8", "10"}
	for p := range partners {
		for h, code := range headings {
			l := lineOf{key: fmt.Sprintf("L%d-%d", p, h), heading: code}
			lines = append(lines, l)
			total := int64(1_000_000_00 + 100_000_00*h)
			exec(`INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units,
				unit_cost, total, project_id, organisation_id, position, version, create_time, update_time)
				VALUES (?, ?, ?, ?, ?, ?, ?, 'lump sum', '1', ?, ?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				resource.NewID(), version, grantID, l.key, code, fmt.Sprintf("%s.%d.%d", code, p+1, h+1), "Line "+l.key,
				total, total, projects[p], partners[p], len(lines))
		}
	}

	payees := []string{"Safaricom PLC", "Kenya Power", "Nguyễn Thị Hương", "Hotel Manos", "Brussels Airlines", "São Tomé Prints",
		"Cooperativa Ñuñoa", "Đắk Lắk Transport", "Бишкек Сервис", "Jollibee Catering"}
	descs := []string{"Office rent", "Local transport", "Training venue and meals", "Per diems, field visit", "Printing of leaflets",
		"Electricity bill", "Salary, field officer", "Translation services", "Laptop for partner staff", "Bank charges"}
	start := calendar.MustParse("2025-01-01")
	statuses := []string{"verified", "verified", "verified", "submitted"}
	rnd := rand.New(rand.NewPCG(6, 2026))
	const batch = 500
	err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for from := 0; from < n; from += batch {
			var sb strings.Builder
			sb.WriteString(`INSERT INTO expenditures (id, grant_id, line_key, heading_code, project_id, organisation_id, expense_date,
				amount, currency_code, payee, description, document_ref, status, rate, rate_source, converted_amount, rate_problem,
				created_by, version, create_time, update_time) VALUES `)
			args := make([]any, 0, batch*16)
			for i := from; i < from+batch && i < n; i++ {
				if i > from {
					sb.WriteString(", ")
				}
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
				p := rnd.IntN(len(partners))
				l := lines[p*len(headings)+rnd.IntN(len(headings))]
				cur := benchCurrencies[rnd.IntN(len(benchCurrencies))]
				scale, _ := money.Currency(cur.code)
				date := start.AddDays(rnd.IntN(1095))
				amount := 100 + rnd.Int64N(50_000_000)
				if scale == 0 {
					amount /= 100
				}
				// An approximate conversion: the report only adds it up.
				var rate, conv any = cur.rate, benchConvert(amount, scale, cur.rate)
				source, problem := "InforEuro "+date.String()[:7]+", "+cur.code+" "+date.String()[:7], ""
				if cur.code == "EUR" {
					source = "grant currency"
				}
				if rnd.IntN(100) == 0 {
					rate, conv, source, problem = nil, nil, "", "no "+cur.code+" rate for "+date.String()[:7]
				}
				args = append(args, resource.NewID(), grantID, l.key, l.heading, projects[p], partners[p], date.String(),
					amount, cur.code, payees[rnd.IntN(len(payees))], descs[rnd.IntN(len(descs))],
					fmt.Sprintf("%s-%s-%06d", cur.code, date.String()[:7], i), statuses[rnd.IntN(len(statuses))],
					rate, source, conv, problem)
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
	if d.Dialect().Name() == dialect.PG {
		exec("ANALYZE expenditures")
	}
	return grantID
}

// benchConvert converts minor units of a currency at a decimal rate to euro
// cents, roughly (float64 is fine for made-up data).
func benchConvert(amount int64, scale int, rate string) int64 {
	var r float64
	_, _ = fmt.Sscan(rate, &r)
	v := float64(amount) / pow10[scale] / r * 100
	return int64(v + 0.5)
}
