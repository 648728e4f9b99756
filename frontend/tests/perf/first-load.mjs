// Measures a partner's first visit on a poor connection: the gzipped
// JavaScript transferred for the sign-in page plus the partner's home page,
// and the time until each is usable, under Chromium's network emulation at
// 400 kbit/s with 400 ms round trips, cache empty.
//
//   make measure-web            (builds the binary, starts it with demo data)
//   node tests/perf/first-load.mjs http://127.0.0.1:8080   (a running server)
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const partner = { email: "partner.kenya@demo.pactum.example", password: "demo-partner-pass" };
const kbit = 400;
const rttMs = 400;

async function startServer() {
  const port = 18990;
  const dir = mkdtempSync(join(tmpdir(), "pactum-perf-"));
  const bin = process.env.PACTUM_BIN ?? "../bin/pactum-e2e";
  const proc = spawn(bin, ["--db", join(dir, "p.db"), "--log-level", "warn", "serve", "--demo", "--files", join(dir, "files"), "--addr", `127.0.0.1:${port}`], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url + "/")).ok) return { url, stop: () => proc.kill() };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

const { url, stop } = process.argv[2] ? { url: process.argv[2], stop: () => {} } : await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
});
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: rttMs, downloadThroughput: (kbit * 1000) / 8, uploadThroughput: (kbit * 1000) / 8,
  });
  const types = new Map();
  const js = [];
  let phase = "sign-in";
  cdp.on("Network.responseReceived", (e) => types.set(e.requestId, { url: e.response.url, type: e.type }));
  cdp.on("Network.loadingFinished", (e) => {
    const r = types.get(e.requestId);
    if (r && (r.type === "Script" || r.url.endsWith(".js"))) js.push({ phase, url: r.url.replace(url, ""), bytes: e.encodedDataLength });
  });

  let t0 = Date.now();
  await page.goto(url + "/sign-in");
  await page.getByRole("button", { name: /sign in/i }).waitFor({ state: "visible", timeout: 120_000 });
  const signInMs = Date.now() - t0;

  await page.getByLabel(/e-?mail/i).fill(partner.email);
  await page.getByLabel(/password/i).first().fill(partner.password);
  phase = "home";
  t0 = Date.now();
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.getByText("KE-01").first().waitFor({ state: "visible", timeout: 120_000 });
  await page.waitForLoadState("networkidle");
  const homeMs = Date.now() - t0;

  // A returning partner, signed in, opening the home page with an empty cache.
  const cold = await browser.newContext({ viewport: { width: 360, height: 740 }, storageState: await context.storageState() });
  const page2 = await cold.newPage();
  const cdp2 = await cold.newCDPSession(page2);
  await cdp2.send("Network.enable");
  await cdp2.send("Network.emulateNetworkConditions", {
    offline: false, latency: rttMs, downloadThroughput: (kbit * 1000) / 8, uploadThroughput: (kbit * 1000) / 8,
  });
  t0 = Date.now();
  await page2.goto(url + "/");
  await page2.getByText("KE-01").first().waitFor({ state: "visible", timeout: 120_000 });
  const coldHomeMs = Date.now() - t0;

  const total = js.reduce((s, r) => s + r.bytes, 0);
  for (const r of js) console.log(`${r.phase.padEnd(8)} ${String(r.bytes).padStart(8)} B  ${r.url}`);
  console.log(`gzipped JavaScript transferred, sign-in + partner home: ${(total / 1024).toFixed(1)} KB (target <= 200 KB)`);
  console.log(`at ${kbit} kbit/s, ${rttMs} ms RTT: sign-in usable after ${(signInMs / 1000).toFixed(2)} s; ` +
    `partner home usable ${(homeMs / 1000).toFixed(2)} s after signing in; ` +
    `partner home opened directly (signed in, empty cache) usable after ${(coldHomeMs / 1000).toFixed(2)} s (target <= 6 s)`);
} finally {
  await browser.close();
  stop();
}
