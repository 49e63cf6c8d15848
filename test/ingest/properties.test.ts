/**
 * Property-based tests of parseTable (fast-check).
 */
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {encodeWindows1252, IngestError, normalizeHeader, parseTable, type RawTable} from "../../loaders/ingest/index.ts";

type Delim = ";" | "," | "\t";
type Enc = "utf-8" | "utf-8-bom" | "windows-1252";

const DELIMS: Delim[] = [";", ",", "\t"];
const ENCODINGS: Enc[] = ["utf-8", "utf-8-bom", "windows-1252"];
const ERROR_CODES = ["unreadable", "encoding", "no_header", "missing_column", "empty", "quote"];

function encode(text: string, enc: Enc): Uint8Array {
  if (enc === "windows-1252") {
    const b = encodeWindows1252(text);
    if (!b) throw new Error("test generator produced a character outside Windows-1252");
    return b;
  }
  const utf8 = new TextEncoder().encode(text);
  return enc === "utf-8-bom" ? Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]) : utf8;
}

function isValidUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", {fatal: true}).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Physical line breaks as the reader counts them: CRLF, LF and lone CR. */
const breaks = (s: string): number => (s.match(/\r\n|\r|\n/g) ?? []).length;

function quote(cell: string, d: Delim, force: boolean): string {
  const needs = force || cell.includes(d) || /["\r\n]/.test(cell);
  return needs ? `"${cell.replace(/"/g, '""')}"` : cell;
}

// Cell material: delimiters, quotes, line breaks, umlauts, €, markers. It cannot spell a total label
// ("Summe", "Gesamt", …) nor start a footnote.
const TOKENS = ["a", "b", "Z", "ä", "ö", "ü", "ß", "Ä", "€", "1", "2,5", "-", "x", ".", "...", ";", ",", "\t", '"', "\n", "\r\n", "\r", " ", "k.A."];
const cellArb = fc.array(fc.constantFrom(...TOKENS), {maxLength: 6}).map((t) => t.join(""));

const tableArb = fc
  .record({
    ncols: fc.integer({min: 2, max: 5}),
    rows: fc.array(fc.array(cellArb, {minLength: 5, maxLength: 5}), {minLength: 1, maxLength: 8}),
    delimiter: fc.constantFrom(...DELIMS),
    encoding: fc.constantFrom(...ENCODINGS),
    eols: fc.array(fc.constantFrom("\n", "\r\n"), {minLength: 20, maxLength: 20}),
    forceQuote: fc.array(fc.boolean(), {minLength: 50, maxLength: 50}),
    blankBefore: fc.array(fc.constantFrom("", "none", "delims", "spaces"), {minLength: 10, maxLength: 10}),
    finalEol: fc.boolean(),
    trailingEmpty: fc.integer({min: 0, max: 2})
  })
  .map((g) => {
    // every data row has at least two non-empty cells (otherwise it could be read as a footnote line)
    const rows = g.rows.map((r, i) => {
      const row = r.slice(0, g.ncols);
      if (row.filter((c) => c.trim() !== "").length < 2) {
        row[0] = `a${row[0] ?? ""}`;
        row[1] = `b${i}${row[1] ?? ""}`;
      }
      return row;
    });
    return {...g, rows, header: Array.from({length: g.ncols}, (_, i) => `Feld ${i + 1} ä`)};
  });

describe("property: serialised random tables are read back exactly", () => {
  it("same cells, same record count, correct physical line numbers", () => {
    fc.assert(
      fc.property(tableArb, (g) => {
        const d = g.delimiter;
        let out = "";
        let line = 1;
        let blanks = 0;
        let q = 0;
        const expectedLines: number[] = [];
        const eol = (i: number) => g.eols[i % g.eols.length] ?? "\n";

        out += g.header.join(d) + eol(0);
        line += 1;
        g.rows.forEach((row, i) => {
          const blank = g.blankBefore[i % g.blankBefore.length];
          if (blank !== "none" && blank !== undefined) {
            out += (blank === "delims" ? d.repeat(g.ncols - 1) : blank === "spaces" ? "  " : "") + eol(i + 7);
            line += 1;
            blanks += 1;
          }
          const record = row.map((c) => quote(c, d, g.forceQuote[q++ % g.forceQuote.length] ?? false)).join(d);
          expectedLines.push(line);
          line += breaks(record);
          out += record;
          if (i < g.rows.length - 1 || g.finalEol) {
            out += eol(i + 1);
            line += 1;
          }
        });
        if (!g.finalEol && g.trailingEmpty > 0) out += "\n";
        out += "\n".repeat(g.trailingEmpty);
        blanks += g.trailingEmpty; // each "\n" after the terminated last record is one empty line

        const bytes = encode(out, g.encoding);
        const ascii = bytes.every((b) => b < 0x80);
        // a short Windows-1252 text can happen to be valid UTF-8 ("Ä€" = C4 80); that is undecidable
        fc.pre(!(g.encoding === "windows-1252" && !ascii && isValidUtf8(bytes)));

        const t = parseTable(bytes, {file: "prop.csv"});
        const expectedEncoding = g.encoding === "utf-8-bom" ? "utf-8-bom" : ascii ? "utf-8" : g.encoding;
        expect(t.encoding).toBe(expectedEncoding);
        expect(t.delimiter).toBe(d);
        expect(t.header).toEqual(g.header);
        expect(t.headerLine).toBe(1);
        expect(t.preamble).toEqual([]);
        expect(t.footnotes).toEqual([]);
        expect(t.totals).toEqual([]);
        expect(t.skippedBlankLines).toBe(blanks);
        expect(t.rows).toHaveLength(g.rows.length);
        const keys = g.header.map(normalizeHeader);
        g.rows.forEach((row, i) => {
          const expected = row.map((c) => c.replace(/\r\n?/g, "\n").trim());
          const got = t.rows[i];
          expect(got?.values).toEqual(expected);
          expect(got?.cells).toEqual(Object.fromEntries(keys.map((k, j) => [k, expected[j]])));
          expect(got?.line).toBe(expectedLines[i]);
        });
      }),
      {numRuns: 250}
    );
  });
});

/** Checks the structural guarantees of any table that parseTable returns. */
function assertSane(t: RawTable, input: Uint8Array): void {
  const text = new TextDecoder().decode(input);
  const physicalLines = breaks(text) + 1;
  expect(t.headerLine).toBeGreaterThanOrEqual(1);
  expect(t.headerRows).toBeGreaterThanOrEqual(1);
  const all = [...t.rows, ...t.totals].map((r) => r.line).sort((a, b) => a - b);
  for (let i = 0; i < all.length; i++) {
    const l = all[i] as number;
    expect(l).toBeGreaterThan(t.headerLine);
    expect(l).toBeLessThanOrEqual(physicalLines);
    if (i > 0) expect(l).toBeGreaterThan(all[i - 1] as number);
  }
  for (const r of [...t.rows, ...t.totals]) {
    expect(r.values.length).toBeLessThanOrEqual(t.header.length);
    expect(Object.keys(r.cells)).toHaveLength(t.header.length);
  }
}

function parseOrIngestError(bytes: Uint8Array): void {
  let result: RawTable | undefined;
  try {
    result = parseTable(bytes, {file: "kaputt.csv"});
  } catch (e) {
    expect(e).toBeInstanceOf(IngestError);
    const err = e as IngestError;
    expect(ERROR_CODES).toContain(err.code);
    expect(err.message).toContain("kaputt.csv");
    return;
  }
  assertSane(result, bytes);
}

describe("property: garbage never crashes", () => {
  it("random bytes: a table or an IngestError, nothing else", () => {
    fc.assert(fc.property(fc.uint8Array({maxLength: 400}), parseOrIngestError), {numRuns: 300});
  });

  it("random CSV-like text: a table or an IngestError", () => {
    const chars = [";", ",", "\t", '"', "\n", "\r", " ", "a", "Ä", "ß", "_", "-", ".", "0", "7", "S", "Summe", "Quelle:", "€", "\uFFFD", "Ã¤"];
    const arb = fc.array(fc.constantFrom(...chars), {maxLength: 200}).map((a) => new TextEncoder().encode(a.join("")));
    fc.assert(fc.property(arb, parseOrIngestError), {numRuns: 300});
  });

  it("random byte mutations of a valid file: a table or an IngestError", () => {
    const valid = encode(
      'GENESIS-Tabelle: 1\r\n;;Anzahl;Anzahl\r\nJahr;Gebiet;Männlich;Weiblich\r\n2023;"Süd; Ost";1.234;-\n2023;Summe;1.234;.\r\n_____\r\nQuelle: IT.NRW\r\n',
      "windows-1252"
    );
    const mutation = fc.record({
      kind: fc.constantFrom("set", "insert", "delete"),
      at: fc.nat(),
      byte: fc.integer({min: 0, max: 255})
    });
    fc.assert(
      fc.property(fc.array(mutation, {minLength: 1, maxLength: 8}), (mutations) => {
        const b = [...valid];
        for (const m of mutations) {
          const i = m.at % (b.length + 1);
          if (m.kind === "set" && i < b.length) b[i] = m.byte;
          else if (m.kind === "insert") b.splice(i, 0, m.byte);
          else if (m.kind === "delete" && i < b.length) b.splice(i, 1);
        }
        parseOrIngestError(Uint8Array.from(b));
      }),
      {numRuns: 300}
    );
  });
});

/**
 * Accounting invariant. Every logical record of the input (one record may span several physical lines
 * through quoted line breaks) is accounted for exactly once:
 *
 *   preamble.length + headerRows + rows.length + totals.length + skippedBlankLines + footnotes.length
 *     = number of records in the input
 *
 * and, for these generated files, each part equals what the generator wrote: P title records, 1 header
 * record, D data rows, T total rows, B blank records and F footnote records; rows and totals carry the
 * physical line on which they start.
 */
describe("property: accounting of records", () => {
  const part = fc.record({
    delimiter: fc.constantFrom(...DELIMS),
    encoding: fc.constantFrom(...ENCODINGS),
    ncols: fc.integer({min: 2, max: 4}),
    preamble: fc.array(
      fc.record({
        text: fc.constantFrom("Tabelle 1", "Bevölkerung nach Alter", '"Titel\nzweite Zeile"', "Stadt Bochum"),
        trailing: fc.boolean()
      }),
      {maxLength: 3}
    ),
    body: fc.array(
      fc.oneof(
        fc.record({kind: fc.constant("data" as const), n: fc.integer({min: 0, max: 99999})}),
        fc.record({kind: fc.constant("total" as const), label: fc.constantFrom("Summe", "Insgesamt:", "Gesamt 2024", "TOTAL", "zusammen")})
      ),
      {minLength: 1, maxLength: 8}
    ),
    footnotes: fc.array(
      fc.constantFrom("Quelle: IT.NRW", "Stand: 05.03.2024", "© Stadt Bochum", '"Fußnote 1:\nmehrzeilig"', "(1) vorläufig"),
      {maxLength: 3}
    ),
    underscore: fc.boolean(),
    blanks: fc.array(fc.integer({min: 0, max: 40}), {maxLength: 5}),
    eol: fc.constantFrom("\n", "\r\n")
  });

  it("every record is counted exactly once", () => {
    fc.assert(
      fc.property(part, (g) => {
        const d = g.delimiter;
        const pad = (s: string, trailing: boolean) => (trailing ? s + d.repeat(g.ncols - 1) : s);
        const records: {text: string; kind: "pre" | "header" | "data" | "total" | "blank" | "foot"}[] = [];
        for (const p of g.preamble) records.push({text: pad(p.text, p.trailing), kind: "pre"});
        records.push({text: ["Bezirk", ...Array.from({length: g.ncols - 1}, (_, i) => `Wert ${i + 1}`)].join(d), kind: "header"});
        g.body.forEach((b, i) => {
          const numbers = Array.from({length: g.ncols - 1}, (_, j) => String((b.kind === "data" ? b.n : 7) + j));
          const label = b.kind === "data" ? `Bezirk ${i}` : b.label;
          records.push({text: [label, ...numbers].join(d), kind: b.kind});
        });
        if (g.underscore && g.footnotes.length > 0) records.push({text: "_____", kind: "foot"});
        for (const f of g.footnotes) records.push({text: pad(f, false), kind: "foot"});
        // blank records at arbitrary positions: before/inside the preamble, around the header, in the data, in the footnotes
        for (const pos of g.blanks) {
          const at = pos % (records.length + 1);
          records.splice(at, 0, {text: pos % 2 === 0 ? "" : d.repeat(g.ncols - 1), kind: "blank"});
        }
        let text = "";
        let line = 1;
        const expectedLines: Record<"data" | "total", number[]> = {data: [], total: []};
        for (const r of records) {
          if (r.kind === "data" || r.kind === "total") expectedLines[r.kind].push(line);
          text += r.text + g.eol;
          line += breaks(r.text) + 1;
        }
        const count = (k: string) => records.filter((r) => r.kind === k).length;

        const t = parseTable(encode(text, g.encoding), {file: "acc.csv"});
        expect(t.delimiter).toBe(d);
        expect(t.preamble).toHaveLength(count("pre"));
        expect(t.headerRows).toBe(1);
        expect(t.rows).toHaveLength(count("data"));
        expect(t.totals).toHaveLength(count("total"));
        expect(t.footnotes).toHaveLength(count("foot"));
        expect(t.skippedBlankLines).toBe(count("blank"));
        expect(t.preamble.length + t.headerRows + t.rows.length + t.totals.length + t.skippedBlankLines + t.footnotes.length).toBe(
          records.length
        );
        expect(t.rows.map((r) => r.line)).toEqual(expectedLines.data);
        expect(t.totals.map((r) => r.line)).toEqual(expectedLines.total);
      }),
      {numRuns: 250}
    );
  });
});
