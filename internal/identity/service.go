package identity

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Limits and lifetimes.
const (
	DefaultSessionTTL     = 7 * 24 * time.Hour
	MaxAPITokenTTL        = 366 * 24 * time.Hour
	InvitationTTL         = 14 * 24 * time.Hour
	ResetTTL              = 2 * time.Hour
	FailureWindow         = 15 * time.Minute
	MaxFailuresPerAccount = 5
	MaxFailuresPerAddress = 30
	ResetWindow           = time.Hour
	MaxResetsPerAccount   = 3
	MaxResetsPerAddress   = 10
	touchInterval         = time.Minute
)

// Service manages users and authentication. Exported methods own their
// transactions.
type Service struct {
	db         *bun.DB
	now        func() time.Time
	hasher     *Hasher
	lastSweep  atomic.Int64
	SessionTTL time.Duration
}

// NewService returns a Service on d. Its password hashing shares the
// process-wide bound (DefaultHashConcurrency).
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC() }, hasher: processHasher, SessionTTL: DefaultSessionTTL}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// SetHasher replaces the password hasher (tests: a small bound, a counter).
func (s *Service) SetHasher(h *Hasher) { s.hasher = h }

// NewUser is what CreateUser and Invite take.
type NewUser struct {
	Email       string
	DisplayName string
	Password    string // optional: without one the user must accept an invitation
	Memberships []Membership
}

// NormaliseEmail lowercases and trims an address.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func checkEmail(v *errs.Violations, field, email string) {
	a, err := mail.ParseAddress(email)
	if email == "" {
		v.Add(field, "is required: the user's email address")
	} else if err != nil || a.Address != email || !strings.Contains(email, "@") {
		v.Add(field, "%q is not an email address such as amina@example.org", email)
	}
}

// checkMemberships validates roles, organisations and grant limits.
func checkMemberships(ctx context.Context, idb bun.IDB, ms []Membership) error {
	var v errs.Violations
	for i, m := range ms {
		f := fmt.Sprintf("memberships[%d]", i)
		if !slices.Contains(actor.Roles, m.Role) {
			v.Add(f+".role", "is required: one of admin, coordinator, finance, partner_editor, partner_viewer, auditor")
			continue
		}
		if policy.RoleNeedsOrganisation(m.Role) {
			if m.Org() == "" {
				v.Add(f+".organisation", "is required for the %s role", m.Role)
			} else if n, err := idb.NewSelect().Table("organisations").Where("id = ?", m.Org()).Count(ctx); err != nil {
				return db.Err(err)
			} else if n == 0 {
				v.Add(f+".organisation", "organisations/%s does not exist", m.Org())
			}
		}
		if len(m.GrantIDs) > 0 && !policy.RoleTakesGrants(m.Role) {
			v.Add(f+".grants", "only the coordinator, finance and auditor roles can be limited to grants")
		}
		if policy.RoleNeedsGrants(m.Role) && len(m.GrantIDs) == 0 {
			v.Add(f+".grants", "an auditor must be given the grants they audit")
		}
		for j, g := range m.GrantIDs {
			if ok, err := grantfacts.Exists(ctx, idb, g); err != nil {
				return err
			} else if !ok {
				v.Add(fmt.Sprintf("%s.grants[%d]", f, j), "%s does not exist", resource.Name(resource.Grants, g))
			}
		}
	}
	return v.Err()
}

// CreateUser adds a user with memberships, and a password when given.
// Errors: invalid, already exists (email taken).
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	var out *User
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := s.createUser(ctx, tx, in)
		out = u
		return err
	})
	return out, err
}

