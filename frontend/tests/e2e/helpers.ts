import { expect, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const users = {
  coordinator: { email: "coordinator@demo.pactum.example", password: "demo-coordinator-pass" },
  partner: { email: "partner.kenya@demo.pactum.example", password: "demo-partner-pass" },
  viewer: { email: "viewer.nepal@demo.pactum.example", password: "demo-viewer-pass" },
};

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel(/e-?mail/i).fill(who.email);
  await page.getByLabel(/password/i).first().fill(who.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/sign-in/);
}

// shot saves a full-page screenshot under test-results/screenshots, the
// artifact reviewers look at.
export async function shot(page: Page, name: string) {
  const dir = join("test-results", "screenshots");
  mkdirSync(dir, { recursive: true });
  // From the top, so the fixed header stays at the top of a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

// noSeriousA11yViolations runs axe-core on the page and fails on serious or
// critical violations.
export async function noSeriousA11yViolations(page: Page, info: TestInfo, screen: string) {
  // Check the screen, not its loading state.
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 15_000 });
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await info.attach(`axe-${screen}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: "application/json" });
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`), `axe on ${screen}`).toEqual([]);
}
