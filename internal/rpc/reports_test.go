package rpc_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/demo"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// bearer sends an API token on unary and streaming calls alike
// (rpctest's clients set it on unary calls only).
type bearer string

func (b bearer) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		req.Header().Set("Authorization", "Bearer "+string(b))
		return next(ctx, req)
	}
}

func (b bearer) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set("Authorization", "Bearer "+string(b))
		return conn
	}
}

func (bearer) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// reportsAs returns a ReportService client acting as c (anonymous when c
// has no token), over the Connect protocol or, with opts, another.
func reportsAs(e *rpctest.Env, c *rpctest.Clients, opts ...connect.ClientOption) pactumv1connect.ReportServiceClient {
	if c != nil && c.Token != "" {
		opts = append(opts, connect.WithInterceptors(bearer(c.Token)))
	}
	return pactumv1connect.NewReportServiceClient(http.DefaultClient, e.URL, opts...)
}

// download is what a report stream delivered.
type download struct {
	progress []*pactumv1.ReportProgress
	file     *pactumv1.ReportFile
	content  []byte
	chunks   int
}

// exportReport runs the stream to its end; it fails the test when the
// parts come out of order or a chunk is too large.
func exportReport(t *testing.T, client pactumv1connect.ReportServiceClient, req *pactumv1.ExportFinancialReportRequest) (*download, error) {
	t.Helper()
	stream, err := client.ExportFinancialReport(context.Background(), connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	d := &download{}
	for stream.Receive() {
		m := stream.Msg()
		switch {
		case m.GetProgress() != nil:
			if d.file != nil {
				t.Errorf("progress after the file's metadata")
			}
			d.progress = append(d.progress, m.GetProgress())
		case m.GetFile() != nil:
			if d.file != nil {
				t.Errorf("the file's metadata twice")
			}
			d.file = m.GetFile()
		default:
			if d.file == nil {
				t.Errorf("a chunk before the file's metadata")
			}
			if n := len(m.GetChunk()); n == 0 || n > rpc.ReportChunkBytes {
				t.Errorf("a chunk of %d bytes", n)
			}
			d.content = append(d.content, m.GetChunk()...)
			d.chunks++
		}
	}
	if err := stream.Err(); err != nil {
		if d.file != nil {
			t.Errorf("error %v after the file's metadata", err)
		}
		return nil, err
	}
	if d.file == nil {
		t.Fatal("the stream ended without a file")
	}
	if int64(len(d.content)) != d.file.GetSizeBytes() {
		t.Errorf("received %d bytes; the metadata says %d", len(d.content), d.file.GetSizeBytes())
	}
	return d, nil
}

// seedDemo loads the demo data set and returns it with clients acting as
// the lead's finance officer, a Kenyan partner's editor and another lead's
// coordinator.
func seedDemo(t *testing.T, e *rpctest.Env) (data *demo.Data, finance, partner, stranger *rpctest.Clients) {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	data, err := demo.Seed(ctx, e.DB, calendar.Today())
	if err != nil || data == nil {
		t.Fatalf("demo seed: %v", err)
	}
	other := must(e.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{
		Organisation: &pactumv1.Organisation{DisplayName: "Other Network", Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD, CountryCode: "FR"}})))
	finance = e.As(t, rpctest.Member(actor.RoleFinance, data.Organisations["GADW"].ID))
	partner = e.As(t, rpctest.Member(actor.RolePartnerEditor, data.Organisations["UDWU"].ID))
	stranger = e.As(t, rpctest.Member(actor.RoleCoordinator, id(other.GetOrganisation().GetName())))
	return data, finance, partner, stranger
}

