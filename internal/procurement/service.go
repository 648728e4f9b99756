package procurement

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service records and serves procurement contracts.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

func grantName(id string) string { return resource.Name(resource.Grants, id) }

// readGrant returns the grant if c may read its procurement contracts (its
// coordinators, finance staff, auditors, admins). Errors: not found (a
// grant c may not read at all), permission (a partner of the grant).
func readGrant(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*grant.Grant, error) {
	g := new(grant.Grant)
	err := policy.Where(idb.NewSelect().Model(g).Where("id = ?", id), policy.FullGrants(c, "id")).Scan(ctx)
	if err == nil {
		return g, nil
	}
	if !db.IsNoRows(err) {
		return nil, db.Err(err)
	}
	n, err := policy.Where(idb.NewSelect().Model((*grant.Grant)(nil)).Where("id = ?", id), policy.Grants(c, "id")).Count(ctx)
	if err != nil {
		return nil, db.Err(err)
	}
	if n == 0 {
		return nil, errs.NotFound(grantName(id))
	}
	return nil, errs.PermissionDenied("the procurement contracts of %s are for the grant's coordinators, finance staff and auditors; "+
		"send your organisation's contracts to the grant's coordinator", grantName(id))
}

// canChange reports whether c may record and change g's contracts now.
func canChange(c actor.Caller, g *grant.Grant) bool {
	return g.State != grant.StateClosed && policy.CanManageGrant(c, g.ID, g.LeadOrganisationID)
}

// readManaged returns the grant if c may change its contracts. Errors: as
// readGrant, and permission (not a coordinator of the grant), precondition
// (GRANT_CLOSED).
func readManaged(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*grant.Grant, error) {
	g, err := readGrant(ctx, idb, c, id)
	if err != nil {
		return nil, err
	}
	if !policy.CanManageGrant(c, g.ID, g.LeadOrganisationID) {
		return nil, errs.PermissionDenied("only the coordinators of %s may record and change its procurement contracts", g.Name())
	}
	if g.State == grant.StateClosed {
		return nil, errs.Precondition("GRANT_CLOSED", "%s is closed and its procurement contracts can no longer be changed", g.Name())
	}
	return g, nil
}

// fill sets what is read with the contracts: the grant currency, the
// organisations' names and whether c may change them.
func fill(ctx context.Context, idb bun.IDB, c actor.Caller, g *grant.Grant, list []*Contract) error {
	var orgs []string
	for _, k := range list {
		k.Currency, k.CanChange = g.CurrencyCode, canChange(c, g)
		if k.OrganisationID != "" && !slices.Contains(orgs, k.OrganisationID) {
			orgs = append(orgs, k.OrganisationID)
		}
	}
	if len(orgs) == 0 {
		return nil
	}
	var names []struct {
		ID   string `bun:"id"`
		Name string `bun:"display_name"`
	}
	if err := idb.NewSelect().Table("organisations").Column("id", "display_name").Where("id IN (?)", bun.List(orgs)).Scan(ctx, &names); err != nil {
		return db.Err(err)
	}
	m := map[string]string{}
	for _, n := range names {
		m[n.ID] = n.Name
	}
	for _, k := range list {
		k.OrganisationName = m[k.OrganisationID]
	}
	return nil
}

// List returns a page of the grant's procurement contracts, by award date
// then creation, the token of the next page ("" on the last) and whether
// the caller may record new ones. Errors: invalid (page size or token), not
// found (a grant the caller may not read), permission (a partner).
func (s *Service) List(ctx context.Context, grantID string, p page.Request) (list []*Contract, next string, canCreate bool, err error) {
	cur, err := page.Open(p, grantID)
	if err != nil {
		return nil, "", false, err
	}
	c := actor.From(ctx)
	err = s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		g, err := readGrant(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		if err := cur.Apply(tx.NewSelect().Model(&list).Where("grant_id = ?", g.ID), "award_date", "id").Scan(ctx); err != nil {
			return db.Err(err)
		}
		if len(list) > cur.Limit {
			list = list[:cur.Limit]
			last := list[len(list)-1]
			next = cur.Next(true, last.AwardDate.String(), last.ID)
		}
		canCreate = canChange(c, g)
		return fill(ctx, tx, c, g, list)
	})
	if err != nil {
		return nil, "", false, err
	}
	return list, next, canCreate, nil
}

