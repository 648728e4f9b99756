package rpc

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// userServer implements UserService (admins and coordinators).
type userServer struct {
	ids  *identity.Service
	auth *authServer
	log  *slog.Logger
}

var userUpdatable = []string{"display_name", "memberships", "disabled"}

func (s *userServer) ListUsers(ctx context.Context, req *connect.Request[pactumv1.ListUsersRequest]) (*connect.Response[pactumv1.ListUsersResponse], error) {
	org := ""
	if req.Msg.GetOrganisation() != "" {
		org = strings.TrimPrefix(req.Msg.GetOrganisation(), "organisations/")
	}
	us, next, err := s.ids.ListUsers(ctx, org, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListUsersResponse{NextPageToken: next}
	for _, u := range us {
		out.Users = append(out.Users, userToProto(u))
	}
	return connect.NewResponse(out), nil
}

func (s *userServer) GetUser(ctx context.Context, req *connect.Request[pactumv1.GetUserRequest]) (*connect.Response[pactumv1.GetUserResponse], error) {
	id, err := resource.ParseName(resource.Users, req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	u, err := s.ids.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetUserResponse{User: userToProto(u)}), nil
}

func (s *userServer) InviteUser(ctx context.Context, req *connect.Request[pactumv1.InviteUserRequest]) (*connect.Response[pactumv1.InviteUserResponse], error) {
	p := req.Msg.GetUser()
	ms, err := membershipsFromProto(p.GetMemberships())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "user.")
	}
	u, secret, err := s.ids.Invite(ctx, identity.NewUser{Email: p.GetEmail(), DisplayName: p.GetDisplayName(), Memberships: ms})
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "user.")
	}
	link := s.auth.cfg.link("/accept-invitation", secret)
	mailed := s.auth.deliver(ctx, u.Email, "You are invited to Pactum",
		fmt.Sprintf("Hello %s,\n\nYou have been invited to Pactum. Open this link within 14 days to choose your password:\n\n%s\n", u.DisplayName, link), link,
		"the link is shown to the inviter")
	out := &pactumv1.InviteUserResponse{User: userToProto(u), Mailed: mailed}
	if !mailed {
		out.InvitationUrl = link
	}
	return connect.NewResponse(out), nil
}

func (s *userServer) UpdateUser(ctx context.Context, req *connect.Request[pactumv1.UpdateUserRequest]) (*connect.Response[pactumv1.UpdateUserResponse], error) {
	p := req.Msg.GetUser()
	id, err := resource.ParseName(resource.Users, p.GetName(), "user.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), userUpdatable)
	if err != nil {
		return nil, err
	}
	ms, err := membershipsFromProto(p.GetMemberships())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "user.")
	}
	u, err := s.ids.UpdateUser(ctx, id, identity.UserPatch{DisplayName: p.GetDisplayName(), Memberships: ms, Disabled: p.GetDisabled()}, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "user.")
	}
	return connect.NewResponse(&pactumv1.UpdateUserResponse{User: userToProto(u)}), nil
}
