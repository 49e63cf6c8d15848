/**
 * Need index (Bedarfsindex / Statusindex) and dynamics index (Dynamikindex), computed in
 * DuckDB SQL with the z-sum method of Berlin's Monitoring Soziale Stadtentwicklung (MSS):
 *
 *   1. valid areas: those with a value for every indicator of the index;
 *   2. z_i = (x_i − mean_i) / sd_i across the valid areas (sample SD by default);
 *   3. s = Σ weight_i · polarity_i · z_i;
 *   4. index = (s − mean(s)) / sd(s);
 *   5. classes from thresholds on the index rounded to 10 decimals, or quantile classes.
 *
 * Higher index = more need. See docs/methods.md, "Need index".
 */
import type {DuckDBConnection} from "@duckdb/node-api";

export interface IndexIndicator {
  id: string;
  /** +1: a higher value means more need (default); −1: a higher value means less need. */
  polarity?: 1 | -1;
  /** Weight in the sum (default 1). */
  weight?: number;
}

export type SdKind = "sample" | "population";

export type ClassMethod = {method: "thresholds"; thresholds: readonly number[]} | {method: "quantile"; classes: number};

/** Status classes as in the MSS: x < −1 → 1; −1 ≤ x ≤ +1 → 2; +1 < x ≤ +1.5 → 3; x > +1.5 → 4. */
export const STATUS_THRESHOLDS: readonly number[] = Object.freeze([-1, 1, 1.5]);
/** Dynamics classes: x < −1 → 1; −1 ≤ x ≤ +1 → 2; x > +1 → 3. */
export const DYNAMICS_THRESHOLDS: readonly number[] = Object.freeze([-1, 1]);
/** Index values are rounded to this many decimals before they are compared with thresholds. */
export const CLASS_ROUNDING_DECIMALS = 10;

export interface NeedIndexOptions {
  /** Table or view with columns area_id VARCHAR, indicator_id VARCHAR, value DOUBLE (NULL = missing). */
  source: string;
  /** Output table: area_id, valid, weighted_sum, index_z, class. */
  target: string;
  indicators: readonly IndexIndicator[];
  /** Standard deviation: "sample" (n − 1, default) or "population" (n). */
  sd?: SdKind;
  /** Default: thresholds STATUS_THRESHOLDS. */
  classes?: ClassMethod;
  /**
   * A source column with the sampling variance of each value. The index then gets its standard
   * error (index_se: means and SDs taken as fixed) and, with threshold classes, an area leaves
   * the middle class only when its index lies beyond the threshold by more than z · se.
   */
  variance?: {column: string; z: number};
}

export interface NeedIndexRow {
  area_id: string;
  valid: boolean;
  weighted_sum: number | null;
  index_z: number | null;
  class: number | null;
}

export interface IndicatorStatistics {
  indicator_id: string;
  n: number;
  mean: number | null;
  sd: number | null;
}

export interface NeedIndexResult {
  rows: NeedIndexRow[];
  /** Mean and SD of every indicator over the valid areas. */
  indicators: IndicatorStatistics[];
  /** Mean and SD of the weighted sum (before the second standardisation). */
  sum: {n: number; mean: number | null; sd: number | null};
}

// ---------------------------------------------------------------------------
// Classification (TypeScript mirror of the SQL, used for documentation and tests)

/** Rounds to CLASS_ROUNDING_DECIMALS decimals (as DuckDB's round(x, 10)). */
export function roundForClass(x: number): number {
  const factor = 10 ** CLASS_ROUNDING_DECIMALS;
  return Math.round(x * factor) / factor;
}

/**
 * Threshold classes for ascending thresholds t1 < t2 < … < tn on x rounded to 10 decimals:
 * class 1 if x < t1, else 2 + #{j ≥ 2 : x > tj}. So t1 itself belongs to class 2 and every
 * further threshold belongs to the class below it – exactly the MSS rule.
 */
