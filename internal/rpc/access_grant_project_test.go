package rpc_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// gpWorld holds two lead organisations' data. Lead L leads grants G1
// (active) and G1b (draft) under agreement FPA; G1 has project P1 (partner A,
// Kenya) and P2 (partner B, Nepal). Lead L2 leads grant G2 (active) under
// FPA2, with project P3 (partner C, Philippines).
type gpWorld struct {
	e                              *rpctest.Env
	donor, lead, lead2, pa, pb, pc *pactumv1.Organisation
	fpa, fpa2                      string                            // agreement names
	g1, g1b, g2                    string                            // grant names
	p1, p2, p3                     string                            // project names
	leadOf                         map[string]*pactumv1.Organisation // grant -> lead
	grantOf                        map[string]string                 // project -> grant
	allGrants, allProjects         []string
	nextRef                        int
}

func newGPWorld(t *testing.T, e *rpctest.Env) *gpWorld {
	t.Helper()
	ctx := context.Background()
	w := &gpWorld{e: e}
	w.donor = createOrg(t, e, newOrg("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR))
	w.lead = createOrg(t, e, newOrg("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
	w.lead2 = createOrg(t, e, newOrg("Asian Workers Alliance", "AWA", "TH", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
	w.pa = createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
	w.pb = createOrg(t, e, newOrg("Nepal Trade Union Centre", "NTUC", "NP", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
	w.pc = createOrg(t, e, newOrg("Kilusang Mayo Uno", "KMU", "PH", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
	agreementOf := func(lead *pactumv1.Organisation, ref string) string {
		return mustCreateAgreement(t, e, &pactumv1.FrameworkAgreement{
			Reference: ref, Title: "Framework partnership for decent work", Donor: w.donor.GetName(),
			LeadOrganisation: lead.GetName(), SignatureDate: "2015-03-02", StartDate: "2015-04-01", EndDate: "2030-12-31",
			CurrencyCode: "EUR",
		}).GetName()
	}
	w.fpa, w.fpa2 = agreementOf(w.lead, "FPA/L"), agreementOf(w.lead2, "FPA/L2")
	activate := func(name string) {
		if _, err := e.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: name})); err != nil {
			t.Fatal(err)
		}
	}
	w.g1 = mustCreateGrant(t, e, newGrantUnder(w.fpa, "SGA/G1")).GetName()
	activate(w.g1)
	w.g1b = mustCreateGrant(t, e, newGrantUnder(w.fpa, "SGA/G1b")).GetName()
	w.g2 = mustCreateGrant(t, e, newGrantUnder(w.fpa2, "SGA/G2")).GetName()
	activate(w.g2)
	w.leadOf = map[string]*pactumv1.Organisation{w.g1: w.lead, w.g1b: w.lead, w.g2: w.lead2}
	w.p1 = w.mustCreateProject(t, &e.Clients, w.g1, "P1", w.pa, "KE")
	w.p2 = w.mustCreateProject(t, &e.Clients, w.g1, "P2", w.pb, "NP")
	w.p3 = w.mustCreateProject(t, &e.Clients, w.g2, "P3", w.pc, "PH")
	w.grantOf = map[string]string{w.p1: w.g1, w.p2: w.g1, w.p3: w.g2}
	w.allGrants, w.allProjects = []string{w.g1, w.g1b, w.g2}, []string{w.p1, w.p2, w.p3}
	return w
}

// project returns a valid project of grant, coordinated by the grant's lead
// with partner as implementing partner in country.
func (w *gpWorld) project(grant, code string, partner *pactumv1.Organisation, country string) *pactumv1.Project {
	return &pactumv1.Project{
		Grant: grant, Code: code, Title: "Organising workers, " + code, CountryCodes: []string{country},
		Participants: []*pactumv1.Participant{
			projectParticipant(w.leadOf[grant], projectCoordinator),
			projectParticipant(partner, projectPartner),
		},
	}
}

func (w *gpWorld) createProject(c *rpctest.Clients, grant, code string, partner *pactumv1.Organisation, country string) (*pactumv1.Project, error) {
	res, err := c.Projects.CreateProject(context.Background(),
		connect.NewRequest(&pactumv1.CreateProjectRequest{Project: w.project(grant, code, partner, country)}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetProject(), nil
}

func (w *gpWorld) mustCreateProject(t *testing.T, c *rpctest.Clients, grant, code string, partner *pactumv1.Organisation, country string) string {
	t.Helper()
	p, err := w.createProject(c, grant, code, partner, country)
	if err != nil {
		t.Fatalf("create project %s: %v", code, err)
	}
	return p.GetName()
}

// ref returns a donor reference not used before.
func (w *gpWorld) ref() string {
	w.nextRef++
	return fmt.Sprintf("SGA/NEW/%d", w.nextRef)
}

// gpCaller is one caller of the matrix and what they may see and change.
type gpCaller struct {
	name     string
	c        *rpctest.Clients
	grants   []string // grants they read
	projects []string // projects they read
	manages  []string // grants they change, with their projects
	// createGrant is the code CreateGrant answers under FPA, under FPA2, and
	// for a standalone grant led by L.
	createGrant [3]connect.Code
}

func (w *gpWorld) callers(t *testing.T) []gpCaller {
	e := w.e
	l, l2 := projectOrgID(w.lead), projectOrgID(w.lead2)
	g1ID := strings.TrimPrefix(w.g1, "grants/")
	ok, pd, inv := connect.Code(0), connect.CodePermissionDenied, connect.CodeInvalidArgument
	return []gpCaller{
		{name: "admin", c: &e.Clients, grants: w.allGrants, projects: w.allProjects, manages: w.allGrants,
			createGrant: [3]connect.Code{ok, ok, ok}},
		{name: "coordinator of L", c: e.As(t, rpctest.Member(actor.RoleCoordinator, l)),
			grants: []string{w.g1, w.g1b}, projects: []string{w.p1, w.p2}, manages: []string{w.g1, w.g1b},
			createGrant: [3]connect.Code{ok, inv, ok}},
		{name: "coordinator of L limited to G1", c: e.As(t, rpctest.Member(actor.RoleCoordinator, l, g1ID)),
			grants: []string{w.g1}, projects: []string{w.p1, w.p2}, manages: []string{w.g1},
			createGrant: [3]connect.Code{pd, pd, pd}},
		{name: "finance of L", c: e.As(t, rpctest.Member(actor.RoleFinance, l)),
			grants: []string{w.g1, w.g1b}, projects: []string{w.p1, w.p2},
			createGrant: [3]connect.Code{pd, pd, pd}},
		{name: "auditor of G1", c: e.As(t, rpctest.Member(actor.RoleAuditor, l, g1ID)),
			grants: []string{w.g1}, projects: []string{w.p1, w.p2},
			createGrant: [3]connect.Code{pd, pd, pd}},
		{name: "partner editor of A", c: e.As(t, rpctest.Member(actor.RolePartnerEditor, projectOrgID(w.pa))),
			grants: []string{w.g1}, projects: []string{w.p1},
			createGrant: [3]connect.Code{pd, pd, pd}},
		{name: "partner viewer of B", c: e.As(t, rpctest.Member(actor.RolePartnerViewer, projectOrgID(w.pb))),
			grants: []string{w.g1}, projects: []string{w.p2},
			createGrant: [3]connect.Code{pd, pd, pd}},
		{name: "coordinator of L2", c: e.As(t, rpctest.Member(actor.RoleCoordinator, l2)),
			grants: []string{w.g2}, projects: []string{w.p3}, manages: []string{w.g2},
			createGrant: [3]connect.Code{inv, ok, pd}},
	}
}

// changeCode is what a change of a resource answers: OK for one the caller
// manages, PERMISSION_DENIED for one they only read, NOT_FOUND otherwise.
func changeCode(manages, reads bool) connect.Code {
	switch {
	case manages:
		return 0
	case reads:
		return connect.CodePermissionDenied
	}
	return connect.CodeNotFound
}

func readCode(reads bool) connect.Code {
	if reads {
		return 0
	}
	return connect.CodeNotFound
}

func gpExpect(t *testing.T, what string, err error, want connect.Code) {
	t.Helper()
	if got := rpctest.Code(err); got != want {
		t.Errorf("%s: got code %v (%v), want %v", what, got, err, want)
	}
}

// gpListGrants lists every grant page by page, one a page: a list filtered
// after loading would answer an empty page before the end.
func gpListGrants(t *testing.T, c *rpctest.Clients, req *pactumv1.ListGrantsRequest) []string {
	t.Helper()
	var out []string
	req.PageSize = 1
	for {
		res, err := c.Grants.ListGrants(context.Background(), connect.NewRequest(req))
		if err != nil {
			t.Fatalf("list grants: %v", err)
		}
		for _, g := range res.Msg.GetGrants() {
			out = append(out, g.GetName())
		}
		next := res.Msg.GetNextPageToken()
		if len(res.Msg.GetGrants()) == 0 && (next != "" || len(out) > 0) {
			t.Errorf("list grants: an empty page in the middle of the list")
		}
		if next == "" {
			break
		}
		req.PageToken = next
	}
	slices.Sort(out)
	return out
}

func gpListProjects(t *testing.T, c *rpctest.Clients, req *pactumv1.ListProjectsRequest) []string {
	t.Helper()
	var out []string
	req.PageSize = 1
	for {
		res, err := c.Projects.ListProjects(context.Background(), connect.NewRequest(req))
		if err != nil {
			t.Fatalf("list projects: %v", err)
		}
		for _, p := range res.Msg.GetProjects() {
			out = append(out, p.GetName())
		}
		next := res.Msg.GetNextPageToken()
		if len(res.Msg.GetProjects()) == 0 && (next != "" || len(out) > 0) {
			t.Errorf("list projects: an empty page in the middle of the list")
		}
		if next == "" {
			break
		}
		req.PageToken = next
	}
	slices.Sort(out)
	return out
}

// gpOnly returns the names of want that are also in among, sorted.
func gpOnly(among []string, want ...string) []string {
	out := []string{}
	for _, n := range want {
		if slices.Contains(among, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func gpSorted(names []string) []string {
	out := append([]string{}, names...)
	slices.Sort(out)
	return out
}

func TestAccessGrantsAndProjects(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newGPWorld(t, e)
		callers := w.callers(t)

		// Reading: Get answers NOT_FOUND outside the caller's scope, and
		// lists hold exactly the caller's rows, whatever the filters.
		for _, cl := range callers {
			t.Run("read/"+cl.name, func(t *testing.T) {
				for _, g := range w.allGrants {
					res, err := cl.c.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: g}))
					gpExpect(t, "GetGrant "+g, err, readCode(slices.Contains(cl.grants, g)))
					if err == nil && res.Msg.GetGrant().GetName() != g {
						t.Errorf("GetGrant %s answered %s", g, res.Msg.GetGrant().GetName())
					}
				}
				for _, p := range w.allProjects {
					_, err := cl.c.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: p}))
					gpExpect(t, "GetProject "+p, err, readCode(slices.Contains(cl.projects, p)))
				}
				if got, want := gpListGrants(t, cl.c, &pactumv1.ListGrantsRequest{}), gpSorted(cl.grants); !slices.Equal(got, want) {
					t.Errorf("ListGrants: got %v, want %v", got, want)
				}
				if got, want := gpListGrants(t, cl.c, &pactumv1.ListGrantsRequest{FrameworkAgreement: w.fpa2}), gpOnly(cl.grants, w.g2); !slices.Equal(got, want) {
					t.Errorf("ListGrants under FPA2: got %v, want %v", got, want)
				}
				if got, want := gpListGrants(t, cl.c, &pactumv1.ListGrantsRequest{Donor: w.donor.GetName()}), gpSorted(cl.grants); !slices.Equal(got, want) {
					t.Errorf("ListGrants of the donor: got %v, want %v", got, want)
				}
				if got, want := gpListProjects(t, cl.c, &pactumv1.ListProjectsRequest{}), gpSorted(cl.projects); !slices.Equal(got, want) {
					t.Errorf("ListProjects: got %v, want %v", got, want)
				}
				if got, want := gpListProjects(t, cl.c, &pactumv1.ListProjectsRequest{Grant: w.g1}), gpOnly(cl.projects, w.p1, w.p2); !slices.Equal(got, want) {
					t.Errorf("ListProjects of G1: got %v, want %v", got, want)
				}
				if got, want := gpListProjects(t, cl.c, &pactumv1.ListProjectsRequest{Grant: w.g2}), gpOnly(cl.projects, w.p3); !slices.Equal(got, want) {
					t.Errorf("ListProjects of G2: got %v, want %v", got, want)
				}
				if got, want := gpListProjects(t, cl.c, &pactumv1.ListProjectsRequest{Organisation: w.pb.GetName()}), gpOnly(cl.projects, w.p2); !slices.Equal(got, want) {
					t.Errorf("ListProjects of partner B: got %v, want %v", got, want)
				}
				if got, want := gpListProjects(t, cl.c, &pactumv1.ListProjectsRequest{CountryCode: "PH"}), gpOnly(cl.projects, w.p3); !slices.Equal(got, want) {
					t.Errorf("ListProjects in the Philippines: got %v, want %v", got, want)
				}
			})
		}

		// Refused changes leave everything as it was, audit trail included.
		before := countRows(t, e, "audit_events")
		for _, cl := range callers {
			t.Run("refused/"+cl.name, func(t *testing.T) {
				for _, g := range w.allGrants {
					reads, manages := slices.Contains(cl.grants, g), slices.Contains(cl.manages, g)
					if manages {
						continue
					}
					want := changeCode(false, reads)
					_, err := cl.c.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
						Grant: &pactumv1.Grant{Name: g, Etag: e.ETag(g), Title: "Taken over"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
					gpExpect(t, "UpdateGrant "+g, err, want)
					// An invalid change answers the same: who may not change a
					// grant learns nothing of the rules.
					_, err = cl.c.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
						Grant: &pactumv1.Grant{Name: g, Etag: e.ETag(g), EndDate: "2020-01-01"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"end_date"}}}))
					gpExpect(t, "invalid UpdateGrant "+g, err, want)
					_, err = cl.c.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: g}))
					gpExpect(t, "ActivateGrant "+g, err, want)
					_, err = cl.c.Grants.CloseGrant(ctx, connect.NewRequest(&pactumv1.CloseGrantRequest{Name: g}))
					gpExpect(t, "CloseGrant "+g, err, want)
					_, err = cl.c.Grants.DeleteGrant(ctx, connect.NewRequest(&pactumv1.DeleteGrantRequest{Name: g, Etag: `"stale"`}))
					gpExpect(t, "DeleteGrant "+g, err, want)
				}
				for _, p := range w.allProjects {
					reads, manages := slices.Contains(cl.projects, p), slices.Contains(cl.manages, w.grantOf[p])
					if manages {
						continue
					}
					want := changeCode(false, reads)
					_, err := cl.c.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
						Project: &pactumv1.Project{Name: p, Etag: e.ETag(p), Title: "Taken over"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
					gpExpect(t, "UpdateProject "+p, err, want)
					_, err = cl.c.Projects.DeleteProject(ctx, connect.NewRequest(&pactumv1.DeleteProjectRequest{Name: p}))
					gpExpect(t, "DeleteProject "+p, err, want)
				}
			})
		}
		if after := countRows(t, e, "audit_events"); after != before {
			t.Errorf("refused changes wrote %d audit event(s)", after-before)
		}
		gotG := gpListGrants(t, &e.Clients, &pactumv1.ListGrantsRequest{})
		gotP := gpListProjects(t, &e.Clients, &pactumv1.ListProjectsRequest{})
		if !slices.Equal(gotG, gpSorted(w.allGrants)) || !slices.Equal(gotP, gpSorted(w.allProjects)) {
			t.Fatalf("after refused changes: grants %v, projects %v", gotG, gotP)
		}
		g1, err := e.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: w.g1}))
		if err != nil || g1.Msg.GetGrant().GetTitle() == "Taken over" || g1.Msg.GetGrant().GetState() != pactumv1.GrantState_GRANT_STATE_ACTIVE {
			t.Fatalf("G1 after refused changes: %v (%v)", g1, err)
		}

		// Changes the caller may make succeed; creation follows the lead
		// organisation (grants) and the grant (projects).
		for _, cl := range callers {
			t.Run("change/"+cl.name, func(t *testing.T) {
				for _, g := range cl.manages {
					res, err := cl.c.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
						Grant: &pactumv1.Grant{Name: g, Etag: e.ETag(g), Title: "Renamed by " + cl.name}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
					gpExpect(t, "UpdateGrant "+g, err, 0)
					if err == nil && res.Msg.GetGrant().GetTitle() != "Renamed by "+cl.name {
						t.Errorf("UpdateGrant %s: title %q", g, res.Msg.GetGrant().GetTitle())
					}
				}
				for _, p := range w.allProjects {
					if !slices.Contains(cl.manages, w.grantOf[p]) {
						continue
					}
					_, err := cl.c.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
						Project: &pactumv1.Project{Name: p, Etag: e.ETag(p), Title: "Renamed by " + cl.name}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
					gpExpect(t, "UpdateProject "+p, err, 0)
				}

				under := []func(g *pactumv1.Grant){
					func(g *pactumv1.Grant) {},
					func(g *pactumv1.Grant) { g.FrameworkAgreement = w.fpa2 },
					func(g *pactumv1.Grant) {
						g.FrameworkAgreement, g.Donor, g.LeadOrganisation = "", w.donor.GetName(), w.lead.GetName()
					},
				}
				for i, mutate := range under {
					g := newGrantUnder(w.fpa, w.ref())
					mutate(g)
					_, err := cl.c.Grants.CreateGrant(ctx, connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: g}))
					gpExpect(t, fmt.Sprintf("CreateGrant #%d", i), err, cl.createGrant[i])
					if cl.createGrant[i] == connect.CodeInvalidArgument {
						rpctest.ExpectViolation(t, err, "grant.framework_agreement")
						if got := rpctest.Violations(err)["grant.framework_agreement"]; !strings.Contains(got, "does not exist") {
							t.Errorf("CreateGrant #%d under an agreement the caller cannot read: %q", i, got)
						}
					}
				}

				coordinator := cl.name == "admin" || strings.HasPrefix(cl.name, "coordinator")
				for i, g := range w.allGrants {
					want := connect.CodePermissionDenied
					switch {
					case slices.Contains(cl.manages, g):
						want = 0
					case coordinator && !slices.Contains(cl.grants, g):
						want = connect.CodeInvalidArgument
					}
					_, err := w.createProject(cl.c, g, fmt.Sprintf("NEW-%s-%d", strings.ReplaceAll(cl.name, " ", "-"), i), w.pa, "KE")
					gpExpect(t, "CreateProject in "+g, err, want)
					if want == connect.CodeInvalidArgument {
						rpctest.ExpectViolation(t, err, "project.grant")
					}
				}
			})
		}
	})
}

