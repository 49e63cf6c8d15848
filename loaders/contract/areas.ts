/**
 * Reads and validates the areas of a city: `areas.geojson` (with or without
 * geometry) or `areas.csv`. Checks ids (unique text), levels and parents,
 * closed rings; detects WGS84 vs. ETRS89/UTM 32N and converts to WGS84 with
 * rings oriented for d3-geo.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {IngestError, normalizeHeader, readTableFile} from "../ingest/index.ts";
import {crsFromGeoJSON, detectCoordinateSystem, stripZonePrefix, utm32ToWgs84, type CoordinateSystem} from "../geo/utm.ts";
import {orientForD3, ringProblem, type PolygonCoords, type PolygonGeometry, type Position} from "../geo/polygons.ts";
import type {FileReport, Issue} from "../report.ts";
import type {CityConfig} from "./city-config.ts";

export interface Area {
  area_id: string;
  name: string;
  level: string;
  level_rank: number;
  parent_id: string | null;
  geometry: PolygonGeometry | null;
  source: string | null;
  line: number;
}

export interface AreasResult {
  areas: Area[];
  report: FileReport;
  errors: Issue[];
  warnings: Issue[];
  /** Coordinate system the file was in (undefined without geometry). */
  crs?: CoordinateSystem;
}

const ALIASES: Record<string, string[]> = {
  id: ["id", "gebiet_id", "nr", "area_id", "gebietsnummer"],
  name: ["name", "gebiet", "bezeichnung", "gebietsname"],
  level: ["level", "ebene"],
  parent_id: ["parent_id", "ober_id", "uebergeordnet", "parent"],
  source: ["source", "quelle"]
};

function pick(props: Record<string, unknown>, key: string): unknown {
  const wanted = new Set(ALIASES[key]);
  for (const [name, value] of Object.entries(props)) if (wanted.has(normalizeHeader(name))) return value;
  return undefined;
}

/** 1-based line where the n-th `"type": "Feature"` object starts (for messages about GeoJSON files). */
function featureLines(text: string): number[] {
  const lines: number[] = [];
  const re = /"type"\s*:\s*"Feature"/g;
  let line = 1;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    lines.push(line);
  }
  return lines;
}

function* positionsOf(coords: unknown): Generator<number[]> {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === "number") {
    yield coords as number[];
    return;
  }
  for (const c of coords) yield* positionsOf(c);
}

interface RawArea {
  id: unknown;
  name: unknown;
  level: unknown;
  parent: unknown;
  source: unknown;
  geometry: unknown;
  line: number;
}

function readGeoJSON(file: string, display: string): {raw: RawArea[]; crs: CoordinateSystem | undefined; errors: Issue[]} {
  let text: string;
  try {
    text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch {
    throw new IngestError(display, "unreadable", `${display}: Datei ist nicht lesbar`);
  }
  let json: {type?: unknown; features?: unknown; crs?: unknown};
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IngestError(display, "unreadable", `${display}: kein gültiges GeoJSON – ${(error as Error).message}`);
  }
  if (json.type !== "FeatureCollection" || !Array.isArray(json.features)) {
    throw new IngestError(display, "unreadable", `${display}: erwartet wird eine FeatureCollection mit einem Feature je Gebiet`);
  }
  const lines = featureLines(text);
  const features = json.features as {properties?: Record<string, unknown>; geometry?: unknown; id?: unknown}[];
  const raw = features.map((feature, i): RawArea => {
    const props = feature.properties ?? {};
    return {
      id: pick(props, "id") ?? feature.id,
      name: pick(props, "name"),
      level: pick(props, "level"),
      parent: pick(props, "parent_id"),
      source: pick(props, "source"),
      geometry: feature.geometry ?? null,
      line: lines[i] ?? i + 1
    };
  });
  const declared = crsFromGeoJSON(json.crs);
  if (declared === "unknown") {
    throw new IngestError(display, "crs", `${display}: unbekanntes Koordinatensystem im „crs“-Eintrag – erlaubt sind WGS84 (EPSG:4326/CRS84) und ETRS89 / UTM 32N (EPSG:25832)`);
  }
  const detected = detectCoordinateSystem(
    (function* () {
      for (const r of raw) {
        const g = r.geometry as {coordinates?: unknown} | null;
        if (g) yield* positionsOf(g.coordinates);
      }
    })()
  );
  const hasGeometry = raw.some((r) => r.geometry !== null);
  if (hasGeometry && detected === undefined) {
    throw new IngestError(display, "crs", `${display}: Koordinatensystem nicht erkennbar – die Koordinaten passen weder zu WGS84 (Längen/Breiten in Grad) noch zu ETRS89 / UTM 32N (Meter, Rechtswert 100 000–900 000, Hochwert 5–6,5 Mio.). Bitte in einem der beiden Systeme exportieren.`);
  }
  if (declared && detected && declared !== detected) {
    throw new IngestError(display, "crs", `${display}: der „crs“-Eintrag nennt ${declared === "utm32" ? "UTM 32N" : "WGS84"}, die Koordinaten sehen aber nach ${detected === "utm32" ? "UTM 32N" : "WGS84"} aus`);
  }
  return {raw, crs: hasGeometry ? detected : undefined, errors: []};
}

