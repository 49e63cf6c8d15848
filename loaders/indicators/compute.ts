/**
 * Computes all catalogue indicators for a loaded city database, in DuckDB:
 * fact views → indicator_counts (every level, by summing over area_closure) →
 * indicator_values (rates, Wilson intervals, city comparison, pooling, change) →
 * need and dynamics index per year and level → small-number protection
 * (indicator_published). Everything the site publishes comes from
 * indicator_published and need_index.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../db.ts";
import type {CityConfig} from "../contract/city-config.ts";
import {createIndicatorValues} from "../stats/rates.ts";
import {computeNeedIndexGrouped} from "../stats/need-index.ts";
import {protectIndicators, PROTECTION_POOLED_YEARS} from "../protection/protect.ts";
import {loadCatalogue, type IndicatorDefinition} from "./catalogue.ts";

const FACTS_SQL = readFileSync(join(fileURLToPath(new URL(".", import.meta.url)), "facts.sql"), "utf8");

const POOLED_YEARS = PROTECTION_POOLED_YEARS;

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * indicator_counts for the whole catalogue in one statement: each fact view is aggregated
 * once per lowest-level area and year, with every indicator's numerator and denominator as
 * columns (one scan of the school-entry microdata for all its indicators), unpivoted to one
 * row per indicator, and summed up the hierarchy. Catalogue aggregates must therefore be
 * additive (count, count_if, sum). An unknown part (NULL: a statistical marker in the input)
 * makes every sum above it unknown instead of silently too small. Already aggregated SEU
 * counts (indicators.csv) fill the years without microdata.
 */
export function indicatorCountsSql(indicators: readonly IndicatorDefinition[], seuYears: readonly number[]): string {
  const views = new Map<string, IndicatorDefinition[]>();
  for (const i of indicators) if (i.source_view !== "input_facts") views.set(i.source_view, [...(views.get(i.source_view) ?? []), i]);
  const ctes: string[] = [];
  const parts: string[] = [];
  for (const [view, list] of views) {
    const name = `w_${view}`;
    ctes.push(`${name} AS MATERIALIZED (
  SELECT f.year, f.area_id, ${list.map((i, k) => `CAST(${i.numerator} AS DOUBLE) AS n${k}, CAST(${i.denominator} AS DOUBLE) AS d${k}`).join(",\n         ")}
  FROM ${view} f GROUP BY f.year, f.area_id)`);
    // INCLUDE NULLS: an unknown count stays a row (it makes the sums above it unknown)
    parts.push(`SELECT year, area_id, indicator_id, numerator, denominator FROM ${name}
  UNPIVOT INCLUDE NULLS ((numerator, denominator) FOR indicator_id IN (${list.map((i, k) => `(n${k}, d${k}) AS ${sqlString(i.id)}`).join(", ")}))`);
  }
  const inputIds = indicators.filter((i) => i.source_view === "input_facts").map((i) => sqlString(i.id));
  const seuIds = indicators.filter((i) => i.source_view === "seu_facts").map((i) => sqlString(i.id));
  const inputWhere = [
    inputIds.length ? `f.indicator_id IN (${inputIds.join(", ")})` : "",
    seuIds.length ? `(f.indicator_id IN (${seuIds.join(", ")})${seuYears.length ? ` AND f.year NOT IN (${seuYears.join(", ")})` : ""})` : ""
  ].filter(Boolean);
  if (inputWhere.length) {
    parts.push(`SELECT f.year, f.area_id, f.indicator_id, CAST(sum(f.numerator) AS DOUBLE) AS numerator, CAST(sum(f.denominator) AS DOUBLE) AS denominator
  FROM input_facts f WHERE ${inputWhere.join(" OR ")} GROUP BY f.year, f.area_id, f.indicator_id`);
  }
  if (!parts.length) parts.push("SELECT NULL::INTEGER AS year, NULL::VARCHAR AS area_id, NULL::VARCHAR AS indicator_id, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator WHERE false");
  return `
WITH ${[...ctes, `parts AS (\n${parts.join("\nUNION ALL\n")})`].join(",\n")}
SELECT p.year, c.ancestor_id AS area_id, a.level, a.parent_id, p.indicator_id,
       -- summed in DECIMAL (exact), so the order of a parallel sum cannot change a result
       CASE WHEN bool_or(p.numerator IS NULL) THEN NULL ELSE CAST(sum(CAST(p.numerator AS DECIMAL(38, 9))) AS DOUBLE) END AS numerator,
       CASE WHEN bool_or(p.denominator IS NULL) THEN NULL ELSE CAST(sum(CAST(p.denominator AS DECIMAL(38, 9))) AS DOUBLE) END AS denominator
FROM parts p JOIN area_closure c ON c.area_id = p.area_id JOIN areas a ON a.area_id = c.ancestor_id
GROUP BY p.indicator_id, p.year, c.ancestor_id, a.level, a.parent_id`;
}

