// Browser tests: the real Pactum binary (PACTUM_BIN, built by `make e2e`) on
// a temporary SQLite database with the demo data, driven in Debian's
// Chromium (playwright cannot download browsers here).
import { defineConfig } from "@playwright/test";

const port = Number(process.env.PACTUM_E2E_PORT ?? 18931);
const bin = process.env.PACTUM_BIN ?? "../bin/pactum-e2e";

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `sh -c 'd=$(mktemp -d) && exec "${bin}" --db "$d/pactum.db" --log-level warn serve --demo --files "$d/files" --tmp "$d/tmp" --addr 127.0.0.1:${port} --public-url http://127.0.0.1:${port}'`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
