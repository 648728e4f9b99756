package rpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/report"
)

// fakeReport writes size bytes in 10 KiB pieces over d, telling progress
// after every piece and sleeping d/pieces after it. Run in a synctest
// bubble, the sleeps take no real time and the schedule is exact.
func fakeReport(size int, d time.Duration) (ReportGenerator, []byte) {
	content := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	return func(ctx context.Context, req report.Request, w io.Writer, progress report.Progress) (string, error) {
		pieces := (len(content) + 10239) / 10240
		for i := 0; i < pieces; i++ {
			if err := ctx.Err(); err != nil {
				return "", err
			}
			end := min((i+1)*10240, len(content))
			if _, err := w.Write(content[i*10240 : end]); err != nil {
				return "", err
			}
			progress("expenditures", int64(i+1), int64(pieces))
			time.Sleep(d / time.Duration(pieces))
		}
		return "financial-report-X-P1.xlsx", nil
	}, content
}

func tempReports(t testing.TB, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "pactum-report-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The progress throttle runs on synctest's fake clock: 70 pieces, one every
// 800/70 ms, so progress is due at 0 (the first, at once), then when the
// 250 ms timer fires at 250, 500 and 750 ms, each time with the latest
// piece (the 22nd, written at 240 ms; the 44th; the 66th); the report is
// done at 800 ms, before the next.
func TestStreamReportSendsThrottledProgressThenMetadataThenChunks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		tmp := t.TempDir()
		gen, content := fakeReport(700<<10, 800*time.Millisecond)
		var got []*pactumv1.ExportFinancialReportResponse
		var sentAt []time.Duration
		start := time.Now()
		send := func(m *pactumv1.ExportFinancialReportResponse) error {
			// Send marshals at once; keep a copy as the wire would.
			if c := m.GetChunk(); c != nil {
				m = &pactumv1.ExportFinancialReportResponse{Part: &pactumv1.ExportFinancialReportResponse_Chunk{Chunk: bytes.Clone(c)}}
			}
			got = append(got, m)
			sentAt = append(sentAt, time.Since(start))
			return nil
		}
		if err := streamReport(context.Background(), send, gen, report.Request{GrantID: "g"}, ContentTypeXLSX, tmp); err != nil {
			t.Fatal(err)
		}
		if elapsed, want := time.Since(start), 70*(800*time.Millisecond/70); elapsed != want {
			t.Errorf("the report took %v of the fake clock, want %v", elapsed, want)
		}

		var progress []string
		var chunks int
		var file *pactumv1.ReportFile
		var body []byte
		for i, m := range got {
			switch {
			case m.GetProgress() != nil:
				if file != nil {
					t.Fatalf("message %d: progress after the file's metadata", i)
				}
				p := m.GetProgress()
				progress = append(progress, fmt.Sprintf("%s %d/%d at %v", p.GetStage(), p.GetDone(), p.GetTotal(), sentAt[i]))
			case m.GetFile() != nil:
				if file != nil {
					t.Fatal("two metadata messages")
				}
				file = m.GetFile()
			default:
				if file == nil {
					t.Fatalf("message %d: a chunk before the metadata", i)
				}
				if len(m.GetChunk()) == 0 || len(m.GetChunk()) > ReportChunkBytes {
					t.Errorf("chunk of %d bytes", len(m.GetChunk()))
				}
				body = append(body, m.GetChunk()...)
				chunks++
			}
		}
		if file.GetFileName() != "financial-report-X-P1.xlsx" || file.GetContentType() != ContentTypeXLSX || file.GetSizeBytes() != int64(len(content)) {
			t.Errorf("metadata %v", file)
		}
		if !bytes.Equal(body, content) || chunks != 3 {
			t.Errorf("%d chunks, %d bytes; want 3 chunks, %d bytes", chunks, len(body), len(content))
		}
		want := []string{"expenditures 1/70 at 0s", "expenditures 22/70 at 250ms", "expenditures 44/70 at 500ms", "expenditures 66/70 at 750ms"}
		if !slices.Equal(progress, want) {
			t.Errorf("progress messages\n got %q\nwant %q", progress, want)
		}
		if left := tempReports(t, tmp); len(left) != 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
}

