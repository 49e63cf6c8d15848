/**
 * The published comparison with the city (issue 13, "Compare with a benchmark"): each area
 * against the rest of the city – Newcombe's interval for the difference of two proportions,
 * its p-value from the 95 % side toward zero, Benjamini–Hochberg at 5 % per indicator, year and
 * level over published cells only. Checked against an independent implementation in
 * TypeScript (loaders/stats/compare.ts) on every published comparison of Köln.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {buildCity} from "../../loaders/pipeline.ts";
import {COMPARISON_FDR, COMPARISON_FDR_998, publishedSql} from "../../loaders/protection/protect.ts";
import type {CityConfig} from "../../loaders/contract/city-config.ts";
import {benjaminiHochberg, newcombeInterval, normalUpperTail} from "../../loaders/stats/compare.ts";
import {createIndicatorValues, MACROS_SQL, WILSON_Z} from "../../loaders/stats/rates.ts";

const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-comparison-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

/** p-value of the comparison as the SQL computes it: z* = 1,96 · D / (D − lower) (or the upper side). */
function pValue(k: number, n: number, rk: number, rn: number): number {
  const ci = newcombeInterval(k, n, rk, rn, WILSON_Z)!;
  const z = ci.diff > 0 ? (WILSON_Z * ci.diff) / (ci.diff - ci.lo) : ci.diff < 0 ? (WILSON_Z * -ci.diff) / (ci.hi - ci.diff) : 0;
  return 2 * normalUpperTail(z);
}

