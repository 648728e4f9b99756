package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/pdf"
)

// PaymentRequestRequest says which request for payment to make.
type PaymentRequestRequest struct {
	GrantID string
	// Period is the reporting period the request follows (costs accepted
	// to its end); AsOf ("YYYY-MM-DD") a date instead; neither: today.
	Period int
	AsOf   string
	// Language: "en" (default), "fr", "es" or "pt".
	Language string
	// Who signs for the coordinator; empty: lines to fill in by hand.
	SignatoryName, SignatoryFunction string
}

// paymentRequestData is what the document shows, read in one snapshot.
type paymentRequestData struct {
	sc          *Scope
	in          PaymentRequestRequest
	pr          *finance.PaymentRequest
	generatedAt time.Time
}

// PaymentRequest writes the request for payment of the grant's next
// pre-financing instalment (the EU's Annex V) as a PDF to w and returns its
// file name: addressed to the contracting authority, with the contract's
// number and title, the coordinator, the request's number (the next
// instalment) and the period covered, the calculation of the amount
// requested (the maximum EU contribution, the pre-financing received, the
// costs accepted to date, the co-financing rate and the EU part, the
// 70%/100% requirement and the reduction, the 90% cap and the room under
// it), a line for the bank account and the signature block, in the
// request's language.
//
// Everything is read in one read-only transaction (finance.PaymentRequestIn)
// before the first byte is written, so errors come back with nothing
// written. The readers are the financial report's. Errors: not found (a
// grant the caller may not read), permission (a partner of the grant),
// invalid (reporting_period, as_of, language).
func (s *Service) PaymentRequest(ctx context.Context, in PaymentRequestRequest, w io.Writer, progress Progress) (string, error) {
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	if in.Period > 0 && in.AsOf != "" {
		return "", errs.Invalid(errs.FieldViolation{Field: "reporting_period", Description: "give a reporting period or an as_of date, not both"})
	}
	d := &paymentRequestData{in: in}
	err := s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		sc, err := resolve(ctx, tx, Request{GrantID: in.GrantID, Period: in.Period, To: in.AsOf, Language: in.Language}, calendar.Of(now))
		if err != nil {
			return asOfField(err)
		}
		progress("payments", 0, 1)
		pr, err := finance.PaymentRequestIn(ctx, tx, sc.Grant, sc.To)
		if err != nil {
			return err
		}
		d.sc, d.pr, d.generatedAt = sc, pr, now
		return nil
	})
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	progress("writing", 0, 1)
	if err := paymentRequestWrite(w, d); err != nil {
		return "", err
	}
	progress("writing", 1, 1)
	ref := strings.Trim(unsafeFileChars.ReplaceAllString(d.sc.Grant.DonorReference, "-"), "-")
	return fmt.Sprintf("payment-request-%s-%d.pdf", ref, d.pr.Payments.Next), nil
}

