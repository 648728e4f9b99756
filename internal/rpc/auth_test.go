package rpc_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/rpc"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

func createUserWithPassword(t *testing.T, e *rpctest.Env, email, password string, ms ...identity.Membership) *identity.User {
	t.Helper()
	u, err := e.Services.Identity.CreateUser(actor.SystemContext(context.Background()), identity.NewUser{
		Email: email, DisplayName: "Amina Odhiambo", Password: password, Memberships: ms,
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func signIn(e *rpctest.Env, email, password string) (*connect.Response[pactumv1.SignInResponse], error) {
	return e.Anonymous().Auth.SignIn(context.Background(), connect.NewRequest(&pactumv1.SignInRequest{Email: email, Password: password}))
}

// withCookie returns a request carrying the session cookie of a response,
// as the web app's pages send it (a browser adds Sec-Fetch-Site).
func withCookie[T any](msg *T, setCookie string) *connect.Request[T] {
	req := connect.NewRequest(msg)
	if c, err := http.ParseSetCookie(setCookie); err == nil {
		req.Header().Set("Cookie", c.Name+"="+c.Value)
		req.Header().Set("Sec-Fetch-Site", "same-origin")
	}
	return req
}

func TestSignInSessionAndSignOut(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		createUserWithPassword(t, e, "amina@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})

		res, err := signIn(e, "Amina@Example.org ", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		setCookie := res.Header().Get("Set-Cookie")
		c, err := http.ParseSetCookie(setCookie)
		if err != nil || c.Name != "pactum_session" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
			t.Fatalf("cookie %q: %+v %v", setCookie, c, err)
		}
		anon := e.Anonymous()
		me, err := anon.Auth.GetSession(ctx, withCookie(&pactumv1.GetSessionRequest{}, setCookie))
		if err != nil || me.Msg.GetUser().GetEmail() != "amina@example.org" {
			t.Fatalf("session: %v %v", me, err)
		}
		// The cookie works on every service.
		if _, err := anon.Organisations.ListOrganisations(ctx, withCookie(&pactumv1.ListOrganisationsRequest{}, setCookie)); err != nil {
			t.Fatal(err)
		}
		// A second session, on another device.
		res2, err := signIn(e, "amina@example.org", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		other := res2.Header().Get("Set-Cookie")

		// Signing out ends this session only.
		out, err := anon.Auth.SignOut(ctx, withCookie(&pactumv1.SignOutRequest{}, setCookie))
		if err != nil || !strings.Contains(out.Header().Get("Set-Cookie"), "Max-Age=0") {
			t.Fatalf("sign out: %v %v", out, err)
		}
		_, err = anon.Auth.GetSession(ctx, withCookie(&pactumv1.GetSessionRequest{}, setCookie))
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		if _, err := anon.Auth.GetSession(ctx, withCookie(&pactumv1.GetSessionRequest{}, other)); err != nil {
			t.Fatalf("the other session ended too: %v", err)
		}
		// Signing out everywhere ends the other one.
		if _, err := anon.Auth.SignOut(ctx, withCookie(&pactumv1.SignOutRequest{Everywhere: true}, other)); err != nil {
			t.Fatal(err)
		}
		_, err = anon.Auth.GetSession(ctx, withCookie(&pactumv1.GetSessionRequest{}, other))
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
	})
}

func TestSessionExpires(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		createUserWithPassword(t, e, "sita@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		res, err := signIn(e, "sita@example.org", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		cookie := res.Header().Get("Set-Cookie")
		if _, err := e.Anonymous().Auth.GetSession(ctx, withCookie(&pactumv1.GetSessionRequest{}, cookie)); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(identity.DefaultSessionTTL + time.Minute)
		e.Services.Identity.SetClock(func() time.Time { return later })
		defer e.Services.Identity.SetClock(time.Now)
		_, err = e.Anonymous().Auth.GetSession(ctx, withCookie(&pactumv1.GetSessionRequest{}, cookie))
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		if !strings.Contains(err.Error(), "expired") {
			t.Fatalf("message %v", err)
		}
	})
}

func TestWrongCredentialsRevealNothing(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		createUserWithPassword(t, e, "jose@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		_, wrongPassword := signIn(e, "jose@example.org", "wrong password!")
		_, unknownEmail := signIn(e, "nobody@example.org", "wrong password!")
		rpctest.ExpectCode(t, wrongPassword, connect.CodeUnauthenticated)
		rpctest.ExpectCode(t, unknownEmail, connect.CodeUnauthenticated)
		if wrongPassword.Error() != unknownEmail.Error() {
			t.Fatalf("answers differ: %q vs %q", wrongPassword, unknownEmail)
		}
		// A password reset for an unknown address answers like a known one.
		for _, email := range []string{"jose@example.org", "nobody@example.org"} {
			if _, err := e.Anonymous().Auth.RequestPasswordReset(context.Background(), connect.NewRequest(&pactumv1.RequestPasswordResetRequest{Email: email})); err != nil {
				t.Fatalf("reset for %s: %v", email, err)
			}
		}
		var failed int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in_failed'").Scan(context.Background(), &failed); err != nil || failed != 2 {
			t.Fatalf("failed sign-ins audited: %d (%v)", failed, err)
		}
	})
}

