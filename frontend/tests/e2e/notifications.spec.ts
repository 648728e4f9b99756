// In-app notifications: when a coordinator returns a partner's progress
// update, the partner's bell shows an unread notification, and
// /notifications lists "returned" with the comment; marking it read clears
// the bell.
import { expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

const comment = "Add the number of women among the participants, please.";

test("a returned update notifies its partner in the app", async ({ browser }, info) => {
  test.setTimeout(120_000);

  // The partner starts and submits an update.
  const pctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const partner = await pctx.newPage();
  await signIn(partner, users.partner);
  await partner.goto("/progress");
  const card = partner.getByTestId("progress-card").filter({ has: partner.getByRole("button", { name: /^start/i }) }).first();
  const title = (await card.getByRole("heading").textContent())?.trim() ?? "";
  await card.getByRole("button", { name: /^start/i }).click();
  await expect(partner).toHaveURL(/\/progress\/[^/]+$/);
  const id = partner.url().slice(partner.url().lastIndexOf("/") + 1);
  await partner.getByLabel("Achievements").fill("Two workshops with street vendors' associations.");
  await expect(partner.getByTestId("save-status")).toHaveText(/Saved at/, { timeout: 15_000 });
  await partner.getByTestId("submit").click();
  await expect(partner.locator('[data-state="SUBMITTED"]').first()).toBeVisible();

  // The coordinator returns it with a comment.
  const cctx = await browser.newContext();
  const coord = await cctx.newPage();
  await signIn(coord, users.coordinator);
  await coord.goto(`/progress/${id}`);
  await coord.getByRole("button", { name: /return with comments/i }).click();
  await coord.getByRole("dialog").getByLabel(/what should be corrected/i).fill(comment);
  await coord.getByRole("dialog").getByRole("button", { name: /return the update/i }).click();
  await expect(coord.locator('[data-state="RETURNED"]').first()).toBeVisible();
  await cctx.close();

  // The partner's bell shows it (on the next load of the app).
  await partner.goto("/");
  const bell = partner.getByTestId("notification-bell");
  await expect(bell).not.toHaveAttribute("data-unread", "0");
  await expect(bell).toHaveAccessibleName(/notifications \(\d+\)/i);
  await bell.click();
  await expect(partner).toHaveURL(/\/notifications$/);
  const returned = partner.locator('[data-testid="notification"][data-kind="returned"]').first();
  await expect(returned).toBeVisible();
  await expect(returned).toHaveAttribute("data-unread", "true");
  await expect(returned).toContainText(title);
  await expect(returned.getByTestId("notification-body")).toContainText(`Returned with comments: ${comment}`);
  await shot(partner, "notifications-phone");
  await noSeriousA11yViolations(partner, info, "notifications");

  // The link leads to the update; marking all read clears the bell.
  await partner.getByRole("button", { name: /mark all as read/i }).click();
  await expect(returned).not.toHaveAttribute("data-unread", "true");
  await expect(bell).toHaveAttribute("data-unread", "0");

  // Settings: this server has no mail server, so the email digest cannot be
  // turned on; the language of emails is kept on the account.
  await expect(partner.getByRole("switch", { name: "Email me the daily digest" })).toBeDisabled();
  await expect(partner.getByText(/cannot send email/i)).toBeVisible();
  await partner.getByRole("combobox", { name: "Language of emails" }).click();
  await partner.getByRole("listbox", { name: "Language of emails" }).getByRole("option", { name: "Français" }).click();
  await expect(partner.getByText("Your settings were saved.")).toBeVisible();
  await partner.reload();
  await expect(partner.getByRole("combobox", { name: "Language of emails" })).toHaveValue("Français");
  await pctx.close();
});
