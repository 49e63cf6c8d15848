/** Serialises query results as Arrow IPC (the format the pages read with apache-arrow). */
import {Bool, Dictionary, Float64, Int16, Int32, Int8, Table, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector} from "apache-arrow";
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

/**
 * Column types of a compact page file. All are exact for the values they hold: "f64" for
 * measured values, "i32"/"i16"/"i8" for counts, years and flags, "dict" for text that repeats
 * (area ids in a series, the flag "geheim"; indices as narrow as the number of texts allows),
 * "utf8" for other text.
 */
export type ArrowColumnType = "utf8" | "dict" | "f64" | "i32" | "i16" | "i8" | "bool";

function arrowType(type: ArrowColumnType, distinct: number): DataType {
  switch (type) {
    case "utf8":
      return new Utf8();
    case "dict":
      // the narrowest index type for the number of distinct texts
      return new Dictionary(new Utf8(), distinct <= 127 ? new Int8() : distinct <= 32767 ? new Int16() : new Int32());
    case "f64":
      return new Float64();
    case "i32":
      return new Int32();
    case "i16":
      return new Int16();
    case "i8":
      return new Int8();
    case "bool":
      return new Bool();
  }
}

/**
 * Arrow IPC stream bytes with explicit column types (in the order of `columns`). Integer
 * columns refuse values that are not integers of their range, so that no published number is
 * changed by the encoding.
 */
export function rowsToTypedArrowIPC(rows: readonly Row[], columns: Readonly<Record<string, ArrowColumnType>>): Uint8Array {
  const limits: Partial<Record<ArrowColumnType, number>> = {i8: 127, i16: 32767, i32: 2147483647};
  const vectors: Record<string, Vector> = {};
  for (const [column, type] of Object.entries(columns)) {
    const values = rows.map((row) => row[column] ?? null);
    const limit = limits[type];
    if (limit !== undefined) {
      for (const value of values) {
        if (value !== null && !(typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= limit)) {
          throw new TypeError(`Spalte „${column}“ (${type}) kann ${String(value)} nicht genau speichern`);
        }
      }
    }
    if (type === "f64") {
      for (const value of values) if (value !== null && typeof value !== "number") throw new TypeError(`Spalte „${column}“ erwartet Zahlen, erhalten: ${String(value)}`);
    }
    const prepared = type === "utf8" || type === "dict" ? values.map((value) => (value === null ? null : String(value))) : values;
    vectors[column] = vectorFromArray(prepared as never[], arrowType(type, type === "dict" ? new Set(prepared).size : 0));
  }
  return tableToIPC(new Table(vectors), "stream");
}
