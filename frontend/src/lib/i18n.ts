// Translations: English, French, Spanish and Portuguese, one JSON file per
// language and area (namespace), loaded on demand so a first visit loads
// only what its screens need (the boot script preloads those of the first
// screen). The choice is remembered in localStorage.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import resourcesToBackend from "i18next-resources-to-backend";
import { initialLanguage, languageStorageKey, type LanguageCode } from "../boot";

export const languages = [
  { code: "en", label: "English" },
  { code: "fr", label: "Français" },
  { code: "es", label: "Español" },
  { code: "pt", label: "Português" },
] as const satisfies readonly { code: LanguageCode; label: string }[];

export type Language = LanguageCode;

// i18nReady: the first language's common words have arrived.
export const i18nReady = i18n
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
  localStorage.setItem(languageStorageKey, lng);
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;
