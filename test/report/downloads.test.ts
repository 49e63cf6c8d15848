/**
 * Download tables: CSV as German Excel reads it, Parquet read back by DuckDB, and the
 * small-number protection – no suppressed numerator, denominator or rate (looked up in
 * indicator_values, the unprotected table) appears in any download.
 */
import {appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {buildCity} from "../../loaders/pipeline.ts";
import {queryRows} from "../../loaders/db.ts";
import {asciiId, downloadTables, SECRET, toCsv, toParquet, type DownloadTable} from "../../loaders/export/downloads.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "cities");
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-downloads-"));
const opened: {instance: DuckDBInstance; conn: DuckDBConnection}[] = [];
const byName = new Map<string, DuckDBConnection>();

async function openCity(dir: string, name: string): Promise<DuckDBConnection> {
  const db = join(tmp, `${name}-${opened.length}.duckdb`);
  await buildCity(dir, db);
  const instance = await DuckDBInstance.create(db, {access_mode: "READ_ONLY"});
  const conn = await instance.connect();
  opened.push({instance, conn});
  byName.set(name, conn);
  return conn;
}

/** report-b plus a tiny Bezirk (17 children, no SGB II figures): suppresses funding, Kita and reach cells. */
function tinyAreaVariant(): string {
  const dir = join(tmp, "report-b-klein");
  cpSync(join(FIXTURES, "report-b"), dir, {recursive: true});
  appendFileSync(join(dir, "areas.csv"), "40;Kleinweiler;bezirk;00\n");
  for (const year of [2023, 2024]) {
    for (const [band, n] of [["0-3", 2], ["3-6", 3], ["6-10", 4], ["10-15", 5], ["15-18", 3]] as const) appendFileSync(join(dir, "population.csv"), `${year};40;${band};${n}\n`);
  }
  return dir;
}

afterAll(() => {
  for (const {instance, conn} of opened) {
    conn.closeSync();
    instance.closeSync();
  }
  rmSync(tmp, {recursive: true, force: true});
});

/** Reads CSV text the way German Excel does: BOM → UTF-8, ";" between fields, CRLF between records, RFC 4180 quotes. */
function readExcelCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const body = text.slice(1);
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ";") {
      record.push(field);
      field = "";
    } else if (ch === "\r" && body[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else if (ch === "\n" || ch === "\r") throw new Error(`bare line break at ${i}: every record must end with CRLF`);
    else field += ch;
  }
  expect(field).toBe(""); // the last record ends with CRLF, too
  expect(record).toEqual([]);
  return records;
}

/** A German number cell as Excel reads it: "1234,5" → 1234.5 (no thousands separator in the file). */
function germanNumber(cell: string): number | null {
  if (cell === "") return null;
  expect(cell).toMatch(/^-?\d+(,\d+)?$/);
  return Number(cell.replace(",", "."));
}

async function readParquet(bytes: Uint8Array, name: string): Promise<{rows: Record<string, unknown>[]; meta: Record<string, string>; types: Record<string, string>}> {
  const file = join(tmp, `${name}.parquet`);
  writeFileSync(file, bytes);
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const rows = await queryRows(conn, `SELECT * FROM read_parquet('${file}')`);
    const meta = await queryRows<{k: string; v: string}>(conn, `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${file}')`);
    const types = await queryRows<{column_name: string; column_type: string}>(conn, `DESCRIBE SELECT * FROM read_parquet('${file}')`);
    return {rows, meta: Object.fromEntries(meta.map((m) => [m.k, m.v])), types: Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))};
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

function table(tables: DownloadTable[], id: string): DownloadTable {
  const t = tables.find((x) => x.id === id);
  if (!t) throw new Error(`download ${id} missing (have ${tables.map((x) => x.id).join(", ")})`);
  return t;
}

