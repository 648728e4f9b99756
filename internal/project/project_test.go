package project_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/resource"
)

// fixture is a database with a donor, a lead, two partners and an active
// grant running through 2026 and 2027.
type fixture struct {
	db                  *bun.DB
	svc                 *project.Service
	donor, lead, p1, p2 string
	grant               string
}

func setup(t *testing.T, d *bun.DB) *fixture {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	orgs := organisation.NewService(d)
	mk := func(name, country string, kind organisation.Kind) string {
		o, err := orgs.Create(ctx, &organisation.Organisation{DisplayName: name, CountryCode: country, Kind: kind}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f := &fixture{db: d, svc: project.NewService(d)}
	f.donor = mk("European Commission", "BE", organisation.KindDonor)
	f.lead = mk("Global Solidarity Network", "BE", organisation.KindLead)
	f.p1 = mk("Kenya Domestic Workers Union", "KE", organisation.KindLocalPartner)
	f.p2 = mk("Nepal Trade Union Centre", "NP", organisation.KindMember)
	f.grant = f.insertGrant(t, "G-1", "2026-01-01", "2027-12-31", "active")
	return f
}

func (f *fixture) insertGrant(t *testing.T, ref, start, end, state string) string {
	t.Helper()
	id := resource.NewID()
	_, err := f.db.ExecContext(context.Background(), `INSERT INTO grants
		(id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		 total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		 interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, 'Decent work', 'EUR', ?, ?, 100000000, 90000000, 9000, 12, 60, 3, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		id, f.donor, f.lead, ref, start, end, state)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) input() project.Input {
	return project.Input{
		GrantID:      f.grant,
		Code:         "KE-01",
		Title:        "Organising domestic workers",
		CountryCodes: []string{"NP", "KE", "BO"},
		Participants: []project.Participant{
			{OrganisationID: f.p2, Role: project.RoleCoBeneficiary},
			{OrganisationID: f.lead, Role: project.RoleCoordinator},
			{OrganisationID: f.p1, Role: project.RoleAssociate},
		},
		StartDate: "2026-03-01",
		EndDate:   "2027-06-30",
	}
}

// orgRoles writes participants as "organisation role", leaving out what
// the service fills in (the organisation's country).
func orgRoles(pts []project.Participant) []string {
	out := make([]string, len(pts))
	for i, pt := range pts {
		out[i] = pt.OrganisationID + " " + string(pt.Role)
	}
	return out
}

func count(t *testing.T, d bun.IDB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func violations(err error) []string {
	var out []string
	var e *errs.Error
	if errors.As(err, &e) {
		for _, v := range e.Violations {
			out = append(out, v.Field)
		}
	}
	return out
}

func TestProjectCreateKeepsCountriesAndParticipantsInOrder(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		p, err := f.svc.Create(ctx, f.input(), "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.CountryCodes, []string{"NP", "KE", "BO"}) {
			t.Fatalf("countries = %v", got.CountryCodes)
		}
		if !slices.Equal(orgRoles(got.Participants), orgRoles(f.input().Participants)) {
			t.Fatalf("participants = %v", got.Participants)
		}
		if got.StartDate.String() != "2026-03-01" || got.EndDate.String() != "2027-06-30" || got.ETag() != p.ETag() {
			t.Fatalf("read back %+v", got)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM project_participants WHERE project_id = ?", p.ID); n != 3 {
			t.Fatalf("participant rows = %d", n)
		}

		// Dates are optional and stored as NULL.
		in := f.input()
		in.Code, in.StartDate, in.EndDate = "", "", ""
		q, err := f.svc.Create(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM projects WHERE id = ? AND start_date IS NULL AND end_date IS NULL", q.ID); n != 1 {
			t.Fatal("empty dates are not stored as NULL")
		}
	})
}

func TestProjectCreateRules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		closed := f.insertGrant(t, "G-closed", "2020-01-01", "2021-12-31", "closed")
		cases := []struct {
			name   string
			mutate func(in *project.Input)
			kind   errs.Kind
			fields []string
		}{
			{"no grant", func(in *project.Input) { in.GrantID = "" }, errs.KindInvalid, []string{"grant"}},
			{"unknown grant", func(in *project.Input) { in.GrantID = "nope" }, errs.KindInvalid, []string{"grant"}},
			{"closed grant", func(in *project.Input) { in.GrantID = closed; in.StartDate, in.EndDate = "", "" }, errs.KindPrecondition, nil},
			{"blank title", func(in *project.Input) { in.Title = "  " }, errs.KindInvalid, []string{"title"}},
			{"no country", func(in *project.Input) { in.CountryCodes = nil }, errs.KindInvalid, []string{"country_codes"}},
			{"unknown and repeated countries", func(in *project.Input) { in.CountryCodes = []string{"KE", "XX", "KE"} },
				errs.KindInvalid, []string{"country_codes[1]", "country_codes[2]"}},
			{"no participants", func(in *project.Input) { in.Participants = nil }, errs.KindInvalid, []string{"participants"}},
			{"no coordinator", func(in *project.Input) { in.Participants[1].Role = project.RoleAssociate }, errs.KindInvalid, []string{"participants"}},
			{"two coordinators", func(in *project.Input) { in.Participants[0].Role = project.RoleCoordinator }, errs.KindInvalid, []string{"participants"}},
			{"missing role", func(in *project.Input) { in.Participants[0].Role = "" }, errs.KindInvalid, []string{"participants[0].role"}},
			{"unknown organisation", func(in *project.Input) { in.Participants[2].OrganisationID = "ghost" },
				errs.KindInvalid, []string{"participants[2].organisation"}},
			{"organisation twice", func(in *project.Input) { in.Participants[2].OrganisationID = f.p2 },
				errs.KindInvalid, []string{"participants[2].organisation"}},
			{"impossible date", func(in *project.Input) { in.StartDate = "2026-02-30" }, errs.KindInvalid, []string{"start_date"}},
			{"end before start", func(in *project.Input) { in.EndDate = "2026-02-01" }, errs.KindInvalid, []string{"end_date"}},
			{"before the grant", func(in *project.Input) { in.StartDate = "2025-12-31" }, errs.KindInvalid, []string{"start_date"}},
			{"after the grant", func(in *project.Input) { in.EndDate = "2028-01-01" }, errs.KindInvalid, []string{"end_date"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := f.input()
				in.Participants = slices.Clone(in.Participants)
				c.mutate(&in)
				_, err := f.svc.Create(ctx, in, "")
				if errs.KindOf(err) != c.kind {
					t.Fatalf("got %v (%v), want kind %s", errs.KindOf(err), err, c.kind)
				}
				if got := violations(err); !slices.Equal(got, c.fields) {
					t.Fatalf("violations %v, want %v (%v)", got, c.fields, err)
				}
			})
		}
		if n := count(t, d, "SELECT COUNT(*) FROM projects"); n != 0 {
			t.Fatalf("%d projects left behind by refused creates", n)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM project_countries") + count(t, d, "SELECT COUNT(*) FROM project_participants"); n != 0 {
			t.Fatalf("%d child rows left behind by refused creates", n)
		}
	})
}

func TestProjectCodeIsUniqueWithinAGrant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		if _, err := f.svc.Create(ctx, f.input(), ""); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Create(ctx, f.input(), "")
		if errs.KindOf(err) != errs.KindAlreadyExists || !strings.Contains(err.Error(), "KE-01") {
			t.Fatalf("same code twice: %v", err)
		}
		other := f.insertGrant(t, "G-2", "2026-01-01", "2027-12-31", "draft")
		in := f.input()
		in.GrantID = other
		if _, err := f.svc.Create(ctx, in, ""); err != nil {
			t.Fatalf("same code under another grant: %v", err)
		}
		// Projects without a code do not collide.
		in.Code = ""
		for range 2 {
			if _, err := f.svc.Create(ctx, in, ""); err != nil {
				t.Fatalf("second project without code: %v", err)
			}
		}
	})
}

// queryCounter counts the queries run on a database.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestProjectListFiltersInSQLAndLoadsChildrenPerPage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		other := f.insertGrant(t, "G-2", "2026-01-01", "2027-12-31", "active")
		mk := func(code, grant string, countries []string, parts ...project.Participant) {
			t.Helper()
			_, err := f.svc.Create(ctx, project.Input{GrantID: grant, Code: code, Title: code, CountryCodes: countries, Participants: parts}, "")
			if err != nil {
				t.Fatal(err)
			}
		}
		coord := func(id string) project.Participant {
			return project.Participant{OrganisationID: id, Role: project.RoleCoordinator}
		}
		assoc := func(id string) project.Participant {
			return project.Participant{OrganisationID: id, Role: project.RoleAssociate}
		}
		mk("A", f.grant, []string{"KE"}, coord(f.lead), assoc(f.p1))
		mk("B", f.grant, []string{"NP", "IN"}, coord(f.p2))
		mk("C", other, []string{"KE", "NP"}, coord(f.lead), assoc(f.p2))
		mk("D", other, []string{"BO"}, coord(f.p1))
		mk("E", f.grant, []string{"BR"}, coord(f.lead))

		list := func(fl project.Filter, size int32) string {
			t.Helper()
			var codes []string
			token := ""
			for i := 0; ; i++ {
				ps, next, err := f.svc.List(ctx, fl, page.Request{Size: size, Token: token})
				if err != nil {
					t.Fatal(err)
				}
				if size > 0 && len(ps) > int(size) {
					t.Fatalf("page of %d, asked for %d", len(ps), size)
				}
				for _, p := range ps {
					if len(p.CountryCodes) == 0 || len(p.Participants) == 0 {
						t.Fatalf("%s listed without its countries or participants", p.Code)
					}
					codes = append(codes, p.Code)
				}
				if token = next; token == "" || i > 10 {
					break
				}
			}
			return strings.Join(codes, " ")
		}
		cases := []struct {
			name string
			f    project.Filter
			want string
		}{
			{"all, oldest first", project.Filter{}, "A B C D E"},
			{"grant", project.Filter{GrantID: other}, "C D"},
			{"organisation", project.Filter{OrganisationID: f.p2}, "B C"},
			{"country", project.Filter{CountryCode: "KE"}, "A C"},
			{"organisation and country", project.Filter{OrganisationID: f.lead, CountryCode: "KE"}, "A C"},
			{"grant and organisation", project.Filter{GrantID: f.grant, OrganisationID: f.lead}, "A E"},
			{"nothing matches", project.Filter{CountryCode: "FJ"}, ""},
		}
		for _, c := range cases {
			for _, size := range []int32{0, 1, 2} {
				if got := list(c.f, size); got != c.want {
					t.Fatalf("%s (page size %d): got %q, want %q", c.name, size, got, c.want)
				}
			}
		}

		// A page of five projects takes three queries: projects, countries,
		// participants.
		qc := &queryCounter{}
		d.AddQueryHook(qc)
		ps, _, err := f.svc.List(ctx, project.Filter{}, page.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 5 || qc.n.Load() != 3 {
			t.Fatalf("listing %d projects took %d queries, want 3", len(ps), qc.n.Load())
		}
		if !slices.Equal(ps[1].CountryCodes, []string{"NP", "IN"}) || orgRoles(ps[2].Participants)[1] != orgRoles([]project.Participant{assoc(f.p2)})[0] {
			t.Fatalf("children mixed up: %v %v", ps[1].CountryCodes, ps[2].Participants)
		}

		_, _, err = f.svc.List(ctx, project.Filter{CountryCode: "QQ"}, page.Request{})
		if got := violations(err); !slices.Equal(got, []string{"country_code"}) {
			t.Fatalf("unknown country filter: %v", err)
		}
	})
}

func TestProjectUpdateReplacesChildren(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		p, err := f.svc.Create(ctx, f.input(), "")
		if err != nil {
			t.Fatal(err)
		}
		in := project.Input{
			Title:        "ignored: not in the mask",
			CountryCodes: []string{"BR"},
			Participants: []project.Participant{{OrganisationID: f.p1, Role: project.RoleCoordinator}},
		}
		u, err := f.svc.Update(ctx, p.ID, in, resource.Mask{"country_codes", "participants"}, p.ETag())
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != p.Title || !slices.Equal(got.CountryCodes, []string{"BR"}) || !slices.Equal(orgRoles(got.Participants), orgRoles(in.Participants)) {
			t.Fatalf("after update: %+v", got)
		}
		if u.ETag() == p.ETag() || got.ETag() != u.ETag() {
			t.Fatalf("etag %s -> %s (read %s)", p.ETag(), u.ETag(), got.ETag())
		}
		if n := count(t, d, "SELECT COUNT(*) FROM project_countries WHERE project_id = ?", p.ID); n != 1 {
			t.Fatalf("country rows = %d, want 1", n)
		}
		// The etag is required.
		_, err = f.svc.Update(ctx, p.ID, project.Input{Title: "x"}, resource.Mask{"title"}, "")
		if got := violations(err); !slices.Equal(got, []string{"etag"}) {
			t.Fatalf("missing etag: %v", err)
		}
		// A refused update leaves the children alone.
		_, err = f.svc.Update(ctx, p.ID, project.Input{CountryCodes: []string{"ZZ"}}, resource.Mask{"country_codes"}, u.ETag())
		if errs.KindOf(err) != errs.KindInvalid {
			t.Fatalf("bad country: %v", err)
		}
		// The grant cannot change.
		other := f.insertGrant(t, "G-2", "2026-01-01", "2027-12-31", "active")
		_, err = f.svc.Update(ctx, p.ID, project.Input{GrantID: other, Title: "x"}, resource.Mask{"title"}, u.ETag())
		if got := violations(err); !slices.Equal(got, []string{"grant"}) {
			t.Fatalf("grant change: %v", err)
		}
		// Dates are checked against the grant's period on update too.
		_, err = f.svc.Update(ctx, p.ID, project.Input{EndDate: "2030-01-01"}, resource.Mask{"end_date"}, u.ETag())
		if got := violations(err); !slices.Equal(got, []string{"end_date"}) || !strings.Contains(err.Error(), "2026-01-01 to 2027-12-31") {
			t.Fatalf("end after the grant: %v", err)
		}
		got, _ = f.svc.Get(ctx, p.ID)
		if !slices.Equal(got.CountryCodes, []string{"BR"}) || got.ETag() != u.ETag() {
			t.Fatalf("refused updates changed the project: %+v", got)
		}
		// Once the grant is closed, its projects stay as they are.
		if _, err := d.ExecContext(ctx, "UPDATE grants SET state = 'closed' WHERE id = ?", f.grant); err != nil {
			t.Fatal(err)
		}
		var e *errs.Error
		_, err = f.svc.Update(ctx, p.ID, project.Input{Title: "After closing"}, resource.Mask{"title"}, u.ETag())
		if !errors.As(err, &e) || e.Reason != "GRANT_CLOSED" {
			t.Fatalf("update under a closed grant: %v", err)
		}
		if err := f.svc.Delete(ctx, p.ID, ""); !errors.As(err, &e) || e.Reason != "GRANT_CLOSED" {
			t.Fatalf("delete under a closed grant: %v", err)
		}
	})
}

func TestProjectDeleteRemovesOpenMilestonesAndKeepsHistory(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)
		milestone := func(projectID string, submitted bool) {
			t.Helper()
			submit := "NULL"
			if submitted {
				submit = "CURRENT_TIMESTAMP"
			}
			_, err := d.ExecContext(ctx, `INSERT INTO milestones
				(id, grant_id, project_id, kind, title, due_date, responsible_organisation_id, submit_time, version, create_time, update_time)
				VALUES (?, ?, ?, 'progress_update', 'Q1', '2026-04-30', ?, `+submit+`, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				resource.NewID(), f.grant, projectID, f.p1)
			if err != nil {
				t.Fatal(err)
			}
		}
		kept, err := f.svc.Create(ctx, f.input(), "")
		if err != nil {
			t.Fatal(err)
		}
		in := f.input()
		in.Code = "KE-02"
		gone, err := f.svc.Create(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		milestone(kept.ID, false)
		milestone(kept.ID, true)
		milestone(gone.ID, false)
		milestone(gone.ID, false)

		err = f.svc.Delete(ctx, kept.ID, "")
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.KindPrecondition || e.Reason != "PROJECT_HAS_HISTORY" {
			t.Fatalf("delete with a submitted milestone: %v", err)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM milestones WHERE project_id = ? AND generator_key IS NULL", kept.ID); n != 2 {
			t.Fatalf("refused delete left %d milestones, want 2", n)
		}
		if err := f.svc.Delete(ctx, gone.ID, `"zz"`); errs.KindOf(err) != errs.KindAborted {
			t.Fatalf("stale etag: %v", err)
		}
		if err := f.svc.Delete(ctx, gone.ID, gone.ETag()); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"SELECT COUNT(*) FROM projects WHERE id = ?",
			"SELECT COUNT(*) FROM project_countries WHERE project_id = ?",
			"SELECT COUNT(*) FROM project_participants WHERE project_id = ?",
			"SELECT COUNT(*) FROM milestones WHERE project_id = ?",
		} {
			if n := count(t, d, q, gone.ID); n != 0 {
				t.Fatalf("%s: %d left", q, n)
			}
		}
		if _, err := f.svc.Get(ctx, gone.ID); errs.KindOf(err) != errs.KindNotFound {
			t.Fatalf("get after delete: %v", err)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM project_participants WHERE project_id = ?", kept.ID); n != 3 {
			t.Fatalf("the other project lost participants: %d", n)
		}
	})
}