function readCSV(file: string, display: string, config: CityConfig): RawArea[] {
  const table = readTableFile(file, {
    file: display,
    columns: [
      {key: "id", aliases: ALIASES.id!, required: true},
      {key: "name", aliases: ALIASES.name!, required: true},
      {key: "level", aliases: ALIASES.level!, required: true},
      {key: "parent_id", aliases: ALIASES.parent_id!, required: true},
      {key: "source", aliases: ALIASES.source!}
    ],
    mapping: config.column_mappings["areas.csv"] ?? {}
  });
  return table.rows.map((row) => ({
    id: row.cells.id,
    name: row.cells.name,
    level: row.cells.level,
    parent: row.cells.parent_id,
    source: row.cells.source,
    geometry: null,
    line: row.line
  }));
}

function toWgs84(geometry: PolygonGeometry, crs: CoordinateSystem | undefined): PolygonGeometry {
  const convert = (p: Position): Position => {
    if (crs !== "utm32") return [p[0], p[1]];
    return utm32ToWgs84(stripZonePrefix(p[0]), p[1]);
  };
  const polygons = (geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates) as PolygonCoords[];
  const converted = polygons.map((polygon) => orientForD3(polygon.map((ring) => ring.map(convert))));
  return geometry.type === "Polygon" ? {type: "Polygon", coordinates: converted[0]!} : {type: "MultiPolygon", coordinates: converted};
}

function geometryProblem(geometry: unknown): string | undefined {
  if (geometry === null) return undefined;
  const g = geometry as {type?: unknown; coordinates?: unknown};
  if (g.type !== "Polygon" && g.type !== "MultiPolygon") return `Geometrietyp „${String(g.type)}“ – erwartet Polygon oder MultiPolygon`;
  const polygons = (g.type === "Polygon" ? [g.coordinates] : g.coordinates) as unknown[];
  if (!Array.isArray(polygons) || polygons.length === 0) return "Geometrie ohne Koordinaten";
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return "Polygon ohne Ring";
    for (const ring of polygon) {
      const problem = ringProblem(ring);
      if (problem) return problem;
    }
  }
  return undefined;
}

