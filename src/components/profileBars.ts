/**
 * The profile of one area: one row per indicator, the difference to the city
 * value as a bar (percentage points, or € for € indicators), coloured by whether
 * the difference is unfavourable (orange) or favourable (purple) given the
 * indicator's polarity; bars of statistically certain differences are solid,
 * others pale. Suppressed indicators are listed with the text "geheim" and no bar.
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import {html, resolveDocument} from "./dom.js";
import {formatPp, formatValue} from "./format.js";
import {divergingColors} from "./palettes.js";
import {swatchLegend} from "./legend.js";
import {cellStatus, MISSING_LABEL, SUPPRESSED_SHORT} from "./status.js";
import type {IndicatorMeta, ValueRow} from "./types.js";

export interface ProfileRow {
  meta: IndicatorMeta;
  row: ValueRow | undefined;
}

export interface ProfileBarsOptions {
  /** Width in px; default 640. */
  width?: number;
  document?: Document;
}

/** Difference to the city in display units (Pp. or €) or null. */
export function profileDiff(p: ProfileRow): number | null {
  const r = p.row;
  if (!r || cellStatus(r) !== "value" || r.rate === null || r.city_rate === null) return null;
  return p.meta.unit === "€" ? r.rate - r.city_rate : 100 * (r.rate - r.city_rate);
}

export function profileBars(rows: readonly ProfileRow[], options: ProfileBarsOptions = {}): HTMLDivElement {
  const document = resolveDocument(options.document);
  const width = chartWidth(options.width);
  // only percentage indicators share one axis; € indicators are listed in the table
  const shown = rows.filter((p) => p.meta.unit === "%");
  const colors = divergingColors(5);
  // as in the maps: orange = unfavourable side, purple = favourable side
  const unfavourable = colors[colors.length - 1]!;
  const favourable = colors[0]!;
  const data = shown.map((p) => {
    const diff = profileDiff(p);
    const status = cellStatus(p.row);
    const adverse = diff === null ? 0 : diff * (p.meta.polarity || 0);
    return {
      label: p.meta.short_title,
      diff,
      status,
      fill: adverse > 0 ? unfavourable : adverse < 0 ? favourable : "#9e9e9e",
      opacity: p.row?.signif === 1 || p.row?.signif === -1 ? 1 : 0.4,
      text: status === "suppressed" ? SUPPRESSED_SHORT : status === "missing" ? MISSING_LABEL : `${formatValue(p.row?.rate, p.meta)} (${formatPp(diff, p.meta)})`,
      title: `${p.meta.title}\nGebiet: ${status === "value" ? formatValue(p.row?.rate, p.meta) : status === "suppressed" ? "geheim (kleine Fallzahl)" : MISSING_LABEL}\nStadt: ${formatValue(p.row?.city_rate, p.meta)}\nAbstand: ${formatPp(diff, p.meta)}${p.row?.signif ? " (statistisch gesichert)" : ""}`
    };
  });
  const extent = Math.max(1, ...data.map((d) => Math.abs(d.diff ?? 0)));
  // narrow screens: shorter margins, values only in the tooltips and the data table
  const narrow = width < 640;
  const chart = plot({
    document,
    width,
    height: 28 * data.length + 50,
    marginLeft: Math.round(Math.min(210, width * 0.42)),
    marginRight: narrow ? 12 : 150,
    x: {domain: [-extent * 1.1, extent * 1.1], label: "Abstand zum Stadtwert in Prozentpunkten →", grid: true, tickFormat: (v: number) => formatPp(v, {unit: "%"})},
    y: {domain: data.map((d) => d.label), label: null},
    marks: [
      Plot.ruleX([0], {stroke: "#333"}),
      Plot.barX(data.filter((d) => d.diff !== null), {y: "label", x: "diff", fill: "fill", fillOpacity: "opacity", title: "title"}),
      ...(narrow ? [] : [Plot.text(data, {y: "label", x: extent * 1.1, text: "text", textAnchor: "start", dx: 8, title: "title"})])
    ]
  });
  const legend = swatchLegend(
    [
      {label: "ungünstiger als die Stadt", fill: unfavourable},
      {label: "günstiger als die Stadt", fill: favourable},
      {label: "blasser Balken: kein statistisch gesicherter Unterschied", fill: "#e8e8e8", stroke: "#9e9e9e"}
    ],
    {title: "Abstand zum Stadtwert", document}
  );
  return html(document, "div", {class: "cn-profile"}, legend, chart);
}
