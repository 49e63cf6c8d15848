/**
 * computeNeedIndexGrouped: one index per group in one computation must equal computeNeedIndex
 * run group by group – on Berlin's 536 planning areas (all published classes) and on
 * hand-made groups, including the groups that cannot be computed and their German reasons.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import Papa from "papaparse";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {computeNeedIndex, computeNeedIndexGrouped} from "../../loaders/stats/need-index.ts";

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

type Row = [group: string, area: string, indicator: string, value: number | null];

async function load(rows: Row[]): Promise<void> {
  await conn.run("CREATE OR REPLACE TABLE input (grp VARCHAR, area_id VARCHAR, indicator_id VARCHAR, value DOUBLE)");
  const appender = await conn.createAppender("input");
  for (const [g, a, i, v] of rows) {
    appender.appendVarchar(g);
    appender.appendVarchar(a);
    appender.appendVarchar(i);
    if (v === null) appender.appendNull();
    else appender.appendDouble(v);
    appender.endRow();
  }
  appender.closeSync();
}

/** computeNeedIndex on one group's rows: its rows, or the message it throws. */
async function single(group: string, indicators: {id: string}[]): Promise<{rows?: unknown[]; error?: string}> {
  await conn.run(`CREATE OR REPLACE TABLE one AS SELECT area_id, indicator_id, value FROM input WHERE grp = '${group}'`);
  try {
    const result = await computeNeedIndex(conn, {source: "one", target: "one_out", indicators});
    return {rows: result.rows.map((r) => [r.area_id, r.valid, r.class, r.index_z === null ? null : Number(r.index_z.toFixed(12))])};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

async function grouped(group: string): Promise<unknown[]> {
  return (await conn.runAndReadAll(`SELECT area_id, valid, class, index_z FROM grouped_out WHERE grp = '${group}' ORDER BY area_id`))
    .getRows()
    .map(([a, v, c, z]) => [a, v, c, z === null ? null : Number((z as number).toFixed(12))]);
}

describe("need index per group in one computation", () => {
  it("equals computeNeedIndex group by group, and gives the same reasons for groups that cannot be computed", async () => {
    const x = (g: string, values: [string, number | null, number | null][]): Row[] =>
      values.flatMap(([a, v1, v2]) => [[g, a, "x1", v1], [g, a, "x2", v2]] as Row[]);
    await load([
      // the five valid areas of test/stats/need-index.test.ts and one without x1
      ...x("ok", [["A", 1, 10], ["B", 2, 20], ["C", 3, 10], ["D", 4, 40], ["E", 5, 20], ["F", null, 30]]),
      // a second group with other values, so that groups cannot borrow each other's statistics
      ...x("ok2", [["A", 10, 1], ["B", 0, 3], ["C", 7, 2]]),
      // one valid area only
      ...x("one", [["A", 1, 2], ["B", null, 3]]),
      // x2 without variation
      ...x("flat", [["A", 1, 5], ["B", 2, 5], ["C", 3, 5]]),
      // a duplicated value
      ...x("dup", [["A", 1, 2], ["B", 2, 3]]),
      ["dup", "A", "x1", 9]
    ]);
    const indicators = [{id: "x1"}, {id: "x2"}];
    const failures = await computeNeedIndexGrouped(conn, {source: "input", target: "grouped_out", indicators, groups: ["grp"]});
    const failed = new Map(failures.map((f) => [f.group.grp, f.message]));
    for (const group of ["ok", "ok2", "one", "flat", "dup"]) {
      const expected = await single(group, indicators);
      if (expected.error !== undefined) {
        expect(failed.get(group)).toBe(expected.error);
        expect(await grouped(group)).toEqual([]);
      } else {
        expect(failed.has(group)).toBe(false);
        expect(await grouped(group)).toEqual(expected.rows);
      }
    }
    expect([...failed.keys()].sort()).toEqual(["dup", "flat", "one"]);
    expect(failed.get("one")).toMatch(/1 Gebiet\(e\)/);
    // the hand-computed sum of z-values of area D in group "ok": z1 = 0.6324555, z2 = 1.6329932 (need-index.test.ts)
    const [d] = (await conn.runAndReadAll("SELECT weighted_sum FROM grouped_out WHERE grp = 'ok' AND area_id = 'D'")).getRows();
    expect(Number(d![0])).toBeCloseTo(0.6324555 + 1.6329932, 6);
  });

  it("reproduces Berlin's published status classes of all 536 planning areas in two groups at once", async () => {
    const dir = join(import.meta.dirname, "..", "fixtures", "stats", "berlin-mss-2021");
    const parse = (file: string) => Papa.parse<Record<string, string>>(readFileSync(join(dir, file), "utf8"), {header: true, skipEmptyLines: true}).data;
    const rows: Row[] = [];
    for (const row of parse("mss_2021_index_indikatoren.csv")) {
      for (const c of ["S1", "S3", "S4"]) {
        const value = row[c] === "-9999" ? null : Number(row[c]);
        // the same data twice, in two groups: each must be standardised on its own
        rows.push(["a", row.PLR_ID!, c, value], ["b", row.PLR_ID!, c, value === null ? null : value * 2 + 1]);
      }
    }
    await load(rows);
    const failures = await computeNeedIndexGrouped(conn, {source: "input", target: "grouped_out", indicators: [{id: "S1"}, {id: "S3"}, {id: "S4"}], groups: ["grp"]});
    expect(failures).toEqual([]);
    const published = parse("mss_2021.csv").filter((r) => r.SI_N !== "");
    expect(published).toHaveLength(536);
    for (const g of ["a", "b"]) {
      const classes = new Map((await conn.runAndReadAll(`SELECT area_id, class FROM grouped_out WHERE grp = '${g}'`)).getRows().map(([a, c]) => [a, c]));
      for (const row of published) expect(classes.get(row.PLR_ID!)).toBe(Number(row.SI_N));
    }
  });
});
