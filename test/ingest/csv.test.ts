import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {IngestError, parseTable, readTableFile, type ColumnSpec, type RawTable} from "../../loaders/ingest/index.ts";
import {thrown} from "./thrown.ts";

const fixtures = fileURLToPath(new URL("../fixtures/ingest/", import.meta.url));
const fixture = (name: string): RawTable => readTableFile(fixtures + name, {file: name});
const text = (s: string, file = "test.csv", extra: Partial<Parameters<typeof parseTable>[1]> = {}): RawTable =>
  parseTable(new TextEncoder().encode(s), {file, ...extra});
const lines = (t: RawTable): number[] => t.rows.map((r) => r.line);


describe("parseTable: encodings", () => {
  it("UTF-8 without BOM", () => {
    const t = fixture("utf8.csv");
    expect(t.encoding).toBe("utf-8");
    expect(t.header).toEqual(["Gebiet", "Jahr", "Anzahl"]);
    expect(t.rows.map((r) => r.values)).toEqual([
      ["Höntrop", "2023", "1.234"],
      ["Wattenscheid-Mitte", "2023", "12,5"],
      ["Süd", "2023", "-"]
    ]);
    expect(lines(t)).toEqual([2, 3, 4]);
  });

  it("UTF-8 with BOM: the BOM is not part of the first column name", () => {
    const t = fixture("utf8_bom.csv");
    expect(t.encoding).toBe("utf-8-bom");
    expect(t.header).toEqual(["Jahr", "Gebiet", "Anzahl"]);
    expect(t.rows[0]?.cells).toEqual({jahr: "2023", gebiet: "Südwest", anzahl: "5"});
    const withSpecs = readTableFile(fixtures + "utf8_bom.csv", {columns: [{key: "year", aliases: ["jahr"], required: true}]});
    expect(withSpecs.rows.map((r) => r.cells["year"])).toEqual(["2023", "2023"]);
  });

  it("Windows-1252 with € (0x80), „ “ – and umlauts", () => {
    const t = fixture("cp1252.csv");
    expect(t.encoding).toBe("windows-1252");
    expect(t.header).toEqual(["Maßnahme", "Träger", "Betrag", "Notiz"]);
    expect(t.rows.map((r) => r.cells)).toEqual([
      {massnahme: "Frühförderung", traeger: "Caritas", betrag: "85.800 €", notiz: "„Lotsen“"},
      {massnahme: "Grüne Wiese", traeger: "Diakonie", betrag: "€ 1.234,50", notiz: "–"}
    ]);
  });

  it("ISO-8859-1 (read as Windows-1252)", () => {
    const t = fixture("latin1.csv");
    expect(t.encoding).toBe("windows-1252");
    expect(t.header).toEqual(["Straße", "Höhe über NN", "Fläche m²"]);
    expect(t.rows.map((r) => r.values[0])).toEqual(["Äußere Straße", "Ölweg", "Überweg"]);
    expect(t.rows[2]?.cells).toEqual({strasse: "Überweg", hoehe_ueber_nn: "88", flaeche_m2: "5 °"});
  });

  it("double-encoded UTF-8 is an encoding error naming file and line", () => {
    const e = thrown(() => fixture("mojibake.csv"));
    expect(e.code).toBe("encoding");
    expect(e.file).toBe("mojibake.csv");
    expect(e.line).toBe(3);
    expect(e.message).toContain("mojibake.csv, Zeile 3");
    expect(e.message).toContain("„Ã¼“ statt „ü“");
  });

  it("U+FFFD is an encoding error unless allowReplacementChars is set", () => {
    const e = thrown(() => fixture("replacement_char.csv"));
    expect(e.code).toBe("encoding");
    expect(e.line).toBe(2);
    expect(e.message).toContain("replacement_char.csv, Zeile 2");
    const t = readTableFile(fixtures + "replacement_char.csv", {allowReplacementChars: true});
    expect(t.rows.map((r) => r.values)).toEqual([
      ["H\uFFFDntrop", "1"],
      ["Linden", "2"]
    ]);
  });
});

