// Countries shown by name in the user's language (Intl.DisplayNames), from
// their ISO 3166-1 codes.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

export function useCountryName(): (code: string) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    let names: Intl.DisplayNames | undefined;
    try {
      names = new Intl.DisplayNames([i18n.language], { type: "region" });
    } catch {
      names = undefined;
    }
    return (code: string) => {
      try {
        return names?.of(code) ?? code;
      } catch {
        return code;
      }
    };
  }, [i18n.language]);
}

export function CountryNames({ codes }: { codes: string[] }) {
  const name = useCountryName();
  return <>{codes.map(name).join(", ")}</>;
}
