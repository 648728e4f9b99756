// Fetching the results workbooks: the server-streaming ExportLogframe and
// ExportIndicatorSheet calls (progress, the file's metadata, its chunks),
// assembled into a Blob as the financial report is (components/report/download).
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { IndicatorSheetService } from "../../gen/pactum/v1/indicator_sheet_pb";
import { IncompleteReport, type Progress, type Report } from "../report/download";

type SheetClient = Client<typeof IndicatorSheetService>;

let client: SheetClient | undefined;

function sheetClient(): SheetClient {
  client ??= createClient(
    IndicatorSheetService,
    createConnectTransport({
      baseUrl: window.location.origin,
      useBinaryFormat: true,
      fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
    }),
  );
  return client;
}

export type Workbook = "logframe" | "opsys";

export async function fetchWorkbook(kind: Workbook, grant: string, language: string, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<Report> {
  const c = sheetClient();
  const stream = kind === "logframe" ? c.exportLogframe({ grant, language }, { signal }) : c.exportIndicatorSheet({ grant, language }, { signal });
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
  if (!file) throw new IncompleteReport("the workbook ended without a file");
  if (received !== file.size) throw new IncompleteReport(`received ${received} of ${file.size} bytes`);
  return { fileName: file.fileName, contentType: file.contentType, blob: new Blob(chunks, { type: file.contentType }) };
}
