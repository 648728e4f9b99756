package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpcreflect"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/rpc"
)

// startServer runs the real server (handler, timeouts, h2c) on a loopback
// port until the test ends, and checks that it shuts down cleanly.
func startServer(t *testing.T) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	data := t.TempDir()
	storage, err := app.OpenStorage(filepath.Join(data, "files"), filepath.Join(data, "tmp"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = storage.Close() })
	d := dbtest.SQLite(t)
	services := app.NewServices(d, storage.Blobs, storage.Temp, nil)
	ctx := actor.SystemContext(context.Background())
	admin, err := services.Identity.CreateUser(ctx, identity.NewUser{Email: "admin@pactum.test", DisplayName: "Admin",
		Memberships: []identity.Membership{{Role: actor.RoleAdmin}}})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := services.Identity.CreateAPIToken(actor.With(ctx, admin.ToCaller()), "tests", time.Hour, "")
	if err != nil {
		t.Fatal(err)
	}
	h, err := app.Handler(services, rpc.AuthConfig{PublicURL: "http://localhost"}, app.Ready(d, storage.Blobs), log)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, app.NewHTTPServer(ln.Addr().String(), h, log), ln, log) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("graceful shutdown: %v", err)
		}
	})
	base := "http://" + ln.Addr().String()
	tokens.Store(ln.Addr().String(), token)
	t.Cleanup(func() { tokens.Delete(ln.Addr().String()) })
	return base
}

// tokens holds an admin's API token for each running test server, by its
// address: the tests run in parallel, each with its own server.
var tokens sync.Map

// tokenFor returns the admin's token for the server at url.
func tokenFor(t testing.TB, url string) string {
	t.Helper()
	host := strings.TrimPrefix(strings.TrimPrefix(url, "http://"), "https://")
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	v, ok := tokens.Load(host)
	if !ok {
		t.Fatalf("no test server at %s", url)
	}
	return v.(string)
}

// bearer adds the admin's token of the server called to every request.
type bearer struct{ next http.RoundTripper }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	v, ok := tokens.Load(r.URL.Host)
	if !ok {
		return nil, fmt.Errorf("no test server at %s", r.URL.Host)
	}
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+v.(string))
	return b.next.RoundTrip(r)
}

// post sends a JSON body with the admin's token.
func post(t *testing.T, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tokenFor(t, url))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// h2cClient speaks cleartext HTTP/2, as gRPC clients such as grpcurl do.
func h2cClient() *http.Client {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: bearer{&http.Transport{Protocols: &p, TLSClientConfig: &tls.Config{}}}}
}

func TestConnectJSONWithPlainHTTP(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	post := func(body string) (int, map[string]any) {
		t.Helper()
		res := post(t, base+"/pactum.v1.OrganisationService/CreateOrganisation", body)
		defer res.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, out
	}
	status, out := post(`{"organisation": {"displayName": "Nepal Trade Union Centre", "kind": "ORGANISATION_KIND_MEMBER", "countryCode": "NP"}}`)
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, out)
	}
	org := out["organisation"].(map[string]any)
	if org["region"] != "REGION_ASIA" || !strings.HasPrefix(org["name"].(string), "organisations/") {
		t.Fatalf("created %v", org)
	}
	status, out = post(`{"organisation": {"displayName": "X", "kind": "ORGANISATION_KIND_MEMBER", "countryCode": "XX"}}`)
	if status != http.StatusBadRequest || out["code"] != "invalid_argument" {
		t.Fatalf("bad country: status %d %v", status, out)
	}
	details, _ := json.Marshal(out["details"])
	if !strings.Contains(string(details), "google.rpc.BadRequest") || !strings.Contains(out["message"].(string), "organisation.country_code") {
		t.Fatalf("error lacks field violations: %v", out)
	}
	status, out = post(`{"organisation": {"kind": "ORGANISATION_KIND_NOPE"}}`)
	if status != http.StatusBadRequest || out["code"] != "invalid_argument" {
		t.Fatalf("unknown enum: status %d %v", status, out)
	}
}

