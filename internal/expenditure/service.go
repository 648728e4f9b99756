// Package expenditure records what a grant spent, in the currency it was
// paid in, converted under the grant's rate policy (internal/fx), through
// draft -> submitted -> verified or rejected; and imports ledgers.
//
// Who may do what (internal/policy/finance.go): whoever reads a grant in
// full reads all of its expenditures, partners their own organisation's;
// the grant's coordinators and finance staff (and admins) record and change
// expenditures on any line, partners' editors only their own organisation's
// on the lines allocated to it; finance staff (and admins) alone verify or
// reject submitted ones.
package expenditure

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/sheet"
)

// Service manages expenditures. Its exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
	// Sheets bounds the reading of ledger files (zero fields: the
	// defaults); its TmpDir is where large workbooks are unpacked.
	Sheets sheet.Options
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetTempDir sets the folder where large ledgers are unpacked while they
// are read (Sheets.TmpDir; "" for the system's); call it before the service
// is used.
func (s *Service) SetTempDir(dir string) { s.Sheets.TmpDir = dir }

// Filter narrows List; empty fields match all.
type Filter struct {
	Status          Status
	ProjectID       string
	OrganisationID  string
	LineKey         string
	RateMissingOnly bool   // only those waiting for a rate
	FromDate        string // "YYYY-MM-DD", inclusive
	ToDate          string // "YYYY-MM-DD", inclusive
}

// Page is a page of expenditures.
type Page struct {
	Expenditures []*Expenditure
	Next         string // token of the next page, "" on the last
	RateMissing  int    // of all the filter matches (not just this page), how many wait for a rate
}

// Get returns an expenditure of grant grantID the caller may read, with its
// receipts. Errors: not found (also when the caller may not read it).
func (s *Service) Get(ctx context.Context, grantID, id string) (*Expenditure, error) {
	c := actor.From(ctx)
	g, err := visibleGrant(ctx, s.db, c, grantID)
	if err != nil {
		return nil, err
	}
	e, err := getVisible(ctx, s.db, c, g, id)
	if err != nil {
		return nil, err
	}
	if err := attach(ctx, s.db, g, []*Expenditure{e}); err != nil {
		return nil, err
	}
	return e, nil
}

// Readable returns expenditure id of grant grantID, read within idb, if the
// caller in ctx may read it. Errors: not found.
func Readable(ctx context.Context, idb bun.IDB, grantID, id string) (*Expenditure, error) {
	c := actor.From(ctx)
	g, err := visibleGrant(ctx, idb, c, grantID)
	if err != nil {
		return nil, err
	}
	return getVisible(ctx, idb, c, g, id)
}

// Changeable returns expenditure id of grant grantID, read within idb, if
// the caller in ctx may change it (and so its receipts) now: it is a draft
// or rejected. Errors: not found (the caller may not read it), permission,
// precondition (EXPENDITURE_NOT_EDITABLE).
func Changeable(ctx context.Context, idb bun.IDB, grantID, id string) (*Expenditure, error) {
	c := actor.From(ctx)
	g, err := visibleGrant(ctx, idb, c, grantID)
	if err != nil {
		return nil, err
	}
	e, err := getVisible(ctx, idb, c, g, id)
	if err != nil {
		return nil, err
	}
	if err := mayChange(ctx, idb, c, g, e); err != nil {
		return nil, err
	}
	if err := editable(e); err != nil {
		return nil, err
	}
	return e, nil
}

// getVisible reads expenditure id of grant g within idb if c may read it.
// Errors: not found.
func getVisible(ctx context.Context, idb bun.IDB, c actor.Caller, g *grantfacts.Facts, id string) (*Expenditure, error) {
	e := new(Expenditure)
	q := idb.NewSelect().Model(e).Where("e.id = ? AND e.grant_id = ?", id, g.ID)
	err := policy.Where(q, policy.PartnerMoney(c, "e.grant_id", "e.organisation_id")).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(Name(g.ID, id)))
	}
	e.GrantCurrency = g.CurrencyCode
	return e, nil
}

