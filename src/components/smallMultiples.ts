/**
 * Small multiples: one small line chart per area over the years, all with the same
 * y scale, the city value as a grey reference line. Suppressed years break the line
 * and carry a "×" (tooltip "2019: geheim (kleine Fallzahl)"); missing years only break
 * it – never a drop to 0.
 */
import * as Plot from "@observablehq/plot";
import {plot} from "./plot.js";
import * as d3 from "d3";
import {html, resolveDocument} from "./dom.js";
import {formatValue, formatYear, isEuro, tickFormat} from "./format.js";
import {swatchLegend, type LegendItem} from "./legend.js";
import {ACCENT, REFERENCE_GREY} from "./palettes.js";
import {yearRange, yearSeries, type SeriesPoint} from "./series.js";
import {MISSING_LABEL, SUPPRESSED_LABEL} from "./status.js";
import type {IndicatorMeta, ValueRow} from "./types.js";

/** Options of smallMultiples(). */
export interface SmallMultiplesOptions {
  /** The indicator (unit, titles). */
  meta: IndicatorMeta;
  /** The city's rows over the years (reference line); default the rows' city_rate. */
  cityRows?: readonly ValueRow[];
  /** Number of grid columns; default 3 (CSS grid; narrower screens scroll horizontally). */
  columns?: number;
  /** Width of one panel in px; default 210. */
  panelWidth?: number;
  /** Height of one panel in px; default 120. */
  panelHeight?: number;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** Short text of a series for the panel's aria-label: "Gebiet: 2017 10,0 % … 2024 12,5 %". */
function seriesSummary(name: string, series: readonly SeriesPoint[], meta: IndicatorMeta): string {
  const known = series.filter((p) => p.value != null);
  const first = known[0];
  const last = known[known.length - 1];
  if (!first || !last) return `${name}: keine veröffentlichten Werte`;
  const secret = series.filter((p) => p.status === "suppressed").map((p) => formatYear(p.year));
  return `${name}: ${formatYear(first.year)} ${formatValue(first.value, meta)}, ${formatYear(last.year)} ${formatValue(last.value, meta)}${secret.length ? `; geheim: ${secret.join(", ")}` : ""}`;
}

/** A grid of small line charts, one per area (in the order of first appearance). */
export function smallMultiples(rows: readonly ValueRow[], options: SmallMultiplesOptions): HTMLDivElement {
  const document = resolveDocument(options.document);
  const {meta, columns = 3, panelWidth = 210, panelHeight = 120} = options;
  const years = yearRange([...rows, ...(options.cityRows ?? [])]);
  const groups = d3.group(rows, (r) => r.area_id);
  const all = Array.from(groups, ([id, areaRows]) => ({id, name: areaRows[0]?.name ?? id, series: yearSeries(areaRows, years, options.cityRows)}));
  const max = d3.max(all.flatMap((a) => a.series.flatMap((p) => [p.value ?? 0, p.city ?? 0]))) ?? 0;
  const yDomain: [number, number] = [0, max > 0 ? max * 1.1 : isEuro(meta) ? 100 : 0.1];
  const first = years[0];
  const last = years[years.length - 1];
  const xTicks = first === undefined || last === undefined ? [] : first === last ? [first] : [first, last];

  const grid = html(document, "div", {
    class: "cn-small-multiples",
    "data-export-grid": columns,
    style: `display:grid;grid-template-columns:repeat(${columns}, minmax(${Math.min(panelWidth, 160)}px, 1fr));gap:0.75rem 1rem`
  });
  for (const area of all) {
    const points = area.series;
    const secret = points.filter((p) => p.status === "suppressed");
    const chart = plot({
      document,
      width: panelWidth,
      height: panelHeight,
      marginLeft: 40,
      marginRight: 18,
      marginTop: 8,
      marginBottom: 22,
      x: {domain: [first ?? 0, last ?? 1], ticks: xTicks, tickFormat: formatYear, label: null},
      y: {domain: yDomain, ticks: 3, tickFormat: tickFormat(meta), label: null, grid: true},
      ariaLabel: seriesSummary(area.name, points, meta),
      marks: [
        Plot.line(points, {x: "year", y: "city", stroke: REFERENCE_GREY, strokeWidth: 1.25, strokeDasharray: "4,2", className: "cn-city"}),
        Plot.line(points, {x: "year", y: "value", stroke: ACCENT, strokeWidth: 2, className: "cn-line"}),
        Plot.dot(points.filter((p) => p.value != null), {
          x: "year",
          y: "value",
          r: 2.5,
          fill: ACCENT,
          title: (p: SeriesPoint) => `${area.name} ${formatYear(p.year)}: ${formatValue(p.value, meta)}${p.city != null ? ` (Stadt: ${formatValue(p.city, meta)})` : ""}`,
          className: "cn-dots"
        }),
        Plot.text(secret, {
          x: "year",
          frameAnchor: "bottom",
          dy: -6,
          text: () => "×",
          fontSize: 14,
          fontWeight: "bold",
          fill: "#000000",
          title: (p: SeriesPoint) => `${formatYear(p.year)}: ${SUPPRESSED_LABEL}`,
          className: "cn-suppressed"
        })
      ]
    });
    grid.append(
      html(
        document,
        "div",
        {class: "cn-panel", "data-export-label": area.name},
        html(document, "p", {style: "margin:0;font-size:0.85rem;font-weight:600"}, area.name),
        chart
      )
    );
  }

  const items: LegendItem[] = [
    {label: meta.short_title, kind: "line", stroke: ACCENT},
    {label: "Stadt", kind: "line", stroke: REFERENCE_GREY, dash: "4,2"},
    {label: SUPPRESSED_LABEL, kind: "symbol", symbol: "×"},
    {label: `Lücke ohne ×: ${MISSING_LABEL}`, kind: "line", stroke: "#ffffff"}
  ];
  return html(document, "div", {class: "cn-small-multiples-wrap"}, swatchLegend(items, {document}), grid);
}
