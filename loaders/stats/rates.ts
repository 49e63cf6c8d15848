/**
 * Rates, Wilson score intervals, comparison with the city value, pooled multi-year
 * rates and changes – as plain TypeScript functions and as DuckDB SQL.
 *
 * Units: levels (rate, interval bounds, city rate, pooled rate) are proportions
 * 0..1; differences (diff_city, change_1y, change_ky) are percentage points.
 * See docs/methods.md for the formulas.
 */
import type {DuckDBConnection} from "@duckdb/node-api";

/** The 97.5 % quantile of the standard normal distribution (two-sided 95 % interval). */
export const WILSON_Z = 1.959963984540054;

/** Default number of years pooled into the multi-year rate (m). */
export const DEFAULT_POOLED_YEARS = 3;
/** Default number of years for the longer change (k); the MSS uses two-year changes. */
export const DEFAULT_CHANGE_YEARS = 2;

export interface Interval {
  lo: number;
  hi: number;
}

/** True when k of n is a proportion the Wilson interval applies to: n > 0 and 0 ≤ k ≤ n. */
function isProportion(k: number | null | undefined, n: number | null | undefined): boolean {
  return k != null && n != null && Number.isFinite(k) && Number.isFinite(n) && n > 0 && k >= 0 && k <= n;
}

/**
 * Wilson score interval for k events out of n (95 % by default).
 *   p = k/n, d = 1 + z²/n, centre = (p + z²/(2n)) / d,
 *   half = (z/d) · √( p(1−p)/n + z²/(4n²) ), interval = [centre − half, centre + half]
 * clamped to [0, 1]; exactly 0 for k = 0 and exactly 1 for k = n (where the formula gives these
 * values and only rounding would leave them). Returns null unless n > 0 and 0 ≤ k ≤ n.
 */
export function wilsonInterval(k: number | null | undefined, n: number | null | undefined, z: number = WILSON_Z): Interval | null {
  if (!isProportion(k, n)) return null;
  const kk = k as number;
  const nn = n as number;
  const p = kk / nn;
  const z2 = z * z;
  const d = 1 + z2 / nn;
  const centre = (p + z2 / (2 * nn)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / nn + z2 / (4 * nn * nn));
  // k = 0 and k = n give exactly 0 and 1 (the formula does too; rounding would leave ±1e-17)
  return {lo: kk === 0 ? 0 : Math.max(0, centre - half), hi: kk === nn ? 1 : Math.min(1, centre + half)};
}

/** Rate k/n as a proportion; null when n is missing or not positive. */
export function rate(k: number | null | undefined, n: number | null | undefined): number | null {
  if (k == null || n == null || !Number.isFinite(k) || !Number.isFinite(n) || n <= 0) return null;
  return k / n;
}

/**
 * Significance flag against a reference (the city rate): +1 if the whole interval lies
 * above the reference (lo > ref), −1 if it lies below (hi < ref), 0 otherwise;
 * null when the interval or the reference is missing.
 */
export function significance(interval: Interval | null, reference: number | null | undefined): -1 | 0 | 1 | null {
  if (interval === null || reference == null || !Number.isFinite(reference)) return null;
  if (interval.lo > reference) return 1;
  if (interval.hi < reference) return -1;
  return 0;
}

/** Difference of two proportions in percentage points (a − b) · 100; null if one is missing. */
export function differencePp(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null) return null;
  return 100 * (a - b);
}

export interface YearCount {
  year: number;
  numerator: number | null;
  denominator: number | null;
}

export interface PooledValue {
  numerator: number;
  denominator: number;
  rate: number | null;
  interval: Interval | null;
}

/**
 * Pooled rate for the window endYear−m+1 … endYear: Σ numerators / Σ denominators.
 * Null unless every one of the m years is present with numerator and denominator.
 */
export function pooledValue(series: readonly YearCount[], endYear: number, m: number = DEFAULT_POOLED_YEARS): PooledValue | null {
  let numerator = 0;
  let denominator = 0;
  for (let year = endYear - m + 1; year <= endYear; year++) {
    const entries = series.filter((entry) => entry.year === year);
    if (entries.length !== 1) return null;
    const entry = entries[0]!;
    if (entry.numerator == null || entry.denominator == null) return null;
    numerator += entry.numerator;
    denominator += entry.denominator;
  }
  return {numerator, denominator, rate: rate(numerator, denominator), interval: wilsonInterval(numerator, denominator)};
}

// ---------------------------------------------------------------------------
// SQL

/** z as an exactly parsed DOUBLE (a bare literal would be read as DECIMAL first). */
const SQL_Z = "CAST('1.959963984540054' AS DOUBLE)";