// mayChange decides whether c may change (update, delete, submit) e:
// admins, the grant's coordinators and finance staff; partners' editors of
// its organisation while its line is allocated to that organisation.
// Errors: permission.
func mayChange(ctx context.Context, idb bun.IDB, c actor.Caller, g *grantfacts.Facts, e *Expenditure) error {
	if policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) {
		return nil
	}
	if policy.IsPartnerEditorOf(c, e.OrganisationID) {
		l, err := latestLine(ctx, idb, g.ID, e.LineKey)
		if err != nil {
			return err
		}
		if l != nil && l.OrganisationID == e.OrganisationID {
			return nil
		}
		return errs.PermissionDenied("%s is charged to a budget line that is not allocated to your organisation in the latest adopted budget: only the grant's coordinators and finance staff may change it now",
			e.describe())
	}
	return errs.PermissionDenied("you may read but not change %s: the grant's coordinators and finance staff change expenditures, and partners' editors their own organisation's",
		e.describe())
}

// editable refuses a change to an expenditure that is neither draft nor
// rejected.
func editable(e *Expenditure) error {
	if e.Status.Editable() {
		return nil
	}
	return errs.Precondition("EXPENDITURE_NOT_EDITABLE",
		"%s is %s: only a draft or rejected expenditure can be changed or deleted; ask the grant's finance staff to reject it if it must be corrected",
		e.describe(), e.Status)
}

// attach sets the grant currency and the receipts of es (all of grant g),
// with one query.
func attach(ctx context.Context, idb bun.IDB, g *grantfacts.Facts, es []*Expenditure) error {
	if len(es) == 0 {
		return nil
	}
	byID := make(map[string]*Expenditure, len(es))
	ids := make([]string, 0, len(es))
	for _, e := range es {
		e.GrantCurrency, e.Receipts = g.CurrencyCode, nil
		byID[e.ID] = e
		ids = append(ids, e.ID)
	}
	var rs []Receipt
	if err := idb.NewSelect().Model(&rs).Where("r.expenditure_id IN (?)", bun.List(ids)).
		OrderExpr("r.create_time ASC, r.id ASC").Scan(ctx); err != nil {
		return db.Err(err)
	}
	for _, r := range rs {
		if e := byID[r.ExpenditureID]; e != nil {
			e.Receipts = append(e.Receipts, r)
		}
	}
	return nil
}

// List returns a page of grant grantID's expenditures the caller may read
// (chosen in SQL), newest expense date first, and how many of all those the
// filter matches wait for a rate. Errors: not found (the grant), invalid
// (page size or token, dates).
func (s *Service) List(ctx context.Context, grantID string, f Filter, p page.Request) (*Page, error) {
	c := actor.From(ctx)
	var v errs.Violations
	var from, to calendar.Date
	if f.FromDate != "" {
		d, err := calendar.Parse(f.FromDate)
		if err != nil {
			v.Add("from_date", "%s", err.Error())
		}
		from = d
	}
	if f.ToDate != "" {
		d, err := calendar.Parse(f.ToDate)
		if err != nil {
			v.Add("to_date", "%s", err.Error())
		}
		to = d
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("to_date", "must not be before from_date (%s)", from)
	}
	missing := "false"
	if f.RateMissingOnly {
		missing = "true"
	}
	cur, err := page.Open(p, string(f.Status), f.ProjectID, f.OrganisationID, f.LineKey, missing, f.FromDate, f.ToDate)
	var pe *errs.Error
	if errors.As(err, &pe) {
		v = append(v, pe.Violations...)
	} else if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	g, err := visibleGrant(ctx, s.db, c, grantID)
	if err != nil {
		return nil, err
	}
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("e.grant_id = ?", g.ID)
		q = policy.Where(q, policy.PartnerMoney(c, "e.grant_id", "e.organisation_id"))
		if f.Status != "" {
			q = q.Where("e.status = ?", f.Status)
		}
		if f.ProjectID != "" {
			q = q.Where("e.project_id = ?", f.ProjectID)
		}
		if f.OrganisationID != "" {
			q = q.Where("e.organisation_id = ?", f.OrganisationID)
		}
		if f.LineKey != "" {
			q = q.Where("e.line_key = ?", f.LineKey)
		}
		if f.RateMissingOnly {
			q = q.Where("e.converted_amount IS NULL")
		}
		if !from.IsZero() {
			q = q.Where("e.expense_date >= ?", from.String())
		}
		if !to.IsZero() {
			q = q.Where("e.expense_date <= ?", to.String())
		}
		return q
	}
	var out []*Expenditure
	q := filter(s.db.NewSelect().Model(&out))
	if len(cur.After) == 2 {
		// Newest first: continue below the last row's (expense_date, id).
		q = q.Where("e.expense_date < ? OR (e.expense_date = ? AND e.id < ?)", cur.After[0], cur.After[0], cur.After[1])
	}
	if err := q.OrderExpr("e.expense_date DESC, e.id DESC").Limit(cur.Limit + 1).Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	res := &Page{}
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		last := out[len(out)-1]
		res.Next = cur.Next(true, last.ExpenseDate.String(), last.ID)
	}
	n, err := filter(s.db.NewSelect().TableExpr("expenditures AS e")).Where("e.converted_amount IS NULL").Count(ctx)
	if err != nil {
		return nil, db.Err(err)
	}
	if err := attach(ctx, s.db, g, out); err != nil {
		return nil, err
	}
	res.Expenditures, res.RateMissing = out, n
	return res, nil
}

