/**
 * Validation of a whole city folder: every input file is read with the robust
 * reader, every row converted and checked; valid rows become records, invalid
 * rows go to the quarantine with their reason. Nothing is lost: for every file
 * rows_read = rows_loaded + rows_rejected.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {checkTotals, detectDecimalStyle, formatTotalWarning, IngestError, readTableFile, type DecimalStyle, type RawRow, type ReadOptions, DEFAULT_MARKERS} from "./ingest/index.ts";
import {readCityConfig, type CityConfig} from "./contract/city-config.ts";
import {readAreas, type Area, type AreasResult} from "./contract/areas.ts";
import {convertCell, type Value} from "./contract/fields.ts";
import {CSV_FILES, type FileSpec} from "./contract/files.ts";
import {containsPoint} from "./geo/polygons.ts";
import {detectCoordinateSystem, stripZonePrefix, utm32ToWgs84} from "./geo/utm.ts";
import type {FileReport, Issue, ValidationReport} from "./report.ts";

export type RecordRow = Record<string, Value> & {_line: number};

export interface QuarantineRow {
  line: number;
  column: string | null;
  code: string;
  message: string;
  raw: string;
}

export interface CellMarker {
  line: number;
  column: string;
  marker: string;
}

export interface ValidatedFile {
  spec: FileSpec;
  records: RecordRow[];
  markers: CellMarker[];
  quarantine: QuarantineRow[];
  report: FileReport;
}

export interface ValidatedCity {
  cityDir: string;
  config: CityConfig;
  areas: Area[];
  areasResult: AreasResult;
  files: ValidatedFile[];
  report: ValidationReport;
  /** Optional city outline (GeoJSON geometry in WGS84) for map context. */
  outline: unknown | null;
}

/** Thrown in --strict mode at the first row error. */
export class StrictModeError extends Error {
  constructor(public issue: Issue) {
    super(`${issue.file}:${issue.line}: ${issue.column ? `${issue.column}: ` : ""}${issue.message} (--strict: Abbruch beim ersten Zeilenfehler)`);
  }
}

const CITY_WIDE = new Set(["stadtweit", "gesamtstadt", "city", "alle"]);

export interface Context {
  config: CityConfig;
  areaIds: Set<string>;
  leafAreas: Area[];
  leafIds: Set<string>;
  leafLevel: string;
  strict: boolean;
}

/** "0-3", "00-03", "0 bis unter 3", "3 – 6", "75+", "75 und älter" → "0-3", "3-6", "75+". */
export function normalizeAgeBand(raw: string): string | undefined {
  const text = raw.trim().toLowerCase();
  const range = /^0*(\d+)\s*(?:-|–|bis unter|bis|<)\s*<?\s*0*(\d+)(?:\s*jahre)?$/.exec(text);
  if (range) return `${Number(range[1])}-${Number(range[2])}`;
  const open = /^0*(\d+)\s*(?:\+|und älter|und mehr|u\. ä\.|und aelter)$/.exec(text);
  if (open) return `${Number(open[1])}+`;
  return undefined;
}

/** Per-file settings of the row check: decimal style per numeric column, markers, coordinate system. */
export interface RowCheckSettings {
  decimals: Map<string, DecimalStyle>;
  markers: readonly string[];
  /** kitas.csv: coordinate system of the x/y columns (detected from all rows) */
  utmColumns?: ReturnType<typeof detectCoordinateSystem>;
}

export interface RowProblem {
  column: string | null;
  code: string;
  message: string;
}

/**
 * Converts and checks one data row (everything except the duplicate-key rule, which needs
 * the rows before it). Shared by the in-memory validation below and the set-based loader
 * (loaders/load/), which sends only the rows it cannot accept by itself through here.
 */
