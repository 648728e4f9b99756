package rpc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/expenditure"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/receipt"
	"github.com/pactum-dev/pactum/internal/resource"
)

// expenditureServer maps ExpenditureService to the expenditure package
// (and, for receipts, the receipt package).
type expenditureServer struct {
	pactumv1connect.UnimplementedExpenditureServiceHandler
	svc      *expenditure.Service
	receipts *receipt.Service
	log      *slog.Logger // items of a batch refused by an internal error are logged
}

var expenditureStatusToProto = map[expenditure.Status]pactumv1.ExpenditureStatus{
	expenditure.StatusDraft:     pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_DRAFT,
	expenditure.StatusSubmitted: pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_SUBMITTED,
	expenditure.StatusVerified:  pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_VERIFIED,
	expenditure.StatusRejected:  pactumv1.ExpenditureStatus_EXPENDITURE_STATUS_REJECTED,
}

var expenditureStatusFromProto = reverse(expenditureStatusToProto)

func expenditureToProto(e *expenditure.Expenditure) *pactumv1.Expenditure {
	p := &pactumv1.Expenditure{
		Name:              e.Name(),
		ExpenseDate:       e.ExpenseDate.String(),
		BudgetLineKey:     e.LineKey,
		Project:           refName(resource.Projects, e.ProjectID),
		Organisation:      refName(resource.Organisations, e.OrganisationID),
		Amount:            money.Format(e.Amount, e.CurrencyCode),
		CurrencyCode:      e.CurrencyCode,
		Payee:             e.Payee,
		Description:       e.Description,
		DocumentRef:       e.DocumentRef,
		Status:            expenditureStatusToProto[e.Status],
		RejectReason:      e.RejectReason,
		RateSource:        e.RateSource,
		RateMissing:       e.RateMissing(),
		RateProblem:       e.RateProblem,
		GrantCurrencyCode: e.GrantCurrency,
		HeadingCode:       e.HeadingCode,
		CreateTime:        timestamppb.New(e.CreateTime),
		UpdateTime:        timestamppb.New(e.UpdateTime),
		Etag:              e.ETag(),
		CreatedBy:         e.CreatedBy,
		SubmittedBy:       e.SubmittedBy,
	}
	if e.LedgerImportID != "" {
		p.LedgerImport = resource.Name(resource.Grants, e.GrantID) + "/ledgerImports/" + e.LedgerImportID
	}
	if e.Converted != nil {
		p.ConvertedAmount = money.Format(*e.Converted, e.GrantCurrency)
	}
	if e.Rate != nil {
		p.Rate = e.Rate.String()
	}
	for _, r := range e.Receipts {
		p.Receipts = append(p.Receipts, &pactumv1.Receipt{
			Name:        e.Name() + "/receipts/" + r.ID,
			FileName:    r.FileName,
			ContentType: r.ContentType,
			SizeBytes:   r.SizeBytes,
			Sha256:      r.SHA256,
			CreateTime:  timestamppb.New(r.CreateTime),
		})
	}
	return p
}

// projectID reads a project reference: "projects/{id}" (the project's
// resource name), also accepted as "grants/{grant}/projects/{id}" when the
// grant is grantID.
func projectID(name, grantID, field string) (string, error) {
	if ids, ok := resource.ProjectBudgetPattern.Match(name); ok && ids[0] == grantID {
		return ids[1], nil
	}
	id, err := refID(resource.Projects, name, field)
	if err != nil {
		return "", errs.Invalid(errs.FieldViolation{Field: field,
			Description: "must be a project of the grant, projects/{id}, or be left empty to take it from the budget line (got " + name + ")"})
	}
	return id, nil
}

// expenditureFromProto maps p to the domain's input; prefix prefixes the
// fields of errors.
func expenditureFromProto(p *pactumv1.Expenditure, grantID, prefix string) (expenditure.Input, error) {
	var v errs.Violations
	proj, err := projectID(p.GetProject(), grantID, prefix+"project")
	if err != nil {
		v.Add(prefix+"project", "must be a project of the grant, projects/{id}, or be left empty to take it from the budget line (got %q)", p.GetProject())
	}
	org, err := refID(resource.Organisations, p.GetOrganisation(), prefix+"organisation")
	if err != nil {
		v.Add(prefix+"organisation", "must be an organisation, organisations/{id}, or be left empty to take it from the budget line (got %q)", p.GetOrganisation())
	}
	if _, ok := pactumv1.ExpenditureStatus_name[int32(p.GetStatus())]; !ok {
		v.Add(prefix+"status", "%d is not an expenditure status; status is output only: leave it unset, and use SubmitExpenditure, VerifyExpenditure or RejectExpenditure to change it",
			p.GetStatus())
	}
	return expenditure.Input{
		ExpenseDate:    p.GetExpenseDate(),
		LineKey:        p.GetBudgetLineKey(),
		ProjectID:      proj,
		OrganisationID: org,
		Amount:         p.GetAmount(),
		CurrencyCode:   p.GetCurrencyCode(),
		Payee:          p.GetPayee(),
		Description:    p.GetDescription(),
		DocumentRef:    p.GetDocumentRef(),
	}, v.Err()
}

