/**
 * Writes a validated city into one DuckDB database file. The schema is
 * documented in docs/architecture.md. Loading is deterministic and idempotent:
 * the database is written to a temporary file and renamed, so the same inputs
 * always give the same tables, and a failed load never leaves half a database.
 */
import {createHash} from "node:crypto";
import {closeSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync} from "node:fs";
import {dirname, join} from "node:path";
import {DuckDBInstance, LIST, VARCHAR, listValue, type DuckDBConnection} from "@duckdb/node-api";
import type {Value} from "./contract/fields.ts";
import type {QuarantineRow, ValidatedCity, ValidatedFile} from "./validate.ts";
import type {Issue, ValidationReport} from "./report.ts";

type ColumnType = "VARCHAR" | "INTEGER" | "DOUBLE" | "BOOLEAN" | "VARCHAR[]";

export interface TableDef {
  name: string;
  columns: [string, ColumnType][];
}

export const TABLES: TableDef[] = [
  {name: "city", columns: [["city_id", "VARCHAR"], ["name", "VARCHAR"], ["ags", "VARCHAR"], ["config_json", "VARCHAR"], ["input_hash", "VARCHAR"], ["first_year", "INTEGER"], ["last_year", "INTEGER"]]},
  {name: "area_levels", columns: [["level", "VARCHAR"], ["level_rank", "INTEGER"], ["name", "VARCHAR"]]},
  {name: "areas", columns: [["area_id", "VARCHAR"], ["name", "VARCHAR"], ["level", "VARCHAR"], ["level_rank", "INTEGER"], ["parent_id", "VARCHAR"], ["geometry_json", "VARCHAR"], ["tile_row", "INTEGER"], ["tile_col", "INTEGER"], ["source", "VARCHAR"]]},
  {name: "outline", columns: [["geojson", "VARCHAR"]]},
  {name: "population", columns: [["year", "INTEGER"], ["area_id", "VARCHAR"], ["age_band", "VARCHAR"], ["count", "INTEGER"], ["source", "VARCHAR"], ["line", "INTEGER"]]},
  {
    name: "seu",
    columns: [
      ["year", "INTEGER"], ["area_id", "VARCHAR"], ["sex", "VARCHAR"], ["age_months", "INTEGER"],
      ["sopess_attention", "VARCHAR"], ["sopess_numbers", "VARCHAR"], ["sopess_visuomotor", "VARCHAR"], ["sopess_visual", "VARCHAR"],
      ["sopess_coordination", "VARCHAR"], ["sopess_language", "VARCHAR"], ["german_level", "VARCHAR"], ["bmi_category", "VARCHAR"],
      ["u8_documented", "BOOLEAN"], ["u9_documented", "BOOLEAN"], ["measles_doses", "INTEGER"], ["kita_years", "DOUBLE"],
      ["family_language_german", "BOOLEAN"], ["source", "VARCHAR"], ["line", "INTEGER"]
    ]
  },
  {
    name: "kitas",
    columns: [
      ["year", "INTEGER"], ["kita_id", "VARCHAR"], ["name", "VARCHAR"], ["provider_type", "VARCHAR"], ["area_id", "VARCHAR"], ["area_assignment", "VARCHAR"],
      ["lon", "DOUBLE"], ["lat", "DOUBLE"], ["places_u3", "INTEGER"], ["places_ue3", "INTEGER"], ["occupied_u3", "INTEGER"], ["occupied_ue3", "INTEGER"],
      ["familienzentrum", "BOOLEAN"], ["pluskita", "BOOLEAN"], ["source", "VARCHAR"], ["line", "INTEGER"]
    ]
  },
  {
    name: "measures",
    columns: [
      ["measure_id", "INTEGER"], ["year", "INTEGER"], ["programme", "VARCHAR"], ["measure", "VARCHAR"], ["provider", "VARCHAR"], ["amount_eur", "DOUBLE"],
      ["status", "VARCHAR"], ["handlungsfeld", "VARCHAR[]"], ["life_phases", "VARCHAR[]"], ["areas", "VARCHAR[]"], ["city_wide", "BOOLEAN"],
      ["target_group", "VARCHAR"], ["reach", "DOUBLE"], ["reach_unit", "VARCHAR"], ["source", "VARCHAR"], ["reach_source", "VARCHAR"], ["note", "VARCHAR"], ["line", "INTEGER"]
    ]
  },
  {name: "programme_totals", columns: [["year", "INTEGER"], ["programme", "VARCHAR"], ["status", "VARCHAR"], ["declared_total_eur", "DOUBLE"], ["source", "VARCHAR"], ["line", "INTEGER"]]},
  {name: "indicator_input", columns: [["year", "INTEGER"], ["area_id", "VARCHAR"], ["indicator_id", "VARCHAR"], ["numerator", "DOUBLE"], ["denominator", "DOUBLE"], ["source", "VARCHAR"], ["line", "INTEGER"]]},
  {name: "cell_markers", columns: [["file", "VARCHAR"], ["line", "INTEGER"], ["column_name", "VARCHAR"], ["marker", "VARCHAR"]]},
  {name: "quarantine", columns: [["file", "VARCHAR"], ["line", "INTEGER"], ["column_name", "VARCHAR"], ["code", "VARCHAR"], ["message", "VARCHAR"], ["raw", "VARCHAR"]]},
  {name: "load_report", columns: [["file", "VARCHAR"], ["rows_read", "INTEGER"], ["rows_loaded", "INTEGER"], ["rows_rejected", "INTEGER"], ["total_rows", "INTEGER"], ["encoding", "VARCHAR"], ["delimiter", "VARCHAR"]]},
  {name: "load_warnings", columns: [["file", "VARCHAR"], ["line", "INTEGER"], ["column_name", "VARCHAR"], ["code", "VARCHAR"], ["message", "VARCHAR"]]}
];

