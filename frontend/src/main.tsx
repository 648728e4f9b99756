import { StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { TransportProvider } from "@connectrpc/connect-query";
import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./index.css";
import "./lib/i18n";
import { queryClient, transport } from "./lib/api";
import { theme } from "./theme";
import { App } from "./App";
import { PageLoader } from "./components/PageLoader";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
      <TransportProvider transport={transport}>
        <QueryClientProvider client={queryClient}>
          <Suspense fallback={<PageLoader />}>
            <App />
          </Suspense>
        </QueryClientProvider>
      </TransportProvider>
    </MantineProvider>
  </StrictMode>,
);