describe("comparison with the rest of the city", () => {
  it("hand example: 56 of 70 against 48 of 80 (Newcombe 1998): interval 0,0524–0,3339, z* = 2,656, p = 0,0079", async () => {
    // D = 0,2; z* = 1,96 · 0,2 / (0,2 − 0,05243) = 2,6563; p = 2 · Q(2,6563) = 0,00790
    expect(pValue(56, 70, 48, 80)).toBeCloseTo(0.0079, 4);
    const {instance, conn} = await openDatabase();
    try {
      await conn.run(MACROS_SQL);
      const [r] = await queryRows<{lo: number; hi: number; p: number}>(conn,
        "SELECT newcombe_lo(56, 70, 48, 80) AS lo, newcombe_hi(56, 70, 48, 80) AS hi, 2 * norm_sf(1.959963984540054 * 0.2 / (0.2 - newcombe_lo(56, 70, 48, 80))) AS p");
      expect(r!.lo).toBeCloseTo(0.0524, 4);
      expect(r!.hi).toBeCloseTo(0.3339, 4);
      // the SQL normal tail (Abramowitz & Stegun 26.2.17) agrees to 1e-7
      expect(Math.abs(r!.p - pValue(56, 70, 48, 80))).toBeLessThan(1e-7);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it("Köln: every published flag equals the TypeScript oracle; the correction removes flags the single tests would set", async () => {
    const db = join(tmp, "koeln.duckdb");
    await buildCity(join(import.meta.dirname, "..", "..", "data", "koeln"), db);
    const {instance, conn} = await openDatabase(db);
    try {
      const rows = await queryRows<{indicator_id: string; year: number; level: string; area_id: string; numerator: number | null; denominator: number | null; city_k: number | null; city_n: number | null; signif: number | null; signif998: number | null}>(conn, `
        SELECT p.indicator_id, p.year, p.level, p.area_id, p.numerator, p.denominator, c.numerator AS city_k, c.denominator AS city_n, p.signif, p.signif998
        FROM indicator_published p JOIN areas a USING (area_id)
        LEFT JOIN (SELECT pc.* FROM indicator_published pc JOIN areas ca ON ca.area_id = pc.area_id AND ca.level_rank = 0) c USING (indicator_id, year)
        WHERE a.level_rank > 0 AND p.signif IS NOT NULL ORDER BY p.indicator_id, p.year, p.level, p.area_id`);
      expect(rows.length).toBeGreaterThan(5000);
      const families = new Map<string, typeof rows>();
      for (const r of rows) {
        const key = `${r.indicator_id}|${r.year}|${r.level}`;
        families.set(key, [...(families.get(key) ?? []), r]);
      }
      let flags = 0;
      let flags998 = 0;
      let uncorrected = 0;
      for (const family of families.values()) {
        const ps = family.map((r) => (r.numerator === null || r.city_n === null || r.city_n - r.denominator! <= 0 ? null : pValue(r.numerator, r.denominator!, r.city_k! - r.numerator, r.city_n - r.denominator!)));
        const bh = benjaminiHochberg(ps, COMPARISON_FDR);
        const bh998 = benjaminiHochberg(ps, COMPARISON_FDR_998);
        family.forEach((r, i) => {
          const d = ps[i] === null ? 0 : r.numerator! / r.denominator! - (r.city_k! - r.numerator!) / (r.city_n! - r.denominator!);
          const expected = ps[i] === null ? 0 : bh.rejected[i] ? Math.sign(d) : 0;
          expect(r.signif, `${r.indicator_id} ${r.year} ${r.area_id}`).toBe(expected);
          expect(r.signif998, `99,8 %: ${r.indicator_id} ${r.year} ${r.area_id}`).toBe(ps[i] === null ? 0 : bh998.rejected[i] ? Math.sign(d) : 0);
          if (r.signif998 !== 0) flags998++;
          if (expected !== 0) flags++;
          if (ps[i] !== null && ps[i]! <= 0.05) uncorrected++;
        });
      }
      expect(flags).toBeGreaterThan(100);
      // Benjamini–Hochberg keeps fewer flags than single tests at 5 %, and 99,8 % fewer still
      expect(uncorrected).toBeGreaterThan(flags);
      expect(flags998).toBeGreaterThan(0);
      expect(flags998).toBeLessThan(flags);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }, 300_000);

  it("null simulation through the published SQL: 200 areas at the same rate, 300 runs – per-run share with any flag near 5 %", async () => {
    // every area draws its count from Binomial(n, 0,15), n = 40 … 439; each "year" is one run
    // (one family of 200 comparisons); under the global null every flag is a false discovery,
    // so the share of runs with any flag estimates the false discovery rate Benjamini–Hochberg
    // controls at 5 %
    let seed = 20261202;
    const random = (): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const areas = 200;
    const runs = 300;
    const rows: string[] = [];
    for (let run = 0; run < runs; run++) {
      let cityK = 0;
      let cityN = 0;
      for (let a = 0; a < areas; a++) {
        const n = 40 + ((a * 37) % 400);
        let k = 0;
        for (let i = 0; i < n; i++) if (random() < 0.15) k++;
        cityK += k;
        cityN += n;
        rows.push(`(${3000 + run}, 'a${a}', 'bezirk', '0', 'x', ${k}, ${n})`);
      }
      rows.push(`(${3000 + run}, '0', 'stadt', NULL, 'x', ${cityK}, ${cityN})`);
    }
    const {instance, conn} = await openDatabase();
    try {
      await conn.run(`CREATE TABLE indicator_counts AS SELECT * FROM (VALUES ${rows.join(", ")}) t(year, area_id, level, parent_id, indicator_id, numerator, denominator)`);
      await createIndicatorValues(conn, {cityId: "0"});
      await conn.run(`CREATE TABLE areas AS SELECT DISTINCT area_id, CASE WHEN area_id = '0' THEN 0 ELSE 1 END AS level_rank FROM indicator_counts`);
      await conn.run("CREATE TABLE protection_rules AS SELECT 'x' AS indicator_id, 'f' AS family, 0 AS min_cases, 0 AS min_denominator, false AS protect_numerator");
      await conn.run("CREATE TABLE protection_cells (indicator_id VARCHAR, area_id VARCHAR, year INTEGER, state UTINYINT, denominator_withheld BOOLEAN)");
      await conn.run(publishedSql({need_index: {dynamics_years: 2}} as unknown as CityConfig));
      const [r] = await queryRows<{tested: number; flags: number; runs_with_flag: number; runs: number}>(conn, `
        SELECT count(*) FILTER (WHERE area_id <> '0' AND signif IS NOT NULL) AS tested,
               count(*) FILTER (WHERE area_id <> '0' AND signif <> 0) AS flags,
               count(DISTINCT year) FILTER (WHERE area_id <> '0' AND signif <> 0) AS runs_with_flag,
               count(DISTINCT year) AS runs
        FROM indicator_published`);
      expect(r!.runs).toBe(runs);
      expect(r!.tested).toBe(runs * areas);
      const share = r!.runs_with_flag / runs;
      console.log(`published comparisons, null simulation: ${runs} runs × ${areas} areas; flags ${r!.flags} (${((100 * r!.flags) / r!.tested).toFixed(3)} % of comparisons), runs with any flag ${r!.runs_with_flag} (${(100 * share).toFixed(1)} %)`);
      // nominal 5 %; 300 runs give a standard error of 1,3 points
      expect(share).toBeLessThan(0.1);
      expect(r!.flags / r!.tested).toBeLessThan(0.002);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }, 300_000);
});
