package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/agreement"
	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// agreementServer maps FrameworkAgreementService to the agreement package.
type agreementServer struct {
	svc *agreement.Service
}

// refID returns the id of an optional resource name: "" for "", else the id
// of a "collection/id" name (field names the request field for the error).
func refID(collection, name, field string) (string, error) {
	if name == "" {
		return "", nil
	}
	return resource.ParseName(collection, name, field)
}

// refName returns the resource name of an optional id: "" for "".
func refName(collection, id string) string {
	if id == "" {
		return ""
	}
	return resource.Name(collection, id)
}

func agreementToProto(a *agreement.Agreement) *pactumv1.FrameworkAgreement {
	p := &pactumv1.FrameworkAgreement{
		Name:             a.Name(),
		Reference:        a.Reference,
		Title:            a.Title,
		Donor:            refName(resource.Organisations, a.DonorID),
		LeadOrganisation: refName(resource.Organisations, a.LeadOrganisationID),
		SignatureDate:    a.SignatureDate.String(),
		StartDate:        a.StartDate.String(),
		EndDate:          a.EndDate.String(),
		CurrencyCode:     a.CurrencyCode,
		CreateTime:       timestamppb.New(a.CreateTime),
		UpdateTime:       timestamppb.New(a.UpdateTime),
		Etag:             a.ETag(),
		State:            pactumv1.FrameworkAgreementState_FRAMEWORK_AGREEMENT_STATE_OPEN,
		CloseTime:        optionalTime(a.CloseTime),
		ClosedBy:         a.ClosedBy,
	}
	if a.Closed() {
		p.State = pactumv1.FrameworkAgreementState_FRAMEWORK_AGREEMENT_STATE_CLOSED
	}
	return p
}

// agreementFromProto maps p to the domain's input; field prefixes the paths
// of errors (organisation names that are not resource names).
func agreementFromProto(p *pactumv1.FrameworkAgreement, prefix string) (agreement.Input, error) {
	var v errs.Violations
	ref := func(name, field string) string {
		id, err := refID(resource.Organisations, name, prefix+field)
		if err != nil {
			v.Add(prefix+field, "must be a resource name of the form organisations/{id}, got %q", name)
		}
		return id
	}
	in := agreement.Input{
		Reference:          p.GetReference(),
		Title:              p.GetTitle(),
		DonorID:            ref(p.GetDonor(), "donor"),
		LeadOrganisationID: ref(p.GetLeadOrganisation(), "lead_organisation"),
		SignatureDate:      p.GetSignatureDate(),
		StartDate:          p.GetStartDate(),
		EndDate:            p.GetEndDate(),
		CurrencyCode:       p.GetCurrencyCode(),
	}
	return in, v.Err()
}

func (s *agreementServer) ListFrameworkAgreements(ctx context.Context, req *connect.Request[pactumv1.ListFrameworkAgreementsRequest]) (*connect.Response[pactumv1.ListFrameworkAgreementsResponse], error) {
	m := req.Msg
	donor, err := refID(resource.Organisations, m.GetDonor(), "donor")
	if err != nil {
		return nil, err
	}
	lead, err := refID(resource.Organisations, m.GetLeadOrganisation(), "lead_organisation")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.List(ctx, agreement.Filter{DonorID: donor, LeadOrganisationID: lead},
		page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListFrameworkAgreementsResponse{NextPageToken: next}
	if out.FrameworkAgreements, err = s.toProto(ctx, list...); err != nil {
		return nil, err
	}
	return connect.NewResponse(out), nil
}

func (s *agreementServer) GetFrameworkAgreement(ctx context.Context, req *connect.Request[pactumv1.GetFrameworkAgreementRequest]) (*connect.Response[pactumv1.GetFrameworkAgreementResponse], error) {
	id, err := resource.ParseName(resource.FrameworkAgreements, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	a, err := s.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, a)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetFrameworkAgreementResponse{FrameworkAgreement: ps[0]}), nil
}

func (s *agreementServer) CreateFrameworkAgreement(ctx context.Context, req *connect.Request[pactumv1.CreateFrameworkAgreementRequest]) (*connect.Response[pactumv1.CreateFrameworkAgreementResponse], error) {
	in, err := agreementFromProto(req.Msg.GetFrameworkAgreement(), "framework_agreement.")
	if err != nil {
		return nil, err
	}
	a, err := s.svc.Create(ctx, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "framework_agreement.")
	}
	ps, err := s.toProto(ctx, a)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateFrameworkAgreementResponse{FrameworkAgreement: ps[0]}), nil
}

func (s *agreementServer) UpdateFrameworkAgreement(ctx context.Context, req *connect.Request[pactumv1.UpdateFrameworkAgreementRequest]) (*connect.Response[pactumv1.UpdateFrameworkAgreementResponse], error) {
	p := req.Msg.GetFrameworkAgreement()
	id, err := resource.ParseName(resource.FrameworkAgreements, p.GetName(), "framework_agreement.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), agreement.Updatable)
	if err != nil {
		return nil, err
	}
	in, err := agreementFromProto(p, "framework_agreement.")
	if err != nil {
		return nil, err
	}
	a, err := s.svc.Update(ctx, id, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "framework_agreement.")
	}
	ps, err := s.toProto(ctx, a)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateFrameworkAgreementResponse{FrameworkAgreement: ps[0]}), nil
}

func (s *agreementServer) DeleteFrameworkAgreement(ctx context.Context, req *connect.Request[pactumv1.DeleteFrameworkAgreementRequest]) (*connect.Response[pactumv1.DeleteFrameworkAgreementResponse], error) {
	id, err := resource.ParseName(resource.FrameworkAgreements, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.Delete(ctx, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteFrameworkAgreementResponse{}), nil
}

// toProto maps xs, with what the caller in ctx may do with each.
func (s *agreementServer) toProto(ctx context.Context, xs ...*agreement.Agreement) ([]*pactumv1.FrameworkAgreement, error) {
	rs, err := s.svc.Rights(ctx, xs...)
	if err != nil {
		return nil, err
	}
	out := make([]*pactumv1.FrameworkAgreement, len(xs))
	for i, x := range xs {
		p, r := agreementToProto(x), rs[i]
		// A closed agreement signs no new grants; it may still be reopened.
		p.CallerCanUpdate, p.CallerCanDelete, p.CallerCanCreateGrant = r.Manage, r.Manage, r.Manage && !x.Closed()
		p.CallerCanReadHistory = r.ReadHistory
		out[i] = p
	}
	return out, nil
}

func (s *agreementServer) CloseFrameworkAgreement(ctx context.Context, req *connect.Request[pactumv1.CloseFrameworkAgreementRequest]) (*connect.Response[pactumv1.CloseFrameworkAgreementResponse], error) {
	id, err := resource.ParseName(resource.FrameworkAgreements, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	a, err := s.svc.Close(ctx, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, a)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CloseFrameworkAgreementResponse{FrameworkAgreement: ps[0]}), nil
}

func (s *agreementServer) ReopenFrameworkAgreement(ctx context.Context, req *connect.Request[pactumv1.ReopenFrameworkAgreementRequest]) (*connect.Response[pactumv1.ReopenFrameworkAgreementResponse], error) {
	id, err := resource.ParseName(resource.FrameworkAgreements, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	a, err := s.svc.Reopen(ctx, id, req.Msg.GetEtag())
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, a)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.ReopenFrameworkAgreementResponse{FrameworkAgreement: ps[0]}), nil
}
