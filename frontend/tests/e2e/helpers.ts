import { test as base, expect, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export { expect };

// test is Playwright's, failing any test during which a page broke the
// server's Content-Security-Policy: in every browser context the test opens
// (the page's own and those from browser.newContext), a listener reports
// each securitypolicyviolation event to the console, where Chromium also
// reports the violations it blocks; the test fails at its end if any
// console message mentions the policy. A test that provokes a violation on
// purpose takes it out of cspViolations.
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context, browser }, use) => {
      const violations: string[] = [];
      const watch = async (ctx: BrowserContext) => {
        ctx.on("console", (m) => {
          if (/content.security.policy/i.test(m.text())) violations.push(`${m.location().url}: ${m.text()}`);
        });
        await ctx.addInitScript(() => {
          document.addEventListener("securitypolicyviolation", (e) => {
            console.error(`Content-Security-Policy violation: ${e.effectiveDirective} refused ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
          });
        });
      };
      await watch(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const ctx = await newContext(...args);
        await watch(ctx);
        return ctx;
      };
      try {
        await use(violations);
      } finally {
        browser.newContext = newContext;
      }
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

// apiHeaders are the headers of the tests' own API calls with the session
// cookie (page.request): the server refuses a cookie without a sign that
// Pactum's own page sent it (a browser's fetch sends Origin; a script, this
// header). Scripts with an API token need neither.
export const apiHeaders = { "Content-Type": "application/json", "X-Requested-With": "pactum" };

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

// animationsDone waits until no animation with an end is running: a dialog
// or toast half faded in or out shows colours and places that a reader does
// not see. (Endless animations, such as a striped progress bar, are left
// running.)
export async function animationsDone(page: Page) {
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getComputedTiming().endTime === Infinity),
    undefined,
    { timeout: 15_000 },
  );
}

// shot saves a full-page screenshot under test-results/screenshots, the
// artifact reviewers look at, once what moves has settled.
export async function shot(page: Page, name: string) {
  const dir = join("test-results", "screenshots");
  mkdirSync(dir, { recursive: true });
  await animationsDone(page);
  // From the top, so the fixed header stays at the top of a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

// noSeriousA11yViolations runs axe-core on the page and fails on serious or
// critical violations.
export async function noSeriousA11yViolations(page: Page, info: TestInfo, screen: string) {
  // Check the screen, not its loading state.
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 15_000 });
  // Nor a toast half faded in or out: its colours are not yet, or no
  // longer, what a reader sees. A toast that closes by itself may start
  // fading while axe reads the page: let the passing ones go first (one that
  // stays is checked as it is).
  await page
    .locator(".mantine-Notification-root")
    .first()
    .waitFor({ state: "detached", timeout: 8_000 })
    .catch(() => undefined);
  await animationsDone(page);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await info.attach(`axe-${screen}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: "application/json" });
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`), `axe on ${screen}`).toEqual([]);
}

// pickDay opens the date picker labelled `label`, moves `months` months
// (backwards when negative) from the month it opens at, and picks the first
// or last day of that month. It waits for the previous picker to be gone
// before opening, and for this one to be open before moving: on a loaded
// machine a click landing while a picker still fades out is lost.
export async function pickDay(page: Page, label: string, months: number, which: "first" | "last") {
  const header = page.locator("button[data-direction='next']");
  await expect(header).toHaveCount(0);
  await page.getByRole("button", { name: label, exact: true }).click();
  await expect(header).toHaveCount(1);
  const dir = page.locator(`button[data-direction='${months < 0 ? "previous" : "next"}']`);
  for (let i = 0; i < Math.abs(months); i++) await dir.click();
  const days = page.locator('table button[class*="-day"]:not([data-outside]):not([disabled])');
  await (which === "first" ? days.first() : days.last()).click();
  await expect(header).toHaveCount(0);
}
