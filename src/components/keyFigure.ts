/**
 * A key figure card: label, value, the change since the previous year as text
 * ("+1,2 Pp. gegenüber Vorjahr") and a tiny sparkline. The card is a labelled group
 * whose aria-label says all of it; the sparkline itself is decorative (aria-hidden)
 * and summarised in that label.
 */
import * as Plot from "@observablehq/plot";
import {plot} from "./plot.js";
import {html, resolveDocument} from "./dom.js";
import {differenceOf, formatPp, formatValue, formatYear} from "./format.js";
import {ACCENT} from "./palettes.js";
import {MISSING_LABEL, SUPPRESSED_LABEL, SUPPRESSED_SHORT} from "./status.js";
import type {UnitMeta} from "./types.js";

/** One point of the sparkline. */
export interface SparkPoint {
  year: number;
  value: number | null;
}

/** Options of keyFigure(). */
export interface KeyFigureOptions {
  /** What the figure is, e.g. "SGB-II-Quote unter 15 Jahren". */
  label: string;
  /** The current value in the indicator's unit (proportion or €); null when missing or suppressed. */
  value: number | null;
  /** The previous year's value; null/undefined gives "kein Vorjahreswert". */
  previous?: number | null;
  /** Unit of the indicator (IndicatorMeta fits). */
  meta: UnitMeta;
  /** The value is suppressed ("geheim"). */
  suppressed?: boolean;
  /** Reference year, shown as "2024". */
  year?: number;
  /** Values over the years for the sparkline (null = gap). */
  series?: readonly SparkPoint[];
  /** Comparison text after the change; default "gegenüber Vorjahr". */
  changeLabel?: string;
  /** Shows a "Beispieldaten" badge. */
  synthetic?: boolean;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** The change text: "+1,2 Pp. gegenüber Vorjahr", or a reason why there is none. */
export function changeText(value: number | null, previous: number | null | undefined, meta: UnitMeta, label = "gegenüber Vorjahr"): string {
  const diff = differenceOf(value, previous, meta);
  return diff == null ? "kein Vorjahresvergleich" : `${formatPp(diff, meta)} ${label}`;
}

/** A key figure card (<div role="group" aria-label="…">). */
export function keyFigure(options: KeyFigureOptions): HTMLDivElement {
  const document = resolveDocument(options.document);
  const {label, value, previous, meta, suppressed = false, year, series, synthetic = false, changeLabel = "gegenüber Vorjahr"} = options;
  const valueText = suppressed ? SUPPRESSED_SHORT : value == null ? MISSING_LABEL : formatValue(value, meta);
  const change = suppressed ? SUPPRESSED_LABEL : value == null ? "" : changeText(value, previous, meta, changeLabel);
  const known = (series ?? []).filter((p) => p.value != null);
  const first = known[0];
  const last = known[known.length - 1];
  const trend = first && last && first !== last ? `Verlauf ${formatYear(first.year)} bis ${formatYear(last.year)}: von ${formatValue(first.value, meta)} auf ${formatValue(last.value, meta)}` : "";
  const aria = [`${label}${year != null ? ` ${formatYear(year)}` : ""}: ${valueText}`, change, trend, synthetic ? "Beispieldaten" : ""].filter(Boolean).join(", ");

  const card = html(document, "div", {
    class: "cn-key-figure",
    role: "group",
    "aria-label": aria,
    style: "border:1px solid #c4c4c4;border-radius:0.5rem;padding:0.75rem 1rem;min-width:12rem"
  });
  card.append(html(document, "p", {class: "cn-key-label", style: "margin:0;font-size:0.9rem"}, label, year != null ? ` ${formatYear(year)}` : ""));
  card.append(html(document, "p", {class: "cn-key-value", style: "margin:0.15rem 0;font-size:1.8rem;font-weight:700;font-variant-numeric:tabular-nums"}, valueText));
  if (change) card.append(html(document, "p", {class: "cn-key-change", style: "margin:0;font-size:0.9rem"}, change));
  if (known.length >= 2 && series) {
    const spark = plot({
      document,
      width: 160,
      height: 36,
      margin: 4,
      x: {axis: null},
      y: {axis: null, zero: false},
      marks: [
        Plot.line(series, {x: "year", y: "value", stroke: ACCENT, strokeWidth: 1.75, className: "cn-spark-line"}),
        Plot.dot(last ? [last] : [], {x: "year", y: "value", r: 2.5, fill: ACCENT, className: "cn-spark-last"})
      ]
    });
    spark.setAttribute("aria-hidden", "true");
    spark.setAttribute("focusable", "false");
    card.append(html(document, "div", {class: "cn-sparkline", style: "margin-top:0.25rem"}, spark));
  }
  if (synthetic) {
    card.append(html(document, "p", {class: "cn-badge", style: "margin:0.35rem 0 0;font-size:0.75rem;font-weight:600;color:#4d3200;background:#fff3cd;display:inline-block;padding:0 0.35rem;border-radius:0.2rem"}, "Beispieldaten"));
  }
  return card;
}
