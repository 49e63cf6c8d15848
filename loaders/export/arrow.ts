/** Serialises query results as Arrow IPC (the format the pages read with apache-arrow). */
import {Bool, Float64, Table, Utf8, tableToIPC, vectorFromArray, type Vector} from "apache-arrow";
import type {Row} from "../db.ts";

/**
 * Builds an Arrow table column by column. Columns whose values are all numbers
 * (or null) become Float64, all booleans Bool, everything else Utf8; column order follows `columns`.
 */
export function rowsToArrowTable(rows: Row[], columns: string[]): Table {
  const vectors: Record<string, Vector> = {};
  for (const column of columns) {
    const values = rows.map((row) => row[column] ?? null);
    const all = (type: string): boolean => values.every((value) => value === null || typeof value === type);
    vectors[column] = all("number")
      ? vectorFromArray(values as (number | null)[], new Float64())
      : all("boolean")
        ? vectorFromArray(values as (boolean | null)[], new Bool())
        : vectorFromArray(values.map((value) => (value === null ? null : String(value))), new Utf8());
  }
  return new Table(vectors);
}

/** Arrow IPC stream bytes for rows. */
export function rowsToArrowIPC(rows: Row[], columns: string[]): Uint8Array {
  return tableToIPC(rowsToArrowTable(rows, columns), "stream");
}
