import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  WILSON_Z,
  createIndicatorValues,
  differencePp,
  indicatorValuesFromCounts,
  installMacros,
  pooledValue,
  rate,
  significance,
  wilsonInterval,
  type IndicatorCountRow,
  type IndicatorValueRow
} from "../../loaders/stats/rates.ts";

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
  await installMacros(conn);
});

afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

async function sqlWilson(k: number, n: number): Promise<{lo: number | null; hi: number | null}> {
  const reader = await conn.runAndReadAll("SELECT wilson_lo($1::DOUBLE, $2::DOUBLE) AS lo, wilson_hi($1::DOUBLE, $2::DOUBLE) AS hi", [k, n]);
  const row = reader.getRowObjectsJS()[0]!;
  return {lo: row.lo as number | null, hi: row.hi as number | null};
}

/**
 * The Wilson formula written out by hand, step by step:
 *   p = k/n;  z² = z·z;  d = 1 + z²/n;  centre = (p + z²/(2n)) / d;
 *   half = (z/d) · sqrt(p(1−p)/n + z²/(4n²));  lo = centre − half;  hi = centre + half.
 */
function byHand(k: number, n: number): {lo: number; hi: number} {
  const z = 1.959963984540054;
  const p = k / n;
  const z2 = z * z;
  const d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {lo: centre - half, hi: centre + half};
}

describe("Wilson score interval", () => {
  // z = 1.959963984540054, z² = 3.841458820694125 (40-digit decimal arithmetic for the literals below)
  const cases = [
    {
      // k=12, n=80: p = 0.15; d = 1 + 3.841458820694125/80 = 1.048018235258677;
      // centre = (0.15 + 3.841458820694125/160) / d = (0.15 + 0.024009117629338) / 1.048018235258677 = 0.166036345337434;
      // half = (1.959963984540054 / 1.048018235258677) · sqrt(0.15·0.85/80 + 3.841458820694125/25600)
      //      = 1.870123604808318 · sqrt(0.0015937500 + 0.000150056985183) = 1.870123604808318 · 0.041759666 = 0.078095940275799
      k: 12, n: 80, lo: 0.08794040506163550, hi: 0.24413228561323348
    },
    {
      // k=0, n=25: p = 0; d = 1 + 3.841458820694125/25 = 1.153658352827765;
      // centre = (0 + 3.841458820694125/50) / d = 0.076829176413883 / 1.153658352827765 = 0.066596125469524;
      // half = (z/d) · sqrt(0 + z²/2500) = (z/d) · z/50 = z²/(50 d) = centre  →  lo = 0, hi = 2·centre
      k: 0, n: 25, lo: 0, hi: 0.13319225093904848
    },
    {
      // k=25, n=25: p = 1; d as above; centre = (1 + 0.076829176413883) / 1.153658352827765 = 0.933403874530476;
      // half = z²/(50 d) = 0.066596125469524  →  lo = 0.866807749060952, hi = 1
      k: 25, n: 25, lo: 0.86680774906095152, hi: 1
    },
    {
      // k=1, n=3: p = 1/3; d = 1 + 3.841458820694125/3 = 2.280486273564708;
      // centre = (0.333333333333333 + 0.640243136782354) / 2.280486273564708 = 0.426916171959174;
      // half = (1.959963984540054 / 2.280486273564708) · sqrt((1/3)(2/3)/3 + 3.841458820694125/36)
      //      = 0.859449478 · sqrt(0.074074074 + 0.106707189) = 0.859449478 · 0.425183800 = 0.365424227238778
      k: 1, n: 3, lo: 0.06149194472039624, hi: 0.79234039919795225
    }
  ];

  for (const c of cases) {
    it(`k=${c.k}, n=${c.n}: TypeScript, SQL macro and the hand formula agree to 1e-9`, async () => {
      const hand = byHand(c.k, c.n);
      expect(hand.lo).toBeCloseTo(c.lo, 12);
      expect(hand.hi).toBeCloseTo(c.hi, 12);
      const ts = wilsonInterval(c.k, c.n)!;
      expect(Math.abs(ts.lo - c.lo)).toBeLessThan(1e-9);
      expect(Math.abs(ts.hi - c.hi)).toBeLessThan(1e-9);
      const sql = await sqlWilson(c.k, c.n);
      expect(Math.abs(sql.lo! - c.lo)).toBeLessThan(1e-9);
      expect(Math.abs(sql.hi! - c.hi)).toBeLessThan(1e-9);
      expect(Math.abs(sql.lo! - ts.lo)).toBeLessThan(1e-12);
      expect(Math.abs(sql.hi! - ts.hi)).toBeLessThan(1e-12);
    });
  }

  it("uses z = 1.959963984540054 and clamps to [0, 1]", () => {
    expect(WILSON_Z).toBe(1.959963984540054);
    expect(wilsonInterval(0, 25)!.lo).toBe(0);
    expect(wilsonInterval(25, 25)!.hi).toBe(1);
  });

  it("is undefined (null) unless n > 0 and 0 ≤ k ≤ n – in TS and SQL", async () => {
    expect(wilsonInterval(1, 0)).toBeNull();
    expect(wilsonInterval(5, 4)).toBeNull();
    expect(wilsonInterval(-1, 4)).toBeNull();
    expect(wilsonInterval(null, 4)).toBeNull();
    expect(await sqlWilson(1, 0)).toEqual({lo: null, hi: null});
    expect(await sqlWilson(5, 4)).toEqual({lo: null, hi: null});
    const reader = await conn.runAndReadAll("SELECT wilson_lo(NULL, 10) AS lo, wilson_hi(3, NULL) AS hi");
    expect(reader.getRowObjectsJS()[0]).toEqual({lo: null, hi: null});
  });

  it("TS and SQL agree on random k, n (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 1, max: 100000}), fc.double({min: 0, max: 1, noNaN: true}), async (n, share) => {
        const k = Math.round(share * n);
        const ts = wilsonInterval(k, n)!;
        const sql = await sqlWilson(k, n);
        expect(Math.abs(sql.lo! - ts.lo)).toBeLessThan(1e-12);
        expect(Math.abs(sql.hi! - ts.hi)).toBeLessThan(1e-12);
        // the interval contains the point estimate
        expect(ts.lo).toBeLessThanOrEqual(k / n + 1e-15);
        expect(ts.hi).toBeGreaterThanOrEqual(k / n - 1e-15);
      }),
      {numRuns: 100}
    );
  });
});

