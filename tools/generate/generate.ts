/**
 * Orchestrates the embedded default data of Bochum, Bottrop and Köln.
 *
 * Two kinds of output per city folder:
 * - static files derived only from real sources and configuration (city.json,
 *   areas.csv / areas.geojson, outline.geojson, Bochum's programme_totals.csv):
 *   written only when missing or with `refreshStatic`, never overwritten
 *   otherwise;
 * - generated files (population.csv, seu.csv, kitas.csv, measures.csv,
 *   indicators.csv, programme_totals.csv of Bottrop/Köln): rewritten on every
 *   run. Real values inside them (Köln population 2005–2012, Bochum Kita
 *   locations and funding amounts) are copied from the real sources unchanged
 *   and carry their real source; every synthetic value is marked "synthetisch".
 *
 * Same seed ⇒ byte-identical files.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {areasGeojson, bochumOutline, buildModel, type CityModel} from "./areas.ts";
import {buildAnchors} from "./bochumDistricts.ts";
import {BOCHUM_POP_SHARE, CITY_IDS, type CityId, cityJson} from "./cities.ts";
import {type Row, toCsv} from "./csv.ts";
import {INDICATOR_COLUMNS, sgb2Rows} from "./indicators.ts";
import {KITA_COLUMNS, bochumKitaMasters, kitaRows, syntheticKitaMasters} from "./kitas.ts";
import {
  MEASURE_COLUMNS,
  TOTALS_COLUMNS,
  bochumMeasureRows,
  bochumTotalsRows,
  syntheticMeasureRows,
  syntheticTotalsRows
} from "./measures.ts";
import {type NeedMap, bochumNeed, bottropNeed, koelnNeed} from "./need.ts";
import {
  BOCHUM_BAND_SHARE,
  BOTTROP_BAND_SHARE,
  KOELN_POPULATION_SOURCE,
  POPULATION_COLUMNS,
  type Population,
  koelnPopulation,
  ruhrPopulation
} from "./population.ts";
import {REAL_FILES, RealData, readBochumPois, readBochumSports, readKoelnPopulation} from "./real.ts";
import {Rng} from "./rng.ts";
import {SEU_COLUMNS, seuIndicatorRows, seuRows, simulateSeu} from "./seu.ts";

export const DEFAULT_SEED = 20240205;

export const BOCHUM_TOTAL_POPULATION = 364600;
export const BOTTROP_TOTAL_POPULATION = 117400;

export interface GenerateOptions {
  seed: number | string;
  /** The data root; files go to <outDir>/<city>/. */
  outDir: string;
  realDir: string;
  refreshStatic?: boolean;
  cities?: readonly CityId[];
  log?: (message: string) => void;
}

export interface OutputFile {
  path: string;
  content: string;
  kind: "static" | "generated";
}

export interface CityData {
  model: CityModel;
  need: NeedMap;
  population: Population;
  files: OutputFile[];
}

