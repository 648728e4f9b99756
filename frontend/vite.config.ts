import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { bootScript } from "./vite-plugins.ts";
import { firstScreens, type FirstScreen } from "./src/firstScreens.ts";

// screenModules matches the page modules of a first screen.
const screenModules = (s: FirstScreen) => (id: string) => firstScreens[s].modules.some((m) => id.replaceAll("\\", "/").endsWith("/" + m));

// The built app goes to dist/, which the Go binary embeds (frontend/embed.go).
// `npm run dev` proxies API calls to a Pactum server on :8080.
export default defineConfig({
  plugins: [
    react(),
    // Preloads the first screens (src/boot.ts, src/firstScreens.ts); checks
    // that the Mantine styles the app loads cover its components.
    bootScript(firstScreens, { first: "src/styles/first.css", more: "src/styles/more.css" }),
  ],
  build: {
    outDir: "dist",
    // Every browser Pactum supports knows <link rel="modulepreload">.
    modulePreload: { polyfill: false },
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Fewer, larger chunks for the first screens: on a 400 ms round trip
        // each extra request costs more than its bytes (and compresses less
        // well). The runtime every screen needs is one chunk, what else the
        // app's entry needs is another, and each of the two first screens a
        // partner sees is one more, with all it needs (the home page shares
        // the sign-in page's). The other screens load what they share with
        // those from these chunks.
        codeSplitting: {
          groups: [
            {
              name: "runtime",
              test: /node_modules[\\/](react|react-dom|scheduler|@tanstack|@connectrpc|@bufbuild|i18next|react-i18next|i18next-resources-to-backend|wouter|use-sync-external-store|regexparam|mitt)[\\/]/,
              priority: 20,
            },
            { name: "app", tags: ["$initial"], priority: 10 },
            { name: "sign-in", test: screenModules("signIn"), priority: 6 },
            { name: "home", test: screenModules("partnerHome"), priority: 5 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      "^/pactum\\.v1\\..*": "http://localhost:8080",
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
  },
} as never);
