/**
 * Funnel plot of a proportion (Spiegelhalter 2005; PHE/Fingertips funnel-plot guidance): each
 * area's rate against its denominator, with the control limits around the city value at 95 %
 * and 99,8 %. An area outside a limit differs from the city by more than chance explains at
 * that level; small areas scatter widely inside the funnel. Withheld areas and areas without
 * data are not drawn (a note says how many).
 *
 * The limits are the proportions at which an area's Wilson interval just reaches the city
 * value: p0 ± z·√(p0(1 − p0)/n), clamped to [0, 1] – the same formula as funnelLimits in
 * loaders/stats/compare.ts (test/components/funnelPlot.test.ts checks both agree).
 */
import * as Plot from "@observablehq/plot";
import * as d3 from "d3";
import {tooltipText} from "./describe.js";
import {html, resolveDocument} from "./dom.js";
import {formatNumber, formatValue, tickFormat} from "./format.js";
import {swatchLegend, type LegendItem} from "./legend.js";
import {ACCENT, REFERENCE_GREY} from "./palettes.js";
import {plot, chartWidth} from "./plot.js";
import {cellStatus} from "./status.js";
import type {IndicatorMeta, ValueRow} from "./types.js";

/** z of the 95 % and 99,8 % limits (two-sided). */
export const FUNNEL_Z = {z95: 1.959963984540054, z998: 3.090232306167813} as const;

