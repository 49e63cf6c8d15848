import {mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {DEFAULT_SEED, buildCity, generate} from "../../tools/generate/generate.ts";
import {RealData} from "../../tools/generate/real.ts";
import {CITIES, DATA_DIR, HAS_REAL, REAL_DIR} from "./helpers.ts";

function listFiles(root: string): string[] {
  return CITIES.flatMap((c) => readdirSync(join(root, c)).map((f) => `${c}/${f}`)).sort();
}

describe.skipIf(!HAS_REAL)("generator determinism", () => {
  const dirs: string[] = [];
  let a = "";
  let b = "";
  let other = "";

  beforeAll(() => {
    for (let i = 0; i < 3; i++) dirs.push(mkdtempSync(join(tmpdir(), "chancenatlas-gen-")));
    [a, b, other] = dirs as [string, string, string];
    generate({seed: DEFAULT_SEED, outDir: a, realDir: REAL_DIR});
    generate({seed: DEFAULT_SEED, outDir: b, realDir: REAL_DIR});
    generate({seed: 4711, outDir: other, realDir: REAL_DIR});
  });

  afterAll(() => {
    for (const d of dirs) rmSync(d, {recursive: true, force: true});
  });

  it("writes the same file set every time", () => {
    expect(listFiles(a)).toEqual(listFiles(b));
    expect(listFiles(a)).toEqual(listFiles(other));
  });

  it("same seed gives byte-identical files", () => {
    for (const f of listFiles(a)) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
  });

  it("a different seed changes every synthetic file but no real-only file", () => {
    const realOnly = new Set([
      "bochum/areas.csv", "bochum/outline.geojson", "bochum/programme_totals.csv",
      "bottrop/areas.geojson", "koeln/areas.geojson",
      "bochum/city.json", "bottrop/city.json", "koeln/city.json"
    ]);
    for (const f of listFiles(a)) {
      const same = readFileSync(join(a, f)).equals(readFileSync(join(other, f)));
      expect(same, f).toBe(realOnly.has(f));
    }
  });

  it("the embedded data/ is the output of the default seed", () => {
    for (const f of listFiles(a)) {
      expect(readFileSync(join(DATA_DIR, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    }
  });

  it("does not overwrite existing real-only files", () => {
    const result = generate({seed: 99, outDir: a, realDir: REAL_DIR, cities: ["bochum"]});
    expect(result.keptStatic).toEqual(
      expect.arrayContaining(["bochum/city.json", "bochum/areas.csv", "bochum/outline.geojson", "bochum/programme_totals.csv"])
    );
    expect(result.written).not.toContain("bochum/areas.csv");
  });
});

describe.skipIf(!HAS_REAL)("need pattern is robust to the seed", () => {
  it("Bottrop: the four named Wahlbezirke lead sgb2_u15 for other seeds too", () => {
    const real = new RealData(REAL_DIR);
    for (const seed of [1, 2, 3, 12345]) {
      const city = buildCity("bottrop", real, seed);
      const file = city.files.find((f) => f.path === "bottrop/indicators.csv");
      expect(file).toBeDefined();
      const lines = file!.content.trim().split("\n").slice(1).map((l) => l.split(";"));
      for (const year of ["2017", "2020", "2024"]) {
        const ranked = lines
          .filter((c) => c[0] === year && c[2] === "sgb2_u15" && (c[1] ?? "").startsWith("WB"))
          .sort((p, q) => Number(q[3]) / Number(q[4]) - Number(p[3]) / Number(p[4]))
          .map((c) => c[1]);
        expect(new Set(ranked.slice(0, 4)), `seed ${seed} ${year}`).toEqual(new Set(["WB04", "WB05", "WB17", "WB18"]));
      }
    }
  });
});
