/**
 * Pooled intervals of stock counts (issue 13): SGB II counts are stocks on 31 December, so three
 * consecutive years count largely the same children. Their pooled Wilson interval is computed
 * from the mean counts (sums / 3), about √3 wider than one on the sums; school-entry cohorts are
 * different children every year and keep the interval on the sums.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {buildCity} from "../../loaders/pipeline.ts";
import {loadCatalogue} from "../../loaders/indicators/catalogue.ts";
import {wilsonInterval} from "../../loaders/stats/rates.ts";

const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-pooled-stock-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

describe("pooled intervals of stock counts", () => {
  it("the catalogue marks exactly the SGB II indicators as stocks", () => {
    expect(loadCatalogue().filter((i) => i.stock === true).map((i) => i.id).sort()).toEqual(["sgb2_u15", "sgb2_u6"]);
  });

  it("Bochum: SGB II pooled intervals from the mean counts, SEU pooled intervals from the sums", async () => {
    const db = join(tmp, "bochum.duckdb");
    await buildCity(join(import.meta.dirname, "..", "..", "data", "bochum"), db);
    const {instance, conn} = await openDatabase(db);
    try {
      const rows = await queryRows<{indicator_id: string; pooled_numerator: number; pooled_denominator: number; pooled_ci_lo: number; pooled_ci_hi: number}>(conn, `
        SELECT indicator_id, pooled_numerator, pooled_denominator, pooled_ci_lo, pooled_ci_hi FROM indicator_values
        WHERE indicator_id IN ('sgb2_u15', 'seu_german_support') AND pooled_numerator IS NOT NULL`);
      const sgb = rows.filter((r) => r.indicator_id === "sgb2_u15");
      const seu = rows.filter((r) => r.indicator_id === "seu_german_support");
      expect(sgb.length).toBeGreaterThan(30);
      expect(seu.length).toBeGreaterThan(30);
      for (const r of sgb) {
        const mean = wilsonInterval(r.pooled_numerator / 3, r.pooled_denominator / 3)!;
        expect(r.pooled_ci_lo).toBeCloseTo(mean.lo, 12);
        expect(r.pooled_ci_hi).toBeCloseTo(mean.hi, 12);
        // about √3 wider than the interval on the sums
        const sums = wilsonInterval(r.pooled_numerator, r.pooled_denominator)!;
        expect((r.pooled_ci_hi - r.pooled_ci_lo) / (sums.hi - sums.lo)).toBeCloseTo(Math.sqrt(3), 1);
      }
      for (const r of seu) {
        const sums = wilsonInterval(r.pooled_numerator, r.pooled_denominator)!;
        expect(r.pooled_ci_lo).toBeCloseTo(sums.lo, 12);
        expect(r.pooled_ci_hi).toBeCloseTo(sums.hi, 12);
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }, 300_000);
});
