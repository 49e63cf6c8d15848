import {describe, expect, it} from "vitest";
import {IngestError, matchColumns, normalizeHeader, type ColumnSpec} from "../../loaders/ingest/index.ts";

describe("normalizeHeader", () => {
  const cases: [string, string][] = [
    ["Männlich", "maennlich"],
    ["Maennlich ", "maennlich"],
    ["MAENNLICH", "maennlich"],
    ["MÄNNLICH", "maennlich"],
    ["Beleuchtung\n vorhanden", "beleuchtung_vorhanden"],
    ["Beleuchtung\r\n  vorhanden", "beleuchtung_vorhanden"],
    ["Plätze U3", "plaetze_u3"],
    ["Plaetze U3", "plaetze_u3"],
    ["Straße", "strasse"],
    ["  Anzahl  ", "anzahl"],
    ["ANZAHL ", "anzahl"],
    ["Gebiet-ID", "gebiet_id"],
    ["gebiet_id", "gebiet_id"],
    ["Bez-Nr", "bez_nr"],
    ["Alter (Monate)", "alter_monate"],
    ["Einwohner*innen", "einwohnerinnen"],
    ["Fläche m²", "flaeche_m2"],
    ["Café", "cafe"],
    ["Insgesamt:", "insgesamt"],
    ["Übergewicht", "uebergewicht"],
    ["", ""],
    ["---", ""]
  ];
  it.each(cases)("%j → %j", (input, expected) => {
    expect(normalizeHeader(input)).toBe(expected);
  });
});

const population: ColumnSpec[] = [
  {key: "year", aliases: ["jahr"], required: true},
  {key: "area_id", aliases: ["gebiet_id", "raum_id"], required: true},
  {key: "age_band", aliases: ["altersgruppe", "alter"], required: true},
  {key: "count", aliases: ["anzahl", "einwohner"], required: true},
  {key: "source", aliases: ["quelle"]}
];

describe("matchColumns", () => {
  it("matches keys and aliases ignoring case, spaces and umlaut spelling", () => {
    const m = matchColumns(["Jahr", "Gebiet-ID", "Altersgruppe", "ANZAHL ", "Bemerkung"], population);
    expect([...m.byKey.entries()]).toEqual([
      ["year", 0],
      ["area_id", 1],
      ["age_band", 2],
      ["count", 3]
    ]);
    expect(m.unknown).toEqual(["Bemerkung"]);
  });

  it("applies a city mapping (raw name → key, normalised on both sides) before names", () => {
    const specs: ColumnSpec[] = [
      {key: "year", aliases: ["jahr", "untersuchungsjahr"], required: true},
      {key: "area_id", aliases: ["gebiet_id"], required: true}
    ];
    const m = matchColumns(["Jahr", "Untersuchungsjahr", "WOHNBEZIRK "], specs, {
      "Untersuchungsjahr": "year",
      "Wohnbezirk": "area_id"
    });
    expect(m.byKey.get("year")).toBe(1);
    expect(m.byKey.get("area_id")).toBe(2);
    expect(m.unknown).toEqual(["Jahr"]);
  });

  it("uses the first of duplicate columns and reports the second as unknown", () => {
    const m = matchColumns(["Jahr", "jahr", "Gebiet_ID", "Alter", "Anzahl"], population);
    expect(m.byKey.get("year")).toBe(0);
    expect(m.unknown).toEqual(["jahr"]);
  });

  it("throws missing_column listing ALL missing required columns and the header found", () => {
    let err: unknown;
    try {
      matchColumns(["Gebiet", "Menge", ""], population, undefined, "population.csv", 3);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IngestError);
    const e = err as IngestError;
    expect(e.code).toBe("missing_column");
    expect(e.file).toBe("population.csv");
    expect(e.line).toBe(3);
    expect(e.message).toContain("population.csv, Zeile 3");
    expect(e.message).toContain("Pflichtspalten fehlen");
    for (const key of ["„year“", "„area_id“", "„age_band“", "„count“"]) expect(e.message).toContain(key);
    expect(e.message).not.toContain("„source“");
    expect(e.message).toContain("Gefundene Kopfzeile: „Gebiet“, „Menge“.");
    expect(e.message).toContain("column_mappings");
  });

  it("does not require optional columns", () => {
    const m = matchColumns(["jahr", "gebiet_id", "alter", "einwohner"], population);
    expect(m.byKey.has("source")).toBe(false);
    expect(m.byKey.get("count")).toBe(3);
  });
});
