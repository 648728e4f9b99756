package report

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/rules"
)

// PDF writes the grant's financial report as a PDF to w, for the record and
// for boards, and returns its file name: a cover (grant, donor, lead,
// period, currency, rate policy, budget version, who generated it and
// when, the audit trail's head), the summary per heading in the Annex III
// layout, a budget-versus-actual chart per heading, a burn chart over the
// grant's months, a table per partner and the compliance findings, in the
// request's language.
//
// The figures are finance.Service's budget versus actual (submitted and
// verified expenditures inside the implementation period, converted,
// against the latest adopted budget) as of the period's end; those dated
// outside the implementation period are listed apart as not eligible; spending in the period is that minus the same as of
// the day before the period starts. Everything is read before the first
// byte is written, so errors come back with nothing written: not found (a
// grant the caller may not read), permission (a partner of the grant),
// invalid (period, dates, language).
func (s *Service) PDF(ctx context.Context, req Request, w io.Writer, progress Progress) (string, error) {
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	cp, err := s.checkpoint(ctx)
	if err != nil {
		return "", err
	}
	var data *pdfData
	err = s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		sc, err := resolve(ctx, tx, req, calendar.Of(now))
		if err != nil {
			return err
		}
		data, err = s.pdfGather(ctx, tx, sc, now, progress)
		return err
	})
	if err != nil {
		return "", err
	}
	data.checkpoint = cp
	if err := ctx.Err(); err != nil {
		return "", err
	}
	progress("writing", 0, 1)
	if err := pdfWrite(w, data); err != nil {
		return "", err
	}
	progress("writing", 1, 1)
	return data.sc.FileName("pdf"), nil
}

// pdfData is everything the PDF shows, read in one go.
type pdfData struct {
	sc          *Scope
	lang, cur   string
	generatedAt time.Time
	generatedBy string
	donor, lead string
	framework   string // the framework agreement's reference, "" for none
	auditSeq    int64
	auditHash   string
	checkpoint  *audit.Checkpoint // the audit checkpoint signed for the report (nil: none)
	rules       *rules.Rules
	version     *pdfVersion // nil: no adopted budget
	headings    []pdfRow    // the summary, in the template's order
	// extraHeadings: some rows are headings the template does not have,
	// so the template's total is not the total of all spending.
	extraHeadings bool
	total         pdfRow // all headings
	partners      []pdfRow
	partnersTotal pdfRow
	months        []finance.Month
	rateMissing   int64
	compliance    *finance.Compliance
	flexible      map[string]bool // heading codes beyond the flexibility threshold
	// ineligible adds up the claimed expenditures dated outside the
	// implementation period (not eligible, in no figure); the first
	// pdfIneligibleMax of them are listed, with names.
	ineligible      eligibility.Summary
	ineligibleList  []eligibility.Expenditure
	ineligibleNames *ListNames
}

// pdfIneligibleMax is how many expenditures outside the implementation
// period the PDF lists (the workbook lists them all).
const pdfIneligibleMax = 200

// pdfVersion is the budget version compared with.
type pdfVersion struct {
	Number    int        `bun:"number"`
	Kind      string     `bun:"kind"`
	Label     string     `bun:"label"`
	AdoptTime *time.Time `bun:"adopt_time"`
}

// pdfRow is a row of the summary or of the partners' table. Amounts are
// minor units of the grant currency.
type pdfRow struct {
	key, label string
	kind       string // the heading's kind in the template ("" for partners and headings it lacks)
	country    string // a partner's country code
	computed   bool   // subtotal, total direct, total
	budget     int64
	period     int64 // spent in the period
	toDate     int64 // spent up to the period's end
	nPeriod    int64 // expenditures counted in period
	nToDate    int64 // and to date
}

func (r pdfRow) remaining() int64 { return r.budget - r.toDate }
func (r pdfRow) variance() int64  { return r.toDate - r.budget }

