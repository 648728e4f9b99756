// Fetching the request for payment (Annex V): the server-streaming
// ExportPaymentRequest call, in the same parts as the financial report
// (progress, the file's metadata, its content in chunks), assembled into a
// Blob, over the report's binary transport.
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ReportService, type ExportPaymentRequestRequestSchema } from "../../gen/pactum/v1/report_pb";
import { IncompleteReport, type Report } from "./download";

export type PaymentRequestClient = Pick<Client<typeof ReportService>, "exportPaymentRequest">;

let client: PaymentRequestClient | undefined;

function paymentRequestClient(): PaymentRequestClient {
  client ??= createClient(
    ReportService,
    createConnectTransport({
      baseUrl: window.location.origin,
      useBinaryFormat: true,
      fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
    }),
  );
  return client;
}

export async function fetchPaymentRequest(
  req: MessageInitShape<typeof ExportPaymentRequestRequestSchema>,
  signal?: AbortSignal,
  c: PaymentRequestClient = paymentRequestClient(),
): Promise<Report> {
  let file: { fileName: string; contentType: string; size: number } | undefined;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  for await (const res of c.exportPaymentRequest(req, { signal })) {
    const part = res.part;
    if (part.case === "file") {
      file = { fileName: part.value.fileName, contentType: part.value.contentType, size: Number(part.value.sizeBytes) };
    } else if (part.case === "chunk") {
      if (!file) throw new IncompleteReport("a piece of the file came before its name");
      chunks.push(part.value as Uint8Array<ArrayBuffer>);
      received += part.value.byteLength;
    }
  }
  if (!file) throw new IncompleteReport("the document ended without a file");
  if (received !== file.size) throw new IncompleteReport(`received ${received} of ${file.size} bytes`);
  return { fileName: file.fileName, contentType: file.contentType, blob: new Blob(chunks, { type: file.contentType }) };
}
