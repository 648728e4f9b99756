// Calendar arithmetic on "YYYY-MM-DD" dates (whole days, in UTC so that no
// time zone or daylight saving shifts a day).
const dayMs = 86_400_000;

function utc(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

// todayISO: the user's calendar date today.
export function todayISO(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// daysBetween: whole days from a to b (negative when b is before a).
export function daysBetween(a: string, b: string): number {
  return Math.round((utc(b) - utc(a)) / dayMs);
}

export interface Elapsed {
  // total days in the period, both ends included
  total: number;
  // days elapsed so far (0 before the start, total after the end)
  done: number;
  percent: number;
  phase: "before" | "running" | "ended";
}

// elapsed: how much of the period start..end has passed on today.
export function elapsed(start: string, end: string, today = todayISO()): Elapsed | undefined {
  if (!start || !end) return undefined;
  const total = daysBetween(start, end) + 1;
  if (total <= 0) return undefined;
  const done = Math.min(total, Math.max(0, daysBetween(start, today) + 1));
  const phase = today < start ? "before" : today > end ? "ended" : "running";
  return { total, done: phase === "before" ? 0 : done, percent: phase === "before" ? 0 : Math.round((done / total) * 100), phase };
}
