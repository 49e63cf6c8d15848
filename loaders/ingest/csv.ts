/**
 * Robust CSV reading: encoding, delimiter, line endings, GENESIS title lines, multi-row headers,
 * footnotes, blank lines, trailing delimiters and total rows.
 *
 * papaparse does the tokenising (quotes, delimiters); this module owns the line numbering and the
 * structure of the table. Line breaks (CRLF, LF, lone CR, also mixed) are normalised to LF before
 * tokenising, so line breaks inside quoted cells come back as "\n".
 */
import {readFileSync} from "node:fs";
import Papa from "papaparse";
import {decode, type Encoding} from "./decode.ts";
import {IngestError, where} from "./errors.ts";
import {matchColumns, normalizeHeader, type ColumnSpec} from "./headers.ts";
import {parseNumber} from "./numbers.ts";

export type Delimiter = ";" | "," | "\t";

export interface ReadOptions {
  /** path as shown in messages */
  file: string;
  /** expected columns; used to find the header row (GENESIS title lines) and to map cells */
  columns?: ColumnSpec[];
  /** city-specific: raw header name → canonical key (matched after normalizeHeader on both sides) */
  mapping?: Record<string, string>;
  /** extra markers (e.g. "-9999"), in addition to DEFAULT_MARKERS */
  markers?: readonly string[];
  /** default TOTAL_LABELS; matched case-insensitively as the whole cell or as a prefix ("Summe 2024", "Insgesamt:") */
  totalLabels?: readonly string[];
  allowReplacementChars?: boolean;
  /** extension: accept double-encoded UTF-8 ("Ã¤") */
  allowMojibake?: boolean;
  /**
   * The most frequent field count of the WHOLE file, when only its head is parsed (the set-based
   * loader reads the body in DuckDB and counts it there); header detection then sees the same
   * width as when the whole file is parsed.
   */
  modalWidth?: number;
}

export interface RawRow {
  /** 1-based PHYSICAL line in the file where this record starts (line breaks inside quoted fields are counted) */
  line: number;
  /** canonical key (or normalised header when no spec matches; "spalte_N" for a column without a name) → trimmed cell */
  cells: Record<string, string>;
  /** trimmed cells in file order; empty cells beyond the last used column are dropped, short rows are not padded */
  values: string[];
}

export interface RawTable {
  file: string;
  encoding: Encoding;
  delimiter: Delimiter;
  /** raw header cells (trimmed; multi-row GENESIS headers joined with " "); trailing columns without name and data dropped */
  header: string[];
  /** 1-based line where (the last record of) the header starts */
  headerLine: number;
  /** extension: number of records that form the header (> 1 for GENESIS multi-row headers) */
  headerRows: number;
  rows: RawRow[];
  /** records recognised as total rows (NOT in rows) */
  totals: RawRow[];
  /** title records before the header, one entry per record (its non-empty cells joined with " ") */
  preamble: string[];
  /** records after the data (footnote block, "_____" separator, licence line), one entry per record */
  footnotes: string[];
  /** number of blank records (empty or only delimiters/whitespace) anywhere in the file */
  skippedBlankLines: number;
  /** extension: the key of each column in file order (canonical key, normalised header or "spalte_N") */
  keys: string[];
}

export const TOTAL_LABELS: readonly string[] = Object.freeze(["Gesamt", "Summe", "Insgesamt", "Zusammen", "Total"]);

const DELIMITERS: readonly Delimiter[] = [";", "\t", ","];
/** Records inspected for delimiter and header detection. */
const SNIFF_RECORDS = 60;
const HEADER_SCAN_RECORDS = 200;
const MAX_HEADER_ROWS = 8;

/** Lines opening a footnote block (only when the line has a single non-empty cell in the first column). */
const FOOTNOTE_START =
  /^(?:quelle|©|\(c\)|copyright|stand\b|fu(?:ß|ss)note|erl(?:ä|ae)uterung|anmerkung|hinweis|zeichenerkl|\(\d+\)|\d+\)|\*\))/i;
const UNDERSCORES = /^_{3,}$/;
/** Dates are not labels: "31.12.2023", "2023-12-31". */
const DATE = /^(?:\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?)$/;
/** Column names that hold the label of a row (used for total detection). */
const LABEL_COLUMN = /(?:^|_)(?:name|bezeichnung|gebiet|label|titel|measure|massnahme)(?:_|$)/;

