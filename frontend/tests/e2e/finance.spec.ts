// Finance's work in the browser: the finance officer's home says what
// awaits them (expenditures to verify, imported drafts, missing rates with
// the rate entered in place, this month's rates not loaded yet); the
// verification queue verifies 50 expenditures a partner submitted in one
// action, with a result per item; four eyes refuses what the officer
// recorded themselves, saying so, on the queue and on the expenditure's
// page; the queue works on a 360-pixel phone.
import type { APIRequestContext } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test } from "./helpers";

const finance = { email: "finance@demo.pactum.example", password: "demo-finance-pass" };
const partner = { email: "partner.kenya@demo.pactum.example", password: "demo-partner-pass" };
const grantTitle = "Decent Work for Domestic and Migrant Workers";

const now = new Date();
const ym = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
const lastMonth = ym(new Date(now.getFullYear(), now.getMonth() - 1, 1));
const run = `${Date.now()}`.slice(-6);

interface Named {
  name: string;
}
interface Exp extends Named {
  etag: string;
  budgetLineKey: string;
  status: string;
}

async function rpc<T = Record<string, unknown>>(api: APIRequestContext, method: string, body: unknown): Promise<T> {
  const res = await api.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(res.ok(), `${method}: ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

let grantName = "";
let lineKey = "";
const bulk: string[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ playwright }, info) => {
  // The Kenyan partner records and submits 50 expenditures, and one in
  // Mongolian tugrik (no rate for it anywhere) left as a draft.
  const api = await playwright.request.newContext({ baseURL: info.project.use.baseURL });
  await rpc(api, "AuthService/SignIn", partner);
  const { grants } = await rpc<{ grants: (Named & { title: string })[] }>(api, "GrantService/ListGrants", { pageSize: 100 });
  grantName = grants.find((g) => g.title === grantTitle)!.name;
  const { expenditures } = await rpc<{ expenditures: Exp[] }>(api, "ExpenditureService/ListExpenditures", { parent: grantName, pageSize: 1 });
  lineKey = expenditures[0].budgetLineKey;
  for (let i = 1; i <= 50; i++) {
    const { expenditure } = await rpc<{ expenditure: Exp }>(api, "ExpenditureService/CreateExpenditure", {
      parent: grantName,
      expenditure: { expenseDate: `${lastMonth}-${String((i % 27) + 1).padStart(2, "0")}`, budgetLineKey: lineKey, amount: `${1000 + i}`, currencyCode: "KES", payee: `Bulk ${run} #${i}`, description: "Matatu fares" },
    });
    await rpc(api, "ExpenditureService/SubmitExpenditure", { name: expenditure.name, etag: expenditure.etag });
    bulk.push(expenditure.name);
  }
  await rpc(api, "ExpenditureService/CreateExpenditure", {
    parent: grantName,
    expenditure: { expenseDate: `${lastMonth}-15`, budgetLineKey: lineKey, amount: "25000", currencyCode: "MNT", payee: `Tugrik ${run}`, description: "Interpreter" },
  });
  await api.dispose();
});

test("finance's home says what awaits them, and a missing rate is entered in place", async ({ page }, info) => {
  await signIn(page, finance);
  await expect(page.getByRole("heading", { name: "What awaits you" })).toBeVisible();
  // The demo has no rates for this month; another spec may have loaded
  // them meanwhile: the home says what the server holds.
  const month = ym(now);
  const held = await rpc<{ exchangeRates?: unknown[] }>(page.request, "ExchangeRateService/ListExchangeRates", {
    pageSize: 1,
    baseCurrency: "EUR",
    fromMonth: month,
    toMonth: month,
  });
  await expect(page.getByTestId("month-rates")).toContainText((held.exchangeRates ?? []).length > 0 ? "are loaded" : "not loaded yet");
  const work = page.getByTestId("grant-work").filter({ hasText: grantTitle });
  await expect(work.getByTestId("to-verify")).toContainText(/\d{2,}/);
  await expect(work.getByRole("link", { name: "Verify" })).toBeVisible();
  await expect(work.getByTestId("import-drafts")).toBeVisible();
  // The tugrik: its row waits for a rate, entered here.
  const rateInput = work.getByRole("textbox", { name: /Rate of MNT per 1 EUR/ });
  await expect(rateInput).toBeVisible();
  await noSeriousA11yViolations(page, info, "finance-home");
  await shot(page, "finance-home");
  const row = work.getByRole("row").filter({ has: page.getByRole("textbox", { name: /Rate of MNT per 1 EUR/ }) });
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByText(/Enter how many MNT make 1 EUR/)).toBeVisible();
  await row.getByRole("textbox").fill("3700.5");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/Rate of MNT for .* saved: 1 expenditure converted/)).toBeVisible();
  await expect(work.getByRole("textbox", { name: /Rate of MNT per 1 EUR/ })).toHaveCount(0);
});

