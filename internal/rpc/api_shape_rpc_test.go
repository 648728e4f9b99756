package rpc_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// Lists that were returned whole now page like the others: page_size,
// opaque tokens, negative sizes and foreign tokens refused.
func TestNewlyPagedLists(t *testing.T) {
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		user := e.Session(t, e.As(t))
		for i := range 4 {
			if _, err := user.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{
				DisplayName: fmt.Sprintf("script %d", i), TtlDays: 30})); err != nil {
				t.Fatal(err)
			}
		}
		// API tokens, newest first, two a page: the four made here and
		// the one rpctest made for the user.
		var names []string
		token := ""
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("the pages do not end")
			}
			res, err := user.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{PageSize: 2, PageToken: token}))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(res.Msg.GetApiTokens()); n > 2 || n == 0 {
				t.Fatalf("a page of %d tokens", n)
			}
			for _, tok := range res.Msg.GetApiTokens() {
				names = append(names, tok.GetName())
			}
			if token = res.Msg.GetNextPageToken(); token == "" {
				break
			}
		}
		all := must(user.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{})))
		var whole []string
		for _, tok := range all.GetApiTokens() {
			whole = append(whole, tok.GetName())
		}
		if len(names) != 5 || !slices.Equal(names, whole) || all.GetNextPageToken() != "" {
			t.Errorf("paged %v, whole %v", names, whole)
		}
		if all.GetApiTokens()[0].GetDisplayName() != "script 3" {
			t.Errorf("first token %v, want the newest", all.GetApiTokens()[0])
		}

		// Budget templates, one a page: the built-in one first.
		first := must(e.Budgets.ListBudgetTemplates(ctx, connect.NewRequest(&pactumv1.ListBudgetTemplatesRequest{PageSize: 1})))
		if len(first.GetBudgetTemplates()) != 1 || !first.GetBudgetTemplates()[0].GetBuiltIn() {
			t.Errorf("first page of templates: %v", first.GetBudgetTemplates())
		}

		// Negative sizes and tokens of another list are refused.
		_, err := user.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{PageSize: -1}))
		rpctest.ExpectViolation(t, err, "page_size")
		_, err = e.Budgets.ListBudgetTemplates(ctx, connect.NewRequest(&pactumv1.ListBudgetTemplatesRequest{PageSize: -1}))
		rpctest.ExpectViolation(t, err, "page_size")
		_, err = e.Budgets.ListBudgetTemplates(ctx, connect.NewRequest(&pactumv1.ListBudgetTemplatesRequest{PageToken: "not-a-token"}))
		rpctest.ExpectViolation(t, err, "page_token")
		other := e.Session(t, e.As(t))
		for range 2 {
			must(other.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{DisplayName: "x", TtlDays: 1})))
		}
		theirs := must(other.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{PageSize: 1}))).GetNextPageToken()
		if theirs == "" {
			t.Fatal("no second page of the other user's tokens")
		}
		_, err = user.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{PageToken: theirs}))
		rpctest.ExpectViolation(t, err, "page_token")
	})
}

// A repeated create with the same request_id gets the first answer, even a
// secret shown once; the same request_id with another request is refused;
// request_ids are the caller's own.
func TestRequestIDRepeatsTheFirstAnswer(t *testing.T) {
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		alice := e.Session(t, e.As(t))
		bob := e.Session(t, e.As(t))
		const rid = "4a7c2e10-5b3d-4f8e-9a61-2c0d7e8f9b13"
		create := func(c *rpctest.Clients, name string) (*pactumv1.CreateApiTokenResponse, error) {
			res, err := c.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{
				DisplayName: name, TtlDays: 30, RequestId: rid}))
			if err != nil {
				return nil, err
			}
			return res.Msg, nil
		}
		first, err := create(alice, "export")
		if err != nil {
			t.Fatal(err)
		}
		again, err := create(alice, "export")
		if err != nil || again.GetApiToken().GetName() != first.GetApiToken().GetName() || again.GetSecret() != first.GetSecret() || first.GetSecret() == "" {
			t.Fatalf("repeat: %v %v, want %v", again, err, first)
		}
		if n := len(must(alice.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{}))).GetApiTokens()); n != 2 {
			t.Errorf("alice has %d tokens after a create and its repeat; want 2 (one from rpctest)", n)
		}
		// The repeated answer's secret works.
		if _, err := e.WithToken(again.GetSecret()).Auth.GetSession(ctx, connect.NewRequest(&pactumv1.GetSessionRequest{})); err != nil {
			t.Errorf("the repeated secret: %v", err)
		}
		// The same request_id for a different request.
		_, err = create(alice, "another script")
		rpctest.ExpectViolation(t, err, "request_id")
		// Bob's request_id is his own.
		theirs, err := create(bob, "export")
		if err != nil || theirs.GetApiToken().GetName() == first.GetApiToken().GetName() || theirs.GetSecret() == first.GetSecret() {
			t.Errorf("bob with alice's request_id: %v %v", theirs, err)
		}
	})
}
