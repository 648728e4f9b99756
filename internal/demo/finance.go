package demo

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/expenditure"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/money"
)

// budgetAmounts returns a demo budget's total direct costs (subtotal plus
// contingency), its indirect costs (7% of that, cut to the cent so the cap
// holds) and its total, in euros.
func budgetAmounts(lines []budgetLine) (direct, indirect, total decimal.Decimal) {
	for _, l := range lines {
		direct = direct.Add(decimal.RequireFromString(l.units).Mul(decimal.RequireFromString(l.unitCost)))
	}
	indirect = direct.Mul(decimal.New(7, -2)).Truncate(2)
	return direct, indirect, direct.Add(indirect)
}

// seedFinance gives the demo grants their money: a year and more of
// InforEuro-style monthly rates (none yet for the current month, as in
// life), an adopted PRAG budget per grant (the first with a later transfer
// between headings), ledgers of a few thousand expenditures in the
// partners' currencies imported through the ledger import, pre-financing
// instalments and a few bank transfers to partners.
func seedFinance(ctx context.Context, d *bun.DB, today calendar.Date, data *Data) error {
	rates := fx.NewService(d)
	budgets := budget.NewService(d)
	ledgers := expenditure.NewService(d)
	fin := finance.NewService(d)

	// Rates from the first grant's start to last month.
	first := data.Grants[0].StartDate
	for k := 0; ; k++ {
		month := first.AddMonths(k)
		if !month.Before(calendar.New(today.Time().Year(), today.Time().Month(), 1)) {
			break
		}
		m := month.String()[:7]
		res, err := rates.ImportRates(ctx, fx.ImportInput{FileName: "inforeuro-" + m + ".csv", Content: ratesCSV(k), Month: m})
		if err != nil {
			return fmt.Errorf("rates %s: %w", m, err)
		}
		if len(res.Problems) > 0 {
			return fmt.Errorf("rates %s: %v", m, res.Problems[0])
		}
	}

	for i, g := range data.Grants {
		lines := grantBudgets[i]
		v, err := budgets.CreateVersion(ctx, g.ID, budget.VersionInput{Kind: budget.Original, Label: "Original budget (Annex III)", EffectiveDate: g.StartDate.String()}, "")
		if err != nil {
			return fmt.Errorf("budget of %s: %w", g.DonorReference, err)
		}
		for _, l := range lines {
			in := budget.LineInput{HeadingCode: l.heading, Code: l.code, Description: l.description, Unit: l.unit, Units: l.units, UnitCost: l.unitCost,
				OrganisationID: data.Organisations[l.partner].ID}
			if l.project != "" {
				in.ProjectID = data.Projects[l.project].ID
			}
			if _, err := budgets.CreateLine(ctx, g.ID, v.ID, in, ""); err != nil {
				return fmt.Errorf("budget line %s of %s: %w", l.code, g.DonorReference, err)
			}
		}
		direct, indirect, _ := budgetAmounts(lines)
		_ = direct
		if _, err := budgets.CreateLine(ctx, g.ID, v.ID, budget.LineInput{HeadingCode: "10", Code: "10.1", Description: "Indirect costs (7% of total direct eligible costs)",
			Unit: "lump sum", Units: "1", UnitCost: indirect.StringFixed(2), OrganisationID: data.Organisations["GADW"].ID}, ""); err != nil {
			return fmt.Errorf("indirect costs of %s: %w", g.DonorReference, err)
		}
		v, err = budgets.GetVersion(ctx, g.ID, v.ID)
		if err != nil {
			return err
		}
		if _, err := budgets.AdoptVersion(ctx, g.ID, v.ID, v.ETag()); err != nil {
			return fmt.Errorf("adopt budget of %s: %w", g.DonorReference, err)
		}

		// The ledger of what was spent so far, imported as finance staff do.
		pace := int64(96)
		if i == 1 {
			pace = 104 // the second grant spends a little ahead of plan
		}
		rows := ledgerRows(uint64(i+1), lines, g.StartDate, g.EndDate, today, pace)
		header := []string{"Date", "Budget line", "Project code", "Partner", "Amount", "Currency", "Payee", "Description", "Document reference"}
		res, err := ledgers.Import(ctx, g.ID, expenditure.ImportRequest{FileName: "ledger.csv", Content: ledgerCSV(header, rows)})
		if err != nil {
			return fmt.Errorf("ledger of %s: %w", g.DonorReference, err)
		}
		if len(res.Problems) > 0 {
			return fmt.Errorf("ledger of %s: row %d %s: %s", g.DonorReference, res.Problems[0].Row, res.Problems[0].Column, res.Problems[0].Problem)
		}
		if err := settleStatuses(ctx, d, g.ID, today); err != nil {
			return err
		}

		// Pre-financing: the first instalment at signature, the next ones a
		// year apart once due.
		share := []int64{40, 35}
		for n, pct := range share {
			received := g.StartDate.AddMonths(12 * n).AddDays(20)
			if received.After(today) {
				break
			}
			amount := decimal.New(g.MaxDonorContribution, -2).Mul(decimal.New(pct, -2)).Truncate(2)
			if _, err := fin.CreatePayment(ctx, g.ID, finance.PaymentInput{ReceivedDate: received.String(), Amount: amount.StringFixed(2)}, ""); err != nil {
				return fmt.Errorf("pre-financing of %s: %w", g.DonorReference, err)
			}
		}
		if err := seedFunding(ctx, fin, i, g, today); err != nil {
			return err
		}
	}

	// Transfers that funded two partners (kept for the record; the grants
	// convert at monthly rates).
	for _, t := range []struct {
		grant               int
		partner, currency   string
		months              int
		sent, received, ref string
	}{
		{0, "UDWU", "KES", 1, "60000.00", "8490000.00", "GADW/TR/001"},
		{0, "HMWF", "NPR", 1, "45000.00", "6662250.00", "GADW/TR/002"},
		{1, "RTT", "XOF", 1, "30000.00", "19678710", "GADW/TR/101"},
	} {
		g := data.Grants[t.grant]
		date := g.StartDate.AddMonths(t.months).AddDays(4)
		if date.After(today) {
			continue
		}
		if _, _, err := rates.CreateTransfer(ctx, g.ID, fx.TransferInput{OrganisationID: data.Organisations[t.partner].ID, Date: date.String(),
			GrantAmount: t.sent, Currency: t.currency, LocalAmount: t.received, Reference: t.ref}, ""); err != nil {
			return fmt.Errorf("transfer %s: %w", t.ref, err)
		}
	}
	return nil
}

