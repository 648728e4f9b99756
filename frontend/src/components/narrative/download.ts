// Fetching a narrative report's document: the server-streaming
// ExportNarrativeReport call, in the same parts as the financial report's
// (progress, the file's metadata, its content in chunks), assembled into a
// Blob and saved as the financial report page does (saveReport).
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { NarrativeReportService, type ExportNarrativeReportRequestSchema } from "../../gen/pactum/v1/narrative_pb";
import { IncompleteReport, type Progress, type Report } from "../report/download";

export type NarrativeClient = Pick<Client<typeof NarrativeReportService>, "exportNarrativeReport">;

let client: NarrativeClient | undefined;

// narrativeClient uses the binary format: the file's chunks travel as raw
// bytes, not base64 in JSON.
export function narrativeClient(): NarrativeClient {
  client ??= createClient(
    NarrativeReportService,
    createConnectTransport({
      baseUrl: window.location.origin,
      useBinaryFormat: true,
      fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
    }),
  );
  return client;
}

export async function fetchNarrative(
  c: NarrativeClient,
  req: MessageInitShape<typeof ExportNarrativeReportRequestSchema>,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<Report> {
  let file: { fileName: string; contentType: string; size: number } | undefined;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  for await (const res of c.exportNarrativeReport(req, { signal })) {
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
