package organisation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/geo"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service manages organisations. Its exported methods own their transactions.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on db.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Filter narrows List.
type Filter struct {
	CountryCode string
	Region      geo.Region
	Kind        Kind
	Query       string // searched in display and short names, ignoring case and accents
}

// Get returns an organisation the caller may read. Errors: not found (also
// for one the caller may not read: its existence is not revealed).
func (s *Service) Get(ctx context.Context, id string) (*Organisation, error) {
	return getVisible(ctx, s.db, actor.From(ctx), id)
}

// col is the organisation id column of the Service's queries (bun aliases
// the table by the model's name).
const col = "organisation.id"

// getVisible reads one organisation within idb if c may read it.
// Errors: not found (missing or out of c's scope).
func getVisible(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*Organisation, error) {
	o := new(Organisation)
	q := idb.NewSelect().Model(o).Where(col+" = ?", id)
	err := policy.Where(q, policy.Organisations(c, col)).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Organisations, id)))
	}
	return o, nil
}

// mayChange refuses a caller who may read organisation o but not change it.
func mayChange(c actor.Caller, o *Organisation) error {
	if policy.CanManageOrganisations(c) {
		return nil
	}
	return errs.PermissionDenied("you may read but not change %s (%s): only admins and coordinators keep the directory of organisations; ask a coordinator",
		o.Name(), o.DisplayName)
}

// Get reads one organisation within idb (a transaction or the database),
// whoever the caller: for reference checks by other packages, never to
// answer a caller. Errors: not found.
func Get(ctx context.Context, idb bun.IDB, id string) (*Organisation, error) {
	o := new(Organisation)
	err := idb.NewSelect().Model(o).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Organisations, id)))
	}
	return o, nil
}