func TestSignInRateLimits(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		createUserWithPassword(t, e, "ana@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		for i := 0; i < identity.MaxFailuresPerAccount; i++ {
			_, err := signIn(e, "ana@example.org", "guess number "+string(rune('a'+i)))
			rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		}
		// Locked now, even with the right password, until the window passes.
		_, err := signIn(e, "ana@example.org", "correct horse battery")
		rpctest.ExpectCode(t, err, connect.CodeResourceExhausted)
		// An unknown account is limited the same way (nothing is revealed).
		for i := 0; i < identity.MaxFailuresPerAccount; i++ {
			_, _ = signIn(e, "ghost@example.org", "guess")
		}
		_, err = signIn(e, "ghost@example.org", "guess")
		rpctest.ExpectCode(t, err, connect.CodeResourceExhausted)

		later := time.Now().Add(identity.FailureWindow + time.Minute)
		e.Services.Identity.SetClock(func() time.Time { return later })
		defer e.Services.Identity.SetClock(time.Now)
		if _, err := signIn(e, "ana@example.org", "correct horse battery"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		// Per address: many accounts tried from one address.
		for i := 0; i < identity.MaxFailuresPerAddress; i++ {
			_, _ = signIn(e, "spray"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.org", "guess")
		}
		createUserWithPassword(t, e, "real@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		_, err := signIn(e, "real@example.org", "correct horse battery")
		rpctest.ExpectCode(t, err, connect.CodeResourceExhausted)
	})
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		// Tokens are made in a session signed in with a password.
		web := e.Session(t, &e.Clients)
		created, err := web.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{DisplayName: "monthly export", TtlDays: 30}))
		if err != nil {
			t.Fatal(err)
		}
		secret := created.Msg.GetSecret()
		script := e.WithToken(secret)
		if _, err := script.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{})); err != nil {
			t.Fatal(err)
		}
		var stored int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?", secret).Scan(ctx, &stored); err != nil || stored != 0 {
			t.Fatalf("secret stored in clear: %d %v", stored, err)
		}
		list, err := e.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{}))
		if err != nil || len(list.Msg.GetApiTokens()) != 2 {
			t.Fatalf("tokens: %v %v", list, err)
		}
		if _, err := e.Auth.RevokeApiToken(ctx, connect.NewRequest(&pactumv1.RevokeApiTokenRequest{Name: created.Msg.GetApiToken().GetName()})); err != nil {
			t.Fatal(err)
		}
		_, err = script.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{}))
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		// Another user cannot revoke (or learn of) someone else's token.
		org, err := e.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{
			Organisation: &pactumv1.Organisation{DisplayName: "Global Alliance", Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD, CountryCode: "BE"}}))
		if err != nil {
			t.Fatal(err)
		}
		other := e.As(t, rpctest.Member(actor.RoleFinance, strings.TrimPrefix(org.Msg.GetOrganisation().GetName(), "organisations/")))
		second, err := web.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{DisplayName: "second", TtlDays: 30}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = other.Auth.RevokeApiToken(ctx, connect.NewRequest(&pactumv1.RevokeApiTokenRequest{Name: second.Msg.GetApiToken().GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		if _, err := e.WithToken(second.Msg.GetSecret()).Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{})); err != nil {
			t.Fatalf("token revoked by another user: %v", err)
		}
		_, err = e.WithToken("pt_not-a-real-token").Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{}))
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		// Expired tokens stop working.
		short, err := web.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{DisplayName: "one day", TtlDays: 1}))
		if err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(25 * time.Hour)
		e.Services.Identity.SetClock(func() time.Time { return later })
		defer e.Services.Identity.SetClock(time.Now)
		_, err = e.WithToken(short.Msg.GetSecret()).Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{}))
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		var events int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM audit_events WHERE action IN ('token_create', 'token_revoke')").Scan(ctx, &events); err != nil || events < 4 {
			t.Fatalf("token events audited: %d (%v)", events, err)
		}
	})
}