describe("parseTable: line structure", () => {
  it("mixed CRLF and LF", () => {
    const t = fixture("mixed_eol.csv");
    expect(t.rows.map((r) => r.values)).toEqual([
      ["2022", "01", "10"],
      ["2022", "02", "20"],
      ["2023", "01", "11"],
      ["2023", "02", "-"]
    ]);
    expect(lines(t)).toEqual([2, 3, 4, 5]);
    expect(t.rows[3]?.cells["anzahl"]).toBe("-");
  });

  it("quoted fields with delimiter, doubled quotes and line breaks keep physical line numbers", () => {
    const t = fixture("quoted.csv");
    expect(t.rows.map((r) => r.cells)).toEqual([
      {id: "1", name: 'Kita "Sonnenschein"', bemerkung: "Öffnungszeiten; 7-17 Uhr\nSamstag geschlossen"},
      {id: "2", name: "Kita Regenbogen", bemerkung: "ohne"},
      {id: "3", name: "Mehrzeilig\nmit CRLF\nim Feld", bemerkung: "x"},
      {id: "4", name: "Ende", bemerkung: "a;b"}
    ]);
    // record 1 spans lines 2–3, record 3 spans lines 5–7
    expect(lines(t)).toEqual([2, 4, 5, 8]);
  });

  it("trailing empty lines are skipped and counted", () => {
    const t = fixture("trailing_empty_lines.csv");
    expect(t.rows.map((r) => r.values)).toEqual([
      ["01", "5"],
      ["02", "7"]
    ]);
    expect(t.skippedBlankLines).toBe(3);
    expect(t.footnotes).toEqual([]);
  });

  it("trailing delimiters: the empty trailing column is dropped; ;;; lines are blank", () => {
    const t = fixture("trailing_delimiters.csv");
    expect(t.header).toEqual(["Jahr", "Gebiet", "Anzahl"]);
    expect(t.rows.map((r) => r.values)).toEqual([
      ["2023", "01", "5"],
      ["2023", "02", "7"]
    ]);
    expect(lines(t)).toEqual([3, 4]);
    expect(t.skippedBlankLines).toBe(2);
  });

  it("keeps a trailing column without name when it holds data", () => {
    const t = text("a;b;\n1;2;Notiz\n3;4;\n");
    expect(t.header).toEqual(["a", "b", ""]);
    expect(t.rows.map((r) => r.cells)).toEqual([
      {a: "1", b: "2", spalte_3: "Notiz"},
      {a: "3", b: "4", spalte_3: ""}
    ]);
    // the trailing empty cell lies within the table width (3 columns) and is kept
    expect(t.rows[1]?.values).toEqual(["3", "4", ""]);
  });

  it("short rows get empty cells; values are not padded", () => {
    const t = text("a;b;c\n1\n2;3;4\n");
    expect(t.rows[0]).toEqual({line: 2, cells: {a: "1", b: "", c: ""}, values: ["1"]});
  });

  it("lone CR line endings (old Mac files)", () => {
    const t = text("a;b\r1;2\r3;4");
    expect(t.rows.map((r) => [r.line, r.values])).toEqual([
      [2, ["1", "2"]],
      [3, ["3", "4"]]
    ]);
  });

  it("trims cells including no-break spaces", () => {
    const t = text("a;b\n  x \u00a0; y\t\n");
    expect(t.rows[0]?.values).toEqual(["x", "y"]);
  });
});

