/**
 * `chancenatlas index <csv> --id <column> --indicators <c1,c2,…> [options]`
 *
 * Computes the status index (Statusindex) and optionally the dynamics index (Dynamikindex)
 * of a wide table (one row per area, one column per indicator) with the z-sum method of
 * loaders/stats/need-index.ts and writes one CSV row per input row:
 *   <id column>,status_z,status_class,dynamics_z,dynamics_class
 * Output: comma-separated, decimal point, UTF-8 without BOM, LF line ends; z values are
 * rounded to 10 decimals (the rounding used for the classes). Ids are written as read
 * (text, leading zeros kept).
 *
 * Exit codes: 0 ok (rows with missing values are reported as warnings), 1 data problems
 * (unreadable numbers, duplicate or empty ids, no variation, …), 2 usage errors.
 */
import {writeFileSync} from "node:fs";
import {DuckDBInstance} from "@duckdb/node-api";
import {IngestError, detectDecimalStyle, matchColumns, parseNumber, readTableFile, type RawTable} from "../ingest/index.ts";
import {EXIT_DATA_ERROR, EXIT_OK, EXIT_USAGE, splitArgs, UsageError, type CommandIO} from "../io.ts";
import {
  CLASS_ROUNDING_DECIMALS,
  DYNAMICS_THRESHOLDS,
  STATUS_THRESHOLDS,
  computeNeedIndex,
  type IndexIndicator,
  type NeedIndexRow,
  type SdKind
} from "../stats/need-index.ts";

export const INDEX_USAGE = `Aufruf: chancenatlas index <csv> --id <spalte> --indicators <s1,s2,…> [optionen]

Berechnet Statusindex und (mit --dynamics) Dynamikindex nach dem z-Summen-Verfahren
des Berliner Monitorings Soziale Stadtentwicklung und schreibt je Eingabezeile:
<id-spalte>,status_z,status_class,dynamics_z,dynamics_class

Optionen:
  --id <spalte>               Spalte mit der Gebietskennung (bleibt Text, führende Nullen bleiben)
  --indicators <s1,s2,…>      Spalten des Statusindex
  --weights <w1,w2,…>         Gewichte (Standard: alle 1)
  --polarity <+1,-1,…>        +1: höherer Wert = mehr Bedarf (Standard), -1: umgekehrt
  --thresholds <t1,t2,t3>     Klassengrenzen Status (Standard: -1,1,1.5)
  --dynamics <d1,d2,…>        Spalten des Dynamikindex (Veränderungen; Gewichte und
                              Polarität gelten positionsweise auch hier)
  --dynamics-thresholds <t1,t2>  Klassengrenzen Dynamik (Standard: -1,1)
  --na <marke,…>              zusätzliche Fehlwert-Marken, z. B. -9999
  --sd sample|population      Standardabweichung mit n-1 (Standard) oder n
  --out <datei>               Ergebnis in eine Datei statt auf die Standardausgabe
  --help                      diese Hilfe
`;

interface IndexArgs {
  csv: string;
  id: string;
  indicators: string[];
  weights: number[] | null;
  polarity: (1 | -1)[] | null;
  thresholds: number[];
  dynamics: string[];
  dynamicsThresholds: number[];
  na: string[];
  sd: SdKind;
  out: string | null;
}

const VALUE_OPTIONS = new Set([
  "--id", "--indicators", "--weights", "--polarity", "--thresholds", "--dynamics", "--dynamics-thresholds", "--na", "--sd", "--out"
]);

function list(raw: string): string[] {
  return raw.split(",").map((part) => part.trim());
}

function numberList(raw: string, option: string): number[] {
  return list(raw).map((part) => {
    const value = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(part) ? Number(part) : NaN;
    if (!Number.isFinite(value)) throw new UsageError(`${option}: „${part}“ ist keine Zahl (Dezimalpunkt verwenden, z. B. 1.5)`);
    return value;
  });
}

function ascending(values: number[], option: string): number[] {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) throw new UsageError(`${option}: die Klassengrenzen müssen aufsteigend sein`);
  }
  return values;
}

