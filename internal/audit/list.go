package audit

import (
	"context"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
)

// Service reads the audit trail.
type Service struct{ db *bun.DB }

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service { return &Service{db: d} }

// Filter narrows List.
type Filter struct {
	Resource string // a resource name
	GrantID  string // a grant: its own events and those of everything in it
}

// List returns the events the caller may read, oldest first: of the grants
// they manage or audit, of the organisations and framework agreements
// coordinators keep, and their own sign-ins and tokens; everything for
// admins. Errors: not found (a grant the caller cannot see), permission (a
// grant they see but may not audit), invalid (page).
func (s *Service) List(ctx context.Context, f Filter, p page.Request) ([]Event, string, error) {
	c := actor.From(ctx)
	cur, err := page.Open(p, f.Resource, f.GrantID)
	if err != nil {
		return nil, "", err
	}
	if f.GrantID != "" {
		g, err := grantfacts.Visible(ctx, s.db, c, f.GrantID)
		if err != nil {
			return nil, "", err
		}
		if !policy.CanReadAudit(c, f.GrantID, g.LeadOrganisationID) {
			return nil, "", errs.PermissionDenied("only the grant's coordinators and auditors may read its audit trail")
		}
	}
	var out []Event
	q := s.db.NewSelect().Model(&out)
	if f.GrantID != "" {
		q = q.Where("grant_id = ?", f.GrantID)
	}
	if f.Resource != "" {
		q = q.Where("resource = ?", f.Resource)
	}
	q = policy.Where(q, policy.AuditEvents(c, "grant_id", "resource"))
	// seq is numeric; the cursor carries it as text.
	if len(cur.After) == 1 {
		after, err := strconv.ParseInt(cur.After[0], 10, 64)
		if err != nil {
			return nil, "", errs.Invalid(errs.FieldViolation{Field: "page_token", Description: "is not a page token from this list"})
		}
		q = q.Where("seq > ?", after)
	}
	q = q.OrderExpr("seq ASC").Limit(cur.Limit + 1)
	if err := q.Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	more := len(out) > cur.Limit
	if more {
		out = out[:cur.Limit]
	}
	next := ""
	if more {
		next = cur.Next(true, strconv.FormatInt(out[len(out)-1].Seq, 10))
	}
	return out, next, nil
}