describe("parseTable: delimiters", () => {
  it("tab-delimited with German decimals", () => {
    const t = fixture("tab.csv");
    expect(t.delimiter).toBe("\t");
    expect(t.rows.map((r) => r.cells)).toEqual([
      {gebiet: "Altenbochum", quote: "12,5", anzahl: "1.234"},
      {gebiet: "Grumme", quote: "7,25", anzahl: "980"}
    ]);
  });

  it("comma-delimited with quoted commas and doubled quotes", () => {
    const t = fixture("comma.csv");
    expect(t.delimiter).toBe(",");
    expect(t.rows.map((r) => r.values)).toEqual([
      ["Altenbochum", "12.5", "1234", "Kita, Schule"],
      ["Grumme", "7.25", "980", "ohne"],
      ["Hamme", "3.0", "17", 'Zitat "x"']
    ]);
  });

  it("is not fooled by commas in German decimals", () => {
    const t = text("Gebiet;Quote;Anteil\nA;12,5;1,5\nB;3,25;2,75\nC;1,0;0,5\n");
    expect(t.delimiter).toBe(";");
    expect(t.header).toEqual(["Gebiet", "Quote", "Anteil"]);
    expect(t.rows.map((r) => r.values[1])).toEqual(["12,5", "3,25", "1,0"]);
  });

  it("is not fooled by semicolons and tabs in quoted text of a comma file", () => {
    const t = text('id,text\n1,"a;b;c"\n2,"x\ty;z"\n3,"p;q"\n');
    expect(t.delimiter).toBe(",");
    expect(t.rows.map((r) => r.values)).toEqual([
      ["1", "a;b;c"],
      ["2", "x\ty;z"],
      ["3", "p;q"]
    ]);
  });

  it("uses the expected columns to choose the delimiter", () => {
    // every record has three commas, so by field counts alone "," (4 fields) beats ";" (3 fields)
    const csv = "Jahr;Gebiet;Bemerkung, a, b, c\n2024;01;x, y, z, w\n";
    expect(text(csv).delimiter).toBe(",");
    const t = text(csv, "x.csv", {
      columns: [
        {key: "year", aliases: ["jahr"], required: true},
        {key: "area_id", aliases: ["gebiet"], required: true}
      ]
    });
    expect(t.delimiter).toBe(";");
    expect(t.rows[0]?.cells).toEqual({year: "2024", area_id: "01", bemerkung_a_b_c: "x, y, z, w"});
  });
});

describe("parseTable: GENESIS structure", () => {
  it("title lines, three-row header, markers, total row, blank line and footnotes", () => {
    const t = fixture("genesis.csv");
    expect(t.encoding).toBe("windows-1252");
    expect(t.preamble).toEqual([
      "GENESIS-Tabelle: 12411-03-03-4",
      "Bevölkerung nach Geschlecht - Stichtag 31.12. - Stadtbezirke",
      "Bochum, kreisfreie Stadt"
    ]);
    expect(t.header).toEqual([
      "",
      "",
      "Bevölkerung Insgesamt Anzahl",
      "Bevölkerung männlich Anzahl",
      "Bevölkerung weiblich Anzahl"
    ]);
    expect(t.headerLine).toBe(6);
    expect(t.headerRows).toBe(3);
    expect(t.rows.map((r) => [r.line, r.cells["spalte_2"]])).toEqual([
      [7, "Bochum-Mitte"],
      [8, "Wattenscheid"],
      [9, "Nord"]
    ]);
    expect(t.rows[2]?.values).toEqual(["31.12.2023", "Nord", ".", "x", "-"]);
    expect(t.totals.map((r) => [r.line, r.cells["bevoelkerung_insgesamt_anzahl"]])).toEqual([[10, "176.556"]]);
    expect(t.skippedBlankLines).toBe(1);
    expect(t.footnotes).toEqual([
      "_____",
      "Quelle: Information und Technik Nordrhein-Westfalen",
      "© IT.NRW, Düsseldorf, 2024",
      "Stand: 05.03.2024 / 10:00:00"
    ]);
  });

  it("finds the header by the expected columns when title lines have several cells", () => {
    const csv = "Stadt Bochum;Stand 2024;\nHinweis;vorläufig;\nJahr;Gebiet-ID;Anzahl\n2024;01;5\n2024;02;7\nQuelle: Stadt Bochum\n";
    const t = text(csv, "population.csv", {
      columns: [
        {key: "year", aliases: ["jahr"], required: true},
        {key: "area_id", aliases: ["gebiet_id"], required: true},
        {key: "count", aliases: ["anzahl"], required: true}
      ]
    });
    expect(t.headerLine).toBe(3);
    expect(t.preamble).toEqual(["Stadt Bochum Stand 2024", "Hinweis vorläufig"]);
    expect(t.rows.map((r) => r.cells)).toEqual([
      {year: "2024", area_id: "01", count: "5"},
      {year: "2024", area_id: "02", count: "7"}
    ]);
    expect(t.footnotes).toEqual(["Quelle: Stadt Bochum"]);
  });

  it("recognises footnote markers and a trailing block of single-cell lines", () => {
    const t = text("a;b\n1;2\n3;4\n(1) vorläufige Zahl\n1) geschätzt\nErläuterung: siehe Text\n");
    expect(t.rows).toHaveLength(2);
    expect(t.footnotes).toEqual(["(1) vorläufige Zahl", "1) geschätzt", "Erläuterung: siehe Text"]);
  });

  it("keeps single-cell rows in the middle of the data as data", () => {
    const t = text("a;b\n1;2\nnur a\n3;4\n");
    expect(t.rows.map((r) => r.values)).toEqual([["1", "2"], ["nur a"], ["3", "4"]]);
    expect(t.footnotes).toEqual([]);
  });
});

