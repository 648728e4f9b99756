package rpc_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/rpc"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// registeredProcedures lists every procedure of every service the server
// registers, read from the service descriptors, so that a new RPC cannot
// escape these tests.
func registeredProcedures(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, name := range rpc.ServiceNames {
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name))
		if err != nil {
			t.Fatalf("service %s: %v", name, err)
		}
		methods := d.(protoreflect.ServiceDescriptor).Methods()
		for i := 0; i < methods.Len(); i++ {
			out = append(out, "/"+name+"/"+string(methods.Get(i).Name()))
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d procedures found", len(out))
	}
	return out
}

// serverStreaming reports whether procedure p streams its responses.
func serverStreaming(t *testing.T, p string) bool {
	t.Helper()
	i := strings.LastIndex(p, "/")
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(p[1:i] + "." + p[i+1:]))
	if err != nil {
		t.Fatalf("procedure %s: %v", p, err)
	}
	return d.(protoreflect.MethodDescriptor).IsStreamingServer()
}

func TestEveryProcedureHasAnAccessRuleAndAMatrixCase(t *testing.T) {
	t.Parallel()
	cases := matrixCases()
	for _, p := range registeredProcedures(t) {
		if _, ok := rpc.AccessRule(p); !ok {
			t.Errorf("%s has no access rule in internal/rpc/access.go", p)
		}
		if _, ok := cases[p]; !ok {
			t.Errorf("%s has no case in the access matrix (matrixCases)", p)
		}
	}
}

// Without credentials every procedure but the public ones answers
// UNAUTHENTICATED, whatever the request holds.
func TestEveryProcedureNeedsCredentials(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		for _, p := range registeredProcedures(t) {
			need, _ := rpc.AccessRule(p)
			streaming := serverStreaming(t, p)
			for _, cookie := range []string{"", "pactum_session=forged"} {
				var body io.Reader = strings.NewReader(`{}`)
				ctype := "application/json"
				if streaming {
					// A Connect stream: one enveloped message (flags, length, "{}").
					body, ctype = bytes.NewReader([]byte{0, 0, 0, 0, 2, '{', '}'}), "application/connect+json"
				}
				req, _ := http.NewRequest(http.MethodPost, e.URL+p, body)
				req.Header.Set("Content-Type", ctype)
				if cookie != "" {
					req.Header.Set("Cookie", cookie)
					req.Header.Set("Sec-Fetch-Site", "same-origin")
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				out, _ := io.ReadAll(res.Body)
				res.Body.Close()
				unauth := res.StatusCode == http.StatusUnauthorized && strings.Contains(string(out), `"unauthenticated"`)
				if streaming {
					// A stream's error ends it: HTTP 200, the code in the end-of-stream message.
					unauth = res.StatusCode == http.StatusOK && strings.Contains(string(out), `"code":"unauthenticated"`)
				}
				if need == policy.Public && unauth && !strings.Contains(string(out), "password") {
					t.Errorf("public %s answered unauthenticated: %s", p, out)
				}
				if need != policy.Public && !unauth {
					t.Errorf("%s without valid credentials (cookie %q) answered %d %s", p, cookie, res.StatusCode, out)
				}
			}
		}
	})
}

// fixture is two organisations' worth of data: lead L with grant G1 and its
// projects PA (partner A, Kenya) and PB (partner B, Nepal), milestones MA
// (A's) and MB (B's); and lead L2 with grant G2, project P2, milestone M2.
type fixture struct {
	e                        *rpctest.Env
	donor, lead, lead2, a, b string // organisation names
	fa, fa2                  string // agreement names
	g1, g2                   string // grant names
	pa, pb, p2               string // project names
	ma, mb, m2               string // milestone names
	roles                    map[string]*rpctest.Clients
	roleOrder                []string
	n                        int

	// Made once per fixture by the cases of later services (each fixture
	// belongs to one test, so they need no lock).
	budgetW *budgetWorld      // access_budget_test.go
	exmW    *exmWorld         // access_expenditure_test.go
	rates   map[string]string // access_rates_test.go
	resMade [2]string         // access_results_test.go
}

func id(name string) string { return name[strings.LastIndex(name, "/")+1:] }

// must returns a setup call's message; a failed setup call panics, which
// fails the test with the call's stack.
func must[T any](res *connect.Response[T], err error) *T {
	if err != nil {
		panic(fmt.Sprintf("setup call failed: %v", err))
	}
	return res.Msg
}