export function thresholdClass(x: number | null, thresholds: readonly number[]): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const r = roundForClass(x);
  const [first, ...rest] = thresholds;
  if (first === undefined) return 1;
  if (r < first) return 1;
  return 2 + rest.filter((t) => r > t).length;
}

/** Quantile class of a value with rank r (1 = lowest, ties share the lowest rank) among n: floor((r − 1)·k / n) + 1. */
export function quantileClass(rank: number, n: number, k: number): number {
  return Math.floor(((rank - 1) * k) / n) + 1;
}

// ---------------------------------------------------------------------------
// SQL

function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Ungültiger Tabellenname „${name}“`);
  return name;
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** An exactly parsed DOUBLE literal. */
function sqlDouble(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Keine endliche Zahl: ${value}`);
  return `CAST('${String(value)}' AS DOUBLE)`;
}

function validateThresholds(thresholds: readonly number[]): void {
  if (thresholds.length === 0) throw new Error("Es wird mindestens ein Schwellenwert gebraucht");
  for (let i = 0; i < thresholds.length; i++) {
    if (!Number.isFinite(thresholds[i]!)) throw new Error(`Schwellenwert ${i + 1} ist keine Zahl`);
    if (i > 0 && !(thresholds[i]! > thresholds[i - 1]!)) throw new Error("Die Schwellenwerte müssen aufsteigend sein");
  }
}

function validateIndicators(indicators: readonly IndexIndicator[]): void {
  if (indicators.length === 0) throw new Error("Der Index braucht mindestens einen Indikator");
  const ids = new Set<string>();
  for (const indicator of indicators) {
    if (ids.has(indicator.id)) throw new Error(`Indikator „${indicator.id}“ ist doppelt angegeben`);
    ids.add(indicator.id);
    if (indicator.polarity !== undefined && indicator.polarity !== 1 && indicator.polarity !== -1) {
      throw new Error(`Polarität von „${indicator.id}“ muss +1 oder -1 sein`);
    }
    if (indicator.weight !== undefined && (!Number.isFinite(indicator.weight) || indicator.weight < 0)) {
      throw new Error(`Gewicht von „${indicator.id}“ muss eine Zahl ≥ 0 sein`);
    }
  }
}

/**
 * The common CTEs: spec, areas, vals, valid_areas, stats, z, sums, sum_stats, idx, ranked.
 * With `groups` (column names of the source, e.g. year and level), every step is computed
 * per group – one index per group in one statement.
 */
