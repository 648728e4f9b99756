// Fetching the results workbooks: the server-streaming ExportLogframe and
// ExportIndicatorSheet calls (progress, the file's metadata, its chunks),
// assembled into a Blob as the financial report is (components/report/download).
import { createClient, type Client } from "@connectrpc/connect";
import { IndicatorSheetService } from "../../gen/pactum/v1/indicator_sheet_pb";
import { assembleReport, documentTransport, type Progress, type Report } from "../report/download";

type SheetClient = Client<typeof IndicatorSheetService>;

let client: SheetClient | undefined;

function sheetClient(): SheetClient {
  client ??= createClient(
    IndicatorSheetService,
    documentTransport(),
  );
  return client;
}

export type Workbook = "logframe" | "opsys";

export async function fetchWorkbook(kind: Workbook, grant: string, language: string, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<Report> {
  const c = sheetClient();
  const stream = kind === "logframe" ? c.exportLogframe({ grant, language }, { signal }) : c.exportIndicatorSheet({ grant, language }, { signal });
  return assembleReport(stream, onProgress);
}
