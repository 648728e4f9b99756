// Moving a running grant's start past recorded spending: the coordinator
// edits the dates, Pactum lists the expenditures that would fall outside the
// implementation period and become ineligible, in the user's language, and
// saves only once they confirm; the budget page then shows them as not
// eligible and counts them nowhere. The test puts the start back at its end,
// so that the other specs find the demo grant as seeded.
import type { Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

const grantTitle = "Decent Work for Domestic and Migrant Workers";

async function rpc(page: Page, method: string, body: unknown) {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

test("moving a grant's start past recorded spending lists what becomes ineligible and asks before saving", async ({ page }, info) => {
  await signIn(page, users.coordinator);
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(grantTitle) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  const id = new URL(page.url()).pathname.split("/")[2];
  const name = `grants/${id}`;
  const before = (await rpc(page, "GrantService/GetGrant", { name })).grant;
  expect(before.startDate).toMatch(/^\d{4}-01-01$/);
  const year = before.startDate.slice(0, 4);
  const newStart = `${year}-02-01`;
  // What the server says the move leaves outside (nothing is written).
  const preview = await rpc(page, "GrantService/UpdateGrant", {
    grant: { name, etag: before.etag, startDate: newStart },
    updateMask: "startDate",
    validateOnly: true,
  });
  const count: number = preview.ineligibleCount;
  expect(count).toBeGreaterThan(0);

  // Edit: the start date moves a month later.
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByRole("button", { name: "Start date", exact: true }).click();
  await page.locator("button[data-direction='next']").last().click();
  await page.locator("table[class*='DatePicker-month'] button:not([data-outside]):not([disabled])").first().click();
  await page.getByRole("button", { name: "Save", exact: true }).click();

  // Refused until confirmed: the list, in English, with what follows.
  const dialog = page.getByRole("dialog", { name: `${count} expenditures would become ineligible` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/are dated outside the new implementation period, 1 Feb \d{4}/)).toBeVisible();
  await expect(dialog.getByText("Costs incurred outside the implementation period are not eligible.", { exact: false })).toBeVisible();
  const rows = dialog.locator("tbody tr");
  await expect(rows).toHaveCount(Math.min(count, 500));
  await expect(rows.first().getByText("Before the start")).toBeVisible();
  await expect(rows.first()).toContainText(/Jan \d{4}/);
  await shot(page, "grant-dates-confirm-ineligible");
  await noSeriousA11yViolations(page, info, "grant-dates-confirm");
  // Nothing is saved yet.
  expect((await rpc(page, "GrantService/GetGrant", { name })).grant.startDate).toBe(before.startDate);

  // At phone width the list scrolls inside a full-screen dialog.
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "grant-dates-confirm-ineligible-phone");
  await page.setViewportSize({ width: 1280, height: 800 });

  await dialog.getByRole("button", { name: `Make ${count} expenditures ineligible and save` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Changes saved.").first()).toBeVisible();
  await expect(page.getByText(/^1 Feb \d{4} – 31 Dec \d{4}$/)).toBeVisible();
  const after = (await rpc(page, "GrantService/GetGrant", { name })).grant;
  expect(after.startDate).toBe(newStart);

  // The budget says which are not eligible, and counts them nowhere.
  const bva = await rpc(page, "FinanceService/GetBudgetVsActual", { grant: name });
  expect(bva.ineligible.count).toBeGreaterThan(0);
  await page.goto(`/grants/${id}/budget`);
  await expect(page.getByText(/submitted or verified expenditures \(€[\d,.]+\) are dated outside the implementation period: not eligible, not counted/)).toBeVisible();
  await shot(page, "grant-dates-budget-ineligible");
  await noSeriousA11yViolations(page, info, "grant-dates-budget");

  // An expenditure now outside the period says so on its page, at phone
  // width too (partners read their expenditures on phones).
  await page.goto(`/${preview.ineligibleExpenditures[0].expenditure}`);
  await expect(page.getByText("Not eligible: before the start")).toBeVisible();
  await shot(page, "grant-dates-expenditure-ineligible");
  await noSeriousA11yViolations(page, info, "grant-dates-expenditure");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByText("Not eligible: before the start")).toBeVisible();
  await shot(page, "grant-dates-expenditure-ineligible-phone");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Back as seeded: moving the start back makes nothing ineligible, so it
  // needs no confirmation.
  await rpc(page, "GrantService/UpdateGrant", { grant: { name, etag: after.etag, startDate: before.startDate }, updateMask: "startDate" });
});