func (s *Service) createUser(ctx context.Context, tx bun.Tx, in NewUser) (*User, error) {
	var v errs.Violations
	email := NormaliseEmail(in.Email)
	checkEmail(&v, "email", email)
	name := strings.TrimSpace(in.DisplayName)
	if name == "" {
		v.Add("display_name", "is required: the user's name as colleagues know it")
	}
	if in.Password != "" {
		if p := checkPasswordPolicy(in.Password); p != "" {
			v.Add("password", "%s", p)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := checkMemberships(ctx, tx, in.Memberships); err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{ID: resource.NewID(), Email: email, DisplayName: name, Version: 1, CreateTime: now, UpdateTime: now}
	if in.Password != "" {
		h, err := s.hasher.Hash(ctx, in.Password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = h
	}
	if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
		return nil, db.Err(err, db.Unique(errs.AlreadyExistsOn("email", "a user with email %s already exists", email)))
	}
	if err := s.replaceMemberships(ctx, tx, u, in.Memberships); err != nil {
		return nil, err
	}
	changes := audit.Diff(tx, nil, u)
	changes = append(changes, audit.Change{Field: "memberships", New: describeMemberships(u.Memberships)})
	if err := audit.Record(ctx, tx, audit.Entry{Action: "create", Resource: u.Name(), Changes: changes}); err != nil {
		return nil, err
	}
	return u, nil
}

func describeMemberships(ms []*Membership) string {
	var parts []string
	for _, m := range ms {
		p := string(m.Role)
		if m.Org() != "" {
			p += "@organisations/" + m.Org()
		}
		if len(m.GrantIDs) > 0 {
			p += "[grants/" + strings.Join(m.GrantIDs, ",grants/") + "]"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func (s *Service) replaceMemberships(ctx context.Context, tx bun.Tx, u *User, ms []Membership) error {
	if _, err := tx.NewDelete().Model((*Membership)(nil)).Where("user_id = ?", u.ID).Exec(ctx); err != nil {
		return db.Err(err)
	}
	u.Memberships = nil
	for i, m := range ms {
		m := m
		m.ID, m.UserID, m.Position = resource.NewID(), u.ID, i
		if !policy.RoleNeedsOrganisation(m.Role) && m.Org() == "" {
			m.OrganisationID = nil
		}
		if _, err := tx.NewInsert().Model(&m).Exec(ctx); err != nil {
			return db.Err(err)
		}
		for _, g := range m.GrantIDs {
			if _, err := tx.NewInsert().Model(&membershipGrant{MembershipID: m.ID, GrantID: g}).Exec(ctx); err != nil {
				if db.IsUniqueViolation(err) {
					continue
				}
				return db.Err(err)
			}
		}
		u.Memberships = append(u.Memberships, &m)
	}
	return nil
}

// loadMemberships fills in the memberships of users.
func loadMemberships(ctx context.Context, idb bun.IDB, users ...*User) error {
	if len(users) == 0 {
		return nil
	}
	ids := make([]string, len(users))
	byID := map[string]*User{}
	for i, u := range users {
		ids[i], byID[u.ID] = u.ID, u
		u.Memberships = nil
	}
	var ms []*Membership
	if err := idb.NewSelect().Model(&ms).Where("user_id IN (?)", bun.List(ids)).OrderExpr("user_id, position").Scan(ctx); err != nil {
		return db.Err(err)
	}
	if len(ms) == 0 {
		return nil
	}
	mids := make([]string, len(ms))
	byMID := map[string]*Membership{}
	for i, m := range ms {
		mids[i], byMID[m.ID] = m.ID, m
		byID[m.UserID].Memberships = append(byID[m.UserID].Memberships, m)
	}
	var gs []membershipGrant
	if err := idb.NewSelect().Model(&gs).Where("membership_id IN (?)", bun.List(mids)).OrderExpr("grant_id").Scan(ctx); err != nil {
		return db.Err(err)
	}
	for _, g := range gs {
		byMID[g.MembershipID].GrantIDs = append(byMID[g.MembershipID].GrantIDs, g.GrantID)
	}
	return nil
}

// GetUser returns a user with memberships. Errors: not found.
func (s *Service) GetUser(ctx context.Context, id string) (*User, error) {
	return getUser(ctx, s.db, id)
}

func getUser(ctx context.Context, idb bun.IDB, id string) (*User, error) {
	u := new(User)
	if err := idb.NewSelect().Model(u).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, db.Err(err, db.NotFound(resource.Name(resource.Users, id)))
	}
	return u, loadMemberships(ctx, idb, u)
}

// FindByEmail returns the user with an email. Errors: not found.
func (s *Service) FindByEmail(ctx context.Context, email string) (*User, error) {
	u := new(User)
	if err := s.db.NewSelect().Model(u).Where("email = ?", NormaliseEmail(email)).Scan(ctx); err != nil {
		return nil, db.Err(err, db.NotFound("user"))
	}
	return u, loadMemberships(ctx, s.db, u)
}

// CountUsers returns how many users exist.
func (s *Service) CountUsers(ctx context.Context) (int, error) {
	n, err := s.db.NewSelect().Model((*User)(nil)).Count(ctx)
	if err != nil {
		return 0, db.Err(err)
	}
	return n, nil
}

// ErrBadCredentials is the one answer to a failed sign-in, whatever failed,
// so that no answer reveals whether an email is registered.
var ErrBadCredentials = errs.Unauthenticated("the email or password is not right, or the account cannot sign in")

// ReasonSignInLimited is the ErrorInfo reason of a sign-in refused for too
// many failed attempts.
const ReasonSignInLimited = "SIGN_IN_LIMITED"

// SignIn checks an email and password and opens a session. It returns the
// session secret (for the cookie). Every attempt is first claimed against
// the limits per account (MaxFailuresPerAccount) and per address
// (MaxFailuresPerAddress) in FailureWindow, atomically, before the password
// is checked: past the limits it answers exhausted without checking, so no
// more than the limit of passwords are ever checked per window, however
// many requests arrive at once on however many servers. A right password
// gives its attempt back and clears the account's failures. Errors:
// unauthenticated, exhausted (limits; or every hashing slot busy).
func (s *Service) SignIn(ctx context.Context, email, password, address, userAgent string) (string, *Session, *User, error) {
	account := NormaliseEmail(email)
	accountBucket, addressBucket := bucketSignInAccount+account, bucketSignInAddress+address
	ok, err := s.claim(ctx,
		limit{bucket: accountBucket, max: MaxFailuresPerAccount, window: FailureWindow},
		limit{bucket: addressBucket, max: MaxFailuresPerAddress, window: FailureWindow})
	if err != nil {
		return "", nil, nil, err
	}
	if !ok {
		return "", nil, nil, &errs.Error{Kind: errs.KindExhausted, Reason: ReasonSignInLimited,
			Message: fmt.Sprintf("too many failed sign-in attempts; wait %d minutes and try again, or reset your password", int(FailureWindow.Minutes()))}
	}
	u := new(User)
	err = s.db.NewSelect().Model(u).Where("email = ?", account).Scan(ctx)
	found := err == nil
	if err != nil && !db.IsNoRows(err) {
		return "", nil, nil, errors.Join(db.Err(err), s.release(context.WithoutCancel(ctx), accountBucket, addressBucket))
	}
	hash := dummyHash
	if found && u.HasPassword() {
		hash = u.PasswordHash
	}
	match, err := s.hasher.Check(ctx, hash, password)
	if err != nil {
		// Not checked (the server is busy): the attempt does not count.
		return "", nil, nil, errors.Join(err, s.release(context.WithoutCancel(ctx), accountBucket, addressBucket))
	}
	if !(match && found && u.HasPassword() && !u.Disabled) {
		// The claimed attempt stays counted: it was a failure.
		ferr := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			res := "users/unknown"
			if found {
				res = u.Name()
			}
			return audit.Record(ctx, tx, audit.Entry{Action: "sign_in_failed", Resource: res,
				Changes: []audit.Change{{Field: "address", New: address}}})
		})
		if ferr != nil {
			return "", nil, nil, ferr
		}
		return "", nil, nil, ErrBadCredentials
	}
	if err := s.release(ctx, addressBucket); err != nil {
		return "", nil, nil, err
	}
	secret, sess, err := s.StartSession(ctx, u, address, userAgent, "sign_in")
	if err != nil {
		return "", nil, nil, err
	}
	if err := loadMemberships(ctx, s.db, u); err != nil {
		return "", nil, nil, err
	}
	return secret, sess, u, nil
}

// StartSession opens a session for u (after a sign-in or after a link set
// the password), clears the account's failed sign-ins and records action in
// the audit trail. It returns the session secret.
func (s *Service) StartSession(ctx context.Context, u *User, address, userAgent, action string) (string, *Session, error) {
	now := s.now()
	secret := newSecret("ps_")
	sess := &Session{TokenHash: hashSecret(secret), UserID: u.ID, CreateTime: now, ExpireTime: now.Add(s.SessionTTL),
		LastSeenTime: now, Address: address, UserAgent: truncate(userAgent, 500)}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(sess).Exec(ctx); err != nil {
			return db.Err(err)
		}
		if _, err := tx.NewRaw("DELETE FROM rate_limits WHERE bucket = ?", bucketSignInAccount+u.Email).Exec(ctx); err != nil {
			return db.Err(err)
		}
		ctx = actor.With(ctx, actor.Caller{Kind: actor.User, UserID: u.ID, Address: address})
		return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: u.Name(),
			Changes: []audit.Change{{Field: "address", New: address}}})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, sess, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Authenticate resolves a session secret to its caller. Expired sessions
// and disabled users are refused. Errors: unauthenticated.
func (s *Service) Authenticate(ctx context.Context, secret string) (actor.Caller, error) {
	sess := new(Session)
	h := hashSecret(secret)
	err := s.db.NewSelect().Model(sess).Where("token_hash = ?", h).Scan(ctx)
	if err != nil {
		return actor.Caller{}, db.Err(err, db.NoRows(errs.Unauthenticated("your session has ended; sign in again")))
	}
	now := s.now()
	if !now.Before(sess.ExpireTime) {
		return actor.Caller{}, errs.Unauthenticated("your session has expired; sign in again")
	}
	u, err := getUser(ctx, s.db, sess.UserID)
	if err != nil || u.Disabled {
		return actor.Caller{}, errs.Unauthenticated("your session has ended; sign in again")
	}
	if now.Sub(sess.LastSeenTime) > touchInterval {
		_, _ = s.db.NewUpdate().Model(sess).Set("last_seen_time = ?", now).WherePK().Exec(ctx)
	}
	c := u.ToCaller()
	c.SessionHash = h
	return c, nil
}

// AuthenticateToken resolves a personal API token to its caller. Revoked
// and expired tokens are refused. Errors: unauthenticated.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (actor.Caller, error) {
	t := new(APIToken)
	err := s.db.NewSelect().Model(t).Where("token_hash = ?", hashSecret(secret)).Scan(ctx)
	if err != nil {
		return actor.Caller{}, db.Err(err, db.NoRows(errs.Unauthenticated("the API token is not valid")))
	}
	now := s.now()
	if t.RevokeTime != nil {
		return actor.Caller{}, errs.Unauthenticated("the API token was revoked")
	}
	if !now.Before(t.ExpireTime) {
		return actor.Caller{}, errs.Unauthenticated("the API token expired on %s", t.ExpireTime.Format(time.DateOnly))
	}
	u, err := getUser(ctx, s.db, t.UserID)
	if err != nil || u.Disabled {
		return actor.Caller{}, errs.Unauthenticated("the API token is not valid")
	}
	if t.LastUseTime == nil || now.Sub(*t.LastUseTime) > touchInterval {
		_, _ = s.db.NewUpdate().Model(t).Set("last_use_time = ?", now).WherePK().Exec(ctx)
	}
	c := u.ToCaller()
	c.TokenID = t.ID
	return c, nil
}

