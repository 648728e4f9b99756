import { lazy, StrictMode, Suspense, useEffect, useMemo, useState, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { TransportProvider } from "@connectrpc/connect-query";
import "./styles/first.css";
import "./index.css";
import i18n, { i18nReady } from "./lib/i18n";
import { onToastsRequested } from "./lib/toast";
import { queryClient, transport } from "./lib/api";
import { cssVariablesResolver, themeFor } from "./theme";
import { App } from "./App";
import { PageLoader } from "./components/PageLoader";
import { loadMoreStyles } from "./lib/lazyScreen";
import { dropPrefetched, firstScreen } from "./boot";
import type { FirstScreen } from "./firstScreens";
import { byFirstScreen } from "./App";

// Toasts are not needed to show a screen: their container loads when the
// first one is shown (the store keeps it until then).
const Notifications = lazy(() =>
  Promise.all([loadMoreStyles(), import("@mantine/notifications"), import("@mantine/notifications/styles.css")]).then(([, m]) => ({ default: m.Notifications })),
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

// Theme follows the language (labels of built-in buttons). The provider
// writes all of Mantine's CSS variables, not only those the theme changes:
// the app does not load Mantine's file of defaults (src/styles/first.css).
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
  // eslint-disable-next-line react-hooks/exhaustive-deps -- lang stands for i18next's words, read from outside React
  const theme = useMemo(() => themeFor(i18n.t("common:actions.clearValue"), i18n.t("common:actions.close"), i18n.t("common:loading")), [lang]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} deduplicateCssVariables={false}>
      {children}
    </MantineProvider>
  );
}

function render() {
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
}

// The first screen renders once its code and words are here (the boot
// script has preloaded them: this takes moments), so that it does not show
// a loading state first; not later than after a second and a half, though.
const firstScreenReady = Promise.all([
  i18nReady,
  firstScreen().then((name) => byFirstScreen[name as FirstScreen]?.preload()),
]);
const atMost = new Promise((resolve) => setTimeout(resolve, 1500));

void Promise.race([firstScreenReady, atMost])
  .catch(() => {
    // The screen loads (and reports failures) as it renders.
  })
  .then(() => {
    render();
    dropPrefetched(10_000);
  });
