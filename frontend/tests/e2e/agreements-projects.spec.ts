// Setting a grant up in the app (issue 14, points 1, 3 and 6): a coordinator
// records, edits, closes, reopens and deletes a framework agreement; creates
// a standalone grant whose donor is made on the spot (what was typed stays);
// adds the grant's first project with two partners; adds a milestone by
// hand, moves it and cancels it with a reason; closes the project; and sees
// an organisation in context (its grants, projects and people). In English,
// and the project page in French.
import type { Page } from "@playwright/test";
import { expect, noSeriousA11yViolations, shot, signIn, test, users, pickDay } from "./helpers";

// choose picks an option of a (searchable) select, typing to narrow it.
async function choose(page: Page, label: string, option: string | RegExp, scope: Page | ReturnType<Page["locator"]> = page) {
  const box = scope.getByRole("combobox", { name: label, exact: true });
  await box.click();
  if (typeof option === "string" && (await box.isEditable())) await box.fill(option);
  await page.getByRole("option", { name: option }).first().click();
}

// newOrganisation fills the "New organisation" dialog and creates it.
async function newOrganisation(page: Page, name: string, country: string) {
  const dialog = page.getByRole("dialog", { name: "New organisation" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("textbox", { name: "Full name", exact: true }).fill(name);
  await choose(page, "Country of the head office", country, dialog);
  await dialog.getByRole("button", { name: "Create and choose it" }).click();
  await expect(dialog).toBeHidden();
}

test("a coordinator records, edits, closes, reopens and deletes a framework agreement", async ({ page }, info) => {
  await signIn(page, users.coordinator);
  await page.goto("/agreements");
  await page.getByRole("link", { name: "New framework agreement" }).click();
  await expect(page).toHaveURL(/\/agreements\/new$/);
  await page.getByRole("textbox", { name: "Donor's reference", exact: true }).fill("FPA 2026/E2E-001");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Decent work in the care economy");
  // The donor is not in Pactum yet: made from the form, which keeps what was typed.
  await page.getByRole("button", { name: "New organisation…" }).first().click();
  await newOrganisation(page, "Fondation Lumière pour le Travail", "France");
  await expect(page.getByRole("textbox", { name: "Donor's reference", exact: true })).toHaveValue("FPA 2026/E2E-001");
  await expect(page.getByRole("combobox", { name: "Donor", exact: true })).toHaveValue(/Fondation Lumière/);
  await choose(page, "Lead organisation", "Global Alliance");
  await pickDay(page, "Start date", 0, "first");
  await pickDay(page, "End date", 47, "last");
  await shot(page, "agreement-new-filled");
  await noSeriousA11yViolations(page, info, "agreement-new");
  await page.getByRole("button", { name: "Create agreement" }).click();
  await expect(page).toHaveURL(/\/agreements\/[0-9a-f-]{30,}/);
  await expect(page.getByRole("heading", { name: "Decent work in the care economy" })).toBeVisible();
  await expect(page.getByText("Open", { exact: true })).toBeVisible();

  // Edit: only the title changes.
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Decent work in the care economy, 2026–2030");
  await shot(page, "agreement-edit");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Decent work in the care economy, 2026–2030" })).toBeVisible();

  // Close: no new grant under it.
  await expect(page.getByRole("link", { name: "New grant" })).toBeVisible();
  await page.getByRole("button", { name: "Close agreement" }).click();
  const closeDialog = page.getByRole("dialog", { name: "Close this agreement?" });
  await closeDialog.getByRole("button", { name: "Close agreement" }).click();
  await expect(closeDialog).toBeHidden();
  await expect(page.getByText("Closed", { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/no further grant is signed under this agreement/)).toBeVisible();
  await expect(page.getByRole("link", { name: "New grant" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toBeHidden();
  await shot(page, "agreement-closed");
  await noSeriousA11yViolations(page, info, "agreement-closed");

  // Reopen, then delete (it has no grants).
  await page.getByRole("button", { name: "Reopen" }).click();
  await page.getByRole("dialog", { name: "Reopen this agreement?" }).getByRole("button", { name: "Reopen agreement" }).click();
  await expect(page.getByRole("link", { name: "New grant" })).toBeVisible();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const deleteDialog = page.getByRole("dialog", { name: "Delete this agreement?" });
  await shot(page, "agreement-delete-dialog");
  await deleteDialog.getByRole("button", { name: "Delete agreement" }).click();
  await expect(page).toHaveURL(/\/agreements$/);
  await expect(page.getByText("FPA 2026/E2E-001")).toBeHidden();
  await expect(page.getByText("FPA 2015/001-234").or(page.getByRole("link").filter({ hasText: "FPA" })).first()).toBeVisible();
  await shot(page, "agreements");
});

test("a coordinator sets up a new grant: its first project with two partners, a milestone by hand moved and cancelled", async ({ page }, info) => {
  await signIn(page, users.coordinator);

  // A standalone grant whose donor is made from the grant form.
  await page.goto("/grants/new");
  await choose(page, "Framework agreement", "Standalone grant (no framework agreement)");
  await page.getByRole("textbox", { name: "Donor's reference", exact: true }).fill("OXF-2026-E2E");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Organising care workers in Nairobi and Kathmandu");
  await page.getByRole("button", { name: "New organisation…" }).first().click();
  await newOrganisation(page, "Stichting Fair Work Fund", "Netherlands");
  // What was typed is still there; the new donor is chosen.
  await expect(page.getByRole("textbox", { name: "Donor's reference", exact: true })).toHaveValue("OXF-2026-E2E");
  await expect(page.getByRole("textbox", { name: "Title", exact: true })).toHaveValue("Organising care workers in Nairobi and Kathmandu");
  await expect(page.getByRole("combobox", { name: "Donor", exact: true })).toHaveValue(/Stichting Fair Work Fund/);
  await shot(page, "grant-new-donor-created");
  await choose(page, "Lead organisation", "Global Alliance");
  await choose(page, "Currency", "EUR – Euro");
  await pickDay(page, "Start date", 0, "first");
  await pickDay(page, "End date", 23, "last");
  await page.getByRole("textbox", { name: "Total eligible costs", exact: true }).fill("200000");
  await page.getByRole("textbox", { name: "Maximum donor contribution", exact: true }).fill("180000");
  await page.getByRole("textbox", { name: "Co-financing rate", exact: true }).fill("90");
  await page.getByRole("textbox", { name: "Reporting period", exact: true }).fill("12");
  await page.getByRole("button", { name: "Create grant" }).click();
  await expect(page).toHaveURL(/\/grants\/[0-9a-f-]{30,}$/);
  const grantURL = page.url();

  // No projects yet: the grant page offers to add the first.
  await expect(page.getByText("No projects under this grant yet.")).toBeVisible();
  await shot(page, "grant-no-projects");
  await page.getByRole("link", { name: "Add the first project" }).click();
  await expect(page).toHaveURL(/\/projects\/new$/);
  await page.getByRole("textbox", { name: "Code", exact: true }).fill("CARE-01");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Care workers organise");
  // (Kenya only: the browser tests that follow expect no Kenyan partner's
  // project in Nepal.)
  await choose(page, "Countries", "Kenya");
  await page.keyboard.press("Escape");
  // The lead coordinates (proposed); two partners in other roles.
  const rows = page.getByRole("group", { name: /^Partner \d$/ });
  await expect(rows).toHaveCount(1);
  await page.getByRole("button", { name: "Add a partner" }).click();
  await choose(page, "Organisation", "Umoja", rows.nth(1));
  await choose(page, "Role", "Co-beneficiary", rows.nth(1));
  await page.getByRole("button", { name: "Add a partner" }).click();
  await choose(page, "Organisation", "Himalaya", rows.nth(2));
  await choose(page, "Role", "Associate", rows.nth(2));
  await shot(page, "project-new-filled");
  await noSeriousA11yViolations(page, info, "project-new");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{30,}$/);
  const participants = page.getByRole("region", { name: "Participating organisations" });
  await expect(participants.getByText("Umoja Domestic Workers Union")).toBeVisible();
  await expect(participants.getByText("Himalaya Migrant Workers Forum")).toBeVisible();
  await expect(participants.getByText("Co-beneficiary")).toBeVisible();
  await expect(participants.getByText("Associate")).toBeVisible();

  // A milestone by hand: the donor asks for additional information, due in 30 days.
  await page.getByRole("button", { name: "Add a milestone" }).click();
  const form = page.getByRole("dialog", { name: "New milestone" });
  await choose(page, "Kind", "Additional information requested by the donor", form);
  const in30 = new Date(Date.now() + 30 * 86_400_000);
  await expect(form.getByRole("textbox", { name: "Due date", exact: true })).toHaveValue(new RegExp(`^${String(in30.getDate()).padStart(2, "0")}/`));
  await form.getByRole("textbox", { name: "Title", exact: true }).fill("Clarify the Nepal budget lines");
  await shot(page, "milestone-new");
  await noSeriousA11yViolations(page, info, "milestone-new");
  await form.getByRole("button", { name: "Add a milestone" }).click();
  await expect(form).toBeHidden();
  const table = page.getByRole("table", { name: "Milestones" });
  await expect(table.getByText("Clarify the Nepal budget lines")).toBeVisible();

  // Moved: a later due date.
  await page.getByRole("button", { name: "Edit or move “Clarify the Nepal budget lines”" }).click();
  const edit = page.getByRole("dialog", { name: "Edit milestone" });
  await pickDay(page, "Due date", 1, "last");
  await edit.getByRole("button", { name: "Save", exact: true }).click();
  await expect(edit).toBeHidden();
  await shot(page, "project-milestone-moved");

  // Cancelled with its reason, which stays shown.
  await page.getByRole("button", { name: "Cancel “Clarify the Nepal budget lines”" }).click();
  const cancel = page.getByRole("dialog", { name: "Cancel this milestone?" });
  await cancel.getByRole("button", { name: "Cancel milestone" }).click();
  await expect(cancel.getByText("Say why the milestone is cancelled")).toBeVisible();
  await cancel.getByRole("textbox", { name: "Reason" }).fill("The donor withdrew its request by email");
  await shot(page, "milestone-cancel-dialog");
  await cancel.getByRole("button", { name: "Cancel milestone" }).click();
  await expect(cancel).toBeHidden();
  await expect(table.getByText("Cancelled", { exact: true })).toBeVisible();
  await expect(table.getByText(/Cancelled by .+: The donor withdrew its request by email/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel “Clarify the Nepal budget lines”" })).toBeHidden();
  await shot(page, "project-milestone-cancelled");
  await noSeriousA11yViolations(page, info, "project-page");

  // The same page in French.
  await page.getByTestId("language-switch").selectOption("fr");
  await expect(page.getByRole("button", { name: "Ajouter une échéance" })).toBeVisible();
  const tableFr = page.getByRole("table", { name: "Échéances" });
  await expect(tableFr.getByText("Annulée", { exact: true })).toBeVisible();
  await expect(tableFr.getByText(/Annulée par .+ : The donor withdrew its request by email/)).toBeVisible();
  await shot(page, "project-page-french");
  await noSeriousA11yViolations(page, info, "project-page-french");
  await page.getByTestId("language-switch").selectOption("en");
  await expect(page.getByRole("button", { name: "Add a milestone" })).toBeVisible();

  // On the grant page, the project and the milestones, with their actions.
  await page.goto(grantURL);
  await expect(page.getByRole("link", { name: "CARE-01" })).toBeVisible();
  await expect(page.getByText(/Cancelled by .+: The donor withdrew its request by email/)).toBeVisible();
  await shot(page, "grant-with-project");

  // Closing the project: it no longer changes.
  await page.getByRole("link", { name: "CARE-01" }).click();
  await page.getByRole("button", { name: "Close project" }).click();
  const close = page.getByRole("dialog", { name: "Close this project?" });
  await close.getByRole("textbox", { name: "Reason" }).fill("Work completed");
  await close.getByRole("button", { name: "Close project" }).click();
  await expect(close).toBeHidden();
  await expect(page.getByText(/this project no longer changes/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toBeHidden();
  await expect(page.getByRole("button", { name: "Add a milestone" })).toBeHidden();
  await shot(page, "project-closed");
});

test("an organisation's page shows its grants, projects and people; milestones are added from the milestones page", async ({ page }, info) => {
  await signIn(page, users.coordinator);
  await page.goto("/organisations");
  await page.getByRole("link", { name: "Global Alliance for Decent Work" }).click();
  await expect(page.getByRole("heading", { name: "Global Alliance for Decent Work" })).toBeVisible();
  const grants = page.getByRole("region", { name: "Grants" });
  await expect(grants.getByText("As lead organisation")).toBeVisible();
  await expect(grants.getByText("Decent Work for Domestic and Migrant Workers")).toBeVisible();
  const people = page.getByRole("region", { name: "People" });
  await expect(people.getByText("coordinator@demo.pactum.example")).toBeVisible();
  await expect(page.getByRole("region", { name: "Projects it takes part in" })).toBeVisible();
  await shot(page, "organisation-context");
  await noSeriousA11yViolations(page, info, "organisation-context");

  // A donor's page lists the grants it funds.
  await page.goto("/organisations");
  await page.getByRole("link", { name: /European Commission/ }).click();
  await expect(page.getByRole("region", { name: "Grants" }).getByText("As donor")).toBeVisible();

  // The milestones page: a mid-term evaluation for the demo grant.
  await page.goto("/milestones");
  await page.getByRole("button", { name: "Add a milestone" }).click();
  const form = page.getByRole("dialog", { name: "New milestone" });
  await choose(page, "Grant", "Decent Work", form);
  await choose(page, "Kind", "Mid-term evaluation", form);
  await pickDay(page, "Due date", 2, "first");
  await form.getByRole("button", { name: "Add a milestone" }).click();
  await expect(form).toBeHidden();
  await page.getByRole("combobox", { name: "Kind", exact: true }).click();
  await page.getByRole("option", { name: "Mid-term evaluation" }).click();
  await expect(page.getByRole("table", { name: "Milestones" }).getByText("Mid-term evaluation").first()).toBeVisible();
  await shot(page, "milestones-mid-term");
});

test("on a phone, the project form and the milestone dialog fit the screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, users.coordinator);
  await page.goto("/projects");
  await page.getByRole("link", { name: "Organising domestic workers in Nairobi and Mombasa" }).click();
  await page.getByRole("button", { name: "Add a milestone" }).click();
  await expect(page.getByRole("dialog", { name: "New milestone" })).toBeVisible();
  await shot(page, "phone-milestone-new");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await expect(page.getByRole("form", { name: "Save" })).toBeVisible();
  await shot(page, "phone-project-edit");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});
