package narrative_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/narrative/render"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/resource"
)

// The benchmark's grant: 20 partners, each with 8 quarterly approved
// progress updates carrying a photo (with consent), two activities a
// quarter, and an output with an indicator; one reporting period of two
// years, so that the report holds all of it.
const (
	benchPartners = 20
	benchQuarters = 8
)

// BenchmarkNarrativeReport times compiling the report of that grant
// ("compile": reading every source and storing the sections, the first
// compilation untimed) and writing it as DOCX and PDF ("render", once
// internal/narrative/render writes them; skipped while it is a stub), on
// SQLite and, when PACTUM_TEST_POSTGRES_DSN is set, PostgreSQL. It
// reports each part's time, bytes and objects allocated, and peak heap
// (sampled every 2 ms).
//
//	go test -run '^$' -bench NarrativeReport -benchtime 3x ./internal/narrative/
func BenchmarkNarrativeReport(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *bun.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			d := db.open(b)
			dir := b.TempDir()
			blobs, err := blob.NewFS(filepath.Join(dir, "files"), dir)
			if err != nil {
				b.Fatal(err)
			}
			grantID := seedBenchGrant(b, d, blobs)
			svc := narrative.NewService(d, blobs)
			ctx := actor.SystemContext(context.Background())
			first, err := svc.Compile(ctx, grantID, 1)
			if err != nil {
				b.Fatal(err)
			}
			if first.UpdatesIncluded != benchPartners*benchQuarters || len(first.Photos) != benchPartners*benchQuarters {
				b.Fatalf("the report holds %d updates and %d photos, want %d of each", first.UpdatesIncluded, len(first.Photos), benchPartners*benchQuarters)
			}
			var last *narrative.Loaded
			compile := func() error {
				var err error
				last, err = svc.Compile(ctx, grantID, 1)
				return err
			}
			var docxBytes, pdfBytes int64
			renderBoth := func() error {
				var n countWriter
				o := render.Options{Language: "en", GeneratedBy: "Benchmark"}
				if err := render.DOCX(ctx, &n, last.Report, o); err != nil {
					return err
				}
				docxBytes, n = int64(n), 0
				if err := render.PDF(ctx, &n, last.Report, o); err != nil {
					return err
				}
				pdfBytes = int64(n)
				return nil
			}
			_ = compile()
			rendering := true
			if err := renderBoth(); err != nil {
				if !strings.Contains(err.Error(), "not written yet") {
					b.Fatal(err)
				}
				b.Logf("render is a stub (%v): timing the compilation only", err)
				rendering = false
			}
			var c, r measured
			b.ResetTimer()
			for b.Loop() {
				if err := c.measure(compile); err != nil {
					b.Fatal(err)
				}
				if rendering {
					if err := r.measure(renderBoth); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(float64(c.ns)/n/1e6, "compile-ms/op")
			b.ReportMetric(float64(c.bytes)/n/(1<<20), "compile-alloc-MB/op")
			b.ReportMetric(float64(c.allocs)/n, "compile-allocs/op")
			b.ReportMetric(float64(c.peak)/(1<<20), "compile-peak-heap-MB")
			if rendering {
				b.ReportMetric(float64(r.ns)/n/1e6, "render-ms/op")
				b.ReportMetric(float64(r.bytes)/n/(1<<20), "render-alloc-MB/op")
				b.ReportMetric(float64(r.allocs)/n, "render-allocs/op")
				b.ReportMetric(float64(r.peak)/(1<<20), "render-peak-heap-MB")
				b.ReportMetric(float64(docxBytes)/(1<<20), "docx-MB")
				b.ReportMetric(float64(pdfBytes)/(1<<20), "pdf-MB")
			}
		})
	}
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// measured adds up the measures of the runs of one part.
type measured struct {
	ns, bytes, allocs int64
	peak              uint64
}

func (m *measured) measure(fn func() error) error {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	err := fn()
	m.ns += time.Since(start).Nanoseconds()
	close(done)
	wg.Wait()
	m.peak = max(m.peak, peak)
	runtime.ReadMemStats(&after)
	m.bytes += int64(after.TotalAlloc - before.TotalAlloc)
	m.allocs += int64(after.Mallocs - before.Mallocs)
	return err
}

