// The narrative report in the browser: the coordinator opens it from the
// first demo grant's page for the period of the demo's approved update,
// compiles it, finds the approved update's achievements and the numbers of
// women and men from the activity log, and the updates not approved
// counted as left out; edits the output section of the partner whose update
// is still awaiting review; that update gets approved (by the API, as a
// second coordinator would); compiling again keeps the edit and shows that
// the sources changed, with the update's reasons for changes marked as
// added in the diff, and the update's achievements in its partner's
// section; keeps their text; downloads the Word document and the PDF;
// sees it in French and on a phone; cannot mark it submitted before the
// period is over; marks the previous period's report submitted, after
// which nothing can be edited or compiled. An auditor reads it without the
// editing buttons; finance staff and a partner are refused.
// Needs the demo data (`serve --demo`).
import { readFileSync, statSync } from "node:fs";
import type { Download, Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

const auditor = { email: "auditor@demo.pactum.example", password: "demo-auditor-pass" };
const grantTitle = "Decent Work for Domestic and Migrant Workers";
const myText = "Our own account of the seafarers' work this period, written by the coordinator.";

interface Update {
  name: string;
  etag: string;
  state: string;
  reportingPeriod: number;
  project: string;
  organisationDisplayName: string;
  achievements?: string;
  changesToPlans?: string;
}
interface Participants {
  women?: number;
  men?: number;
}
interface Section {
  name: string;
  etag: string;
  kind: string;
  subject: string;
  subjectDisplayName: string;
  text: string;
  compiledText: string;
  editBaseText?: string;
  edited?: boolean;
  sourcesChanged?: boolean;
  sources?: { name: string; organisationDisplayName?: string }[];
}
interface Report {
  name: string;
  state: string;
  periodEndDate: string;
  submitDate?: string;
  etag: string;
  sections: Section[];
  updatesIncluded?: number;
  updatesNotApproved?: number;
  description: { participantsPeriod?: Participants; participantsToDate?: Participants };
  logframe: { partnerValues?: { indicator: string; organisationDisplayName: string }[] }[];
}

async function rpc<T>(page: Page, method: string, body: unknown): Promise<T> {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return (await r.json()) as T;
}

const today = () => {
  const d = new Date();
  const p = (x: number) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};
const n = (x: number | undefined) => new Intl.NumberFormat("en-GB").format(x ?? 0);

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "horizontal scroll").toBeLessThanOrEqual(0);
}

async function download(page: Page, button: string): Promise<Download> {
  const pending = page.waitForEvent("download", { timeout: 60_000 });
  await page.getByRole("button", { name: button }).click();
  return pending;
}

