package report

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/rules"
)

// PDF writes the grant's financial report as a PDF to w, for the record and
// for boards, and returns its file name: a cover (grant, donor, lead,
// period, currency, rate policy, budget version, who generated it and
// when, the audit trail's head, the date checked, what the figures count,
// the unverified amount, the adopted budget versions and uses of the
// contingency reserve), the summary per heading in the Annex III layout with
// its budget lines and the flat rate's computation, a budget-versus-actual
// chart per heading, a burn chart over the grant's months, a table per
// beneficiary with its role, the sources of funding, pre-financing and the
// payment request, the forecast for the next period, the compliance
// findings and a signature block, in the request's language
// (pdf_package.go).
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
	return s.pdf(ctx, req, w, progress, nil)
}

// pdf is PDF; edit, when not nil, is given the statement before the report
// is laid out from it (the tests' seam: a statement with sources of
// funding, payments and a forecast set by hand).
func (s *Service) pdf(ctx context.Context, req Request, w io.Writer, progress Progress, edit func(*finance.Statement)) (string, error) {
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
		data, err = s.pdfGather(ctx, tx, sc, now, progress, edit)
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
	// st is the statement the figures come from.
	st *finance.Statement
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
	period     int64                   // spent in the period
	toDate     int64                   // spent up to the period's end
	nPeriod    int64                   // expenditures counted in period
	nToDate    int64                   // and to date
	ineligible int64                   // claimed but not eligible, to date
	role       string                  // a partner's contractual role ("" unknown)
	lines      []finance.StatementLine // a heading's lines
}

func (r pdfRow) remaining() int64 { return r.budget - r.toDate }
func (r pdfRow) variance() int64  { return r.toDate - r.budget }

// pdfGather reads the report's figures: finance's statement of the
// period, within the report's own transaction (one snapshot for every
// figure), and the first expenditures outside the implementation period.
func (s *Service) pdfGather(ctx context.Context, tx bun.Tx, sc *Scope, now time.Time, progress Progress, edit func(*finance.Statement)) (*pdfData, error) {
	const steps = 3
	g := sc.Grant
	progress("summary", 0, steps)
	st, err := finance.StatementIn(ctx, tx, g, sc.Query(now))
	if err != nil {
		return nil, err
	}
	if edit != nil {
		edit(st)
	}
	progress("summary", 1, steps)
	d := pdfFromStatement(sc, st, now)
	progress("summary", 2, steps)

	// Not eligible: dated outside the implementation period.
	if d.ineligible.Count > 0 {
		if d.ineligibleNames, err = finance.LoadListNames(ctx, tx, g.ID); err != nil {
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
	progress("summary", steps, steps)
	return d, nil
}

// pdfFromStatement is what the PDF shows of a statement (all but the list
// of expenditures outside the implementation period, read apart).
func pdfFromStatement(sc *Scope, st *finance.Statement, now time.Time) *pdfData {
	g := sc.Grant
	d := &pdfData{sc: sc, lang: sc.Language, cur: g.CurrencyCode, generatedAt: now, flexible: map[string]bool{}}
	d.st = st
	d.donor, d.lead, d.framework = st.Donor, st.Lead, st.Framework
	d.auditSeq, d.auditHash = st.AuditSeq, st.AuditHash
	d.generatedBy = st.GeneratedBy
	if d.generatedBy == "" {
		d.generatedBy = pdfWords(d.lang).T("pdf.system")
	}
	d.rules = st.Rules
	if v := st.Version; v != nil {
		d.version = &pdfVersion{Number: v.Number, Kind: v.Kind, Label: v.Label}
		if !v.AdoptTime.IsZero() {
			t := v.AdoptTime
			d.version.AdoptTime = &t
		}
	}
	w := pdfWords(d.lang)
	for _, h := range st.Headings {
		if h.Code == "" {
			continue
		}
		r := pdfRow{key: h.Code, label: h.Code + " " + h.Title, kind: h.Kind, computed: h.Computed(), budget: h.Budget,
			period: h.Period, toDate: h.ToDate, nPeriod: h.CountPeriod, nToDate: h.CountToDate, ineligible: h.Ineligible, lines: h.Lines}
		switch {
		case !h.InTemplate:
			r.label, r.kind = w.T("pdf.notInTemplate", "Code", h.Code), ""
			d.extraHeadings = true
		case st.Rules.TemplateID == rules.PRAGTemplateID && i18n.Has("pdf.prag."+h.Code) && h.Title == i18n.For(i18n.Default).T("pdf.prag."+h.Code):
			// PRAG's own titles, in the report's language.
			r.label = h.Code + " " + w.T("pdf.prag."+h.Code)
		}
		d.headings = append(d.headings, r)
		if h.Flex != nil {
			d.flexible[h.Code] = true
		}
	}
	t := st.Total
	d.total = pdfRow{computed: true, budget: t.Budget, period: t.Period, toDate: t.ToDate, nPeriod: t.CountPeriod, nToDate: t.CountToDate}
	d.months = st.Months
	d.rateMissing = st.RateMissingToDate
	for _, p := range st.Partners {
		r := pdfRow{key: p.ID, label: p.Name, country: p.Country, role: p.Role, budget: p.Budget, period: p.Period, toDate: p.ToDate,
			nPeriod: p.CountPeriod, nToDate: p.CountToDate}
		if p.ID == "" {
			r.label = w.T("pdf.noPartner")
		}
		d.partners = append(d.partners, r)
		d.partnersTotal.budget += p.Budget
		d.partnersTotal.period += p.Period
		d.partnersTotal.toDate += p.ToDate
		d.partnersTotal.nPeriod += p.CountPeriod
		d.partnersTotal.nToDate += p.CountToDate
	}
	d.partnersTotal.computed = true
	d.ineligible = st.Ineligible
	d.compliance = &finance.Compliance{GrantID: g.ID, Currency: g.CurrencyCode, Findings: st.Findings, Prefinancing: st.Prefinancing, AsOf: st.CheckedAsOf}
	return d
}
