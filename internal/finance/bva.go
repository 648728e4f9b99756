package finance

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
)

// Grouping is what budget-versus-actual rows are grouped by.
type Grouping string

const (
	ByHeading Grouping = "heading"
	ByLine    Grouping = "line"
	ByPartner Grouping = "partner"
	ByProject Grouping = "project"
)

// Query asks for a grant's budget versus actual.
type Query struct {
	GrantID string
	GroupBy Grouping // "" is ByHeading
	// VerifiedOnly counts verified expenditures only; by default submitted
	// and verified ones count (never drafts or rejected ones).
	VerifiedOnly bool
	AsOf         string // "YYYY-MM-DD", spending up to that day; "" is today
}

// Row compares budget and spending for one heading, line, partner or
// project. Amounts are minor units of the grant currency.
type Row struct {
	// Key is the heading code, the line key, the organisation id or the
	// project id; "" for spending on no partner or no project.
	Key         string
	Label       string // "2 Travel", "2.1 International travel", the partner's or project's name
	HeadingCode string // the row's heading (headings and lines)
	Budget      int64
	Spent       int64
	Remaining   int64  // Budget - Spent
	Percent     string // Spent as a percentage of Budget, two decimals; "" when Budget is 0
	MonthlyBurn int64  // Spent / months elapsed, rounded to the minor unit
	Projected   int64  // Spent + MonthlyBurn x months left
	Count       int64  // expenditures counted in Spent
	Computed    bool   // a subtotal or total (grouped by heading), and the grand total
}

// Month is the spending of one month and the running total.
type Month struct {
	Month      string // "YYYY-MM"
	Spent      int64
	Cumulative int64
}

// BudgetVsActual is a grant's spending against its latest adopted budget.
type BudgetVsActual struct {
	GrantID  string
	Currency string
	// VersionID is the budget version compared with: the adopted one with
	// the highest number ("" when none is adopted).
	VersionID string
	Rows      []Row
	Total     Row
	Months    []Month
	// RateMissing counts the expenditures that would count but have no
	// exchange rate: left out of every figure.
	RateMissing   int64
	MonthsElapsed int
	MonthsLeft    int
	AsOf          calendar.Date
	// Ineligible adds up the claimed expenditures dated outside the
	// implementation period, whatever AsOf: not eligible, left out of
	// every figure above (see package eligibility).
	Ineligible eligibility.Summary
	// Indirect is the flat rate's claim, in the indirect heading's figures.
	Indirect Indirect
	// UnverifiedCount and UnverifiedAmount: submitted, not yet verified.
	UnverifiedCount, UnverifiedAmount int64
}

// Period is the grant's implementation period: the eligibility window of
// its costs.
func Period(g *grant.Grant) eligibility.Period {
	return eligibility.Period{Start: g.StartDate, End: g.EndDate}
}

