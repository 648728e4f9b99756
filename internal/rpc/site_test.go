package rpc_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// TestConnectCallsFromOtherSitesAreRefused: a Connect call with the session
// cookie must come from Pactum's own pages (the same rule as uploads); one
// with an API token is a script's, from anywhere.
func TestConnectCallsFromOtherSitesAreRefused(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		u := createUserWithPassword(t, e, "amina@umoja.example", "a long enough password", identity.Membership{Role: actor.RoleAdmin})
		res, err := signIn(e, "amina@umoja.example", "a long enough password")
		if err != nil {
			t.Fatal(err)
		}
		c, err := http.ParseSetCookie(res.Header().Get("Set-Cookie"))
		if err != nil {
			t.Fatal(err)
		}
		cookie := c.Name + "=" + c.Value
		token, _, err := e.Services.Identity.CreateAPIToken(actor.With(context.Background(), u.ToCaller()), "script", time.Hour, "")
		if err != nil {
			t.Fatal(err)
		}
		bearer := "Bearer " + token

		const list, signInPath = "/pactum.v1.OrganisationService/ListOrganisations", "/pactum.v1.AuthService/SignIn"
		for _, tc := range []struct {
			name      string
			path      string
			cookie    string
			auth      string
			headers   []string
			wantCode  string // "" for success
			wantInMsg string
		}{
			{name: "the web app (Sec-Fetch-Site)", path: list, cookie: cookie, headers: []string{"Sec-Fetch-Site: same-origin", "Origin: " + e.URL}},
			{name: "Pactum's origin, an older browser", path: list, cookie: cookie, headers: []string{"Origin: " + e.URL}},
			{name: "Pactum's public URL behind a proxy", path: list, cookie: cookie, headers: []string{"Origin: http://pactum.test"}},
			{name: "the web app's header", path: list, cookie: cookie, headers: []string{"X-Requested-With: pactum"}},
			{name: "another site's page", path: list, cookie: cookie, headers: []string{"Sec-Fetch-Site: cross-site", "Origin: https://evil.example"},
				wantCode: "permission_denied", wantInMsg: "cross-site request refused"},
			{name: "a sibling subdomain", path: list, cookie: cookie, headers: []string{"Sec-Fetch-Site: same-site", "Origin: https://x.pactum.test"},
				wantCode: "permission_denied"},
			{name: "another origin, older browser", path: list, cookie: cookie, headers: []string{"Origin: https://evil.example"}, wantCode: "permission_denied"},
			{name: "an opaque origin", path: list, cookie: cookie, headers: []string{"Origin: null"}, wantCode: "permission_denied"},
			{name: "header from the web app but Sec-Fetch-Site says otherwise", path: list, cookie: cookie,
				headers: []string{"X-Requested-With: pactum", "Sec-Fetch-Site: cross-site"}, wantCode: "permission_denied"},
			{name: "a cookie and no sign (curl)", path: list, cookie: cookie, wantCode: "permission_denied", wantInMsg: "API token"},
			{name: "an API token, no sign (script, grpcurl)", path: list, auth: bearer},
			{name: "an API token with a cookie", path: list, auth: bearer, cookie: cookie, headers: []string{"Sec-Fetch-Site: cross-site"}},
			{name: "signing in from another site's page", path: signInPath, headers: []string{"Sec-Fetch-Site: cross-site", "Origin: https://evil.example"},
				wantCode: "permission_denied"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				body := "{}"
				if tc.path == signInPath {
					body = `{"email":"amina@umoja.example","password":"a long enough password"}`
				}
				req, _ := http.NewRequest(http.MethodPost, e.URL+tc.path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if tc.cookie != "" {
					req.Header.Set("Cookie", tc.cookie)
				}
				if tc.auth != "" {
					req.Header.Set("Authorization", tc.auth)
				}
				for _, h := range tc.headers {
					k, v, _ := strings.Cut(h, ": ")
					req.Header.Set(k, v)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				var ce struct{ Code, Message string }
				_ = json.Unmarshal(b, &ce)
				if tc.wantCode == "" {
					if res.StatusCode != http.StatusOK {
						t.Fatalf("status %d %s, want 200", res.StatusCode, b)
					}
					return
				}
				if res.StatusCode != http.StatusForbidden || ce.Code != tc.wantCode || !strings.Contains(ce.Message, tc.wantInMsg) {
					t.Fatalf("status %d %s, want 403 %s mentioning %q", res.StatusCode, b, tc.wantCode, tc.wantInMsg)
				}
			})
		}
	})
}