/** Options of funnelPlot(). */
export interface FunnelPlotOptions {
  /** The indicator (a proportion). */
  meta: IndicatorMeta;
  /** The benchmark p0 (the city value); default the first city_rate in the rows. */
  cityRate?: number | null;
  /** Width in px; default 640. */
  width?: number;
  /** Height in px; default 360. */
  height?: number;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** The control limits at denominator n around p0 (null for n ≤ 0 or p0 outside [0, 1]). */
export function funnelLimit(n: number, p0: number, z: number): {lo: number; hi: number} | null {
  if (!(n > 0) || !(p0 >= 0 && p0 <= 1)) return null;
  const half = z * Math.sqrt((p0 * (1 - p0)) / n);
  return {lo: Math.max(0, p0 - half), hi: Math.min(1, p0 + half)};
}

/** Where a rate lies: "inside" the 95 % limits, outside 95 % ("out95") or outside 99,8 % ("out998"). */
export function funnelPosition(rate: number, n: number, p0: number): "inside" | "out95" | "out998" | null {
  const l95 = funnelLimit(n, p0, FUNNEL_Z.z95);
  const l998 = funnelLimit(n, p0, FUNNEL_Z.z998);
  if (!l95 || !l998) return null;
  if (rate < l998.lo || rate > l998.hi) return "out998";
  if (rate < l95.lo || rate > l95.hi) return "out95";
  return "inside";
}

const FILL = {inside: "#ffffff", out95: "#8fb3e0", out998: ACCENT} as const;

/** A funnel plot; returns <div class="cn-funnel"> (legend + svg + note). */
export function funnelPlot(rows: readonly ValueRow[], options: FunnelPlotOptions): HTMLDivElement {
  const document = resolveDocument(options.document);
  const {meta} = options;
  const width = chartWidth(options.width);
  const height = options.height ?? 360;
  const p0 = options.cityRate !== undefined ? options.cityRate : (rows.find((r) => r.city_rate != null)?.city_rate ?? null);
  const points = rows
    .filter((r) => cellStatus(r) === "value" && r.rate != null && r.denominator != null && r.denominator > 0)
    .map((r) => ({row: r, n: r.denominator as number, rate: r.rate as number, position: p0 == null ? null : funnelPosition(r.rate as number, r.denominator as number, p0)}));
  const left = rows.length - points.length;
  const maxN = d3.max(points, (p) => p.n) ?? 1;
  const minN = Math.max(1, Math.min(d3.min(points, (p) => p.n) ?? 1, maxN / 50));
  // the limit curves: 120 denominators spread evenly on the x axis
  const curve = p0 == null ? [] : d3.range(121).map((i) => minN + ((maxN * 1.05 - minN) * i) / 120).map((n) => ({
    n, lo95: funnelLimit(n, p0, FUNNEL_Z.z95)!.lo, hi95: funnelLimit(n, p0, FUNNEL_Z.z95)!.hi,
    lo998: funnelLimit(n, p0, FUNNEL_Z.z998)!.lo, hi998: funnelLimit(n, p0, FUNNEL_Z.z998)!.hi
  }));
  const yMax = Math.min(1, (d3.max([...points.map((p) => p.rate), ...curve.map((c) => c.hi998)]) ?? 0.1) * 1.05);
  const ticks = Math.max(2, Math.min(6, Math.floor((width - 80) / 80)));
  const marks: Plot.Markish[] = [
    Plot.gridY({strokeOpacity: 0.15}),
    ...(p0 == null ? [] : [
      Plot.line(curve, {x: "n", y: "lo998", stroke: "#4a4a4a", strokeDasharray: "2,3", className: "cn-limit998"}),
      Plot.line(curve, {x: "n", y: "hi998", stroke: "#4a4a4a", strokeDasharray: "2,3", className: "cn-limit998"}),
      Plot.line(curve, {x: "n", y: "lo95", stroke: "#4a4a4a", className: "cn-limit95"}),
      Plot.line(curve, {x: "n", y: "hi95", stroke: "#4a4a4a", className: "cn-limit95"}),
      Plot.ruleY([p0], {stroke: REFERENCE_GREY, strokeDasharray: "5,3", strokeWidth: 1.5, className: "cn-city"})
    ]),
    Plot.dot(points, {
      x: "n",
      y: "rate",
      r: 4.5,
      fill: (p: (typeof points)[number]) => FILL[p.position ?? "inside"],
      stroke: ACCENT,
      strokeWidth: 1.5,
      title: (p: (typeof points)[number]) => `${tooltipText(p.row.name, p.row, meta)}\nNenner: ${formatNumber(p.n)}`,
      className: "cn-dots"
    }),
    Plot.axisX({ticks, tickFormat: (n: number) => formatNumber(n), label: "Nenner (Größe des Gebiets)", labelAnchor: "right", labelArrow: "none"}),
    Plot.axisY({tickFormat: tickFormat(meta), label: `${meta.short_title} in %`, labelAnchor: "top", labelArrow: "none"})
  ];
  const chart = plot({
    document,
    width,
    height,
    marginLeft: 56,
    marginRight: 16,
    marginTop: 24,
    marginBottom: 40,
    x: {domain: [0, maxN * 1.05]},
    y: {domain: [0, yMax]},
    ariaLabel: `Trichterdiagramm: ${meta.short_title} nach Größe des Gebiets`,
    marks
  });
  const items: LegendItem[] = [
    {label: "innerhalb der 95-%-Grenzen", kind: "circle", fill: FILL.inside, stroke: ACCENT},
    {label: "außerhalb 95 %", kind: "circle", fill: FILL.out95, stroke: ACCENT},
    {label: "außerhalb 99,8 %", kind: "circle", fill: FILL.out998, stroke: ACCENT},
    {label: "Grenzen 95 %", kind: "line", stroke: "#4a4a4a"},
    {label: "Grenzen 99,8 %", kind: "line", stroke: "#4a4a4a", dash: "2,3"}
  ];
  if (p0 != null) items.push({label: `Stadt: ${formatValue(p0, meta)}`, kind: "line", stroke: REFERENCE_GREY, dash: "5,3"});
  const note = html(document, "p", {class: "small muted"},
    left > 0 ? `${formatNumber(left)} ${left === 1 ? "Gebiet ist" : "Gebiete sind"} nicht dargestellt (geheim oder ohne Daten).` : "");
  return html(document, "div", {class: "cn-funnel"}, swatchLegend(items, {document}), chart, note);
}
