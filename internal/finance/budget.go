package finance

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/eligibility"
)

// Kinds of template headings.
const (
	kindDirect      = "direct"       // a cost heading (1 to 6 in PRAG)
	kindSubtotal    = "subtotal"     // computed: the direct headings
	kindContingency = "contingency"  // the contingency reserve
	kindTotalDirect = "total_direct" // computed: subtotal + contingency
	kindIndirect    = "indirect"     // indirect costs
	kindTotal       = "total"        // computed: total direct + indirect
)

// Expenditure statuses that count as spending.
const (
	statusSubmitted = "submitted"
	statusVerified  = "verified"
	statusRejected  = "rejected" // counts nowhere; the associate check skips it
)

// heading is one heading of a budget template.
type heading struct {
	Code     string `bun:"code"`
	Title    string `bun:"title"`
	Kind     string `bun:"kind"`
	Position int    `bun:"position"`
}

func (h heading) label() string { return h.Code + " " + h.Title }

func (h heading) computed() bool {
	return h.Kind == kindSubtotal || h.Kind == kindTotalDirect || h.Kind == kindTotal
}

// loadHeadings returns the headings of a template, in order.
func loadHeadings(ctx context.Context, idb bun.IDB, templateID string) ([]heading, error) {
	var out []heading
	err := idb.NewRaw("SELECT code, title, kind, position FROM budget_template_headings WHERE template_id = ? ORDER BY position, code",
		templateID).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// version is a budget version.
type version struct {
	ID     string `bun:"id"`
	Number int    `bun:"number"`
	Kind   string `bun:"kind"`
	Label  string `bun:"label"`
}

// describe names a version for people: "version 2 (transfer)".
func (v *version) describe() string {
	s := "version " + strconv.Itoa(v.Number) + " (" + v.Kind
	if v.Label != "" {
		s += ", " + v.Label
	}
	return s + ")"
}

// latestAdopted returns the adopted version with the highest number whose
// kind is one of kinds (any kind when none is given) and whose number is
// below before (no bound when before < 0), or nil.
func latestAdopted(ctx context.Context, idb bun.IDB, grantID string, before int, kinds ...string) (*version, error) {
	query := "SELECT id, number, kind, label FROM budget_versions WHERE grant_id = ? AND state = 'adopted'"
	args := []any{grantID}
	if before >= 0 {
		query += " AND number < ?"
		args = append(args, before)
	}
	if len(kinds) > 0 {
		query += " AND kind IN (?)"
		args = append(args, bun.List(kinds))
	}
	var v version
	err := idb.NewRaw(query+" ORDER BY number DESC LIMIT 1", args...).Scan(ctx, &v)
	if db.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, db.Err(err)
	}
	return &v, nil
}

// line is a budget line of one version.
type line struct {
	LineKey        string         `bun:"line_key"`
	HeadingCode    string         `bun:"heading_code"`
	Code           string         `bun:"code"`
	Description    string         `bun:"description"`
	Total          int64          `bun:"total"`
	Unit           string         `bun:"unit"`
	Units          string         `bun:"units"`
	UnitCost       int64          `bun:"unit_cost"`
	ProjectID      sql.NullString `bun:"project_id"`
	OrganisationID sql.NullString `bun:"organisation_id"`
	Position       int            `bun:"position"`
}

func (l line) label() string { return l.Code + " " + l.Description }

// loadLines returns the lines of a version (none for nil), in order.
func loadLines(ctx context.Context, idb bun.IDB, v *version) ([]line, error) {
	if v == nil {
		return nil, nil
	}
	var out []line
	err := idb.NewRaw(`SELECT line_key, heading_code, code, description, total, unit, units, unit_cost, project_id, organisation_id, position
		FROM budget_lines WHERE budget_version_id = ? ORDER BY position, code`, v.ID).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}

// headingTotals returns the budget of each heading code of a version,
// added up in the database.
func headingTotals(ctx context.Context, idb bun.IDB, v *version) (map[string]int64, error) {
	out := map[string]int64{}
	if v == nil {
		return out, nil
	}
	var rows []struct {
		Code  string `bun:"heading_code"`
		Total int64  `bun:"total"`
	}
	err := idb.NewRaw(`SELECT heading_code, CAST(SUM(total) AS BIGINT) AS total FROM budget_lines
		WHERE budget_version_id = ? GROUP BY heading_code`, v.ID).Scan(ctx, &rows)
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out[r.Code] = r.Total
	}
	return out, nil
}

// spending is one group of expenditures, added up in the database: the
// converted total and count of those with a rate, and the count of those
// without one (left out of the total).
type spending struct {
	Key         sql.NullString `bun:"k"`
	Heading     string         `bun:"h"`
	Month       string         `bun:"m"`
	Spent       int64          `bun:"spent"`
	Count       int64          `bun:"counted"`
	RateMissing int64          `bun:"missing"`
}

// Groupings of spending: the expenditure column each groups by.
var spendColumn = map[Grouping]string{
	ByHeading: "heading_code",
	ByLine:    "line_key",
	ByPartner: "organisation_id",
	ByProject: "project_id",
}

// countedStatuses are the expenditure statuses that count as spending.
func countedStatuses(verifiedOnly bool) []string {
	if verifiedOnly {
		return []string{statusVerified}
	}
	return eligibility.Claimed
}

// spend adds up a grant's expenditures in the given statuses dated inside
// the implementation period p and on or before asOf (eligibility's rule of
// what counts), per value of the grouping's column and per month
// ("YYYY-MM"), in the database. Grouped by line, each group also has its
// heading.
func spend(ctx context.Context, idb bun.IDB, grantID string, p eligibility.Period, by Grouping, statuses []string, asOf calendar.Date) ([]spending, error) {
	col := spendColumn[by]
	heading := "''"
	groupBy := []string{col, "substr(expense_date, 1, 7)"}
	if by == ByLine {
		heading = "heading_code"
		groupBy = append(groupBy, "heading_code")
	}
	inside, args := p.Inside()
	var out []spending
	err := idb.NewRaw(`SELECT `+col+` AS k, `+heading+` AS h, substr(expense_date, 1, 7) AS m,
			CAST(COALESCE(SUM(converted_amount), 0) AS BIGINT) AS spent,
			COUNT(converted_amount) AS counted, COUNT(*) - COUNT(converted_amount) AS missing
		FROM expenditures
		WHERE grant_id = ? AND status IN (?) AND expense_date <= ? AND `+inside+`
		GROUP BY `+strings.Join(groupBy, ", "), append([]any{grantID, bun.List(statuses), asOf.String()}, args...)...).Scan(ctx, &out)
	if err != nil {
		return nil, db.Err(err)
	}
	return out, nil
}