/** The SQL macros; the same formulas as wilsonInterval and significance above. */
export const MACROS_SQL = `
CREATE OR REPLACE MACRO wilson_z() AS ${SQL_Z};
CREATE OR REPLACE MACRO wilson_valid(k, n) AS
  (n IS NOT NULL AND k IS NOT NULL AND isfinite(CAST(n AS DOUBLE)) AND isfinite(CAST(k AS DOUBLE))
   AND CAST(n AS DOUBLE) > 0 AND CAST(k AS DOUBLE) >= 0 AND CAST(k AS DOUBLE) <= CAST(n AS DOUBLE));
CREATE OR REPLACE MACRO wilson_centre(k, n) AS
  (CAST(k AS DOUBLE) / CAST(n AS DOUBLE) + wilson_z() * wilson_z() / (2 * CAST(n AS DOUBLE)))
  / (1 + wilson_z() * wilson_z() / CAST(n AS DOUBLE));
CREATE OR REPLACE MACRO wilson_half(k, n) AS
  (wilson_z() / (1 + wilson_z() * wilson_z() / CAST(n AS DOUBLE)))
  * sqrt(greatest(0.0,
      (CAST(k AS DOUBLE) / CAST(n AS DOUBLE)) * (1 - CAST(k AS DOUBLE) / CAST(n AS DOUBLE)) / CAST(n AS DOUBLE)
      + wilson_z() * wilson_z() / (4 * CAST(n AS DOUBLE) * CAST(n AS DOUBLE))));
CREATE OR REPLACE MACRO wilson_lo(k, n) AS
  CASE WHEN NOT wilson_valid(k, n) THEN NULL WHEN CAST(k AS DOUBLE) = 0 THEN 0.0
       ELSE greatest(0.0, wilson_centre(k, n) - wilson_half(k, n)) END;
CREATE OR REPLACE MACRO wilson_hi(k, n) AS
  CASE WHEN NOT wilson_valid(k, n) THEN NULL WHEN CAST(k AS DOUBLE) = CAST(n AS DOUBLE) THEN 1.0
       ELSE least(1.0, wilson_centre(k, n) + wilson_half(k, n)) END;
CREATE OR REPLACE MACRO norm_sf(x) AS
  -- upper tail of the standard normal distribution, Abramowitz & Stegun 26.2.17 (error < 7,5e-8)
  CASE WHEN x IS NULL THEN NULL
       ELSE (CASE WHEN x >= 0 THEN 1 ELSE -1 END) * (
              exp(-0.5 * x * x) / sqrt(2 * pi()) * (1 / (1 + 0.2316419 * abs(x))) * (0.319381530 + (1 / (1 + 0.2316419 * abs(x))) * (-0.356563782
              + (1 / (1 + 0.2316419 * abs(x))) * (1.781477937 + (1 / (1 + 0.2316419 * abs(x))) * (-1.821255978 + (1 / (1 + 0.2316419 * abs(x))) * 1.330274429))))
            ) + (CASE WHEN x >= 0 THEN 0 ELSE 1 END) END;
CREATE OR REPLACE MACRO newcombe_lo(k1, n1, k2, n2) AS
  CAST(k1 AS DOUBLE) / n1 - CAST(k2 AS DOUBLE) / n2
  - sqrt((CAST(k1 AS DOUBLE) / n1 - wilson_lo(k1, n1)) ** 2 + (wilson_hi(k2, n2) - CAST(k2 AS DOUBLE) / n2) ** 2);
CREATE OR REPLACE MACRO newcombe_hi(k1, n1, k2, n2) AS
  CAST(k1 AS DOUBLE) / n1 - CAST(k2 AS DOUBLE) / n2
  + sqrt((wilson_hi(k1, n1) - CAST(k1 AS DOUBLE) / n1) ** 2 + (CAST(k2 AS DOUBLE) / n2 - wilson_lo(k2, n2)) ** 2);
CREATE OR REPLACE MACRO signif_flag(lo, hi, ref) AS
  CASE WHEN lo IS NULL OR hi IS NULL OR ref IS NULL THEN NULL
       WHEN lo > ref THEN 1 WHEN hi < ref THEN -1 ELSE 0 END;
`;

/** Installs wilson_lo(k, n), wilson_hi(k, n), signif_flag(lo, hi, ref) and helpers on the connection. */
export async function installMacros(conn: DuckDBConnection): Promise<void> {
  await conn.run(MACROS_SQL);
}

export interface IndicatorValuesOptions {
  /** Id of the whole city (level 0) in indicator_counts. */
  cityId: string;
  /** Years pooled into the multi-year rate (m, default 3). */
  pooledYears?: number;
  /** Years of the longer change (k, default 2). */
  changeYears?: number;
  /** Source table (default indicator_counts). */
  source?: string;
  /** Target table (default indicator_values). */
  target?: string;
}

