import { lazy, StrictMode, Suspense, useEffect, useMemo, useState, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { TransportProvider } from "@connectrpc/connect-query";
import "@mantine/core/styles.css";
import "./index.css";
import i18n from "./lib/i18n";
import { onToastsRequested } from "./lib/toast";
import { queryClient, transport } from "./lib/api";
import { cssVariablesResolver, themeFor } from "./theme";
import { App } from "./App";
import { PageLoader } from "./components/PageLoader";

// Toasts are not needed to show a screen: their container loads when the
// first one is shown (the store keeps it until then).
const Notifications = lazy(() =>
  Promise.all([import("@mantine/notifications"), import("@mantine/notifications/styles.css")]).then(([m]) => ({ default: m.Notifications })),
);

function Toasts() {
  const [wanted, setWanted] = useState(false);
  useEffect(() => onToastsRequested(() => setWanted(true)), []);
  if (!wanted) return null;
  return (
    <Suspense fallback={null}>
      <Notifications position="top-right" />
    </Suspense>
  );
}

// Theme follows the language (labels of built-in buttons).
function Themed({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState(i18n.language);
  useEffect(() => {
    const update = () => setLang(i18n.language + (i18n.hasLoadedNamespace("common") ? "" : "?"));
    i18n.on("languageChanged", update);
    i18n.on("loaded", update);
    return () => {
      i18n.off("languageChanged", update);
      i18n.off("loaded", update);
    };
  }, []);
  const theme = useMemo(() => themeFor(i18n.t("common:actions.clearValue"), i18n.t("common:actions.close"), i18n.t("common:loading")), [lang]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      {children}
    </MantineProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Themed>
      <Toasts />
      <TransportProvider transport={transport}>
        <QueryClientProvider client={queryClient}>
          <Suspense fallback={<PageLoader />}>
            <App />
          </Suspense>
        </QueryClientProvider>
      </TransportProvider>
    </Themed>
  </StrictMode>,
);
