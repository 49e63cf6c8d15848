/**
 * The accessible frame around every chart: a <figure> with a heading that states the
 * finding, the "Beispieldaten" badge for synthetic data, the chart (role="img",
 * aria-label = the one-sentence summary), and a <figcaption> with the summary, the
 * source line, the data table alternative (<details>) and download buttons
 * (CSV for Excel, SVG, PNG).
 * The "chart" may also be a table (sortableTable): then it keeps its table semantics
 * (no role="img") and there are no SVG/PNG buttons.
 */
import {downloadBlob, safeFilename, serializeSvg, svgToPngBlob, toExcelCsv, type CsvColumn} from "./csv.js";
import {html, resolveDocument, uniqueId} from "./dom.js";
import {exportSvg, SYNTHETIC_TEXT} from "./exportSvg.js";
import {formatEuro, formatNumber, formatPercent, MISSING_VALUE} from "./format.js";
import {sortableTable, type TableColumn} from "./sortableTable.js";

export {SYNTHETIC_TEXT};

/** The data table alternative (and CSV content) of a chart. */
export interface FrameTable {
  /** Columns; `type` decides the formatting in the table and in the CSV. */
  columns: readonly CsvColumn[];
  rows: readonly object[];
  /** Table caption; default "Daten: <title>". */
  caption?: string;
}

