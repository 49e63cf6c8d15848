/**
 * German texts for one value row: the value or its status, the comparison with the
 * city value and the tooltip text shared by map, ranking and tables.
 */
import {differenceOf, formatInterval, formatPp, formatValue, formatYear} from "./format.js";
import {cellStatus, MISSING_LABEL, SUPPRESSED_LABEL, SUPPRESSED_SHORT} from "./status.js";
import type {UnitMeta, ValueRow} from "./types.js";

/** Text marker for values significantly above the city value. */
export const ABOVE_MARKER = "▲ über Stadtwert";
/** Text marker for values significantly below the city value. */
export const BELOW_MARKER = "▼ unter Stadtwert";

/** The part of a value row the texts need. */
export type RowLike = Pick<ValueRow, "rate" | "suppressed"> & Partial<Pick<ValueRow, "ci_lo" | "ci_hi" | "city_rate" | "diff_city" | "signif" | "year">>;

/** The value, "geheim" or "keine Daten". */
export function valueText(row: RowLike | null | undefined, meta: UnitMeta): string {
  const status = cellStatus(row);
  if (status === "suppressed") return SUPPRESSED_SHORT;
  if (status === "missing" || !row) return MISSING_LABEL;
  return formatValue(row.rate, meta);
}

/** The difference to the city value in display units (Pp. or €), from rate and city_rate or diff_city. */
export function diffOf(row: RowLike | null | undefined, meta: UnitMeta): number | null {
  if (!row || cellStatus(row) !== "value") return null;
  return differenceOf(row.rate, row.city_rate, meta) ?? row.diff_city ?? null;
}

/** "signifikant über dem Stadtwert", "… unter …", "kein gesicherter Unterschied zum Stadtwert", or null. */
export function signifText(signif: number | null | undefined): string | null {
  if (signif === 1) return "statistisch gesichert über dem Stadtwert";
  if (signif === -1) return "statistisch gesichert unter dem Stadtwert";
  if (signif === 0) return "kein gesicherter Unterschied zum Stadtwert";
  return null;
}

/** Multi-line tooltip: name, value with interval, city value, difference and significance. */
export function tooltipText(name: string, row: RowLike | null | undefined, meta: UnitMeta): string {
  const status = cellStatus(row);
  const head = row?.year != null ? `${name} (${formatYear(row.year)})` : name;
  if (status === "suppressed") return `${head}\n${SUPPRESSED_LABEL}`;
  if (status === "missing" || !row) return `${head}\n${MISSING_LABEL}`;
  const lines = [head, `Wert: ${formatValue(row.rate, meta)}`];
  if (row.ci_lo != null && row.ci_hi != null) lines.push(`95-%-Intervall: ${formatInterval(row.ci_lo, row.ci_hi, meta)}`);
  if (row.city_rate != null) lines.push(`Stadt: ${formatValue(row.city_rate, meta)}`);
  const diff = diffOf(row, meta);
  if (diff != null) lines.push(`Abweichung: ${formatPp(diff, meta)}`);
  const signif = signifText(row.signif);
  // with a direction of need the difference is also read: "ungünstiger" or "günstiger"
  const reading = (row.signif === 1 || row.signif === -1) && (meta.polarity === 1 || meta.polarity === -1)
    ? (row.signif * meta.polarity > 0 ? " – ungünstiger" : " – günstiger")
    : "";
  if (signif) lines.push(signif + reading);
  return lines.join("\n");
}
