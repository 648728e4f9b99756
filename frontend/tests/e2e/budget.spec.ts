// The grant's money as finance staff see it: budget versus actual by
// heading, a transfer between headings drafted line by line (with a
// conflicting change by someone else, resolved without losing what was
// typed) and adopted, a pre-financing instalment, the donor's rules checked,
// the rule set edited; an auditor reads without edit buttons; a partner gets
// no budget. Works on the demo data with or without budgets: when the demo
// grant has none, the test drafts and adopts its original budget first.
import type { Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

const finance = { email: "finance@demo.pactum.example", password: "demo-finance-pass" };
const auditor = { email: "auditor@demo.pactum.example", password: "demo-auditor-pass" };
// The finance test changes the second demo grant (the other specs use the
// first); the auditor reads the first, the one they are given.
const firstGrant = "Decent Work for Domestic and Migrant Workers";
const secondGrant = "Organising in the Informal Economy";

async function openGrantBudget(page: Page, title: string): Promise<string> {
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(title) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const budget = page.locator("section[aria-labelledby='budget-title']");
  await expect(budget).toBeVisible();
  await budget.getByRole("link", { name: "Open the budget" }).click();
  await expect(page).toHaveURL(/\/grants\/[^/]+\/budget$/);
  return new URL(page.url()).pathname.split("/")[2];
}

// pickFirstDay opens a date picker and picks the first day of the shown month.
async function pickFirstDay(page: Page, label: string) {
  await page.getByRole("button", { name: label, exact: true }).click();
  await page.locator("table[class*='DatePicker-month'] button:not([data-outside]):not([disabled])").first().click();
}

// noSeriousA11yViolationsIn: axe on one part of a page (the grant page's
// budget section; the rest of that page is another screen's).
async function noSeriousA11yViolationsIn(page: Page, info: TestInfo, selector: string, screen: string) {
  const results = await new AxeBuilder({ page }).include(selector).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await info.attach(`axe-${screen}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: "application/json" });
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`), `axe on ${screen}`).toEqual([]);
}