func newFixture(t *testing.T, e *rpctest.Env) *fixture {
	ctx := context.Background()
	f := &fixture{e: e}
	org := func(name string, kind pactumv1.OrganisationKind, country string) string {
		return must(e.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{
			Organisation: &pactumv1.Organisation{DisplayName: name, Kind: kind, CountryCode: country}}))).GetOrganisation().GetName()
	}
	f.donor = org("European Commission", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR, "BE")
	f.lead = org("Global Alliance for Decent Work", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD, "BE")
	f.lead2 = org("Other Network", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD, "FR")
	f.a = org("Umoja Domestic Workers Union", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER, "KE")
	f.b = org("Himalaya Migrant Workers Forum", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER, "NP")
	f.fa = f.agreement(t, "FPA/1", f.lead)
	f.fa2 = f.agreement(t, "FPA/2", f.lead2)
	f.g1 = f.grant(t, f.fa, "G/1", true)
	f.g2 = f.grant(t, f.fa2, "G/2", true)
	f.pa = f.project(t, f.g1, "KE-01", f.a, "KE")
	f.pb = f.project(t, f.g1, "NP-01", f.b, "NP")
	f.p2 = f.project(t, f.g2, "FR-01", f.lead2, "FR")
	f.ma = f.milestone(t, f.g1, f.pa, f.a)
	f.mb = f.milestone(t, f.g1, f.pb, f.b)
	f.m2 = f.milestone(t, f.g2, f.p2, f.lead2)

	f.roles = map[string]*rpctest.Clients{
		"admin":        &e.Clients,
		"coordinator":  e.As(t, rpctest.Member(actor.RoleCoordinator, id(f.lead))),
		"finance":      e.As(t, rpctest.Member(actor.RoleFinance, id(f.lead))),
		"auditor":      e.As(t, rpctest.Member(actor.RoleAuditor, id(f.lead), id(f.g1))),
		"editorA":      e.As(t, rpctest.Member(actor.RolePartnerEditor, id(f.a))),
		"viewerA":      e.As(t, rpctest.Member(actor.RolePartnerViewer, id(f.a))),
		"coordinator2": e.As(t, rpctest.Member(actor.RoleCoordinator, id(f.lead2))),
	}
	f.roleOrder = []string{"admin", "coordinator", "finance", "auditor", "editorA", "viewerA", "coordinator2"}
	return f
}

func (f *fixture) next() int { f.n++; return f.n }

func (f *fixture) agreement(t *testing.T, ref, lead string) string {
	return must(f.e.Agreements.CreateFrameworkAgreement(context.Background(), connect.NewRequest(&pactumv1.CreateFrameworkAgreementRequest{
		FrameworkAgreement: &pactumv1.FrameworkAgreement{Reference: ref, Title: "Framework " + ref, Donor: f.donor, LeadOrganisation: lead,
			StartDate: "2024-01-01", EndDate: "2030-12-31", CurrencyCode: "EUR"}}))).GetFrameworkAgreement().GetName()
}

func (f *fixture) grant(t *testing.T, fa, ref string, activate bool) string {
	ctx := context.Background()
	g := must(f.e.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
		FrameworkAgreement: fa, DonorReference: ref, Title: "Grant " + ref, CurrencyCode: "EUR",
		StartDate: "2025-01-01", EndDate: "2027-12-31", TotalEligibleCosts: "1000000.00", MaxDonorContribution: "900000.00",
		CoFinancingRate: "90", ReportingPeriodMonths: 12}}))).GetGrant().GetName()
	if activate {
		must(f.e.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: g})))
	}
	return g
}

func (f *fixture) project(t *testing.T, grant, code, coordinator, country string) string {
	return must(f.e.Projects.CreateProject(context.Background(), connect.NewRequest(&pactumv1.CreateProjectRequest{Project: &pactumv1.Project{
		Grant: grant, Code: code, Title: "Project " + code, CountryCodes: []string{country},
		Participants: []*pactumv1.Participant{{Organisation: coordinator, Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR}}}}))).GetProject().GetName()
}

// milestone creates (as admin) a partner progress update milestone.
func (f *fixture) milestone(t *testing.T, grant, project, responsible string) string {
	return f.milestoneOf(t, pactumv1.MilestoneKind_MILESTONE_KIND_PARTNER_PROGRESS_UPDATE, grant, project, responsible)
}

