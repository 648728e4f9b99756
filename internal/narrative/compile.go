package narrative

import (
	"context"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// The compiled texts are plain text: paragraphs separated by a blank line;
// a line starting with "- " is an item of a list; a paragraph of one line
// ending with ":" heads what follows it.

// ProcurementThresholdEUR is the amount above which the final report lists
// a procurement contract, in euros.
const ProcurementThresholdEUR = 60000

// compiledSection is a section as a compilation makes it.
type compiledSection struct {
	Key          string
	Kind         SectionKind
	subjectID    string
	CompiledText string
	Sources      []Source
}

// compiled is what a compilation makes of the sources: the report's
// records (description, logframe, photos, counts) and its sections' texts.
type compiled struct {
	report   *Report
	sections []compiledSection
}

// party is an organisation taking part in a project of the grant.
type party struct {
	ProjectID    string `bun:"project_id"`
	Organisation string `bun:"organisation_id"`
	Role         string `bun:"role"`
	PartCountry  string `bun:"part_country"`
	DisplayName  string `bun:"display_name"`
	OrgCountry   string `bun:"org_country"`
	Address      string `bun:"address"`
	Position     int    `bun:"position"`
}

type projectRow struct {
	ID    string `bun:"id"`
	Code  string `bun:"code"`
	Title string `bun:"title"`
}

func (p projectRow) display() string { return strings.TrimSpace(p.Code + " " + p.Title) }

// attachmentRow is an image attached to an activity or an update.
type attachmentRow struct {
	ID          string `bun:"id"`
	Owner       string `bun:"owner"`
	SHA256      string `bun:"sha256"`
	ContentType string `bun:"content_type"`
	SizeBytes   int64  `bun:"size_bytes"`
	Caption     string `bun:"caption"`
	Credit      string `bun:"credit"`
	Consent     bool   `bun:"consent"`
}

// roleRank orders contractual roles, strongest first; roles not listed
// (contractors, recipients of financial support) are not parties of the
// report.
var roleRank = map[string]int{"coordinator": 0, "co_beneficiary": 1, "affiliated_entity": 2, "associate": 3}

// gather reads everything the report of g's period is made of, within idb,
// and compiles its sections in g's reporting language. Errors: invalid
// (field: a period the grant does not have), internal.
func (s *Service) gather(ctx context.Context, idb bun.IDB, g *grantRow, period int, field string) (*compiled, error) {
	periods, err := milestone.GrantPeriods(ctx, idb, g.ID)
	if err != nil {
		return nil, err
	}
	if _, _, err := periodDates(ctx, idb, g.ID, period, field); err != nil {
		return nil, err
	}
	from, to := periods[period-1].Start, periods[period-1].End
	lang := i18n.Of(g.ReportingLanguage)
	r := &Report{Grant: g.name(), Period: period, PeriodStart: from, PeriodEnd: to, Kind: KindInterim, State: StateDraft,
		Language: lang, Currency: g.CurrencyCode}
	if period == len(periods) {
		r.Kind = KindFinal
	}
	b := &builder{ctx: ctx, idb: idb, g: g, r: r, period: period, from: from, to: to, periods: periods,
		loc: i18n.For(lang), lang: lang, s: s}
	for _, step := range []func() error{b.readParties, b.readContact, b.readActivities, b.readUpdates, b.readResults,
		b.readPhotos, b.readProcurement} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	b.describe()
	b.logframe()
	b.compose()
	return &compiled{report: r, sections: b.sections}, nil
}

// builder holds what gather has read.
type builder struct {
	ctx     context.Context
	idb     bun.IDB
	s       *Service
	g       *grantRow
	r       *Report
	period  int
	from    calendar.Date
	to      calendar.Date
	periods []milestone.Period
	loc     *i18n.Localizer
	lang    string

	parties    []party
	projects   map[string]projectRow
	countries  []string             // the projects' countries
	orgNames   map[string]string    // organisation id -> display name
	projectOrg map[string]string    // project id -> its coordinator organisation
	activities []*activity.Activity // of the grant, up to the period's end
	inPeriod   []*activity.Activity
	approved   []*progress.Update // of the period, approved, by organisation and period
	resultsBy  map[string]*results.Result
	outputs    []*results.Result
	indicators []*results.Indicator
	sections   []compiledSection
	// leadAddress is the lead organisation's address (the records).
	leadAddress string
}

// grantManagers: the memberships (alias m) that coordinate the grant
// (alias g).
var grantManagers = policy.GrantManagerMemberships("m", "g")

func (b *builder) readParties() error {
	err := b.idb.NewSelect().TableExpr("project_participants AS pp").Join("JOIN projects AS p ON p.id = pp.project_id").
		Join("JOIN organisations AS o ON o.id = pp.organisation_id").
		ColumnExpr("pp.project_id, pp.organisation_id, pp.role, pp.country_code AS part_country, pp.position").
		ColumnExpr("o.display_name, o.country_code AS org_country, o.address").
		Where("p.grant_id = ?", b.g.ID).OrderExpr("p.code, p.id, pp.position").Scan(b.ctx, &b.parties)
	if err != nil {
		return db.Err(err)
	}
	var projects []projectRow
	if err := b.idb.NewSelect().Table("projects").Column("id", "code", "title").Where("grant_id = ?", b.g.ID).
		OrderExpr("code, id").Scan(b.ctx, &projects); err != nil {
		return db.Err(err)
	}
	b.projects = map[string]projectRow{}
	for _, p := range projects {
		b.projects[p.ID] = p
	}
	if err := b.idb.NewSelect().Table("project_countries").ColumnExpr("DISTINCT country_code").
		Where("project_id IN (SELECT id FROM projects WHERE grant_id = ?)", b.g.ID).OrderExpr("country_code").
		Scan(b.ctx, &b.countries); err != nil {
		return db.Err(err)
	}
	b.orgNames, b.projectOrg = map[string]string{}, map[string]string{}
	for _, p := range b.parties {
		b.orgNames[p.Organisation] = p.DisplayName
		if p.Role == "coordinator" {
			b.projectOrg[p.ProjectID] = p.Organisation
		}
	}
	var lead struct {
		DisplayName string `bun:"display_name"`
		CountryCode string `bun:"country_code"`
		Address     string `bun:"address"`
	}
	if err := b.idb.NewSelect().Table("organisations").Column("display_name", "country_code", "address").
		Where("id = ?", b.g.LeadOrganisationID).Scan(b.ctx, &lead); err != nil {
		return db.Err(err)
	}
	b.orgNames[b.g.LeadOrganisationID] = lead.DisplayName
	b.r.Description.Coordinator = Party{Organisation: resource.Name(resource.Organisations, b.g.LeadOrganisationID),
		DisplayName: lead.DisplayName, CountryCode: lead.CountryCode, Role: "coordinator"}
	b.leadAddress = lead.Address
	return nil
}

// readContact picks the grant's contact: its first coordinator by name
// (a user coordinating for it, not disabled).
func (b *builder) readContact() error {
	var users []struct {
		DisplayName string `bun:"display_name"`
		Email       string `bun:"email"`
	}
	err := b.idb.NewSelect().TableExpr("users AS u").Join("JOIN memberships AS m ON m.user_id = u.id").
		Join("JOIN grants AS g ON g.id = ?", b.g.ID).
		Where("NOT u.disabled").Where(grantManagers.SQL, grantManagers.Args...).
		ColumnExpr("u.display_name, u.email").OrderExpr("u.display_name, u.email").Limit(1).Scan(b.ctx, &users)
	if err != nil {
		return db.Err(err)
	}
	if len(users) > 0 {
		b.r.Description.ContactName, b.r.Description.ContactEmail = users[0].DisplayName, users[0].Email
	}
	return nil
}

func (b *builder) readActivities() error {
	if err := b.idb.NewSelect().Model(&b.activities).Where("a.grant_id = ? AND a.start_date <= ?", b.g.ID, b.to).
		Order("a.start_date", "a.id").Scan(b.ctx); err != nil {
		return db.Err(err)
	}
	for _, a := range b.activities {
		if !a.StartDate.Before(b.from) {
			b.inPeriod = append(b.inPeriod, a)
		}
	}
	return nil
}

// updatePeriodDate is the day that places an update in a reporting period
// (as internal/progress places it): the end of the period it covers, or its
// due date.
func updatePeriodDate(u *progress.Update) calendar.Date {
	if u.PeriodEnd.IsZero() {
		return u.DueDate
	}
	return u.PeriodEnd
}

func (b *builder) readUpdates() error {
	var all []*progress.Update
	err := b.idb.NewSelect().Model(&all).ColumnExpr("pu.*").
		ColumnExpr("m.title AS milestone_title, m.period_start_date, m.period_end_date, m.due_date").
		ColumnExpr("o.display_name AS organisation_display_name").
		ColumnExpr("COALESCE(p.code, '') AS project_code, COALESCE(p.title, '') AS project_title").
		Join("JOIN milestones AS m ON m.id = pu.milestone_id").
		Join("JOIN organisations AS o ON o.id = pu.organisation_id").
		Join("LEFT JOIN projects AS p ON p.id = pu.project_id").
		Where("pu.grant_id = ?", b.g.ID).Scan(b.ctx)
	if err != nil {
		return db.Err(err)
	}
	for _, u := range all {
		if milestone.PeriodOf(b.periods, updatePeriodDate(u)) != b.period {
			continue
		}
		if u.State == progress.StateApproved {
			b.approved = append(b.approved, u)
		} else {
			b.r.UpdatesNotApproved++
		}
	}
	sort.SliceStable(b.approved, func(i, j int) bool {
		x, y := b.approved[i], b.approved[j]
		if x.OrganisationDisplayName != y.OrganisationDisplayName {
			return x.OrganisationDisplayName < y.OrganisationDisplayName
		}
		if !updatePeriodDate(x).Equal(updatePeriodDate(y)) {
			return updatePeriodDate(x).Before(updatePeriodDate(y))
		}
		return x.ID < y.ID
	})
	b.r.UpdatesIncluded = len(b.approved)
	return nil
}

func (b *builder) readResults() error {
	var rs []*results.Result
	if err := b.idb.NewSelect().Model(&rs).Where("r.grant_id = ?", b.g.ID).Order("r.code", "r.id").Scan(b.ctx); err != nil {
		return db.Err(err)
	}
	b.resultsBy = map[string]*results.Result{}
	for _, x := range rs {
		b.resultsBy[x.ID] = x
	}
	if err := b.idb.NewSelect().Model(&b.indicators).Where("i.grant_id = ?", b.g.ID).Order("i.code", "i.project_id", "i.id").
		Scan(b.ctx); err != nil {
		return db.Err(err)
	}
	// Outputs with activities or indicator values in the period, by
	// project and code.
	active := map[string]bool{}
	for _, a := range b.inPeriod {
		for _, id := range a.OutputIDs {
			active[id] = true
		}
		for _, id := range a.IndicatorIDs {
			for _, ind := range b.indicators {
				if ind.ID == id {
					active[ind.ResultID] = true
				}
			}
		}
	}
	for _, ind := range b.indicators {
		if p := periodOf(ind, b.period); p != nil && (p.Actual != "" || len(p.DisaggregatedActuals) > 0) {
			active[ind.ResultID] = true
		}
	}
	for _, x := range rs {
		if x.Level == results.LevelOutput && active[x.ID] {
			b.outputs = append(b.outputs, x)
		}
	}
	sort.SliceStable(b.outputs, func(i, j int) bool {
		pi, pj := b.projects[b.outputs[i].ProjectID], b.projects[b.outputs[j].ProjectID]
		if pi.Code != pj.Code {
			return pi.Code < pj.Code
		}
		return b.outputs[i].Code < b.outputs[j].Code
	})
	return nil
}

func periodOf(ind *results.Indicator, n int) *results.Period {
	for k := range ind.Periods {
		if ind.Periods[k].Period == n {
			return &ind.Periods[k]
		}
	}
	return nil
}

// readPhotos reads the images of the period's activities and of the
// approved updates: those with consent go in, the others are counted.
func (b *builder) readPhotos() error {
	owners := map[string]string{} // owner -> section key
	for _, a := range b.inPeriod {
		key := ""
		for _, o := range b.outputs {
			if slices.Contains(a.OutputIDs, o.ID) {
				key = outputKey(o.ID)
				break
			}
		}
		owners[a.Name()] = key
	}
	for _, u := range b.approved {
		owners[u.Name()] = partnerKey(u.OrganisationID)
	}
	if len(owners) == 0 {
		return nil
	}
	names := make([]string, 0, len(owners))
	for n := range owners {
		names = append(names, n)
	}
	var rows []attachmentRow
	if err := b.idb.NewSelect().Table("attachments").
		Column("id", "owner", "sha256", "content_type", "size_bytes", "caption", "credit", "consent").
		Where("grant_id = ? AND owner IN (?) AND content_type IN (?)", b.g.ID, bun.List(names), bun.List([]string{"image/jpeg", "image/png"})).
		OrderExpr("create_time, id").Scan(b.ctx, &rows); err != nil {
		return db.Err(err)
	}
	ctx, blobs := b.ctx, b.s.blobs
	for _, a := range rows {
		if !a.Consent {
			b.r.PhotosWithoutConsent++
			continue
		}
		sha := a.SHA256
		b.r.Photos = append(b.r.Photos, Photo{Name: a.Owner + "/attachments/" + a.ID, Caption: a.Caption, Credit: a.Credit,
			ContentType: a.ContentType, SizeBytes: a.SizeBytes, SectionKey: owners[a.Owner],
			Open: func() (io.ReadCloser, error) { return blobs.Open(ctx, sha) }})
	}
	return nil
}

// readProcurement reads, for the final report, the procurement contracts
// above EUR 60,000. The amounts are in the grant currency: for a grant in
// another currency the threshold is taken as 60,000 units of that currency
// (no conversion).
func (b *builder) readProcurement() error {
	if b.r.Kind != KindFinal {
		return nil
	}
	scale, err := money.Currency(b.g.CurrencyCode)
	if err != nil {
		scale = 2
	}
	threshold := decimal.New(ProcurementThresholdEUR, int32(scale)).IntPart()
	var rows []struct {
		Reference      string        `bun:"reference"`
		Title          string        `bun:"title"`
		Contractor     string        `bun:"contractor"`
		AwardProcedure string        `bun:"award_procedure"`
		AwardDate      calendar.Date `bun:"award_date"`
		Amount         int64         `bun:"amount"`
		Organisation   string        `bun:"organisation"`
	}
	if err := b.idb.NewSelect().TableExpr("procurement_contracts AS pc").Join("LEFT JOIN organisations AS o ON o.id = pc.organisation_id").
		ColumnExpr("pc.reference, pc.title, pc.contractor, pc.award_procedure, pc.award_date, pc.amount").
		ColumnExpr("COALESCE(o.display_name, '') AS organisation").
		Where("pc.grant_id = ? AND pc.amount > ?", b.g.ID, threshold).OrderExpr("pc.award_date, pc.id").Scan(b.ctx, &rows); err != nil {
		return db.Err(err)
	}
	for _, x := range rows {
		b.r.ProcurementContracts = append(b.r.ProcurementContracts, ProcurementContract{Reference: x.Reference, Title: x.Title,
			Contractor: x.Contractor, Procedure: x.AwardProcedure, AwardDate: x.AwardDate, Amount: money.Format(x.Amount, b.g.CurrencyCode),
			OrganisationDisplayName: x.Organisation})
	}
	return nil
}

// describe fills the report's description.
func (b *builder) describe() {
	d := &b.r.Description
	d.Title, d.ContractNumber, d.Start, d.End = b.g.Title, b.g.DonorReference, b.g.StartDate, b.g.EndDate
	best := map[string]party{}
	var order []string
	targets := map[string]bool{}
	for _, c := range b.countries {
		targets[c] = true
	}
	for _, p := range b.parties {
		if p.Organisation == b.g.LeadOrganisationID {
			continue // the lead's own country is no target of the action
		}
		if p.PartCountry != "" {
			targets[p.PartCountry] = true
		}
		rank, ok := roleRank[p.Role]
		if !ok {
			continue
		}
		cur, seen := best[p.Organisation]
		if !seen {
			order = append(order, p.Organisation)
		}
		if !seen || rank < roleRank[cur.Role] {
			best[p.Organisation] = p
		}
	}
	for _, id := range order {
		p := best[id]
		role := p.Role
		if role == "coordinator" {
			// A project's coordinator other than the action's lead signs
			// the contract with it: a co-beneficiary of the action.
			role = "co_beneficiary"
		}
		country := p.PartCountry
		if country == "" {
			country = p.OrgCountry
		}
		d.Partners = append(d.Partners, Party{Organisation: resource.Name(resource.Organisations, id), DisplayName: p.DisplayName,
			CountryCode: country, Role: role})
	}
	sort.SliceStable(d.Partners, func(i, j int) bool {
		ri, rj := roleRank[d.Partners[i].Role], roleRank[d.Partners[j].Role]
		if ri != rj {
			return ri < rj
		}
		return d.Partners[i].DisplayName < d.Partners[j].DisplayName
	})
	d.TargetCountries = sortedKeys(targets)
	active := map[string]bool{}
	for _, a := range b.activities {
		people := People{Women: a.Women, Men: a.Men, Other: a.OtherOrNotStated}
		d.ParticipantsToDate = add(d.ParticipantsToDate, people)
		if !a.StartDate.Before(b.from) {
			d.ParticipantsPeriod = add(d.ParticipantsPeriod, people)
			d.ActivitiesPeriod++
			if a.CountryCode != "" {
				active[a.CountryCode] = true
			}
		}
	}
	d.CountriesOfActivity = sortedKeys(active)
}

func add(a, b People) People {
	return People{Women: a.Women + b.Women, Men: a.Men + b.Men, Other: a.Other + b.Other}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// levelRank orders the logframe by level.
var levelRank = map[results.Level]int{results.LevelOverallObjective: 0, results.LevelSpecificObjective: 1, results.LevelOutput: 2}

// logframe fills the updated logframe: one row per indicator code (with
// its type and unit), numbers summed over the projects that share it, and
// each project's values.
func (b *builder) logframe() {
	type key struct{ code, unit, typ string }
	rows := map[key]*Indicator{}
	var order []key
	sums := map[key]*[5]decimal.Decimal{} // baseline, target, achieved, target to date, achieved to date
	disagg := map[key]map[[2]string]decimal.Decimal{}
	disaggOrder := map[key][][2]string{}
	for _, ind := range b.indicators {
		k := key{ind.Code, ind.Unit, string(ind.Type)}
		row := rows[k]
		if row == nil {
			row = &Indicator{Code: ind.Code, Title: ind.Title, Unit: ind.Unit, Type: string(ind.Type), Baseline: ind.Baseline}
			if res := b.resultsBy[ind.ResultID]; res != nil {
				row.ResultLevel, row.ResultCode, row.ResultTitle = string(res.Level), res.Code, res.Title
			}
			rows[k], sums[k], disagg[k] = row, &[5]decimal.Decimal{}, map[[2]string]decimal.Decimal{}
			order = append(order, k)
		}
		p := periodOf(ind, b.period)
		pv := PartnerValue{OrganisationDisplayName: b.orgNames[b.projectOrg[ind.ProjectID]], ProjectDisplayName: b.projects[ind.ProjectID].display(),
			Indicator: ind.Name()}
		if p != nil {
			pv.Target, pv.Achieved = p.Target, p.Actual
			for _, dv := range p.DisaggregatedActuals {
				pv.Disaggregated = append(pv.Disaggregated, Disaggregated{Disaggregation: dv.Disaggregation, Category: dv.Category, Value: dv.Value})
			}
		}
		row.PartnerValues = append(row.PartnerValues, pv)
		if ind.Type != results.TypeNumber {
			continue
		}
		sm := sums[k]
		sm[0] = sm[0].Add(num(ind.Baseline))
		for _, q := range ind.Periods {
			if q.Period > b.period {
				continue
			}
			sm[3], sm[4] = sm[3].Add(num(q.Target)), sm[4].Add(num(q.Actual))
			if q.Period == b.period {
				sm[1], sm[2] = sm[1].Add(num(q.Target)), sm[2].Add(num(q.Actual))
				for _, dv := range q.DisaggregatedActuals {
					dk := [2]string{dv.Disaggregation, dv.Category}
					if _, ok := disagg[k][dk]; !ok {
						disaggOrder[k] = append(disaggOrder[k], dk)
					}
					disagg[k][dk] = disagg[k][dk].Add(num(dv.Value))
				}
			}
		}
	}
	for _, k := range order {
		row := rows[k]
		if k.typ == string(results.TypeNumber) {
			sm := sums[k]
			row.Baseline, row.TargetPeriod, row.AchievedPeriod, row.TargetToDate, row.AchievedToDate =
				sm[0].String(), sm[1].String(), sm[2].String(), sm[3].String(), sm[4].String()
			for _, dk := range disaggOrder[k] {
				row.Disaggregated = append(row.Disaggregated, Disaggregated{Disaggregation: dk[0], Category: dk[1], Value: disagg[k][dk].String()})
			}
		} else if len(row.PartnerValues) == 1 {
			row.TargetPeriod, row.AchievedPeriod = row.PartnerValues[0].Target, row.PartnerValues[0].Achieved
			row.Disaggregated = row.PartnerValues[0].Disaggregated
		}
		b.r.Logframe = append(b.r.Logframe, *row)
	}
	sort.SliceStable(b.r.Logframe, func(i, j int) bool {
		return levelRank[results.Level(b.r.Logframe[i].ResultLevel)] < levelRank[results.Level(b.r.Logframe[j].ResultLevel)]
	})
}

// num parses a stored number; "" (and anything else) is zero.
func num(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

func outputKey(resultID string) string { return "outputs-" + strings.ToLower(resultID) }
func partnerKey(orgID string) string   { return "partners-" + strings.ToLower(orgID) }

// country names a country in the report's language.
func (b *builder) country(code string) string {
	if code == "" {
		return ""
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.Regions(language.Make(b.lang)).Name(r); n != "" {
		return n
	}
	return code
}

// date writes a date in full in the report's language ("31 December
// 2026", "1er janvier 2026"), with the catalogue's month names.
func (b *builder) date(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	t := d.Time()
	day := strconv.Itoa(t.Day())
	if b.lang == "fr" && t.Day() == 1 {
		day = "1er"
	}
	months := strings.Fields(b.loc.T("pdf.months"))
	month := t.Month().String()
	if len(months) == 12 {
		month = months[t.Month()-1]
	}
	return b.loc.T("pdf.longDate", "Day", day, "Month", month, "Year", strconv.Itoa(t.Year()))
}
