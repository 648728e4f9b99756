package agreement

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service manages agreements. Its exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on db.
func NewService(d *bun.DB) *Service {
	// Times are kept to the microsecond, as both databases store them, so
	// that what a write answers equals what a later read gives.
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Filter narrows List.
type Filter struct {
	DonorID            string // only agreements with this donor
	LeadOrganisationID string // only agreements held by this lead organisation
}

// Get returns an agreement the caller may read. Errors: not found (also for
// one the caller may not read: its existence is not revealed).
func (s *Service) Get(ctx context.Context, id string) (*Agreement, error) {
	return getVisible(ctx, s.db, actor.From(ctx), id)
}

// col is the agreement id column of the Service's queries (bun aliases the
// table by the model's name).
const col = "agreement.id"

// getVisible reads one agreement within idb if c may read it.
// Errors: not found (missing or out of c's scope).
func getVisible(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*Agreement, error) {
	a := new(Agreement)
	q := idb.NewSelect().Model(a).Where(col+" = ?", id)
	err := policy.Where(q, policy.Agreements(c, col)).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.FrameworkAgreements, id)))
	}
	return a, nil
}

// mayChange refuses a caller who may read agreement a but not change it:
// only the coordinators of its lead organisation (and admins) may.
func mayChange(c actor.Caller, a *Agreement) error {
	if policy.CanManageLeadOrg(c, a.LeadOrganisationID) {
		return nil
	}
	return errs.PermissionDenied("you may read but not change %s: only coordinators of its lead organisation %s may; ask one of them",
		a.Name(), resource.Name(resource.Organisations, a.LeadOrganisationID))
}

// mayLead refuses a caller who may not hold agreements for lead
// organisation leadID: only its coordinators (and admins) may.
func mayLead(c actor.Caller, leadID string) error {
	if policy.CanManageLeadOrg(c, leadID) {
		return nil
	}
	return errs.PermissionDenied("only coordinators of %s may record framework agreements that it leads; "+
		"choose an organisation you coordinate for as lead_organisation, or ask one of its coordinators",
		resource.Name(resource.Organisations, leadID))
}

// Get reads one agreement within idb (a transaction or the database),
// whoever the caller: for reference checks by other packages, never to
// answer a caller. Errors: not found.
func Get(ctx context.Context, idb bun.IDB, id string) (*Agreement, error) {
	a := new(Agreement)
	err := idb.NewSelect().Model(a).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.FrameworkAgreements, id)))
	}
	return a, nil
}

// Lock holds the agreement's row until the transaction of idb ends, so that
// grants signed under it and changes of its parties do not interleave (on
// PostgreSQL; SQLite runs one writer at a time anyway). A missing agreement
// is no error: Get says so.
func Lock(ctx context.Context, idb bun.IDB, id string) error {
	if _, err := idb.NewRaw("UPDATE framework_agreements SET version = version WHERE id = ?", id).Exec(ctx); err != nil {
		return db.Err(err)
	}
	return nil
}

// List returns a page of the agreements the caller may read, oldest first,
// and the token of the next page ("" on the last). Errors: invalid (page
// size or token).
func (s *Service) List(ctx context.Context, f Filter, p page.Request) ([]*Agreement, string, error) {
	cur, err := page.Open(p, f.DonorID, f.LeadOrganisationID)
	if err != nil {
		return nil, "", err
	}
	var out []*Agreement
	q := policy.Where(s.db.NewSelect().Model(&out), policy.Agreements(actor.From(ctx), col))
	if f.DonorID != "" {
		q = q.Where("donor_id = ?", f.DonorID)
	}
	if f.LeadOrganisationID != "" {
		q = q.Where("lead_organisation_id = ?", f.LeadOrganisationID)
	}
	q = cur.Apply(q, "id")
	if err := q.Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	more := len(out) > cur.Limit
	if more {
		out = out[:cur.Limit]
	}
	next := ""
	if more {
		next = cur.Next(true, out[len(out)-1].ID)
	}
	return out, next, nil
}