/** Parses the arguments; throws UsageError (German message) for invalid ones. */
export function parseIndexArgs(argv: readonly string[]): IndexArgs | "help" {
  const parsed = splitArgs(argv, VALUE_OPTIONS);
  if (parsed === "help") return "help";
  const {options, input} = parsed;
  const id = options.get("--id")?.trim();
  if (!id) throw new UsageError("--id <spalte> fehlt");
  const indicatorsRaw = options.get("--indicators");
  if (indicatorsRaw === undefined) throw new UsageError("--indicators <s1,s2,…> fehlt");
  const indicators = list(indicatorsRaw);
  const dynamics = options.has("--dynamics") ? list(options.get("--dynamics")!) : [];
  for (const [name, columns] of [["--indicators", indicators], ["--dynamics", dynamics]] as const) {
    if (columns.some((c) => c === "")) throw new UsageError(`${name}: leerer Spaltenname`);
    if (new Set(columns).size !== columns.length) throw new UsageError(`${name}: eine Spalte ist doppelt angegeben`);
    if (columns.includes(id)) throw new UsageError(`${name}: die Kennungsspalte ${id} kann kein Indikator sein`);
  }
  const weights = options.has("--weights") ? numberList(options.get("--weights")!, "--weights") : null;
  if (weights && weights.length !== indicators.length) {
    throw new UsageError(`--weights: ${weights.length} Gewichte für ${indicators.length} Indikatoren`);
  }
  if (weights?.some((w) => w < 0)) throw new UsageError("--weights: Gewichte müssen ≥ 0 sein");
  let polarity: (1 | -1)[] | null = null;
  if (options.has("--polarity")) {
    polarity = list(options.get("--polarity")!).map((part) => {
      if (part === "+1" || part === "1" || part === "+") return 1;
      if (part === "-1" || part === "-") return -1;
      throw new UsageError(`--polarity: „${part}“ ist weder +1 noch -1`);
    });
    if (polarity.length !== indicators.length) throw new UsageError(`--polarity: ${polarity.length} Angaben für ${indicators.length} Indikatoren`);
  }
  if (dynamics.length > 0 && dynamics.length !== indicators.length && (weights || polarity)) {
    throw new UsageError("--dynamics: Gewichte und Polarität gelten positionsweise – dafür braucht --dynamics ebenso viele Spalten wie --indicators");
  }
  const thresholds = options.has("--thresholds")
    ? ascending(numberList(options.get("--thresholds")!, "--thresholds"), "--thresholds")
    : [...STATUS_THRESHOLDS];
  const dynamicsThresholds = options.has("--dynamics-thresholds")
    ? ascending(numberList(options.get("--dynamics-thresholds")!, "--dynamics-thresholds"), "--dynamics-thresholds")
    : [...DYNAMICS_THRESHOLDS];
  const sd = options.get("--sd") ?? "sample";
  if (sd !== "sample" && sd !== "population") throw new UsageError(`--sd: „${sd}“ – erlaubt sind sample oder population`);
  const na = options.has("--na") ? list(options.get("--na")!).filter((m) => m !== "") : [];
  const out = options.get("--out") ?? null;
  if (out !== null && out.trim() === "") throw new UsageError("--out: leerer Dateiname");
  return {csv: input, id, indicators, weights, polarity, thresholds, dynamics, dynamicsThresholds, na, sd, out};
}

