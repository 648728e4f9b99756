package rpc_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// oaWorld is a partnership seen by callers of every role:
//
//   - fpa: donor with lead, and grant g1 under it, whose project p1 has
//     partnerA as its participant;
//   - otherFPA: donor with otherLead, and grant g2 under it (no projects);
//   - partnerB and auditFirm take part in nothing (auditFirm employs the auditor).
type oaWorld struct {
	e                                                     *rpctest.Env
	donor, lead, otherLead, partnerA, partnerB, auditFirm *pactumv1.Organisation
	fpa, otherFPA                                         *pactumv1.FrameworkAgreement
	g1, g2                                                string // grant ids

	admin, coordinator, otherCoordinator, limitedCoordinator, finance, auditor, editor *rpctest.Clients
}

func oaID(name string) string {
	_, id, _ := strings.Cut(name, "/")
	return id
}

func newOAWorld(t *testing.T, e *rpctest.Env) *oaWorld {
	t.Helper()
	w := &oaWorld{e: e, admin: &e.Clients}
	w.donor = createOrg(t, e, newOrg("European Commission", "EC", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_DONOR))
	w.lead = createOrg(t, e, newOrg("Global Solidarity Network", "GSN", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_LEAD))
	w.otherLead = createOrg(t, e, newOrg("Nepal Trade Union Centre", "NTUC", "NP", pactumv1.OrganisationKind_ORGANISATION_KIND_MEMBER))
	w.partnerA = createOrg(t, e, newOrg("Kenya Domestic Workers Union", "KDWU", "KE", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
	w.partnerB = createOrg(t, e, newOrg("Coopérative des Femmes de Thiès", "CFT", "SN", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER))
	w.auditFirm = createOrg(t, e, newOrg("Brussels Audit Partners", "BAP", "BE", pactumv1.OrganisationKind_ORGANISATION_KIND_AFFILIATE))

	w.fpa = mustCreateAgreement(t, e, &pactumv1.FrameworkAgreement{
		Reference: "FPA 2015/001", Title: "Decent work", Donor: w.donor.GetName(), LeadOrganisation: w.lead.GetName(),
		StartDate: "2015-04-01", EndDate: "2030-12-31", CurrencyCode: "EUR",
	})
	w.otherFPA = mustCreateAgreement(t, e, &pactumv1.FrameworkAgreement{
		Reference: "FPA 2018/007", Title: "Social dialogue", Donor: w.donor.GetName(), LeadOrganisation: w.otherLead.GetName(),
		StartDate: "2018-01-01", EndDate: "2028-12-31", CurrencyCode: "EUR",
	})
	w.g1 = w.insertGrant(t, w.fpa, w.lead, "SGA/2025/1")
	w.g2 = w.insertGrant(t, w.otherFPA, w.otherLead, "SGA/2025/2")
	project := resource.NewID()
	w.exec(t, `INSERT INTO projects (id, grant_id, code, title, version, create_time, update_time)
		VALUES (?, ?, 'P1', 'Organising domestic workers', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, project, w.g1)
	w.exec(t, `INSERT INTO project_participants (project_id, organisation_id, role, position) VALUES (?, ?, 'coordinator', 0)`,
		project, oaID(w.partnerA.GetName()))

	w.coordinator = e.As(t, rpctest.Member(actor.RoleCoordinator, oaID(w.lead.GetName())))
	w.otherCoordinator = e.As(t, rpctest.Member(actor.RoleCoordinator, oaID(w.otherLead.GetName())))
	w.limitedCoordinator = e.As(t, rpctest.Member(actor.RoleCoordinator, oaID(w.lead.GetName()), w.g1))
	w.finance = e.As(t, rpctest.Member(actor.RoleFinance, oaID(w.lead.GetName())))
	w.auditor = e.As(t, rpctest.Member(actor.RoleAuditor, oaID(w.auditFirm.GetName()), w.g2))
	w.editor = e.As(t, rpctest.Member(actor.RolePartnerEditor, oaID(w.partnerA.GetName())))
	return w
}

func (w *oaWorld) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := w.e.DB.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

func (w *oaWorld) insertGrant(t *testing.T, fpa *pactumv1.FrameworkAgreement, lead *pactumv1.Organisation, ref string) string {
	t.Helper()
	id := resource.NewID()
	w.exec(t, `INSERT INTO grants
		(id, framework_agreement_id, donor_id, lead_organisation_id, donor_reference, title, currency_code, start_date, end_date,
		 total_eligible_costs, max_donor_contribution, co_financing_rate_bp, reporting_period_months,
		 interim_report_due_days, final_report_due_months, state, version, create_time, update_time)
		VALUES (?, ?, ?, ?, ?, 'Decent work for domestic workers', 'EUR', '2025-01-01', '2027-12-31',
		 111111111, 100000000, 9000, 12, 60, 3, 'active', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		id, oaID(fpa.GetName()), oaID(w.donor.GetName()), oaID(lead.GetName()), ref)
	return id
}

// oaShortNames lists, sorted, the short names of the organisations c sees.
func oaShortNames(t *testing.T, c *rpctest.Clients) string {
	t.Helper()
	res, err := c.Organisations.ListOrganisations(context.Background(), connect.NewRequest(&pactumv1.ListOrganisationsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range res.Msg.GetOrganisations() {
		out = append(out, o.GetShortName())
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// oaReferences lists, sorted, the references of the agreements c sees.
func oaReferences(t *testing.T, c *rpctest.Clients) string {
	t.Helper()
	res, err := c.Agreements.ListFrameworkAgreements(context.Background(), connect.NewRequest(&pactumv1.ListFrameworkAgreementsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range res.Msg.GetFrameworkAgreements() {
		out = append(out, a.GetReference())
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// oaEventCount counts the audit events about resource name.
func oaEventCount(t *testing.T, e *rpctest.Env, name string) int {
	t.Helper()
	n, err := e.DB.NewSelect().Model((*audit.Event)(nil)).Where("resource = ?", name).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAccessOrganisations(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newOAWorld(t, e)
		all := "BAP CFT EC GSN KDWU NTUC"
		callers := []struct {
			name   string
			c      *rpctest.Clients
			sees   string // short names, sorted
			writes bool   // may create, update and delete organisations
		}{
			{"admin", w.admin, all, true},
			{"coordinator of the lead", w.coordinator, all, true},
			{"coordinator limited to a grant", w.limitedCoordinator, all, true},
			// Their own organisation, the donor and lead of the grants they
			// read and the participants of those grants' projects.
			{"finance of the lead", w.finance, "EC GSN KDWU", false},
			{"auditor of g2", w.auditor, "BAP EC NTUC", false},
			{"partner editor of KDWU", w.editor, "EC GSN KDWU", false},
		}
		orgs := []*pactumv1.Organisation{w.donor, w.lead, w.otherLead, w.partnerA, w.partnerB, w.auditFirm}
		for _, cl := range callers {
			t.Run(cl.name, func(t *testing.T) {
				if got := oaShortNames(t, cl.c); got != cl.sees {
					t.Fatalf("List sees %q, want %q", got, cl.sees)
				}
				// A filter narrows the scope; it never widens it.
				res, err := cl.c.Organisations.ListOrganisations(ctx, connect.NewRequest(&pactumv1.ListOrganisationsRequest{CountryCode: "SN"}))
				rpctest.ExpectCode(t, err, 0)
				if n, want := len(res.Msg.GetOrganisations()), strings.Count(cl.sees, "CFT"); n != want {
					t.Fatalf("List in SN: %d organisations, want %d", n, want)
				}
				for _, o := range orgs {
					visible := strings.Contains(" "+cl.sees+" ", " "+o.GetShortName()+" ")
					got, err := cl.c.Organisations.GetOrganisation(ctx, connect.NewRequest(&pactumv1.GetOrganisationRequest{Name: o.GetName()}))
					if !visible {
						rpctest.ExpectCode(t, err, connect.CodeNotFound)
					} else {
						rpctest.ExpectCode(t, err, 0)
						if got.Msg.GetOrganisation().GetName() != o.GetName() {
							t.Fatalf("Get %s answered %s", o.GetName(), got.Msg.GetOrganisation().GetName())
						}
					}
					// A write by a caller who may not read the organisation is
					// NOT_FOUND, by one who may read but not write it is
					// PERMISSION_DENIED, and either way it leaves no event.
					want := connect.CodeNotFound
					if visible {
						want = connect.CodePermissionDenied
					}
					if cl.writes {
						continue
					}
					before := oaEventCount(t, e, o.GetName())
					_, err = cl.c.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
						Organisation: &pactumv1.Organisation{Name: o.GetName(), Etag: e.ETag(o.GetName()), ShortName: "HACKED"},
					}))
					rpctest.ExpectCode(t, err, want)
					// A stale etag: were the permission check missing, the
					// answer would be ABORTED and nothing would be deleted.
					_, err = cl.c.Organisations.DeleteOrganisation(ctx, connect.NewRequest(&pactumv1.DeleteOrganisationRequest{Name: o.GetName(), Etag: `"zz"`}))
					rpctest.ExpectCode(t, err, want)
					if n := oaEventCount(t, e, o.GetName()); n != before {
						t.Fatalf("%d events about %s after refused writes, want %d", n, o.GetName(), before)
					}
				}
				created, err := cl.c.Organisations.CreateOrganisation(ctx, connect.NewRequest(&pactumv1.CreateOrganisationRequest{
					Organisation: newOrg("Union of "+cl.name, "U", "PH", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER),
				}))
				if !cl.writes {
					rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
					return
				}
				rpctest.ExpectCode(t, err, 0)
				name := created.Msg.GetOrganisation().GetName()
				up, err := cl.c.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
					Organisation: &pactumv1.Organisation{Name: name, Etag: e.ETag(name), ShortName: "UU"},
				}))
				rpctest.ExpectCode(t, err, 0)
				// Removed again, so that the next caller's view is unchanged.
				_, err = cl.c.Organisations.DeleteOrganisation(ctx, connect.NewRequest(&pactumv1.DeleteOrganisationRequest{
					Name: name, Etag: up.Msg.GetOrganisation().GetEtag(),
				}))
				rpctest.ExpectCode(t, err, 0)
				if n := oaEventCount(t, e, name); n != 3 {
					t.Fatalf("%d events about %s, want create, update and delete", n, name)
				}
			})
		}
		if got := oaShortNames(t, w.admin); strings.Contains(got, "HACKED") {
			t.Fatalf("a refused update changed a name: %s", got)
		}
		if n := countRows(t, e, "organisations"); n != 6 {
			t.Fatalf("%d organisations, want the 6 seeded (those created were deleted)", n)
		}
	})
}

func TestAccessAgreements(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newOAWorld(t, e)
		callers := []struct {
			name    string
			c       *rpctest.Clients
			sees    string // references, sorted
			changes string // references it may change
			leads   string // names of the organisations it may create agreements for
		}{
			{"admin", w.admin, "FPA 2015/001 FPA 2018/007", "FPA 2015/001 FPA 2018/007",
				w.lead.GetName() + " " + w.otherLead.GetName() + " " + w.partnerB.GetName()},
			{"coordinator of the lead", w.coordinator, "FPA 2015/001", "FPA 2015/001", w.lead.GetName()},
			{"coordinator of the other lead", w.otherCoordinator, "FPA 2018/007", "FPA 2018/007", w.otherLead.GetName()},
			// Sees the agreement of its grant, but may not change agreements.
			{"coordinator limited to g1", w.limitedCoordinator, "FPA 2015/001", "", ""},
			{"finance of the lead", w.finance, "FPA 2015/001", "", ""},
			{"auditor of g2", w.auditor, "FPA 2018/007", "", ""},
			{"partner editor of KDWU", w.editor, "FPA 2015/001", "", ""},
		}
		agreements := []*pactumv1.FrameworkAgreement{w.fpa, w.otherFPA}
		for _, cl := range callers {
			t.Run(cl.name, func(t *testing.T) {
				if got := oaReferences(t, cl.c); got != cl.sees {
					t.Fatalf("List sees %q, want %q", got, cl.sees)
				}
				res, err := cl.c.Agreements.ListFrameworkAgreements(ctx, connect.NewRequest(&pactumv1.ListFrameworkAgreementsRequest{
					LeadOrganisation: w.otherLead.GetName()}))
				rpctest.ExpectCode(t, err, 0)
				if n, want := len(res.Msg.GetFrameworkAgreements()), strings.Count(cl.sees, "FPA 2018/007"); n != want {
					t.Fatalf("List led by NTUC: %d agreements, want %d", n, want)
				}
				for _, a := range agreements {
					visible := strings.Contains(cl.sees, a.GetReference())
					_, err := cl.c.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: a.GetName()}))
					if visible {
						rpctest.ExpectCode(t, err, 0)
					} else {
						rpctest.ExpectCode(t, err, connect.CodeNotFound)
					}
					if strings.Contains(cl.changes, a.GetReference()) {
						_, err = cl.c.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.UpdateFrameworkAgreementRequest{
							FrameworkAgreement: &pactumv1.FrameworkAgreement{Name: a.GetName(), Etag: e.ETag(a.GetName()), Title: "Decent work, as amended by " + cl.name},
						}))
						rpctest.ExpectCode(t, err, 0)
						continue
					}
					want := connect.CodeNotFound
					if visible {
						want = connect.CodePermissionDenied
					}
					before := oaEventCount(t, e, a.GetName())
					_, err = cl.c.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.UpdateFrameworkAgreementRequest{
						FrameworkAgreement: &pactumv1.FrameworkAgreement{Name: a.GetName(), Etag: e.ETag(a.GetName()), Title: "HACKED"},
					}))
					rpctest.ExpectCode(t, err, want)
					_, err = cl.c.Agreements.DeleteFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.DeleteFrameworkAgreementRequest{Name: a.GetName(), Etag: `"zz"`}))
					rpctest.ExpectCode(t, err, want)
					if n := oaEventCount(t, e, a.GetName()); n != before {
						t.Fatalf("%d events about %s after refused writes, want %d", n, a.GetName(), before)
					}
				}
				// Creation: allowed only for a lead the caller coordinates for.
				for _, lead := range []*pactumv1.Organisation{w.lead, w.otherLead, w.partnerB} {
					created, err := cl.c.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.CreateFrameworkAgreementRequest{
						FrameworkAgreement: &pactumv1.FrameworkAgreement{
							Reference: "FPA by " + cl.name + " for " + lead.GetShortName(), Title: "New", Donor: w.donor.GetName(),
							LeadOrganisation: lead.GetName(), StartDate: "2026-01-01", EndDate: "2029-12-31", CurrencyCode: "EUR",
						},
					}))
					switch {
					case !strings.Contains(cl.leads, lead.GetName()):
						rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
					case lead == w.partnerB:
						// Past the permission check, the rules still apply:
						// a local partner cannot lead an agreement.
						rpctest.ExpectViolation(t, err, "framework_agreement.lead_organisation")
					default:
						rpctest.ExpectCode(t, err, 0)
						// Removed again, so that the next caller's view is unchanged.
						a := created.Msg.GetFrameworkAgreement()
						_, err = cl.c.Agreements.DeleteFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.DeleteFrameworkAgreementRequest{
							Name: a.GetName(), Etag: a.GetEtag()}))
						rpctest.ExpectCode(t, err, 0)
						if n := oaEventCount(t, e, a.GetName()); n != 2 {
							t.Fatalf("%d events about %s, want create and delete", n, a.GetName())
						}
					}
				}
			})
		}
		if n := countRows(t, e, "framework_agreements"); n != 2 {
			t.Fatalf("%d agreements, want the 2 seeded (those created were deleted)", n)
		}
		var hacked int
		if err := e.DB.NewRaw("SELECT COUNT(*) FROM framework_agreements WHERE title = 'HACKED'").Scan(ctx, &hacked); err != nil || hacked != 0 {
			t.Fatalf("%d agreements changed by refused updates (%v)", hacked, err)
		}
	})
}

