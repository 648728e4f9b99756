// Exact decimal arithmetic on the API's decimal strings ("1250000.50"), in
// BigInt: amounts are never added, multiplied or divided in binary floating
// point. Floats appear only where a screen needs a proportion (the width of
// a progress bar, a chart's bar height: ratio), never in a figure shown as
// money.

interface Dec {
  // value = int / 10^scale
  int: bigint;
  scale: number;
}

// parseDec: a decimal string's digits and scale ("12.50" -> 1250n, 2), with
// an optional sign; undefined when it is not a plain decimal number.
export function parseDec(s: string | undefined): Dec | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(s ?? "");
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const frac = m[3] ?? "";
  const int = BigInt((m[2] || "0") + frac) * (m[1] === "-" ? -1n : 1n);
  return { int, scale: frac.length };
}

// apiDec: a decimal as the API writes them: no "+" sign.
function apiDec(s: string): Dec | undefined {
  return /^\s*\+/.test(s) ? undefined : parseDec(s);
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.int * 10n ** BigInt(scale - a.scale), b.int * 10n ** BigInt(scale - b.scale), scale];
}

function format(d: Dec): string {
  const neg = d.int < 0n;
  let digits = (neg ? -d.int : d.int).toString();
  if (d.scale === 0) return (neg ? "-" : "") + digits;
  digits = digits.padStart(d.scale + 1, "0");
  return (neg ? "-" : "") + digits.slice(0, -d.scale) + "." + digits.slice(-d.scale);
}

// isDecimal: a plain decimal number, as the API writes them.
export function isDecimal(s: string): boolean {
  return apiDec(s) !== undefined;
}

// decimalsOf: how many decimals a decimal string has.
export function decimalsOf(s: string): number {
  return apiDec(s)?.scale ?? 0;
}

// sub: a − b, exactly ("" when either is not a number).
export function sub(a: string | undefined, b: string | undefined): string {
  const x = parseDec(a);
  const y = parseDec(b);
  if (!x || !y) return "";
  const [p, q, scale] = align(x, y);
  return format({ int: p - q, scale });
}

// sumDecimals adds decimal strings exactly; the result has as many decimals
// as the most precise term (at least minScale). Empty strings and what is
// not a decimal are skipped.
export function sumDecimals(values: string[], minScale = 0): string {
  const terms = values.map((v) => (v ? apiDec(v) : undefined)).filter((x): x is Dec => !!x);
  const scale = Math.max(minScale, ...terms.map((t) => t.scale));
  let total = 0n;
  for (const t of terms) total += t.int * 10n ** BigInt(scale - t.scale);
  return format({ int: total, scale });
}

// cmp: −1, 0 or 1 as a is less than, equal to or greater than b (0 when
// either is not a number).
export function cmp(a: string | undefined, b: string | undefined): number {
  const x = parseDec(a);
  const y = parseDec(b);
  if (!x || !y) return 0;
  const [p, q] = align(x, y);
  return p < q ? -1 : p > q ? 1 : 0;
}

export function isZero(a: string | undefined): boolean {
  const x = parseDec(a);
  return !x || x.int === 0n;
}

// mulRound: a × b rounded to `decimals` places, half away from zero: the
// rule the server applies to a budget line's total (units × unit cost).
export function mulRound(a: string | undefined, b: string | undefined, decimals: number): string {
  const x = parseDec(a);
  const y = parseDec(b);
  if (!x || !y) return "";
  const int = x.int * y.int;
  const scale = x.scale + y.scale;
  if (scale <= decimals) return format({ int: int * 10n ** BigInt(decimals - scale), scale: decimals });
  const div = 10n ** BigInt(scale - decimals);
  const neg = int < 0n;
  const abs = neg ? -int : int;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return format({ int: neg ? -q : q, scale: decimals });
}

// divideDecimals: a / b rounded to `scale` decimals, half away from zero
// (a transfer's rate preview); undefined when either is not a number or b
// is zero.
export function divideDecimals(a: string, b: string, scale: number): string | undefined {
  const x = apiDec(a);
  const y = apiDec(b);
  if (!x || !y || y.int === 0n) return undefined;
  // a / b = (x.int / 10^x.scale) / (y.int / 10^y.scale); scaled by
  // 10^(scale+1) for rounding.
  const num = x.int * 10n ** BigInt(y.scale + scale + 1);
  const den = y.int * 10n ** BigInt(x.scale);
  let q = num / den;
  const neg = q < 0n;
  if (neg) q = -q;
  q = (q + 5n) / 10n;
  return format({ int: neg ? -q : q, scale });
}

// ratio: a / b as a float, for proportions only (0 when b is zero).
export function ratio(a: string | undefined, b: string | undefined): number {
  const x = Number(a);
  const y = Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y) || y === 0) return 0;
  return x / y;
}
