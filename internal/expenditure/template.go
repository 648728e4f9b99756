package expenditure

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/rules"
)

// XLSXContentType is the media type of an Excel workbook.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Template is a ledger template to download.
type Template struct {
	FileName    string
	ContentType string
	Content     []byte
}

// templateLine is a budget line as the template lists it.
type templateLine struct {
	Code         string `bun:"code"`
	HeadingCode  string `bun:"heading_code"`
	HeadingTitle string `bun:"heading_title"`
	Description  string `bun:"description"`
	ProjectCode  string `bun:"project_code"`
	PartnerShort string `bun:"partner_short"`
	PartnerName  string `bun:"partner_name"`
}

// Template returns the ledger template of grant grantID: an XLSX workbook
// whose first sheet has the ledger's header row (the columns Import reads),
// and whose second lists the lines of the grant's latest adopted budget the
// caller may read (code, heading, description, project and partner) and the
// currency codes with rates for the grant's currency. Errors: not found
// (the grant).
func (s *Service) Template(ctx context.Context, grantID string) (*Template, error) {
	c := actor.From(ctx)
	g, err := visibleGrant(ctx, s.db, c, grantID)
	if err != nil {
		return nil, err
	}
	r, err := rules.Load(ctx, s.db, g.ID)
	if err != nil {
		return nil, err
	}
	versionID, _, err := latestVersion(ctx, s.db, g.ID)
	if err != nil {
		return nil, err
	}
	var lines []templateLine
	if versionID != "" {
		q := s.db.NewSelect().TableExpr("budget_lines AS bl").
			ColumnExpr("bl.code, bl.heading_code, COALESCE(h.title, '') AS heading_title, bl.description").
			ColumnExpr("COALESCE(p.code, '') AS project_code, COALESCE(o.short_name, '') AS partner_short, COALESCE(o.display_name, '') AS partner_name").
			Join("LEFT JOIN budget_template_headings AS h ON h.template_id = ? AND h.code = bl.heading_code", r.TemplateID).
			Join("LEFT JOIN projects AS p ON p.id = bl.project_id").
			Join("LEFT JOIN organisations AS o ON o.id = bl.organisation_id").
			Where("bl.budget_version_id = ?", versionID)
		q = policy.Where(q, policy.PartnerMoney(c, "bl.grant_id", "bl.organisation_id"))
		if err := q.OrderExpr("bl.position ASC, bl.code ASC").Scan(ctx, &lines); err != nil {
			return nil, db.Err(err)
		}
	}
	currencies, err := grantCurrencies(ctx, s.db, g)
	if err != nil {
		return nil, err
	}
	content, err := buildTemplate(g, lines, currencies)
	if err != nil {
		return nil, errs.Internal(err)
	}
	return &Template{FileName: TemplateFileName(g.DonorReference), ContentType: XLSXContentType, Content: content}, nil
}

