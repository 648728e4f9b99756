import { apiHeaders, expect, shot, signIn, test, users } from "./helpers";

test("the language switch translates the interface and is remembered", async ({ page }) => {
  await signIn(page, users.coordinator);
  const nav = page.getByRole("navigation");
  await expect(nav.getByRole("link", { name: "Organisations" })).toBeVisible();

  const cases = [
    { code: "fr", dashboard: "Tableau de bord", grants: "Subventions" },
    { code: "es", dashboard: "Panel", grants: "Subvenciones" },
    { code: "pt", dashboard: "Painel", grants: "Subvenções" },
  ];
  for (const c of cases) {
    await page.getByTestId("language-switch").selectOption(c.code);
    await expect(nav.getByRole("link", { name: c.dashboard })).toBeVisible();
    await expect(nav.getByRole("link", { name: c.grants })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", c.code);
  }
  // Remembered across a reload, and on the account for the emails.
  await expect
    .poll(async () => {
      const res = await page.request.post("/pactum.v1.NotificationService/GetNotificationSettings", { data: {}, headers: apiHeaders });
      return ((await res.json()) as { settings?: { language?: string } }).settings?.language;
    })
    .toBe("pt");
  await page.reload();
  await expect(nav.getByRole("link", { name: "Painel" })).toBeVisible();
  await page.goto("/grants");
  await expect(page.getByText("Decent Work for Domestic and Migrant Workers")).toBeVisible();
  // Money and dates formatted for Portuguese (Brazil): "€ 1.327.187,34" (the demo budget total at 90%).
  await expect(page.getByText(/1\.327\.187,34/)).toBeVisible();
  await shot(page, "grants-portuguese");
  await page.getByTestId("language-switch").selectOption("en");
  await expect(nav.getByRole("link", { name: "Dashboard" })).toBeVisible();
});
