// Fetching a narrative report's document: the server-streaming
// ExportNarrativeReport call, in the same parts as the financial report's
// (progress, the file's metadata, its content in chunks), assembled into a
// Blob and saved as the financial report page does (saveReport).
import { createClient, type Client } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { NarrativeReportService, type ExportNarrativeReportRequestSchema } from "../../gen/pactum/v1/narrative_pb";
import { assembleReport, documentTransport, type Progress, type Report } from "../report/download";

export type NarrativeClient = Pick<Client<typeof NarrativeReportService>, "exportNarrativeReport">;

let client: NarrativeClient | undefined;

// narrativeClient uses the binary format: the file's chunks travel as raw
// bytes, not base64 in JSON.
export function narrativeClient(): NarrativeClient {
  client ??= createClient(
    NarrativeReportService,
    documentTransport(),
  );
  return client;
}

export async function fetchNarrative(
  c: NarrativeClient,
  req: MessageInitShape<typeof ExportNarrativeReportRequestSchema>,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<Report> {
  return assembleReport(c.exportNarrativeReport(req, { signal }), onProgress);
}
