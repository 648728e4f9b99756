// narrativePeriod: the reporting period whose narrative report is most
// likely wanted: the last one that has ended (the report is written after
// its period), else the first.
import { reportingPeriods } from "../report/periods";

export function narrativePeriod(start: string, end: string, months: number, today: string): number {
  const periods = reportingPeriods(start, end, months);
  const ended = periods.filter((p) => p.to < today);
  return ended.length > 0 ? ended[ended.length - 1].n : 1;
}
