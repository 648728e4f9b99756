package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/geo"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// organisationServer maps OrganisationService to the organisation package.
type organisationServer struct {
	svc *organisation.Service
}

var kindToProto = map[organisation.Kind]pactumv1.OrganisationKind{
	organisation.KindLead:         pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD,
	organisation.KindMember:       pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER,
	organisation.KindAffiliate:    pactumv1.OrganisationKind_ORGANISATION_KIND_AFFILIATE,
	organisation.KindLocalPartner: pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER,
	organisation.KindDonor:        pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR,
}

var regionToProto = map[geo.Region]pactumv1.Region{
	geo.Africa:                pactumv1.Region_REGION_AFRICA,
	geo.Asia:                  pactumv1.Region_REGION_ASIA,
	geo.Europe:                pactumv1.Region_REGION_EUROPE,
	geo.LatinAmericaCaribbean: pactumv1.Region_REGION_LATIN_AMERICA_CARIBBEAN,
	geo.NorthernAmerica:       pactumv1.Region_REGION_NORTHERN_AMERICA,
	geo.Oceania:               pactumv1.Region_REGION_OCEANIA,
}

func organisationToProto(o *organisation.Organisation) *pactumv1.Organisation {
	return &pactumv1.Organisation{
		Name:           o.Name(),
		DisplayName:    o.DisplayName,
		ShortName:      o.ShortName,
		Kind:           kindToProto[o.Kind],
		CountryCode:    o.CountryCode,
		Region:         regionToProto[o.Region],
		IatiIdentifier: o.IATI(),
		Contact: &pactumv1.ContactDetails{
			ContactPerson: o.ContactPerson, Email: o.Email, Phone: o.Phone, Website: o.Website, Address: o.Address,
		},
		CreateTime: timestamppb.New(o.CreateTime),
		UpdateTime: timestamppb.New(o.UpdateTime),
		Etag:       o.ETag(),
	}
}

func organisationFromProto(p *pactumv1.Organisation) *organisation.Organisation {
	o := &organisation.Organisation{
		DisplayName: p.GetDisplayName(),
		ShortName:   p.GetShortName(),
		Kind:        kindFromProto[p.GetKind()],
		CountryCode: p.GetCountryCode(),
	}
	if id := p.GetIatiIdentifier(); id != "" {
		o.IATIIdentifier = &id
	}
	if c := p.GetContact(); c != nil {
		o.ContactPerson, o.Email, o.Phone, o.Website, o.Address = c.GetContactPerson(), c.GetEmail(), c.GetPhone(), c.GetWebsite(), c.GetAddress()
	}
	return o
}

func (s *organisationServer) ListOrganisations(ctx context.Context, req *connect.Request[pactumv1.ListOrganisationsRequest]) (*connect.Response[pactumv1.ListOrganisationsResponse], error) {
	m := req.Msg
	if m.GetCountryCode() != "" {
		if _, err := geo.Country(m.GetCountryCode()); err != nil {
			return nil, errs.Invalid(errs.FieldViolation{Field: "country_code", Description: err.Error()})
		}
	}
	list, next, err := s.svc.List(ctx, organisation.Filter{
		CountryCode: m.GetCountryCode(),
		Region:      regionFromProto[m.GetRegion()],
		Kind:        kindFromProto[m.GetKind()],
		Query:       m.GetQuery(),
	}, page.Request{Size: m.GetPageSize(), Token: m.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListOrganisationsResponse{NextPageToken: next}
	if out.Organisations, err = s.toProto(ctx, list...); err != nil {
		return nil, err
	}
	return connect.NewResponse(out), nil
}

func (s *organisationServer) GetOrganisation(ctx context.Context, req *connect.Request[pactumv1.GetOrganisationRequest]) (*connect.Response[pactumv1.GetOrganisationResponse], error) {
	id, err := resource.ParseName(resource.Organisations, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	o, err := s.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.toProto(ctx, o)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetOrganisationResponse{Organisation: ps[0]}), nil
}

func (s *organisationServer) CreateOrganisation(ctx context.Context, req *connect.Request[pactumv1.CreateOrganisationRequest]) (*connect.Response[pactumv1.CreateOrganisationResponse], error) {
	o, err := s.svc.Create(ctx, organisationFromProto(req.Msg.GetOrganisation()), req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "organisation.")
	}
	ps, err := s.toProto(ctx, o)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateOrganisationResponse{Organisation: ps[0]}), nil
}

func (s *organisationServer) UpdateOrganisation(ctx context.Context, req *connect.Request[pactumv1.UpdateOrganisationRequest]) (*connect.Response[pactumv1.UpdateOrganisationResponse], error) {
	p := req.Msg.GetOrganisation()
	id, err := resource.ParseName(resource.Organisations, p.GetName(), "organisation.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), organisation.Updatable)
	if err != nil {
		return nil, err
	}
	o, err := s.svc.Update(ctx, id, organisationFromProto(p), mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "organisation.")
	}
	ps, err := s.toProto(ctx, o)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateOrganisationResponse{Organisation: ps[0]}), nil
}

func (s *organisationServer) DeleteOrganisation(ctx context.Context, req *connect.Request[pactumv1.DeleteOrganisationRequest]) (*connect.Response[pactumv1.DeleteOrganisationResponse], error) {
	id, err := resource.ParseName(resource.Organisations, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.svc.Delete(ctx, id, req.Msg.GetEtag()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteOrganisationResponse{}), nil
}

// The inverse maps, built once.
var (
	kindFromProto   = reverse(kindToProto)
	regionFromProto = reverse(regionToProto)
)

// toProto maps xs, with what the caller in ctx may do with each.
func (s *organisationServer) toProto(ctx context.Context, xs ...*organisation.Organisation) ([]*pactumv1.Organisation, error) {
	rs, err := s.svc.Rights(ctx, xs...)
	if err != nil {
		return nil, err
	}
	out := make([]*pactumv1.Organisation, len(xs))
	for i, x := range xs {
		p, r := organisationToProto(x), rs[i]
		p.CallerCanUpdate, p.CallerCanDelete, p.CallerCanReadHistory = r.Manage, r.Manage, r.ReadHistory
		out[i] = p
	}
	return out, nil
}