export interface ComputeResult {
  indicators: IndicatorDefinition[];
  primary: number;
  secondary: number;
  pooled: number;
}

/** Runs the whole indicator computation on a connection holding a loaded city. */
export async function computeIndicators(conn: DuckDBConnection, config: CityConfig, options: {protection?: "full" | "primary-only"} = {}): Promise<ComputeResult> {
  await conn.run(FACTS_SQL);
  const catalogue = loadCatalogue();
  const seuYears = (await queryRows<{year: number}>(conn, "SELECT DISTINCT year FROM seu ORDER BY year")).map((r) => r.year);
  await conn.run(`CREATE OR REPLACE TABLE indicator_counts (year INTEGER, area_id VARCHAR, level VARCHAR, parent_id VARCHAR, indicator_id VARCHAR, numerator DOUBLE, denominator DOUBLE)`);
  await conn.run(`INSERT INTO indicator_counts ${indicatorCountsSql(catalogue, seuYears)}`);
  // indicators without any positive denominator are not computed for this city
  const present = new Set((await queryRows<{indicator_id: string}>(conn, "SELECT indicator_id FROM indicator_counts GROUP BY indicator_id HAVING count(*) FILTER (WHERE denominator > 0) > 0")).map((r) => r.indicator_id));
  const computed = catalogue.filter((i) => present.has(i.id));
  await conn.run(`DELETE FROM indicator_counts WHERE indicator_id NOT IN (SELECT unnest([${[...present].map(sqlString).join(", ")}]::VARCHAR[]))`);
  await conn.run(`CREATE OR REPLACE TABLE indicator_catalogue AS SELECT * FROM (VALUES ${computed
    .map((i) => `(${[i.id, i.title, i.short_title, i.definition, i.topic, i.kind, i.unit, i.source, i.life_phase, i.numerator_label, i.denominator_label].map(sqlString).join(", ")}, ${i.polarity}, ${i.target ? sqlString(i.target) : "NULL"}, ${sqlString(i.handlungsfeld.join("|"))}, ${i.in_report})`)
    .join(",\n")}) t(indicator_id, title, short_title, definition, topic, kind, unit, source, life_phase, numerator_label, denominator_label, polarity, target, handlungsfeld, in_report)`);
  const root = (await queryRows<{area_id: string}>(conn, "SELECT area_id FROM areas WHERE level_rank = 0"))[0]!.area_id;
  await createIndicatorValues(conn, {cityId: root, pooledYears: POOLED_YEARS, changeYears: config.need_index.dynamics_years});
  // Intervals and significance only make sense for proportions; € values differ in €, not in percentage points.
  const nonProportion = computed.filter((i) => i.kind !== "proportion").map((i) => sqlString(i.id));
  if (nonProportion.length) {
    await conn.run(`UPDATE indicator_values SET ci_lo = NULL, ci_hi = NULL, signif = NULL, pooled_ci_lo = NULL, pooled_ci_hi = NULL WHERE indicator_id IN (${nonProportion.join(", ")})`);
  }
  // Stock counts (the same children on consecutive reference dates): the pooled value is the
  // mean of m overlapping years, not m independent samples, so its Wilson interval uses the mean
  // counts (pooled numerator and denominator / m) – about √m wider than one on the sums
  const stock = computed.filter((i) => i.kind === "proportion" && i.stock === true).map((i) => sqlString(i.id));
  if (stock.length) {
    await conn.run(`UPDATE indicator_values SET
        pooled_ci_lo = wilson_lo(pooled_numerator / ${POOLED_YEARS}, pooled_denominator / ${POOLED_YEARS}),
        pooled_ci_hi = wilson_hi(pooled_numerator / ${POOLED_YEARS}, pooled_denominator / ${POOLED_YEARS})
      WHERE indicator_id IN (${stock.join(", ")}) AND pooled_numerator IS NOT NULL`);
  }
  const perCapita = computed.filter((i) => i.kind === "per_capita").map((i) => sqlString(i.id));
  if (perCapita.length) {
    await conn.run(`UPDATE indicator_values SET diff_city = diff_city / 100, change_1y = change_1y / 100, change_ky = change_ky / 100 WHERE indicator_id IN (${perCapita.join(", ")})`);
  }
  await computeProvenance(conn, computed);
  // protection first: the need index is computed from published values only, so that its
  // z-values cannot carry a withheld rate (docs/methods.md §10)
  const protection = await protectIndicators(conn, config, computed, {mode: options.protection ?? "full"});
  await computeIndices(conn, config, computed);
  return {indicators: computed, primary: protection.primary, secondary: protection.secondary, pooled: protection.pooled};
}