// SignOut ends the caller's session or, when everywhere is set, every
// session of the user and every API token they have (a token is as good as
// a session: "sign out everywhere" after a lost laptop must stop it too).
// Errors: unauthenticated.
func (s *Service) SignOut(ctx context.Context, everywhere bool) error {
	c := actor.From(ctx)
	if c.Kind != actor.User {
		return errs.Unauthenticated("not signed in")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", c.UserID)
		action := "sign_out_everywhere"
		if !everywhere {
			q = q.Where("token_hash = ?", c.SessionHash)
			action = "sign_out"
		}
		if _, err := q.Exec(ctx); err != nil {
			return db.Err(err)
		}
		var changes []audit.Change
		if everywhere {
			n, err := s.revokeAllTokens(ctx, tx, c.UserID)
			if err != nil {
				return err
			}
			changes = append(changes, audit.Change{Field: "api_tokens_revoked", New: strconv.Itoa(n)})
		}
		return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: resource.Name(resource.Users, c.UserID), Changes: changes})
	})
}

// revokeAllTokens revokes every unrevoked API token of a user and says how
// many there were.
func (s *Service) revokeAllTokens(ctx context.Context, tx bun.Tx, userID string) (int, error) {
	res, err := tx.NewUpdate().Model((*APIToken)(nil)).Set("revoke_time = ?", s.now()).
		Where("user_id = ? AND revoke_time IS NULL", userID).Exec(ctx)
	if err != nil {
		return 0, db.Err(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, db.Err(err)
	}
	return int(n), nil
}

// ReasonTokenCannotCreateTokens is the ErrorInfo reason of CreateAPIToken
// refused to a caller authenticated by an API token.
const ReasonTokenCannotCreateTokens = "API_TOKEN_CANNOT_CREATE_TOKENS"

// CreateAPIToken makes a personal API token for the calling user, valid for
// ttl (at most a year). The secret is returned only here. Only a user
// signed in with their password may create one: a caller authenticated by
// an API token may not, so that a leaked token cannot outlive its own
// expiry or revocation by minting new ones. A repeat with the same
// requestID within idem.TTL returns the token made the first time and its
// secret (kept sealed with a key only the request_id gives). Errors:
// invalid, unauthenticated, permission.
func (s *Service) CreateAPIToken(ctx context.Context, displayName string, ttl time.Duration, requestID string) (string, *APIToken, error) {
	c := actor.From(ctx)
	if c.Kind != actor.User {
		return "", nil, errs.Unauthenticated("sign in to create API tokens")
	}
	if c.TokenID != "" {
		return "", nil, &errs.Error{Kind: errs.KindPermission, Reason: ReasonTokenCannotCreateTokens,
			Message: "an API token cannot create API tokens; sign in to Pactum with your password and create it on your profile page"}
	}
	var v errs.Violations
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		v.Add("display_name", "is required: say what the token is for, e.g. \"monthly export script\"")
	}
	if ttl <= 0 || ttl > MaxAPITokenTTL {
		v.Add("ttl", "must be between 1 second and 366 days")
	}
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	var secret string
	var t *APIToken
	err := idem.CreateWith(ctx, s.db, "CreateApiToken", requestID,
		func(ctx context.Context, tx bun.Tx, name string, response []byte) error {
			t = new(APIToken)
			id := name[strings.LastIndex(name, "/")+1:]
			err := tx.NewSelect().Model(t).Where("id = ? AND user_id = ?", id, c.UserID).Scan(ctx)
			if err != nil {
				return db.Err(err, db.NotFound(name))
			}
			secret = string(response)
			return nil
		},
		func(ctx context.Context, tx bun.Tx) (string, []byte, error) {
			secret = newSecret("pt_")
			now := s.now()
			t = &APIToken{ID: resource.NewID(), TokenHash: hashSecret(secret), UserID: c.UserID, DisplayName: displayName,
				CreateTime: now, ExpireTime: now.Add(ttl)}
			if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
				return "", nil, db.Err(err)
			}
			err := audit.Record(ctx, tx, audit.Entry{Action: "token_create", Resource: t.Name(), Changes: audit.Diff(tx, nil, t)})
			return t.Name(), []byte(secret), err
		})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// ListAPITokens returns a page of the calling user's tokens, newest first,
