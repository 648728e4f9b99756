// The donor's financial settings of a grant: the flat rate of indirect
// costs of the Special Conditions, set on the grant's form (refused above
// the 7% cap, naming the field), and the donor's approval reference of an
// addendum, asked when it is adopted and shown in the list of versions; on
// a wide screen, a phone and in French. Works on a grant of its own, made
// through the API, so that the demo grants the other specs read stay as
// they are.
import type { Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

async function rpc(page: Page, method: string, body: unknown) {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return r.json();
}

test("a coordinator sets the flat rate of indirect costs and adopts an addendum with the donor's reference", async ({ page }, info) => {
  test.setTimeout(150_000);
  await signIn(page, users.coordinator);

  // A grant of this test's own, without a flat rate yet, with an adopted
  // original budget (heading 1: 10 000.00; contingency reserve: 500.00).
  const agreements = (await rpc(page, "FrameworkAgreementService/ListFrameworkAgreements", { pageSize: 10 })).frameworkAgreements;
  const made = (
    await rpc(page, "GrantService/CreateGrant", {
      grant: {
        frameworkAgreement: agreements[0].name,
        donorReference: `CSO-LA/E2E/IND-${Date.now()}`,
        title: "Flat-rate indirect costs test grant",
        currencyCode: "EUR",
        startDate: "2026-01-01",
        endDate: "2027-12-31",
        totalEligibleCosts: "10500.00",
        maxDonorContribution: "9450.00",
        coFinancingRate: "90",
        reportingPeriodMonths: 12,
      },
    })
  ).grant;
  const grant: string = made.name;
  expect(made.indirectCostRate).toBe("0");
  const original = (await rpc(page, "BudgetService/CreateBudgetVersion", { parent: grant, budgetVersion: { kind: "BUDGET_VERSION_KIND_ORIGINAL" } })).budgetVersion;
  for (const l of [
    { headingCode: "1", code: "1.1", description: "Project coordinator", unit: "month", units: "10", unitCost: "1000" },
    { headingCode: "8", code: "8.1", description: "Contingency reserve", unit: "lump sum", units: "1", unitCost: "500" },
  ])
    await rpc(page, "BudgetService/CreateBudgetLine", { parent: original.name, budgetLine: l });
  await rpc(page, "BudgetService/AdoptBudgetVersion", { name: original.name });

  // The grant page: no flat rate yet.
  await page.goto(`/${grant}`);
  await expect(page.getByRole("heading", { name: "Flat-rate indirect costs test grant" })).toBeVisible();
  const money = page.getByRole("group", { name: "Amounts" });
  const card = money.getByText("Indirect costs (flat rate)").locator("..");
  await expect(card).toContainText("None");

  // Edit: above the 7% cap the server refuses, naming the field and the range.
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const rate = page.getByRole("textbox", { name: "Indirect costs (flat rate, % of direct eligible costs)" });
  await expect(rate).toHaveValue("0");
  await expect(page.getByText(/flat rate set in the Special Conditions, at most 7%/)).toBeVisible();
  await rate.fill("7.5");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/from 0 to 7 percent/)).toBeVisible();
  await shot(page, "indirect-rate-refused");
  await rate.fill("6.5");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await expect(card).toContainText(/6\.5\s?%/);
  await expect(card).toContainText("of the direct eligible costs incurred");
  expect((await rpc(page, "GrantService/GetGrant", { name: grant })).grant.indirectCostRate).toBe("6.5");
  await shot(page, "indirect-rate-grant");
  await noSeriousA11yViolations(page, info, "indirect-rate-grant");

  // An addendum, drafted without its reference.
  await page.goto(`/${grant}/budget`);
  await page.getByRole("tab", { name: "Budget versions" }).click();
  await page.getByRole("button", { name: "New budget version" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("combobox", { name: "Kind of version" }).click();
  await page.getByRole("option", { name: "Addendum" }).click();
  await expect(dialog.getByRole("textbox", { name: "Donor's approval reference" })).toBeVisible();
  await dialog.getByRole("textbox", { name: "Label" }).fill("Addendum 1 (no-cost extension)");
  await dialog.getByRole("button", { name: "Create the draft" }).click();
  await expect(dialog).toBeHidden();
  const version = page.locator("section[aria-labelledby='version-title']");
  await expect(version.getByText("Reference missing")).toBeVisible();

  // Adopting it asks for the reference; without one the server says why.
  await version.getByRole("button", { name: "Adopt" }).click();
  const adopt = page.getByRole("dialog");
  const reference = adopt.getByRole("textbox", { name: "Donor's approval reference" });
  await expect(reference).toHaveValue("");
  await adopt.getByRole("button", { name: "Adopt" }).click();
  await expect(adopt.getByText(/addendum is the donor's formal change of the contract/)).toBeVisible();
  await shot(page, "addendum-reference-required");
  await reference.fill("Addendum No 1 to the grant contract");
  await adopt.getByRole("button", { name: "Adopt" }).click();
  await expect(adopt).toBeHidden();
  await expect(version.getByText("In force", { exact: true })).toBeVisible();
  await expect(version.getByText("Addendum No 1 to the grant contract")).toBeVisible();

  // The list of versions shows the addendum with its reference and dates.
  const versions = page.locator("section[aria-labelledby='versions-title']");
  const row = versions.getByRole("row", { name: /Addendum 1 \(no-cost extension\)/ });
  await expect(row).toContainText("Addendum No 1 to the grant contract");
  await expect(row.getByRole("cell").nth(4)).not.toHaveText("—");
  const stored = (await rpc(page, "BudgetService/ListBudgetVersions", { parent: grant })).budgetVersions;
  expect(stored.map((v: { approvalReference?: string }) => v.approvalReference ?? "")).toEqual(["", "Addendum No 1 to the grant contract"]);
  await shot(page, "addendum-reference-desktop");
  await noSeriousA11yViolations(page, info, "addendum-reference");

  // Corrected later, in a dialog.
  await version.getByRole("button", { name: "Change the reference" }).click();
  const edit = page.getByRole("dialog", { name: "Donor's approval reference" });
  await edit.getByRole("textbox", { name: "Donor's approval reference" }).fill("Addendum No 1 (signed 2026-03-01)");
  await edit.getByRole("button", { name: "Save the reference" }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText("Addendum No 1 (signed 2026-03-01)");

  // On a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(version.getByText("Addendum No 1 (signed 2026-03-01)")).toBeVisible();
  // The addenda are listed with their reference and date, readable without scrolling the table.
  const approvals = page.locator("section[aria-labelledby='approvals-title']");
  await expect(approvals).toBeInViewport({ ratio: 0.5 });
  await expect(approvals.getByRole("listitem")).toHaveCount(1);
  await expect(approvals.getByRole("listitem")).toContainText(/Addendum 1 \(no-cost extension\) · Addendum No 1 \(signed 2026-03-01\) · adopted \d/);
  await shot(page, "addendum-reference-phone");
  await page.goto(`/${grant}`);
  await expect(page.getByText(/^6\.5\s?%$/)).toBeVisible();
  await expect(page.locator("section[aria-labelledby='budget-title']").getByRole("link", { name: "Open the budget" })).toBeVisible();
  await shot(page, "indirect-rate-grant-phone");

  // In French.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId("language-switch").selectOption("fr");
  await expect(page.getByText("Coûts indirects (forfait)")).toBeVisible();
  await expect(page.getByText("des coûts directs éligibles encourus")).toBeVisible();
  await shot(page, "indirect-rate-grant-fr");
  await page.getByRole("button", { name: "Modifier", exact: true }).click();
  await expect(page.getByRole("textbox", { name: "Coûts indirects (taux forfaitaire, % des coûts directs éligibles)" })).toHaveValue("6,5");
  await shot(page, "indirect-rate-form-fr");
  await page.goto(`/${grant}/budget`);
  await page.getByRole("tab", { name: "Versions du budget" }).click();
  await expect(page.getByRole("columnheader", { name: "Référence d'approbation" })).toBeVisible();
  await shot(page, "addendum-reference-fr");
  await page.getByTestId("language-switch").selectOption("en");
});