function indexCtes(options: NeedIndexOptions, groups: readonly string[] = []): string {
  validateIndicators(options.indicators);
  const source = identifier(options.source);
  const sd = (options.sd ?? "sample") === "sample" ? "stddev_samp" : "stddev_pop";
  if (options.sd !== undefined && options.sd !== "sample" && options.sd !== "population") {
    throw new Error(`Unbekannte Standardabweichung „${String(options.sd)}“ (sample oder population)`);
  }
  const spec = options.indicators
    .map((indicator, i) => `(${sqlString(indicator.id)}, ${i}, ${sqlDouble(indicator.polarity ?? 1)}, ${sqlDouble(indicator.weight ?? 1)})`)
    .join(", ");
  const g = groups.map(identifier);
  const sel = (prefix: string): string => g.map((c) => `${prefix}${c}, `).join("");
  const using = (...more: string[]): string => [...g, ...more].join(", ");
  const partition = g.length ? `PARTITION BY ${g.join(", ")} ` : "";
  return `
WITH spec(indicator_id, pos, polarity, weight) AS (VALUES ${spec}),
areas AS (SELECT DISTINCT ${sel("")}CAST(area_id AS VARCHAR) AS area_id FROM ${source}),
vals AS (
  SELECT ${sel("s.")}CAST(s.area_id AS VARCHAR) AS area_id, spec.indicator_id, CAST(s.value AS DOUBLE) AS value,
         ${options.variance ? `CAST(s.${identifier(options.variance.column)} AS DOUBLE)` : "CAST(NULL AS DOUBLE)"} AS variance
  FROM ${source} s JOIN spec ON spec.indicator_id = s.indicator_id
  WHERE s.value IS NOT NULL AND isfinite(CAST(s.value AS DOUBLE))
),
valid_areas AS (
  SELECT ${sel("")}area_id FROM vals GROUP BY ${using("area_id")} HAVING count(DISTINCT indicator_id) = ${options.indicators.length}
),
stats AS (
  SELECT ${sel("v.")}v.indicator_id, count(*) AS n, avg(v.value) AS mean, ${sd}(v.value) AS sd
  FROM vals v JOIN valid_areas USING (${using("area_id")}) GROUP BY ${using("v.indicator_id")}
),
z AS (
  SELECT ${sel("v.")}v.area_id, spec.pos, spec.weight * spec.polarity * (v.value - st.mean) / st.sd AS wz,
         (spec.weight / st.sd) * (spec.weight / st.sd) * v.variance AS wvar
  FROM vals v JOIN valid_areas USING (${using("area_id")}) JOIN stats st USING (${using("indicator_id")})
  JOIN spec ON spec.indicator_id = v.indicator_id
  -- an indicator without variation cannot be standardised (the group is rejected); keep the
  -- other groups' arithmetic finite
  WHERE st.sd > 0
),
sums AS (
  SELECT ${sel("")}area_id, sum(wz ORDER BY pos) AS weighted_sum,
         -- the variance of the sum only when every term has one
         CASE WHEN count(wvar) = count(*) THEN sum(wvar) END AS sum_var
  FROM z GROUP BY ${using("area_id")}
),
sum_stats AS (SELECT ${sel("")}count(*) AS n, avg(weighted_sum) AS mean, ${sd}(weighted_sum) AS sd FROM sums${g.length ? ` GROUP BY ${using()}` : ""}),
idx AS (
  SELECT ${sel("s.")}s.area_id, s.weighted_sum, CASE WHEN ss.sd > 0 THEN (s.weighted_sum - ss.mean) / ss.sd END AS index_z,
         CASE WHEN ss.sd > 0 THEN sqrt(s.sum_var) / ss.sd END AS index_se
  FROM sums s ${g.length ? `JOIN sum_stats ss USING (${using()})` : "CROSS JOIN sum_stats ss"}
),
ranked AS (
  SELECT *, round(index_z, ${CLASS_ROUNDING_DECIMALS}) AS x,
         rank() OVER (${partition}ORDER BY round(index_z, ${CLASS_ROUNDING_DECIMALS})) AS rnk,
         count(*) OVER (${partition.trim()}) AS n_valid
  FROM idx
)`;
}

/**
 * The class of r.x. With `uncertaintyZ`, threshold classes use the index's interval
 * x ± z · se (se NULL counts as 0): class 1 only when the whole interval lies below the first
 * threshold, and each further class only when it lies above that threshold.
 */
function classExpression(classes: ClassMethod, uncertaintyZ?: number): string {
  if (classes.method === "quantile") {
    if (!Number.isInteger(classes.classes) || classes.classes < 2) throw new Error("Quantilklassen: Anzahl muss eine ganze Zahl ≥ 2 sein");
    return `CASE WHEN r.x IS NULL THEN NULL ELSE CAST(((r.rnk - 1) * ${classes.classes}) // r.n_valid + 1 AS INTEGER) END`;
  }
  validateThresholds(classes.thresholds);
  const [first, ...rest] = classes.thresholds;
  const lower = uncertaintyZ === undefined ? "r.x" : `(r.x - ${sqlDouble(uncertaintyZ)} * coalesce(r.index_se, 0))`;
  const upper = uncertaintyZ === undefined ? "r.x" : `(r.x + ${sqlDouble(uncertaintyZ)} * coalesce(r.index_se, 0))`;
  const above = rest.map((t) => ` + CASE WHEN ${lower} > ${sqlDouble(t)} THEN 1 ELSE 0 END`).join("");
  return `CASE WHEN r.x IS NULL THEN NULL WHEN ${upper} < ${sqlDouble(first!)} THEN 1 ELSE CAST(2${above} AS INTEGER) END`;
}