const SYNTHETIC = "lower(coalesce(source, '')) LIKE '%synthetisch%'";

/** The input tables behind each fact view, and how to tell a synthetic row there. */
function provenanceSources(indicator: IndicatorDefinition): string[] {
  const id = sqlString(indicator.id);
  const input = `SELECT year, ${SYNTHETIC} AS synthetic FROM indicator_input WHERE indicator_id = ${id}`;
  const population = `SELECT y.year, ${SYNTHETIC.replace("source", "p.source")} AS synthetic FROM population_year y JOIN population p ON p.year = y.pop_year`;
  switch (indicator.source_view) {
    case "seu_facts":
      return [`SELECT year, ${SYNTHETIC} AS synthetic FROM seu`, input];
    case "input_facts":
      return [input];
    case "kita_facts":
      return [`SELECT year, ${SYNTHETIC} AS synthetic FROM kitas`, population];
    case "funding_facts":
      return [`SELECT year, ${SYNTHETIC} AS synthetic FROM measures WHERE status = 'bewilligt'`, population];
    case "reach_facts":
      return [`SELECT year, ${SYNTHETIC.replace("source", "reach_source")} OR ${SYNTHETIC} AS synthetic FROM measures WHERE reach IS NOT NULL`, population];
  }
}

/**
 * indicator_provenance(indicator_id, year, synthetic): a value is synthetic ("Beispieldaten")
 * when any input row behind it in that year is marked "synthetisch".
 */