describe("downloadTables", () => {
  let a: DownloadTable[];
  let b: DownloadTable[];
  let connA: DuckDBConnection;
  let connB: DuckDBConnection;
  beforeAll(async () => {
    connA = await openCity(join(FIXTURES, "report-a"), "report-a");
    connB = await openCity(join(FIXTURES, "report-b"), "report-b");
    a = await downloadTables(connA);
    b = await downloadTables(connB);
  });

  it("offers every published table with ASCII ids, German titles and described columns", async () => {
    const catalogue = await queryRows<{indicator_id: string}>(connA, "SELECT indicator_id FROM indicator_catalogue ORDER BY rowid");
    expect(a.map((t) => t.id)).toEqual([
      "indikatorenkatalog",
      ...catalogue.map((c) => `indikator_${c.indicator_id}`),
      "bedarfsindex",
      "kita_versorgung",
      "foerderung_gebiete",
      "massnahmen",
      "datenqualitaet_dateien",
      "datenqualitaet_meldungen"
    ]);
    for (const t of [...a, ...b]) {
      expect(t.id).toMatch(/^[a-z0-9_-]+$/);
      expect(t.title.length).toBeGreaterThan(3);
      expect(t.description.length).toBeGreaterThan(10);
      expect(new Set(t.columns.map((c) => c.key)).size).toBe(t.columns.length);
      for (const c of t.columns) {
        expect(c.key).toMatch(/^[a-z0-9_]+$/);
        expect(["text", "number", "percent", "euro"]).toContain(c.type);
        expect(c.description.length).toBeGreaterThan(3);
      }
      for (const row of t.rows) for (const key of Object.keys(row)) expect(t.columns.some((c) => c.key === key)).toBe(true);
    }
    expect(asciiId("Förderung Gebiete/Übersicht")).toBe("foerderung_gebiete_uebersicht");
  });

  it("indicator downloads carry the funnel limits at each row's denominator around the city value", () => {
    const t = a.find((x) => x.id === "indikator_sgb2_u15")!;
    expect(t.columns.map((c) => c.key)).toEqual(expect.arrayContaining(["trichter95_unten", "trichter95_oben", "trichter998_unten", "trichter998_oben"]));
    const rows = t.rows.filter((r) => typeof r.nenner === "number" && typeof r.stadtwert === "number");
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      // p0 ± z·√(p0(1 − p0)/n), clamped to [0, 1]
      const p0 = r.stadtwert as number;
      const n = r.nenner as number;
      const half95 = 1.959963984540054 * Math.sqrt((p0 * (1 - p0)) / n);
      const half998 = 3.090232306167813 * Math.sqrt((p0 * (1 - p0)) / n);
      expect(r.trichter95_unten).toBeCloseTo(Math.max(0, p0 - half95), 12);
      expect(r.trichter95_oben).toBeCloseTo(Math.min(1, p0 + half95), 12);
      expect(r.trichter998_unten).toBeCloseTo(Math.max(0, p0 - half998), 12);
      expect(r.trichter998_oben).toBeCloseTo(Math.min(1, p0 + half998), 12);
    }
    // rows without a published denominator have no limits (they would reveal it)
    for (const r of t.rows.filter((x) => x.nenner === null || x.nenner === undefined)) expect(r.trichter95_unten ?? null).toBeNull();
    // ratios and € values have none
    expect(a.find((x) => x.id === "indikator_kita_coverage_u3")?.columns.some((c) => c.key.startsWith("trichter")) ?? false).toBe(false);
  });

  it("writes CSV as German Excel reads it: BOM, ';', CRLF, decimal comma, formula guard", () => {
    const handmade: DownloadTable = {
      id: "probe",
      title: "Probe",
      description: "Handgemachte Tabelle",
      columns: [
        {key: "name", label: "Name", description: "Text", type: "text"},
        {key: "share", label: "Anteil (%)", description: "Anteil", type: "percent"},
        {key: "amount", label: "Betrag (€)", description: "Betrag", type: "euro"},
        {key: "n", label: "Zahl", description: "Zahl", type: "number"}
      ],
      rows: [
        {name: "=SUMME(A1:A9)", share: 0.125, amount: 1234.5, n: 12.5},
        {name: 'Verein "Am Hafen"; Süd', share: null, amount: 0, n: -3}
      ]
    };
    const records = readExcelCsv(toCsv(handmade));
    expect(records).toEqual([
      ["Name", "Anteil (%)", "Betrag (€)", "Zahl"],
      ["'=SUMME(A1:A9)", "12,5", "1234,50", "12,5"],
      ['Verein "Am Hafen"; Süd', "", "0,00", "-3"]
    ]);

    // a real table: SGB II of Auenstadt, 2024, the city row: 300 of 800 = 37,5 %
    const sgb = table(a, "indikator_sgb2_u15");
    const rows = readExcelCsv(toCsv(sgb));
    expect(rows[0]).toEqual(sgb.columns.map((c) => c.label));
    const header = rows[0]!;
    const city2024 = rows.find((r) => r[header.indexOf("Jahr")] === "2024" && r[header.indexOf("Gebiets-Id")] === "0")!;
    expect(city2024[header.indexOf("Anteil (%)")]).toBe("37,5");
    expect(germanNumber(city2024[header.indexOf("Zähler: Kinder in SGB-II-Bedarfsgemeinschaften")]!)).toBe(300);
    expect(rows).toHaveLength(sgb.rows.length + 1);

    // text from the input starting with "=" or "+" is neutralised (measure "=1+2", provider "+Träger" in Beispielheim)
    const measures = readExcelCsv(toCsv(table(b, "massnahmen")));
    const mHeader = measures[0]!;
    const formula = measures.find((r) => r[mHeader.indexOf("Status")] === "beantragt")!;
    expect(formula[mHeader.indexOf("Maßnahme")]).toBe("'=1+2");
    expect(formula[mHeader.indexOf("Träger")]).toBe("'+Träger");
    expect(formula[mHeader.indexOf("Betrag (€)")]).toBe("9000,00");
    for (const r of measures.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("writes Parquet that DuckDB reads back with the same rows and values", async () => {
    for (const t of [...b, table(a, "indikator_seu_german_support"), table(a, "kita_versorgung")]) {
      const bytes = await toParquet(t);
      expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe("PAR1");
      expect(new TextDecoder().decode(bytes.slice(-4))).toBe("PAR1");
      const {rows, meta, types} = await readParquet(bytes, t.id);
      expect(rows).toHaveLength(t.rows.length);
      expect(Object.keys(types)).toEqual(t.columns.map((c) => c.key));
      expect(meta.title).toBe(t.title);
      expect(JSON.parse(meta.columns!).map((c: {label: string}) => c.label)).toEqual(t.columns.map((c) => c.label));
      rows.forEach((row, i) => {
        for (const c of t.columns) {
          const expected = t.rows[i]![c.key] ?? null;
          const actual = row[c.key] ?? null;
          if (typeof expected === "number") expect(actual as number).toBeCloseTo(expected, 12);
          else expect(actual).toEqual(expected);
        }
      });
      for (const c of t.columns) expect(types[c.key]).toBe(c.type === "text" ? "VARCHAR" : c.decimals === 0 ? "BIGINT" : "DOUBLE");
    }
  });

  it("keeps area ids as text and marks withheld Kita cells", () => {
    const kita = table(b, "kita_versorgung");
    expect(kita.rows.filter((r) => r.jahr === 2024).map((r) => r.gebiet_id)).toEqual(["00", "10", "20", "30"]);
    const north = kita.rows.find((r) => r.jahr === 2024 && r.gebiet_id === "10")!;
    expect(north).toMatchObject({kinder_u3: null, plaetze_u3: null, quote_u3: null, fehlende_plaetze_u3: null, kinder_ue3: null, plaetze_ue3: null, fehlende_plaetze_ue3: null, geheimhaltung: `U3 und Ü3 ${SECRET}`});
    const reach = table(b, "indikator_reach_births");
    expect(reach.rows.find((r) => r.jahr === 2023 && r.gebiet_id === "10")).toMatchObject({zaehler: null, nenner: null, wert: null, geheimhaltung: SECRET});
    const quality = table(b, "datenqualitaet_meldungen");
    expect(quality.rows).toEqual([{art: "abgelehnte Zeile", datei: "indicators.csv", zeile: 8, spalte: "area_id", code: "unknown_area", meldung: "unbekannte Gebiets-Id „99“ – sie fehlt in den Gebieten (areas)"}]);
  });
});

describe("no suppressed value in any download", () => {
  const cities: [string, () => string][] = [
    ["report-a", () => join(FIXTURES, "report-a")],
    ["report-b", () => join(FIXTURES, "report-b")],
    ["report-b-klein", tinyAreaVariant],
    ["bottrop", () => join(ROOT, "data", "bottrop")],
    ["koeln", () => join(ROOT, "data", "koeln")]
  ];
  for (const [name, dir] of cities) {
    it(name, async () => {
      const conn = await openCity(dir(), name);
      const tables = await downloadTables(conn);
      const byId = new Map(tables.map((t) => [t.id, t]));
      const cells = await queryRows<{
        indicator_id: string;
        year: number;
        area_id: string;
        numerator: number | null;
        denominator: number | null;
        rate: number | null;
        pooled_numerator: number | null;
        pooled_denominator: number | null;
        pooled_rate: number | null;
        suppressed: string | null;
        pooled_suppressed: string | null;
      }>(
        conn,
        `SELECT v.indicator_id, v.year, v.area_id, v.numerator, v.denominator, v.rate, v.pooled_numerator, v.pooled_denominator, v.pooled_rate, p.suppressed, p.pooled_suppressed
         FROM indicator_values v JOIN indicator_published p USING (indicator_id, year, area_id)
         WHERE p.suppressed IS NOT NULL OR p.pooled_suppressed IS NOT NULL`
      );
      expect(cells.length).toBeGreaterThan(0);
      const rowOf = (t: DownloadTable, year: number, areaId: string) => t.rows.find((r) => r.jahr === year && r.gebiet_id === areaId);
      const mapped: Record<string, {table: string; columns: string[]}> = {
        kita_coverage_u3: {table: "kita_versorgung", columns: ["kinder_u3", "plaetze_u3", "quote_u3", "fehlende_plaetze_u3"]},
        kita_coverage_ue3: {table: "kita_versorgung", columns: ["kinder_ue3", "plaetze_ue3", "quote_ue3", "fehlende_plaetze_ue3"]},
        funding_per_child: {table: "foerderung_gebiete", columns: ["kinder_0_18", "bewilligt_eur", "eur_je_kind"]}
      };
      let checked = 0;
      for (const c of cells) {
        const t = byId.get(`indikator_${c.indicator_id}`)!;
        const row = rowOf(t, c.year, c.area_id);
        expect(row, `${c.indicator_id} ${c.year} ${c.area_id}`).toBeDefined();
        const secretValues = [c.numerator, c.denominator, c.rate].filter((v): v is number => v !== null);
        if (c.suppressed) {
          // the annual cell: nothing but the year, the area and the city value
          for (const col of t.columns) {
            if (col.type === "text" || ["jahr", "stadtwert", "zaehler_3j", "nenner_3j", "wert_3j", "ki_unten_3j", "ki_oben_3j"].includes(col.key)) continue;
            expect(row![col.key] ?? null, `${t.id} ${c.year} ${c.area_id} ${col.key}`).toBeNull();
          }
          expect(row!.geheimhaltung).toBe(SECRET);
          expect(row!.vergleich_stadt ?? "").toBe("");
          const m = mapped[c.indicator_id];
          if (m) {
            const other = rowOf(byId.get(m.table)!, c.year, c.area_id);
            if (other) for (const col of m.columns) expect(other[col] ?? null, `${m.table} ${c.year} ${c.area_id} ${col}`).toBeNull();
          }
          checked++;
        }
        if (c.pooled_suppressed) {
          for (const col of ["zaehler_3j", "nenner_3j", "wert_3j", "ki_unten_3j", "ki_oben_3j"]) expect(row![col] ?? null).toBeNull();
          expect(row!.geheimhaltung_3j).toBe(SECRET);
          secretValues.push(...[c.pooled_numerator, c.pooled_denominator, c.pooled_rate].filter((v): v is number => v !== null));
          checked++;
        }
        // and nowhere else in the cell's own row (e.g. hidden in another column)
        for (const [key, value] of Object.entries(row!)) {
          if (typeof value !== "number" || key === "jahr" || key === "stadtwert") continue;
          if (!c.pooled_suppressed && key.endsWith("_3j")) continue;
          if (c.pooled_suppressed && !c.suppressed && !key.endsWith("_3j")) continue;
          for (const secret of secretValues) expect(Math.abs(value - secret) < 1e-9 && secret !== 0 ? `${key}=${value}` : "").toBe("");
        }
      }
      expect(checked).toBeGreaterThan(0);
      // the same protection in the CSV text: a withheld row has empty number cells
      const some = cells.find((c) => c.suppressed)!;
      const t = byId.get(`indikator_${some.indicator_id}`)!;
      const csv = readExcelCsv(toCsv(t));
      const header = csv[0]!;
      const line = csv.find((r) => r[header.indexOf("Jahr")] === String(some.year) && r[header.indexOf("Gebiets-Id")] === some.area_id)!;
      expect(line[header.indexOf("Geheimhaltung")]).toBe(SECRET);
      for (const label of header) {
        const col = t.columns.find((c) => c.label === label)!;
        if (col.type !== "text" && !["jahr", "stadtwert"].includes(col.key) && !col.key.endsWith("_3j")) expect(line[header.indexOf(label)]).toBe("");
      }
    });
  }

  it("report-b-klein really exercises the funding protection", async () => {
    const conn = byName.get("report-b-klein")!;
    const rows = await queryRows<{area_id: string}>(conn, "SELECT area_id FROM indicator_published WHERE indicator_id = 'funding_per_child' AND suppressed IS NOT NULL ORDER BY area_id");
    expect(rows.map((r) => r.area_id)).toEqual(["10", "40"]);
    const funding = table(await downloadTables(conn), "foerderung_gebiete");
    expect(funding.rows.filter((r) => r.geheimhaltung === SECRET).map((r) => [r.gebiet_id, r.kinder_0_18, r.bewilligt_eur, r.eur_je_kind])).toEqual([
      ["10", null, null, null],
      ["40", null, null, null]
    ]);
  });
});
