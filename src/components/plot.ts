/**
 * Plot.plot with accessible markup: Plot names every mark group with aria-label
 * ("line", "rule", "y-axis tick label"), which ARIA 1.2 prohibits on <g> elements
 * without a role (axe: aria-prohibited-attr). The names move to data-mark; the
 * chart as a whole is named by its aria-label (and by chartFrame's summary).
 * The default font size is 12 px.
 */
import * as Plot from "@observablehq/plot";

/** Moves aria-label/aria-description of <g> elements to data-mark/nothing. */
export function tidyAria<T extends Element>(root: T): T {
  for (const g of Array.from(root.querySelectorAll("g[aria-label], g[aria-description]"))) {
    const label = g.getAttribute("aria-label");
    if (label != null) g.setAttribute("data-mark", label);
    g.removeAttribute("aria-label");
    g.removeAttribute("aria-description");
  }
  return root;
}

/** Default font size of axes and labels (Plot's 10 px is small for reading on paper). */
export const FONT_SIZE = "12px";

/** Plot.plot with a 12 px default font, followed by tidyAria. */
export function plot(options: Plot.PlotOptions): SVGSVGElement | HTMLElement {
  return tidyAria(Plot.plot({style: {fontSize: FONT_SIZE}, ...options}));
}

/** Smallest chart width: Framework's reactive `width` can be 0 before layout, and phones are narrow. */
export const MIN_WIDTH = 280;

/** A usable chart width from an option (default `fallback`), never below MIN_WIDTH. */
export function chartWidth(width: number | undefined, fallback = 640): number {
  return Math.max(MIN_WIDTH, Number.isFinite(width) && width ? width : fallback);
}
