/**
 * Benchmark data and run for small-number protection at state scale (tooling, not part of
 * the pipeline library): a synthetic city with 2.000 lowest-level areas under three levels
 * (city → 20 Bezirke → 200 Stadtteile → 2.000 statistische Bezirke), 10 years and every
 * catalogue indicator, with small cells as real small areas have them. Counts are drawn in
 * DuckDB (seeded), summed up the hierarchy, turned into indicator_values by the pipeline's own
 * createIndicatorValues and protected by the pipeline's protectIndicators.
 *
 * Returns CPU seconds of the protection step and of a floor in the same run: DuckDB applying
 * the primary rule to the same table set-based (one pass over the data).
 */
import {execFileSync} from "node:child_process";
import {fileURLToPath} from "node:url";
import {openDatabase, queryRows} from "../loaders/db.ts";
import {loadCatalogue} from "../loaders/indicators/catalogue.ts";
import {installMacros, createIndicatorValues} from "../loaders/stats/rates.ts";
import {protectIndicators} from "../loaders/protection/protect.ts";
import type {CityConfig} from "../loaders/contract/city-config.ts";

export interface ProtectionBench {
  leaves: number;
  cells: number;
  withheld: number;
  protectCpu: number;
  floorCpu: number;
  /** peak resident memory of the whole benchmark process (data generation included), MiB */
  peakRssMb: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

let peak = 0;

export async function benchProtection(leafCount = 2000, years = 10): Promise<ProtectionBench> {
  peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const {instance, conn} = await openDatabase(":memory:");
  try {
    await installMacros(conn);
    // the pipeline's budget: DuckDB may spill to disk rather than grow past it
    await conn.run("SET memory_limit = '400MB'");
    const perDistrict = 10;
    const stadtteile = leafCount / perDistrict;
    const bezirke = 20;
    // deterministic "random" numbers from a hash (random() is not reproducible in parallel plans)
    await conn.run("CREATE MACRO u(area, year, what, k) AS (hash(area || '|' || year || '|' || what || '|' || k) % 1000003) / 1000003.0");
    await conn.run(`CREATE TABLE areas AS
      SELECT 'S' AS area_id, NULL::VARCHAR AS parent_id, 'stadt' AS level, 0 AS level_rank
      UNION ALL SELECT 'B' || b, 'S', 'bezirk', 1 FROM range(${bezirke}) t(b)
      UNION ALL SELECT 'T' || t, 'B' || (t % ${bezirke}), 'stadtteil', 2 FROM range(${stadtteile}) s(t)
      UNION ALL SELECT 'L' || l, 'T' || (l % ${stadtteile}), 'bezirk_stat', 3 FROM range(${leafCount}) s(l)`);
    await conn.run(`CREATE TABLE area_closure AS
      WITH RECURSIVE c(area_id, ancestor_id) AS (
        SELECT area_id, area_id FROM areas UNION ALL
        SELECT c.area_id, a.parent_id FROM c JOIN areas a ON a.area_id = c.ancestor_id WHERE a.parent_id IS NOT NULL)
      SELECT * FROM c`);
    const catalogue = loadCatalogue();
    // leaf counts: school entrants 8–60 per area and year (many small cells), populations larger
    const spec = catalogue.map((i) => {
      const seu = i.source_view === "seu_facts";
      const base = seu ? "8 + floor(u(l.area_id, y.year, 'seu', 1) * 52)" : i.id.startsWith("sgb2") ? `30 + floor(u(l.area_id, y.year, '${i.id}', 1) * 400)` : `15 + floor(u(l.area_id, y.year, '${i.id}', 1) * 300)`;
      const rate = i.kind === "proportion" ? `0.02 + u(l.area_id, y.year, '${i.id}', 2) * 0.3` : i.kind === "per_capita" ? `u(l.area_id, y.year, '${i.id}', 2) * 20` : `0.2 + u(l.area_id, y.year, '${i.id}', 2) * 0.8`;
      return `SELECT l.area_id, y.year, '${i.id}' AS indicator_id, ${base} AS d, ${rate} AS r, u(l.area_id, y.year, '${i.id}', 3) AS u3
        FROM (SELECT area_id FROM areas WHERE level_rank = 3) l CROSS JOIN range(2015, ${2015 + years}) y(year)`;
    });
    await conn.run(`CREATE TABLE leaf_counts AS
      WITH base AS (${spec.join(" UNION ALL ")})
      SELECT year, area_id, indicator_id, CAST(d AS DOUBLE) AS denominator,
             CAST(CASE WHEN r <= 1 THEN floor(d * r + u3) ELSE floor(d * r) END AS DOUBLE) AS numerator
      FROM base`);
    await conn.run(`CREATE TABLE indicator_counts AS
      SELECT l.year, c.ancestor_id AS area_id, a.level, a.parent_id, l.indicator_id, sum(l.numerator) AS numerator, sum(l.denominator) AS denominator
      FROM leaf_counts l JOIN area_closure c USING (area_id) JOIN areas a ON a.area_id = c.ancestor_id
      GROUP BY ALL`);
    await createIndicatorValues(conn, {cityId: "S", pooledYears: 3, changeYears: 2});
    const config = {
      small_numbers: {min_cases: 5, min_denominator: 20, protection_width: 3},
      need_index: {indicators: [], method: "z-sum", thresholds: [-1, 1, 1.5], dynamics_years: 2}
    } as unknown as CityConfig;
    const [{cells}] = (await queryRows<{cells: number}>(conn, "SELECT count(*) AS cells FROM indicator_values")) as [{cells: number}];

    let start = cpuSeconds();
    await queryRows(conn, `
      SELECT count(*) FILTER (WHERE (v.numerator > 0 AND v.numerator < 5) OR (v.denominator - v.numerator > 0 AND v.denominator - v.numerator < 5) OR v.denominator < 20) AS primary
      FROM indicator_values v`);
    const floorCpu = cpuSeconds() - start;

    start = cpuSeconds();
    const summary = await protectIndicators(conn, config, catalogue);
    const protectCpu = cpuSeconds() - start;
    return {leaves: leafCount, cells, withheld: summary.primary + summary.secondary, protectCpu, floorCpu, peakRssMb: Math.round(peak / 2 ** 20)};
  } finally {
    clearInterval(sampler);
    conn.closeSync();
    instance.closeSync();
  }
}

/** Runs the benchmark in a child process, so that its memory is measured on its own. */
export function benchProtectionInChild(leafCount: number): ProtectionBench {
  const out = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), String(leafCount)], {encoding: "utf8"});
  return JSON.parse(out.trim().split("\n").at(-1)!) as ProtectionBench;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const leaves = Number(process.argv[2] ?? 2000);
  const r = await benchProtection(leaves);
  console.log(JSON.stringify(r));
}
