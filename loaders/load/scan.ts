/**
 * The byte-level look at an input file before DuckDB reads it: encoding, line breaks and
 * anything that the set-based reader does not handle itself. Streams the file in chunks
 * (never one whole-file string); a Windows-1252 file is transcoded chunk by chunk into a
 * temporary UTF-8 file, which is what DuckDB then reads.
 *
 * A file is "regular" when it is UTF-8 (with or without BOM) or Windows-1252, has no quote
 * characters, no lone CR line breaks, no NUL or U+0001 bytes, no U+FFFD replacement
 * characters and no double-encoded umlauts. Everything else goes to the in-memory reader
 * (loaders/ingest/csv.ts), which reports those problems with its German messages, or
 * handles quoting.
 */
import {closeSync, openSync, readSync, writeSync} from "node:fs";
import {isUtf8} from "node:buffer";
import {decodeWindows1252, MOJIBAKE_PATTERNS, type Encoding} from "../ingest/decode.ts";

export type ScanResult =
  | {regular: true; encoding: Encoding; /** the UTF-8 file DuckDB reads */ utf8Path: string; transcoded: boolean; lines: number}
  | {regular: false; reason: string};

const CHUNK = 8 * 2 ** 20;
const NEWLINE = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

const MOJIBAKE_BYTES = MOJIBAKE_PATTERNS.map((p) => Buffer.from(p, "utf8"));
/** The first characters of all double-encoding patterns (Â, Ã, â …): a cheap pre-filter. */
const MOJIBAKE_LEADS = [...new Set(MOJIBAKE_PATTERNS.map((p) => [...p][0] ?? ""))].map((c) => Buffer.from(c, "utf8"));
const REPLACEMENT = Buffer.from("\uFFFD", "utf8");

/** Why the UTF-8 text in `chunk` cannot go to the set-based reader, if it cannot. */
function textProblem(chunk: Buffer): string | undefined {
  if (chunk.includes(QUOTE)) return "Anführungszeichen";
  if (chunk.includes(0) || chunk.includes(1)) return "Steuerzeichen";
  if (chunk.includes(REPLACEMENT)) return "Ersatzzeichen";
  if (MOJIBAKE_LEADS.some((lead) => chunk.includes(lead)) && MOJIBAKE_BYTES.some((p) => chunk.includes(p))) return "doppelt kodierte Umlaute";
  for (let i = chunk.indexOf(CR); i >= 0; i = chunk.indexOf(CR, i + 1)) {
    if (i + 1 < chunk.length && chunk[i + 1] !== NEWLINE) return "Zeilenumbruch CR";
  }
  return undefined;
}

function countNewlines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * Reads the file once in chunks that end at a line break. UTF-8 is checked per chunk; if a chunk
 * is not valid UTF-8 the file is Windows-1252 and is read again, transcoded into `tmpPath`.
 */
export function scanFile(path: string, tmpPath: string): ScanResult {
  const first = scanPass(path, null);
  if (first.kind === "irregular") return {regular: false, reason: first.reason};
  if (first.kind === "utf8") return {regular: true, encoding: first.bom ? "utf-8-bom" : "utf-8", utf8Path: path, transcoded: false, lines: first.lines};
  const second = scanPass(path, tmpPath);
  if (second.kind !== "ok1252") return {regular: false, reason: second.kind === "irregular" ? second.reason : "Kodierung"};
  return {regular: true, encoding: "windows-1252", utf8Path: tmpPath, transcoded: true, lines: second.lines};
}

type Pass = {kind: "utf8"; bom: boolean; lines: number} | {kind: "not-utf8"} | {kind: "ok1252"; lines: number} | {kind: "irregular"; reason: string};

function scanPass(path: string, transcodeTo: string | null): Pass {
  const fd = openSync(path, "r");
  const out = transcodeTo === null ? -1 : openSync(transcodeTo, "w");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let carry = Buffer.alloc(0);
    let lines = 0;
    let bom = false;
    let start = true;
    let lastByte = -1;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      const eof = read === 0;
      let data = carry.length ? Buffer.concat([carry, buffer.subarray(0, read)]) : buffer.subarray(0, read);
      if (start) {
        start = false;
        if (data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))) return {kind: "irregular", reason: "UTF-16"};
        if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) return {kind: "irregular", reason: "ZIP"};
        if (data.length === 0) return {kind: "irregular", reason: "leer"};
        if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
          if (transcodeTo !== null) return {kind: "irregular", reason: "BOM"};
          bom = true;
          data = data.subarray(3);
        }
      }
      // process up to the last line break; keep the rest for the next chunk
      const cut = eof ? data.length : data.lastIndexOf(NEWLINE) + 1;
      const part = data.subarray(0, cut);
      carry = Buffer.from(data.subarray(cut));
      if (part.length) {
        lastByte = part[part.length - 1]!;
        if (transcodeTo === null) {
          if (!isUtf8(part)) return bom ? {kind: "irregular", reason: "ungültiges UTF-8 nach BOM"} : {kind: "not-utf8"};
          const problem = textProblem(part);
          if (problem) return {kind: "irregular", reason: problem};
        } else {
          const utf8 = Buffer.from(decodeWindows1252(part), "utf8");
          const problem = textProblem(utf8);
          if (problem) return {kind: "irregular", reason: problem};
          writeSync(out, utf8);
        }
        lines += countNewlines(part);
      }
      if (eof) break;
      if (carry.length > 64 * 2 ** 20) return {kind: "irregular", reason: "Zeile zu lang"};
    }
    // a last line without a final line break is a line too
    if (lastByte !== NEWLINE && lastByte !== -1) lines++;
    if (lastByte === CR) return {kind: "irregular", reason: "Zeilenumbruch CR"};
    return transcodeTo === null ? {kind: "utf8", bom, lines} : {kind: "ok1252", lines};
  } finally {
    closeSync(fd);
    if (out >= 0) closeSync(out);
  }
}

/** The first `maxLines` lines of a UTF-8 file (without BOM handling: the caller decodes). */
export function readHead(path: string, maxLines: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const parts: Buffer[] = [];
    let lines = 0;
    const buffer = Buffer.allocUnsafe(2 ** 20);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const chunk = buffer.subarray(0, read);
      let i = -1;
      let end = -1;
      while (lines < maxLines && (i = chunk.indexOf(NEWLINE, i + 1)) >= 0) {
        lines++;
        end = i + 1;
      }
      if (lines >= maxLines) {
        parts.push(Buffer.from(chunk.subarray(0, end)));
        break;
      }
      parts.push(Buffer.from(chunk));
    }
    return Buffer.concat(parts);
  } finally {
    closeSync(fd);
  }
}
