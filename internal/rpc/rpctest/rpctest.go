// Package rpctest starts Pactum's Connect handlers on an httptest server over
// a fresh, migrated database and gives tests real Connect clients for it.
package rpctest

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"connectrpc.com/connect"
	"github.com/uptrace/bun"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/pactum-dev/pactum/internal/agreement"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/rpc"
)

// Env is a running server and clients for each service.
type Env struct {
	DB            *bun.DB
	URL           string
	Services      rpc.Services
	Organisations pactumv1connect.OrganisationServiceClient
	Agreements    pactumv1connect.FrameworkAgreementServiceClient
	Grants        pactumv1connect.GrantServiceClient
	Projects      pactumv1connect.ProjectServiceClient
	Milestones    pactumv1connect.MilestoneServiceClient
}

// Each runs fn against a server on SQLite and, when PACTUM_TEST_POSTGRES_DSN
// is set, on PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, e *Env)) {
	t.Helper()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) { fn(t, Start(t, d)) })
}

// Start serves Pactum's handlers over d until the test ends.
func Start(t testing.TB, d *bun.DB) *Env {
	t.Helper()
	s := rpc.Services{
		Organisations: organisation.NewService(d),
		Agreements:    agreement.NewService(d),
		Grants:        grant.NewService(d),
		Projects:      project.NewService(d),
		Milestones:    milestone.NewService(d),
	}
	mux := http.NewServeMux()
	if err := rpc.Mount(mux, s, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := srv.Client()
	return &Env{
		DB: d, URL: srv.URL, Services: s,
		Organisations: pactumv1connect.NewOrganisationServiceClient(c, srv.URL),
		Agreements:    pactumv1connect.NewFrameworkAgreementServiceClient(c, srv.URL),
		Grants:        pactumv1connect.NewGrantServiceClient(c, srv.URL),
		Projects:      pactumv1connect.NewProjectServiceClient(c, srv.URL),
		Milestones:    pactumv1connect.NewMilestoneServiceClient(c, srv.URL),
	}
}

// Code returns the Connect code of err (0 for nil).
func Code(err error) connect.Code {
	if err == nil {
		return 0
	}
	return connect.CodeOf(err)
}

// Violations returns the field -> description pairs of err's BadRequest detail.
func Violations(err error) map[string]string {
	out := map[string]string{}
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return out
	}
	for _, d := range ce.Details() {
		v, derr := d.Value()
		if derr != nil {
			continue
		}
		if br, ok := v.(*errdetails.BadRequest); ok {
			for _, f := range br.GetFieldViolations() {
				out[f.GetField()] = f.GetDescription()
			}
		}
	}
	return out
}

// Reason returns the ErrorInfo reason of err, or "".
func Reason(err error) string {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return ""
	}
	for _, d := range ce.Details() {
		if v, derr := d.Value(); derr == nil {
			if ei, ok := v.(*errdetails.ErrorInfo); ok {
				return ei.GetReason()
			}
		}
	}
	return ""
}

// ExpectCode fails the test unless err has the wanted code (0: no error).
func ExpectCode(t testing.TB, err error, want connect.Code) {
	t.Helper()
	if got := Code(err); got != want {
		t.Fatalf("got code %v (%v), want %v", got, err, want)
	}
}

// ExpectViolation fails the test unless err is INVALID_ARGUMENT naming field.
func ExpectViolation(t testing.TB, err error, field string) {
	t.Helper()
	ExpectCode(t, err, connect.CodeInvalidArgument)
	if _, ok := Violations(err)[field]; !ok {
		t.Fatalf("error %v has no violation for %q; has %v", err, field, Violations(err))
	}
}