describe("significance flag against the city rate", () => {
  it("is +1 above, −1 below, 0 when the interval contains the city rate (TS and SQL)", async () => {
    // interval of 12/80 is [0.0879, 0.2441]
    const interval = wilsonInterval(12, 80);
    expect(significance(interval, 0.05)).toBe(1); // 0.0879 > 0.05
    expect(significance(interval, 0.3)).toBe(-1); // 0.2441 < 0.30
    expect(significance(interval, 0.1)).toBe(0); // 0.0879 ≤ 0.10 ≤ 0.2441
    expect(significance(interval, null)).toBeNull();
    expect(significance(null, 0.1)).toBeNull();
    const reader = await conn.runAndReadAll(
      `SELECT signif_flag(wilson_lo(12, 80), wilson_hi(12, 80), 0.05) AS a, signif_flag(wilson_lo(12, 80), wilson_hi(12, 80), 0.3) AS b,
              signif_flag(wilson_lo(12, 80), wilson_hi(12, 80), 0.1) AS c, signif_flag(wilson_lo(12, 80), wilson_hi(12, 80), NULL) AS d`
    );
    expect(reader.getRowObjectsJS()[0]).toEqual({a: 1, b: -1, c: 0, d: null});
  });
});

describe("pooled rate and changes (TypeScript)", () => {
  const series = [
    {year: 2020, numerator: 12, denominator: 80},
    {year: 2021, numerator: 20, denominator: 100},
    {year: 2022, numerator: 30, denominator: 120}
  ];
  it("pools the last m years: (12+20+30)/(80+100+120) = 62/300", () => {
    const pooled = pooledValue(series, 2022, 3)!;
    expect(pooled.numerator).toBe(62);
    expect(pooled.denominator).toBe(300);
    expect(pooled.rate).toBeCloseTo(62 / 300, 15);
    expect(pooled.interval).toEqual(wilsonInterval(62, 300));
  });
  it("is null unless all m years are present", () => {
    expect(pooledValue(series, 2021, 3)).toBeNull(); // 2019 missing
    expect(pooledValue(series.filter((s) => s.year !== 2021), 2022, 3)).toBeNull();
    expect(pooledValue([...series.slice(0, 2), {year: 2022, numerator: null, denominator: 120}], 2022, 3)).toBeNull();
    expect(pooledValue(series, 2022, 2)!.numerator).toBe(50); // 20 + 30
  });
  it("differences are percentage points", () => {
    // 0.25 − 0.20 = 0.05 = 5 percentage points
    expect(differencePp(0.25, 0.2)).toBeCloseTo(5, 12);
    expect(differencePp(0.25, null)).toBeNull();
    expect(rate(30, 120)).toBe(0.25);
    expect(rate(3, 0)).toBeNull();
  });
});

