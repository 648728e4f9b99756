// Package eligibility is the one rule of which of a grant's expenditures
// count as its spending, and which are listed as not eligible because they
// are dated outside the grant's implementation period. Budget versus
// actual, the compliance check, the donor workbook and PDF, and a change
// of the grant's dates all use it, so that they count and list the same
// expenditures, to the cent.
//
//   - Claimed: submitted or verified. Drafts are not claimed yet; rejected
//     expenditures are not eligible whatever their date.
//   - Counted: claimed, dated inside the implementation period (start and
//     end included), with a converted amount (one waiting for a rate is
//     flagged and left out until its rate arrives).
//   - Not eligible, outside the period: claimed and dated before the start
//     or after the end. They are listed with their reason and never added
//     to spending, in the period or to date.
package eligibility

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
)

// Claimed are the expenditure statuses a grant claims as spending.
var Claimed = []string{"submitted", "verified"}

// Recorded are the statuses of expenditures a change of dates can make
// ineligible: all but rejected ones (drafts too: once submitted they would
// be listed as not eligible, never counted).
var Recorded = []string{"draft", "submitted", "verified"}

// Reasons an expenditure is outside the implementation period.
const (
	BeforeStart = "before_start"
	AfterEnd    = "after_end"
)

// Period is a grant's implementation period, both days included.
type Period struct{ Start, End calendar.Date }

// Inside is the SQL condition, on the expenditures table (columns without
// an alias), that an expenditure is dated inside p, and its arguments.
func (p Period) Inside() (string, []any) {
	return "(expense_date >= ? AND expense_date <= ?)", []any{p.Start.String(), p.End.String()}
}

// Outside is the SQL condition that an expenditure is dated outside p.
func (p Period) Outside() (string, []any) {
	return "(expense_date < ? OR expense_date > ?)", []any{p.Start.String(), p.End.String()}
}

// Contains reports whether d is inside p.
func (p Period) Contains(d calendar.Date) bool { return !d.Before(p.Start) && !d.After(p.End) }

// Reason says why d is outside p: BeforeStart, AfterEnd, or "" (inside).
func (p Period) Reason(d calendar.Date) string {
	switch {
	case d.Before(p.Start):
		return BeforeStart
	case d.After(p.End):
		return AfterEnd
	}
	return ""
}

// Summary adds up expenditures outside a period. Amounts are minor units
// of the grant currency.
type Summary struct {
	Count         int64 // expenditures
	Before, After int64 // of which dated before the start, after the end
	WithRate      int64 // of which with a converted amount
	Converted     int64 // their converted total
}

// Outside adds up, in the database, the grant's claimed expenditures dated
// outside p: those listed as not eligible. Errors: internal.
func Outside(ctx context.Context, idb bun.IDB, grantID string, p Period) (Summary, error) {
	var s Summary
	cond, args := p.Outside()
	err := idb.NewRaw(`SELECT COUNT(*) AS n,
			COALESCE(SUM(CASE WHEN expense_date < ? THEN 1 ELSE 0 END), 0) AS n_before,
			COALESCE(SUM(CASE WHEN expense_date > ? THEN 1 ELSE 0 END), 0) AS n_after,
			COUNT(converted_amount) AS n_rate,
			CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS total
		FROM expenditures WHERE grant_id = ? AND status IN (?) AND `+cond,
		append([]any{p.Start.String(), p.End.String(), grantID, bun.List(Claimed)}, args...)...).
		Scan(ctx, &s.Count, &s.Before, &s.After, &s.WithRate, &s.Converted)
	if err != nil {
		return Summary{}, db.Err(err)
	}
	return s, nil
}

// Expenditure is one expenditure outside a period, as lists show it.
type Expenditure struct {
	ID             string
	Date           string // YYYY-MM-DD
	DocumentRef    string
	Payee          string
	Description    string
	HeadingCode    string
	LineKey        string
	OrganisationID string
	ProjectID      sql.NullString
	Currency       string
	Amount         int64 // minor units of Currency
	Rate           sql.NullString
	Converted      sql.NullInt64 // minor units of the grant currency
	Status         string
	// Reason is BeforeStart or AfterEnd.
	Reason string
}

// ListOutside calls fn with each of the grant's claimed expenditures dated
// outside p, by date, reading them one at a time. fn must not use idb (the
// rows hold its connection); the expenditure passed is reused between
// calls. Errors: internal, or fn's.
func ListOutside(ctx context.Context, idb bun.IDB, grantID string, p Period, fn func(*Expenditure) error) error {
	cond, args := p.Outside()
	return list(ctx, idb, p, `WHERE grant_id = ? AND status IN (?) AND `+cond,
		append([]any{grantID, bun.List(Claimed)}, args...), 0, fn)
}

// Moved lists the grant's recorded expenditures (drafts, submitted and
// verified) dated inside was and outside now: those a change of the
// implementation period from was to now would make ineligible, by date,
// at most limit of them (all when limit is 0), and adds them all up.
// Errors: internal.
func Moved(ctx context.Context, idb bun.IDB, grantID string, was, now Period, limit int) ([]Expenditure, Summary, error) {
	var s Summary
	if was.Start.Equal(now.Start) && was.End.Equal(now.End) {
		return nil, s, nil
	}
	in, inArgs := was.Inside()
	out, outArgs := now.Outside()
	where := `WHERE grant_id = ? AND status IN (?) AND ` + in + ` AND ` + out
	args := append(append([]any{grantID, bun.List(Recorded)}, inArgs...), outArgs...)
	err := idb.NewRaw(`SELECT COUNT(*) AS n,
			COALESCE(SUM(CASE WHEN expense_date < ? THEN 1 ELSE 0 END), 0) AS n_before,
			COALESCE(SUM(CASE WHEN expense_date > ? THEN 1 ELSE 0 END), 0) AS n_after,
			COUNT(converted_amount) AS n_rate,
			CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS total
		FROM expenditures `+where, append([]any{now.Start.String(), now.End.String()}, args...)...).
		Scan(ctx, &s.Count, &s.Before, &s.After, &s.WithRate, &s.Converted)
	if err != nil {
		return nil, Summary{}, db.Err(err)
	}
	if s.Count == 0 {
		return nil, s, nil
	}
	var outList []Expenditure
	err = list(ctx, idb, now, where, args, limit, func(e *Expenditure) error {
		outList = append(outList, *e)
		return nil
	})
	if err != nil {
		return nil, Summary{}, err
	}
	return outList, s, nil
}

func list(ctx context.Context, idb bun.IDB, p Period, where string, args []any, limit int, fn func(*Expenditure) error) error {
	query := `SELECT id, expense_date, document_ref, payee, description, heading_code, line_key, organisation_id,
			project_id, currency_code, amount, rate, converted_amount, status
		FROM expenditures ` + where + ` ORDER BY expense_date, id`
	if limit > 0 {
		query += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := idb.QueryContext(ctx, query, args...)
	if err != nil {
		return db.Err(err)
	}
	defer func() { _ = rows.Close() }()
	var e Expenditure
	for rows.Next() {
		if err := rows.Scan(&e.ID, &e.Date, &e.DocumentRef, &e.Payee, &e.Description, &e.HeadingCode, &e.LineKey, &e.OrganisationID,
			&e.ProjectID, &e.Currency, &e.Amount, &e.Rate, &e.Converted, &e.Status); err != nil {
			return db.Err(err)
		}
		e.Reason = BeforeStart
		if d, err := calendar.Parse(e.Date); err == nil {
			e.Reason = p.Reason(d)
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return db.Err(err)
	}
	return nil
}
