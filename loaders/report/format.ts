/**
 * German (de-DE) wording helpers for generated report text: numbers with a decimal comma and
 * thousands dots, per cent, euro, percentage points, singular/plural and name lists.
 * Deterministic (no locale or time dependence beyond Intl's de-DE data).
 */

const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(digits: number): Intl.NumberFormat {
  const key = String(digits);
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("de-DE", {minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true});
    formats.set(key, format);
  }
  return format;
}

/** de-DE number with exactly `digits` decimals; a value that rounds to zero is written without sign ("0,00", never "-0,00"). */
export function formatNumber(value: number, digits = 0): string {
  const text = numberFormat(digits).format(value);
  return /^-0(,0+)?$/.test(text) ? text.slice(1) : text;
}

/** 0.125 → "12,5 %" (a proportion written as per cent, one decimal). */
export function formatPercent(fraction: number, digits = 1): string {
  return `${formatNumber(fraction * 100, digits)} %`;
}

/** A target share: as few decimals as needed, at most one (0.45 → "45 %", 0.975 → "97,5 %"). */
export function formatTarget(fraction: number): string {
  const pct = Math.round(fraction * 1000) / 10;
  return `${formatNumber(pct, Number.isInteger(pct) ? 0 : 1)} %`;
}

/** 1234 → "1.234 €" (whole euros); with digits = 2: 6.4 → "6,40 €". */
export function formatEuro(value: number, digits = 0): string {
  return `${formatNumber(value, digits)} €`;
}

/** Percentage points with sign: 1.23 → "+1,2 Prozentpunkte", −0.5 → "-0,5 Prozentpunkte", 0 → "0,0 Prozentpunkte". */
export function formatPoints(value: number): string {
  const text = formatNumber(value, 1);
  return `${value > 0 && text !== "0,0" ? "+" : ""}${text} Prozentpunkte`;
}

/** A z value with two decimals: "z = 0,66". */
export function formatZ(value: number): string {
  return `z = ${formatNumber(value, 2)}`;
}

/** "1 Gebiet", "3 Gebiete"; the count with thousands dots. */
export function count(n: number, singular: string, plural: string): string {
  return `${formatNumber(n, 0)} ${n === 1 ? singular : plural}`;
}

/** Singular or plural form for n. */
export function plural(n: number, singular: string, pluralForm: string): string {
  return n === 1 ? singular : pluralForm;
}

/** "A", "A und B", "A, B und C"; empty list → "". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} und ${items[items.length - 1]}`;
}

/** Upper-cases the first letter (for sentences that start with a generated word). */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** German name order (umlauts next to their base letter), then code-unit order for a stable tie-break. */
const collator = new Intl.Collator("de-DE", {sensitivity: "variant", numeric: true});
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Values are compared for ties after rounding to 9 decimals, so that floating-point noise
 * (0.36 vs 0.36000000000000004) does not break a tie that the data have.
 */
export function tieKey(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