export function checkRow(row: RawRow, spec: FileSpec, ctx: Context, settings: RowCheckSettings): {record: Record<string, Value>; problems: RowProblem[]; markers: CellMarker[]} {
  const {decimals, markers, utmColumns} = settings;
  const problems: RowProblem[] = [];
  const record: Record<string, Value> = {};
  const rowMarkers: CellMarker[] = [];
  for (const field of spec.fields) {
    const result = convertCell(field, row.cells[field.key], {decimal: decimals.get(field.key) ?? "comma", markers});
    if (!result.ok) problems.push({column: field.key, code: result.code, message: result.message});
    else {
      record[field.key] = result.value;
      if (result.marker !== undefined) rowMarkers.push({line: row.line, column: field.key, marker: result.marker});
    }
  }
  if (problems.length === 0) {
    const year = record.year;
    if (typeof year === "number" && (year > ctx.config.years.last || year < ctx.config.years.first - 20)) {
      problems.push({column: "year", code: "year_out_of_range", message: `Jahr ${year} liegt außerhalb des Berichtszeitraums ${ctx.config.years.first - 20}–${ctx.config.years.last} (city.json „years“)`});
    }
    for (const column of spec.areaColumns) {
      const id = record[column];
      if (typeof id === "string" && !ctx.areaIds.has(id)) problems.push({column, code: "unknown_area", message: `unbekannte Gebiets-Id „${id}“ – sie fehlt in den Gebieten (areas)`});
      else if (typeof id === "string" && spec.leafOnly && !ctx.leafIds.has(id)) {
        problems.push({column, code: "not_lowest_level", message: `Gebiet „${id}“ liegt nicht auf der untersten Ebene „${ctx.leafLevel}“ – Einzeldaten gehören zum kleinsten Gebiet, höhere Ebenen werden daraus summiert`});
      }
    }
    if (typeof record.age_band === "string") {
      const band = normalizeAgeBand(record.age_band);
      if (band === undefined) problems.push({column: "age_band", code: "invalid_value", message: `Altersgruppe „${record.age_band}“ nicht lesbar – erwartet z. B. 0-3, 3-6, 6-10, 10-15, 15-18 oder 75+`});
      else record.age_band = band;
    }
    if (spec.name === "measures.csv") {
      const list = (record.areas as string[]) ?? [];
      const cityWide = list.some((id) => CITY_WIDE.has(id.toLowerCase()));
      if (cityWide && list.length > 1) problems.push({column: "areas", code: "invalid_value", message: "„stadtweit“ kann nicht mit einzelnen Gebieten kombiniert werden"});
      for (const id of list) {
        if (!CITY_WIDE.has(id.toLowerCase()) && !ctx.areaIds.has(id)) problems.push({column: "areas", code: "unknown_area", message: `unbekannte Gebiets-Id „${id}“ in der Gebietsliste`});
      }
      record.city_wide = cityWide;
      if (cityWide) record.areas = [];
      const hasReach = record.reach !== null && record.reach !== undefined;
      if (hasReach && (record.target_group === null || record.reach_unit === null)) {
        problems.push({column: record.target_group === null ? "target_group" : "reach_unit", code: "missing_value", message: "eine Reichweite braucht Zielgruppe und Einheit (Personen oder Familien)"});
      }
    }
    if (spec.name === "kitas.csv") {
      const area = record.area_id;
      if (typeof area === "string" && !ctx.areaIds.has(area)) {
        problems.push({column: "area_id", code: "unknown_area", message: `unbekannte Gebiets-Id „${area}“`});
      } else if (typeof area === "string" && !ctx.leafIds.has(area)) {
        problems.push({column: "area_id", code: "not_lowest_level", message: `Gebiet „${area}“ liegt nicht auf der untersten Ebene „${ctx.leafLevel}“`});
      }
      let lonlat: [number, number] | null = null;
      if (typeof record.x === "number" && typeof record.y === "number") {
        lonlat = utmColumns === "utm32" ? utm32ToWgs84(stripZonePrefix(record.x), record.y) : [record.x, record.y];
        if (utmColumns === undefined) {
          problems.push({column: "x", code: "invalid_coordinates", message: "Koordinaten passen weder zu WGS84 noch zu UTM 32N"});
        }
      }
      record.lon = lonlat ? lonlat[0] : null;
      record.lat = lonlat ? lonlat[1] : null;
      record.area_assignment = typeof area === "string" ? "angegeben" : null;
      if (area === null && lonlat && problems.length === 0) {
        if (!ctx.leafAreas.some((a) => a.geometry)) {
          problems.push({column: "area_id", code: "no_location", message: "keine Gebiets-Id und die Stadt hat keine Gebietsgeometrie für eine Zuordnung über Koordinaten"});
        } else {
          const hit = ctx.leafAreas.find((a) => a.geometry && containsPoint(a.geometry, lonlat!));
          if (!hit) problems.push({column: "x", code: "outside_areas", message: `Koordinaten (${lonlat[0].toFixed(5)}, ${lonlat[1].toFixed(5)}) liegen in keinem Gebiet`});
          else {
            record.area_id = hit.area_id;
            record.area_assignment = "Koordinaten";
          }
        }
      }
    }
    const rule = spec.rowRule?.(record);
    if (rule) problems.push(rule);
  }
  return {record, problems, markers: rowMarkers};
}

