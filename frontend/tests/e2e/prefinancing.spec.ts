// Pre-financing as finance staff work it: the plan of instalments set
// (starting from those received, with the next one added), a change made
// meanwhile by someone else refused and reloaded without losing what was
// typed, the rule for the next instalment read with the EU part of spending
// (required, shortfall, the 90% ceiling, what may be requested), and the
// payment request (Annex V) downloaded as a PDF; at desktop and phone
// width, and in French.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test } from "./helpers";

const finance = { email: "finance@demo.pactum.example", password: "demo-finance-pass" };
const grantTitle = "Decent Work for Domestic and Migrant Workers";

async function rpc(page: Page, method: string, body: unknown) {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

const cents = (amount: string) => BigInt(amount.replace(".", ""));
const decimal = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, "0")}`;
const eur = (c: bigint, locale = "en-GB") => new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(Number(c) / 100);
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

test("finance sets the pre-financing plan, reads the rule and downloads the payment request", async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, finance);
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(grantTitle) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  const id = new URL(page.url()).pathname.split("/")[2];
  const grant = `grants/${id}`;
  const planName = `${grant}/prefinancingPlan`;

  // What the plan starts from: the instalments received, and the ceiling.
  const before = (await rpc(page, "FinanceService/GetPrefinancingPlan", { name: planName })).prefinancingPlan;
  const received: { amount: string }[] = before.received ?? [];
  expect(received.length).toBeGreaterThan(0);
  const receivedTotal = received.reduce((s, x) => s + cents(x.amount), 0n);
  // The next instalment fills the ceiling to the euro.
  const next = ((cents(before.cap) - receivedTotal) / 100n) * 100n;
  expect(next > 0n).toBeTruthy();

  await page.goto(`/grants/${id}/budget?tab=prefinancing`);
  const plan = page.locator("section[aria-labelledby='prefinancing-plan-title']");
  await expect(plan).toBeVisible();
  await plan.getByRole("button", { name: "Edit the plan" }).click();
  const dialog = page.getByRole("dialog", { name: "Pre-financing plan" });
  await expect(dialog).toBeVisible();
  // The rows of the instalments received are there already.
  await expect(dialog.getByRole("group", { name: /^Instalment \d+$/ })).toHaveCount(received.length);
  await dialog.getByRole("button", { name: "Add an instalment" }).click();
  const row = dialog.getByRole("group", { name: `Instalment ${received.length + 1}` });
  await row.getByRole("button", { name: "Foreseen for" }).click();
  await page.locator('table button[class*="-day"]:not([data-outside]):not([disabled])').last().click();
  await row.getByRole("textbox", { name: "Foreseen", exact: true }).fill(decimal(next));

  // Meanwhile someone else changes the plan: saving is refused, and after
  // Reload what was typed is still there and goes through.
  await rpc(page, "FinanceService/UpdatePrefinancingPlan", {
    prefinancingPlan: { name: planName, etag: before.etag, instalments: [{ date: "2025-01-20", amount: "1.00" }] },
  });
  await dialog.getByRole("button", { name: "Save the plan" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Someone else changed this record");
  await dialog.getByRole("button", { name: "Reload" }).click();
  await expect(dialog.getByRole("alert")).toBeHidden();
  await dialog.getByRole("button", { name: "Save the plan" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Plan saved.")).toBeVisible();
  const after = (await rpc(page, "FinanceService/GetPrefinancingPlan", { name: planName })).prefinancingPlan;
  expect(after.instalments.length).toBe(received.length + 1);
  expect(cents(after.total)).toBe(receivedTotal + next);
  await expect(plan.getByRole("row", { name: new RegExp(`^Instalment ${received.length + 1}`) })).toContainText("Not yet received");
  // Who changed it, by name: never an id.
  await expect(plan.getByText(/Last changed by [^/]+ on /)).toBeVisible();
  await expect(plan).not.toContainText("users/");

  // The rule, as the server computes it and as the page words it: what may
  // be requested is the planned amount less the shortfall, at most the room
  // under the ceiling.
  const s = (await rpc(page, "FinanceService/CheckCompliance", { grant })).prefinancing;
  expect(cents(s.nextPlanned)).toBe(next);
  expect(s.coFinancingRate).toBe("90.00");
  const shortfall = cents(s.required) > cents(s.euPart) ? cents(s.required) - cents(s.euPart) : 0n;
  expect(cents(s.shortfall)).toBe(shortfall);
  const room = cents(s.cap) - receivedTotal;
  expect(cents(s.capRoom)).toBe(room);
  let requestable = next - shortfall < room ? next - shortfall : room;
  if (requestable < 0n) requestable = 0n;
  expect(cents(s.requestable)).toBe(requestable);
  const card = page.getByTestId("prefinancing-status");
  const rule = card.getByRole("table", { name: "How the next instalment is worked out" });
  await expect(rule.getByRole("row", { name: /EU part of spending \(spending × rate\)/ })).toContainText(eur(cents(s.euPart)));
  await expect(rule.getByRole("row", { name: /Shortfall, deducted/ })).toContainText(eur(shortfall));
  await expect(rule.getByRole("row", { name: /May be requested now/ })).toContainText(eur(requestable));
  await expect(rule.getByRole("row", { name: /Ceiling: 90% of the maximum EU contribution/ })).toContainText(eur(cents(s.cap)));
  await shot(page, "prefinancing-desktop");
  await noSeriousA11yViolations(page, info, "prefinancing");

  // The payment request, signed by the finance officer.
  await page.getByRole("button", { name: "Payment request (PDF)" }).click();
  const pr = page.getByRole("dialog", { name: "Request for payment (Annex V)" });
  await pr.getByRole("textbox", { name: "Signed by (name)" }).fill("Marie Dubois");
  await pr.getByRole("textbox", { name: "Function" }).fill("Finance officer");
  await shot(page, "prefinancing-payment-request-dialog");
  const [download] = await Promise.all([page.waitForEvent("download"), pr.getByRole("button", { name: "Download the PDF" }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^payment-request-.+-${s.nextInstalment}\\.pdf$`));
  const path = await download.path();
  const pdf = readFileSync(path);
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  if (existsSync("/usr/bin/pdftotext")) {
    const text = plain(execFileSync("pdftotext", ["-layout", path, "-"]).toString()).replace(/\s+/g, " ");
    expect(text).toContain("Request for payment");
    expect(text).toContain("Marie Dubois");
    expect(text).toMatch(new RegExp(`Amount requested \\(8 − 7, at most 10\\) ${eur(requestable).replace("€", "").replace(/[.()]/g, "\\$&")} EUR`));
  }
  await expect(pr.getByRole("status")).toContainText("Downloaded");
  await pr.getByRole("button", { name: "Close" }).last().click();
  await expect(pr).toBeHidden();

  // At phone width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("prefinancing-status")).toBeVisible();
  await expect(plan).toBeVisible();
  await shot(page, "prefinancing-phone");

  // In French.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId("language-switch").selectOption("fr");
  await expect(page.getByRole("button", { name: "Modifier le plan" })).toBeVisible();
  await expect(page.getByTestId("prefinancing-status").getByRole("table", { name: "Calcul de la prochaine tranche" })).toContainText("Peut être demandé maintenant");
  await shot(page, "prefinancing-fr");
  await page.getByTestId("language-switch").selectOption("en");
});
