/**
 * Data shapes the pages pass to the chart components (as exported by the pipeline,
 * see loaders/export/ and docs/data-format.md).
 */
import type {MultiPolygon, Polygon} from "geojson";

/** One area (city, district, …) with its geometry or its tile position. */
export interface AreaRow {
  area_id: string;
  name: string;
  level: string;
  parent_id: string | null;
  /** WGS84, rings already oriented for d3 (clockwise exterior); null when the city has no geometry. */
  geometry: Polygon | MultiPolygon | null;
  /** Schematic tile map position (used when no geometry is available). */
  tile_row: number | null;
  tile_col: number | null;
}

/**
 * A withheld cell. Internally the pipeline distinguishes "primary" (small numbers) from
 * "secondary" (protects another cell); the published files say only "geheim".
 */
export type Suppression = "primary" | "secondary" | "geheim";

/** One indicator value of one area in one year. */
export interface ValueRow {
  year: number;
  area_id: string;
  name: string;
  level: string;
  indicator_id: string;
  numerator: number | null;
  denominator: number | null;
  /** Proportion 0..1, ratio (e.g. places per child, 0.45 = 45 %) or € (per_capita). */
  rate: number | null;
  ci_lo: number | null;
  ci_hi: number | null;
  city_rate: number | null;
  /** Difference to the city value in percentage points (100 · (rate − city_rate)). */
  diff_city: number | null;
  /** +1 significantly above the city value, −1 below, 0 not significant. */
  signif: -1 | 0 | 1 | null;
  /** The same comparison at 99,8 % (false discovery rate 0,2 %); absent in older files. */
  signif998?: -1 | 0 | 1 | null;
  /** Changes in percentage points. */
  change_1y: number | null;
  change_ky: number | null;
  suppressed: Suppression | null;
  synthetic: boolean;
}

/** Catalogue entry of an indicator. */
export interface IndicatorMeta {
  id: string;
  title: string;
  short_title: string;
  definition: string;
  unit: "%" | "€";
  kind: "proportion" | "ratio" | "per_capita";
  /** 1: a higher value means more need, −1: a lower value means more need, 0: neutral. */
  polarity: 1 | -1 | 0;
  source: string;
  /** Target value in the indicator's unit (e.g. 0.45 coverage target). */
  target?: number;
}

/** The part of the indicator metadata the formatters need. */
export type UnitMeta = Pick<IndicatorMeta, "unit"> & Partial<Pick<IndicatorMeta, "kind" | "polarity">>;