// Create records a draft expenditure of grant grantID, converted under the
// grant's rate policy (saved unconverted, with the reason, when no rate
// applies), and records it in the audit trail, in one transaction. The
// grant's coordinators and finance staff record on any line; partners'
// editors on the lines allocated to their organisation. A retry with the
// same requestID returns the expenditure made the first time. Errors: not
// found (the grant), permission, invalid (naming each field and what would
// be valid).
func (s *Service) Create(ctx context.Context, grantID string, in Input, requestID string) (*Expenditure, error) {
	c := actor.From(ctx)
	var out *Expenditure
	err := idem.Create(ctx, s.db, "CreateExpenditure", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			gid, id := splitName(name)
			g, err := visibleGrant(ctx, tx, c, gid)
			if err != nil {
				return err
			}
			out, err = getVisible(ctx, tx, c, g, id)
			if err != nil {
				return err
			}
			return attach(ctx, tx, g, []*Expenditure{out})
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			g, err := visibleGrant(ctx, tx, c, grantID)
			if err != nil {
				return "", err
			}
			b, err := openBook(ctx, tx, g)
			if err != nil {
				return "", err
			}
			r, err := recorderFor(c, b)
			if err != nil {
				return "", err
			}
			e, v, denied := b.check(r, in, Input{})
			if denied != "" {
				return "", errs.PermissionDenied("%s", denied)
			}
			if err := v.Err(); err != nil {
				return "", err
			}
			if err := b.convert(ctx, e); err != nil {
				return "", err
			}
			now := s.now()
			e.ID, e.Status, e.CreatedBy, e.Version, e.CreateTime, e.UpdateTime = resource.NewID(), StatusDraft, c.Name(), 1, now, now
			if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
				return "", writeErr(err)
			}
			if err := record(ctx, tx, "create", e, audit.Diff(tx, nil, e)); err != nil {
				return "", err
			}
			e.GrantCurrency = g.CurrencyCode
			out = e
			return e.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// splitName returns the grant and expenditure ids of a resource name.
func splitName(name string) (grantID, id string) {
	ids, _ := resource.ExpenditurePattern.Match(name)
	if len(ids) != 2 {
		return "", ""
	}
	return ids[0], ids[1]
}

// Update changes the fields named in mask (see Updatable) of a draft or
// rejected expenditure, checks it as a whole again, converts it again and
// records the changed fields in the audit trail. etag is required and must
// be current: an expenditure is entered by the partner and corrected by
// finance staff, and an amount changed unseen must not be overwritten.
// Errors: not found, permission, invalid (also a missing etag, field
// "etag"), aborted (stale etag), precondition (EXPENDITURE_NOT_EDITABLE).
func (s *Service) Update(ctx context.Context, grantID, id string, in Input, mask resource.Mask, etag string) (*Expenditure, error) {
	c := actor.From(ctx)
	var out *Expenditure
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := visibleGrant(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		prev, err := getVisible(ctx, tx, c, g, id)
		if err != nil {
			return err
		}
		if err := mayChange(ctx, tx, c, g, prev); err != nil {
			return err
		}
		if err := resource.RequireETag(prev.Name(), etag, prev.Version); err != nil {
			return err
		}
		if err := editable(prev); err != nil {
			return err
		}
		b, err := openBook(ctx, tx, g)
		if err != nil {
			return err
		}
		r, err := recorderFor(c, b)
		if err != nil {
			return err
		}
		merged, keep := overlay(prev.Input(), in, mask)
		e, v, denied := b.check(r, merged, keep)
		if denied != "" {
			return errs.PermissionDenied("%s", denied)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := b.convert(ctx, e); err != nil {
			return err
		}
		e.ID, e.Status, e.RejectReason, e.LedgerImportID, e.ImportKey = prev.ID, prev.Status, prev.RejectReason, prev.LedgerImportID, prev.ImportKey
		e.CreatedBy, e.SubmittedBy, e.CreateTime = prev.CreatedBy, prev.SubmittedBy, prev.CreateTime
		e.Version, e.UpdateTime = prev.Version+1, s.now()
		res, err := tx.NewUpdate().Model(e).WherePK().Where("version = ?", prev.Version).Exec(ctx)
		if err != nil {
			return writeErr(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(e.Name())
		}
		if err := record(ctx, tx, "update", e, audit.Diff(tx, prev, e)); err != nil {
			return err
		}
		if err := attach(ctx, tx, g, []*Expenditure{e}); err != nil {
			return err
		}
		out = e
		return nil
	})
	return out, err
}

// Delete removes a draft or rejected expenditure with its receipts (their
// files stay in the content-addressed store) and records the deletions in
// the audit trail. etag, when set, must be current. Errors: not found,
// permission, aborted, precondition (EXPENDITURE_NOT_EDITABLE).
func (s *Service) Delete(ctx context.Context, grantID, id, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := visibleGrant(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		e, err := getVisible(ctx, tx, c, g, id)
		if err != nil {
			return err
		}
		if err := mayChange(ctx, tx, c, g, e); err != nil {
			return err
		}
		if err := resource.CheckETag(e.Name(), etag, e.Version); err != nil {
			return err
		}
		if err := editable(e); err != nil {
			return err
		}
		if err := attach(ctx, tx, g, []*Expenditure{e}); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model(e).WherePK().Where("version = ?", e.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(e.Name())
		}
		for i := range e.Receipts {
			r := &e.Receipts[i]
			if err := audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: e.Name() + "/receipts/" + r.ID, GrantID: g.ID,
				Changes: audit.Diff(tx, r, nil)}); err != nil {
				return err
			}
		}
		return record(ctx, tx, "delete", e, audit.Diff(tx, e, nil))
	})
}

