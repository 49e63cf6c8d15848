/** The city configuration `data/<city>/city.json`: type, defaults and validation. */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {IngestError} from "../ingest/index.ts";

export interface AreaLevel {
  id: string;
  name: string;
}

export interface NeedIndexIndicator {
  id: string;
  weight: number;
  /** +1: a higher value means more need; −1: a higher value means less need. Defaults to the catalogue's polarity. */
  polarity?: 1 | -1;
}

export interface CityConfig {
  id: string;
  name: string;
  ags: string;
  levels: AreaLevel[];
  years: {first: number; last: number};
  /** Small-number protection: primary thresholds and the protection width (docs/methods.md §10). */
  small_numbers: {min_cases: number; min_denominator: number; protection_width: number};
  kita_targets: {u3: number; ue3: number};
  need_index: {
    indicators: NeedIndexIndicator[];
    method: "z-sum" | "quantile";
    thresholds: [number, number, number];
    dynamics_years: number;
    sd?: "sample" | "population";
    /** Basis of the status index, the same for all years of a level: "auto" (default) pools where the level's median denominator is below POOL_BELOW_DENOMINATOR. */
    basis: "auto" | "annual" | "pooled";
    /** Levels with fewer areas get rank classes instead of the z thresholds (default 20). */
    min_areas_for_thresholds: number;
    /** Dynamics classes 1 and 3 only beyond ∓1 by more than 1,96 sampling standard errors (default true; false: plain thresholds as in Berlin's MSS). */
    dynamics_sampling_error: boolean;
  };
  markers: string[];
  column_mappings: Record<string, Record<string, string>>;
  tiles?: {area_id: string; row: number; col: number}[];
}