// settleStatuses moves the demo's imported drafts along, as finance staff
// would have: verified up to two months ago, submitted since, this month's
// left as drafts, and two sent back with a reason. (Direct SQL: thousands
// of clicks' worth, for fictional data only.)
func settleStatuses(ctx context.Context, d *bun.DB, grantID string, today calendar.Date) error {
	verifiedUntil := today.AddMonths(-2).String()
	thisMonth := today.String()[:7] + "-01"
	if _, err := d.NewUpdate().Table("expenditures").Set("status = 'verified'").
		Where("grant_id = ? AND expense_date < ?", grantID, verifiedUntil).Exec(ctx); err != nil {
		return err
	}
	if _, err := d.NewUpdate().Table("expenditures").Set("status = 'submitted'").
		Where("grant_id = ? AND expense_date >= ? AND expense_date < ?", grantID, verifiedUntil, thisMonth).Exec(ctx); err != nil {
		return err
	}
	var ids []string
	if err := d.NewSelect().Table("expenditures").Column("id").Where("grant_id = ? AND status = 'submitted'", grantID).
		Order("expense_date", "id").Limit(2).Scan(ctx, &ids); err != nil {
		return err
	}
	if len(ids) > 0 {
		if _, err := d.NewUpdate().Table("expenditures").
			Set("status = 'rejected', reject_reason = ?", "The invoice is missing; attach it and submit again.").
			Where("id IN (?)", bun.List(ids)).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// seedFunding records a demo grant's sources of funding besides the EU
// contribution: the lead's own funds make up the difference between the
// total eligible costs and the maximum EU contribution; on the first grant
// another donor (the Swiss agency) covers 50,000.00 of it, with the
// receipts due by today.
func seedFunding(ctx context.Context, fin *finance.Service, i int, g *grant.Grant, today calendar.Date) error {
	own := g.TotalEligibleCosts - g.MaxDonorContribution
	var donor int64
	if i == 0 && own > 50000_00 {
		donor = 50000_00
		own -= donor
	}
	if _, err := fin.CreateFundingSource(ctx, g.ID, finance.FundingSourceInput{Kind: finance.FundingOwnFunds,
		OrganisationID: g.LeadOrganisationID, ExpectedAmount: money.Format(own, g.CurrencyCode)}, ""); err != nil {
		return fmt.Errorf("own funds of %s: %w", g.DonorReference, err)
	}
	if donor == 0 {
		return nil
	}
	src, err := fin.CreateFundingSource(ctx, g.ID, finance.FundingSourceInput{Kind: finance.FundingOtherDonor,
		DisplayName: "Swiss Agency for Development and Cooperation", ExpectedAmount: money.Format(donor, g.CurrencyCode)}, "")
	if err != nil {
		return fmt.Errorf("other donor of %s: %w", g.DonorReference, err)
	}
	for _, r := range []struct {
		months      int
		amount, ref string
	}{{2, "20000.00", "SDC/7F-10234/1"}, {14, "15000.00", "SDC/7F-10234/2"}} {
		date := g.StartDate.AddMonths(r.months).AddDays(9)
		if date.After(today) {
			break
		}
		if _, err := fin.CreateFundingReceipt(ctx, g.ID, src.ID, finance.FundingReceiptInput{ReceivedDate: date.String(),
			Amount: r.amount, Reference: r.ref}, ""); err != nil {
			return fmt.Errorf("receipt %s: %w", r.ref, err)
		}
	}
	return nil
}
