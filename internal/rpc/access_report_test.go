package rpc_test

import (
	"testing"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func init() { moreMatrixCases = append(moreMatrixCases, reportMatrixCases) }

// reportMatrixCases: the financial report is read by the grant's
// coordinators, finance staff and auditors (as budget versus actual); its
// partners are denied; others do not know the grant. The call is a server
// stream, run to its end.
func reportMatrixCases() map[string][]matrixCase {
	export := func(grant func(*fixture) string, format pactumv1.ReportFormat) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			d, err := exportReport(t, reportsAs(f.e, c), &pactumv1.ExportFinancialReportRequest{Grant: grant(f), Format: format, ReportingPeriod: 1})
			if err != nil {
				return nil, err
			}
			return []string{d.file.GetFileName()}, nil
		}
	}
	payreq := func(grant func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
		return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
			file, _, err := exportPaymentRequest(t, reportsAs(f.e, c), &pactumv1.ExportPaymentRequestRequest{Grant: grant(f), ReportingPeriod: 1})
			if err != nil {
				return nil, err
			}
			return []string{file.GetFileName()}, nil
		}
	}
	g1 := func(f *fixture) string { return f.g1 }
	g2 := func(f *fixture) string { return f.g2 }
	return map[string][]matrixCase{
		v1.ReportServiceExportFinancialReportProcedure: {
			{what: "G1 workbook", want: every(ok, "editorA,viewerA", pd, "coordinator2", nf), call: export(g1, pactumv1.ReportFormat_REPORT_FORMAT_XLSX)},
			{what: "G1 PDF", want: every(ok, "editorA,viewerA", pd, "coordinator2", nf), call: export(g1, pactumv1.ReportFormat_REPORT_FORMAT_PDF)},
			{what: "G2 workbook", want: every(nf, "admin,coordinator2", ok), call: export(g2, pactumv1.ReportFormat_REPORT_FORMAT_XLSX)},
		},
		v1.ReportServiceExportPaymentRequestProcedure: {
			{what: "G1", want: every(ok, "editorA,viewerA", pd, "coordinator2", nf), call: payreq(g1)},
			{what: "G2", want: every(nf, "admin,coordinator2", ok), call: payreq(g2)},
		},
	}
}
