// Exact decimal arithmetic on the API's decimal strings ("12500.50"), for
// totals shown under a list and a transfer's rate preview: BigInt, never
// binary floating point.

function parse(s: string): { digits: bigint; scale: number } | undefined {
  const m = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(s);
  if (!m || (m[2] === "" && !m[3])) return undefined;
  const frac = m[3] ?? "";
  const digits = BigInt((m[2] || "0") + frac);
  return { digits: m[1] ? -digits : digits, scale: frac.length };
}

function render(digits: bigint, scale: number): string {
  const neg = digits < 0n;
  let s = (neg ? -digits : digits).toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, "0");
    s = `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  }
  return (neg ? "-" : "") + s;
}

// isDecimal: a plain decimal number, as the API writes them.
export function isDecimal(s: string): boolean {
  return parse(s) !== undefined;
}

// sumDecimals adds decimal strings exactly; the result has as many decimals
// as the most precise term (at least minScale). Empty strings are skipped.
export function sumDecimals(values: string[], minScale = 0): string {
  const terms = values.map((v) => (v ? parse(v) : undefined)).filter((x): x is { digits: bigint; scale: number } => !!x);
  const scale = Math.max(minScale, ...terms.map((t) => t.scale));
  let total = 0n;
  for (const t of terms) total += t.digits * 10n ** BigInt(scale - t.scale);
  return render(total, scale);
}

// divideDecimals: a / b rounded to `scale` decimals, half away from zero;
// undefined when either is not a number or b is zero.
export function divideDecimals(a: string, b: string, scale: number): string | undefined {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y || y.digits === 0n) return undefined;
  // a / b = (x.d / 10^x.s) / (y.d / 10^y.s); scaled by 10^(scale+1) for rounding.
  const num = x.digits * 10n ** BigInt(y.scale + scale + 1);
  const den = y.digits * 10n ** BigInt(x.scale);
  let q = num / den;
  const neg = q < 0n;
  if (neg) q = -q;
  q = (q + 5n) / 10n;
  return render(neg ? -q : q, scale);
}

// decimalsOf: how many decimals a decimal string has.
export function decimalsOf(s: string): number {
  return parse(s)?.scale ?? 0;
}
