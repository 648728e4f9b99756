package rpc_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/narrative/render"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, narrativeMatrixCases) }

// renderIsStub reports whether internal/narrative/render still answers
// with its stub's error (before the documents are written): the export
// cases then take an internal error for the success they will see after.
func renderIsStub() bool {
	err := render.DOCX(context.Background(), &strings.Builder{}, &narrative.Report{}, render.Options{Language: "en"})
	return err != nil && strings.Contains(err.Error(), "not written yet")
}

// narrativeReady compiles (as admin) the narrative report of a grant's
// first period, a draft again if a case before submitted it, and returns
// it as admin reads it.
func narrativeReady(t *testing.T, f *fixture, grant string) *pactumv1.NarrativeReport {
	ctx := context.Background()
	if _, err := f.e.DB.NewUpdate().Table("narrative_reports").Set("state = 'draft', submit_time = NULL, submitted_by = NULL").
		Where("grant_id = ?", id(grant)).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return must(f.e.Narrative.CompileNarrativeReport(ctx, connect.NewRequest(&pactumv1.CompileNarrativeReportRequest{
		Name: grant + "/narrativeReports/1"}))).GetNarrativeReport()
}

// narrativeMatrixCases: a grant's narrative report is read and exported by
// its coordinators and auditors (and admins), compiled, edited and
// submitted by its coordinators; finance staff and partners may read the
// grant but not this (denied); others do not know the grant.
func narrativeMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	readers := every(pd, "admin,coordinator,auditor", ok, "coordinator2", nf)
	managers := every(pd, "admin,coordinator", ok, "coordinator2", nf)
	g2Only := every(nf, "admin,coordinator2", ok)
	g1 := func(f *fixture) string { return f.g1 }
	g2 := func(f *fixture) string { return f.g2 }
	type call = func(*testing.T, *fixture, *rpctest.Clients) ([]string, error)
	get := func(grant func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			narrativeReady(t, f, grant(f))
			return noNames(c.Narrative.GetNarrativeReport(ctx, connect.NewRequest(&pactumv1.GetNarrativeReportRequest{Name: grant(f) + "/narrativeReports/1"})))
		}
	}
	compile := func(grant func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			narrativeReady(t, f, grant(f))
			return noNames(c.Narrative.CompileNarrativeReport(ctx, connect.NewRequest(&pactumv1.CompileNarrativeReportRequest{Name: grant(f) + "/narrativeReports/1"})))
		}
	}
	update := func(grant func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			r := narrativeReady(t, f, grant(f))
			var sec *pactumv1.NarrativeSection
			for _, s := range r.GetSections() {
				if s.GetKind() == pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_RECORDS {
					sec = s
				}
			}
			if sec == nil {
				t.Fatalf("the report of %s has no records section", grant(f))
			}
			return noNames(c.Narrative.UpdateNarrativeSection(ctx, connect.NewRequest(&pactumv1.UpdateNarrativeSectionRequest{
				Name: sec.GetName(), Text: "The records are kept in Brussels.", Etag: sec.GetEtag()})))
		}
	}
	submit := func(grant func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			r := narrativeReady(t, f, grant(f))
			return noNames(c.Narrative.SubmitNarrativeReport(ctx, connect.NewRequest(&pactumv1.SubmitNarrativeReportRequest{
				Name: r.GetName(), Etag: r.GetEtag(), SubmitDate: "2026-01-15"})))
		}
	}
	export := func(grant func(*fixture) string, format pactumv1.ReportFormat) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			narrativeReady(t, f, grant(f))
			_, err := exportNarrative(t, c, &pactumv1.ExportNarrativeReportRequest{Name: grant(f) + "/narrativeReports/1", Format: format})
			if rpctest.Code(err) == connect.CodeInternal && renderIsStub() {
				return nil, nil // allowed through, refused by the stub
			}
			return nil, err
		}
	}
	return map[string][]matrixCase{
		v1.NarrativeReportServiceGetNarrativeReportProcedure: {
			{what: "G1 period 1", want: readers, call: get(g1)},
			{what: "G2 period 1", want: g2Only, call: get(g2)},
		},
		v1.NarrativeReportServiceCompileNarrativeReportProcedure: {
			{what: "G1 period 1", want: managers, call: compile(g1)},
			{what: "G2 period 1", want: g2Only, call: compile(g2)},
		},
		v1.NarrativeReportServiceUpdateNarrativeSectionProcedure: {
			{what: "G1 period 1 records", want: managers, call: update(g1)},
			{what: "G2 period 1 records", want: g2Only, call: update(g2)},
		},
		v1.NarrativeReportServiceSubmitNarrativeReportProcedure: {
			{what: "G1 period 1", want: managers, call: submit(g1)},
			{what: "G2 period 1", want: g2Only, call: submit(g2)},
		},
		v1.NarrativeReportServiceExportNarrativeReportProcedure: {
			{what: "G1 DOCX", want: readers, call: export(g1, pactumv1.ReportFormat_REPORT_FORMAT_DOCX)},
			{what: "G1 PDF", want: readers, call: export(g1, pactumv1.ReportFormat_REPORT_FORMAT_PDF)},
			{what: "G2 DOCX", want: g2Only, call: export(g2, pactumv1.ReportFormat_REPORT_FORMAT_DOCX)},
		},
	}
}

// narrativeDownload is what a narrative report stream delivered.
type narrativeDownload struct {
	progress []*pactumv1.ReportProgress
	file     *pactumv1.ReportFile
	content  []byte
}

// exportNarrative runs an export stream to its end as c; it fails the test
// when the parts come out of order.
func exportNarrative(t *testing.T, c *rpctest.Clients, req *pactumv1.ExportNarrativeReportRequest) (*narrativeDownload, error) {
	t.Helper()
	stream, err := c.Narrative.ExportNarrativeReport(context.Background(), connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	d := &narrativeDownload{}
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
			d.content = append(d.content, m.GetChunk()...)
		}
	}
	if err := stream.Err(); err != nil {
		return nil, err
	}
	if d.file == nil {
		return nil, errors.New("the stream ended without a file")
	}
	if int64(len(d.content)) != d.file.GetSizeBytes() {
		t.Errorf("received %d bytes, the file's metadata says %d", len(d.content), d.file.GetSizeBytes())
	}
	return d, nil
}