// BudgetVsActual compares the grant's spending up to q.AsOf with its latest
// adopted budget, grouped as asked. Spending is the converted amount of the
// expenditures submitted or verified (verified only with q.VerifiedOnly)
// dated inside the implementation period, added up in the database; those
// dated outside it are not eligible and only added up apart (Ineligible). Spending on lines, partners or projects the
// budget does not have still has a row (with a zero budget).
//
// Only the grant's coordinators, finance staff and auditors (and admins)
// may ask. Errors: invalid (as_of, group_by), not found (a grant the
// caller may not read), permission (a partner of the grant).
func (s *Service) BudgetVsActual(ctx context.Context, q Query) (*BudgetVsActual, error) {
	if q.GroupBy == "" {
		q.GroupBy = ByHeading
	}
	if _, ok := spendColumn[q.GroupBy]; !ok {
		return nil, errs.Invalid(errs.FieldViolation{Field: "group_by", Description: "must be heading, line, partner or project"})
	}
	asOf, err := s.asOf(q.AsOf, "as_of")
	if err != nil {
		return nil, err
	}
	c := actor.From(ctx)
	var out *BudgetVsActual
	err = s.readTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		g, err := readFull(ctx, tx, c, q.GrantID)
		if err != nil {
			return err
		}
		out, err = budgetVsActual(ctx, tx, g, q.GroupBy, q.VerifiedOnly, asOf)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// period is the months elapsed from the grant's start to asOf (whole
// months, at least 1, at most the grant's length) and the months left to
// its end date.
func period(g *grant.Grant, asOf calendar.Date) (elapsed, left int) {
	total := calendar.MonthsBetween(g.StartDate, g.EndDate)
	to := asOf
	if to.After(g.EndDate) {
		to = g.EndDate
	}
	elapsed = calendar.MonthsBetween(g.StartDate, to)
	if elapsed < 1 {
		elapsed = 1
	}
	left = total - elapsed
	if left < 0 {
		left = 0
	}
	return elapsed, left
}

// finish fills a row's derived figures.
func (r *Row) finish(elapsed, left int) {
	r.Remaining = r.Budget - r.Spent
	r.Percent = percent(r.Spent, r.Budget)
	r.MonthlyBurn = divRound(r.Spent, int64(elapsed))
	r.Projected = r.Spent + r.MonthlyBurn*int64(left)
}

// budgetVsActual is a view of the statement from the grant's start to
// asOf: its headings, lines, partners or projects, and months.
func budgetVsActual(ctx context.Context, tx bun.IDB, g *grant.Grant, by Grouping, verifiedOnly bool, asOf calendar.Date) (*BudgetVsActual, error) {
	s, err := StatementIn(ctx, tx, g, StatementQuery{From: g.StartDate, To: asOf, Today: asOf, VerifiedOnly: verifiedOnly})
	if err != nil {
		return nil, err
	}
	out := &BudgetVsActual{GrantID: g.ID, Currency: g.CurrencyCode, AsOf: asOf, Ineligible: s.Ineligible,
		RateMissing: s.RateMissingToDate, Indirect: s.Indirect, UnverifiedCount: s.UnverifiedCount, UnverifiedAmount: s.UnverifiedAmount}
	if s.Version != nil {
		out.VersionID = s.Version.ID
	}
	out.MonthsElapsed, out.MonthsLeft = period(g, asOf)
	var rows []Row
	switch by {
	case ByHeading:
		for _, h := range s.Headings {
			if h.Code == "" {
				continue // the grand total the template lacks: Total
			}
			label := h.Code + " " + h.Title
			if !h.InTemplate {
				label = h.Code + " (not in the budget template)"
			}
			rows = append(rows, Row{Key: h.Code, Label: label, HeadingCode: h.Code, Budget: h.Budget, Spent: h.ToDate,
				Count: h.CountToDate, Computed: h.Computed()})
		}
	case ByLine:
		for _, h := range s.Headings {
			if h.Computed() {
				continue
			}
			for _, l := range h.Lines {
				label := l.Code + " " + l.Description
				switch {
				case l.FlatRate && !l.InBudget:
					label = l.Code + " flat rate"
				case !l.InBudget:
					label += " (not in the budget)"
				}
				if l.Budget == 0 && l.ToDate == 0 && !l.InBudget {
					continue // baseline only
				}
				rows = append(rows, Row{Key: l.Key, Label: label, HeadingCode: h.Code, Budget: l.Budget, Spent: l.ToDate, Count: l.CountToDate})
			}
		}
	case ByPartner, ByProject:
		parties, none := s.Partners, "No partner"
		if by == ByProject {
			parties, none = s.Projects, "No project"
		}
		for _, p := range parties {
			label := p.Name
			switch {
			case p.ID == "":
				label = none
			case label == "":
				label = p.ID
			}
			rows = append(rows, Row{Key: p.ID, Label: label, Budget: p.Budget, Spent: p.ToDate, Count: p.CountToDate})
		}
	}
	total := Row{Label: "Total", Computed: true, Budget: s.Total.Budget, Spent: s.Total.ToDate, Count: s.Total.CountToDate}
	for i := range rows {
		rows[i].finish(out.MonthsElapsed, out.MonthsLeft)
	}
	total.finish(out.MonthsElapsed, out.MonthsLeft)
	out.Rows, out.Total = rows, total
	out.Months = s.Months
	return out, nil
}

// BudgetVsActualIn is BudgetVsActual within idb, a transaction the caller
// owns (so that several answers, a report's, come from one snapshot), for a
// grant the caller has already been allowed to read in full. q.AsOf must be
// set. Errors: invalid (group_by, as_of).
func BudgetVsActualIn(ctx context.Context, idb bun.IDB, g *grant.Grant, q Query) (*BudgetVsActual, error) {
	if q.GroupBy == "" {
		q.GroupBy = ByHeading
	}
	if _, ok := spendColumn[q.GroupBy]; !ok {
		return nil, errs.Invalid(errs.FieldViolation{Field: "group_by", Description: "must be heading, line, partner or project"})
	}
	asOf, err := calendar.Parse(q.AsOf)
	if err != nil {
		return nil, errs.Invalid(errs.FieldViolation{Field: "as_of", Description: err.Error()})
	}
	return budgetVsActual(ctx, idb, g, q.GroupBy, q.VerifiedOnly, asOf)
}
