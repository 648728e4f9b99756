package app_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestSecurityHeadersOnEveryResponse: the web app's pages and assets and
// the API's answers (success and error, Connect and plain HTTP) all carry
// the Content-Security-Policy and the other browser protections; the policy
// allows the boot script inlined into index.html by its hash and no other
// inline script.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	do := func(method, path, body string, auth bool) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/json")
		}
		if auth {
			req.Header.Set("Authorization", "Bearer "+tokenFor(t, base))
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	_, index := do(http.MethodGet, "/", "", false)
	asset := regexp.MustCompile(`src="(/assets/[^"]+\.js)"`).FindStringSubmatch(index)
	css := regexp.MustCompile(`href="(/assets/[^"]+\.css)"`).FindStringSubmatch(index)
	boot := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindStringSubmatch(index)
	if asset == nil || css == nil || boot == nil {
		t.Fatalf("index.html without a script asset, a style sheet or the inline boot script:\n%s", index)
	}
	sum := sha256.Sum256([]byte(boot[1]))
	bootHash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"

	for _, tc := range []struct {
		name, method, path, body string
		auth                     bool
		status                   int
	}{
		{"the app's page", http.MethodGet, "/", "", false, http.StatusOK},
		{"an app route", http.MethodGet, "/grants/0192abc", "", false, http.StatusOK},
		{"a script", http.MethodGet, asset[1], "", false, http.StatusOK},
		{"a style sheet", http.MethodGet, css[1], "", false, http.StatusOK},
		{"a missing asset", http.MethodGet, "/assets/missing-0000.js", "", false, http.StatusNotFound},
		{"a Connect call", http.MethodPost, "/pactum.v1.OrganisationService/ListOrganisations", "{}", true, http.StatusOK},
		{"a refused Connect call", http.MethodPost, "/pactum.v1.OrganisationService/ListOrganisations", "{}", false, http.StatusUnauthorized},
		{"an upload refused", http.MethodPost, "/api/v1/grants/g/expenditures/e/receipts", "", false, http.StatusUnauthorized},
		{"health", http.MethodPost, "/grpc.health.v1.Health/Check", "{}", false, http.StatusOK},
	} {
		res, _ := do(tc.method, tc.path, tc.body, tc.auth)
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
		h := res.Header
		for k, want := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s %q, want %q", tc.name, k, got, want)
			}
		}
		csp := map[string]string{}
		for _, d := range strings.Split(h.Get("Content-Security-Policy"), ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
			csp[name] = value
		}
		for d, want := range map[string]string{
			"default-src":     "'self'",
			"script-src":      "'self' " + bootHash,
			"object-src":      "'none'",
			"base-uri":        "'none'",
			"frame-ancestors": "'none'",
			"form-action":     "'self'",
			"connect-src":     "'self'",
		} {
			if csp[d] != want {
				t.Errorf("%s: CSP %s %q, want %q (policy %q)", tc.name, d, csp[d], want, h.Get("Content-Security-Policy"))
			}
		}
	}
}
