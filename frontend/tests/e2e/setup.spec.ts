// Issue 14, the main path in one go: a coordinator records a framework
// agreement, creates a grant under it from its contract with the Annex III
// budget imported from a spreadsheet, its project with two partners in
// different roles (a co-beneficiary and an affiliated entity), sees their
// progress-update milestones, adds one by hand (the donor's request for
// additional information), then moves the grant's end date: the generated
// milestones follow, the one made by hand stays. Every date asserted is
// computed from the dates entered. Then the project page at phone width, and
// the contract flow's first step in French.
import { readFileSync } from "node:fs";
import type { Locator, Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users, pickDay } from "./helpers";

// choose picks an option of a (searchable) select, typing to narrow it.
async function choose(page: Page, label: string, option: string | RegExp, scope: Page | Locator = page) {
  const box = scope.getByRole("combobox", { name: label, exact: true });
  await box.click();
  if (typeof option === "string" && (await box.isEditable())) await box.fill(option);
  await page.getByRole("option", { name: option }).first().click();
}

async function rpc(page: Page, method: string, body: unknown) {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

// Calendar dates as "YYYY-MM-DD", computed in UTC.
const iso = (d: Date) => d.toISOString().slice(0, 10);
const parse = (s: string) => new Date(`${s}T00:00:00Z`);
const addDays = (s: string, n: number) => iso(new Date(parse(s).getTime() + n * 86_400_000));
// addMonths clamps to the month's end, as the server's calendar does.
function addMonths(s: string, n: number) {
  const d = parse(s);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, Math.min(d.getUTCDate(), last))));
}
const lastOfPreviousMonth = (s: string) => iso(new Date(Date.UTC(parse(s).getUTCFullYear(), parse(s).getUTCMonth(), 0)));
// shown is a date as the English screens write it.
const shown = (s: string) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(parse(s));

// progressUpdates lists one partner's progress updates: the project's
// periods of `months` from the grant's start, the last cut at its end, each
// due 15 days after it ends.
function progressUpdates(start: string, end: string, months: number): { from: string; to: string; due: string }[] {
  const out: { from: string; to: string; due: string }[] = [];
  for (let k = 0; ; k++) {
    const from = addMonths(start, k * months);
    if (from > end) break;
    let to = addDays(addMonths(start, (k + 1) * months), -1);
    if (to > end) to = end;
    out.push({ from, to, due: addDays(to, 15) });
    if (to >= end) break;
  }
  return out;
}
// covers is how a milestone's period is written.
const covers = (p: { from: string; to: string }) => `Covers ${shown(p.from)} – ${shown(p.to)}`;

// The example Annex III of the Go tests, with the demo's organisations:
// GADW leads, MPWA (Mombasa) and HMWF (Kathmandu) take part; EUR 434,420.00.
const annex = readFileSync(new URL("../../../internal/contract/testdata/annex-iii.csv", import.meta.url), "utf8")
  .replaceAll(",GSN", ",GADW")
  .replaceAll(",UMOJA", ",MPWA")
  .replaceAll("Umoja Domestic Workers Union", "Mombasa Port and Dock Workers Association");

const agreementTitle = "Organising informal workers";
const grantTitle = "Port and migrant workers organise in Kenya and Nepal";

