/**
 * What the built site publishes, scanned file by file: no withheld cell's numbers
 * appear in the indicator file or the downloads (the attack on them:
 * protection-audit.test.ts).
 */
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import Papa from "papaparse";
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, inject, it} from "vitest";
import {defaultDatabasePath, selectedCity} from "../../loaders/city.ts";
import {queryRows} from "../../loaders/db.ts";

const distDir = inject("distDir");

async function internal<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(defaultDatabasePath(selectedCity()), {access_mode: "READ_ONLY"});
  const conn = await instance.connect();
  try {
    return await queryRows<T>(conn, sql);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

function publishedIndicatorRows(): Record<string, unknown>[] {
  const dir = join(distDir, "_file", "data");
  const file = readdirSync(dir).find((f) => /^indicators\..*\.arrow$/.test(f));
  if (!file) throw new Error("indicators.arrow not found in dist/_file/data");
  return tableFromIPC(readFileSync(join(dir, file))).toArray().map((r) => r.toJSON() as Record<string, unknown>);
}

describe("the published files of the built site", () => {
  it("carry no number of a withheld cell, in the indicator file or in any indicator download", async () => {
    const withheld = await internal<{indicator_id: string; year: number; area_id: string; numerator: number; denominator: number}>(`
      SELECT p.indicator_id, p.year, p.area_id, v.numerator, v.denominator
      FROM indicator_published p JOIN indicator_values v USING (indicator_id, year, area_id) WHERE p.suppressed IS NOT NULL`);
    expect(withheld.length).toBeGreaterThan(0);
    const key = (r: Record<string, unknown>) => `${r.indicator_id}|${Number(r.year)}|${r.area_id}`;
    const secret = new Set(withheld.map(key));
    const rows = publishedIndicatorRows().filter((r) => secret.has(key(r)));
    expect(rows).toHaveLength(withheld.length);
    for (const r of rows) expect([r.numerator, r.denominator, r.rate, r.ci_lo, r.ci_hi]).toEqual([null, null, null, null, null]);
    // downloads: the withheld rows of each indicator table have empty value cells
    for (const indicator of new Set(withheld.map((w) => w.indicator_id))) {
      const csv = readFileSync(join(distDir, "downloads", `indikator_${indicator}.csv`), "utf8").replace(/^\uFEFF/, "");
      const parsed = Papa.parse<Record<string, string>>(csv, {header: true, delimiter: ";", skipEmptyLines: true}).data;
      const secretRows = parsed.filter((r) => r["Geheimhaltung"] === "geheim (kleine Fallzahl)");
      expect(secretRows.length).toBeGreaterThanOrEqual(withheld.filter((w) => w.indicator_id === indicator).length);
      for (const r of secretRows) {
        // the annual value columns of the cell (the three-year value has its own flag)
        const numbers = Object.entries(r).filter(([k]) => /^(Zähler: |Nenner: |Anteil \(%\)$|Konfidenzintervall (unten|oben) \(%\)$|Abweichung vom Stadtwert)/.test(k));
        expect(numbers.length).toBeGreaterThan(0);
        for (const [column, value] of numbers) expect(value, `${indicator} ${column}`).toBe("");
      }
    }
  });
  // the attacker's linear programme on the built files: protection-audit.test.ts
});
