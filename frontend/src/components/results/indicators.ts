// Indicator arithmetic the results screens show: disaggregations that do
// not add up to the period's actual (as the server's roll-up flags them),
// progress against a target, and values in the user's language by type
// (numbers with the locale's separators, percentages with "%", yes/no as
// words, qualitative as written). Decimal strings stay strings: BigInt sums.
import type { TFunction } from "i18next";
import { IndicatorType, IndicatorTypeSchema, ResultLevel, type Indicator, type IndicatorPeriod } from "../../gen/pactum/v1/results_pb";
import { cmp, isDecimal, sumDecimals } from "../../lib/decimal";

export interface Mismatch {
  period: number;
  disaggregation: string;
  total: string;
  sum: string;
}

// mismatches lists, for a number or percentage indicator, each period's
// disaggregations whose values do not add up to its actual.
export function mismatches(ind: Pick<Indicator, "type" | "disaggregations">, p: IndicatorPeriod): Mismatch[] {
  if (ind.type !== IndicatorType.NUMBER || p.disaggregatedActuals.length === 0 || !isDecimal(p.actual)) return [];
  const names = [...new Set([...ind.disaggregations.map((d) => d.name), ...p.disaggregatedActuals.map((v) => v.disaggregation)])];
  const out: Mismatch[] = [];
  for (const name of names) {
    const values = p.disaggregatedActuals.filter((v) => v.disaggregation === name).map((v) => v.value);
    if (values.length === 0) continue;
    const sum = sumDecimals(values);
    if (cmp(sum, p.actual) !== 0) out.push({ period: p.period, disaggregation: name, total: p.actual, sum });
  }
  return out;
}

// progress: actual as a share of target, 0 to 100 (undefined when either is
// missing or not a number, or the target is zero).
export function progress(type: IndicatorType, target: string, actual: string): number | undefined {
  if (type !== IndicatorType.NUMBER && type !== IndicatorType.PERCENTAGE) return undefined;
  const x = Number(actual);
  const y = Number(target);
  if (!isDecimal(actual) || !isDecimal(target) || !(y > 0)) return undefined;
  return Math.max(0, Math.min(100, Math.round((x / y) * 100)));
}

export function indicatorTypeKey(type: IndicatorType): string {
  return IndicatorTypeSchema.values.find((v) => v.number === type)?.localName ?? "UNSPECIFIED";
}

export function indicatorTypeLabel(t: TFunction, type: IndicatorType): string {
  return type ? t(`results:types.${indicatorTypeKey(type)}`) : t("common:none");
}

export function indicatorTypeOptions(t: TFunction) {
  return IndicatorTypeSchema.values.filter((v) => v.number !== 0).map((v) => ({ value: String(v.number), label: t(`results:types.${v.localName}`) }));
}

export function levelLabel(t: TFunction, level: ResultLevel): string {
  switch (level) {
    case ResultLevel.OVERALL_OBJECTIVE:
      return t("results:levels.overall");
    case ResultLevel.SPECIFIC_OBJECTIVE:
      return t("results:levels.specific");
    case ResultLevel.OUTPUT:
      return t("results:levels.output");
  }
  return t("common:none");
}

// formatValue shows a value of an indicator of the given type.
export function formatValue(t: TFunction, locale: string, type: IndicatorType, value: string, unit = ""): string {
  if (value === "") return "";
  switch (type) {
    case IndicatorType.NUMBER: {
      const n = isDecimal(value) ? new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(value as unknown as number) : value;
      return unit ? `${n} ${unit}` : n;
    }
    case IndicatorType.PERCENTAGE:
      return isDecimal(value) ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value as unknown as number)} %` : value;
    case IndicatorType.YES_NO:
      return value === "1" ? t("results:yes") : value === "0" ? t("results:no") : value;
  }
  return value;
}
