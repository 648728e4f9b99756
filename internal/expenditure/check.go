package expenditure

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/rules"
)

// Longest texts, as the API allows them.
const (
	maxPayee       = 300
	maxDescription = 2000
	maxDocumentRef = 100
)

// visibleGrant reads grant id within idb if c may read it. Errors: not
// found (missing or out of c's scope).
func visibleGrant(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*grantfacts.Facts, error) {
	return grantfacts.Visible(ctx, idb, c, id)
}

// line is a budget line of the grant's latest adopted budget version.
type line struct {
	LineKey        string `bun:"line_key"`
	HeadingCode    string `bun:"heading_code"`
	Code           string `bun:"code"`
	Description    string `bun:"description"`
	ProjectID      string `bun:"project_id"`
	OrganisationID string `bun:"organisation_id"`
}

func (l *line) describe() string { return fmt.Sprintf("line %s (%s)", l.Code, l.Description) }

// latestVersion returns the id and number of the grant's latest adopted
// budget version ("" when none is adopted).
func latestVersion(ctx context.Context, idb bun.IDB, grantID string) (id string, number int, err error) {
	var row struct {
		ID     string `bun:"id"`
		Number int    `bun:"number"`
	}
	err = idb.NewSelect().Table("budget_versions").Column("id", "number").
		Where("grant_id = ? AND state = 'adopted'", grantID).OrderExpr("number DESC").Limit(1).Scan(ctx, &row)
	if db.IsNoRows(err) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, db.Err(err)
	}
	return row.ID, row.Number, nil
}

// latestLines reads the lines of the grant's latest adopted budget version,
// in order (nil, "" when none is adopted).
func latestLines(ctx context.Context, idb bun.IDB, grantID string) ([]*line, string, int, error) {
	versionID, number, err := latestVersion(ctx, idb, grantID)
	if err != nil || versionID == "" {
		return nil, "", 0, err
	}
	var lines []*line
	err = idb.NewSelect().Table("budget_lines").
		ColumnExpr("line_key, heading_code, code, description, COALESCE(project_id, '') AS project_id, COALESCE(organisation_id, '') AS organisation_id").
		Where("budget_version_id = ?", versionID).OrderExpr("position ASC, code ASC").Scan(ctx, &lines)
	if err != nil {
		return nil, "", 0, db.Err(err)
	}
	return lines, versionID, number, nil
}

// latestLine reads one line of the grant's latest adopted budget (nil when
// it has none by that key).
func latestLine(ctx context.Context, idb bun.IDB, grantID, key string) (*line, error) {
	versionID, _, err := latestVersion(ctx, idb, grantID)
	if err != nil || versionID == "" {
		return nil, err
	}
	l := new(line)
	err = idb.NewSelect().Table("budget_lines").
		ColumnExpr("line_key, heading_code, code, description, COALESCE(project_id, '') AS project_id, COALESCE(organisation_id, '') AS organisation_id").
		Where("budget_version_id = ? AND line_key = ?", versionID, key).Scan(ctx, l)
	if db.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, db.Err(err)
	}
	return l, nil
}

// party is an organisation taking part in the grant: its lead, or a
// participant of one of its projects.
type party struct {
	ID          string `bun:"id"`
	DisplayName string `bun:"display_name"`
	ShortName   string `bun:"short_name"`
	Country     string `bun:"country_code"`
	lead        bool
	projects    map[string]bool // projects it takes part in
	associateIn map[string]bool // projects it takes part in as an associate
}

// associate reports whether the organisation's costs are not eligible in
// projectID (any of its projects when ""): it is not the lead and takes
// part there only as an associate, whose costs are not eligible (PRAG).
func (p *party) associate(projectID string) bool {
	if p.lead || len(p.associateIn) == 0 {
		return false
	}
	if projectID != "" {
		return p.associateIn[projectID]
	}
	return len(p.associateIn) == len(p.projects)
}

func (p *party) describe() string {
	if p.ShortName != "" {
		return fmt.Sprintf("organisations/%s (%s, %s)", p.ID, p.ShortName, p.DisplayName)
	}
	return fmt.Sprintf("organisations/%s (%s)", p.ID, p.DisplayName)
}

