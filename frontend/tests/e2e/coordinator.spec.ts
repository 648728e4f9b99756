import { expect, noSeriousA11yViolations, shot, signIn, test, users, pickDay } from "./helpers";

test("a coordinator signs in, creates a grant and sees its milestones", async ({ page }, info) => {
  await signIn(page, users.coordinator);
  await expect(page.getByText("Decent Work for Domestic and Migrant Workers").first()).toBeVisible();
  await expect(page.getByText("Overdue").first()).toBeVisible();
  await shot(page, "coordinator-dashboard");
  await noSeriousA11yViolations(page, info, "dashboard");

  await page.goto("/organisations");
  await expect(page.getByText("Umoja Domestic Workers Union")).toBeVisible();
  await shot(page, "organisations");
  await noSeriousA11yViolations(page, info, "organisations");

  await page.goto("/grants");
  await expect(page.getByText("Decent Work for Domestic and Migrant Workers")).toBeVisible();
  await shot(page, "grants");
  await noSeriousA11yViolations(page, info, "grants");

  await page.goto("/grants/new");
  await page.getByRole("combobox", { name: "Framework agreement", exact: true }).click();
  await page.getByRole("listbox").getByRole("option").first().click();
  await page.getByRole("textbox", { name: "Donor's reference", exact: true }).fill("CSO-LA/2026/777-001");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Safe work for waste pickers in Dakar");
  await pickDay(page, "Start date", 0, "first");
  await pickDay(page, "End date", 23, "last");
  await page.getByRole("textbox", { name: "Total eligible costs", exact: true }).fill("500000");
  await page.getByRole("textbox", { name: "Maximum donor contribution", exact: true }).fill("480000");
  await page.getByRole("textbox", { name: "Co-financing rate", exact: true }).fill("90");
  await page.getByRole("textbox", { name: "Reporting period", exact: true }).fill("12");
  await shot(page, "new-grant-filled");
  await noSeriousA11yViolations(page, info, "new-grant");

  // The server refuses a contribution above 90% of the costs, next to the field.
  await page.getByRole("button", { name: "Create grant" }).click();
  await expect(page.getByText(/at most 450000\.00 EUR/)).toBeVisible();
  await shot(page, "new-grant-field-error");
  await noSeriousA11yViolations(page, info, "new-grant-with-errors");

  await page.getByRole("textbox", { name: "Maximum donor contribution", exact: true }).fill("450000");
  await page.getByRole("button", { name: "Create grant" }).click();
  await expect(page).toHaveURL(/\/grants\/[0-9a-f-]{30,}/);
  await expect(page.getByRole("heading", { name: "Safe work for waste pickers in Dakar" })).toBeVisible();
  // Its milestones: interim reports after the first year, final reports and
  // the expenditure verification (EUR 450,000 > EUR 100,000) after the end.
  await expect(page.getByText("Interim narrative report").first()).toBeVisible();
  await expect(page.getByText("Interim financial report").first()).toBeVisible();
  await expect(page.getByText("Final narrative report").first()).toBeVisible();
  await expect(page.getByText("Expenditure verification").first()).toBeVisible();
  await shot(page, "grant-page");
  await noSeriousA11yViolations(page, info, "grant-page");

  await page.goto("/milestones");
  await expect(page.getByText("Progress update KE-01, quarter 1").first()).toBeVisible();
  await shot(page, "milestones");
  await noSeriousA11yViolations(page, info, "milestones");

  await page.goto("/projects");
  await expect(page.getByText("NP-01").first()).toBeVisible();
  await shot(page, "projects");
  await noSeriousA11yViolations(page, info, "projects");

  await page.goto("/profile");
  await expect(page.getByText("coordinator@demo.pactum.example")).toBeVisible();
  await shot(page, "profile");
  await noSeriousA11yViolations(page, info, "profile");
});

test("the profile and the reset screen say, before, that API tokens will be revoked", async ({ page }) => {
  await signIn(page, users.coordinator);
  await page.goto("/profile");
  await expect(page.getByText("Signing out everywhere or choosing a new password revokes all your tokens.")).toBeVisible();

  // Signing out everywhere says, before, that it revokes the API tokens too.
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  const confirm = page.getByRole("dialog", { name: "Sign out on every device?" });
  await expect(confirm.getByText("Your personal API tokens are revoked too")).toBeVisible();
  await shot(page, "profile-sign-out-everywhere");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("coordinator@demo.pactum.example")).toBeVisible();

  // So does the password-reset screen.
  await page.goto("/reset-password?token=pr_example");
  await expect(page.getByText("your personal API tokens will be revoked")).toBeVisible();
});