// milestoneOf creates (as admin) a milestone of kind.
func (f *fixture) milestoneOf(t *testing.T, kind pactumv1.MilestoneKind, grant, project, responsible string) string {
	return must(f.e.Milestones.CreateMilestone(context.Background(), connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
		Grant: grant, Project: project, Kind: kind, DueDate: "2026-12-15", ResponsibleOrganisation: responsible}}))).GetMilestone().GetName()
}

// matrixCase calls one procedure as one role; the codes say what each role
// must get (0: success). List cases also check the names returned.
type matrixCase struct {
	what string
	call func(t *testing.T, f *fixture, c *rpctest.Clients) (names []string, err error)
	want map[string]connect.Code
	// for lists: names each role must see (all of them) and must not see
	sees    func(f *fixture) map[string][]string
	notSees func(f *fixture) map[string][]string
}

const (
	ok = connect.Code(0)
	pd = connect.CodePermissionDenied
	nf = connect.CodeNotFound
	ia = connect.CodeInvalidArgument
	ua = connect.CodeUnauthenticated
)

// every returns want for all roles, overridden by the given ones.
func every(base connect.Code, overrides ...any) map[string]connect.Code {
	m := map[string]connect.Code{}
	for _, r := range []string{"admin", "coordinator", "finance", "auditor", "editorA", "viewerA", "coordinator2"} {
		m[r] = base
	}
	for i := 0; i+1 < len(overrides); i += 2 {
		for _, r := range strings.Split(overrides[i].(string), ",") {
			m[r] = overrides[i+1].(connect.Code)
		}
	}
	return m
}

func noNames[T any](_ *connect.Response[T], err error) ([]string, error) { return nil, err }

// moreMatrixCases holds the cases of later services, each declared in its
// own test file (access_<service>_test.go) and registered from init.
var moreMatrixCases []func() map[string][]matrixCase

func matrixCases() map[string][]matrixCase {
	m := coreMatrixCases()
	for _, more := range moreMatrixCases {
		for p, cs := range more() {
			m[p] = append(m[p], cs...)
		}
	}
	return m
}

