import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {main} from "../../loaders/cli.ts";
import {openDatabase, queryRows} from "../../loaders/db.ts";

const MUSTERSTADT = join(import.meta.dirname, "..", "fixtures", "cities", "musterstadt");
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-cli-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

async function run(...argv: string[]): Promise<{code: number; out: string; err: string}> {
  let out = "";
  let err = "";
  const code = await main(argv, {stdout: (s) => (out += s), stderr: (s) => (err += s)});
  return {code, out, err};
}

describe("chancenatlas validate", () => {
  it("prints the report and exits 1 on data errors", async () => {
    const {code, out} = await run("validate", MUSTERSTADT);
    expect(code).toBe(1);
    expect(out).toContain("population.csv:10: count: negativer Wert -5");
    expect(out).toMatch(/population\.csv\s+11\s+7\s+4\s+\(\+1 Summenzeile geprüft\)/);
  });

  it("prints JSON with files, errors and warnings", async () => {
    const {code, out} = await run("validate", MUSTERSTADT, "--json");
    expect(code).toBe(1);
    const report = JSON.parse(out) as {files: {file: string; rows_read: number; rows_loaded: number; rows_rejected: number}[]; errors: {file: string; line: number; column: string; code: string; message: string}[]; warnings: unknown[]};
    expect(report.files.find((f) => f.file === "seu.csv")).toMatchObject({rows_read: 7, rows_loaded: 4, rows_rejected: 3});
    expect(report.errors[3]).toEqual({file: "population.csv", line: 10, column: "count", code: "negative", message: "negativer Wert -5 – Anzahl kann nicht negativ sein"});
    expect(report.warnings).toHaveLength(2);
  });

  it("exits 2 on usage and structural errors", async () => {
    expect((await run("validate")).code).toBe(2);
    expect((await run("validate", "--bogus", MUSTERSTADT)).code).toBe(2);
    const missing = await run("validate", join(tmp, "nirgendwo"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nirgendwo/);
    expect((await run("frobnicate")).code).toBe(2);
  });

  it("--strict fails at the first row error", async () => {
    const {code, err} = await run("validate", MUSTERSTADT, "--strict");
    expect(code).toBe(1);
    expect(err).toMatch(/^areas\.geojson:12: parent_id: /);
  });
});

describe("chancenatlas load", () => {
  it("writes valid rows and the quarantine into DuckDB, deterministically", async () => {
    const db1 = join(tmp, "a.duckdb");
    const db2 = join(tmp, "b.duckdb");
    expect((await run("load", MUSTERSTADT, "--db", db1)).code).toBe(0);
    expect((await run("load", MUSTERSTADT, "--db", db2)).code).toBe(0);
    // loading again over an existing file replaces it
    expect((await run("load", MUSTERSTADT, "--db", db1)).code).toBe(0);
    const snapshot = async (path: string) => {
      const {instance, conn} = await openDatabase(path);
      const tables = ["areas", "population", "seu", "kitas", "measures", "programme_totals", "indicator_input", "cell_markers", "quarantine", "load_report", "load_warnings"];
      const out: Record<string, unknown> = {};
      for (const t of tables) out[t] = await queryRows(conn, `select * from ${t} order by all`);
      conn.closeSync();
      instance.closeSync();
      return out;
    };
    const a = await snapshot(db1);
    expect(a).toEqual(await snapshot(db2));
    expect((a.population as unknown[]).length).toBe(7);
    expect((a.quarantine as unknown[]).length).toBe(17);
    expect(a.cell_markers).toEqual([
      {file: "population.csv", line: 7, column_name: "count", marker: "-9999"},
      {file: "population.csv", line: 15, column_name: "count", marker: "."}
    ]);
    const measures = a.measures as {measure: string; life_phases: string[]; amount_eur: number}[];
    expect(measures.map((m) => m.amount_eur).sort((x, y) => x - y)).toEqual([3250.5, 8000, 12500]);
    expect(measures.find((m) => m.measure === "Babylotsen")?.life_phases).toEqual(["schwangerschaft", "0-3"]);
    const report = a.load_report as {file: string; rows_read: number; rows_loaded: number; rows_rejected: number}[];
    for (const r of report) expect(r.rows_read).toBe(r.rows_loaded + r.rows_rejected);
  });

  it("--strict writes no database", async () => {
    const db = join(tmp, "strict.duckdb");
    expect((await run("load", MUSTERSTADT, "--db", db, "--strict")).code).toBe(1);
    expect(existsSync(db)).toBe(false);
  });
});
