/**
 * Readers for the real public source files (see /work/shared/data/real/README.md).
 * They read and normalise; they never change a number.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import type {Feature, FeatureCollection, MultiPolygon, Polygon} from "geojson";
import {parseCsv, parseCsvRows} from "./csv.ts";

export type AreaGeometry = Polygon | MultiPolygon;
export type GeoFeature = Feature<AreaGeometry, Record<string, unknown>>;
export type GeoCollection = FeatureCollection<AreaGeometry, Record<string, unknown>> & {
  crs?: unknown;
  source?: string;
  name?: string;
};

/** Paths of the real files, relative to the real-data directory. */
export const REAL_FILES = {
  bochumKitas: "bochum/bochum_daycare_centers.csv",
  bochumSchools: "bochum/bochum_schools.csv",
  bochumPlaygrounds: "bochum/bochum_playgrounds.csv",
  bochumSports: "bochum/bochum_sports_facilities_latin1.csv",
  outlines: "nrw/bochum_bottrop_gemeindegrenzen_vg250.geojson",
  nrwGemeinden: "nrw/nrw_gemeinden_vg250_bkg_simplified.geojson",
  bottropStadtbezirke: "bottrop/bottrop_stadtbezirke.geojson",
  bottropWahlbezirke: "bottrop/bottrop_kommunalwahlbezirke_2025.geojson",
  koelnStadtbezirke: "koeln/koeln_stadtbezirke.geojson",
  koelnStadtteile: "koeln/koeln_stadtteile.geojson",
  koelnBevoelkerung: "koeln/koeln_bevoelkerung_2005-2012.csv"
} as const;

export class RealData {
  constructor(readonly dir: string) {
    for (const rel of Object.values(REAL_FILES)) {
      if (!existsSync(join(dir, rel))) {
        throw new Error(`Reale Quelldatei fehlt: ${join(dir, rel)} (Verzeichnis mit --real-dir angeben)`);
      }
    }
  }

  text(rel: string, encoding: "utf-8" | "latin1" = "utf-8"): string {
    const bytes = readFileSync(join(this.dir, rel));
    return new TextDecoder(encoding === "latin1" ? "windows-1252" : "utf-8", {fatal: encoding === "utf-8"}).decode(bytes);
  }

  geojson(rel: string): GeoCollection {
    return JSON.parse(this.text(rel)) as GeoCollection;
  }
}

/** One Bochum POI row (schools, playgrounds, Kitas share the export format). */
export interface BochumPoi {
  poi_id: string;
  name: string;
  street: string;
  plz: string;
  category: string;
  x: number;
  y: number;
}

export function readBochumPois(real: RealData, rel: string): BochumPoi[] {
  return parseCsv(real.text(rel)).map((r) => {
    const x = Number(r["rechts_utm"]);
    const y = Number(r["hoch_utm"]);
    if (!Number.isInteger(x) || !Number.isInteger(y)) throw new Error(`${rel}: coordinates not integer metres`);
    return {
      poi_id: r["poi_id"] ?? "",
      name: r["name"] ?? "",
      street: r["str_hausnr"] ?? "",
      plz: (r["plz_ort"] ?? "").slice(0, 5),
      category: r["kategorie"] ?? "",
      x,
      y
    };
  });
}

export interface SportsFacility {
  name: string;
  address: string;
  bezirk: string;
}

/**
 * The sports grounds with their Stadtbezirk (1–6). Continuation rows (further
 * pitches of the same ground, without name/address) are skipped.
 */
export function readBochumSports(real: RealData): SportsFacility[] {
  const rows = parseCsvRows(real.text(REAL_FILES.bochumSports, "latin1"));
  const out: SportsFacility[] = [];
  for (const r of rows.slice(1)) {
    const name = (r[1] ?? "").trim();
    const address = (r[2] ?? "").trim();
    const bezirk = (r[3] ?? "").trim();
    if (!address || !/^[1-6]$/.test(bezirk)) continue;
    out.push({name, address, bezirk});
  }
  return out;
}

export interface KoelnPopulationRow {
  year: number;
  raum_id: string;
  raum: string;
  age_band: string;
  count: number;
}

/** "00 - < 03" → "0-3", "75 und älter" → "75+". */
export function koelnAgeBand(label: string): string {
  const range = /^(\d+)\s*-\s*<\s*(\d+)$/.exec(label.trim());
  if (range) return `${Number(range[1])}-${Number(range[2])}`;
  const open = /^(\d+)\s+und\s+älter$/.exec(label.trim());
  if (open) return `${Number(open[1])}+`;
  throw new Error(`unknown Köln age band label: ${label}`);
}

/** Table 020 (Einwohner nach Alter) of the Köln population file, 2005–2012. */
export function readKoelnPopulation(real: RealData): KoelnPopulationRow[] {
  const rows = parseCsv(real.text(REAL_FILES.koelnBevoelkerung), ",");
  const out: KoelnPopulationRow[] = [];
  for (const r of rows) {
    if (r["tab_id"] !== "020") continue;
    const zahl = r["zahl"] ?? "";
    if (!/^\d+(\.0+)?$/.test(zahl)) throw new Error(`Köln population: non-integer count ${zahl}`);
    out.push({
      year: Number(r["jahr"]),
      raum_id: r["raum_id"] ?? "",
      raum: r["raum"] ?? "",
      age_band: koelnAgeBand(r["zeile"] ?? ""),
      count: Number.parseInt(zahl, 10)
    });
  }
  return out;
}

/** Share of inhabitants with migration background per raum_id (table 030 row 10 / table 005), one year. */
export function readKoelnMigrationShare(real: RealData, year: number): Map<string, number> {
  const rows = parseCsv(real.text(REAL_FILES.koelnBevoelkerung), ",");
  const migr = new Map<string, number>();
  const total = new Map<string, number>();
  for (const r of rows) {
    if (Number(r["jahr"]) !== year) continue;
    const id = r["raum_id"] ?? "";
    if (r["tab_id"] === "030" && r["zei_id"] === "10") migr.set(id, Number.parseFloat(r["zahl"] ?? "0"));
    if (r["tab_id"] === "005" && r["zei_id"] === "10") total.set(id, Number.parseFloat(r["zahl"] ?? "0"));
  }
  const out = new Map<string, number>();
  for (const [id, t] of total) if (t > 0) out.set(id, (migr.get(id) ?? 0) / t);
  return out;
}
