// Results out in the browser: a coordinator gives an indicator its EU
// corporate code in the indicator form, downloads the logframe workbook
// from the grant's results page, opens "Indicators for OPSYS", downloads the
// OPSYS sheet, and records the sheet as submitted (with confirmation). When
// a value then changes, its rows show as changed with both values. In
// French too, on a phone; checked with axe. A partner has no OPSYS screen.
// Needs the demo data (seeded by `serve --demo`).
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

interface Indicator {
  name: string;
  etag: string;
  code: string;
  periods: { period: number; target?: string; actual?: string }[];
}

async function rpc<T>(page: Page, method: string, body: unknown): Promise<T> {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return (await r.json()) as T;
}

async function project(page: Page, code: string): Promise<{ id: string; grant: string }> {
  const res = await rpc<{ projects: { name: string; code: string; grant: string }[] }>(page, "ProjectService/ListProjects", { pageSize: 100 });
  const p = res.projects.find((x) => x.code === code)!;
  return { id: p.name.split("/")[1], grant: p.grant.split("/")[1] };
}

const head = (path: string, n: number) => readFileSync(path).subarray(0, n).toString("latin1");

test("a coordinator exports the logframe and the OPSYS sheet, records a submission and sees what changed", async ({ page }, info) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, users.coordinator);
  const ke = await project(page, "KE-01");

  // The EU corporate code of IND-1, in the indicator form.
  await page.goto(`/projects/${ke.id}/results`);
  await page.getByRole("button", { name: "Edit IND-1" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit the indicator" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("For OPSYS, the EU's results platform")).toBeVisible();
  await dialog.getByLabel("EU or custom code").fill("EURF 2.27");
  await dialog.getByRole("checkbox", { name: "EU corporate indicator" }).check();
  await dialog.getByLabel("Source of data").fill("Attendance lists of the trainings");
  await shot(page, "indicator-form-opsys");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  // The grant's results: the logframe workbook.
  await page.goto(`/grants/${ke.grant}/results`);
  const logframeDownload = page.waitForEvent("download", { timeout: 45_000 });
  await page.getByRole("button", { name: "Logframe workbook" }).click();
  const logframe = await logframeDownload;
  expect(logframe.suggestedFilename()).toMatch(/^logframe-[A-Za-z0-9._-]+\.xlsx$/);
  const lfPath = info.outputPath(logframe.suggestedFilename());
  await logframe.saveAs(lfPath);
  expect(head(lfPath, 2)).toBe("PK");

  // The OPSYS screen.
  await page.getByRole("link", { name: "Indicators for OPSYS" }).click();
  await expect(page).toHaveURL(new RegExp(`/grants/${ke.grant}/results/opsys$`));
  await expect(page.getByRole("heading", { name: "Indicators for OPSYS" })).toBeVisible();
  const total = page.getByRole("row", { name: "IND-1 Total" });
  await expect(total).toContainText("EURF 2.27");
  await expect(total).toContainText("EU corporate");
  await expect(total).toContainText("Attendance lists of the trainings");
  await expect(page.getByRole("row", { name: "IND-1 Sex: Women" })).toBeVisible();
  await expect(page.getByRole("row", { name: "IND-1 Country: Kenya" })).toBeVisible();
  await expect(page.getByTestId("opsys-status")).toHaveText("Not yet recorded as submitted to OPSYS.");
  await noSeriousA11yViolations(page, info, "opsys");

  const sheetDownload = page.waitForEvent("download", { timeout: 45_000 });
  await page.getByRole("button", { name: "OPSYS sheet (Excel)" }).click();
  const sheet = await sheetDownload;
  expect(sheet.suggestedFilename()).toMatch(/^opsys-indicators-[A-Za-z0-9._-]+\.xlsx$/);
  const shPath = info.outputPath(sheet.suggestedFilename());
  await sheet.saveAs(shPath);
  expect(head(shPath, 2)).toBe("PK");

  // Recorded as submitted, after confirmation.
  await page.getByRole("button", { name: "Record as submitted to OPSYS" }).click();
  const confirm = page.getByRole("dialog", { name: "Record the submission to OPSYS?" });
  await confirm.getByLabel("Note").fill("Typed into OPSYS, ref. 2026/778");
  await shot(page, "opsys-confirm");
  await confirm.getByRole("button", { name: "Record as submitted to OPSYS" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId("opsys-status")).toContainText("Nothing has changed since.");
  await expect(page.getByTestId("opsys-submissions")).toContainText("Typed into OPSYS, ref. 2026/778");
  await expect(total).toHaveAttribute("data-changed", "false");

  // KE-01's period 1 value of IND-2 (cases resolved) grows by 10, as a
  // corrected figure (put back at the end, for the other tests).
  const indicator = async () =>
    (await rpc<{ indicators: Indicator[] }>(page, "ResultsService/ListIndicators", { parent: `projects/${ke.id}` })).indicators.find((i) => i.code === "IND-2")!;
  const ind = await indicator();
  const before = Number(ind.periods.find((p) => p.period === 1)!.actual);
  const periods = ind.periods.map((p) => (p.period === 1 ? { ...p, actual: String(before + 10) } : p));
  await rpc(page, "ResultsService/UpdateIndicator", { indicator: { name: ind.name, etag: ind.etag, periods }, updateMask: "periods" });
  const sheetNow = await rpc<{ rows: { code: string; disaggregation?: string; currentValue?: string }[] }>(page, "IndicatorSheetService/GetIndicatorSheet", {
    grant: `grants/${ke.grant}`,
  });
  const now = Number(sheetNow.rows.find((r) => r.code === "IND-2" && !r.disaggregation)!.currentValue);
  await page.reload();
  const cases = page.getByRole("row", { name: "IND-2 Total" });
  await expect(cases).toHaveAttribute("data-changed", "true");
  const n = (x: number) => new Intl.NumberFormat("en-GB").format(x);
  await expect(cases.getByTestId("opsys-since")).toHaveText(`Changed: ${n(now - 10)} → ${n(now)}`);
  // A final target set afterwards shows too, with its submitted value.
  const withTarget = await indicator();
  await rpc(page, "ResultsService/UpdateIndicator", { indicator: { name: withTarget.name, etag: withTarget.etag, finalTarget: "500" }, updateMask: "finalTarget" });
  await page.reload();
  await expect(cases.getByTestId("opsys-since")).toContainText(/Target: [\d,]+ → [\d,]+/);
  await expect(page.getByRole("row", { name: "IND-2 Country: Kenya" })).toHaveAttribute("data-changed", "true");
  await expect(page.getByRole("row", { name: "IND-2 Country: Nepal" })).toHaveAttribute("data-changed", "false");
  await expect(total).toHaveAttribute("data-changed", "false");
  await expect(page.getByTestId("opsys-status")).toContainText("2 rows have changed since.");
  await shot(page, "opsys-changed");

  // In French, on a phone (the language is the user's setting: put back
  // to English at the end, for the other tests).
  await page.getByTestId("language-switch").selectOption("fr");
  await expect(page.getByRole("heading", { name: "Indicateurs pour OPSYS" })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("row", { name: "IND-2 Pays : Kenya" }).getByTestId("opsys-since")).toContainText("Modifié :");
  await noSeriousA11yViolations(page, info, "opsys-fr-phone");
  await shot(page, "opsys-fr-phone");
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.getByTestId("language-switch").selectOption("en");
  await expect(page.getByRole("heading", { name: "Indicators for OPSYS" })).toBeVisible();

  // The value put back as submitted: nothing shows as changed any more.
  const again = await indicator();
  await rpc(page, "ResultsService/UpdateIndicator", {
    indicator: { name: again.name, etag: again.etag, periods: ind.periods, finalTarget: "" },
    updateMask: "periods,finalTarget",
  });
  await page.reload();
  await expect(page.getByTestId("opsys-status")).toContainText("Nothing has changed since.");
  await expect(cases).toHaveAttribute("data-changed", "false");
});

test("a partner exports its own logframe but has no OPSYS sheet", async ({ page }) => {
  await signIn(page, users.partner);
  const ke = await project(page, "KE-01");
  await page.goto(`/grants/${ke.grant}/results`);
  await expect(page.getByRole("button", { name: "Logframe workbook" })).toBeVisible();
  await expect(page.getByTestId("opsys-link")).toHaveCount(0);
  const r = await page.request.post("/pactum.v1.IndicatorSheetService/GetIndicatorSheet", { data: { grant: `grants/${ke.grant}` }, headers: apiHeaders });
  expect(r.status()).toBe(403);
});