// Get returns a contract of the grant, for a caller who may read them.
// Errors: not found, permission.
func (s *Service) Get(ctx context.Context, grantID, id string) (*Contract, error) {
	c := actor.From(ctx)
	var out *Contract
	err := s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		g, err := readGrant(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		if out, err = get(ctx, tx, g.ID, id); err != nil {
			return err
		}
		return fill(ctx, tx, c, g, []*Contract{out})
	})
	return out, err
}

func get(ctx context.Context, idb bun.IDB, grantID, id string) (*Contract, error) {
	k := new(Contract)
	if err := idb.NewSelect().Model(k).Where("grant_id = ? AND id = ?", grantID, id).Scan(ctx); err != nil {
		return nil, db.Err(err, db.NotFound(Pattern.Name(grantID, id)))
	}
	return k, nil
}

// Create records a procurement contract of the grant and its creation in
// the audit trail, in one transaction. A retry with the same requestID
// returns the contract made the first time. Errors: not found (a grant the
// caller may not read), permission, invalid (the fields, each named),
// precondition (GRANT_CLOSED).
func (s *Service) Create(ctx context.Context, grantID string, in Input, requestID string) (*Contract, error) {
	c := actor.From(ctx)
	var out *Contract
	err := idem.Create(ctx, s.db, "CreateProcurementContract", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			gid, id, err := ParseName(name, "name")
			if err != nil {
				return errs.Internal(err)
			}
			g, err := readGrant(ctx, tx, c, gid)
			if err != nil {
				return err
			}
			if out, err = get(ctx, tx, g.ID, id); err != nil {
				return err
			}
			return fill(ctx, tx, c, g, []*Contract{out})
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			g, err := readManaged(ctx, tx, c, grantID)
			if err != nil {
				return "", err
			}
			k := &Contract{GrantID: g.ID}
			if err := apply(ctx, tx, g, k, in, resource.Mask(Updatable)); err != nil {
				return "", err
			}
			now := s.now()
			k.ID, k.Version, k.CreateTime, k.UpdateTime = resource.NewID(), 1, now, now
			if _, err := tx.NewInsert().Model(k).Exec(ctx); err != nil {
				return "", db.Err(err)
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: k.Name(), GrantID: g.ID,
				Changes: audit.Diff(tx, nil, k)}); err != nil {
				return "", err
			}
			out = k
			return k.Name(), fill(ctx, tx, c, g, []*Contract{k})
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Update changes the fields named in mask (see Updatable). etag is
// required and must be current. Errors: not found, permission, invalid
// (the fields; a missing etag), aborted (stale etag), precondition
// (GRANT_CLOSED).
func (s *Service) Update(ctx context.Context, grantID, id string, in Input, mask resource.Mask, etag string) (*Contract, error) {
	c := actor.From(ctx)
	var out *Contract
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := readManaged(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		k, err := get(ctx, tx, g.ID, id)
		if err != nil {
			return err
		}
		if err := resource.RequireETag(k.Name(), etag, k.Version); err != nil {
			return err
		}
		before := *k
		if err := apply(ctx, tx, g, k, in, mask); err != nil {
			return err
		}
		prev := k.Version
		k.Version++
		k.UpdateTime = s.now()
		res, err := tx.NewUpdate().Model(k).WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(k.Name())
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: k.Name(), GrantID: g.ID,
			Changes: audit.Diff(tx, &before, k)}); err != nil {
			return err
		}
		out = k
		return fill(ctx, tx, c, g, []*Contract{k})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes a contract and records it in the audit trail. etag, when
// given, must be current. Errors: not found, permission, aborted (stale
// etag), precondition (GRANT_CLOSED).
func (s *Service) Delete(ctx context.Context, grantID, id, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := readManaged(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		k, err := get(ctx, tx, g.ID, id)
		if err != nil {
			return err
		}
		if err := resource.CheckETag(k.Name(), etag, k.Version); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model(k).WherePK().Where("version = ?", k.Version).Exec(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(k.Name())
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: k.Name(), GrantID: g.ID, Changes: audit.Diff(tx, k, nil)})
	})
}