/** RFC 4180 quoting for a text field. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function formatZ(value: number | null): string {
  if (value === null) return "";
  const text = value.toFixed(CLASS_ROUNDING_DECIMALS);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

interface ParsedRow {
  line: number;
  id: string;
  values: Map<string, number | null>;
  missing: {column: string; raw: string}[];
}

export async function runIndexCommand(argv: string[], io: CommandIO): Promise<number> {
  let args: IndexArgs | "help";
  try {
    args = parseIndexArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`Fehler: ${error.message}\n\n${INDEX_USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (args === "help") {
    io.stdout(INDEX_USAGE);
    return EXIT_OK;
  }

  const columns = [args.id, ...args.indicators, ...args.dynamics];
  let table: RawTable;
  try {
    table = readTableFile(args.csv, {file: args.csv, markers: args.na, columns: columns.map((key) => ({key, required: true}))});
  } catch (error) {
    if (error instanceof IngestError) {
      io.stderr(`Fehler: ${error.message}\n`);
      return error.code === "unreadable" || error.code === "missing_column" ? EXIT_USAGE : EXIT_DATA_ERROR;
    }
    throw error;
  }
  const idIndex = matchColumns(table.header, [{key: args.id, required: true}], undefined, args.csv, table.headerLine).byKey.get(args.id) ?? 0;
  const idHeader = table.header[idIndex] ?? args.id;

  let exit = EXIT_OK;
  const warn = (text: string): void => io.stderr(`${text}\n`);
  const errors: string[] = [];
  for (const total of table.totals) {
    warn(`Hinweis: ${args.csv}, Zeile ${total.line}: als Summenzeile erkannt („${total.values.filter((v) => v !== "").slice(0, 3).join(", ")}“) – nicht klassifiziert und nicht ausgegeben.`);
  }

  // decimal separator per column, from all its values
  const decimal = new Map(
    [...args.indicators, ...args.dynamics].map((column) => [column, detectDecimalStyle(table.rows.map((row) => row.cells[column] ?? ""))])
  );
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const id = (row.cells[args.id] ?? "").trim();
    if (id === "") {
      errors.push(`${args.csv}, Zeile ${row.line}: die Kennung (${idHeader}) ist leer.`);
      continue;
    }
    const previous = seen.get(id);
    if (previous !== undefined) {
      errors.push(`${args.csv}, Zeile ${row.line}: Kennung ${id} kommt schon in Zeile ${previous} vor.`);
      continue;
    }
    seen.set(id, row.line);
    const parsed: ParsedRow = {line: row.line, id, values: new Map(), missing: []};
    for (const column of [...args.indicators, ...args.dynamics]) {
      const raw = row.cells[column] ?? "";
      const cell = parseNumber(raw, {decimal: decimal.get(column) ?? "comma", markers: args.na});
      if (cell.kind === "number") {
        parsed.values.set(column, cell.value);
      } else {
        parsed.values.set(column, null);
        if (cell.kind === "invalid") {
          errors.push(`${args.csv}, Zeile ${row.line} (${idHeader} ${id}), Spalte ${column}: „${cell.raw}“ ist keine lesbare Zahl (${cell.reason}) – als fehlender Wert behandelt.`);
        } else {
          parsed.missing.push({column, raw: cell.kind === "marker" ? cell.marker : ""});
        }
      }
    }
    rows.push(parsed);
  }

  for (const row of rows) {
    if (row.missing.length === 0) continue;
    const list = row.missing.map((m) => (m.raw === "" ? `${m.column} (leer)` : `${m.column} („${m.raw}“)`)).join(", ");
    const affected = [
      args.indicators.some((c) => row.values.get(c) === null) ? "Statusklasse" : null,
      args.dynamics.some((c) => row.values.get(c) === null) ? "Dynamikklasse" : null
    ].filter((x) => x !== null);
    warn(`Hinweis: ${args.csv}, Zeile ${row.line} (${idHeader} ${row.id}): fehlender Wert in ${list} – aus der Standardisierung ausgeschlossen, keine ${affected.join(" und keine ")}.`);
  }
  if (errors.length > 0) {
    for (const error of errors) io.stderr(`Fehler: ${error}\n`);
    exit = EXIT_DATA_ERROR;
  }

  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    await conn.run("CREATE TABLE index_input (area_id VARCHAR, indicator_id VARCHAR, value DOUBLE)");
    const appender = await conn.createAppender("index_input");
    for (const row of rows) {
      for (const [column, value] of row.values) {
        appender.appendVarchar(row.id);
        appender.appendVarchar(column);
        if (value === null) appender.appendNull();
        else appender.appendDouble(value);
        appender.endRow();
      }
    }
    appender.closeSync();

    const indicatorsOf = (ids: string[]): IndexIndicator[] =>
      ids.map((id, i) => ({id, weight: args.weights?.[i] ?? 1, polarity: args.polarity?.[i] ?? 1}));
    let status: Map<string, NeedIndexRow>;
    let dynamics = new Map<string, NeedIndexRow>();
    try {
      const result = await computeNeedIndex(conn, {
        source: "index_input",
        target: "status_index",
        indicators: indicatorsOf(args.indicators),
        sd: args.sd,
        classes: {method: "thresholds", thresholds: args.thresholds}
      });
      status = new Map(result.rows.map((row) => [row.area_id, row]));
      if (args.dynamics.length > 0) {
        const dyn = await computeNeedIndex(conn, {
          source: "index_input",
          target: "dynamics_index",
          indicators: indicatorsOf(args.dynamics),
          sd: args.sd,
          classes: {method: "thresholds", thresholds: args.dynamicsThresholds}
        });
        dynamics = new Map(dyn.rows.map((row) => [row.area_id, row]));
      }
    } catch (error) {
      io.stderr(`Fehler: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT_DATA_ERROR;
    }

    const lines = [[csvField(idHeader), "status_z", "status_class", "dynamics_z", "dynamics_class"].join(",")];
    for (const row of rows) {
      const s = status.get(row.id);
      const d = dynamics.get(row.id);
      lines.push(
        [csvField(row.id), formatZ(s?.index_z ?? null), s?.class == null ? "" : String(s.class), formatZ(d?.index_z ?? null), d?.class == null ? "" : String(d.class)].join(",")
      );
    }
    const csv = lines.join("\n") + "\n";
    if (args.out !== null) {
      try {
        writeFileSync(args.out, csv, "utf8");
      } catch (error) {
        io.stderr(`Fehler: ${args.out} kann nicht geschrieben werden (${(error as {code?: string}).code ?? String(error)}).\n`);
        return EXIT_USAGE;
      }
    } else {
      io.stdout(csv);
    }
    const classified = [...status.values()].filter((row) => row.class !== null).length;
    const classifiedDyn = [...dynamics.values()].filter((row) => row.class !== null).length;
    warn(
      `Index berechnet: ${rows.length} Gebiete, ${classified} mit Statusklasse` +
        (args.dynamics.length > 0 ? `, ${classifiedDyn} mit Dynamikklasse` : "") +
        (args.out !== null ? ` – geschrieben nach ${args.out}.` : ".")
    );
    return exit;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
