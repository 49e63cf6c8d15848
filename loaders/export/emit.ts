/** Helpers for the Framework data loaders: open the site database, export, write to stdout. */
import {existsSync, readFileSync, renameSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {PROJECT_ROOT, selectedCity} from "../city.ts";
import {ensureSiteDatabase, openSiteDatabase} from "../pipeline.ts";
import {downloadTables, type DownloadTable} from "./downloads.ts";
import {rowsToArrowIPC} from "./arrow.ts";
import type {Row} from "../db.ts";

async function withDatabase<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const {conn, close} = await openSiteDatabase();
  try {
    return await fn(conn);
  } finally {
    close();
  }
}

export async function emitJson(fn: (conn: DuckDBConnection) => Promise<unknown>): Promise<void> {
  const value = await withDatabase(fn);
  process.stdout.write(JSON.stringify(value));
}

export async function emitArrow(fn: (conn: DuckDBConnection) => Promise<Row[]>, columns: string[]): Promise<void> {
  const rows = await withDatabase(fn);
  process.stdout.write(rowsToArrowIPC(rows, columns));
}

/**
 * All download tables of the selected city, computed once per database: the first
 * data loader writes them to var/<city>.downloads.json (atomically), the other
 * loaders – one per CSV and Parquet file – read that file instead of recomputing.
 */
export async function siteDownloadTables(): Promise<DownloadTable[]> {
  const city = selectedCity();
  const dbPath = await ensureSiteDatabase(city);
  const cache = join(PROJECT_ROOT, "var", `${city}.downloads.json`);
  if (existsSync(cache) && statSync(cache).mtimeMs >= statSync(dbPath).mtimeMs) {
    return JSON.parse(readFileSync(cache, "utf8")) as DownloadTable[];
  }
  const tables = await withDatabase(downloadTables);
  const tmp = `${cache}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(tables));
  renameSync(tmp, cache);
  return tables;
}
