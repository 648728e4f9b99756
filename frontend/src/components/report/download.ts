// Fetching a financial report: the server-streaming ExportFinancialReport
// call (progress while the report is made, then the file's metadata, then
// its content in chunks), assembled into a Blob. The report has its own
// transport in the binary format: the file's chunks travel as raw bytes,
// not base64 in JSON.
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ReportService, type ExportFinancialReportRequestSchema } from "../../gen/pactum/v1/report_pb";

export type ReportClient = Pick<Client<typeof ReportService>, "exportFinancialReport">;

let client: ReportClient | undefined;

let transport: Transport | undefined;

// documentTransport carries the streamed documents in the binary format:
// the files' chunks travel as raw bytes, not base64 in JSON.
export function documentTransport(): Transport {
  transport ??= createConnectTransport({
    baseUrl: window.location.origin,
    useBinaryFormat: true,
    fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
  });
  return transport;
}

export function reportClient(): ReportClient {
  client ??= createClient(
    ReportService,
    documentTransport(),
  );
  return client;
}

// Progress: the server making the report (a stage, rows done of total, 0
// when not known), or the browser receiving it (bytes of the file's size).
export type Progress = { phase: "making"; stage: string; done: number; total: number } | { phase: "receiving"; done: number; total: number };

export interface Report {
  fileName: string;
  contentType: string;
  blob: Blob;
}

export class IncompleteReport extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IncompleteReport";
  }
}

export async function fetchReport(
  c: ReportClient,
  req: MessageInitShape<typeof ExportFinancialReportRequestSchema>,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<Report> {
  return assembleReport(c.exportFinancialReport(req, { signal }), onProgress);
}

// ReportPart is one message of a streamed document (the financial report,
// the payment request, the narrative report, the results workbooks): all
// share the parts progress, file and chunk.
export interface ReportPart {
  part:
    | { case: "progress"; value: { stage: string; done: bigint; total: bigint } }
    | { case: "file"; value: { fileName: string; contentType: string; sizeBytes: bigint } }
    | { case: "chunk"; value: Uint8Array }
    | { case: undefined; value?: undefined };
}

// assembleReport reads a streamed document into a Blob, telling progress;
// an IncompleteReport when a part is missing or the bytes do not add up
// to the size announced.
export async function assembleReport(stream: AsyncIterable<ReportPart>, onProgress: (p: Progress) => void = () => {}): Promise<Report> {
  let file: { fileName: string; contentType: string; size: number } | undefined;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  for await (const res of stream) {
    const part = res.part;
    switch (part.case) {
      case "progress":
        onProgress({ phase: "making", stage: part.value.stage, done: Number(part.value.done), total: Number(part.value.total) });
        break;
      case "file":
        file = { fileName: part.value.fileName, contentType: part.value.contentType, size: Number(part.value.sizeBytes) };
        onProgress({ phase: "receiving", done: 0, total: file.size });
        break;
      case "chunk":
        if (!file) throw new IncompleteReport("a piece of the file came before its name");
        chunks.push(part.value as Uint8Array<ArrayBuffer>);
        received += part.value.byteLength;
        onProgress({ phase: "receiving", done: received, total: file.size });
        break;
    }
  }
  if (!file) throw new IncompleteReport("the report ended without a file");
  if (received !== file.size) throw new IncompleteReport(`received ${received} of ${file.size} bytes`);
  return { fileName: file.fileName, contentType: file.contentType, blob: new Blob(chunks, { type: file.contentType }) };
}

// saveReport hands the file to the browser's downloads.
export function saveReport(r: Report) {
  const url = URL.createObjectURL(r.blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = r.fileName;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
