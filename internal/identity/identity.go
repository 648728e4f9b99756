// Package identity holds users, their memberships (a role in an
// organisation), sign-in with email and password, database-backed sessions,
// personal API tokens, invitation and password-reset links, and sign-in
// rate limiting.
package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/resource"
)

// User is a person who signs in to Pactum.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           string    `bun:"id,pk"`
	Email        string    `bun:"email"`
	DisplayName  string    `bun:"display_name"`
	PasswordHash string    `bun:"password_hash"`
	Disabled     bool      `bun:"disabled"`
	Version      int64     `bun:"version"`
	CreateTime   time.Time `bun:"create_time"`
	UpdateTime   time.Time `bun:"update_time"`

	Memberships []*Membership `bun:"-"`
}

// Name returns the resource name.
func (u *User) Name() string { return resource.Name(resource.Users, u.ID) }

// ETag returns the current etag.
func (u *User) ETag() string { return resource.ETag(u.Version) }

// HasPassword reports whether the user has set a password.
func (u *User) HasPassword() bool { return u.PasswordHash != "" }

// Membership is one role of a user in one organisation (none for admins),
// optionally limited to named grants.
type Membership struct {
	bun.BaseModel `bun:"table:memberships"`

	ID             string     `bun:"id,pk"`
	UserID         string     `bun:"user_id"`
	OrganisationID *string    `bun:"organisation_id"`
	Role           actor.Role `bun:"role"`
	Position       int        `bun:"position"`

	GrantIDs []string `bun:"-"`
}

// Org returns the organisation id, or "".
func (m *Membership) Org() string {
	if m.OrganisationID == nil {
		return ""
	}
	return *m.OrganisationID
}

type membershipGrant struct {
	bun.BaseModel `bun:"table:membership_grants"`

	MembershipID string `bun:"membership_id,pk"`
	GrantID      string `bun:"grant_id,pk"`
}

// Session is a signed-in browser session, stored so that every server
// behind a load balancer shares it. Only the hash of its secret is stored.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	TokenHash    string    `bun:"token_hash,pk"`
	UserID       string    `bun:"user_id"`
	CreateTime   time.Time `bun:"create_time"`
	ExpireTime   time.Time `bun:"expire_time"`
	LastSeenTime time.Time `bun:"last_seen_time"`
	Address      string    `bun:"address"`
	UserAgent    string    `bun:"user_agent"`
}

// APIToken is a personal API token for scripts. Only its hash is stored;
// the secret is shown once, when it is created.
type APIToken struct {
	bun.BaseModel `bun:"table:api_tokens"`

	ID          string     `bun:"id,pk"`
	TokenHash   string     `bun:"token_hash"`
	UserID      string     `bun:"user_id"`
	DisplayName string     `bun:"display_name"`
	CreateTime  time.Time  `bun:"create_time"`
	ExpireTime  time.Time  `bun:"expire_time"`
	LastUseTime *time.Time `bun:"last_use_time"`
	RevokeTime  *time.Time `bun:"revoke_time"`
}

// Name returns the token's resource name, "users/{user}/apiTokens/{id}".
func (t *APIToken) Name() string {
	return resource.Name(resource.Users, t.UserID) + "/apiTokens/" + t.ID
}

// userLink is an invitation or password-reset link.
type userLink struct {
	bun.BaseModel `bun:"table:user_links"`

	TokenHash  string     `bun:"token_hash,pk"`
	UserID     string     `bun:"user_id"`
	Purpose    string     `bun:"purpose"`
	CreateTime time.Time  `bun:"create_time"`
	ExpireTime time.Time  `bun:"expire_time"`
	UseTime    *time.Time `bun:"use_time"`
}

// Link purposes.
const (
	PurposeInvitation = "invitation"
	PurposeReset      = "password_reset"
)

// hashSecret returns the stored form of a session, token or link secret.
// Secrets carry 256 random bits, so a fast hash is enough.
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// ToCaller returns the caller a user acts as.
func (u *User) ToCaller() actor.Caller {
	c := actor.Caller{Kind: actor.User, UserID: u.ID, Email: u.Email}
	for _, m := range u.Memberships {
		c.Memberships = append(c.Memberships, actor.Membership{OrganisationID: m.Org(), Role: m.Role, GrantIDs: m.GrantIDs})
	}
	return c
}
