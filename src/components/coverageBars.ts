/**
 * Kita coverage per area against the target: a horizontal bar per area (coverage,
 * places per child), a vertical rule at the target ("Ziel: 45,0 %"), and the number
 * of missing places as text. Areas below the target are drawn in the accent colour.
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import {html, resolveDocument} from "./dom.js";
import {formatNumber, formatPercent} from "./format.js";
import {swatchLegend} from "./legend.js";
import {REFERENCE_GREY} from "./palettes.js";
import {SUPPRESSED_SHORT} from "./status.js";
import type {IndicatorMeta} from "./types.js";

export interface CoverageRow {
  area_id: string;
  name: string;
  coverage: number | null;
  missing: number | null;
  suppressed: boolean;
}

export interface CoverageBarsOptions {
  meta: IndicatorMeta;
  /** Target coverage (places per child), e.g. 0.45. */
  target?: number;
  width?: number;
  document?: Document;
}

const BELOW = "#b35806";
const ABOVE = "#8073ac";

export function coverageBars(rows: readonly CoverageRow[], options: CoverageBarsOptions): HTMLDivElement {
  const document = resolveDocument(options.document);
  const target = options.target ?? options.meta.target ?? null;
  const data = [...rows].sort((a, b) => (a.coverage ?? Infinity) - (b.coverage ?? Infinity)).map((r) => ({
    ...r,
    fill: target !== null && r.coverage !== null && r.coverage < target ? BELOW : ABOVE,
    text: r.suppressed ? SUPPRESSED_SHORT : r.coverage === null ? "keine Daten" : `${formatPercent(r.coverage)}${r.missing ? ` · ${formatNumber(r.missing)} fehlen` : ""}`,
    title: `${r.name}\nVersorgungsquote: ${formatPercent(r.coverage)}\nfehlende Plätze: ${r.missing === null ? "–" : formatNumber(r.missing)}`
  }));
  const max = Math.max(target ?? 0, ...data.map((d) => d.coverage ?? 0)) * 1.05 || 1;
  const width = chartWidth(options.width);
  // narrow screens: shorter margins, values only in the tooltips and the data table
  const narrow = width < 640;
  const chart = plot({
    document,
    width,
    height: 26 * data.length + 50,
    marginLeft: Math.round(Math.min(190, width * 0.4)),
    marginRight: narrow ? 12 : 170,
    x: {domain: [0, max], label: "Plätze je Kind →", tickFormat: (v: number) => formatPercent(v, 0), grid: true},
    y: {domain: data.map((d) => d.name), label: null},
    marks: [
      Plot.barX(data.filter((d) => d.coverage !== null), {y: "name", x: "coverage", fill: "fill", title: "title"}),
      ...(target === null ? [] : [Plot.ruleX([target], {stroke: REFERENCE_GREY, strokeDasharray: "4,3", strokeWidth: 2}), Plot.text([target], {x: (d: number) => d, frameAnchor: "top", text: () => `Ziel: ${formatPercent(target)}`, dy: -4, fill: REFERENCE_GREY})]),
      ...(narrow ? [] : [Plot.text(data, {y: "name", x: max, text: "text", textAnchor: "start", dx: 8, title: "title"})])
    ]
  });
  const legend = swatchLegend([{label: "unter der Zielquote", fill: BELOW}, {label: "Zielquote erreicht", fill: ABOVE}, {label: "Zielquote", kind: "line", stroke: REFERENCE_GREY, dash: "4,3"}], {title: "Versorgungsquote", document});
  return html(document, "div", {class: "cn-coverage"}, legend, chart);
}
