package rpc

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/mail"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "pactum_session"

// AuthConfig configures authentication.
type AuthConfig struct {
	// PublicURL is where users reach Pactum, for links in emails, e.g.
	// "https://pactum.example.org". Cookies are Secure when it is https.
	PublicURL string
	// Mailer sends invitations and reset links; nil logs them instead.
	Mailer mail.Sender
}

func (c AuthConfig) secure() bool { return strings.HasPrefix(c.PublicURL, "https://") }

func (c AuthConfig) link(path, secret string) string {
	return strings.TrimRight(c.PublicURL, "/") + path + "?token=" + secret
}

// authInterceptor is the one place where a request learns its caller: from
// a personal API token (Authorization: Bearer) or the session cookie. It
// then enforces the procedure's declared need (internal/rpc/access.go):
// no credentials -> UNAUTHENTICATED; a need the caller does not meet ->
// PERMISSION_DENIED. Procedures without a declared need are refused, and so
// are calls crossSiteRefusal refuses (the handlers are wrapped in
// withSite). It guards unary and streaming procedures alike.
func authInterceptor(ids *identity.Service, log *slog.Logger) connect.Interceptor {
	return &authentication{ids: ids, log: log}
}

type authentication struct {
	ids *identity.Service
	log *slog.Logger
}

// caller authenticates a call to procedure from its headers and peer
// address, and checks the procedure's need.
func (a *authentication) caller(ctx context.Context, procedure string, h http.Header, peerAddr string) (actor.Caller, error) {
	need, declared := access[procedure]
	if !declared {
		a.log.ErrorContext(ctx, "procedure without an access rule", "procedure", procedure)
		return actor.Caller{}, errs.PermissionDenied("this procedure has no access rule")
	}
	caller, via, authErr := resolveCaller(ctx, a.ids, h, peerAddr)
	if err := crossSiteRefusal(siteFrom(ctx), via); err != nil {
		return actor.Caller{}, err
	}
	if need != policy.Public {
		if err := signedIn(caller, authErr); err != nil {
			return actor.Caller{}, err
		}
	}
	if !need.Allows(caller) {
		return actor.Caller{}, errs.PermissionDenied("your role does not allow %s", procedure)
	}
	return caller, nil
}

func (a *authentication) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		caller, err := a.caller(ctx, req.Spec().Procedure, req.Header(), req.Peer().Addr)
		if err != nil {
			return nil, err
		}
		return next(actor.With(ctx, caller), req)
	}
}

func (a *authentication) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		caller, err := a.caller(ctx, conn.Spec().Procedure, conn.RequestHeader(), conn.Peer().Addr)
		if err != nil {
			return err
		}
		return next(actor.With(ctx, caller), conn)
	}
}

func (*authentication) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func withAddress(c actor.Caller, addr string) actor.Caller {
	c.Address = addr
	return c
}