test("the coordinator compiles, edits, compiles again, downloads and submits the narrative report", async ({ page, browser }, info) => {
  test.setTimeout(300_000);
  await signIn(page, users.coordinator);
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(grantTitle) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  await page.getByRole("link", { name: "Narrative report" }).click();
  await expect(page).toHaveURL(/\/grants\/[^/]+\/narrative\/\d+$/);
  await expect(page.getByRole("heading", { name: "Narrative report", level: 2 })).toBeVisible();
  const grantId = new URL(page.url()).pathname.split("/")[2];

  // The demo's updates of this grant: one approved, one submitted and
  // awaiting review, of the same period.
  const list = (await rpc<{ progressUpdates?: Update[] }>(page, "ProgressUpdateService/ListProgressUpdates", { grant: `grants/${grantId}`, pageSize: 100 }))
    .progressUpdates ?? [];
  const approvedRef = list.find((u) => u.state === "PROGRESS_UPDATE_STATE_APPROVED");
  const submittedRef = list.find((u) => u.state === "PROGRESS_UPDATE_STATE_SUBMITTED");
  expect(approvedRef, "the demo's approved update").toBeTruthy();
  expect(submittedRef, "the demo's submitted update").toBeTruthy();
  const approved = (await rpc<{ progressUpdate: Update }>(page, "ProgressUpdateService/GetProgressUpdate", { name: approvedRef!.name })).progressUpdate;
  const submitted = (await rpc<{ progressUpdate: Update }>(page, "ProgressUpdateService/GetProgressUpdate", { name: submittedRef!.name })).progressUpdate;
  const period = approved.reportingPeriod;
  expect(submitted.reportingPeriod).toBe(period);
  expect(approved.achievements ?? "").not.toBe("");

  // The period, chosen by its dates.
  const periodSelect = page.getByRole("combobox", { name: "Reporting period" });
  if (!page.url().endsWith(`/narrative/${period}`)) {
    await periodSelect.click();
    await page.getByRole("option", { name: new RegExp(`^Period ${period}: `) }).click();
    await expect(page).toHaveURL(new RegExp(`/narrative/${period}$`));
  }
  await expect(periodSelect).toHaveValue(new RegExp(`^Period ${period}: `));
  const name = `grants/${grantId}/narrativeReports/${period}`;

  // Before the first compilation: what it will hold, and the button.
  await expect(page.getByRole("heading", { name: "Not compiled yet" })).toBeVisible();
  await noSeriousA11yViolations(page, info, "narrative-not-compiled");
  await shot(page, "narrative-not-compiled");
  await page.getByRole("button", { name: "Compile the report" }).click();
  await expect(page.getByText(/^Compiled on /)).toBeVisible({ timeout: 30_000 });

  let report = (await rpc<{ narrativeReport: Report }>(page, "NarrativeReportService/GetNarrativeReport", { name })).narrativeReport;
  await expect(page.getByTestId("updates-included")).toHaveText(n(report.updatesIncluded));
  expect(report.updatesIncluded ?? 0).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId("updates-left-out")).toHaveText(n(report.updatesNotApproved));
  expect(report.updatesNotApproved ?? 0).toBeGreaterThanOrEqual(1);

  // The approved update's achievements, in the section of its partner.
  const partnerSection = (org: string) => page.getByRole("region", { name: `Partner: ${org}` });
  await expect(partnerSection(approved.organisationDisplayName).getByTestId("section-text")).toContainText(approved.achievements!.slice(0, 60));
  // Its link leads to the update.
  await expect(partnerSection(approved.organisationDisplayName).getByRole("link").first()).toHaveAttribute("href", /^\/progress\//);

  // Women and men from the activity log, in the period and to date.
  const people = report.description.participantsPeriod ?? {};
  expect((people.women ?? 0) + (people.men ?? 0)).toBeGreaterThan(0);
  const inPeriod = page.getByTestId("people-period");
  await expect(inPeriod.getByText("Women", { exact: true })).toBeVisible();
  await expect(inPeriod).toContainText(`Women${n(people.women)}`);
  await expect(inPeriod).toContainText(`Men${n(people.men)}`);
  await expect(page.getByTestId("people-to-date")).toContainText(`Women${n(report.description.participantsToDate?.women)}`);

  // The logframe, with the partners' values.
  await expect(page.getByRole("heading", { name: "Updated logframe" })).toBeVisible();
  await expect(page.getByTestId("partner-value").first()).toBeVisible();

  // The coordinator edits the section of the output of the partner whose
  // update awaits review (its approval adds the update's reasons for
  // changes there).
  const outputOf = report.sections.find((s) => s.kind === "NARRATIVE_SECTION_KIND_OUTPUT" && s.subject.startsWith(`${submitted.project}/results/`));
  expect(outputOf, `an output section of ${submitted.project}`).toBeTruthy();
  // Its heading names the project's partner (outputs of several projects share codes and titles).
  const partnerName = report.logframe.flatMap((i) => i.partnerValues ?? []).find((v) => v.indicator.startsWith(`${submitted.project}/`))?.organisationDisplayName;
  expect(partnerName).toBeTruthy();
  const heading = `Activities and results: ${outputOf!.subjectDisplayName} (${partnerName})`;
  const mine = page.getByRole("region", { name: heading });
  await mine.getByRole("button", { name: `Edit: ${heading}` }).click();
  const box = mine.getByRole("textbox", { name: `Text of the section “${heading}”` });
  await expect(box).toHaveValue(outputOf!.text);
  await box.fill(myText);
  await mine.getByRole("button", { name: "Save" }).click();
  await expect(mine.getByTestId("section-text")).toHaveText(myText);
  await expect(mine.getByTestId("edited-by")).toContainText(/^Edited by .+ on /);
  await expect(mine.getByTestId("sources-changed")).toHaveCount(0);
  await expect(page.getByText(submitted.achievements!.slice(0, 60))).toHaveCount(0);

  // Meanwhile the update gets approved.
  await rpc(page, "ProgressUpdateService/ApproveProgressUpdate", { name: submitted.name, etag: submitted.etag, comment: "Approved for the narrative report." });

  // Compiling again keeps the edit and says the sources changed, with what
  // changed; the partner's achievements are now in its section.
  await page.getByRole("button", { name: "Compile again" }).click();
  await expect(mine.getByTestId("sources-changed")).toBeVisible({ timeout: 30_000 });
  await expect(mine.getByTestId("sources-changed")).toContainText("The sources changed since you edited this section");
  await expect(mine.getByTestId("section-text")).toHaveText(myText);
  await expect(partnerSection(submitted.organisationDisplayName).getByTestId("section-text")).toContainText(submitted.achievements!.slice(0, 60));
  report = (await rpc<{ narrativeReport: Report }>(page, "NarrativeReportService/GetNarrativeReport", { name })).narrativeReport;
  const edited = report.sections.find((s) => s.name === outputOf!.name)!;
  expect(edited.text).toBe(myText);
  expect(edited.sourcesChanged).toBe(true);
  expect(edited.compiledText).toContain(submitted.changesToPlans!.slice(0, 40));
  expect(edited.editBaseText).not.toContain(submitted.changesToPlans!.slice(0, 40));
  // The diff marks the update's reasons for changes as added.
  const diff = mine.getByTestId("sources-diff");
  await expect(diff.locator("ins").first()).toBeVisible();
  const added = (await diff.locator("ins").allTextContents()).join(" ");
  for (const word of submitted.changesToPlans!.split(/\s+/).slice(0, 4)) expect(added).toContain(word);
  await expect(diff).toContainText(submitted.changesToPlans!.slice(0, 40));
  await expect(page.getByText(/1 edited section has sources that changed/)).toBeVisible();
  await noSeriousA11yViolations(page, info, "narrative");
  await shot(page, "narrative-en");

  // Keep my text: the notice goes, the text stays.
  await mine.getByRole("button", { name: "Keep my text" }).click();
  await expect(mine.getByTestId("sources-changed")).toHaveCount(0);
  await expect(mine.getByTestId("section-text")).toHaveText(myText);

  // Someone else edits the section while the coordinator does: the save is
  // refused, Reload takes the new etag and keeps what was typed.
  await mine.getByRole("button", { name: `Edit: ${heading}` }).click();
  await box.fill(`${myText} Second thoughts.`);
  report = (await rpc<{ narrativeReport: Report }>(page, "NarrativeReportService/GetNarrativeReport", { name })).narrativeReport;
  const current = report.sections.find((s) => s.name === outputOf!.name)!;
  await rpc(page, "NarrativeReportService/UpdateNarrativeSection", { name: current.name, etag: current.etag, text: "Someone else's words." });
  await mine.getByRole("button", { name: "Save" }).click();
  await expect(mine.getByText("Someone else changed this record while you were editing it.")).toBeVisible();
  await mine.getByRole("button", { name: "Reload" }).click();
  await expect(box).toHaveValue(`${myText} Second thoughts.`);
  await mine.getByRole("button", { name: "Save" }).click();
  await expect(mine.getByTestId("section-text")).toHaveText(`${myText} Second thoughts.`);

  // An edit dropped: "Use the compiled text" brings the compiled text back.
  const summary = page.getByRole("region", { name: "Executive summary" });
  const summaryText = (await summary.getByTestId("section-text").textContent()) ?? "";
  await summary.getByRole("button", { name: "Edit: Executive summary" }).click();
  await summary.getByRole("textbox").fill("A summary of our own.");
  await summary.getByRole("button", { name: "Save" }).click();
  await expect(summary.getByTestId("section-text")).toHaveText("A summary of our own.");
  await summary.getByRole("button", { name: "Edit: Executive summary" }).click();
  await summary.getByRole("button", { name: "Use the compiled text" }).click();
  await expect(summary.getByTestId("section-text")).toHaveText(summaryText);
  await expect(summary.getByTestId("edited-by")).toHaveCount(0);

  // The documents: DOCX and PDF, named after the report, not empty.
  const docx = await download(page, "Download the Word document");
  expect(docx.suggestedFilename()).toMatch(/\.docx$/);
  expect(statSync((await docx.path())!).size).toBeGreaterThan(1000);
  expect(readFileSync((await docx.path())!).subarray(0, 2).toString("latin1"), "a DOCX is a zip").toBe("PK");
  await expect(page.getByTestId("export-done")).toContainText(docx.suggestedFilename());
  await page.getByRole("radio", { name: "PDF" }).check();
  const pdf = await download(page, "Download the PDF");
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(statSync((await pdf.path())!).size).toBeGreaterThan(1000);
  expect(readFileSync((await pdf.path())!).subarray(0, 5).toString("latin1")).toBe("%PDF-");

  // In French.
  await page.getByTestId("language-switch").selectOption("fr");
  await expect(page.getByRole("heading", { name: "Rapport narratif", level: 2 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Cadre logique mis à jour" })).toBeVisible();
  await expect(page.getByRole("region", { name: `Partenaire : ${submitted.organisationDisplayName}` })).toBeVisible();
  await expect(page.getByRole("region", { name: `Activités et résultats : ${outputOf!.subjectDisplayName} (${partnerName})` })).toBeVisible();
  await expect(page.getByTestId("people-period")).toContainText("Femmes");
  await noSeriousA11yViolations(page, info, "narrative-fr");
  await shot(page, "narrative-fr");
  await page.getByTestId("language-switch").selectOption("en");

  // A phone, 360 pixels wide.
  await page.setViewportSize({ width: 360, height: 780 });
  await page.reload();
  await expect(page.getByRole("heading", { name: "Updated logframe" })).toBeVisible();
  await noHorizontalScroll(page);
  await noSeriousA11yViolations(page, info, "narrative-phone");
  await shot(page, "narrative-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // The period is not over: it cannot be marked as submitted yet.
  if (report.periodEndDate >= today()) {
    await expect(page.getByRole("button", { name: "Mark as submitted" })).toBeDisabled();
    await expect(page.getByText(/^It can be marked as submitted once the period is over, from /)).toBeVisible();
  }

  // The previous period, over: compiled and marked as submitted, it is locked.
  const past = period - 1;
  expect(past).toBeGreaterThanOrEqual(1);
  await periodSelect.click();
  await page.getByRole("option", { name: new RegExp(`^Period ${past}: `) }).click();
  await expect(page).toHaveURL(new RegExp(`/narrative/${past}$`));
  await page.getByRole("button", { name: "Compile the report" }).click();
  await expect(page.getByText(/^Compiled on /)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: /^Edit: / }).first()).toBeVisible();
  await page.getByRole("button", { name: "Mark as submitted" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("Date sent to the donor")).toBeVisible();
  await dialog.getByRole("button", { name: "Mark as submitted" }).click();
  await expect(page.getByText("Submitted to the donor")).toBeVisible();
  await expect(page.getByText(/^Marked as submitted on .+ by .+\. The report is locked/)).toBeVisible();
  await expect(page.getByRole("button", { name: /^Edit: / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Compile again" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Mark as submitted" })).toHaveCount(0);
  // Still downloadable.
  await expect(page.getByRole("button", { name: "Download the Word document" })).toBeVisible();
  const pastReport = (await rpc<{ narrativeReport: Report }>(page, "NarrativeReportService/GetNarrativeReport", { name: `grants/${grantId}/narrativeReports/${past}` }))
    .narrativeReport;
  expect(pastReport.state).toBe("NARRATIVE_REPORT_STATE_SUBMITTED");
  expect(pastReport.submitDate).toBe(today());
  await shot(page, "narrative-submitted");

  // An auditor reads it and can download it, without the editing buttons.
  const audCtx = await browser.newContext();
  const aud = await audCtx.newPage();
  await signIn(aud, auditor);
  await aud.goto(`/grants/${grantId}/narrative/${period}`);
  await expect(aud.getByRole("region", { name: heading }).getByTestId("section-text")).toHaveText(`${myText} Second thoughts.`);
  await expect(aud.getByRole("button", { name: /^Edit: / })).toHaveCount(0);
  await expect(aud.getByRole("button", { name: "Download the Word document" })).toBeVisible();
  await audCtx.close();

  // Finance staff and partners get the usual refusal.
  const financeCtx = await browser.newContext();
  const finance = await financeCtx.newPage();
  await signIn(finance, { email: "finance@demo.pactum.example", password: "demo-finance-pass" });
  await finance.goto(`/grants/${grantId}/narrative/${period}`);
  await expect(finance.getByRole("alert")).toContainText("Your role does not allow this.");
  await expect(finance.getByRole("region", { name: heading })).toHaveCount(0);
  await financeCtx.close();

  const partnerCtx = await browser.newContext();
  const partner = await partnerCtx.newPage();
  await signIn(partner, users.partner);
  await partner.goto(`/grants/${grantId}/narrative/${period}`);
  await expect(partner.getByRole("alert")).toContainText("Your role does not allow this.");
  await partnerCtx.close();
});