test("a coordinator sets up a grant from its agreement and contract, then moves its end: generated milestones follow, hand-made ones stay", async ({ page }, info) => {
  // Many steps, each checked by the server, on a machine others share.
  test.setTimeout(180_000);
  await signIn(page, users.coordinator);

  // 1. The framework agreement, recorded in the app.
  await page.goto("/agreements");
  await page.getByRole("link", { name: "New framework agreement" }).click();
  await page.getByRole("textbox", { name: "Donor's reference", exact: true }).fill("FPA 2027/SETUP-014");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill(agreementTitle);
  await choose(page, "Donor", "European Commission");
  await choose(page, "Lead organisation", "Global Alliance");
  await pickDay(page, "Start date", 0, "first");
  await pickDay(page, "End date", 59, "last");
  await shot(page, "setup-1-agreement");
  await page.getByRole("button", { name: "Create agreement" }).click();
  await expect(page.getByRole("heading", { name: agreementTitle })).toBeVisible();

  // 2. A grant under it from its contract: the Special Conditions.
  await page.goto("/grants");
  await page.getByRole("link", { name: "Grant from its contract" }).click();
  await expect(page.getByRole("heading", { name: "Grant from its contract" })).toBeVisible();
  await choose(page, "Framework agreement", new RegExp(`FPA 2027/SETUP-014 – ${agreementTitle}`));
  await page.getByRole("textbox", { name: "Donor's reference", exact: true }).fill("CSO-LA/2027/614-014");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill(grantTitle);
  const currency = page.getByRole("combobox", { name: "Currency", exact: true });
  if (!(await currency.inputValue())) await choose(page, "Currency", "EUR – Euro");
  await pickDay(page, "Start date", 1, "first");
  await pickDay(page, "End date", 24, "last");
  await page.getByRole("textbox", { name: "Total eligible costs", exact: true }).fill("434420");
  await page.getByRole("textbox", { name: "Maximum donor contribution", exact: true }).fill("390978");
  await page.getByRole("textbox", { name: "Co-financing rate", exact: true }).fill("90");
  await page.getByRole("textbox", { name: "Reporting period", exact: true }).fill("12");
  await shot(page, "setup-2-conditions");
  await page.getByRole("button", { name: "Next" }).click();

  // The Annex III budget, uploaded through the file input and checked.
  await expect(page.getByText("Terms of the Special Conditions")).toBeVisible();
  await page.locator("input[type=file]").setInputFiles({ name: "annex-iii.csv", mimeType: "text/csv", buffer: Buffer.from(annex) });
  await shot(page, "setup-3-budget");
  await page.getByRole("button", { name: "Check the budget" }).click();

  // Partners and their roles: the budget's partners, MPWA a co-beneficiary,
  // HMWF made an affiliated entity.
  await expect(page.getByText("Partners and their roles")).toBeVisible();
  const partners = page.getByTestId("participant");
  await expect(partners).toHaveCount(3);
  await expect(partners.nth(0).getByRole("combobox", { name: "Role" })).toHaveValue("Coordinator");
  await expect(partners.nth(1).getByRole("combobox", { name: "Organisation" })).toHaveValue(/Mombasa Port and Dock Workers Association/);
  await expect(partners.nth(1).getByRole("combobox", { name: "Role" })).toHaveValue("Co-beneficiary");
  await partners.nth(2).getByRole("combobox", { name: "Role" }).click();
  await page.getByRole("option", { name: /Affiliated entity/ }).click();
  await partners.nth(1).getByRole("textbox", { name: "Share of the budget (EUR)" }).fill("262000");
  await partners.nth(2).getByRole("textbox", { name: "Share of the budget (EUR)" }).fill("53000");
  await page.getByRole("textbox", { name: "Code", exact: true }).fill("PMW-01");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Port and migrant workers organise");
  const months = Number(await page.getByRole("textbox", { name: "Progress updates every (months)" }).inputValue());
  expect(months).toBeGreaterThan(0);
  await shot(page, "setup-4-partners");
  await page.getByRole("button", { name: "Preview", exact: true }).click();

  // The milestones shown before saving.
  const preview = page.getByTestId("milestone-preview");
  await expect(preview).toBeVisible();
  await expect(preview.getByRole("row").filter({ hasText: "Partner progress update" }).filter({ hasText: "MPWA" }).first()).toBeVisible();
  await shot(page, "setup-5-preview");
  await page.getByRole("button", { name: "Create the grant" }).click();
  await expect(page).toHaveURL(/\/grants\/[^/]+$/);
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  const grantURL = page.url();
  const grantName = `grants/${new URL(grantURL).pathname.split("/")[2]}`;
  const grant = (await rpc(page, "GrantService/GetGrant", { name: grantName })).grant;
  // The dates entered: the first of next month; the end picker opens at the
  // start's month, so the last day of the month 24 after it.
  const now = new Date();
  const start = iso(new Date(Date.UTC(now.getFullYear(), now.getMonth() + 1, 1)));
  expect(grant.startDate).toBe(start);
  expect(grant.endDate).toBe(iso(new Date(Date.UTC(now.getFullYear(), now.getMonth() + 26, 0))));
  const end: string = grant.endDate;
  await expect(page.getByRole("heading", { name: "Budget", exact: true })).toBeVisible();
  await expect(page.getByText("€434,420.00").first()).toBeVisible();
  await shot(page, "setup-6-grant");

  // 3. The project and its partners' progress updates, one per period each.
  await page.getByRole("link", { name: "PMW-01" }).first().click();
  await expect(page.getByTestId("participant-role")).toHaveText(["Coordinator", "Co-beneficiary", "Affiliated entity"]);
  const table = page.getByRole("table", { name: "Milestones" });
  const updates = (org: string) => table.getByRole("row").filter({ hasText: "Partner progress update" }).filter({ hasText: org });
  const due = progressUpdates(start, end, months);
  expect(due.length).toBeGreaterThan(1);
  const last = due[due.length - 1];
  for (const org of ["MPWA", "HMWF"]) {
    await expect(updates(org)).toHaveCount(due.length);
    await expect(updates(org).first()).toContainText(shown(due[0].due));
    await expect(updates(org).first()).toContainText(covers(due[0]));
    await expect(updates(org).last()).toContainText(shown(last.due));
    await expect(updates(org).last()).toContainText(covers(last));
  }
  // The coordinator writes the reports: it sends no progress update.
  await expect(updates("GADW")).toHaveCount(0);
  await shot(page, "setup-7-project");
  await noSeriousA11yViolations(page, info, "setup-project");

  // 4. A milestone by hand: the donor asks for additional information, due in 30 days.
  await page.getByRole("button", { name: "Add a milestone" }).click();
  const form = page.getByRole("dialog", { name: "New milestone" });
  await choose(page, "Kind", "Additional information requested by the donor", form);
  const today = iso(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
  const handDue = addDays(today, 30);
  await expect(form.getByRole("textbox", { name: "Due date", exact: true })).toHaveValue(handDue.split("-").reverse().join("/"));
  await form.getByRole("textbox", { name: "Title", exact: true }).fill("Answer the donor's questions on the Nepal lines");
  await shot(page, "setup-8-milestone-new");
  await form.getByRole("button", { name: "Add a milestone" }).click();
  await expect(form).toBeHidden();
  const handMade = table.getByRole("row").filter({ hasText: "Answer the donor's questions on the Nepal lines" });
  await expect(handMade).toContainText(shown(handDue));

  // 5. The grant's end moves a month earlier (an amendment): edit the grant.
  await page.goto(grantURL);
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const newEnd = lastOfPreviousMonth(end);
  await pickDay(page, "End date", -1, "last");
  await expect(page.getByRole("textbox", { name: "End date", exact: true })).toHaveValue(newEnd.split("-").reverse().join("/"));
  await shot(page, "setup-9-grant-edit");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Changes saved.").first()).toBeVisible();
  expect((await rpc(page, "GrantService/GetGrant", { name: grantName })).grant.endDate).toBe(newEnd);

  // The generated milestones follow the new end; the one made by hand stays.
  await page.getByRole("link", { name: "PMW-01" }).first().click();
  const moved = progressUpdates(start, newEnd, months);
  const movedLast = moved[moved.length - 1];
  expect(movedLast.due).not.toBe(last.due);
  for (const org of ["MPWA", "HMWF"]) {
    await expect(updates(org)).toHaveCount(moved.length);
    await expect(updates(org).last()).toContainText(shown(movedLast.due));
    await expect(updates(org).last()).toContainText(covers(movedLast));
    await expect(updates(org).filter({ hasText: shown(last.due) })).toHaveCount(0);
  }
  await expect(handMade).toHaveCount(1);
  await expect(handMade).toContainText(shown(handDue));
  await shot(page, "setup-10-project-after-move");

  // The project page as a partner's phone shows it: cards, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByText("Answer the donor's questions on the Nepal lines")).toBeVisible();
  // Each partner's last update, as a card saying the period it covers.
  await expect(page.getByRole("list", { name: "Milestones" }).getByRole("listitem").filter({ hasText: covers(movedLast) })).toHaveCount(2);
  await shot(page, "setup-11-project-phone");
  await page.screenshot({ path: "test-results/screenshots/setup-11-project-phone-screen.png" });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});

test("the contract flow's first step is in French", async ({ page }, info) => {
  await signIn(page, users.coordinator);
  await page.evaluate(() => localStorage.setItem("pactum.language", "fr"));
  await page.goto("/grants/from-contract");
  await expect(page.getByRole("heading", { name: "Subvention depuis son contrat" })).toBeVisible();
  await choose(page, "Accord-cadre", /FPA/);
  await page.getByRole("textbox", { name: "Référence du bailleur", exact: true }).fill("CSO-LA/2027/614-015");
  await page.getByRole("textbox", { name: "Intitulé", exact: true }).fill("Travail décent au Sénégal");
  await pickDay(page, "Date de début", 1, "first");
  // (The picker opens at the start's month; the agreement may end soon.)
  await pickDay(page, "Date de fin", 0, "last");
  await page.getByRole("textbox", { name: "Total des coûts éligibles", exact: true }).fill("434420");
  // Nothing of the first step is left in English.
  const text = await page.locator("main").innerText();
  for (const english of ["Framework agreement", "Start date", "End date", "Total eligible costs", "Next", "Cancel", "Currency"]) {
    expect(text, `“${english}” on the French page`).not.toContain(english);
  }
  await shot(page, "setup-fr-conditions");
  await noSeriousA11yViolations(page, info, "setup-fr-conditions");
});