// and the token of the next page ("" on the last). Errors: invalid (page
// size or token), internal.
func (s *Service) ListAPITokens(ctx context.Context, p page.Request) ([]*APIToken, string, error) {
	c := actor.From(ctx)
	cur, err := page.Open(p, c.UserID)
	if err != nil {
		return nil, "", err
	}
	var out []*APIToken
	if err := cur.ApplyDesc(s.db.NewSelect().Model(&out).Where("user_id = ?", c.UserID), "id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		next = cur.Next(true, out[len(out)-1].ID)
	}
	return out, next, nil
}

// RevokeAPIToken revokes one of the calling user's tokens (admins: anyone's).
// Errors: not found.
func (s *Service) RevokeAPIToken(ctx context.Context, userID, id string) error {
	c := actor.From(ctx)
	if !policy.MayManageTokensOf(c, userID) {
		return errs.NotFound(resource.Name(resource.Users, userID) + "/apiTokens/" + id)
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t := new(APIToken)
		if err := tx.NewSelect().Model(t).Where("id = ? AND user_id = ?", id, userID).Scan(ctx); err != nil {
			return db.Err(err, db.NotFound(resource.Name(resource.Users, userID)+"/apiTokens/"+id))
		}
		if t.RevokeTime != nil {
			return nil
		}
		before := *t
		now := s.now()
		t.RevokeTime = &now
		if _, err := tx.NewUpdate().Model(t).Column("revoke_time").WherePK().Exec(ctx); err != nil {
			return db.Err(err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "token_revoke", Resource: t.Name(), Changes: audit.Diff(tx, &before, t)})
	})
}

