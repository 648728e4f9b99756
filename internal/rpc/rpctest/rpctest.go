// Package rpctest starts Pactum's Connect handlers on an httptest server over
// a fresh, migrated database and gives tests real Connect clients for it.
package rpctest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/uptrace/bun"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rpc"
)

// Clients are Connect clients for every service, all sending one caller's
// credentials.
type Clients struct {
	Auth          pactumv1connect.AuthServiceClient
	Users         pactumv1connect.UserServiceClient
	Audit         pactumv1connect.AuditServiceClient
	Organisations pactumv1connect.OrganisationServiceClient
	Agreements    pactumv1connect.FrameworkAgreementServiceClient
	Grants        pactumv1connect.GrantServiceClient
	Projects      pactumv1connect.ProjectServiceClient
	Milestones    pactumv1connect.MilestoneServiceClient
	Budgets       pactumv1connect.BudgetServiceClient
	Rates         pactumv1connect.ExchangeRateServiceClient
	Expenditures  pactumv1connect.ExpenditureServiceClient
	Finance       pactumv1connect.FinanceServiceClient
	Forecasts     pactumv1connect.ForecastServiceClient
	Funding       pactumv1connect.FundingServiceClient
	Reports       pactumv1connect.ReportServiceClient
	Results       pactumv1connect.ResultsServiceClient
	ResultsOut    pactumv1connect.IndicatorSheetServiceClient
	Activities    pactumv1connect.ActivityServiceClient
	Progress      pactumv1connect.ProgressUpdateServiceClient
	Attachments   pactumv1connect.AttachmentServiceClient
	Notifications pactumv1connect.NotificationServiceClient
	Contracts     pactumv1connect.ContractServiceClient
	Narrative     pactumv1connect.NarrativeReportServiceClient
	// UserID is the caller's user id ("" for anonymous clients).
	UserID string
	// Token is the caller's API token ("" for anonymous clients).
	Token string
}

// Env is a running server and clients for each service. The embedded
// Clients act as an admin; As gives clients for other roles.
type Env struct {
	DB       *bun.DB
	URL      string
	Services rpc.Services
	Clients
	http *http.Client
	n    int
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
	return StartWith(t, d, rpc.AuthConfig{PublicURL: "http://pactum.test"})
}

// StartWith is Start with an authentication configuration (a mailer, say).
func StartWith(t testing.TB, d *bun.DB, cfg rpc.AuthConfig) *Env {
	t.Helper()
	return StartLogged(t, d, cfg, slog.New(slog.DiscardHandler))
}

// StartLogged is StartWith with the server's logger (tests read what it
// writes).
func StartLogged(t testing.TB, d *bun.DB, cfg rpc.AuthConfig, log *slog.Logger) *Env {
	t.Helper()
	data := t.TempDir()
	storage, err := app.OpenStorage(filepath.Join(data, "files"), filepath.Join(data, "tmp"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = storage.Close() })
	// The services as the application builds them, attachments owners and
	// all; reports sign audit checkpoints into a file of the test's own.
	keeper := audit.NewKeeper(d, dbtest.AuditKey, filepath.Join(t.TempDir(), "audit-checkpoints.jsonl"))
	s := app.NewServices(d, storage.Blobs, storage.Temp, keeper)
	mux := http.NewServeMux()
	if err := rpc.Mount(mux, s, cfg, app.Ready(d, storage.Blobs), log); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &Env{DB: d, URL: srv.URL, Services: s, http: srv.Client()}
	e.Clients = *e.As(t, identity.Membership{Role: actor.RoleAdmin})
	return e
}

// Anonymous returns clients that send no credentials.
func (e *Env) Anonymous() *Clients { return e.WithToken("") }

// WithToken returns clients that send token as "Authorization: Bearer".
func (e *Env) WithToken(token string) *Clients {
	opts := []connect.ClientOption{}
	if token != "" {
		opts = append(opts, connect.WithInterceptors(bearer(token)))
	}
	return e.withOptions(token, opts...)
}

