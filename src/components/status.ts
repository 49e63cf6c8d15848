/**
 * The three states of a cell: a value, suppressed (small numbers, shown hatched and
 * labelled "geheim"), or missing (no row or no value, shown as "keine Daten").
 */

/** Legend text for suppressed cells. */
export const SUPPRESSED_LABEL = "geheim (kleine Fallzahl)";
/** Short in-chart label for suppressed cells. */
export const SUPPRESSED_SHORT = "geheim";
/** Label for missing cells (no row, or no value without suppression). */
export const MISSING_LABEL = "keine Daten";

export type CellStatus = "value" | "suppressed" | "missing";

/** The status of a row; undefined/null rows are missing. A suppressed row wins over any value. */
export function cellStatus(row: {rate: number | null; suppressed?: string | null} | null | undefined): CellStatus {
  if (row == null) return "missing";
  if (row.suppressed != null) return "suppressed";
  return row.rate == null || !Number.isFinite(row.rate) ? "missing" : "value";
}

/** German text of a status for tooltips and tables ("geheim (kleine Fallzahl)", "keine Daten"), or null for values. */
export function statusText(status: CellStatus): string | null {
  return status === "suppressed" ? SUPPRESSED_LABEL : status === "missing" ? MISSING_LABEL : null;
}
