// The forecast for the next period in the browser: finance opens it from
// the first demo grant's financial report (the period under way, which
// goes with the next request for further pre-financing), enters figures on
// some lines and leaves the others to their suggestions, sees the subtotals
// and the total follow, saves; someone else's save meanwhile is reported and
// Reload keeps what was typed. Checked with axe, on a phone and in French.
// An auditor reads it without inputs; a partner is refused. Needs the demo
// data's budgets and expenditures (seeded by `serve --demo`).
import type { Page } from "@playwright/test";
import { apiHeaders, expect, noSeriousA11yViolations, shot, signIn, test, users } from "./helpers";

const finance = { email: "finance@demo.pactum.example", password: "demo-finance-pass" };
const auditor = { email: "auditor@demo.pactum.example", password: "demo-auditor-pass" };
const grantTitle = "Decent Work for Domestic and Migrant Workers";

interface ForecastLine {
  lineKey: string;
  code: string;
  description: string;
  suggested: string;
  amount?: string;
}
interface Forecast {
  name: string;
  etag: string;
  lines: ForecastLine[];
  totals: { total: string; suggested: string };
}

async function rpc<T>(page: Page, method: string, body: unknown): Promise<T> {
  const r = await page.request.post(`/pactum.v1.${method}`, { data: body, headers: apiHeaders });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return (await r.json()) as T;
}

const eur = (amount: string) => new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" }).format(Number(amount));

async function openForecast(page: Page): Promise<string> {
  await page.goto("/grants");
  await page.getByRole("row", { name: new RegExp(grantTitle) }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: grantTitle })).toBeVisible();
  await page.getByRole("link", { name: "Financial report" }).click();
  await page.getByRole("link", { name: "Forecast for the next period" }).click();
  await expect(page).toHaveURL(/\/grants\/[^/]+\/forecast\/\d+$/);
  await expect(page.getByRole("heading", { name: "Forecast for the next period" })).toBeVisible();
  const path = new URL(page.url()).pathname.split("/");
  return `grants/${path[2]}/forecasts/${path[4]}`;
}

test("finance enters the forecast for the next period", async ({ page }, info) => {
  await signIn(page, finance);
  const name = await openForecast(page);
  const start = (await rpc<{ forecast: Forecast }>(page, "ForecastService/GetForecast", { name })).forecast;
  expect(start.lines.length).toBeGreaterThan(2);
  const [first, second] = start.lines;
  const total = page.getByTestId("forecast-total");
  await expect(total).toHaveText(eur(start.totals.total));
  await expect(page.getByRole("combobox", { name: "Period forecast" })).toHaveValue(/^Period \d+: /);
  await noSeriousA11yViolations(page, info, "forecast");

  // Two lines entered; the rest keep their suggestions.
  const input = (l: ForecastLine) => page.getByRole("textbox", { name: `Forecast for ${l.code} ${l.description}` });
  await input(first).fill("1234.56");
  await input(second).fill("0");
  const expected = (BigInt(Math.round(Number(start.totals.total) * 100)) - BigInt(Math.round(Number(first.suggested) * 100)) - BigInt(Math.round(Number(second.suggested) * 100)) + 123456n).toString();
  const expectedTotal = `${expected.slice(0, -2)}.${expected.slice(-2)}`;
  await expect(total).toHaveText(eur(expectedTotal));
  await page.getByRole("button", { name: "Save the forecast" }).click();
  await expect(page.getByText("Forecast saved")).toBeVisible();
  await expect(page.getByText(/^Last saved /)).toBeVisible();
  const saved = (await rpc<{ forecast: Forecast }>(page, "ForecastService/GetForecast", { name })).forecast;
  expect(saved.lines[0].amount).toBe("1234.56");
  expect(saved.lines[1].amount).toBe("0.00");
  expect(saved.lines[2].amount ?? "").toBe("");
  expect(saved.totals.total).toBe(expectedTotal);
  await shot(page, "forecast");

  // Someone else saves meanwhile: the save is refused, Reload keeps what
  // was typed, and the next save goes through.
  await rpc(page, "ForecastService/UpdateForecast", {
    forecast: { name, etag: saved.etag, lines: [{ lineKey: first.lineKey, amount: "1234.56" }, { lineKey: second.lineKey, amount: "99.00" }] },
  });
  await input(first).fill("2000");
  await page.getByRole("button", { name: "Save the forecast" }).click();
  await expect(page.getByText("Someone else changed this record while you were editing it.")).toBeVisible();
  await page.getByRole("button", { name: "Reload" }).click();
  await expect(input(first)).toHaveValue("2,000");
  await expect(input(second)).toHaveValue("99.00");
  await page.getByRole("button", { name: "Save the forecast" }).click();
  // The first save's toast may still be showing: wait for the record itself.
  await expect
    .poll(async () => {
      const after = (await rpc<{ forecast: Forecast }>(page, "ForecastService/GetForecast", { name })).forecast;
      return [after.lines[0].amount, after.lines[1].amount];
    })
    .toEqual(["2000.00", "99.00"]);
  await expect(page.getByText("Forecast saved").first()).toBeVisible();

  // "Use the suggestions" fills every line with its suggestion.
  await page.getByRole("button", { name: "Use the suggestions" }).click();
  await expect(total).toHaveText(eur(start.totals.suggested));
  await page.getByRole("button", { name: "Discard my changes" }).click();

  // A phone, 360 pixels wide: a card per line, nothing wider than the screen.
  await page.setViewportSize({ width: 360, height: 780 });
  await page.reload();
  await expect(input(first)).toBeVisible();
  await expect(page.getByRole("group", { name: /^1 / })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await noSeriousA11yViolations(page, info, "forecast-phone");
  await shot(page, "forecast-phone");

  // In French.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId("language-switch").selectOption("fr");
  await expect(page.getByRole("heading", { name: "Prévisions pour la période suivante" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Dépensé à ce jour" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Enregistrer les prévisions" })).toBeVisible();
  await shot(page, "forecast-french");
  await page.getByTestId("language-switch").selectOption("en");
  await expect(page.getByRole("heading", { name: "Forecast for the next period" })).toBeVisible();
});

test("an auditor reads the forecast without inputs; a partner is refused", async ({ page }) => {
  await signIn(page, auditor);
  const name = await openForecast(page);
  await expect(page.getByRole("columnheader", { name: "Suggested" })).toBeVisible();
  await expect(page.getByText("You can read this forecast; the grant's finance staff and coordinators enter it.")).toBeVisible();
  await expect(page.getByRole("textbox", { name: /^Forecast for / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save the forecast" })).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, users.partner);
  await page.goto(`/${name.replace("/forecasts/", "/forecast/")}`);
  await expect(page.getByText("Your role does not allow this. Ask a coordinator.")).toBeVisible();
});
