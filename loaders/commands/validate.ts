/** `chancenatlas validate <city-dir> [--json] [--strict]` and `chancenatlas load <city-dir> [--db <file>] [--strict]`. */
import {parseArgs} from "node:util";
import {join, resolve} from "node:path";
import {IngestError} from "../ingest/index.ts";
import {EXIT_DATA_ERROR, EXIT_OK, EXIT_USAGE, type CommandIO} from "../io.ts";
import {formatIssue, formatReport, type Issue, type ValidationReport} from "../report.ts";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {openCity, StrictModeError} from "../validate.ts";
import {buildCity} from "../pipeline.ts";
import {writeDatabaseFile} from "../database.ts";
import {loadCity} from "../load/city.ts";
import {defaultDatabasePath} from "../city.ts";

const VALIDATE_HELP = `Aufruf: chancenatlas validate <stadt-ordner> [--json] [--strict]

Prüft alle Dateien eines Stadtordners (siehe docs/data-format.md) und gibt den
Prüfbericht aus: gelesene, geladene und abgelehnte Zeilen je Datei, jeder Fehler
als datei:zeile: spalte: grund.

  --json     Bericht als JSON: {files, errors, warnings}
  --strict   beim ersten Zeilenfehler abbrechen

Exit-Code: 0 gültig (Warnungen erlaubt), 1 Datenfehler, 2 Aufruf- oder Strukturfehler.
`;

const LOAD_HELP = `Aufruf: chancenatlas load <stadt-ordner> [--db <datei>] [--strict] [--json]

Prüft den Stadtordner und schreibt alle gültigen Zeilen in eine DuckDB-Datenbank
(Standard: var/<stadt>.duckdb). Abgelehnte Zeilen stehen mit Grund in der
Tabelle quarantine.

  --db <datei>  Pfad der Datenbank
  --strict      beim ersten Zeilenfehler abbrechen, keine Datenbank schreiben
  --json        Prüfbericht als JSON

Exit-Code: 0 geladen (abgelehnte Zeilen werden gemeldet), 1 abgebrochen wegen
Datenfehlern (--strict), 2 Aufruf- oder Strukturfehler.
`;

function structuralReport(error: IngestError | StrictModeError, city: string): ValidationReport {
  const issue: Issue =
    error instanceof StrictModeError
      ? error.issue
      : {file: error.file, line: error.line ?? null, column: null, code: error.code, message: error.message};
  return {city, files: [], errors: [issue], warnings: []};
}

/** Reports a structural problem (exit code 2) or a --strict row error (exit code 1); rethrows anything else. */
function reportFailure(error: unknown, cityDir: string, json: boolean, io: CommandIO): number {
  if (error instanceof IngestError || error instanceof StrictModeError) {
    const code = error instanceof StrictModeError ? EXIT_DATA_ERROR : EXIT_USAGE;
    if (json) io.stdout(JSON.stringify(structuralReport(error, cityDir), null, 2) + "\n");
    else io.stderr(`${error instanceof StrictModeError ? formatIssue(error.issue) + " (--strict)" : error.message}\n`);
    return code;
  }
  throw error;
}

/**
 * Runs validation – the same set-based load as `load` (loaders/load/), into a temporary
 * database that is deleted afterwards – mapping structural problems to exit code 2 (and
 * --strict row errors to 1).
 */
async function runValidation(cityDir: string, strict: boolean, json: boolean, io: CommandIO): Promise<{report?: ValidationReport; code: number}> {
  const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-validate-"));
  try {
    const {report} = await writeDatabaseFile(join(tmp, "validate.duckdb"), (conn) => loadCity(conn, cityDir, {strict}));
    return {report, code: report.errors.length ? EXIT_DATA_ERROR : EXIT_OK};
  } catch (error) {
    return {code: reportFailure(error, cityDir, json, io)};
  } finally {
    rmSync(tmp, {recursive: true, force: true});
  }
}

function parse(argv: string[], help: string, io: CommandIO, withDb: boolean): {dir: string; json: boolean; strict: boolean; db?: string} | number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {json: {type: "boolean"}, strict: {type: "boolean"}, help: {type: "boolean", short: "h"}, ...(withDb ? {db: {type: "string"}} : {})}
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${help}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.stdout(help);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    io.stderr(`Genau ein Stadtordner erwartet.\n\n${help}`);
    return EXIT_USAGE;
  }
  const db = (parsed.values as {db?: string}).db;
  return {dir: resolve(parsed.positionals[0]!), json: Boolean(parsed.values.json), strict: Boolean(parsed.values.strict), ...(db ? {db} : {})};
}

export async function runValidateCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parse(argv, VALIDATE_HELP, io, false);
  if (typeof args === "number") return args;
  const {report, code} = await runValidation(args.dir, args.strict, args.json, io);
  if (report) io.stdout(args.json ? JSON.stringify(report, null, 2) + "\n" : formatReport(report));
  return code;
}

export async function runLoadCommand(argv: string[], io: CommandIO): Promise<number> {
  const args = parse(argv, LOAD_HELP, io, true);
  if (typeof args === "number") return args;
  // read, checked and loaded in one pass (large files set-based in DuckDB, loaders/load/)
  try {
    const config = openCity(args.dir).config;
    const dbPath = resolve(args.db ?? defaultDatabasePath(config.id));
    const {report} = await buildCity(args.dir, dbPath, {strict: args.strict});
    io.stdout(args.json ? JSON.stringify({...report, database: dbPath}, null, 2) + "\n" : `${formatReport(report)}Datenbank geschrieben: ${dbPath}\n`);
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, args.dir, args.json, io);
  }
}
