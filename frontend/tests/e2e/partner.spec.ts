import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

test("a partner signs in and sees only their own projects", async ({ page }, info) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: /sign in/i })).toBeVisible();
  await shot(page, "sign-in-phone");
  await noSeriousA11yViolations(page, info, "sign-in");
  await signIn(page, users.partner);

  // Home: their project, not the Nepalese or Latin American ones.
  await expect(page.getByText("KE-01").first()).toBeVisible();
  await expect(page.getByText("NP-01")).toHaveCount(0);
  await shot(page, "partner-home-phone");
  await noSeriousA11yViolations(page, info, "partner-home");
  // A progress update due is written as an update (in "Your progress
  // updates", started from there), not ticked off by hand.
  const due = page.getByTestId("partner-work").filter({ hasText: /progress update KE-01/i }).first();
  await expect(due).toBeVisible();
  await expect(due.getByRole("button", { name: /^start/i }).or(due.getByRole("link", { name: /^(continue|correct it|view)/i })).first()).toBeVisible();
  await expect(page.getByRole("button", { name: /^submit “progress update KE-01/i })).toHaveCount(0);
  await page.getByRole("link", { name: /see all progress updates/i }).click();
  await expect(page).toHaveURL(/\/progress$/);
  await page.goto("/");

  await page.goto("/projects");
  await expect(page.getByText("KE-01").first()).toBeVisible();
  for (const other of ["NP-01", "PH-01", "SN-01", "BR-01", "BO-01"]) {
    await expect(page.getByText(other)).toHaveCount(0);
  }
  await shot(page, "partner-projects-phone");

  // Another organisation's project, by its address: not shown.
  const res = await page.request.post("/pactum.v1.ProjectService/ListProjects", { data: { countryCode: "NP" }, headers: apiHeaders });
  expect((await res.json()).projects ?? []).toEqual([]);
});
