// Package actor carries the caller of a request through its context: the one
// place where every handler and service learns who is calling. The
// transport's caller interceptor sets it; identity and access control build
// on it.
package actor

import "context"

// Caller is whoever makes a request.
type Caller struct {
	// Kind says how the caller was identified.
	Kind Kind
	// Address is the client's network address, for logs and rate limits.
	Address string
}

// Kind is how a caller was identified.
type Kind string

const (
	// Anonymous: no credentials were presented.
	Anonymous Kind = "anonymous"
	// System: Pactum itself (the demo seed, CLI commands).
	System Kind = "system"
)

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