describe("parseTable: total rows", () => {
  it("total label in the first text cell, as whole cell or prefix, case-insensitive", () => {
    const t = text("Jahr;Gebiet;Anzahl\n2024;A;1\n2024;B;2\n2024;Summe 2024;3\n2024;INSGESAMT:;3\n2024;Gesamtschule;9\n");
    expect(t.totals.map((r) => r.line)).toEqual([4, 5]);
    expect(t.rows.map((r) => r.values[1])).toEqual(["A", "B", "Gesamtschule"]);
  });

  it("total label in a label column (bezeichnung) even when an earlier text cell exists", () => {
    const t = text("Programm;Bezeichnung;Betrag\nkinderstark;Lotsen;5\nkinderstark;Total;5\n");
    expect(t.totals.map((r) => r.line)).toEqual([3]);
    expect(t.rows).toHaveLength(1);
  });

  it("custom total labels", () => {
    const t = text("Gebiet;Anzahl\nA;1\nStadt;1\n", "t.csv", {totalLabels: ["Stadt"]});
    expect(t.totals.map((r) => r.values[0])).toEqual(["Stadt"]);
  });
});

describe("parseTable: structural errors", () => {
  const specs: ColumnSpec[] = [
    {key: "year", aliases: ["jahr"], required: true},
    {key: "area_id", aliases: ["gebiet_id"], required: true},
    {key: "count", aliases: ["anzahl"], required: true}
  ];

  it("missing columns: one error listing all of them with the header line", () => {
    const e = thrown(() => text("Titel\nJahr;Bezirk;Menge\n2024;1;5\n", "population.csv", {columns: specs}));
    expect(e.code).toBe("missing_column");
    expect(e.line).toBe(2);
    expect(e.message).toContain("population.csv, Zeile 2");
    expect(e.message).toContain("„area_id“");
    expect(e.message).toContain("„count“");
    expect(e.message).not.toContain("„year“");
    expect(e.message).toContain("„Jahr“, „Bezirk“, „Menge“");
  });

  it("city mapping resolves a non-standard column", () => {
    const t = text("Jahr;Bezirk;Menge\n2024;1;5\n", "population.csv", {
      columns: specs,
      mapping: {Bezirk: "area_id", MENGE: "count"}
    });
    expect(t.rows[0]?.cells).toEqual({year: "2024", area_id: "1", count: "5"});
  });

  it("a file without header (numbers only) is no_header", () => {
    const e = thrown(() => text("1;2;3\n4;5;6\n", "ohne_kopf.csv"));
    expect(e.code).toBe("no_header");
    expect(e.line).toBe(1);
    expect(e.message).toContain("ohne_kopf.csv, Zeile 1");
  });

  it("a header of years is accepted", () => {
    expect(text(";2022;2023\nA;1;2\n").header).toEqual(["", "2022", "2023"]);
  });

  it("empty files", () => {
    expect(thrown(() => parseTable(new Uint8Array(0), {file: "leer.csv"})).code).toBe("empty");
    expect(thrown(() => text("\n;;;\r\n  \n", "leer.csv")).code).toBe("empty");
  });

  it("an unterminated quote in the data is a quote error with the line", () => {
    const e = thrown(() => text('a;b\n1;2\n3;"offen\n4;5\n', "q.csv"));
    expect(e.code).toBe("quote");
    expect(e.line).toBe(3);
    expect(e.message).toContain("q.csv, Zeile 3");
  });

  it("a missing file is unreadable", () => {
    const e = thrown(() => readTableFile(fixtures + "gibt-es-nicht.csv"));
    expect(e.code).toBe("unreadable");
    expect(e.message).toContain("nicht gefunden");
  });

  it("parseTable and readTableFile agree", () => {
    const bytes = readFileSync(fixtures + "quoted.csv");
    expect(parseTable(bytes, {file: "quoted.csv"})).toEqual(fixture("quoted.csv"));
  });
});
