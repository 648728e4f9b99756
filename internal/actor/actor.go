// Package actor carries the caller of a request through its context: the one
// place where every handler and service learns who is calling and in which
// organisations, with which roles. The transport's authentication
// interceptor sets it; internal/policy decides what the caller may do.
package actor

import (
	"context"
	"slices"
)

// Caller is whoever makes a request.
type Caller struct {
	// Kind says how the caller was identified.
	Kind Kind
	// Address is the client's network address, for logs and rate limits.
	Address string
	// UserID is the signed-in user's id (Kind User).
	UserID string
	// Email of the signed-in user, for logs.
	Email string
	// Memberships are the user's roles, each in one organisation.
	Memberships []Membership
	// SessionHash identifies the browser session (empty for API tokens).
	SessionHash string
	// TokenID identifies the API token used (empty for sessions).
	TokenID string
}

// Kind is how a caller was identified.
type Kind string

const (
	// Anonymous: no credentials were presented.
	Anonymous Kind = "anonymous"
	// System: Pactum itself (the demo seed, CLI commands).
	System Kind = "system"
	// User: a signed-in user, by session or API token.
	User Kind = "user"
)

// Role is what a member may do in their organisation.
type Role string

const (
	RoleAdmin         Role = "admin"          // the whole installation
	RoleCoordinator   Role = "coordinator"    // the lead organisation's staff: manage everything of its grants
	RoleFinance       Role = "finance"        // expenditures, rates and reports of assigned grants
	RolePartnerEditor Role = "partner_editor" // their own organisation's projects: log, record, report
	RolePartnerViewer Role = "partner_viewer" // read their own organisation's projects
	RoleAuditor       Role = "auditor"        // read-only over the grants they are given, audit trail included
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleFinance, RolePartnerEditor, RolePartnerViewer, RoleAuditor}

// Membership is one role of a user in one organisation, optionally limited
// to named grants (for the roles that apply to grants).
type Membership struct {
	OrganisationID string
	Role           Role
	GrantIDs       []string // empty: not limited
}

// Name is how the audit trail names the caller: "users/{id}", "system" or
// "anonymous".
func (c Caller) Name() string {
	if c.Kind == User && c.UserID != "" {
		return "users/" + c.UserID
	}
	if c.Kind == "" {
		return string(Anonymous)
	}
	return string(c.Kind)
}

// Authenticated reports whether the caller is a user or the system.
func (c Caller) Authenticated() bool { return c.Kind == User || c.Kind == System }

// IsAdmin reports whether the caller may do anything: the system, or a user
// with the admin role.
func (c Caller) IsAdmin() bool {
	return c.Kind == System || slices.ContainsFunc(c.Memberships, func(m Membership) bool { return m.Role == RoleAdmin })
}

// Has reports whether the caller holds role in any organisation.
func (c Caller) Has(role Role) bool {
	return slices.ContainsFunc(c.Memberships, func(m Membership) bool { return m.Role == role })
}

type ctxKey struct{}

// With returns ctx carrying c.
func With(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// From returns the caller in ctx; Anonymous when none was set.
func From(ctx context.Context) Caller {
	if c, ok := ctx.Value(ctxKey{}).(Caller); ok {
		return c
	}
	return Caller{Kind: Anonymous}
}

// SystemContext returns ctx acting as Pactum itself (seeding, CLI commands).
func SystemContext(ctx context.Context) context.Context {
	return With(ctx, Caller{Kind: System})
}
