/**
 * SQL that prepares the plain input rows of the funding engine from a computed city
 * database (tables of loaders/indicators/facts.sql and compute.ts: measures,
 * measure_allocation, target_population, pop_wide, population_year, area_closure,
 * leaf_areas, areas, need_index, indicator_counts). The engine itself (concentration.ts,
 * reach.ts, allocation.ts, chain.ts) is pure TypeScript on these rows.
 *
 * Year rule for the need index (and the indicator inputs of the allocation): the index of the
 * same year, else the latest earlier year, else the earliest year available – as
 * population_year does for the population.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../db.ts";
import type {AllocationArea, NeedClass} from "./allocation.ts";
import type {ChainArea, ChainMeasure} from "./chain.ts";
import {sqlString} from "./common.ts";
import type {FundingRow, NeedAreaRow} from "./concentration.ts";
import type {ReachRow} from "./reach.ts";

/** Columns of pop_wide usable as the reference population. */
export const POPULATION_COLUMNS = ["children_0_3", "children_3_6", "children_6_10", "children_10_15", "children_15_18", "children_0_18", "population"] as const;
export type PopulationColumn = (typeof POPULATION_COLUMNS)[number];

function populationColumn(column: string | undefined): PopulationColumn {
  const c = (column ?? "children_0_18") as PopulationColumn;
  if (!POPULATION_COLUMNS.includes(c)) throw new RangeError(`Unbekannte Bevölkerungsspalte: ${String(column)} (erlaubt: ${POPULATION_COLUMNS.join(", ")})`);
  return c;
}

function statusList(statuses: readonly string[] | undefined): string {
  const list = statuses ?? ["bewilligt"];
  if (list.length === 0) throw new RangeError("Mindestens ein Status (bewilligt/beantragt) angeben");
  return list.map(sqlString).join(", ");
}

function yearInt(year: number): number {
  if (!Number.isInteger(year)) throw new RangeError(`Jahr: ganze Zahl erwartet, erhalten: ${String(year)}`);
  return year;
}

/** The latest year ≤ `yearExpr` in `table` (filtered by `where`), else its earliest year. */
function yearRule(table: string, where: string, yearExpr: string): string {
  return `coalesce((SELECT max(t.year) FROM ${table} t WHERE ${where} AND t.year <= ${yearExpr}), (SELECT min(t.year) FROM ${table} t WHERE ${where}))`;
}

/**
 * One row per funding year (years of `measures`) and area of `level`: need (status_z), need
 * class and the reference population (a pop_wide column, summed over the area's leaves).
 */
export function needAreasSql(level: string, column?: string): string {
  const L = sqlString(level);
  const col = populationColumn(column);
  return `
WITH fy AS (SELECT DISTINCT year FROM measures),
ym AS (SELECT fy.year, ${yearRule("need_index", `t.level = ${L}`, "fy.year")} AS need_year FROM fy),
pop AS (
  SELECT py.year, c.ancestor_id AS area_id, sum(p.${col}) AS population
  FROM population_year py
  JOIN pop_wide p ON p.year = py.pop_year
  JOIN area_closure c ON c.area_id = p.area_id
  JOIN areas a ON a.area_id = c.ancestor_id AND a.level = ${L}
  WHERE py.year IN (SELECT year FROM fy)
  GROUP BY py.year, c.ancestor_id
)
SELECT ym.year, a.area_id, a.name, ym.need_year, n.status_z AS need, n.status_class AS need_class,
       -- withheld child population (small-number protection): NULL, the area leaves the comparison
       CASE WHEN pw.area_id IS NULL THEN CAST(coalesce(pop.population, 0) AS DOUBLE) END AS population
FROM ym CROSS JOIN areas a
LEFT JOIN need_index n ON n.year = ym.need_year AND n.level = a.level AND n.area_id = a.area_id
LEFT JOIN pop ON pop.year = ym.year AND pop.area_id = a.area_id
LEFT JOIN population_withheld pw ON pw.area_id = a.area_id AND pw.year = ym.year
WHERE a.level = ${L}
ORDER BY ym.year, a.area_id`;
}