export interface Rec {
  /** cells trimmed */
  cells: string[];
  line: number;
  filled: number;
  quoteError: boolean;
}

function tokenize(text: string, delimiter: Delimiter, limit = 0): Rec[] {
  const recs: Rec[] = [];
  let prev = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter,
    newline: "\n",
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    preview: limit,
    step(result) {
      const cursor = Math.max(prev, Math.min(text.length, result.meta.cursor));
      const data: unknown = result.data;
      const raw: string[] = Array.isArray(data) ? data.map((c) => (typeof c === "string" ? c : String(c ?? ""))) : [];
      // papaparse reports a phantom empty record after a final line break
      const phantom = prev >= text.length && raw.length <= 1 && (raw[0] ?? "") === "";
      if (!phantom) {
        const cells = raw.map((c) => c.trim());
        recs.push({
          cells,
          line,
          filled: cells.reduce((n, c) => (c === "" ? n : n + 1), 0),
          quoteError: result.errors.some((e) => e.type === "Quotes")
        });
      }
      for (let i = prev; i < cursor; i++) if (text.charCodeAt(i) === 10) line++;
      prev = cursor;
    }
  });
  return recs;
}

/** Most frequent field count >= 2 among non-blank records (ties: the larger count); [count, frequency]. */
function modalWidth(recs: Rec[]): [number, number] {
  const freq = new Map<number, number>();
  for (const r of recs) {
    if (r.filled === 0 || r.cells.length < 2) continue;
    freq.set(r.cells.length, (freq.get(r.cells.length) ?? 0) + 1);
  }
  let best: [number, number] = [1, 0];
  for (const [width, n] of freq) {
    if (n > best[1] || (n === best[1] && width > best[0])) best = [width, n];
  }
  return best;
}

function specMatchCount(cells: string[], specs: ColumnSpec[], mapping?: Record<string, string>): number {
  const names = new Set(cells.map(normalizeHeader).filter((n) => n !== ""));
  const mappedKeys = new Set<string>();
  for (const [raw, key] of Object.entries(mapping ?? {})) {
    if (names.has(normalizeHeader(raw))) mappedKeys.add(normalizeHeader(key));
  }
  let n = 0;
  for (const spec of specs) {
    const candidates = [spec.key, ...(spec.aliases ?? [])].map(normalizeHeader);
    if (mappedKeys.has(normalizeHeader(spec.key)) || candidates.some((c) => names.has(c))) n++;
  }
  return n;
}

function requiredMatched(cells: string[], specs: ColumnSpec[], mapping?: Record<string, string>): boolean {
  const required = specs.filter((s) => s.required);
  return specMatchCount(cells, required, mapping) === required.length;
}

/**
 * Delimiter: if expected columns are given, the delimiter under which a record of the header region
 * names most of them; otherwise (or on a tie) the one giving the most records with the same field count
 * (>= 2) in the first records, quote-aware (commas in German decimals or quoted text do not count).
 */
function detectDelimiter(text: string, options: ReadOptions): Delimiter {
  // Ranking: columns of the contract found in a record; then whether the delimiter splits the
  // records at all; then the fewest malformed quotes (under a wrong delimiter, quoted cells that
  // contain the right one fall apart); then how many records share the most frequent width; then
  // that width.
  let best: {d: Delimiter; matched: number; splits: number; quoteErrors: number; score: number; width: number} | undefined;
  for (const d of DELIMITERS) {
    const recs = tokenize(text, d, SNIFF_RECORDS);
    let matched = 0;
    if (options.columns && options.columns.length > 0) {
      for (const r of recs) matched = Math.max(matched, specMatchCount(r.cells, options.columns, options.mapping));
    }
    const [width, score] = modalWidth(recs);
    const quoteErrors = recs.filter((r) => r.quoteError).length;
    const splits = score > 0 ? 1 : 0;
    const candidate = {d, matched, splits, quoteErrors, score, width};
    const better = (): boolean => {
      if (!best) return true;
      if (matched !== best.matched) return matched > best.matched;
      if (splits !== best.splits) return splits > best.splits;
      if (quoteErrors !== best.quoteErrors) return quoteErrors < best.quoteErrors;
      if (score !== best.score) return score > best.score;
      return width > best.width;
    };
    if (better()) {
      best = candidate;
    }
  }
  return best?.d ?? ";";
}

