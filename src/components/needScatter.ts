/**
 * € per child against the need index, one dot per area: does the money go where
 * the need is? x = need index (z), y = € per child, dot colour = need class;
 * a horizontal rule marks the city-wide € per child.
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import {html, resolveDocument} from "./dom.js";
import {formatEuro, formatNumber} from "./format.js";
import {swatchLegend} from "./legend.js";
import {classColor, NEED_CLASSES, REFERENCE_GREY} from "./palettes.js";

export interface NeedScatterRow {
  area_id: string;
  name: string;
  need: number | null;
  need_class: number | null;
  per_child: number | null;
}

export interface NeedScatterOptions {
  /** City-wide € per child for the reference rule. */
  cityPerChild?: number | null;
  width?: number;
  document?: Document;
}

export function needScatter(rows: readonly NeedScatterRow[], options: NeedScatterOptions = {}): HTMLDivElement {
  const document = resolveDocument(options.document);
  const data = rows
    .filter((r) => r.need !== null && r.per_child !== null)
    .map((r) => ({...r, fill: classColor(NEED_CLASSES, r.need_class)?.color ?? "#bdbdbd", title: `${r.name}\nBedarfsindex z = ${formatNumber(r.need, 2)}\n${formatEuro(r.per_child)} je Kind`}));
  const city = options.cityPerChild ?? null;
  const chart = plot({
    document,
    width: chartWidth(options.width),
    height: 340,
    marginLeft: 70,
    marginRight: 40,
    insetLeft: 30,
    insetRight: 50,
    insetTop: 20,
    x: {label: "Bedarfsindex (z) → mehr Bedarf", grid: true, tickFormat: (v: number) => formatNumber(v, 1)},
    y: {label: "↑ € je Kind", grid: true, tickFormat: (v: number) => formatEuro(v)},
    marks: [
      ...(city === null ? [] : [Plot.ruleY([city], {stroke: REFERENCE_GREY, strokeDasharray: "4,3"}), Plot.text([city], {y: (d: number) => d, frameAnchor: "right", text: () => `Stadt: ${formatEuro(city)} je Kind`, dy: -6, fill: REFERENCE_GREY})]),
      Plot.dot(data, {x: "need", y: "per_child", r: 6, fill: "fill", stroke: "#333", title: "title"}),
      Plot.text(data.length <= 12 ? data : [], {x: "need", y: "per_child", text: "name", dy: -12, fontSize: 11})
    ]
  });
  const legend = swatchLegend(NEED_CLASSES.map((c) => ({label: c.label, fill: c.color, kind: "circle" as const, stroke: "#333"})), {title: "Bedarfsklasse", document});
  return html(document, "div", {class: "cn-scatter"}, legend, chart);
}