// ---------------------------------------------------------------------------
// indicator_values in DuckDB

/**
 * City C = D1 + D2 (indicator "x", years 2020–2022):
 *         2020        2021        2022
 *   C   100/1000    110/1000    120/2000
 *   D1   12/80       20/100      30/120
 *   D2   88/920      90/900      90/1880
 * Indicator "y" only for C and D1 in 2020, 2022, 2023 (2021 missing).
 */
const COUNTS: IndicatorCountRow[] = [
  ...[
    ["C", 2020, 100, 1000], ["C", 2021, 110, 1000], ["C", 2022, 120, 2000],
    ["D1", 2020, 12, 80], ["D1", 2021, 20, 100], ["D1", 2022, 30, 120],
    ["D2", 2020, 88, 920], ["D2", 2021, 90, 900], ["D2", 2022, 90, 1880]
  ].map(([area, year, numerator, denominator]) => ({
    year: year as number,
    area_id: area as string,
    level: area === "C" ? "stadt" : "bezirk",
    parent_id: area === "C" ? null : "C",
    indicator_id: "x",
    numerator: numerator as number,
    denominator: denominator as number
  })),
  ...[
    ["C", 2020, 50, 500], ["C", 2022, 60, 500], ["C", 2023, 75, 500],
    ["D1", 2020, 10, 100], ["D1", 2022, 20, 100], ["D1", 2023, 15, 100]
  ].map(([area, year, numerator, denominator]) => ({
    year: year as number,
    area_id: area as string,
    level: area === "C" ? "stadt" : "bezirk",
    parent_id: area === "C" ? null : "C",
    indicator_id: "y",
    numerator: numerator as number,
    denominator: denominator as number
  }))
];

