package expenditure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// MaxBatch bounds the items of one batch call.
const MaxBatch = 500

// Ref is one item of a batch: an expenditure of the batch's grant and,
// optionally, its etag as last read.
type Ref struct {
	ID   string
	ETag string
	// Refused, when set, refuses the item without acting (a name the
	// transport could not read, or of another grant).
	Refused error
}

// Result is the outcome of one item of a batch: done (Expenditure as it is
// now) or refused (Err, a domain error saying why).
type Result struct {
	ID          string
	Expenditure *Expenditure
	Err         error
}

// outcome is a Result as kept for a repeat of the call (request_id).
type outcome struct {
	ID      string    `json:"id"`
	Done    bool      `json:"done,omitempty"`
	Kind    errs.Kind `json:"kind,omitempty"`
	Reason  string    `json:"reason,omitempty"`
	Message string    `json:"message,omitempty"`
}

// BatchSubmit submits each of refs (expenditures of grant grantID), or,
// with importID set and refs empty, every draft or rejected expenditure of
// that ledger import the caller may submit (at most MaxBatch, newest
// first), each exactly as Submit does and in its own transaction: one
// refused leaves the others done. A repeat with the same requestID answers
// the first call's outcomes. Errors (of the whole call): not found (the
// grant, the import), invalid (no items, too many, both refs and an
// import).
func (s *Service) BatchSubmit(ctx context.Context, grantID string, refs []Ref, importID, requestID string) ([]Result, error) {
	if importID != "" && len(refs) > 0 {
		return nil, errs.Invalid(errs.FieldViolation{Field: "ledger_import",
			Description: "give either items or ledger_import, not both: ledger_import submits every draft of that import"})
	}
	return s.batch(ctx, "BatchSubmitExpenditures", grantID, requestID, func(ctx context.Context) ([]Ref, error) {
		if importID == "" {
			return refs, checkRefs(refs)
		}
		return s.importDrafts(ctx, grantID, importID)
	}, func(ctx context.Context, r Ref) (*Expenditure, error) {
		return s.Submit(ctx, grantID, r.ID, r.ETag)
	})
}

// BatchVerify verifies each of refs exactly as Verify does (four eyes
// included), each in its own transaction. A repeat with the same
// requestID answers the first call's outcomes. Errors (of the whole call):
// not found (the grant), invalid (no items, too many).
func (s *Service) BatchVerify(ctx context.Context, grantID string, refs []Ref, requestID string) ([]Result, error) {
	return s.batch(ctx, "BatchVerifyExpenditures", grantID, requestID, func(context.Context) ([]Ref, error) {
		return refs, checkRefs(refs)
	}, func(ctx context.Context, r Ref) (*Expenditure, error) {
		return s.Verify(ctx, grantID, r.ID, r.ETag)
	})
}

// BatchReject rejects each of refs with reason exactly as Reject does,
// each in its own transaction. Errors (of the whole call): not found (the
// grant), invalid (no reason, no items, too many).
func (s *Service) BatchReject(ctx context.Context, grantID string, refs []Ref, reason, requestID string) ([]Result, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, errs.Invalid(errs.FieldViolation{Field: "reason",
			Description: "is required: say what must be corrected, so that it can be fixed and submitted again"})
	}
	return s.batch(ctx, "BatchRejectExpenditures", grantID, requestID, func(context.Context) ([]Ref, error) {
		return refs, checkRefs(refs)
	}, func(ctx context.Context, r Ref) (*Expenditure, error) {
		return s.Reject(ctx, grantID, r.ID, r.ETag, reason)
	})
}

func checkRefs(refs []Ref) error {
	switch {
	case len(refs) == 0:
		return errs.Invalid(errs.FieldViolation{Field: "items", Description: "is empty: select at least one expenditure"})
	case len(refs) > MaxBatch:
		return errs.Invalid(errs.FieldViolation{Field: "items",
			Description: fmt.Sprintf("has %d expenditures; at most %d per call: send the rest in another call", len(refs), MaxBatch)})
	}
	return nil
}

