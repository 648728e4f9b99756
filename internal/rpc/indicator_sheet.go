package rpc

import (
	"context"
	"io"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// indicatorSheetServer maps IndicatorSheetService to the results package
// (the workbooks stream like the financial report, through streamReport).
type indicatorSheetServer struct {
	pactumv1connect.UnimplementedIndicatorSheetServiceHandler
	svc    *results.Service
	tmpDir string
}

// resultsExport streams a results workbook made by write, sending its parts
// through send as ExportFinancialReport's.
func resultsExport(ctx context.Context, grant, lang string, tmpDir string,
	write func(ctx context.Context, grantID, lang string, w io.Writer, progress results.Progress) (string, error),
	send func(*pactumv1.ExportFinancialReportResponse) error) error {
	id, err := resource.ParseName(resource.Grants, grant, "grant")
	if err != nil {
		return err
	}
	gen := func(ctx context.Context, _ report.Request, w io.Writer, progress report.Progress) (string, error) {
		return write(ctx, id, lang, w, results.Progress(progress))
	}
	return streamReport(ctx, send, gen, report.Request{GrantID: id}, results.ContentTypeXLSX, tmpDir)
}

func (s *indicatorSheetServer) ExportLogframe(ctx context.Context, req *connect.Request[pactumv1.ExportLogframeRequest], stream *connect.ServerStream[pactumv1.ExportLogframeResponse]) error {
	return resultsExport(ctx, req.Msg.GetGrant(), req.Msg.GetLanguage(), s.tmpDir, s.svc.LogframeXLSX, func(r *pactumv1.ExportFinancialReportResponse) error {
		out := &pactumv1.ExportLogframeResponse{}
		switch p := r.GetPart().(type) {
		case *pactumv1.ExportFinancialReportResponse_Progress:
			out.Part = &pactumv1.ExportLogframeResponse_Progress{Progress: p.Progress}
		case *pactumv1.ExportFinancialReportResponse_File:
			out.Part = &pactumv1.ExportLogframeResponse_File{File: p.File}
		case *pactumv1.ExportFinancialReportResponse_Chunk:
			out.Part = &pactumv1.ExportLogframeResponse_Chunk{Chunk: p.Chunk}
		}
		return stream.Send(out)
	})
}

func (s *indicatorSheetServer) ExportIndicatorSheet(ctx context.Context, req *connect.Request[pactumv1.ExportIndicatorSheetRequest], stream *connect.ServerStream[pactumv1.ExportIndicatorSheetResponse]) error {
	return resultsExport(ctx, req.Msg.GetGrant(), req.Msg.GetLanguage(), s.tmpDir, s.svc.IndicatorSheetXLSX, func(r *pactumv1.ExportFinancialReportResponse) error {
		out := &pactumv1.ExportIndicatorSheetResponse{}
		switch p := r.GetPart().(type) {
		case *pactumv1.ExportFinancialReportResponse_Progress:
			out.Part = &pactumv1.ExportIndicatorSheetResponse_Progress{Progress: p.Progress}
		case *pactumv1.ExportFinancialReportResponse_File:
			out.Part = &pactumv1.ExportIndicatorSheetResponse_File{File: p.File}
		case *pactumv1.ExportFinancialReportResponse_Chunk:
			out.Part = &pactumv1.ExportIndicatorSheetResponse_Chunk{Chunk: p.Chunk}
		}
		return stream.Send(out)
	})
}

func sheetRowToProto(r results.SheetRow) *pactumv1.IndicatorSheetRow {
	project := ""
	if r.ProjectID != "" {
		project = resource.Name(resource.Projects, r.ProjectID)
	}
	out := &pactumv1.IndicatorSheetRow{
		Key: r.Key, EuCode: r.EUCode, EuCorporate: r.EUCorporate, Code: r.Code, Title: r.Title, Unit: r.Unit,
		Type: indicatorTypeToProto[r.Type], Project: project, ProjectCode: r.ProjectCode, Disaggregation: r.Disagg, Category: r.Category,
		Baseline: r.Baseline, BaselineDate: r.BaselineDate, Target: r.Target, TargetDate: r.TargetDate,
		CurrentValue: r.CurrentValue, CurrentDate: r.CurrentDate, DataSource: r.DataSource,
		SubmittedValue: r.SubmittedValue, SubmittedDate: r.SubmittedDate, Changed: r.Changed, Indicators: r.Indicators,
		ChangedFields: r.ChangedFields,
	}
	if r.Submitted != nil {
		out.SubmittedRow = sheetRowToProto(*r.Submitted)
	}
	return out
}

func submissionToProto(s *results.Submission, withRows bool) *pactumv1.IndicatorSubmission {
	out := &pactumv1.IndicatorSubmission{Name: s.Name(), SubmittedBy: s.SubmittedBy, SubmitTime: timestamppb.New(s.SubmitTime),
		Note: s.Note, RowCount: int32(len(s.Rows)), SubmitterDisplayName: s.SubmitterName} // #nosec G115 -- rows of one grant's indicators
	if withRows {
		for _, r := range s.Rows {
			out.Rows = append(out.Rows, sheetRowToProto(r))
		}
	}
	return out
}

func (s *indicatorSheetServer) GetIndicatorSheet(ctx context.Context, req *connect.Request[pactumv1.GetIndicatorSheetRequest]) (*connect.Response[pactumv1.GetIndicatorSheetResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetGrant(), "grant")
	if err != nil {
		return nil, err
	}
	sh, err := s.svc.IndicatorSheet(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &pactumv1.GetIndicatorSheetResponse{ChangedCount: int32(sh.Changed), CallerCanSubmit: sh.CallerCanSubmit} // #nosec G115 -- rows of one grant
	for _, r := range sh.Rows {
		out.Rows = append(out.Rows, sheetRowToProto(r))
	}
	if sh.Last != nil {
		out.LastSubmission = submissionToProto(sh.Last, false)
	}
	return connect.NewResponse(out), nil
}

func (s *indicatorSheetServer) RecordIndicatorSubmission(ctx context.Context, req *connect.Request[pactumv1.RecordIndicatorSubmissionRequest]) (*connect.Response[pactumv1.RecordIndicatorSubmissionResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetGrant(), "grant")
	if err != nil {
		return nil, err
	}
	sub, err := s.svc.RecordSubmission(ctx, id, req.Msg.GetNote(), req.Msg.GetRequestId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.RecordIndicatorSubmissionResponse{Submission: submissionToProto(sub, true)}), nil
}

func (s *indicatorSheetServer) ListIndicatorSubmissions(ctx context.Context, req *connect.Request[pactumv1.ListIndicatorSubmissionsRequest]) (*connect.Response[pactumv1.ListIndicatorSubmissionsResponse], error) {
	id, err := resource.ParseName(resource.Grants, req.Msg.GetGrant(), "grant")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.ListSubmissions(ctx, id, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListIndicatorSubmissionsResponse{NextPageToken: next}
	for _, sub := range list {
		out.Submissions = append(out.Submissions, submissionToProto(sub, true))
	}
	return connect.NewResponse(out), nil
}
