package rpc_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
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

// Forty wrong passwords sent at once to two servers sharing the database
// check at most MaxFailuresPerAccount passwords; the rest are refused.
func TestParallelSignInsAcrossTwoServers(t *testing.T) {
	t.Parallel()
	dbtest.EachPair(t, func(t *testing.T, a, b *bun.DB) {
		one, two := rpctest.Start(t, a), rpctest.Start(t, b)
		createUserWithPassword(t, one, "amina@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		h := identity.NewHasher(4, time.Minute)
		one.Services.Identity.SetHasher(h)
		two.Services.Identity.SetHasher(h)
		var mu sync.Mutex
		codes := map[connect.Code]int{}
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := []*rpctest.Env{one, two}[i%2]
				_, err := signIn(e, "amina@example.org", fmt.Sprintf("guess %d", i))
				mu.Lock()
				codes[rpctest.Code(err)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if h.Derivations() > identity.MaxFailuresPerAccount {
			t.Errorf("%d passwords checked, want at most %d", h.Derivations(), identity.MaxFailuresPerAccount)
		}
		if codes[connect.CodeUnauthenticated] != identity.MaxFailuresPerAccount || codes[connect.CodeResourceExhausted] != 40-identity.MaxFailuresPerAccount {
			t.Errorf("answers %v", codes)
		}
	})
}

// holdHasher gives e's sign-ins a hasher with one slot and no wait, whose
// first derivation holds the slot until release is called.
func holdHasher(e *rpctest.Env) (held <-chan struct{}, release func()) {
	h := identity.NewHasher(1, 0)
	hold, in := make(chan struct{}), make(chan struct{}, 1)
	var once sync.Once
	h.OnDerive(func() {
		first := false
		once.Do(func() { first = true })
		if first {
			in <- struct{}{}
			<-hold
		}
	})
	e.Services.Identity.SetHasher(h)
	return in, func() { close(hold) }
}

// Past the bound on concurrent password hashing, sign-ins and new
// passwords are refused at once with RESOURCE_EXHAUSTED and a message a
// person understands, instead of queueing 19 MiB each.
func TestHashingBoundAnswersResourceExhausted(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		createUserWithPassword(t, e, "sita@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		createUserWithPassword(t, e, "ravi@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		reset, _, err := e.Services.Identity.CreateResetLink(ctx, "ravi@example.org")
		if err != nil {
			t.Fatal(err)
		}
		held, release := holdHasher(e)
		done := make(chan error)
		go func() {
			_, err := signIn(e, "sita@example.org", "correct horse battery")
			done <- err
		}()
		<-held
		for i := range 8 {
			_, err := signIn(e, fmt.Sprintf("user%d@example.org", i), "some password")
			rpctest.ExpectCode(t, err, connect.CodeResourceExhausted)
			if rpctest.Reason(err) != identity.ReasonHashingBusy || !strings.Contains(err.Error(), "too many passwords at the moment; wait a few seconds") {
				t.Fatalf("busy answer: %v (reason %q)", err, rpctest.Reason(err))
			}
		}
		_, err = e.Anonymous().Auth.ResetPassword(ctx, connect.NewRequest(&pactumv1.ResetPasswordRequest{Token: reset, Password: "a new long password"}))
		rpctest.ExpectCode(t, err, connect.CodeResourceExhausted)
		release()
		if err := <-done; err != nil {
			t.Fatalf("the sign-in holding the slot: %v", err)
		}
		// Free again: the reset link was not used up by the refusal.
		if _, err := e.Anonymous().Auth.ResetPassword(ctx, connect.NewRequest(&pactumv1.ResetPasswordRequest{Token: reset, Password: "a new long password"})); err != nil {
			t.Fatal(err)
		}
	})
}

func requestReset(c *rpctest.Clients, email string) error {
	_, err := c.Auth.RequestPasswordReset(context.Background(), connect.NewRequest(&pactumv1.RequestPasswordResetRequest{Email: email}))
	return err
}

func resetToken(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`reset-password\?token=(\S+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reset link in %q", body)
	}
	return m[1]
}

// Reset requests are limited per email address asked for and per client
// address; each new link revokes the earlier ones.
func TestPasswordResetRequestLimits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		m := &capturingMailer{}
		e := rpctest.StartWith(t, d, rpc.AuthConfig{PublicURL: "https://pactum.example.org", Mailer: m})
		createUserWithPassword(t, e, "carmen@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		anon := e.Anonymous()
		for range identity.MaxResetsPerAccount {
			if err := requestReset(anon, "carmen@example.org"); err != nil {
				t.Fatal(err)
			}
			if err := requestReset(anon, "nobody@example.org"); err != nil {
				t.Fatal(err)
			}
		}
		// Per account, registered or not (the limit reveals nothing).
		for _, email := range []string{"Carmen@example.org", "nobody@example.org"} {
			err := requestReset(anon, email)
			rpctest.ExpectCode(t, err, connect.CodeResourceExhausted)
			if rpctest.Reason(err) != identity.ReasonResetLimited || !strings.Contains(err.Error(), "too many password-reset requests") {
				t.Fatalf("%s: %v", email, err)
			}
		}
		if len(m.body) != identity.MaxResetsPerAccount {
			t.Fatalf("%d reset mails, want %d", len(m.body), identity.MaxResetsPerAccount)
		}
		// Only the newest link works.
		for i, body := range m.body[:len(m.body)-1] {
			_, err := anon.Auth.ResetPassword(ctx, connect.NewRequest(&pactumv1.ResetPasswordRequest{Token: resetToken(t, body), Password: "a new long password"}))
			rpctest.ExpectViolation(t, err, "token")
			_ = i
		}
		if _, err := anon.Auth.ResetPassword(ctx, connect.NewRequest(&pactumv1.ResetPasswordRequest{Token: resetToken(t, m.body[len(m.body)-1]), Password: "a new long password"})); err != nil {
			t.Fatalf("newest link: %v", err)
		}
		// Per address: many addresses asked for from one client (six so far).
		for i := 2 * identity.MaxResetsPerAccount; i < identity.MaxResetsPerAddress; i++ {
			if err := requestReset(anon, fmt.Sprintf("spray%d@example.org", i)); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		err := requestReset(anon, "fresh@example.org")
		rpctest.ExpectCode(t, err, connect.CodeResourceExhausted)
		// After the window, requests are taken again.
		later := time.Now().Add(identity.ResetWindow + time.Minute)
		e.Services.Identity.SetClock(func() time.Time { return later })
		if err := requestReset(anon, "carmen@example.org"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// failingMailer fails every mail, keeping what it was asked to send.
type failingMailer struct{ capturingMailer }

func (m *failingMailer) Send(ctx context.Context, to, subject, body string) error {
	_ = m.capturingMailer.Send(ctx, to, subject, body)
	return errors.New("smtp: connection refused")
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Reset and invitation links never reach the log in full, with or without
// SMTP: the log holds a redacted form and says how an admin gets a link.
func TestLinksAreNeverLoggedInFull(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		var logs syncBuffer
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		noSMTP := rpctest.StartLogged(t, d, rpc.AuthConfig{PublicURL: "http://pactum.test"}, log)
		createUserWithPassword(t, noSMTP, "jose@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		if err := requestReset(noSMTP.Anonymous(), "jose@example.org"); err != nil {
			t.Fatal(err)
		}
		inv, err := noSMTP.Users.InviteUser(ctx, connect.NewRequest(&pactumv1.InviteUserRequest{User: &pactumv1.User{
			Email: "new@example.org", DisplayName: "New", Memberships: []*pactumv1.Membership{{Role: pactumv1.Role_ROLE_ADMIN}}}}))
		if err != nil {
			t.Fatal(err)
		}
		failing := &failingMailer{}
		broken := rpctest.StartLogged(t, d, rpc.AuthConfig{PublicURL: "http://pactum.test", Mailer: failing}, log)
		if err := requestReset(broken.Anonymous(), "jose@example.org"); err != nil {
			t.Fatal(err)
		}
		out := logs.String()
		if !strings.Contains(out, "reset-password?token=pr_") || !strings.Contains(out, "(redacted)") || !strings.Contains(out, "pactum user reset-link --email jose@example.org") {
			t.Fatalf("the log does not say a link was not mailed, redacted, and how to get one:\n%s", out)
		}
		if full := regexp.MustCompile(`token=p[ir]_[A-Za-z0-9_-]{8,}`).FindString(out); full != "" {
			t.Fatalf("a link is in the log in full: %s\n%s", full, out)
		}
		for _, secret := range []string{inv.Msg.GetInvitationUrl(), resetToken(t, failing.body[0])} {
			if strings.Contains(out, secret) {
				t.Fatalf("the log holds %s:\n%s", secret, out)
			}
		}
	})
}

// API tokens end with "sign out everywhere" and with a password reset; a
// token cannot make tokens.
func TestTokensEndWithSignOutEverywhereAndReset(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		u := createUserWithPassword(t, e, "wanjiku@example.org", "correct horse battery", identity.Membership{Role: actor.RoleAdmin})
		session := func() *rpctest.Clients {
			res, err := signIn(e, "wanjiku@example.org", "correct horse battery")
			if err != nil {
				t.Fatal(err)
			}
			var secret string
			for _, c := range res.Header().Values("Set-Cookie") {
				if v, ok := strings.CutPrefix(c, rpc.SessionCookie+"="); ok {
					secret, _, _ = strings.Cut(v, ";")
				}
			}
			return e.WithCookie(secret, u.ID)
		}
		newToken := func(web *rpctest.Clients) *rpctest.Clients {
			res, err := web.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{DisplayName: "export", TtlDays: 365}))
			if err != nil {
				t.Fatal(err)
			}
			return e.WithToken(res.Msg.GetSecret())
		}
		works := func(c *rpctest.Clients) error {
			_, err := c.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{}))
			return err
		}

		web := session()
		script := newToken(web)
		if err := works(script); err != nil {
			t.Fatal(err)
		}
		// A token cannot make a token (a leaked one could renew itself).
		_, err := script.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{DisplayName: "renewal", TtlDays: 365}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if rpctest.Reason(err) != identity.ReasonTokenCannotCreateTokens || !strings.Contains(err.Error(), "sign in to Pactum with your password") {
			t.Fatalf("token making a token: %v", err)
		}
		// Signing out here keeps tokens; everywhere ends them.
		other := session()
		if _, err := other.Auth.SignOut(ctx, connect.NewRequest(&pactumv1.SignOutRequest{})); err != nil {
			t.Fatal(err)
		}
		if err := works(script); err != nil {
			t.Fatalf("signing out one session ended the token: %v", err)
		}
		if _, err := web.Auth.SignOut(ctx, connect.NewRequest(&pactumv1.SignOutRequest{Everywhere: true})); err != nil {
			t.Fatal(err)
		}
		rpctest.ExpectCode(t, works(script), connect.CodeUnauthenticated)
		list, err := session().Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{}))
		if err != nil || len(list.Msg.GetApiTokens()) != 1 || list.Msg.GetApiTokens()[0].GetRevokeTime() == nil {
			t.Fatalf("tokens after signing out everywhere: %v %v", list, err)
		}

		// A password reset ends them too.
		script = newToken(session())
		if err := works(script); err != nil {
			t.Fatal(err)
		}
		secret, _, err := e.Services.Identity.CreateResetLink(ctx, "wanjiku@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Anonymous().Auth.ResetPassword(ctx, connect.NewRequest(&pactumv1.ResetPasswordRequest{Token: secret, Password: "another long password"})); err != nil {
			t.Fatal(err)
		}
		rpctest.ExpectCode(t, works(script), connect.CodeUnauthenticated)
		var revoked int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoke_time IS NULL", u.ID).Scan(ctx, &revoked); err != nil || revoked != 0 {
			t.Fatalf("%d tokens left unrevoked (%v)", revoked, err)
		}
	})
}
