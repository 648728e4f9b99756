package rpc

import (
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/notification"
)

type notificationServer struct {
	pactumv1connect.UnimplementedNotificationServiceHandler
	svc *notification.Service
}