function isBlank(r: Rec): boolean {
  return r.filled === 0;
}

function firstFilled(r: Rec): string {
  return r.cells.find((c) => c !== "") ?? "";
}

function isUnderscoreLine(r: Rec): boolean {
  return r.filled === 1 && UNDERSCORES.test(firstFilled(r));
}

/** A single non-empty cell, in the first column. */
function isSingleFirstCell(r: Rec): boolean {
  return r.filled === 1 && (r.cells[0] ?? "") !== "";
}

function isFootnoteMarkerLine(r: Rec): boolean {
  return isSingleFirstCell(r) && FOOTNOTE_START.test(r.cells[0] ?? "");
}

function isFootnoteTextLine(r: Rec): boolean {
  return isUnderscoreLine(r) || isFootnoteMarkerLine(r) || (isSingleFirstCell(r) && /\p{L}/u.test(r.cells[0] ?? ""));
}

function isYear(s: string): boolean {
  return /^(?:19|20)\d\d$/.test(s);
}

function isNumeric(s: string): boolean {
  return parseNumber(s).kind === "number" || parseNumber(s, {decimal: "point"}).kind === "number";
}

/** Joins the cells of a multi-row header column; a part that the next part starts with is dropped. */
function joinHeaderParts(parts: string[]): string {
  const kept: string[] = [];
  parts.forEach((p, i) => {
    const next = parts[i + 1];
    if (next !== undefined && next.toLowerCase().startsWith(p.toLowerCase())) return;
    if (kept[kept.length - 1]?.toLowerCase() === p.toLowerCase()) return;
    kept.push(p);
  });
  return kept.join(" ");
}

function joinHeader(recs: Rec[]): string[] {
  const width = Math.max(0, ...recs.map((r) => r.cells.length));
  const header: string[] = [];
  for (let c = 0; c < width; c++) {
    header.push(joinHeaderParts(recs.map((r) => r.cells[c] ?? "").filter((s) => s !== "")));
  }
  return header;
}

function recordText(r: Rec): string {
  return r.cells.filter((c) => c !== "").join(" ");
}

export function matchesTotalLabel(cell: string, labels: readonly string[]): boolean {
  const s = cell.trim().toLowerCase();
  if (s === "") return false;
  return labels.some((label) => {
    const l = label.trim().toLowerCase();
    if (l === "" || !s.startsWith(l)) return false;
    const next = s.charAt(l.length);
    return next === "" || !/[\p{L}\p{N}]/u.test(next);
  });
}

/** Finds the header block [start, end] (record indices). */
function findHeader(recs: Rec[], options: ReadOptions): {start: number; end: number} {
  const modal = options.modalWidth ?? modalWidth(recs)[0];
  let start = -1;
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i] as Rec;
    if (isBlank(r)) continue;
    if (modal <= 1 || (r.filled >= 2 && r.cells.length >= modal - 1)) {
      start = i;
      break;
    }
  }
  if (start < 0) start = recs.findIndex((r) => r.filled >= 2);
  if (start < 0) start = recs.findIndex((r) => !isBlank(r));

  let end = start;
  const first = recs[start];
  if (first && first.cells[0] === "" && modal > 1) {
    // GENESIS multi-row header: further rows whose first cell is empty, up to the first data row
    for (let j = start + 1; j < recs.length && j - start < MAX_HEADER_ROWS; j++) {
      const r = recs[j] as Rec;
      if (isBlank(r) || r.cells[0] !== "") break;
      const filled = r.cells.filter((c) => c !== "");
      if (filled.every((c) => isNumeric(c) && !isYear(c))) break;
      end = j;
    }
  }

  const specs = options.columns;
  if (specs && specs.length > 0) {
    const heuristic = recs.slice(start, end + 1);
    const joined = joinHeader(heuristic);
    const scoreH = specMatchCount(joined, specs, options.mapping);
    if (scoreH > 0 && requiredMatched(joined, specs, options.mapping)) return {start, end};
    let bestIndex = -1;
    let bestScore = 0;
    const limit = Math.min(recs.length, HEADER_SCAN_RECORDS);
    for (let i = 0; i < limit; i++) {
      const r = recs[i] as Rec;
      if (isBlank(r)) continue;
      const score = specMatchCount(r.cells, specs, options.mapping);
      if (score > 0 && requiredMatched(r.cells, specs, options.mapping)) return {start: i, end: i};
      if (score > bestScore) {
        bestScore = score;
        bestIndex = i;
      }
    }
    if (bestIndex >= 0 && bestScore > scoreH) return {start: bestIndex, end: bestIndex};
  }
  return {start, end};
}