// A coordinator may move an agreement only to a lead they coordinate for too.
func TestAccessAgreementLeadChange(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newOAWorld(t, e)
		fresh := mustCreateAgreement(t, e, &pactumv1.FrameworkAgreement{
			Reference: "FPA 2020/003", Title: "Youth employment", Donor: w.donor.GetName(), LeadOrganisation: w.lead.GetName(),
			StartDate: "2020-01-01", EndDate: "2024-12-31", CurrencyCode: "EUR",
		})
		move := func(c *rpctest.Clients) error {
			_, err := c.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.UpdateFrameworkAgreementRequest{
				FrameworkAgreement: &pactumv1.FrameworkAgreement{Name: fresh.GetName(), Etag: e.ETag(fresh.GetName()), LeadOrganisation: w.otherLead.GetName()},
			}))
			return err
		}
		err := move(w.coordinator)
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		if !strings.Contains(err.Error(), w.otherLead.GetName()) {
			t.Fatalf("error %v does not name the lead the caller may not choose", err)
		}
		rpctest.ExpectCode(t, move(w.otherCoordinator), connect.CodeNotFound)
		both := e.As(t, rpctest.Member(actor.RoleCoordinator, oaID(w.lead.GetName())), rpctest.Member(actor.RoleCoordinator, oaID(w.otherLead.GetName())))
		rpctest.ExpectCode(t, move(both), 0)
		// Now the other lead's coordinator holds it, and the first no longer sees it.
		_, err = w.otherCoordinator.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: fresh.GetName()}))
		rpctest.ExpectCode(t, err, 0)
		_, err = w.coordinator.Agreements.GetFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.GetFrameworkAgreementRequest{Name: fresh.GetName()}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
	})
}