// expenditureName returns the grant and expenditure ids of a
// "grants/{grant}/expenditures/{expenditure}" name.
func expenditureName(name, field string) (grantID, id string, err error) {
	return resource.ParseGrantChild(name, resource.Expenditures, field)
}

func (s *expenditureServer) ListExpenditures(ctx context.Context, req *connect.Request[pactumv1.ListExpendituresRequest]) (*connect.Response[pactumv1.ListExpendituresResponse], error) {
	m := req.Msg
	grantID, err := resource.ParseName(resource.Grants, m.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	proj, err := projectID(m.GetProject(), grantID, "project")
	if err != nil {
		return nil, err
	}
	org, err := refID(resource.Organisations, m.GetOrganisation(), "organisation")
	if err != nil {
		return nil, err
	}
	p, err := s.svc.List(ctx, grantID, expenditure.Filter{
		Status:          expenditureStatusFromProto[m.GetStatus()],
		ProjectID:       proj,
		OrganisationID:  org,
		LineKey:         m.GetBudgetLineKey(),
		RateMissingOnly: m.GetRateMissingOnly(),
		FromDate:        m.GetFromDate(),
		ToDate:          m.GetToDate(),
	}, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListExpendituresResponse{NextPageToken: p.Next, RateMissingCount: int32(p.RateMissing)}
	if out.Expenditures, err = s.toProto(ctx, p.Expenditures...); err != nil {
		return nil, err
	}
	return connect.NewResponse(out), nil
}

func (s *expenditureServer) GetExpenditure(ctx context.Context, req *connect.Request[pactumv1.GetExpenditureRequest]) (*connect.Response[pactumv1.GetExpenditureResponse], error) {
	grantID, id, err := expenditureName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	e, err := s.svc.Get(ctx, grantID, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, e)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetExpenditureResponse{Expenditure: ps[0]}), nil
}

func (s *expenditureServer) CreateExpenditure(ctx context.Context, req *connect.Request[pactumv1.CreateExpenditureRequest]) (*connect.Response[pactumv1.CreateExpenditureResponse], error) {
	grantID, err := resource.ParseName(resource.Grants, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in, err := expenditureFromProto(req.Msg.GetExpenditure(), grantID, "expenditure.")
	if err != nil {
		return nil, err
	}
	e, err := s.svc.Create(ctx, grantID, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "expenditure.")
	}
	ps, err := s.toProto(ctx, e)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateExpenditureResponse{Expenditure: ps[0]}), nil
}

func (s *expenditureServer) UpdateExpenditure(ctx context.Context, req *connect.Request[pactumv1.UpdateExpenditureRequest]) (*connect.Response[pactumv1.UpdateExpenditureResponse], error) {
	p := req.Msg.GetExpenditure()
	grantID, id, err := expenditureName(p.GetName(), "expenditure.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), expenditure.Updatable)
	if err != nil {
		return nil, err
	}
	in, err := expenditureFromProto(p, grantID, "expenditure.")
	if err != nil {
		return nil, err
	}
	e, err := s.svc.Update(ctx, grantID, id, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "expenditure.")
	}
	ps, err := s.toProto(ctx, e)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateExpenditureResponse{Expenditure: ps[0]}), nil
}

func (s *expenditureServer) DeleteExpenditure(ctx context.Context, req *connect.Request[pactumv1.DeleteExpenditureRequest]) (*connect.Response[pactumv1.DeleteExpenditureResponse], error) {
	grantID, id, err := expenditureName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.Delete(ctx, grantID, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteExpenditureResponse{}), nil
}

func (s *expenditureServer) SubmitExpenditure(ctx context.Context, req *connect.Request[pactumv1.SubmitExpenditureRequest]) (*connect.Response[pactumv1.SubmitExpenditureResponse], error) {
	grantID, id, err := expenditureName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	e, err := s.svc.Submit(ctx, grantID, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, e)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.SubmitExpenditureResponse{Expenditure: ps[0]}), nil
}