test("finance verifies 50 expenditures in one action", async ({ page }, info) => {
  test.setTimeout(180_000);
  await signIn(page, finance);
  await page.getByTestId("grant-work").filter({ hasText: grantTitle }).getByRole("link", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Verification queue" })).toBeVisible();
  const mine = page.getByRole("checkbox", { name: new RegExp(`Bulk ${run} #`) });
  await expect(mine).toHaveCount(50);
  for (let i = 0; i < 50; i++) await mine.nth(i).check();
  const verify = page.getByRole("button", { name: "Verify selected (50)" });
  await expect(verify).toBeEnabled();
  await noSeriousA11yViolations(page, info, "verify-queue");
  await shot(page, "verify-queue-selected");
  await verify.click();
  await expect(page.getByTestId("batch-outcome")).toContainText("50 expenditures verified.");
  await expect(page.getByTestId("batch-outcome")).not.toContainText("refused");
  await expect(mine).toHaveCount(0);
  await shot(page, "verify-queue-done");
  // The server agrees: all 50 are verified.
  for (const name of bulk) {
    const { expenditure } = await rpc<{ expenditure: Exp }>(page.request, "ExpenditureService/GetExpenditure", { name });
    expect(expenditure.status, name).toBe("EXPENDITURE_STATUS_VERIFIED");
  }
});

test("four eyes refuses verifying one's own, saying who may", async ({ page }) => {
  await signIn(page, finance);
  // The finance officer records and submits one themselves.
  const { expenditure } = await rpc<{ expenditure: Exp }>(page.request, "ExpenditureService/CreateExpenditure", {
    parent: grantName,
    expenditure: { expenseDate: `${lastMonth}-20`, budgetLineKey: lineKey, amount: "4200", currencyCode: "KES", payee: `Own ${run}`, description: "Bank charges" },
  });
  await rpc(page.request, "ExpenditureService/SubmitExpenditure", { name: expenditure.name, etag: expenditure.etag });
  const id = grantName.split("/")[1];
  await page.goto(`/grants/${id}/expenditures/verify`);
  const own = page.getByRole("checkbox", { name: new RegExp(`Own ${run}`) });
  await expect(own).toHaveCount(1);
  await expect(page.getByText("Recorded or submitted by you").first()).toBeVisible();
  await own.check();
  await page.getByRole("button", { name: "Verify selected (1)" }).click();
  const outcome = page.getByTestId("batch-outcome");
  await expect(outcome).toContainText("0 expenditures verified.");
  await expect(outcome).toContainText("1 refused");
  await expect(outcome).toContainText("Four eyes: you recorded or submitted it, so another finance officer must verify it.");
  await expect(own).toBeChecked();
  await shot(page, "verify-queue-four-eyes");
  const { expenditure: after } = await rpc<{ expenditure: Exp }>(page.request, "ExpenditureService/GetExpenditure", { name: expenditure.name });
  expect(after.status).toBe("EXPENDITURE_STATUS_SUBMITTED");

  // Its own page says so too, and offers Reject but not Verify.
  await page.goto(`/grants/${id}/expenditures/${expenditure.name.split("/").pop()}`);
  await expect(page.getByTestId("four-eyes")).toContainText("another finance officer must verify it");
  await expect(page.getByRole("button", { name: "Verify", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reject", exact: true })).toBeVisible();

  // A rejection of the selection needs a reason.
  await page.goto(`/grants/${id}/expenditures/verify`);
  await own.check();
  await page.getByRole("button", { name: "Reject selected (1)" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Reject", exact: true }).click();
  await expect(dialog.getByText("A reason is required")).toBeVisible();
  await dialog.getByRole("textbox", { name: /Reason/ }).fill("Bank charges belong to line 5.6, not 1.1.");
  await dialog.getByRole("button", { name: "Reject", exact: true }).click();
  await expect(page.getByTestId("batch-outcome")).toContainText("1 expenditure rejected.");
  await expect(own).toHaveCount(0);
});

test("the queue on a 360-pixel phone", async ({ page }, info) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await signIn(page, finance);
  const id = grantName.split("/")[1];
  await page.goto(`/grants/${id}/expenditures/verify`);
  await expect(page.getByRole("heading", { name: "Verification queue" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Verification queue" })).toBeVisible();
  const first = page.getByRole("list", { name: "Verification queue" }).getByRole("checkbox").first();
  await first.check();
  await expect(page.getByRole("button", { name: "Verify selected (1)" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "no sideways scrolling").toBeLessThanOrEqual(0);
  await noSeriousA11yViolations(page, info, "verify-queue-phone");
  await shot(page, "verify-queue-phone");
});

test("a partner submits a whole imported ledger in one action", async ({ page }) => {
  await signIn(page, partner);
  const id = grantName.split("/")[1];
  await page.goto(`/grants/${id}/expenditures/import`);
  const header = "Date,Budget line,Project code,Partner,Amount,Currency,Payee,Description,Document reference";
  const rows = [1, 2, 3].map((i) => `${lastMonth}-1${i},1.1.3,KE-01,UDWU,${700 + i},KES,Import ${run} #${i},Organiser stipend,IMP-${run}-${i}`);
  await page.locator('input[type="file"]').setInputFiles({ name: "ledger.csv", mimeType: "text/csv", buffer: Buffer.from([header, ...rows].join("\n") + "\n") });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("3 expenditures imported")).toBeVisible();
  await page.getByRole("button", { name: "Submit the 3 imported expenditures for verification" }).click();
  await expect(page.getByTestId("import-submitted")).toHaveText("3 expenditures submitted for verification.");
  await shot(page, "ledger-import-submitted");
  const { expenditures } = await rpc<{ expenditures: (Exp & { payee: string })[] }>(page.request, "ExpenditureService/ListExpenditures", {
    parent: grantName,
    status: "EXPENDITURE_STATUS_SUBMITTED",
    pageSize: 1000,
  });
  expect(expenditures.filter((e) => e.payee.startsWith(`Import ${run}`)).length).toBe(3);
});
