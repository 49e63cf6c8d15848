/**
 * The attacker's linear programme on the files of the built site itself: every page file with
 * indicator values (the city's values, the values per level, indicator and year, their series,
 * the area profiles, the report pages, the overview) and the indicator downloads (Parquet, with
 * the three-year counts), checked against the true values in the internal database. Complements
 * the unit-level audit of all cities (test/protection/site-audit.test.ts), which reads the same
 * files as the export step writes them.
 */
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, inject, it} from "vitest";
import {defaultDatabasePath, selectedCity} from "../../loaders/city.ts";
import {queryRows} from "../../loaders/db.ts";
import {auditCells, quotingSentence, readPublishedSite, sentencesOf, trueValues, withheldValues} from "../protection/site-audit.ts";

const distDir = inject("distDir");

describe("the built site's files, attacked", () => {
  it("no withheld count is recovered and every sensitive count keeps ±3", async () => {
    const site = await readPublishedSite(join(distDir, "_file", "data"), join(distDir, "downloads"), true);
    expect(site.conflicts).toEqual([]);
    // the city's values, at least one value file per level and indicator, the profiles and the downloads
    expect(site.files).toBeGreaterThan(20);
    const internal = await DuckDBInstance.create(defaultDatabasePath(selectedCity()), {access_mode: "READ_ONLY"});
    const conn = await internal.connect();
    try {
      const areas = await queryRows<{area_id: string; parent_id: string | null}>(conn, "SELECT area_id, parent_id FROM areas");
      // every published cell of the database is in the site's files
      const [{n}] = (await queryRows<{n: number}>(conn, "SELECT count(*) AS n FROM indicator_published")) as [{n: number}];
      expect(site.cells.filter((c) => c.kind === "annual")).toHaveLength(Number(n));
      const audit = await auditCells(site.cells, await trueValues(conn), areas, 3);
      expect(audit.withheldCells).toBeGreaterThan(0);
      expect(audit.violations).toEqual([]);
      expect(audit.exact).toEqual([]);
    } finally {
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
