package budget

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// GrantTemplate returns the budget template the grant's rule set names, read
// within idb, whoever asks (the caller reads the grant already). Errors:
// not found, internal.
func GrantTemplate(ctx context.Context, idb bun.IDB, grantID string) (*Template, error) {
	return grantTemplate(ctx, idb, grantID)
}

// CreateAdoptedOriginalIn stores the grant's original budget (version 0)
// with lines, adopted at now, within tx: the budget annexed to a signed
// contract, made with the grant in one transaction. c must be allowed to
// change the grant's money; the grant must have no budget yet. Line
// violations name their line: "lines[3].units". Errors: not found,
// permission, invalid, precondition (BUDGET_ORIGINAL_EXISTS, GRANT_CLOSED,
// BUDGET_VERSION_EMPTY).
func CreateAdoptedOriginalIn(ctx context.Context, tx bun.IDB, c actor.Caller, grantID, label string, lines []LineInput, now time.Time) (*Version, error) {
	g, err := manageGrant(ctx, tx, c, grantID, resource.Name(resource.Grants, grantID), "the budget")
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, errs.Precondition("BUDGET_VERSION_EMPTY", "the budget has no lines; give the lines of the contract's budget")
	}
	n, err := tx.NewSelect().Table("budget_versions").Where("grant_id = ?", grantID).Count(ctx)
	if err != nil {
		return nil, db.Err(err)
	}
	if n > 0 {
		return nil, errs.Precondition("BUDGET_ORIGINAL_EXISTS", "%s already has its original budget", g.Name())
	}
	var all errs.Violations
	built := make([]*Line, 0, len(lines))
	codes := map[string]int{}
	for i, in := range lines {
		l, err := buildLine(ctx, tx, g, in, nil)
		var e *errs.Error
		switch {
		case err == nil:
		case errors.As(err, &e) && e.Kind == errs.KindInvalid:
			for _, v := range e.Violations {
				all = append(all, errs.FieldViolation{Field: fmt.Sprintf("lines[%d].%s", i, v.Field), Description: v.Description})
			}
			continue
		default:
			return nil, err
		}
		if j, dup := codes[l.Code]; dup {
			all.Add(fmt.Sprintf("lines[%d].code", i), "%q is already the code of lines[%d]; line codes are unique within a budget", l.Code, j)
			continue
		}
		codes[l.Code] = i
		built = append(built, l)
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	if label == "" {
		label = defaultLabel(Original, nil)
	}
	v := &Version{ID: resource.NewID(), GrantID: grantID, Number: 0, Kind: Original, Label: label, State: Adopted,
		AdoptTime: &now, Version: 1, CreateTime: now, UpdateTime: now}
	if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
		return nil, db.Err(err)
	}
	for i, l := range built {
		l.ID, l.VersionID, l.GrantID, l.LineKey = resource.NewID(), v.ID, grantID, uuid.NewString()
		l.Position, l.Version, l.CreateTime, l.UpdateTime = i+1, 1, now, now
	}
	if _, err := tx.NewInsert().Model(&built).Exec(ctx); err != nil {
		return nil, lineWriteErr(err, built[0])
	}
	changes := append(audit.Diff(tx, nil, v), audit.Change{Field: "lines", New: fmt.Sprintf("%d imported from the contract", len(built))})
	if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: v.Name(), GrantID: grantID, Changes: changes}); err != nil {
		return nil, err
	}
	return readVersion(ctx, tx, c, grantID, v.ID)
}
