/**
 * Paired horizontal bars per area: the current funding and the proposed (need-based)
 * funding in €, areas sorted by the proposal (largest first), amounts as text at the
 * bar ends.
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import * as d3 from "d3";
import {html, resolveDocument} from "./dom.js";
import {formatEuro, formatEuroCompact} from "./format.js";
import {swatchLegend} from "./legend.js";
import {ACCENT} from "./palettes.js";

/** One area with its current and proposed amount (€). */
export interface AllocationRow {
  area_id: string;
  name: string;
  current: number;
  proposed: number;
}

/** Options of allocationBars(). */
export interface AllocationBarsOptions {
  /** Label of the current amounts; default "bisher". */
  currentLabel?: string;
  /** Label of the proposed amounts; default "Vorschlag". */
  proposedLabel?: string;
  /** Width in px; default 640. */
  width?: number;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** Bar colour of the current amounts (grey, 3.4:1 on white). */
export const CURRENT_COLOR = "#8c8c8c";
/** Bar colour of the proposed amounts. */
export const PROPOSED_COLOR = ACCENT;

interface Bar {
  area_id: string;
  name: string;
  series: string;
  amount: number;
}

/** Paired bars current vs proposed; returns <div class="cn-allocation"> (legend + svg). */
export function allocationBars(rows: readonly AllocationRow[], options: AllocationBarsOptions = {}): HTMLDivElement {
  const document = resolveDocument(options.document);
  const {currentLabel = "bisher", proposedLabel = "Vorschlag"} = options;
  const width = chartWidth(options.width);
  const sorted = [...rows].sort((a, b) => b.proposed - a.proposed || new Intl.Collator("de-DE").compare(a.name, b.name));
  const bars: Bar[] = sorted.flatMap((r) => [
    {area_id: r.area_id, name: r.name, series: currentLabel, amount: r.current},
    {area_id: r.area_id, name: r.name, series: proposedLabel, amount: r.proposed}
  ]).filter((b) => Number.isFinite(b.amount));
  const names = new Map(sorted.map((r) => [r.area_id, r.name]));
  const longest = d3.max(sorted, (r) => r.name.length) ?? 10;
  const max = d3.max(bars, (b) => b.amount) ?? 0;
  const fill = (b: Bar) => (b.series === currentLabel ? CURRENT_COLOR : PROPOSED_COLOR);
  const chart = plot({
    document,
    width,
    height: 40 + sorted.length * 40,
    // margins shrink with the width so that narrow (phone) charts keep room for the bars
    marginLeft: Math.round(Math.min(240, Math.max(60, longest * 7.5 + 16), width * 0.4)),
    marginRight: Math.round(Math.min(80, width * 0.18)),
    marginTop: 8,
    marginBottom: 32,
    x: {domain: [0, max > 0 ? max : 1], nice: true, tickFormat: formatEuroCompact, ticks: 4, grid: true, label: "Fördermittel in €", labelAnchor: "right", labelArrow: "none"},
    y: {domain: [currentLabel, proposedLabel], axis: null, padding: 0.1},
    fy: {domain: sorted.map((r) => r.area_id), tickFormat: (id: string) => names.get(id) ?? id, label: null, padding: 0.2, axis: "left"},
    ariaLabel: `Verteilung der Fördermittel: ${currentLabel} und ${proposedLabel} je Gebiet`,
    marks: [
      Plot.barX(bars, {
        x: "amount",
        y: "series",
        fy: "area_id",
        fill,
        title: (b: Bar) => `${b.name}\n${b.series}: ${formatEuro(b.amount)}`,
        className: "cn-bars"
      }),
      Plot.text(bars, {x: "amount", y: "series", fy: "area_id", text: (b: Bar) => formatEuro(b.amount), dx: 4, textAnchor: "start", fontSize: 11, fill: "#000000", className: "cn-bar-labels"}),
      Plot.ruleX([0])
    ]
  });
  const legend = swatchLegend(
    [
      {label: currentLabel, fill: CURRENT_COLOR, stroke: CURRENT_COLOR},
      {label: proposedLabel, fill: PROPOSED_COLOR, stroke: PROPOSED_COLOR}
    ],
    {document}
  );
  return html(document, "div", {class: "cn-allocation"}, legend, chart);
}