func TestGRPCAndGRPCWebOnOnePort(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	ctx := context.Background()
	for name, opt := range map[string]connect.ClientOption{"grpc": connect.WithGRPC(), "grpc-web": connect.WithGRPCWeb()} {
		t.Run(name, func(t *testing.T) {
			c := pactumv1connect.NewOrganisationServiceClient(h2cClient(), base, opt)
			res, err := c.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{
				Organisation: &pactumv1.Organisation{DisplayName: "Central Obrera Boliviana " + name, Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER, CountryCode: "BO"},
			}))
			if err != nil {
				t.Fatal(err)
			}
			if res.Msg.GetOrganisation().GetRegion() != pactumv1.Region_REGION_LATIN_AMERICA_CARIBBEAN {
				t.Fatalf("got %v", res.Msg.GetOrganisation())
			}
			_, err = c.ListOrganisations(ctx, connect.NewRequest(&pactumv1.ListOrganisationsRequest{PageSize: -5}))
			if connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Fatalf("negative page size: %v", err)
			}
		})
	}
}

func TestReflectionListsTheFiveServices(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	client := grpcreflect.NewClient(h2cClient(), base, connect.WithGRPC())
	stream := client.NewStream(context.Background())
	defer stream.Close()
	names, err := stream.ListServices()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range names {
		got = append(got, string(n))
	}
	for _, want := range []string{"pactum.v1.OrganisationService", "pactum.v1.FrameworkAgreementService", "pactum.v1.GrantService", "pactum.v1.ProjectService", "pactum.v1.MilestoneService", "grpc.health.v1.Health"} {
		if !slices.Contains(got, want) {
			t.Errorf("reflection lists %v; missing %s", got, want)
		}
	}
}

func TestHealthAndWebApp(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	res, err := http.Post(base+"/grpc.health.v1.Health/Check", "application/json", strings.NewReader(`{"service": "pactum.v1.GrantService"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Contains(body, []byte(`"SERVING_STATUS_SERVING"`)) {
		t.Fatalf("health: %d %s", res.StatusCode, body)
	}
	res, err = http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("<title>Pactum</title>")) {
		t.Fatalf("web app: %d %s", res.StatusCode, body)
	}
}

// The web app's routes all serve index.html; assets are cached for good and
// everything is gzipped for slow connections.
func TestWebAppServing(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var r io.Reader = res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		body, _ := io.ReadAll(r)
		return res, string(body)
	}
	for _, p := range []string{"/", "/grants/0192abc", "/sign-in?next=%2Fprojects", "/history/grants/x"} {
		res, body := get(p)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "<title>Pactum</title>") {
			t.Errorf("%s: %d %q", p, res.StatusCode, body[:min(len(body), 80)])
		}
	}
	res, _ := get("/assets/missing-0000.js")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("a missing asset answered %d", res.StatusCode)
	}
	_, index := get("/")
	i := strings.Index(index, `src="/assets/`)
	if i < 0 {
		t.Fatalf("index.html loads no script asset: %s", index)
	}
	i += len(`src="`)
	asset := index[i : i+strings.IndexByte(index[i:], '"')]
	res, _ = get(asset)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("asset %s: %d cache %q encoding %q", asset, res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"))
	}
}

// A request over a limit (the services' message limit, or the server's
// body limit, which the ledger import's larger message limit meets first)
// answers resource_exhausted, as the uploads' 413 does, never
// invalid_argument: nothing is wrong with its fields.
func TestOversizedRequestIsRefused(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	for _, c := range []struct{ name, path string }{
		{"message limit", "/pactum.v1.OrganisationService/CreateOrganisation"},
		{"body limit", "/pactum.v1.ExpenditureService/ImportLedger"},
	} {
		t.Run(c.name, func(t *testing.T) {
			big := `{"organisation": {"displayName": "` + strings.Repeat("x", app.MaxBodyBytes) + `"}}`
			res := post(t, base+c.path, big)
			defer res.Body.Close()
			if res.StatusCode == http.StatusOK {
				t.Fatal("an oversized request was accepted")
			}
			var body struct{ Code, Message string }
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatalf("status %d, body not a Connect error: %v", res.StatusCode, err)
			}
			if body.Code != "resource_exhausted" {
				t.Errorf("status %d, code %q (%s), want resource_exhausted", res.StatusCode, body.Code, body.Message)
			}
		})
	}
}
