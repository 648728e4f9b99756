import { describe, expect, test } from "vitest";
import { create } from "@bufbuild/protobuf";
import { ExportFinancialReportResponseSchema, type ExportFinancialReportResponse } from "../../gen/pactum/v1/report_pb";
import { fetchReport, IncompleteReport, type Progress, type ReportClient } from "./download";

function fake(parts: ExportFinancialReportResponse["part"][]): ReportClient {
  return {
    exportFinancialReport: async function* () {
      for (const part of parts) yield create(ExportFinancialReportResponseSchema, { part });
    },
  } as unknown as ReportClient;
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe("fetchReport", () => {
  test("progress, then the file assembled from its chunks", async () => {
    const seen: Progress[] = [];
    const r = await fetchReport(
      fake([
        { case: "progress", value: { $typeName: "pactum.v1.ReportProgress", stage: "expenditures", done: 10n, total: 40n } },
        { case: "file", value: { $typeName: "pactum.v1.ReportFile", fileName: "financial-report-X-P1.pdf", contentType: "application/pdf", sizeBytes: 9n } },
        { case: "chunk", value: bytes("%PDF-") },
        { case: "chunk", value: bytes("1.7\n") },
      ]),
      { grant: "grants/x" },
      (p) => seen.push(p),
    );
    expect(r.fileName).toBe("financial-report-X-P1.pdf");
    expect(r.blob.type).toBe("application/pdf");
    expect(await r.blob.text()).toBe("%PDF-1.7\n");
    expect(seen).toEqual([
      { phase: "making", stage: "expenditures", done: 10, total: 40 },
      { phase: "receiving", done: 0, total: 9 },
      { phase: "receiving", done: 5, total: 9 },
      { phase: "receiving", done: 9, total: 9 },
    ]);
  });

  test("a stream cut short is not a report", async () => {
    await expect(
      fetchReport(
        fake([
          { case: "file", value: { $typeName: "pactum.v1.ReportFile", fileName: "r.xlsx", contentType: "x", sizeBytes: 100n } },
          { case: "chunk", value: bytes("PK") },
        ]),
        {},
        () => {},
      ),
    ).rejects.toBeInstanceOf(IncompleteReport);
    await expect(fetchReport(fake([]), {}, () => {})).rejects.toBeInstanceOf(IncompleteReport);
  });
});