// mayGiveRoles refuses the admin role to callers who are not admins.
func mayGiveRoles(ctx context.Context, ms []Membership) error {
	for _, m := range ms {
		if !policy.MayGiveRole(actor.From(ctx), m.Role) {
			return policy.Denied("the admin role (only admins may give it)")
		}
	}
	return nil
}

// Invite creates a user without a password and an invitation link secret
// that lets them set one. Errors: invalid, already exists.
func (s *Service) Invite(ctx context.Context, in NewUser) (*User, string, error) {
	if err := mayGiveRoles(ctx, in.Memberships); err != nil {
		return nil, "", err
	}
	in.Password = ""
	var out *User
	secret := newSecret("pi_")
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := s.createUser(ctx, tx, in)
		if err != nil {
			return err
		}
		out = u
		return s.addLink(ctx, tx, u.ID, secret, PurposeInvitation, InvitationTTL)
	})
	if err != nil {
		return nil, "", err
	}
	return out, secret, nil
}

func (s *Service) addLink(ctx context.Context, tx bun.Tx, userID, secret, purpose string, ttl time.Duration) error {
	now := s.now()
	l := &userLink{TokenHash: hashSecret(secret), UserID: userID, Purpose: purpose, CreateTime: now, ExpireTime: now.Add(ttl)}
	if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
		return db.Err(err)
	}
	return audit.Record(ctx, tx, audit.Entry{Action: purpose + "_issue", Resource: resource.Name(resource.Users, userID)})
}

