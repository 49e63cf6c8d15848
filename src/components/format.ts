/**
 * German number formatting (de-DE) for values, differences and axis ticks.
 *
 * Conventions (tested in test/components/format.test.ts):
 * - decimal comma, "." as thousands separator ("1.234,5");
 * - a no-break space U+00A0 between the number and its unit ("12,5 %", "1.234 €",
 *   "+1,2 Pp."), as Intl produces it, so a unit never wraps onto its own line;
 * - negative numbers with the hyphen-minus Intl uses ("-1,5");
 * - missing values (null, undefined, NaN, ±Infinity) as an en dash "–".
 */
import type {UnitMeta} from "./types.js";

/** No-break space between number and unit. */
export const NBSP = "\u00a0";
/** Text for a missing value. */
export const MISSING_VALUE = "–";

const LOCALE = "de-DE";
const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let format = cache.get(key);
  if (!format) cache.set(key, (format = new Intl.NumberFormat(LOCALE, options)));
  return format;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function fixed(decimals: number): Intl.NumberFormatOptions {
  return {minimumFractionDigits: decimals, maximumFractionDigits: decimals};
}

/** "1.234" (decimals = 0) or "1.234,5" (decimals = 1); "–" for missing values. */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  return isNumber(value) ? numberFormat(fixed(decimals)).format(value) : MISSING_VALUE;
}

/** A proportion as percent: 0.125 → "12,5 %" (decimals = 1); "–" for missing values. */
export function formatPercent(value: number | null | undefined, decimals = 1): string {
  return isNumber(value) ? numberFormat({style: "percent", ...fixed(decimals)}).format(value) : MISSING_VALUE;
}

/** Euro amount: 1234.4 → "1.234 €" (decimals = 0); "–" for missing values. */
export function formatEuro(value: number | null | undefined, decimals = 0): string {
  return isNumber(value) ? numberFormat({style: "currency", currency: "EUR", ...fixed(decimals)}).format(value) : MISSING_VALUE;
}

/**
 * Compact euro amount for legends and axis ticks: "850 €", "50 Tsd. €", "1,2 Mio. €".
 */
export function formatEuroCompact(value: number | null | undefined): string {
  if (!isNumber(value)) return MISSING_VALUE;
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${formatNumber(value / 1e6, abs >= 1e7 ? 0 : 1)}${NBSP}Mio.${NBSP}€`;
  if (abs >= 1e4) return `${formatNumber(value / 1e3, 0)}${NBSP}Tsd.${NBSP}€`;
  return formatEuro(value, 0);
}

/** True for indicators shown in euros (unit "€" or kind "per_capita"). */
export function isEuro(meta: UnitMeta | undefined): boolean {
  return meta?.unit === "€" || meta?.kind === "per_capita";
}

/**
 * An indicator value in its unit: proportion/ratio → "12,5 %" (1 decimal),
 * per_capita/€ → "1.234 €" (0 decimals). `decimals` overrides the default.
 */
export function formatValue(value: number | null | undefined, meta: UnitMeta, decimals?: number): string {
  return isEuro(meta) ? formatEuro(value, decimals ?? 0) : formatPercent(value, decimals ?? 1);
}

/**
 * A difference with sign: percentage points for % indicators ("+1,2 Pp.", "-0,8 Pp.")
 * or euros for € indicators ("+12 €"). `diff` is already in percentage points (as
 * diff_city and change_1y of the pipeline) or in euros. A difference that rounds to
 * zero is "±0,0 Pp." / "±0 €".
 */
export function formatPp(diff: number | null | undefined, meta?: UnitMeta, decimals?: number): string {
  if (!isNumber(diff)) return MISSING_VALUE;
  const euro = isEuro(meta);
  const d = decimals ?? (euro ? 0 : 1);
  const body = numberFormat({...fixed(d), signDisplay: "exceptZero"}).format(diff);
  const signed = /^[+-]/.test(body) ? body : `±${body}`;
  return `${signed}${NBSP}${euro ? "€" : "Pp."}`;
}

/** The difference of two indicator values in display units: percentage points for %, euros for €. */
export function differenceOf(value: number | null | undefined, reference: number | null | undefined, meta: UnitMeta): number | null {
  if (!isNumber(value) || !isNumber(reference)) return null;
  return isEuro(meta) ? value - reference : 100 * (value - reference);
}

/** A year without thousands separator: 2024 → "2024". */
export function formatYear(year: number | null | undefined): string {
  return isNumber(year) ? String(Math.trunc(year)) : MISSING_VALUE;
}

/** An interval in the indicator's unit: "10,2–14,8 %" or "1.000–1.200 €"; "–" if a bound is missing. */
export function formatInterval(lo: number | null | undefined, hi: number | null | undefined, meta: UnitMeta, decimals?: number): string {
  if (!isNumber(lo) || !isNumber(hi)) return MISSING_VALUE;
  if (isEuro(meta)) return `${formatNumber(lo, decimals ?? 0)}–${formatEuro(hi, decimals ?? 0)}`;
  return `${formatNumber(lo * 100, decimals ?? 1)}–${formatPercent(hi, decimals ?? 1)}`;
}

/** Number of decimals so that neighbouring ticks with the given step stay distinct. */
function decimalsForStep(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  return Math.max(0, Math.min(4, -Math.floor(Math.log10(step) + 1e-9)));
}

function tickStep(ticks: ArrayLike<unknown> | undefined): number {
  if (!ticks || ticks.length < 2) return 1;
  const a = Number(ticks[0]);
  const b = Number(ticks[1]);
  return Math.abs(b - a);
}

/**
 * An axis tick format (Plot `tickFormat`) for an indicator: "10 %", "12,5 %", "1.000 €",
 * with as many decimals as the tick step needs.
 */
export function tickFormat(meta: UnitMeta): (value: number, index?: number, ticks?: ArrayLike<unknown>) => string {
  return (value, _index, ticks) => {
    const step = tickStep(ticks);
    if (isEuro(meta)) return formatEuro(value, decimalsForStep(step));
    return formatPercent(value, decimalsForStep(step * 100));
  };
}

/** An axis tick format for differences: "+2 Pp.", "-1,5 Pp.", "±0 Pp." (or € for € indicators). */
export function diffTickFormat(meta: UnitMeta): (value: number, index?: number, ticks?: ArrayLike<unknown>) => string {
  return (value, _index, ticks) => formatPp(value, meta, decimalsForStep(tickStep(ticks)));
}
