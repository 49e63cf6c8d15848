/**
 * Choropleth of one indicator (one year) by area: a Plot.geo map (Mercator, fitted to
 * the areas) when the areas have geometry (areas without geometry are then left out –
 * they remain in the data table), otherwise a schematic tile map (one square per area
 * on tile_row/tile_col, labelled with the area name; areas without a tile position go
 * to extra rows below). Pass the rows of one indicator and one year.
 *
 * Colours are binned (threshold classes, easier to read than a continuous ramp):
 * - mode "value": sequential YlGnBu on the value,
 * - mode "diff": diverging PuOr on the difference to the city value (Pp. or €), orange
 *   on the unfavourable side (by the indicator's polarity); areas whose interval
 *   excludes the city value get a thick black outline,
 * - mode "class": need classes 1–4 (or dynamics classes 1–3), taken from `rate`.
 * Suppressed areas are hatched and labelled "geheim", missing ones white with a dashed
 * outline and "keine Daten" – never 0, never a silent gap (on a geo map with more than
 * MAX_STATUS_LABELS areas the labels are left out; hatching, outline and tooltip remain). Every area has a tooltip
 * (SVG <title>) with name, value, interval, city value and difference.
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import * as d3 from "d3";
import type {Feature, FeatureCollection, Geometry, GeoJsonProperties} from "geojson";
import {diffOf, tooltipText} from "./describe.js";
import {html, resolveDocument} from "./dom.js";
import {formatPp, formatValue, isEuro} from "./format.js";
import {MISSING_ITEM, SUPPRESSED_ITEM, swatchLegend, thresholdItems, type LegendItem} from "./legend.js";
import {
  classColor,
  divergingColors,
  DYNAMICS_CLASSES,
  hatchMark,
  hatchPattern,
  MISSING_DASH,
  MISSING_FILL,
  MISSING_STROKE,
  NEED_CLASSES,
  sequentialColors,
  SUPPRESSED_BACKGROUND,
  SUPPRESSED_LINE,
  textColorFor,
  type ClassColor
} from "./palettes.js";
import {cellStatus, MISSING_LABEL, SUPPRESSED_SHORT, type CellStatus} from "./status.js";
import type {AreaRow, IndicatorMeta, ValueRow} from "./types.js";

export type MapMode = "value" | "diff" | "class";

/** A point symbol on the map (e.g. a Kita). */
export interface MapPoint {
  lon: number;
  lat: number;
  name: string;
}

