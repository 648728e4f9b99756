package rpc

import (
	"context"
	"strconv"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/audit"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
)

// auditServer implements AuditService.
type auditServer struct{ svc *audit.Service }

func (s *auditServer) ListAuditEvents(ctx context.Context, req *connect.Request[pactumv1.ListAuditEventsRequest]) (*connect.Response[pactumv1.ListAuditEventsResponse], error) {
	f := audit.Filter{Resource: req.Msg.GetResource()}
	if g := req.Msg.GetGrant(); g != "" {
		id, err := resource.ParseGrant(g, "grant")
		if err != nil {
			return nil, err
		}
		f.GrantID = id
	}
	events, next, err := s.svc.List(ctx, f, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListAuditEventsResponse{NextPageToken: next}
	for i := range events {
		e := &events[i]
		pe := &pactumv1.AuditEvent{
			Name: "auditEvents/" + strconv.FormatInt(e.Seq, 10), EventTime: timestamppb.New(e.Time), Actor: e.Actor,
			Action: e.Action, Resource: e.Resource, Hash: e.Hash, PreviousHash: e.PreviousHash,
		}
		if e.GrantID != nil {
			pe.Grant = resource.Name(resource.Grants, *e.GrantID)
		}
		for _, c := range e.ChangeList() {
			pe.Changes = append(pe.Changes, &pactumv1.FieldChange{Field: c.Field, OldValue: c.Old, NewValue: c.New})
		}
		out.AuditEvents = append(out.AuditEvents, pe)
	}
	return connect.NewResponse(out), nil
}
