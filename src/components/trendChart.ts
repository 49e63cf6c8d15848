/**
 * Trend of one area over the years against the city, with the 95 % interval as a
 * band, direct labels at the line ends (no colour-only legend), an optional target
 * rule ("Ziel: 45 %"), "×" for suppressed years and gaps for missing years.
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import * as d3 from "d3";
import {html, resolveDocument} from "./dom.js";
import {formatValue, formatYear, isEuro, tickFormat} from "./format.js";
import {swatchLegend, type LegendItem} from "./legend.js";
import {ACCENT, GAP_STROKE, REFERENCE_GREY} from "./palettes.js";
import {yearRange, yearSeries, type SeriesPoint} from "./series.js";
import {SUPPRESSED_LABEL} from "./status.js";
import type {IndicatorMeta, ValueRow} from "./types.js";

/** Options of trendChart(). */
export interface TrendChartOptions {
  /** The indicator (unit, titles, default target). */
  meta: IndicatorMeta;
  /** The city's rows (reference line); default the rows' city_rate. */
  cityRows?: readonly ValueRow[];
  /** Target value in the indicator's unit (e.g. 0.45); default meta.target; null for none. */
  target?: number | null;
  /** Line label of the area; default the rows' name. */
  areaName?: string;
  /** Draws the 95 % interval band; default true. */
  showInterval?: boolean;
  /** Width in px; default 640. */
  width?: number;
  /** Height in px; default 300. */
  height?: number;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** A line chart of one area vs the city; returns <div class="cn-trend"> (legend + svg). */
export function trendChart(rows: readonly ValueRow[], options: TrendChartOptions): HTMLDivElement {
  const document = resolveDocument(options.document);
  const {meta, height = 300, showInterval = true} = options;
  const width = chartWidth(options.width);
  const target = options.target !== undefined ? options.target : (meta.target ?? null);
  const years = yearRange([...rows, ...(options.cityRows ?? [])]);
  const points = yearSeries(rows, years, options.cityRows);
  const areaName = options.areaName ?? rows[0]?.name ?? "Gebiet";
  const known = points.filter((p) => p.value != null);
  const cityKnown = points.filter((p) => p.city != null);
  const secret = points.filter((p) => p.status === "suppressed");
  const max = d3.max([...points.flatMap((p) => [p.value ?? 0, p.ci_hi ?? 0, p.city ?? 0]), target ?? 0]) ?? 0;
  const yDomain: [number, number] = [0, max > 0 ? max * 1.1 : isEuro(meta) ? 100 : 0.1];
  const lastArea = known[known.length - 1];
  const lastCity = cityKnown[cityKnown.length - 1];
  const targetLabel = target != null ? `Ziel: ${formatValue(target, meta)}` : "";
  const longest = Math.max(areaName.length, 5);

  const marks: Plot.Markish[] = [
    Plot.gridY({ticks: 5, strokeOpacity: 0.15}),
    showInterval ? Plot.areaY(points, {x: "year", y1: "ci_lo", y2: "ci_hi", fill: ACCENT, fillOpacity: 0.15, className: "cn-interval", ariaHidden: "true"}) : null,
    target != null ? Plot.ruleY([target], {stroke: GAP_STROKE, strokeDasharray: "6,3", strokeWidth: 1.5, className: "cn-target"}) : null,
    target != null ? Plot.text([target], {y: (d: number) => d, frameAnchor: "left", dy: -7, dx: 4, textAnchor: "start", text: () => targetLabel, fill: "#8a2c0a", fontSize: 11, className: "cn-target-label"}) : null,
    Plot.line(points, {x: "year", y: "city", stroke: REFERENCE_GREY, strokeWidth: 1.5, strokeDasharray: "5,3", className: "cn-city"}),
    Plot.line(points, {x: "year", y: "value", stroke: ACCENT, strokeWidth: 2.5, className: "cn-line"}),
    Plot.dot(known, {
      x: "year",
      y: "value",
      r: 3.5,
      fill: ACCENT,
      title: (p: SeriesPoint) => `${areaName} ${formatYear(p.year)}: ${formatValue(p.value, meta)}${p.city != null ? `\nStadt: ${formatValue(p.city, meta)}` : ""}`,
      className: "cn-dots"
    }),
    Plot.text(secret, {x: "year", frameAnchor: "bottom", dy: -8, text: () => "×", fontSize: 16, fontWeight: "bold", fill: "#000000", title: (p: SeriesPoint) => `${formatYear(p.year)}: ${SUPPRESSED_LABEL}`, className: "cn-suppressed"}),
    lastArea ? Plot.text([lastArea], {x: "year", y: "value", text: () => areaName, dx: 8, textAnchor: "start", fill: ACCENT, fontWeight: "bold", fontSize: 11, className: "cn-end-label"}) : null,
    lastCity ? Plot.text([lastCity], {x: "year", y: "city", text: () => "Stadt", dx: 8, textAnchor: "start", fill: "#4a4a4a", fontSize: 11, className: "cn-end-label"}) : null
  ];

  const chart = plot({
    document,
    width,
    height,
    marginLeft: 52,
    marginRight: Math.min(180, 20 + longest * 7.5),
    marginTop: 16,
    x: {domain: [years[0] ?? 0, years[years.length - 1] ?? 1], ticks: years.length <= 12 ? years : 8, tickFormat: formatYear, label: null},
    y: {domain: yDomain, ticks: 5, tickFormat: tickFormat(meta), label: `${meta.short_title} ${isEuro(meta) ? "in €" : "in %"}`},
    ariaLabel: `Zeitverlauf ${meta.short_title}: ${areaName} und Stadt`,
    marks
  });

  const items: LegendItem[] = [
    {label: areaName, kind: "line", stroke: ACCENT},
    {label: "Stadt", kind: "line", stroke: REFERENCE_GREY, dash: "5,3"}
  ];
  if (showInterval && points.some((p) => p.ci_lo != null)) items.push({label: "95-%-Intervall", kind: "rect", fill: "#d2deed", stroke: "#d2deed"});
  if (target != null) items.push({label: targetLabel, kind: "line", stroke: GAP_STROKE, dash: "6,3"});
  if (secret.length) items.push({label: SUPPRESSED_LABEL, kind: "symbol", symbol: "×"});
  return html(document, "div", {class: "cn-trend"}, swatchLegend(items, {document}), chart);
}
