package fx

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/money"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Transfer is a bank transfer that funded a partner: GrantAmount (minor
// units of the grant currency) bought LocalAmount (minor units of Currency).
// Its ratio is the rate the partner's spending in Currency converts at
// under the transfer policy.
type Transfer struct {
	bun.BaseModel `bun:"table:partner_transfers"`

	ID             string        `bun:"id,pk"`
	GrantID        string        `bun:"grant_id"`
	OrganisationID string        `bun:"organisation_id"`
	Date           calendar.Date `bun:"transfer_date"`
	GrantAmount    int64         `bun:"grant_amount"`
	Currency       string        `bun:"currency_code"`
	LocalAmount    int64         `bun:"local_amount"`
	Reference      string        `bun:"reference"`
	CreateTime     time.Time     `bun:"create_time"`

	// GrantCurrency is the grant's currency (not stored with the transfer).
	GrantCurrency string `bun:"-"`
}

// Name returns the transfer's resource name.
func (t *Transfer) Name() string { return TransferName(t.GrantID, t.ID) }

// TransferName returns "grants/{grant}/transfers/{transfer}".
func TransferName(grantID, id string) string {
	return resource.TransferPattern.Name(grantID, id)
}

// ParseTransferName splits "grants/{grant}/transfers/{transfer}". field
// names the request field for the error. Errors: invalid.
func ParseTransferName(name, field string) (grantID, id string, err error) {
	return resource.ParseGrantChild(name, resource.Transfers, field)
}

// Rate is the transfer's rate: units of Currency per 1 unit of the grant
// currency, rounded to RateDecimals (see TransferRate).
func (t *Transfer) Rate() decimal.Decimal {
	r, err := TransferRate(t.GrantAmount, t.GrantCurrency, t.LocalAmount, t.Currency)
	if err != nil {
		return decimal.Zero
	}
	return r
}

// TransferInput is a transfer as a caller writes it: amounts are decimal
// strings in their currencies, the date "YYYY-MM-DD", the organisation an id.
type TransferInput struct {
	OrganisationID string
	Date           string
	GrantAmount    string
	Currency       string
	LocalAmount    string
	Reference      string
}

// visibleGrant reads a grant c may read, within idb. Errors: not found
// (also for one c may not read).
func visibleGrant(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*grantfacts.Facts, error) {
	return grantfacts.Visible(ctx, idb, c, id)
}

// managedGrant reads a grant whose money c may change. Errors: not found
// (c may not read it), permission (c may read but not change its money).
func managedGrant(ctx context.Context, idb bun.IDB, c actor.Caller, id string) (*grantfacts.Facts, error) {
	g, err := visibleGrant(ctx, idb, c, id)
	if err != nil {
		return nil, err
	}
	if !policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) {
		return nil, errs.PermissionDenied("you may read but not change the transfers of %s: only its coordinators, finance staff and admins may",
			g.Describe())
	}
	return g, nil
}

// ListTransfers returns a page of a grant's transfers to partners, by
// transfer date, then in the order recorded (ids are UUIDv7): all of them
// to those who read the grant in full, and their own organisation's to
// partners; and the token of the next page ("" on the last). Errors:
// invalid (page size or token), not found (also for a grant the caller may
// not read).
func (s *Service) ListTransfers(ctx context.Context, grantID string, p page.Request) ([]*Transfer, string, error) {
	cur, err := page.Open(p, grantID)
	if err != nil {
		return nil, "", err
	}
	c := actor.From(ctx)
	g, err := visibleGrant(ctx, s.db, c, grantID)
	if err != nil {
		return nil, "", err
	}
	var out []*Transfer
	q := s.db.NewSelect().Model(&out).Where("grant_id = ?", g.ID)
	q = policy.Where(q, policy.PartnerMoney(c, "grant_id", "organisation_id"))
	if err := cur.Apply(q, "transfer_date", "id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		last := out[len(out)-1]
		next = cur.Next(true, last.Date.String(), last.ID)
	}
	for _, t := range out {
		t.GrantCurrency = g.CurrencyCode
	}
	return out, next, nil
}

// CreateTransfer records a transfer to a partner of the grant, records it
// in the audit trail and converts again that partner's expenditures in
// that currency, in one transaction; it returns the transfer and how many
// expenditures were converted again. A retry with the same requestID
// returns the transfer made the first time and converts nothing. Admins and
// the grant's coordinators and finance staff may. Errors: not found (a
// grant the caller may not read), permission, invalid (naming each field
// and what would be valid).
func (s *Service) CreateTransfer(ctx context.Context, grantID string, in TransferInput, requestID string) (*Transfer, int, error) {
	c := actor.From(ctx)
	var out *Transfer
	reconverted := 0
	err := idem.Create(ctx, s.db, "CreateTransfer", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			g, err := managedGrant(ctx, tx, c, grantID)
			if err != nil {
				return err
			}
			id := name[strings.LastIndex(name, "/")+1:]
			out, err = getTransfer(ctx, tx, g, id, policy.Cond{SQL: "1 = 1"})
			reconverted = 0
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			g, err := managedGrant(ctx, tx, c, grantID)
			if err != nil {
				return "", err
			}
			t, err := checkTransfer(ctx, tx, g, in)
			if err != nil {
				return "", err
			}
			t.ID, t.GrantID, t.CreateTime = resource.NewID(), g.ID, s.now()
			if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
				return "", db.Err(err, db.ForeignKey(errs.Precondition("REFERENCE_DELETED", "the grant or the organisation was deleted meanwhile; read them again and retry")))
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: t.Name(), GrantID: g.ID, Changes: audit.Diff(tx, nil, t)}); err != nil {
				return "", err
			}
			reconverted, err = ReconvertGrant(ctx, tx, g.ID, Scope{OrganisationID: t.OrganisationID, Currency: t.Currency})
			if err != nil {
				return "", err
			}
			out = t
			return t.Name(), nil
		})
	if err != nil {
		return nil, 0, err
	}
	return out, reconverted, nil
}