// gpEvents returns the audit events about resource, oldest first.
func gpEvents(t *testing.T, e *rpctest.Env, resource string) []audit.Event {
	t.Helper()
	var out []audit.Event
	if err := e.DB.NewSelect().Model(&out).Where("resource = ?", resource).OrderExpr("seq ASC").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

// gpCheckEvent fails unless ev is action by actorName on grant grantID, with
// exactly the changes named in want (field -> "old -> new"); fields listed
// in some are only required to be among the changes.
func gpCheckEvent(t *testing.T, ev audit.Event, action, actorName, grantID string, want map[string]string, some ...string) {
	t.Helper()
	if ev.Action != action || ev.Actor != actorName || ev.GrantID == nil || *ev.GrantID != grantID {
		g := "<nil>"
		if ev.GrantID != nil {
			g = *ev.GrantID
		}
		t.Errorf("event %d: %s by %s on grant %s, want %s by %s on grant %s", ev.Seq, ev.Action, ev.Actor, g, action, actorName, grantID)
	}
	got := map[string]string{}
	for _, c := range ev.ChangeList() {
		got[c.Field] = c.Old + " -> " + c.New
	}
	if want != nil && len(got) != len(want) {
		t.Errorf("event %d (%s %s): changes %v, want %v", ev.Seq, ev.Action, ev.Resource, got, want)
	}
	for f, v := range want {
		if got[f] != v {
			t.Errorf("event %d (%s %s): %s is %q, want %q", ev.Seq, ev.Action, ev.Resource, f, got[f], v)
		}
	}
	for _, f := range some {
		if _, ok := got[f]; !ok {
			t.Errorf("event %d (%s %s): no change of %s in %v", ev.Seq, ev.Action, ev.Resource, f, got)
		}
	}
}

func TestAccessGrantProjectAuditTrail(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newGPWorld(t, e)
		coord := e.As(t, rpctest.Member(actor.RoleCoordinator, projectOrgID(w.lead)))
		finance := e.As(t, rpctest.Member(actor.RoleFinance, projectOrgID(w.lead)))
		who := "users/" + coord.UserID
		leadID := projectOrgID(w.lead)

		// Create, and a retry with the same request_id that writes nothing.
		create := &pactumv1.CreateGrantRequest{Grant: newGrantUnder(w.fpa, "SGA/AUDIT/1"), RequestId: "8f0b8a52-6c0e-4d55-9a55-0d6a1c1e2f01"}
		res, err := coord.Grants.CreateGrant(ctx, connect.NewRequest(create))
		if err != nil {
			t.Fatal(err)
		}
		g := res.Msg.GetGrant()
		gid := strings.TrimPrefix(g.GetName(), "grants/")
		w.leadOf[g.GetName()] = w.lead
		again, err := coord.Grants.CreateGrant(ctx, connect.NewRequest(create))
		if err != nil || again.Msg.GetGrant().GetName() != g.GetName() {
			t.Fatalf("retry: %v (%v), want %s", again, err, g.GetName())
		}
		evs := gpEvents(t, e, g.GetName())
		if len(evs) != 1 {
			t.Fatalf("after create and retry: %d events about %s, want 1", len(evs), g.GetName())
		}
		gpCheckEvent(t, evs[0], "create", who, gid, nil, "title", "donor_reference", "currency_code", "start_date", "end_date")
		if c := evs[0].ChangeList(); !slices.ContainsFunc(c, func(c audit.Change) bool {
			return c.Field == "lead_organisation_id" && c.Old == "" && c.New == leadID
		}) || !slices.ContainsFunc(c, func(c audit.Change) bool { return c.Field == "state" && c.New == "draft" }) {
			t.Errorf("create event: %v", c)
		}

		// Update: the changed field only.
		_, err = coord.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant: &pactumv1.Grant{Name: g.GetName(), Etag: e.ETag(g.GetName()), Title: "Decent work, second phase"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
		if err != nil {
			t.Fatal(err)
		}
		evs = gpEvents(t, e, g.GetName())
		if len(evs) != 2 {
			t.Fatalf("after update: %d events", len(evs))
		}
		gpCheckEvent(t, evs[1], "update", who, gid, map[string]string{"title": g.GetTitle() + " -> Decent work, second phase"})

		// An invalid update, a stale etag and a refused update write nothing.
		total := countRows(t, e, "audit_events")
		_, err = coord.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant: &pactumv1.Grant{Name: g.GetName(), Etag: e.ETag(g.GetName()), EndDate: "2024-01-01"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"end_date"}}}))
		rpctest.ExpectViolation(t, err, "grant.end_date")
		_, err = coord.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant: &pactumv1.Grant{Name: g.GetName(), Title: "X", Etag: g.GetEtag()}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = finance.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant: &pactumv1.Grant{Name: g.GetName(), Etag: e.ETag(g.GetName()), Title: "X"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}}}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if n := countRows(t, e, "audit_events"); n != total {
			t.Fatalf("failed updates wrote %d event(s)", n-total)
		}

		// Moving the grant to an agreement of another lead is refused.
		_, err = coord.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant: &pactumv1.Grant{Name: g.GetName(), Etag: e.ETag(g.GetName()), FrameworkAgreement: w.fpa2}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"framework_agreement"}}}))
		rpctest.ExpectViolation(t, err, "grant.framework_agreement") // FPA2 is not theirs to read
		_, err = e.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant:      &pactumv1.Grant{Name: w.g1b, Etag: e.ETag(w.g1b), FrameworkAgreement: "", Donor: w.donor.GetName(), LeadOrganisation: w.lead2.GetName()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"framework_agreement", "donor", "lead_organisation"}}}))
		rpctest.ExpectCode(t, err, 0) // an admin may
		_, err = coord.Grants.UpdateGrant(ctx, connect.NewRequest(&pactumv1.UpdateGrantRequest{
			Grant:      &pactumv1.Grant{Name: g.GetName(), Etag: e.ETag(g.GetName()), FrameworkAgreement: "", Donor: w.donor.GetName(), LeadOrganisation: w.lead2.GetName()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"framework_agreement", "donor", "lead_organisation"}}}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied) // a coordinator of L may not hand it to L2
		if n := len(gpEvents(t, e, w.g1b)); n != 2 {
			t.Fatalf("events about G1b after the admin's change: %d, want 2 (create, update)", n)
		}
		if n := len(gpEvents(t, e, g.GetName())); n != 2 {
			t.Fatalf("events about %s after the refused changes of its lead: %d, want 2", g.GetName(), n)
		}

		// Activate: the state.
		if _, err := coord.Grants.ActivateGrant(ctx, connect.NewRequest(&pactumv1.ActivateGrantRequest{Name: g.GetName()})); err != nil {
			t.Fatal(err)
		}
		evs = gpEvents(t, e, g.GetName())
		gpCheckEvent(t, evs[len(evs)-1], "activate", who, gid, map[string]string{"state": "draft -> active"})

		// A project: create (with a retry), update of its countries, delete.
		pcreate := &pactumv1.CreateProjectRequest{Project: w.project(g.GetName(), "AUD-1", w.pa, "KE"), RequestId: "8f0b8a52-6c0e-4d55-9a55-0d6a1c1e2f02"}
		pres, err := coord.Projects.CreateProject(ctx, connect.NewRequest(pcreate))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := coord.Projects.CreateProject(ctx, connect.NewRequest(pcreate)); err != nil {
			t.Fatal(err)
		}
		p := pres.Msg.GetProject()
		// Each participant with its role and country (the organisation's, when not given).
		participants := w.lead.GetName() + " (coordinator, " + w.lead.GetCountryCode() + "), " + w.pa.GetName() + " (co_beneficiary, " + w.pa.GetCountryCode() + ")"
		pevs := gpEvents(t, e, p.GetName())
		if len(pevs) != 1 {
			t.Fatalf("after create and retry: %d events about %s, want 1", len(pevs), p.GetName())
		}
		gpCheckEvent(t, pevs[0], "create", who, gid, nil, "title", "code")
		if c := pevs[0].ChangeList(); !slices.Contains(c, audit.Change{Field: "country_codes", New: "KE"}) ||
			!slices.Contains(c, audit.Change{Field: "participants", New: participants}) {
			t.Errorf("project create event: %v", c)
		}
		_, err = coord.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
			Project: &pactumv1.Project{Name: p.GetName(), Etag: e.ETag(p.GetName()), CountryCodes: []string{"KE", "NP"}}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"country_codes"}}}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = coord.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
			Project: &pactumv1.Project{Name: p.GetName(), Etag: e.ETag(p.GetName()), Title: "Organising in Kenya", Participants: []*pactumv1.Participant{
				projectParticipant(w.lead, projectCoordinator), projectParticipant(w.pb, projectAssociate)}},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title", "participants"}}}))
		if err != nil {
			t.Fatal(err)
		}
		total = countRows(t, e, "audit_events")
		_, err = coord.Projects.UpdateProject(ctx, connect.NewRequest(&pactumv1.UpdateProjectRequest{
			Project: &pactumv1.Project{Name: p.GetName(), Etag: e.ETag(p.GetName()), CountryCodes: []string{"XX"}}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"country_codes"}}}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		if n := countRows(t, e, "audit_events"); n != total {
			t.Fatalf("an invalid project update wrote %d event(s)", n-total)
		}
		if _, err := coord.Projects.DeleteProject(ctx, connect.NewRequest(&pactumv1.DeleteProjectRequest{Name: p.GetName()})); err != nil {
			t.Fatal(err)
		}
		pevs = gpEvents(t, e, p.GetName())
		if len(pevs) != 4 {
			t.Fatalf("project events: %d, want 4", len(pevs))
		}
		gpCheckEvent(t, pevs[1], "update", who, gid, map[string]string{"country_codes": "KE -> KE, NP"})
		gpCheckEvent(t, pevs[2], "update", who, gid, map[string]string{
			"title":        "Organising workers, AUD-1 -> Organising in Kenya",
			"participants": participants + " -> " + w.lead.GetName() + " (coordinator, " + w.lead.GetCountryCode() + "), " + w.pb.GetName() + " (associate, " + w.pb.GetCountryCode() + ")",
		})
		gpCheckEvent(t, pevs[3], "delete", who, gid, nil, "title", "code", "country_codes", "participants")
		if c := pevs[3].ChangeList(); !slices.Contains(c, audit.Change{Field: "country_codes", Old: "KE, NP"}) {
			t.Errorf("project delete event: %v", c)
		}

		// Close.
		if _, err := coord.Grants.CloseGrant(ctx, connect.NewRequest(&pactumv1.CloseGrantRequest{Name: g.GetName()})); err != nil {
			t.Fatal(err)
		}
		evs = gpEvents(t, e, g.GetName())
		gpCheckEvent(t, evs[len(evs)-1], "close", who, gid, map[string]string{"state": "active -> closed"})

		// Delete a draft grant: the grant and each of its milestones.
		d := mustCreateGrantAs(t, coord, newGrantUnder(w.fpa, "SGA/AUDIT/2"))
		did := strings.TrimPrefix(d.GetName(), "grants/")
		var milestones []string
		if err := e.DB.NewRaw("SELECT id FROM milestones WHERE grant_id = ? ORDER BY id", did).Scan(ctx, &milestones); err != nil {
			t.Fatal(err)
		}
		if len(milestones) == 0 {
			t.Fatal("the draft grant has no generated milestones to delete")
		}
		if _, err := coord.Grants.DeleteGrant(ctx, connect.NewRequest(&pactumv1.DeleteGrantRequest{Name: d.GetName()})); err != nil {
			t.Fatal(err)
		}
		evs = gpEvents(t, e, d.GetName())
		if len(evs) != 2 {
			t.Fatalf("events about the deleted grant: %d, want 2", len(evs))
		}
		gpCheckEvent(t, evs[1], "delete", who, did, nil, "title", "donor_reference", "state")
		if c := evs[1].ChangeList(); !slices.Contains(c, audit.Change{Field: "donor_reference", Old: "SGA/AUDIT/2"}) {
			t.Errorf("grant delete event: %v", c)
		}
		for _, m := range milestones {
			mevs := gpEvents(t, e, "milestones/"+m)
			if len(mevs) == 0 || mevs[len(mevs)-1].Action != "delete" {
				t.Errorf("milestone %s of the deleted grant: events %v", m, mevs)
				continue
			}
			gpCheckEvent(t, mevs[len(mevs)-1], "delete", who, did, nil, "due_date")
		}

		res2, err := audit.Verify(actor.SystemContext(ctx), e.DB, dbtest.AuditKey, nil)
		if err != nil || !res2.OK() {
			t.Fatalf("audit.Verify: %+v (%v)", res2, err)
		}
	})
}

func mustCreateGrantAs(t *testing.T, c *rpctest.Clients, g *pactumv1.Grant) *pactumv1.Grant {
	t.Helper()
	res, err := c.Grants.CreateGrant(context.Background(), connect.NewRequest(&pactumv1.CreateGrantRequest{Grant: g}))
	if err != nil {
		t.Fatalf("create grant %s: %v", g.GetDonorReference(), err)
	}
	return res.Msg.GetGrant()
}
