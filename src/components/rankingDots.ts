/**
 * Ranking of the areas by value: one row per area, a dot with its 95 % (Wilson)
 * interval as a whisker, a dashed vertical rule for the city value ("Stadt: 12,5 %").
 * Dots are filled when the published comparison finds a certain difference (signif: the area
 * against the rest of the city, Benjamini–Hochberg; docs/methods.md §3) and hollow otherwise; a ▲/▼ marker (tooltip "▲ über Stadtwert") repeats
 * that without relying on colour. Suppressed areas are listed at the bottom with the
 * text "geheim" and no dot; areas without data follow with "keine Daten".
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import * as d3 from "d3";
import {ABOVE_MARKER, BELOW_MARKER, tooltipText} from "./describe.js";
import {html, resolveDocument} from "./dom.js";
import {formatValue, isEuro, tickFormat} from "./format.js";
import {swatchLegend, type LegendItem} from "./legend.js";
import {ACCENT, REFERENCE_GREY} from "./palettes.js";
import {cellStatus, MISSING_LABEL, SUPPRESSED_SHORT} from "./status.js";
import type {IndicatorMeta, ValueRow} from "./types.js";

/** Options of rankingDots(). */
export interface RankingDotsOptions {
  /** The indicator (unit, titles). */
  meta: IndicatorMeta;
  /** City value for the reference rule; default the first city_rate in the rows. */
  cityRate?: number | null;
  /** Width in px; default 640. */
  width?: number;
  /** "descending" (highest value first, default) or "ascending". */
  order?: "descending" | "ascending";
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** The rows in display order: values sorted, then suppressed, then missing (each by name). */
export function rankingOrder(rows: readonly ValueRow[], order: "descending" | "ascending" = "descending"): ValueRow[] {
  const collator = new Intl.Collator("de-DE");
  const byName = (a: ValueRow, b: ValueRow) => collator.compare(a.name, b.name);
  const values = rows.filter((r) => cellStatus(r) === "value");
  const sign = order === "descending" ? -1 : 1;
  values.sort((a, b) => sign * ((a.rate as number) - (b.rate as number)) || byName(a, b));
  return [...values, ...rows.filter((r) => cellStatus(r) === "suppressed").sort(byName), ...rows.filter((r) => cellStatus(r) === "missing").sort(byName)];
}

/** A dot ranking with intervals and city rule; returns <div class="cn-ranking"> (legend + svg). */
export function rankingDots(rows: readonly ValueRow[], options: RankingDotsOptions): HTMLDivElement {
  const document = resolveDocument(options.document);
  const {meta} = options;
  const width = chartWidth(options.width);
  const ordered = rankingOrder(rows, options.order);
  const cityRate = options.cityRate !== undefined ? options.cityRate : (rows.find((r) => r.city_rate != null)?.city_rate ?? null);
  const values = ordered.filter((r) => cellStatus(r) === "value");
  const suppressed = ordered.filter((r) => cellStatus(r) === "suppressed");
  const missing = ordered.filter((r) => cellStatus(r) === "missing");
  const withInterval = values.filter((r) => r.ci_lo != null && r.ci_hi != null);
  const significant = values.filter((r) => r.signif === 1 || r.signif === -1);
  const names = new Map(ordered.map((r) => [r.area_id, r.name]));

  const max = d3.max([...values.flatMap((r) => [r.rate ?? 0, r.ci_hi ?? 0]), cityRate ?? 0]) ?? 0;
  const xDomain: [number, number] = [0, max > 0 ? max * 1.08 : isEuro(meta) ? 100 : 0.1];
  const longest = d3.max(ordered, (r) => r.name.length) ?? 10;
  const marginLeft = Math.round(Math.min(240, Math.max(60, longest * 7.5 + 16)));
  // about one tick per 70 px of the value axis (a phone leaves little room beside the names)
  const ticks = Math.max(2, Math.min(5, Math.floor((width - marginLeft - 32) / 70)));
  const y = (r: ValueRow) => r.area_id;
  const title = (r: ValueRow) => tooltipText(r.name, r, meta);
  const cityLabel = `Stadt: ${formatValue(cityRate, meta)}`;

  const marks: Plot.Markish[] = [
    Plot.ruleY(withInterval, {y, x1: "ci_lo", x2: "ci_hi", stroke: "#4a4a4a", strokeWidth: 1.5, className: "cn-intervals", ariaHidden: "true"}),
    cityRate != null ? Plot.ruleX([cityRate], {stroke: REFERENCE_GREY, strokeDasharray: "5,3", strokeWidth: 1.5, className: "cn-city"}) : null,
    cityRate != null ? Plot.text([cityRate], {x: (d: number) => d, frameAnchor: "top", dy: -14, text: () => cityLabel, fill: "#333333", fontSize: 11, className: "cn-city-label"}) : null,
    Plot.dot(values, {
      x: "rate",
      y,
      r: 5,
      fill: (r: ValueRow) => (r.signif === 1 || r.signif === -1 ? ACCENT : "#ffffff"),
      stroke: ACCENT,
      strokeWidth: 1.75,
      title,
      className: "cn-dots"
    }),
    Plot.text(significant, {
      x: (r: ValueRow) => r.ci_hi ?? r.rate,
      y,
      text: (r: ValueRow) => (r.signif === 1 ? "▲" : "▼"),
      dx: 10,
      textAnchor: "start",
      fontSize: 11,
      fill: "#000000",
      title: (r: ValueRow) => (r.signif === 1 ? ABOVE_MARKER : BELOW_MARKER),
      className: "cn-markers"
    }),
    Plot.text(suppressed, {x: () => xDomain[0], y, text: () => SUPPRESSED_SHORT, textAnchor: "start", dx: 4, fill: "#4a4a4a", fontStyle: "italic", title, className: "cn-suppressed"}),
    Plot.text(missing, {x: () => xDomain[0], y, text: () => MISSING_LABEL, textAnchor: "start", dx: 4, fill: "#4a4a4a", title, className: "cn-missing"}),
    Plot.axisY({tickSize: 0, tickFormat: (id: string) => names.get(id) ?? id, fontSize: 11}),
    Plot.axisX({tickFormat: tickFormat(meta), ticks, label: `${meta.short_title} ${isEuro(meta) ? "in €" : "in %"}`, labelAnchor: "right", labelArrow: "none"}),
    Plot.gridX({ticks, strokeOpacity: 0.15})
  ];

  const chart = plot({
    document,
    width,
    height: 28 + 36 + Math.max(1, ordered.length) * 26,
    marginTop: 28,
    marginBottom: 36,
    marginLeft,
    marginRight: 32,
    x: {domain: xDomain},
    y: {type: "band", domain: ordered.map(y), padding: 0.2},
    ariaLabel: `Rangfolge: ${meta.short_title}`,
    marks
  });

  const items: LegendItem[] = [
    {label: "gefüllt: statistisch gesichert vom Stadtwert abweichend (geprüft gegen die übrige Stadt, korrigiert für viele Vergleiche)", kind: "circle", fill: ACCENT, stroke: ACCENT},
    {label: "hohl: kein gesicherter Unterschied", kind: "circle", fill: "#ffffff", stroke: ACCENT}
  ];
  if (withInterval.length) items.push({label: "Linie: 95-%-Intervall", kind: "line", stroke: "#4a4a4a"});
  if (cityRate != null) items.push({label: cityLabel, kind: "line", stroke: REFERENCE_GREY, dash: "5,3"});
  // with a direction of need the legend also reads the difference
  const reading = (sign: 1 | -1): string => (meta.polarity === 1 || meta.polarity === -1 ? (sign * meta.polarity > 0 ? " (ungünstiger)" : " (günstiger)") : "");
  if (significant.some((r) => r.signif === 1)) items.push({label: `über Stadtwert${reading(1)}`, kind: "symbol", symbol: "▲"});
  if (significant.some((r) => r.signif === -1)) items.push({label: `unter Stadtwert${reading(-1)}`, kind: "symbol", symbol: "▼"});
  return html(document, "div", {class: "cn-ranking"}, swatchLegend(items, {document}), chart);
}