func peerIP(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

func sessionCookie(h http.Header) string {
	for _, line := range h.Values("Cookie") {
		cookies, err := http.ParseCookie(line)
		if err != nil {
			continue
		}
		for _, c := range cookies {
			if c.Name == SessionCookie {
				return c.Value
			}
		}
	}
	return ""
}

// authServer implements AuthService.
type authServer struct {
	ids *identity.Service
	cfg AuthConfig
	log *slog.Logger
}

func (s *authServer) setSession(h http.Header, secret string, expires time.Time) {
	c := &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", Expires: expires, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.secure()}
	if secret == "" {
		c.MaxAge = -1
	}
	h.Add("Set-Cookie", c.String())
}

func (s *authServer) SignIn(ctx context.Context, req *connect.Request[pactumv1.SignInRequest]) (*connect.Response[pactumv1.SignInResponse], error) {
	secret, sess, u, err := s.ids.SignIn(ctx, req.Msg.GetEmail(), req.Msg.GetPassword(), actor.From(ctx).Address, req.Header().Get("User-Agent"))
	if err != nil {
		return nil, err
	}
	res := connect.NewResponse(&pactumv1.SignInResponse{User: userToProto(u), ExpireTime: timestamppb.New(sess.ExpireTime)})
	s.setSession(res.Header(), secret, sess.ExpireTime)
	return res, nil
}

func (s *authServer) SignOut(ctx context.Context, req *connect.Request[pactumv1.SignOutRequest]) (*connect.Response[pactumv1.SignOutResponse], error) {
	if err := s.ids.SignOut(ctx, req.Msg.GetEverywhere()); err != nil {
		return nil, err
	}
	res := connect.NewResponse(&pactumv1.SignOutResponse{})
	s.setSession(res.Header(), "", time.Unix(0, 0))
	return res, nil
}

func (s *authServer) GetSession(ctx context.Context, _ *connect.Request[pactumv1.GetSessionRequest]) (*connect.Response[pactumv1.GetSessionResponse], error) {
	c := actor.From(ctx)
	if c.Kind != actor.User {
		return nil, errs.Unauthenticated("not signed in as a user")
	}
	u, err := s.ids.GetUser(ctx, c.UserID)
	if err != nil {
		return nil, err
	}
	r := policy.OnSession(c)
	return connect.NewResponse(&pactumv1.GetSessionResponse{User: userToProto(u), Permissions: &pactumv1.SessionPermissions{
		CreateGrants:          r.CreateGrants,
		ManageOrganisations:   r.ManageOrganisations,
		ManageUsers:           r.ManageUsers,
		ManageExchangeRates:   r.ManageRates,
		LogActivities:         r.LogSomeActivities,
		ReadRecordHistory:     r.ReadRecordHistory,
		ManageAdmins:          r.ManageAdmins,
		ManageBudgetTemplates: r.ManageTemplates,
	}}), nil
}

func (s *authServer) useLink(ctx context.Context, h http.Header, token, purpose, password string) (*identity.User, time.Time, http.Header, error) {
	u, err := s.ids.UseLink(ctx, token, purpose, password)
	if err != nil {
		return nil, time.Time{}, nil, err
	}
	secret, sess, err := s.ids.StartSession(ctx, u, actor.From(ctx).Address, h.Get("User-Agent"), "sign_in")
	if err != nil {
		return nil, time.Time{}, nil, err
	}
	u, err = s.ids.GetUser(ctx, u.ID)
	if err != nil {
		return nil, time.Time{}, nil, err
	}
	out := http.Header{}
	s.setSession(out, secret, sess.ExpireTime)
	return u, sess.ExpireTime, out, nil
}

func (s *authServer) AcceptInvitation(ctx context.Context, req *connect.Request[pactumv1.AcceptInvitationRequest]) (*connect.Response[pactumv1.AcceptInvitationResponse], error) {
	u, exp, h, err := s.useLink(ctx, req.Header(), req.Msg.GetToken(), identity.PurposeInvitation, req.Msg.GetPassword())
	if err != nil {
		return nil, err
	}
	res := connect.NewResponse(&pactumv1.AcceptInvitationResponse{User: userToProto(u), ExpireTime: timestamppb.New(exp)})
	res.Header().Add("Set-Cookie", h.Get("Set-Cookie"))
	return res, nil
}

func (s *authServer) ResetPassword(ctx context.Context, req *connect.Request[pactumv1.ResetPasswordRequest]) (*connect.Response[pactumv1.ResetPasswordResponse], error) {
	u, exp, h, err := s.useLink(ctx, req.Header(), req.Msg.GetToken(), identity.PurposeReset, req.Msg.GetPassword())
	if err != nil {
		return nil, err
	}
	res := connect.NewResponse(&pactumv1.ResetPasswordResponse{User: userToProto(u), ExpireTime: timestamppb.New(exp)})
	res.Header().Add("Set-Cookie", h.Get("Set-Cookie"))
	return res, nil
}

func (s *authServer) RequestPasswordReset(ctx context.Context, req *connect.Request[pactumv1.RequestPasswordResetRequest]) (*connect.Response[pactumv1.RequestPasswordResetResponse], error) {
	secret, u, err := s.ids.RequestPasswordReset(ctx, req.Msg.GetEmail(), actor.From(ctx).Address)
	if err != nil {
		return nil, err
	}
	if secret != "" {
		link := s.cfg.link(ResetPath, secret)
		s.deliver(ctx, u.Email, "Reset your Pactum password",
			fmt.Sprintf("Hello %s,\n\nTo set a new password for Pactum, open this link within two hours:\n\n%s\n\nIf you did not ask for this, ignore this email.\n", u.DisplayName, link), link,
			"an administrator can print a new link with: pactum user reset-link --email "+u.Email)
	}
	// The same answer whether or not the email is registered.
	return connect.NewResponse(&pactumv1.RequestPasswordResetResponse{}), nil
}

// ResetPath is the web app's page for reset links.
const ResetPath = "/reset-password"

// ResetLink is the address of the reset page for a link secret.
func ResetLink(publicURL, secret string) string {
	return AuthConfig{PublicURL: publicURL}.link(ResetPath, secret)
}

// deliver mails a link, or logs that it was not mailed when no mailer is
// configured or sending failed. It reports whether the mail went out. The
// log never holds the link in full: whoever reads the logs could otherwise
// take over the account; it holds a redacted form and says how else to
// get a link (instead).
func (s *authServer) deliver(ctx context.Context, to, subject, body, link, instead string) bool {
	if s.cfg.Mailer != nil {
		err := s.cfg.Mailer.Send(ctx, to, subject, body)
		if err == nil {
			return true
		}
		s.log.ErrorContext(ctx, "mail not sent", "to", to, "subject", subject, "link", redactLink(link), "error", err)
		return false
	}
	s.log.InfoContext(ctx, "link not mailed (no SMTP configured)", "to", to, "subject", subject, "link", redactLink(link), "instead", instead)
	return false
}

// redactLink keeps a link's address and the first characters of its
// secret (enough to tell two links apart, far too few to use one).
func redactLink(link string) string {
	base, secret, ok := strings.Cut(link, "token=")
	if !ok {
		return "(link redacted)"
	}
	if len(secret) > 7 {
		secret = secret[:7]
	}
	return base + "token=" + secret + "…(redacted)"
}

func apiTokenToProto(t *identity.APIToken) *pactumv1.ApiToken {
	return &pactumv1.ApiToken{
		Name: t.Name(), DisplayName: t.DisplayName,
		CreateTime: timestamppb.New(t.CreateTime), ExpireTime: timestamppb.New(t.ExpireTime),
		LastUseTime: optionalTime(t.LastUseTime), RevokeTime: optionalTime(t.RevokeTime),
	}
}

func (s *authServer) CreateApiToken(ctx context.Context, req *connect.Request[pactumv1.CreateApiTokenRequest]) (*connect.Response[pactumv1.CreateApiTokenResponse], error) {
	secret, t, err := s.ids.CreateAPIToken(ctx, req.Msg.GetDisplayName(), time.Duration(req.Msg.GetTtlDays())*24*time.Hour, req.Msg.GetRequestId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CreateApiTokenResponse{ApiToken: apiTokenToProto(t), Secret: secret}), nil
}

func (s *authServer) ListApiTokens(ctx context.Context, req *connect.Request[pactumv1.ListApiTokensRequest]) (*connect.Response[pactumv1.ListApiTokensResponse], error) {
	ts, next, err := s.ids.ListAPITokens(ctx, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListApiTokensResponse{NextPageToken: next}
	for _, t := range ts {
		out.ApiTokens = append(out.ApiTokens, apiTokenToProto(t))
	}
	return connect.NewResponse(out), nil
}

func (s *authServer) RevokeApiToken(ctx context.Context, req *connect.Request[pactumv1.RevokeApiTokenRequest]) (*connect.Response[pactumv1.RevokeApiTokenResponse], error) {
	ids, err := resource.Pattern{resource.Users, resource.APITokens}.Parse(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.ids.RevokeAPIToken(ctx, ids[0], ids[1]); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.RevokeApiTokenResponse{}), nil
}

var roleToProto = map[actor.Role]pactumv1.Role{
	actor.RoleAdmin:         pactumv1.Role_ROLE_ADMIN,
	actor.RoleCoordinator:   pactumv1.Role_ROLE_COORDINATOR,
	actor.RoleFinance:       pactumv1.Role_ROLE_FINANCE,
	actor.RolePartnerEditor: pactumv1.Role_ROLE_PARTNER_EDITOR,
	actor.RolePartnerViewer: pactumv1.Role_ROLE_PARTNER_VIEWER,
	actor.RoleAuditor:       pactumv1.Role_ROLE_AUDITOR,
}

var roleFromProto = reverse(roleToProto)

func userToProto(u *identity.User) *pactumv1.User {
	p := &pactumv1.User{
		Name: u.Name(), Email: u.Email, DisplayName: u.DisplayName, Disabled: u.Disabled, Active: u.HasPassword(),
		CreateTime: timestamppb.New(u.CreateTime), UpdateTime: timestamppb.New(u.UpdateTime), Etag: u.ETag(),
	}
	for _, m := range u.Memberships {
		pm := &pactumv1.Membership{Role: roleToProto[m.Role]}
		if m.Org() != "" {
			pm.Organisation = resource.Name("organisations", m.Org())
		}
		for _, g := range m.GrantIDs {
			pm.Grants = append(pm.Grants, resource.Name(resource.Grants, g))
		}
		p.Memberships = append(p.Memberships, pm)
	}
	return p
}

func membershipsFromProto(ms []*pactumv1.Membership) ([]identity.Membership, error) {
	var out []identity.Membership
	var v errs.Violations
	for i, m := range ms {
		im := identity.Membership{Role: roleFromProto[m.GetRole()]}
		if m.GetOrganisation() != "" {
			id := strings.TrimPrefix(m.GetOrganisation(), "organisations/")
			im.OrganisationID = &id
		}
		for j, g := range m.GetGrants() {
			id, err := resource.ParseGrant(g, fmt.Sprintf("memberships[%d].grants[%d]", i, j))
			if err != nil {
				v.Add(fmt.Sprintf("memberships[%d].grants[%d]", i, j), "must be grants/{id}")
				continue
			}
			im.GrantIDs = append(im.GrantIDs, id)
		}
		out = append(out, im)
	}
	return out, v.Err()
}