function fail(file: string, message: string): never {
  throw new IngestError(file, "config", `${file}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates a parsed city.json and fills defaults. Throws IngestError naming the key to fix. */
export function parseCityConfig(raw: unknown, file = "city.json"): CityConfig {
  if (!isRecord(raw)) fail(file, "muss ein JSON-Objekt sein");
  const str = (key: string): string => {
    const value = raw[key];
    if (typeof value !== "string" || value.trim() === "") fail(file, `„${key}“ fehlt oder ist kein Text`);
    return value;
  };
  const id = str("id");
  const name = str("name");
  const ags = str("ags");
  if (!/^\d{8}$/.test(ags)) fail(file, `„ags“ muss der 8-stellige Gemeindeschlüssel als Text sein (z. B. "05911000"), gefunden: ${ags}`);
  const levelsRaw = raw.levels;
  if (!Array.isArray(levelsRaw) || levelsRaw.length < 2) fail(file, "„levels“ braucht mindestens zwei Ebenen (Stadt und eine Gebietsebene)");
  const levels = levelsRaw.map((level, i): AreaLevel => {
    if (!isRecord(level) || typeof level.id !== "string" || typeof level.name !== "string") fail(file, `„levels[${i}]“ braucht "id" und "name"`);
    return {id: level.id, name: level.name};
  });
  if (new Set(levels.map((l) => l.id)).size !== levels.length) fail(file, "„levels“ enthält eine Ebene doppelt");
  const years = raw.years;
  if (!isRecord(years) || !Number.isInteger(years.first) || !Number.isInteger(years.last) || (years.first as number) > (years.last as number)) {
    fail(file, "„years“ braucht ganzzahlige „first“ ≤ „last“, z. B. {\"first\": 2017, \"last\": 2024}");
  }
  const small = isRecord(raw.small_numbers) ? raw.small_numbers : {};
  const targets = isRecord(raw.kita_targets) ? raw.kita_targets : {};
  const need = isRecord(raw.need_index) ? raw.need_index : {};
  const indicatorsRaw = Array.isArray(need.indicators) ? need.indicators : [];
  const indicators = indicatorsRaw.map((entry, i): NeedIndexIndicator => {
    if (!isRecord(entry) || typeof entry.id !== "string") fail(file, `„need_index.indicators[${i}]“ braucht eine „id“`);
    const weight = entry.weight === undefined ? 1 : Number(entry.weight);
    if (!Number.isFinite(weight) || weight < 0) fail(file, `„need_index.indicators[${i}].weight“ muss eine Zahl ≥ 0 sein`);
    const polarity = entry.polarity;
    if (polarity !== undefined && polarity !== 1 && polarity !== -1) fail(file, `„need_index.indicators[${i}].polarity“ muss 1 oder -1 sein`);
    return polarity === undefined ? {id: entry.id, weight} : {id: entry.id, weight, polarity};
  });
  for (const key of ["min_cases", "min_denominator", "protection_width"] as const) {
    const value = small[key];
    if (value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value >= 0)) {
      fail(file, `„small_numbers.${key}“ muss eine ganze Zahl ≥ 0 sein, gefunden: ${JSON.stringify(value)}`);
    }
  }
  const thresholds = Array.isArray(need.thresholds) ? need.thresholds.map(Number) : [-1, 1, 1.5];
  if (thresholds.length !== 3 || thresholds.some((t) => !Number.isFinite(t)) || !(thresholds[0]! < thresholds[1]! && thresholds[1]! < thresholds[2]!)) {
    fail(file, "„need_index.thresholds“ braucht drei aufsteigende Zahlen, z. B. [-1, 1, 1.5]");
  }
  const method = need.method ?? "z-sum";
  if (method !== "z-sum" && method !== "quantile") fail(file, "„need_index.method“ muss \"z-sum\" oder \"quantile\" sein");
  const basis = need.basis ?? "auto";
  if (basis !== "auto" && basis !== "annual" && basis !== "pooled") fail(file, "„need_index.basis“ muss \"auto\", \"annual\" oder \"pooled\" sein");
  const minAreas = need.min_areas_for_thresholds ?? 20;
  if (!(typeof minAreas === "number" && Number.isInteger(minAreas) && minAreas >= 2)) {
    fail(file, `„need_index.min_areas_for_thresholds“ muss eine ganze Zahl ≥ 2 sein, gefunden: ${JSON.stringify(minAreas)}`);
  }
  const samplingError = need.dynamics_sampling_error ?? true;
  if (typeof samplingError !== "boolean") fail(file, "„need_index.dynamics_sampling_error“ muss true oder false sein");
  const markers = Array.isArray(raw.markers) ? raw.markers.map(String) : [];
  const mappings: Record<string, Record<string, string>> = {};
  if (isRecord(raw.column_mappings)) {
    for (const [fileName, mapping] of Object.entries(raw.column_mappings)) {
      if (!isRecord(mapping)) fail(file, `„column_mappings.${fileName}“ muss ein Objekt sein`);
      mappings[fileName] = Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, String(v)]));
    }
  }
  const tiles = Array.isArray(raw.tiles)
    ? raw.tiles.map((tile, i) => {
        if (!isRecord(tile) || typeof tile.area_id !== "string" || !Number.isInteger(tile.row) || !Number.isInteger(tile.col)) {
          fail(file, `„tiles[${i}]“ braucht "area_id" (Text), "row" und "col" (ganze Zahlen)`);
        }
        return {area_id: tile.area_id, row: tile.row as number, col: tile.col as number};
      })
    : undefined;
  const config: CityConfig = {
    id,
    name,
    ags,
    levels,
    years: {first: years.first as number, last: years.last as number},
    small_numbers: {min_cases: Number(small.min_cases ?? 5), min_denominator: Number(small.min_denominator ?? 20), protection_width: Number(small.protection_width ?? 3)},
    kita_targets: {u3: Number(targets.u3 ?? 0.45), ue3: Number(targets.ue3 ?? 0.98)},
    need_index: {
      indicators,
      method,
      thresholds: thresholds as [number, number, number],
      dynamics_years: Number(need.dynamics_years ?? 2),
      basis,
      min_areas_for_thresholds: minAreas as number,
      dynamics_sampling_error: samplingError as boolean,
      ...(need.sd === "population" || need.sd === "sample" ? {sd: need.sd} : {})
    },
    markers,
    column_mappings: mappings,
    ...(tiles ? {tiles} : {})
  };
  return config;
}

export function readCityConfig(cityDir: string): CityConfig {
  const file = join(cityDir, "city.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new IngestError(file, "unreadable", `${file}: Stadtkonfiguration fehlt oder ist nicht lesbar – jede Stadt braucht eine city.json (siehe docs/data-format.md)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new IngestError(file, "config", `${file}: kein gültiges JSON – ${(error as Error).message}`);
  }
  return parseCityConfig(raw, file);
}