/** Options of chartFrame(). */
export interface ChartFrameOptions {
  /** Heading that states the finding, e.g. "In Wattenscheid ist der Anteil am höchsten". */
  title: string;
  /** Source line, e.g. "Quelle: Schuleingangsuntersuchung, 2024". */
  source: string;
  /** One-sentence text summary; becomes the chart's aria-label and a visible paragraph. */
  summary: string;
  /** Data table alternative and CSV download; without it there is no table and no CSV button. */
  table?: FrameTable;
  /** Shows the badge "Beispieldaten – synthetische Zahlen, keine amtlichen Werte" (also in exports). */
  synthetic?: boolean;
  /** Download file name without extension; default derived from the title. */
  filename?: string;
  /** Heading level; default 3. */
  headingLevel?: 2 | 3 | 4;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** Display format of a table cell by column type (strings such as "geheim" stay as they are). */
export function formatCell(value: unknown, column: CsvColumn): string {
  if (value == null || (typeof value === "number" && !Number.isFinite(value))) return MISSING_VALUE;
  if (typeof value !== "number") return typeof value === "boolean" ? (value ? "ja" : "nein") : String(value);
  switch (column.type) {
    case "percent":
      return formatPercent(value, column.decimals ?? 1);
    case "euro":
      return formatEuro(value, column.decimals ?? 0);
    case "number":
      return column.decimals === undefined ? new Intl.NumberFormat("de-DE", {maximumFractionDigits: 2}).format(value) : formatNumber(value, column.decimals);
    default:
      return String(value);
  }
}

/** The chart's graphics: the SVG itself or its top-level SVGs outside legends. */
function chartSvgs(chart: Element): Element[] {
  if (chart.localName === "svg") return [chart];
  return Array.from(chart.querySelectorAll("svg")).filter((s) => !s.closest(".cn-legend") && !s.parentElement?.closest("svg") && s.getAttribute("aria-hidden") !== "true");
}

/**
 * Marks the chart as an image with the summary as its name: the single chart SVG
 * (legend swatches excluded), or the container when the chart consists of several SVGs.
 * Returns null (and changes nothing) when the "chart" has no graphic, e.g. a table,
 * whose own semantics must not be hidden behind role="img".
 */
export function labelChart(chart: Element, summary: string): Element | null {
  const svgs = chartSvgs(chart);
  if (svgs.length === 0) return null;
  const target = svgs.length === 1 ? (svgs[0] as Element) : (chart.querySelector("[data-export-grid]") ?? chart);
  target.setAttribute("role", "img");
  target.setAttribute("aria-label", summary);
  return target;
}

/** A slug for file names: "Anteil SGB II 2024" → "anteil-sgb-ii-2024". */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replaceAll("ä", "ae")
    .replaceAll("ö", "oe")
    .replaceAll("ü", "ue")
    .replaceAll("ß", "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return s || "diagramm";
}

/** Data tables with more rows than this are built when their <details> is first opened. */
export const LAZY_TABLE_ROWS = 200;

/** Wraps a chart in the accessible <figure>. */
export function chartFrame(chart: Element, options: ChartFrameOptions): HTMLElement {
  const document = resolveDocument(options.document);
  const {title, source, summary, table, synthetic = false, headingLevel = 3} = options;
  const filename = safeFilename(options.filename ?? slug(title));
  const headingId = uniqueId("cn-figure-title");

  const graphic = labelChart(chart, summary) != null;

  const figure = html(document, "figure", {class: "cn-figure", "aria-labelledby": headingId, style: "margin:0 0 2rem;max-width:100%"});
  figure.append(html(document, `h${headingLevel}` as "h3", {id: headingId, class: "cn-figure-title"}, title));
  if (synthetic) {
    figure.append(
      html(
        document,
        "p",
        {
          class: "cn-badge",
          style: "display:inline-block;margin:0 0 0.5rem;padding:0.15rem 0.5rem;border:1px solid #8a5a00;border-radius:0.25rem;background:#fff3cd;color:#4d3200;font-size:0.85rem;font-weight:600"
        },
        SYNTHETIC_TEXT
      )
    );
  }
  figure.append(html(document, "div", {class: "cn-chart", style: "max-width:100%;overflow-x:auto"}, chart));

  // Framework styles figcaption as small muted text; the summary is content, so use the full foreground colour
  const caption = html(document, "figcaption", {class: "cn-caption", style: "font-size:0.9rem;color:var(--theme-foreground, #1b1e23)"});
  caption.append(html(document, "p", {class: "cn-summary", style: "margin:0.5rem 0 0.25rem"}, summary));
  caption.append(html(document, "p", {class: "cn-source", style: "margin:0 0 0.5rem"}, source));

  if (table) {
    const columns: TableColumn<object>[] = table.columns.map((c) => ({
      key: c.key,
      label: c.label,
      align: c.type === "text" ? "left" : "right",
      format: (value: unknown) => formatCell(value, c)
    }));
    const build = () => sortableTable(table.rows, {columns, caption: table.caption ?? `Daten: ${title}`, document});
    // a long table is built when it is first opened, so that a chart with thousands of rows renders fast
    const lazy = table.rows.length > LAZY_TABLE_ROWS;
    const box = html(document, "div", {style: "overflow-x:auto"}, ...(lazy ? [] : [build()]));
    const details = html(
      document,
      "details",
      {class: "cn-table-details", style: "margin:0 0 0.5rem"},
      html(document, "summary", {style: "cursor:pointer"}, lazy ? `Daten als Tabelle (${table.rows.length.toLocaleString("de-DE")} Zeilen)` : "Daten als Tabelle"),
      box
    );
    if (lazy) details.addEventListener("toggle", () => {
      if (details.open && !box.firstChild) box.append(build());
    });
    caption.append(details);
  }

  const status = html(document, "p", {class: "cn-download-status", role: "status", style: "margin:0.25rem 0 0;font-size:0.85rem"});
  const exported = () => exportSvg(chart, {title, source, synthetic, document});
  const button = (label: string, format: string, onClick: () => void | Promise<void>) => {
    const b = html(document, "button", {type: "button", class: "cn-download", "aria-label": `${label} herunterladen: ${title}`}, label);
    b.addEventListener("click", async () => {
      status.textContent = "";
      try {
        await onClick();
      } catch (error) {
        status.textContent = `${format}-Export nicht möglich: ${error instanceof Error ? error.message : String(error)}`;
      }
    });
    return b;
  };
  const downloads = html(document, "div", {class: "cn-downloads", role: "group", "aria-label": "Herunterladen", style: "display:flex;flex-wrap:wrap;gap:0.5rem"});
  if (table) {
    downloads.append(button("CSV (Excel)", "CSV", () => downloadBlob(`${filename}.csv`, toExcelCsv(table.rows, table.columns), "text/csv;charset=utf-8", document)));
  }
  if (graphic) {
    downloads.append(
      button("SVG", "SVG", () => downloadBlob(`${filename}.svg`, serializeSvg(exported()), "image/svg+xml;charset=utf-8", document)),
      button("PNG", "PNG", async () => downloadBlob(`${filename}.png`, await svgToPngBlob(exported()), "image/png", document))
    );
  }
  if (downloads.childElementCount) caption.append(downloads, status);
  figure.append(caption);
  return figure;
}