// DeleteTransfer removes a transfer, records it in the audit trail and
// converts again that partner's expenditures in that currency (an earlier
// transfer then applies, or none), in one transaction; it returns how many
// expenditures were converted again. Admins and the grant's coordinators
// and finance staff may. Errors: not found (also for a grant or transfer the
// caller may not read), permission.
func (s *Service) DeleteTransfer(ctx context.Context, grantID, id string) (int, error) {
	c := actor.From(ctx)
	reconverted := 0
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := visibleGrant(ctx, tx, c, grantID)
		if err != nil {
			return err
		}
		t, err := getTransfer(ctx, tx, g, id, policy.PartnerMoney(c, "grant_id", "organisation_id"))
		if err != nil {
			return err
		}
		if !policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) {
			return errs.PermissionDenied("you may read but not delete %s: only the coordinators, finance staff and admins of %s may",
				t.Name(), g.Describe())
		}
		if _, err := tx.NewDelete().Model(t).WherePK().Exec(ctx); err != nil {
			return db.Err(err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "delete", Resource: t.Name(), GrantID: g.ID, Changes: audit.Diff(tx, t, nil)}); err != nil {
			return err
		}
		reconverted, err = ReconvertGrant(ctx, tx, g.ID, Scope{OrganisationID: t.OrganisationID, Currency: t.Currency})
		return err
	})
	return reconverted, err
}

// getTransfer reads one transfer of g within scope. Errors: not found.
func getTransfer(ctx context.Context, idb bun.IDB, g *grantfacts.Facts, id string, scope policy.Cond) (*Transfer, error) {
	t := new(Transfer)
	q := idb.NewSelect().Model(t).Where("grant_id = ? AND id = ?", g.ID, id)
	err := policy.Where(q, scope).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(TransferName(g.ID, id)))
	}
	t.GrantCurrency = g.CurrencyCode
	return t, nil
}

// checkTransfer checks a transfer of grant g as a whole and returns it
// (without id, grant or time). Errors: invalid, naming each field.
func checkTransfer(ctx context.Context, idb bun.IDB, g *grantfacts.Facts, in TransferInput) (*Transfer, error) {
	var v errs.Violations
	t := &Transfer{
		OrganisationID: strings.TrimSpace(in.OrganisationID),
		Currency:       strings.TrimSpace(in.Currency),
		Reference:      strings.TrimSpace(in.Reference),
		GrantCurrency:  g.CurrencyCode,
	}
	if t.OrganisationID == "" {
		v.Add("organisation", "is required: the partner funded, organisations/{id}, one taking part in a project of %s", g.Describe())
	} else if t.OrganisationID != g.LeadOrganisationID {
		var n int
		err := idb.NewRaw(`SELECT COUNT(*) FROM project_participants pp JOIN projects p ON p.id = pp.project_id
			WHERE p.grant_id = ? AND pp.organisation_id = ?`, g.ID, t.OrganisationID).Scan(ctx, &n)
		if err != nil {
			return nil, db.Err(err)
		}
		if n == 0 {
			v.Add("organisation", "must be an organisation taking part in a project of %s, or its lead organisation (got organisations/%s)",
				g.Describe(), t.OrganisationID)
		}
	}

	switch s := strings.TrimSpace(in.Date); {
	case s == "":
		v.Add("transfer_date", "is required: the day the transfer was made, YYYY-MM-DD, from %s to %s", g.StartDate, g.EndDate)
	default:
		d, err := calendar.Parse(s)
		switch {
		case err != nil:
			v.Add("transfer_date", "%s", err.Error())
		case d.Before(g.StartDate) || d.After(g.EndDate):
			v.Add("transfer_date", "must be inside the implementation period of %s, from %s to %s (got %s)", g.Describe(), g.StartDate, g.EndDate, d)
		default:
			t.Date = d
		}
	}

	t.GrantAmount, _ = parsePositive(&v, "grant_amount", in.GrantAmount, g.CurrencyCode, "the amount sent")
	switch _, err := money.Currency(t.Currency); {
	case t.Currency == "":
		v.Add("currency_code", "is required: the ISO 4217 code of the currency the partner received, e.g. KES")
	case err != nil:
		v.Add("currency_code", "%s", err.Error())
	case t.Currency == g.CurrencyCode:
		v.Add("currency_code", "must differ from the grant currency (%s): a transfer in the grant currency sets no exchange rate", g.CurrencyCode)
	default:
		t.LocalAmount, _ = parsePositive(&v, "local_amount", in.LocalAmount, t.Currency, "the amount received")
	}
	if len(t.Reference) > 200 {
		v.Add("reference", "must be at most 200 characters (got %d)", len(t.Reference))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// parsePositive reads a required decimal amount above zero in currency code.
func parsePositive(v *errs.Violations, field, s, code, what string) (int64, bool) {
	s = strings.TrimSpace(s)
	scale, _ := money.Currency(code)
	example := "250000"
	if scale > 0 {
		example = "25000." + strings.Repeat("0", scale)
	}
	if s == "" {
		v.Add(field, "is required: %s, a decimal amount in %s such as %s", what, code, example)
		return 0, false
	}
	n, err := money.Parse(s, code)
	if err != nil {
		v.Add(field, "%s", err.Error())
		return 0, false
	}
	if n == 0 {
		v.Add(field, "must be more than zero: %s in %s", what, code)
		return 0, false
	}
	return n, true
}
