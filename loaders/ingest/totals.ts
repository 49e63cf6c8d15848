/**
 * Comparing total rows ("Summe", "Gesamt", …) with the sum of their items.
 */
import type {RawRow, RawTable} from "./csv.ts";
import {detectDecimalStyle, parseNumber, type DecimalStyle} from "./numbers.ts";

export interface TotalCheck {
  file: string;
  /** line of the total row */
  line: number;
  column: string;
  declared: number;
  sumOfItems: number;
  /** declared − sumOfItems */
  difference: number;
  /** extension: unit shown in messages ("€" for amount columns), if known */
  unit?: string;
}

export interface CheckTotalsOptions {
  /** decimal style for all columns; default: detected per column from all its values */
  decimal?: DecimalStyle;
  /** allowed |declared − sum|; default 0.005 */
  tolerance?: number;
  /** items of a total row are all data rows with the same value in this column (instead of the rows since the previous total) */
  groupBy?: string;
  /** extension: additional markers (e.g. "-9999") */
  markers?: readonly string[];
  /** extension: unit per column for messages; columns named like *_eur / betrag default to "€" */
  units?: Record<string, string>;
}

const EURO_COLUMN = /(?:^|_)(?:eur|euro|betrag)(?:_|$)/;

function round(x: number): number {
  return Number(x.toFixed(9));
}

/**
 * One entry per (total row, column) whose declared value differs from the sum of its items by more than the
 * tolerance. Items: the data rows between the previous total row and this one (by line), or with `groupBy` all
 * data rows with the same value in that column. Cells that are empty, markers or unreadable are not summed; a
 * total whose own cell is not a number, or whose items contain no number at all, is not checked.
 */
export function checkTotals(table: RawTable, numericColumns: string[], options: CheckTotalsOptions = {}): TotalCheck[] {
  const tolerance = options.tolerance ?? 0.005;
  const markerOption = options.markers ? {markers: options.markers} : {};
  const styles = new Map<string, DecimalStyle>();
  for (const column of numericColumns) {
    styles.set(
      column,
      options.decimal ?? detectDecimalStyle([...table.rows, ...table.totals].map((r) => r.cells[column] ?? ""))
    );
  }
  const value = (row: RawRow, column: string): number | undefined => {
    const cell = parseNumber(row.cells[column] ?? "", {decimal: styles.get(column) ?? "comma", ...markerOption});
    return cell.kind === "number" ? cell.value : undefined;
  };

  const rows = [...table.rows].sort((a, b) => a.line - b.line);
  const totals = [...table.totals].sort((a, b) => a.line - b.line);
  const checks: TotalCheck[] = [];
  let previousLine = 0;
  for (const total of totals) {
    let items: RawRow[];
    if (options.groupBy !== undefined) {
      const group = options.groupBy;
      const key = total.cells[group] ?? "";
      items = rows.filter((r) => (r.cells[group] ?? "") === key);
    } else {
      const from = previousLine;
      items = rows.filter((r) => r.line > from && r.line < total.line);
    }
    previousLine = total.line;
    for (const column of numericColumns) {
      const declared = value(total, column);
      if (declared === undefined) continue;
      const numbers = items.map((r) => value(r, column)).filter((v): v is number => v !== undefined);
      if (numbers.length === 0) continue;
      const sumOfItems = round(numbers.reduce((a, b) => a + b, 0));
      const difference = round(declared - sumOfItems);
      if (Math.abs(difference) <= tolerance) continue;
      const unit = options.units?.[column] ?? (EURO_COLUMN.test(column) ? "€" : undefined);
      const check: TotalCheck = {file: table.file, line: total.line, column, declared, sumOfItems, difference};
      if (unit !== undefined) check.unit = unit;
      checks.push(check);
    }
  }
  return checks;
}

const deNumber = new Intl.NumberFormat("de-DE", {maximumFractionDigits: 2});

/** German warning, e.g. "measures.csv:14: amount_eur: Summenzeile nennt 398.400 €, die Einzelposten ergeben 398.450 € (Differenz 50 €)". */
export function formatTotalWarning(c: TotalCheck): string {
  const unit = c.unit ?? (EURO_COLUMN.test(c.column) ? "€" : undefined);
  const fmt = (x: number): string => deNumber.format(x) + (unit ? ` ${unit}` : "");
  return (
    `${c.file}:${c.line}: ${c.column}: Summenzeile nennt ${fmt(c.declared)}, ` +
    `die Einzelposten ergeben ${fmt(c.sumOfItems)} (Differenz ${fmt(Math.abs(c.difference))})`
  );
}