/** Options of areaMap(). */
export interface AreaMapOptions {
  /** The areas to draw (one level); areas without a row are shown as "keine Daten". */
  areas: readonly AreaRow[];
  /** The indicator (unit, titles). In mode "class" only used for the tooltip title. */
  meta: IndicatorMeta;
  /** "value" (default), "diff" (difference to the city value) or "class" (need classes in `rate`). */
  mode?: MapMode;
  /** Class palette in mode "class": "need" (1–4, default) or "dynamics" (1–3). */
  classes?: "need" | "dynamics";
  /** Width in px; default 640. */
  width?: number;
  /** Extra outline drawn on top (e.g. the city boundary or the districts around Ortsteile). */
  outline?: Geometry | Feature | FeatureCollection | null;
  /** Point symbols drawn on top (geo maps only), e.g. Kitas. */
  points?: readonly MapPoint[];
  /** Legend label of the points; default "Standorte". */
  pointsLabel?: string;
  /** Names and values on the areas; default true for tile maps and for up to 12 areas. */
  labels?: boolean;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** One drawn area with its row, status, fill and texts. */
export interface MapDatum {
  area: AreaRow;
  row: ValueRow | undefined;
  status: CellStatus;
  fill: string;
  text: string;
  label: string;
  title: string;
  signif: boolean;
}

/** The fewest decimals (≤ 2) that show every value exactly in its unit. */
function exactDecimals(values: readonly number[], euro: boolean): number {
  let decimals = 0;
  for (const v of values) {
    const scaled = euro ? v : v * 100;
    let d = 0;
    while (d < 2 && Math.abs(Math.round(scaled * 10 ** d) - scaled * 10 ** d) > 1e-6) d++;
    decimals = Math.max(decimals, d);
  }
  return decimals;
}

/** Round thresholds strictly inside (min, max) for `count` classes or so. */
export function valueThresholds(values: readonly number[], count = 5): number[] {
  const [min, max] = d3.extent(values);
  if (min === undefined || max === undefined || !(max > min)) return [];
  return d3.ticks(min, max, count - 1).filter((t) => t > min && t < max);
}

/** Symmetric thresholds around 0 (neutral middle class within ±step) for differences. */
export function diffThresholds(values: readonly number[]): number[] {
  const m = d3.max(values, (v) => Math.abs(v)) ?? 0;
  const step = m > 0 ? d3.tickStep(0, m, 3) : 1;
  return [-2 * step, -step, step, 2 * step];
}

interface Scale {
  fill: (value: number | null) => string;
  legend: LegendItem[];
  title: string;
  palette?: readonly ClassColor[];
}

function buildScale(mode: MapMode, data: {row: ValueRow | undefined; status: CellStatus}[], options: AreaMapOptions): Scale {
  const {meta} = options;
  const euro = isEuro(meta);
  if (mode === "class") {
    const palette = options.classes === "dynamics" ? DYNAMICS_CLASSES : NEED_CLASSES;
    return {
      palette,
      fill: (v) => classColor(palette, v)?.color ?? MISSING_FILL,
      legend: palette.map((c) => ({label: c.label, fill: c.color, stroke: "#767676"})),
      title: options.classes === "dynamics" ? "Dynamikklasse (Veränderung des Bedarfs)" : "Bedarfsklasse"
    };
  }
  const values = data.flatMap((d) => {
    if (d.status !== "value" || !d.row) return [];
    const v = mode === "diff" ? diffOf(d.row, meta) : d.row.rate;
    return v == null ? [] : [v];
  });
  if (mode === "diff") {
    const thresholds = diffThresholds(values);
    // orange = unfavourable side: above the city for polarity 1, below it for polarity −1
    const colors = divergingColors(thresholds.length + 1);
    if (meta.polarity === -1) colors.reverse();
    const scale = d3.scaleThreshold<number, string>().domain(thresholds).range(colors);
    const decimals = Math.max(0, ...thresholds.map((t) => exactDecimals([t / (euro ? 1 : 100)], euro)));
    return {
      fill: (v) => (v == null ? MISSING_FILL : scale(v)),
      legend: thresholdItems(thresholds, colors, (t) => formatPp(t, meta, decimals)),
      title: `Abweichung vom Stadtwert ${euro ? "in €" : "in Prozentpunkten"}`
    };
  }
  const thresholds = valueThresholds(values);
  const colors = sequentialColors(thresholds.length + 1);
  const scale = d3.scaleThreshold<number, string>().domain(thresholds).range(colors);
  const decimals = exactDecimals(thresholds, euro);
  return {
    fill: (v) => (v == null ? MISSING_FILL : scale(v)),
    legend: thresholds.length ? thresholdItems(thresholds, colors, (t) => formatValue(t, meta, decimals)) : [{label: "alle Werte", fill: colors[0], stroke: "#767676"}],
    title: `${meta.short_title} ${euro ? "in €" : "in %"}`
  };
}

/** The drawn areas with fills and texts (exported for tests and for the page's table). */
export function mapData(rows: readonly ValueRow[], options: AreaMapOptions, hatch = "url(#cn-geheim)"): {data: MapDatum[]; scale: Scale} {
  const mode = options.mode ?? "value";
  const byArea = new Map(rows.map((r) => [r.area_id, r]));
  const base = options.areas.map((area) => {
    const row = byArea.get(area.area_id);
    return {area, row, status: cellStatus(row)};
  });
  const scale = buildScale(mode, base, options);
  const data = base.map(({area, row, status}): MapDatum => {
    let fill = MISSING_FILL;
    let label = MISSING_LABEL;
    let title: string;
    if (mode === "class") {
      const c = row && status === "value" ? classColor(scale.palette ?? NEED_CLASSES, row.rate) : undefined;
      const effective: CellStatus = status === "value" && !c ? "missing" : status;
      if (c) {
        fill = c.color;
        label = c.label;
      } else if (effective === "suppressed") label = SUPPRESSED_SHORT;
      title = c ? `${area.name}\n${scale.title}: ${c.label}` : tooltipText(area.name, effective === "suppressed" ? row : undefined, options.meta);
      return {area, row, status: effective, fill: effective === "suppressed" ? hatch : fill, text: textColorFor(fill), label, title, signif: false};
    }
    title = tooltipText(area.name, row, options.meta);
    if (status === "value" && row) {
      const v = mode === "diff" ? diffOf(row, options.meta) : row.rate;
      fill = scale.fill(v);
      label = mode === "diff" ? formatPp(v, options.meta) : formatValue(v, options.meta);
    } else if (status === "suppressed") {
      label = SUPPRESSED_SHORT;
      fill = hatch;
    }
    const signif = mode === "diff" && status === "value" && (row?.signif === 1 || row?.signif === -1);
    return {area, row, status, fill, text: status === "value" ? textColorFor(fill) : "#000000", label, title, signif};
  });
  return {data, scale};
}

type AreaFeature = Feature<Geometry, GeoJsonProperties> & {datum: MapDatum};

/** A drawn tile with its grid position. */
export type TileDatum = MapDatum & {tileRow: number; tileCol: number};

/**
 * Tile positions: tile_row/tile_col where given; areas without a position are placed
 * in extra rows below (so no area silently disappears from a tile map).
 */
export function tilePositions(data: readonly MapDatum[]): TileDatum[] {
  const placed = data.filter((d) => d.area.tile_row != null && d.area.tile_col != null);
  const unplaced = data.filter((d) => d.area.tile_row == null || d.area.tile_col == null);
  const result: TileDatum[] = placed.map((d) => ({...d, tileRow: d.area.tile_row as number, tileCol: d.area.tile_col as number}));
  if (unplaced.length) {
    const minCol = d3.min(result, (d) => d.tileCol) ?? 0;
    const maxCol = d3.max(result, (d) => d.tileCol) ?? minCol;
    const columns = result.length ? maxCol - minCol + 1 : Math.ceil(Math.sqrt(unplaced.length));
    const firstRow = result.length ? (d3.max(result, (d) => d.tileRow) ?? 0) + 1 : 0;
    unplaced.forEach((d, i) => result.push({...d, tileRow: firstRow + Math.floor(i / columns), tileCol: minCol + (i % columns)}));
  }
  return result;
}

/**
 * More areas than this without geometry and without a tile position give no map (a grid of
 * thousands of unplaced tiles shows nothing and makes the page slow); see areaMap.
 */
export const MAX_UNPLACED_TILES = 60;

/** Geo maps with more areas than this label no area with its status text ("geheim", "keine Daten"). */
export const MAX_STATUS_LABELS = 200;

/**
 * Geo maps with more areas than this are projected once per set of areas and width: switching
 * the indicator then only colours the areas again (projecting thousands of outlines each time
 * would make the comparison page slow).
 */
export const PROJECT_ONCE_AREAS = 300;

interface Projected {
  height: number;
  /** area_id → outline in pixels */
  geometry: Map<string, Geometry>;
  outline: Geometry | Feature | FeatureCollection | null;
  point: (lon: number, lat: number) => [number, number] | null;
}

const projectedCache = new WeakMap<readonly AreaRow[], Map<number, {outline: AreaMapOptions["outline"]; projected: Projected}>>();

/** A geometry in pixel coordinates: the projection's stream (clipped and resampled) collected into a MultiPolygon or MultiLineString. */
function projectGeometry(object: Parameters<typeof d3.geoStream>[0], projection: d3.GeoProjection): Geometry {
  const polygons: number[][][][] = [];
  const lines: number[][][] = [];
  let polygon: number[][][] | null = null;
  let ring: number[][] = [];
  const sink = {
    point(x: number, y: number) {
      ring.push([x, y]);
    },
    lineStart() {
      ring = [];
    },
    lineEnd() {
      if (polygon) {
        if (ring.length) polygon.push([...ring, ring[0]!]);
      } else if (ring.length) lines.push(ring);
    },
    polygonStart() {
      polygon = [];
    },
    polygonEnd() {
      if (polygon?.length) polygons.push(polygon);
      polygon = null;
    },
    sphere() {}
  };
  d3.geoStream(object, projection.stream(sink as unknown as d3.GeoStream));
  return polygons.length ? {type: "MultiPolygon", coordinates: polygons} : {type: "MultiLineString", coordinates: lines};
}

function projectOnce(areas: readonly AreaRow[], width: number, outline: AreaMapOptions["outline"]): Projected {
  let byWidth = projectedCache.get(areas);
  if (!byWidth) projectedCache.set(areas, (byWidth = new Map()));
  const cached = byWidth.get(width);
  if (cached && cached.outline === outline) return cached.projected;
  const collection: FeatureCollection = {type: "FeatureCollection", features: areas.filter((a) => a.geometry).map((a) => ({type: "Feature", properties: {}, geometry: a.geometry as Geometry}))};
  const projection = d3.geoMercator().fitWidth(width, collection);
  const [, [, bottom]] = d3.geoPath(projection).bounds(collection);
  const geometry = new Map(areas.filter((a) => a.geometry).map((a) => [a.area_id, projectGeometry(a.geometry as Geometry, projection)]));
  const result: Projected = {
    height: Math.max(1, Math.ceil(bottom)),
    geometry,
    outline: outline ? projectGeometry(outline as Parameters<typeof d3.geoStream>[0], projection) : null,
    point: (lon, lat) => projection([lon, lat])
  };
  byWidth.set(width, {outline, projected: result});
  return result;
}

/**
 * A choropleth (geo) or tile map with legend; returns a <div class="cn-map">. When more than
 * MAX_UNPLACED_TILES areas have neither geometry nor a tile position, the map is replaced by a
 * note (class cn-map-none) that points to the ranking and the table.
 */
export function areaMap(rows: readonly ValueRow[], options: AreaMapOptions): HTMLDivElement {
  const document = resolveDocument(options.document);
  const mode = options.mode ?? "value";
  const width = chartWidth(options.width);
  const geo = options.areas.filter((a) => a.geometry != null);
  const unplaced = options.areas.filter((a) => a.geometry == null && (a.tile_row == null || a.tile_col == null));
  if (!geo.length && unplaced.length > MAX_UNPLACED_TILES) {
    return html(
      document,
      "div",
      {class: "cn-map cn-map-none", "data-mode": mode},
      html(document, "p", {class: "note", role: "note"}, `Keine Karte: Für ${unplaced.length.toLocaleString("de-DE")} Gebiete dieser Ebene gibt es weder Umrisse noch eine Kachelposition. Die Werte stehen in den Diagrammen und Tabellen dieser Seite.`)
    );
  }
  const pattern = hatchPattern(document);
  const {data, scale} = mapData(rows, options, pattern.fill);

  const useGeo = geo.length > 0;
  const showLabels = options.labels ?? (!useGeo || data.length <= 12);
  const halo = (d: MapDatum) => (d.status === "suppressed" ? SUPPRESSED_BACKGROUND : d.status === "missing" ? MISSING_FILL : d.fill);
  const labelText = (d: MapDatum) => (showLabels ? `${d.area.name}\n${d.label}` : d.label);
  const ariaLabel = `Karte: ${options.meta.short_title}${mode === "diff" ? ", Abweichung vom Stadtwert" : mode === "class" ? `, ${scale.title}` : ""}`;

  let chart: SVGSVGElement | HTMLElement;
  if (useGeo) {
    // a large map: outlines, outline of the city and points projected once (cached), drawn as they are
    const once = geo.length > PROJECT_ONCE_AREAS ? projectOnce(options.areas, width, options.outline) : null;
    const features: AreaFeature[] = data
      .filter((d) => d.area.geometry != null)
      .map((d) => ({type: "Feature", id: d.area.area_id, properties: {name: d.area.name}, geometry: (once?.geometry.get(d.area.area_id) ?? d.area.geometry) as Geometry, datum: d}));
    const collection: FeatureCollection = {type: "FeatureCollection", features};
    const of = (status: CellStatus) => features.filter((f) => f.datum.status === status);
    const title = (f: AreaFeature) => f.datum.title;
    const marks: Plot.Markish[] = [
      hatchMark(pattern),
      Plot.geo(of("value"), {fill: (f: AreaFeature) => f.datum.fill, stroke: "#ffffff", strokeWidth: 1, title, className: "cn-areas"}),
      Plot.geo(of("suppressed"), {fill: pattern.fill, stroke: SUPPRESSED_LINE, strokeWidth: 0.75, title, className: "cn-suppressed"}),
      Plot.geo(of("missing"), {fill: MISSING_FILL, stroke: MISSING_STROKE, strokeDasharray: MISSING_DASH, title, className: "cn-missing"})
    ];
    if (mode === "diff") marks.push(Plot.geo(features.filter((f) => f.datum.signif), {fill: "none", stroke: "#000000", strokeWidth: 2.5, className: "cn-signif", ariaHidden: "true"}));
    if (options.outline) marks.push(Plot.geo(once ? once.outline! : options.outline, {fill: "none", stroke: "#333333", strokeWidth: 1.5, className: "cn-outline", ariaHidden: "true"}));
    // status labels (so suppressed/missing never depend on colour alone), names and values when showLabels;
    // with hundreds of areas the labels would overlap: the hatching, the dashed outline, the legend and the tooltips carry the status
    const labelled = showLabels ? features : features.length > MAX_STATUS_LABELS ? [] : features.filter((f) => f.datum.status !== "value");
    marks.push(
      Plot.text(
        labelled,
        Plot.centroid({
          text: (f: AreaFeature) => labelText(f.datum),
          fill: (f: AreaFeature) => f.datum.text,
          stroke: (f: AreaFeature) => halo(f.datum),
          strokeWidth: 3,
          paintOrder: "stroke",
          fontSize: 11,
          lineWidth: 9,
          title,
          className: "cn-labels"
        })
      )
    );
    if (options.points?.length) {
      const points = once ? options.points.map((p) => ({...p, xy: once.point(p.lon, p.lat)})).filter((p) => p.xy) : options.points;
      const at = (axis: 0 | 1) => (once ? (p: {xy: [number, number]}) => p.xy[axis] : axis === 0 ? "lon" : "lat");
      marks.push(Plot.dot(points, {x: at(0), y: at(1), r: 3, fill: "#000000", stroke: "#ffffff", strokeWidth: 1, title: "name", className: "cn-points"}));
    }
    chart = once
      ? plot({document, width, height: once.height, margin: 0, projection: {type: "identity"}, ariaLabel, marks})
      : plot({document, width, projection: {type: "mercator", domain: collection}, ariaLabel, marks});
  } else {
    const tiles = tilePositions(data);
    const cols = tiles.map((d) => d.tileCol);
    const rowsIdx = tiles.map((d) => d.tileRow);
    const colDomain = cols.length ? d3.range(d3.min(cols) ?? 0, (d3.max(cols) ?? 0) + 1) : [0];
    const rowDomain = rowsIdx.length ? d3.range(d3.min(rowsIdx) ?? 0, (d3.max(rowsIdx) ?? 0) + 1) : [0];
    const size = Math.max(48, Math.min(130, Math.floor(width / colDomain.length)));
    const x = (d: TileDatum) => d.tileCol;
    const y = (d: TileDatum) => d.tileRow;
    const of = (status: CellStatus) => tiles.filter((d) => d.status === status);
    const title = (d: TileDatum) => d.title;
    const marks: Plot.Markish[] = [
      hatchMark(pattern),
      Plot.cell(of("value"), {x, y, fill: (d: TileDatum) => d.fill, inset: 1.5, title, className: "cn-areas"}),
      Plot.cell(of("suppressed"), {x, y, fill: pattern.fill, stroke: SUPPRESSED_LINE, strokeWidth: 0.75, inset: 2, title, className: "cn-suppressed"}),
      Plot.cell(of("missing"), {x, y, fill: MISSING_FILL, stroke: MISSING_STROKE, strokeDasharray: MISSING_DASH, inset: 2, title, className: "cn-missing"})
    ];
    if (mode === "diff") marks.push(Plot.cell(tiles.filter((d) => d.signif), {x, y, fill: "none", stroke: "#000000", strokeWidth: 2.5, inset: 2.5, className: "cn-signif", ariaHidden: "true"}));
    marks.push(
      Plot.text(tiles, {
        x,
        y,
        text: labelText,
        fill: (d: TileDatum) => d.text,
        stroke: halo,
        strokeWidth: 3,
        paintOrder: "stroke",
        fontSize: 12,
        lineWidth: (size - 10) / 12,
        title,
        className: "cn-labels"
      })
    );
    chart = plot({
      document,
      width: size * colDomain.length,
      height: size * rowDomain.length,
      margin: 0,
      x: {type: "band", domain: colDomain, axis: null, padding: 0},
      y: {type: "band", domain: rowDomain, axis: null, padding: 0},
      ariaLabel,
      marks
    });
  }

  const statuses = new Set(data.map((d) => d.status));
  const items: LegendItem[] = [...scale.legend];
  if (mode === "diff" && data.some((d) => d.signif)) items.push({label: "dicke Umrandung: statistisch gesichert abweichend", kind: "rect", fill: "#ffffff", stroke: "#000000", strokeWidth: 2.5});
  if (statuses.has("suppressed")) items.push(SUPPRESSED_ITEM);
  if (statuses.has("missing")) items.push(MISSING_ITEM);
  if (useGeo && options.points?.length) items.push({label: options.pointsLabel ?? "Standorte", kind: "circle", fill: "#000000", stroke: "#ffffff"});
  const legend = swatchLegend(items, {title: scale.title, document});
  return html(document, "div", {class: "cn-map", "data-mode": mode}, legend, chart);
}
