// Dates as people type them. Every language Pactum speaks writes the day
// first (en-GB, fr, es, pt): 28/11/2026, 28.11.2026, 28-11-2026, 1/3/26;
// the ISO form 2026-11-28 is read too. The API takes "YYYY-MM-DD".

// parseTypedDate returns the ISO date typed in s, or undefined when s is not
// a date (or a day the month has not, such as 31/04/2026).
export function parseTypedDate(s: string): string | undefined {
  const text = s.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{2}|\d{4})$/.exec(text);
    if (!match) return undefined;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (match[3].length === 2) y += 2000;
  }
  if (m < 1 || m > 12 || d < 1) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

// typedDate writes an ISO date as people type it: 28/11/2026.
export function typedDate(iso: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? "");
  return match ? `${match[3]}/${match[2]}/${match[1]}` : "";
}
