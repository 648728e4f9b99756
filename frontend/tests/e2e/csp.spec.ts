// The browser protections of issue 12: the web app runs under its
// Content-Security-Policy (every test fails on a violation: helpers.ts),
// which does refuse what it should, and no other page may frame it.
import { expect, test } from "./helpers";

test("the web app runs under a strict Content-Security-Policy and cannot be framed", async ({ page, cspViolations }) => {
  const res = await page.goto("/sign-in");
  const h = res!.headers();
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'sha256-[^']+'(;|$)/);
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["referrer-policy"]).toBe("same-origin");
  // The inlined boot script ran (allowed by its hash): it started the session request.
  expect(await page.evaluate(() => typeof (window as unknown as { __pactumPrefetch?: object }).__pactumPrefetch)).toBe("object");
  await expect(page.getByRole("button", { name: /sign in/i })).toBeVisible();

  // An injected inline script is refused, and the check every test makes sees it.
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__injected = true";
    document.head.appendChild(s);
  });
  await expect.poll(() => cspViolations.join("\n")).toMatch(/script-src/);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  cspViolations.length = 0;

  // Another page framing Pactum gets nothing.
  const url = page.url();
  await page.goto("about:blank");
  await page.setContent(`<iframe src="${url}" title="framed"></iframe>`); // waits for the frame to load, or fail
  const framed = page.frames().find((f) => f !== page.mainFrame());
  // Chromium shows its error page in place of a frame the response forbids.
  expect(framed?.url()).toMatch(/^chrome-error:/);
  await expect(page.frameLocator("iframe").getByRole("button", { name: /sign in/i })).toHaveCount(0);
});
