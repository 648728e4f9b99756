package finance

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/uptrace/bun"

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
