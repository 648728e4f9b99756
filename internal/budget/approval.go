package budget

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/money"
)

// MaxApprovalReference is the longest approval reference, in characters.
const MaxApprovalReference = 200

// checkApprovalReference trims an approval reference and checks its length.
func checkApprovalReference(s string, ve *errs.Violations) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxApprovalReference {
		ve.Add("approval_reference", "must be at most %d characters: the donor's reference of the addendum or of its approval letter, e.g. Addendum No 1",
			MaxApprovalReference)
	}
	return s
}

// needsApproval says why version v needs the donor's approval reference to
// be adopted, or "" when it does not: an addendum always (it is the
// donor's formal change of the contract), a transfer when it lowers the
// contingency heading of the grant's template below the version adopted
// before it (a use of the contingency reserve needs the donor's prior
// approval). Errors: internal.
func needsApproval(ctx context.Context, idb bun.IDB, v *Version) (string, error) {
	switch v.Kind {
	case Addendum:
		return "an addendum is the donor's formal change of the contract; give the reference of the signed addendum, e.g. Addendum No 1", nil
	case Transfer:
	default:
		return "", nil
	}
	t, err := grantTemplate(ctx, idb, v.GrantID)
	if err != nil {
		return "", err
	}
	var reserve *Heading
	for i := range t.Headings {
		if t.Headings[i].Kind == KindContingency {
			reserve = &t.Headings[i]
			break
		}
	}
	if reserve == nil {
		return "", nil
	}
	before := new(Version)
	err = idb.NewSelect().Model(before).Where("grant_id = ? AND state = ? AND number < ?", v.GrantID, Adopted, v.Number).
		OrderExpr("number DESC").Limit(1).Scan(ctx)
	if db.IsNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", db.Err(err)
	}
	was, err := headingSum(ctx, idb, before.ID, reserve.Code)
	if err != nil {
		return "", err
	}
	now, err := headingSum(ctx, idb, v.ID, reserve.Code)
	if err != nil {
		return "", err
	}
	if now >= was {
		return "", nil
	}
	g, err := grantfacts.Read(ctx, idb, v.GrantID)
	if err != nil {
		return "", err
	}
	cur := g.CurrencyCode
	return fmt.Sprintf("this transfer lowers the contingency reserve (heading %s) from %s %s in %q to %s %s, a use of %s %s of the reserve, "+
		"which needs the donor's prior approval; give the reference of that approval",
		reserve.Code, money.Format(was, cur), cur, before.Label, money.Format(now, cur), cur, money.Format(was-now, cur), cur), nil
}

// headingSum is the total of version versionID's lines under heading code,
// in minor units of the grant currency. Errors: internal.
func headingSum(ctx context.Context, idb bun.IDB, versionID, code string) (int64, error) {
	var sum int64
	err := idb.NewSelect().Table("budget_lines").ColumnExpr("CAST(COALESCE(SUM(total), 0) AS BIGINT)").
		Where("budget_version_id = ? AND heading_code = ?", versionID, code).Scan(ctx, &sum)
	if err != nil {
		return 0, db.Err(err)
	}
	return sum, nil
}
