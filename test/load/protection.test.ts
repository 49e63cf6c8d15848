/**
 * Small-number protection of everything the site publishes, on a city with many
 * small areas (Bottrop: 27 Sozialräume): the published indicator values carry no
 * number of a withheld cell, and the recovery attack (all published sums and
 * pooled windows as linear equations) determines no withheld cell.
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
import {findRecoverableCells, type AuditRow} from "../../loaders/stats/suppression.ts";

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

  it("every cell with 1–4 cases or fewer than 20 in the denominator is withheld", async () => {
    const small = await queryRows<{indicator_id: string; year: number; area_id: string}>(conn, `
      SELECT v.indicator_id, v.year, v.area_id FROM indicator_values v JOIN indicator_catalogue c USING (indicator_id)
      WHERE c.kind = 'proportion' AND ((v.numerator > 0 AND v.numerator < 5) OR v.denominator < 20)`);
    expect(small.length).toBeGreaterThan(0);
    const published = await exportIndicatorValues(conn);
    const key = (r: Record<string, unknown>) => `${r.indicator_id}|${r.year}|${r.area_id}`;
    const withheld = new Set(published.filter((r) => r.suppressed !== null).map(key));
    expect(small.filter((r) => !withheld.has(key(r)))).toEqual([]);
  });

  it("cannot be recovered from what is published (recovery attack)", async () => {
    const published = (await exportIndicatorValues(conn)) as unknown as AuditRow[];
    const areas = await queryRows<{id: string; parent_id: string | null}>(conn, "SELECT area_id AS id, parent_id FROM areas");
    const findings = findRecoverableCells(published, {areas, pooledYears: 3, changeYears: 2});
    expect(findings).toEqual([]);
  });

  it("the attack does find cells when only the primary rule is applied (the test can fail)", async () => {
    const raw = await queryRows<AuditRow & {kind: string}>(conn, `
      SELECT v.year, v.area_id, v.indicator_id,
             CASE WHEN (v.numerator > 0 AND v.numerator < 5) OR v.denominator < 20 THEN NULL ELSE v.numerator END AS numerator,
             CASE WHEN (v.numerator > 0 AND v.numerator < 5) OR v.denominator < 20 THEN NULL ELSE v.denominator END AS denominator,
             CASE WHEN (v.numerator > 0 AND v.numerator < 5) OR v.denominator < 20 THEN 'primary' END AS suppressed
      FROM indicator_values v JOIN indicator_catalogue c USING (indicator_id) WHERE c.kind = 'proportion'`);
    const areas = await queryRows<{id: string; parent_id: string | null}>(conn, "SELECT area_id AS id, parent_id FROM areas");
    expect(findRecoverableCells(raw, {areas, pooledYears: 3, changeYears: 2}).length).toBeGreaterThan(0);
  });
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
