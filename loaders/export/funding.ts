/**
 * Page data for "Ungleiches ungleich behandeln": funding against need
 * (concentration), reach, the inputs of the allocation simulator and the
 * prevention-chain matrix, per area level. Computed with the funding engine
 * (loaders/funding/) on the city database.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows, type Row} from "../db.ts";
import {concentrationByYearAndProgramme} from "../funding/concentration.ts";
import {loadAllocationAreas, loadChainInputs, loadConcentrationInputs, loadReachRows} from "../funding/queries.ts";
import {reachAgainstNeed, reachByArea, reachByMeasure, reachDataNote} from "../funding/reach.ts";
import {preventionChain} from "../funding/chain.ts";

export async function exportFunding(conn: DuckDBConnection): Promise<Record<string, unknown>> {
  const levels = await queryRows<{level: string; name: string}>(conn, "SELECT level, name FROM area_levels WHERE level_rank > 0 ORDER BY level_rank");
  const years = (await queryRows<{year: number}>(conn, "SELECT DISTINCT year FROM measures ORDER BY year")).map((r) => r.year);
  const grantedYears = (await queryRows<{year: number}>(conn, "SELECT DISTINCT year FROM measures WHERE status = 'bewilligt' ORDER BY year")).map((r) => r.year);
  const measures = await queryRows(conn, `
    SELECT measure_id, year, programme, measure, provider, amount_eur, status, handlungsfeld, life_phases, areas, city_wide,
           target_group, reach, reach_unit,
           lower(coalesce(reach_source, '')) LIKE '%synthetisch%' AS reach_synthetic,
           lower(coalesce(source, '')) LIKE '%synthetisch%' AS synthetic
    FROM measures ORDER BY year, measure_id`);
  const totals = await queryRows(conn, `
    SELECT t.year, t.programme, t.status, t.declared_total_eur,
           (SELECT sum(m.amount_eur) FROM measures m WHERE m.year = t.year AND m.programme = t.programme AND m.status = t.status) AS items_total_eur
    FROM programme_totals t ORDER BY t.year, t.programme`);
  // which lowest-level areas each measure serves (for the profile pages)
  const served = await queryRows(conn, `
    SELECT a.measure_id, a.year, c.ancestor_id AS area_id,
           -- shares follow the target population: withheld where that population is withheld
           CASE WHEN bool_or(pw.area_id IS NOT NULL) THEN NULL ELSE sum(a.amount_eur) END AS amount_eur,
           CASE WHEN bool_or(pw.area_id IS NOT NULL) THEN NULL ELSE sum(a.share) END AS share
    FROM measure_allocation a JOIN area_closure c ON c.area_id = a.area_id
    LEFT JOIN population_withheld pw ON pw.area_id = c.ancestor_id AND pw.year = a.year
    GROUP BY a.measure_id, a.year, c.ancestor_id ORDER BY a.measure_id, area_id`);

  const withheldPopulation = new Set((await queryRows<{k: string}>(conn, "SELECT area_id || '|' || year AS k FROM population_withheld")).map((r) => r.k));
  const byLevel: Record<string, unknown> = {};
  for (const {level} of levels) {
    const inputs = await loadConcentrationInputs(conn, {level});
    // areas with a withheld child population (small-number protection) are left out of every
    // population-based comparison; their money is not spread to them either (queries.ts)
    const areas = inputs.areas.filter((a) => a.population !== null);
    const funding = inputs.funding;
    const concentration = concentrationByYearAndProgramme(areas, funding).map((g) => ({year: g.year, programme: g.programme, ...g.result}));
    const reachRows = await loadReachRows(conn, {level});
    const reachYears = [...new Set(reachRows.map((r) => r.year))].sort();
    const reach = reachYears.map((year) => {
      const rows = reachRows.filter((r) => r.year === year);
      const byMeasure = reachByMeasure(rows);
      const byArea = reachByArea(rows);
      const need = areas.filter((a) => a.year === year).map((a) => ({area_id: a.area_id, need: a.need, need_class: a.need_class}));
      return {year, byMeasure, byArea, againstNeed: reachAgainstNeed(byArea, need as never), note: reachDataNote(byMeasure)};
    });
    const latest = grantedYears.at(-1) ?? years.at(-1);
    const allocationAreas = latest === undefined ? [] : await loadAllocationAreas(conn, {level, year: latest});
    const allocation = latest === undefined ? null : {
      year: latest,
      areas: allocationAreas,
      withheld: inputs.areas.filter((a) => a.year === latest && !allocationAreas.some((x) => x.area_id === a.area_id)).map((a) => a.name)
    };
    const chain = [];
    for (const year of years) {
      const inputs = await loadChainInputs(conn, {level, year, statuses: ["bewilligt", "beantragt"]});
      const result = preventionChain(inputs.measures, inputs.areas, {year});
      // money per area of an area whose child population is withheld: not published (it follows the population share)
      for (const area of result.areas) {
        if (!withheldPopulation.has(`${area.area_id}|${year}`)) continue;
        const hide = (x: {amount_eur: number | null}): void => {
          x.amount_eur = null;
        };
        hide(area as {amount_eur: number | null});
        for (const list of [area.cells, area.phase_totals, area.field_totals]) for (const x of list) hide(x as {amount_eur: number | null});
      }
      chain.push(result);
    }
    const perArea = inputs.areas.map((a) => {
      if (a.population === null) return {...a, amount: null, per_child: null};
      const amount = funding.filter((f) => f.year === a.year && f.area_id === a.area_id).reduce((s, f) => s + f.amount, 0);
      return {...a, amount, per_child: a.population > 0 ? amount / a.population : null};
    });
    byLevel[level] = {concentration, reach, allocation, chain, perArea};
  }
  return {years, grantedYears, measures, totals, served: served as Row[], levels: byLevel};
}
