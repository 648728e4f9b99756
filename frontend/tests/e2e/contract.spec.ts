// A coordinator sets up a grant from its signed contract: the Special
// Conditions, the Annex III budget imported from a spreadsheet (a broken one
// first: its problems per row, nothing saved), partners in two different
// roles, the milestones previewed, then saved in one go; the grant opens,
// and its project shows the partners' roles.
import { readFileSync } from "node:fs";
import { expect, noSeriousA11yViolations, shot, signIn, test, users, pickDay } from "./helpers";

// The example Annex III of the Go tests, with the demo's organisations:
// GADW leads, MPWA (Mombasa) and HMWF take part. EUR 434,420.00 in all.
// (Not UDWU: the partner browser test counts the Kenyan partner's projects.)
const annex = readFileSync(new URL("../../../internal/contract/testdata/annex-iii.csv", import.meta.url), "utf8")
  .replaceAll(",GSN", ",GADW")
  .replaceAll(",UMOJA", ",MPWA")
  .replaceAll("Umoja Domestic Workers Union", "Mombasa Port and Dock Workers Association");
const broken = readFileSync(new URL("../../../internal/contract/testdata/annex-iii-broken.csv", import.meta.url), "utf8")
  .replaceAll(",GSN", ",GADW")
  .replaceAll(",UMOJA", ",MPWA");

test("a coordinator creates a grant from its contract with its budget and partners", async ({ page }, info) => {
  // Four steps, each checked by the server, on a machine others share.
  test.setTimeout(120_000);
  await signIn(page, users.coordinator);
  await page.goto("/grants");
  await page.getByRole("link", { name: "Grant from its contract" }).click();
  await expect(page.getByRole("heading", { name: "Grant from its contract" })).toBeVisible();

  // 1. The Special Conditions.
  await page.getByRole("combobox", { name: "Framework agreement", exact: true }).click();
  await page.getByRole("listbox").getByRole("option").first().click();
  await page.getByRole("textbox", { name: "Donor's reference", exact: true }).fill("CSO-LA/2027/613-540");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Domestic workers organise in Kenya and Nepal");
  await pickDay(page, "Start date", 1, "first");
  await pickDay(page, "End date", 24, "last");
  await page.getByRole("textbox", { name: "Total eligible costs", exact: true }).fill("434420");
  await page.getByRole("textbox", { name: "Maximum donor contribution", exact: true }).fill("390978");
  await page.getByRole("textbox", { name: "Co-financing rate", exact: true }).fill("90");
  await page.getByRole("textbox", { name: "Reporting period", exact: true }).fill("12");
  await shot(page, "contract-1-conditions");
  await noSeriousA11yViolations(page, info, "contract-conditions");
  await page.getByRole("button", { name: "Next" }).click();

  // 2. Terms and the budget: a broken file first.
  await expect(page.getByText("Terms of the Special Conditions")).toBeVisible();
  await pickDay(page, "Instalment 1: date foreseen", 1, "first");
  await page.getByRole("textbox", { name: "Amount (EUR)", exact: true }).fill("150000");
  await page.getByRole("button", { name: "Add an instalment" }).click();
  await pickDay(page, "Instalment 2: date foreseen", 13, "first");
  await page.getByRole("textbox", { name: "Amount (EUR)", exact: true }).nth(1).fill("120000");
  const fileInput = page.locator("input[type=file]");
  await fileInput.setInputFiles({ name: "annex-iii-broken.csv", mimeType: "text/csv", buffer: Buffer.from(broken) });
  await page.getByRole("button", { name: "Check the budget" }).click();
  const problems = page.getByTestId("budget-problems");
  await expect(problems).toBeVisible();
  await expect(page.getByText("Nothing has been saved.")).toBeVisible();
  await expect(problems.getByRole("row", { name: /Line 1\.1 is under no heading/ })).toContainText("2");
  await expect(problems.getByRole("row", { name: /“24,5” is not a number of units/ })).toContainText("Number of units");
  await expect(problems.getByText("“Nobody Known” is no organisation known to Pactum")).toBeVisible();
  await shot(page, "contract-2-budget-problems");
  await noSeriousA11yViolations(page, info, "contract-budget-problems");

  await fileInput.setInputFiles({ name: "annex-iii.csv", mimeType: "text/csv", buffer: Buffer.from(annex) });
  await page.getByRole("button", { name: "Check the budget" }).click();

  // 3. Partners, prefilled from the budget: HMWF becomes an affiliated entity.
  await expect(page.getByText("Partners and their roles")).toBeVisible();
  const partners = page.getByTestId("participant");
  await expect(partners).toHaveCount(3);
  await expect(partners.nth(0).getByRole("combobox", { name: "Role" })).toHaveValue("Coordinator");
  await expect(partners.nth(1).getByRole("combobox", { name: "Organisation" })).toHaveValue(/Mombasa Port and Dock Workers Association/);
  await expect(partners.nth(1).getByRole("combobox", { name: "Role" })).toHaveValue("Co-beneficiary");
  await partners.nth(2).getByRole("combobox", { name: "Role" }).click();
  await page.getByRole("option", { name: /Affiliated entity/ }).click();
  await expect(partners.nth(2).getByTestId("role-hint")).toHaveText("Linked to a beneficiary; its costs are eligible.");
  await partners.nth(1).getByRole("textbox", { name: "Share of the budget (EUR)" }).fill("262000");
  await partners.nth(2).getByRole("textbox", { name: "Share of the budget (EUR)" }).fill("53000");
  await page.getByRole("textbox", { name: "Code", exact: true }).fill("EA-01");
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Organising port and migrant workers in Mombasa and Kathmandu");
  await shot(page, "contract-3-partners");
  await noSeriousA11yViolations(page, info, "contract-partners");
  await page.getByRole("button", { name: "Preview", exact: true }).click();

  // 4. The milestones that will be made, then save.
  const preview = page.getByTestId("milestone-preview");
  await expect(preview).toBeVisible();
  await expect(preview.getByRole("row").filter({ hasText: "Partner progress update" }).filter({ hasText: "MPWA" }).first()).toBeVisible();
  await expect(preview.getByRole("row").filter({ hasText: "Partner progress update" }).filter({ hasText: "HMWF" }).first()).toBeVisible();
  await expect(preview.getByRole("row").filter({ hasText: "Payment request" })).toHaveCount(1);
  await expect(page.getByText("Affiliated entity")).toBeVisible();
  await shot(page, "contract-4-preview");
  await noSeriousA11yViolations(page, info, "contract-preview");
  await page.getByRole("button", { name: "Create the grant" }).click();

  // The grant opens, with its project and its budget.
  await expect(page).toHaveURL(/\/grants\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "Domestic workers organise in Kenya and Nepal" })).toBeVisible();
  await expect(page.getByText("EA-01").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  await shot(page, "contract-5-grant");
  await page.getByText("EA-01").first().click();
  await expect(page.getByTestId("participant-role")).toHaveText(["Coordinator", "Co-beneficiary", "Affiliated entity"]);
  await shot(page, "contract-6-project");
  await noSeriousA11yViolations(page, info, "contract-project");

  // The project page as a partner's phone shows it.
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "contract-7-project-phone");
});

