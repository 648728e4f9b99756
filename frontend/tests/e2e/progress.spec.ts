// The reporting loop between a partner and a coordinator, as the issue asks
// to see it: a partner drafts a progress update, closes the browser, comes
// back to the draft and submits it; a coordinator returns it with a comment;
// the partner sees the comment, corrects and resubmits; the coordinator
// approves; the update is then read-only for everyone, and the audit trail
// shows each step. Along the way: a double-clicked Submit and a submission
// whose answer is lost both count once; the editor works on a phone; axe
// finds nothing serious on the editor and the grant overview.
import type { Browser, Page } from "@playwright/test";
import { expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const achievements = "We trained 42 domestic workers in Nairobi on their rights under the 2017 regulations.";
const correction = " Of them, 30 were live-in workers; attendance lists are attached.";
const attendance = "attendance-list-nairobi.csv";
const attendanceCSV = "name,sex,age group,live-in\nA. Wanjiru,F,25-34,yes\nB. Achieng,F,35-44,no\n";
const returnComment = "Please say how many of the trained workers were live-in workers, and attach the attendance lists.";

async function partnerPage(browser: Browser, mobile = false): Promise<Page> {
  const ctx = await browser.newContext(mobile ? phone : {});
  const page = await ctx.newPage();
  await signIn(page, users.partner);
  return page;
}

async function coordinatorPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, users.coordinator);
  return page;
}

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "horizontal scroll on a phone").toBeLessThanOrEqual(0);
}

async function expectReadOnly(page: Page) {
  const main = page.locator("main");
  await expect(page.getByTestId("locked-banner")).toBeVisible();
  await expect(main.getByRole("textbox")).toHaveCount(0);
  await expect(main.locator("textarea, input:not([type=hidden])")).toHaveCount(0);
  for (const name of [/submit/i, /return with comments/i, /^approve$/i, /attach a file/i]) {
    await expect(main.getByRole("button", { name })).toHaveCount(0);
  }
}