/** Funding per year, programme and area of `level` (sum of measure_allocation over the area's leaves). */
export function fundingByAreaSql(level: string, statuses?: readonly string[]): string {
  return `
SELECT a.year, coalesce(m.programme, 'ohne Programm') AS programme, c.ancestor_id AS area_id, CAST(sum(a.amount_eur) AS DOUBLE) AS amount
FROM measure_allocation a
JOIN measures m USING (measure_id)
JOIN area_closure c ON c.area_id = a.area_id
JOIN areas ar ON ar.area_id = c.ancestor_id
WHERE ar.level = ${sqlString(level)} AND a.status IN (${statusList(statuses)})
  -- money spread by population share would reveal a withheld population
  AND NOT EXISTS (SELECT 1 FROM population_withheld pw WHERE pw.area_id = c.ancestor_id AND pw.year = a.year)
GROUP BY a.year, coalesce(m.programme, 'ohne Programm'), c.ancestor_id
ORDER BY a.year, programme, area_id`;
}

/**
 * Reach rows: one row per measure with known reach and EVERY area of `level` – reach 0 and
 * served = false where the measure does not serve the area, with the area's target population
 * of the measure's target group.
 */
export function reachRowsSql(level: string, statuses?: readonly string[]): string {
  return `
WITH m AS (
  SELECT measure_id, year, coalesce(target_group, 'children_0_18') AS target_group
  FROM measures WHERE reach IS NOT NULL AND status IN (${statusList(statuses)})
),
leaf AS (
  SELECT m.measure_id, m.year, l.area_id, coalesce(tp.population, 0) AS target_population,
         coalesce(a.reach, 0) AS reach, a.measure_id IS NOT NULL AS served
  FROM m CROSS JOIN leaf_areas l
  LEFT JOIN target_population tp ON tp.year = m.year AND tp.area_id = l.area_id AND tp.target_group = m.target_group
  LEFT JOIN measure_allocation a ON a.measure_id = m.measure_id AND a.area_id = l.area_id
)
SELECT leaf.measure_id, leaf.year, c.ancestor_id AS area_id,
       CAST(sum(leaf.reach) AS DOUBLE) AS reach, CAST(sum(leaf.target_population) AS DOUBLE) AS target_population, bool_or(leaf.served) AS served
FROM leaf JOIN area_closure c ON c.area_id = leaf.area_id JOIN areas ar ON ar.area_id = c.ancestor_id
WHERE ar.level = ${sqlString(level)}
  AND NOT EXISTS (SELECT 1 FROM population_withheld pw WHERE pw.area_id = c.ancestor_id AND pw.year = leaf.year)
GROUP BY leaf.measure_id, leaf.year, c.ancestor_id
ORDER BY leaf.measure_id, area_id`;
}

/** Measures of one year with the areas of `level` they serve and their money per area. */
export function chainMeasuresSql(level: string, year: number, statuses?: readonly string[]): string {
  return `
WITH per_area AS (
  SELECT a.measure_id, c.ancestor_id AS area_id, sum(a.amount_eur) AS amount_eur
  FROM measure_allocation a JOIN area_closure c ON c.area_id = a.area_id JOIN areas ar ON ar.area_id = c.ancestor_id
  WHERE ar.level = ${sqlString(level)}
    AND NOT EXISTS (SELECT 1 FROM population_withheld pw WHERE pw.area_id = c.ancestor_id AND pw.year = a.year)
  GROUP BY a.measure_id, c.ancestor_id
)
SELECT m.measure_id, m.year, m.measure, CAST(m.amount_eur AS DOUBLE) AS amount_eur, m.status, m.handlungsfeld, m.life_phases,
       coalesce(list(p.area_id ORDER BY p.area_id) FILTER (WHERE p.area_id IS NOT NULL), []) AS area_ids,
       coalesce(list(CAST(p.amount_eur AS DOUBLE) ORDER BY p.area_id) FILTER (WHERE p.area_id IS NOT NULL), []) AS area_amounts
FROM measures m LEFT JOIN per_area p USING (measure_id)
WHERE m.year = ${yearInt(year)} AND m.status IN (${statusList(statuses)})
GROUP BY m.measure_id, m.year, m.measure, m.amount_eur, m.status, m.handlungsfeld, m.life_phases
ORDER BY m.measure_id`;
}