/** `doppelter Schlüssel (…), zuerst in Zeile N` for a row whose key an earlier valid row has. */
export function duplicateKeyProblem(spec: FileSpec, record: Record<string, Value>, firstLine: number): RowProblem {
  return {column: spec.key.join("+"), code: "duplicate_key", message: `doppelter Schlüssel (${spec.key.map((k) => `${k}=${record[k] ?? ""}`).join(", ")}), zuerst in Zeile ${firstLine}`};
}

/** The quarantine entry of a rejected row: its first problem's column and code, all messages. */
export function quarantineRow(row: RawRow, problems: RowProblem[]): QuarantineRow {
  const first = problems[0]!;
  return {line: row.line, column: first.column, code: first.code, message: problems.map((p, i) => `${i > 0 && p.column ? `${p.column}: ` : ""}${p.message}`).join("; "), raw: row.values.join(" | ")};
}

/** Reader options of a contract file. */
export function readOptionsFor(spec: FileSpec, config: CityConfig): Partial<ReadOptions> {
  return {
    file: spec.name,
    columns: spec.fields.map((f) => ({key: f.key, aliases: f.aliases ?? [], required: f.required ?? false})),
    mapping: config.column_mappings[spec.name] ?? {},
    markers: config.markers
  };
}

export function validateFile(path: string, spec: FileSpec, ctx: Context, warnings: Issue[]): ValidatedFile {
  const markers = [...DEFAULT_MARKERS, ...ctx.config.markers];
  const table = readTableFile(path, readOptionsFor(spec, ctx.config));
  const decimals = new Map<string, DecimalStyle>();
  for (const field of spec.fields) {
    if (field.type === "integer" || field.type === "number") {
      decimals.set(field.key, detectDecimalStyle(table.rows.map((row) => row.cells[field.key] ?? "")));
    }
  }
  const records: RecordRow[] = [];
  const quarantine: QuarantineRow[] = [];
  const cellMarkers: CellMarker[] = [];
  const seenKeys = new Map<string, number>();
  const utmColumns = spec.name === "kitas.csv" ? detectCoordinateSystem(
    table.rows.flatMap((row) => {
      const x = Number(String(row.cells.x ?? "").replace(",", "."));
      const y = Number(String(row.cells.y ?? "").replace(",", "."));
      return Number.isFinite(x) && Number.isFinite(y) && row.cells.x && row.cells.y ? [[x, y]] : [];
    })
  ) : undefined;
  const settings: RowCheckSettings = {decimals, markers, utmColumns};

  for (const row of table.rows) {
    const {record, problems, markers: rowMarkers} = checkRow(row, spec, ctx, settings);
    if (problems.length === 0 && spec.key.length) {
      const key = spec.key.map((k) => String(record[k] ?? "")).join("\u0000");
      const first = seenKeys.get(key);
      if (first !== undefined) problems.push(duplicateKeyProblem(spec, record, first));
      else seenKeys.set(key, row.line);
    }
    if (problems.length) {
      if (ctx.strict) throw new StrictModeError({file: spec.name, line: row.line, column: problems[0]!.column, code: problems[0]!.code, message: problems[0]!.message});
      quarantine.push(quarantineRow(row, problems));
      continue;
    }
    records.push({...record, _line: row.line} as RecordRow);
    cellMarkers.push(...rowMarkers);
  }
  if (spec.totalColumns && table.totals.length) {
    for (const check of checkTotals(table, spec.totalColumns, {markers: ctx.config.markers})) {
      const message = formatTotalWarning(check).replace(`${check.file}:${check.line}: ${check.column}: `, "");
      warnings.push({file: spec.name, line: check.line, column: check.column, code: "total_mismatch", message});
    }
  }
  return {
    spec,
    records,
    markers: cellMarkers,
    quarantine,
    report: {
      file: spec.name,
      rows_read: table.rows.length,
      rows_loaded: records.length,
      rows_rejected: quarantine.length,
      total_rows: table.totals.length,
      encoding: table.encoding,
      delimiter: table.delimiter === "\t" ? "Tab" : table.delimiter
    }
  };
}

const euroFormat = new Intl.NumberFormat("de-DE", {style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 2});
const euroWhole = new Intl.NumberFormat("de-DE", {style: "currency", currency: "EUR", maximumFractionDigits: 0});
const euro = {format: (x: number): string => (Number.isInteger(x) ? euroWhole : euroFormat).format(x)};

