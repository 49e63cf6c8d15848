/**
 * The need index per area level (issue 13, "A need index for few areas"):
 * - a level with fewer than `min_areas_for_thresholds` areas gets rank classes, because with
 *   n areas no z can exceed (n − 1)/√n (6 areas: 2,04) and the top class is out of reach;
 * - one basis (annual or three-year mean) per level for all years, never a switch inside a series;
 * - the dynamics index keeps its ±1 thresholds on every level.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {buildCity} from "../../loaders/pipeline.ts";
import {computeNeedIndexGrouped} from "../../loaders/stats/need-index.ts";
import {generateStateCity} from "../../tools/generate/state.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-need-levels-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

type NeedRow = {
  year: number;
  level: string;
  area_id: string;
  status_z: number | null;
  status_class: number | null;
  dynamics_z: number | null;
  dynamics_class: number | null;
  basis: string;
  class_method: string;
  dynamics_se: number | null;
};

async function needIndex(cityDir: string, name: string): Promise<{rows: NeedRow[]; log: {year: number; level: string; kind: string; message: string}[]}> {
  const db = join(tmp, `${name}.duckdb`);
  await buildCity(cityDir, db);
  const {instance, conn} = await openDatabase(db);
  try {
    const rows = await queryRows<NeedRow>(conn, "SELECT * FROM need_index ORDER BY level, year, area_id");
    const log = await queryRows<{year: number; level: string; kind: string; message: string}>(conn, "SELECT * FROM need_index_log ORDER BY ALL");
    return {rows, log};
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

function byYear(rows: NeedRow[]): Map<number, NeedRow[]> {
  const out = new Map<number, NeedRow[]>();
  for (const r of rows) out.set(r.year, [...(out.get(r.year) ?? []), r]);
  return out;
}

describe("dynamics classes beyond sampling error (hand-computed)", () => {
  it("one indicator, values 1, 2, 3, 10: z of the last is 6/√(50/3) = 1,4697; class 3 only when z − 1,96·se > 1", async () => {
    const {instance, conn} = await openDatabase();
    try {
      // mean 4, sample SD √(50/3) = 4,0825; with one indicator the index is z itself and
      // se = √variance / 4,0825: variance 1 → se 0,2449, lower bound 1,4697 − 0,4801 = 0,9897 (class 2);
      // variance 0,25 → se 0,1225, lower bound 1,2297 (class 3); no variance → se NULL, plain threshold (class 3)
      await conn.run(`CREATE TABLE src AS SELECT * FROM (VALUES
        (1, 'a', 'i', 1.0, 1.0), (1, 'b', 'i', 2.0, 1.0), (1, 'c', 'i', 3.0, 1.0), (1, 'd', 'i', 10.0, 1.0),
        (2, 'a', 'i', 1.0, 0.25), (2, 'b', 'i', 2.0, 0.25), (2, 'c', 'i', 3.0, 0.25), (2, 'd', 'i', 10.0, 0.25),
        (3, 'a', 'i', 1.0, NULL), (3, 'b', 'i', 2.0, NULL), (3, 'c', 'i', 3.0, NULL), (3, 'd', 'i', 10.0, NULL)
      ) t(g, area_id, indicator_id, value, variance)`);
      const failures = await computeNeedIndexGrouped(conn, {source: "src", target: "out", indicators: [{id: "i"}], classes: {method: "thresholds", thresholds: [-1, 1]}, groups: ["g"], variance: {column: "variance", z: 1.959963984540054}});
      expect(failures).toEqual([]);
      const rows = await queryRows<{g: number; area_id: string; index_z: number; index_se: number | null; class: number}>(conn, "SELECT g, area_id, index_z, index_se, class FROM out ORDER BY g, area_id");
      expect(rows.filter((r) => r.area_id === "d").map((r) => r.index_z)).toEqual([expect.closeTo(1.4697, 4), expect.closeTo(1.4697, 4), expect.closeTo(1.4697, 4)]);
      expect(rows.filter((r) => r.area_id === "d").map((r) => r.index_se)).toEqual([expect.closeTo(0.2449, 4), expect.closeTo(0.1225, 4), null]);
      expect(rows.map((r) => r.class)).toEqual([2, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2, 3]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe("need index with few areas", () => {
  it("Bochum's 6 Stadtbezirke: rank classes 1, 1, 2, 3, 3, 4 every year, one basis, dynamics classes only beyond sampling error", async () => {
    const {rows} = await needIndex(join(ROOT, "data", "bochum"), "bochum");
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.class_method))).toEqual(new Set(["Rangklassen"]));
    // one basis for the whole series
    expect(new Set(rows.map((r) => r.basis)).size).toBe(1);
    const years = byYear(rows);
    expect(years.size).toBe(8);
    for (const [year, list] of years) {
      const ranked = list.filter((r) => r.status_z !== null).sort((a, b) => a.status_z! - b.status_z!);
      expect(ranked.length, String(year)).toBe(6);
      // class = ⌊(rank − 1) · 4 / 6⌋ + 1 for ranks 1 … 6 (no ties in these data)
      expect(ranked.map((r) => r.status_class), String(year)).toEqual([1, 1, 2, 3, 3, 4]);
      expect(new Set(ranked.map((r) => r.status_z!.toFixed(12))).size).toBe(6);
    }
    // the dynamics index keeps its ±1 thresholds, widened by 1,96 sampling standard errors:
    // class 1 only when z + 1,96·se < −1, class 3 only when z − 1,96·se > +1, else 2
    const dynamics = rows.filter((r) => r.dynamics_z !== null);
    expect(dynamics.length).toBe(36);
    for (const r of dynamics) {
      expect(r.dynamics_se, `${r.year} ${r.area_id}`).toBeGreaterThan(0);
      const lo = r.dynamics_z! - 1.959963984540054 * r.dynamics_se!;
      const hi = r.dynamics_z! + 1.959963984540054 * r.dynamics_se!;
      expect(r.dynamics_class).toBe(hi < -1 ? 1 : lo > 1 ? 3 : 2);
    }
    // in Bochum's synthetic data 12 of 36 district changes lie beyond ±1, none beyond its
    // sampling error (two-year changes of about 500 entrants per district and year)
    expect(dynamics.filter((r) => Math.abs(r.dynamics_z!) > 1).length).toBe(12);
    expect(dynamics.filter((r) => r.dynamics_class !== 2).length).toBe(0);
  }, 300_000);

  it("4 areas with a tie at the top: rank classes 1, 2, 3, 3 (tied areas share the lower rank)", async () => {
    // report-a keeps z thresholds on purpose (min_areas_for_thresholds 2); without that setting
    // its 4 Stadtteile get rank classes
    const dir = join(tmp, "report-a");
    cpSync(join(ROOT, "test", "fixtures", "cities", "report-a"), dir, {recursive: true});
    const config = JSON.parse(readFileSync(join(dir, "city.json"), "utf8")) as {need_index: Record<string, unknown>};
    delete config.need_index.min_areas_for_thresholds;
    writeFileSync(join(dir, "city.json"), JSON.stringify(config, null, 2));
    const {rows} = await needIndex(dir, "report-a");
    const y2024 = rows.filter((r) => r.year === 2024 && r.status_z !== null).sort((a, b) => a.status_z! - b.status_z!);
    expect(y2024.length).toBe(4);
    expect(y2024.every((r) => r.class_method === "Rangklassen")).toBe(true);
    // z: Altstadt < Feldmark < Bergheim = Hafen (0,66 each) → ranks 1, 2, 3, 3 → classes 1, 2, 3, 3
    expect(y2024.map((r) => r.status_class)).toEqual([1, 2, 3, 3]);
    expect(y2024[2]!.status_z).toBeCloseTo(y2024[3]!.status_z!, 10);
  }, 300_000);
});

describe("need index on many small areas", () => {
  const dir = join(tmp, "land");
  generateStateCity({outDir: dir, leaves: 60, seuRows: 30_000, years: 6, lastYear: 2024});

  function levelsOf(rows: NeedRow[]): Map<string, NeedRow[]> {
    const levels = new Map<string, NeedRow[]>();
    for (const r of rows) levels.set(r.level, [...(levels.get(r.level) ?? []), r]);
    return levels;
  }

  it("a generated Land (basis auto): one basis and one class method per level, z thresholds on the 60-area level", async () => {
    const {rows} = await needIndex(dir, "land-auto");
    const levels = levelsOf(rows);
    expect(levels.size).toBeGreaterThanOrEqual(3);
    for (const [level, list] of levels) {
      expect(new Set(list.map((r) => r.basis)).size, level).toBe(1);
      expect(new Set(list.map((r) => r.class_method)).size, level).toBe(1);
      // levels with fewer than 20 areas rank, the others use thresholds
      const areas = new Set(list.map((r) => r.area_id)).size;
      expect(list[0]!.class_method, level).toBe(areas < 20 ? "Rangklassen" : "Schwellenwerte");
    }
    const leafRows = [...levels.values()].sort((a, b) => b.length - a.length)[0]!;
    // threshold classes: class 1 below −1, 2 up to +1, 3 up to +1,5, 4 above
    const classed = leafRows.filter((x) => x.status_z !== null);
    expect(classed.length).toBeGreaterThan(50);
    for (const r of classed) {
      const z = Math.round(r.status_z! * 1e10) / 1e10;
      expect(r.status_class).toBe(z < -1 ? 1 : z <= 1 ? 2 : z <= 1.5 ? 3 : 4);
    }
  }, 300_000);

  it("basis pooled: three-year means in every year of every level, the two years before logged", async () => {
    const pooledDir = join(tmp, "land-pooled");
    cpSync(dir, pooledDir, {recursive: true});
    const config = JSON.parse(readFileSync(join(pooledDir, "city.json"), "utf8")) as {need_index: Record<string, unknown>};
    config.need_index.basis = "pooled";
    writeFileSync(join(pooledDir, "city.json"), JSON.stringify(config, null, 2));
    const {rows, log} = await needIndex(pooledDir, "land-pooled");
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.basis))).toEqual(new Set(["Dreijahresmittel"]));
    // 2019–2024: three-year means from 2021 on
    expect(Math.min(...rows.map((r) => r.year))).toBe(2021);
    for (const level of levelsOf(rows).keys()) {
      const logged = log.filter((l) => l.level === level && l.kind === "status");
      expect(logged.map((l) => l.year), level).toEqual([2019, 2020]);
      expect(logged[0]!.message).toMatch(/Dreijahresmitteln/);
    }
  }, 300_000);
});
