package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/errs"
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
// attachments of activities and progress updates); canUpdate says whether
// the caller may change its caption, credit and consent.
func attachmentToProto(a *attachment.Attachment, canUpdate bool) *pactumv1.Attachment {
	return &pactumv1.Attachment{
		Name: a.Name(), FileName: a.FileName, ContentType: a.ContentType, SizeBytes: a.SizeBytes,
		Uploader: a.CreatedBy, UploaderDisplayName: a.UploaderDisplayName, CreateTime: timestamppb.New(a.CreateTime),
		DownloadPath: attachmentPath(a.Name()),
		Caption:      a.Caption, Credit: a.Credit, Consent: a.Consent, Etag: a.ETag(), CallerCanUpdate: canUpdate,
	}
}

// attachmentsToProto maps a list of attachments of one owner (nil for
// none); canUpdate says whether the caller may change the owner's files.
func attachmentsToProto(list []*attachment.Attachment, canUpdate bool) []*pactumv1.Attachment {
	var out []*pactumv1.Attachment
	for _, a := range list {
		out = append(out, attachmentToProto(a, canUpdate))
	}
	return out
}

func (s *attachmentServer) ListAttachments(ctx context.Context, req *connect.Request[pactumv1.ListAttachmentsRequest]) (*connect.Response[pactumv1.ListAttachmentsResponse], error) {
	list, next, err := s.svc.List(ctx, req.Msg.GetParent(), page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	can, err := s.svc.CanUpdate(ctx, req.Msg.GetParent())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.ListAttachmentsResponse{Attachments: attachmentsToProto(list, can), NextPageToken: next}), nil
}

func (s *attachmentServer) DeleteAttachment(ctx context.Context, req *connect.Request[pactumv1.DeleteAttachmentRequest]) (*connect.Response[pactumv1.DeleteAttachmentResponse], error) {
	if err := s.svc.Delete(ctx, req.Msg.GetName()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteAttachmentResponse{}), nil
}

func (s *attachmentServer) UpdateAttachment(ctx context.Context, req *connect.Request[pactumv1.UpdateAttachmentRequest]) (*connect.Response[pactumv1.UpdateAttachmentResponse], error) {
	p := req.Msg.GetAttachment()
	if p == nil {
		return nil, errs.Invalid(errs.FieldViolation{Field: "attachment", Description: "is required: the attachment's name, etag and the fields to change"})
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), attachment.Updatable)
	if err != nil {
		return nil, err
	}
	att, err := s.svc.Update(ctx, p.GetName(), attachment.Patch{Caption: p.GetCaption(), Credit: p.GetCredit(), Consent: p.GetConsent()},
		mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "attachment.")
	}
	can, err := s.svc.CanUpdate(ctx, att.Owner)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateAttachmentResponse{Attachment: attachmentToProto(att, can)}), nil
}