// batch checks the grant is visible, gets the items, applies act to each
// in turn and keeps the outcomes for a repeat of requestID.
func (s *Service) batch(ctx context.Context, method, grantID, requestID string,
	items func(ctx context.Context) ([]Ref, error),
	act func(ctx context.Context, r Ref) (*Expenditure, error),
) ([]Result, error) {
	c := actor.From(ctx)
	g, err := visibleGrant(ctx, s.db, c, grantID)
	if err != nil {
		return nil, err
	}
	var results []Result
	raw, err := idem.Once(ctx, s.db, method, requestID, func(ctx context.Context) ([]byte, error) {
		refs, err := items(ctx)
		if err != nil {
			return nil, err
		}
		outs := make([]outcome, len(refs))
		results = make([]Result, len(refs))
		for i, r := range refs {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var e *Expenditure
			err := r.Refused
			if err == nil {
				e, err = act(ctx, r)
			}
			results[i] = Result{ID: r.ID, Expenditure: e, Err: err}
			outs[i] = outcome{ID: r.ID, Done: err == nil}
			var de *errs.Error
			if errors.As(err, &de) {
				outs[i].Kind, outs[i].Reason, outs[i].Message = de.Kind, de.Reason, de.Public()
			} else if err != nil {
				outs[i].Kind, outs[i].Message = errs.KindInternal, "internal error"
			}
		}
		return json.Marshal(outs)
	})
	if err != nil {
		return nil, err
	}
	if results != nil {
		return results, nil
	}
	// A repeat: the first call's outcomes, with the done items as they are now.
	var outs []outcome
	if err := json.Unmarshal(raw, &outs); err != nil {
		return nil, errs.Internal(fmt.Errorf("batch %s: stored outcomes: %w", method, err))
	}
	results = make([]Result, len(outs))
	var done []*Expenditure
	for i, o := range outs {
		results[i].ID = o.ID
		if !o.Done {
			results[i].Err = &errs.Error{Kind: o.Kind, Reason: o.Reason, Message: o.Message}
			continue
		}
		e, err := getVisible(ctx, s.db, c, g, o.ID)
		if err != nil {
			results[i].Err = err
			continue
		}
		results[i].Expenditure = e
		done = append(done, e)
	}
	if err := attach(ctx, s.db, g, done); err != nil {
		return nil, err
	}
	return results, nil
}

// importDrafts returns the drafts and rejected expenditures of ledger
// import importID of grant grantID that the caller may read, at most
// MaxBatch, newest first. Errors: not found (the import).
func (s *Service) importDrafts(ctx context.Context, grantID, importID string) ([]Ref, error) {
	c := actor.From(ctx)
	name := resource.Name(resource.Grants, grantID) + "/ledgerImports/" + importID
	n, err := s.db.NewSelect().Table("ledger_imports").Where("id = ? AND grant_id = ?", importID, grantID).Count(ctx)
	if err != nil {
		return nil, db.Err(err)
	}
	if n == 0 {
		return nil, errs.NotFound(name)
	}
	var ids []string
	q := s.db.NewSelect().TableExpr("expenditures AS e").Column("e.id").
		Where("e.grant_id = ? AND e.ledger_import_id = ? AND e.status IN (?)", grantID, importID, bun.List([]string{string(StatusDraft), string(StatusRejected)}))
	q = policy.Where(q, policy.PartnerMoney(c, "e.grant_id", "e.organisation_id"))
	if err := q.OrderExpr("e.expense_date DESC, e.id DESC").Limit(MaxBatch).Scan(ctx, &ids); err != nil {
		return nil, db.Err(err)
	}
	refs := make([]Ref, len(ids))
	for i, id := range ids {
		refs[i] = Ref{ID: id}
	}
	return refs, nil
}