// List returns a page of the organisations the caller may read, ordered by
// display name, and the token of the next page ("" on the last).
// Errors: invalid (page size or token).
func (s *Service) List(ctx context.Context, f Filter, p page.Request) ([]*Organisation, string, error) {
	cur, err := page.Open(p, f.CountryCode, string(f.Region), string(f.Kind), f.Query)
	if err != nil {
		return nil, "", err
	}
	var out []*Organisation
	q := policy.Where(s.db.NewSelect().Model(&out), policy.Organisations(actor.From(ctx), col))
	if f.CountryCode != "" {
		q = q.Where("country_code = ?", f.CountryCode)
	}
	if f.Region != "" {
		q = q.Where("region = ?", f.Region)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if qs := strings.TrimSpace(f.Query); qs != "" {
		q = q.Where(`search_name LIKE ? ESCAPE '\'`, "%"+escapeLike(SearchKey(qs))+"%")
	}
	q = cur.Apply(q, "display_name", "id")
	if err := q.Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	more := len(out) > cur.Limit
	if more {
		out = out[:cur.Limit]
	}
	next := ""
	if more {
		last := out[len(out)-1]
		next = cur.Next(true, last.DisplayName, last.ID)
	}
	return out, next, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Create stores a new organisation and records its creation in the audit
// trail. Only admins and coordinators may. A retry with the same requestID
// returns the organisation made the first time (and records nothing).
// Errors: permission, invalid, already exists (IATI identifier taken).
func (s *Service) Create(ctx context.Context, in *Organisation, requestID string) (*Organisation, error) {
	c := actor.From(ctx)
	if !policy.CanManageOrganisations(c) {
		return nil, errs.PermissionDenied("only admins and coordinators may add organisations; ask a coordinator")
	}
	o := *in
	if err := o.normalise(); err != nil {
		return nil, err
	}
	now := s.now()
	o.ID, o.Version, o.CreateTime, o.UpdateTime = resource.NewID(), 1, now, now
	var out *Organisation
	err := idem.Create(ctx, s.db, "CreateOrganisation", requestID,
		func(ctx context.Context, tx bun.Tx, name string) (err error) {
			id, _ := strings.CutPrefix(name, resource.Organisations+"/")
			out, err = getVisible(ctx, tx, c, id)
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			if _, err := tx.NewInsert().Model(&o).Exec(ctx); err != nil {
				return "", s.writeErr(err, &o)
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: o.Name(), Changes: audit.Diff(tx, nil, &o)}); err != nil {
				return "", err
			}
			out = &o
			return o.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Updatable lists the fields Update may change.
var Updatable = []string{"display_name", "short_name", "kind", "country_code", "iati_identifier", "contact"}

// Update changes the fields named in mask to their values in in, and
// records the changed fields in the audit trail. etag is required and must
// be current: an organisation's details (contact, identifiers) are kept by
// its own staff and by admins, and a change made unseen must not be
// overwritten. Errors: not found (also when the caller may not read it),
// permission (the caller may read it but not change it), invalid (also a
// missing etag, field "etag"), aborted (stale etag), already exists.
func (s *Service) Update(ctx context.Context, id string, in *Organisation, mask resource.Mask, etag string) (*Organisation, error) {
	c := actor.From(ctx)
	var out *Organisation
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		o, err := getVisible(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := mayChange(c, o); err != nil {
			return err
		}
		if err := resource.RequireETag(o.Name(), etag, o.Version); err != nil {
			return err
		}
		before := *o
		if mask.Has("display_name") {
			o.DisplayName = in.DisplayName
		}
		if mask.Has("short_name") {
			o.ShortName = in.ShortName
		}
		if mask.Has("kind") {
			o.Kind = in.Kind
		}
		if mask.Has("country_code") {
			o.CountryCode = in.CountryCode
		}
		if mask.Has("iati_identifier") {
			o.IATIIdentifier = in.IATIIdentifier
		}
		if mask.Has("contact") {
			o.ContactPerson, o.Email, o.Phone, o.Website, o.Address = in.ContactPerson, in.Email, in.Phone, in.Website, in.Address
		}
		if err := o.normalise(); err != nil {
			return err
		}
		prev := o.Version
		o.Version++
		o.UpdateTime = s.now()
		res, err := tx.NewUpdate().Model(o).WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return s.writeErr(err, o)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(o.Name())
		}
		out = o
		return audit.Record(ctx, tx, audit.Entry{Action: "update", Resource: o.Name(), Changes: audit.Diff(tx, &before, o)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes an organisation that nothing refers to, and records its
// last values in the audit trail. etag, when set, must be current.
// Errors: not found (also when the caller may not read it), permission,
// aborted, precondition (in use, with the reason).
func (s *Service) Delete(ctx context.Context, id, etag string) error {
	c := actor.From(ctx)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		o, err := getVisible(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := mayChange(c, o); err != nil {
			return err
		}
		if err := resource.CheckETag(o.Name(), etag, o.Version); err != nil {
			return err
		}
		uses, err := references(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(uses) > 0 {
			return errs.Precondition("ORGANISATION_IN_USE",
				"%s cannot be deleted: it %s; remove it from those first so that their history stays whole",
				o.Name(), strings.Join(uses, ", "))
		}
		if _, err := tx.NewDelete().Model(o).WherePK().Exec(ctx); err != nil {
			return db.Err(err, db.ForeignKey(errs.Precondition("ORGANISATION_IN_USE", "%s cannot be deleted: other records refer to it", o.Name())))
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: o.Name(), Changes: audit.Diff(tx, o, nil)})
	})
}

// references says what refers to organisation id, in words.
func references(ctx context.Context, tx bun.IDB, id string) ([]string, error) {
	checks := []struct {
		what, query string
	}{
		{"takes part in %d project(s)", "SELECT COUNT(*) FROM project_participants WHERE organisation_id = ?"},
		{"is donor or lead of %d framework agreement(s)", "SELECT COUNT(*) FROM framework_agreements WHERE donor_id = ? OR lead_organisation_id = ?"},
		{"is donor or lead of %d grant(s)", "SELECT COUNT(*) FROM grants WHERE donor_id = ? OR lead_organisation_id = ?"},
		{"is responsible for %d milestone(s)", "SELECT COUNT(*) FROM milestones WHERE responsible_organisation_id = ?"},
		{"is the organisation of %d user membership(s)", "SELECT COUNT(*) FROM memberships WHERE organisation_id = ?"},
	}
	var uses []string
	for _, c := range checks {
		args := []any{id}
		if strings.Count(c.query, "?") == 2 {
			args = append(args, id)
		}
		var n int
		if err := tx.NewRaw(c.query, args...).Scan(ctx, &n); err != nil {
			return nil, db.Err(err)
		}
		if n > 0 {
			uses = append(uses, fmt.Sprintf(c.what, n))
		}
	}
	return uses, nil
}

func (s *Service) writeErr(err error, o *Organisation) error {
	return db.Err(err, db.Unique(errs.AlreadyExistsOn("iati_identifier", "iati_identifier %s is already used by another organisation; IATI identifiers are unique", o.IATI())))
}
