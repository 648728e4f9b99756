package rpc

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/pactum-dev/pactum/internal/errs"
)

// csrfHeader is a header Pactum's pages may send to show a request is
// theirs; a page of another site cannot send it without a CORS preflight,
// which Pactum does not grant.
const csrfHeader = "X-Requested-With"

// site is what a request shows of the page that made it.
type site int

const (
	// siteUnknown: no sign either way, as from curl or a script, or from a
	// form of a browser too old to say.
	siteUnknown site = iota
	// siteOwn: a page of Pactum itself.
	siteOwn
	// siteOther: a page of another site (or of another origin of the same
	// site).
	siteOther
)

// siteOf reads the signs a browser gives of the page a request comes from:
// Sec-Fetch-Site (every current browser), Origin (on every POST of a
// browser's fetch or XHR, and of forms), and the X-Requested-With header
// only Pactum's own scripts can add. An Origin is Pactum's own when it is
// publicURL's or the host the request was made to.
func siteOf(r *http.Request, publicURL string) site {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return siteOther
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if ownOrigin(origin, r.Host, publicURL) {
			return siteOwn
		}
		return siteOther // including "null": a sandboxed page, a redirect from elsewhere
	}
	if r.Header.Get("Sec-Fetch-Site") == "same-origin" || r.Header.Get(csrfHeader) != "" {
		return siteOwn
	}
	return siteUnknown
}

func ownOrigin(origin, host, publicURL string) bool {
	o, err := url.Parse(origin)
	if err != nil || o.Host == "" {
		return false
	}
	if pub, err := url.Parse(publicURL); err == nil && pub.Host != "" &&
		strings.EqualFold(o.Scheme, pub.Scheme) && strings.EqualFold(o.Host, pub.Host) {
		return true
	}
	return strings.EqualFold(o.Host, host)
}

// crossSiteRefusal is the one rule against cross-site request forgery, for
// Connect calls and uploads alike: a request that another site's page made
// is refused, and one made with the session cookie must show that a page of
// Pactum made it. The cookie is a browser's credential; every browser that
// runs the web app sends Origin on its POSTs and Sec-Fetch-Site too, so a
// cookie without either comes from a tool (curl with a copied cookie), or
// from a form of a browser too old to say where it comes from: refused,
// with a message naming the header to send or, better, an API token.
// Requests with an API token (Authorization: Bearer) are never refused: a
// page of another site cannot send that header without a CORS preflight,
// which Pactum does not grant.
func crossSiteRefusal(s site, via callerCredential) error {
	if via == bearerCredential || s == siteOwn || (s == siteUnknown && via != cookieCredential) {
		return nil
	}
	return errs.PermissionDenied("cross-site request refused: with the session cookie, send the header %s: pactum "+
		"(the web app does) or call from Pactum's own origin; scripts use an API token (Authorization: Bearer)", csrfHeader)
}

type siteKey struct{}

// withSite tells the Connect handlers in h which site a request comes from
// (the interceptors see no more of the request than its headers).
func withSite(h http.Handler, publicURL string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), siteKey{}, siteOf(r, publicURL))))
	})
}

// siteFrom is the site withSite found; siteUnknown without it.
func siteFrom(ctx context.Context) site {
	s, _ := ctx.Value(siteKey{}).(site)
	return s
}
