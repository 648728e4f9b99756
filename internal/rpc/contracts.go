package rpc

import (
	"context"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/contract"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/resource"
)

// contractServer maps ContractService to the contract package.
type contractServer struct {
	svc *contract.Service
}

func (s *contractServer) CreateGrantFromContract(ctx context.Context, req *connect.Request[pactumv1.CreateGrantFromContractRequest]) (*connect.Response[pactumv1.CreateGrantFromContractResponse], error) {
	m := req.Msg
	gin, err := grantFromProto(m.GetGrant(), "grant.")
	if err != nil {
		return nil, err
	}
	in := contract.Request{Grant: gin, FileName: m.GetBudgetFileName(), Content: m.GetBudgetContent(), ValidateOnly: m.GetValidateOnly()}
	t := m.GetTerms()
	in.Terms.IndirectCostRate = t.GetIndirectCostRate()
	in.Terms.RatePolicy = budgetRatePolicyFromProto[t.GetExchangeRatePolicy()]
	for _, x := range t.GetPrefinancing() {
		in.Terms.Prefinancing = append(in.Terms.Prefinancing, contract.Instalment{DueDate: x.GetDueDate(), Amount: x.GetAmount()})
	}
	if p := m.GetProject(); p != nil {
		p.Grant = "" // the new grant's
		pin, err := projectFromProto(p)
		if err != nil {
			return nil, err
		}
		in.Project = &pin
	}
	r, err := s.svc.CreateGrant(ctx, in, m.GetRequestId())
	if err != nil {
		return nil, err
	}
	out := &pactumv1.CreateGrantFromContractResponse{Created: r.Created}
	cur := m.GetGrant().GetCurrencyCode()
	if r.Grant != nil {
		cur = r.Grant.CurrencyCode
		out.Grant = grantToProto(r.Grant)
		if !r.Created {
			out.Grant.Name, out.Grant.Etag = "", ""
		}
	}
	if r.Project != nil {
		out.Project = projectToProto(r.Project)
		if !r.Created {
			out.Project.Name, out.Project.Grant, out.Project.Etag = "", "", ""
		}
	}
	if r.Version != nil && r.Created {
		out.BudgetVersion = budgetVersionToProto(r.Version)
	}
	for _, l := range r.Lines {
		cl := &pactumv1.ContractBudgetLine{
			Row: int32(l.Row), HeadingCode: l.Input.HeadingCode, Code: l.Input.Code, Description: l.Input.Description, //nolint:gosec // rows are at most contract.MaxBudgetRows
			Unit: l.Input.Unit, Units: l.Input.Units, UnitCost: l.Input.UnitCost, Total: money.Format(l.Total, cur), Partner: l.Partner,
		}
		if l.Input.OrganisationID != "" {
			cl.Organisation = resource.Name(resource.Organisations, l.Input.OrganisationID)
		}
		out.Lines = append(out.Lines, cl)
	}
	if len(r.Headings) > 0 {
		out.BudgetTotal = money.Format(r.BudgetTotal, cur)
	}
	for _, h := range r.Headings {
		out.Headings = append(out.Headings, &pactumv1.BudgetHeadingTotal{
			Code: h.Code, Title: h.Title, Kind: budgetHeadingKindToProto[h.Kind],
			Total: money.Format(h.Total, cur), PercentOfBase: h.PercentOfBase,
		})
	}
	for _, p := range r.Problems {
		out.Problems = append(out.Problems, &pactumv1.ContractBudgetProblem{
			Row: int32(p.Row), Column: p.Column, Code: p.Code, Args: p.Args, Message: p.Message, //nolint:gosec // rows are at most contract.MaxBudgetRows
		})
	}
	for _, ms := range r.Milestones {
		pm := milestoneToProto(ms)
		if !r.Created {
			pm.Name, pm.Etag, pm.Grant = "", "", ""
			pm.Project = ""
		}
		out.Milestones = append(out.Milestones, pm)
	}
	return connect.NewResponse(out), nil
}
