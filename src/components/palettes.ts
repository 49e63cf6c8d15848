/**
 * Colour-blind-safe colour schemes and the hatch pattern for suppressed cells.
 *
 * - values: ColorBrewer "YlGnBu" (sequential, light → dark; colour-blind safe),
 * - differences to the city value: ColorBrewer "PuOr" (diverging, neutral middle;
 *   purple–orange stays distinguishable for protan/deutan/tritan vision),
 * - need classes 1–4: ColorBrewer "YlOrBr" steps 2–5, strictly darker with each class,
 * - dynamics classes 1–3: purple – grey – orange.
 * Every class colour carries a text colour (black or white) with a contrast of at
 * least 4.5:1 (WCAG 1.4.3), see textColorFor().
 */
import * as d3 from "d3";
import {svg, uniqueId} from "./dom.js";
import {MISSING_LABEL, SUPPRESSED_LABEL} from "./status.js";

/** Name of the sequential scheme (d3-scale-chromatic / Plot). */
export const SEQUENTIAL_SCHEME = "YlGnBu";
/** Name of the diverging scheme (d3-scale-chromatic / Plot). */
export const DIVERGING_SCHEME = "PuOr";

/** One class of a categorical legend. */
export interface ClassColor {
  value: number;
  label: string;
  color: string;
  /** Text colour on this fill (contrast ≥ 4.5:1). */
  text: string;
}

/** n (1…9) colours of the sequential scheme, light → dark. */
export function sequentialColors(n: number): string[] {
  const k = Math.max(1, Math.min(9, Math.round(n)));
  if (k >= 3) return [...(d3.schemeYlGnBu[k] ?? [])];
  const three = d3.schemeYlGnBu[3] ?? [];
  return k === 1 ? [three[1] ?? "#7fcdbb"] : [three[0] ?? "#edf8b1", three[2] ?? "#2c7fb8"];
}

/** n (3…11, odd gives a neutral middle) colours of the diverging scheme, orange → purple. */
export function divergingColors(n: number): string[] {
  const k = Math.max(3, Math.min(11, Math.round(n)));
  return [...(d3.schemePuOr[k] ?? [])];
}

/** sRGB relative luminance (WCAG 2.1) of a CSS colour. */
export function relativeLuminance(color: string): number {
  const c = d3.rgb(color);
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** WCAG contrast ratio (1…21) of two CSS colours. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever contrasts more with the background. */
export function textColorFor(background: string): "#000000" | "#ffffff" {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff") ? "#000000" : "#ffffff";
}

function classes(labels: readonly string[], colors: readonly string[]): ClassColor[] {
  return labels.map((label, i) => {
    const color = colors[i] ?? "#cccccc";
    return {value: i + 1, label, color, text: textColorFor(color)};
  });
}

/** German labels of the need classes; class 4 is the highest need. */
export const NEED_CLASS_LABELS = ["1 niedrig", "2 mittel", "3 hoch", "4 sehr hoch"] as const;
/** Need classes 1–4 (YlOrBr 5, steps 2–5: ordered light → dark). */
export const NEED_CLASSES: readonly ClassColor[] = classes(NEED_CLASS_LABELS, ["#fed98e", "#fe9929", "#d95f0e", "#993404"]);

/** German labels of the dynamics classes (change of need); 3 = need rising most. */
export const DYNAMICS_CLASS_LABELS = ["1 abnehmend", "2 gleichbleibend", "3 zunehmend"] as const;
/** Dynamics classes 1–3. */
export const DYNAMICS_CLASSES: readonly ClassColor[] = classes(DYNAMICS_CLASS_LABELS, ["#998ec3", "#e0e0e0", "#e08214"]);

/** The class colour for a class value (1-based), or undefined. */
export function classColor(palette: readonly ClassColor[], value: number | null | undefined): ClassColor | undefined {
  return value == null ? undefined : palette.find((c) => c.value === Math.round(value));
}

/** Fill and outline of suppressed cells (hatch background and lines). */
export const SUPPRESSED_BACKGROUND = "#f0f0f0";
export const SUPPRESSED_LINE = "#6b6b6b";
/** Fill, outline and dash of missing cells ("keine Daten"). */
export const MISSING_FILL = "#ffffff";
export const MISSING_STROKE = "#767676";
export const MISSING_DASH = "3,2";
/** Neutral grey for reference lines (city value); 4.5:1 on white. */
export const REFERENCE_GREY = "#6e6e6e";
/** Accent (theme focus blue, 7:1 on white). */
export const ACCENT = "#1f5aa6";
/** Outline of gaps in the chain matrix (orange-red; labelled "Lücke" in addition). */
export const GAP_STROKE = "#c2410c";

export {MISSING_LABEL, SUPPRESSED_LABEL};

/** A hatch pattern definition: put `defs` into an SVG, use `fill` as fill. */
export interface HatchPattern {
  id: string;
  /** "url(#id)" */
  fill: string;
  defs: SVGDefsElement;
}

/** Options of hatchPattern(). */
export interface HatchOptions {
  /** Pattern id; default a page-unique "cn-geheim-N" (one per chart, so hidden charts never break others). */
  id?: string;
  /** Background colour; default SUPPRESSED_BACKGROUND. */
  background?: string;
  /** Line colour; default SUPPRESSED_LINE. */
  stroke?: string;
  /** Distance of the lines in px; default 6. */
  spacing?: number;
}

/** A diagonal hatch <pattern> (in a <defs>) for suppressed cells. */
export function hatchPattern(document: Document, options: HatchOptions = {}): HatchPattern {
  const {id = uniqueId("cn-geheim"), background = SUPPRESSED_BACKGROUND, stroke = SUPPRESSED_LINE, spacing = 6} = options;
  const pattern = svg(
    document,
    "pattern",
    {id, width: spacing, height: spacing, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)"},
    svg(document, "rect", {width: spacing, height: spacing, fill: background}),
    svg(document, "line", {x1: 0, y1: 0, x2: 0, y2: spacing, stroke, "stroke-width": 1.5})
  );
  const defs = svg(document, "defs", {"data-cn": "hatch"}, pattern);
  return {id, fill: `url(#${id})`, defs};
}

/** A Plot render-function mark that inserts the pattern's <defs> into the chart. */
export function hatchMark(pattern: HatchPattern): () => SVGDefsElement {
  return () => pattern.defs;
}
