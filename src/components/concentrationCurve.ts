/**
 * Concentration curve of funding over children: areas ordered by need, x = cumulative
 * share of children, y = cumulative share of funding, with the diagonal of equal
 * distribution ("Gleichverteilung") and the concentration index as text.
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import {html, resolveDocument} from "./dom.js";
import {formatNumber, formatPercent, NBSP} from "./format.js";
import {swatchLegend} from "./legend.js";
import {ACCENT, REFERENCE_GREY} from "./palettes.js";

/** One point of the curve (cumulative shares 0..1). */
export interface ConcentrationPoint {
  /** Cumulative share of children. */
  x: number;
  /** Cumulative share of funding. */
  y: number;
  /** Optional area name for the tooltip. */
  name?: string;
}

/** Options of concentrationCurve(). */
export interface ConcentrationCurveOptions {
  /** The concentration index (−1…1), shown as text; omitted when null/undefined. */
  index?: number | null;
  /** Axis label x; default "Kumulierter Anteil der Kinder (Gebiete nach Bedarf geordnet)". */
  xLabel?: string;
  /** Axis label y; default "Kumulierter Anteil der Fördermittel". */
  yLabel?: string;
  /** Width (and about the height) in px; default 420. */
  width?: number;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** "+0,23", "-0,05", "0,00". */
export function formatIndex(index: number): string {
  const text = formatNumber(index, 2);
  return index > 0 && !/^0,00$/.test(text) ? `+${text}` : text;
}

/** The curve with diagonal; returns <div class="cn-concentration"> (legend + svg). */
export function concentrationCurve(points: readonly ConcentrationPoint[], options: ConcentrationCurveOptions = {}): HTMLDivElement {
  const document = resolveDocument(options.document);
  const {index} = options;
  const width = chartWidth(options.width, 420);
  const sorted = [...points].filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x || a.y - b.y);
  const first = sorted[0];
  const curve = first && first.x === 0 && first.y === 0 ? sorted : [{x: 0, y: 0}, ...sorted];
  const percent = (v: number) => formatPercent(v, 0);
  const tip = (p: ConcentrationPoint) => `${p.name ? `${p.name}\n` : ""}Kinder: ${formatPercent(p.x)}\nFördermittel: ${formatPercent(p.y)}`;
  const chart = plot({
    document,
    width,
    height: width - 20,
    marginLeft: 56,
    marginBottom: 44,
    marginTop: 16,
    marginRight: 16,
    x: {domain: [0, 1], tickFormat: percent, label: options.xLabel ?? "Kumulierter Anteil der Kinder (Gebiete nach Bedarf geordnet)", labelAnchor: "center", labelArrow: "none"},
    y: {domain: [0, 1], tickFormat: percent, label: options.yLabel ?? "Kumulierter Anteil der Fördermittel", labelArrow: "none"},
    ariaLabel: `Konzentrationskurve${index != null ? `, Konzentrationsindex ${formatIndex(index)}` : ""}`,
    marks: [
      Plot.gridX({strokeOpacity: 0.12}),
      Plot.gridY({strokeOpacity: 0.12}),
      Plot.line([{x: 0, y: 0}, {x: 1, y: 1}], {x: "x", y: "y", stroke: REFERENCE_GREY, strokeDasharray: "5,3", className: "cn-diagonal"}),
      Plot.text([{x: 0.62, y: 0.62}], {x: "x", y: "y", text: () => "Gleichverteilung", rotate: -45, dy: -8, fill: "#4a4a4a", fontSize: 11, className: "cn-diagonal-label"}),
      Plot.line(curve, {x: "x", y: "y", stroke: ACCENT, strokeWidth: 2.5, className: "cn-curve"}),
      Plot.dot(sorted, {x: "x", y: "y", r: 3, fill: ACCENT, title: tip, className: "cn-points"}),
      index != null
        ? Plot.text([index], {frameAnchor: "top-left", dx: 8, dy: 8, textAnchor: "start", text: () => `Konzentrationsindex:${NBSP}${formatIndex(index)}`, fontSize: 12, fontWeight: "bold", className: "cn-index"})
        : null
    ]
  });
  const legend = swatchLegend(
    [
      {label: "Konzentrationskurve", kind: "line", stroke: ACCENT},
      {label: "Gleichverteilung", kind: "line", stroke: REFERENCE_GREY, dash: "5,3"}
    ],
    {document}
  );
  return html(document, "div", {class: "cn-concentration"}, legend, chart);
}