/** SQL creating the index table (columns area_id, valid, weighted_sum, index_z, class). */
export function needIndexSql(options: NeedIndexOptions): string {
  const target = identifier(options.target);
  const classes = options.classes ?? {method: "thresholds", thresholds: STATUS_THRESHOLDS};
  return `
CREATE OR REPLACE TABLE ${target} AS
${indexCtes(options)}
SELECT a.area_id, r.area_id IS NOT NULL AS valid, r.weighted_sum, r.index_z, ${classExpression(classes)} AS class
FROM areas a LEFT JOIN ranked r ON r.area_id = a.area_id
ORDER BY a.area_id;
`;
}

function toNumberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === "bigint" ? Number(value) : Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * Computes the index into options.target and returns its rows and the statistics used.
 * Throws a German error for duplicated (area, indicator) values, fewer than two valid
 * areas, or an indicator (or the sum) without variation across the valid areas.
 */
export async function computeNeedIndex(conn: DuckDBConnection, options: NeedIndexOptions): Promise<NeedIndexResult> {
  const source = identifier(options.source);
  const duplicates = (
    await conn.runAndReadAll(
      `SELECT CAST(area_id AS VARCHAR) AS area_id, indicator_id FROM ${source} GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL LIMIT 5`
    )
  ).getRowObjectsJS();
  if (duplicates.length > 0) {
    throw new Error(`Werte sind doppelt angegeben: ${duplicates.map((d) => `Gebiet ${String(d.area_id)}, ${String(d.indicator_id)}`).join("; ")}`);
  }
  const ctes = indexCtes(options);
  const stats = (await conn.runAndReadAll(`${ctes} SELECT spec.indicator_id, coalesce(st.n, 0) AS n, st.mean, st.sd FROM spec LEFT JOIN stats st USING (indicator_id) ORDER BY spec.pos`)).getRowObjectsJS();
  const indicators: IndicatorStatistics[] = stats.map((row) => ({
    indicator_id: String(row.indicator_id),
    n: toNumberOrNull(row.n) ?? 0,
    mean: toNumberOrNull(row.mean),
    sd: toNumberOrNull(row.sd)
  }));
  const validCount = indicators[0]?.n ?? 0;
  if (validCount < 2) {
    throw new Error(`Für den Index gibt es ${validCount} Gebiet(e) mit Werten für alle Indikatoren – mindestens 2 werden gebraucht`);
  }
  for (const indicator of indicators) {
    if (indicator.sd === null || indicator.sd === 0) {
      throw new Error(`Indikator „${indicator.indicator_id}“ hat keine Streuung zwischen den gültigen Gebieten (Standardabweichung 0) – er kann nicht standardisiert werden`);
    }
  }
  const sumRow = (await conn.runAndReadAll(`${ctes} SELECT n, mean, sd FROM sum_stats`)).getRowObjectsJS()[0] ?? {};
  const sum = {n: toNumberOrNull(sumRow.n) ?? 0, mean: toNumberOrNull(sumRow.mean), sd: toNumberOrNull(sumRow.sd)};
  if (sum.sd === null || sum.sd === 0) {
    throw new Error("Die gewichtete Summe hat keine Streuung (z. B. alle Gewichte 0) – der Index kann nicht standardisiert werden");
  }
  await conn.run(needIndexSql(options));
  const rows = (await conn.runAndReadAll(`SELECT area_id, valid, weighted_sum, index_z, class FROM ${identifier(options.target)} ORDER BY area_id`))
    .getRowObjectsJS()
    .map((row) => ({
      area_id: String(row.area_id),
      valid: row.valid === true,
      weighted_sum: toNumberOrNull(row.weighted_sum),
      index_z: toNumberOrNull(row.index_z),
      class: toNumberOrNull(row.class)
    }));
  return {rows, indicators, sum};
}

