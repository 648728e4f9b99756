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

// A grant reports in English unless its coordinator chooses French, Spanish
// or Portuguese; Get and List return it; another value is refused, naming
// the field and the languages allowed.
func TestGrantReportingLanguage(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		coordinator := f.roles["coordinator"]
		get := func() *pactumv1.Grant {
			return must(coordinator.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: f.g1}))).GetGrant()
		}
		g := get()
		if g.GetReportingLanguage() != "en" {
			t.Fatalf("new grant reports in %q, want en", g.GetReportingLanguage())
		}
		update := func(lang, etag string) (*pactumv1.Grant, error) {
			res, err := coordinator.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
				Grant:      &pactumv1.Grant{Name: f.g1, Etag: etag, ReportingLanguage: lang},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"reporting_language"}}}))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetGrant(), nil
		}
		u, err := update("fr", g.GetEtag())
		if err != nil {
			t.Fatal(err)
		}
		if u.GetReportingLanguage() != "fr" || u.GetTitle() != g.GetTitle() || get().GetReportingLanguage() != "fr" {
			t.Fatalf("after choosing fr: %v", u)
		}
		list := must(coordinator.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{})))
		found := false
		for _, x := range list.GetGrants() {
			if x.GetName() == f.g1 {
				found = x.GetReportingLanguage() == "fr"
			}
		}
		if !found {
			t.Errorf("ListGrants does not show G1 reporting in fr: %v", list.GetGrants())
		}

		// German is not one of them: the error names the field and the
		// languages allowed; nothing changes.
		_, err = update("de", u.GetEtag())
		rpctest.ExpectViolation(t, err, "grant.reporting_language")
		if msg := rpctest.Violations(err)["grant.reporting_language"]; !strings.Contains(msg, "fr") || !strings.Contains(msg, "pt") {
			t.Errorf("violation %q does not name the languages allowed", msg)
		}
		if get().GetReportingLanguage() != "fr" {
			t.Error("a refused language changed the grant")
		}
		// Empty, masked: back to English.
		u, err = update("", u.GetEtag())
		if err != nil || u.GetReportingLanguage() != "en" {
			t.Fatalf("reset: %v, %v", u, err)
		}
		// Partners read the grant but may not change its language.
		_, err = f.roles["editorA"].Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant:      &pactumv1.Grant{Name: f.g1, Etag: u.GetEtag(), ReportingLanguage: "es"},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"reporting_language"}}}))
		if c := rpctest.Code(err); c != connect.CodePermissionDenied && c != connect.CodeNotFound {
			t.Errorf("partner editor changing the language: %v", err)
		}
	})
}
