// Package demo seeds a realistic, fictional data set into an empty database:
// a Brussels-based network holding an EU framework partnership agreement, two
// grants under it, six projects with partner organisations in Kenya, Senegal,
// Nepal, the Philippines, Brazil and Bolivia, and their milestones. Dates are
// anchored to the year of "today", so the demo always looks current: one
// grant is in its last year, the other in its second.
package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/agreement"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/project"
)

var pageAll = page.Request{Size: page.MaxSize}

// organisationsData are the demo organisations: fictional, with
// example.org addresses.
var organisationsData = func() []organisation.Organisation {
	mk := func(name, short string, kind organisation.Kind, country, iati, person, city string) organisation.Organisation {
		o := organisation.Organisation{DisplayName: name, ShortName: short, Kind: kind, CountryCode: country,
			ContactPerson: person, Address: city}
		if iati != "" {
			o.IATIIdentifier = &iati
		}
		if kind != organisation.KindDonor {
			o.Email = "contact@" + strings.ToLower(short) + ".example.org"
			o.Website = "https://" + strings.ToLower(short) + ".example.org"
		}
		return o
	}
	return []organisation.Organisation{
		mk("European Commission, Directorate-General for International Partnerships", "EC-INTPA", organisation.KindDonor, "BE", "", "Unit G.2, Civil Society", "Rue de la Loi 41, 1049 Brussels"),
		mk("Global Alliance for Decent Work", "GADW", organisation.KindLead, "BE", "BE-BCE_KBO-0999999999", "Hélène Dubois", "Boulevard du Roi Albert II 5, 1210 Brussels"),
		mk("Umoja Domestic Workers Union", "UDWU", organisation.KindLocalPartner, "KE", "", "Wanjiku Kamau", "Ngong Road, Nairobi"),
		mk("Mombasa Port and Dock Workers Association", "MPWA", organisation.KindLocalPartner, "KE", "", "Hassan Omar", "Moi Avenue, Mombasa"),
		mk("Réseau des Travailleuses de Thiès", "RTT", organisation.KindLocalPartner, "SN", "", "Awa Ndiaye", "Quartier Randoulène, Thiès"),
		mk("Himalaya Migrant Workers Forum", "HMWF", organisation.KindMember, "NP", "", "Sita Gurung", "Baneshwor, Kathmandu"),
		mk("Bayanihan Seafarers Support Centre", "BSSC", organisation.KindLocalPartner, "PH", "", "Jose Reyes", "Port Area, Manila"),
		mk("Instituto Trabalho Digno do Nordeste", "ITD", organisation.KindAffiliate, "BR", "", "Ana Souza", "Boa Vista, Recife"),
		mk("Red Andina de Trabajadoras del Hogar", "RATH", organisation.KindLocalPartner, "BO", "", "Carmen Mamani", "Sopocachi, La Paz"),
	}
}()

// Data is what Seed created, for callers that build on it (demo users, tests).
type Data struct {
	Organisations map[string]*organisation.Organisation // by short name
	Agreement     *agreement.Agreement
	Grants        []*grant.Grant
	Projects      map[string]*project.Project // by code
}