export interface GroupedNeedIndexOptions extends NeedIndexOptions {
  /** Columns of the source that separate the indices (e.g. ["year", "level"]). */
  groups: readonly string[];
  /**
   * Groups whose `column` has one of `values` get quantile (rank) classes with `classes`
   * classes instead of `options.classes` – e.g. levels with too few areas for z thresholds.
   */
  rankClasses?: {column: string; values: readonly string[]; classes: number};
}

/** A group whose index cannot be computed, with the same German reason computeNeedIndex throws. */
export interface GroupFailure {
  group: Record<string, unknown>;
  message: string;
}

/**
 * One index per group of the source, all in a few statements (instead of one computeNeedIndex
 * per group): the target gets the group columns and area_id, valid, weighted_sum, index_z,
 * class for every group that can be computed. Groups that cannot (duplicates, fewer than two
 * valid areas, an indicator or the sum without variation) are left out and returned with the
 * reason computeNeedIndex would give.
 */
export async function computeNeedIndexGrouped(conn: DuckDBConnection, options: GroupedNeedIndexOptions): Promise<GroupFailure[]> {
  const source = identifier(options.source);
  const target = identifier(options.target);
  const g = options.groups.map(identifier);
  if (g.length === 0) throw new Error("computeNeedIndexGrouped braucht mindestens eine Gruppenspalte");
  const list = g.join(", ");
  const classes = options.classes ?? {method: "thresholds", thresholds: STATUS_THRESHOLDS};
  const ctes = indexCtes(options, g);
  const first = options.indicators[0]!.id;
  // per group: duplicates, valid areas, the first indicator without variation, the sum's spread
  const checks = (await conn.runAndReadAll(`${ctes},
    groups AS (SELECT DISTINCT ${list} FROM ${source}),
    dup AS (SELECT ${list}, array_to_string(list('Gebiet ' || area_id || ', ' || indicator_id ORDER BY area_id, indicator_id)[1:5], '; ') AS dups
            FROM (SELECT ${list}, CAST(area_id AS VARCHAR) AS area_id, indicator_id FROM ${source} GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL) GROUP BY ${list}),
    novar AS (SELECT ${list}, arg_min(spec.indicator_id, spec.pos) AS indicator_id
              FROM spec CROSS JOIN groups LEFT JOIN stats USING (${list}, indicator_id)
              WHERE stats.sd IS NULL OR stats.sd = 0 GROUP BY ${list})
    SELECT ${g.map((c) => `gr.${c}`).join(", ")}, dup.dups, coalesce(st.n, 0) AS valid_n, novar.indicator_id AS novar, ss.sd AS sum_sd
    FROM groups gr
    LEFT JOIN dup USING (${list})
    LEFT JOIN (SELECT * FROM stats WHERE indicator_id = ${sqlString(first)}) st USING (${list})
    LEFT JOIN novar USING (${list})
    LEFT JOIN sum_stats ss USING (${list})
    ORDER BY ALL`)).getRowObjectsJS();
  const failures: GroupFailure[] = [];
  const ok: Record<string, unknown>[] = [];
  for (const row of checks) {
    const group = Object.fromEntries(g.map((c) => [c, typeof row[c] === "bigint" ? Number(row[c]) : row[c]]));
    const validCount = toNumberOrNull(row.valid_n) ?? 0;
    const sumSd = toNumberOrNull(row.sum_sd);
    let message: string | undefined;
    if (row.dups !== null && row.dups !== undefined) {
      message = `Werte sind doppelt angegeben: ${String(row.dups)}`;
    } else if (validCount < 2) {
      message = `Für den Index gibt es ${validCount} Gebiet(e) mit Werten für alle Indikatoren – mindestens 2 werden gebraucht`;
    } else if (row.novar !== null && row.novar !== undefined) {
      message = `Indikator „${String(row.novar)}“ hat keine Streuung zwischen den gültigen Gebieten (Standardabweichung 0) – er kann nicht standardisiert werden`;
    } else if (sumSd === null || sumSd === 0) {
      message = "Die gewichtete Summe hat keine Streuung (z. B. alle Gewichte 0) – der Index kann nicht standardisiert werden";
    }
    if (message !== undefined) failures.push({group, message});
    else ok.push(group);
  }
  const rank = options.rankClasses;
  let classSql = classExpression(classes, options.variance?.z);
  if (rank && rank.values.length) {
    if (!g.includes(rank.column)) throw new Error(`rankClasses: „${rank.column}“ ist keine Gruppenspalte`);
    classSql = `CASE WHEN a.${identifier(rank.column)} IN (${rank.values.map(sqlString).join(", ")}) THEN ${classExpression({method: "quantile", classes: rank.classes})} ELSE ${classSql} END`;
  }
  await conn.run(`CREATE OR REPLACE TABLE ${target} AS
${ctes}
SELECT ${g.map((c) => `a.${c}`).join(", ")}, a.area_id, r.area_id IS NOT NULL AS valid, r.weighted_sum, r.index_z, r.index_se, ${classSql} AS class
FROM areas a LEFT JOIN ranked r USING (${list}, area_id)
JOIN (${ok.length ? `VALUES ${ok.map((o) => `(${g.map((c) => sqlValue(o[c])).join(", ")})`).join(", ")}` : `SELECT ${g.map(() => "NULL").join(", ")} WHERE false`}) ok_groups(${list}) USING (${list})
ORDER BY ALL`);
  return failures;
}

