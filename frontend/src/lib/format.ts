// Numbers, money and dates formatted for the user's language.
import { useTranslation } from "react-i18next";

const localeOf: Record<string, string> = { en: "en-GB", fr: "fr-FR", es: "es-ES", pt: "pt-BR" };

export function useFormat() {
  const { i18n } = useTranslation();
  const locale = localeOf[i18n.language] ?? "en-GB";
  return {
    locale,
    // money formats a decimal string ("1250000.00") in a currency. The
    // amount stays a string until display: no arithmetic in floats.
    money(amount: string | undefined, currency: string | undefined): string {
      if (!amount || !currency) return "";
      try {
        return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount as unknown as number);
      } catch {
        return `${amount} ${currency}`;
      }
    },
    percent(value: string | undefined): string {
      if (!value) return "";
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value as unknown as number) + " %";
    },
    // date formats "YYYY-MM-DD" as a calendar date (no time zone shift).
    date(iso: string | undefined): string {
      if (!iso) return "";
      const [y, m, d] = iso.split("-").map(Number);
      return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
    },
    dateTime(d: Date | undefined): string {
      if (!d) return "";
      return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
    },
    number(n: number): string {
      return new Intl.NumberFormat(locale).format(n);
    },
  };
}