// oaChangesOf returns an event's changes by field.
func oaChangesOf(ev audit.Event) map[string]audit.Change {
	out := map[string]audit.Change{}
	for _, c := range ev.ChangeList() {
		out[c.Field] = c
	}
	return out
}

func oaEventsAbout(t *testing.T, e *rpctest.Env, name string) []audit.Event {
	t.Helper()
	var evs []audit.Event
	if err := e.DB.NewSelect().Model(&evs).Where("resource = ?", name).OrderExpr("seq ASC").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return evs
}

// oaExpectTrail fails unless the events about a resource are create, update
// and delete by actor, the update changing exactly field from old to new.
func oaExpectTrail(t *testing.T, evs []audit.Event, actorName, field, oldValue, newValue string, created map[string]string) {
	t.Helper()
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action)
		if ev.Actor != actorName {
			t.Errorf("event %d (%s) by %q, want %q", ev.Seq, ev.Action, ev.Actor, actorName)
		}
		if ev.GrantID != nil {
			t.Errorf("event %d (%s) has grant %q, want none", ev.Seq, ev.Action, *ev.GrantID)
		}
	}
	if got := strings.Join(actions, " "); got != "create update delete" {
		t.Fatalf("actions %q, want create update delete", got)
	}
	create, update, del := oaChangesOf(evs[0]), oaChangesOf(evs[1]), oaChangesOf(evs[2])
	for f, v := range created {
		if c := create[f]; c.Old != "" || c.New != v {
			t.Errorf("create records %s as %q -> %q, want \"\" -> %q", f, c.Old, c.New, v)
		}
		if c := del[f]; c.New != "" {
			t.Errorf("delete records %s as %q -> %q, want its last value -> \"\"", f, c.Old, c.New)
		}
	}
	if len(update) != 1 || update[field].Old != oldValue || update[field].New != newValue {
		t.Errorf("update records %v, want only %s: %q -> %q", evs[1].ChangeList(), field, oldValue, newValue)
	}
	if c := del[field]; c.Old != newValue {
		t.Errorf("delete records %s as %q, want its last value %q", field, c.Old, newValue)
	}
	for _, f := range []string{"version", "update_time", "create_time", "search_name"} {
		if _, ok := create[f]; ok {
			t.Errorf("create records bookkeeping column %s", f)
		}
	}
}

