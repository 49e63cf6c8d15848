/**
 * The indicator engine on Musterstadt, whose few valid rows are small enough to
 * compute every value by hand (see the comments; lines refer to the fixture files).
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {buildCity} from "../../loaders/pipeline.ts";
import {checkCatalogue, loadCatalogue} from "../../loaders/indicators/catalogue.ts";

const MUSTERSTADT = join(import.meta.dirname, "..", "fixtures", "cities", "musterstadt");
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-ind-"));
let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  await buildCity(MUSTERSTADT, join(tmp, "a.duckdb"));
  ({instance, conn} = await openDatabase(join(tmp, "a.duckdb")));
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
  rmSync(tmp, {recursive: true, force: true});
});

async function counts(indicator: string, year: number): Promise<Record<string, [number | null, number | null]>> {
  const rows = await queryRows<{area_id: string; numerator: number | null; denominator: number | null}>(
    conn,
    `SELECT area_id, numerator, denominator FROM indicator_counts WHERE indicator_id = '${indicator}' AND year = ${year} ORDER BY area_id`
  );
  return Object.fromEntries(rows.map((r) => [r.area_id, [r.numerator, r.denominator]]));
}

describe("indicator counts, rolled up the hierarchy", () => {
  // valid SEU rows 2023: seu.csv:2 (011, language auffällig, Normalgewicht, 2 measles doses),
  // seu.csv:6 (021, language auffällig, Untergewicht, 1 dose), seu.csv:8 (022, language unauffällig, Adipositas, no record)
  it("SOPESS language: auffällig / examined, per area and summed upwards", async () => {
    expect(await counts("seu_sopess_language", 2023)).toEqual({
      "0": [2, 3], "1": [1, 1], "2": [1, 2], "011": [1, 1], "021": [1, 1], "022": [0, 1]
    });
  });
  it("overweight counts Übergewicht and Adipositas", async () => {
    expect(await counts("seu_overweight", 2023)).toEqual({
      "0": [1, 3], "1": [0, 1], "2": [1, 2], "011": [0, 1], "021": [0, 1], "022": [1, 1]
    });
  });
  it("measles: children with two doses among those with a vaccination record", async () => {
    // seu.csv:8 has no record (empty), so 022 has a zero denominator
    expect(await counts("seu_measles2", 2023)).toEqual({
      "0": [1, 2], "1": [1, 1], "2": [0, 1], "011": [1, 1], "021": [0, 1], "022": [0, 0]
    });
  });
  it("generic indicators from indicators.csv (only the valid rows)", async () => {
    // indicators.csv:2: 2023, 011, 45/300; lines 3–5 are rejected
    expect(await counts("sgb2_u15", 2023)).toEqual({"0": [45, 300], "1": [45, 300], "011": [45, 300]});
  });
  it("a statistical marker makes every sum above it unknown instead of too small", async () => {
    // population.csv:7: 012, 0-3 = -9999 (marker). Kitas 2023: K1 in 011 (10 places U3), K2 in 022 (12 places U3);
    // children 0-3 in 2023: 011 = 120, 012 = unknown, 021 = 1204, 022 = 77
    expect(await counts("kita_coverage_u3", 2023)).toEqual({
      "0": [22, null], "1": [10, null], "2": [12, 1281], "011": [10, 120], "012": [0, null], "021": [0, 1204], "022": [12, 77]
    });
  });
  it("rates, Wilson intervals and the city comparison", async () => {
    const [row] = await queryRows<{rate: number; ci_lo: number; ci_hi: number; city_rate: number; signif: number}>(
      conn,
      "SELECT rate, ci_lo, ci_hi, city_rate, signif FROM indicator_values WHERE indicator_id = 'seu_sopess_language' AND year = 2023 AND area_id = '2'"
    );
    // k = 1, n = 2, z = 1.959963984540054: centre = (0.5 + z²/4)/(1 + z²/2), half width = z·sqrt(0.25/2 + z²/16)/(1 + z²/2)
    const z = 1.959963984540054;
    const centre = (0.5 + (z * z) / 4) / (1 + (z * z) / 2);
    const half = (z * Math.sqrt(0.25 / 2 + (z * z) / 16)) / (1 + (z * z) / 2);
    expect(row!.rate).toBe(0.5);
    expect(row!.ci_lo).toBeCloseTo(centre - half, 12);
    expect(row!.ci_hi).toBeCloseTo(centre + half, 12);
    expect(row!.city_rate).toBeCloseTo(2 / 3, 12);
    expect(row!.signif).toBe(0);
  });
  it("withholds every SEU value (fewer than 20 children everywhere) and publishes SGB II (300 and 240 children)", async () => {
    const published = await queryRows<{indicator_id: string; year: number; area_id: string}>(conn, "SELECT indicator_id, year, area_id FROM indicator_published p JOIN indicator_catalogue c USING (indicator_id) WHERE c.kind = 'proportion' AND p.rate IS NOT NULL ORDER BY ALL");
    expect(published.map((r) => `${r.indicator_id} ${r.year} ${r.area_id}`).sort()).toEqual([
      "sgb2_u15 2022 0", "sgb2_u15 2022 022", "sgb2_u15 2022 2", "sgb2_u15 2023 0", "sgb2_u15 2023 011", "sgb2_u15 2023 1"
    ]);
  });
  it("is deterministic: building again gives identical indicator tables", async () => {
    await buildCity(MUSTERSTADT, join(tmp, "b.duckdb"));
    const b = await openDatabase(join(tmp, "b.duckdb"));
    try {
      for (const table of ["indicator_counts", "indicator_values", "indicator_published", "need_index"]) {
        const sql = `SELECT * FROM ${table} ORDER BY ALL`;
        expect(await queryRows(b.conn, sql), table).toEqual(await queryRows(conn, sql));
      }
    } finally {
      b.conn.closeSync();
      b.instance.closeSync();
    }
  });
});

describe("the indicator catalogue", () => {
  it("covers the required topics with complete metadata", () => {
    const ids = loadCatalogue().map((i) => i.id);
    for (const id of ["seu_sopess_attention", "seu_sopess_numbers", "seu_sopess_visuomotor", "seu_sopess_visual", "seu_sopess_coordination", "seu_sopess_language",
      "seu_german_support", "seu_overweight", "seu_obesity", "seu_u8", "seu_u9", "seu_measles2", "seu_kita_lt2", "seu_family_lang_nongerman",
      "kita_coverage_u3", "kita_coverage_ue3", "sgb2_u15", "funding_per_child", "reach_births"]) expect(ids).toContain(id);
  });
  it("rejects an entry with a second SQL statement or a duplicate id", () => {
    const entry = {...loadCatalogue()[0]!};
    expect(() => checkCatalogue([{...entry, numerator: "count(*); DROP TABLE seu"}])).toThrow(/nur einen Ausdruck/);
    expect(() => checkCatalogue([entry, entry])).toThrow(/doppelt/);
  });
});
