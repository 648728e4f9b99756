package rpc

import (
	"context"
	"io"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/resource"
)

// ExportPaymentRequest streams the request for payment (Annex V) as
// ExportFinancialReport streams a report: progress, the file, its chunks.
func (s *reportServer) ExportPaymentRequest(ctx context.Context, req *connect.Request[pactumv1.ExportPaymentRequestRequest], stream *connect.ServerStream[pactumv1.ExportPaymentRequestResponse]) error {
	m := req.Msg
	id, err := resource.ParseName(resource.Grants, m.GetGrant(), "grant")
	if err != nil {
		return err
	}
	in := report.PaymentRequestRequest{GrantID: id, Period: int(m.GetReportingPeriod()), AsOf: m.GetAsOf(), Language: m.GetLanguage(),
		SignatoryName: m.GetSignatoryName(), SignatoryFunction: m.GetSignatoryFunction()}
	gen := func(ctx context.Context, _ report.Request, w io.Writer, progress report.Progress) (string, error) {
		return s.svc.PaymentRequest(ctx, in, w, progress)
	}
	send := func(r *pactumv1.ExportFinancialReportResponse) error {
		out := &pactumv1.ExportPaymentRequestResponse{}
		switch p := r.GetPart().(type) {
		case *pactumv1.ExportFinancialReportResponse_Progress:
			out.Part = &pactumv1.ExportPaymentRequestResponse_Progress{Progress: p.Progress}
		case *pactumv1.ExportFinancialReportResponse_File:
			out.Part = &pactumv1.ExportPaymentRequestResponse_File{File: p.File}
		case *pactumv1.ExportFinancialReportResponse_Chunk:
			out.Part = &pactumv1.ExportPaymentRequestResponse_Chunk{Chunk: p.Chunk}
		}
		return stream.Send(out)
	}
	return streamReport(ctx, send, gen, report.Request{GrantID: id}, ContentTypePDF, s.svc.TempDir())
}
