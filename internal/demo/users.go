package demo

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/identity"
)

// User is a demo user and the password it was given.
type User struct {
	Email, Password, Role, Organisation string
}

// Users creates one demo user per role on the demo data: an admin; a
// coordinator and a finance officer of the lead network; a partner editor of
// the Kenyan domestic workers' union; a partner viewer of the Nepalese
// migrant workers' forum; an auditor of the first grant. The passwords are
// fixed and printed: demo data is for trying Pactum out, never for real use.
func Users(ctx context.Context, d *bun.DB, data *Data) ([]User, error) {
	ctx = actor.SystemContext(ctx)
	ids := identity.NewService(d)
	org := func(short string) *string { id := data.Organisations[short].ID; return &id }
	specs := []struct {
		email, name, password string
		m                     identity.Membership
		orgName               string
	}{
		{"admin@demo.pactum.example", "Ada Admin", "demo-admin-pass", identity.Membership{Role: actor.RoleAdmin}, "(installation)"},
		{"coordinator@demo.pactum.example", "Hélène Dubois", "demo-coordinator-pass", identity.Membership{Role: actor.RoleCoordinator, OrganisationID: org("GADW")}, "GADW (Brussels)"},
		{"finance@demo.pactum.example", "Pieter Janssens", "demo-finance-pass", identity.Membership{Role: actor.RoleFinance, OrganisationID: org("GADW")}, "GADW (Brussels)"},
		{"partner.kenya@demo.pactum.example", "Wanjiku Kamau", "demo-partner-pass", identity.Membership{Role: actor.RolePartnerEditor, OrganisationID: org("UDWU")}, "UDWU (Kenya)"},
		{"viewer.nepal@demo.pactum.example", "Sita Gurung", "demo-viewer-pass", identity.Membership{Role: actor.RolePartnerViewer, OrganisationID: org("HMWF")}, "HMWF (Nepal)"},
		{"auditor@demo.pactum.example", "Marc Lefèvre", "demo-auditor-pass", identity.Membership{Role: actor.RoleAuditor, OrganisationID: org("GADW"), GrantIDs: []string{data.Grants[0].ID}}, "GADW, grant " + data.Grants[0].DonorReference},
	}
	var out []User
	for _, s := range specs {
		if _, err := ids.CreateUser(ctx, identity.NewUser{Email: s.email, DisplayName: s.name, Password: s.password,
			Memberships: []identity.Membership{s.m}}); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", s.email, err)
		}
		out = append(out, User{Email: s.email, Password: s.password, Role: string(s.m.Role), Organisation: s.orgName})
	}
	return out, nil
}
