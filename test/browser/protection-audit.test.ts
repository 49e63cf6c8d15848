/**
 * The attacker's linear programme on the files of the built site itself: the indicator page
 * file (Arrow) for annual values and rates, the Parquet downloads for the three-year counts,
 * checked against the true values in the internal database. Complements the unit-level audit
 * of all cities (test/protection/site-audit.test.ts), which reads the same rows from the
 * exporters.
 */
import {existsSync, readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, inject, it} from "vitest";
import {defaultDatabasePath, selectedCity} from "../../loaders/city.ts";
import {queryRows} from "../../loaders/db.ts";
import {auditCells, cellsFromPublished, quotingSentence, sentencesOf, trueValues, withheldValues, type PublishedIndicatorRow} from "../protection/site-audit.ts";

const distDir = inject("distDir");

describe("the built site's files, attacked", () => {
  it("no withheld count is recovered and every sensitive count keeps ±3", async () => {
    const dataDir = join(distDir, "_file", "data");
    const arrowFile = readdirSync(dataDir).find((f) => /^indicators\..*\.arrow$/.test(f));
    expect(arrowFile).toBeDefined();
    const rows = tableFromIPC(readFileSync(join(dataDir, arrowFile!))).toArray().map((r) => r.toJSON() as Record<string, unknown>);
    const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    const instance = await DuckDBInstance.create(":memory:");
    const mem = await instance.connect();
    const internal = await DuckDBInstance.create(defaultDatabasePath(selectedCity()), {access_mode: "READ_ONLY"});
    const conn = await internal.connect();
    try {
      const pooled = new Map<string, {n: number | null; d: number | null}>();
      for (const indicator of new Set(rows.map((r) => String(r.indicator_id)))) {
        const file = join(distDir, "downloads", `indikator_${indicator}.parquet`);
        expect(existsSync(file), file).toBe(true);
        for (const r of await queryRows<{jahr: number; gebiet_id: string; zaehler_3j: number | null; nenner_3j: number | null}>(mem, `SELECT jahr, gebiet_id, zaehler_3j, nenner_3j FROM read_parquet('${file.replaceAll("'", "''")}')`)) {
          pooled.set(`${indicator}|${r.gebiet_id}|${Number(r.jahr)}`, {n: num(r.zaehler_3j), d: num(r.nenner_3j)});
        }
      }
      const published = rows.map((r) => ({...r, year: Number(r.year), numerator: num(r.numerator), denominator: num(r.denominator), rate: num(r.rate), pooled_rate: num(r.pooled_rate)})) as unknown as PublishedIndicatorRow[];
      const cells = cellsFromPublished(published, pooled);
      const areas = await queryRows<{area_id: string; parent_id: string | null}>(conn, "SELECT area_id, parent_id FROM areas");
      const audit = await auditCells(cells, await trueValues(conn), areas, 3);
      expect(audit.withheldCells).toBeGreaterThan(0);
      expect(audit.violations).toEqual([]);
      expect(audit.exact).toEqual([]);
    } finally {
      mem.closeSync();
      instance.closeSync();
      conn.closeSync();
      internal.closeSync();
    }
  }, 300_000);

  it("the report files of every year quote no withheld area's value", async () => {
    const dataDir = join(distDir, "_file", "data");
    const files = readdirSync(dataDir).filter((f) => /^report-\d{4}\..*\.json$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const internal = await DuckDBInstance.create(defaultDatabasePath(selectedCity()), {access_mode: "READ_ONLY"});
    const conn = await internal.connect();
    try {
      const withheld = await withheldValues(conn);
      let sentences = 0;
      for (const file of files) {
        const year = Number(/^report-(\d{4})/.exec(file)![1]);
        const texts: string[] = [];
        const collect = (x: unknown): void => {
          if (typeof x === "string") texts.push(x);
          else if (Array.isArray(x)) x.forEach(collect);
          else if (x && typeof x === "object") Object.values(x).forEach(collect);
        };
        collect(JSON.parse(readFileSync(join(dataDir, file), "utf8")));
        const list = texts.flatMap(sentencesOf);
        sentences += list.length;
        for (const w of withheld.filter((x) => Number(x.year) === year)) {
          expect(quotingSentence(list, w), `${year} ${w.short_title} ${w.name}`).toBeUndefined();
        }
      }
      expect(sentences).toBeGreaterThan(50);
    } finally {
      conn.closeSync();
      internal.closeSync();
    }
  });
});
