// The requests of a partner's first visit on a poor connection, as a
// waterfall: when each started, when its answer began and when it ended
// (seconds from the first request), and its bytes on the wire (compressed
// body and headers). Same conditions as first-load.mjs (400 kbit/s, 400 ms
// round trips, cache empty): the sign-in page, the home page after signing
// in, and the home page opened directly by a signed-in partner, for which it
// also says when the page's scripts had run, when the app first drew, and
// when the partner's project showed.
//
//   node tests/perf/waterfall.mjs http://127.0.0.1:8080   (a running server: make run)
import { chromium } from "playwright-core";

const url = process.argv[2];
if (!url) throw new Error("usage: node tests/perf/waterfall.mjs http://127.0.0.1:8080");
const partner = { email: "partner.kenya@demo.pactum.example", password: "demo-partner-pass" };
const kbit = 400;
const rttMs = 400;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
});

async function throttled(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: rttMs, downloadThroughput: (kbit * 1000) / 8, uploadThroughput: (kbit * 1000) / 8,
  });
  const requests = new Map();
  cdp.on("Network.requestWillBeSent", (e) => requests.set(e.requestId, { url: e.request.url.replace(url, ""), start: e.timestamp }));
  cdp.on("Network.responseReceived", (e) => {
    const r = requests.get(e.requestId);
    if (r) r.response = e.timestamp;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  });
  return requests;
}

function print(title, ms, requests) {
  console.log(`--- ${title}: ${(ms / 1000).toFixed(2)} s`);
  const all = [...requests.values()].sort((a, b) => a.start - b.start);
  const t0 = all[0]?.start ?? 0;
  const at = (t) => (t === undefined ? "-" : (t - t0).toFixed(2)).padStart(6);
  for (const r of all) console.log(`${at(r.start)} ${at(r.response)} ${at(r.end)} ${String(r.bytes ?? "").padStart(7)}  ${r.url.slice(0, 100)}`);
  console.log(`${all.reduce((s, r) => s + (r.bytes ?? 0), 0)} bytes`);
  requests.clear();
}

try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const requests = await throttled(context, page);
  let t0 = Date.now();
  await page.goto(url + "/sign-in");
  await page.getByRole("button", { name: /sign in/i }).waitFor({ state: "visible", timeout: 120_000 });
  print("sign-in usable", Date.now() - t0, requests);

  await page.getByLabel(/e-?mail/i).fill(partner.email);
  await page.getByLabel(/password/i).first().fill(partner.password);
  t0 = Date.now();
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.getByText("KE-01").first().waitFor({ state: "visible", timeout: 120_000 });
  const homeMs = Date.now() - t0;
  await page.waitForLoadState("networkidle");
  print("partner home usable after signing in", homeMs, requests);

  const cold = await browser.newContext({ viewport: { width: 360, height: 740 }, storageState: await context.storageState() });
  const page2 = await cold.newPage();
  const requests2 = await throttled(cold, page2);
  await page2.addInitScript(() => {
    const t = (window.__marks = {});
    document.addEventListener("DOMContentLoaded", () => (t.scriptsRun = performance.now()));
    new MutationObserver(() => {
      t.drawn ??= document.getElementById("root")?.childElementCount ? performance.now() : undefined;
      t.project ??= document.body?.innerText.includes("KE-01") ? performance.now() : undefined;
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  t0 = Date.now();
  await page2.goto(url + "/");
  await page2.getByText("KE-01").first().waitFor({ state: "visible", timeout: 120_000 });
  print("partner home opened directly (signed in, empty cache) usable", Date.now() - t0, requests2);
  const marks = await page2.evaluate(() => window.__marks);
  console.log(Object.entries(marks).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(", "), "(from navigation start)");
} finally {
  await browser.close();
}
