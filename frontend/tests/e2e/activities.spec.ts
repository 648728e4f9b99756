import type { Page } from "@playwright/test";
import { expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

// A 1x1 PNG, for a photo.
const onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const iso = (d: Date) => d.toISOString().slice(0, 10);

async function noHorizontalScroll(page: Page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, "no horizontal scroll").toBeLessThanOrEqual(client);
}

test("a partner logs an activity on a phone, is told when age groups do not add up, and finds it in the list", async ({ page }, info) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, users.partner);

  // The list: their project's demo activities, with totals.
  await page.goto("/activities");
  await expect(page.getByRole("heading", { name: "Activities", level: 2 })).toBeVisible();
  const totals = page.getByTestId("activity-totals");
  await expect(totals).toContainText("Participants");
  const before = Number((await page.getByTestId("total-participants").innerText()).replace(/\D/g, ""));
  expect(before).toBeGreaterThan(0);
  await shot(page, "activities-list-phone");
  await noSeriousA11yViolations(page, info, "activities-list");
  await noHorizontalScroll(page);

  // Log one (the partner has one project: the button goes straight to it).
  await page.getByRole("link", { name: "Log an activity" }).click();
  await expect(page).toHaveURL(/\/projects\/[^/]+\/activities\/new$/);
  await expect(page.getByRole("heading", { name: "Log an activity" })).toBeVisible();

  const title = `Community meeting on the minimum wage ${Date.now()}`;
  await page.getByLabel(/^Title/).fill(title);
  await page.getByRole("combobox", { name: "Type" }).click();
  await page.getByRole("option", { name: "Workshop" }).click();
  await page.getByRole("textbox", { name: /^Start date/ }).fill(iso(new Date(Date.now() - 3 * 86_400_000)));
  // The country: the project's (Kenya) comes first and is chosen already.
  await expect(page.getByRole("combobox", { name: "Country" })).toHaveValue(/Kenya/);
  await page.getByLabel(/^Place/).fill("Kibera social hall");
  await page.getByLabel("Women", { exact: true }).fill("12");
  await page.getByLabel("Men", { exact: true }).fill("8");
  await expect(page.getByTestId("participant-total")).toHaveText("Total: 20 participants");

  // Age groups that do not add up: flagged as the partner types.
  await page.getByLabel("Participants aged 15-24").fill("5");
  await page.getByLabel("Participants aged 25-44").fill("10");
  const mismatch = page.getByTestId("age-mismatch");
  await expect(mismatch).toContainText("add up to 15, but there are 20 participants");
  // Saving is refused before the server is asked.
  await page.getByRole("button", { name: "Log the activity" }).click();
  await expect(page).toHaveURL(/\/activities\/new$/);
  await shot(page, "activity-form-mismatch-phone");
  await noHorizontalScroll(page);
  await noSeriousA11yViolations(page, info, "activity-form");

  // Corrected.
  await page.getByLabel("Participants aged 45+").fill("5");
  await expect(mismatch).toHaveCount(0);
  await expect(page.getByText("Adds up to 20")).toBeVisible();

  // The output it serves, from the project's results framework.
  await page.getByRole("combobox", { name: "Outputs" }).click();
  await page.getByRole("option", { name: /^OP1\.1/ }).click();
  await page.keyboard.press("Escape");
  await page.getByLabel(/^Description/).fill("Domestic workers discussed the new minimum wage order with a labour officer.");
  await noHorizontalScroll(page);
  await page.getByRole("button", { name: "Log the activity" }).click();

  // Its page.
  await expect(page).toHaveURL(/\/projects\/[^/]+\/activities\/[^/]+$/);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByRole("table", { name: "By sex" })).toContainText("20");
  await expect(page.getByRole("table", { name: "By age group" })).toContainText("45+");
  await expect(page.getByText(/^OP1\.1/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit" })).toBeVisible();
  // A photo of it.
  await page.locator('input[type="file"]').setInputFiles({ name: "meeting-kibera.png", mimeType: "image/png", buffer: Buffer.from(onePixelPNG, "base64") });
  await expect(page.getByRole("link", { name: "meeting-kibera.png" })).toBeVisible();
  await shot(page, "activity-page-phone");
  await noSeriousA11yViolations(page, info, "activity-page");
  await noHorizontalScroll(page);

  // In the list, with the totals grown by its 20 participants.
  await page.goto("/activities");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(page.getByTestId("total-participants")).toHaveText(new Intl.NumberFormat("en-GB").format(before + 20));

  // Filtered by type: workshops only.
  await page.getByRole("combobox", { name: "Type" }).click();
  await page.getByRole("option", { name: "Workshop" }).click();
  await expect(page).toHaveURL(/type=2/);
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(page.getByRole("link", { name: "Know-your-rights training" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Activities matching the filters" })).toBeVisible();
  const filtered = Number((await page.getByTestId("total-participants").innerText()).replace(/\D/g, ""));
  expect(filtered).toBeLessThan(before + 20);
  expect(filtered).toBeGreaterThanOrEqual(20);
  await shot(page, "activities-filtered-phone");
});

test("the activity list on a wide screen, in French", async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, users.coordinator);
  await page.evaluate(() => localStorage.setItem("pactum.language", "fr"));
  await page.goto("/activities");
  await expect(page.getByRole("heading", { name: "Activités", level: 2 })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Formation" }).first()).toBeVisible();
  await shot(page, "activities-list-fr");
  await noSeriousA11yViolations(page, info, "activities-list-fr");
  await page.evaluate(() => localStorage.setItem("pactum.language", "en"));
});
