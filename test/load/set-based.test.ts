/**
 * The set-based loader (loaders/load/) against the in-memory validation: for every fixture
 * city, every embedded city, the messy reader fixtures and random population files, both
 * readers must give the same loaded rows, cell markers, quarantine (line, column, code,
 * German message, raw row), load report and warnings – or the same error.
 */
import {copyFileSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import fc from "fast-check";
import {afterAll, describe, expect, it} from "vitest";
import {encodeWindows1252} from "../../loaders/ingest/index.ts";
import {loadCity, type LoadOptions} from "../../loaders/load/city.ts";
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {cityDir} from "../../loaders/city.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
const MUSTERSTADT = join(FIXTURES, "cities", "musterstadt");
const TABLES = ["population", "seu", "indicator_input", "kitas", "measures", "programme_totals", "cell_markers", "quarantine", "load_report", "load_warnings"];
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-setbased-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

interface Outcome {
  tables?: Record<string, unknown[]>;
  readers?: Record<string, string>;
  report?: unknown;
  error?: string;
}

async function load(dir: string, options: LoadOptions): Promise<Outcome> {
  const {instance, conn} = await openDatabase();
  try {
    const result = await loadCity(conn, dir, options);
    const tables: Record<string, unknown[]> = {};
    for (const t of TABLES) tables[t] = await queryRows(conn, `SELECT * FROM ${t} ORDER BY ALL`);
    return {tables, readers: result.readers, report: result.report};
  } catch (error) {
    return {error: `${(error as Error).constructor.name}: ${(error as Error).message}`};
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function compare(dir: string, options: LoadOptions = {}): Promise<Outcome> {
  const fast = await load(dir, options);
  const memory = await load(dir, {...options, reader: "in-memory"});
  expect(fast.error).toEqual(memory.error);
  expect(fast.tables).toEqual(memory.tables);
  expect(fast.report).toEqual(memory.report);
  return fast;
}

describe("set-based loader = in-memory validation", () => {
  it("on the messy fixture city (Windows-1252 population with title lines and markers; quoted SEU read in memory)", async () => {
    const out = await compare(MUSTERSTADT);
    expect(out.readers?.["population.csv"]).toBe("set-based");
    expect(out.readers?.["seu.csv"]).toBe("in-memory"); // quoted cells
    // Kitas with UTM coordinates; one without an area id is placed by its coordinates (in memory)
    expect(out.readers?.["kitas.csv"]).toBe("set-based");
    expect((out.tables?.kitas ?? []).map((k) => (k as {area_assignment: string}).area_assignment).sort()).toEqual(["Koordinaten", "angegeben"]);
    expect((out.tables?.quarantine ?? []).length).toBeGreaterThan(0);
  });

  it("in --strict mode: the same first error", async () => {
    const out = await compare(MUSTERSTADT, {strict: true});
    expect(out.error).toMatch(/StrictModeError/);
  });

  for (const city of ["report-a", "report-b"]) {
    it(`on the fixture city ${city}`, async () => {
      const out = await compare(join(FIXTURES, "cities", city));
      expect(Object.values(out.readers ?? {})).toContain("set-based");
    });
  }

  for (const city of ["bochum", "bottrop", "koeln"]) {
    it(`on the embedded city ${city}`, async () => {
      const out = await compare(cityDir(city));
      for (const file of ["population.csv", "indicators.csv"]) expect(out.readers?.[file]).toBe("set-based");
      if (city !== "koeln") expect(out.readers?.["seu.csv"]).toBe("set-based");
      if (city !== "bochum") expect(out.readers?.["kitas.csv"]).toBe("set-based"); // Bochum's Kita names are quoted
    }, 120_000);
  }

  it("on a Kita file with every row rule (unknown and higher-level areas, over-occupied, no location, placed by coordinates, duplicates)", async () => {
    const dir = join(tmp, "kitas-rules");
    cpSync(MUSTERSTADT, dir, {recursive: true});
    writeFileSync(join(dir, "kitas.csv"), [
      "Jahr;Einrichtung ID;Einrichtung;Trägerart;Gebiet;Rechtswert;Hochwert;Plätze U3;Plätze Ü3;belegt U3;belegt Ü3;Familienzentrum;plusKITA",
      "2023;K1;Kita A;kommunal;011;371000;5703000;10;40;10;38;ja;nein",
      "2023;K2;Kita B;kommunal;099;371000;5703000;10;40;10;38;ja;nein", // unknown area
      "2023;K3;Kita C;kommunal;1;371000;5703000;10;40;10;38;ja;nein", // not the lowest level
      "2023;K4;Kita D;kommunal;012;;;10;40;14;38;ja;nein", // 14 occupied of 10 places (> 10 · 1,1 + 2)
      "2023;K5;Kita E;kommunal;012;;;10;40;13;38;ja;nein", // 13: allowed
      "2023;K6;Kita F;kommunal;;;;10;40;10;38;ja;nein", // no location
      "2023;K7;Kita G;kommunal;;371000;5703000;8;30;8;29;nein;nein", // placed by coordinates
      "2023;K10;Kita J;kommunal;;380000;5703000;8;30;8;29;nein;nein", // coordinates outside every area
      "2023;K1;Kita A;kommunal;011;371000;5703000;10;40;10;38;ja;nein", // duplicate key
      "2023;K8;Kita H;unbekannt;021;371000;5703000;10;40;10;38;ja;nein", // unknown provider type
      "2023;K9;Kita I;kommunal;021;371000;5703000;-;x;.;;ja;nein" // markers
    ].join("\n") + "\n");
    const out = await compare(dir);
    expect(out.readers?.["kitas.csv"]).toBe("set-based");
    const codes = (out.tables?.quarantine ?? []).filter((q) => (q as {file: string}).file === "kitas.csv").map((q) => (q as {code: string}).code).sort();
    expect(codes).toEqual(["duplicate_key", "invalid_value", "no_location", "not_lowest_level", "occupied_above_places", "outside_areas", "unknown_area"]);
    expect((out.tables?.kitas ?? []).filter((k) => (k as {area_assignment: string}).area_assignment === "Koordinaten")).toHaveLength(1);
  });

  // every reader fixture as the population file of the messy city (most are not population
  // tables, so their rows end in the quarantine – with the same messages on both paths)
  const ingest = readdirSync(join(FIXTURES, "ingest")).filter((f) => f.endsWith(".csv"));
  for (const file of ingest) {
    it(`on the reader fixture ${file} as population.csv`, async () => {
      const dir = join(tmp, `fixture-${file}`);
      cpSync(MUSTERSTADT, dir, {recursive: true});
      copyFileSync(join(FIXTURES, "ingest", file), join(dir, "population.csv"));
      await compare(dir);
    });
  }
});

const cell = fc.oneof(
  fc.constantFrom("2023", "2022", "1999", "2031", "011", "012", "021", "022", "099", "0-3", "3-6", "6-10", "75+", "x", "-", ".", "-9999", "", "12", "1.204", "-5", "3,5", "1 234", "12 %", "zwölf", "Gesamt", "Summe", "Insgesamt:", "Ä;ö", " ", "___", "Quelle: Test", "\u00a07\u00a0"),
  fc.string({maxLength: 6}).filter((s) => !s.includes('"') && !s.includes("\r"))
);
const row = fc.array(cell, {minLength: 1, maxLength: 6});

describe("set-based loader on random population files", () => {
  it("gives the same tables, report and errors as the in-memory validation", async () => {
    const dir = join(tmp, "random");
    cpSync(MUSTERSTADT, dir, {recursive: true});
    let setBased = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, {maxLength: 30}), fc.constantFrom(";", ",", "\t"), fc.constantFrom("\n", "\r\n"), fc.boolean(), fc.boolean(), async (rows, delimiter, eol, latin1, title) => {
        const lines = rows.map((r) => r.join(delimiter).replaceAll("\n", " "));
        const text = [...(title ? ["Bevölkerung nach Gebiet", ""] : []), ["Jahr", "Gebiet", "Altersgruppe", "Anzahl"].join(delimiter), ...lines].join(eol) + eol;
        const bytes = latin1 ? encodeWindows1252(text) ?? Buffer.from(text, "utf8") : Buffer.from(text, "utf8");
        writeFileSync(join(dir, "population.csv"), bytes);
        const out = await compare(dir);
        if (out.readers?.["population.csv"] === "set-based") setBased++;
      }),
      {numRuns: 60}
    );
    // the comparison is only meaningful if most random files really took the set-based path
    expect(setBased).toBeGreaterThan(30);
  }, 300_000);
});