func TestAuditOrganisationChanges(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newOAWorld(t, e)
		c := w.coordinator
		req := &pactumv1.CreateOrganisationRequest{
			Organisation: newOrg("Philippine Domestic Workers", "PDW", "PH", pactumv1.OrganisationKind_ORGANISATION_KIND_LOCAL_PARTNER),
			RequestId:    "5f0c6f7e-2a8b-4c3e-9d1a-6b7c8d9e0f12",
		}
		res, err := c.Organisations.CreateOrganisation(ctx, connect.NewRequest(req))
		rpctest.ExpectCode(t, err, 0)
		o := res.Msg.GetOrganisation()
		// A retry answers the same organisation and records nothing more.
		res, err = c.Organisations.CreateOrganisation(ctx, connect.NewRequest(req))
		rpctest.ExpectCode(t, err, 0)
		if res.Msg.GetOrganisation().GetName() != o.GetName() || oaEventCount(t, e, o.GetName()) != 1 {
			t.Fatalf("retry: %s with %d events, want %s with 1", res.Msg.GetOrganisation().GetName(), oaEventCount(t, e, o.GetName()), o.GetName())
		}
		// An invalid update changes nothing and records nothing.
		_, err = c.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
			Organisation: &pactumv1.Organisation{Name: o.GetName(), Etag: e.ETag(o.GetName()), CountryCode: "XX"},
		}))
		rpctest.ExpectViolation(t, err, "organisation.country_code")
		if n := oaEventCount(t, e, o.GetName()); n != 1 {
			t.Fatalf("%d events after a failed update, want 1", n)
		}
		up, err := c.Organisations.UpdateOrganisation(ctx, connect.NewRequest(&pactumv1.UpdateOrganisationRequest{
			Organisation: &pactumv1.Organisation{Name: o.GetName(), ShortName: "PDWU", Etag: o.GetEtag()},
		}))
		rpctest.ExpectCode(t, err, 0)
		_, err = c.Organisations.DeleteOrganisation(ctx, connect.NewRequest(&pactumv1.DeleteOrganisationRequest{
			Name: o.GetName(), Etag: up.Msg.GetOrganisation().GetEtag(),
		}))
		rpctest.ExpectCode(t, err, 0)
		oaExpectTrail(t, oaEventsAbout(t, e, o.GetName()), "users/"+c.UserID, "short_name", "PDW", "PDWU",
			map[string]string{"display_name": "Philippine Domestic Workers", "kind": "local_partner", "country_code": "PH", "region": "asia"})
		if res, err := audit.Verify(ctx, e.DB, dbtest.AuditKey, nil); err != nil || !res.OK() {
			t.Fatalf("audit chain: %+v (%v)", res, err)
		}
	})
}

