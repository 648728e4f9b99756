// Package receipt keeps the receipts of expenditures: uploads checked for
// size and sniffed content type, stored content-addressed in a blob.Store.
//
// Who may do what follows the expenditure, decided in one place
// (expenditure.Readable and expenditure.Changeable): whoever may read it
// (its grant's coordinators, finance staff and auditors; partners for their
// own organisation's expenditures) reads its receipts; whoever may change it
// (the grant's coordinators and finance staff; a partner editor of its
// organisation) adds and deletes them, while it is draft or rejected, so
// that what finance verified stays as it was verified.
//
// Blobs are never deleted: a deleted receipt's row goes (the audit trail
// keeps its SHA-256), its bytes stay. Content-addressed storage shares one
// blob between every receipt with the same bytes, and keeping them all
// means no deletion can race an upload of the same file, and an auditor can
// still be shown what was once attached.
package receipt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/expenditure"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service manages receipts. Its exported methods own their transactions.
type Service struct {
	db    *bun.DB
	blobs blob.Store
	now   func() time.Time
}

// NewService returns a Service on d storing files in blobs.
func NewService(d *bun.DB, blobs blob.Store) *Service {
	return &Service{db: d, blobs: blobs, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Upload stores a receipt for an expenditure: r's bytes (its content type
// sniffed, at most MaxBytes) go to the blob store, then a receipt row and
// its audit event are written in one transaction. The same bytes uploaded
// again to the same expenditure give the receipt made the first time, and
// created false; the bytes are stored once however many receipts share
// them. The caller's access is checked before anything is read from r.
// Errors: not found (an expenditure the caller may not read), permission
// (one they may read but not change), precondition (EXPENDITURE_NOT_EDITABLE:
// it is submitted or verified), invalid (an empty file; reason ReasonType
// for a type not allowed), exhausted (reason ReasonTooLarge, a file over
// MaxBytes), and r's own read errors, wrapped.
func (s *Service) Upload(ctx context.Context, grantID, expenditureID, fileName string, r io.Reader) (rec *Receipt, created bool, err error) {
	c := actor.From(ctx)
	if _, err := expenditure.Changeable(ctx, s.db, grantID, expenditureID); err != nil {
		return nil, false, err
	}
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, false, fmt.Errorf("reading the receipt: %w", err)
	}
	head = head[:n]
	contentType, err := Sniff(head)
	if err != nil {
		return nil, false, err
	}
	sha, size, err := s.blobs.Put(ctx, blob.LimitReader(io.MultiReader(bytes.NewReader(head), r), MaxBytes))
	if errors.Is(err, blob.ErrTooLarge) {
		return nil, false, tooLarge()
	}
	if err != nil {
		return nil, false, fmt.Errorf("storing the receipt: %w", err)
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Again, inside the transaction: the expenditure may have been
		// submitted or deleted while the file arrived.
		e, err := expenditure.Changeable(ctx, tx, grantID, expenditureID)
		if err != nil {
			return err
		}
		prev := new(Receipt)
		err = tx.NewSelect().Model(prev).Where("expenditure_id = ?", e.ID).Where("sha256 = ?", sha).
			OrderExpr("create_time, id").Limit(1).Scan(ctx)
		if err == nil {
			prev.GrantID = e.GrantID
			rec = prev
			return nil
		}
		if !db.IsNoRows(err) {
			return db.Err(err)
		}
		rec = &Receipt{
			ID: resource.NewID(), ExpenditureID: e.ID, GrantID: e.GrantID, SHA256: sha,
			FileName: FileName(fileName, contentType), ContentType: contentType, SizeBytes: size,
			CreatedBy: c.Name(), CreateTime: s.now(),
		}
		if _, err := tx.NewInsert().Model(rec).Exec(ctx); err != nil {
			return db.Err(err, db.ForeignKey(errs.NotFound(e.Name())))
		}
		created = true
		return audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: rec.Name(), GrantID: e.GrantID,
			Changes: audit.Diff(tx, nil, rec)})
	})
	if err != nil {
		return nil, false, err
	}
	return rec, created, nil
}

// Open returns a receipt the caller may read and its bytes, which the
// caller closes. Errors: not found (also for a receipt of an expenditure
// the caller may not read), internal (the blob is missing).
func (s *Service) Open(ctx context.Context, grantID, expenditureID, receiptID string) (*Receipt, io.ReadCloser, error) {
	e, err := expenditure.Readable(ctx, s.db, grantID, expenditureID)
	if err != nil {
		return nil, nil, err
	}
	rec, err := get(ctx, s.db, e, receiptID)
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.blobs.Open(ctx, rec.SHA256)
	if err != nil {
		// The row says the bytes were stored: losing them is an outage.
		return nil, nil, errs.Internal(fmt.Errorf("receipt %s: blob %s: %w", rec.Name(), rec.SHA256, err))
	}
	return rec, rc, nil
}

// Delete removes a receipt from its expenditure and records it in the
// audit trail, in one transaction; its bytes stay in the blob store (see the
// package comment). Errors: not found (the receipt, or an expenditure the
// caller may not read), permission, precondition (as Upload).
func (s *Service) Delete(ctx context.Context, grantID, expenditureID, receiptID string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := expenditure.Changeable(ctx, tx, grantID, expenditureID)
		if err != nil {
			return err
		}
		rec, err := get(ctx, tx, e, receiptID)
		if err != nil {
			return err
		}
		res, err := tx.NewDelete().Model(rec).WherePK().Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return errs.NotFound(rec.Name())
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: rec.Name(), GrantID: e.GrantID,
			Changes: audit.Diff(tx, rec, nil)})
	})
}

// get reads one receipt of expenditure e. Errors: not found.
func get(ctx context.Context, idb bun.IDB, e *expenditure.Expenditure, id string) (*Receipt, error) {
	rec := new(Receipt)
	err := idb.NewSelect().Model(rec).Where("id = ?", id).Where("expenditure_id = ?", e.ID).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(Name(e.GrantID, e.ID, id)))
	}
	rec.GrantID = e.GrantID
	return rec, nil
}

// ForExpenditures returns the receipts of the given expenditures of one
// grant, by expenditure id, oldest first, within idb; whoever the caller:
// the caller's access to the expenditures must have been checked. For the
// expenditure service, which shows each expenditure with its receipts.
func ForExpenditures(ctx context.Context, idb bun.IDB, grantID string, expenditureIDs []string) (map[string][]*Receipt, error) {
	out := map[string][]*Receipt{}
	if len(expenditureIDs) == 0 {
		return out, nil
	}
	var rows []*Receipt
	// Chunks keep the bind parameters under SQLite's and PostgreSQL's limits.
	for start := 0; start < len(expenditureIDs); start += 500 {
		chunk := expenditureIDs[start:min(start+500, len(expenditureIDs))]
		var part []*Receipt
		if err := idb.NewSelect().Model(&part).Where("expenditure_id IN (?)", bun.List(chunk)).
			OrderExpr("create_time, id").Scan(ctx); err != nil {
			return nil, db.Err(err)
		}
		rows = append(rows, part...)
	}
	for _, r := range rows {
		r.GrantID = grantID
		out[r.ExpenditureID] = append(out[r.ExpenditureID], r)
	}
	return out, nil
}
