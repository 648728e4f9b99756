package rpc_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// The flat rate of indirect costs: set on create, read back, changed by
// update_mask "indirect_cost_rate" within the cap of the grant's rules.
func TestGrantIndirectCostRate(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		p := seedPartners(t, e)
		fpa := mustCreateAgreement(t, e, newAgreement(p, "FPA/IND"))
		in := newGrantUnder(fpa.GetName(), "CSO/IND/1")
		in.IndirectCostRate = "6.5"
		g := mustCreateGrant(t, e, in)
		if g.GetIndirectCostRate() != "6.5" {
			t.Fatalf("created with %q, want 6.5", g.GetIndirectCostRate())
		}
		none := mustCreateGrant(t, e, newGrantUnder(fpa.GetName(), "CSO/IND/2"))
		if none.GetIndirectCostRate() != "0" {
			t.Fatalf("unset rate reads %q, want 0", none.GetIndirectCostRate())
		}

		update := func(rate string) (*pactumv1.Grant, error) {
			res, err := e.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
				Grant:      &pactumv1.Grant{Name: g.GetName(), Etag: e.ETag(g.GetName()), IndirectCostRate: rate, Title: "ignored"},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"indirect_cost_rate"}}}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetGrant(), nil
		}
		u, err := update("7")
		if err != nil {
			t.Fatal(err)
		}
		if u.GetIndirectCostRate() != "7" || u.GetTitle() != g.GetTitle() {
			t.Fatalf("after update %v", u)
		}
		get, err := e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: g.GetName()}))
		if err != nil || get.Msg.GetGrant().GetIndirectCostRate() != "7" {
			t.Fatalf("read back %v %v", err, get)
		}

		// The grant's rules lower the cap to 5%: 6 is refused, naming the range.
		rules, err := e.Budgets.GetGrantRules(ctx, connect.NewRequest(&pactumv1.GetGrantRulesRequest{Name: g.GetName() + "/rules"}))
		if err != nil {
			t.Fatal(err)
		}
		// The cap may not go below the grant's rate.
		_, err = e.Budgets.UpdateGrantRules(ctx, connect.NewRequest(&pactumv1.UpdateGrantRulesRequest{
			GrantRules: &pactumv1.GrantRules{Name: g.GetName() + "/rules", Etag: rules.Msg.GetGrantRules().GetEtag(), IndirectCap: "5"},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"indirect_cap"}}}))
		rpctest.ExpectViolation(t, err, "grant_rules.indirect_cap")
		if _, err := update("4"); err != nil {
			t.Fatal(err)
		}
		if _, err = e.Budgets.UpdateGrantRules(ctx, connect.NewRequest(&pactumv1.UpdateGrantRulesRequest{
			GrantRules: &pactumv1.GrantRules{Name: g.GetName() + "/rules", Etag: rules.Msg.GetGrantRules().GetEtag(), IndirectCap: "5"},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"indirect_cap"}}})); err != nil {
			t.Fatal(err)
		}
		_, err = update("6")
		rpctest.ExpectViolation(t, err, "grant.indirect_cost_rate")
		if desc := rpctest.Violations(err)["grant.indirect_cost_rate"]; !strings.Contains(desc, "from 0 to 5 percent") {
			t.Errorf("above the rules' cap: %q", desc)
		}

	})
}
