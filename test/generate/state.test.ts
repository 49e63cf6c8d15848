/**
 * The state-scale synthetic city (tools/generate/state.ts) at small scale:
 * the product's validation accepts every row, the output is deterministic, the
 * requested sizes are met and the numbers are consistent with each other.
 */
import {execFileSync} from "node:child_process";
import {mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {validateCity} from "../../loaders/validate.ts";
import {STATE_LEVELS, generateStateCity, type StateCityOptions, type StateCityResult} from "../../tools/generate/state.ts";
import {PROJECT_ROOT, type Rec, readCsv} from "./helpers.ts";

const SMALL = {leaves: 60, seuRows: 20_000, years: 3} as const;
const CSV_FILES = ["areas.csv", "population.csv", "seu.csv", "kitas.csv", "indicators.csv", "measures.csv", "programme_totals.csv"];
const BANDS = ["0-3", "3-6", "6-10", "10-15", "15-18", "18-25", "25-45", "45-65", "65-75", "75+"];

const dirs: string[] = [];
function generate(options: Omit<StateCityOptions, "outDir">): {dir: string; result: StateCityResult} {
  const dir = mkdtempSync(join(tmpdir(), "chancenatlas-state-"));
  dirs.push(dir);
  return {dir, result: generateStateCity({outDir: dir, ...options})};
}

const num = (r: Rec, key: string): number => Number(r[key]);

describe("state-scale synthetic city", () => {
  let a: {dir: string; result: StateCityResult};
  let b: {dir: string; result: StateCityResult};
  let other: {dir: string; result: StateCityResult};
  const csv = new Map<string, Rec[]>();
  const rows = (file: string): Rec[] => {
    const cached = csv.get(file);
    if (cached) return cached;
    const parsed = readCsv(join(a.dir, file)).rows;
    csv.set(file, parsed);
    return parsed;
  };

  beforeAll(() => {
    a = generate({seed: 1, ...SMALL});
    b = generate({seed: 1, ...SMALL});
    other = generate({seed: 2, ...SMALL});
  });

  afterAll(() => {
    for (const d of dirs) rmSync(d, {recursive: true, force: true});
  });

  it("passes the product's validation with no rejected row, no error and no warning", () => {
    const v = validateCity(a.dir);
    expect(v.report.errors).toEqual([]);
    expect(v.report.warnings).toEqual([]);
    expect(v.report.files.map((f) => f.file).sort()).toEqual([...CSV_FILES].sort());
    for (const f of v.report.files) {
      expect(f.rows_rejected, f.file).toBe(0);
      expect(f.rows_loaded, f.file).toBe(f.rows_read);
      expect(f.total_rows, f.file).toBe(0);
      const reported = a.result.files.find((r) => r.name === f.file);
      expect(reported?.rows, f.file).toBe(f.rows_read);
    }
    expect(v.config.levels.map((l) => l.id)).toEqual(STATE_LEVELS.map((l) => l.id));
  });

  it("same seed gives byte-identical files, another seed different data", () => {
    const files = readdirSync(a.dir).sort();
    expect(files).toEqual([...CSV_FILES, "city.json", "SOURCES.md"].sort());
    expect(readdirSync(b.dir).sort()).toEqual(files);
    expect(readdirSync(other.dir).sort()).toEqual(files);
    for (const f of files) {
      expect(readFileSync(join(a.dir, f)).equals(readFileSync(join(b.dir, f))), f).toBe(true);
    }
    for (const f of [...CSV_FILES, "SOURCES.md"]) {
      expect(readFileSync(join(a.dir, f)).equals(readFileSync(join(other.dir, f))), f).toBe(false);
    }
    expect(a.result).toEqual(b.result);
  });

  it("has three levels below the root and the requested number of leaves", () => {
    const areas = rows("areas.csv");
    const byLevel = (level: string): Rec[] => areas.filter((r) => r["level"] === level);
    expect(byLevel("land")).toHaveLength(1);
    expect(byLevel("land")[0]?.["parent_id"]).toBe("");
    expect(byLevel("kreis").length).toBeGreaterThanOrEqual(2);
    expect(byLevel("gemeinde").length).toBeGreaterThan(byLevel("kreis").length);
    expect(byLevel("bezirk")).toHaveLength(SMALL.leaves);
    const level = new Map(areas.map((r) => [r["id"], r["level"]]));
    const order: string[] = STATE_LEVELS.map((l) => l.id);
    for (const r of areas) {
      if (r["level"] === "land") continue;
      expect(order.indexOf(level.get(r["parent_id"]) ?? ""), r["id"]).toBe(order.indexOf(r["level"] ?? "") - 1);
    }
    expect(new Set(areas.map((r) => r["id"])).size).toBe(areas.length);
    // AGS-like ids keep their leading zeros
    expect(byLevel("kreis")[0]?.["id"]).toMatch(/^0\d$/);
  });

  it("city.json: years match the data, need-index indicators exist in the catalogue", () => {
    const config = JSON.parse(readFileSync(join(a.dir, "city.json"), "utf8")) as {years: {first: number; last: number}; need_index: {indicators: {id: string}[]}};
    expect(config.years).toEqual({first: 2024 - SMALL.years + 1, last: 2024});
    const catalogue = JSON.parse(readFileSync(join(PROJECT_ROOT, "loaders", "indicators", "catalogue.json"), "utf8")) as {indicators: {id: string}[]};
    const ids = new Set(catalogue.indicators.map((i) => i.id));
    for (const i of config.need_index.indicators) expect(ids.has(i.id), i.id).toBe(true);
    for (const file of ["population.csv", "seu.csv", "kitas.csv", "indicators.csv"]) {
      const years = new Set(rows(file).map((r) => num(r, "year")));
      expect([...years].sort(), file).toEqual(Array.from({length: SMALL.years}, (_, i) => config.years.first + i));
    }
  });

  it("seu.csv has exactly the requested rows, spread over all years", () => {
    const seu = rows("seu.csv");
    expect(seu).toHaveLength(SMALL.seuRows);
    const perYear = new Map<number, number>();
    for (const r of seu) perYear.set(num(r, "year"), (perYear.get(num(r, "year")) ?? 0) + 1);
    for (const n of perYear.values()) expect(Math.abs(n - SMALL.seuRows / SMALL.years)).toBeLessThan(0.1 * SMALL.seuRows / SMALL.years);
  });

  it("every record is marked synthetisch", () => {
    for (const file of CSV_FILES) {
      for (const r of rows(file)) expect(r["source"], file).toBe("synthetisch");
    }
    for (const r of rows("measures.csv")) if (r["reach"]) expect(r["reach_source"]).toBe("synthetisch");
  });

  it("population: every area, year and band; parents are the sums of their children", () => {
    const areas = rows("areas.csv");
    const pop = new Map(rows("population.csv").map((r) => [`${r["year"]}|${r["area_id"]}|${r["age_band"]}`, num(r, "count")]));
    expect(pop.size).toBe(areas.length * SMALL.years * BANDS.length);
    const years = [...new Set(rows("population.csv").map((r) => r["year"]))];
    for (const year of years) {
      for (const band of BANDS) {
        const sums = new Map<string, number>();
        for (const r of areas) {
          const v = pop.get(`${year}|${r["id"]}|${band}`);
          expect(v, `${year} ${r["id"]} ${band}`).toBeGreaterThanOrEqual(0);
          if (r["level"] === "bezirk") {
            // add each leaf to all its ancestors
            let parent = r["parent_id"];
            while (parent) {
              sums.set(parent, (sums.get(parent) ?? 0) + (v ?? 0));
              parent = areas.find((p) => p["id"] === parent)?.["parent_id"];
            }
          }
        }
        for (const [id, sum] of sums) expect(pop.get(`${year}|${id}|${band}`), `${year} ${id} ${band}`).toBe(sum);
      }
    }
  });

  it("school-entry children per leaf and year are about a third of the 3–6 band", () => {
    const pop = new Map(rows("population.csv").filter((r) => r["age_band"] === "3-6").map((r) => [`${r["year"]}|${r["area_id"]}`, num(r, "count")]));
    const seu = new Map<string, number>();
    for (const r of rows("seu.csv")) {
      const key = `${r["year"]}|${r["area_id"]}`;
      seu.set(key, (seu.get(key) ?? 0) + 1);
    }
    const leaves = rows("areas.csv").filter((r) => r["level"] === "bezirk").map((r) => r["id"]);
    let children = 0;
    let band = 0;
    for (const key of pop.keys()) {
      const [, id] = key.split("|");
      if (!leaves.includes(id)) continue;
      const n = seu.get(key) ?? 0;
      const p = pop.get(key) ?? 0;
      expect(n, key).toBeLessThanOrEqual(Math.ceil(0.5 * p) + 1);
      if (p >= 60) expect(n / p, key).toBeGreaterThan(0.2);
      children += n;
      band += p;
    }
    for (const key of seu.keys()) expect(pop.has(key), key).toBe(true);
    expect(children / band).toBeGreaterThan(0.3);
    expect(children / band).toBeLessThan(0.37);
  });

  it("area sizes vary: some leaves examine only a handful of children", () => {
    const counts = new Map<string, number>();
    for (const r of rows("seu.csv")) counts.set(`${r["year"]}|${r["area_id"]}`, (counts.get(`${r["year"]}|${r["area_id"]}`) ?? 0) + 1);
    const cells = SMALL.leaves * SMALL.years;
    const values = [...counts.values()];
    const small = cells - values.length + values.filter((n) => n < 20).length;
    expect(small).toBeGreaterThan(0);
    expect(Math.max(...values)).toBeGreaterThan(5 * (SMALL.seuRows / cells) / 2);
  });

  it("SGB II: numerator ≤ denominator, u6 ≤ u15, denominators from the population", () => {
    const pop = new Map(rows("population.csv").map((r) => [`${r["year"]}|${r["area_id"]}|${r["age_band"]}`, num(r, "count")]));
    const ind = rows("indicators.csv");
    expect(new Set(ind.map((r) => r["indicator_id"]))).toEqual(new Set(["sgb2_u15", "sgb2_u6"]));
    const u15 = new Map<string, number>();
    for (const r of ind) {
      const key = `${r["year"]}|${r["area_id"]}`;
      const bands = r["indicator_id"] === "sgb2_u15" ? ["0-3", "3-6", "6-10", "10-15"] : ["0-3", "3-6"];
      expect(num(r, "denominator"), key).toBe(bands.reduce((s, band) => s + (pop.get(`${key}|${band}`) ?? 0), 0));
      expect(num(r, "denominator")).toBeGreaterThan(0);
      expect(num(r, "numerator")).toBeLessThanOrEqual(num(r, "denominator"));
      if (r["indicator_id"] === "sgb2_u15") u15.set(key, num(r, "numerator"));
    }
    for (const r of ind) {
      if (r["indicator_id"] === "sgb2_u6") expect(num(r, "numerator")).toBeLessThanOrEqual(u15.get(`${r["year"]}|${r["area_id"]}`) ?? -1);
    }
  });

  it("the latent need makes SGB II and school-entry findings correlate across leaves", () => {
    const year = "2024";
    const rate = new Map(rows("indicators.csv").filter((r) => r["year"] === year && r["indicator_id"] === "sgb2_u15").map((r) => [r["area_id"], num(r, "numerator") / num(r, "denominator")]));
    const german = new Map<string, {n: number; k: number}>();
    for (const r of rows("seu.csv")) {
      if (r["year"] !== year) continue;
      const cell = german.get(r["area_id"] ?? "") ?? {n: 0, k: 0};
      cell.n++;
      if (r["german_level"] === "erhebliche Fehler" || r["german_level"] === "kein Deutsch") cell.k++;
      german.set(r["area_id"] ?? "", cell);
    }
    const pairs = [...german].filter(([, c]) => c.n >= 40).map(([id, c]) => [rate.get(id) ?? NaN, c.k / c.n] as const);
    expect(pairs.length).toBeGreaterThan(20);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const mx = mean(pairs.map((p) => p[0]));
    const my = mean(pairs.map((p) => p[1]));
    const cov = mean(pairs.map(([x, y]) => (x - mx) * (y - my)));
    const sd = (xs: number[], m: number): number => Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    const r = cov / (sd(pairs.map((p) => p[0]), mx) * sd(pairs.map((p) => p[1]), my));
    expect(r).toBeGreaterThan(0.4);
  });

  it("kitas: every leaf has one, on the lowest level, occupancy within the places", () => {
    const leaves = new Set(rows("areas.csv").filter((r) => r["level"] === "bezirk").map((r) => r["id"]));
    const kitas = rows("kitas.csv");
    const withKita = new Set(kitas.map((r) => r["area_id"]));
    expect(withKita).toEqual(leaves);
    for (const r of kitas) {
      expect(num(r, "occupied_u3")).toBeLessThanOrEqual(num(r, "places_u3"));
      expect(num(r, "occupied_ue3")).toBeLessThanOrEqual(num(r, "places_ue3"));
    }
  });

  it("programme totals equal the sums of their measures", () => {
    const sums = new Map<string, number>();
    for (const r of rows("measures.csv")) {
      const key = `${r["year"]}|${r["programme"]}|${r["status"]}`;
      sums.set(key, (sums.get(key) ?? 0) + num(r, "amount_eur"));
    }
    const totals = rows("programme_totals.csv");
    expect(totals.length).toBe(sums.size);
    for (const r of totals) expect(num(r, "declared_total_eur")).toBe(sums.get(`${r["year"]}|${r["programme"]}|${r["status"]}`));
  });

  it("rejects impossible options", () => {
    expect(() => generateStateCity({outDir: join(tmpdir(), "unused"), leaves: 0})).toThrow(/leaves/);
    expect(() => generateStateCity({outDir: join(tmpdir(), "unused"), leaves: 10, kreise: 5, gemeinden: 3})).toThrow(/Gemeinden/);
  });

  it("the command line explains itself in German", () => {
    const run = (args: string[]): {status: number; stderr: string} => {
      try {
        execFileSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "scripts", "generate-state.ts"), ...args], {cwd: PROJECT_ROOT, stdio: "pipe"});
        return {status: 0, stderr: ""};
      } catch (error) {
        const e = error as {status: number; stderr: Buffer};
        return {status: e.status, stderr: e.stderr.toString()};
      }
    };
    const missing = run(["--leaves", "60"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Fehler: --out fehlt/);
    const bad = run(["--out", join(tmpdir(), "unused"), "--seu-rows", "viele"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--seu-rows braucht eine ganze Zahl/);
  });
});
