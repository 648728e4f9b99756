import type { Page } from "@playwright/test";
import { expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

// A 1x1 PNG, for a photo.
const onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

async function noHorizontalScroll(page: Page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, "no horizontal scroll").toBeLessThanOrEqual(client);
}

test("a partner gives an activity photo its caption, credit and consent on a phone; the coordinator sees them", async ({ page, browser }, info) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, users.partner);
  await page.goto("/activities");
  await page.getByRole("link", { name: "Know-your-rights training" }).first().click();
  await expect(page).toHaveURL(/\/projects\/[^/]+\/activities\/[^/]+$/);
  const activityURL = page.url();

  // A new photo: no consent yet, and it says so.
  const file = `union-meeting-${Date.now()}.png`;
  await page.locator('input[type="file"]').setInputFiles({ name: file, mimeType: "image/png", buffer: Buffer.from(onePixelPNG, "base64") });
  await expect(page.getByRole("link", { name: file })).toBeVisible();
  const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: file }) });
  await expect(item.getByText("Not used in reports: no consent recorded")).toBeVisible();

  // Caption, credit and consent, saved.
  await item.getByRole("button", { name: `Caption and consent of ${file}` }).click();
  await item.getByRole("textbox", { name: "Caption" }).fill("Domestic workers at the know-your-rights training in Mombasa");
  await item.getByRole("textbox", { name: "Credit" }).fill("Photo: Amina Wanjiku");
  await item.getByRole("checkbox", { name: "The people shown agreed to publication" }).check();
  await noHorizontalScroll(page);
  await shot(page, "photo-details-form-phone");
  await noSeriousA11yViolations(page, info, "photo-details-form");
  await item.getByRole("button", { name: "Save" }).click();
  await expect(item.getByText("Domestic workers at the know-your-rights training in Mombasa")).toBeVisible();
  await expect(item.getByText("Credit: Photo: Amina Wanjiku")).toBeVisible();
  await expect(item.getByText("Consent recorded: may go into reports")).toBeVisible();
  await expect(item.getByText("Not used in reports: no consent recorded")).toHaveCount(0);
  await noHorizontalScroll(page);
  await shot(page, "photo-details-saved-phone");
  await noSeriousA11yViolations(page, info, "photo-details-saved");

  // The coordinator, on another computer, sees them (and may change them).
  const other = await browser.newContext({ baseURL: new URL(activityURL).origin });
  const coord = await other.newPage();
  await coord.setViewportSize({ width: 1280, height: 900 });
  await signIn(coord, users.coordinator);
  await coord.goto(activityURL);
  const seen = coord.getByRole("listitem").filter({ has: coord.getByRole("link", { name: file }) });
  await expect(seen.getByText("Domestic workers at the know-your-rights training in Mombasa")).toBeVisible();
  await expect(seen.getByText("Credit: Photo: Amina Wanjiku")).toBeVisible();
  await expect(seen.getByText("Consent recorded: may go into reports")).toBeVisible();
  await expect(seen.getByRole("button", { name: `Caption and consent of ${file}` })).toBeVisible();
  await shot(coord, "photo-details-coordinator");

  // In French, the mark of a photo without consent.
  await coord.evaluate(() => localStorage.setItem("pactum.language", "fr"));
  await coord.reload();
  await seen.getByRole("button", { name: `Légende et consentement de ${file}` }).click();
  await seen.getByRole("checkbox", { name: "Les personnes représentées ont accepté la publication" }).uncheck();
  await seen.getByRole("button", { name: "Enregistrer" }).click();
  await expect(seen.getByText("Non utilisée dans les rapports : aucun consentement enregistré")).toBeVisible();
  await shot(coord, "photo-details-coordinator-fr");
  await noSeriousA11yViolations(coord, info, "photo-details-fr");
  await coord.evaluate(() => localStorage.setItem("pactum.language", "en"));
  await other.close();
});
