// Fetching the request for payment (Annex V): the server-streaming
// ExportPaymentRequest call, in the same parts as the financial report
// (progress, the file's metadata, its content in chunks), assembled into a
// Blob, over the report's binary transport.
import { createClient, type Client } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ReportService, type ExportPaymentRequestRequestSchema } from "../../gen/pactum/v1/report_pb";
import { assembleReport, documentTransport, type Report } from "./download";

export type PaymentRequestClient = Pick<Client<typeof ReportService>, "exportPaymentRequest">;

let client: PaymentRequestClient | undefined;

function paymentRequestClient(): PaymentRequestClient {
  client ??= createClient(
    ReportService,
    documentTransport(),
  );
  return client;
}

export async function fetchPaymentRequest(
  req: MessageInitShape<typeof ExportPaymentRequestRequestSchema>,
  signal?: AbortSignal,
  c: PaymentRequestClient = paymentRequestClient(),
): Promise<Report> {
  return assembleReport(c.exportPaymentRequest(req, { signal }));
}
