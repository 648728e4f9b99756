package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/procurement"
	"github.com/pactum-dev/pactum/internal/resource"
)

// procurementServer maps ProcurementContractService to the procurement
// package.
type procurementServer struct {
	pactumv1connect.UnimplementedProcurementContractServiceHandler
	svc *procurement.Service
}

var procedureToProto = map[string]pactumv1.ProcurementProcedure{
	procurement.InternationalOpenTender:       pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_INTERNATIONAL_OPEN_TENDER,
	procurement.InternationalRestrictedTender: pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_INTERNATIONAL_RESTRICTED_TENDER,
	procurement.LocalOpenTender:               pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_LOCAL_OPEN_TENDER,
	procurement.CompetitiveNegotiated:         pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_COMPETITIVE_NEGOTIATED,
	procurement.NegotiatedSingleTender:        pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_NEGOTIATED_SINGLE_TENDER,
	procurement.FrameworkContract:             pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_FRAMEWORK_CONTRACT,
	procurement.Other:                         pactumv1.ProcurementProcedure_PROCUREMENT_PROCEDURE_OTHER,
}

// procedureFromProto: UNSPECIFIED maps to "", refused by the service
// naming the field.
var procedureFromProto = reverse(procedureToProto)

func procurementToProto(k *procurement.Contract) *pactumv1.ProcurementContract {
	return &pactumv1.ProcurementContract{
		Name: k.Name(), Reference: k.Reference, Title: k.Title, Contractor: k.Contractor,
		Procedure: procedureToProto[k.Procedure], AwardDate: k.AwardDate.String(), Amount: k.FormatAmount(),
		CurrencyCode: k.Currency, Organisation: refName(resource.Organisations, k.OrganisationID),
		OrganisationDisplayName: k.OrganisationName, InFinalReport: k.InFinalReport(), Etag: k.ETag(),
		CreateTime: timestamppb.New(k.CreateTime), UpdateTime: timestamppb.New(k.UpdateTime),
		CallerCanUpdate: k.CanChange, CallerCanDelete: k.CanChange,
	}
}

func procurementInput(p *pactumv1.ProcurementContract) (procurement.Input, error) {
	org, err := refID(resource.Organisations, p.GetOrganisation(), "organisation")
	if err != nil {
		return procurement.Input{}, err
	}
	return procurement.Input{Reference: p.GetReference(), Title: p.GetTitle(), Contractor: p.GetContractor(),
		Procedure: procedureFromProto[p.GetProcedure()], AwardDate: p.GetAwardDate(), Amount: p.GetAmount(),
		OrganisationID: org}, nil
}

func (s *procurementServer) ListProcurementContracts(ctx context.Context, req *connect.Request[pactumv1.ListProcurementContractsRequest]) (*connect.Response[pactumv1.ListProcurementContractsResponse], error) {
	id, err := resource.ParseGrant(req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	list, next, canCreate, err := s.svc.List(ctx, id, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListProcurementContractsResponse{NextPageToken: next, CallerCanCreate: canCreate}
	for _, k := range list {
		out.ProcurementContracts = append(out.ProcurementContracts, procurementToProto(k))
	}
	return connect.NewResponse(out), nil
}

func (s *procurementServer) CreateProcurementContract(ctx context.Context, req *connect.Request[pactumv1.CreateProcurementContractRequest]) (*connect.Response[pactumv1.CreateProcurementContractResponse], error) {
	id, err := resource.ParseGrant(req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in, err := procurementInput(req.Msg.GetProcurementContract())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "procurement_contract.")
	}
	k, err := s.svc.Create(ctx, id, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "procurement_contract.")
	}
	return connect.NewResponse(&pactumv1.CreateProcurementContractResponse{ProcurementContract: procurementToProto(k)}), nil
}

func (s *procurementServer) UpdateProcurementContract(ctx context.Context, req *connect.Request[pactumv1.UpdateProcurementContractRequest]) (*connect.Response[pactumv1.UpdateProcurementContractResponse], error) {
	p := req.Msg.GetProcurementContract()
	gid, id, err := procurement.ParseName(p.GetName(), "procurement_contract.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), procurement.Updatable)
	if err != nil {
		return nil, err
	}
	in, err := procurementInput(p)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "procurement_contract.")
	}
	k, err := s.svc.Update(ctx, gid, id, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "procurement_contract.")
	}
	return connect.NewResponse(&pactumv1.UpdateProcurementContractResponse{ProcurementContract: procurementToProto(k)}), nil
}

func (s *procurementServer) DeleteProcurementContract(ctx context.Context, req *connect.Request[pactumv1.DeleteProcurementContractRequest]) (*connect.Response[pactumv1.DeleteProcurementContractResponse], error) {
	gid, id, err := procurement.ParseName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.Delete(ctx, gid, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteProcurementContractResponse{}), nil
}
