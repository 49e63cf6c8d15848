/**
 * Byte → text decoding with encoding detection.
 *
 * Order: UTF-8 BOM → "utf-8-bom"; bytes that are valid UTF-8 → "utf-8"; anything else → "windows-1252"
 * (ISO-8859-1 is identical for all printable characters; 0x80–0x9F are mapped per Windows-1252).
 * The decoded text is then checked for U+FFFD replacement characters and for double-encoded
 * UTF-8 ("Ã¤" for "ä"); both are reported as IngestError("encoding") with the first affected line.
 */
import {IngestError, where} from "./errors.ts";

export type Encoding = "utf-8" | "utf-8-bom" | "windows-1252";

export interface DecodeOptions {
  /** Accept U+FFFD replacement characters (e.g. a file whose umlauts were destroyed upstream). */
  allowReplacementChars?: boolean;
  /** Accept double-encoded UTF-8 ("Ã¤") without an error. */
  allowMojibake?: boolean;
}

/** Windows-1252 code points for the bytes 0x80–0x9F (undefined bytes map to the C1 control of the same value). */
const CP1252_HIGH: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178
];

/** Decodes bytes as Windows-1252 (total function: every byte maps to one character). */
export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk = 8192;
  for (let start = 0; start < bytes.length; start += chunk) {
    const end = Math.min(bytes.length, start + chunk);
    const codes = new Array<number>(end - start);
    for (let i = start; i < end; i++) {
      const b = bytes[i] as number;
      codes[i - start] = b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] as number) : b;
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join("");
}

/** Encodes text as Windows-1252; returns undefined if a character is not representable. (Used by tests and tools.) */
export function encodeWindows1252(text: string): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) {
      out[i] = c;
      continue;
    }
    const idx = CP1252_HIGH.indexOf(c);
    if (idx < 0) return undefined;
    out[i] = 0x80 + idx;
  }
  return out;
}

const utf8Fatal = new TextDecoder("utf-8", {fatal: true, ignoreBOM: true});
const utf8Lenient = new TextDecoder("utf-8", {fatal: false, ignoreBOM: true});

function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Fatal.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The typical double-encoding artefacts: UTF-8 bytes of a character read as Windows-1252.
 * Built from the characters that occur in German municipal data.
 */
const MOJIBAKE_SOURCE = "äöüÄÖÜßéèáàâêçñ€„“”‚‘’–—…°²³§µ";
export const MOJIBAKE_PATTERNS: readonly string[] = [...MOJIBAKE_SOURCE].map((ch) =>
  decodeWindows1252(new TextEncoder().encode(ch))
);

/** 1-based physical line of a character offset (line breaks: LF, CRLF, lone CR). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) line++;
  }
  return line;
}

function findMojibake(text: string): {offset: number; found: string; meant: string} | undefined {
  let best: {offset: number; found: string; meant: string} | undefined;
  MOJIBAKE_PATTERNS.forEach((pattern, i) => {
    const offset = text.indexOf(pattern);
    if (offset >= 0 && (best === undefined || offset < best.offset)) {
      best = {offset, found: pattern, meant: [...MOJIBAKE_SOURCE][i] ?? "?"};
    }
  });
  return best;
}

export function decode(
  bytes: Uint8Array,
  file: string,
  options: DecodeOptions = {}
): {text: string; encoding: Encoding} {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new IngestError(
      file,
      "encoding",
      `${where(file, 1)}Die Datei ist als UTF-16 („Unicode-Text“) gespeichert. ` +
        `Bitte in Excel „CSV UTF-8 (durch Trennzeichen getrennt)“ oder „CSV (Trennzeichen-getrennt)“ wählen und erneut speichern.`,
      1
    );
  }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new IngestError(
      file,
      "unreadable",
      `${where(file)}Die Datei ist keine CSV-Datei, sondern ein ZIP-Archiv (vermutlich eine Excel-Datei .xlsx). ` +
        `Bitte in Excel als „CSV UTF-8“ speichern.`
    );
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = lineAt(decodeWindows1252(bytes.subarray(0, nul)), nul);
    throw new IngestError(
      file,
      "unreadable",
      `${where(file, line)}Die Datei enthält Null-Bytes und ist daher keine Textdatei (z. B. eine Excel- oder UTF-16-Datei). ` +
        `Bitte als CSV (UTF-8 oder Windows-1252) exportieren.`,
      line
    );
  }

  let text: string;
  let encoding: Encoding;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // A BOM declares UTF-8; invalid sequences after it become U+FFFD and are reported below.
    text = utf8Lenient.decode(bytes.subarray(3));
    encoding = "utf-8-bom";
  } else {
    const utf8 = tryUtf8(bytes);
    if (utf8 !== undefined) {
      text = utf8;
      encoding = "utf-8";
    } else {
      text = decodeWindows1252(bytes);
      encoding = "windows-1252";
    }
  }

  if (!options.allowReplacementChars) {
    const bad = text.indexOf("\uFFFD");
    if (bad >= 0) {
      const line = lineAt(text, bad);
      const lineText = text.split(/\r\n|\r|\n/)[line - 1] ?? "";
      const context = excerpt(lineText, bad - lineStart(text, bad));
      throw new IngestError(
        file,
        "encoding",
        `${where(file, line)}Die Datei enthält zerstörte Zeichen („\uFFFD“, z. B. in „${context}“). ` +
          `Die Umlaute wurden vermutlich schon beim Export falsch umgewandelt. ` +
          `Bitte die Datei erneut aus dem Quellsystem exportieren (UTF-8 oder Windows-1252).`,
        line
      );
    }
  }
  if (!options.allowMojibake) {
    const moji = findMojibake(text);
    if (moji) {
      const line = lineAt(text, moji.offset);
      throw new IngestError(
        file,
        "encoding",
        `${where(file, line)}Die Datei enthält doppelt kodierte Umlaute („${moji.found}“ statt „${moji.meant}“). ` +
          `Sie wurde vermutlich zweimal in UTF-8 umgewandelt. ` +
          `Bitte die Originaldatei erneut exportieren und ohne Umwandlung speichern.`,
        line
      );
    }
  }
  return {text, encoding};
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

function excerpt(line: string, column: number): string {
  const from = Math.max(0, column - 15);
  const to = Math.min(line.length, column + 15);
  return (from > 0 ? "…" : "") + line.slice(from, to) + (to < line.length ? "…" : "");
}