// ReasonResetLimited is the ErrorInfo reason of a password-reset request
// refused for too many requests.
const ReasonResetLimited = "RESET_LIMITED"

// RequestPasswordReset is CreateResetLink for anyone, signed in or not:
// requests are limited per address (MaxResetsPerAddress) and per email
// address asked for (MaxResetsPerAccount, counted whether or not it is
// registered, so the limit reveals nothing) in ResetWindow, each claimed
// atomically before any link is made. Errors: exhausted.
func (s *Service) RequestPasswordReset(ctx context.Context, email, address string) (string, *User, error) {
	ok, err := s.claim(ctx,
		limit{bucket: bucketResetAccount + NormaliseEmail(email), max: MaxResetsPerAccount, window: ResetWindow},
		limit{bucket: bucketResetAddress + address, max: MaxResetsPerAddress, window: ResetWindow})
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, &errs.Error{Kind: errs.KindExhausted, Reason: ReasonResetLimited,
			Message: fmt.Sprintf("too many password-reset requests; wait %d minutes and use the last link you received", int(ResetWindow.Minutes()))}
	}
	return s.CreateResetLink(ctx, email)
}

// CreateResetLink returns a password-reset secret for the user with email,
// or "" (and no error) when there is no such enabled user, so that callers
// cannot tell. The new link revokes the user's earlier reset links. It is
// not rate limited: the transport calls RequestPasswordReset; the
// administrator's command line calls this. Errors: internal only.
func (s *Service) CreateResetLink(ctx context.Context, email string) (string, *User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("email = ?", NormaliseEmail(email)).Scan(ctx)
	if db.IsNoRows(err) || (err == nil && u.Disabled) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, db.Err(err)
	}
	secret := newSecret("pr_")
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := revokeLinks(ctx, tx, u.ID, PurposeReset); err != nil {
			return err
		}
		return s.addLink(ctx, tx, u.ID, secret, PurposeReset, ResetTTL)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, u, nil
}

