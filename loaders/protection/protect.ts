/**
 * Small-number protection of a city build, in one model for all linked tables
 * (docs/methods.md §10):
 *
 * 1. Primary rule on every cell of the implied table – numerator, complement
 *    (denominator − numerator) and denominator – per indicator thresholds.
 * 2. Secondary suppression with protection levels per protection family (indicators whose
 *    denominators count the same people) and year, sub-table by sub-table (secondary.ts).
 * 3. Pooled windows: a pooled value is published only when every year of its window is
 *    published; it is then the sum of published values and reveals nothing new.
 * 4. indicator_published: indicator_values with every figure of a withheld cell removed –
 *    counts, rate, interval, city difference, significance, changes that involve it, the
 *    city value where the city itself is withheld.
 *
 * Heavy lifting is set-based in DuckDB; only the per-family trees run in TypeScript.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../db.ts";
import type {CityConfig} from "../contract/city-config.ts";
import {denominatorFamily, type IndicatorDefinition} from "../indicators/catalogue.ts";
import {buildAreaTree, protectFamilyYear, PUBLISHED, type FamilyMember} from "./secondary.ts";

export interface ProtectionRule {
  indicator_id: string;
  family: string;
  min_cases: number;
  min_denominator: number;
  protect_numerator: boolean;
}

export interface ProtectionSummary {
  /** annual cells withheld because they are small themselves */
  primary: number;
  /** annual cells withheld to protect others */
  secondary: number;
  /** pooled windows withheld */
  pooled: number;
  width: number;
}

