// Money recorded in the browser: finance records an expenditure in Kenyan
// shillings, attaches a PDF receipt (with a progress bar on a throttled
// link), sees it wait for a rate, imports a ledger (one bad row refused and
// named, then the corrected file), imports a month of InforEuro rates (the
// waiting expenditure converts), and a Kenyan partner sees only their
// organisation's expenditures, on a phone.
//
// The grant needs an adopted budget. When the demo data has none, the test
// adopts one through the API as the admin: line 1.1.3 (KE-01, UDWU) and line
// 2.2.2 (NP-01, HMWF), as in the demo budget.
import type { APIRequestContext, Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test } from "./helpers";

const finance = { email: "finance@demo.pactum.example", password: "demo-finance-pass" };
const admin = { email: "admin@demo.pactum.example", password: "demo-admin-pass" };
const partner = { email: "partner.kenya@demo.pactum.example", password: "demo-partner-pass" };
const grantTitle = "Decent Work for Domestic and Migrant Workers";

// Dates inside the grant's period (it runs to the end of this year): the
// first of this month, and days of last month (before today, whatever today).
const now = new Date();
const ym = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
const thisMonth = ym(now);
const lastMonth = ym(new Date(now.getFullYear(), now.getMonth() - 1, 1));
const shortMonth = (m: string) => new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" }).format(new Date(`${m}-01T00:00:00Z`));

