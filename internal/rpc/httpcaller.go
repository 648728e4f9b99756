package rpc

import (
	"context"
	"net/http"
	"strings"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/identity"
)

// callerCredential says how a request presented its caller.
type callerCredential int

const (
	noCredential callerCredential = iota
	bearerCredential
	cookieCredential
)

// resolveCaller learns a request's caller from its headers exactly as
// authInterceptor does: a personal API token (Authorization: Bearer) first,
// else the session cookie. Credentials that do not authenticate leave the
// caller anonymous, and their error is returned with it; peer is the
// client's address ("host:port").
func resolveCaller(ctx context.Context, ids *identity.Service, h http.Header, peer string) (actor.Caller, callerCredential, error) {
	caller := actor.Caller{Kind: actor.Anonymous, Address: peerIP(peer)}
	via := noCredential
	var authErr error
	if bearer, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer "); ok {
		c, err := ids.AuthenticateToken(ctx, strings.TrimSpace(bearer))
		caller, via, authErr = withAddress(c, caller.Address), bearerCredential, err
	} else if secret := sessionCookie(h); secret != "" {
		c, err := ids.Authenticate(ctx, secret)
		caller, via, authErr = withAddress(c, caller.Address), cookieCredential, err
	}
	if authErr != nil {
		caller = actor.Caller{Kind: actor.Anonymous, Address: caller.Address}
	}
	return caller, via, authErr
}

// signedIn is the error for a caller who must be signed in and is not (nil
// when they are): the credentials' own error, or a request to sign in.
func signedIn(c actor.Caller, authErr error) error {
	if c.Authenticated() {
		return nil
	}
	if authErr != nil {
		return authErr
	}
	return errs.Unauthenticated("sign in first: send the session cookie or an API token (Authorization: Bearer)")
}