/** Areas of `level` with the need class of `year` (year rule above). */
export function needClassesSql(level: string, year: number): string {
  const L = sqlString(level);
  return `
SELECT a.area_id, a.name, n.status_z AS need_z, n.status_class AS need_class
FROM areas a
LEFT JOIN need_index n ON n.level = a.level AND n.area_id = a.area_id AND n.year = ${yearRule("need_index", `t.level = ${L}`, String(yearInt(year)))}
WHERE a.level = ${L}
ORDER BY a.area_id`;
}

/**
 * Inputs of the allocation simulator for the areas of `level` in `year`:
 * target population (a pop_wide column), need z and class, children under 6 in SGB II
 * households (numerator of indicator sgb2_u6), children with non-German family language
 * (ESTIMATE: share "Familiensprache nicht Deutsch" of the school-entry examination ×
 * children under 6), current granted funding of the year (optionally of one programme).
 */
export function allocationAreasSql(level: string, year: number, options: {populationColumn?: string; programme?: string} = {}): string {
  const L = sqlString(level);
  const Y = String(yearInt(year));
  const col = populationColumn(options.populationColumn);
  const programme = options.programme === undefined ? "" : `AND m.programme = ${sqlString(options.programme)}`;
  // published (protected) values only: a withheld cell stays NULL here
  const counts = (id: string): string => yearRule("indicator_published", `t.level = ${L} AND t.indicator_id = ${sqlString(id)}`, Y);
  return `
WITH pop AS (
  SELECT c.ancestor_id AS area_id, sum(p.${col}) AS target_population, sum(p.children_0_3 + p.children_3_6) AS children_0_6
  FROM pop_wide p JOIN area_closure c ON c.area_id = p.area_id
  WHERE p.year = ${yearRule("pop_wide", "true", Y)}
  GROUP BY c.ancestor_id
),
sgb AS (
  SELECT area_id, numerator AS sgb2_u6 FROM indicator_published
  WHERE indicator_id = 'sgb2_u6' AND level = ${L} AND year = ${counts("sgb2_u6")}
),
lang AS (
  SELECT area_id, rate FROM indicator_published
  WHERE indicator_id = 'seu_family_lang_nongerman' AND level = ${L} AND year = ${counts("seu_family_lang_nongerman")}
),
cur AS (
  SELECT c.ancestor_id AS area_id, sum(a.amount_eur) AS current
  FROM measure_allocation a JOIN measures m USING (measure_id) JOIN area_closure c ON c.area_id = a.area_id
  WHERE a.year = ${Y} AND a.status = 'bewilligt' ${programme}
  GROUP BY c.ancestor_id
)
SELECT a.area_id, a.name, CASE WHEN pw.area_id IS NULL THEN CAST(coalesce(pop.target_population, 0) AS DOUBLE) END AS target_population,
       n.status_z AS need_z, n.status_class AS need_class,
       CAST(sgb.sgb2_u6 AS DOUBLE) AS sgb2_u6,
       CASE WHEN pw.area_id IS NULL THEN CAST(lang.rate * pop.children_0_6 AS DOUBLE) END AS nongerman_lang,
       CASE WHEN pw.area_id IS NULL THEN CAST(coalesce(cur.current, 0) AS DOUBLE) END AS current
FROM areas a
LEFT JOIN pop USING (area_id)
LEFT JOIN need_index n ON n.level = a.level AND n.area_id = a.area_id AND n.year = ${yearRule("need_index", `t.level = ${L}`, Y)}
LEFT JOIN sgb USING (area_id)
LEFT JOIN lang USING (area_id)
LEFT JOIN cur USING (area_id)
LEFT JOIN population_withheld pw ON pw.area_id = a.area_id AND pw.year = ${Y}
WHERE a.level = ${L}
ORDER BY a.area_id`;
}