/** Declared programme totals against the sum of their measures. */
export function checkProgrammeTotals(files: ValidatedFile[], warnings: Issue[]): void {
  const measures = files.find((f) => f.spec.name === "measures.csv");
  const totals = files.find((f) => f.spec.name === "programme_totals.csv");
  if (!totals) return;
  for (const declared of totals.records) {
    const items = (measures?.records ?? []).filter(
      (m) => m.year === declared.year && m.programme === declared.programme && m.status === declared.status
    );
    const sum = Math.round(items.reduce((s, m) => s + ((m.amount_eur as number | null) ?? 0), 0) * 100) / 100;
    const value = declared.declared_total_eur as number | null;
    if (value === null) continue;
    if (items.length === 0) {
      warnings.push({file: "programme_totals.csv", line: declared._line, column: "declared_total_eur", code: "total_without_items", message: `${declared.programme} ${declared.year} (${declared.status}): erklärte Summe ${euro.format(value)}, aber keine Maßnahmen in measures.csv`});
    } else if (Math.abs(sum - value) > 0.005) {
      warnings.push({
        file: "programme_totals.csv",
        line: declared._line,
        column: "declared_total_eur",
        code: "total_mismatch",
        message: `${declared.programme} ${declared.year} (${declared.status}): erklärte Summe ${euro.format(value)}, die ${items.length} Maßnahmen ergeben ${euro.format(sum)} (${euro.format(Math.round(Math.abs(sum - value) * 100) / 100)} ${sum < value ? "weniger" : "mehr"} als erklärt)`
      });
    }
  }
}

export interface ValidateOptions {
  strict?: boolean;
}

export interface OpenedCity {
  config: CityConfig;
  areasResult: AreasResult;
  ctx: Context;
  /** warnings so far (the areas'); file checks add theirs */
  warnings: Issue[];
}

/** city.json and the areas of a city folder, and the context every row check needs. */
export function openCity(cityDir: string, options: ValidateOptions = {}): OpenedCity {
  if (!existsSync(cityDir)) throw new IngestError(cityDir, "missing_file", `${cityDir}: Ordner nicht gefunden`);
  const config = readCityConfig(cityDir);
  const areasResult = readAreas(cityDir, config);
  if (options.strict && areasResult.errors.length) throw new StrictModeError(areasResult.errors[0]!);
  const maxRank = Math.max(...areasResult.areas.map((a) => a.level_rank));
  const ctx: Context = {
    config,
    areaIds: new Set(areasResult.areas.map((a) => a.area_id)),
    leafAreas: areasResult.areas.filter((a) => a.level_rank === maxRank),
    leafIds: new Set(areasResult.areas.filter((a) => a.level_rank === maxRank).map((a) => a.area_id)),
    leafLevel: config.levels[maxRank]?.id ?? "",
    strict: options.strict ?? false
  };
  return {config, areasResult, ctx, warnings: [...areasResult.warnings]};
}

/** The optional city outline (outline.geojson), or null. */
export function readOutline(cityDir: string): unknown {
  const outlinePath = join(cityDir, "outline.geojson");
  if (!existsSync(outlinePath)) return null;
  try {
    return JSON.parse(readFileSync(outlinePath, "utf8").replace(/^\uFEFF/, "")) as unknown;
  } catch (error) {
    throw new IngestError("outline.geojson", "unreadable", `outline.geojson: kein gültiges GeoJSON – ${(error as Error).message}`);
  }
}

/** Reads and validates everything in a city folder. Throws IngestError on structural problems. */
export function validateCity(cityDir: string, options: ValidateOptions = {}): ValidatedCity {
  const {config, areasResult, ctx, warnings} = openCity(cityDir, options);
  const files: ValidatedFile[] = [];
  for (const spec of CSV_FILES) {
    const path = join(cityDir, spec.name);
    if (!existsSync(path)) continue;
    files.push(validateFile(path, spec, ctx, warnings));
  }
  checkProgrammeTotals(files, warnings);
  const outline = readOutline(cityDir);
  const errors: Issue[] = [
    ...areasResult.errors,
    ...files.flatMap((f) => f.quarantine.map((q) => ({file: f.spec.name, line: q.line, column: q.column, code: q.code, message: q.message})))
  ];
  return {
    cityDir,
    config,
    areas: areasResult.areas,
    areasResult,
    files,
    outline,
    report: {city: config.name, files: [areasResult.report, ...files.map((f) => f.report)], errors, warnings}
  };
}