// Submit sends a draft or rejected expenditure to finance for verification
// (clearing an earlier rejection's reason). etag, when set, must be
// current. Who may change the expenditure may submit it. Errors: not found,
// permission, aborted, precondition (EXPENDITURE_NOT_EDITABLE).
func (s *Service) Submit(ctx context.Context, grantID, id, etag string) (*Expenditure, error) {
	c := actor.From(ctx)
	return s.transition(ctx, grantID, id, etag, "submit", mayChange, func(e *Expenditure) error {
		if !e.Status.Editable() {
			return errs.Precondition("EXPENDITURE_NOT_EDITABLE", "%s is %s: only a draft or rejected expenditure can be submitted", e.describe(), e.Status)
		}
		e.Status, e.RejectReason, e.SubmittedBy = StatusSubmitted, "", c.Name()
		return nil
	})
}

// Verify accepts a submitted expenditure. etag, when set, must be current.
// Only the grant's finance staff and admins may, and on a grant with four
// eyes not whoever recorded or submitted it. Errors: not found, permission
// (reason FOUR_EYES for the latter), aborted, precondition
// (EXPENDITURE_NOT_SUBMITTED).
func (s *Service) Verify(ctx context.Context, grantID, id, etag string) (*Expenditure, error) {
	return s.transition(ctx, grantID, id, etag, "verify", mayVerifyFourEyes, func(e *Expenditure) error {
		if e.Status != StatusSubmitted {
			return errs.Precondition("EXPENDITURE_NOT_SUBMITTED", "%s is %s: only a submitted expenditure can be verified", e.describe(), e.Status)
		}
		e.Status = StatusVerified
		return nil
	})
}