export function protectionRules(config: CityConfig, indicators: readonly IndicatorDefinition[]): ProtectionRule[] {
  return indicators.map((i) => ({
    indicator_id: i.id,
    family: denominatorFamily(i),
    min_cases: i.min_cases ?? config.small_numbers.min_cases,
    min_denominator: i.min_denominator ?? config.small_numbers.min_denominator,
    // numerators of people (proportions) are protected with their complement; public numerators
    // (Kita places, € of the funding lists, reach) are not secret, only their denominators are
    protect_numerator: i.kind === "proportion" && !i.numerator_public
  }));
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export interface ProtectOptions {
  /** Test hook: "primary-only" skips secondary suppression (the audit must then find leaks). */
  mode?: "full" | "primary-only";
}

/**
 * Protects indicator_values (from createIndicatorValues) and writes protection_rules,
 * protection_cells (withheld annual cells) and indicator_published.
 */
export async function protectIndicators(conn: DuckDBConnection, config: CityConfig, indicators: readonly IndicatorDefinition[], options: ProtectOptions = {}): Promise<ProtectionSummary> {
  const width = config.small_numbers.protection_width;
  const rules = protectionRules(config, indicators);
  await conn.run("CREATE OR REPLACE TABLE protection_rules (indicator_id VARCHAR, family VARCHAR, min_cases INTEGER, min_denominator INTEGER, protect_numerator BOOLEAN)");
  if (rules.length) {
    await conn.run(`INSERT INTO protection_rules VALUES ${rules.map((r) => `(${sqlString(r.indicator_id)}, ${sqlString(r.family)}, ${r.min_cases}, ${r.min_denominator}, ${r.protect_numerator})`).join(", ")}`);
  }
  await conn.run("CREATE OR REPLACE TABLE protection_cells (indicator_id VARCHAR, area_id VARCHAR, year INTEGER, state UTINYINT, denominator_withheld BOOLEAN)");

  const areas = await queryRows<{id: string; parent_id: string | null}>(conn, "SELECT area_id AS id, parent_id FROM areas");
  const tree = buildAreaTree(areas);
  const areaIndex = new Map(tree.ids.map((id, i) => [id, i]));
  const families = new Map<string, ProtectionRule[]>();
  for (const rule of rules) families.set(rule.family, [...(families.get(rule.family) ?? []), rule]);

  const appender = await conn.createAppender("protection_cells");
  for (const [, members] of [...families].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ids = members.map((m) => m.indicator_id);
    const reader = await conn.runAndReadAll(`
      SELECT indicator_id, year, area_id, numerator, denominator FROM indicator_values
      WHERE indicator_id IN (${ids.map(sqlString).join(", ")})`);
    const [indicatorCol, yearCol, areaCol, numCol, denCol] = reader.getColumnsJS() as [string[], number[], string[], (number | null)[], (number | null)[]];
    const memberIndex = new Map(ids.map((id, j) => [id, j]));
    const byYear = new Map<number, {numerator: Float64Array[]; denominator: Float64Array[]}>();
    for (let r = 0; r < yearCol.length; r++) {
      const year = Number(yearCol[r]);
      let arrays = byYear.get(year);
      if (!arrays) {
        arrays = {
          numerator: ids.map(() => new Float64Array(tree.ids.length).fill(NaN)),
          denominator: ids.map(() => new Float64Array(tree.ids.length).fill(NaN))
        };
        byYear.set(year, arrays);
      }
      const j = memberIndex.get(indicatorCol[r]!)!;
      const v = areaIndex.get(areaCol[r]!);
      if (v === undefined) throw new Error(`Geheimhaltung: Gebiet „${areaCol[r]}“ fehlt in der Gebietsstruktur`);
      const num = numCol[r];
      const den = denCol[r];
      arrays.numerator[j]![v] = num === null || num === undefined ? NaN : Number(num);
      arrays.denominator[j]![v] = den === null || den === undefined ? NaN : Number(den);
    }
    const familyMembers: FamilyMember[] = members.map((m) => ({id: m.indicator_id, protectNumerator: m.protect_numerator, minCases: m.min_cases, minDenominator: m.min_denominator}));
    for (const [year, counts] of [...byYear].sort(([a], [b]) => a - b)) {
      const {states, denominatorWithheld} = protectFamilyYear(tree, familyMembers, counts, width, {primaryOnly: options.mode === "primary-only"});
      states.forEach((s, j) => {
        for (let v = 0; v < s.length; v++) {
          if (s[v] === PUBLISHED) continue;
          appender.appendVarchar(ids[j]!);
          appender.appendVarchar(tree.ids[v]!);
          appender.appendInteger(year);
          appender.appendUTinyInt(s[v]!);
          appender.appendBoolean(denominatorWithheld[v] === 1);
          appender.endRow();
        }
      });
    }
  }
  appender.flushSync();
  appender.closeSync();
  await conn.run(publishedSql(config));
  // areas and years where a child population count is withheld (any population family at denominator level):
  // every population-derived figure of the funding pages is withheld there too (loaders/funding/queries.ts)
  await conn.run(`CREATE OR REPLACE TABLE population_withheld AS
    SELECT DISTINCT pc.area_id, pc.year FROM protection_cells pc JOIN protection_rules r USING (indicator_id)
    WHERE starts_with(r.family, 'population') AND pc.denominator_withheld`);
  const [counts] = await queryRows<{primary: number; secondary: number; pooled: number}>(conn, `
    SELECT count(*) FILTER (WHERE suppressed = 'primary') AS primary, count(*) FILTER (WHERE suppressed = 'secondary') AS secondary,
           count(*) FILTER (WHERE pooled_suppressed IS NOT NULL) AS pooled
    FROM indicator_published`);
  return {primary: counts?.primary ?? 0, secondary: counts?.secondary ?? 0, pooled: counts?.pooled ?? 0, width};
}

/** POOLED_YEARS and the change length must match createIndicatorValues. */
export const PROTECTION_POOLED_YEARS = 3;

/** False discovery rate of the comparisons with the rest of the city (Benjamini–Hochberg per indicator, year and level). */
export const COMPARISON_FDR = 0.05;
/** … and at the stricter level the pages offer (99,8 %, as Fingertips' second level). */
export const COMPARISON_FDR_998 = 0.002;

/** indicator_published from indicator_values and protection_cells (set-based). */
export function publishedSql(config: CityConfig, pooledYears = PROTECTION_POOLED_YEARS): string {
  const m = pooledYears;
  const k = config.need_index.dynamics_years;
  return `
CREATE OR REPLACE TABLE indicator_published AS
WITH s AS (
  SELECT v.*, coalesce(pc.state, 0) AS state
  FROM indicator_values v LEFT JOIN protection_cells pc USING (indicator_id, area_id, year)
),
city AS (
  SELECT s.indicator_id, s.year, s.state AS city_state FROM s JOIN areas ca ON ca.area_id = s.area_id AND ca.level_rank = 0
),
y AS (
  -- one pass of windows over each area's series: a pooled window is withheld when any year of
  -- it is withheld; a change when either of its two years is
  SELECT s.*, city.city_state,
         max(state) OVER (series RANGE BETWEEN ${m - 1} PRECEDING AND CURRENT ROW) AS window_state,
         first(state) OVER (series RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING) AS prev_state,
         first(state) OVER (series RANGE BETWEEN ${k} PRECEDING AND ${k} PRECEDING) AS prevk_state
  FROM s LEFT JOIN city USING (indicator_id, year)
  WINDOW series AS (PARTITION BY s.indicator_id, s.area_id ORDER BY s.year)
),
pub AS (
SELECT y.year, y.area_id, y.level, y.indicator_id,
       CASE WHEN state = 0 THEN numerator END AS numerator,
       CASE WHEN state = 0 THEN denominator END AS denominator,
       CASE WHEN state = 0 THEN rate END AS rate,
       CASE WHEN state = 0 THEN ci_lo END AS ci_lo,
       CASE WHEN state = 0 THEN ci_hi END AS ci_hi,
       CASE WHEN coalesce(city_state, 0) = 0 THEN city_rate END AS city_rate,
       CASE WHEN state = 0 AND coalesce(city_state, 0) = 0 THEN diff_city END AS diff_city,
       CASE WHEN state = 0 AND coalesce(city_state, 0) = 0 THEN signif END AS signif_city,
       CASE WHEN window_state = 0 THEN pooled_numerator END AS pooled_numerator,
       CASE WHEN window_state = 0 THEN pooled_denominator END AS pooled_denominator,
       CASE WHEN window_state = 0 THEN pooled_rate END AS pooled_rate,
       CASE WHEN window_state = 0 THEN pooled_ci_lo END AS pooled_ci_lo,
       CASE WHEN window_state = 0 THEN pooled_ci_hi END AS pooled_ci_hi,
       CASE WHEN state = 0 AND prev_state = 0 THEN change_1y END AS change_1y,
       CASE WHEN state = 0 AND coalesce(prevk_state, 0) = 0 THEN change_ky END AS change_ky,
       CASE state WHEN 1 THEN 'primary' WHEN 2 THEN 'secondary' END AS suppressed,
       CASE WHEN pooled_numerator IS NOT NULL AND window_state > 0 THEN
         CASE WHEN (r.protect_numerator AND ((pooled_numerator > 0 AND pooled_numerator < r.min_cases)
                     OR (pooled_denominator - pooled_numerator > 0 AND pooled_denominator - pooled_numerator < r.min_cases)))
                   OR (pooled_denominator > 0 AND pooled_denominator < r.min_denominator)
              THEN 'primary' ELSE 'secondary' END
       END AS pooled_suppressed
FROM y JOIN protection_rules r USING (indicator_id)
),
-- the comparison with the rest of the city (issue 13): the area against the city without it,
-- Newcombe's hybrid score interval for the difference of two proportions; its two-sided
-- p-value from the 95 % interval's side toward zero (z* = 1,96 · D / (D − lower), exact at
-- 0,05); Benjamini–Hochberg at 5 % over all published comparisons of one indicator, year and
-- level. Only published counts enter, so a flag says nothing about a withheld cell.
cmp AS (
  SELECT p.*, c.numerator - p.numerator AS rest_k, c.denominator - p.denominator AS rest_n
  FROM pub p LEFT JOIN (SELECT pc.indicator_id, pc.year, pc.numerator, pc.denominator FROM pub pc JOIN areas ca ON ca.area_id = pc.area_id AND ca.level_rank = 0) c
    USING (indicator_id, year)
),
tested AS (
  SELECT *, CASE WHEN signif_city IS NOT NULL AND denominator > 0 AND rest_n > 0 AND rest_k >= 0 AND rest_k <= rest_n
                 THEN 2 * norm_sf(CASE WHEN d > 0 THEN 1.959963984540054 * d / (d - newcombe_lo(numerator, denominator, rest_k, rest_n))
                                       WHEN d < 0 THEN 1.959963984540054 * (-d) / (newcombe_hi(numerator, denominator, rest_k, rest_n) - d)
                                       ELSE 0 END) END AS p_value
  FROM (SELECT *, CAST(numerator AS DOUBLE) / nullif(denominator, 0) - CAST(rest_k AS DOUBLE) / nullif(rest_n, 0) AS d FROM cmp)
),
bh AS (
  -- adjusted p of rank r among m: min over ranks ≥ r of m · p / rank (step-up)
  SELECT *, least(1, min(p_value * m_tests / rank_p) OVER (fam ORDER BY p_value DESC NULLS LAST, area_id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS p_adjusted
  FROM (SELECT *, row_number() OVER (fam ORDER BY p_value, area_id) AS rank_p, count(p_value) OVER fam AS m_tests
        FROM tested WINDOW fam AS (PARTITION BY indicator_id, year, level))
  WINDOW fam AS (PARTITION BY indicator_id, year, level)
)
SELECT year, area_id, level, indicator_id, numerator, denominator, rate, ci_lo, ci_hi, city_rate, diff_city,
       CAST(CASE WHEN signif_city IS NULL THEN NULL
                 WHEN p_value IS NULL THEN 0
                 WHEN p_adjusted <= ${COMPARISON_FDR} THEN sign(d)
                 ELSE 0 END AS INTEGER) AS signif,
       -- the same comparison at 99,8 % (false discovery rate 0,2 %; the adjusted p-values do not depend on it)
       CAST(CASE WHEN signif_city IS NULL THEN NULL
                 WHEN p_value IS NULL THEN 0
                 WHEN p_adjusted <= ${COMPARISON_FDR_998} THEN sign(d)
                 ELSE 0 END AS INTEGER) AS signif998,
       pooled_numerator, pooled_denominator, pooled_rate, pooled_ci_lo, pooled_ci_hi, change_1y, change_ky, suppressed, pooled_suppressed
FROM bh
ORDER BY indicator_id, year, area_id`;
}