async function computeProvenance(conn: DuckDBConnection, computed: IndicatorDefinition[]): Promise<void> {
  await conn.run("CREATE OR REPLACE TABLE indicator_provenance (indicator_id VARCHAR, year INTEGER, synthetic BOOLEAN)");
  if (computed.length === 0) return;
  // one statement: the synthetic flag of every input year behind each indicator; each input
  // table is scanned once (per year), however many indicators rest on it
  const ctes = new Map<string, string>();
  const cteOf = (source: string): string => {
    let name = ctes.get(source);
    if (!name) {
      name = `src${ctes.size}`;
      ctes.set(source, name);
    }
    return name;
  };
  const sources = computed.map((indicator) => provenanceSources(indicator).map((source) => `SELECT ${sqlString(indicator.id)} AS indicator_id, year, synthetic FROM ${cteOf(source)}`).join(" UNION ALL "));
  const cteSql = [...ctes].map(([source, name]) => `${name} AS MATERIALIZED (SELECT year, bool_or(synthetic) AS synthetic FROM (${source}) GROUP BY year)`);
  await conn.run(`INSERT INTO indicator_provenance
    WITH ${cteSql.join(",\n    ")},
    s AS (${sources.join("\n    UNION ALL ")})
    SELECT v.indicator_id, v.year, coalesce(bool_or(s.synthetic), false)
    FROM (SELECT DISTINCT indicator_id, year FROM indicator_values) v
    LEFT JOIN s ON s.indicator_id = v.indicator_id AND s.year = v.year
    GROUP BY v.indicator_id, v.year`);
}

/** Basis "auto": a level's status index uses three-year means where its median denominator is below this. */
export const POOL_BELOW_DENOMINATOR = 200;

/**
 * … and where three-year means give at least this share of the area-years that annual values
 * give (a pooled value is withheld when any of its years is; pooling must not cost coverage).
 */
export const POOL_MIN_COVERAGE = 0.9;

/** The class method of a level, as the pages name it. */
export const CLASS_METHOD_LABELS = {thresholds: "Schwellenwerte", rank: "Rangklassen"} as const;

/**
 * Need (status) and dynamics index for every year and area level below the city, all groups in
 * one computation each (computeNeedIndexGrouped).
 *
 * - One basis per level for all its years (a series must not switch between annual and pooled
 *   values): `need_index.basis` "annual", "pooled", or "auto" – three-year means where the
 *   median denominator of the index indicators at that level is below POOL_BELOW_DENOMINATOR
 *   (small areas, as Fingertips pools) and pooling keeps at least POOL_MIN_COVERAGE of the
 *   area-years annual values cover, annual values otherwise. A pooled level has no index in
 *   years without three-year means (logged).
 * - Classes: the z thresholds need enough areas – with n areas no z can exceed (n − 1)/√n, so
 *   with 6 areas the top class is out of reach. Levels with fewer than
 *   `need_index.min_areas_for_thresholds` areas (default 20) get rank classes instead: four
 *   status classes of about equal size by rank (method "quantile"); need_index.class_method
 *   names the method used. The dynamics keeps its ±1 thresholds everywhere: rank classes would
 *   call a third of the areas "rising need" even when every change is noise.
 * - Dynamics: the k-year change, with the standard error of sampling (binomial variance of both
 *   years' rates, carried through the z-sum with means and SDs taken as fixed): class 1 or 3
 *   only where the index lies beyond ∓1 by more than 1,96 standard errors. A year and level
 *   whose status index cannot be computed gets a log entry and no dynamics index either.
 */