// Reject sends a submitted expenditure back with a reason; it can then be
// corrected and submitted again. etag, when set, must be current. Only the
// grant's finance staff and admins may. Errors: not found, permission,
// aborted, invalid (no reason), precondition (EXPENDITURE_NOT_SUBMITTED).
func (s *Service) Reject(ctx context.Context, grantID, id, etag, reason string) (*Expenditure, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, errs.Invalid(errs.FieldViolation{Field: "reason",
			Description: "is required: say what must be corrected, so that it can be fixed and submitted again"})
	}
	return s.transition(ctx, grantID, id, etag, "reject", mayVerify, func(e *Expenditure) error {
		if e.Status != StatusSubmitted {
			return errs.Precondition("EXPENDITURE_NOT_SUBMITTED", "%s is %s: only a submitted expenditure can be rejected", e.describe(), e.Status)
		}
		e.Status, e.RejectReason = StatusRejected, reason
		return nil
	})
}

// mayVerify decides whether c may verify or reject e: the grant's finance
// staff and admins. Errors: permission.
func mayVerify(_ context.Context, _ bun.IDB, c actor.Caller, g *grantfacts.Facts, e *Expenditure) error {
	if policy.CanVerifyExpenditures(c, g.ID, g.LeadOrganisationID) {
		return nil
	}
	return errs.PermissionDenied("only the finance staff of %s verify or reject its expenditures; you may not verify or reject %s",
		g.Describe(), e.describe())
}

// mayVerifyFourEyes is mayVerify, and on a grant with four eyes refuses
// whoever recorded or submitted e. A rejection is left to mayVerify: who
// recorded an expenditure wrongly may send it back to be corrected, but
// never approve it. Errors: permission (reason FOUR_EYES).
func mayVerifyFourEyes(ctx context.Context, idb bun.IDB, c actor.Caller, g *grantfacts.Facts, e *Expenditure) error {
	if err := mayVerify(ctx, idb, c, g, e); err != nil {
		return err
	}
	return fourEyes(c, g, e)
}

// fourEyes refuses c verifying e when the grant has four eyes and c
// recorded or submitted e. The system (the demo loader, imports run by
// Pactum itself) is no person and is not refused. Errors: permission
// (reason FOUR_EYES).
func fourEyes(c actor.Caller, g *grantfacts.Facts, e *Expenditure) error {
	if !g.FourEyes || c.Kind != actor.User {
		return nil
	}
	me := c.Name()
	var did string
	switch me {
	case e.CreatedBy:
		did = "recorded"
	case e.SubmittedBy:
		did = "submitted"
	default:
		return nil
	}
	return &errs.Error{Kind: errs.KindPermission, Reason: "FOUR_EYES", Message: fmt.Sprintf(
		"four eyes: you %s %s, so you may not verify it; another member of the finance staff of %s (or an admin) who neither recorded nor submitted it must verify it",
		did, e.describe(), g.Describe())}
}

// transition reads the expenditure, checks that the caller may (may) and
// that the etag is current, lets apply check and change its status, and
// stores it with a new version and an audit event.
func (s *Service) transition(ctx context.Context, grantID, id, etag, action string,
	may func(ctx context.Context, idb bun.IDB, c actor.Caller, g *grantfacts.Facts, e *Expenditure) error,
	apply func(e *Expenditure) error,
) (*Expenditure, error) {
	c := actor.From(ctx)
	var out *Expenditure
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := visibleGrant(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		e, err := getVisible(ctx, tx, c, g, id)
		if err != nil {
			return err
		}
		if err := may(ctx, tx, c, g, e); err != nil {
			return err
		}
		if err := resource.CheckETag(e.Name(), etag, e.Version); err != nil {
			return err
		}
		before := *e
		if err := apply(e); err != nil {
			return err
		}
		prev := e.Version
		e.Version, e.UpdateTime = prev+1, s.now()
		res, err := tx.NewUpdate().Model(e).Column("status", "reject_reason", "submitted_by", "version", "update_time").
			WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(e.Name())
		}
		if err := record(ctx, tx, action, e, audit.Diff(tx, &before, e)); err != nil {
			return err
		}
		if err := attach(ctx, tx, g, []*Expenditure{e}); err != nil {
			return err
		}
		out = e
		return nil
	})
	return out, err
}

// record writes the audit event of a change to e within tx.
func record(ctx context.Context, tx bun.IDB, action string, e *Expenditure, changes []audit.Change) error {
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: e.Name(), GrantID: e.GrantID, Changes: changes})
}

func writeErr(err error) error {
	// A project or organisation was deleted between the check and the write.
	return db.Err(err, db.ForeignKey(errs.Precondition("REFERENCE_DELETED", "the project or organisation was deleted meanwhile; read them again and retry")))
}
