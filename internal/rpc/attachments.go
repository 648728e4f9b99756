package rpc

import (
	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

type attachmentServer struct {
	pactumv1connect.UnimplementedAttachmentServiceHandler
	svc *attachment.Service
}