async function computeIndices(conn: DuckDBConnection, config: CityConfig, computed: IndicatorDefinition[]): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE need_index (year INTEGER, level VARCHAR, area_id VARCHAR, status_z DOUBLE, status_class INTEGER, dynamics_z DOUBLE, dynamics_class INTEGER, basis VARCHAR, class_method VARCHAR, dynamics_se DOUBLE)`);
  await conn.run(`CREATE OR REPLACE TABLE need_index_log (year INTEGER, level VARCHAR, kind VARCHAR, message VARCHAR)`);
  const byId = new Map(computed.map((i) => [i.id, i]));
  const indicators = config.need_index.indicators
    .filter((i) => byId.has(i.id))
    .map((i) => ({id: i.id, weight: i.weight, polarity: (i.polarity ?? (byId.get(i.id)!.polarity === -1 ? -1 : 1)) as 1 | -1}));
  if (indicators.length === 0) return;
  const ids = indicators.map((i) => sqlString(i.id)).join(", ");
  const sd = config.need_index.sd ?? "sample";
  const quantileEverywhere = config.need_index.method === "quantile";
  const classes = quantileEverywhere ? {method: "quantile" as const, classes: 4} : {method: "thresholds" as const, thresholds: config.need_index.thresholds};
  // per level: its number of areas (class method) and its basis for all years
  const basis = config.need_index.basis;
  await conn.run(`CREATE OR REPLACE TEMP TABLE need_levels AS
    SELECT l.level,
           (SELECT count(*) FROM areas a WHERE a.level = l.level) AS n_areas,
           (SELECT median(p.denominator) FROM indicator_published p WHERE p.level = l.level AND p.indicator_id IN (${ids}) AND p.denominator > 0) AS median_denominator
    FROM area_levels l WHERE l.level_rank > 0`);
  // coverage: areas × years with every input, annual and pooled, in the years that have pooled values
  await conn.run(`CREATE OR REPLACE TEMP TABLE need_coverage AS
    WITH c AS (
      SELECT level, year, area_id, count(rate) = ${indicators.length} AS annual_ok, count(pooled_rate) = ${indicators.length} AS pooled_ok
      FROM indicator_published WHERE indicator_id IN (${ids}) GROUP BY level, year, area_id),
    py AS (SELECT level, year FROM c GROUP BY level, year HAVING bool_or(pooled_ok))
    SELECT level, count(*) FILTER (WHERE annual_ok) AS annual_n, count(*) FILTER (WHERE pooled_ok) AS pooled_n
    FROM c SEMI JOIN py USING (level, year) GROUP BY level`);
  await conn.run(`ALTER TABLE need_levels ADD COLUMN pooled BOOLEAN`);
  await conn.run(`UPDATE need_levels l SET pooled = ${basis === "pooled" ? "true" : basis === "annual" ? "false" : `coalesce(l.median_denominator < ${POOL_BELOW_DENOMINATOR}
      AND (SELECT c.pooled_n >= ${POOL_MIN_COVERAGE} * c.annual_n FROM need_coverage c WHERE c.level = l.level), false)`}`);
  const levels = await queryRows<{level: string; n_areas: number; pooled: boolean}>(conn, "SELECT level, n_areas, pooled FROM need_levels ORDER BY level");
  const rankLevels = quantileEverywhere ? [] : levels.filter((l) => Number(l.n_areas) < config.need_index.min_areas_for_thresholds).map((l) => l.level);
  // every level × every year with index inputs; a pooled level only where three-year means exist
  await conn.run(`CREATE OR REPLACE TEMP TABLE need_groups_all AS
    SELECT y.year, l.level, l.pooled, coalesce(count(p.pooled_rate), 0) > 0 AS has_pooled
    FROM (SELECT DISTINCT year FROM indicator_published WHERE indicator_id IN (${ids})) y
    CROSS JOIN need_levels l
    LEFT JOIN indicator_published p ON p.year = y.year AND p.level = l.level AND p.indicator_id IN (${ids})
    GROUP BY y.year, l.level, l.pooled`);
  const noPooled = await queryRows<{year: number; level: string}>(conn, "SELECT year, level FROM need_groups_all WHERE pooled AND NOT has_pooled ORDER BY year, level");
  await conn.run("CREATE OR REPLACE TEMP TABLE need_groups AS SELECT year, level, pooled FROM need_groups_all WHERE NOT pooled OR has_pooled");
  await conn.run(`CREATE OR REPLACE TEMP TABLE need_status_input AS
    SELECT g.year, g.level, p.area_id, p.indicator_id, CASE WHEN g.pooled THEN p.pooled_rate ELSE p.rate END AS value
    FROM need_groups g LEFT JOIN indicator_published p ON p.year = g.year AND p.level = g.level AND p.indicator_id IN (${ids})`);
  // (a group without any input row keeps one row with area_id NULL, so that it is checked and logged)
  const statusFailures = await computeNeedIndexGrouped(conn, {source: "need_status_input", target: "status_tmp", indicators, sd, classes, groups: ["year", "level"], rankClasses: {column: "level", values: rankLevels, classes: 4}});
  // the change over k years and its binomial sampling variance (pp²): 100² · (p(1 − p)/n now + then)
  const k = config.need_index.dynamics_years;
  const binomial = (t: string) => `CASE WHEN ${t}.denominator > 0 AND ${t}.rate BETWEEN 0 AND 1 THEN ${t}.rate * (1 - ${t}.rate) / ${t}.denominator END`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE need_dynamics_input AS
    SELECT p.year, p.level, p.area_id, p.indicator_id, p.change_ky AS value,
           10000 * (${binomial("p")} + ${binomial("q")}) AS variance
    FROM (SELECT DISTINCT year, level FROM status_tmp) g JOIN indicator_published p ON p.year = g.year AND p.level = g.level AND p.indicator_id IN (${ids})
    LEFT JOIN indicator_published q ON q.area_id = p.area_id AND q.indicator_id = p.indicator_id AND q.year = p.year - ${Number(k)}`);
  const dynamicsClasses = {method: "thresholds" as const, thresholds: [-1, 1]};
  // (no rank classes for the dynamics: they would put a third of the areas into "rising need"
  // even when every change is noise; ±1 is reachable with few areas)
  // an area is "rising" or "falling" only when its dynamics index lies beyond ±1 by more than
  // 1,96 standard errors of sampling (docs/methods.md §7): most changes of small areas are noise
  const dynamicsFailures = await computeNeedIndexGrouped(conn, {source: "need_dynamics_input", target: "dynamics_tmp", indicators, sd, classes: dynamicsClasses, groups: ["year", "level"], ...(config.need_index.dynamics_sampling_error ? {variance: {column: "variance", z: 1.959963984540054}} : {})});
  const log = [
    ...noPooled.map((g) => ({group: {year: g.year, level: g.level}, kind: "status", message: "Die Ebene wird mit Dreijahresmitteln berechnet; für dieses Jahr liegen noch keine vor"})),
    ...statusFailures.map((f) => ({...f, kind: "status"})),
    ...dynamicsFailures.map((f) => ({...f, kind: "dynamics"}))
  ];
  if (log.length) {
    await conn.run(`INSERT INTO need_index_log VALUES ${log.map((f) => `(${Number(f.group.year)}, ${sqlString(String(f.group.level))}, ${sqlString(f.kind)}, ${sqlString(f.message)})`).join(", ")}`);
  }
  const methodSql = rankLevels.length || quantileEverywhere
    ? `CASE WHEN ${quantileEverywhere ? "true" : `s.level IN (${rankLevels.map(sqlString).join(", ")})`} THEN '${CLASS_METHOD_LABELS.rank}' ELSE '${CLASS_METHOD_LABELS.thresholds}' END`
    : `'${CLASS_METHOD_LABELS.thresholds}'`;
  await conn.run(`INSERT INTO need_index
    SELECT s.year, s.level, s.area_id, s.index_z, s.class, d.index_z, d.class, CASE WHEN g.pooled THEN 'Dreijahresmittel' ELSE 'Jahreswert' END, ${methodSql}, d.index_se
    FROM status_tmp s JOIN need_groups g USING (year, level)
    LEFT JOIN dynamics_tmp d USING (year, level, area_id)
    JOIN areas a ON a.area_id = s.area_id AND a.level = s.level
    ORDER BY s.level, s.year, s.area_id`);
  await conn.run("DROP TABLE IF EXISTS status_tmp; DROP TABLE IF EXISTS dynamics_tmp; DROP TABLE IF EXISTS need_groups; DROP TABLE IF EXISTS need_groups_all; DROP TABLE IF EXISTS need_levels; DROP TABLE IF EXISTS need_coverage; DROP TABLE IF EXISTS need_status_input; DROP TABLE IF EXISTS need_dynamics_input;");
}
