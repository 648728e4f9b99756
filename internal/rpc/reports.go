package rpc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/resource"
)

// reportServer maps ReportService to the report package.
type reportServer struct {
	pactumv1connect.UnimplementedReportServiceHandler
	svc *report.Service
}

const (
	// ReportChunkBytes is the largest piece of a report file in one message.
	ReportChunkBytes = 256 << 10
	// reportProgressEvery throttles progress messages.
	reportProgressEvery = 250 * time.Millisecond
)

// Content types of the report formats.
const (
	ContentTypeXLSX = report.ContentTypeXLSX
	ContentTypePDF  = report.ContentTypePDF
)

// ReportGenerator writes a report to w, telling progress, and returns the
// file's name (report.Generator).
type ReportGenerator = report.Generator

// reportFormats maps the API's formats to the report package's.
var reportFormats = map[pactumv1.ReportFormat]report.Format{
	pactumv1.ReportFormat_REPORT_FORMAT_XLSX: report.FormatXLSX,
	pactumv1.ReportFormat_REPORT_FORMAT_PDF:  report.FormatPDF,
}

// reportRequest turns an export request into the report package's request
// and picks the generator and content type of its format.
func reportRequest(svc *report.Service, m *pactumv1.ExportFinancialReportRequest) (report.Request, ReportGenerator, string, error) {
	id, err := resource.ParseName(resource.Grants, m.GetGrant(), "grant")
	if err != nil {
		return report.Request{}, nil, "", err
	}
	req := report.Request{GrantID: id, Period: int(m.GetReportingPeriod()), From: m.GetFromDate(), To: m.GetToDate(), Language: m.GetLanguage(),
		VerifiedOnly: m.GetVerifiedOnly(), SignatoryName: m.GetSignatoryName(), SignatoryFunction: m.GetSignatoryFunction()}
	gen, contentType, err := svc.Generator(reportFormats[m.GetFormat()])
	if err != nil {
		return report.Request{}, nil, "", err
	}
	return req, gen, contentType, nil
}

func (s *reportServer) ExportFinancialReport(ctx context.Context, req *connect.Request[pactumv1.ExportFinancialReportRequest], stream *connect.ServerStream[pactumv1.ExportFinancialReportResponse]) error {
	r, gen, contentType, err := reportRequest(s.svc, req.Msg)
	if err != nil {
		return err
	}
	return streamReport(ctx, stream.Send, gen, r, contentType, s.svc.TempDir())
}

// streamReport makes a report into a temporary file while sending its
// progress (at most every reportProgressEvery), then sends the file's
// metadata and its content in chunks of at most ReportChunkBytes. A refused
// request (not found, permission, invalid) comes back as the generator's
// error before any part of the file is sent. The temporary file is removed
// in every case; it is made in tmpDir ("" for the system's temporary
// folder).
func streamReport(ctx context.Context, send func(*pactumv1.ExportFinancialReportResponse) error,
	gen ReportGenerator, req report.Request, contentType, tmpDir string) (err error) {
	f, err := os.CreateTemp(tmpDir, "pactum-report-*")
	if err != nil {
		return errs.Internal(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait() // the generator has stopped writing before the file goes
		_ = f.Close()
		_ = os.Remove(f.Name())
	}()

	// The generator reports progress into one slot, overwriting; the loop
	// below sends the latest state when it is due.
	var (
		mu     sync.Mutex
		latest *pactumv1.ReportProgress
		notify = make(chan struct{}, 1)
	)
	progress := func(stage string, done, total int64) {
		mu.Lock()
		latest = &pactumv1.ReportProgress{Stage: stage, Done: done, Total: total}
		mu.Unlock()
		select {
		case notify <- struct{}{}:
		default:
		}
	}
	type result struct {
		name string
		err  error
	}
	finished := make(chan result, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		var res result
		defer func() {
			if p := recover(); p != nil {
				res = result{err: fmt.Errorf("report generator panicked: %v", p)}
			}
			finished <- res
		}()
		w := bufio.NewWriterSize(f, 64<<10)
		res.name, res.err = gen(ctx, req, w, progress)
		if res.err == nil {
			res.err = w.Flush()
		}
	}()

	var (
		res      result
		lastSent time.Time
		timer    <-chan time.Time
	)
wait:
	for {
		select {
		case res = <-finished:
			break wait
		case <-notify:
			if wait := reportProgressEvery - time.Since(lastSent); wait > 0 {
				if timer == nil {
					timer = time.After(wait)
				}
				continue
			}
		case <-timer:
		}
		timer = nil
		mu.Lock()
		p := latest
		mu.Unlock()
		if err := send(&pactumv1.ExportFinancialReportResponse{Part: &pactumv1.ExportFinancialReportResponse_Progress{Progress: p}}); err != nil {
			return err
		}
		lastSent = time.Now()
	}
	if res.err != nil {
		return res.err
	}
	if res.name == "" {
		return errs.Internal(errors.New("the report generator returned no file name"))
	}

	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return errs.Internal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return errs.Internal(err)
	}
	if err := send(&pactumv1.ExportFinancialReportResponse{Part: &pactumv1.ExportFinancialReportResponse_File{
		File: &pactumv1.ReportFile{FileName: res.name, ContentType: contentType, SizeBytes: size}}}); err != nil {
		return err
	}
	// Send marshals the message before it returns, so one buffer serves
	// every chunk.
	buf := make([]byte, ReportChunkBytes)
	for sent := int64(0); sent < size; {
		n, err := io.ReadFull(f, buf[:min(int64(len(buf)), size-sent)])
		if err != nil {
			return errs.Internal(fmt.Errorf("reading the report back: %w", err))
		}
		if err := send(&pactumv1.ExportFinancialReportResponse{Part: &pactumv1.ExportFinancialReportResponse_Chunk{Chunk: buf[:n]}}); err != nil {
			return err
		}
		sent += int64(n)
	}
	return nil
}
