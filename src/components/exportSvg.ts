/**
 * Builds one standalone SVG from a rendered chart for the SVG/PNG download: title,
 * the "Beispieldaten" note for synthetic data, the chart's SVGs, its HTML legends
 * (redrawn from the data-* attributes of .cn-legend items), small-multiple grids
 * and the source line – so an exported image never loses its legend, source or
 * the synthetic-data warning.
 */
import {svg} from "./dom.js";
import {hatchPattern} from "./palettes.js";

/** Options of exportSvg(). */
export interface ExportSvgOptions {
  /** Heading drawn at the top. */
  title?: string;
  /** Source line drawn at the bottom ("Quelle: …"). */
  source?: string;
  /** Draws the synthetic-data warning under the title. */
  synthetic?: boolean;
  /** Minimum width in px; default 640. */
  width?: number;
  /** Document to create the elements in; default the chart's ownerDocument. */
  document?: Document;
}

/** The synthetic-data warning (also used by chartFrame's badge). */
export const SYNTHETIC_TEXT = "Beispieldaten – synthetische Zahlen, keine amtlichen Werte";

type Block =
  | {kind: "svg"; el: SVGSVGElement}
  | {kind: "legend"; el: Element}
  | {kind: "grid"; columns: number; panels: {label: string; el: SVGSVGElement}[]}
  | {kind: "text"; text: string};

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif";
const MARGIN = 8;

function isSvg(el: Element): el is SVGSVGElement {
  return el.localName === "svg" && el.namespaceURI === "http://www.w3.org/2000/svg";
}

function collect(el: Element, blocks: Block[]): void {
  if (el.classList.contains("cn-legend")) {
    blocks.push({kind: "legend", el});
  } else if (el.hasAttribute("data-export-grid")) {
    const panels: {label: string; el: SVGSVGElement}[] = [];
    for (const panel of Array.from(el.querySelectorAll("[data-export-label]"))) {
      const chart = Array.from(panel.querySelectorAll("svg")).find((s) => !s.closest(".cn-legend"));
      if (chart) panels.push({label: panel.getAttribute("data-export-label") ?? "", el: chart});
    }
    blocks.push({kind: "grid", columns: Math.max(1, Number(el.getAttribute("data-export-grid")) || 3), panels});
  } else if (el.hasAttribute("data-export-text")) {
    const text = (el.textContent ?? "").trim();
    if (text) blocks.push({kind: "text", text});
  } else if (isSvg(el)) {
    blocks.push({kind: "svg", el});
  } else {
    for (const child of Array.from(el.children)) collect(child, blocks);
  }
}

function sizeOf(el: SVGSVGElement): {width: number; height: number} {
  const viewBox = (el.getAttribute("viewBox") ?? "").split(/[\s,]+/).map(Number);
  return {width: Number(el.getAttribute("width")) || viewBox[2] || 640, height: Number(el.getAttribute("height")) || viewBox[3] || 200};
}

