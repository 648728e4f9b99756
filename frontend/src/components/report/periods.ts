// A grant's reporting periods, as the server counts them
// (internal/fx.Period): periods of reporting_period_months months from the
// grant's start, the last one ending on its end date; one period for the
// whole grant when the length is 0. Dates are "YYYY-MM-DD".

export interface ReportingPeriod {
  // 1 = the grant's first
  n: number;
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split("-").map(Number);
  return [y, m - 1, d];
}

// addMonths moves a date by whole months, keeping the day of the month or
// the month's last day when it is shorter (31 January + 1 month = 28 or 29
// February), as the server does.
export function addMonths(date: string, n: number): string {
  const [y, m, d] = parts(date);
  const first = new Date(Date.UTC(y, m + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))));
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = parts(date);
  return iso(new Date(Date.UTC(y, m, d + n)));
}

// The server accepts period numbers up to 100.
const maxPeriods = 100;

export function reportingPeriods(start: string, end: string, months: number): ReportingPeriod[] {
  if (!start || !end || end < start) return [];
  if (!(months > 0)) return [{ n: 1, from: start, to: end }];
  const out: ReportingPeriod[] = [];
  for (let k = 0; k < maxPeriods; k++) {
    const from = addMonths(start, k * months);
    const to = addDays(addMonths(start, (k + 1) * months), -1);
    if (to >= end) {
      out.push({ n: k + 1, from, to: end });
      break;
    }
    out.push({ n: k + 1, from, to });
  }
  return out;
}

// periodOn: the period that holds today (the first before the grant starts,
// the last after it ends).
export function periodOn(periods: ReportingPeriod[], today: string): ReportingPeriod | undefined {
  if (periods.length === 0) return undefined;
  return periods.find((p) => p.from <= today && today <= p.to) ?? (today < periods[0].from ? periods[0] : periods[periods.length - 1]);
}