func TestStreamReportRefusalComesBackBeforeAnyByte(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	refused := errs.NotFound("grants/nope")
	gen := func(ctx context.Context, req report.Request, w io.Writer, progress report.Progress) (string, error) {
		return "", refused
	}
	sent := 0
	err := streamReport(context.Background(), func(*pactumv1.ExportFinancialReportResponse) error { sent++; return nil }, gen, report.Request{}, ContentTypePDF, tmp)
	if !errors.Is(err, refused) || sent != 0 {
		t.Errorf("err %v after %d messages", err, sent)
	}
	if left := tempReports(t, tmp); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// When the client goes (send fails on the first progress message, at once),
// streamReport cancels the generator and waits for it: the generator sees
// the cancellation after the piece it is sleeping on (2 s/205 on the fake
// clock), not after the 2 s the whole report would take.
func TestStreamReportStopsWhenTheClientGoes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		tmp := t.TempDir()
		gen, _ := fakeReport(2<<20, 2*time.Second)
		gone := errors.New("client went away")
		var stopped error
		wrapped := func(ctx context.Context, req report.Request, w io.Writer, progress report.Progress) (string, error) {
			name, err := gen(ctx, req, w, progress)
			stopped = err
			return name, err
		}
		start := time.Now()
		err := streamReport(context.Background(), func(*pactumv1.ExportFinancialReportResponse) error { return gone }, wrapped, report.Request{}, ContentTypePDF, tmp)
		if !errors.Is(err, gone) {
			t.Fatalf("err %v", err)
		}
		// The generator was cancelled and had stopped before streamReport returned.
		onePiece := 2 * time.Second / 205
		if elapsed := time.Since(start); !errors.Is(stopped, context.Canceled) || elapsed != onePiece {
			t.Errorf("generator ended with %v after %v; want %v after %v", stopped, elapsed, context.Canceled, onePiece)
		}
		if left := tempReports(t, tmp); len(left) != 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
}

func TestStreamReportSpoolsInTheTemporaryFolder(t *testing.T) {
	tmp, system := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", system)
	var inTmp, inSystem []string
	gen := func(ctx context.Context, req report.Request, w io.Writer, progress report.Progress) (string, error) {
		inTmp, inSystem = tempReports(t, tmp), tempReports(t, system)
		_, err := w.Write([]byte("report"))
		return "r.pdf", err
	}
	if err := streamReport(context.Background(), func(*pactumv1.ExportFinancialReportResponse) error { return nil }, gen,
		report.Request{}, ContentTypePDF, tmp); err != nil {
		t.Fatal(err)
	}
	if len(inTmp) != 1 || len(inSystem) != 0 {
		t.Fatalf("while making the report: %v in the temporary folder, %v in the system's; want one in the first only", inTmp, inSystem)
	}
	if left := tempReports(t, tmp); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestStreamReportSurvivesAPanickingGenerator(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	gen := func(ctx context.Context, req report.Request, w io.Writer, progress report.Progress) (string, error) {
		panic("boom")
	}
	err := streamReport(context.Background(), func(*pactumv1.ExportFinancialReportResponse) error { return nil }, gen, report.Request{}, ContentTypePDF, tmp)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("err %v", err)
	}
}

// BenchmarkStreamReport measures what streaming adds to making a report:
// a 32 MiB file through the temporary file and into 128 chunk messages.
//
//	go test -run '^$' -bench StreamReport ./internal/rpc/
func BenchmarkStreamReport(b *testing.B) {
	tmp := b.TempDir()
	content := bytes.Repeat([]byte("0123456789abcdef"), (32<<20)/16)
	gen := func(ctx context.Context, req report.Request, w io.Writer, progress report.Progress) (string, error) {
		for i := 0; i < len(content); i += 4096 {
			if _, err := w.Write(content[i:min(i+4096, len(content))]); err != nil {
				return "", err
			}
		}
		return "r.xlsx", nil
	}
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		var n int
		send := func(m *pactumv1.ExportFinancialReportResponse) error { n += len(m.GetChunk()); return nil }
		if err := streamReport(context.Background(), send, gen, report.Request{}, ContentTypeXLSX, tmp); err != nil || n != len(content) {
			b.Fatalf("%v, %d bytes", err, n)
		}
	}
}
