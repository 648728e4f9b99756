// One numbering of a progress update's period everywhere: the grant's
// reporting period it counts towards, with the months it covers
// ("Reporting period 1 · Apr – Jun 2026"), never a second number.
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { enumLabel } from "../../lib/enums";
import { MilestoneKind, MilestoneKindSchema } from "../../gen/pactum/v1/milestone_pb";

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

// useUpdateTitle names an update: its milestone's title, or, where Pactum
// generated that title ("…, period 5", numbering the project's update
// periods), the kind alone, in the reader's language: the period label
// says which period.
export function useUpdateTitle() {
  const { t } = useTranslation("milestones");
  return (u: { title: string; titleGenerated: boolean }) =>
    u.titleGenerated || !u.title ? enumLabel(t, "milestoneKind", MilestoneKindSchema, MilestoneKind.PARTNER_PROGRESS_UPDATE) : u.title;
}