async function loadCounts(rows: readonly IndicatorCountRow[]): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TABLE indicator_counts (year INT, area_id VARCHAR, level VARCHAR, parent_id VARCHAR, indicator_id VARCHAR, numerator DOUBLE, denominator DOUBLE)`
  );
  const appender = await conn.createAppender("indicator_counts");
  for (const row of rows) {
    appender.appendInteger(row.year);
    appender.appendVarchar(row.area_id);
    appender.appendVarchar(row.level);
    if (row.parent_id === null) appender.appendNull();
    else appender.appendVarchar(row.parent_id);
    appender.appendVarchar(row.indicator_id);
    if (row.numerator === null) appender.appendNull();
    else appender.appendDouble(row.numerator);
    if (row.denominator === null) appender.appendNull();
    else appender.appendDouble(row.denominator);
    appender.endRow();
  }
  appender.closeSync();
}

async function readValues(): Promise<IndicatorValueRow[]> {
  const reader = await conn.runAndReadAll("SELECT * FROM indicator_values ORDER BY indicator_id, year, area_id");
  return reader.getRowObjectsJS() as unknown as IndicatorValueRow[];
}

function find(rows: IndicatorValueRow[], indicator: string, area: string, year: number): IndicatorValueRow {
  const row = rows.find((r) => r.indicator_id === indicator && r.area_id === area && r.year === year);
  if (!row) throw new Error(`no row ${indicator} ${area} ${year}`);
  return row;
}

describe("createIndicatorValues (DuckDB)", () => {
  it("has the documented columns", async () => {
    await loadCounts(COUNTS);
    await createIndicatorValues(conn, {cityId: "C"});
    const reader = await conn.runAndReadAll("SELECT * FROM indicator_values LIMIT 0");
    expect(reader.columnNames()).toEqual([
      "year", "area_id", "level", "indicator_id", "numerator", "denominator", "rate", "ci_lo", "ci_hi",
      "city_rate", "diff_city", "signif", "pooled_numerator", "pooled_denominator", "pooled_rate",
      "pooled_ci_lo", "pooled_ci_hi", "change_1y", "change_ky"
    ]);
  });

  it("computes rate, interval, city difference and significance", async () => {
    await loadCounts(COUNTS);
    await createIndicatorValues(conn, {cityId: "C"});
    const rows = await readValues();
    expect(rows).toHaveLength(15);
    // D1 2020: 12/80 = 0.15, interval [0.087940405, 0.244132286] (hand values above), city 100/1000 = 0.10
    const d1 = find(rows, "x", "D1", 2020);
    expect(d1.rate).toBe(0.15);
    expect(d1.ci_lo).toBeCloseTo(0.0879404050616355, 9);
    expect(d1.ci_hi).toBeCloseTo(0.24413228561323348, 9);
    expect(d1.city_rate).toBe(0.1);
    // diff = (0.15 − 0.10)·100 = 5 percentage points; 0.0879 ≤ 0.10 ≤ 0.2441 → 0
    expect(d1.diff_city).toBeCloseTo(5, 12);
    expect(d1.signif).toBe(0);
    // D1 2022: 30/120 = 0.25, city 120/2000 = 0.06; Wilson lo of 30/120:
    //   p = 0.25, d = 1 + 3.841458820694125/120 = 1.032012156839118,
    //   centre = (0.25 + 0.016006078419559)/d = 0.257754791604676,
    //   half = (z/d)·sqrt(0.25·0.75/120 + z²/57600) = 1.899167535528941 · sqrt(0.001629191993415) = 0.076656575036580
    //   lo = 0.181098216568096 > 0.06 → +1; diff = (0.25 − 0.06)·100 = 19 pp
    const d1b = find(rows, "x", "D1", 2022);
    expect(d1b.ci_lo).toBeCloseTo(0.1810982165680956, 12);
    expect(d1b.signif).toBe(1);
    expect(d1b.diff_city).toBeCloseTo(19, 12);
    // D2 2022: 90/1880 = 0.047872340425532; d = 1 + z²/1880 = 1.002043329159944;
    //   centre = (0.047872340425532 + 0.001021664579972)/d = 0.048794302185010;
    //   half = (z/d)·sqrt(p(1−p)/1880 + z²/(4·1880²)) = 1.955967299521046 · sqrt(0.000024516708371) = 0.009684844908550
    //   hi = 0.058479147093560 < 0.06 → −1
    const d2 = find(rows, "x", "D2", 2022);
    expect(d2.rate).toBeCloseTo(90 / 1880, 15);
    expect(d2.ci_hi).toBeCloseTo(0.05847914709355981, 12);
    expect(d2.signif).toBe(-1);
    // the city against itself: 0
    expect(find(rows, "x", "C", 2022).signif).toBe(0);
    expect(find(rows, "x", "C", 2022).diff_city).toBe(0);
  });

  it("pools the last 3 years only when all are present, and computes changes in percentage points", async () => {
    await loadCounts(COUNTS);
    await createIndicatorValues(conn, {cityId: "C"});
    const rows = await readValues();
    // D1 2022: pooled (12 + 20 + 30) / (80 + 100 + 120) = 62/300
    const d1 = find(rows, "x", "D1", 2022);
    expect(d1.pooled_numerator).toBe(62);
    expect(d1.pooled_denominator).toBe(300);
    expect(d1.pooled_rate).toBeCloseTo(62 / 300, 15);
    expect(d1.pooled_ci_lo).toBeCloseTo(wilsonInterval(62, 300)!.lo, 12);
    // D2 2022: (88 + 90 + 90) / (920 + 900 + 1880) = 268/3700; C: 330/4000
    expect(find(rows, "x", "D2", 2022).pooled_numerator).toBe(268);
    expect(find(rows, "x", "D2", 2022).pooled_denominator).toBe(3700);
    expect(find(rows, "x", "C", 2022).pooled_rate).toBeCloseTo(330 / 4000, 15);
    // 2020 and 2021: the window reaches before the first year → NULL
    expect(find(rows, "x", "D1", 2021).pooled_numerator).toBeNull();
    expect(find(rows, "x", "D1", 2020).pooled_rate).toBeNull();
    // changes: 2021 − 2020 = (0.20 − 0.15)·100 = 5 pp; 2022 − 2021 = (0.25 − 0.20)·100 = 5 pp; 2022 − 2020 = 10 pp
    expect(find(rows, "x", "D1", 2021).change_1y).toBeCloseTo(5, 12);
    expect(find(rows, "x", "D1", 2022).change_1y).toBeCloseTo(5, 12);
    expect(find(rows, "x", "D1", 2022).change_ky).toBeCloseTo(10, 12);
    expect(find(rows, "x", "D1", 2020).change_1y).toBeNull();
    expect(find(rows, "x", "D1", 2021).change_ky).toBeNull();
    // indicator y has no 2021: no pooled value in 2022 or 2023, no 1-year change in 2022
    expect(find(rows, "y", "D1", 2022).pooled_numerator).toBeNull();
    expect(find(rows, "y", "D1", 2023).pooled_numerator).toBeNull();
    expect(find(rows, "y", "D1", 2022).change_1y).toBeNull();
    // y, D1: 2022 − 2020 = (0.20 − 0.10)·100 = 10 pp; 2023 − 2022 = (0.15 − 0.20)·100 = −5 pp
    expect(find(rows, "y", "D1", 2022).change_ky).toBeCloseTo(10, 12);
    expect(find(rows, "y", "D1", 2023).change_1y).toBeCloseTo(-5, 12);
  });

  it("honours pooledYears and changeYears", async () => {
    await loadCounts(COUNTS);
    await createIndicatorValues(conn, {cityId: "C", pooledYears: 2, changeYears: 1});
    const rows = await readValues();
    // window 2021–2022: (20 + 30) / (100 + 120) = 50/220
    expect(find(rows, "x", "D1", 2022).pooled_numerator).toBe(50);
    expect(find(rows, "x", "D1", 2022).pooled_denominator).toBe(220);
    expect(find(rows, "x", "D1", 2021).pooled_numerator).toBe(32);
    expect(find(rows, "x", "D1", 2022).change_ky).toBeCloseTo(5, 12);
  });

  it("handles a zero denominator and a numerator above the denominator", async () => {
    await loadCounts([
      {year: 2022, area_id: "C", level: "stadt", parent_id: null, indicator_id: "z", numerator: 5, denominator: 4},
      {year: 2022, area_id: "D1", level: "bezirk", parent_id: "C", indicator_id: "z", numerator: 0, denominator: 0}
    ]);
    await createIndicatorValues(conn, {cityId: "C"});
    const rows = await readValues();
    // 5/4 = 1.25 is a ratio, not a proportion: rate yes, Wilson interval no
    expect(find(rows, "z", "C", 2022).rate).toBe(1.25);
    expect(find(rows, "z", "C", 2022).ci_lo).toBeNull();
    expect(find(rows, "z", "D1", 2022).rate).toBeNull();
    expect(find(rows, "z", "D1", 2022).signif).toBeNull();
  });

  it("rejects a duplicated key with a German message", async () => {
    await loadCounts([COUNTS[0]!, COUNTS[0]!]);
    await expect(createIndicatorValues(conn, {cityId: "C"})).rejects.toThrow(/nicht eindeutig.*x 2020 Gebiet C \(2×\)/);
  });

  it("escapes the city id in SQL", async () => {
    await loadCounts(COUNTS.map((row) => ({...row, area_id: row.area_id === "C" ? "St. Peter's" : row.area_id})));
    await createIndicatorValues(conn, {cityId: "St. Peter's"});
    expect(find(await readValues(), "x", "D1", 2020).city_rate).toBe(0.1);
  });

  it("the TypeScript mirror gives the same table as the SQL (fixture and random data)", async () => {
    const compare = async (counts: IndicatorCountRow[]): Promise<void> => {
      await loadCounts(counts);
      await createIndicatorValues(conn, {cityId: "C"});
      const sql = await readValues();
      const ts = indicatorValuesFromCounts(counts, {cityId: "C"});
      expect(sql).toHaveLength(ts.length);
      sql.forEach((row, i) => {
        const mirror = ts[i]!;
        for (const [key, value] of Object.entries(row)) {
          const other = mirror[key as keyof IndicatorValueRow];
          if (typeof value === "number" && typeof other === "number") expect(Math.abs(value - other)).toBeLessThan(1e-9);
          else expect(other).toEqual(value);
        }
      });
    };
    await compare(COUNTS);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            area: fc.constantFrom("C", "A", "B"),
            year: fc.integer({min: 2018, max: 2023}),
            numerator: fc.option(fc.integer({min: 0, max: 50}), {nil: null}),
            extra: fc.integer({min: 0, max: 100})
          }),
          {maxLength: 30}
        ),
        async (entries) => {
          const seen = new Set<string>();
          const counts: IndicatorCountRow[] = [];
          for (const e of entries) {
            if (seen.has(`${e.area}-${e.year}`)) continue;
            seen.add(`${e.area}-${e.year}`);
            counts.push({
              year: e.year, area_id: e.area, level: e.area === "C" ? "stadt" : "bezirk", parent_id: e.area === "C" ? null : "C",
              indicator_id: "r", numerator: e.numerator, denominator: (e.numerator ?? 0) + e.extra
            });
          }
          await compare(counts);
        }
      ),
      {numRuns: 25}
    );
  });
});