// ---------------------------------------------------------------------------
// loaders returning the engine's row types

export interface FundingQueryOptions {
  /** Area level id (e.g. "stadtbezirk"). */
  level: string;
  /** Measure statuses (default ["bewilligt"]). */
  statuses?: readonly string[];
  /** pop_wide column of the reference population (default children_0_18). */
  populationColumn?: PopulationColumn;
}

export async function loadConcentrationInputs(conn: DuckDBConnection, options: FundingQueryOptions): Promise<{areas: (NeedAreaRow & {name: string; need_class: number | null})[]; funding: FundingRow[]}> {
  const areas = await queryRows(conn, needAreasSql(options.level, options.populationColumn));
  const funding = await queryRows(conn, fundingByAreaSql(options.level, options.statuses));
  return {areas: areas as unknown as (NeedAreaRow & {name: string; need_class: number | null})[], funding: funding as unknown as FundingRow[]};
}

export async function loadReachRows(conn: DuckDBConnection, options: Omit<FundingQueryOptions, "populationColumn">): Promise<(ReachRow & {year: number; served: boolean})[]> {
  return (await queryRows(conn, reachRowsSql(options.level, options.statuses))) as unknown as (ReachRow & {year: number; served: boolean})[];
}

export async function loadChainInputs(conn: DuckDBConnection, options: {level: string; year: number; statuses?: readonly string[]}): Promise<{measures: ChainMeasure[]; areas: ChainArea[]}> {
  const rows = await queryRows<{measure_id: number; year: number; measure: string; amount_eur: number; status: string; handlungsfeld: string[] | null; life_phases: string[] | null; area_ids: string[]; area_amounts: number[]}>(
    conn,
    chainMeasuresSql(options.level, options.year, options.statuses)
  );
  const measures: ChainMeasure[] = rows.map((r) => ({
    measure_id: r.measure_id,
    year: r.year,
    measure: r.measure,
    amount_eur: r.amount_eur,
    status: r.status,
    handlungsfeld: r.handlungsfeld ?? [],
    life_phases: r.life_phases ?? [],
    areas: r.area_ids,
    area_amounts: Object.fromEntries(r.area_ids.map((id, i) => [id, r.area_amounts[i] ?? 0]))
  }));
  const areas = await queryRows<{area_id: string; name: string; need_class: number | null}>(conn, needClassesSql(options.level, options.year));
  return {measures, areas: areas.map((a) => ({area_id: a.area_id, name: a.name, need_class: a.need_class}))};
}

export async function loadAllocationAreas(conn: DuckDBConnection, options: {level: string; year: number; populationColumn?: PopulationColumn; programme?: string}): Promise<AllocationArea[]> {
  const rows = await queryRows<{area_id: string; name: string; target_population: number | null; need_z: number | null; need_class: number | null; sgb2_u6: number | null; nongerman_lang: number | null; current: number}>(
    conn,
    allocationAreasSql(options.level, options.year, options)
  );
  // areas whose child population is withheld take no part in the simulation (their share would reveal it)
  return rows.flatMap((r) => (r.target_population === null ? [] : [{...r, target_population: r.target_population}])).map((r) => ({
    area_id: r.area_id,
    name: r.name,
    target_population: r.target_population,
    need_z: r.need_z,
    need_class: r.need_class === 1 || r.need_class === 2 || r.need_class === 3 || r.need_class === 4 ? (r.need_class as NeedClass) : null,
    sgb2_u6: r.sgb2_u6,
    nongerman_lang: r.nongerman_lang,
    current: r.current
  }));
}
