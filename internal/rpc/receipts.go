package rpc

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/receipt"
)

// receiptToProto maps a receipt to its message (also for Expenditure.receipts).
func receiptToProto(r *receipt.Receipt) *pactumv1.Receipt {
	return &pactumv1.Receipt{
		Name: r.Name(), FileName: r.FileName, ContentType: r.ContentType, SizeBytes: r.SizeBytes, Sha256: r.SHA256,
		CreateTime: timestamppb.New(r.CreateTime),
	}
}

// DeleteReceipt removes a receipt from its expenditure (uploads and
// downloads are plain HTTP: receipts_http.go).
func (s *expenditureServer) DeleteReceipt(ctx context.Context, req *connect.Request[pactumv1.DeleteReceiptRequest]) (*connect.Response[pactumv1.DeleteReceiptResponse], error) {
	g, e, r, err := receipt.ParseName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	if err := s.receipts.Delete(ctx, g, e, r); err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.DeleteReceiptResponse{}), nil
}