/** Index of the first record of the footnote block (recs.length if there is none). */
export function findFootnotes(recs: Rec[], from: number, width: number): number {
  let footStart = recs.length;
  // 1. a line of underscores: everything after it is footnote text
  for (let i = from; i < recs.length; i++) {
    if (isUnderscoreLine(recs[i] as Rec)) {
      footStart = i;
      break;
    }
  }
  // 2. a "Quelle:", "©", "Stand", "(1)" … line followed only by single-cell lines
  // 3. a trailing block of single-cell text lines (only for tables with several columns)
  let suffixStart = recs.length;
  let firstMarker = -1;
  for (let i = recs.length - 1; i >= from; i--) {
    const r = recs[i] as Rec;
    if (isBlank(r)) continue;
    if (width >= 2 ? isFootnoteTextLine(r) : isUnderscoreLine(r) || isFootnoteMarkerLine(r)) {
      suffixStart = i;
      if (isFootnoteMarkerLine(r) || isUnderscoreLine(r)) firstMarker = i;
    } else {
      break;
    }
  }
  if (width >= 2) footStart = Math.min(footStart, suffixStart);
  else if (firstMarker >= 0) footStart = Math.min(footStart, firstMarker);
  return footStart;
}

/** A record of trimmed cells (for callers that split lines themselves, e.g. a file's tail). */
export function recordOf(cells: string[], line: number): Rec {
  return {cells, line, filled: cells.reduce((n, c) => (c === "" ? n : n + 1), 0), quoteError: false};
}

/**
 * Whether a data record is a total row ("Summe", "Gesamt", …): a label column holds a total label,
 * or the first cell that is neither a number, a marker nor a date starts with one.
 */
export function totalRowTest(keys: string[], header: string[], options: Pick<ReadOptions, "totalLabels" | "markers">): (values: string[]) => boolean {
  const labels = options.totalLabels ?? TOTAL_LABELS;
  const labelColumns = keys
    .map((k, i) => (LABEL_COLUMN.test(k) || LABEL_COLUMN.test(normalizeHeader(header[i] ?? "")) ? i : -1))
    .filter((i) => i >= 0);
  return (values: string[]): boolean => {
    if (labelColumns.some((i) => matchesTotalLabel(values[i] ?? "", labels))) return true;
    for (const v of values) {
      if (v === "") continue;
      const cell = parseNumber(v, options.markers ? {markers: options.markers} : {});
      if (cell.kind === "number" || cell.kind === "marker" || DATE.test(v)) continue;
      return matchesTotalLabel(v, labels);
    }
    return false;
  };
}

function dedupeKey(key: string, used: Set<string>): string {
  let k = key;
  for (let n = 2; used.has(k); n++) k = `${key}_${n}`;
  used.add(k);
  return k;
}