// grantCurrencies lists the grant currency, then the currencies that have
// rates for it (monthly, fixed or by transfer), sorted.
func grantCurrencies(ctx context.Context, idb bun.IDB, g *grantfacts.Facts) ([]string, error) {
	var codes []string
	err := idb.NewRaw(`SELECT DISTINCT currency_code FROM exchange_rates WHERE base_currency = ?
		UNION SELECT currency_code FROM grant_fixed_rates WHERE grant_id = ?
		UNION SELECT currency_code FROM partner_transfers WHERE grant_id = ?`, g.CurrencyCode, g.ID, g.ID).Scan(ctx, &codes)
	if err != nil {
		return nil, db.Err(err)
	}
	sort.Strings(codes)
	out := []string{g.CurrencyCode}
	for _, c := range codes {
		if c != g.CurrencyCode {
			out = append(out, c)
		}
	}
	return out, nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// TemplateFileName is the template's file name for a grant's donor
// reference: "ledger-template-CSO-LA-2026-001.xlsx".
func TemplateFileName(donorReference string) string {
	ref := strings.Trim(unsafeName.ReplaceAllString(donorReference, "-"), "-.")
	if ref == "" {
		return "ledger-template.xlsx"
	}
	return "ledger-template-" + ref + ".xlsx"
}

const (
	ledgerSheet = "Ledger"
	listsSheet  = "Budget lines"
)

// templateRows is how many rows of the ledger sheet the lists cover.
const templateRows = 10000

// requiredNotes are the notes on the required columns' headers.
var requiredNotes = map[string]string{
	"date":     "Required. The date the cost was incurred: a date cell, or dd/mm/yyyy (28/11/2026), dd.mm.yyyy or yyyy-mm-dd.",
	"line":     "Required. The budget line's code: pick one from the list (sheet \"Budget lines\").",
	"amount":   "Required. The amount paid, in the currency of the next column: 1250.50 or 1,250.50.",
	"currency": "Required. The ISO code of the currency paid in (KES, XOF, EUR...): pick one from the list; KSH, US$ and the like are read too.",
}

// addLists offers, on the ledger sheet, the budget lines' codes and the
// currencies of the lists sheet as drop-down lists. Other values only warn:
// a line the budget gains later, or a currency alias, stays possible.
func addLists(f *excelize.File, lines, currencies int) error {
	for _, l := range []struct {
		column, source, title, msg string
		n                          int
	}{
		{"B", "A", "Budget line", "This is not a line of the template's list: check the code on the sheet \"Budget lines\".", lines},
		{"F", "G", "Currency", "This currency has no rate for the grant yet: check the code (KES, XOF, EUR...).", currencies},
	} {
		if l.n == 0 {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", l.column, l.column, templateRows))
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$2:$%s$%d", listsSheet, l.source, l.source, l.n+1))
		dv.SetError(excelize.DataValidationErrorStyleWarning, l.title, l.msg)
		if err := f.AddDataValidation(ledgerSheet, dv); err != nil {
			return err
		}
	}
	return nil
}

func buildTemplate(g *grantfacts.Facts, lines []templateLine, currencies []string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close() //nolint:errcheck // an in-memory workbook: Close only removes excelize's temporary files
	if err := f.SetSheetName("Sheet1", ledgerSheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return nil, err
	}
	isoDate := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &isoDate})
	if err != nil {
		return nil, err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": kept as typed, so line 1.10 stays 1.10
	if err != nil {
		return nil, err
	}
	required, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}}})
	if err != nil {
		return nil, err
	}
	header := make([]any, len(ledgerColumns))
	for i, col := range ledgerColumns {
		header[i] = col.title
		if col.required {
			header[i] = col.title + " *"
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(ledgerSheet, name, name, col.width); err != nil {
			return nil, err
		}
		style := 0
		switch col.key {
		case "date":
			style = dateStyle
		case "line", "project", "document":
			style = textStyle
		}
		if style != 0 {
			if err := f.SetColStyle(ledgerSheet, name, style); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetSheetRow(ledgerSheet, "A1", &header); err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(ledgerColumns))
	if err := f.SetCellStyle(ledgerSheet, "A1", last+"1", bold); err != nil {
		return nil, err
	}
	for i, col := range ledgerColumns {
		if !col.required {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStyle(ledgerSheet, cell, cell, required); err != nil {
			return nil, err
		}
		if err := f.AddComment(ledgerSheet, excelize.Comment{Author: "Pactum", Cell: cell, Text: requiredNotes[col.key]}); err != nil {
			return nil, err
		}
	}
	if err := addLists(f, len(lines), len(currencies)); err != nil {
		return nil, err
	}
	if err := f.SetPanes(ledgerSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}

	if _, err := f.NewSheet(listsSheet); err != nil {
		return nil, err
	}
	if err := f.SetSheetRow(listsSheet, "A1", &[]any{"Code", "Heading", "Description", "Project code", "Partner", "", "Currency"}); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(listsSheet, "A1", "G1", bold); err != nil {
		return nil, err
	}
	for i, l := range lines {
		heading := l.HeadingCode
		if l.HeadingTitle != "" {
			heading += " " + l.HeadingTitle
		}
		partner := l.PartnerShort
		if partner == "" {
			partner = l.PartnerName
		}
		if err := f.SetSheetRow(listsSheet, fmt.Sprintf("A%d", i+2), &[]any{l.Code, heading, l.Description, l.ProjectCode, partner}); err != nil {
			return nil, err
		}
	}
	if len(lines) == 0 {
		if err := f.SetCellStr(listsSheet, "A2", fmt.Sprintf("%s has no adopted budget yet (or none of its lines is allocated to your organisation)", g.Describe())); err != nil {
			return nil, err
		}
	}
	for i, code := range currencies {
		if err := f.SetCellStr(listsSheet, fmt.Sprintf("G%d", i+2), code); err != nil {
			return nil, err
		}
	}
	for col, width := range map[string]float64{"A": 10, "B": 30, "C": 48, "D": 14, "E": 24, "F": 4, "G": 10} {
		if err := f.SetColWidth(listsSheet, col, col, width); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(listsSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