func coreMatrixCases() map[string][]matrixCase {
	ctx := context.Background()
	managers := "admin,coordinator"
	return map[string][]matrixCase{
		// Public procedures: reachable without a session, same answer for all.
		v1.AuthServiceSignInProcedure: {{what: "unknown account", want: every(ua),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Auth.SignIn(ctx, connect.NewRequest(&pactumv1.SignInRequest{Email: fmt.Sprintf("nobody%d@example.org", f.next()), Password: "whatever pw"})))
			}}},
		v1.AuthServiceAcceptInvitationProcedure: {{what: "bogus link", want: every(ia),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Auth.AcceptInvitation(ctx, connect.NewRequest(&pactumv1.AcceptInvitationRequest{Token: "pi_bogus", Password: "long enough password"})))
			}}},
		v1.AuthServiceRequestPasswordResetProcedure: {{what: "any address", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				// A new address each time: requests are limited per address asked for.
				return noNames(c.Auth.RequestPasswordReset(ctx, connect.NewRequest(&pactumv1.RequestPasswordResetRequest{Email: fmt.Sprintf("nobody%d@example.org", f.next())})))
			}}},
		v1.AuthServiceResetPasswordProcedure: {{what: "bogus link", want: every(ia),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Auth.ResetPassword(ctx, connect.NewRequest(&pactumv1.ResetPasswordRequest{Token: "pr_bogus", Password: "long enough password"})))
			}}},
		// Self-service: every signed-in user, on their own account only.
		v1.AuthServiceSignOutProcedure: {{what: "own session", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Auth.SignOut(ctx, connect.NewRequest(&pactumv1.SignOutRequest{})))
			}}},
		v1.AuthServiceGetSessionProcedure: {{what: "own session", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Auth.GetSession(ctx, connect.NewRequest(&pactumv1.GetSessionRequest{}))
				if err == nil && res.Msg.GetUser().GetName() != "users/"+c.UserID {
					t.Errorf("GetSession returned %s to users/%s", res.Msg.GetUser().GetName(), c.UserID)
				}
				return nil, err
			}}},
		// Tokens are made by a user signed in with a password (a session),
		// never by a caller using an API token, whatever the role.
		v1.AuthServiceCreateApiTokenProcedure: {{what: "own token, in a session", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(f.e.Session(t, c).Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{DisplayName: "script", TtlDays: 1})))
			}}, {what: "own token, with an API token", want: every(pd),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Auth.CreateApiToken(ctx, connect.NewRequest(&pactumv1.CreateApiTokenRequest{DisplayName: "script", TtlDays: 1})))
			}}},
		v1.AuthServiceListApiTokensProcedure: {{what: "own tokens", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{}))
				if err != nil {
					return nil, err
				}
				for _, tok := range res.Msg.GetApiTokens() {
					if !strings.HasPrefix(tok.GetName(), "users/"+c.UserID+"/") {
						t.Errorf("users/%s sees token %s", c.UserID, tok.GetName())
					}
				}
				return nil, nil
			}}},
		v1.AuthServiceRevokeApiTokenProcedure: {{what: "another user's token", want: every(nf, "admin", ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				victim := f.e.As(t, rpctest.Member(actor.RolePartnerViewer, id(f.b)))
				toks := must(victim.Auth.ListApiTokens(ctx, connect.NewRequest(&pactumv1.ListApiTokensRequest{})))
				return noNames(c.Auth.RevokeApiToken(ctx, connect.NewRequest(&pactumv1.RevokeApiTokenRequest{Name: toks.GetApiTokens()[0].GetName()})))
			}}},
		// Users: admins and coordinators.
		v1.UserServiceListUsersProcedure: {{what: "all users", want: every(pd, "admin,coordinator,coordinator2", ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Users.ListUsers(ctx, connect.NewRequest(&pactumv1.ListUsersRequest{})))
			}}},
		v1.UserServiceGetUserProcedure: {{what: "a partner user", want: every(pd, "admin,coordinator,coordinator2", ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Users.GetUser(ctx, connect.NewRequest(&pactumv1.GetUserRequest{Name: "users/" + f.roles["editorA"].UserID})))
			}}},
		v1.UserServiceInviteUserProcedure: {{what: "a partner editor of A", want: every(pd, "admin,coordinator,coordinator2", ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Users.InviteUser(ctx, connect.NewRequest(&pactumv1.InviteUserRequest{User: &pactumv1.User{
					Email: fmt.Sprintf("invitee%d@example.org", f.next()), DisplayName: "Invitee",
					Memberships: []*pactumv1.Membership{{Organisation: f.a, Role: pactumv1.Role_ROLE_PARTNER_EDITOR}}}})))
			}}},
		v1.UserServiceUpdateUserProcedure: {{what: "a partner user's name", want: every(pd, "admin,coordinator,coordinator2", ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Users.UpdateUser(ctx, connect.NewRequest(&pactumv1.UpdateUserRequest{
					User:       &pactumv1.User{Name: "users/" + f.roles["viewerA"].UserID, Etag: f.e.ETag("users/" + f.roles["viewerA"].UserID), DisplayName: fmt.Sprintf("Renamed %d", f.next())},
					UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}})))
			}}},
		// Audit trail: a grant's managers and auditors.
		v1.AuditServiceListAuditEventsProcedure: {
			{what: "grant G1", want: every(pd, "admin,coordinator,auditor", ok, "coordinator2", nf),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					return noNames(c.Audit.ListAuditEvents(ctx, connect.NewRequest(&pactumv1.ListAuditEventsRequest{Grant: f.g1})))
				}},
			{what: "grant G2", want: every(nf, "admin,coordinator2", ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					return noNames(c.Audit.ListAuditEvents(ctx, connect.NewRequest(&pactumv1.ListAuditEventsRequest{Grant: f.g2})))
				}},
			{what: "partner A's organisation record", want: every(ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					res, err := c.Audit.ListAuditEvents(ctx, connect.NewRequest(&pactumv1.ListAuditEventsRequest{Resource: f.a}))
					if err != nil {
						return nil, err
					}
					return []string{fmt.Sprint(len(res.Msg.GetAuditEvents()) > 0)}, nil
				},
				sees:    func(f *fixture) map[string][]string { return byRole("true", "admin,coordinator,coordinator2") },
				notSees: func(f *fixture) map[string][]string { return byRole("true", "finance,auditor,editorA,viewerA") }},
			{what: "agreement FA's record", want: every(ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					res, err := c.Audit.ListAuditEvents(ctx, connect.NewRequest(&pactumv1.ListAuditEventsRequest{Resource: f.fa}))
					if err != nil {
						return nil, err
					}
					return []string{fmt.Sprint(len(res.Msg.GetAuditEvents()) > 0)}, nil
				},
				sees: func(f *fixture) map[string][]string { return byRole("true", "admin,coordinator") },
				notSees: func(f *fixture) map[string][]string {
					return byRole("true", "finance,auditor,editorA,viewerA,coordinator2")
				}},
			{what: "project PB's events", want: every(ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					res, err := c.Audit.ListAuditEvents(ctx, connect.NewRequest(&pactumv1.ListAuditEventsRequest{Resource: f.pb}))
					if err != nil {
						return nil, err
					}
					return []string{fmt.Sprint(len(res.Msg.GetAuditEvents()) > 0)}, nil
				},
				sees:    func(f *fixture) map[string][]string { return byRole("true", "admin,coordinator,auditor") },
				notSees: func(f *fixture) map[string][]string { return byRole("true", "finance,editorA,viewerA,coordinator2") }},
		},
		// Organisations.
		v1.OrganisationServiceListOrganisationsProcedure: {{what: "all", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Organisations.ListOrganisations(ctx, connect.NewRequest(&pactumv1.ListOrganisationsRequest{PageSize: 1000}))
				return orgNames(res, err)
			},
			sees: func(f *fixture) map[string][]string {
				return merge(byRole(f.lead2, "admin,coordinator,coordinator2"), byRole(f.a, "admin,coordinator,finance,auditor,editorA,viewerA,coordinator2"),
					byRole(f.b, "admin,coordinator,finance,auditor,coordinator2"))
			},
			notSees: func(f *fixture) map[string][]string {
				return merge(byRole(f.lead2, "finance,auditor,editorA,viewerA"), byRole(f.b, "editorA,viewerA"))
			}}},
		v1.OrganisationServiceGetOrganisationProcedure: {
			{what: "partner A", want: every(ok), call: getOrg(func(f *fixture) string { return f.a })},
			{what: "partner B", want: every(ok, "editorA,viewerA", nf), call: getOrg(func(f *fixture) string { return f.b })},
			{what: "lead L2", want: every(nf, "admin,coordinator,coordinator2", ok), call: getOrg(func(f *fixture) string { return f.lead2 })},
		},
		v1.OrganisationServiceCreateOrganisationProcedure: {{what: "a new partner", want: every(pd, "admin,coordinator,coordinator2", ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{
					Organisation: &pactumv1.Organisation{DisplayName: fmt.Sprintf("New %d", f.next()), Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER, CountryCode: "BO"}})))
			}}},
		v1.OrganisationServiceUpdateOrganisationProcedure: {
			{what: "partner A", want: every(pd, "admin,coordinator,coordinator2", ok), call: updateOrg(func(f *fixture) string { return f.a })},
			{what: "lead L2", want: every(nf, "admin,coordinator,coordinator2", ok), call: updateOrg(func(f *fixture) string { return f.lead2 })},
		},
		v1.OrganisationServiceDeleteOrganisationProcedure: {
			{what: "an unused organisation", want: every(nf, "admin,coordinator,coordinator2", ok),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					o := must(f.e.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{
						Organisation: &pactumv1.Organisation{DisplayName: fmt.Sprintf("Spare %d", f.next()), Kind: pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER, CountryCode: "PE"}})))
					return noNames(c.Organisations.DeleteOrganisation(ctx, connect.NewRequest(&pactumv1.DeleteOrganisationRequest{Name: o.GetOrganisation().GetName()})))
				}},
			{what: "partner A (in use)", want: every(pd, "admin,coordinator,coordinator2", connect.CodeFailedPrecondition),
				call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
					return noNames(c.Organisations.DeleteOrganisation(ctx, connect.NewRequest(&pactumv1.DeleteOrganisationRequest{Name: f.a})))
				}},
		},
		// Framework agreements.
		v1.FrameworkAgreementServiceListFrameworkAgreementsProcedure: {{what: "all", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Agreements.ListFrameworkAgreements(ctx, connect.NewRequest(&pactumv1.ListFrameworkAgreementsRequest{PageSize: 1000}))
				if err != nil {
					return nil, err
				}
				var out []string
				for _, a := range res.Msg.GetFrameworkAgreements() {
					out = append(out, a.GetName())
				}
				return out, nil
			},
			sees: func(f *fixture) map[string][]string {
				return merge(byRole(f.fa, "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(f.fa2, "admin,coordinator2"))
			},
			notSees: func(f *fixture) map[string][]string {
				return merge(byRole(f.fa2, "coordinator,finance,auditor,editorA,viewerA"), byRole(f.fa, "coordinator2"))
			}}},
		v1.FrameworkAgreementServiceGetFrameworkAgreementProcedure: {
			{what: "FA (lead L)", want: every(ok, "coordinator2", nf), call: getAgreement(func(f *fixture) string { return f.fa })},
			{what: "FA2 (lead L2)", want: every(nf, "admin,coordinator2", ok), call: getAgreement(func(f *fixture) string { return f.fa2 })},
		},
		v1.FrameworkAgreementServiceCreateFrameworkAgreementProcedure: {{what: "led by L", want: every(pd, managers, ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CreateFrameworkAgreementRequest{
					FrameworkAgreement: &pactumv1.FrameworkAgreement{Reference: fmt.Sprintf("FPA/N%d", f.next()), Title: "New", Donor: f.donor,
						LeadOrganisation: f.lead, StartDate: "2026-01-01", EndDate: "2030-12-31", CurrencyCode: "EUR"}})))
			}}},
		v1.FrameworkAgreementServiceUpdateFrameworkAgreementProcedure: {{what: "FA", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.UpdateFrameworkAgreementRequest{
					FrameworkAgreement: &pactumv1.FrameworkAgreement{Name: f.fa, Etag: f.e.ETag(f.fa), Title: fmt.Sprintf("Renamed %d", f.next())}})))
			}}},
		v1.FrameworkAgreementServiceDeleteFrameworkAgreementProcedure: {{what: "a new agreement led by L", want: every(nf, managers, ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				a := f.agreement(t, fmt.Sprintf("FPA/D%d", f.next()), f.lead)
				return noNames(c.Agreements.DeleteFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.DeleteFrameworkAgreementRequest{Name: a})))
			}}},
		// Grants.
		v1.GrantServiceListGrantsProcedure: {{what: "all", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{PageSize: 1000}))
				if err != nil {
					return nil, err
				}
				var out []string
				for _, g := range res.Msg.GetGrants() {
					out = append(out, g.GetName())
				}
				return out, nil
			},
			sees: func(f *fixture) map[string][]string {
				return merge(byRole(f.g1, "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(f.g2, "admin,coordinator2"))
			},
			notSees: func(f *fixture) map[string][]string {
				return merge(byRole(f.g2, "coordinator,finance,auditor,editorA,viewerA"), byRole(f.g1, "coordinator2"))
			}}},
		v1.GrantServiceGetGrantProcedure: {
			{what: "G1", want: every(ok, "coordinator2", nf), call: getGrant(func(f *fixture) string { return f.g1 })},
			{what: "G2", want: every(nf, "admin,coordinator2", ok), call: getGrant(func(f *fixture) string { return f.g2 })},
		},
		v1.GrantServiceCreateGrantProcedure: {{what: "under FA", want: every(pd, managers, ok, "coordinator2", ia),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: &pactumv1.Grant{
					FrameworkAgreement: f.fa, DonorReference: fmt.Sprintf("G/N%d", f.next()), Title: "New grant", CurrencyCode: "EUR",
					StartDate: "2026-01-01", EndDate: "2027-12-31", TotalEligibleCosts: "100000.00", MaxDonorContribution: "90000.00",
					CoFinancingRate: "90", ReportingPeriodMonths: 12}})))
			}}},
		v1.GrantServiceUpdateGrantProcedure: {{what: "G1's title", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
					Grant: &pactumv1.Grant{Name: f.g1, Etag: f.e.ETag(f.g1), Title: fmt.Sprintf("Renamed %d", f.next())}})))
			}}},
		v1.GrantServiceDeleteGrantProcedure: {{what: "a new draft grant under FA", want: every(nf, managers, ok, "finance", pd),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				g := f.grant(t, f.fa, fmt.Sprintf("G/D%d", f.next()), false)
				return noNames(c.Grants.DeleteGrant(ctx, connect.NewRequest(&pactumv1.DeleteGrantRequest{Name: g})))
			}}},
		v1.GrantServiceActivateGrantProcedure: {{what: "a new draft grant under FA", want: every(nf, managers, ok, "finance", pd),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				g := f.grant(t, f.fa, fmt.Sprintf("G/A%d", f.next()), false)
				return noNames(c.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: g})))
			}}},
		v1.GrantServiceCloseGrantProcedure: {{what: "a new active grant under FA", want: every(nf, managers, ok, "finance", pd),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				g := f.grant(t, f.fa, fmt.Sprintf("G/C%d", f.next()), true)
				return noNames(c.Grants.CloseGrant(ctx, connect.NewRequest(&pactumv1.CloseGrantRequest{Name: g})))
			}}},
		// Projects.
		v1.ProjectServiceListProjectsProcedure: {{what: "all", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Projects.ListProjects(ctx, connect.NewRequest(&pactumv1.ListProjectsRequest{PageSize: 1000}))
				if err != nil {
					return nil, err
				}
				var out []string
				for _, p := range res.Msg.GetProjects() {
					out = append(out, p.GetName())
				}
				return out, nil
			},
			sees: func(f *fixture) map[string][]string {
				return merge(byRole(f.pa, "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(f.pb, "admin,coordinator,finance,auditor"),
					byRole(f.p2, "admin,coordinator2"))
			},
			notSees: func(f *fixture) map[string][]string {
				return merge(byRole(f.pb, "editorA,viewerA,coordinator2"), byRole(f.p2, "coordinator,finance,auditor,editorA,viewerA"),
					byRole(f.pa, "coordinator2"))
			}}},
		v1.ProjectServiceGetProjectProcedure: {
			{what: "PA (partner A's)", want: every(ok, "coordinator2", nf), call: getProject(func(f *fixture) string { return f.pa })},
			{what: "PB (partner B's)", want: every(ok, "editorA,viewerA,coordinator2", nf), call: getProject(func(f *fixture) string { return f.pb })},
		},
		v1.ProjectServiceCreateProjectProcedure: {{what: "in G1", want: every(pd, managers, ok, "coordinator2", ia),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Projects.CreateProject(ctx, connect.NewRequest(&pactumv1.CreateProjectRequest{Project: &pactumv1.Project{
					Grant: f.g1, Code: fmt.Sprintf("N-%d", f.next()), Title: "New project", CountryCodes: []string{"KE"},
					Participants: []*pactumv1.Participant{{Organisation: f.a, Role: pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR}}}})))
			}}},
		v1.ProjectServiceUpdateProjectProcedure: {{what: "PA's title", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
					Project: &pactumv1.Project{Name: f.pa, Etag: f.e.ETag(f.pa), Title: fmt.Sprintf("Renamed %d", f.next())}})))
			}}},
		v1.ProjectServiceDeleteProjectProcedure: {{what: "a new project of A in G1", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				p := f.project(t, f.g1, fmt.Sprintf("D-%d", f.next()), f.a, "KE")
				return noNames(c.Projects.DeleteProject(ctx, connect.NewRequest(&pactumv1.DeleteProjectRequest{Name: p})))
			}}},
		// Milestones.
		v1.MilestoneServiceListMilestonesProcedure: {{what: "progress updates", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Milestones.ListMilestones(ctx, connect.NewRequest(&pactumv1.ListMilestonesRequest{PageSize: 1000}))
				return milestoneNames(res.Msg.GetMilestones(), err)
			},
			sees: milestoneSees, notSees: milestoneNotSees}},
		v1.MilestoneServiceListDueMilestonesProcedure: {{what: "due within a year", want: every(ok),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				res, err := c.Milestones.ListDueMilestones(ctx, connect.NewRequest(&pactumv1.ListDueMilestonesRequest{WithinDays: 366, PageSize: 1000}))
				if err != nil {
					return nil, err
				}
				return milestoneNames(res.Msg.GetMilestones(), nil)
			},
			sees: milestoneSees, notSees: milestoneNotSees}},
		v1.MilestoneServiceGetMilestoneProcedure: {
			{what: "MA (A's)", want: every(ok, "coordinator2", nf), call: getMilestone(func(f *fixture) string { return f.ma })},
			{what: "MB (B's)", want: every(ok, "editorA,viewerA,coordinator2", nf), call: getMilestone(func(f *fixture) string { return f.mb })},
		},
		v1.MilestoneServiceCreateMilestoneProcedure: {{what: "in G1 for A", want: every(pd, managers, ok, "coordinator2", ia),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
					Grant: f.g1, Project: f.pa, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_PARTNER_PROGRESS_UPDATE,
					DueDate: "2027-01-15", ResponsibleOrganisation: f.a}})))
			}}},
		v1.MilestoneServiceUpdateMilestoneProcedure: {{what: "MA's due date", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				return noNames(c.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
					Milestone: &pactumv1.Milestone{Name: f.ma, Etag: f.e.ETag(f.ma), Title: fmt.Sprintf("Renamed %d", f.next())}})))
			}}},
		v1.MilestoneServiceDeleteMilestoneProcedure: {{what: "a new milestone of A", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				m := f.milestone(t, f.g1, f.pa, f.a)
				return noNames(c.Milestones.DeleteMilestone(ctx, connect.NewRequest(&pactumv1.DeleteMilestoneRequest{Name: m})))
			}}},
		v1.MilestoneServiceSubmitMilestoneProcedure: {{what: "a new milestone A is responsible for", want: every(pd, "admin,coordinator,editorA", ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				m := f.milestoneOf(t, pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_NARRATIVE_REPORT, f.g1, f.pa, f.a)
				return noNames(c.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: m})))
			}}},
		v1.MilestoneServiceAcceptMilestoneProcedure: {{what: "a new submitted milestone of A", want: every(pd, managers, ok, "coordinator2", nf),
			call: func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
				m := f.milestoneOf(t, pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_NARRATIVE_REPORT, f.g1, f.pa, f.a)
				must(f.e.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: m})))
				return noNames(c.Milestones.AcceptMilestone(ctx, connect.NewRequest(&pactumv1.AcceptMilestoneRequest{Name: m})))
			}}},
	}
}

