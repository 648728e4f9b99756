// Issue 17, the reporting loop as partners and coordinators meet it: the
// partner uses the value the activity log suggests for an indicator that
// counts people; a coordinator reviewing the update sees it read-only, with
// Return and Approve, never the partner's form (nor after returning it);
// the partner's home, on a phone, shows the returned update first, with
// the coordinator's comment and "Correct it".
import type { Browser, Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const returnComment = "Please explain why the peer educators' training had fewer men than planned, and attach the attendance lists.";

async function as(browser: Browser, who: { email: string; password: string }, mobile = false): Promise<Page> {
  const ctx = await browser.newContext(mobile ? phone : {});
  const page = await ctx.newPage();
  await signIn(page, who);
  return page;
}

async function call<T>(page: Page, method: string, body: unknown): Promise<T> {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.status(), `${method}: ${await r.text()}`).toBe(200);
  return (await r.json()) as T;
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function days(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}

test.describe.serial("progress updates: suggestion, review mode, partner's home", () => {
  let milestone = "";
  let update = "";
  const title = `Progress update KE-01, review ${Date.now() % 100000}`;

  test("the partner uses the value suggested from the activity log", async ({ browser }, info) => {
    test.setTimeout(120_000);
    // The coordinator sets a progress update milestone of KE-01 whose period
    // covers the activities logged in the last 100 days.
    const coord = await as(browser, users.coordinator);
    const { projects } = await call<{ projects: { name: string; code: string; grant: string }[] }>(coord, "ProjectService/ListProjects", { pageSize: 1000 });
    const ke = projects.find((p) => p.code === "KE-01")!;
    const { milestones } = await call<{ milestones: { responsibleOrganisation: string; kind: string }[] }>(coord, "MilestoneService/ListMilestones", {
      project: ke.name,
      pageSize: 100,
    });
    const org = milestones.find((m) => m.kind === "MILESTONE_KIND_PARTNER_PROGRESS_UPDATE")!.responsibleOrganisation;
    const made = await call<{ milestone: { name: string } }>(coord, "MilestoneService/CreateMilestone", {
      milestone: {
        grant: ke.grant, project: ke.name, kind: "MILESTONE_KIND_PARTNER_PROGRESS_UPDATE", title,
        periodStartDate: days(-100), periodEndDate: days(-1), dueDate: days(20), responsibleOrganisation: org,
      },
    });
    milestone = made.milestone.name;
    await coord.context().close();

    const page = await as(browser, users.partner, true);
    await page.goto("/progress");
    const card = page.locator(`[data-testid="progress-card"][data-milestone="${milestone}"]`);
    await card.getByRole("button", { name: /^start/i }).click();
    await expect(page).toHaveURL(/\/progress\/[^/]+$/);
    update = `progressUpdates/${page.url().slice(page.url().lastIndexOf("/") + 1)}`;
    // One period numbering: the grant's reporting period with its months.
    await expect(page.getByTestId("update-period")).toContainText(/Reporting period \d+ · [A-Z][a-z]{2}/);

    // IND-1 (people trained) is linked to the two trainings of the period:
    // 28 and 22 participants in the demo.
    const ind = page.getByTestId("indicator").filter({ hasText: "IND-1" });
    const suggestion = ind.getByTestId("suggestion");
    await expect(suggestion).toContainText(/Suggested from the activity log: 50 \(\d+ women, \d+ men/);
    await expect(suggestion).toContainText(/from 2 activities of the period linked to this indicator/);
    const text = (await suggestion.textContent()) ?? "";
    const women = text.match(/(\d+) women/)![1];
    const men = text.match(/(\d+) men/)![1];
    await shot(page, "progress-suggestion-phone");
    await ind.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/screenshots/progress-suggestion-phone-indicator.png" });
    await suggestion.getByRole("button", { name: /use the suggested value 50/i }).click();
    await expect(ind.locator("[data-indicator-value]")).toHaveValue("50");
    await expect(ind.getByLabel("women", { exact: true })).toHaveValue(women);
    await expect(ind.getByLabel("men", { exact: true })).toHaveValue(men);
    await expect(ind.getByTestId("disaggregation-sum").first()).not.toContainText(/do not|don't|but/i);
    await expect(suggestion).toContainText(/in use/i);
    // The partner corrects it: one participant came twice.
    await ind.locator("[data-indicator-value]").fill("49");
    await ind.getByLabel("men", { exact: true }).fill(String(Number(men) - 1));
    const older = ind.getByLabel("45+", { exact: true });
    await older.fill(String(Number(await older.inputValue()) - 1));
    await page.getByLabel("Achievements").fill("Two trainings of domestic workers in Nairobi; 49 different people attended.");
    await expect(page.getByTestId("save-status")).toHaveText(/Saved at/, { timeout: 15_000 });
    await noSeriousA11yViolations(page, info, "progress editor with a suggestion");
    await page.getByTestId("submit").click();
    await expect(page.locator('[data-state="SUBMITTED"]').first()).toBeVisible();

    // The server kept the corrected values.
    const got = await call<{ progressUpdate: { indicatorValues: { value: string }[] } }>(page, "ProgressUpdateService/GetProgressUpdate", { name: update });
    expect(got.progressUpdate.indicatorValues.map((v) => v.value)).toContain("49");
    await page.context().close();
  });

  test("a coordinator reviewing sees no editable field, before and after returning", async ({ browser }, info) => {
    test.setTimeout(120_000);
    expect(update).not.toBe("");
    const coord = await as(browser, users.coordinator);
    await coord.goto("/");
    // The dashboard lists it awaiting review, and leads to it.
    const item = coord.getByTestId("review-item").filter({ hasText: title });
    await expect(item).toBeVisible();
    // Oldest submission first; late partners and donor-rule findings beside.
    await expect(coord.getByTestId("findings-row").first()).toBeVisible();
    await expect(coord.getByTestId("findings-row").first()).not.toContainText("…");
    await shot(coord, "coordinator-home-work");
    await noSeriousA11yViolations(coord, info, "coordinator home");
    await item.getByRole("link", { name: /review/i }).click();
    await expect(coord).toHaveURL(new RegExp(`/progress/${update.split("/")[1]}$`));

    const content = coord.getByTestId("update-content");
    const noEditableField = async () => {
      await expect(content.getByText("Two trainings of domestic workers in Nairobi; 49 different people attended.")).toBeVisible();
      await expect(content.getByRole("textbox")).toHaveCount(0);
      await expect(content.getByRole("spinbutton")).toHaveCount(0);
      await expect(content.locator("textarea, input:not([type=hidden]), select, [contenteditable=true]")).toHaveCount(0);
      await expect(coord.getByRole("button", { name: /resubmit|^submit/i })).toHaveCount(0);
      await expect(content.getByTestId("suggestion")).toHaveCount(0);
    };
    await noEditableField();
    await expect(coord.getByRole("button", { name: /return with comments/i })).toBeVisible();
    await expect(coord.getByRole("button", { name: /^approve$/i })).toBeVisible();
    await expect(coord.locator("#comments-title")).toBeVisible();
    await shot(coord, "progress-review-mode");
    await noSeriousA11yViolations(coord, info, "progress update in review mode");

    await coord.getByRole("button", { name: /return with comments/i }).click();
    const dialog = coord.getByRole("dialog");
    await dialog.getByLabel(/what should be corrected/i).fill(returnComment);
    await dialog.getByRole("button", { name: /return the update/i }).click();
    await expect(dialog).toBeHidden();
    await expect(coord.locator('[data-state="RETURNED"]').first()).toBeVisible();
    // Returned: still the reviewer's read-only view, never the partner's form.
    await expect(coord.getByTestId("review-mode")).toBeVisible();
    await noEditableField();
    await coord.reload();
    await expect(coord.getByTestId("review-mode")).toBeVisible();
    await noEditableField();
    await expect(coord.getByRole("button", { name: /return with comments/i })).toHaveCount(0);
    await shot(coord, "progress-returned-reviewer");
    await coord.context().close();
  });

  test("the partner's home shows the returned update first, on a phone", async ({ browser }, info) => {
    test.setTimeout(120_000);
    expect(update).not.toBe("");
    const page = await as(browser, users.partner, true);
    await page.goto("/");
    const items = page.getByTestId("partner-work");
    await expect(items.first()).toBeVisible();
    await expect(items.first()).toHaveAttribute("data-kind", "returned");
    // The demo has a returned update of its own: ours is among the
    // returned ones, which all come first.
    const first = items.filter({ hasText: title });
    await expect(first).toHaveCount(1);
    await expect(first).toHaveAttribute("data-kind", "returned");
    await expect(first.getByTestId("return-comment")).toContainText("Please explain why the peer educators' training had fewer men than planned");
    // Then those due, then drafts: never a returned one after another kind.
    const kinds = await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
    const rank = { returned: 0, due: 1, draft: 2 } as Record<string, number>;
    expect(kinds.map((k) => rank[k ?? ""])).toEqual([...kinds.map((k) => rank[k ?? ""])].sort((a, b) => a - b));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "horizontal scroll on a phone").toBeLessThanOrEqual(0);
    await shot(page, "partner-home-returned-first-phone");
    await noSeriousA11yViolations(page, info, "partner home with a returned update");

    // "Correct it" opens the partner's form, with the comment on top.
    await first.getByRole("link", { name: /correct it/i }).click();
    await expect(page).toHaveURL(new RegExp(`/progress/${update.split("/")[1]}$`));
    await expect(page.getByTestId("returned-banner")).toContainText(returnComment);
    await expect(page.getByLabel("Achievements")).toBeEditable();
    await expect(page.getByTestId("submit")).toHaveText(/resubmit/i);
    await page.context().close();
  });
});
