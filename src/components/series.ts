/**
 * Year series of one area: every year of the range, with the value, the status and
 * the city value – so that lines break at suppressed and missing years instead of
 * connecting across them (or dropping to 0).
 */
import * as d3 from "d3";
import {cellStatus, type CellStatus} from "./status.js";
import type {ValueRow} from "./types.js";

/** One year of a series. */
export interface SeriesPoint {
  year: number;
  /** The value, or null for suppressed/missing years (a gap in the line). */
  value: number | null;
  ci_lo: number | null;
  ci_hi: number | null;
  status: CellStatus;
  city: number | null;
  row: ValueRow | undefined;
}

/** All years from the first to the last year in the rows (inclusive). */
export function yearRange(rows: Iterable<{year: number}>): number[] {
  const [min, max] = d3.extent(Array.from(rows), (r) => r.year);
  return min === undefined || max === undefined ? [] : d3.range(min, max + 1);
}

/**
 * The series of one area over `years`; the city value comes from `cityRows` (by year)
 * or else from the rows' city_rate.
 */
export function yearSeries(rows: readonly ValueRow[], years: readonly number[], cityRows?: readonly ValueRow[]): SeriesPoint[] {
  const byYear = new Map(rows.map((r) => [r.year, r]));
  const cityByYear = new Map((cityRows ?? []).filter((r) => cellStatus(r) === "value").map((r) => [r.year, r.rate]));
  return years.map((year) => {
    const row = byYear.get(year);
    const status = cellStatus(row);
    const value = status === "value" ? (row?.rate ?? null) : null;
    return {
      year,
      value,
      ci_lo: value == null ? null : (row?.ci_lo ?? null),
      ci_hi: value == null ? null : (row?.ci_hi ?? null),
      status,
      city: cityByYear.get(year) ?? row?.city_rate ?? null,
      row
    };
  });
}
