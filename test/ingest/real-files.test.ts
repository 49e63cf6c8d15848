/**
 * The real public sample files in ../shared/data/real (beside the repository, as in CI).
 * Expected counts were worked out by hand from the files (see the comments).
 */
import {existsSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {IngestError, parseNumber, readTableFile, type RawTable} from "../../loaders/ingest/index.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const realDir = path.resolve(repoRoot, "../shared/data/real");
const available = existsSync(realDir);
if (!available) console.warn(`test/ingest/real-files: übersprungen – Ordner ${realDir} fehlt (../shared neben dem Repository).`);
const real = (p: string): string => path.join(realDir, p);

function allText(t: RawTable): string {
  return [
    ...t.header,
    ...t.preamble,
    ...t.footnotes,
    ...t.rows.flatMap((r) => r.values),
    ...t.totals.flatMap((r) => r.values)
  ].join("\n");
}

const NO_MOJIBAKE = /[\uFFFD]|Ã[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a\u20ac]/;

describe.skipIf(!available)(`real files in ${realDir}`, () => {
  it("bochum_sports_facilities_latin1.csv: ISO-8859-1, embedded newline in a header cell, blank lines, continuation rows", () => {
    const t = readTableFile(real("bochum/bochum_sports_facilities_latin1.csv"), {file: "bochum_sports_facilities_latin1.csv"});
    expect(t.encoding).toBe("windows-1252");
    expect(t.delimiter).toBe(";");
    // line 1–2 is the header record ("Beleuchtung\n vorhanden" is quoted); the 10th field has no name but holds
    // legend text in some rows ("WS = Weitsprung"), so it is kept
    expect(t.header).toEqual([
      "Art",
      "Bezeichnung",
      "Adresse",
      "Bezirk",
      "Spielfeld",
      "Belag",
      "Maße",
      "Beleuchtung\n vorhanden",
      "LA-Anlagen",
      ""
    ]);
    expect(t.headerLine).toBe(1);
    expect(t.preamble).toEqual([]);
    expect(t.footnotes).toEqual([]);
    // 174 physical lines: header 1–2, blank line 3 (";;;;;;;;;"), data lines 4–135, empty line 136,
    // 38 delimiter-only lines 137–174. Four data records span two lines (Am Hausacker, Brelohstraße,
    // Lohrheidestadion, RewirpowerStadion): 132 − 4 = 128 records.
    expect(t.rows).toHaveLength(128);
    expect(t.totals).toHaveLength(0);
    expect(t.skippedBlankLines).toBe(1 + 1 + 38);

    const first = t.rows[0];
    expect(first?.line).toBe(4);
    expect(first?.cells).toMatchObject({
      art: "Sportplatzanlage",
      bezeichnung: "Am Hausacker",
      spielfeld: "Großspielfeld",
      masse: "64,2 x 104,6",
      beleuchtung_vorhanden: "ja",
      la_anlagen: "WS",
      spalte_10: "WS = Weitsprung"
    });
    expect(t.rows[1]?.line).toBe(6); // after the two-line record
    // continuation row: empty name and address
    expect(t.rows[2]?.cells).toMatchObject({art: "", bezeichnung: "", bezirk: "4", belag: "Rasenplatz"});
    const names = t.rows.map((r) => r.cells["bezeichnung"]);
    expect(names).toContain("Glücksburger Straße");
    expect(names).toContain("Ümminger See");
    expect(names).toContain("Lohrheidestadion\n(Sportzentrum)");
    expect(t.rows.find((r) => r.cells["bezeichnung"] === "Lohrheidestadion\n(Sportzentrum)")?.line).toBe(73); // grep -n Lohrheidestadion → 73
    const last = t.rows[t.rows.length - 1];
    expect(last?.line).toBe(135);
    expect(last?.values).toEqual(["", "", "", "", "Kraftsportfläche", "", "keine Angabe", "", ""]);
    expect(allText(t)).not.toMatch(NO_MOJIBAKE);
    expect(t.rows.filter((r) => r.cells["art"] === "Sportplatzanlage").length).toBeGreaterThan(50);
    expect(parseNumber(t.rows.find((r) => r.cells["bezeichnung"] === "Am Hessenteich")?.cells["la_anlagen"] ?? "")).toEqual({
      kind: "marker",
      marker: "-"
    });
  });

  it("bochum_sports_facilities_latin1.csv with expected columns", () => {
    const t = readTableFile(real("bochum/bochum_sports_facilities_latin1.csv"), {
      columns: [
        {key: "name", aliases: ["bezeichnung"], required: true},
        {key: "district", aliases: ["bezirk", "stadtbezirk"], required: true},
        {key: "lighting", aliases: ["beleuchtung_vorhanden"]}
      ]
    });
    expect(t.rows).toHaveLength(128);
    expect(t.rows[0]?.cells).toMatchObject({name: "Am Hausacker", district: "1", lighting: "ja"});
    const districts = new Set(t.rows.map((r) => r.cells["district"]).filter((d) => d !== ""));
    expect([...districts].sort()).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  it("bochum_council_election_20140525_stimmbezirke.csv: U+FFFD in the header is an encoding error in line 1", () => {
    let err: unknown;
    try {
      readTableFile(real("bochum/bochum_council_election_20140525_stimmbezirke.csv"), {file: "wahl2014.csv"});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IngestError);
    const e = err as IngestError;
    expect(e.code).toBe("encoding");
    expect(e.file).toBe("wahl2014.csv");
    expect(e.line).toBe(1);
    expect(e.message).toContain("wahl2014.csv, Zeile 1");

    const t = readTableFile(real("bochum/bochum_council_election_20140525_stimmbezirke.csv"), {allowReplacementChars: true});
    expect(t.delimiter).toBe(",");
    expect(t.header).toHaveLength(25);
    expect(t.header[7]).toBe("nicht im W\uFFFDhlerverzeichnis");
    // 384 lines: header + 383 Stimmbezirke
    expect(t.rows).toHaveLength(383);
    expect(t.rows[0]?.cells).toMatchObject({bez_nr: "1001", wahlberechtigte_insgesamt: "1423", spd: "207", uwg: ""});
  });

  it("IT.NRW GENESIS table (Köln Flächennutzung): 6 title lines, 3-row header, footnotes", () => {
    const t = readTableFile(real("formats/itnrw_genesis_33111-02ir_koeln_flaechennutzung_latin1.csv"));
    expect(t.encoding).toBe("windows-1252");
    expect(t.preamble).toHaveLength(6);
    expect(t.preamble[0]).toBe("GENESIS-Tabelle: Temporär");
    expect(t.preamble[5]).toBe("Köln, krfr. Stadt");
    expect(t.headerRows).toBe(3);
    expect(t.headerLine).toBe(9);
    expect(t.header).toHaveLength(22);
    expect(t.header[3]).toBe("Flächennutzungsarten Gebäude- und Freifläche Wohnen");
    // data lines 10–28: Stichtage 31.12.2012 back to 31.12.1994
    expect(t.rows).toHaveLength(19);
    expect(t.rows[0]?.values[0]).toBe("31.12.2012");
    expect(t.rows[18]?.values[0]).toBe("31.12.1994");
    expect(t.rows[18]?.line).toBe(28);
    expect(t.rows.find((r) => r.values[0] === "31.12.2009")?.cells["flaechennutzungsarten_landwirtschaftsflaeche_moor"]).toBe("-");
    // footnotes: lines 29–43
    expect(t.footnotes).toHaveLength(15);
    expect(t.footnotes[0]).toBe("_____");
    expect(t.footnotes[14]).toBe("Stand: 07.10.2013 / 10:52:44");
    expect(6 + 3 + 19 + 15).toBe(43);
    expect(allText(t)).not.toMatch(NO_MOJIBAKE);
  });

  it("regionalstatistik GENESIS table (Kitas Länder): 4-row header, quoted multi-line footnotes", () => {
    const t = readTableFile(real("formats/regionalstatistik_22541-01-04-4-B_kitas_laender_latin1.csv"));
    expect(t.preamble).toEqual([
      "GENESIS-Tabelle: 22541-01-04-4-B",
      "Einrichtungen nach Alter der Kinder, genehmigte Plätze, tätige Personen  - Stichtage - regionale Ebenen",
      "Statistik der Tageseinrichtungen für Kinder"
    ]);
    expect(t.headerRows).toBe(4);
    expect(t.headerLine).toBe(7);
    expect(t.header).toHaveLength(16);
    expect(t.header.slice(0, 4)).toEqual(["", "", "", "Tageseinrichtungen für Kinder Anzahl"]);
    expect(t.header[9]).toBe("Genehmigte Plätze Anzahl");
    // lines 8–23: the 16 Länder
    expect(t.rows).toHaveLength(16);
    expect(t.rows.map((r) => r.line)).toEqual(Array.from({length: 16}, (_, i) => 8 + i));
    expect(t.rows[7]?.values.slice(0, 3)).toEqual(["01.03.2019", "08", "Baden-Württemberg, Land"]);
    expect(t.rows[15]?.values[2]).toBe("Thüringen");
    expect(t.rows[10]?.cells["spalte_3"]).toBe("Berlin");
    // footnotes: "__________", one quoted multi-line block, the quoted © block, "Stand: …"
    expect(t.footnotes).toHaveLength(4);
    expect(t.footnotes[0]).toBe("__________");
    expect(t.footnotes[1]).toMatch(/^zu "gesamte Tabelle":\nBaden-Württemberg/);
    expect(t.footnotes[2]).toMatch(/^© Statistische Ämter des Bundes und der Länder/);
    expect(t.footnotes[3]).toBe("Stand: 22.08.2020 / 12:51:44");
    expect(allText(t)).not.toMatch(NO_MOJIBAKE);
  });
});
