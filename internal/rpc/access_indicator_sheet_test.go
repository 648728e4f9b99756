package rpc_test

import (
	"bytes"
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/xuri/excelize/v2"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, indicatorSheetMatrixCases) }

func receiveWorkbook[T interface {
	GetFile() *pactumv1.ReportFile
	GetChunk() []byte
}](s interface {
	Receive() bool
	Msg() T
	Err() error
	Close() error
}) (*pactumv1.ReportFile, []byte, error) {
	defer func() { _ = s.Close() }()
	var file *pactumv1.ReportFile
	var content []byte
	for s.Receive() {
		m := s.Msg()
		if m.GetFile() != nil {
			file = m.GetFile()
		}
		content = append(content, m.GetChunk()...)
	}
	return file, content, s.Err()
}

// sheetsOf returns the sheet names of a workbook.
func sheetsOf(t *testing.T, content []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(content))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer func() { _ = f.Close() }()
	return f.GetSheetList()
}

// indicatorSheetMatrixCases: the logframe is exported by whoever reads the
// grant's results, a partner getting its own project only (partner A's
// workbook has PA's sheet, never PB's); the OPSYS indicator sheet, which
// holds every partner's values, is read and exported by the grant's
// coordinators, finance staff and auditors (partners are denied), and its
// submissions are recorded by its coordinators. Others do not know the
// grant.
func indicatorSheetMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	g1 := func(f *fixture) string { return f.g1 }
	g2 := func(f *fixture) string { return f.g2 }
	type call = func(*testing.T, *fixture, *rpctest.Clients) ([]string, error)
	logframe := func(g func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			resNewIndicator(f, f.pa)
			resNewIndicator(f, f.pb)
			s, err := c.ResultsOut.ExportLogframe(ctx, connect.NewRequest(&pactumv1.ExportLogframeRequest{Grant: g(f), Language: "fr"}))
			if err != nil {
				return nil, err
			}
			file, content, err := receiveWorkbook[*pactumv1.ExportLogframeResponse](s)
			if err != nil {
				return nil, err
			}
			if file == nil || file.GetContentType() != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || int64(len(content)) != file.GetSizeBytes() {
				t.Errorf("logframe file %v, %d bytes", file, len(content))
			}
			return sheetsOf(t, content), nil
		}
	}
	export := func(g func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			s, err := c.ResultsOut.ExportIndicatorSheet(ctx, connect.NewRequest(&pactumv1.ExportIndicatorSheetRequest{Grant: g(f)}))
			if err != nil {
				return nil, err
			}
			file, content, err := receiveWorkbook[*pactumv1.ExportIndicatorSheetResponse](s)
			if err != nil {
				return nil, err
			}
			if file == nil || len(content) == 0 {
				t.Errorf("indicator sheet file %v, %d bytes", file, len(content))
			}
			return nil, nil
		}
	}
	get := func(g func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.ResultsOut.GetIndicatorSheet(ctx, connect.NewRequest(&pactumv1.GetIndicatorSheetRequest{Grant: g(f)})))
		}
	}
	record := func(g func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			resNewIndicator(f, f.pa)
			resNewIndicator(f, f.p2)
			return noNames(c.ResultsOut.RecordIndicatorSubmission(ctx, connect.NewRequest(&pactumv1.RecordIndicatorSubmissionRequest{Grant: g(f), Note: "OPSYS"})))
		}
	}
	list := func(g func(*fixture) string) call {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			return noNames(c.ResultsOut.ListIndicatorSubmissions(ctx, connect.NewRequest(&pactumv1.ListIndicatorSubmissionsRequest{Grant: g(f)})))
		}
	}
	fullRead := every(ok, "editorA,viewerA", pd, "coordinator2", nf)
	otherGrant := every(nf, "admin,coordinator2", ok)
	return map[string][]matrixCase{
		v1.IndicatorSheetServiceExportLogframeProcedure: {
			{what: "G1", want: every(ok, "coordinator2", nf), call: logframe(g1),
				sees: func(f *fixture) map[string][]string {
					return merge(byRole("KE-01", "admin,coordinator,finance,auditor,editorA,viewerA"), byRole("NP-01", "admin,coordinator,finance,auditor"))
				},
				notSees: func(f *fixture) map[string][]string { return byRole("NP-01", "editorA,viewerA") }},
			{what: "G2", want: otherGrant, call: logframe(g2)},
		},
		v1.IndicatorSheetServiceExportIndicatorSheetProcedure: {{what: "G1", want: fullRead, call: export(g1)}, {what: "G2", want: otherGrant, call: export(g2)}},
		v1.IndicatorSheetServiceGetIndicatorSheetProcedure:    {{what: "G1", want: fullRead, call: get(g1)}, {what: "G2", want: otherGrant, call: get(g2)}},
		v1.IndicatorSheetServiceRecordIndicatorSubmissionProcedure: {
			{what: "G1", want: every(pd, "admin,coordinator", ok, "coordinator2", nf), call: record(g1)},
			{what: "G2", want: every(nf, "admin,coordinator2", ok), call: record(g2)},
		},
		v1.IndicatorSheetServiceListIndicatorSubmissionsProcedure: {{what: "G1", want: fullRead, call: list(g1)}, {what: "G2", want: otherGrant, call: list(g2)}},
	}
}