function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Ungültiger Tabellenname „${name}“`);
  return name;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} muss eine ganze Zahl ≥ 1 sein, gefunden: ${value}`);
  return value;
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The columns of indicator_values, in order. */
export const INDICATOR_VALUE_COLUMNS = [
  "year", "area_id", "level", "indicator_id", "numerator", "denominator", "rate", "ci_lo", "ci_hi",
  "city_rate", "diff_city", "signif", "pooled_numerator", "pooled_denominator", "pooled_rate",
  "pooled_ci_lo", "pooled_ci_hi", "change_1y", "change_ky"
] as const;

/**
 * SQL that creates `indicator_values` from `indicator_counts(year, area_id, level, parent_id,
 * indicator_id, numerator, denominator)`. Requires the macros (installMacros) and a unique
 * key (year, area_id, indicator_id) – createIndicatorValues checks that first.
 */
export function indicatorValuesSql(options: IndicatorValuesOptions): string {
  const source = identifier(options.source ?? "indicator_counts");
  const target = identifier(options.target ?? "indicator_values");
  const m = positiveInteger(options.pooledYears ?? DEFAULT_POOLED_YEARS, "pooledYears");
  const k = positiveInteger(options.changeYears ?? DEFAULT_CHANGE_YEARS, "changeYears");
  const city = sqlString(options.cityId);
  return `
CREATE OR REPLACE TABLE ${target} AS
WITH base AS (
  SELECT CAST(year AS INTEGER) AS year, CAST(area_id AS VARCHAR) AS area_id, CAST(level AS VARCHAR) AS level,
         CAST(indicator_id AS VARCHAR) AS indicator_id,
         CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator,
         CASE WHEN CAST(denominator AS DOUBLE) > 0 THEN CAST(numerator AS DOUBLE) / CAST(denominator AS DOUBLE) END AS rate
  FROM ${source}
),
with_ci AS (
  SELECT *, wilson_lo(numerator, denominator) AS ci_lo, wilson_hi(numerator, denominator) AS ci_hi FROM base
),
city AS (
  SELECT year, indicator_id, rate AS city_rate FROM base WHERE area_id = ${city}
),
-- one pass of windows over each area's series (years as a RANGE, so a missing year is a gap):
-- the pooled sums of the last m years (exact in DECIMAL) and the rates 1 and k years before
series AS (
  SELECT v.*,
         count(*) FILTER (WHERE numerator IS NOT NULL AND denominator IS NOT NULL) OVER pool AS years_present,
         CAST(sum(CAST(numerator AS DECIMAL(38, 9))) FILTER (WHERE numerator IS NOT NULL AND denominator IS NOT NULL) OVER pool AS DOUBLE) AS pn,
         CAST(sum(CAST(denominator AS DECIMAL(38, 9))) FILTER (WHERE numerator IS NOT NULL AND denominator IS NOT NULL) OVER pool AS DOUBLE) AS pd,
         first(rate) OVER (series_window RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING) AS rate_1y,
         first(rate) OVER (series_window RANGE BETWEEN ${k} PRECEDING AND ${k} PRECEDING) AS rate_ky
  FROM with_ci v
  WINDOW series_window AS (PARTITION BY area_id, indicator_id ORDER BY year),
         pool AS (series_window RANGE BETWEEN ${m - 1} PRECEDING AND CURRENT ROW)
)
SELECT v.year, v.area_id, v.level, v.indicator_id, v.numerator, v.denominator, v.rate, v.ci_lo, v.ci_hi,
       c.city_rate,
       100 * (v.rate - c.city_rate) AS diff_city,
       CAST(signif_flag(v.ci_lo, v.ci_hi, c.city_rate) AS INTEGER) AS signif,
       CASE WHEN v.years_present = ${m} THEN v.pn END AS pooled_numerator,
       CASE WHEN v.years_present = ${m} THEN v.pd END AS pooled_denominator,
       CASE WHEN v.years_present = ${m} AND v.pd > 0 THEN v.pn / v.pd END AS pooled_rate,
       CASE WHEN v.years_present = ${m} THEN wilson_lo(v.pn, v.pd) END AS pooled_ci_lo,
       CASE WHEN v.years_present = ${m} THEN wilson_hi(v.pn, v.pd) END AS pooled_ci_hi,
       100 * (v.rate - v.rate_1y) AS change_1y,
       100 * (v.rate - v.rate_ky) AS change_ky
FROM series v
LEFT JOIN city c ON c.year = v.year AND c.indicator_id = v.indicator_id
ORDER BY v.indicator_id, v.year, v.area_id;
`;
}

/** A row of indicator_counts. */
export interface IndicatorCountRow {
  year: number;
  area_id: string;
  level: string;
  parent_id: string | null;
  indicator_id: string;
  numerator: number | null;
  denominator: number | null;
}

