package rpc_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// projectWorld is a server with a donor, a lead, three partners and an
// active grant running through 2026 and 2027.
type projectWorld struct {
	e                       *rpctest.Env
	donor, lead, ke, np, bo *pactumv1.Organisation
	grant                   string // "grants/{id}"
}

func newProjectWorld(t *testing.T, e *rpctest.Env) *projectWorld {
	t.Helper()
	w := &projectWorld{e: e}
	w.donor = createOrg(t, e, newOrg("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR))
	w.lead = createOrg(t, e, newOrg("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
	w.ke = createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
	w.np = createOrg(t, e, newOrg("Nepal Trade Union Centre", "NTUC", "NP", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
	w.bo = createOrg(t, e, newOrg("Central Obrera Boliviana", "COB", "BO", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
	w.grant = w.insertGrant(t, "SGA/2026/1", "active")
	return w
}

// insertGrant writes a grant row directly (the grant service is another
// package's business) and returns its resource name.
func (w *projectWorld) insertGrant(t *testing.T, ref, state string) string {
	t.Helper()
	id := resource.NewID()
	_, err := w.e.DB.ExecContext(context.Background(), `INSERT INTO grants
		(id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		 total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		 interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, 'Decent work for domestic workers', 'EUR', '2026-01-01', '2027-12-31',
		 100000000, 90000000, 9000, 12, 60, 3, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		id, projectOrgID(w.donor), projectOrgID(w.lead), ref, state)
	if err != nil {
		t.Fatal(err)
	}
	return "grants/" + id
}

func projectOrgID(o *pactumv1.Organisation) string {
	return strings.TrimPrefix(o.GetName(), "organisations/")
}

func projectParticipant(o *pactumv1.Organisation, role pactumv1.ParticipantRole) *pactumv1.Participant {
	return &pactumv1.Participant{Organisation: o.GetName(), Role: role}
}

const (
	projectCoordinator = pactumv1.ParticipantRole_PARTICIPANT_ROLE_COORDINATOR
	projectPartner     = pactumv1.ParticipantRole_PARTICIPANT_ROLE_CO_BENEFICIARY
	projectAssociate   = pactumv1.ParticipantRole_PARTICIPANT_ROLE_ASSOCIATE
)

// valid returns a project that can be created.
func (w *projectWorld) valid() *pactumv1.Project {
	return &pactumv1.Project{
		Grant:        w.grant,
		Code:         "KE-01",
		Title:        "Organising domestic workers in Kenya and Nepal",
		CountryCodes: []string{"KE", "NP"},
		Participants: []*pactumv1.Participant{
			projectParticipant(w.lead, projectCoordinator),
			projectParticipant(w.ke, projectPartner),
			projectParticipant(w.np, projectAssociate),
		},
		StartDate: "2026-02-01",
		EndDate:   "2027-11-30",
	}
}

func (w *projectWorld) create(t *testing.T, p *pactumv1.Project) *pactumv1.Project {
	t.Helper()
	res, err := w.e.Projects.CreateProject(context.Background(), connect.NewRequest(&pactumv1.CreateProjectRequest{Project: p}))
	if err != nil {
		t.Fatalf("create %s: %v", p.GetCode(), err)
	}
	return res.Msg.GetProject()
}

func projectRows(t *testing.T, e *rpctest.Env, table string) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT COUNT(*) FROM "+table).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateProject(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newProjectWorld(t, e)
		closed := w.insertGrant(t, "SGA/2019/9", "closed")
		scenarios := []struct {
			name       string
			mutate     func(p *pactumv1.Project)
			wantCode   connect.Code
			wantField  string
			wantReason string
			wantText   string // in the violation's description or the message
		}{
			{name: "valid", mutate: func(*pactumv1.Project) {}},
			{name: "unknown country", mutate: func(p *pactumv1.Project) { p.CountryCodes = []string{"KE", "XX"} },
				wantField: "project.country_codes[1]", wantText: "ISO 3166-1"},
			{name: "lowercase country", mutate: func(p *pactumv1.Project) { p.CountryCodes = []string{"ke"} },
				wantField: "project.country_codes[0]"},
			{name: "no country", mutate: func(p *pactumv1.Project) { p.CountryCodes = nil },
				wantField: "project.country_codes", wantText: "at least one"},
			{name: "duplicated participant", mutate: func(p *pactumv1.Project) { p.Participants[2] = projectParticipant(w.lead, projectAssociate) },
				wantField: "project.participants[2].organisation", wantText: "participants[0]"},
			{name: "two coordinators", mutate: func(p *pactumv1.Project) { p.Participants[1].Role = projectCoordinator },
				wantField: "project.participants", wantText: "2 are"},
			{name: "no coordinator", mutate: func(p *pactumv1.Project) { p.Participants[0].Role = projectPartner },
				wantField: "project.participants", wantText: "none is"},
			{name: "unknown organisation", mutate: func(p *pactumv1.Project) { p.Participants[2].Organisation = "organisations/ghost" },
				wantField: "project.participants[2].organisation", wantText: "organisations/ghost does not exist"},
			{name: "missing role", mutate: func(p *pactumv1.Project) { p.Participants[1].Role = 0 },
				wantField: "project.participants[1].role"},
			{name: "start before the grant", mutate: func(p *pactumv1.Project) { p.StartDate = "2025-12-31" },
				wantField: "project.start_date", wantText: "2026-01-01 to 2027-12-31"},
			{name: "end after the grant", mutate: func(p *pactumv1.Project) { p.EndDate = "2028-01-31" },
				wantField: "project.end_date", wantText: "2026-01-01 to 2027-12-31"},
			{name: "end before start", mutate: func(p *pactumv1.Project) { p.StartDate, p.EndDate = "2026-06-01", "2026-05-31" },
				wantField: "project.end_date", wantText: "after start_date"},
			{name: "impossible date", mutate: func(p *pactumv1.Project) { p.StartDate = "2026-02-30" },
				wantField: "project.start_date"},
			{name: "missing title", mutate: func(p *pactumv1.Project) { p.Title = "   " },
				wantField: "project.title"},
			{name: "oversized title", mutate: func(p *pactumv1.Project) { p.Title = strings.Repeat("x", 501) },
				wantField: "project.title"},
			{name: "missing grant", mutate: func(p *pactumv1.Project) { p.Grant = "" },
				wantField: "project.grant"},
			{name: "unknown grant", mutate: func(p *pactumv1.Project) { p.Grant = "grants/nope" },
				wantField: "project.grant", wantText: "grants/nope does not exist"},
			{name: "malformed grant", mutate: func(p *pactumv1.Project) { p.Grant = "projects/x" },
				wantField: "project.grant"},
			{name: "closed grant", mutate: func(p *pactumv1.Project) { p.Grant = closed; p.StartDate, p.EndDate = "", "" },
				wantCode: connect.CodeFailedPrecondition, wantReason: "GRANT_CLOSED", wantText: "closed"},
			{name: "code taken in the grant", mutate: func(p *pactumv1.Project) {},
				wantCode: connect.CodeAlreadyExists, wantText: "KE-01"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				p := w.valid()
				sc.mutate(p)
				res, err := e.Projects.CreateProject(ctx, connect.NewRequest(&pactumv1.CreateProjectRequest{Project: p}))
				if sc.wantField != "" {
					rpctest.ExpectViolation(t, err, sc.wantField)
					if d := rpctest.Violations(err)[sc.wantField]; !strings.Contains(d, sc.wantText) {
						t.Fatalf("%s: %q does not say %q", sc.wantField, d, sc.wantText)
					}
					return
				}
				rpctest.ExpectCode(t, err, sc.wantCode)
				if err != nil {
					if rpctest.Reason(err) != sc.wantReason || !strings.Contains(err.Error(), sc.wantText) {
						t.Fatalf("error %v: want reason %q and %q", err, sc.wantReason, sc.wantText)
					}
					return
				}
				got := res.Msg.GetProject()
				if !strings.HasPrefix(got.GetName(), "projects/") || got.GetEtag() == "" || got.GetGrant() != w.grant {
					t.Fatalf("created %v", got)
				}
				want := w.valid()
				want.Name, want.Etag, want.CreateTime, want.UpdateTime = got.GetName(), got.GetEtag(), got.GetCreateTime(), got.GetUpdateTime()
				// The caller, an admin, may do everything with it.
				want.CallerCanUpdate, want.CallerCanDelete, want.CallerCanManageResults = true, true, true
				want.CallerCanLogActivities, want.CallerCanReadHistory = true, true
				want.State = pactumv1.ProjectState_PROJECT_STATE_OPEN // a new project is open
				// Quarterly progress updates by default; each partner in its own country unless told.
				want.ProgressUpdateMonths = 3
				for i, o := range []*pactumv1.Organisation{w.lead, w.ke, w.np} {
					want.Participants[i].CountryCode = o.GetCountryCode()
				}
				if !proto.Equal(got, want) {
					t.Fatalf("created\n %v\nwant\n %v", got, want)
				}
				read, err := e.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: got.GetName()}))
				if err != nil || !proto.Equal(read.Msg.GetProject(), got) {
					t.Fatalf("read back %v (%v), want %v", read, err, got)
				}
			})
		}
		for table, want := range map[string]int{"projects": 1, "project_countries": 2, "project_participants": 3} {
			if n := projectRows(t, e, table); n != want {
				t.Fatalf("%s has %d rows after the scenarios, want %d (only the valid project's)", table, n, want)
			}
		}
	})
}

func TestCreateProjectRequestIDIsIdempotent(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newProjectWorld(t, e)
		req := &pactumv1.CreateProjectRequest{Project: w.valid(), RequestId: "0a8c3f2e-6b1d-4e7a-9c55-1f2e3d4c5b6a"}
		first, err := e.Projects.CreateProject(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		// The retry of a call whose answer was lost on a slow line.
		second, err := e.Projects.CreateProject(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(first.Msg.GetProject(), second.Msg.GetProject()) {
			t.Fatalf("retry answered %v, first call %v", second.Msg.GetProject(), first.Msg.GetProject())
		}
		// Another request id is another project, and its code is taken.
		req.RequestId = "1b9d4a3f-7c2e-4f8b-8d66-2a3b4c5d6e7f"
		_, err = e.Projects.CreateProject(ctx, connect.NewRequest(req))
		rpctest.ExpectCode(t, err, connect.CodeAlreadyExists)
		req.RequestId = "not-a-uuid"
		_, err = e.Projects.CreateProject(ctx, connect.NewRequest(req))
		rpctest.ExpectViolation(t, err, "request_id")
		for table, want := range map[string]int{"projects": 1, "project_countries": 2, "project_participants": 3} {
			if n := projectRows(t, e, table); n != want {
				t.Fatalf("%s has %d rows, want %d", table, n, want)
			}
		}
	})
}

func TestListProjects(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newProjectWorld(t, e)
		other := w.insertGrant(t, "SGA/2026/2", "draft")
		mk := func(code, grant string, countries []string, parts ...*pactumv1.Participant) {
			t.Helper()
			w.create(t, &pactumv1.Project{Grant: grant, Code: code, Title: "Project " + code, CountryCodes: countries, Participants: parts})
		}
		mk("A", w.grant, []string{"KE"}, projectParticipant(w.lead, projectCoordinator), projectParticipant(w.ke, projectPartner))
		mk("B", w.grant, []string{"NP", "IN"}, projectParticipant(w.np, projectCoordinator))
		mk("C", other, []string{"BO", "KE"}, projectParticipant(w.bo, projectCoordinator), projectParticipant(w.np, projectAssociate))
		mk("D", other, []string{"BO"}, projectParticipant(w.lead, projectCoordinator))
		mk("E", w.grant, []string{"BR"}, projectParticipant(w.ke, projectCoordinator))

		codes := func(req *pactumv1.ListProjectsRequest) string {
			t.Helper()
			res, err := e.Projects.ListProjects(ctx, connect.NewRequest(req))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range res.Msg.GetProjects() {
				if len(p.GetCountryCodes()) == 0 || len(p.GetParticipants()) == 0 {
					t.Fatalf("%s listed without countries or participants", p.GetCode())
				}
				out = append(out, p.GetCode())
			}
			return strings.Join(out, " ")
		}
		cases := []struct {
			name string
			req  *pactumv1.ListProjectsRequest
			want string
		}{
			{"all, oldest first", &pactumv1.ListProjectsRequest{}, "A B C D E"},
			{"grant", &pactumv1.ListProjectsRequest{Grant: other}, "C D"},
			{"organisation as coordinator or partner", &pactumv1.ListProjectsRequest{Organisation: w.ke.GetName()}, "A E"},
			{"organisation as associate", &pactumv1.ListProjectsRequest{Organisation: w.np.GetName()}, "B C"},
			{"country", &pactumv1.ListProjectsRequest{CountryCode: "KE"}, "A C"},
			{"grant and country", &pactumv1.ListProjectsRequest{Grant: other, CountryCode: "BO"}, "C D"},
			{"organisation and country", &pactumv1.ListProjectsRequest{Organisation: w.lead.GetName(), CountryCode: "BO"}, "D"},
			{"organisation in no project", &pactumv1.ListProjectsRequest{Organisation: w.donor.GetName()}, ""},
			{"unknown grant", &pactumv1.ListProjectsRequest{Grant: "grants/nope"}, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := codes(c.req); got != c.want {
					t.Fatalf("got %q, want %q", got, c.want)
				}
			})
		}
		// Each listed project carries its countries and participants in order.
		res, err := e.Projects.ListProjects(ctx, connect.NewRequest(&pactumv1.ListProjectsRequest{Grant: other}))
		if err != nil {
			t.Fatal(err)
		}
		c := res.Msg.GetProjects()[0]
		if strings.Join(c.GetCountryCodes(), ",") != "BO,KE" || c.GetParticipants()[1].GetOrganisation() != w.np.GetName() ||
			c.GetParticipants()[1].GetRole() != projectAssociate {
			t.Fatalf("C listed as %v", c)
		}

		bad := []struct {
			name  string
			req   *pactumv1.ListProjectsRequest
			field string
		}{
			{"negative page size", &pactumv1.ListProjectsRequest{PageSize: -1}, "page_size"},
			{"malformed page token", &pactumv1.ListProjectsRequest{PageToken: "garbage!"}, "page_token"},
			{"unknown country", &pactumv1.ListProjectsRequest{CountryCode: "QQ"}, "country_code"},
			{"malformed grant", &pactumv1.ListProjectsRequest{Grant: "organisations/x"}, "grant"},
			{"malformed organisation", &pactumv1.ListProjectsRequest{Organisation: "grants/x"}, "organisation"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.Projects.ListProjects(ctx, connect.NewRequest(c.req))
				rpctest.ExpectViolation(t, err, c.field)
			})
		}
	})
}

func TestListProjectsPagesStayStableWhileProjectsAreCreated(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newProjectWorld(t, e)
		mk := func(code string) {
			t.Helper()
			w.create(t, &pactumv1.Project{Grant: w.grant, Code: code, Title: code, CountryCodes: []string{"KE"},
				Participants: []*pactumv1.Participant{projectParticipant(w.ke, projectCoordinator)}})
		}
		for i := 1; i <= 5; i++ {
			mk(fmt.Sprintf("P%d", i))
		}
		var seen []string
		token := ""
		for i := 0; ; i++ {
			res, err := e.Projects.ListProjects(ctx, connect.NewRequest(&pactumv1.ListProjectsRequest{
				PageSize: 2, PageToken: token, Organisation: w.ke.GetName()}))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(res.Msg.GetProjects()); n > 2 {
				t.Fatalf("page of %d projects, asked for 2", n)
			}
			for _, p := range res.Msg.GetProjects() {
				seen = append(seen, p.GetCode())
			}
			if i == 0 {
				mk("P6") // created while paging: comes last, once
			}
			token = res.Msg.GetNextPageToken()
			if token == "" {
				break
			}
			if i > 10 {
				t.Fatal("paging does not end")
			}
		}
		if got := strings.Join(seen, " "); got != "P1 P2 P3 P4 P5 P6" {
			t.Fatalf("pages gave %q", got)
		}
		// A token is bound to its filters.
		res, err := e.Projects.ListProjects(ctx, connect.NewRequest(&pactumv1.ListProjectsRequest{PageSize: 1}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Projects.ListProjects(ctx, connect.NewRequest(&pactumv1.ListProjectsRequest{
			PageSize: 1, PageToken: res.Msg.GetNextPageToken(), CountryCode: "KE"}))
		rpctest.ExpectViolation(t, err, "page_token")
	})
}

func TestUpdateProject(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newProjectWorld(t, e)
		p := w.create(t, w.valid())
		update := func(in *pactumv1.Project, paths ...string) (*pactumv1.Project, error) {
			if in.GetEtag() == "" {
				in.Etag = e.ETag(in.GetName()) // the etag is required: the current one
			}
			req := &pactumv1.UpdateProjectRequest{Project: in}
			if paths != nil {
				req.UpdateMask = &fieldmaskpb.FieldMask{Paths: paths}
			}
			res, err := e.Projects.UpdateProject(ctx, connect.NewRequest(req))
			if err != nil {
				return nil, err
			}
			return res.Msg.GetProject(), nil
		}

		// Only the masked fields change; countries and participants are replaced.
		u, err := update(&pactumv1.Project{
			Name: p.GetName(), Etag: p.GetEtag(), Title: "ignored", Code: "ignored",
			CountryCodes: []string{"BO"},
			Participants: []*pactumv1.Participant{projectParticipant(w.bo, projectCoordinator), projectParticipant(w.lead, projectAssociate)},
		}, "country_codes", "participants")
		if err != nil {
			t.Fatal(err)
		}
		if u.GetTitle() != p.GetTitle() || u.GetCode() != "KE-01" || strings.Join(u.GetCountryCodes(), ",") != "BO" ||
			len(u.GetParticipants()) != 2 || u.GetParticipants()[0].GetOrganisation() != w.bo.GetName() {
			t.Fatalf("after update: %v", u)
		}
		if u.GetEtag() == p.GetEtag() {
			t.Fatal("etag did not change")
		}
		if projectRows(t, e, "project_countries") != 1 || projectRows(t, e, "project_participants") != 2 {
			t.Fatal("old child rows were not replaced")
		}
		// The old etag is stale now.
		_, err = update(&pactumv1.Project{Name: p.GetName(), Etag: p.GetEtag(), Title: "Stale"})
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		// An empty mask means the fields that are set; dates can be cleared by naming them.
		u2, err := update(&pactumv1.Project{Name: p.GetName(), Etag: u.GetEtag(), Title: "Renamed", Description: "Now with a description"})
		if err != nil || u2.GetTitle() != "Renamed" || u2.GetDescription() == "" || u2.GetStartDate() != "2026-02-01" {
			t.Fatalf("empty mask: %v %v", u2, err)
		}
		u3, err := update(&pactumv1.Project{Name: p.GetName()}, "start_date", "end_date")
		if err != nil || u3.GetStartDate() != "" || u3.GetEndDate() != "" {
			t.Fatalf("clearing dates: %v %v", u3, err)
		}

		refused := []struct {
			name  string
			in    *pactumv1.Project
			paths []string
			field string
		}{
			{"grant is not updatable", &pactumv1.Project{Name: p.GetName(), Grant: w.grant}, []string{"grant"}, "update_mask"},
			{"grant cannot change", &pactumv1.Project{Name: p.GetName(), Grant: w.insertGrant(t, "SGA/2026/3", "active"), Title: "x"}, nil, "project.grant"},
			{"unknown country", &pactumv1.Project{Name: p.GetName(), CountryCodes: []string{"BO", "ZZ"}}, nil, "project.country_codes[1]"},
			{"no countries", &pactumv1.Project{Name: p.GetName()}, []string{"country_codes"}, "project.country_codes"},
			{"two coordinators", &pactumv1.Project{Name: p.GetName(), Participants: []*pactumv1.Participant{
				projectParticipant(w.bo, projectCoordinator), projectParticipant(w.ke, projectCoordinator)}}, nil, "project.participants"},
			{"unknown organisation", &pactumv1.Project{Name: p.GetName(), Participants: []*pactumv1.Participant{
				projectParticipant(w.bo, projectCoordinator), {Organisation: "organisations/ghost", Role: projectPartner}}}, nil, "project.participants[1].organisation"},
			{"end outside the grant", &pactumv1.Project{Name: p.GetName(), EndDate: "2029-12-31"}, nil, "project.end_date"},
			{"blank title", &pactumv1.Project{Name: p.GetName()}, []string{"title"}, "project.title"},
		}
		for _, c := range refused {
			t.Run(c.name, func(t *testing.T) {
				_, err := update(c.in, c.paths...)
				rpctest.ExpectViolation(t, err, c.field)
			})
		}
		// Nothing refused was written.
		get, err := e.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: p.GetName()}))
		if err != nil || !proto.Equal(get.Msg.GetProject(), u3) {
			t.Fatalf("after refused updates: %v (%v), want %v", get, err, u3)
		}
		// The code stays unique within the grant.
		w.create(t, &pactumv1.Project{Grant: w.grant, Code: "KE-02", Title: "Other", CountryCodes: []string{"KE"},
			Participants: []*pactumv1.Participant{projectParticipant(w.ke, projectCoordinator)}})
		_, err = update(&pactumv1.Project{Name: p.GetName(), Code: "KE-02"})
		rpctest.ExpectCode(t, err, connect.CodeAlreadyExists)

		_, err = update(&pactumv1.Project{Name: "projects/nope", Title: "X"})
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

func TestDeleteProject(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newProjectWorld(t, e)
		withHistory := w.create(t, w.valid())
		open := w.valid()
		open.Code = "KE-02"
		clean := w.create(t, open)
		milestone := func(p *pactumv1.Project, submitted, accepted bool) {
			t.Helper()
			ts := func(b bool) string {
				if b {
					return "CURRENT_TIMESTAMP"
				}
				return "NULL"
			}
			_, err := e.DB.ExecContext(ctx, `INSERT INTO milestones
				(id, grant_id, project_id, kind, title, due_date, responsible_organisation_id, submit_time, accept_time, version, create_time, update_time)
				VALUES (?, ?, ?, 'progress_update', 'Quarterly update', '2026-04-30', ?, `+ts(submitted)+`, `+ts(accepted)+`, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				resource.NewID(), strings.TrimPrefix(w.grant, "grants/"), strings.TrimPrefix(p.GetName(), "projects/"), projectOrgID(w.ke))
			if err != nil {
				t.Fatal(err)
			}
		}
		milestone(withHistory, false, false)
		milestone(withHistory, true, true)
		milestone(clean, false, false)

		_, err := e.Projects.DeleteProject(ctx, connect.NewRequest(&pactumv1.DeleteProjectRequest{Name: withHistory.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if rpctest.Reason(err) != "PROJECT_HAS_HISTORY" || !strings.Contains(err.Error(), "submitted or accepted") {
			t.Fatalf("error %v lacks the reason", err)
		}
		_, err = e.Projects.DeleteProject(ctx, connect.NewRequest(&pactumv1.DeleteProjectRequest{Name: clean.GetName(), Etag: `"zz"`}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = e.Projects.DeleteProject(ctx, connect.NewRequest(&pactumv1.DeleteProjectRequest{Name: clean.GetName(), Etag: clean.GetEtag()}))
		rpctest.ExpectCode(t, err, 0)
		_, err = e.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: clean.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = e.Projects.DeleteProject(ctx, connect.NewRequest(&pactumv1.DeleteProjectRequest{Name: clean.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		// Its open milestone and child rows went with it; the other project kept everything.
		for table, want := range map[string]int{"projects": 1, "project_countries": 2, "project_participants": 3, "milestones WHERE generator_key IS NULL": 2,
			"milestones WHERE project_id IS NOT NULL AND project_id <> '" + id(withHistory.GetName()) + "'": 0} {
			if n := projectRows(t, e, table); n != want {
				t.Fatalf("%s has %d rows after the delete, want %d", table, n, want)
			}
		}
		_, err = e.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: "grants/x"}))
		rpctest.ExpectViolation(t, err, "name")
	})
}
