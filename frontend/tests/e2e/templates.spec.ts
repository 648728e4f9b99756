// Budget templates for donors other than the EU: a coordinator copies the
// built-in EU PRAG Annex III, changes it for another donor (a heading
// renamed, one removed, one added with a usual line and moved into place;
// a duplicate code refused by the server and shown on that heading's code),
// picks the new template in a new grant's rules, and the budget editor then
// offers its headings and usual lines. Screens at desktop and phone width,
// and the form once in French.
import type { Page } from "@playwright/test";
import { animationsDone, apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

async function rpc(page: Page, method: string, body: unknown) {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

// heading returns the form's group of heading n (1-based).
const heading = (page: Page, n: number) => page.getByRole("group", { name: `Heading ${n}`, exact: true });

test("a coordinator copies the EU template for another donor, picks it in a grant's rules, and budgets in its headings", async ({ page }, info) => {
  test.setTimeout(120_000);
  const donor = `Sida budget ${Date.now() % 100000}`;
  await signIn(page, users.coordinator);

  // The list, from the navigation: the EU template, built in.
  await page.getByRole("navigation").getByRole("link", { name: "Budget templates" }).click();
  await expect(page.getByRole("heading", { name: "Budget templates", level: 2 })).toBeVisible();
  const eu = page.getByRole("row", { name: /EU PRAG Annex III/ });
  await expect(eu.getByText("Built in", { exact: true })).toBeVisible();
  await expect(eu.getByText("11 headings")).toBeVisible();
  await shot(page, "templates-list");
  await noSeriousA11yViolations(page, info, "templates-list");

  // Its page: headings in order, kinds in words, usual lines.
  await eu.getByRole("link", { name: "EU PRAG Annex III" }).click();
  await expect(page.getByRole("heading", { name: "EU PRAG Annex III", level: 2 })).toBeVisible();
  const rows = page.getByRole("table", { name: "Headings of the template, in order" }).locator("tbody tr");
  await expect(rows).toHaveCount(11);
  await expect(rows.nth(0)).toContainText("Human resources");
  await expect(rows.nth(0)).toContainText("Direct costs");
  await expect(rows.nth(0)).toContainText("1.1 Salaries, local staff (technical and administrative)");
  await expect(rows.nth(6)).toContainText("Subtotal of direct costs");
  await expect(rows.nth(6)).toContainText("Computed");
  await expect(rows.nth(9)).toContainText("Indirect costs");
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0); // built in
  await shot(page, "templates-eu");
  await noSeriousA11yViolations(page, info, "templates-eu");

  // A copy, changed for the other donor.
  await page.getByRole("link", { name: "Copy into a new template" }).click();
  await expect(page.getByRole("heading", { name: "New budget template" })).toBeVisible();
  await expect(page.getByText("A copy of “EU PRAG Annex III”", { exact: false })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Name" })).toHaveValue("EU PRAG Annex III (copy)");
  await page.getByRole("textbox", { name: "Name" }).fill(donor);
  await heading(page, 1).getByRole("textbox", { name: "Title" }).fill("Staff and consultants");
  // Heading 6 "Other" goes.
  await expect(heading(page, 6).getByRole("textbox", { name: "Title" })).toHaveValue("Other");
  await page.getByRole("button", { name: "Remove heading 6" }).click();
  await expect(page.getByRole("group", { name: /^Heading \d+$/ })).toHaveCount(10);
  // A new direct heading, given a code that heading 5 already has.
  await page.getByRole("button", { name: "Add a heading" }).click();
  const added = heading(page, 11);
  await added.getByRole("textbox", { name: "Code", exact: true }).fill("5");
  await added.getByRole("textbox", { name: "Title" }).fill("Capacity building of partners");
  await added.getByRole("combobox", { name: "Kind" }).click();
  await page.getByRole("option", { name: "Direct costs", exact: true }).click();
  await added.getByRole("button", { name: "Add a usual line" }).click();
  await added.getByRole("textbox", { name: "Description" }).fill("Training of partners' staff");
  // Moved up into place, after heading 5.
  for (let i = 0; i < 5; i++) await page.getByRole("button", { name: "Move heading 5 up" }).last().click();
  await expect(heading(page, 6).getByRole("textbox", { name: "Title" })).toHaveValue("Capacity building of partners");
  await expect(heading(page, 7).getByRole("textbox", { name: "Title" })).toHaveValue(/^Subtotal/);
  await page.getByRole("button", { name: "Create the template" }).click();
  // The server refuses the duplicate code; its error sits on heading 6's code.
  const code6 = heading(page, 6).getByRole("textbox", { name: "Code", exact: true });
  await expect(code6).toHaveAttribute("aria-invalid", "true");
  await expect(heading(page, 6).getByText(/Give a code, unique in the template/)).toBeVisible();
  await expect(heading(page, 5).getByRole("textbox", { name: "Code", exact: true })).not.toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/budget-templates\/new/);
  await shot(page, "templates-form-error");
  await noSeriousA11yViolations(page, info, "templates-form");
  await code6.fill("6");
  await heading(page, 6).getByRole("textbox", { name: "Line code" }).fill("6.1");
  await page.getByRole("button", { name: "Create the template" }).click();

  // The new template's page.
  await expect(page.getByRole("heading", { name: donor, level: 2 })).toBeVisible();
  const made = page.getByRole("table", { name: "Headings of the template, in order" }).locator("tbody tr");
  await expect(made).toHaveCount(11);
  await expect(made.nth(0)).toContainText("Staff and consultants");
  await expect(made.nth(5)).toContainText("Capacity building of partners");
  await expect(made.nth(5)).toContainText("6.1 Training of partners' staff");
  await expect(made.nth(6)).toContainText("Subtotal of direct costs");
  await expect(page.getByRole("button", { name: "Delete" })).toBeVisible(); // no grant uses it yet
  const templateId = new URL(page.url()).pathname.split("/")[2];
  await shot(page, "templates-created");

  // A new grant under the demo agreement, and the template picked in its rules.
  const agreement = (await rpc(page, "FrameworkAgreementService/ListFrameworkAgreements", {})).frameworkAgreements[0].name;
  const grant = (
    await rpc(page, "GrantService/CreateGrant", {
      grant: {
        frameworkAgreement: agreement,
        donorReference: `SIDA/${Date.now() % 100000}`,
        title: `Grant under ${donor}`,
        currencyCode: "EUR",
        startDate: "2027-01-01",
        endDate: "2028-12-31",
        totalEligibleCosts: "100000.00",
        maxDonorContribution: "90000.00",
        coFinancingRate: "90",
        reportingPeriodMonths: 12,
      },
    })
  ).grant.name as string;
  const grantId = grant.split("/")[1];
  await page.goto(`/grants/${grantId}/budget?tab=rules`);
  const rules = page.locator("section[aria-labelledby='rules-title']");
  await expect(rules.getByRole("link", { name: "New template…" })).toBeVisible();
  await rules.getByRole("combobox", { name: "Budget template" }).click();
  await page.getByRole("option", { name: donor, exact: true }).click();
  await rules.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Rules saved.").first()).toBeVisible();
  expect((await rpc(page, "BudgetService/GetGrantRules", { name: `${grant}/rules` })).grantRules.budgetTemplate).toBe(`budgetTemplates/${templateId}`);
  await expect(rules.getByRole("link", { name: "See its headings" })).toHaveAttribute("href", `/budget-templates/${templateId}`);
  await rules.scrollIntoViewIfNeeded();
  await shot(page, "templates-rules");

  // The budget editor offers the template's headings and usual lines.
  await page.getByRole("tab", { name: "Budget versions" }).click();
  await page.getByRole("button", { name: "New budget version" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Create the draft" }).click();
  const version = page.locator("section[aria-labelledby='version-title']");
  await expect(version.getByText("Staff and consultants").first()).toBeVisible();
  await expect(version.getByRole("button", { name: "Add a line to heading 6. Other" })).toHaveCount(0);
  await version.getByRole("button", { name: "Add a line to heading 6. Capacity building of partners" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("combobox", { name: "Budget heading" })).toHaveValue("6. Capacity building of partners");
  await dialog.getByRole("combobox", { name: "Start from a usual line" }).click();
  await expect(page.getByRole("option", { name: "6.1 Training of partners' staff" })).toBeVisible();
  await page.keyboard.press("Escape");
  await dialog.getByRole("combobox", { name: "Budget heading" }).click();
  const options = page.getByRole("option");
  await expect(options.filter({ hasText: "1. Staff and consultants" })).toHaveCount(1);
  await expect(page.getByRole("option", { name: "6. Other", exact: true })).toHaveCount(0);
  await expect(page.getByRole("option", { name: "6. Capacity building of partners", exact: true })).toHaveCount(1);
  await animationsDone(page);
  await shot(page, "templates-budget-line");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");

  // In use now: the page says so and offers no Delete; the server refuses it too.
  await page.goto(`/budget-templates/${templateId}`);
  await expect(page.getByText(/The rules of 1 grant|1 grant's rules use this template/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  const refused = await page.request.post("/pactum.v1.BudgetService/DeleteBudgetTemplate", { data: { name: `budgetTemplates/${templateId}` }, headers: apiHeaders });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("TEMPLATE_IN_USE");

  // One no grant uses is deleted from its page, after a confirmation.
  const spare = (
    await rpc(page, "BudgetService/CreateBudgetTemplate", {
      organisation: (await rpc(page, "BudgetService/GetBudgetTemplate", { name: `budgetTemplates/${templateId}` })).budgetTemplate.organisation,
      budgetTemplate: { displayName: `Spare ${donor}`, headings: [{ code: "A", title: "Programme", kind: "BUDGET_HEADING_KIND_DIRECT" }] },
    })
  ).budgetTemplate.name as string;
  await page.goto(`/budget-templates/${spare.split("/")[1]}`);
  await page.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete this template?" });
  await expect(confirm.getByText(`“Spare ${donor}” will be deleted.`, { exact: false })).toBeVisible();
  await confirm.getByRole("button", { name: "Delete the template" }).click();
  await expect(page).toHaveURL(/\/budget-templates$/);
  await expect(page.getByText("Template deleted")).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(`Spare ${donor}`) })).toHaveCount(0);
  await expect(page.getByRole("row", { name: new RegExp(`^${donor}`) })).toBeVisible();

  // Phone width: the list, the page and the form.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/budget-templates");
  await expect(page.getByRole("row", { name: new RegExp(donor) })).toBeVisible();
  await shot(page, "templates-list-phone");
  await page.goto(`/budget-templates/${templateId}`);
  await expect(page.getByRole("heading", { name: donor, level: 2 })).toBeVisible();
  await shot(page, "templates-page-phone");
  await page.goto(`/budget-templates/new?from=${templateId}`);
  await expect(heading(page, 11)).toBeVisible();
  await shot(page, "templates-form-phone");
  await noSeriousA11yViolations(page, info, "templates-form-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // In French: the form's words and the server's refusal, placed on its field.
  await page.getByTestId("language-switch").selectOption("fr");
  await expect(page.getByRole("navigation").getByRole("link", { name: "Modèles de budget" })).toBeVisible();
  await page.goto("/budget-templates/new?from=eu-prag-annex-iii");
  await expect(page.getByRole("heading", { name: "Nouveau modèle de budget" })).toBeVisible();
  const rubrique = (n: number) => page.getByRole("group", { name: `Rubrique ${n}`, exact: true });
  await expect(rubrique(7).getByText("Calculée : la somme des rubriques de coûts directs. Sans lignes.")).toBeVisible();
  await rubrique(2).getByRole("textbox", { name: "Code", exact: true }).fill("1");
  await page.getByRole("button", { name: "Créer le modèle" }).click();
  await expect(rubrique(2).getByRole("textbox", { name: "Code", exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(rubrique(2).getByText(/Donnez un code, unique dans le modèle/)).toBeVisible();
  await shot(page, "templates-form-fr");
  await page.getByTestId("language-switch").selectOption("en");
  await expect(page.getByRole("heading", { name: "New budget template" })).toBeVisible();
});