test("the grant from its contract is in French too, problems of the budget included", async ({ page }, info) => {
  await signIn(page, users.coordinator);
  await page.evaluate(() => localStorage.setItem("pactum.language", "fr"));
  await page.goto("/grants/from-contract");
  await expect(page.getByRole("heading", { name: "Subvention depuis son contrat" })).toBeVisible();
  await page.getByRole("combobox", { name: "Accord-cadre", exact: true }).click();
  await page.getByRole("listbox").getByRole("option").first().click();
  await page.getByRole("textbox", { name: "Référence du bailleur", exact: true }).fill("CSO-LA/2027/613-541");
  await page.getByRole("textbox", { name: "Intitulé", exact: true }).fill("Travail décent au Sénégal");
  await pickDay(page, "Date de début", 1, "first");
  await pickDay(page, "Date de fin", 24, "last");
  await page.getByRole("textbox", { name: "Total des coûts éligibles", exact: true }).fill("434420");
  await page.getByRole("textbox", { name: "Contribution maximale du bailleur", exact: true }).fill("390978");
  await page.getByRole("textbox", { name: "Taux de cofinancement", exact: true }).fill("90");
  await shot(page, "contract-fr-1-conditions");
  await page.getByRole("button", { name: "Suivant" }).click();
  await expect(page.getByText("Modalités des Conditions particulières")).toBeVisible();
  await page.locator("input[type=file]").setInputFiles({ name: "annexe-iii.csv", mimeType: "text/csv", buffer: Buffer.from(broken) });
  await page.getByRole("button", { name: "Vérifier le budget" }).click();
  const problems = page.getByTestId("budget-problems");
  await expect(problems.getByText("La ligne 1.1 n'est sous aucune rubrique")).toBeVisible();
  await expect(problems.getByText("« Nobody Known » n'est pas une organisation connue de Pactum")).toBeVisible();
  await expect(problems.getByRole("cell", { name: "Nombre d'unités", exact: true })).toBeVisible();
  await shot(page, "contract-fr-2-problems");
  await noSeriousA11yViolations(page, info, "contract-fr-problems");
});
