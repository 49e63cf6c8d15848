/**
 * CSV reading and writing for the generator.
 *
 * Output convention of the embedded data: UTF-8 without BOM, `;` as delimiter,
 * LF line endings, a field is quoted only when it contains `;`, `"` or a line
 * break. Numbers are written without thousands separators and with a decimal
 * point only where a column is fractional (never in the embedded files).
 */
import Papa from "papaparse";

export type Cell = string | number | null | undefined;
export type Row = Record<string, Cell>;

function formatCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? formatNumber(value) : value;
  if (/[;"\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write non-finite number ${n}`);
  if (Number.isInteger(n)) return String(n);
  throw new Error(`embedded data holds integers only, got ${n}`);
}

/** Serialise rows with a fixed column order. */
export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => formatCell(c)).join(";")];
  for (const row of rows) lines.push(columns.map((c) => formatCell(row[c])).join(";"));
  return lines.join("\n") + "\n";
}

/** Parse a delimited text with a header line into string records. */
export function parseCsv(text: string, delimiter = ";"): Record<string, string>[] {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const result = Papa.parse<Record<string, string>>(clean, {
    header: true,
    delimiter,
    skipEmptyLines: true
  });
  if (result.errors.length > 0) {
    const first = result.errors[0];
    throw new Error(`CSV parse error: ${first?.message ?? "unknown"} (row ${first?.row ?? "?"})`);
  }
  return result.data;
}

/** Parse without header: array of string arrays. */
export function parseCsvRows(text: string, delimiter = ";"): string[][] {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const result = Papa.parse<string[]>(clean, {header: false, delimiter, skipEmptyLines: false});
  return result.data;
}
