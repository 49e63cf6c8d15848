/**
 * A state-scale synthetic "city" for benchmarks (issue 12: 1,6 million
 * school-entry records and 2.000 areas) – think of a state health office that
 * compares its districts. Tooling, not product: it writes a complete city
 * folder in the input contract (docs/data-format.md) that the product's
 * validation accepts without a single rejected row.
 *
 * Area tree below the root ("Land"): Kreise → Gemeinden → statistische
 * Bezirke (the lowest level, 2.000 by default). Leaf sizes are log-normal with
 * a few tiny leaves (a handful of children, so that small-number protection has
 * work to do). A latent need factor per leaf (Kreis + Gemeinde + leaf part)
 * drives every indicator, so they correlate across areas as in
 * tools/generate/need.ts.
 *
 * Files: city.json, areas.csv (no geometry; tiles for the Kreise),
 * population.csv (every area on every level, every year, ten age bands; a
 * parent is the exact sum of its children), seu.csv (≈ seuRows children,
 * spread over years and leaves proportional to the 3–6 band, i.e. about one
 * third of it per leaf and year; simulated by the embedded generator's
 * ChildSimulator), kitas.csv (a few Kitas per leaf, with area_id),
 * indicators.csv (sgb2_u15, sgb2_u6 on every level), measures.csv,
 * programme_totals.csv and SOURCES.md. Every record is marked `synthetisch`.
 *
 * Deterministic: every leaf (and every leaf-year of the SEU) draws from its own
 * labelled sfc32 stream (rng.ts), so the same options give byte-identical files.
 * The large files are streamed in ~1 MB chunks and never held in memory.
 */
import {closeSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync} from "node:fs";
import {basename, join} from "node:path";
import {ADULT_BANDS_COARSE, CHILD_BANDS, NEED_INDEX, SYNTHETIC} from "./cities.ts";
import {type Row, toCsv} from "./csv.ts";
import {DEFAULT_SEED} from "./generate.ts";
import {INDICATOR_COLUMNS, sgb2YearEffect} from "./indicators.ts";
import {MEASURE_COLUMNS, TOTALS_COLUMNS, type TargetGroup, syntheticTotalsRows} from "./measures.ts";
import {Rng, apportion, invLogit, logit} from "./rng.ts";
import {ChildSimulator, SEU_COLUMNS, type SeuChild} from "./seu.ts";

export interface StateCityOptions {
  /** Target folder (created when missing). */
  outDir: string;
  /** Seed of every random stream (default: the seed of the embedded data). */
  seed?: number | string;
  /** Areas on the lowest level (default 2.000). */
  leaves?: number;
  /** Reporting years, ending with `lastYear` (default 10). */
  years?: number;
  /** Last reporting year (default 2024). */
  lastYear?: number;
  /** Rows of seu.csv over all years (default 1.600.000); the population is scaled to match. */
  seuRows?: number;
  /** Kreise (default ≈ leaves / 70, at least 2). */
  kreise?: number;
  /** Gemeinden (default ≈ leaves / 8, at least one per Kreis). */
  gemeinden?: number;
  /** city.json id and name (default "musterland" / "Musterland"). */
  id?: string;
  name?: string;
  log?: (message: string) => void;
}

export interface StateCityFile {
  name: string;
  /** Data rows (CSV without header); 0 for city.json and SOURCES.md. */
  rows: number;
  bytes: number;
}

export interface StateCityResult {
  files: StateCityFile[];
}

export const STATE_DEFAULTS = {leaves: 2000, years: 10, lastYear: 2024, seuRows: 1_600_000, id: "musterland", name: "Musterland"} as const;

export const STATE_LEVELS = [
  {id: "land", name: "Land"},
  {id: "kreis", name: "Kreis"},
  {id: "gemeinde", name: "Gemeinde"},
  {id: "bezirk", name: "Statistischer Bezirk"}
] as const;

const BANDS: readonly string[] = [...CHILD_BANDS, ...ADULT_BANDS_COARSE];
const B = BANDS.length;
const BAND = Object.fromEntries(BANDS.map((b, i) => [b, i])) as Record<string, number>;
/** Band shares of the first year (NRW-like age structure). */
const BAND_SHARE: Readonly<Record<string, number>> = {
  "0-3": 0.029, "3-6": 0.028, "6-10": 0.037, "10-15": 0.046, "15-18": 0.029,
  "18-25": 0.075, "25-45": 0.255, "45-65": 0.285, "65-75": 0.105, "75+": 0.111
};
const CHILD_IDX = CHILD_BANDS.map((b) => BAND[b]!);
const U15_IDX = ["0-3", "3-6", "6-10", "10-15"].map((b) => BAND[b]!);
const U6_IDX = ["0-3", "3-6"].map((b) => BAND[b]!);
const I03 = BAND["0-3"]!;
const I36 = BAND["3-6"]!;

/** Size of the chunks written to disk (characters). */
const CHUNK = 1 << 20;

// ---------------------------------------------------------------------------
// streaming CSV output

