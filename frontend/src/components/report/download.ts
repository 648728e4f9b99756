// Fetching a financial report: the server-streaming ExportFinancialReport
// call (progress while the report is made, then the file's metadata, then
// its content in chunks), assembled into a Blob. The report has its own
// transport in the binary format: the file's chunks travel as raw bytes,
// not base64 in JSON.
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ReportService, type ExportFinancialReportRequestSchema } from "../../gen/pactum/v1/report_pb";

export type ReportClient = Pick<Client<typeof ReportService>, "exportFinancialReport">;

let client: ReportClient | undefined;

export function reportClient(): ReportClient {
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
  let file: { fileName: string; contentType: string; size: number } | undefined;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  for await (const res of c.exportFinancialReport(req, { signal })) {
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
