/**
 * Small-number protection of everything the site publishes, on a city with many
 * small areas (Bottrop: 27 Sozialräume): the published indicator values carry no
 * number of a withheld cell, and every cell the primary rule marks is withheld.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {cityDir} from "../../loaders/city.ts";
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {buildCity} from "../../loaders/pipeline.ts";
import {exportIndicatorValues, exportQuality} from "../../loaders/export/site.ts";
import {downloadTables} from "../../loaders/export/downloads.ts";

const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-protect-"));
let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  const db = join(tmp, "bottrop.duckdb");
  await buildCity(cityDir("bottrop"), db);
  ({instance, conn} = await openDatabase(db));
}, 120_000);
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
  rmSync(tmp, {recursive: true, force: true});
});

describe("published indicator values (Bottrop)", () => {
  it("withhold a substantial number of cells and never carry their numbers", async () => {
    const published = await exportIndicatorValues(conn);
    const withheld = published.filter((r) => r.suppressed !== null);
    expect(withheld.length).toBeGreaterThan(20);
    for (const r of withheld) {
      expect([r.numerator, r.denominator, r.rate, r.ci_lo, r.ci_hi, r.diff_city, r.signif], `${r.indicator_id} ${r.year} ${r.area_id}`).toEqual([null, null, null, null, null, null, null]);
      expect(r.suppressed).toBe("geheim");
    }
    // the primary/secondary distinction is internal
    expect(new Set(published.map((r) => r.suppressed))).toEqual(new Set([null, "geheim"]));
  });

  it("every cell with 1–4 cases, 1–4 in the complement or fewer than 20 in the denominator is withheld", async () => {
    const small = await queryRows<{indicator_id: string; year: number; area_id: string}>(conn, `
      SELECT v.indicator_id, v.year, v.area_id FROM indicator_values v JOIN indicator_catalogue c USING (indicator_id)
      WHERE c.kind = 'proportion' AND ((v.numerator > 0 AND v.numerator < 5) OR (v.denominator - v.numerator > 0 AND v.denominator - v.numerator < 5) OR v.denominator < 20)`);
    expect(small.length).toBeGreaterThan(0);
    const published = await exportIndicatorValues(conn);
    const key = (r: Record<string, unknown>) => `${r.indicator_id}|${r.year}|${r.area_id}`;
    const withheld = new Set(published.filter((r) => r.suppressed !== null).map(key));
    expect(small.filter((r) => !withheld.has(key(r)))).toEqual([]);
  });
  // the attacker's linear programme on these values: test/protection/site-audit.test.ts
});

describe("published data-quality report", () => {
  it("shows rejected rows of person-level files (SEU) only as counts, never with line and values", async () => {
    // Musterstadt has three rejected SEU rows (age 40 months, SOPESS "vielleicht", unknown area)
    const db = join(tmp, "muster.duckdb");
    await buildCity(join(import.meta.dirname, "..", "fixtures", "cities", "musterstadt"), db);
    const m = await openDatabase(db);
    try {
      const q = await exportQuality(m.conn);
      const seu = q.quarantine.filter((r) => r.file === "seu.csv");
      expect(seu.map((r) => [r.line, r.column_name, r.code])).toEqual([
        [null, "age_months", "out_of_range"],
        [null, "area_id", "unknown_area"],
        [null, "sopess_attention", "invalid_value"]
      ]);
      expect(seu.map((r) => r.message).join(" ")).not.toMatch(/40|vielleicht|031/);
      // other files keep line and reason
      expect(q.quarantine.find((r) => r.file === "population.csv" && r.line === 10)?.message).toMatch(/negativer Wert -5/);
      // the downloadable data-quality table follows the same rule
      const tables = await downloadTables(m.conn);
      const messages = tables.find((t) => t.id === "datenqualitaet_meldungen")!.rows.filter((r) => r.datei === "seu.csv" || Object.values(r).includes("seu.csv"));
      expect(messages.length).toBe(3);
      expect(JSON.stringify(messages)).not.toMatch(/40 liegt|vielleicht|„031“/);
    } finally {
      m.conn.closeSync();
      m.instance.closeSync();
    }
  });
});
