/** Helpers for the Framework data loaders: open the site database, export, write to stdout. */
import type {DuckDBConnection} from "@duckdb/node-api";
import {openSiteDatabase} from "../pipeline.ts";
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
