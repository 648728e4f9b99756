// Small rules shared by the milestone screens: resource ids, calendar-day
// arithmetic on "YYYY-MM-DD" strings, and whether to offer submit or accept
// (as the server's callerCan* fields say).
import { MilestoneKind, MilestoneStatus, type Milestone } from "../../gen/pactum/v1/milestone_pb";

// idOf turns a resource name ("projects/abc") into the id used in addresses.
export function idOf(name: string): string {
  return name.slice(name.indexOf("/") + 1);
}

// todayISO is the user's calendar day, "YYYY-MM-DD".
export function todayISO(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

function utcDay(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

// daysBetween counts calendar days from a to b (negative when b is earlier).
export function daysBetween(a: string, b: string): number {
  return Math.round(utcDay(b) - utcDay(a));
}

// elapsedPercent is how much of the period from start to end has passed on
// day today, 0 to 100.
export function elapsedPercent(start: string, end: string, today: string): number {
  if (!start || !end) return 0;
  const total = daysBetween(start, end) + 1;
  if (total <= 0) return 0;
  const done = daysBetween(start, today) + 1;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

export function isOpen(m: Milestone): boolean {
  return m.status === MilestoneStatus.UPCOMING || m.status === MilestoneStatus.DUE_SOON || m.status === MilestoneStatus.OVERDUE;
}

// canSubmit and canAccept: what the server says the caller may do with the
// milestone now (its callerCan* fields, which weigh the caller's
// memberships, grant-limited ones included, and the milestone's state).
export function canSubmit(m: Milestone): boolean {
  return m.callerCanSubmit;
}

export function canAccept(m: Milestone): boolean {
  return m.callerCanAccept;
}

// followsUpdate: a partner progress update milestone is submitted and
// accepted through its progress update (the server refuses it by hand).
export function followsUpdate(m: Milestone): boolean {
  return m.kind === MilestoneKind.PARTNER_PROGRESS_UPDATE;
}

// canChange: an open milestone the server lets the caller change (edit,
// move, cancel).
export function canChange(m: Milestone): boolean {
  return isOpen(m) && m.callerCanUpdate;
}

// addDays: "YYYY-MM-DD" plus n calendar days.
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}
