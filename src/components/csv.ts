/**
 * Downloads: CSV for German Excel, blobs, and PNG rendering of an SVG.
 *
 * toExcelCsv writes what a double click in German Excel opens correctly: UTF-8 with
 * BOM, ";" as delimiter, CRLF after every record, decimal comma without thousands
 * separator, fields quoted (RFC 4180) when they contain ";", '"', CR or LF.
 * Text cells starting with "=", "+", "-", "@", TAB or CR get a leading "'" so that
 * Excel never evaluates them as a formula (CSV injection); numbers are not touched.
 */

/** Type of a CSV column. */
export type CsvColumnType = "text" | "number" | "percent" | "euro";

/** One CSV (and data table) column. */
export interface CsvColumn {
  /** Property of the row. */
  key: string;
  /** Column heading. */
  label: string;
  /**
   * text: as is (guarded); number: decimal comma; percent: a proportion 0..1 written
   * as percent number (0.125 → "12,5"); euro: amount with decimal comma.
   */
  type: CsvColumnType;
  /**
   * Fixed number of decimals; default: number → as needed (max. 6), percent → 1, euro → 2.
   */
  decimals?: number;
}

export const BOM = "\uFEFF";
export const DELIMITER = ";";
export const NEWLINE = "\r\n";

const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes "'" to text that Excel would read as a formula. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Quotes a field when it contains the delimiter, a quote or a line break (RFC 4180). */
export function quoteField(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function csvNumber(value: number, decimals: number | undefined): string {
  const key = String(decimals);
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("de-DE", {
      useGrouping: false,
      minimumFractionDigits: decimals ?? 0,
      maximumFractionDigits: decimals ?? 6
    });
    numberFormats.set(key, format);
  }
  // Intl writes "-0" for tiny negatives rounded to zero; Excel wants "0".
  return format.format(value).replace(/^-(0(,0*)?)$/, "$1");
}

function textOf(value: unknown): string {
  if (value == null) return "";
  if (typeof value === "boolean") return value ? "ja" : "nein";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** The CSV text of one cell (before quoting). */
export function csvCell(value: unknown, column: CsvColumn): string {
  if (column.type !== "text" && typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    if (column.type === "percent") return csvNumber(value * 100, column.decimals ?? 1);
    if (column.type === "euro") return csvNumber(value, column.decimals ?? 2);
    return csvNumber(value, column.decimals);
  }
  if (column.type !== "text" && typeof value === "bigint") return csvNumber(Number(value), column.decimals);
  // text columns, and non-numbers in number columns (e.g. "geheim")
  return guardFormula(textOf(value));
}

/**
 * CSV for German Excel: BOM, ";" delimiter, CRLF line ends (also after the last record),
 * decimal comma, quoting and formula guard. The first line holds the column labels.
 */
export function toExcelCsv<T extends object>(rows: Iterable<T>, columns: readonly CsvColumn[]): string {
  const lines = [columns.map((c) => quoteField(guardFormula(c.label))).join(DELIMITER)];
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    lines.push(columns.map((c) => quoteField(csvCell(record[c.key], c))).join(DELIMITER));
  }
  return BOM + lines.map((line) => line + NEWLINE).join("");
}

/** A file name without characters that browsers or Windows reject. */
export function safeFilename(name: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-")
    .replace(/\s+/g, "_")
    .replace(/^[.-]+/, "");
  return cleaned || "download";
}

/**
 * Offers `content` as a download named `filename` (via a temporary <a download>).
 * @param type MIME type, e.g. "text/csv;charset=utf-8"; ignored when content is a Blob
 * @param document the document; default globalThis.document
 */
export function downloadBlob(filename: string, content: string | Blob, type: string, document: Document = globalThis.document): void {
  const blob = typeof content === "string" ? new Blob([content], {type}) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = safeFilename(filename);
  a.rel = "noopener";
  a.style.display = "none";
  document.body.append(a);
  try {
    a.click();
  } finally {
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** Serialises an SVG element as a standalone file (XML declaration, namespaces). */
export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  const view = svg.ownerDocument.defaultView as (Window & typeof globalThis) | null;
  const Serializer = view?.XMLSerializer ?? globalThis.XMLSerializer;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new Serializer().serializeToString(clone)}`;
}

function svgSize(svg: SVGSVGElement): {width: number; height: number} {
  const viewBox = (svg.getAttribute("viewBox") ?? "").split(/[\s,]+/).map(Number);
  const width = Number(svg.getAttribute("width")) || viewBox[2] || 640;
  const height = Number(svg.getAttribute("height")) || viewBox[3] || 400;
  return {width, height};
}

/** Options of svgToPngBlob(). */
export interface PngOptions {
  /** Pixel density; default 2 (sharp in reports and on high-DPI screens). */
  scale?: number;
  /** Background; default white (PNG would otherwise be transparent). */
  background?: string;
}

/**
 * Renders an SVG element to a PNG blob in the browser (image + canvas). Rejects where
 * no canvas is available (e.g. jsdom).
 */
export async function svgToPngBlob(svg: SVGSVGElement, options: PngOptions = {}): Promise<Blob> {
  const {scale = 2, background = "#ffffff"} = options;
  const document = svg.ownerDocument;
  const view = document.defaultView as (Window & typeof globalThis) | null;
  if (!view) throw new Error("PNG-Export ist nur im Browser möglich.");
  const {width, height} = svgSize(svg);
  const xml = serializeSvg(svg);
  const image = new view.Image();
  image.width = width;
  image.height = height;
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("PNG-Export: Canvas ist nicht verfügbar.");
  context.fillStyle = background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG-Export fehlgeschlagen."))), "image/png")
  );
}
