// Percentages and counts for the user's locale ("26,5 %" in French).
// Percent values arrive as decimal strings of percent ("26.50").
import { useMemo } from "react";
import { useFormat } from "../../lib/format";

export interface Numbers {
  pct: (v: string | number) => string;
  signedPct: (v: string | number) => string;
  count: (v: string | number) => string;
  // compactMoney: a short amount for chart axes ("€12K").
  compactMoney: (v: number, currency: string) => string;
}

export function useNumbers(): Numbers {
  const { locale } = useFormat();
  return useMemo(() => {
    const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 });
    const signed = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2, signDisplay: "exceptZero" });
    const count = new Intl.NumberFormat(locale);
    const toShare = (v: string | number) => Number(v) / 100;
    return {
      pct: (v) => (v === "" || !Number.isFinite(Number(v)) ? "" : pct.format(toShare(v))),
      signedPct: (v) => (v === "" || !Number.isFinite(Number(v)) ? "" : signed.format(toShare(v))),
      count: (v) => (v === "" || !Number.isFinite(Number(v)) ? "" : count.format(Number(v))),
      compactMoney: (v, currency) => {
        try {
          return new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(v);
        } catch {
          return count.format(v);
        }
      },
    };
  }, [locale]);
}
