/**
 * Small shared helpers of the funding engine: deterministic ordering of area ids,
 * German (de-DE) number formatting for user-facing sentences, input checks.
 */

const DIGITS = /^\d+$/;

/**
 * Deterministic order of area ids (text): two ids made only of digits are compared as
 * numbers ("2" before "10"; equal numbers by length, so "02" after "2"), everything else
 * by UTF-16 code units. Independent of locale and ICU version.
 */
export function compareAreaIds(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const ta = a.replace(/^0+(?=\d)/, "");
    const tb = b.replace(/^0+(?=\d)/, "");
    if (ta.length !== tb.length) return ta.length - tb.length;
    if (ta !== tb) return ta < tb ? -1 : 1;
    if (a.length !== b.length) return a.length - b.length;
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const euroFormat = new Intl.NumberFormat("de-DE", {style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 2});

/** 1234.5 → "1.234,50 €" (de-DE, with the no-break space Intl puts before €). */
export function formatEuro(value: number): string {
  return euroFormat.format(value);
}

/** de-DE decimal number with at most `digits` decimals (at least `minDigits`). */
export function formatNumber(value: number, digits = 2, minDigits = 0): string {
  return new Intl.NumberFormat("de-DE", {maximumFractionDigits: digits, minimumFractionDigits: Math.min(minDigits, digits)}).format(value);
}

/** 0.1234 → "12,3 %" (share given as a fraction). */
export function formatPercent(fraction: number, digits = 1): string {
  return `${formatNumber(fraction * 100, digits, digits)} %`;
}

/** Throws a RangeError (German message) unless value is a finite number ≥ 0. */
export function assertNonNegative(value: unknown, what: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${what}: erwartet wird eine Zahl ≥ 0, erhalten: ${String(value)}`);
  }
}

/** Throws when an area id occurs twice. */
export function assertUniqueIds(ids: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new RangeError(`${what}: Gebiet „${id}“ kommt mehrfach vor`);
    seen.add(id);
  }
}

/** SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
