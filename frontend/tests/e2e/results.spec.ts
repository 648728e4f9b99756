import type { Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

async function project(page: Page, code: string): Promise<{ id: string; grant: string }> {
  const res = await page.request.post("/pactum.v1.ProjectService/ListProjects", { data: { pageSize: 100 }, headers: apiHeaders });
  const p = ((await res.json()).projects as { name: string; code: string; grant: string }[]).find((x) => x.code === code)!;
  return { id: p.name.split("/")[1], grant: p.grant.split("/")[1] };
}

test("a coordinator adds an indicator to a project's results framework and reads the grant's roll-up", async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, users.coordinator);
  const ke = await project(page, "KE-01");

  // From the project page.
  await page.goto(`/projects/${ke.id}`);
  await page.getByRole("link", { name: "Results framework" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${ke.id}/results$`));
  await expect(page.getByRole("heading", { name: "Results framework", level: 2 })).toBeVisible();
  await expect(page.getByText("Overall objective").first()).toBeVisible();
  const ind1 = page.getByRole("article", { name: /^IND-1 / });
  await expect(ind1).toContainText("people");
  // KE-01's age groups of period 1 deliberately do not add up.
  await expect(ind1.getByText("Does not add up")).toBeVisible();
  await expect(ind1.getByTestId("mismatch")).toBeVisible();
  await shot(page, "project-results");
  await noSeriousA11yViolations(page, info, "project-results");

  // A new indicator with a target, under output OP1.2.
  await page.getByRole("button", { name: "Add an indicator to OP1.2" }).click();
  const dialog = page.getByRole("dialog", { name: "New indicator" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/^Code/).fill("IND-9");
  await dialog.getByLabel(/^Title/).fill("Complaints filed with the labour inspectorate");
  await dialog.getByLabel(/^Unit/).fill("complaints");
  await dialog.getByLabel("Target for period 1").fill("abc");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText("Write a number")).toBeVisible();
  await dialog.getByLabel("Target for period 1").fill("40");
  await dialog.getByLabel("Target for period 2").fill("60");
  await shot(page, "indicator-form");
  await noSeriousA11yViolations(page, info, "indicator-form");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toHaveCount(0);
  const ind9 = page.getByRole("article", { name: /^IND-9 / });
  await expect(ind9).toContainText("Complaints filed with the labour inspectorate");
  await expect(ind9.getByRole("row").nth(1).getByRole("cell").nth(1)).toHaveText("40");

  // The grant's roll-up: numbers summed, percentages not.
  await page.getByRole("link", { name: "Grant results" }).click();
  await expect(page).toHaveURL(new RegExp(`/grants/${ke.grant}/results$`));
  await expect(page.getByRole("heading", { name: "Results across the grant" })).toBeVisible();
  const trained = page.getByRole("article", { name: /^IND-1 / });
  // Targets of the three projects, periods 1 to 3: 480 + 570 + 660.
  await expect(trained.getByTestId("rollup-total-target")).toHaveText("1,710");
  await expect(trained.getByText("3 projects")).toBeVisible();
  await expect(trained.getByRole("progressbar").first()).toBeVisible();
  await expect(trained.getByTestId("rollup-mismatches")).toContainText("KE-01, period 1, age group");
  const share = page.getByRole("article", { name: /^IND-3 / });
  await expect(share.getByTestId("not-summed")).toHaveText("Not summed");
  await expect(share.getByRole("cell", { name: "KE-01" }).first()).toBeVisible();
  await expect(share).toContainText("%");
  await expect(share.getByTestId("rollup-total-target")).toHaveCount(0);
  await expect(page.getByRole("article", { name: /^IND-9 / }).getByTestId("rollup-total-target")).toHaveText("100");
  await shot(page, "grant-results");
  await noSeriousA11yViolations(page, info, "grant-results");

  // The grant page links here and to the progress updates.
  await page.goto(`/grants/${ke.grant}`);
  await expect(page.getByRole("link", { name: "Results across the grant" })).toBeVisible();
  await expect(page.locator("#main").getByRole("link", { name: "Progress updates" })).toHaveAttribute("href", `/grants/${ke.grant}/progress`);

  // In French, on a phone.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.evaluate(() => localStorage.setItem("pactum.language", "fr"));
  await page.goto(`/grants/${ke.grant}/results`);
  await expect(page.getByRole("heading", { name: "Résultats de la subvention" })).toBeVisible();
  await expect(page.getByTestId("not-summed").first()).toHaveText("Non additionné");
  await shot(page, "grant-results-fr-phone");
  await page.goto(`/projects/${ke.id}/results`);
  await expect(page.getByRole("heading", { name: "Cadre de résultats", level: 2 })).toBeVisible();
  await shot(page, "project-results-fr-phone");
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  await page.evaluate(() => localStorage.setItem("pactum.language", "en"));
});

test("a partner reads the results framework without edit buttons", async ({ page }) => {
  await signIn(page, users.partner);
  const ke = await project(page, "KE-01");
  await page.goto(`/projects/${ke.id}/results`);
  await expect(page.getByRole("article", { name: /^IND-1 / })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Add an indicator/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit" })).toHaveCount(0);
});