export function parseTable(bytes: Uint8Array, options: ReadOptions): RawTable {
  const file = options.file;
  if (bytes.length === 0) {
    throw new IngestError(file, "empty", `${where(file)}Die Datei ist leer (0 Byte).`);
  }
  const decodeOptions: {allowReplacementChars?: boolean; allowMojibake?: boolean} = {};
  if (options.allowReplacementChars !== undefined) decodeOptions.allowReplacementChars = options.allowReplacementChars;
  if (options.allowMojibake !== undefined) decodeOptions.allowMojibake = options.allowMojibake;
  const {text: decoded, encoding} = decode(bytes, file, decodeOptions);
  const text = decoded.replace(/\r\n?/g, "\n");
  if (text.trim() === "") {
    throw new IngestError(file, "empty", `${where(file)}Die Datei enthält keine Daten (nur leere Zeilen).`);
  }

  const delimiter = detectDelimiter(text, options);
  const recs = tokenize(text, delimiter);
  if (recs.every(isBlank)) {
    throw new IngestError(
      file,
      "empty",
      `${where(file)}Die Datei enthält keine Daten (nur leere Zeilen oder Trennzeichen).`
    );
  }

  const {start, end} = findHeader(recs, options);
  const headerRecs = recs.slice(start, end + 1);
  const lastHeader = recs[end] as Rec;
  const headerLine = lastHeader.line;
  for (const r of headerRecs) {
    if (r.quoteError) throw quoteError(file, r.line);
  }
  const joined = joinHeader(headerRecs);
  const headerFilled = joined.filter((c) => c !== "");
  if (headerFilled.length > 0 && headerFilled.every(isNumeric) && !headerFilled.every(isYear)) {
    const firstLine = (recs[start] as Rec).line;
    throw new IngestError(
      file,
      "no_header",
      `${where(file, firstLine)}Die Kopfzeile fehlt: Zeile ${firstLine} enthält nur Zahlen („${headerFilled
        .slice(0, 4)
        .join(delimiter === "\t" ? " " : delimiter)}…“). Bitte eine erste Zeile mit den Spaltennamen einfügen.`,
      firstLine
    );
  }

  // width of the table: the header and every column that holds data
  const lastUsed = (cells: string[]): number => {
    for (let i = cells.length - 1; i >= 0; i--) if (cells[i] !== "") return i + 1;
    return 0;
  };
  const footStart = findFootnotes(recs, end + 1, lastUsed(joined));
  let width = lastUsed(joined);
  for (let i = end + 1; i < footStart; i++) width = Math.max(width, lastUsed((recs[i] as Rec).cells));
  const header = Array.from({length: width}, (_, i) => joined[i] ?? "");

  // column keys
  const keys: string[] = new Array<string>(width).fill("");
  const used = new Set<string>();
  if (options.columns && options.columns.length > 0) {
    const match = matchColumns(header, options.columns, options.mapping, file, headerLine);
    for (const [key, index] of match.byKey) {
      keys[index] = key;
      used.add(key);
    }
  }
  for (let i = 0; i < width; i++) {
    if (keys[i] !== "") continue;
    const name = normalizeHeader(header[i] ?? "");
    keys[i] = dedupeKey(name === "" ? `spalte_${i + 1}` : name, used);
  }

  const isTotal = totalRowTest(keys, header, options);

  const table: RawTable = {
    file,
    encoding,
    delimiter,
    header,
    headerLine,
    headerRows: headerRecs.length,
    rows: [],
    totals: [],
    preamble: [],
    footnotes: [],
    skippedBlankLines: 0,
    keys
  };

  for (let i = 0; i < recs.length; i++) {
    const r = recs[i] as Rec;
    if (i >= start && i <= end) continue;
    if (isBlank(r)) {
      table.skippedBlankLines++;
      continue;
    }
    if (i < start) {
      table.preamble.push(recordText(r));
      continue;
    }
    if (i >= footStart) {
      table.footnotes.push(recordText(r));
      continue;
    }
    if (r.quoteError) throw quoteError(file, r.line);
    const values = r.cells.slice(0, width);
    const cells: Record<string, string> = {};
    keys.forEach((k, c) => {
      cells[k] = values[c] ?? "";
    });
    const row: RawRow = {line: r.line, cells, values};
    (isTotal(values) ? table.totals : table.rows).push(row);
  }
  return table;
}

function quoteError(file: string, line: number): IngestError {
  return new IngestError(
    file,
    "quote",
    `${where(file, line)}Ein Anführungszeichen in diesem Datensatz ist nicht korrekt geschlossen, ` +
      `dadurch würden Zeilen zusammengezogen. Bitte Anführungszeichen innerhalb eines Feldes verdoppeln („""“) ` +
      `oder das Feld vollständig in Anführungszeichen setzen.`,
    line
  );
}

/** Reads a file from disk and parses it; `file` in messages defaults to the path. */
export function readTableFile(path: string, options: Partial<ReadOptions> = {}): RawTable {
  const file = options.file ?? path;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as {code?: string}).code;
    const reason =
      code === "ENOENT"
        ? "Die Datei wurde nicht gefunden."
        : code === "EACCES" || code === "EPERM"
          ? "Keine Berechtigung, die Datei zu lesen."
          : code === "EISDIR"
            ? "Der Pfad ist ein Ordner, keine Datei."
            : `Die Datei kann nicht gelesen werden (${code ?? String(e)}).`;
    throw new IngestError(file, "unreadable", `${where(file)}${reason}`);
  }
  return parseTable(bytes, {...options, file});
}
