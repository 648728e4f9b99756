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
