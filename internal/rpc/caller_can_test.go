package rpc_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/actor"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// flags renders booleans as a string of Y and ., in order, for tables a
// reviewer can read.
func flags(bs ...bool) string {
	var b strings.Builder
	for _, x := range bs {
		if x {
			b.WriteByte('Y')
		} else {
			b.WriteByte('.')
		}
	}
	return b.String()
}

// The caller_can_* fields and the session's permissions say what each
// caller may do, membership by membership (one limited to a named grant
// included); then each "may" is checked against the server's answer to the
// change itself, so that a button shown is a button that works.
func TestCallerCan(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newGPWorld(t, e)
		l, l2 := projectOrgID(w.lead), projectOrgID(w.lead2)
		g1ID := strings.TrimPrefix(w.g1, "grants/")
		m := must(e.Milestones.CreateMilestone(ctx, connect.NewRequest(&pactumv1.CreateMilestoneRequest{Milestone: &pactumv1.Milestone{
			Grant: w.g1, Kind: pactumv1.MilestoneKind_MILESTONE_KIND_INTERIM_NARRATIVE_REPORT, Title: "Interim report",
			DueDate: "2026-02-28", ResponsibleOrganisation: w.pa.GetName()}}))).GetMilestone()
		act := must(e.Activities.CreateActivity(ctx, connect.NewRequest(&pactumv1.CreateActivityRequest{Parent: w.p1,
			Activity: &pactumv1.Activity{Title: "Training", Type: pactumv1.ActivityType_ACTIVITY_TYPE_TRAINING, StartDate: "2025-05-05",
				CountryCode: "KE", Participants: &pactumv1.Participants{Women: 3, Men: 2}}}))).GetActivity()

		type expect struct {
			// G1 (active): update delete createProject readBudget manageBudget recordExp verifyExp history
			grant string
			// FPA: update delete createGrant history
			agreement string
			// P1 (A takes part): update delete manageResults logActivities history
			project string
			// the milestone of G1 A is responsible for, open: update delete submit accept
			milestone string
			// the activity of P1: update
			activity string
			// organisation A: update delete history
			organisation string
			// the session: createGrants manageOrganisations manageUsers manageRates logActivities readRecordHistory manageAdmins manageBudgetTemplates
			session string
		}
		for _, c := range []struct {
			name string
			c    *rpctest.Clients
			want expect
		}{
			{"admin", &e.Clients, expect{"Y.YYYYYY", "YYYY", "YYYYY", "YYY.", "Y", "YYY", "YYYYYYYY"}},
			{"coordinator of L", e.As(t, rpctest.Member(actor.RoleCoordinator, l)),
				expect{"Y.YYYY.Y", "YYYY", "YYYYY", "YYY.", "Y", "YYY", "YYYYYY.Y"}},
			{"coordinator of L limited to G1", e.As(t, rpctest.Member(actor.RoleCoordinator, l, g1ID)),
				expect{"Y.YYYY.Y", "...Y", "YYYYY", "YYY.", "Y", "YYY", ".YYYYY.Y"}},
			{"finance of L", e.As(t, rpctest.Member(actor.RoleFinance, l)),
				expect{"...YYYY.", "....", ".....", "....", ".", "...", "...Y...."}},
			{"finance of L2 limited to G1", e.As(t, rpctest.Member(actor.RoleFinance, l2, g1ID)),
				expect{"...YYYY.", "....", ".....", "....", ".", "...", "...Y...."}},
			{"auditor of G1", e.As(t, rpctest.Member(actor.RoleAuditor, l, g1ID)),
				expect{"...Y...Y", "....", "....Y", "....", ".", "...", "........"}},
			{"partner editor of A", e.As(t, rpctest.Member(actor.RolePartnerEditor, projectOrgID(w.pa))),
				expect{".....Y..", "....", "...Y.", "..Y.", "Y", "...", "....Y..."}},
		} {
			t.Run(c.name, func(t *testing.T) {
				g := must(c.c.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: w.g1}))).GetGrant()
				a := must(c.c.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: w.fpa}))).GetFrameworkAgreement()
				p := must(c.c.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: w.p1}))).GetProject()
				ms := must(c.c.Milestones.GetMilestone(ctx, connect.NewRequest(&pactumv1.GetMilestoneRequest{Name: m.GetName()}))).GetMilestone()
				ac := must(c.c.Activities.GetActivity(ctx, connect.NewRequest(&pactumv1.GetActivityRequest{Name: act.GetName()}))).GetActivity()
				o := must(c.c.Organisations.GetOrganisation(ctx, connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: w.pa.GetName()}))).GetOrganisation()
				s := must(c.c.Auth.GetSession(ctx, connect.NewRequest(&pactumv1.GetSessionRequest{}))).GetPermissions()
				got := expect{
					grant: flags(g.GetCallerCanUpdate(), g.GetCallerCanDelete(), g.GetCallerCanCreateProject(), g.GetCallerCanReadBudget(),
						g.GetCallerCanManageBudget(), g.GetCallerCanRecordExpenditures(), g.GetCallerCanVerifyExpenditures(), g.GetCallerCanReadHistory()),
					agreement: flags(a.GetCallerCanUpdate(), a.GetCallerCanDelete(), a.GetCallerCanCreateGrant(), a.GetCallerCanReadHistory()),
					project: flags(p.GetCallerCanUpdate(), p.GetCallerCanDelete(), p.GetCallerCanManageResults(), p.GetCallerCanLogActivities(),
						p.GetCallerCanReadHistory()),
					milestone:    flags(ms.GetCallerCanUpdate(), ms.GetCallerCanDelete(), ms.GetCallerCanSubmit(), ms.GetCallerCanAccept()),
					activity:     flags(ac.GetCallerCanUpdate()),
					organisation: flags(o.GetCallerCanUpdate(), o.GetCallerCanDelete(), o.GetCallerCanReadHistory()),
					session: flags(s.GetCreateGrants(), s.GetManageOrganisations(), s.GetManageUsers(), s.GetManageExchangeRates(),
						s.GetLogActivities(), s.GetReadRecordHistory(), s.GetManageAdmins(), s.GetManageBudgetTemplates()),
				}
				if got != c.want {
					t.Errorf("caller_can:\n got %+v\nwant %+v", got, c.want)
				}
				// Lists answer the same as Get.
				list := must(c.c.Grants.ListGrants(ctx, connect.NewRequest(&pactumv1.ListGrantsRequest{})))
				for _, lg := range list.GetGrants() {
					if lg.GetName() == w.g1 && (lg.GetCallerCanUpdate() != g.GetCallerCanUpdate() || lg.GetCallerCanRecordExpenditures() != g.GetCallerCanRecordExpenditures()) {
						t.Errorf("ListGrants and GetGrant disagree on %s", w.g1)
					}
				}
				// What the fields promise, the server keeps: a change said
				// possible goes through, one said impossible is refused.
				_, err := c.c.Milestones.UpdateMilestone(ctx, connect.NewRequest(&pactumv1.UpdateMilestoneRequest{
					Milestone: &pactumv1.Milestone{Name: ms.GetName(), Etag: ms.GetEtag(), Title: "Interim report (" + c.name + ")"}}))
				if (err == nil) != ms.GetCallerCanUpdate() {
					t.Errorf("caller_can_update %v on the milestone, and UpdateMilestone answered %v", ms.GetCallerCanUpdate(), err)
				}
				_, err = c.c.Activities.UpdateActivity(ctx, connect.NewRequest(&pactumv1.UpdateActivityRequest{
					Activity: &pactumv1.Activity{Name: ac.GetName(), Etag: ac.GetEtag(), Title: "Training (" + c.name + ")"}}))
				if (err == nil) != ac.GetCallerCanUpdate() {
					t.Errorf("caller_can_update %v on the activity, and UpdateActivity answered %v", ac.GetCallerCanUpdate(), err)
				}
				_, err = w.createProject(c.c, w.g1, fmt.Sprintf("X%d", len(c.name)), w.pb, "NP")
				if (err == nil) != g.GetCallerCanCreateProject() {
					t.Errorf("caller_can_create_project %v on G1, and CreateProject answered %v", g.GetCallerCanCreateProject(), err)
				}
			})
		}

		// The state narrows what policy allows: a draft grant may be
		// deleted; a submitted milestone is accepted, no longer submitted.
		coord := e.As(t, rpctest.Member(actor.RoleCoordinator, l))
		draft := must(coord.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: w.g1b}))).GetGrant()
		if !draft.GetCallerCanDelete() || !draft.GetCallerCanUpdate() {
			t.Errorf("a coordinator of L on draft G1b: delete %v update %v", draft.GetCallerCanDelete(), draft.GetCallerCanUpdate())
		}
		sub := must(coord.Milestones.SubmitMilestone(ctx, connect.NewRequest(&pactumv1.SubmitMilestoneRequest{Name: m.GetName()}))).GetMilestone()
		if got := flags(sub.GetCallerCanUpdate(), sub.GetCallerCanDelete(), sub.GetCallerCanSubmit(), sub.GetCallerCanAccept()); got != "...Y" {
			t.Errorf("a submitted milestone, for its coordinator: %s, want ...Y", got)
		}
		// Another lead's coordinator manages G2, not G1.
		other := e.As(t, rpctest.Member(actor.RoleCoordinator, l2))
		g2 := must(other.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: w.g2}))).GetGrant()
		if !g2.GetCallerCanUpdate() || !g2.GetCallerCanCreateProject() {
			t.Errorf("the coordinator of L2 on G2: update %v create project %v", g2.GetCallerCanUpdate(), g2.GetCallerCanCreateProject())
		}
		rpctest.ExpectCode(t, errOf(other.Grants.GetGrant(ctx, connect.NewRequest(&pactumv1.GetGrantRequest{Name: w.g1}))), connect.CodeNotFound)
	})
}

