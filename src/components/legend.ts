/**
 * HTML swatch legends with a German heading. Used instead of Plot's legends so that
 * binned scales, the hatch of suppressed cells and "keine Daten" share one legend,
 * no canvas is needed (Plot's ramp legend draws on a canvas) and the SVG/PNG export
 * can redraw the legend from the data-* attributes of its items.
 */
import {html, svg} from "./dom.js";
import {hatchPattern, MISSING_DASH, MISSING_FILL, MISSING_STROKE} from "./palettes.js";
import {MISSING_LABEL, SUPPRESSED_LABEL} from "./status.js";

/** One legend entry. */
export interface LegendItem {
  label: string;
  /** Swatch shape: area (default), line, dot, hatch (suppressed) or a text symbol such as "×" or "▲". */
  kind?: "rect" | "line" | "circle" | "hatch" | "symbol";
  /** Fill colour (rect/circle; "none" for hollow dots). */
  fill?: string;
  /** Outline or line colour. */
  stroke?: string;
  /** SVG stroke-dasharray of the outline or line. */
  dash?: string;
  /** Outline width. */
  strokeWidth?: number;
  /** The symbol for kind "symbol". */
  symbol?: string;
}

/** Options of swatchLegend(). */
export interface SwatchLegendOptions {
  /** Heading of the legend, e.g. "Anteil in %" (optional). */
  title?: string;
  /** Document to create the elements in; default globalThis.document. */
  document: Document;
}

const SIZE = 14;

function swatch(document: Document, item: LegendItem): SVGSVGElement {
  const el = svg(document, "svg", {width: SIZE, height: SIZE, viewBox: `0 0 ${SIZE} ${SIZE}`, "aria-hidden": "true", focusable: "false", style: "flex:none"});
  const kind = item.kind ?? "rect";
  if (kind === "hatch") {
    const pattern = hatchPattern(document);
    el.append(pattern.defs, svg(document, "rect", {x: 0.5, y: 0.5, width: SIZE - 1, height: SIZE - 1, fill: pattern.fill, stroke: item.stroke ?? "#6b6b6b"}));
  } else if (kind === "line") {
    el.append(svg(document, "line", {x1: 0, y1: SIZE / 2, x2: SIZE, y2: SIZE / 2, stroke: item.stroke ?? "currentColor", "stroke-width": item.strokeWidth ?? 2, "stroke-dasharray": item.dash}));
  } else if (kind === "circle") {
    el.append(svg(document, "circle", {cx: SIZE / 2, cy: SIZE / 2, r: SIZE / 2 - 2, fill: item.fill ?? "currentColor", stroke: item.stroke ?? "currentColor", "stroke-width": item.strokeWidth ?? 1.5}));
  } else if (kind === "symbol") {
    el.append(svg(document, "text", {x: SIZE / 2, y: SIZE / 2, "text-anchor": "middle", "dominant-baseline": "central", "font-size": 12, fill: item.fill ?? "currentColor"}, item.symbol ?? "•"));
  } else {
    el.append(svg(document, "rect", {x: 0.5, y: 0.5, width: SIZE - 1, height: SIZE - 1, fill: item.fill ?? "none", stroke: item.stroke ?? "#767676", "stroke-width": item.strokeWidth ?? 1, "stroke-dasharray": item.dash}));
  }
  return el;
}

/** A legend: optional heading and a wrapping list of swatches with German labels. */
export function swatchLegend(items: readonly LegendItem[], options: SwatchLegendOptions): HTMLDivElement {
  const {document, title} = options;
  const list = html(document, "ul", {style: "list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:0.25rem 1rem;font-size:0.85rem"});
  for (const item of items) {
    list.append(
      html(
        document,
        "li",
        {
          class: "cn-legend-item",
          style: "display:flex;align-items:center;gap:0.35rem;margin:0",
          "data-kind": item.kind ?? "rect",
          "data-label": item.label,
          "data-fill": item.fill,
          "data-stroke": item.stroke,
          "data-dash": item.dash,
          "data-symbol": item.symbol
        },
        swatch(document, item),
        html(document, "span", {}, item.label)
      )
    );
  }
  return html(
    document,
    "div",
    {class: "cn-legend", style: "margin:0.25rem 0 0.5rem"},
    title ? html(document, "p", {class: "cn-legend-title", style: "margin:0 0 0.2rem;font-size:0.85rem;font-weight:600"}, title) : null,
    list
  );
}

/**
 * Legend items of a binned (threshold) scale: "unter 10 %", "10 % bis unter 15 %", "15 % und mehr".
 * `colors` has thresholds.length + 1 entries.
 */
export function thresholdItems(thresholds: readonly number[], colors: readonly string[], format: (value: number) => string): LegendItem[] {
  return colors.map((fill, i) => {
    const lo = thresholds[i - 1];
    const hi = thresholds[i];
    const label =
      lo === undefined && hi === undefined
        ? "alle Werte"
        : lo === undefined
          ? `unter ${format(hi as number)}`
          : hi === undefined
            ? `${format(lo)} und mehr`
            : `${format(lo)} bis unter ${format(hi)}`;
    return {label, fill, kind: "rect" as const, stroke: "#767676"};
  });
}

/** The legend entry of suppressed cells (hatch, "geheim (kleine Fallzahl)"). */
export const SUPPRESSED_ITEM: LegendItem = {label: SUPPRESSED_LABEL, kind: "hatch"};
/** The legend entry of missing cells (white, dashed outline, "keine Daten"). */
export const MISSING_ITEM: LegendItem = {label: MISSING_LABEL, kind: "rect", fill: MISSING_FILL, stroke: MISSING_STROKE, dash: MISSING_DASH};