/** SHA-256 over the names and bytes of all files in the city folder: the data-version stamp. */
export function inputHash(cityDir: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(4 * 2 ** 20);
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else {
        // streamed in chunks: a city's school-entry file can be hundreds of MB
        hash.update(`${prefix}${name}\0`);
        const fd = openSync(path, "r");
        try {
          for (let read = readSync(fd, buffer, 0, buffer.length, null); read > 0; read = readSync(fd, buffer, 0, buffer.length, null)) hash.update(buffer.subarray(0, read));
        } finally {
          closeSync(fd);
        }
        hash.update("\0");
      }
    }
  };
  walk(cityDir, "");
  return hash.digest("hex");
}

export async function appendRows(conn: DuckDBConnection, table: TableDef, rows: Record<string, Value | undefined>[]): Promise<void> {
  const appender = await conn.createAppender(table.name);
  for (const row of rows) {
    for (const [column, type] of table.columns) {
      const value = row[column];
      if (value === null || value === undefined) {
        appender.appendNull();
        continue;
      }
      switch (type) {
        case "VARCHAR":
          appender.appendVarchar(String(value));
          break;
        case "INTEGER":
          appender.appendInteger(Number(value));
          break;
        case "DOUBLE":
          appender.appendDouble(Number(value));
          break;
        case "BOOLEAN":
          appender.appendBoolean(Boolean(value));
          break;
        case "VARCHAR[]":
          appender.appendList(listValue((value as string[]).map(String)), LIST(VARCHAR));
          break;
      }
    }
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

export function schemaSQL(): string {
  return TABLES.map((t) => `CREATE TABLE ${t.name} (${t.columns.map(([c, type]) => `${c} ${type}`).join(", ")});`).join("\n");
}

/** The tables that do not come from the CSV files: city, levels, areas, outline. */
export async function writeCityTables(conn: DuckDBConnection, city: Pick<ValidatedCity, "cityDir" | "config" | "areas" | "outline">): Promise<void> {
  const table = (name: string): TableDef => TABLES.find((t) => t.name === name)!;
  const {config} = city;
  await appendRows(conn, table("city"), [{
    city_id: config.id, name: config.name, ags: config.ags, config_json: JSON.stringify(config),
    input_hash: inputHash(city.cityDir), first_year: config.years.first, last_year: config.years.last
  }]);
  await appendRows(conn, table("area_levels"), config.levels.map((l, i) => ({level: l.id, level_rank: i, name: l.name})));
  const tiles = new Map((config.tiles ?? []).map((t) => [t.area_id, t]));
  await appendRows(conn, table("areas"), city.areas.map((a) => ({
    area_id: a.area_id, name: a.name, level: a.level, level_rank: a.level_rank, parent_id: a.parent_id,
    geometry_json: a.geometry ? JSON.stringify(a.geometry) : null,
    tile_row: tiles.get(a.area_id)?.row ?? null, tile_col: tiles.get(a.area_id)?.col ?? null, source: a.source
  })));
  if (city.outline) await appendRows(conn, table("outline"), [{geojson: JSON.stringify(city.outline)}]);
}

/** The valid rows and cell markers of a file validated in memory. */
export async function writeValidatedFile(conn: DuckDBConnection, file: ValidatedFile): Promise<void> {
  const table = (name: string): TableDef => TABLES.find((t) => t.name === name)!;
  const def = table(file.spec.table);
  const rows = file.records.map((r, i) => ({...r, line: r._line, ...(file.spec.table === "measures" ? {measure_id: i + 1} : {})}));
  await appendRows(conn, def, rows);
  await appendRows(conn, table("cell_markers"), file.markers.map((m) => ({file: file.spec.name, line: m.line, column_name: m.column, marker: m.marker})));
}

/** quarantine, load_report and load_warnings. */
export async function writeReportTables(conn: DuckDBConnection, areaErrors: Issue[], files: {file: string; quarantine: QuarantineRow[]}[], report: ValidationReport): Promise<void> {
  const table = (name: string): TableDef => TABLES.find((t) => t.name === name)!;
  const quarantine = [
    ...areaErrors.map((e) => ({file: e.file, line: e.line, column_name: e.column, code: e.code, message: e.message, raw: null})),
    ...files.flatMap((f) => f.quarantine.map((q) => ({file: f.file, line: q.line, column_name: q.column, code: q.code, message: q.message, raw: q.raw})))
  ];
  await appendRows(conn, table("quarantine"), quarantine);
  await appendRows(conn, table("load_report"), report.files.map((f) => ({...f})));
  await appendRows(conn, table("load_warnings"), report.warnings.map((w) => ({file: w.file, line: w.line, column_name: w.column, code: w.code, message: w.message})));
}

/** Writes all tables of a validated city into conn (which must be empty). */
export async function writeCity(conn: DuckDBConnection, city: ValidatedCity): Promise<void> {
  await conn.run(schemaSQL());
  await writeCityTables(conn, city);
  for (const file of city.files) await writeValidatedFile(conn, file);
  await writeReportTables(conn, city.areasResult.errors, city.files.map((f) => ({file: f.spec.name, quarantine: f.quarantine})), city.report);
}

/**
 * Creates a database file atomically: `fill` writes into a temporary file, which replaces
 * dbPath only when it succeeded.
 */
export async function writeDatabaseFile<T>(dbPath: string, fill: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  mkdirSync(dirname(dbPath), {recursive: true});
  const tmp = `${dbPath}.tmp-${process.pid}`;
  rmSync(tmp, {force: true});
  rmSync(`${tmp}.wal`, {force: true});
  // DuckDB's buffer pool is capped, so a state-scale build stays within about 1 GiB; larger
  // intermediate results spill to a temporary directory next to the database file. One thread
  // by default: the build runs many statements over a few hundred thousand rows, where worker
  // threads cost more CPU time than they save wall time (state scale: 23,5 → 21,4 CPU-s at
  // about the same wall time on 2 cores); CHANCENATLAS_DUCKDB_THREADS gives more.
  const instance = await DuckDBInstance.create(tmp, {
    memory_limit: process.env["CHANCENATLAS_DUCKDB_MEMORY"] ?? "512MB",
    threads: process.env["CHANCENATLAS_DUCKDB_THREADS"] ?? "1"
  });
  const conn = await instance.connect();
  let result: T;
  try {
    result = await fill(conn);
    await conn.run("CHECKPOINT");
  } catch (error) {
    conn.closeSync();
    instance.closeSync();
    rmSync(tmp, {force: true});
    rmSync(`${tmp}.wal`, {force: true});
    throw error;
  }
  conn.closeSync();
  instance.closeSync();
  rmSync(`${dbPath}.wal`, {force: true});
  renameSync(tmp, dbPath);
  return result;
}

/**
 * Builds the database file for a validated city (atomically replaces an existing file):
 * the input tables, then everything `extend` adds (the indicator computation).
 */
export async function buildDatabase(city: ValidatedCity, dbPath: string, extend?: (conn: DuckDBConnection) => Promise<void>): Promise<void> {
  await writeDatabaseFile(dbPath, async (conn) => {
    await writeCity(conn, city);
    if (extend) await extend(conn);
  });
}