function idText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Reads the areas of a city folder. Throws IngestError for structural problems. */
export function readAreas(cityDir: string, config: CityConfig): AreasResult {
  const geoFile = join(cityDir, "areas.geojson");
  const csvFile = join(cityDir, "areas.csv");
  const useGeo = existsSync(geoFile);
  if (!useGeo && !existsSync(csvFile)) {
    throw new IngestError(cityDir, "missing_file", `${cityDir}: weder areas.geojson noch areas.csv vorhanden – jede Stadt braucht ihre Gebiete (siehe docs/data-format.md, Abschnitt 2)`);
  }
  const display = useGeo ? "areas.geojson" : "areas.csv";
  let raw: RawArea[];
  let crs: CoordinateSystem | undefined;
  if (useGeo) ({raw, crs} = readGeoJSON(geoFile, display));
  else raw = readCSV(csvFile, display, config);

  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const levelRank = new Map(config.levels.map((level, i) => [level.id, i]));
  const accepted = new Map<string, Area>();
  const reject = (line: number, column: string, code: string, message: string): void => {
    errors.push({file: display, line, column, code, message});
  };
  const candidates: Area[] = [];
  for (const r of raw) {
    if (typeof r.id === "number") {
      warnings.push({file: display, line: r.line, column: "id", code: "numeric_id", message: `Id ${r.id} ist als Zahl angegeben und wird als Text „${r.id}“ übernommen – Ids bitte als Text schreiben, sonst gehen führende Nullen verloren`});
    }
    const id = idText(r.id);
    if (id === undefined) {
      reject(r.line, "id", "missing_value", "Gebiet ohne Id");
      continue;
    }
    const name = idText(r.name);
    if (name === undefined) {
      reject(r.line, "name", "missing_value", `Gebiet „${id}“ ohne Namen`);
      continue;
    }
    const level = idText(r.level);
    const rank = level === undefined ? undefined : levelRank.get(level);
    if (level === undefined || rank === undefined) {
      reject(r.line, "level", "unknown_level", `Ebene „${level ?? ""}“ von Gebiet „${id}“ ist nicht in city.json (levels: ${config.levels.map((l) => l.id).join(", ")})`);
      continue;
    }
    const problem = geometryProblem(r.geometry);
    if (problem) {
      reject(r.line, "geometry", "invalid_geometry", `Gebiet „${id}“: ${problem}`);
      continue;
    }
    candidates.push({
      area_id: id,
      name,
      level,
      level_rank: rank,
      parent_id: idText(r.parent) ?? null,
      geometry: r.geometry === null ? null : toWgs84(r.geometry as PolygonGeometry, crs),
      source: idText(r.source) ?? null,
      line: r.line
    });
  }
  // unique ids: the first occurrence wins
  const unique: Area[] = [];
  for (const area of candidates) {
    const first = accepted.get(area.area_id);
    if (first) {
      reject(area.line, "id", "duplicate_key", `Id „${area.area_id}“ ist doppelt (zuerst in Zeile ${first.line})`);
      continue;
    }
    accepted.set(area.area_id, area);
    unique.push(area);
  }
  // parents, resolved top-down so that children of rejected areas are rejected too
  const valid = new Map<string, Area>();
  const byRank = [...unique].sort((a, b) => a.level_rank - b.level_rank);
  for (const area of byRank) {
    if (area.level_rank === 0) {
      if (area.parent_id !== null) {
        reject(area.line, "parent_id", "invalid_parent", `Gebiet „${area.area_id}“ liegt auf der obersten Ebene und darf kein übergeordnetes Gebiet haben`);
        continue;
      }
      if ([...valid.values()].some((a) => a.level_rank === 0)) {
        reject(area.line, "level", "second_root", `Gebiet „${area.area_id}“: auf der obersten Ebene („${area.level}“) darf es nur ein Gebiet geben – die Stadt`);
        continue;
      }
    } else {
      const parent = area.parent_id === null ? undefined : valid.get(area.parent_id);
      if (area.parent_id === null) {
        reject(area.line, "parent_id", "missing_value", `Gebiet „${area.area_id}“ hat kein übergeordnetes Gebiet`);
        continue;
      }
      if (!parent) {
        reject(area.line, "parent_id", "unknown_area", `übergeordnetes Gebiet „${area.parent_id}“ von „${area.area_id}“ gibt es nicht (oder es wurde abgelehnt)`);
        continue;
      }
      if (parent.level_rank !== area.level_rank - 1) {
        reject(area.line, "parent_id", "invalid_parent", `„${area.parent_id}“ liegt auf Ebene „${parent.level}“, erwartet wird die Ebene direkt über „${area.level}“`);
        continue;
      }
    }
    valid.set(area.area_id, area);
  }
  if (![...valid.values()].some((a) => a.level_rank === 0)) {
    throw new IngestError(display, "no_root", `${display}: kein gültiges Gebiet auf der obersten Ebene „${config.levels[0]!.id}“ – die Stadt selbst muss als Gebiet enthalten sein`);
  }
  const areas = raw.length ? [...valid.values()].sort((a, b) => a.line - b.line) : [];
  if (!areas.some((a) => a.geometry !== null) && !config.tiles?.length) {
    warnings.push({file: display, line: null, column: null, code: "no_geometry", message: "keine Geometrie und keine Kachel-Anordnung („tiles“ in city.json) – Karten können nicht gezeichnet werden"});
  }
  if (config.tiles) {
    for (const tile of config.tiles) {
      if (!valid.has(tile.area_id)) warnings.push({file: "city.json", line: null, column: "tiles", code: "unknown_area", message: `Kachel für unbekanntes Gebiet „${tile.area_id}“`});
    }
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    areas,
    errors,
    warnings,
    ...(crs ? {crs} : {}),
    report: {file: display, rows_read: raw.length, rows_loaded: areas.length, rows_rejected: raw.length - areas.length, total_rows: 0}
  };
}
