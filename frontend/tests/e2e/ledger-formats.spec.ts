// Dates and ledgers as partners write them: a Kenyan bank export (dd/mm/yyyy
// dates, KSH, its own headers) imports after the user says which of its
// columns holds the date and the amount; a French user types dates in
// their own format, and is told in French when one is no date.
import type { APIRequestContext } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

const finance = { email: "finance@demo.pactum.example", password: "demo-finance-pass" };
const admin = { email: "admin@demo.pactum.example", password: "demo-admin-pass" };
const grantTitle = "Decent Work for Domestic and Migrant Workers";

async function rpc<T = Record<string, unknown>>(api: APIRequestContext, method: string, body: unknown): Promise<T> {
  const res = await api.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(res.ok(), `${method}: ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

interface Named {
  name: string;
}
let grantId = "";
let lineCode = "";

test.describe.configure({ mode: "serial" });

// The grant's adopted budget: a line of the Kenyan partner to import on
// (made when the demo data has no budget yet).
test.beforeAll(async ({ playwright }, info) => {
  const api = await playwright.request.newContext({ baseURL: info.project.use.baseURL });
  await rpc(api, "AuthService/SignIn", admin);
  const { grants } = await rpc<{ grants: (Named & { title: string })[] }>(api, "GrantService/ListGrants", { pageSize: 100 });
  const grant = grants.find((g) => g.title === grantTitle)!;
  grantId = grant.name.split("/")[1];
  const latest = await api.post("/pactum.v1.BudgetService/GetBudgetVersion", { data: { name: `${grant.name}/budgetVersions/latest` }, headers: apiHeaders });
  if (!latest.ok()) {
    const { projects } = await rpc<{ projects: (Named & { code: string })[] }>(api, "ProjectService/ListProjects", { grant: grant.name, pageSize: 100 });
    const { organisations } = await rpc<{ organisations: (Named & { shortName: string })[] }>(api, "OrganisationService/ListOrganisations", { pageSize: 100 });
    const { budgetVersion } = await rpc<{ budgetVersion: Named }>(api, "BudgetService/CreateBudgetVersion", {
      parent: grant.name,
      budgetVersion: { kind: "BUDGET_VERSION_KIND_ORIGINAL", label: "Original budget" },
    });
    await rpc(api, "BudgetService/CreateBudgetLine", {
      parent: budgetVersion.name,
      budgetLine: {
        headingCode: "1", code: "1.1.3", description: "Organisers, Nairobi", unit: "person-month", units: "144", unitCost: "600.00",
        project: projects.find((p) => p.code === "KE-01")!.name, organisation: organisations.find((o) => o.shortName === "UDWU")!.name,
      },
    });
    const { budgetVersion: draft } = await rpc<{ budgetVersion: Named & { etag: string } }>(api, "BudgetService/GetBudgetVersion", { name: budgetVersion.name });
    await rpc(api, "BudgetService/AdoptBudgetVersion", { name: draft.name, etag: draft.etag });
  }
  const version = await rpc<{ budgetVersion: { lines: { code: string; organisation?: string }[] } }>(api, "BudgetService/GetBudgetVersion", {
    name: `${grant.name}/budgetVersions/latest`,
  });
  const budgetLines = version.budgetVersion.lines;
  const { organisations } = await rpc<{ organisations: (Named & { shortName: string })[] }>(api, "OrganisationService/ListOrganisations", { pageSize: 100 });
  const udwu = organisations.find((o) => o.shortName === "UDWU")!.name;
  lineCode = budgetLines.find((l) => l.organisation === udwu)!.code;
  await api.dispose();
});

// Days of last month, as a Kenyan export writes them: 05/10/2026.
const now = new Date();
const lastMonth = new Date(Date.UTC(now.getFullYear(), now.getMonth() - 1, 1));
const day = (d: number) => `${String(d).padStart(2, "0")}/${String(lastMonth.getUTCMonth() + 1).padStart(2, "0")}/${lastMonth.getUTCFullYear()}`;
const isoDay = (d: number) => `${lastMonth.getUTCFullYear()}-${String(lastMonth.getUTCMonth() + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

test("a bank export with dd/mm/yyyy dates, KSH and its own headers imports once its columns are mapped", async ({ page }, info) => {
  await signIn(page, finance);
  await page.goto(`/grants/${grantId}/expenditures/import`);
  await expect(page.getByRole("heading", { name: "Import a ledger", level: 2 })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Dates in the file" })).toHaveValue("Day first (03/04/2026 is 3 April)");

  const stamp = Date.now();
  const csv = [
    "Txn Dt,Budget Line,Debit,Curr.,Narration,Paid To,Voucher No.",
    `${day(13)},${lineCode},"4,800.00",KSH,Organiser stipend,Grace Wanjiru,BANK-${stamp}-1`,
    `${day(2)},${lineCode},350,Kshs,Airtime,Safaricom,BANK-${stamp}-2`,
  ].join("\n");
  await page.locator('input[type="file"]').setInputFiles({ name: "equity-bank.csv", mimeType: "text/csv", buffer: Buffer.from(csv + "\n") });
  await page.getByRole("button", { name: "Check", exact: true }).click();

  // The date and the amount are not recognised: the screen asks which
  // columns hold them, offering the file's headers.
  const mapping = page.getByRole("alert").filter({ hasText: "Which column is which?" }).or(page.locator("#mapping"));
  await expect(mapping.first()).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Date", exact: true })).toHaveCount(0);
  const dateBox = page.getByRole("combobox", { name: "Date", exact: true });
  const amountBox = page.getByRole("combobox", { name: "Amount", exact: true });
  await expect(dateBox).toBeVisible();
  await expect(amountBox).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Currency", exact: true })).toHaveCount(0); // "Curr." is recognised
  // Checking before choosing says what is missing.
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(page.getByText("Choose a column of the file for this field.").first()).toBeVisible();
  await dateBox.click();
  await expect(page.getByRole("option", { name: "Narration" })).toBeVisible();
  await page.getByRole("option", { name: "Txn Dt" }).click();
  await amountBox.click();
  await page.getByRole("option", { name: "Debit" }).click();
  await shot(page, "ledger-import-mapping");
  await noSeriousA11yViolations(page, info, "ledger-import-mapping");

  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(page.getByText("equity-bank.csv: no problem found")).toBeVisible();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("2 expenditures imported")).toBeVisible();
  await shot(page, "ledger-import-mapped-done");

  // Stored as KES on the days written day first.
  await page.goto(`/grants/${grantId}/expenditures?from=${isoDay(13)}&to=${isoDay(13)}`);
  const row = page.getByRole("row").filter({ hasText: `BANK-${stamp}-1` });
  await expect(row).toBeVisible();
  await expect(row).toContainText("KES");
  await page.goto(`/grants/${grantId}/expenditures?from=${isoDay(2)}&to=${isoDay(2)}`);
  await expect(page.getByRole("row").filter({ hasText: `BANK-${stamp}-2` })).toBeVisible();
});

test("in French, dates are typed jj/mm/aaaa or picked, and a wrong one is explained in French", async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, users.coordinator);
  await page.evaluate(() => localStorage.setItem("pactum.language", "fr"));
  await page.goto("/activities");
  await expect(page.getByRole("heading", { name: "Activités", level: 2 })).toBeVisible();

  const from = page.getByRole("textbox", { name: "Du", exact: true });
  await expect(from).toHaveAttribute("placeholder", "jj/mm/aaaa");
  await from.fill("31/04/2026");
  await from.blur();
  await expect(page.getByText("Ce n’est pas une date : saisissez-la jour/mois/année, par exemple 28/11/2026, ou choisissez-la dans le calendrier.")).toBeVisible();
  await expect(page).not.toHaveURL(/from=/);
  await shot(page, "date-typed-invalid-fr");

  await from.fill("1/3/2026");
  await from.blur();
  await expect(page).toHaveURL(/from=2026-03-01/);
  await expect(page.getByText("Ce n’est pas une date", { exact: false })).toHaveCount(0);

  // The calendar still picks: the first day of the month it opens at.
  await page.getByRole("button", { name: "Au", exact: true }).click();
  await page.getByRole("dialog").locator("table button:not([data-outside]):not([disabled])").first().click();
  await expect(page.getByRole("textbox", { name: "Au", exact: true })).toHaveValue(/^01\/\d{2}\/\d{4}$/);
  await expect(page).toHaveURL(/to=\d{4}-\d{2}-01/);
  await shot(page, "date-typed-fr");
  await noSeriousA11yViolations(page, info, "date-typed-fr");
  await page.evaluate(() => localStorage.setItem("pactum.language", "en"));
});
