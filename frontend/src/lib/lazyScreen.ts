// Screens in their own chunks. The first screens (sign-in, a partner's home)
// use only the styles loaded with the app (src/styles/first.css); every other
// screen also brings the rest of Mantine's styles, loaded alongside its code.
//
// A screen can be preloaded (its code, styles and translations). Once it has
// been, it renders at once: without a Suspense fallback, which React would
// keep on screen for at least 300 ms.
import { createElement, lazy, useState, type ComponentType } from "react";
import i18n from "./i18n";

export const loadMoreStyles = () => import("../styles/more.css");

interface Options {
  // lean: the screen needs only the first styles.
  lean?: boolean;
  // ns: translation namespaces it needs (besides "common").
  ns?: readonly string[];
}

export type Screen<P> = ComponentType<P> & { preload: () => Promise<void> };

export function lazyScreen<P extends object>(load: () => Promise<{ default: ComponentType<P> }>, { lean = false, ns = [] }: Options = {}): Screen<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<void> | undefined;
  const preload = () =>
    (pending ??= Promise.all([lean ? undefined : loadMoreStyles(), load(), ns.length ? i18n.loadNamespaces([...ns]) : undefined]).then(
      ([, m]) => {
        loaded = m.default;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    ));
  const Lazy = lazy(() => preload().then(() => ({ default: loaded! })));
  function Screen(props: P) {
    // Chosen once per mount, so that the screen keeps its state.
    const [C] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return createElement(C, props);
  }
  return Object.assign(Screen, { preload });
}