type projectRow struct {
	ID    string `bun:"id"`
	Code  string `bun:"code"`
	Title string `bun:"title"`
}

func (p *projectRow) describe() string {
	if p.Code != "" {
		return fmt.Sprintf("projects/%s (%s)", p.ID, p.Code)
	}
	return fmt.Sprintf("projects/%s (%s)", p.ID, p.Title)
}

// roleAssociate is the project package's RoleAssociate (not imported here):
// an associate takes part in the action, but its costs are not eligible.
const roleAssociate = "associate"

// book is what recording expenditures of one grant is checked against: the
// grant, its latest adopted budget, its projects and the organisations
// taking part, and a converter (with its cached rates). One book serves one
// request or one ledger import, within one transaction.
type book struct {
	grant         *grantfacts.Facts
	lines         []*line
	byKey, byCode map[string]*line
	budgetNumber  int
	hasBudget     bool
	projects      map[string]*projectRow
	parties       map[string]*party
	conv          *fx.Converter
}

// openBook reads the book of grant g within idb.
func openBook(ctx context.Context, idb bun.IDB, g *grantfacts.Facts) (*book, error) {
	b := &book{grant: g, byKey: map[string]*line{}, byCode: map[string]*line{}, projects: map[string]*projectRow{}, parties: map[string]*party{}}
	lines, versionID, number, err := latestLines(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	b.lines, b.hasBudget, b.budgetNumber = lines, versionID != "", number
	for _, l := range lines {
		b.byKey[l.LineKey] = l
		b.byCode[strings.ToLower(l.Code)] = l
	}
	var projects []*projectRow
	if err := idb.NewSelect().Table("projects").Column("id", "code", "title").Where("grant_id = ?", g.ID).
		OrderExpr("code ASC, id ASC").Scan(ctx, &projects); err != nil {
		return nil, db.Err(err)
	}
	for _, p := range projects {
		b.projects[p.ID] = p
	}
	var parts []struct {
		ProjectID      string `bun:"project_id"`
		OrganisationID string `bun:"organisation_id"`
		Role           string `bun:"role"`
	}
	if err := idb.NewSelect().TableExpr("project_participants AS pp").Column("pp.project_id", "pp.organisation_id", "pp.role").
		Join("JOIN projects AS p ON p.id = pp.project_id").Where("p.grant_id = ?", g.ID).Scan(ctx, &parts); err != nil {
		return nil, db.Err(err)
	}
	ids := []string{g.LeadOrganisationID}
	for _, pt := range parts {
		ids = append(ids, pt.OrganisationID)
	}
	var orgs []*party
	if err := idb.NewSelect().Table("organisations").Column("id", "display_name", "short_name", "country_code").
		Where("id IN (?)", bun.List(ids)).Scan(ctx, &orgs); err != nil {
		return nil, db.Err(err)
	}
	for _, o := range orgs {
		o.projects, o.associateIn = map[string]bool{}, map[string]bool{}
		o.lead = o.ID == g.LeadOrganisationID
		b.parties[o.ID] = o
	}
	for _, pt := range parts {
		if o := b.parties[pt.OrganisationID]; o != nil {
			o.projects[pt.ProjectID] = true
			if pt.Role == roleAssociate {
				o.associateIn[pt.ProjectID] = true
			}
		}
	}
	r, err := rules.Load(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	b.conv = fx.NewConverterFor(idb, fx.Grant{ID: g.ID, Currency: g.CurrencyCode, Start: g.StartDate, End: g.EndDate,
		ReportingPeriodMonths: g.ReportingPeriodMonths}, r)
	return b, nil
}

// recorder says on which lines a caller may record expenditures of a grant:
// all (coordinators and finance staff of the grant, admins), or only those
// allocated to the organisations they edit for.
type recorder struct {
	all        bool
	editorOrgs []string
}

// recorderFor decides what c may record in grant g. Errors: permission
// (c may read the grant but record nothing in it).
func recorderFor(c actor.Caller, b *book) (recorder, error) {
	g := b.grant
	if policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) {
		return recorder{all: true}, nil
	}
	var orgs []string
	for id := range b.parties {
		if policy.IsPartnerEditorOf(c, id) {
			orgs = append(orgs, id)
		}
	}
	if len(orgs) == 0 {
		return recorder{}, errs.PermissionDenied("you may read but not record expenditures of %s: its coordinators and finance staff record them, and partners' editors on the budget lines allocated to their organisation",
			g.Describe())
	}
	sort.Strings(orgs)
	return recorder{editorOrgs: orgs}, nil
}

// mayUse returns why the recorder may not record on l ("" when it may).
func (r recorder) mayUse(b *book, l *line) string {
	if r.all || slices.Contains(r.editorOrgs, l.OrganisationID) {
		return ""
	}
	if l.OrganisationID == "" {
		return fmt.Sprintf("%s is not allocated to a partner: only the grant's coordinators and finance staff record expenditures on it; partners record them on the lines allocated to their organisation", l.describe())
	}
	return fmt.Sprintf("%s is allocated to %s: you record expenditures only on the lines allocated to your organisation", l.describe(), b.partyName(l.OrganisationID))
}

func (b *book) partyName(id string) string {
	if p := b.parties[id]; p != nil {
		return p.describe()
	}
	return "organisations/" + id
}

// check checks in as one expenditure of the book's grant recorded by r.
// keep holds the project and organisation to keep when the line has no
// allocation (on update, when the line changed). It returns the
// expenditure's fields (not its id, status, conversion, version or times),
// or the broken rules, by field (the API's names, without prefix), or why r
// may not record on the line (denied).
func (b *book) check(r recorder, in, keep Input) (out *Expenditure, v errs.Violations, denied string) {
	g := b.grant
	e := &Expenditure{
		GrantID:     g.ID,
		Payee:       strings.TrimSpace(in.Payee),
		Description: strings.TrimSpace(in.Description),
		DocumentRef: strings.TrimSpace(in.DocumentRef),
	}

	// When the cost was incurred: inside the implementation period.
	if s := strings.TrimSpace(in.ExpenseDate); s == "" {
		v.Add("expense_date", "is required: the date the cost was incurred, YYYY-MM-DD, from %s to %s", g.StartDate, g.EndDate)
	} else if d, err := calendar.Parse(s); err != nil {
		v.Add("expense_date", "%s", err.Error())
	} else if d.Before(g.StartDate) || d.After(g.EndDate) {
		v.Add("expense_date", "must be inside the grant's implementation period, %s to %s (got %s): costs incurred outside it are not eligible",
			g.StartDate, g.EndDate, s)
	} else {
		e.ExpenseDate = d
	}

	// The amount, in a real currency, with at most its decimals, above zero.
	e.CurrencyCode = strings.ToUpper(strings.TrimSpace(in.CurrencyCode))
	currencyOK := false
	if e.CurrencyCode == "" {
		v.Add("currency_code", "is required: the ISO 4217 code of the currency paid in, e.g. %s, KES or XOF", g.CurrencyCode)
	} else if _, err := money.Currency(e.CurrencyCode); err != nil {
		v.Add("currency_code", "%s", err.Error())
	} else {
		currencyOK = true
	}
	if s := strings.TrimSpace(in.Amount); s == "" {
		v.Add("amount", "is required: the amount paid, a decimal in the currency paid in, e.g. 1250.50")
	} else if currencyOK {
		n, err := money.Parse(s, e.CurrencyCode)
		switch {
		case err != nil:
			v.Add("amount", "%s", err.Error())
		case n == 0:
			v.Add("amount", "must be more than zero (got %s)", s)
		default:
			e.Amount = n
		}
	}

	// The budget line: one of the latest adopted budget's, which settles
	// the heading and, when allocated, the project and partner.
	key := strings.TrimSpace(in.LineKey)
	var l *line
	switch {
	case key == "":
		v.Add("budget_line_key", "is required: the budget line the cost is charged to (its line_key)")
	case !b.hasBudget:
		v.Add("budget_line_key", "%s has no adopted budget yet: adopt a budget version before recording expenditures", g.Describe())
	default:
		l = b.byKey[key]
		if l == nil {
			v.Add("budget_line_key", "%q is not a line of the latest adopted budget of %s (version %d); name one of its lines",
				key, g.Describe(), b.budgetNumber)
		}
	}
	if l != nil {
		if why := r.mayUse(b, l); why != "" {
			return nil, nil, why
		}
		e.LineKey, e.HeadingCode = l.LineKey, l.HeadingCode
		b.checkParty(&v, e, l, in, keep)
		if p := b.parties[e.OrganisationID]; p != nil && p.associate(e.ProjectID) && !v.Has("organisation") {
			field, where := "organisation", ""
			if l.OrganisationID != "" {
				field, where = "budget_line_key", " "+l.describe()+" is allocated to it:"
			}
			v.Add(field, "%s takes part in the action as an associate, and associates' costs are not eligible:%s "+
				"record the cost on a line of the coordinator, a co-beneficiary or an affiliated entity, or keep it outside the grant",
				p.describe(), where)
		}
	}

	if len([]rune(e.Payee)) > maxPayee {
		v.Add("payee", "must be at most %d characters (got %d)", maxPayee, len([]rune(e.Payee)))
	}
	if len([]rune(e.Description)) > maxDescription {
		v.Add("description", "must be at most %d characters (got %d)", maxDescription, len([]rune(e.Description)))
	}
	if len([]rune(e.DocumentRef)) > maxDocumentRef {
		v.Add("document_ref", "must be at most %d characters (got %d)", maxDocumentRef, len([]rune(e.DocumentRef)))
	}
	if len(v) > 0 {
		return nil, v, ""
	}
	return e, nil, ""
}

// checkParty settles the project and organisation of e on line l: the
// line's allocation when it has one (given ones must match it); otherwise a
// project of the grant and an organisation taking part in it.
func (b *book) checkParty(v *errs.Violations, e *Expenditure, l *line, in, keep Input) {
	projectID, orgID := strings.TrimSpace(in.ProjectID), strings.TrimSpace(in.OrganisationID)
	switch {
	case l.ProjectID != "":
		if projectID != "" && projectID != l.ProjectID {
			v.Add("project", "must be %s, the project %s is allocated to, or be left empty to take it from the line (got projects/%s)",
				b.projectName(l.ProjectID), l.describe(), projectID)
		}
		e.ProjectID = l.ProjectID
	case projectID != "":
		if b.projects[projectID] == nil {
			v.Add("project", "projects/%s is not a project of %s; name one of its projects, or leave it empty", projectID, b.grant.Describe())
		} else {
			e.ProjectID = projectID
		}
	default:
		e.ProjectID = keep.ProjectID
	}
	switch {
	case l.OrganisationID != "":
		if orgID != "" && orgID != l.OrganisationID {
			v.Add("organisation", "must be %s, the partner %s is allocated to, or be left empty to take it from the line (got organisations/%s)",
				b.partyName(l.OrganisationID), l.describe(), orgID)
		}
		e.OrganisationID = l.OrganisationID
		return
	case orgID == "":
		orgID = keep.OrganisationID
	}
	if orgID == "" {
		v.Add("organisation", "is required: %s is not allocated to a partner, so name the organisation that spent it (the lead organisation or a participant of one of the grant's projects)",
			l.describe())
		return
	}
	p := b.parties[orgID]
	switch {
	case p == nil:
		v.Add("organisation", "organisations/%s does not take part in %s; name its lead organisation or a participant of one of its projects",
			orgID, b.grant.Describe())
	case e.ProjectID != "" && !p.lead && !p.projects[e.ProjectID]:
		v.Add("organisation", "%s does not take part in %s; name one of its participants, or another project", p.describe(), b.projectName(e.ProjectID))
	default:
		e.OrganisationID = orgID
	}
}

func (b *book) projectName(id string) string {
	if p := b.projects[id]; p != nil {
		return p.describe()
	}
	return "projects/" + id
}

// convert converts e under the grant's rate policy and records the result
// on e.
func (b *book) convert(ctx context.Context, e *Expenditure) error {
	conv, err := b.conv.Convert(ctx, e.ExpenseDate, e.OrganisationID, e.CurrencyCode, e.Amount)
	if err != nil {
		return err
	}
	e.setConversion(conv)
	return nil
}