function sqlValue(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  return sqlString(String(value));
}

/**
 * Status × dynamics matrix: counts[s − 1][d − 1] = number of areas with status class s and
 * dynamics class d (areas without either class are left out).
 */
export async function statusDynamicsMatrix(
  conn: DuckDBConnection,
  statusTable: string,
  dynamicsTable: string,
  statusClasses = 4,
  dynamicsClasses = 3
): Promise<number[][]> {
  const rows = (
    await conn.runAndReadAll(
      `SELECT s.class AS s, d.class AS d, count(*) AS n
       FROM ${identifier(statusTable)} s JOIN ${identifier(dynamicsTable)} d ON d.area_id = s.area_id
       WHERE s.class IS NOT NULL AND d.class IS NOT NULL GROUP BY ALL`
    )
  ).getRowObjectsJS();
  const matrix = Array.from({length: statusClasses}, () => new Array<number>(dynamicsClasses).fill(0));
  for (const row of rows) {
    const s = toNumberOrNull(row.s);
    const d = toNumberOrNull(row.d);
    const line = s === null ? undefined : matrix[s - 1];
    if (line === undefined || d === null || d < 1 || d > dynamicsClasses) throw new Error(`Klasse außerhalb der Matrix: Status ${String(s)}, Dynamik ${String(d)}`);
    line[d - 1] = (line[d - 1] ?? 0) + (toNumberOrNull(row.n) ?? 0);
  }
  return matrix;
}

/**
 * A view with the index input (area_id, indicator_id, value) from indicator_values for one
 * year and level: `column` "rate" or "pooled_rate" for the status index, "change_ky" or
 * "change_1y" for the dynamics index.
 */
export function indexInputViewSql(options: {
  view: string;
  year: number;
  level: string;
  column: "rate" | "pooled_rate" | "change_1y" | "change_ky";
  source?: string;
}): string {
  if (!Number.isInteger(options.year)) throw new Error(`Jahr muss ganzzahlig sein: ${options.year}`);
  const column = options.column;
  if (!["rate", "pooled_rate", "change_1y", "change_ky"].includes(column)) throw new Error(`Unbekannte Spalte „${column}“`);
  return `CREATE OR REPLACE VIEW ${identifier(options.view)} AS
SELECT area_id, indicator_id, ${column} AS value FROM ${identifier(options.source ?? "indicator_values")}
WHERE year = ${options.year} AND level = ${sqlString(options.level)};`;
}
