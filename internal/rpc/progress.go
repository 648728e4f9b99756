package rpc

import (
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/progress"
)

type progressServer struct {
	pactumv1connect.UnimplementedProgressUpdateServiceHandler
	svc *progress.Service
}
