// The first thing the browser runs: a small script inlined into index.html
// (see vite.config.ts), before the app's JavaScript has arrived. On a slow
// line with long round trips each step of "load the app, then ask who is
// signed in, then load the screen's code and words, then ask for its data"
// costs a round trip or more. This script starts them all at once:
//
//   - it asks for the session, and for a partner opening their home page,
//     for that page's two lists too (the app picks the answers up instead
//     of asking again: see takePrefetched);
//   - it preloads the code and the translations of the screen being opened
//     (the build writes which files those are into the manifest).
//
// It must stay self-contained: the build inlines this file's code, not its
// imports. The app shares initialLanguage and partnerHomeRequests with it.

// BootManifest is what the build tells the script: the files of each first
// screen (beyond the app's entry), and the translation file of each language
// and namespace.
export interface BootManifest {
  screens: Record<string, { files: string[]; ns: string[] }>;
  locales: Record<string, Record<string, string>>;
}

export const languages = ["en", "fr", "es", "pt"] as const;
export type LanguageCode = (typeof languages)[number];
export const languageStorageKey = "pactum.language";

// initialLanguage: the language chosen before, else the browser's first one
// Pactum speaks, else English.
export function initialLanguage(): LanguageCode {
  const known = (c: string | null): c is LanguageCode => languages.some((l) => l === c);
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(languageStorageKey);
  } catch {
    // Storage refused (privacy settings): the browser's languages decide.
  }
  if (known(saved)) return saved;
  for (const l of navigator.languages ?? []) {
    const code = l.slice(0, 2).toLowerCase();
    if (known(code)) return code;
  }
  return "en";
}

export interface PrefetchRequest {
  path: string;
  body: Record<string, unknown>;
}

// partnerHomeRequests: what the partner's home page asks for, for one of
// their organisations (the page itself sends exactly these).
export const partnerHomePageSize = 100;
export function partnerHomeRequests(org: string) {
  return {
    due: {
      path: "/pactum.v1.MilestoneService/ListDueMilestones",
      body: { withinDays: 60, responsibleOrganisation: org, pageSize: partnerHomePageSize },
    },
    projects: { path: "/pactum.v1.ProjectService/ListProjects", body: { organisation: org, pageSize: partnerHomePageSize } },
  } satisfies Record<string, PrefetchRequest>;
}

export const sessionRequest: PrefetchRequest = { path: "/pactum.v1.AuthService/GetSession", body: {} };

// prefetchKey names a request by its path and its JSON body, keys sorted
// (the app's client may order the fields differently).
export function prefetchKey(path: string, body: unknown): string {
  const canon = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
        )
      : v;
  return path + " " + JSON.stringify(canon(body));
}

interface Prefetched {
  response: Promise<Response>;
}

declare global {
  interface Window {
    __pactumPrefetch?: Record<string, Prefetched>;
    __pactumFirstScreen?: Promise<string | undefined>;
  }
}

// firstScreen: the screen the boot script found the visit starts on (and
// preloaded), once it knows; undefined without the boot script.
export function firstScreen(): Promise<string | undefined> {
  return window.__pactumFirstScreen ?? Promise.resolve(undefined);
}

// takePrefetched hands out a response the boot script fetched (once), or
// undefined.
export function takePrefetched(path: string, body: unknown): Promise<Response> | undefined {
  const all = window.__pactumPrefetch;
  if (!all) return undefined;
  const key = prefetchKey(path, body);
  const p = all[key];
  delete all[key];
  return p?.response;
}

// dropPrefetched forgets, after a while, the answers the app has not picked
// up: they are for its first screen only, not for later requests, which
// must see changes made since.
export function dropPrefetched(afterMs: number) {
  setTimeout(() => delete window.__pactumPrefetch, afterMs);
}

const publicScreens: Record<string, string> = {
  "/sign-in": "signIn",
  "/accept-invitation": "acceptInvitation",
  "/forgot-password": "forgotPassword",
  "/reset-password": "resetPassword",
};

interface SessionJson {
  user?: { memberships?: { organisation?: string; role?: string }[] };
}

export function boot(m: BootManifest) {
  const all: Record<string, Prefetched> = (window.__pactumPrefetch = {});
  let first: (name: string | undefined) => void = () => {};
  window.__pactumFirstScreen = new Promise((resolve) => (first = resolve));
  const lang = initialLanguage();
  const preloaded: Record<string, boolean> = {};
  const preload = (href: string | undefined) => {
    if (!href || preloaded[href]) return;
    preloaded[href] = true;
    const link = document.createElement("link");
    if (href.endsWith(".css")) {
      link.rel = "preload";
      link.as = "style";
    } else {
      link.rel = "modulepreload";
    }
    link.crossOrigin = "";
    link.href = href;
    document.head.appendChild(link);
  };
  const screen = (name: string) => {
    first(name);
    const s = m.screens[name];
    if (!s) return;
    s.files.forEach(preload);
    // i18next also loads English, the fallback language.
    for (const l of lang === "en" ? ["en"] : [lang, "en"]) for (const ns of ["common", ...s.ns]) preload(m.locales[l]?.[ns]);
  };
  const post = (r: PrefetchRequest) => {
    const response = fetch(r.path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
      body: JSON.stringify(r.body),
      credentials: "same-origin",
    });
    all[prefetchKey(r.path, r.body)] = { response };
    // A failure is the app's to report, when it asks (or not at all).
    response.catch(() => {});
    return response;
  };

  const path = location.pathname.replace(/\/+$/, "") || "/";
  const open = publicScreens[path];
  if (open) screen(open);
  post(sessionRequest)
    .then((res) => (res.ok ? (res.clone().json() as Promise<SessionJson>) : undefined))
    .then((session) => {
      if (open) return;
      const user = session?.user;
      if (!user) return screen("signIn");
      if (path !== "/") return screen("shell");
      const roles = (user.memberships ?? []).map((x) => x.role);
      const partnerRole = (r: string | undefined) => r === "ROLE_PARTNER_EDITOR" || r === "ROLE_PARTNER_VIEWER";
      if (roles.length > 0 && roles.every(partnerRole)) {
        for (const x of user.memberships ?? []) {
          if (!partnerRole(x.role) || !x.organisation) continue;
          const r = partnerHomeRequests(x.organisation);
          post(r.due);
          post(r.projects);
        }
        screen("partnerHome");
      } else {
        screen("home");
      }
    })
    .catch(() => {
      // The app asks again, and says what went wrong.
    })
    .finally(() => first(undefined));
}