/** Greedy word wrap by an estimated character width. */
export function wrapText(text: string, maxWidth: number, charWidth: number): string[] {
  const max = Math.max(8, Math.floor(maxWidth / charWidth));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** One standalone SVG of the chart with title, legends and source. */
export function exportSvg(chart: Element, options: ExportSvgOptions = {}): SVGSVGElement {
  const document = options.document ?? chart.ownerDocument;
  const blocks: Block[] = [];
  collect(chart, blocks);

  const gridWidth = (b: Extract<Block, {kind: "grid"}>) =>
    Math.min(b.columns, b.panels.length) * (Math.max(0, ...b.panels.map((p) => sizeOf(p.el).width)) + MARGIN);
  const width = Math.ceil(
    Math.max(
      options.width ?? 640,
      ...blocks.map((b) => (b.kind === "svg" ? sizeOf(b.el).width : b.kind === "grid" ? gridWidth(b) : 0))
    ) + 2 * MARGIN
  );
  const inner = width - 2 * MARGIN;
  const root = svg(document, "svg", {xmlns: "http://www.w3.org/2000/svg", "font-family": FONT, "font-size": 12, fill: "#000000"});
  const background = svg(document, "rect", {width: "100%", height: "100%", fill: "#ffffff"});
  root.append(background);
  let y = MARGIN;

  const textLines = (text: string, size: number, attrs: Record<string, string | number> = {}) => {
    for (const line of wrapText(text, inner, size * 0.55)) {
      y += size * 1.25;
      root.append(svg(document, "text", {x: MARGIN, y, "font-size": size, ...attrs}, line));
    }
    y += size * 0.4;
  };

  if (options.title) textLines(options.title, 16, {"font-weight": "bold"});
  if (options.synthetic) textLines(SYNTHETIC_TEXT, 12, {"font-weight": "bold", fill: "#7a3e00"});

  for (const block of blocks) {
    if (block.kind === "svg") {
      const {width: w, height: h} = sizeOf(block.el);
      const clone = block.el.cloneNode(true) as SVGSVGElement;
      clone.setAttribute("x", String(MARGIN));
      clone.setAttribute("y", String(y));
      clone.setAttribute("width", String(w));
      clone.setAttribute("height", String(h));
      clone.removeAttribute("style");
      root.append(clone);
      y += h + MARGIN;
    } else if (block.kind === "grid") {
      const panelWidth = Math.max(0, ...block.panels.map((p) => sizeOf(p.el).width));
      for (let i = 0; i < block.panels.length; i += block.columns) {
        const row = block.panels.slice(i, i + block.columns);
        const rowHeight = Math.max(0, ...row.map((p) => sizeOf(p.el).height));
        row.forEach((panel, j) => {
          const x = MARGIN + j * (panelWidth + MARGIN);
          root.append(svg(document, "text", {x, y: y + 13, "font-size": 12, "font-weight": "bold"}, panel.label));
          const clone = panel.el.cloneNode(true) as SVGSVGElement;
          clone.setAttribute("x", String(x));
          clone.setAttribute("y", String(y + 18));
          clone.removeAttribute("style");
          root.append(clone);
        });
        y += rowHeight + 18 + MARGIN;
      }
    } else if (block.kind === "text") {
      textLines(block.text, 11);
    } else {
      const title = block.el.querySelector(".cn-legend-title")?.textContent;
      if (title) textLines(title, 12, {"font-weight": "bold"});
      let x = MARGIN;
      y += 2;
      for (const item of Array.from(block.el.querySelectorAll(".cn-legend-item"))) {
        const label = item.getAttribute("data-label") ?? "";
        const itemWidth = 14 + 6 + label.length * 6.2 + 14;
        if (x > MARGIN && x + itemWidth > width - MARGIN) {
          x = MARGIN;
          y += 20;
        }
        const kind = item.getAttribute("data-kind") ?? "rect";
        const fill = item.getAttribute("data-fill") ?? "none";
        const stroke = item.getAttribute("data-stroke") ?? "#767676";
        const dash = item.getAttribute("data-dash");
        if (kind === "hatch") {
          const pattern = hatchPattern(document);
          root.append(pattern.defs, svg(document, "rect", {x, y, width: 14, height: 14, fill: pattern.fill, stroke: "#6b6b6b"}));
        } else if (kind === "line") {
          root.append(svg(document, "line", {x1: x, x2: x + 14, y1: y + 7, y2: y + 7, stroke, "stroke-width": 2, "stroke-dasharray": dash}));
        } else if (kind === "circle") {
          root.append(svg(document, "circle", {cx: x + 7, cy: y + 7, r: 5, fill, stroke, "stroke-width": 1.5}));
        } else if (kind === "symbol") {
          root.append(svg(document, "text", {x: x + 7, y: y + 11, "text-anchor": "middle", fill: item.getAttribute("data-fill") ?? "#000000"}, item.getAttribute("data-symbol") ?? "•"));
        } else {
          root.append(svg(document, "rect", {x: x + 0.5, y: y + 0.5, width: 13, height: 13, fill, stroke, "stroke-dasharray": dash}));
        }
        root.append(svg(document, "text", {x: x + 20, y: y + 11, "font-size": 11}, label));
        x += itemWidth;
      }
      y += 24;
    }
  }
  if (options.source) textLines(options.source, 11, {fill: "#444444"});
  const height = Math.ceil(y + MARGIN);
  root.setAttribute("width", String(width));
  root.setAttribute("height", String(height));
  root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  return root;
}