func TestInvitationAndPasswordReset(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		org, err := e.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{
			Organisation: &pactumv1.Organisation{DisplayName: "Umoja Domestic Workers Union", Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER, CountryCode: "KE"}}))
		if err != nil {
			t.Fatal(err)
		}
		orgID := strings.TrimPrefix(org.Msg.GetOrganisation().GetName(), "organisations/")
		coordinator := e.As(t, rpctest.Member(actor.RoleCoordinator, orgID))
		inv, err := coordinator.Users.InviteUser(ctx, connect.NewRequest(&pactumv1.InviteUserRequest{User: &pactumv1.User{
			Email: "wanjiku@example.org", DisplayName: "Wanjiku Kamau",
			Memberships: []*pactumv1.Membership{{Organisation: org.Msg.GetOrganisation().GetName(), Role: pactumv1.Role_ROLE_PARTNER_EDITOR}},
		}}))
		if err != nil {
			t.Fatal(err)
		}
		link := inv.Msg.GetInvitationUrl()
		if inv.Msg.GetMailed() || !strings.HasPrefix(link, "http://pactum.test/accept-invitation?token=") || inv.Msg.GetUser().GetActive() {
			t.Fatalf("invitation: %v", inv.Msg)
		}
		// A coordinator cannot make admins.
		_, err = coordinator.Users.InviteUser(ctx, connect.NewRequest(&pactumv1.InviteUserRequest{User: &pactumv1.User{
			Email: "boss@example.org", DisplayName: "Boss", Memberships: []*pactumv1.Membership{{Role: pactumv1.Role_ROLE_ADMIN}}}}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)

		token := strings.TrimPrefix(link, "http://pactum.test/accept-invitation?token=")
		_, err = e.Anonymous().Auth.AcceptInvitation(ctx, connect.NewRequest(&pactumv1.AcceptInvitationRequest{Token: token, Password: "short"}))
		rpctest.ExpectViolation(t, err, "password")
		acc, err := e.Anonymous().Auth.AcceptInvitation(ctx, connect.NewRequest(&pactumv1.AcceptInvitationRequest{Token: token, Password: "a long enough password"}))
		if err != nil {
			t.Fatal(err)
		}
		if acc.Msg.GetUser().GetMemberships()[0].GetRole() != pactumv1.Role_ROLE_PARTNER_EDITOR || acc.Header().Get("Set-Cookie") == "" {
			t.Fatalf("accepted: %v", acc.Msg)
		}
		_, err = e.Anonymous().Auth.AcceptInvitation(ctx, connect.NewRequest(&pactumv1.AcceptInvitationRequest{Token: token, Password: "a long enough password"}))
		rpctest.ExpectViolation(t, err, "token")
		if _, err := signIn(e, "wanjiku@example.org", "a long enough password"); err != nil {
			t.Fatal(err)
		}

		// Password reset: the link (logged when there is no SMTP) works once.
		secret, _, err := e.Services.Identity.CreateResetLink(ctx, "wanjiku@example.org")
		if err != nil || secret == "" {
			t.Fatalf("reset link: %v", err)
		}
		if _, err := e.Anonymous().Auth.ResetPassword(ctx, connect.NewRequest(&pactumv1.ResetPasswordRequest{Token: secret, Password: "another long password"})); err != nil {
			t.Fatal(err)
		}
		_, err = signIn(e, "wanjiku@example.org", "a long enough password")
		rpctest.ExpectCode(t, err, connect.CodeUnauthenticated)
		if _, err := signIn(e, "wanjiku@example.org", "another long password"); err != nil {
			t.Fatal(err)
		}
		_, err = e.Anonymous().Auth.ResetPassword(ctx, connect.NewRequest(&pactumv1.ResetPasswordRequest{Token: secret, Password: "third long password"}))
		rpctest.ExpectViolation(t, err, "token")
	})
}

// capturingMailer records what would have been mailed.
type capturingMailer struct{ to, subject, body []string }

func (m *capturingMailer) Send(_ context.Context, to, subject, body string) error {
	m.to, m.subject, m.body = append(m.to, to), append(m.subject, subject), append(m.body, body)
	return nil
}

// With SMTP configured, invitations and reset links are mailed, not shown.
func TestLinksAreMailedWhenSMTPIsConfigured(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		m := &capturingMailer{}
		e := rpctest.StartWith(t, d, rpc.AuthConfig{PublicURL: "https://pactum.example.org", Mailer: m})
		inv, err := e.Users.InviteUser(ctx, connect.NewRequest(&pactumv1.InviteUserRequest{User: &pactumv1.User{
			Email: "carmen@example.org", DisplayName: "Carmen Mamani", Memberships: []*pactumv1.Membership{{Role: pactumv1.Role_ROLE_ADMIN}}}}))
		if err != nil {
			t.Fatal(err)
		}
		if !inv.Msg.GetMailed() || inv.Msg.GetInvitationUrl() != "" {
			t.Fatalf("invitation not mailed, or its link shown: %v", inv.Msg)
		}
		if len(m.to) != 1 || m.to[0] != "carmen@example.org" || !strings.Contains(m.body[0], "https://pactum.example.org/accept-invitation?token=pi_") {
			t.Fatalf("mailed %v %v", m.to, m.body)
		}
		if _, err := e.Anonymous().Auth.RequestPasswordReset(ctx, connect.NewRequest(&pactumv1.RequestPasswordResetRequest{Email: "carmen@example.org"})); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Anonymous().Auth.RequestPasswordReset(ctx, connect.NewRequest(&pactumv1.RequestPasswordResetRequest{Email: "nobody@example.org"})); err != nil {
			t.Fatal(err)
		}
		if len(m.to) != 2 || !strings.Contains(m.body[1], "https://pactum.example.org/reset-password?token=pr_") {
			t.Fatalf("reset mails %v", m.to)
		}
		// Secure cookies behind TLS (an https public URL).
		createUserWithPassword(t, e, "secure@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		res, err := signIn(e, "secure@example.org", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		if c, err := http.ParseSetCookie(res.Header().Get("Set-Cookie")); err != nil || !c.Secure {
			t.Fatalf("cookie behind TLS is not Secure: %v %v", c, err)
		}
	})
}
