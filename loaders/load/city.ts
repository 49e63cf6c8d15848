/**
 * Loads a whole city folder into an empty DuckDB connection: city.json and areas, then every
 * contract file – the large ones (school-entry microdata, population, aggregated indicators)
 * set-based in DuckDB (file.ts), the small ones with special rules (Kitas with coordinates,
 * measures with area lists, programme totals) in memory (validate.ts) – then quarantine,
 * load report and warnings. Same tables, same report as validateCity + writeCity.
 */
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {CSV_FILES} from "../contract/files.ts";
import type {CityConfig} from "../contract/city-config.ts";
import {schemaSQL, writeCityTables, writeReportTables, writeValidatedFile} from "../database.ts";
import type {FileReport, Issue, ValidationReport} from "../report.ts";
import {checkProgrammeTotals, openCity, readOutline, validateFile, type QuarantineRow, type ValidatedFile, type ValidateOptions} from "../validate.ts";
import {loadFileSetBased} from "./file.ts";

/** Files read set-based when they are regular (loaders/load/scan.ts). */
export const SET_BASED_FILES: ReadonlySet<string> = new Set(["seu.csv", "population.csv", "indicators.csv", "kitas.csv"]);

export interface LoadOptions extends ValidateOptions {
  /** "in-memory" reads every file with the in-memory reader (for comparisons in tests). */
  reader?: "set-based" | "in-memory";
}

export interface LoadResult {
  config: CityConfig;
  report: ValidationReport;
  /** per file: read set-based or in memory */
  readers: Record<string, "set-based" | "in-memory">;
}

export async function loadCity(conn: DuckDBConnection, cityDir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const {config, areasResult, ctx, warnings} = openCity(cityDir, options);
  const outline = readOutline(cityDir);
  await conn.run(schemaSQL());
  await writeCityTables(conn, {cityDir, config, areas: areasResult.areas, outline});
  const reports: FileReport[] = [];
  const quarantines: {file: string; quarantine: QuarantineRow[]}[] = [];
  const inMemory: ValidatedFile[] = [];
  const readers: Record<string, "set-based" | "in-memory"> = {};
  const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-load-"));
  try {
    for (const spec of CSV_FILES) {
      const path = join(cityDir, spec.name);
      if (!existsSync(path)) continue;
      if (options.reader !== "in-memory" && SET_BASED_FILES.has(spec.name)) {
        const result = await loadFileSetBased(conn, path, spec, ctx, warnings, join(tmp, "utf8.csv"));
        if (result) {
          reports.push(result.report);
          quarantines.push({file: spec.name, quarantine: result.quarantine});
          readers[spec.name] = "set-based";
          continue;
        }
      }
      const file = validateFile(path, spec, ctx, warnings);
      await writeValidatedFile(conn, file);
      inMemory.push(file);
      reports.push(file.report);
      quarantines.push({file: spec.name, quarantine: file.quarantine});
      readers[spec.name] = "in-memory";
    }
  } finally {
    rmSync(tmp, {recursive: true, force: true});
  }
  checkProgrammeTotals(inMemory, warnings);
  const errors: Issue[] = [
    ...areasResult.errors,
    ...quarantines.flatMap((f) => f.quarantine.map((q) => ({file: f.file, line: q.line, column: q.column, code: q.code, message: q.message})))
  ];
  const report: ValidationReport = {city: config.name, files: [areasResult.report, ...reports], errors, warnings};
  await writeReportTables(conn, areasResult.errors, quarantines, report);
  return {config, report, readers};
}
