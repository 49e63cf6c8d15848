/** Helpers for the Framework data loaders: open the site database, export, write to stdout. */
import {existsSync, readFileSync, renameSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {PROJECT_ROOT, selectedCity} from "../city.ts";
import {ensureSiteDatabase, openSiteDatabase} from "../pipeline.ts";
import {downloadTables, type DownloadTable} from "./downloads.ts";
import {rowsToArrowIPC} from "./arrow.ts";
import type {Row} from "../db.ts";
import {assertPublishable, loadGate} from "../publish/gate.ts";

/** The published file a Framework data loader writes: its script name without ".ts". */
function outputName(): string {
  const script = process.argv[1] ?? "unbekannt";
  return script.replace(/^.*[\\/]/, "").replace(/\.(ts|js)$/, "");
}

async function withDatabase<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const {conn, close} = await openSiteDatabase();
  try {
    return await fn(conn);
  } finally {
    close();
  }
}

/** Writes a JSON page file after the publish gate has checked every number in it. */
export async function emitJson(fn: (conn: DuckDBConnection) => Promise<unknown>): Promise<void> {
  const text = await withDatabase(async (conn) => {
    // serialised once; the gate checks exactly what is written
    const json = JSON.stringify(await fn(conn));
    assertPublishable(outputName(), JSON.parse(json), await loadGate(conn));
    return json;
  });
  process.stdout.write(text);
}

/** Writes an Arrow page file after the publish gate has checked every number in it. */
export async function emitArrow(fn: (conn: DuckDBConnection) => Promise<Row[]>, columns: string[]): Promise<void> {
  const rows = await withDatabase(async (conn) => {
    const result = await fn(conn);
    assertPublishable(outputName(), result, await loadGate(conn));
    return result;
  });
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
  const tables = await withDatabase(async (conn) => {
    const result = await downloadTables(conn);
    const gate = await loadGate(conn);
    for (const table of result) {
      const indicator = /^indikator_(.+)$/.exec(table.id)?.[1];
      assertPublishable(`downloads/${table.id}`, table.rows, gate, indicator ? {indicator} : {});
    }
    return result;
  });
  const tmp = `${cache}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(tables));
  renameSync(tmp, cache);
  return tables;
}
