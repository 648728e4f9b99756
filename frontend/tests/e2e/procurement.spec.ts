// Procurement contracts and the reporting language in the browser: the
// coordinator records two contracts of the second demo grant, sees the one
// above EUR 60,000 marked for the final report, corrects the other (the
// server refuses an amount of 0, naming the field), deletes one; finance
// staff read them without changing them; a partner is told they are not for
// them. The coordinator then makes the grant report in French. On a phone
// and in French too. Needs the demo data (`serve --demo`).
import { expect, noSeriousA11yViolations, pickDay, shot, signIn, test, users } from "./helpers";

const finance = { email: "finance@demo.pactum.example", password: "demo-finance-pass" };
const grantTitle = "Organising in the Informal Economy";

test("the coordinator records procurement contracts; those above EUR 60,000 are marked for the final report", async ({ page, browser }, info) => {
  await signIn(page, users.coordinator);
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(grantTitle) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  await page.getByRole("link", { name: "Procurement contracts" }).click();
  await expect(page).toHaveURL(/\/grants\/[^/]+\/procurement$/);
  const url = page.url();
  await expect(page.getByRole("heading", { name: "Procurement contracts", level: 2 })).toBeVisible();
  await expect(page.getByText("No procurement contract recorded yet.")).toBeVisible();

  const record = async (title: string, contractor: string, procedure: string, amount: string) => {
    await page.getByRole("button", { name: "Record a contract" }).click();
    const form = page.getByRole("dialog", { name: "Record a contract" });
    await form.getByRole("textbox", { name: /What was bought/ }).fill(title);
    await form.getByRole("textbox", { name: /Contractor/ }).fill(contractor);
    await form.getByRole("textbox", { name: /Contract reference/ }).fill(`GADW/SUP-${amount}`);
    await form.getByRole("combobox", { name: /Award procedure/ }).click();
    await page.getByRole("option", { name: procedure }).click();
    await pickDay(page, "Award date", 0, "first");
    await form.getByRole("textbox", { name: /Amount/ }).fill(amount);
    return form;
  };

  // One above EUR 60,000, awarded by the lead (chosen by default).
  let form = await record("Printing of 2,000 training manuals", "Nairobi Printers Ltd", "Local open tender", "75000");
  await expect(form.getByRole("combobox", { name: /Awarded by/ })).toHaveValue(/Global Alliance/);
  await shot(page, "procurement-form");
  await noSeriousA11yViolations(page, info, "procurement-form");
  await form.getByRole("button", { name: "Save the contract" }).click();
  await expect(form).toHaveCount(0);
  const big = page.getByRole("article", { name: "Printing of 2,000 training manuals" });
  await expect(big.getByText("Above EUR 60,000: goes into the final report")).toBeVisible();
  await expect(big.getByText(/€75,000\.00/)).toBeVisible();
  await expect(big.getByText("Nairobi Printers Ltd · Local open tender")).toBeVisible();

  // One of 0: the server refuses it, next to the field.
  form = await record("Vehicle hire for field visits", "Safari Cars", "Competitive negotiated procedure", "0");
  await form.getByRole("button", { name: "Save the contract" }).click();
  await expect(form.getByText(/must be more than 0 EUR/)).toBeVisible();
  await form.getByRole("textbox", { name: /Amount/ }).fill("12000");
  await form.getByRole("button", { name: "Save the contract" }).click();
  await expect(form).toHaveCount(0);
  const small = page.getByRole("article", { name: "Vehicle hire for field visits" });
  await expect(small.getByText(/€12,000\.00/)).toBeVisible();
  await expect(small.getByText("Above EUR 60,000: goes into the final report")).toHaveCount(0);
  await expect(page.getByTestId("procurement-summary")).toHaveText("2 contracts, 1 above EUR 60,000 (in the final report).");
  await shot(page, "procurement-list");
  await noSeriousA11yViolations(page, info, "procurement-list");

  // Corrected to 65,000: now marked too.
  await small.getByRole("button", { name: "Edit Vehicle hire for field visits" }).click();
  form = page.getByRole("dialog", { name: "Change the contract" });
  await form.getByRole("textbox", { name: /Amount/ }).fill("65000");
  await form.getByRole("button", { name: "Save the contract" }).click();
  await expect(form).toHaveCount(0);
  await expect(small.getByText("Above EUR 60,000: goes into the final report")).toBeVisible();
  await expect(page.getByTestId("procurement-summary")).toHaveText("2 contracts, 2 above EUR 60,000 (in the final report).");

  // Deleted.
  await small.getByRole("button", { name: "Delete Vehicle hire for field visits" }).click();
  await page.getByRole("dialog", { name: "Delete the contract?" }).getByRole("button", { name: "Delete" }).click();
  await expect(small).toHaveCount(0);
  await expect(page.getByTestId("procurement-summary")).toHaveText("1 contract, 1 above EUR 60,000 (in the final report).");

  // On a phone, and in French.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.evaluate(() => localStorage.setItem("pactum.language", "fr"));
  await page.reload();
  await expect(page.getByRole("heading", { name: "Contrats de marché", level: 2 })).toBeVisible();
  await expect(big.getByText("Plus de 60 000 EUR : figure dans le rapport final")).toBeVisible();
  await expect(big.getByText("Nairobi Printers Ltd · Appel d'offres local ouvert")).toBeVisible();
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, "no horizontal scroll").toBeLessThanOrEqual(client);
  await shot(page, "procurement-list-phone-fr");
  await noSeriousA11yViolations(page, info, "procurement-list-fr");
  await page.evaluate(() => localStorage.setItem("pactum.language", "en"));

  // Finance staff read them, without the means to change them.
  const fctx = await browser.newContext({ baseURL: new URL(url).origin });
  const fpage = await fctx.newPage();
  await signIn(fpage, finance);
  await fpage.goto(url);
  await expect(fpage.getByRole("article", { name: "Printing of 2,000 training manuals" })).toBeVisible();
  await expect(fpage.getByRole("button", { name: "Record a contract" })).toHaveCount(0);
  await expect(fpage.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await fctx.close();

  // A partner is told the contracts are not for them.
  const pctx = await browser.newContext({ baseURL: new URL(url).origin });
  const ppage = await pctx.newPage();
  await signIn(ppage, users.partner);
  await ppage.goto(url.replace(/\/procurement$/, ""));
  await expect(ppage.getByRole("link", { name: "Procurement contracts" })).toHaveCount(0);
  await ppage.goto(url);
  await expect(ppage.getByRole("alert")).toBeVisible();
  await expect(ppage.getByText("Printing of 2,000 training manuals")).toHaveCount(0);
  await pctx.close();
});