test("a partner's progress update goes from draft to approved, read-only and audited", async ({ browser }, info) => {
  test.setTimeout(240_000);

  // 1. The partner starts an update, on a phone, and types.
  let page = await partnerPage(browser, true);
  await page.goto("/progress");
  const card = page.getByTestId("progress-card").filter({ has: page.getByRole("button", { name: /^start/i }) }).first();
  await expect(card).toBeVisible();
  const title = (await card.getByRole("heading").textContent())?.trim() ?? "";
  expect(title).not.toBe("");
  await noHorizontalScroll(page);
  await card.getByRole("button", { name: /^start/i }).click();
  await expect(page).toHaveURL(/\/progress\/[^/]+$/);
  const url = page.url();
  const id = url.slice(url.lastIndexOf("/") + 1);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();

  await page.getByLabel("Achievements").fill(achievements);
  const values = page.locator("[data-indicator-value]");
  const hasIndicator = (await values.count()) > 0;
  if (hasIndicator) await values.first().fill("42");
  await expect(page.getByTestId("save-status")).toHaveText(/Saved at/, { timeout: 15_000 });
  await noHorizontalScroll(page);
  await shot(page, "progress-editor-phone");
  // What the phone shows: the top, and the Submit bar over the indicators.
  await page.screenshot({ path: "test-results/screenshots/progress-editor-phone-top.png" });
  await page.getByRole("heading", { name: "Indicator values" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/progress-editor-phone-indicators.png" });
  await noSeriousA11yViolations(page, info, "progress editor");

  // 2. The browser is closed; a new one finds the draft intact.
  await page.context().close();
  page = await partnerPage(browser, true);
  await page.goto("/progress");
  const again = page.getByTestId("progress-card").filter({ hasText: title }).first();
  await expect(again.getByRole("link", { name: /continue/i })).toBeVisible();
  await again.getByRole("link", { name: /continue/i }).click();
  await expect(page).toHaveURL(new RegExp(`/progress/${id}$`));
  await expect(page.getByLabel("Achievements")).toHaveValue(achievements);
  if (hasIndicator) await expect(page.locator("[data-indicator-value]").first()).toHaveValue("42");

  // 3. Submit, double-clicked: one submission.
  await page.getByTestId("submit").dblclick();
  await expect(page.locator('[data-state="SUBMITTED"]').first()).toBeVisible();
  await expect(page.getByTestId("submission-count")).toContainText("1");
  await page.reload();
  await expect(page.getByTestId("submission-count")).toContainText("1");
  await expect(page.getByLabel("Achievements")).toHaveCount(0);
  await page.context().close();

  // 4. The coordinator finds it awaiting review and returns it.
  const coord = await coordinatorPage(browser);
  // The dashboard says updates wait for review, and leads to them.
  await expect(coord.getByTestId("coordinator-work")).toContainText(/awaiting? your review/i);
  await coord.getByTestId("coordinator-work").getByRole("link", { name: /all progress updates/i }).click();
  await expect(coord).toHaveURL(/\/progress$/);
  await expect(coord.getByRole("heading", { name: /awaiting review/i })).toBeVisible();
  await coord.getByRole("link", { name: title }).first().click();
  await expect(coord).toHaveURL(new RegExp(`/progress/${id}$`));
  await expect(coord.getByText(achievements)).toBeVisible();
  await shot(coord, "progress-review");
  await coord.getByRole("button", { name: /return with comments/i }).click();
  const dialog = coord.getByRole("dialog");
  await dialog.getByRole("button", { name: /return the update/i }).click();
  await expect(dialog.getByText(/write what should be corrected/i)).toBeVisible();
  await dialog.getByLabel(/what should be corrected/i).fill(returnComment);
  await dialog.getByRole("button", { name: /return the update/i }).click();
  await expect(dialog).toBeHidden();
  await expect(coord.locator('[data-state="RETURNED"]').first()).toBeVisible();

  // 5. The partner sees the comment, corrects and resubmits; the first
  // answer is lost on the way back, and "Submit again" still counts once.
  page = await partnerPage(browser, true);
  await page.goto(`/progress/${id}`);
  await expect(page.getByTestId("returned-banner")).toContainText(returnComment);
  await page.getByLabel("Achievements").fill(achievements + correction);
  await expect(page.getByTestId("save-status")).toHaveText(/Saved at/, { timeout: 15_000 });
  // The attendance list the coordinator asked for.
  await page.locator('input[type="file"]').setInputFiles({ name: attendance, mimeType: "text/csv", buffer: Buffer.from(attendanceCSV) });
  await expect(page.getByRole("link", { name: attendance })).toBeVisible();
  let lose = true;
  await page.route("**/pactum.v1.ProgressUpdateService/SubmitProgressUpdate", async (route) => {
    if (!lose) return route.continue();
    lose = false;
    await route.fetch(); // it reaches the server...
    await route.abort("connectionreset"); // ...but the answer does not come back
  });
  await page.getByTestId("submit").click();
  await expect(page.getByText(/could not confirm the submission/i)).toBeVisible();
  await page.getByRole("button", { name: /submit again/i }).click();
  await expect(page.locator('[data-state="RESUBMITTED"]').first()).toBeVisible();
  await expect(page.getByTestId("submission-count")).toContainText("2");
  await page.context().close();

  // 6. The coordinator approves it.
  await coord.reload();
  await expect(coord.getByText(correction.trim())).toBeVisible();
  await coord.getByRole("button", { name: /^approve$/i }).click();
  await coord.getByRole("dialog").getByRole("button", { name: /approve and lock/i }).click();
  await expect(coord.getByTestId("locked-banner")).toBeVisible();

  // 7. Read-only for everyone.
  await coord.reload();
  await expectReadOnly(coord);
  page = await partnerPage(browser);
  await page.goto(`/progress/${id}`);
  await expectReadOnly(page);
  await expect(page.getByText(correction.trim())).toBeVisible();
  // The attached list downloads as it was sent.
  const link = page.getByRole("link", { name: attendance });
  const res = await page.request.get((await link.getAttribute("href")) ?? "");
  expect(res.status()).toBe(200);
  expect(await res.text()).toBe(attendanceCSV);
  await page.context().close();

  // 8. The audit trail shows each step.
  await coord.goto(`/history/progressUpdates/${id}`);
  for (const label of ["Created", "Submitted", "Returned with comments", "Resubmitted", "Approved"]) {
    await expect(coord.getByText(label, { exact: true }).first()).toBeVisible();
  }
  await shot(coord, "progress-history");

  // 9. The grant overview shows it approved.
  await coord.goto(`/progress/${id}`);
  await coord.getByRole("link", { name: /grant overview/i }).click();
  await expect(coord).toHaveURL(/\/grants\/[^/]+\/progress$/);
  await expect(coord.getByTestId("overview-row").filter({ hasText: title }).first()).toContainText(/approved/i);
  await expect(coord.getByTestId("count-approved")).toContainText(/[1-9]/);
  await expect(coord.getByRole("img", { name: /bar chart/i }).locator(".recharts-surface").first()).toBeVisible();
  await shot(coord, "progress-overview");
  await noSeriousA11yViolations(coord, info, "grant progress overview");
  await coord.context().close();
});

// A dropped connection loses no text: what could not be saved is kept on the
// device, offered back after a reload, and saved once the line is back.
test("text typed while the connection is down is kept and saved later", async ({ browser }) => {
  const page = await partnerPage(browser, true);
  await page.goto("/progress");
  // An update to write: one not started, or one being written (the other
  // tests may have started them all).
  const action = page.getByTestId("progress-card").getByRole("button", { name: /^start/i })
    .or(page.getByTestId("progress-card").getByRole("link", { name: /^continue/i }));
  await action.first().click();
  await expect(page).toHaveURL(/\/progress\/[^/]+$/);
  await page.getByLabel("Achievements").fill("Two workshops held in Mombasa.");
  await expect(page.getByTestId("save-status")).toHaveText(/Saved at/, { timeout: 15_000 });

  const saves = "**/pactum.v1.ProgressUpdateService/UpdateProgressUpdate";
  await page.route(saves, (route) => route.abort("internetdisconnected"));
  const offline = "The venue changed at short notice; we informed every participant by SMS.";
  await page.getByLabel("Challenges").fill(offline);
  await expect(page.getByTestId("save-status")).toHaveText(/retrying/i, { timeout: 15_000 });

  // The partner reloads while still offline for saving: the text is offered back.
  await page.reload();
  await expect(page.getByRole("alert").filter({ hasText: "You have text that was not saved" })).toBeVisible();
  await page.unroute(saves);
  await page.getByRole("button", { name: "Restore my text" }).click();
  await expect(page.getByLabel("Challenges")).toHaveValue(offline);
  await expect(page.getByTestId("save-status")).toHaveText(/Saved at/, { timeout: 15_000 });

  // Saved on the server: a reload shows it, with nothing left to restore.
  await page.reload();
  await expect(page.getByLabel("Challenges")).toHaveValue(offline);
  await expect(page.getByText("You have text that was not saved")).toHaveCount(0);
  await page.context().close();
});