/** A CSV file written in ~1 MB chunks: the whole file is never one string. */
class ChunkedCsv {
  private readonly fd: number;
  private buffer = "";
  rows = 0;
  bytes = 0;

  constructor(readonly path: string, columns: readonly string[]) {
    this.fd = openSync(path, "w");
    this.buffer = columns.join(";") + "\n";
  }

  /** Append one data line (without line break). */
  line(text: string): void {
    this.buffer += text + "\n";
    this.rows++;
    if (this.buffer.length >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.buffer === "") return;
    const data = Buffer.from(this.buffer, "utf8");
    this.buffer = "";
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd, data, offset, data.length - offset);
    this.bytes += data.length;
  }

  close(): StateCityFile {
    this.flush();
    closeSync(this.fd);
    return {name: basename(this.path), rows: this.rows, bytes: this.bytes};
  }
}

/** Quote a text field only when it needs it (as csv.ts does). */
function text(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function writeSmall(dir: string, name: string, content: string, rows: number): StateCityFile {
  writeFileSync(join(dir, name), content, "utf8");
  return {name, rows, bytes: Buffer.byteLength(content)};
}

// ---------------------------------------------------------------------------
// area tree

interface Area {
  id: string;
  name: string;
  level: string;
  /** Index of the parent in the area list (-1 for the root). */
  parent: number;
}

interface Tree {
  /** root, then all Kreise, all Gemeinden, all leaves (each block in id order). */
  areas: Area[];
  kreisStart: number;
  gemeindeStart: number;
  leafStart: number;
  leafCount: number;
  /** Per leaf: index of its Gemeinde and Kreis in `areas`. */
  leafGemeinde: Int32Array;
  leafKreis: Int32Array;
  /** Per leaf: number of leaves of its Gemeinde (urban Gemeinden have many). */
  gemeindeSize: Int32Array;
}

const PREFIX = ["", "", "", "", "Alt", "Neu", "Ober", "Nieder", "Groß", "Klein", "Hohen", "Bad "];
const STEM = [
  "linden", "eichen", "buchen", "birken", "wester", "oster", "sonnen", "mühl", "stein", "wald", "brunn", "rosen",
  "kirch", "hagen", "fels", "wiesen", "tann", "erlen", "schön", "roden", "haller", "marien", "lichten", "ahrens",
  "bruch", "dreis", "espen", "falken", "georgs", "hassel", "iser", "kalten", "lauter", "morgen", "nord", "rade"
];
const SUFFIX = ["feld", "bach", "dorf", "hausen", "heim", "berg", "burg", "rode", "stadt", "hagen", "kirchen", "brück", "born", "au", "tal", "stedt", "ingen", "wede", "loh", "beck"];
const QUARTER = [
  "Mitte", "Nord", "Süd", "Ost", "West", "Altstadt", "Nordost", "Südwest", "Nordwest", "Südost", "Bahnhof", "Neustadt",
  "Heide", "Gartenstadt", "Hafen", "Feldmark", "Am Park", "Siedlung", "Hochfeld", "Bruchfeld"
];

function placeName(rng: Rng, used: Set<string>): string {
  for (let attempt = 0; attempt < 40; attempt++) {
    const prefix = rng.pick(PREFIX);
    const stem = rng.pick(STEM);
    const body = stem + rng.pick(SUFFIX);
    const name = prefix === "" ? body[0]!.toUpperCase() + body.slice(1) : prefix.endsWith(" ") ? prefix + body[0]!.toUpperCase() + body.slice(1) : prefix + body;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  // more Gemeinden than names: number them
  for (let k = 2; ; k++) {
    const name = `${rng.pick(STEM)[0]!.toUpperCase()}${rng.pick(STEM).slice(1)}${rng.pick(SUFFIX)} ${k}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** At least one per part, the rest apportioned by the weights. */
function atLeastOne(total: number, weights: readonly number[]): number[] {
  return apportion(total - weights.length, weights).map((v) => v + 1);
}

function buildTree(rng: Rng, rootId: string, rootName: string, leaves: number, kreise: number, gemeinden: number): Tree {
  const gemeindenPerKreis = atLeastOne(gemeinden, Array.from({length: kreise}, () => Math.exp(rng.normal(0, 0.45))));
  // skewed: a few cities with many statistical districts, many Gemeinden with one or two
  const leavesPerGemeinde = atLeastOne(leaves, Array.from({length: gemeinden}, () => Math.exp(rng.normal(0, 1.1))));
  const kreisWidth = Math.max(2, String(kreise).length);
  const gemeindeWidth = Math.max(3, String(Math.max(...gemeindenPerKreis)).length);
  const leafWidth = Math.max(3, String(Math.max(...leavesPerGemeinde)).length);

  const used = new Set<string>();
  const gemeindeNames = Array.from({length: gemeinden}, () => placeName(rng, used));
  const root: Area = {id: rootId, name: rootName, level: STATE_LEVELS[0].id, parent: -1};
  const kreisAreas: Area[] = [];
  const gemeindeAreas: Area[] = [];
  const leafAreas: Area[] = [];
  const leafGemeinde = new Int32Array(leaves);
  const leafKreis = new Int32Array(leaves);
  const gemeindeSize = new Int32Array(leaves);
  const kreisStart = 1;
  const gemeindeStart = kreisStart + kreise;
  const leafStart = gemeindeStart + gemeinden;
  let g = 0;
  for (let k = 0; k < kreise; k++) {
    const kreisId = pad(k + 1, kreisWidth);
    const count = gemeindenPerKreis[k]!;
    // a Kreis is named after its first Gemeinde (its seat)
    kreisAreas.push({id: kreisId, name: `Kreis ${gemeindeNames[g]!}`, level: STATE_LEVELS[1].id, parent: 0});
    for (let j = 0; j < count; j++, g++) {
      const gemeindeId = kreisId + pad(j + 1, gemeindeWidth);
      const gemeindeName = gemeindeNames[g]!;
      gemeindeAreas.push({id: gemeindeId, name: gemeindeName, level: STATE_LEVELS[2].id, parent: kreisStart + k});
      const n = leavesPerGemeinde[g]!;
      for (let l = 0; l < n; l++) {
        const leaf = leafAreas.length;
        const quarter = n === 1 ? "" : l < QUARTER.length ? `-${QUARTER[l]!}` : ` Bezirk ${l + 1}`;
        leafAreas.push({id: gemeindeId + pad(l + 1, leafWidth), name: gemeindeName + quarter, level: STATE_LEVELS[3].id, parent: gemeindeStart + g});
        leafGemeinde[leaf] = gemeindeStart + g;
        leafKreis[leaf] = kreisStart + k;
        gemeindeSize[leaf] = n;
      }
    }
  }
  return {
    areas: [root, ...kreisAreas, ...gemeindeAreas, ...leafAreas],
    kreisStart,
    gemeindeStart,
    leafStart,
    leafCount: leaves,
    leafGemeinde,
    leafKreis,
    gemeindeSize
  };
}

/** Ancestors of a leaf (without the leaf), top down: root, Kreis, Gemeinde. */
function ancestors(tree: Tree, leaf: number): [number, number, number] {
  return [0, tree.leafKreis[leaf]!, tree.leafGemeinde[leaf]!];
}

// ---------------------------------------------------------------------------
// model

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Yearly change of a band (fraction), a stylised path: births falling from 2023, arrivals 2022. */
function bandGrowth(band: string, year: number): number {
  switch (band) {
    case "0-3":
      return year <= 2016 ? 0.015 : year <= 2021 ? 0.005 : year === 2022 ? 0.01 : -0.03;
    case "3-6":
      return year <= 2019 ? 0.012 : year === 2022 ? 0.02 : 0.003;
    case "6-10":
    case "10-15":
    case "15-18":
      return year === 2022 ? 0.02 : 0.004;
    case "18-25":
      return year === 2015 || year === 2016 ? 0.02 : -0.005;
    case "25-45":
      return 0.002;
    case "45-65":
      return -0.008;
    case "65-75":
      return 0.01;
    default:
      return 0.006;
  }
}

interface Model {
  tree: Tree;
  years: number[];
  /** Latent need per leaf (child-weighted mean 0). */
  need: Float64Array;
  /** Population of every area (all levels): [(yearIdx * areas + area) * B + band]. */
  pop: Int32Array;
}

function popAt(model: Model, yearIdx: number, area: number, band: number): number {
  return model.pop[(yearIdx * model.tree.areas.length + area) * B + band]!;
}

function popSum(model: Model, yearIdx: number, area: number, bands: readonly number[]): number {
  let s = 0;
  for (const b of bands) s += popAt(model, yearIdx, area, b);
  return s;
}

function buildModel(seed: number | string, tree: Tree, years: number[], seuRows: number): Model {
  const L = tree.leafCount;
  const A = tree.areas.length;
  const Y = years.length;
  const rng = Rng.derive(seed, "state:model");

  // leaf size: log-normal, cities' districts larger; 6 % tiny leaves (industrial estates, forest, harbour)
  const size = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    const urban = Math.log(tree.gemeindeSize[l]!) / Math.log(Math.max(2, L));
    const tiny = rng.bernoulli(0.06);
    size[l] = Math.exp(rng.normal(0.25 * urban, 0.7)) * (tiny ? rng.uniform(0.01, 0.1) : 1);
  }

  // latent need: Kreis + Gemeinde + leaf part, more need in the cities
  const areaEffect = new Float64Array(A);
  for (let a = tree.kreisStart; a < tree.leafStart; a++) areaEffect[a] = rng.normal(0, a < tree.gemeindeStart ? 0.45 : 0.35);
  const need = new Float64Array(L);
  let sw = 0;
  let s = 0;
  for (let l = 0; l < L; l++) {
    const urban = Math.log(tree.gemeindeSize[l]!) / Math.log(Math.max(2, L));
    need[l] = areaEffect[tree.leafKreis[l]!]! + areaEffect[tree.leafGemeinde[l]!]! + 0.8 * urban + rng.normal(0, 0.55);
    sw += size[l]!;
    s += size[l]! * need[l]!;
  }
  for (let l = 0; l < L; l++) need[l] = clamp(need[l]! - s / sw, -2.5, 2.5);

  // population per leaf, band and year (unscaled), then scaled so that a third of the 3–6 band ≈ seuRows / years
  const raw = new Float64Array(Y * L * B);
  for (let l = 0; l < L; l++) {
    const r = Rng.derive(seed, `state:population:${tree.areas[tree.leafStart + l]!.id}`);
    const drift = r.normal(0, 0.004);
    for (let b = 0; b < B; b++) {
      const band = BANDS[b]!;
      const tilt = b < CHILD_BANDS.length ? Math.exp(0.12 * need[l]!) : b >= BAND["65-75"]! ? Math.exp(-0.08 * need[l]!) : 1;
      let value = size[l]! * (BAND_SHARE[band] ?? 0) * tilt;
      for (let y = 0; y < Y; y++) {
        if (y > 0) value *= 1 + bandGrowth(band, years[y]!) + drift + r.normal(0, 0.004);
        raw[(y * L + l) * B + b] = Math.max(0, value * (1 + r.normal(0, 0.006)));
      }
    }
  }
  let total36 = 0;
  for (let y = 0; y < Y; y++) for (let l = 0; l < L; l++) total36 += raw[(y * L + l) * B + I36]!;
  const scale = (3 * seuRows) / total36;
  const pop = new Int32Array(Y * A * B);
  for (let y = 0; y < Y; y++) {
    for (let l = 0; l < L; l++) {
      const [root, kreis, gemeinde] = ancestors(tree, l);
      for (let b = 0; b < B; b++) {
        const v = Math.round(raw[(y * L + l) * B + b]! * scale);
        pop[(y * A + tree.leafStart + l) * B + b] = v;
        pop[(y * A + gemeinde) * B + b]! += v;
        pop[(y * A + kreis) * B + b]! += v;
        pop[(y * A + root) * B + b]! += v;
      }
    }
  }
  return {tree, years, need, pop};
}

// ---------------------------------------------------------------------------
// files

function cityJson(id: string, name: string, tree: Tree, years: number[]): string {
  const kreise = tree.gemeindeStart - tree.kreisStart;
  const columns = Math.ceil(Math.sqrt(kreise));
  const config = {
    id,
    name,
    ags: "00000000",
    levels: STATE_LEVELS,
    years: {first: years[0]!, last: years[years.length - 1]!},
    small_numbers: {min_cases: 5, min_denominator: 20, protection_width: 3},
    kita_targets: {u3: 0.45, ue3: 0.98},
    need_index: NEED_INDEX,
    markers: [],
    column_mappings: {},
    // schematic layout of the Kreise; lower levels are laid out by the map itself
    tiles: tree.areas.slice(tree.kreisStart, tree.gemeindeStart).map((a, i) => ({area_id: a.id, row: Math.floor(i / columns), col: i % columns}))
  };
  return JSON.stringify(config, null, 2) + "\n";
}

function writePopulation(dir: string, model: Model): StateCityFile {
  const out = new ChunkedCsv(join(dir, "population.csv"), ["year", "area_id", "age_band", "count", "source"]);
  const {areas} = model.tree;
  model.years.forEach((year, y) => {
    for (let a = 0; a < areas.length; a++) {
      const id = areas[a]!.id;
      for (let b = 0; b < B; b++) out.line(`${year};${id};${BANDS[b]!};${popAt(model, y, a, b)};${SYNTHETIC}`);
    }
  });
  return out.close();
}

const yn = (b: boolean): string => (b ? "ja" : "nein");

function seuLine(c: SeuChild): string {
  const s = c.sopess;
  return `${c.year};${c.areaId};${c.sex};${c.ageMonths};${s.attention};${s.numbers};${s.visuomotor};${s.visual};${s.coordination};${s.language};` +
    `${c.german};${c.bmi};${yn(c.u8)};${yn(c.u9)};${c.measles ?? ""};${c.kitaYears};${yn(c.familyLanguageGerman)};${SYNTHETIC}`;
}

/**
 * seu.csv: the rows of a year are apportioned to the years by the 3–6 band of
 * the state, then to the leaves by their 3–6 band (with ±3 % noise), so that
 * the total is exactly `seuRows` and a leaf examines about a third of its 3–6
 * band every year.
 */
function writeSeu(dir: string, seed: number | string, model: Model, seuRows: number): StateCityFile {
  const {tree, years} = model;
  const L = tree.leafCount;
  const sim = new ChildSimulator({nonGermanShare: 0.35});
  const noise = Rng.derive(seed, "state:seu:weights");
  const perYear = apportion(seuRows, years.map((_, y) => popAt(model, y, 0, I36)));
  const out = new ChunkedCsv(join(dir, "seu.csv"), SEU_COLUMNS);
  years.forEach((year, y) => {
    const weights = Array.from({length: L}, (_, l) => popAt(model, y, tree.leafStart + l, I36) * Math.exp(noise.normal(0, 0.03)));
    const counts = apportion(perYear[y]!, weights);
    for (let l = 0; l < L; l++) {
      const id = tree.areas[tree.leafStart + l]!.id;
      const rng = Rng.derive(seed, `state:seu:${year}:${id}`);
      const areaYear = rng.normal(0, 0.08);
      const n = counts[l]!;
      for (let i = 0; i < n; i++) out.line(seuLine(sim.child(rng, year, id, model.need[l]!, areaYear)));
    }
  });
  return out.close();
}

const PROVIDERS = [
  ["kommunal", 0.25], ["freie Träger", 0.28], ["katholisch", 0.22], ["evangelisch", 0.14], ["Elterninitiative", 0.09], ["sonstige", 0.02]
] as const;
const PROVIDER_WEIGHTS = PROVIDERS.map((p) => p[1]);
const KITA_NAMES = [
  "Regenbogen", "Sonnenschein", "Pusteblume", "Arche Noah", "Wirbelwind", "Löwenzahn", "Schatzkiste", "Kunterbunt",
  "Sternschnuppe", "Zwergenland", "Spatzennest", "Kleine Strolche", "Farbklecks", "Glühwürmchen", "Rappelkiste",
  "Marienkäfer", "Baumhaus", "Traumland", "Kinderinsel", "Purzelbaum", "Wolkenburg", "Wiesenhüpfer"
];
const SAINTS = ["St. Marien", "St. Josef", "St. Michael", "St. Elisabeth", "St. Antonius", "Heilig Kreuz", "St. Barbara", "St. Martin"];

function kitaName(rng: Rng, provider: string, place: string): string {
  switch (provider) {
    case "kommunal":
      return `Städt. Kita ${rng.pick(KITA_NAMES)} ${place}`;
    case "katholisch":
      return `Kath. Kita ${rng.pick(SAINTS)} ${place}`;
    case "evangelisch":
      return `Ev. Kita ${rng.pick(KITA_NAMES)} ${place}`;
    case "Elterninitiative":
      return `Elterninitiative ${rng.pick(KITA_NAMES)} ${place} e.V.`;
    default:
      return `Kita ${rng.pick(KITA_NAMES)} ${place}`;
  }
}

interface Kita {
  id: string;
  name: string;
  provider: string;
  leaf: number;
  weightU3: number;
  weightUe3: number;
  familienzentrumFrom: number;
  pluskita: boolean;
}

/**
 * kitas.csv: about one Kita per 90 children under six (at least one per leaf);
 * places = coverage × population (U3 0.30 → 0.42 over the years, lower where
 * need is high; Ü3 0.92 → 0.96), split among the leaf's Kitas by size.
 */
function writeKitas(dir: string, seed: number | string, model: Model): StateCityFile {
  const {tree, years, need} = model;
  const L = tree.leafCount;
  const first = years[0]!;
  const last = years[years.length - 1]!;
  const kitas: Kita[][] = [];
  let counter = 0;
  const width = Math.max(6, String(L * 20).length);
  for (let l = 0; l < L; l++) {
    const leaf = tree.areas[tree.leafStart + l]!;
    const rng = Rng.derive(seed, `state:kitas:${leaf.id}`);
    const under6 = popSum(model, 0, tree.leafStart + l, U6_IDX);
    const count = Math.max(1, Math.round(under6 / 90));
    const list: Kita[] = [];
    for (let k = 0; k < count; k++) {
      const provider = PROVIDERS[rng.weightedIndex(PROVIDER_WEIGHTS)]![0];
      const size = Math.exp(rng.normal(0, 0.35)) * (provider === "Elterninitiative" ? 0.4 : 1);
      const u3Share = rng.bernoulli(0.08) ? 0 : clamp(rng.normal(0.3, 0.08), 0.12, 0.6);
      const fz = rng.bernoulli(0.24 + (need[l]! > 0.5 ? 0.06 : 0));
      list.push({
        id: `KT${pad(++counter, width)}`,
        name: kitaName(rng, provider, leaf.name),
        provider,
        leaf: l,
        weightU3: size * u3Share,
        weightUe3: size * (1 - u3Share),
        familienzentrumFrom: fz ? (rng.bernoulli(0.65) || last - first < 2 ? first : rng.int(first + 1, last - 1)) : Number.POSITIVE_INFINITY,
        pluskita: rng.bernoulli(invLogit(-1.5 + 1.1 * need[l]!))
      });
    }
    kitas.push(list);
  }
  const out = new ChunkedCsv(join(dir, "kitas.csv"), [
    "year", "kita_id", "name", "provider_type", "area_id", "places_u3", "places_ue3", "occupied_u3", "occupied_ue3", "familienzentrum", "pluskita", "source"
  ]);
  years.forEach((year, y) => {
    const t = years.length > 1 ? y / (years.length - 1) : 1;
    const coverU3 = 0.3 + 0.12 * t;
    const coverUe3 = 0.92 + 0.04 * t;
    for (let l = 0; l < L; l++) {
      const list = kitas[l]!;
      const area = tree.leafStart + l;
      const rng = Rng.derive(seed, `state:kitas:${year}:${tree.areas[area]!.id}`);
      const n = need[l]!;
      const u3 = Math.max(0, Math.round(coverU3 * (1 - 0.08 * n) * Math.exp(rng.normal(0, 0.05)) * popAt(model, y, area, I03)));
      const ue3 = Math.max(0, Math.round(Math.min(1.02, coverUe3 * (1 - 0.02 * n) * (1 + rng.normal(0, 0.015))) * popAt(model, y, area, I36)));
      const pu3 = apportion(u3, list.map((k) => k.weightU3));
      const pue3 = apportion(ue3, list.map((k) => k.weightUe3));
      list.forEach((k, i) => {
        const placesU3 = pu3[i]!;
        const placesUe3 = pue3[i]!;
        const occU3 = Math.round(placesU3 * rng.uniform(0.9, 1));
        const occUe3 = Math.round(placesUe3 * rng.uniform(0.92, 1));
        out.line(
          `${year};${k.id};${text(k.name)};${k.provider};${tree.areas[area]!.id};${placesU3};${placesUe3};${occU3};${occUe3};` +
            `${yn(year >= k.familienzentrumFrom)};${yn(k.pluskita)};${SYNTHETIC}`
        );
      });
    }
  });
  return out.close();
}

/**
 * indicators.csv: sgb2_u15 and sgb2_u6 for every area and year.
 * logit(rate) = logit(0.17) + 0.6·need + year effect + noise, numerator
 * binomial on the population denominator, sgb2_u6 ≤ sgb2_u15; parents are the
 * sums of their leaves. Cells with an empty denominator are left out.
 */
function writeIndicators(dir: string, seed: number | string, model: Model): StateCityFile {
  const {tree, years, need} = model;
  const L = tree.leafCount;
  const A = tree.areas.length;
  const Y = years.length;
  const u15 = new Int32Array(Y * A);
  const u6 = new Int32Array(Y * A);
  for (let l = 0; l < L; l++) {
    const area = tree.leafStart + l;
    const rng = Rng.derive(seed, `state:sgb2:${tree.areas[area]!.id}`);
    const level = rng.normal(0, 0.1);
    for (let y = 0; y < Y; y++) {
      const l15 = logit(0.17) + 0.6 * need[l]! + level + sgb2YearEffect(years[y]!) + rng.normal(0, 0.04);
      const n15 = rng.binomial(popSum(model, y, area, U15_IDX), invLogit(l15));
      const n6 = Math.min(n15, rng.binomial(popSum(model, y, area, U6_IDX), invLogit(l15 + 0.12 + rng.normal(0, 0.04))));
      for (const a of [...ancestors(tree, l), area]) {
        u15[y * A + a]! += n15;
        u6[y * A + a]! += n6;
      }
    }
  }
  const out = new ChunkedCsv(join(dir, "indicators.csv"), INDICATOR_COLUMNS);
  years.forEach((year, y) => {
    for (let a = 0; a < A; a++) {
      const id = tree.areas[a]!.id;
      const d15 = popSum(model, y, a, U15_IDX);
      const d6 = popSum(model, y, a, U6_IDX);
      if (d15 > 0) out.line(`${year};${id};sgb2_u15;${u15[y * A + a]!};${d15};${SYNTHETIC}`);
      if (d6 > 0) out.line(`${year};${id};sgb2_u6;${u6[y * A + a]!};${d6};${SYNTHETIC}`);
    }
  });
  return out.close();
}

interface MeasureTemplate {
  programme: string;
  measure: string;
  provider: string;
  amount: number;
  handlungsfeld: string;
  lifePhases: string;
  /** "land": stadtweit; otherwise the share of the level's areas with the highest need (at least one). */
  scope: {level: "land"} | {level: "kreis" | "gemeinde" | "bezirk"; share: number};
  targetGroup: TargetGroup;
  reachUnit: "persons" | "families" | "";
  reachShare: number;
}

const MEASURES: readonly MeasureTemplate[] = [
  {programme: "kinderstark", measure: "Landeskoordinierung Präventionsketten", provider: "Landesjugendamt", amount: 240000, handlungsfeld: "I|II|III|IV|V|VI|VII", lifePhases: "schwangerschaft|0-3|3-6|6-10|10-16|16-27", scope: {level: "land"}, targetGroup: "children_0_18", reachUnit: "", reachShare: 0},
  {programme: "kinderstark", measure: "Babylotsen", provider: "Landesverband Bunter Kreis", amount: 410000, handlungsfeld: "II", lifePhases: "schwangerschaft|0-3", scope: {level: "land"}, targetGroup: "births", reachUnit: "families", reachShare: 0.35},
  {programme: "kinderstark", measure: "Familienbüros", provider: "Kreisjugendämter", amount: 320000, handlungsfeld: "II|V", lifePhases: "0-3|3-6", scope: {level: "kreis", share: 0.17}, targetGroup: "families", reachUnit: "families", reachShare: 0.04},
  {programme: "kinderstark", measure: "Alltagsintegrierte Sprachförderung", provider: "Freie Träger der Kitas", amount: 280000, handlungsfeld: "IV|VI", lifePhases: "3-6", scope: {level: "gemeinde", share: 0.08}, targetGroup: "children_3_6", reachUnit: "persons", reachShare: 0.25},
  {programme: "kinderstark", measure: "Quartiersarbeit für Familien", provider: "Wohlfahrtsverbände", amount: 190000, handlungsfeld: "II|IV", lifePhases: "3-6|6-10", scope: {level: "bezirk", share: 0.02}, targetGroup: "children_6_10", reachUnit: "persons", reachShare: 0.2},
  {programme: "Landesprogramm Gesundes Aufwachsen", measure: "Bewegte Grundschule", provider: "Landessportbund", amount: 150000, handlungsfeld: "V", lifePhases: "6-10", scope: {level: "gemeinde", share: 0.05}, targetGroup: "children_6_10", reachUnit: "persons", reachShare: 0.3},
  {programme: "Landesprogramm Gesundes Aufwachsen", measure: "Übergangscoaching Schule und Beruf", provider: "Jobcenter und Schulträger", amount: 210000, handlungsfeld: "VI", lifePhases: "10-16|16-27", scope: {level: "kreis", share: 0.1}, targetGroup: "children_15_18", reachUnit: "persons", reachShare: 0.08}
];

function targetPopulation(model: Model, y: number, areas: readonly number[], group: TargetGroup): number {
  const sum = (bands: readonly number[]): number => areas.reduce((s, a) => s + popSum(model, y, a, bands), 0);
  switch (group) {
    case "births":
      return sum([I03]) / 3;
    case "children_0_3":
      return sum([I03]);
    case "children_3_6":
      return sum([I36]);
    case "children_6_10":
      return sum([BAND["6-10"]!]);
    case "children_10_15":
      return sum([BAND["10-15"]!]);
    case "children_15_18":
      return sum([BAND["15-18"]!]);
    case "children_0_18":
      return sum(CHILD_IDX);
    case "families":
      return sum(CHILD_IDX) / 1.7;
  }
}

/** The given share of a level's areas (at least one) with the highest child-weighted need (ties by id). */
function neediest(model: Model, level: string, share: number): number[] {
  const {tree, need} = model;
  const count = level === "kreis" ? tree.gemeindeStart - tree.kreisStart : level === "gemeinde" ? tree.leafStart - tree.gemeindeStart : tree.leafCount;
  const k = Math.max(1, Math.round(share * count));
  const score = new Map<number, {w: number; s: number}>();
  for (let l = 0; l < tree.leafCount; l++) {
    const a = level === "kreis" ? tree.leafKreis[l]! : level === "gemeinde" ? tree.leafGemeinde[l]! : tree.leafStart + l;
    const w = popSum(model, 0, tree.leafStart + l, CHILD_IDX);
    if (level === "bezirk" && w < 100) continue;
    const cell = score.get(a) ?? {w: 0, s: 0};
    cell.w += w;
    cell.s += w * need[l]!;
    score.set(a, cell);
  }
  return [...score.entries()]
    .map(([a, c]) => ({a, v: c.w > 0 ? c.s / c.w : 0}))
    .sort((x, y) => y.v - x.v || x.a - y.a)
    .slice(0, k)
    .map((x) => x.a)
    .sort((x, y) => x - y);
}

/** measures.csv: a small kinderstark-style list for the last five years (the last one applied for). */
function measureRows(seed: number | string, model: Model): Row[] {
  const {tree, years} = model;
  const last = years[years.length - 1]!;
  const from = Math.max(years[0]!, last - 4);
  const rows: Row[] = [];
  for (let year = from; year <= last; year++) {
    const y = years.indexOf(year);
    MEASURES.forEach((t, i) => {
      const rng = Rng.derive(seed, `state:measures:${i}:${year}`);
      const amount = Math.round((t.amount * (1 + 0.03 * (year - from)) * (1 + rng.normal(0, 0.02))) / 50) * 50;
      const areas = t.scope.level === "land" ? [0] : neediest(model, t.scope.level, t.scope.share);
      if (areas.length === 0) return;
      let reach: number | undefined;
      if (t.reachUnit !== "" && t.reachShare > 0) {
        reach = Math.max(1, Math.round(targetPopulation(model, y, areas, t.targetGroup) * t.reachShare * rng.uniform(0.85, 1.15)));
      }
      rows.push({
        year,
        programme: t.programme,
        measure: t.measure,
        provider: t.provider,
        amount_eur: amount,
        status: year === last ? "beantragt" : "bewilligt",
        handlungsfeld: t.handlungsfeld,
        life_phases: t.lifePhases,
        areas: t.scope.level === "land" ? "stadtweit" : areas.map((a) => tree.areas[a]!.id).join("|"),
        target_group: t.targetGroup,
        reach,
        reach_unit: reach === undefined ? "" : t.reachUnit,
        source: SYNTHETIC,
        reach_source: reach === undefined ? "" : SYNTHETIC,
        label_original: "",
        classification_note: ""
      });
    });
  }
  return rows;
}

function sourcesMd(name: string, seed: number | string, leaves: number, years: number[], seuRows: number, files: readonly StateCityFile[]): string {
  const fmt = (n: number): string => n.toLocaleString("de-DE");
  const lines = [
    `# ${name} – Herkunft der Daten`,
    "",
    "**Alle Daten sind synthetisch** (Beispieldaten, Kennzeichnung `synthetisch` in der Spalte `source`).",
    "Das Land, seine Kreise, Gemeinden und statistischen Bezirke sind erfunden. Die Daten wurden mit",
    `\`npm run generate:state\` erzeugt (Seed ${seed}, ${fmt(leaves)} statistische Bezirke, ${years[0]}–${years[years.length - 1]},`,
    `${fmt(seuRows)} Schuleingangsuntersuchungen) und dienen als Lastprobe; sie sind keine Statistik eines Landes.`,
    "",
    "| Datei | Zeilen |",
    "|---|---|",
    ...files.filter((f) => f.name.endsWith(".csv")).map((f) => `| \`${f.name}\` | ${fmt(f.rows)} |`),
    "",
    "Verfahren: `docs/data-sources.md`, Abschnitt „State-scale generator“.",
    ""
  ];
  return lines.join("\n");
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} muss eine ganze Zahl ≥ ${min} sein, gefunden: ${value}`);
  return value;
}

/** Writes the state-scale synthetic city into `options.outDir`. */
export function generateStateCity(options: StateCityOptions): StateCityResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const leaves = positiveInteger("leaves", options.leaves ?? STATE_DEFAULTS.leaves, 1);
  const yearCount = positiveInteger("years", options.years ?? STATE_DEFAULTS.years, 1);
  const lastYear = positiveInteger("lastYear", options.lastYear ?? STATE_DEFAULTS.lastYear, 1900);
  const seuRows = positiveInteger("seuRows", options.seuRows ?? STATE_DEFAULTS.seuRows, 1);
  const kreise = positiveInteger("kreise", options.kreise ?? Math.min(leaves, Math.max(2, Math.round(leaves / 70))), 1);
  const gemeinden = positiveInteger("gemeinden", options.gemeinden ?? Math.min(leaves, Math.max(kreise, Math.round(leaves / 8))), 1);
  if (kreise > gemeinden || gemeinden > leaves) {
    throw new RangeError(`es braucht mindestens so viele Gemeinden wie Kreise und so viele Bezirke wie Gemeinden (Kreise ${kreise}, Gemeinden ${gemeinden}, Bezirke ${leaves})`);
  }
  const id = options.id ?? STATE_DEFAULTS.id;
  const name = options.name ?? STATE_DEFAULTS.name;
  const log = options.log ?? ((): void => {});
  const dir = options.outDir;
  mkdirSync(dir, {recursive: true});
  for (const foreign of ["areas.geojson", "outline.geojson"]) {
    // areas.geojson would take precedence over the areas.csv written here
    if (existsSync(join(dir, foreign))) throw new Error(`${join(dir, foreign)} ist vorhanden – bitte einen leeren Ordner angeben`);
  }
  const years = Array.from({length: yearCount}, (_, i) => lastYear - yearCount + 1 + i);

  const tree = buildTree(Rng.derive(seed, "state:areas"), "0", name, leaves, kreise, gemeinden);
  const model = buildModel(seed, tree, years, seuRows);
  const files: StateCityFile[] = [];
  const done = (f: StateCityFile): void => {
    files.push(f);
    const rows = f.name.endsWith(".csv") ? `${f.rows.toLocaleString("de-DE")} Zeilen, ` : "";
    log(`geschrieben: ${f.name} (${rows}${f.bytes.toLocaleString("de-DE")} Bytes)`);
  };

  done(writeSmall(dir, "city.json", cityJson(id, name, tree, years), 0));
  const areaRows = tree.areas.map((a) => ({id: a.id, name: a.name, level: a.level, parent_id: a.parent < 0 ? "" : tree.areas[a.parent]!.id, source: SYNTHETIC}));
  done(writeSmall(dir, "areas.csv", toCsv(["id", "name", "level", "parent_id", "source"], areaRows), areaRows.length));
  done(writePopulation(dir, model));
  done(writeSeu(dir, seed, model, seuRows));
  done(writeKitas(dir, seed, model));
  done(writeIndicators(dir, seed, model));
  const measures = measureRows(seed, model);
  done(writeSmall(dir, "measures.csv", toCsv(MEASURE_COLUMNS, measures), measures.length));
  const totals = syntheticTotalsRows(measures);
  done(writeSmall(dir, "programme_totals.csv", toCsv(TOTALS_COLUMNS, totals), totals.length));
  done(writeSmall(dir, "SOURCES.md", sourcesMd(name, seed, leaves, years, seuRows, files), 0));
  return {files};
}
