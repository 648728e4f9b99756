import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The built app goes to dist/, which the Go binary embeds (frontend/embed.go).
// `npm run dev` proxies API calls to a Pactum server on :8080.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Fewer, larger chunks for the first screens: on a 400 ms round trip
        // each extra request costs more than its bytes. The runtime every
        // screen needs is one chunk.
        codeSplitting: {
          groups: [
            {
              name: "runtime",
              test: /node_modules[\\/](react|react-dom|scheduler|@tanstack|@connectrpc|@bufbuild|i18next|react-i18next|i18next-resources-to-backend|wouter|use-sync-external-store|regexparam|mitt)[\\/]/,
              priority: 20,
            },
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
