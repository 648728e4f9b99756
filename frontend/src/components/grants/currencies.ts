// ISO 4217 currencies for the grant currency, named in the user's language
// by the browser; the usual ones first.
import { useMemo } from "react";
import { useFormat } from "../../lib/format";

const common = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "CAD", "JPY", "XOF", "XAF", "KES", "BRL"];

function allCodes(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("currency");
  } catch {
    return common;
  }
}

export function useCurrencies() {
  const { locale } = useFormat();
  return useMemo(() => {
    let names: Intl.DisplayNames | undefined;
    try {
      names = new Intl.DisplayNames([locale], { type: "currency" });
    } catch {
      names = undefined;
    }
    const label = (c: string) => {
      const n = names?.of(c);
      return n && n !== c ? `${c} – ${n}` : c;
    };
    const rest = allCodes().filter((c) => !common.includes(c) && c !== "XXX" && c !== "XTS");
    return [...common, ...rest].map((c) => ({ value: c, label: label(c) }));
  }, [locale]);
}

// minorDigits: the decimals of a currency's minor unit (EUR 2, XOF 0).
export function minorDigits(currency: string | undefined): number {
  if (!currency) return 2;
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}
