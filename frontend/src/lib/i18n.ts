// Translations: English, French, Spanish and Portuguese, one JSON file per
// language and area (namespace), loaded on demand so a first visit loads
// only what its screens need. The choice is remembered in localStorage.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import resourcesToBackend from "i18next-resources-to-backend";

export const languages = [
  { code: "en", label: "English" },
  { code: "fr", label: "Français" },
  { code: "es", label: "Español" },
  { code: "pt", label: "Português" },
] as const;

export type Language = (typeof languages)[number]["code"];

const storageKey = "pactum.language";

function initialLanguage(): Language {
  const saved = localStorage.getItem(storageKey);
  if (languages.some((l) => l.code === saved)) return saved as Language;
  for (const l of navigator.languages ?? []) {
    const code = l.slice(0, 2).toLowerCase();
    if (languages.some((x) => x.code === code)) return code as Language;
  }
  return "en";
}

void i18n
  .use(initReactI18next)
  .use(resourcesToBackend((lng: string, ns: string) => import(`../locales/${lng}/${ns}.json`)))
  .init({
    lng: initialLanguage(),
    fallbackLng: "en",
    ns: ["common"],
    defaultNS: "common",
    interpolation: { escapeValue: false },
    react: { useSuspense: true },
  });

i18n.on("languageChanged", (lng) => {
  localStorage.setItem(storageKey, lng);
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;