func errOf[T any](_ *connect.Response[T], err error) error { return err }

// An expenditure's caller_can_* follow its status and who keeps the money:
// the grant's finance managers change any draft, a partner's editor only
// their organisation's on a line allocated to it; finance staff verify
// submitted ones; a finance membership limited to G1 counts as G1's.
func TestExpenditureCallerCan(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		w := f.exm(t)
		submitted := f.exmExpenditure(t, w.lineA, "submitted")
		roles := map[string]*rpctest.Clients{
			"finance limited to G1": e.As(t, rpctest.Member(actor.RoleFinance, id(f.lead2), id(f.g1))),
		}
		for k, v := range f.roles {
			roles[k] = v
		}
		// update delete submit verify, for A's draft, B's draft and A's submitted one.
		for who, want := range map[string][3]string{
			"admin":                 {"YYY.", "YYY.", "...Y"},
			"coordinator":           {"YYY.", "YYY.", "...."},
			"finance":               {"YYY.", "YYY.", "...Y"},
			"finance limited to G1": {"YYY.", "YYY.", "...Y"},
			"auditor":               {"....", "....", "...."},
			"editorA":               {"YYY.", "", "...."}, // B's is hidden from A
			"viewerA":               {"....", "", "...."},
		} {
			c := roles[who]
			if c == nil {
				t.Fatalf("no role %q", who)
			}
			for i, name := range []string{w.expA, w.expB, submitted} {
				res, err := c.Expenditures.GetExpenditure(ctx, connect.NewRequest(&pactumv1.GetExpenditureRequest{Name: name}))
				if want[i] == "" {
					rpctest.ExpectCode(t, err, connect.CodeNotFound)
					continue
				}
				if err != nil {
					t.Fatalf("%s reads %s: %v", who, name, err)
				}
				x := res.Msg.GetExpenditure()
				if got := flags(x.GetCallerCanUpdate(), x.GetCallerCanDelete(), x.GetCallerCanSubmit(), x.GetCallerCanVerify()); got != want[i] {
					t.Errorf("%s on expenditure %d: %s, want %s", who, i, got, want[i])
				}
			}
		}
		// The list answers as Get does.
		res := must(roles["editorA"].Expenditures.ListExpenditures(ctx, connect.NewRequest(&pactumv1.ListExpendituresRequest{Parent: f.g1, PageSize: 1000})))
		for _, x := range res.GetExpenditures() {
			if x.GetName() == w.expA && !x.GetCallerCanUpdate() {
				t.Errorf("A's editor may not change A's draft, says the list")
			}
		}
	})
}
