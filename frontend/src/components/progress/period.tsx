// One numbering of a progress update's period everywhere: the grant's
// reporting period it counts towards, with the months it covers
// ("Reporting period 1 · Apr – Jun 2026"), never a second number.
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";

interface Period {
  reportingPeriod?: number;
  periodStartDate: string;
  periodEndDate: string;
}

function utc(iso: string): Date {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function usePeriodLabel() {
  const { t } = useTranslation("progress");
  const { locale } = useFormat();
  return (p: Period) => {
    let months = "";
    if (p.periodStartDate && p.periodEndDate) {
      const f = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
      months = f.formatRange(utc(p.periodStartDate), utc(p.periodEndDate));
    }
    if (!p.reportingPeriod) return months;
    return months ? t("period.withMonths", { n: p.reportingPeriod, months }) : t("period.only", { n: p.reportingPeriod });
  };
}