func TestExportFinancialReportStreamsTheFile(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		data, finance, _, _ := seedDemo(t, e)
		g := data.Grants[0]
		client := reportsAs(e, finance)
		for _, c := range []struct {
			format      pactumv1.ReportFormat
			ext, ctype  string
			magic       string
			periodLabel string
		}{
			{pactumv1.ReportFormat_REPORT_FORMAT_XLSX, ".xlsx", rpc.ContentTypeXLSX, "PK\x03\x04", "-P1"},
			{pactumv1.ReportFormat_REPORT_FORMAT_PDF, ".pdf", rpc.ContentTypePDF, "%PDF-", "-P1"},
		} {
			d, err := exportReport(t, client, &pactumv1.ExportFinancialReportRequest{Grant: g.Name(), Format: c.format, ReportingPeriod: 1, Language: "fr"})
			if err != nil {
				t.Fatalf("%s: %v", c.ext, err)
			}
			f := d.file
			if !strings.HasPrefix(f.GetFileName(), "financial-report-") || !strings.HasSuffix(f.GetFileName(), c.periodLabel+c.ext) ||
				f.GetContentType() != c.ctype {
				t.Errorf("%s: metadata %v", c.ext, f)
			}
			if !bytes.HasPrefix(d.content, []byte(c.magic)) {
				t.Errorf("%s: content starts %q", c.ext, d.content[:min(len(d.content), 8)])
			}
			if want := (len(d.content) + rpc.ReportChunkBytes - 1) / rpc.ReportChunkBytes; d.chunks != want {
				t.Errorf("%s: %d bytes in %d chunks, want %d", c.ext, len(d.content), d.chunks, want)
			}
			if len(d.progress) == 0 {
				t.Errorf("%s: no progress", c.ext)
			}
			t.Logf("%s: %s, %d bytes, %d chunks, %d progress messages", c.ext, f.GetFileName(), f.GetSizeBytes(), d.chunks, len(d.progress))
		}

		// A date range names the file by its dates.
		d, err := exportReport(t, client, &pactumv1.ExportFinancialReportRequest{Grant: g.Name(), Format: pactumv1.ReportFormat_REPORT_FORMAT_XLSX,
			FromDate: g.StartDate.String(), ToDate: g.StartDate.AddDays(90).String()})
		if err != nil {
			t.Fatal(err)
		}
		if want := g.StartDate.String() + "_" + g.StartDate.AddDays(90).String() + ".xlsx"; !strings.HasSuffix(d.file.GetFileName(), want) {
			t.Errorf("date range: file %s, want ...%s", d.file.GetFileName(), want)
		}
	})
}

// The interceptors guard the streaming procedure as they guard unary ones:
// authentication, the grant's readers, validation naming the field, errors
// mapped to their codes, all before any part of the file.
func TestExportFinancialReportIsGuarded(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		data, finance, partner, stranger := seedDemo(t, e)
		g := data.Grants[0].Name()
		xlsx := pactumv1.ReportFormat_REPORT_FORMAT_XLSX
		ok := &pactumv1.ExportFinancialReportRequest{Grant: g, Format: xlsx, ReportingPeriod: 1}

		_, err := exportReport(t, reportsAs(e, nil), ok)
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		_, err = exportReport(t, reportsAs(e, &rpctest.Clients{Token: "pat_forged"}), ok)
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		// A forged session cookie, sent by hand.
		forged := pactumv1connect.NewReportServiceClient(http.DefaultClient, e.URL, connect.WithInterceptors(cookie("pactum_session=forged")))
		_, err = exportReport(t, forged, ok)
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)

		_, err = exportReport(t, reportsAs(e, partner), ok)
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, err = exportReport(t, reportsAs(e, stranger), ok)
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = exportReport(t, reportsAs(e, finance), &pactumv1.ExportFinancialReportRequest{Grant: "grants/nope", Format: xlsx})
		rpctest.ExpectCode(t, err, connect.CodeNotFound)

		for field, req := range map[string]*pactumv1.ExportFinancialReportRequest{
			"language":         {Grant: g, Format: xlsx, Language: "de"},
			"format":           {Grant: g},
			"grant":            {Grant: "projects/x", Format: xlsx},
			"from_date":        {Grant: g, Format: xlsx, FromDate: "1 May 2026"},
			"to_date":          {Grant: g, Format: xlsx, FromDate: "2026-05-01", ToDate: "2026-04-30"},
			"reporting_period": {Grant: g, Format: xlsx, ReportingPeriod: 99},
		} {
			_, err := exportReport(t, reportsAs(e, finance), req)
			rpctest.ExpectViolation(t, err, field)
		}
		// The same over the gRPC-Web protocol (the web app speaks Connect).
		_, err = exportReport(t, reportsAs(e, finance, connect.WithGRPCWeb()), &pactumv1.ExportFinancialReportRequest{Grant: g, Format: xlsx, Language: "de"})
		rpctest.ExpectViolation(t, err, "language")
		_, err = exportReport(t, reportsAs(e, nil, connect.WithGRPCWeb()), ok)
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
	})
}

// cookie sends a Cookie header on streaming calls, from Pactum's own page.
type cookie string

func (c cookie) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc { return next }
func (c cookie) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set("Cookie", string(c))
		conn.RequestHeader().Set("Sec-Fetch-Site", "same-origin")
		return conn
	}
}
func (cookie) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// The Connect protocol's streaming JSON, as a browser sends it: the end of
// the stream carries the error code.
func TestExportFinancialReportOverRawConnectJSON(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		body := []byte(`{"grant":"grants/x","format":"REPORT_FORMAT_PDF"}`)
		env := append([]byte{0, 0, 0, 0, byte(len(body))}, body...)
		req, _ := http.NewRequest(http.MethodPost, e.URL+pactumv1connect.ReportServiceExportFinancialReportProcedure, bytes.NewReader(env))
		req.Header.Set("Content-Type", "application/connect+json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(out), `"code":"unauthenticated"`) {
			t.Errorf("anonymous raw call: %d %q", res.StatusCode, out)
		}
	})
}