async function rpc(page: Page, method: string, body: unknown) {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

const eur = (cents: bigint) => new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" }).format(Number(cents) / 100);
const cents = (amount: string) => BigInt(amount.replace(".", ""));

// addLine fills the line dialog opened from a heading's "Add a line".
async function addLine(page: Page, heading: string, l: { code: string; description: string; unit: string; units: string; unitCost: string }) {
  const version = page.locator("section[aria-labelledby='version-title']");
  await version.getByRole("button", { name: `Add a line to heading ${heading}` }).click();
  const form = page.getByRole("dialog");
  await form.getByRole("textbox", { name: "Code" }).fill(l.code);
  await form.getByRole("textbox", { name: "Description" }).fill(l.description);
  await form.getByRole("textbox", { name: "Unit", exact: true }).fill(l.unit);
  await form.getByRole("textbox", { name: "Number of units" }).fill(l.units);
  await form.getByRole("textbox", { name: "Unit cost" }).fill(l.unitCost);
  return form;
}

async function adopt(page: Page) {
  const version = page.locator("section[aria-labelledby='version-title']");
  await version.getByRole("button", { name: "Adopt" }).click();
  await expect(page.getByRole("dialog").getByText(/do not stop adoption/)).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Adopt" }).click();
  await expect(version.getByText("In force", { exact: true })).toBeVisible();
}

// ensureBudget: the grant's original budget, drafted and adopted through the
// screens when the demo data has none (heading 1: 12 × 7 200.00 =
// 86 400.00 EUR; heading 2: 12 × 1 200.00 = 14 400.00 EUR).
async function ensureBudget(page: Page, grant: string) {
  const versions = (await rpc(page, "BudgetService/ListBudgetVersions", { parent: grant })).budgetVersions ?? [];
  if (versions.some((v: { state: string }) => v.state === "BUDGET_VERSION_STATE_ADOPTED")) return;
  await page.getByRole("tab", { name: "Budget versions" }).click();
  await page.getByRole("button", { name: "New budget version" }).click();
  await expect(page.getByRole("dialog").getByRole("combobox", { name: "Kind of version" })).toHaveValue("Original budget");
  await page.getByRole("dialog").getByRole("button", { name: "Create the draft" }).click();
  let form = await addLine(page, "1. Human resources", { code: "1.1.1", description: "Project coordinator, Brussels", unit: "month", units: "12", unitCost: "7200" });
  await form.getByRole("button", { name: "Add the line" }).click();
  await expect(form).toBeHidden();
  form = await addLine(page, "2. Travel", { code: "2.1.1", description: "International travel", unit: "trip", units: "12", unitCost: "1200" });
  await form.getByRole("button", { name: "Add the line" }).click();
  await expect(form).toBeHidden();
  await adopt(page);
  await page.getByRole("tab", { name: "Budget versus actual" }).click();
}

test("finance staff follow the budget, draft and adopt a transfer, and see the donor's rules checked", async ({ page }, info) => {
  test.setTimeout(120_000);
  await signIn(page, finance);
  const id = await openGrantBudget(page, secondGrant);
  const grant = `grants/${id}`;
  await ensureBudget(page, grant);
  const latest = (await rpc(page, "BudgetService/GetBudgetVersion", { name: `${grant}/budgetVersions/latest` })).budgetVersion;
  const travel = cents(latest.headings.find((h: { code: string }) => h.code === "2").total);
  // The transfer adds 30% of heading 2 (rounded up to the cent).
  const added = (travel * 3n + 9n) / 10n;

  // Budget versus actual, by heading in the PRAG order, computed rows included.
  const bva = page.locator("section[aria-labelledby='bva-title']");
  await expect(bva.getByRole("rowheader", { name: "1 Human resources" })).toBeVisible();
  await expect(bva.getByRole("rowheader", { name: /^7 Subtotal direct eligible costs/ })).toBeVisible();
  await expect(bva.getByRole("columnheader", { name: "Spent", exact: true })).toBeVisible();
  await expect(bva.getByRole("columnheader", { name: "Remaining", exact: true })).toBeVisible();
  await expect(bva.getByRole("row", { name: /^2 Travel/ }).getByRole("cell").first()).toHaveText(eur(travel));
  // The demo grants claim indirect costs at a flat rate of 7%: the page says
  // how, with the server's figures (base x 7%, within the heading's budget).
  const bvaData = await rpc(page, "FinanceService/GetBudgetVsActual", { grant, groupBy: "BUDGET_GROUPING_HEADING" });
  const ind = bvaData.indirectCosts;
  expect(ind.applies).toBe(true);
  expect(cents(ind.computed)).toBe((cents(ind.base) * 7n * 100n + 5000n) / 10000n);
  const how = page.getByTestId("indirect-computation");
  await expect(how).toContainText(eur(cents(ind.base)));
  await expect(how).toContainText(eur(cents(ind.claimed)));
  await expect(bva.getByRole("row", { name: /^10 Indirect costs/ }).getByRole("cell").nth(1)).toHaveText(eur(cents(ind.claimed)));
  await shot(page, "budget-vs-actual");
  await noSeriousA11yViolations(page, info, "budget-vs-actual");

  // Grouped by partner, then back by heading.
  await bva.getByText("Partner", { exact: true }).click();
  await expect(bva.getByRole("columnheader", { name: "Partner organisation" })).toBeVisible();
  await bva.getByText("Heading", { exact: true }).click();
  await expect(bva.getByRole("rowheader", { name: "2 Travel" })).toBeVisible();

  // A transfer between headings: heading 2 raised by 30%, beyond the 25%
  // allowed without an addendum.
  await page.getByRole("tab", { name: "Budget versions" }).click();
  await page.getByRole("button", { name: "New budget version" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("combobox", { name: "Kind of version" }).click();
  await page.getByRole("option", { name: "Transfer between headings" }).click();
  await dialog.getByRole("textbox", { name: "Label" }).fill("Transfer 1 (travel)");
  await dialog.getByRole("button", { name: "Create the draft" }).click();
  await expect(dialog).toBeHidden();
  const version = page.locator("section[aria-labelledby='version-title']");
  await expect(version.getByRole("heading", { name: /Transfer 1 \(travel\)/ })).toBeVisible();
  await expect(version.getByText("Draft", { exact: true })).toBeVisible();

  // 4 trips at a quarter of the added amount each: the total as typed, then
  // from the server.
  const unit = (added + 3n) / 4n;
  const unitCost = `${unit / 100n}.${String(unit % 100n).padStart(2, "0")}`;
  const lineTotal = unit * 4n;
  const form = await addLine(page, "2. Travel", { code: "2.1.2", description: "Regional exchange visits", unit: "trip", units: "4", unitCost });
  await expect(form.getByTestId("line-total-preview")).toHaveText(eur(lineTotal));
  await form.screenshot({ path: "test-results/screenshots/budget-line-form.png" });
  await noSeriousA11yViolations(page, info, "budget-line-form");
  await form.getByRole("button", { name: "Add the line" }).click();
  await expect(form).toBeHidden();
  const row = version.getByRole("row", { name: /2\.1\.2/ });
  await expect(row.getByRole("cell", { name: eur(lineTotal) })).toBeVisible();

  // Someone else changes the line's unit while the description is edited
  // here: the save is refused, Reload takes their unit and keeps the
  // typed description.
  await row.getByRole("button", { name: "Edit line 2.1.2" }).click();
  await form.getByRole("textbox", { name: "Description" }).fill("Regional exchange visits (Thiès, Recife)");
  const draftName = (await rpc(page, "BudgetService/ListBudgetVersions", { parent: grant })).budgetVersions.find(
    (v: { state: string }) => v.state === "BUDGET_VERSION_STATE_DRAFT",
  ).name;
  const line = (await rpc(page, "BudgetService/GetBudgetVersion", { name: draftName })).budgetVersion.lines.find((l: { code: string }) => l.code === "2.1.2");
  await rpc(page, "BudgetService/UpdateBudgetLine", { budgetLine: { name: line.name, etag: line.etag, unit: "return trip" }, updateMask: "unit" });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Someone else changed this record while you were editing it.")).toBeVisible();
  await form.getByRole("button", { name: "Reload" }).click();
  await expect(form.getByText("The line has been reloaded")).toBeVisible();
  await expect(form.getByRole("textbox", { name: "Unit", exact: true })).toHaveValue("return trip");
  await expect(form.getByRole("textbox", { name: "Description" })).toHaveValue("Regional exchange visits (Thiès, Recife)");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toBeHidden();
  await expect(version.getByRole("row", { name: /Regional exchange visits \(Thiès, Recife\)/ }).getByRole("cell", { name: "return trip" })).toBeVisible();
  const lines = version.getByRole("region", { name: /^Lines of/ });
  await expect(lines.getByRole("row", { name: /^2\. Travel/ }).getByRole("cell", { name: eur(travel + lineTotal) })).toBeVisible();
  // (once the confirmations have faded)
  await expect(page.locator(".mantine-Notification-root")).toHaveCount(0, { timeout: 15_000 });
  await shot(page, "budget-editor");
  await noSeriousA11yViolations(page, info, "budget-editor");

  // Adopted, with the rules reminder.
  await adopt(page);

  // A further pre-financing instalment of twice the spending so far (at
  // most half the room left under the 90% ceiling on pre-financing): the
  // next one cannot be requested in full until the EU part of spending
  // reaches 70% of it and all of the earlier ones.
  const before = (await rpc(page, "FinanceService/CheckCompliance", { grant })).prefinancing;
  const spentSoFar = cents(before.spent);
  const twice = ((spentSoFar * 2n) / 100n + 1000n) * 100n;
  const halfRoom = (cents(before.capRoom) / 200n) * 100n;
  const instalment = twice < halfRoom ? twice : halfRoom;
  expect(instalment > 0n).toBeTruthy();
  await page.getByRole("tab", { name: "Pre-financing" }).click();
  await page.getByRole("button", { name: "Record an instalment" }).click();
  await pickFirstDay(page, "Date received");
  await page.getByRole("dialog", { name: "Record an instalment" }).getByRole("textbox", { name: "Amount" }).fill(String(instalment / 100n));
  await page.getByRole("dialog", { name: "Record an instalment" }).getByRole("button", { name: "Record", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Record an instalment" })).toBeHidden();
  // (in the list of instalments received; the plan shows it as received too)
  await expect(page.locator("section[aria-labelledby='prefinancing-title']").getByRole("cell", { name: eur(instalment) })).toBeVisible();
  const status = (await rpc(page, "FinanceService/CheckCompliance", { grant })).prefinancing;
  expect(status.mayRequest).toBeFalsy();
  await expect(page.getByText(`of the ${eur(cents(status.required))} needed`, { exact: false })).toBeVisible();
  await noSeriousA11yViolations(page, info, "prefinancing");

  // The donor's rules checked, worded from the finding's code and figures.
  await page.getByRole("tab", { name: "Budget versus actual" }).click();
  const compliance = page.locator("section[aria-labelledby='compliance-title']");
  await expect(compliance.getByText(`Heading 2 Travel has moved by +30% (from ${eur(travel)} to ${eur(travel + lineTotal)})`, { exact: false })).toBeVisible();
  await expect(compliance.getByText("Breaks a donor rule").first()).toBeVisible();
  // The rule counts the EU part of spending (spending × the co-financing
  // rate), not the whole of it.
  await expect(
    compliance.getByText(
      `Pre-financing instalment ${status.nextInstalment} may be requested only at a reduced amount: the EU part of spending, ${eur(cents(status.euPart))} (${Number(status.coFinancingRate)}% of ${eur(spentSoFar)}), is ${eur(cents(status.required) - cents(status.euPart))} short of the ${eur(cents(status.required))} required`,
      { exact: false },
    ),
  ).toBeVisible();
  await expect(bva.getByRole("row", { name: /^2 Travel/ }).getByRole("cell").first()).toHaveText(eur(travel + lineTotal));
  await compliance.scrollIntoViewIfNeeded();
  await compliance.screenshot({ path: "test-results/screenshots/compliance.png" });
  await noSeriousA11yViolations(page, info, "compliance");

  // The same findings on the grant's page.
  await page.goto(`/grants/${id}`);
  const summary = page.locator("section[aria-labelledby='budget-title']");
  await expect(summary.getByText(/Heading 2 Travel has moved by/)).toBeVisible();
  await shot(page, "grant-page-budget");
  await noSeriousA11yViolationsIn(page, info, "section[aria-labelledby='budget-title']", "grant-page-budget");

  // The rule set: a fixed contract rate, and how many expenditures that
  // converted again; then back to the monthly rates.
  await page.goto(`/grants/${id}/budget?tab=rules`);
  await page.getByRole("radio", { name: /Fixed contract rate/ }).check();
  await page.getByRole("button", { name: "Add a rate" }).click();
  await page.getByRole("combobox", { name: "Currency" }).click();
  await page.getByRole("combobox", { name: "Currency" }).fill("XOF");
  await page.getByRole("option", { name: /^XOF/ }).click();
  await page.getByRole("textbox", { name: "Rate per 1 EUR" }).fill("655.957");
  await page.getByRole("textbox", { name: "Source" }).fill("Contract, art. 4");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/converted again|needed converting again/)).toBeVisible();
  await shot(page, "budget-rules");
  await noSeriousA11yViolations(page, info, "budget-rules");
  await page.getByRole("button", { name: "Remove the rate XOF" }).click();
  await page.getByRole("radio", { name: /Monthly rate/ }).check();
  await page.getByRole("button", { name: "Save" }).click();
  // The button is disabled while saving too: wait for the stored rules.
  await expect
    .poll(async () => {
      const rules = (await rpc(page, "BudgetService/GetGrantRules", { name: `${grant}/rules` })).grantRules;
      return [rules.exchangeRatePolicy, rules.fixedRates ?? []];
    })
    .toEqual(["EXCHANGE_RATE_POLICY_MONTHLY", []]);

  // The instalment recorded above was a test: the last one can be deleted.
  await page.goto(`/grants/${id}/budget?tab=prefinancing`);
  await page.getByRole("row", { name: new RegExp(eur(instalment).replace(/[.$]/g, "\\$&")) }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete the instalment" }).click();
  await expect(page.getByRole("cell", { name: eur(instalment) })).toHaveCount(0);

  // The dashboard: each grant's budget burn beside the time elapsed.
  await page.goto("/");
  const card = page.getByRole("listitem").filter({ hasText: secondGrant });
  await expect(card.getByText(/spent of €/)).toBeVisible();
  await expect(card.getByText(/of the implementation period elapsed/)).toBeVisible();
  await shot(page, "dashboard-budget-burn");

  // A phone, 360 pixels wide: the table scrolls inside its card.
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`/grants/${id}/budget`);
  await expect(bva.getByRole("rowheader", { name: "2 Travel" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, "budget-vs-actual-phone");
});

test("an auditor reads the budget without edit buttons; a partner gets none", async ({ page }) => {
  await signIn(page, auditor);
  const id = await openGrantBudget(page, firstGrant);
  await expect(page.getByRole("rowheader", { name: "1 Human resources" })).toBeVisible();
  await page.getByRole("tab", { name: "Budget versions" }).click();
  await expect(page.getByRole("columnheader", { name: "Unit cost" }).or(page.getByText("No budget version yet."))).toBeVisible();
  await expect(page.getByRole("button", { name: "New budget version" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit line/ })).toHaveCount(0);
  await page.getByRole("tab", { name: "Donor rules" }).click();
  await expect(page.getByText("Flexibility between headings")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, users.partner);
  await page.goto(`/grants/${id}/budget`);
  await expect(page.getByText("Your role does not allow this. Ask a coordinator.")).toBeVisible();
});