func byRole(name, roles string) map[string][]string {
	m := map[string][]string{}
	for _, r := range strings.Split(roles, ",") {
		m[r] = append(m[r], name)
	}
	return m
}

func merge(ms ...map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = append(out[k], v...)
		}
	}
	return out
}

func milestoneSees(f *fixture) map[string][]string {
	return merge(byRole(f.ma, "admin,coordinator,finance,auditor,editorA,viewerA"), byRole(f.mb, "admin,coordinator,finance,auditor"),
		byRole(f.m2, "admin,coordinator2"))
}

func milestoneNotSees(f *fixture) map[string][]string {
	return merge(byRole(f.mb, "editorA,viewerA,coordinator2"), byRole(f.m2, "coordinator,finance,auditor,editorA,viewerA"),
		byRole(f.ma, "coordinator2"), byRole("grant:"+f.g2, "coordinator,finance,auditor,editorA,viewerA"),
		byRole("grant:"+f.g1, "coordinator2"))
}

func milestoneNames(ms []*pactumv1.Milestone, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.GetName(), "grant:"+m.GetGrant())
	}
	return out, nil
}

func orgNames(res *connect.Response[pactumv1.ListOrganisationsResponse], err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range res.Msg.GetOrganisations() {
		out = append(out, o.GetName())
	}
	return out, nil
}