async function rpc<T = Record<string, unknown>>(api: APIRequestContext, method: string, body: unknown): Promise<T> {
  const res = await api.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(res.ok(), `${method}: ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

interface Named {
  name: string;
}
let grantId = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ playwright }, info) => {
  const api = await playwright.request.newContext({ baseURL: info.project.use.baseURL });
  await rpc(api, "AuthService/SignIn", admin);
  const { grants } = await rpc<{ grants: (Named & { title: string })[] }>(api, "GrantService/ListGrants", { pageSize: 100 });
  const grant = grants.find((g) => g.title === grantTitle)!;
  grantId = grant.name.split("/")[1];
  const latest = await api.post("/pactum.v1.BudgetService/GetBudgetVersion", {
    data: { name: `${grant.name}/budgetVersions/latest` },
    headers: apiHeaders,
  });
  if (!latest.ok()) {
    const { projects } = await rpc<{ projects: (Named & { code: string })[] }>(api, "ProjectService/ListProjects", { grant: grant.name, pageSize: 100 });
    const { organisations } = await rpc<{ organisations: (Named & { shortName: string })[] }>(api, "OrganisationService/ListOrganisations", { pageSize: 100 });
    const project = (code: string) => projects.find((p) => p.code === code)!.name;
    const org = (short: string) => organisations.find((o) => o.shortName === short)!.name;
    const { budgetVersion } = await rpc<{ budgetVersion: Named }>(api, "BudgetService/CreateBudgetVersion", {
      parent: grant.name,
      budgetVersion: { kind: "BUDGET_VERSION_KIND_ORIGINAL", label: "Original budget" },
    });
    const lines = [
      { headingCode: "1", code: "1.1.3", description: "Organisers, Nairobi", unit: "person-month", units: "144", unitCost: "600.00", project: project("KE-01"), organisation: org("UDWU") },
      { headingCode: "2", code: "2.2.2", description: "Local transport, Nepal", unit: "month", units: "36", unitCost: "400.00", project: project("NP-01"), organisation: org("HMWF") },
    ];
    for (const budgetLine of lines) await rpc(api, "BudgetService/CreateBudgetLine", { parent: budgetVersion.name, budgetLine });
    const { budgetVersion: draft } = await rpc<{ budgetVersion: Named & { etag: string } }>(api, "BudgetService/GetBudgetVersion", { name: budgetVersion.name });
    await rpc(api, "BudgetService/AdoptBudgetVersion", { name: draft.name, etag: draft.etag });
  }
  await api.dispose();
});

// A small, well-formed PDF, padded so that its upload takes a few seconds on
// the throttled link.
function pdf(padKB: number): Buffer {
  const body = [
    "%PDF-1.4",
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >> endobj",
    "trailer << /Root 1 0 R >>",
    "%%EOF",
  ].join("\n");
  return Buffer.concat([Buffer.from(body + "\n"), Buffer.from(("% invoice scan padding\n").repeat(Math.ceil((padKB * 1024) / 23)))]);
}

async function choose(page: Page, label: string, option: RegExp | string, type?: string) {
  const box = page.getByRole("combobox", { name: label, exact: true });
  await box.click();
  if (type) await box.fill(type);
  await page.getByRole("option", { name: option }).first().click();
}

test("finance records an expenditure in KES with its receipt", async ({ page }, info) => {
  await signIn(page, finance);
  await page.goto(`/grants/${grantId}/expenditures`);
  await expect(page.getByRole("heading", { name: "Expenditures", level: 2 })).toBeVisible();
  await page.getByRole("link", { name: "Record an expenditure" }).click();
  await expect(page).toHaveURL(/\/expenditures\/new$/);

  // The first of this month, from the date picker.
  await page.getByRole("button", { name: "Date of the expense", exact: true }).click();
  await page.getByRole("dialog").locator("table button:not([data-outside]):not([disabled])").first().click();
  await page.getByRole("textbox", { name: "Document reference", exact: true }).fill("INV-NRB-0042");
  await choose(page, "Budget line", /^1\.1\.3 Organisers, Nairobi/);
  // Project and partner follow the line's allocation.
  await expect(page.getByRole("combobox", { name: "Project", exact: true })).toHaveValue(/KE-01/);
  await expect(page.getByRole("combobox", { name: "Partner organisation", exact: true })).toHaveValue(/Umoja Domestic Workers Union/);
  await choose(page, "Currency paid in", /^KES/, "KES");
  // KES has two decimals: a third one cannot be typed.
  await page.getByRole("textbox", { name: "Amount", exact: true }).fill("125000.505");
  await expect(page.getByRole("textbox", { name: "Amount", exact: true })).toHaveValue("125,000.50");
  await page.getByRole("textbox", { name: "Payee", exact: true }).fill("Nairobi Print Works Ltd");
  await page.getByRole("textbox", { name: "Description", exact: true }).fill("Know-your-rights leaflets, 5,000 copies in Swahili and English");
  await shot(page, "expenditure-form");
  await noSeriousA11yViolations(page, info, "expenditure-form");

  await page.getByRole("button", { name: "Save as draft" }).click();
  await expect(page).toHaveURL(/\/expenditures\/[0-9a-f-]{30,}$/);
  await expect(page.getByRole("heading", { name: "Nairobi Print Works Ltd" })).toBeVisible();
  await expect(page.getByText("Draft").first()).toBeVisible();
  // No rate yet in the demo for this month (or one): never 1:1.
  await expect(page.getByText(/Not yet converted to EUR|1 EUR = [\d.,]+ KES/).first()).toBeVisible();

  // Two people change it at once: the second is told, reloads, and keeps
  // what they typed.
  const name = `grants/${grantId}/expenditures/${page.url().split("/").pop()}`;
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByRole("textbox", { name: "Payee", exact: true }).fill("Nairobi Print Works Limited");
  const { expenditure } = await rpc<{ expenditure: { etag: string } }>(page.request, "ExpenditureService/GetExpenditure", { name });
  await rpc(page.request, "ExpenditureService/UpdateExpenditure", {
    expenditure: { name, etag: expenditure.etag, description: "Leaflets, 5,000 copies (changed by a colleague)" },
    updateMask: "description",
  });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Someone else changed this record while you were editing it.")).toBeVisible();
  await page.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByText(/Someone else changed: Description/)).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Payee", exact: true })).toHaveValue("Nairobi Print Works Limited");
  await expect(page.getByRole("textbox", { name: "Description", exact: true })).toHaveValue("Leaflets, 5,000 copies (changed by a colleague)");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Nairobi Print Works Limited" })).toBeVisible();

  // The receipt, uploaded over a slow link: the progress bar shows.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 100, downloadThroughput: -1, uploadThroughput: 150 * 1024 });
  await page.locator('input[type="file"]').setInputFiles({ name: "invoice-INV-NRB-0042.pdf", mimeType: "application/pdf", buffer: pdf(400) });
  await expect(page.getByTestId("receipt-progress")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: /Upload of invoice-INV-NRB-0042\.pdf/ })).toBeVisible();
  await shot(page, "receipt-uploading");
  await expect(page.getByRole("link", { name: "invoice-INV-NRB-0042.pdf" })).toBeVisible({ timeout: 30_000 });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  // A file of a forbidden type is refused, in words.
  await page.locator('input[type="file"]').setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a receipt") });
  await expect(page.getByText("This type of file is not accepted: send a PDF, JPEG, PNG or WebP.")).toBeVisible();
  await noSeriousA11yViolations(page, info, "expenditure-page");

  // Submitted to finance's own check, then verified.
  await page.getByRole("button", { name: "Submit", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Submit", exact: true }).click();
  await expect(page.getByText("Submitted", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.locator(".mantine-Notification-root")).toHaveCount(0, { timeout: 15_000 });
  await shot(page, "expenditure-page");

  // Finance rejects it: a reason is required, and shown.
  await page.getByRole("button", { name: "Reject", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Reject", exact: true }).click();
  await expect(dialog.getByText("Say why it is rejected, so that the partner can correct it.")).toBeVisible();
  await dialog.getByRole("textbox", { name: "Reason" }).fill("The invoice is not addressed to UDWU: ask the printer for a corrected invoice.");
  await dialog.getByRole("button", { name: "Reject", exact: true }).click();
  await expect(page.getByText("Rejected by finance")).toBeVisible();
  await expect(page.getByText("The invoice is not addressed to UDWU")).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit again" })).toBeVisible();
});

test("a ledger with a bad row is refused and named; the corrected one imports", async ({ page }, info) => {
  await signIn(page, finance);
  await page.goto(`/grants/${grantId}/expenditures/import`);
  await expect(page.getByRole("heading", { name: "Import a ledger", level: 2 })).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the template (XLSX)" }).click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

  const header = "Date,Budget line,Project code,Partner,Amount,Currency,Payee,Description,Document reference";
  const good1 = `${lastMonth}-05,1.1.3,KE-01,UDWU,48000,KES,Grace Wanjiru,Organiser stipend,LEDGER-KE-001`;
  const good2 = `${lastMonth}-06,2.2.2,NP-01,HMWF,15000,NPR,Kathmandu Bus Company,Field visits to returnees,LEDGER-NP-001`;
  const bad = `${lastMonth}-07,9.9.9,KE-01,UDWU,3500,KES,Mombasa Hall,Hall hire,LEDGER-KE-002`;
  const fixed = `${lastMonth}-07,1.1.3,KE-01,UDWU,3500,KES,Mombasa Hall,Hall hire,LEDGER-KE-002`;
  const input = page.locator('input[type="file"]');

  // Row 3 (the header is row 1) names an unknown line: nothing is imported.
  await input.setInputFiles({ name: "ledger.csv", mimeType: "text/csv", buffer: Buffer.from([header, good1, bad, good2].join("\n") + "\n") });
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(page.getByText("ledger.csv was refused: nothing was imported")).toBeVisible();
  const problems = page.getByRole("table", { name: "Problems, row by row" });
  await expect(problems.getByRole("row")).toHaveCount(2);
  await expect(problems.getByRole("row").nth(1).getByRole("cell").first()).toHaveText("3");
  await expect(problems.getByText("Budget line")).toBeVisible();
  await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();
  await shot(page, "ledger-import-errors");
  await noSeriousA11yViolations(page, info, "ledger-import-errors");

  // The corrected file: checked, then imported whole.
  await input.setInputFiles({ name: "ledger-fixed.csv", mimeType: "text/csv", buffer: Buffer.from([header, good1, fixed, good2].join("\n") + "\n") });
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(page.getByText("ledger-fixed.csv: no problem found")).toBeVisible();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("3 expenditures imported")).toBeVisible();
  // Last month has no rate in the test's data: they wait for one.
  await expect(page.getByText(/3 of them wait for an exchange rate|expenditures imported/).first()).toBeVisible();
  await shot(page, "ledger-import-done");

  // The same file again adds nothing.
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("0 expenditures imported")).toBeVisible();
});

test("rates: an InforEuro file converts the waiting expenditures", async ({ page }, info) => {
  await signIn(page, finance);
  // The list warns about what waits for a rate (this month's rates are not
  // in the demo data).
  const firstOfMonth = `/grants/${grantId}/expenditures?from=${thisMonth}-01&to=${thisMonth}-01`;
  await page.goto(firstOfMonth);
  await expect(page.getByText("INV-NRB-0042")).toBeVisible();
  await expect(page.getByText(/wait(s)? for an exchange rate/).first()).toBeVisible();
  await shot(page, "expenditures-rate-missing");

  await page.goto("/rates");
  await expect(page.getByRole("heading", { name: "Exchange rates", level: 2 })).toBeVisible();
  await page.getByRole("button", { name: "Import InforEuro file" }).click();
  await page.getByRole("button", { name: "Month", exact: true }).click();
  await page.getByRole("button", { name: shortMonth(thisMonth), exact: true }).click();
  await page.locator('input[type="file"]').setInputFiles({
    name: `inforeuro-${thisMonth}.csv`,
    mimeType: "text/csv",
    buffer: Buffer.from(
      ["Country,Currency,ISO code,Rate", "Kenya,Kenyan shilling,KES,141.20", "Nepal,Nepalese rupee,NPR,147.85", "Brazil,Brazilian real,BRL,5.8120"].join("\n") + "\n",
    ),
  });
  await page.getByRole("button", { name: "Import the rates" }).click();
  await expect(page.getByText("3 rates imported.").first()).toBeVisible();
  // The expenditure of this month converts: 125,000.50 KES / 141.20 = 885.27 EUR.
  await expect(page.getByText(/expenditures? converted again/).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: /^141\.2/ }).first()).toBeVisible();
  await shot(page, "rates");
  await noSeriousA11yViolations(page, info, "rates");

  await page.goto(firstOfMonth);
  const row = page.getByRole("row").filter({ hasText: "INV-NRB-0042" });
  await expect(row.getByText("€885.27")).toBeVisible();
  await expect(row.getByText("141.20")).toBeVisible();

  await page.goto(`/grants/${grantId}/expenditures`);
  await expect(page.getByRole("table", { name: "Expenditure list" })).toBeVisible();
  await shot(page, "expenditures");
  await noSeriousA11yViolations(page, info, "expenditures");

  // Only those waiting for a rate (if any still do).
  await page.goto(`/grants/${grantId}/expenditures?rateMissing=1&from=${thisMonth}-01&to=${thisMonth}-01`);
  await expect(page.getByRole("checkbox", { name: "Waiting for a rate only" })).toBeChecked();
  await expect(page.getByText(/Rate missing|No expenditure matches these filters/).first()).toBeVisible();
  await expect(page.getByText("INV-NRB-0042")).toHaveCount(0);

  // A transfer to the Kenyan partner, and the rate it makes:
  // 1,405,234.00 KES received for 10,000.00 EUR sent is 140.5234 KES per EUR.
  await page.goto(`/grants/${grantId}/transfers`);
  await page.getByRole("button", { name: "Record a transfer" }).click();
  await choose(page, "Partner", /UDWU/);
  await page.getByRole("button", { name: "Date", exact: true }).click();
  await page.getByRole("dialog").locator("table button:not([data-outside]):not([disabled])").first().click();
  await page.getByRole("textbox", { name: "Sent (EUR)", exact: true }).fill("10000");
  await choose(page, "Currency received", /^KES/, "KES");
  await page.getByRole("textbox", { name: "Amount received", exact: true }).fill("1405234");
  await page.getByRole("textbox", { name: "Bank reference", exact: true }).fill("GADW/TR/E2E");
  await expect(page.getByText("Rate of this transfer: 1 EUR = 140.5234 KES")).toBeVisible();
  await page.getByRole("button", { name: "Record the transfer" }).click();
  await expect(page.getByRole("row").filter({ hasText: "GADW/TR/E2E" }).getByText("140.5234")).toBeVisible();
  await page.mouse.move(5, 5);
  await shot(page, "transfers");
  await noSeriousA11yViolations(page, info, "transfers");

  // Finance sees every partner's: the Kenyan and the Nepalese ledger rows.
  await page.goto(`/grants/${grantId}/expenditures?from=${lastMonth}-05&to=${lastMonth}-06`);
  await expect(page.getByText("LEDGER-KE-001")).toBeVisible();
  await expect(page.getByText("LEDGER-NP-001")).toBeVisible();
});

test("a partner sees only their organisation's expenditures, on a phone", async ({ page }, info) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, partner);
  await page.getByRole("button", { name: "Open the menu" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Expenditures" }).click();
  // One grant: straight to its list.
  await expect(page).toHaveURL(new RegExp(`/grants/${grantId}/expenditures`));
  await expect(page.getByRole("list", { name: "Expenditure list" })).toBeVisible();
  // Theirs (UDWU), not HMWF's of the same ledger.
  await page.goto(`/grants/${grantId}/expenditures?from=${lastMonth}-05&to=${lastMonth}-06`);
  await expect(page.getByText(/LEDGER-KE-001/)).toBeVisible();
  await expect(page.getByText(/LEDGER-NP-001/)).toHaveCount(0);
  await page.goto(`/grants/${grantId}/expenditures`);
  await expect(page.getByRole("list", { name: "Expenditure list" })).toBeVisible();
  // (The pointer stays where the menu link was: off the buttons, not hovering.)
  await page.mouse.move(350, 700);
  await shot(page, "expenditures-partner-phone");
  await noSeriousA11yViolations(page, info, "expenditures-partner");

  // The form offers only the lines allocated to their organisation.
  await page.getByRole("link", { name: "Record an expenditure" }).click();
  await page.getByRole("combobox", { name: "Budget line", exact: true }).click();
  await expect(page.getByRole("option", { name: /1\.1\.3/ })).toBeVisible();
  await expect(page.getByRole("option", { name: /2\.2\.2/ })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await shot(page, "expenditure-form-partner-phone");
});