test("the coordinator chooses the grant's reporting language", async ({ page }, info) => {
  await signIn(page, users.coordinator);
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(grantTitle) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  // The demo's second grant reports in French.
  const language = page.getByText("Reporting language").locator("..");
  await expect(language).toContainText("French");
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByRole("combobox", { name: "Reporting language" }).click();
  const choices = page.getByRole("listbox", { name: "Reporting language" }).getByRole("option");
  await expect(choices).toHaveText(["English", "French", "Spanish", "Portuguese"]);
  await choices.filter({ hasText: "Portuguese" }).click();
  await shot(page, "grant-reporting-language-form");
  await noSeriousA11yViolations(page, info, "grant-reporting-language-form");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(language).toContainText("Portuguese");
  // In Spanish, the language's name in Spanish.
  await page.evaluate(() => localStorage.setItem("pactum.language", "es"));
  await page.reload();
  await expect(page.getByText("Idioma de los informes").locator("..")).toContainText("Portugués");
  await shot(page, "grant-reporting-language-es");
  // Back to French, as the demo has it, for the other tests.
  await page.evaluate(() => localStorage.setItem("pactum.language", "en"));
  await page.reload();
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByRole("combobox", { name: "Reporting language" }).click();
  await page.getByRole("listbox", { name: "Reporting language" }).getByRole("option").filter({ hasText: "French" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(language).toContainText("French");
});