/** A row of indicator_values. Levels are proportions, differences percentage points. */
export interface IndicatorValueRow {
  year: number;
  area_id: string;
  level: string;
  indicator_id: string;
  numerator: number | null;
  denominator: number | null;
  rate: number | null;
  ci_lo: number | null;
  ci_hi: number | null;
  city_rate: number | null;
  diff_city: number | null;
  signif: number | null;
  pooled_numerator: number | null;
  pooled_denominator: number | null;
  pooled_rate: number | null;
  pooled_ci_lo: number | null;
  pooled_ci_hi: number | null;
  change_1y: number | null;
  change_ky: number | null;
}

/**
 * The same computation as indicatorValuesSql in plain TypeScript (for small tables, tests
 * and pages that work on plain rows). Rows come back in the SQL's order.
 */
export function indicatorValuesFromCounts(counts: readonly IndicatorCountRow[], options: IndicatorValuesOptions): IndicatorValueRow[] {
  const m = positiveInteger(options.pooledYears ?? DEFAULT_POOLED_YEARS, "pooledYears");
  const k = positiveInteger(options.changeYears ?? DEFAULT_CHANGE_YEARS, "changeYears");
  const key = (indicator: string, area: string, year: number): string => `${indicator}\u0000${area}\u0000${year}`;
  const byKey = new Map<string, IndicatorCountRow>();
  for (const row of counts) {
    const id = key(row.indicator_id, row.area_id, row.year);
    if (byKey.has(id)) throw new Error(`Schlüssel (Jahr, Gebiet, Indikator) ist nicht eindeutig: ${row.indicator_id} ${row.year} Gebiet ${row.area_id}`);
    byKey.set(id, row);
  }
  const rateOf = (row: IndicatorCountRow | undefined): number | null => (row ? rate(row.numerator, row.denominator) : null);
  const sorted = [...counts].sort(
    (a, b) =>
      (a.indicator_id < b.indicator_id ? -1 : a.indicator_id > b.indicator_id ? 1 : 0) ||
      a.year - b.year ||
      (a.area_id < b.area_id ? -1 : a.area_id > b.area_id ? 1 : 0)
  );
  return sorted.map((row): IndicatorValueRow => {
    const own = rate(row.numerator, row.denominator);
    const interval = wilsonInterval(row.numerator, row.denominator);
    const cityRate = rateOf(byKey.get(key(row.indicator_id, options.cityId, row.year)));
    const series: YearCount[] = [];
    for (let year = row.year - m + 1; year <= row.year; year++) {
      const entry = byKey.get(key(row.indicator_id, row.area_id, year));
      if (entry) series.push(entry);
    }
    const pooled = pooledValue(series, row.year, m);
    return {
      year: row.year,
      area_id: row.area_id,
      level: row.level,
      indicator_id: row.indicator_id,
      numerator: row.numerator,
      denominator: row.denominator,
      rate: own,
      ci_lo: interval?.lo ?? null,
      ci_hi: interval?.hi ?? null,
      city_rate: cityRate,
      diff_city: differencePp(own, cityRate),
      signif: significance(interval, cityRate),
      pooled_numerator: pooled?.numerator ?? null,
      pooled_denominator: pooled?.denominator ?? null,
      pooled_rate: pooled?.rate ?? null,
      pooled_ci_lo: pooled?.interval?.lo ?? null,
      pooled_ci_hi: pooled?.interval?.hi ?? null,
      change_1y: differencePp(own, rateOf(byKey.get(key(row.indicator_id, row.area_id, row.year - 1)))),
      change_ky: differencePp(own, rateOf(byKey.get(key(row.indicator_id, row.area_id, row.year - k))))
    };
  });
}

/**
 * Installs the macros, checks that (year, area_id, indicator_id) is unique in the source
 * table and creates the target table. Throws a German error listing duplicated keys.
 */
export async function createIndicatorValues(conn: DuckDBConnection, options: IndicatorValuesOptions): Promise<void> {
  const source = identifier(options.source ?? "indicator_counts");
  await installMacros(conn);
  const duplicates = await conn.runAndReadAll(
    `SELECT year, area_id, indicator_id, count(*) AS n FROM ${source}
     GROUP BY ALL HAVING count(*) > 1 ORDER BY indicator_id, year, area_id LIMIT 10`
  );
  const rows = duplicates.getRowObjectsJS();
  if (rows.length > 0) {
    const list = rows.map((row) => `${String(row.indicator_id)} ${String(row.year)} Gebiet ${String(row.area_id)} (${String(row.n)}×)`).join("; ");
    throw new Error(`${source}: Schlüssel (Jahr, Gebiet, Indikator) ist nicht eindeutig: ${list}`);
  }
  await conn.run(indicatorValuesSql(options));
}
