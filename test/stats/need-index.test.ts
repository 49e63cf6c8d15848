import {readFileSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import Papa from "papaparse";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  DYNAMICS_THRESHOLDS,
  STATUS_THRESHOLDS,
  computeNeedIndex,
  indexInputViewSql,
  quantileClass,
  statusDynamicsMatrix,
  thresholdClass,
  type NeedIndexOptions
} from "../../loaders/stats/need-index.ts";

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

async function load(table: string, values: Record<string, Record<string, number | null>>): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ${table} (area_id VARCHAR, indicator_id VARCHAR, value DOUBLE)`);
  const appender = await conn.createAppender(table);
  for (const [area, byIndicator] of Object.entries(values)) {
    for (const [indicator, value] of Object.entries(byIndicator)) {
      appender.appendVarchar(area);
      appender.appendVarchar(indicator);
      if (value === null) appender.appendNull();
      else appender.appendDouble(value);
      appender.endRow();
    }
  }
  appender.closeSync();
}

/**
 * Five valid areas A–E and one area F without x1:
 *        x1   x2
 *   A     1   10
 *   B     2   20
 *   C     3   10
 *   D     4   40
 *   E     5   20
 *   F     –   30   (excluded: x1 missing)
 * x1: mean 3, deviations −2 −1 0 1 2, sample variance 10/4 = 2.5, SD √2.5 = 1.5811388;
 *     z1 = −1.2649111, −0.6324555, 0, 0.6324555, 1.2649111
 * x2 (over A–E only, F is excluded): mean 100/5 = 20, deviations −10 0 −10 20 0,
 *     sample variance 600/4 = 150, SD √150 = 12.2474487; z2 = −0.8164966, 0, −0.8164966, 1.6329932, 0
 */
const DATA = {
  A: {x1: 1, x2: 10},
  B: {x1: 2, x2: 20},
  C: {x1: 3, x2: 10},
  D: {x1: 4, x2: 40},
  E: {x1: 5, x2: 20},
  F: {x1: null, x2: 30}
};

async function run(options: Partial<NeedIndexOptions>) {
  return computeNeedIndex(conn, {source: "input", target: "need", indicators: [{id: "x1"}, {id: "x2"}], ...options});
}

describe("z-sum need index", () => {
  it("standardises, sums and standardises again (sample SD, equal weights)", async () => {
    await load("input", DATA);
    const result = await run({});
    // s = z1 + z2: A −2.0814076, B −0.6324555, C −0.8164966, D 2.2654487, E 1.2649111; mean 0;
    // sample SD of s = √(Σs²/4) = √((4.3322578 + 0.4 + 0.6666667 + 5.1322578 + 1.6)/4) = √3.0327956 = 1.7414923
    // index = s / 1.7414923: A −1.1951862, B −0.3631687, C −0.4688488, D 1.3008663, E 0.7263374
    // classes (−1, 1, 1.5): A < −1 → 1; B, C, E in [−1, 1] → 2; D in (1, 1.5] → 3
    expect(result.indicators).toEqual([
      {indicator_id: "x1", n: 5, mean: 3, sd: expect.closeTo(Math.sqrt(2.5), 12)},
      {indicator_id: "x2", n: 5, mean: 20, sd: expect.closeTo(Math.sqrt(150), 12)}
    ]);
    expect(result.sum.sd).toBeCloseTo(1.7414923367585182, 12);
    const byArea = Object.fromEntries(result.rows.map((row) => [row.area_id, row]));
    expect(byArea.A!.weighted_sum).toBeCloseTo(-2 / Math.sqrt(2.5) - 10 / Math.sqrt(150), 12);
    expect(byArea.A!.index_z).toBeCloseTo(-1.195186221071, 11);
    expect(byArea.B!.index_z).toBeCloseTo(-0.3631687138, 10);
    expect(byArea.C!.index_z).toBeCloseTo(-0.468848793471, 11);
    expect(byArea.D!.index_z).toBeCloseTo(1.300866300742, 11);
    expect(byArea.E!.index_z).toBeCloseTo(0.726337427601, 11);
    expect(result.rows.map((row) => [row.area_id, row.valid, row.class])).toEqual([
      ["A", true, 1], ["B", true, 2], ["C", true, 2], ["D", true, 3], ["E", true, 2], ["F", false, null]
    ]);
    expect(byArea.F!.index_z).toBeNull();
  });

  it("population SD (n instead of n − 1) in both standardisations", async () => {
    await load("input", DATA);
    const result = await run({sd: "population"});
    // x1: SD √(10/5) = √2; x2: SD √(600/5) = √120; s_A = −2/√2 − 10/√120 = −1.4142136 − 0.9128709 = −2.3270845
    // population SD of s = 1.7414923·√(4/5) … = 1.5576571; index A = −2.3270845/1.5576571 = −1.3362588 → 1; D 1.4544127 → 3
    const byArea = Object.fromEntries(result.rows.map((row) => [row.area_id, row]));
    expect(result.indicators[0]!.sd).toBeCloseTo(Math.SQRT2, 12);
    expect(byArea.A!.weighted_sum).toBeCloseTo(-2.327084491548, 11);
    expect(byArea.A!.index_z).toBeCloseTo(-1.336258818043, 11);
    expect(byArea.D!.index_z).toBeCloseTo(1.454412739049, 11);
    expect(result.rows.map((row) => row.class)).toEqual([1, 2, 2, 3, 2, null]);
  });

  it("polarity −1 reverses an indicator", async () => {
    await load("input", DATA);
    const result = await run({indicators: [{id: "x1"}, {id: "x2", polarity: -1}]});
    // s = z1 − z2: A −0.4484145, B −0.6324555, C 0.8164966, D −1.0005376, E 1.2649111; SD 0.9834655
    // index: A −0.4559534, B −0.6430887, C 0.8302239, D −1.0173591 → 1, E 1.2861773 → 3
    const byArea = Object.fromEntries(result.rows.map((row) => [row.area_id, row]));
    expect(byArea.D!.index_z).toBeCloseTo(-1.017359127775, 11);
    expect(byArea.E!.index_z).toBeCloseTo(1.286177329564, 11);
    expect(result.rows.map((row) => row.class)).toEqual([2, 2, 2, 1, 3, null]);
  });

  it("weights multiply the z-scores", async () => {
    await load("input", DATA);
    const result = await run({indicators: [{id: "x1", weight: 2}, {id: "x2", weight: 1}]});
    // s = 2·z1 + z2: A −3.3463187, …, D 2.8979042; SD 2.6581180; index A −1.2589053 → 1, D 1.0902090 → 3, E 0.9517343 → 2
    const byArea = Object.fromEntries(result.rows.map((row) => [row.area_id, row]));
    expect(byArea.A!.weighted_sum).toBeCloseTo(-3.346318709062, 11);
    expect(byArea.D!.index_z).toBeCloseTo(1.090209036486, 11);
    expect(result.rows.map((row) => row.class)).toEqual([1, 2, 2, 3, 2, null]);
  });

  it("quantile classes: class = floor((rank − 1)·k / n) + 1", async () => {
    await load("input", DATA);
    const result = await run({classes: {method: "quantile", classes: 2}});
    // ranks by index: A 1, C 2, B 3, E 4, D 5; k = 2, n = 5 → 1, 1, 1, 2, 2
    expect(Object.fromEntries(result.rows.map((row) => [row.area_id, row.class]))).toEqual({A: 1, B: 1, C: 1, D: 2, E: 2, F: null});
    expect([1, 2, 3, 4, 5].map((r) => quantileClass(r, 5, 2))).toEqual([1, 1, 1, 2, 2]);
    // k = 4, n = 10: floor(0·0.4)+1 … → 1 1 1 2 2 3 3 3 4 4
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((r) => quantileClass(r, 10, 4))).toEqual([1, 1, 1, 2, 2, 3, 3, 3, 4, 4]);
  });

  it("dynamics classes (−1, 1): x < −1 → 1, −1 ≤ x ≤ 1 → 2, x > 1 → 3", async () => {
    await load("input", DATA);
    const result = await run({classes: {method: "thresholds", thresholds: DYNAMICS_THRESHOLDS}});
    expect(result.rows.map((row) => row.class)).toEqual([1, 2, 2, 3, 2, null]);
  });

  it("rejects indicators without variation, too few valid areas and duplicates (German messages)", async () => {
    await load("input", {A: {x1: 1, x2: 5}, B: {x1: 2, x2: 5}, C: {x1: 3, x2: 5}});
    await expect(run({})).rejects.toThrow(/„x2“ hat keine Streuung/);
    await load("input", {A: {x1: 1, x2: 5}, B: {x1: null, x2: 6}});
    await expect(run({})).rejects.toThrow(/1 Gebiet\(e\) mit Werten für alle Indikatoren/);
    await conn.run("INSERT INTO input VALUES ('A', 'x1', 2)");
    await expect(run({})).rejects.toThrow(/doppelt angegeben: Gebiet A, x1/);
  });
});

describe("class thresholds on values rounded to 10 decimals", () => {
  it("MSS rule: x < −1 → 1; −1 ≤ x ≤ 1 → 2; 1 < x ≤ 1.5 → 3; x > 1.5 → 4", () => {
    const t = STATUS_THRESHOLDS;
    expect([-1.0000000001, -1, 0, 1, 1.0000000001, 1.5, 1.5000000001].map((x) => thresholdClass(x, t))).toEqual([1, 2, 2, 2, 3, 3, 4]);
    // floating-point noise below 5e-11 is rounded away: −1.0000000000000004 is −1 → class 2
    expect(thresholdClass(-1.0000000000000004, t)).toBe(2);
    expect(thresholdClass(1.0000000000000002, t)).toBe(2);
    expect(thresholdClass(1.4999999999999998, t)).toBe(3);
    expect(thresholdClass(null, t)).toBeNull();
  });

  it("SQL: values 1.7, 1.8, 1.9 have z = −1, 0, +1 exactly, DuckDB computes −1.0000000000000004 and 0.9999999999999997 – all class 2", async () => {
    // mean 1.8, sample SD √((0.01 + 0 + 0.01)/2) = 0.1 → z = −1, 0, 1; the index of a single indicator is its z
    await load("input", {a: {x: 1.7}, b: {x: 1.8}, c: {x: 1.9}});
    const result = await computeNeedIndex(conn, {source: "input", target: "need", indicators: [{id: "x"}]});
    expect(Math.abs(result.rows[0]!.index_z! + 1)).toBeLessThan(1e-12);
    expect(Math.abs(result.rows[2]!.index_z! - 1)).toBeLessThan(1e-12);
    expect(result.rows.map((row) => row.class)).toEqual([2, 2, 2]);
  });

  it("SQL: a z of exactly 1.5 (values 0, 0, 0, 3 with sample SD 1.5) is class 3, not 4", async () => {
    // mean 0.75, sample variance (3·0.5625 + 5.0625)/3 = 2.25, SD 1.5 → z(3) = 2.25/1.5 = 1.5, z(0) = −0.5
    await load("input", {a: {x: 0}, b: {x: 0}, c: {x: 0}, d: {x: 3}});
    const result = await computeNeedIndex(conn, {source: "input", target: "need", indicators: [{id: "x"}]});
    expect(result.rows[3]!.index_z).toBeCloseTo(1.5, 12);
    expect(result.rows.map((row) => row.class)).toEqual([2, 2, 2, 3]);
  });
});

describe("status × dynamics matrix and indicator_values input", () => {
  it("counts areas per (status, dynamics) cell", async () => {
    await load("input", DATA);
    await run({target: "status_t"});
    await load("input", {A: {x1: 5, x2: 20}, B: {x1: 4, x2: 40}, C: {x1: 3, x2: 10}, D: {x1: 2, x2: 20}, E: {x1: 1, x2: 10}, F: {x1: 1, x2: 1}});
    // dynamics over all 6 areas (sample SD): x1 mean 2.6666667, SD 1.6329932; x2 mean 16.8333333, SD 13.4226177;
    // z1 + z2: A 1.4288690 + 0.2359200, B 0.8164966 + 1.7259430, C 0.2041241 − 0.5090909, D −0.4082483 + 0.2359200,
    //          E −1.0206207 − 0.5090909, F −1.0206207 − 1.1796010; SD of the sums 1.8187476
    // index: A 0.915349 → 2, B 1.397906 → 3, C −0.167680 → 2, D −0.094751 → 2, E −0.841080 → 2, F −1.209745 → 1
    await run({target: "dynamics_t", classes: {method: "thresholds", thresholds: DYNAMICS_THRESHOLDS}});
    const dyn = (await conn.runAndReadAll("SELECT area_id, class FROM dynamics_t ORDER BY area_id")).getRowObjectsJS();
    expect(dyn.map((row) => row.class)).toEqual([2, 3, 2, 2, 2, 1]);
    // status (first test): A 1, B 2, C 2, D 3, E 2, F none → cells (1,2) A; (2,3) B; (2,2) C, E; (3,2) D
    const matrix = await statusDynamicsMatrix(conn, "status_t", "dynamics_t");
    expect(matrix).toEqual([
      [0, 1, 0],
      [0, 2, 1],
      [0, 1, 0],
      [0, 0, 0]
    ]);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(5); // F has no status class
  });

  it("builds the index input from indicator_values (one year, one level)", async () => {
    await conn.run(
      `CREATE OR REPLACE TABLE indicator_values AS SELECT * FROM (VALUES
        (2022, 'A', 'bezirk', 'x1', 0.10, 1.0), (2022, 'B', 'bezirk', 'x1', 0.20, 2.0), (2022, 'C', 'stadt', 'x1', 0.15, 1.5),
        (2021, 'A', 'bezirk', 'x1', 0.30, NULL)) t(year, area_id, level, indicator_id, rate, change_ky)`
    );
    await conn.run(indexInputViewSql({view: "status_input", year: 2022, level: "bezirk", column: "rate"}));
    const rows = (await conn.runAndReadAll("SELECT * FROM status_input ORDER BY area_id")).getRowObjectsJS();
    expect(rows).toEqual([
      {area_id: "A", indicator_id: "x1", value: 0.1},
      {area_id: "B", indicator_id: "x1", value: 0.2}
    ]);
  });
});

describe("Berlin MSS 2021 through computeNeedIndex directly", () => {
  const dir = join(import.meta.dirname, "..", "fixtures", "stats", "berlin-mss-2021");
  const parse = (file: string) =>
    Papa.parse<Record<string, string>>(readFileSync(join(dir, file), "utf8"), {header: true, skipEmptyLines: true, dynamicTyping: false}).data;

  for (const sd of ["sample", "population"] as const) {
    it(`reproduces all 536 status and dynamics classes with the ${sd} SD, and the published status × dynamics matrix`, async () => {
      const raw = parse("mss_2021_index_indikatoren.csv");
      const values: Record<string, Record<string, number | null>> = {};
      for (const row of raw) {
        values[row.PLR_ID!] = Object.fromEntries(
          ["S1", "S3", "S4", "D1", "D3", "D4"].map((c) => [c, row[c] === "-9999" ? null : Number(row[c])])
        );
      }
      await load("mss", values);
      await computeNeedIndex(conn, {source: "mss", target: "mss_status", indicators: [{id: "S1"}, {id: "S3"}, {id: "S4"}], sd});
      await computeNeedIndex(conn, {
        source: "mss", target: "mss_dynamics", indicators: [{id: "D1"}, {id: "D3"}, {id: "D4"}], sd,
        classes: {method: "thresholds", thresholds: DYNAMICS_THRESHOLDS}
      });
      const status = new Map((await conn.runAndReadAll("SELECT area_id, class FROM mss_status")).getRowObjectsJS().map((r) => [r.area_id, r.class]));
      const dynamics = new Map((await conn.runAndReadAll("SELECT area_id, class FROM mss_dynamics")).getRowObjectsJS().map((r) => [r.area_id, r.class]));
      const published = parse("mss_2021.csv");
      expect(published).toHaveLength(542);
      const toBerlinDynamics = {1: 1, 2: 3, 3: 5} as Record<number, number>;
      const expectedMatrix = [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]];
      let compared = 0;
      for (const row of published) {
        if (row.SI_N === "") {
          expect(status.get(row.PLR_ID!)).toBeNull();
          continue;
        }
        compared++;
        expect(status.get(row.PLR_ID!)).toBe(Number(row.SI_N));
        expect(toBerlinDynamics[Number(dynamics.get(row.PLR_ID!))]).toBe(Number(row.DI_N));
        expectedMatrix[Number(row.SI_N) - 1]![(Number(row.DI_N) - 1) / 2]!++;
      }
      expect(compared).toBe(536);
      expect(await statusDynamicsMatrix(conn, "mss_status", "mss_dynamics")).toEqual(expectedMatrix);
    });
  }
});