func getOrg(name func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
	return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		return noNames(c.Organisations.GetOrganisation(context.Background(), connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: name(f)})))
	}
}

func updateOrg(name func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
	return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		return noNames(c.Organisations.UpdateOrganisation(context.Background(), connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
			Organisation: &pactumv1.Organisation{Name: name(f), Etag: f.e.ETag(name(f)), ShortName: fmt.Sprintf("S%d", f.next())}})))
	}
}

func getAgreement(name func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
	return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		return noNames(c.Agreements.GetFrameworkAgreement(context.Background(), connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: name(f)})))
	}
}

func getGrant(name func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
	return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		return noNames(c.Grants.GetGrant(context.Background(), connect.NewRequest(&pactumv1.GetGrantRequest{Name: name(f)})))
	}
}

func getProject(name func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
	return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		return noNames(c.Projects.GetProject(context.Background(), connect.NewRequest(&pactumv1.GetProjectRequest{Name: name(f)})))
	}
}

func getMilestone(name func(*fixture) string) func(*testing.T, *fixture, *rpctest.Clients) ([]string, error) {
	return func(t *testing.T, f *fixture, c *rpctest.Clients) ([]string, error) {
		return noNames(c.Milestones.GetMilestone(context.Background(), connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: name(f)})))
	}
}

// TestAccessMatrix runs every procedure as every role against two
// organisations' data and checks each answer, and for lists, which rows
// come back.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		f := newFixture(t, e)
		cases := matrixCases()
		procs := registeredProcedures(t)
		slices.Sort(procs)
		for _, p := range procs {
			for _, mc := range cases[p] {
				for _, role := range f.roleOrder {
					names, err := mc.call(t, f, f.roles[role])
					if got, want := rpctest.Code(err), mc.want[role]; got != want {
						t.Errorf("%s %s as %s: got %v (%v), want %v", p, mc.what, role, got, err, want)
						continue
					}
					if mc.sees != nil {
						for _, n := range mc.sees(f)[role] {
							if !slices.Contains(names, n) {
								t.Errorf("%s as %s: %s is missing", p, role, n)
							}
						}
					}
					if mc.notSees != nil {
						for _, n := range mc.notSees(f)[role] {
							if slices.Contains(names, n) {
								t.Errorf("%s as %s: %s must not be returned", p, role, n)
							}
						}
					}
				}
			}
		}
	})
}