/** Build all files of one city in memory. */
export function buildCity(id: CityId, real: RealData, seed: number | string): CityData {
  const model = buildModel(id, real);
  const files: OutputFile[] = [];
  const add = (name: string, content: string, kind: OutputFile["kind"]): void => {
    files.push({path: `${id}/${name}`, content, kind});
  };
  const csv = (columns: readonly string[], rows: readonly Row[]): string => toCsv(columns, rows);

  add("city.json", JSON.stringify(cityJson(id), null, 2) + "\n", "static");

  let need: NeedMap;
  let population: Population;
  let popSource = "";
  if (id === "bochum") {
    const shares = new Map(Object.entries(BOCHUM_POP_SHARE));
    need = bochumNeed(model, seed, shares);
    population = ruhrPopulation(model, need, {total: BOCHUM_TOTAL_POPULATION, bandShare: BOCHUM_BAND_SHARE, areaShare: shares}, seed);
  } else if (id === "bottrop") {
    const rng = Rng.derive(seed, "population:bottrop:shares");
    const raw = model.leaves.map((l) => [l.id, Math.exp(rng.normal(0, 0.07))] as const);
    const total = raw.reduce((s, [, w]) => s + w, 0);
    const shares = new Map(raw.map(([k, w]) => [k, w / total]));
    need = bottropNeed(model, seed, shares);
    population = ruhrPopulation(model, need, {total: BOTTROP_TOTAL_POPULATION, bandShare: BOTTROP_BAND_SHARE, areaShare: shares}, seed);
  } else {
    const realRows = readKoelnPopulation(real);
    const weights = new Map<string, number>();
    for (const r of realRows) {
      if (r.year !== 2012 || !["0-3", "3-6", "6-10", "10-15", "15-18"].includes(r.age_band)) continue;
      weights.set(r.raum_id, (weights.get(r.raum_id) ?? 0) + r.count);
    }
    need = koelnNeed(model, real, seed, weights);
    population = koelnPopulation(model, realRows, seed);
    popSource = KOELN_POPULATION_SOURCE;
  }
  add("population.csv", csv(POPULATION_COLUMNS, population.rows(model, popSource)), "generated");

  if (id === "bochum") {
    add("areas.csv", csv(["id", "name", "level", "parent_id", "source"], model.areas.map((a) => ({
      id: a.id, name: a.name, level: a.level, parent_id: a.parentId ?? "", source: a.source
    }))), "static");
    add("outline.geojson", bochumOutline(real), "static");
  } else {
    add("areas.geojson", areasGeojson(model), "static");
  }

  const children = simulateSeu(model, need, population, seed);
  const indicatorRows = sgb2Rows(model, need, population, seed);
  if (id === "koeln") indicatorRows.push(...seuIndicatorRows(model, children));
  else add("seu.csv", csv(SEU_COLUMNS, seuRows(children)), "generated");
  add("indicators.csv", csv(INDICATOR_COLUMNS, indicatorRows), "generated");

  const masters =
    id === "bochum"
      ? bochumKitaMasters(
          readBochumPois(real, REAL_FILES.bochumKitas),
          buildAnchors(
            readBochumSports(real),
            [REAL_FILES.bochumSchools, REAL_FILES.bochumPlaygrounds, REAL_FILES.bochumKitas].flatMap((f) => readBochumPois(real, f))
          ),
          need,
          seed
        )
      : syntheticKitaMasters(model, need, population, seed);
  add("kitas.csv", csv(KITA_COLUMNS, kitaRows(model, masters, need, population, seed)), "generated");

  if (id === "bochum") {
    add("measures.csv", csv(MEASURE_COLUMNS, bochumMeasureRows(model, population, seed)), "generated");
    add("programme_totals.csv", csv(TOTALS_COLUMNS, bochumTotalsRows()), "static");
  } else {
    const measures = syntheticMeasureRows(model, need, population, seed);
    add("measures.csv", csv(MEASURE_COLUMNS, measures), "generated");
    add("programme_totals.csv", csv(TOTALS_COLUMNS, syntheticTotalsRows(measures)), "generated");
  }
  return {model, need, population, files};
}

export interface GenerateResult {
  written: string[];
  unchanged: string[];
  keptStatic: string[];
}

export function generate(options: GenerateOptions): GenerateResult {
  const real = new RealData(options.realDir);
  const log = options.log ?? ((): void => {});
  const result: GenerateResult = {written: [], unchanged: [], keptStatic: []};
  for (const id of options.cities ?? CITY_IDS) {
    const city = buildCity(id, real, options.seed);
    mkdirSync(join(options.outDir, id), {recursive: true});
    for (const f of city.files) {
      const target = join(options.outDir, f.path);
      const exists = existsSync(target);
      if (f.kind === "static" && exists && !options.refreshStatic) {
        result.keptStatic.push(f.path);
        continue;
      }
      if (exists && readFileSync(target, "utf8") === f.content) {
        result.unchanged.push(f.path);
        continue;
      }
      writeFileSync(target, f.content, "utf8");
      result.written.push(f.path);
      log(`geschrieben: ${f.path} (${Buffer.byteLength(f.content)} Bytes)`);
    }
  }
  return result;
}