// pdfGather reads the report's figures: resolve's snapshot (tx) for the
// cover, finance.Service for the budget versus actual and the compliance
// check, as of the period's end. finance.Service reads in read-only
// transactions of its own (the functions that take a transaction are not
// exported), each answer consistent in itself; a write between two of
// them could make the in-period figures differ from what one snapshot
// would show.
func (s *Service) pdfGather(ctx context.Context, tx bun.Tx, sc *Scope, now time.Time, progress Progress) (*pdfData, error) {
	const steps = 6
	g := sc.Grant
	d := &pdfData{sc: sc, lang: sc.Language, cur: g.CurrencyCode, generatedAt: now, flexible: map[string]bool{}}
	progress("summary", 0, steps)

	// The cover: names, the audit trail's head, the rules, the caller.
	var orgs []struct {
		ID   string `bun:"id"`
		Name string `bun:"display_name"`
	}
	if err := tx.NewRaw("SELECT id, display_name FROM organisations WHERE id IN (?, ?)", g.DonorID, g.LeadOrganisationID).Scan(ctx, &orgs); err != nil {
		return nil, db.Err(err)
	}
	for _, o := range orgs {
		if o.ID == g.DonorID {
			d.donor = o.Name
		}
		if o.ID == g.LeadOrganisationID {
			d.lead = o.Name
		}
	}
	if g.FrameworkAgreementID != "" {
		err := tx.NewRaw("SELECT reference FROM framework_agreements WHERE id = ?", g.FrameworkAgreementID).Scan(ctx, &d.framework)
		if err := db.Err(err, db.AllowNoRows); err != nil {
			return nil, err
		}
	}
	err := tx.NewRaw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(ctx, &d.auditSeq, &d.auditHash)
	if err := db.Err(err, db.AllowNoRows); err != nil {
		return nil, err
	}
	d.generatedBy = pdfWords(d.lang).T("pdf.system")
	if c := actor.From(ctx); c.Kind == actor.User {
		var u struct {
			Name  string `bun:"display_name"`
			Email string `bun:"email"`
		}
		err := tx.NewRaw("SELECT display_name, email FROM users WHERE id = ?", c.UserID).Scan(ctx, &u)
		switch {
		case err == nil:
			d.generatedBy = u.Name + " <" + u.Email + ">"
		case db.IsNoRows(err):
			d.generatedBy = sc.CallerName
		default:
			return nil, db.Err(err)
		}
	}
	if d.rules, err = rules.Load(ctx, tx, g.ID); err != nil {
		return nil, err
	}
	var templ []struct {
		Code  string `bun:"code"`
		Title string `bun:"title"`
		Kind  string `bun:"kind"`
	}
	err = tx.NewRaw("SELECT code, title, kind FROM budget_template_headings WHERE template_id = ?", d.rules.TemplateID).Scan(ctx, &templ)
	if err != nil {
		return nil, db.Err(err)
	}
	progress("summary", 1, steps)

	// Budget versus actual by heading, at the period's end and the day
	// before it starts.
	// Within the report's own transaction: one snapshot for every figure.
	to, before := sc.To.String(), sc.From.AddDays(-1).String()
	bva := func(by finance.Grouping, asOf string) (*finance.BudgetVsActual, error) {
		return finance.BudgetVsActualIn(ctx, tx, g, finance.Query{GrantID: g.ID, GroupBy: by, AsOf: asOf})
	}
	hTo, err := bva(finance.ByHeading, to)
	if err != nil {
		return nil, err
	}
	progress("summary", 2, steps)
	hBefore, err := bva(finance.ByHeading, before)
	if err != nil {
		return nil, err
	}
	progress("summary", 3, steps)
	if hTo.VersionID != "" {
		v := new(pdfVersion)
		if err := tx.NewRaw("SELECT number, kind, label, adopt_time FROM budget_versions WHERE id = ?", hTo.VersionID).Scan(ctx, v); err != nil {
			return nil, db.Err(err)
		}
		d.version = v
	}
	kinds := map[string]string{}
	for _, h := range templ {
		kinds[h.Code] = h.Kind
	}
	titles := map[string]string{}
	for _, h := range templ {
		titles[h.Code] = h.Title
	}
	d.headings = pdfRows(hTo, hBefore)
	for i := range d.headings {
		r := &d.headings[i]
		k, ok := kinds[r.key]
		if !ok {
			r.label = pdfWords(d.lang).T("pdf.notInTemplate", "Code", r.key)
			d.extraHeadings = true
			continue
		}
		r.kind = k
		// PRAG's own titles, in the report's language.
		if d.rules.TemplateID == "eu-prag-annex-iii" && i18n.Has("pdf.prag."+r.key) && titles[r.key] == i18n.For(i18n.Default).T("pdf.prag."+r.key) {
			r.label = r.key + " " + pdfWords(d.lang).T("pdf.prag."+r.key)
		}
	}
	d.total = pdfTotal(hTo, hBefore)
	d.months = hTo.Months
	d.rateMissing = hTo.RateMissing

	// By partner.
	pTo, err := bva(finance.ByPartner, to)
	if err != nil {
		return nil, err
	}
	progress("summary", 4, steps)
	pBefore, err := bva(finance.ByPartner, before)
	if err != nil {
		return nil, err
	}
	progress("summary", 5, steps)
	d.partners = pdfRows(pTo, pBefore)
	d.partnersTotal = pdfTotal(pTo, pBefore)
	var ids []string
	for i := range d.partners {
		if d.partners[i].key == "" {
			d.partners[i].label = pdfWords(d.lang).T("pdf.noPartner")
		} else {
			ids = append(ids, d.partners[i].key)
		}
	}
	if len(ids) > 0 {
		var cs []struct {
			ID      string `bun:"id"`
			Country string `bun:"country_code"`
		}
		if err := tx.NewRaw("SELECT id, country_code FROM organisations WHERE id IN (?)", bun.List(ids)).Scan(ctx, &cs); err != nil {
			return nil, db.Err(err)
		}
		country := map[string]string{}
		for _, c := range cs {
			country[c.ID] = c.Country
		}
		for i := range d.partners {
			d.partners[i].country = country[d.partners[i].key]
		}
	}

	// Not eligible: dated outside the implementation period.
	d.ineligible = hTo.Ineligible
	if d.ineligible.Count > 0 {
		if d.ineligibleNames, err = LoadListNames(ctx, tx, g.ID); err != nil {
			return nil, err
		}
		err := eligibility.ListOutside(ctx, tx, g.ID, sc.Eligible(), func(e *eligibility.Expenditure) error {
			if len(d.ineligibleList) < pdfIneligibleMax {
				d.ineligibleList = append(d.ineligibleList, *e)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	// The donor's rules.
	if d.compliance, err = finance.CheckComplianceIn(ctx, tx, g, sc.To); err != nil {
		return nil, err
	}
	for _, f := range d.compliance.Findings {
		if f.Code == finance.CodeFlexibilityExceeded && f.HeadingCode != "" {
			d.flexible[f.HeadingCode] = true
		}
	}
	progress("summary", steps, steps)
	return d, nil
}

// pdfRows pairs the rows of a budget versus actual at the period's end with
// those of the day before it started (by key): spending in the period is
// the difference.
func pdfRows(to, before *finance.BudgetVsActual) []pdfRow {
	prior := make(map[string]finance.Row, len(before.Rows))
	for _, r := range before.Rows {
		prior[r.Key] = r
	}
	out := make([]pdfRow, 0, len(to.Rows))
	for _, r := range to.Rows {
		p := prior[r.Key]
		out = append(out, pdfRow{key: r.Key, label: r.Label, computed: r.Computed, budget: r.Budget,
			toDate: r.Spent, period: r.Spent - p.Spent, nToDate: r.Count, nPeriod: r.Count - p.Count})
	}
	return out
}

func pdfTotal(to, before *finance.BudgetVsActual) pdfRow {
	return pdfRow{computed: true, budget: to.Total.Budget, toDate: to.Total.Spent, period: to.Total.Spent - before.Total.Spent,
		nToDate: to.Total.Count, nPeriod: to.Total.Count - before.Total.Count}
}