// Seed fills an empty database with demo data, dated around today. It
// returns nil data, and does nothing, when organisations already exist.
func Seed(ctx context.Context, d *bun.DB, today calendar.Date) (*Data, error) {
	ctx = actor.SystemContext(ctx)
	n, err := d.NewSelect().Model((*organisation.Organisation)(nil)).Count(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, nil
	}
	orgs := organisation.NewService(d)
	agreements := agreement.NewService(d)
	grants := grant.NewService(d)
	projects := project.NewService(d)
	milestones := milestone.NewService(d)
	milestones.SetClock(today.Time)
	data := &Data{Organisations: map[string]*organisation.Organisation{}, Projects: map[string]*project.Project{}}

	for _, o := range organisationsData {
		o := o
		created, err := orgs.Create(ctx, &o, "")
		if err != nil {
			return nil, fmt.Errorf("organisation %s: %w", o.ShortName, err)
		}
		data.Organisations[o.ShortName] = created
	}
	org := func(short string) string { return data.Organisations[short].ID }

	y := today.Time().Year()
	data.Agreement, err = agreements.Create(ctx, agreement.Input{
		Reference: fmt.Sprintf("FPA/%d/412-006", y-4), Title: "Framework Partnership Agreement: Decent Work and Civic Space",
		DonorID: org("EC-INTPA"), LeadOrganisationID: org("GADW"),
		SignatureDate: fmt.Sprintf("%d-03-15", y-4), StartDate: fmt.Sprintf("%d-04-01", y-4), EndDate: fmt.Sprintf("%d-12-31", y+2),
		CurrencyCode: "EUR",
	}, "")
	if err != nil {
		return nil, fmt.Errorf("framework agreement: %w", err)
	}

	grantsData := []grant.Input{
		{
			DonorReference: fmt.Sprintf("CSO-LA/%d/451-203", y-3), Title: "Decent Work for Domestic and Migrant Workers",
			StartDate: fmt.Sprintf("%d-01-01", y-2), EndDate: fmt.Sprintf("%d-12-31", y),
			CoFinancingRate: "90",
		},
		{
			DonorReference: fmt.Sprintf("CSO-LA/%d/512-877", y-2), Title: "Organising in the Informal Economy",
			StartDate: fmt.Sprintf("%d-07-01", y-1), EndDate: fmt.Sprintf("%d-06-30", y+2),
			CoFinancingRate: "85",
		},
	}
	for i, in := range grantsData {
		in.FrameworkAgreementID, in.CurrencyCode, in.ReportingPeriodMonths = data.Agreement.ID, "EUR", 12
		in.IndirectCostRate = "7" // the flat rate of the Special Conditions
		// The contract's amounts are those of the budget annexed to it.
		_, _, total := budgetAmounts(grantBudgets[i])
		rate := decimal.RequireFromString(in.CoFinancingRate).Shift(-2)
		in.TotalEligibleCosts, in.MaxDonorContribution = total.StringFixed(2), total.Mul(rate).Truncate(2).StringFixed(2)
		g, err := grants.Create(ctx, in, "")
		if err != nil {
			return nil, fmt.Errorf("grant %s: %w", in.DonorReference, err)
		}
		if g, err = grants.Activate(ctx, g.ID, ""); err != nil {
			return nil, fmt.Errorf("activate grant %s: %w", in.DonorReference, err)
		}
		data.Grants = append(data.Grants, g)
	}

	for i, p := range projectsData {
		parts := []project.Participant{{OrganisationID: org(p.coordinator), Role: project.RoleCoordinator}}
		for _, o := range p.implementing {
			parts = append(parts, project.Participant{OrganisationID: org(o), Role: project.RoleCoBeneficiary})
		}
		parts = append(parts, project.Participant{OrganisationID: org("GADW"), Role: project.RoleAssociate})
		created, err := projects.Create(ctx, project.Input{
			GrantID: data.Grants[p.grant].ID, Code: p.code, Title: p.title, Description: p.description,
			CountryCodes: p.countries, Participants: parts,
		}, "")
		if err != nil {
			return nil, fmt.Errorf("project %s: %w", p.code, err)
		}
		data.Projects[p.code] = created

		// Partner progress updates: one due within the month, one next quarter.
		for q, days := range []int{8 + 3*i, 98 + 3*i} {
			due := today.AddDays(days)
			if _, err := milestones.Create(ctx, milestone.Input{
				GrantID: created.GrantID, ProjectID: created.ID, Kind: milestone.KindPartnerProgressUpdate,
				Title:           fmt.Sprintf("Progress update %s, quarter %d", p.code, q+1),
				PeriodStartDate: due.AddMonths(-3).AddDays(-14).String(), PeriodEndDate: due.AddDays(-15).String(),
				DueDate: due.String(), ResponsibleOrganisationID: org(p.coordinator),
			}, ""); err != nil {
				return nil, fmt.Errorf("progress update %s: %w", p.code, err)
			}
		}
	}

	// The first grant's interim reports that fell due were submitted, and
	// those more than a year old accepted. The second grant's first interim
	// reports are left open (overdue once their date has passed).
	list, _, err := milestones.List(ctx, milestone.Filter{GrantID: data.Grants[0].ID}, pageAll)
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		if m.Kind != milestone.KindInterimNarrativeReport && m.Kind != milestone.KindInterimFinancialReport {
			continue
		}
		if !m.DueDate.Before(today) {
			continue
		}
		if _, err := milestones.Submit(ctx, m.ID, ""); err != nil {
			return nil, fmt.Errorf("submit %s: %w", m.Title, err)
		}
		if m.DueDate.Before(today.AddMonths(-12)) {
			if _, err := milestones.Accept(ctx, m.ID, ""); err != nil {
				return nil, fmt.Errorf("accept %s: %w", m.Title, err)
			}
		}
	}
	if err := seedFinance(ctx, d, today, data); err != nil {
		return nil, err
	}
	if err := seedResults(ctx, d, today, data); err != nil {
		return nil, err
	}
	if err := seedProgress(ctx, d, today, data); err != nil {
		return nil, err
	}
	if err := seedNarrative(ctx, d, data); err != nil {
		return nil, err
	}
	return data, nil
}

type projectData struct {
	grant        int
	code, title  string
	description  string
	countries    []string
	coordinator  string
	implementing []string
}

var projectsData = []projectData{
	{0, "KE-01", "Organising domestic workers in Nairobi and Mombasa",
		"Know-your-rights training, a hotline and legal aid for live-in domestic workers; collective bargaining with employment agencies.",
		[]string{"KE"}, "UDWU", []string{"MPWA"}},
	{0, "NP-01", "Safe migration corridors from Nepal to the Gulf",
		"Pre-departure orientation, recruitment-fee monitoring and support to returnee migrant workers.",
		[]string{"NP"}, "HMWF", nil},
	{0, "PH-01", "Seafarers' rights at sea and ashore",
		"Port welfare visits, wage-claim assistance and organising of Filipino seafarers.",
		[]string{"PH"}, "BSSC", nil},
	{1, "SN-01", "Women street vendors in Thiès",
		"Savings groups, negotiation with the municipality over market space, and social protection enrolment.",
		[]string{"SN"}, "RTT", nil},
	{1, "BR-01", "Platform workers in the Northeast",
		"Organising delivery riders, occupational safety campaigns and strategic litigation.",
		[]string{"BR"}, "ITD", nil},
	{1, "BO-01", "Domestic workers' rights in the Andes",
		"Implementation of ILO Convention 189: registration of contracts and social security affiliation.",
		[]string{"BO"}, "RATH", nil},
}