// Create stores a new agreement and records its creation in the audit
// trail. Only coordinators of the lead organisation (and admins) may. A retry
// with the same requestID returns the agreement made the first time (and
// records nothing). Errors: permission, invalid (naming each field: missing
// or unknown organisations, dates, currency), already exists (the donor
// already has an agreement with this reference).
func (s *Service) Create(ctx context.Context, in Input, requestID string) (*Agreement, error) {
	c := actor.From(ctx)
	if in.LeadOrganisationID == "" {
		// Said before the permission check, which needs a lead; it reveals nothing.
		return nil, errs.Invalid(errs.FieldViolation{Field: "lead_organisation",
			Description: "is required: the organisation of kind lead or member that holds the agreement, as organisations/{id}"})
	}
	if err := mayLead(c, in.LeadOrganisationID); err != nil {
		return nil, err
	}
	var out *Agreement
	err := idem.Create(ctx, s.db, "CreateFrameworkAgreement", requestID,
		func(ctx context.Context, tx bun.Tx, name string) (err error) {
			id, _ := strings.CutPrefix(name, resource.FrameworkAgreements+"/")
			out, err = getVisible(ctx, tx, c, id)
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			a := new(Agreement)
			var v errs.Violations
			a.apply(in, resource.Mask(Updatable), &v)
			if err := a.check(ctx, tx, &v, nil); err != nil {
				return "", err
			}
			if err := v.Err(); err != nil {
				return "", err
			}
			now := s.now()
			a.ID, a.Version, a.CreateTime, a.UpdateTime = resource.NewID(), 1, now, now
			if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
				return "", writeErr(err, a)
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: a.Name(), Changes: audit.Diff(tx, nil, a)}); err != nil {
				return "", err
			}
			out = a
			return a.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Update changes the fields named in mask (see Updatable) to their values in
// in, and records the changed fields in the audit trail. etag is required
// and must be current: an agreement is kept by several coordinators, and a
// change made unseen must not be overwritten. Only coordinators of the lead
// organisation (and admins) may, and a new lead organisation must be one
// they coordinate for too. The donor and the lead organisation cannot
// change while grants are signed under the agreement (their donor and lead
// are the agreement's). Errors: not found (also when the caller may not read
// it), permission, invalid (also a missing etag, field "etag"), aborted
// (stale etag), already exists, precondition (AGREEMENT_HAS_GRANTS).
func (s *Service) Update(ctx context.Context, id string, in Input, mask resource.Mask, etag string) (*Agreement, error) {
	c := actor.From(ctx)
	var out *Agreement
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := Lock(ctx, tx, id); err != nil {
			return err
		}
		a, err := getVisible(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := mayChange(c, a); err != nil {
			return err
		}
		if err := resource.RequireETag(a.Name(), etag, a.Version); err != nil {
			return err
		}
		if a.Closed() {
			return errs.Precondition("AGREEMENT_CLOSED", "%s is closed and no longer changes; reopen it first", a.Name())
		}
		prev := *a
		var v errs.Violations
		a.apply(in, mask, &v)
		if a.LeadOrganisationID != prev.LeadOrganisationID && a.LeadOrganisationID != "" {
			// An empty lead is left to check, which says it is required.
			if err := mayLead(c, a.LeadOrganisationID); err != nil {
				return err
			}
		}
		if err := a.check(ctx, tx, &v, &prev); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if a.DonorID != prev.DonorID || a.LeadOrganisationID != prev.LeadOrganisationID {
			n, err := countGrants(ctx, tx, id)
			if err != nil {
				return err
			}
			if n > 0 {
				return errs.Precondition("AGREEMENT_HAS_GRANTS",
					"the donor and lead organisation of %s cannot change: %d grant(s) are signed under it with the current ones; "+
						"move or delete those grants first, or record a new agreement", a.Name(), n)
			}
		}
		a.Version = prev.Version + 1
		a.UpdateTime = s.now()
		res, err := tx.NewUpdate().Model(a).WherePK().Where("version = ?", prev.Version).Exec(ctx)
		if err != nil {
			return writeErr(err, a)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(a.Name())
		}
		out = a
		return audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: a.Name(), Changes: audit.Diff(tx, &prev, a)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes an agreement with no grants under it, and records its last
// values in the audit trail. etag, when set, must be current. Only
// coordinators of the lead organisation (and admins) may. Errors: not found
// (also when the caller may not read it), permission, aborted, precondition
// (AGREEMENT_HAS_GRANTS).
func (s *Service) Delete(ctx context.Context, id, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := getVisible(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := mayChange(c, a); err != nil {
			return err
		}
		if err := resource.CheckETag(a.Name(), etag, a.Version); err != nil {
			return err
		}
		n, err := countGrants(ctx, tx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.Precondition("AGREEMENT_HAS_GRANTS",
				"%s cannot be deleted: %d grant(s) are signed under it; delete those grants (or make them standalone) first", a.Name(), n)
		}
		if _, err := tx.NewDelete().Model(a).WherePK().Exec(ctx); err != nil {
			return db.Err(err, db.ForeignKey(errs.Precondition("AGREEMENT_HAS_GRANTS", "%s cannot be deleted: grants refer to it", a.Name())))
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: a.Name(), Changes: audit.Diff(tx, a, nil)})
	})
}

// Close closes an open agreement, now, by the caller: no further grant is
// signed under it (CreateGrant and moving a grant under it are refused) and
// it no longer changes; the grants signed under it run on. etag, when set,
// must be current. Only coordinators of the lead organisation (and admins)
// may. Errors: not found (also when the caller may not read it), permission,
// aborted, precondition (AGREEMENT_CLOSED: already closed).
func (s *Service) Close(ctx context.Context, id, etag string) (*Agreement, error) {
	return s.setClosed(ctx, id, etag, true)
}

// Reopen opens a closed agreement again. The rules and errors are Close's
// (AGREEMENT_OPEN: it is not closed).
func (s *Service) Reopen(ctx context.Context, id, etag string) (*Agreement, error) {
	return s.setClosed(ctx, id, etag, false)
}

func (s *Service) setClosed(ctx context.Context, id, etag string, closed bool) (*Agreement, error) {
	c := actor.From(ctx)
	var out *Agreement
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := Lock(ctx, tx, id); err != nil {
			return err
		}
		a, err := getVisible(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := mayChange(c, a); err != nil {
			return err
		}
		if err := resource.CheckETag(a.Name(), etag, a.Version); err != nil {
			return err
		}
		switch {
		case closed && a.Closed():
			return errs.Precondition("AGREEMENT_CLOSED", "%s is already closed", a.Name())
		case !closed && !a.Closed():
			return errs.Precondition("AGREEMENT_OPEN", "%s is open; only a closed agreement can be reopened", a.Name())
		}
		prev := *a
		now := s.now()
		action := "reopen"
		if closed {
			a.CloseTime, a.ClosedBy, action = &now, c.Name(), "close"
		} else {
			a.CloseTime, a.ClosedBy = nil, ""
		}
		a.Version, a.UpdateTime = prev.Version+1, now
		res, err := tx.NewUpdate().Model(a).Column("close_time", "closed_by", "version", "update_time").
			WherePK().Where("version = ?", prev.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(a.Name())
		}
		out = a
		return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: a.Name(), Changes: audit.Diff(tx, &prev, a)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func countGrants(ctx context.Context, idb bun.IDB, id string) (int, error) {
	var n int
	if err := idb.NewRaw("SELECT COUNT(*) FROM grants WHERE framework_agreement_id = ?", id).Scan(ctx, &n); err != nil {
		return 0, db.Err(err)
	}
	return n, nil
}

func writeErr(err error, a *Agreement) error {
	return db.Err(err,
		db.Unique(errs.AlreadyExistsOn("reference", "%s already has a framework agreement with reference %q; references are unique per donor",
			resource.Name(resource.Organisations, a.DonorID), a.Reference)),
		// An organisation was deleted between the check and the write.
		db.ForeignKey(errs.Precondition("ORGANISATION_DELETED",
			"the donor or lead organisation was deleted meanwhile; read them again and retry")))
}