// seedBenchGrant inserts the benchmark's grant (rows written directly: the
// services' checks are not what is measured) and returns its id.
func seedBenchGrant(b testing.TB, d *bun.DB, blobs blob.Store) string {
	b.Helper()
	ctx := actor.SystemContext(context.Background())
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
	start := calendar.MustParse("2025-01-01")
	var err error
	txErr := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		exec := func(q string, args ...any) {
			if err == nil {
				if _, e := tx.ExecContext(ctx, q, args...); e != nil {
					err = fmt.Errorf("%s: %w", strings.Join(strings.Fields(q)[0:3], " "), e)
				}
			}
		}
		exec(`INSERT INTO grants (id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
			total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
			interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
			VALUES (?, ?, ?, 'CSO-LA/2025/999-020', 'Decent work with twenty partners', 'EUR', '2025-01-01', '2026-12-31',
			500000000, 450000000, 9000, 24, 60, 3, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, grantID, donor, lead)
		countries := []string{"KE", "SN", "NP", "PH", "BR", "BO", "KG", "GT", "BD", "ZA"}
		now := time.Now().UTC()
		for p := 0; p < benchPartners && err == nil; p++ {
			country := countries[p%len(countries)]
			partner := resource.NewID()
			exec(`INSERT INTO organisations (id, display_name, search_name, kind, country_code, region, version, create_time, update_time)
				VALUES (?, ?, ?, 'local_partner', ?, 'Africa', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				partner, fmt.Sprintf("Partner union %02d", p+1), fmt.Sprintf("partner union %02d", p+1), country)
			proj := resource.NewID()
			exec(`INSERT INTO projects (id, grant_id, code, title, version, create_time, update_time)
				VALUES (?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, proj, grantID, fmt.Sprintf("PRJ-%02d", p+1), "Organising in "+country)
			exec(`INSERT INTO project_countries (project_id, country_code, position) VALUES (?, ?, 0)`, proj, country)
			exec(`INSERT INTO project_participants (project_id, organisation_id, role, position, country_code) VALUES (?, ?, 'coordinator', 0, ?)`,
				proj, partner, country)
			exec(`INSERT INTO project_participants (project_id, organisation_id, role, position) VALUES (?, ?, 'associate', 1)`, proj, lead)
			output := resource.NewID()
			exec(`INSERT INTO results (id, project_id, grant_id, level, code, title, version, create_time, update_time)
				VALUES (?, ?, ?, 'output', 'OP1.1', 'Workers trained on labour rights', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, output, proj, grantID)
			ind := resource.NewID()
			periods, _ := json.Marshal([]map[string]any{{"period": 1, "target": "400", "actual": fmt.Sprint(300 + p),
				"disaggregated_actuals": []map[string]string{{"disaggregation": "sex", "category": "women", "value": fmt.Sprint(180 + p)},
					{"disaggregation": "sex", "category": "men", "value": "120"}}}})
			exec(`INSERT INTO indicators (id, project_id, grant_id, result_id, code, title, unit, type, baseline, disaggregations, periods,
				version, create_time, update_time) VALUES (?, ?, ?, ?, 'IND-1', 'Workers trained', 'people', 'number', '0',
				'[{"name":"sex","categories":["women","men"]}]', ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, ind, proj, grantID, output, string(periods))
			links, _ := json.Marshal([]string{output})
			indLinks, _ := json.Marshal([]string{ind})
			for q := 0; q < benchQuarters && err == nil; q++ {
				from := start.AddMonths(3 * q)
				to := start.AddMonths(3*q + 3).AddDays(-1)
				for k := 0; k < 2; k++ {
					day := from.AddDays(10 + 30*k)
					exec(`INSERT INTO activities (id, project_id, grant_id, title, type, start_date, end_date, country_code, place,
						women, men, other_or_not_stated, description, output_ids, indicator_ids, version, create_time, update_time)
						VALUES (?, ?, ?, ?, 'training', ?, ?, ?, 'Union office', ?, ?, 1, 'Training', ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
						resource.NewID(), proj, grantID, fmt.Sprintf("Know-your-rights training %d.%d", q+1, k+1), day.String(), day.String(), country,
						12+q, 9+k, string(links), string(indLinks))
				}
				ms := resource.NewID()
				exec(`INSERT INTO milestones (id, grant_id, project_id, kind, title, period_start_date, period_end_date, due_date,
					responsible_organisation_id, version, create_time, update_time)
					VALUES (?, ?, ?, 'partner_progress_update', ?, ?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
					ms, grantID, proj, fmt.Sprintf("Progress update PRJ-%02d, quarter %d", p+1, q+1), from.String(), to.String(), to.AddDays(15).String(), partner)
				upd := resource.NewID()
				exec(`INSERT INTO progress_updates (id, milestone_id, grant_id, project_id, organisation_id, state, achievements, challenges,
					changes_to_plans, lessons_learned, next_steps, submission_count, approve_time, version, create_time, update_time)
					VALUES (?, ?, ?, ?, ?, 'approved', ?, ?, ?, ?, ?, 1, ?, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
					upd, ms, grantID, proj, partner,
					strings.Repeat(fmt.Sprintf("Partner %d trained workers in quarter %d and met the labour inspectorate. ", p+1, q+1), 6),
					"Employers refused time off for some participants; one session was cancelled because of rain.",
					"Sessions move to evenings and weekends.", "Sessions near bus stations reach more workers.",
					"Second round of the survey; follow-up meeting with the authorities.", now)
				photo := benchPhoto(p*benchQuarters + q)
				sha, size, perr := blobs.Put(ctx, bytes.NewReader(photo))
				if perr != nil {
					return perr
				}
				exec(`INSERT INTO attachments (id, owner, grant_id, sha256, file_name, content_type, size_bytes, created_by, create_time,
					caption, credit, consent) VALUES (?, ?, ?, ?, 'photo.jpg', 'image/jpeg', ?, 'system', ?, ?, ?, TRUE)`,
					resource.NewID(), "progressUpdates/"+upd, grantID, sha, size, now,
					fmt.Sprintf("Training of partner %d, quarter %d", p+1, q+1), fmt.Sprintf("Partner union %02d", p+1))
			}
		}
		return err
	})
	if txErr != nil {
		b.Fatal(txErr)
	}
	return grantID
}

// benchPhoto is a 1024×768 JPEG, different for each n (a real camera's
// photo is larger; the documents scale them down either way).
func benchPhoto(n int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1024, 768))
	for y := 0; y < 768; y++ {
		for x := 0; x < 1024; x++ {
			img.Set(x, y, color.RGBA{uint8(x*255/1024 + n), uint8(y * 255 / 768), uint8((x + y + 7*n) % 256), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}
