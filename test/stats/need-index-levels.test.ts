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
import {generateStateCity} from "../../tools/generate/state.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-need-levels-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

interface NeedRow {
  year: number;
  level: string;
  area_id: string;
  status_z: number | null;
  status_class: number | null;
  dynamics_z: number | null;
  dynamics_class: number | null;
  basis: string;
  class_method: string;
}

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

describe("need index with few areas", () => {
  it("Bochum's 6 Stadtbezirke: rank classes 1, 1, 2, 3, 3, 4 every year, one basis, ±1 dynamics", async () => {
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
    // the dynamics index keeps its thresholds: class 1 below −1, class 3 above +1, else 2
    const dynamics = rows.filter((r) => r.dynamics_z !== null);
    expect(dynamics.length).toBeGreaterThan(20);
    for (const r of dynamics) expect(r.dynamics_class).toBe(r.dynamics_z! < -1 ? 1 : r.dynamics_z! > 1 ? 3 : 2);
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