// revokeLinks deletes a user's unused links of a purpose.
func revokeLinks(ctx context.Context, tx bun.Tx, userID, purpose string) error {
	if _, err := tx.NewDelete().Model((*userLink)(nil)).Where("user_id = ? AND purpose = ? AND use_time IS NULL", userID, purpose).Exec(ctx); err != nil {
		return db.Err(err)
	}
	return nil
}

// UseLink sets a password with an invitation or reset link secret. The link
// works once; every session of the user ends, every API token of theirs is
// revoked and their other reset links stop working. Errors: invalid (bad,
// used or expired link; weak password), exhausted (hashing busy).
func (s *Service) UseLink(ctx context.Context, secret, purpose, password string) (*User, error) {
	if p := checkPasswordPolicy(password); p != "" {
		return nil, errs.Invalid(errs.FieldViolation{Field: "password", Description: p})
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	var out *User
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l := new(userLink)
		err := tx.NewSelect().Model(l).Where("token_hash = ? AND purpose = ?", hashSecret(secret), purpose).Scan(ctx)
		now := s.now()
		if db.IsNoRows(err) || (err == nil && (l.UseTime != nil || !now.Before(l.ExpireTime))) {
			return errs.Invalid(errs.FieldViolation{Field: "token", Description: "this link is not valid, was already used or has expired; ask for a new one"})
		}
		if err != nil {
			return db.Err(err)
		}
		l.UseTime = &now
		if _, err := tx.NewUpdate().Model(l).Column("use_time").WherePK().Exec(ctx); err != nil {
			return db.Err(err)
		}
		u, err := getUser(ctx, tx, l.UserID)
		if err != nil {
			return err
		}
		u.PasswordHash, u.UpdateTime = hash, now
		u.Version++
		if _, err := tx.NewUpdate().Model(u).Column("password_hash", "update_time", "version").WherePK().Exec(ctx); err != nil {
			return db.Err(err)
		}
		if _, err := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", u.ID).Exec(ctx); err != nil {
			return db.Err(err)
		}
		revoked, err := s.revokeAllTokens(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if err := revokeLinks(ctx, tx, u.ID, PurposeReset); err != nil {
			return err
		}
		ctx = actor.With(ctx, actor.Caller{Kind: actor.User, UserID: u.ID})
		out = u
		return audit.Record(ctx, tx, audit.Entry{Action: purpose + "_use", Resource: u.Name(),
			Changes: []audit.Change{{Field: "password", Old: "(hidden)", New: "(changed)"},
				{Field: "api_tokens_revoked", New: strconv.Itoa(revoked)}}})
	})
	return out, err
}
