import {cpSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {StrictModeError, validateCity} from "../../loaders/validate.ts";
import {IngestError} from "../../loaders/ingest/index.ts";

const MUSTERSTADT = join(import.meta.dirname, "..", "fixtures", "cities", "musterstadt");

/**
 * Musterstadt is written the way planners' exports look: Windows-1252 with title
 * lines, a total row and footnotes (population, measures), UTF-8 with BOM and
 * comma delimiter (seu), tab-delimited (indicators), UTM coordinates, German
 * column names – and with one error of each kind at a known line.
 */
describe("validateCity on a messy planner export", () => {
  const city = validateCity(MUSTERSTADT);
  const errors = city.report.errors.map((e) => `${e.file}:${e.line}:${e.column}:${e.code}`);

  it("finds every error at its line, with the column and reason", () => {
    expect(errors).toEqual([
      "areas.geojson:12:parent_id:unknown_area",
      "areas.geojson:13:id:duplicate_key",
      "areas.geojson:14:geometry:invalid_geometry",
      "population.csv:10:count:negative",
      "population.csv:11:area_id:unknown_area",
      "population.csv:13:year+area_id+age_band:duplicate_key",
      "population.csv:14:year:year_out_of_range",
      "seu.csv:3:age_months:out_of_range",
      "seu.csv:4:sopess_attention:invalid_value",
      "seu.csv:5:area_id:unknown_area",
      "kitas.csv:4:x:outside_areas",
      "kitas.csv:5:year+kita_id:duplicate_key",
      "measures.csv:7:handlungsfeld:invalid_value",
      "measures.csv:8:areas:unknown_area",
      "indicators.csv:3:numerator:invalid_number",
      "indicators.csv:4:numerator:numerator_above_denominator",
      "indicators.csv:5:denominator:zero_denominator"
    ]);
  });

  it("accounts for every row: read = loaded + rejected", () => {
    const byFile = Object.fromEntries(city.report.files.map((f) => [f.file, [f.rows_read, f.rows_loaded, f.rows_rejected, f.total_rows]]));
    expect(byFile).toEqual({
      "areas.geojson": [10, 7, 3, 0],
      "population.csv": [11, 7, 4, 1], // 11 data lines (5–15), the "Summe" line is checked, not counted
      "seu.csv": [7, 4, 3, 0],
      "kitas.csv": [4, 2, 2, 0],
      "measures.csv": [5, 3, 2, 0],
      "programme_totals.csv": [1, 1, 0, 0],
      "indicators.csv": [5, 2, 3, 0]
    });
    for (const f of city.report.files) expect(f.rows_read).toBe(f.rows_loaded + f.rows_rejected);
    // one error per rejected row
    expect(city.report.errors.length).toBe(city.report.files.reduce((s, f) => s + f.rows_rejected, 0));
  });

  it("detects encodings and delimiters", () => {
    const meta = Object.fromEntries(city.report.files.filter((f) => f.encoding).map((f) => [f.file, `${f.encoding} ${f.delimiter}`]));
    expect(meta["population.csv"]).toBe("windows-1252 ;");
    expect(meta["seu.csv"]).toBe("utf-8-bom ,");
    expect(meta["indicators.csv"]).toBe("utf-8 Tab");
  });

  it("reports the total row and the declared programme total with both numbers", () => {
    const warnings = city.report.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`.replace(/\u00a0/g, " "));
    // items of the population total: 120+135+98+1204−5+40+77+78+80 = 1827 (markers -9999 and "." are not numbers)
    expect(warnings).toContain("population.csv:16: Summenzeile nennt 1.830, die Einzelposten ergeben 1.827 (Differenz 3)");
    // loaded measures: 12.500,00 + 8.000 + 3.250,50 = 23.750,50 € against a declared 24.000 €
    expect(warnings).toContain(
      "programme_totals.csv:2: kinderstark 2023 (bewilligt): erklärte Summe 24.000 €, die 3 Maßnahmen ergeben 23.750,50 € (249,50 € weniger als erklärt)"
    );
  });

  it("converts German numbers, keeps statistical markers as NULL with the marker, keeps leading zeros", () => {
    const population = city.files.find((f) => f.spec.name === "population.csv")!;
    const row = (line: number) => population.records.find((r) => r._line === line);
    expect(row(9)).toMatchObject({area_id: "021", age_band: "0-3", count: 1204});
    expect(row(7)).toMatchObject({area_id: "012", count: null});
    expect(row(15)).toMatchObject({area_id: "022", age_band: "3-6", count: null});
    expect(population.markers).toEqual([
      {line: 7, column: "count", marker: "-9999"},
      {line: 15, column: "count", marker: "."}
    ]);
    const seu = city.files.find((f) => f.spec.name === "seu.csv")!;
    expect(seu.records[0]).toMatchObject({area_id: "011", kita_years: 3.5, u9_documented: true, measles_doses: 2});
    expect(seu.records.at(-1)).toMatchObject({area_id: "022", measles_doses: null, bmi_category: "Adipositas", german_level: "erhebliche Fehler"});
  });

  it("reads a quoted measure name with delimiter and line break, and counts physical lines after it", () => {
    const measures = city.files.find((f) => f.spec.name === "measures.csv")!;
    expect(measures.records.map((r) => [r._line, r.measure, r.amount_eur])).toEqual([
      [3, "Babylotsen", 12500],
      [4, "Stadtteilarbeit; Hafen\n(Quartiersbüro)", 8000],
      [6, "Elterncafé", 3250.5]
    ]);
    expect(measures.records[0]).toMatchObject({city_wide: true, areas: [], life_phases: ["schwangerschaft", "0-3"], target_group: "births", reach_unit: "families"});
    expect(measures.records[1]).toMatchObject({city_wide: false, areas: ["021"], handlungsfeld: ["II", "IV"]});
  });

  it("reprojects UTM areas and assigns Kitas by point in polygon", () => {
    const kitas = city.files.find((f) => f.spec.name === "kitas.csv")!;
    expect(kitas.records.map((r) => [r.kita_id, r.area_id, r.area_assignment])).toEqual([
      ["K1", "011", "Koordinaten"], // 371000/5703000 lies in Altstadt (370000–372000 × 5702000–5704000)
      ["K2", "022", "angegeben"]
    ]);
    const altstadt = city.areas.find((a) => a.area_id === "011")!;
    const ring = (altstadt.geometry!.coordinates as number[][][])[0]!;
    expect(ring[0]![0]).toBeGreaterThan(7.1);
    expect(ring[0]![0]).toBeLessThan(7.2);
  });

  it("stops at the first row error with --strict", () => {
    expect(() => validateCity(MUSTERSTADT, {strict: true})).toThrow(StrictModeError);
    try {
      validateCity(MUSTERSTADT, {strict: true});
    } catch (error) {
      expect((error as StrictModeError).issue).toMatchObject({file: "areas.geojson", line: 12});
    }
  });
});

describe("structural problems stop the load with one clear message", () => {
  function copyCity(): string {
    const dir = mkdtempSync(join(tmpdir(), "chancenatlas-"));
    cpSync(MUSTERSTADT, dir, {recursive: true});
    return dir;
  }

  it("names the file and all missing required columns", () => {
    const dir = copyCity();
    writeFileSync(join(dir, "indicators.csv"), "Jahr;Gebiet;Wert\n2023;011;5\n");
    try {
      validateCity(dir);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).file).toBe("indicators.csv");
      expect((error as IngestError).code).toBe("missing_column");
      expect((error as Error).message).toMatch(/indicator_id/);
      expect((error as Error).message).toMatch(/numerator/);
    } finally {
      rmSync(dir, {recursive: true});
    }
  });

  it("rejects a missing city.json and a city without areas", () => {
    const dir = copyCity();
    rmSync(join(dir, "areas.geojson"));
    expect(() => validateCity(dir)).toThrow(/weder areas.geojson noch areas.csv/);
    rmSync(join(dir, "city.json"));
    expect(() => validateCity(dir)).toThrow(/city.json/);
    rmSync(dir, {recursive: true});
  });

  it("rejects a file whose umlauts were destroyed (replacement characters)", () => {
    const dir = copyCity();
    writeFileSync(join(dir, "indicators.csv"), Buffer.from("Jahr;Gebiet;Indikator;Z\uFFFDhler;Nenner\n2023;011;sgb2_u15;4;50\n", "utf8"));
    expect(() => validateCity(dir)).toThrow(IngestError);
    rmSync(dir, {recursive: true});
  });
});
