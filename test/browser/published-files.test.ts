/**
 * What the built site publishes, scanned file by file: no withheld cell's numbers appear in any
 * page file with indicator values or in the downloads (the attack on them: protection-audit.test.ts).
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import Papa from "papaparse";
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, inject, it} from "vitest";
import {defaultDatabasePath, selectedCity} from "../../loaders/city.ts";
import {queryRows} from "../../loaders/db.ts";
import {readPublishedSite} from "../protection/site-audit.ts";

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

describe("the published files of the built site", () => {
  it("carry no number of a withheld cell, in any page file or in any indicator download", async () => {
    const withheld = await internal<{indicator_id: string; year: number; area_id: string; numerator: number; denominator: number}>(`
      SELECT p.indicator_id, p.year, p.area_id, v.numerator, v.denominator
      FROM indicator_published p JOIN indicator_values v USING (indicator_id, year, area_id) WHERE p.suppressed IS NOT NULL`);
    expect(withheld.length).toBeGreaterThan(0);
    const key = (indicator: unknown, area: unknown, year: unknown) => `${indicator}|${area}|${Number(year)}`;
    const secret = new Set(withheld.map((w) => key(w.indicator_id, w.area_id, w.year)));
    const site = await readPublishedSite(join(distDir, "_file", "data"), join(distDir, "downloads"), true);
    expect(site.conflicts).toEqual([]);
    // every withheld cell is in the page files, flagged, without numbers – in every file that has it
    const rows = site.rows.filter((r) => secret.has(key(r.indicator, r.row.area_id, r.row.year)));
    expect(new Set(rows.map((r) => key(r.indicator, r.row.area_id, r.row.year))).size).toBe(secret.size);
    for (const {source, row} of rows) {
      expect(row.suppressed, source).toBe("geheim");
      const numbers = ["numerator", "denominator", "rate", "ci_lo", "ci_hi", "diff_city", "signif", "change_1y"].filter((f) => f in row).map((f) => [f, row[f]]);
      expect(numbers.length, source).toBeGreaterThan(0);
      for (const [field, value] of numbers) expect(value, `${source} ${String(field)}`).toBeNull();
    }
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