// paymentRequestWrite lays the request out (A4 portrait) and writes it to w.
func paymentRequestWrite(w io.Writer, d *paymentRequestData) error {
	lang := d.sc.Language
	l := pdfWords(lang)
	g := d.sc.Grant
	p := d.pr.Payments
	cur := g.CurrencyCode
	amount := func(v int64) string { return pdfMoney(lang, v, cur) + "\u00a0" + cur }
	pct := func(bp int64) string { return pdfPercent(lang, money.FormatPercent(bp)) }
	date := func(x calendar.Date) string { return pdfDate(lang, x) }
	period := l.T("pdf.dateRange", "From", date(d.sc.From), "To", date(d.sc.To))
	if d.sc.Period > 0 {
		period = l.T("pdf.periodNumbered", "Number", strconv.Itoa(d.sc.Period), "Range", period)
	}
	number := strconv.Itoa(p.Next)
	opt := pdf.Options{
		Title:    l.T("payreq.title") + " – " + g.DonorReference + " – " + number,
		Subject:  g.Title,
		Author:   d.pr.Lead,
		Keywords: g.DonorReference,
		Language: lang,
		Created:  d.generatedAt,
		Footer: func(page, pages int) (string, string) {
			return l.T("payreq.footer", "Reference", g.DonorReference, "Number", number),
				l.T("pdf.page", "Page", strconv.Itoa(page), "Pages", strconv.Itoa(pages))
		},
	}
	return pdf.Write(w, opt, func(doc *pdf.Doc) {
		doc.Text(l.T("payreq.annex"), pdf.Style{Size: 8.5, Color: pdf.Grey})
		doc.Title(l.T("payreq.title"))
		doc.Text(l.T("payreq.subtitle", "Number", number), pdf.Style{Size: 11, Bold: true})
		doc.Space(3)

		coordinator := d.pr.Lead
		if country := countryName(lang, d.pr.LeadCountry); country != "" {
			coordinator += " (" + country + ")"
		}
		authority := d.pr.Donor
		if authority == "" {
			authority = l.T("payreq.blank")
		}
		doc.KeyValues([]pdf.KeyValue{
			{Key: l.T("payreq.to"), Value: authority, Bold: true},
			{Key: l.T("payreq.contractNumber"), Value: g.DonorReference, Bold: true},
			{Key: l.T("payreq.contractTitle"), Value: g.Title},
			{Key: l.T("payreq.coordinator"), Value: coordinator},
			{Key: l.T("payreq.requestNumber"), Value: number, Bold: true},
			{Key: l.T("payreq.periodCovered"), Value: period},
			{Key: l.T("payreq.implementation"), Value: l.T("pdf.dateRange", "From", date(g.StartDate), "To", date(g.EndDate))},
			{Key: l.T("payreq.currency"), Value: cur},
		}, 62)
		doc.Space(2)
		doc.Paragraph(l.T("payreq.body", "Number", number, "Reference", g.DonorReference, "Threshold", pct(p.ThresholdBP), "Cap", pct(p.CapBP)))

		doc.Heading(l.T("payreq.received"), 20)
		rows := make([]pdf.Row, 0, len(p.Received)+1)
		for _, x := range p.Received {
			rows = append(rows, pdf.Row{Cells: []string{l.T("payreq.instalmentN", "Number", strconv.Itoa(x.Number)), date(x.Date), amount(x.Amount)}})
		}
		if len(p.Received) == 0 {
			rows = append(rows, pdf.Row{Cells: []string{l.T("payreq.noneReceived"), "", ""}})
		}
		rows = append(rows, pdf.Row{Cells: []string{l.T("payreq.receivedTotal"), "", amount(p.ReceivedTotal)}, Bold: true, Shade: true})
		doc.Table(pdf.Table{Columns: []pdf.Column{
			{Title: l.T("payreq.col.instalment"), Width: 3},
			{Title: l.T("payreq.col.date"), Width: 3},
			{Title: l.T("payreq.col.amount"), Width: 3, Align: pdf.Right},
		}, Rows: rows, KeepTail: 2})

		doc.Heading(l.T("payreq.calculation"), 60)
		line := func(n, label, value string, bold bool) pdf.Row {
			return pdf.Row{Cells: []string{n, label, value}, Bold: bold, Shade: bold}
		}
		earlier := p.ReceivedTotal
		var last int64
		if n := len(p.Received); n > 0 {
			last = p.Received[n-1].Amount
			earlier -= last
		}
		requirement := l.T("payreq.requiredFirst")
		if len(p.Received) > 0 {
			requirement = l.T("payreq.required", "Threshold", pct(p.ThresholdBP), "Last", amount(last), "Earlier", amount(earlier))
		}
		calc := []pdf.Row{
			line("1", l.T("payreq.maxContribution"), amount(g.MaxDonorContribution), false),
			line("2", l.T("payreq.receivedSoFar"), amount(p.ReceivedTotal), false),
			line("3", l.T("payreq.accepted", "Date", date(d.pr.AsOf)), amount(p.AcceptedToDate), false),
			line("4", l.T("payreq.coFinancing"), pct(p.CoFinancingRateBP), false),
			line("5", l.T("payreq.euPart"), amount(p.EUPart), false),
			line("6", requirement, amount(p.Required), false),
			line("7", l.T("payreq.shortfall"), amount(p.Shortfall), false),
			line("8", l.T("payreq.planned", "Number", number), amount(p.NextPlanned), false),
			line("9", l.T("payreq.cap", "Cap", pct(p.CapBP)), amount(p.Cap), false),
			line("10", l.T("payreq.capRoom"), amount(p.CapRoom), false),
			line("11", l.T("payreq.requested"), amount(p.Requestable), true),
		}
		doc.Table(pdf.Table{Columns: []pdf.Column{
			{Title: "", Width: 0.6},
			{Title: l.T("payreq.col.item"), Width: 6.4},
			{Title: l.T("payreq.col.amount"), Width: 2.6, Align: pdf.Right},
		}, Rows: calc, KeepTail: 11, FontSize: 9})
		status := l.T("payreq.met", "EU", amount(p.EUPart), "Required", amount(p.Required))
		color := pdf.Green
		if !p.MayRequest {
			status = l.T("payreq.notMet", "EU", amount(p.EUPart), "Required", amount(p.Required), "Shortfall", amount(p.Shortfall))
			color = pdf.Amber
		}
		doc.Text(status, pdf.Style{Size: 8.5, Color: color, Bold: true})
		if p.NextPlanned == 0 {
			doc.Text(l.T("payreq.noPlan", "Number", number), pdf.Style{Size: 8.5, Color: pdf.Amber})
		}
		if p.CapRoom == 0 {
			doc.Text(l.T("payreq.capReached"), pdf.Style{Size: 8.5, Color: pdf.Amber})
		}
		doc.Space(2)
		doc.Tiles([]pdf.Tile{{Label: l.T("payreq.requestedTile", "Number", number), Value: amount(p.Requestable), Color: pdf.Navy}})

		doc.Heading(l.T("payreq.bank"), 30)
		doc.Note(l.T("payreq.bankNote"))
		blank := "________________________________________"
		doc.KeyValues([]pdf.KeyValue{
			{Key: l.T("payreq.accountHolder"), Value: blank},
			{Key: l.T("payreq.iban"), Value: blank},
			{Key: l.T("payreq.bankName"), Value: blank},
		}, 62)

		doc.Heading(l.T("payreq.signature"), 40)
		doc.Paragraph(l.T("payreq.certify"))
		doc.Space(2)
		name, function := d.in.SignatoryName, d.in.SignatoryFunction
		if strings.TrimSpace(name) == "" {
			name = blank
		}
		if strings.TrimSpace(function) == "" {
			function = blank
		}
		doc.KeyValues([]pdf.KeyValue{
			{Key: l.T("payreq.forCoordinator"), Value: d.pr.Lead},
			{Key: l.T("payreq.name"), Value: name},
			{Key: l.T("payreq.function"), Value: function},
			{Key: l.T("payreq.date"), Value: blank},
			{Key: l.T("payreq.signatureLine"), Value: blank},
		}, 62)
		doc.Note(l.T("payreq.generated", "At", pdfDateTime(lang, d.generatedAt)))
	})
}

// asOfField names as_of, the request's field, in resolve's violations of
// to_date.
func asOfField(err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Violations) == 0 {
		return err
	}
	c := *e
	c.Violations = make([]errs.FieldViolation, len(e.Violations))
	for i, f := range e.Violations {
		if f.Field == "to_date" {
			f.Field = "as_of"
		}
		c.Violations[i] = f
	}
	return &c
}

// countryName names an ISO 3166 country in lang ("Belgique"), or returns
// the code when it names none.
func countryName(lang, code string) string {
	if code == "" {
		return ""
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.Regions(language.Make(i18n.Of(lang))).Name(r); n != "" {
		return n
	}
	return code
}