// apply checks the fields of in named in mask and writes them on k; then
// checks k as a whole. Errors: invalid, naming each field; internal.
func apply(ctx context.Context, idb bun.IDB, g *grant.Grant, k *Contract, in Input, mask resource.Mask) error {
	var v errs.Violations
	text := func(field string, dst *string, val string, limit int) {
		if !mask.Has(field) {
			return
		}
		*dst = strings.TrimSpace(val)
		if n := utf8.RuneCountInString(*dst); n > limit {
			v.Add(field, "is %d characters long; at most %d are allowed", n, limit)
		}
	}
	text("reference", &k.Reference, in.Reference, MaxReferenceLen)
	text("title", &k.Title, in.Title, MaxTitleLen)
	text("contractor", &k.Contractor, in.Contractor, MaxContractorLen)
	if mask.Has("procedure") {
		k.Procedure = strings.TrimSpace(in.Procedure)
	}
	if mask.Has("award_date") {
		k.AwardDate = calendar.Date{}
		if s := strings.TrimSpace(in.AwardDate); s != "" {
			d, err := calendar.Parse(s)
			if err != nil {
				v.Add("award_date", "%s", err.Error())
			} else {
				k.AwardDate = d
			}
		}
	}
	amountSet := true
	if mask.Has("amount") {
		k.Amount = 0
		switch s := strings.TrimSpace(in.Amount); {
		case s == "":
			amountSet = false
		default:
			a, err := money.Parse(s, g.CurrencyCode)
			switch {
			case err != nil:
				v.Add("amount", "%s", err.Error())
			case a == 0:
				v.Add("amount", "must be more than 0 %s: the contract's amount as signed, e.g. 75000.00", g.CurrencyCode)
			default:
				k.Amount = a
			}
		}
	}
	if mask.Has("organisation") {
		k.OrganisationID = in.OrganisationID
	}

	// The contract as a whole.
	if k.Title == "" && !v.Has("title") {
		v.Add("title", "is required: what was bought, e.g. Printing of 2,000 training manuals")
	}
	if k.Contractor == "" && !v.Has("contractor") {
		v.Add("contractor", "is required: the name of the company or organisation the contract was awarded to")
	}
	if !slices.Contains(Procedures, k.Procedure) {
		v.Add("procedure", "is required: the award procedure, one of international open tender, international restricted tender, "+
			"local open tender, competitive negotiated procedure, negotiated procedure with a single tender, framework contract or other")
	}
	switch {
	case v.Has("award_date"):
	case k.AwardDate.IsZero():
		v.Add("award_date", "is required: the date the contract was awarded, as YYYY-MM-DD, e.g. 2025-06-30")
	case k.AwardDate.Before(g.StartDate) || k.AwardDate.After(g.EndDate):
		v.Add("award_date", "must be within the grant's implementation period, %s to %s (got %s)", g.StartDate, g.EndDate, k.AwardDate)
	}
	if !amountSet && !v.Has("amount") {
		v.Add("amount", "is required: the contract's amount in %s, e.g. 75000.00", g.CurrencyCode)
	}
	if k.OrganisationID == "" {
		k.OrganisationID = g.LeadOrganisationID
	} else if k.OrganisationID != g.LeadOrganisationID {
		var n int
		if err := idb.NewRaw(`SELECT COUNT(*) FROM project_participants pp JOIN projects p ON p.id = pp.project_id
			WHERE p.grant_id = ? AND pp.organisation_id = ?`, g.ID, k.OrganisationID).Scan(ctx, &n); err != nil {
			return db.Err(err)
		}
		if n == 0 {
			v.Add("organisation", "%s", fmt.Sprintf("must be the grant's lead organisation or an organisation taking part in one of its projects, "+
				"the beneficiary that awarded the contract; leave it empty for the lead organisation (got %s)", resource.Name(resource.Organisations, k.OrganisationID)))
		}
	}
	return v.Err()
}
