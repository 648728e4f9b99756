package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/attachment"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/page"
)

// attachmentServer maps AttachmentService to the attachment package
// (uploads and downloads are plain HTTP: attachments_http.go).
type attachmentServer struct {
	pactumv1connect.UnimplementedAttachmentServiceHandler
	svc *attachment.Service
}

// attachmentToProto maps an attachment to its message (also for the
// attachments of activities and progress updates).
func attachmentToProto(a *attachment.Attachment) *pactumv1.Attachment {
	return &pactumv1.Attachment{
		Name: a.Name(), FileName: a.FileName, ContentType: a.ContentType, SizeBytes: a.SizeBytes,
		Uploader: a.CreatedBy, UploaderDisplayName: a.UploaderDisplayName, CreateTime: timestamppb.New(a.CreateTime),
		DownloadPath: attachmentPath(a.Name()),
	}
}

// attachmentsToProto maps a list of attachments (nil for none).
func attachmentsToProto(list []*attachment.Attachment) []*pactumv1.Attachment {
	var out []*pactumv1.Attachment
	for _, a := range list {
		out = append(out, attachmentToProto(a))
	}
	return out
}

func (s *attachmentServer) ListAttachments(ctx context.Context, req *connect.Request[pactumv1.ListAttachmentsRequest]) (*connect.Response[pactumv1.ListAttachmentsResponse], error) {
	list, next, err := s.svc.List(ctx, req.Msg.GetParent(), page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.ListAttachmentsResponse{Attachments: attachmentsToProto(list), NextPageToken: next}), nil
}

func (s *attachmentServer) DeleteAttachment(ctx context.Context, req *connect.Request[pactumv1.DeleteAttachmentRequest]) (*connect.Response[pactumv1.DeleteAttachmentResponse], error) {
	if err := s.svc.Delete(ctx, req.Msg.GetName()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteAttachmentResponse{}), nil
}
