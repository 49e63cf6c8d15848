import {existsSync, readFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import Papa from "papaparse";

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DATA_DIR = join(PROJECT_ROOT, "data");
export const REAL_DIR = process.env["CHANCENATLAS_REAL_DATA"] ?? resolve(PROJECT_ROOT, "..", "shared", "data", "real");
export const HAS_REAL = existsSync(join(REAL_DIR, "README.md"));

export type Rec = Record<string, string>;

export function readCsv(path: string): {fields: string[]; rows: Rec[]} {
  const text = readFileSync(path, "utf8");
  const parsed = Papa.parse<Rec>(text, {header: true, delimiter: ";", skipEmptyLines: true});
  if (parsed.errors.length > 0) throw new Error(`${path}: ${parsed.errors[0]?.message ?? ""}`);
  return {fields: parsed.meta.fields ?? [], rows: parsed.data};
}

export function dataCsv(city: string, file: string): {fields: string[]; rows: Rec[]} {
  return readCsv(join(DATA_DIR, city, file));
}

export interface AreaRec {
  id: string;
  name: string;
  level: string;
  parent_id: string | null;
}

export function dataAreas(city: string): AreaRec[] {
  const csvPath = join(DATA_DIR, city, "areas.csv");
  if (existsSync(csvPath)) {
    return dataCsv(city, "areas.csv").rows.map((r) => ({
      id: r["id"] ?? "",
      name: r["name"] ?? "",
      level: r["level"] ?? "",
      parent_id: r["parent_id"] ? r["parent_id"] : null
    }));
  }
  const gj = JSON.parse(readFileSync(join(DATA_DIR, city, "areas.geojson"), "utf8")) as {
    features: {properties: AreaRec}[];
  };
  return gj.features.map((f) => f.properties);
}

export const CITIES = ["bochum", "bottrop", "koeln"] as const;