func (e *Env) withOptions(token string, opts ...connect.ClientOption) *Clients {
	c, u := e.http, e.URL
	return &Clients{
		Token:         token,
		Auth:          pactumv1connect.NewAuthServiceClient(c, u, opts...),
		Users:         pactumv1connect.NewUserServiceClient(c, u, opts...),
		Audit:         pactumv1connect.NewAuditServiceClient(c, u, opts...),
		Organisations: pactumv1connect.NewOrganisationServiceClient(c, u, opts...),
		Agreements:    pactumv1connect.NewFrameworkAgreementServiceClient(c, u, opts...),
		Grants:        pactumv1connect.NewGrantServiceClient(c, u, opts...),
		Projects:      pactumv1connect.NewProjectServiceClient(c, u, opts...),
		Milestones:    pactumv1connect.NewMilestoneServiceClient(c, u, opts...),
		Budgets:       pactumv1connect.NewBudgetServiceClient(c, u, opts...),
		Rates:         pactumv1connect.NewExchangeRateServiceClient(c, u, opts...),
		Expenditures:  pactumv1connect.NewExpenditureServiceClient(c, u, opts...),
		Finance:       pactumv1connect.NewFinanceServiceClient(c, u, opts...),
		Forecasts:     pactumv1connect.NewForecastServiceClient(c, u, opts...),
		Funding:       pactumv1connect.NewFundingServiceClient(c, u, opts...),
		Reports:       pactumv1connect.NewReportServiceClient(c, u, opts...),
		Results:       pactumv1connect.NewResultsServiceClient(c, u, opts...),
		ResultsOut:    pactumv1connect.NewIndicatorSheetServiceClient(c, u, opts...),
		Activities:    pactumv1connect.NewActivityServiceClient(c, u, opts...),
		Progress:      pactumv1connect.NewProgressUpdateServiceClient(c, u, opts...),
		Attachments:   pactumv1connect.NewAttachmentServiceClient(c, u, opts...),
		Notifications: pactumv1connect.NewNotificationServiceClient(c, u, opts...),
		Contracts:     pactumv1connect.NewContractServiceClient(c, u, opts...),
		Narrative:     pactumv1connect.NewNarrativeReportServiceClient(c, u, opts...),
	}
}

// Session returns clients acting as the user of c through a browser session
// (the session cookie) instead of an API token, as the web app does.
func (e *Env) Session(t testing.TB, c *Clients) *Clients {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	u, err := e.Services.Identity.GetUser(ctx, c.UserID)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := e.Services.Identity.StartSession(ctx, u, "127.0.0.1", "rpctest", "sign_in")
	if err != nil {
		t.Fatal(err)
	}
	return e.WithCookie(secret, u.ID)
}

// WithCookie returns clients that send a session secret as the session
// cookie, for the user userID.
func (e *Env) WithCookie(secret, userID string) *Clients {
	c := e.withOptions("", connect.WithInterceptors(cookie(secret)))
	c.UserID = userID
	return c
}

// cookie sends a session cookie on unary and streaming calls alike, as the
// web app's pages do: with the Sec-Fetch-Site a browser adds to a
// same-origin call.
type cookie string

func (c cookie) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		req.Header().Set("Cookie", rpc.SessionCookie+"="+string(c))
		req.Header().Set("Sec-Fetch-Site", "same-origin")
		return next(ctx, req)
	}
}

func (c cookie) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set("Cookie", rpc.SessionCookie+"="+string(c))
		conn.RequestHeader().Set("Sec-Fetch-Site", "same-origin")
		return conn
	}
}

func (cookie) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// bearer sends an API token on unary and streaming calls alike.
type bearer string

func (b bearer) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		req.Header().Set("Authorization", "Bearer "+string(b))
		return next(ctx, req)
	}
}

func (b bearer) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set("Authorization", "Bearer "+string(b))
		return conn
	}
}

func (bearer) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// As creates a user with the given memberships and returns clients acting
// as that user (through a personal API token).
func (e *Env) As(t testing.TB, ms ...identity.Membership) *Clients {
	t.Helper()
	e.n++
	ctx := actor.SystemContext(context.Background())
	u, err := e.Services.Identity.CreateUser(ctx, identity.NewUser{
		// The id keeps the address unique when two servers share a database.
		Email: fmt.Sprintf("user%d-%s@pactum.test", e.n, resource.NewID()), DisplayName: fmt.Sprintf("Test user %d", e.n), Memberships: ms,
	})
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := e.Services.Identity.CreateAPIToken(actor.With(ctx, u.ToCaller()), "tests", time.Hour, "")
	if err != nil {
		t.Fatal(err)
	}
	c := e.WithToken(secret)
	c.UserID = u.ID
	return c
}

// Member returns a membership of role in organisation orgID (an id, not a
// name), optionally limited to grants (ids).
func Member(role actor.Role, orgID string, grantIDs ...string) identity.Membership {
	return identity.Membership{OrganisationID: &orgID, Role: role, GrantIDs: grantIDs}
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