func TestAuditAgreementChanges(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		w := newOAWorld(t, e)
		c := w.coordinator
		req := &pactumv1.CreateFrameworkAgreementRequest{
			FrameworkAgreement: &pactumv1.FrameworkAgreement{
				Reference: "FPA 2026/010", Title: "Just transition", Donor: w.donor.GetName(), LeadOrganisation: w.lead.GetName(),
				StartDate: "2026-01-01", EndDate: "2029-12-31", CurrencyCode: "EUR",
			},
			RequestId: "0d9a4c1e-7b3f-4a2e-8c5d-1e2f3a4b5c6d",
		}
		res, err := c.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(req))
		rpctest.ExpectCode(t, err, 0)
		a := res.Msg.GetFrameworkAgreement()
		res, err = c.Agreements.CreateFrameworkAgreement(ctx, connect.NewRequest(req))
		rpctest.ExpectCode(t, err, 0)
		if res.Msg.GetFrameworkAgreement().GetName() != a.GetName() || oaEventCount(t, e, a.GetName()) != 1 {
			t.Fatalf("retry: %s with %d events, want %s with 1", res.Msg.GetFrameworkAgreement().GetName(), oaEventCount(t, e, a.GetName()), a.GetName())
		}
		_, err = c.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.UpdateFrameworkAgreementRequest{
			FrameworkAgreement: &pactumv1.FrameworkAgreement{Name: a.GetName(), Etag: e.ETag(a.GetName()), EndDate: "2025-12-31"},
		}))
		rpctest.ExpectViolation(t, err, "framework_agreement.end_date")
		if n := oaEventCount(t, e, a.GetName()); n != 1 {
			t.Fatalf("%d events after a failed update, want 1", n)
		}
		up, err := c.Agreements.UpdateFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.UpdateFrameworkAgreementRequest{
			FrameworkAgreement: &pactumv1.FrameworkAgreement{Name: a.GetName(), EndDate: "2030-06-30", Etag: a.GetEtag()},
		}))
		rpctest.ExpectCode(t, err, 0)
		_, err = c.Agreements.DeleteFrameworkAgreement(ctx, connect.NewRequest(&pactumv1.DeleteFrameworkAgreementRequest{
			Name: a.GetName(), Etag: up.Msg.GetFrameworkAgreement().GetEtag(),
		}))
		rpctest.ExpectCode(t, err, 0)
		oaExpectTrail(t, oaEventsAbout(t, e, a.GetName()), "users/"+c.UserID, "end_date", "2029-12-31", "2030-06-30",
			map[string]string{"reference": "FPA 2026/010", "title": "Just transition", "donor_id": oaID(w.donor.GetName()),
				"lead_organisation_id": oaID(w.lead.GetName()), "start_date": "2026-01-01", "currency_code": "EUR"})
		if res, err := audit.Verify(ctx, e.DB, dbtest.AuditKey, nil); err != nil || !res.OK() {
			t.Fatalf("audit chain: %+v (%v)", res, err)
		}
	})
}
