// The donor financial report in the browser: finance opens it from the first
// demo grant's page, downloads the Excel workbook of the current reporting
// period (on a slow link, so that the progress shows), the PDF in French and
// a PDF of dates of their choice, each under the report's own file name; the
// screen is checked with axe and on a phone; a partner is refused. Needs the demo data's budgets
// and expenditures (seeded by `serve --demo`).
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, noSeriousA11yViolations, shot, signIn, test } from "./helpers";

const finance = { email: "finance@demo.pactum.example", password: "demo-finance-pass" };
const partner = { email: "partner.kenya@demo.pactum.example", password: "demo-partner-pass" };
const grantTitle = "Decent Work for Domestic and Migrant Workers";

async function openReport(page: Page): Promise<string> {
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(grantTitle) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  await page.getByRole("link", { name: "Financial report" }).click();
  await expect(page).toHaveURL(/\/grants\/[^/]+\/report$/);
  await expect(page.getByRole("heading", { name: "Financial report" })).toBeVisible();
  return new URL(page.url()).pathname.split("/")[2];
}

function head(path: string, n: number): string {
  return readFileSync(path).subarray(0, n).toString("latin1");
}

test("finance downloads the financial report as Excel and PDF", async ({ page }, info) => {
  await signIn(page, finance);
  const id = await openReport(page);

  // The current reporting period is chosen; the language is the screen's.
  const period = page.getByRole("combobox", { name: "Reporting period" });
  await expect(period).toHaveValue(/^Period \d+: \d+ \w+ \d{4} – \d+ \w+ \d{4}$/);
  await expect(page.getByText("This period is not over yet")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Language of the report" })).toHaveValue("English");
  await noSeriousA11yViolations(page, info, "financial-report");

  // Excel, on a slow link: the progress shows while the file arrives.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 50, downloadThroughput: 96 * 1024, uploadThroughput: -1 });
  const xlsxDownload = page.waitForEvent("download", { timeout: 45_000 });
  await page.getByRole("button", { name: "Download the Excel workbook" }).click();
  const bar = page.getByRole("progressbar", { name: "Progress of the report" });
  await expect(bar).toBeVisible();
  // The stage is announced to screen readers too.
  await expect(page.getByRole("status")).toHaveText(/Downloading the file…|Listing the expenditures…|Writing the file…|Adding up/);
  await shot(page, "financial-report-progress");
  const xlsx = await xlsxDownload;
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  expect(xlsx.suggestedFilename()).toMatch(/^financial-report-[A-Za-z0-9._-]+-P\d+\.xlsx$/);
  const xlsxPath = info.outputPath(xlsx.suggestedFilename());
  await xlsx.saveAs(xlsxPath);
  expect(head(xlsxPath, 2)).toBe("PK");
  const done = page.getByRole("alert").or(page.locator(".mantine-Alert-root")).filter({ hasText: "Report downloaded" });
  await expect(done).toBeVisible();
  await expect(done).toContainText(xlsx.suggestedFilename());
  await expect(bar).toBeHidden();

  // The PDF, in French.
  await page.getByRole("radio", { name: "PDF" }).check();
  await page.getByRole("combobox", { name: "Language of the report" }).click();
  await page.getByRole("listbox", { name: "Language of the report" }).getByRole("option", { name: "Français" }).click();
  const pdfDownload = page.waitForEvent("download", { timeout: 45_000 });
  await page.getByRole("button", { name: "Download the PDF" }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(/^financial-report-[A-Za-z0-9._-]+-P\d+\.pdf$/);
  const pdfPath = info.outputPath(pdf.suggestedFilename());
  await pdf.saveAs(pdfPath);
  expect(head(pdfPath, 4)).toBe("%PDF");
  await expect(done).toContainText(pdf.suggestedFilename());
  await shot(page, "financial-report");
  await noSeriousA11yViolations(page, info, "financial-report-done");

  // Dates of one's choice (by default from the grant's start to today): the
  // file is named by them.
  await page.getByRole("radio", { name: "Dates of my choice" }).check();
  await expect(page.getByRole("button", { name: "From" })).toBeVisible();
  await expect(page.getByRole("button", { name: "To (inclusive)" })).toBeVisible();
  const rangeDownload = page.waitForEvent("download", { timeout: 45_000 });
  await page.getByRole("button", { name: "Download the PDF" }).click();
  expect((await rangeDownload).suggestedFilename()).toMatch(/^financial-report-[A-Za-z0-9._-]+-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.pdf$/);

  // On a phone: nothing wider than the screen.
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/grants/${id}/report`);
  await expect(page.getByRole("heading", { name: "Financial report" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Download the Excel workbook" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, "financial-report-phone");
  await noSeriousA11yViolations(page, info, "financial-report-phone");

  // The budget page leads here too.
  await page.goto(`/grants/${id}/budget`);
  await page.getByRole("link", { name: "Financial report" }).click();
  await expect(page).toHaveURL(new RegExp(`/grants/${id}/report$`));
});

test("a partner gets no financial report", async ({ page }) => {
  await signIn(page, partner);
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(grantTitle) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  await expect(page.getByRole("link", { name: "Financial report" })).toHaveCount(0);
  const id = new URL(page.url()).pathname.split("/")[2];
  await page.goto(`/grants/${id}/report`);
  await expect(page.getByRole("alert")).toContainText("Your role does not allow this");
});