func (s *expenditureServer) VerifyExpenditure(ctx context.Context, req *connect.Request[pactumv1.VerifyExpenditureRequest]) (*connect.Response[pactumv1.VerifyExpenditureResponse], error) {
	grantID, id, err := expenditureName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	e, err := s.svc.Verify(ctx, grantID, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, e)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.VerifyExpenditureResponse{Expenditure: ps[0]}), nil
}

func (s *expenditureServer) RejectExpenditure(ctx context.Context, req *connect.Request[pactumv1.RejectExpenditureRequest]) (*connect.Response[pactumv1.RejectExpenditureResponse], error) {
	grantID, id, err := expenditureName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	e, err := s.svc.Reject(ctx, grantID, id, req.Msg.GetEtag(), req.Msg.GetReason())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, e)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.RejectExpenditureResponse{Expenditure: ps[0]}), nil
}

func (s *expenditureServer) ImportLedger(ctx context.Context, req *connect.Request[pactumv1.ImportLedgerRequest]) (*connect.Response[pactumv1.ImportLedgerResponse], error) {
	m := req.Msg
	grantID, err := resource.ParseName(resource.Grants, m.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	order := expenditure.DayFirst
	if m.GetDateOrder() == pactumv1.LedgerDateOrder_LEDGER_DATE_ORDER_MONTH_FIRST {
		order = expenditure.MonthFirst
	}
	res, err := s.svc.Import(ctx, grantID, expenditure.ImportRequest{FileName: m.GetFileName(), Content: m.GetContent(), ValidateOnly: m.GetValidateOnly(),
		DateOrder: order, Mapping: m.GetColumnMapping()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ImportLedgerResponse{
		RowCount:         int32(res.RowCount),
		ImportedCount:    int32(res.Imported),
		SkippedCount:     int32(res.Skipped),
		RateMissingCount: int32(res.RateMissing),
		Headers:          res.Headers,
		LedgerImport:     res.Import,
	}
	for _, c := range res.Unmatched {
		out.UnmatchedColumns = append(out.UnmatchedColumns, &pactumv1.LedgerColumn{Key: c.Key, Title: c.Title, Required: c.Required})
	}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, &pactumv1.ImportProblem{Row: int32(p.Row), Column: p.Column, Problem: p.Problem})
	}
	return connect.NewResponse(out), nil
}

func (s *expenditureServer) GetLedgerTemplate(ctx context.Context, req *connect.Request[pactumv1.GetLedgerTemplateRequest]) (*connect.Response[pactumv1.GetLedgerTemplateResponse], error) {
	grantID, err := resource.ParseName(resource.Grants, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	t, err := s.svc.Template(ctx, grantID)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetLedgerTemplateResponse{FileName: t.FileName, ContentType: t.ContentType, Content: t.Content}), nil
}

// toProto maps xs, with what the caller in ctx may do with each.
func (s *expenditureServer) toProto(ctx context.Context, xs ...*expenditure.Expenditure) ([]*pactumv1.Expenditure, error) {
	rs, err := s.svc.Rights(ctx, xs...)
	if err != nil {
		return nil, err
	}
	out := make([]*pactumv1.Expenditure, len(xs))
	for i, x := range xs {
		p, r := expenditureToProto(x), rs[i]
		p.CallerCanUpdate, p.CallerCanDelete, p.CallerCanSubmit, p.CallerCanVerify = r.Change, r.Change, r.Change, r.Verify
		p.CallerFourEyes = r.FourEyes
		out[i] = p
	}
	return out, nil
}

// batchRefs reads the items of a batch on grant grantID: an item whose name
// cannot be read, or that is of another grant, is refused on its own.
func batchRefs(grantID string, items []*pactumv1.ExpenditureRef) []expenditure.Ref {
	refs := make([]expenditure.Ref, len(items))
	for i, it := range items {
		field := fmt.Sprintf("items[%d].name", i)
		gid, id, err := expenditureName(it.GetName(), field)
		switch {
		case err != nil:
			refs[i] = expenditure.Ref{ID: it.GetName(), Refused: err}
		case gid != grantID:
			refs[i] = expenditure.Ref{ID: it.GetName(), Refused: errs.Invalid(errs.FieldViolation{Field: field,
				Description: fmt.Sprintf("%s is not an expenditure of grants/%s, the parent of this call; send it in a call on its own grant", it.GetName(), grantID)})}
		default:
			refs[i] = expenditure.Ref{ID: id, ETag: it.GetEtag()}
		}
	}
	return refs
}

// batchResponse maps the results of a batch on grant grantID; an internal
// error of an item is logged and answered with a generic message, as
// toConnect does for a whole call.
func (s *expenditureServer) batchResponse(ctx context.Context, procedure, grantID string, results []expenditure.Result) (*batchOut, error) {
	out := &batchOut{Results: make([]*pactumv1.BatchExpenditureResult, len(results))}
	var done []*expenditure.Expenditure
	for i, r := range results {
		name := r.ID
		if !strings.Contains(name, "/") {
			name = expenditure.Name(grantID, r.ID)
		}
		res := &pactumv1.BatchExpenditureResult{Name: name}
		out.Results[i] = res
		if r.Err == nil {
			res.Done = true
			out.DoneCount++
			done = append(done, r.Expenditure)
			continue
		}
		out.RefusedCount++
		log := s.log
		if log == nil {
			log = slog.Default()
		}
		var ce *connect.Error
		if errors.As(toConnect(ctx, log, procedure, r.Err), &ce) {
			res.Code, res.Message = ce.Code().String(), ce.Message()
		}
		var de *errs.Error
		if errors.As(r.Err, &de) {
			res.Reason = de.Reason
		}
	}
	ps, err := s.toProto(ctx, done...)
	if err != nil {
		return nil, err
	}
	j := 0
	for _, res := range out.Results {
		if res.Done {
			res.Expenditure = ps[j]
			j++
		}
	}
	return out, nil
}

// batchOut is what the three batch responses hold.
type batchOut struct {
	Results                 []*pactumv1.BatchExpenditureResult
	DoneCount, RefusedCount int32
}

func (s *expenditureServer) BatchSubmitExpenditures(ctx context.Context, req *connect.Request[pactumv1.BatchSubmitExpendituresRequest]) (*connect.Response[pactumv1.BatchSubmitExpendituresResponse], error) {
	m := req.Msg
	grantID, err := resource.ParseName(resource.Grants, m.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	importID := ""
	if li := m.GetLedgerImport(); li != "" {
		gid, id, err := resource.ParseGrantChild(li, "ledgerImports", "ledger_import")
		if err != nil {
			return nil, err
		}
		if gid != grantID {
			return nil, errs.Invalid(errs.FieldViolation{Field: "ledger_import",
				Description: fmt.Sprintf("%s is not an import of %s, the parent of this call", li, m.GetParent())})
		}
		importID = id
	} else if len(m.GetItems()) == 0 {
		return nil, errs.Invalid(errs.FieldViolation{Field: "items",
			Description: "is empty: select at least one expenditure, or give ledger_import to submit every draft of an import"})
	}
	results, err := s.svc.BatchSubmit(ctx, grantID, batchRefs(grantID, m.GetItems()), importID, m.GetRequestId())
	if err != nil {
		return nil, err
	}
	out, err := s.batchResponse(ctx, req.Spec().Procedure, grantID, results)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.BatchSubmitExpendituresResponse{Results: out.Results, DoneCount: out.DoneCount, RefusedCount: out.RefusedCount}), nil
}

func (s *expenditureServer) BatchVerifyExpenditures(ctx context.Context, req *connect.Request[pactumv1.BatchVerifyExpendituresRequest]) (*connect.Response[pactumv1.BatchVerifyExpendituresResponse], error) {
	m := req.Msg
	grantID, err := resource.ParseName(resource.Grants, m.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	results, err := s.svc.BatchVerify(ctx, grantID, batchRefs(grantID, m.GetItems()), m.GetRequestId())
	if err != nil {
		return nil, err
	}
	out, err := s.batchResponse(ctx, req.Spec().Procedure, grantID, results)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.BatchVerifyExpendituresResponse{Results: out.Results, DoneCount: out.DoneCount, RefusedCount: out.RefusedCount}), nil
}

func (s *expenditureServer) BatchRejectExpenditures(ctx context.Context, req *connect.Request[pactumv1.BatchRejectExpendituresRequest]) (*connect.Response[pactumv1.BatchRejectExpendituresResponse], error) {
	m := req.Msg
	grantID, err := resource.ParseName(resource.Grants, m.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	results, err := s.svc.BatchReject(ctx, grantID, batchRefs(grantID, m.GetItems()), m.GetReason(), m.GetRequestId())
	if err != nil {
		return nil, err
	}
	out, err := s.batchResponse(ctx, req.Spec().Procedure, grantID, results)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.BatchRejectExpendituresResponse{Results: out.Results, DoneCount: out.DoneCount, RefusedCount: out.RefusedCount}), nil
}
