/**
 * `chancenatlas compare <csv> --area <col> --numerator <col> --denominator <col> [options]`
 *
 * Compares the rate numerator/denominator of every row (one area, optionally one year) with a
 * benchmark, Fingertips-style (issue 13; formulas in loaders/stats/compare.ts and trend.ts):
 *   <area column>[,<year column>],numerator,denominator,rate,ci95_lo,ci95_hi,ci998_lo,ci998_hi,
 *   funnel95_lo,funnel95_hi,funnel998_lo,funnel998_hi,benchmark,comparison,p_value,comparison_fdr
 *   [,trend,trend_chi2,trend_slope]
 *  - benchmark: rest of the city (default; the sums over all valid rows of the same year minus the
 *    row's own counts), total (the sums including the row) or a given proportion;
 *  - comparison: higher/similar/lower at --level (95 or 99.8) per row; comparison_fdr: the same
 *    after Benjamini–Hochberg over all rows of the year at q = 1 − level; p_value: the two-sided
 *    p-value consistent with the interval;
 *  - funnel limits at the row's denominator around the row's benchmark;
 *  - with --year: the benchmark and the comparisons per year, and on each area's latest-year row
 *    the Fingertips recent trend over the five years up to it.
 * Rates are proportions 0..1. Output: comma-separated, decimal point, UTF-8 without BOM, LF line
 * ends, 10 decimals; ids and years are written as read (text, leading zeros kept).
 *
 * Exit codes as `chancenatlas index`: 0 ok (rows with missing counts are reported as notes),
 * 1 data problems (unreadable numbers, numerator > denominator, negative counts, duplicate or
 * empty ids, unreadable years – reported, those rows get empty results), 2 usage errors.
 */
import {writeFileSync} from "node:fs";
import {IngestError, detectDecimalStyle, matchColumns, parseNumber, readTableFile, type RawTable} from "../ingest/index.ts";
import {EXIT_DATA_ERROR, EXIT_OK, EXIT_USAGE, splitArgs, UsageError, type CommandIO} from "../io.ts";
import {Z_998, compareAreas, fdrCategories, funnelLimits, type Benchmark, type ConfidenceLevel} from "../stats/compare.ts";
import {WILSON_Z, wilsonInterval} from "../stats/rates.ts";
import {recentTrend, type TrendResult} from "../stats/trend.ts";

export const COMPARE_USAGE = `Aufruf: chancenatlas compare <csv> --area <spalte> --numerator <spalte> --denominator <spalte> [optionen]

Vergleicht die Quote Zähler/Nenner jeder Zeile mit einem Vergleichswert (nach der Praxis der
englischen Fingertips-Profile) und schreibt je Eingabezeile:
<gebiet>[,<jahr>],numerator,denominator,rate,ci95_lo,ci95_hi,ci998_lo,ci998_hi,
funnel95_lo,funnel95_hi,funnel998_lo,funnel998_hi,benchmark,comparison,p_value,comparison_fdr
und mit --year zusätzlich trend,trend_chi2,trend_slope (in der jeweils letzten Jahreszeile eines Gebiets).
Quoten sind Anteile (0–1).

Optionen:
  --area <spalte>           Spalte mit der Gebietskennung (bleibt Text, führende Nullen bleiben)
  --numerator <spalte>      Spalte mit dem Zähler (z. B. Kinder in SGB-II-Bedarfsgemeinschaften)
  --denominator <spalte>    Spalte mit dem Nenner (z. B. alle Kinder)
  --year <spalte>           Spalte mit dem Jahr: Vergleich je Jahr und Trend der letzten 5 Jahre
  --benchmark rest|total|<wert>
                            rest: übrige Stadt ohne das Gebiet (Standard); total: ganze Stadt
                            einschließlich Gebiet; <wert>: fester Anteil, z. B. 0.2
  --level 95|99.8           Sicherheitsniveau des Vergleichs (Standard 95)
  --na <marke,…>            zusätzliche Fehlwert-Marken, z. B. -9999
  --out <datei>             Ergebnis in eine Datei statt auf die Standardausgabe
  --help                    diese Hilfe
`;

export interface CompareArgs {
  csv: string;
  area: string;
  numerator: string;
  denominator: string;
  year: string | null;
  benchmark: Benchmark;
  level: ConfidenceLevel;
  na: string[];
  out: string | null;
}

const VALUE_OPTIONS = new Set(["--area", "--numerator", "--denominator", "--year", "--benchmark", "--level", "--na", "--out"]);

function parseBenchmark(raw: string): Benchmark {
  const text = raw.trim();
  if (text === "rest" || text === "total") return {kind: text};
  const normalized = text.replace(",", ".");
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(normalized) ? Number(normalized) : NaN;
  if (!Number.isFinite(value)) {
    throw new UsageError(`--benchmark: „${raw}“ – erlaubt sind rest, total oder ein Anteil zwischen 0 und 1 (z. B. 0.2)`);
  }
  if (!(value > 0 && value < 1)) {
    throw new UsageError(`--benchmark: ${text} ist kein Anteil zwischen 0 und 1 (ausschließlich) – Quoten als Anteil angeben, z. B. 0.2 statt 20`);
  }
  return {kind: "value", value};
}

/** Parses the arguments; throws UsageError (German message) for invalid ones. */
export function parseCompareArgs(argv: readonly string[]): CompareArgs | "help" {
  const parsed = splitArgs(argv, VALUE_OPTIONS);
  if (parsed === "help") return "help";
  const {options, input} = parsed;
  const column = (name: string): string => {
    const value = options.get(name)?.trim();
    if (!value) throw new UsageError(`${name} <spalte> fehlt`);
    return value;
  };
  const area = column("--area");
  const numerator = column("--numerator");
  const denominator = column("--denominator");
  let year: string | null = null;
  if (options.has("--year")) {
    year = options.get("--year")!.trim();
    if (year === "") throw new UsageError("--year: leerer Spaltenname");
  }
  const columns = [area, numerator, denominator, ...(year === null ? [] : [year])];
  if (new Set(columns).size !== columns.length) {
    throw new UsageError(`Eine Spalte ist mehrfach angegeben (${columns.join(", ")}) – Gebiet, Zähler, Nenner und Jahr brauchen je eine eigene Spalte`);
  }
  const benchmark = options.has("--benchmark") ? parseBenchmark(options.get("--benchmark")!) : ({kind: "rest"} as Benchmark);
  const levelRaw = (options.get("--level") ?? "95").trim().replace(",", ".").replace(/\s*%$/, "");
  let level: ConfidenceLevel;
  if (levelRaw === "95") level = 95;
  else if (levelRaw === "99.8") level = 99.8;
  else throw new UsageError(`--level: „${options.get("--level")}“ – erlaubt sind 95 oder 99.8`);
  const na = options.has("--na") ? options.get("--na")!.split(",").map((m) => m.trim()).filter((m) => m !== "") : [];
  const out = options.get("--out") ?? null;
  if (out !== null && out.trim() === "") throw new UsageError("--out: leerer Dateiname");
  return {csv: input, area, numerator, denominator, year, benchmark, level, na, out};
}

/** RFC 4180 quoting for a text field. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function fixed(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "";
  const text = value.toFixed(10);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

function pValueText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "";
  return String(Number(value.toPrecision(10)));
}

function countText(value: number | null): string {
  return value === null ? "" : String(value);
}

interface ParsedRow {
  line: number;
  area: string;
  yearText: string;
  year: number | null;
  numerator: number | null;
  denominator: number | null;
  /** counts usable for rate, comparison and city sums */
  usable: boolean;
}

export const COMPARE_COLUMNS = [
  "numerator", "denominator", "rate", "ci95_lo", "ci95_hi", "ci998_lo", "ci998_hi",
  "funnel95_lo", "funnel95_hi", "funnel998_lo", "funnel998_hi", "benchmark", "comparison", "p_value", "comparison_fdr"
] as const;

export const TREND_COLUMNS = ["trend", "trend_chi2", "trend_slope"] as const;

export async function runCompareCommand(argv: string[], io: CommandIO): Promise<number> {
  let args: CompareArgs | "help";
  try {
    args = parseCompareArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`Fehler: ${error.message}\n\n${COMPARE_USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (args === "help") {
    io.stdout(COMPARE_USAGE);
    return EXIT_OK;
  }
  const a = args;

  const columns = [a.area, a.numerator, a.denominator, ...(a.year === null ? [] : [a.year])];
  let table: RawTable;
  try {
    table = readTableFile(a.csv, {file: a.csv, markers: a.na, columns: columns.map((key) => ({key, required: true}))});
  } catch (error) {
    if (error instanceof IngestError) {
      io.stderr(`Fehler: ${error.message}\n`);
      return error.code === "unreadable" || error.code === "missing_column" ? EXIT_USAGE : EXIT_DATA_ERROR;
    }
    throw error;
  }
  const headerOf = (key: string): string => {
    const index = matchColumns(table.header, [{key, required: true}], undefined, a.csv, table.headerLine).byKey.get(key) ?? -1;
    return table.header[index] ?? key;
  };
  const areaHeader = headerOf(a.area);
  const yearHeader = a.year === null ? null : headerOf(a.year);
  const numeratorHeader = headerOf(a.numerator);
  const denominatorHeader = headerOf(a.denominator);

  const notes: string[] = [];
  const errors: string[] = [];
  for (const total of table.totals) {
    notes.push(`${a.csv}, Zeile ${total.line}: als Summenzeile erkannt („${total.values.filter((v) => v !== "").slice(0, 3).join(", ")}“) – nicht verglichen und nicht ausgegeben.`);
  }

  const decimal = new Map(
    [a.numerator, a.denominator].map((column) => [column, detectDecimalStyle(table.rows.map((row) => row.cells[column] ?? ""))])
  );
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  for (const raw of table.rows) {
    const area = (raw.cells[a.area] ?? "").trim();
    const yearText = a.year === null ? "" : (raw.cells[a.year] ?? "").trim();
    const row: ParsedRow = {line: raw.line, area, yearText, year: null, numerator: null, denominator: null, usable: false};
    rows.push(row);
    const where = `${a.csv}, Zeile ${raw.line}` + (area === "" ? "" : ` (${areaHeader} ${area}${a.year === null ? "" : `, ${yearHeader} ${yearText}`})`);
    if (area === "") {
      errors.push(`${where}: die Gebietskennung (${areaHeader}) ist leer – bitte eintragen oder die Zeile entfernen.`);
      continue;
    }
    if (a.year !== null) {
      const cell = parseNumber(yearText, {decimal: "comma", markers: a.na});
      if (cell.kind !== "number" || !Number.isInteger(cell.value)) {
        errors.push(`${where}: „${yearText}“ in Spalte ${yearHeader} ist kein Jahr – bitte eine ganze Jahreszahl wie 2023 eintragen.`);
        continue;
      }
      row.year = cell.value;
    }
    const key = `${area}\u0000${row.year ?? ""}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      errors.push(`${where}: ${a.year === null ? `Gebiet ${area}` : `Gebiet ${area} im Jahr ${yearText}`} kommt schon in Zeile ${previous} vor – jede Kombination darf nur einmal vorkommen.`);
      continue;
    }
    seen.set(key, raw.line);

    const missing: string[] = [];
    let invalid = false;
    const read = (column: string, header: string): number | null => {
      const rawCell = raw.cells[column] ?? "";
      const cell = parseNumber(rawCell, {decimal: decimal.get(column) ?? "comma", markers: a.na});
      if (cell.kind === "number") return cell.value;
      if (cell.kind === "invalid") {
        errors.push(`${where}, Spalte ${header}: „${cell.raw}“ ist keine lesbare Zahl (${cell.reason}) – bitte eine Anzahl eintragen; die Zeile wird nicht verglichen.`);
        invalid = true;
      } else {
        missing.push(cell.kind === "marker" ? `${header} („${cell.marker}“)` : `${header} (leer)`);
      }
      return null;
    };
    row.numerator = read(a.numerator, numeratorHeader);
    row.denominator = read(a.denominator, denominatorHeader);
    if (invalid) continue;
    if (missing.length > 0) {
      notes.push(`${where}: fehlender Wert in ${missing.join(", ")} – keine Quote und kein Vergleich.`);
      continue;
    }
    const k = row.numerator!;
    const n = row.denominator!;
    if (k < 0 || n < 0) {
      errors.push(`${where}: negative Anzahl (Zähler ${k}, Nenner ${n}) – Zähler (${numeratorHeader}) und Nenner (${denominatorHeader}) müssen ≥ 0 sein.`);
      continue;
    }
    if (k > n) {
      errors.push(`${where}: der Zähler ${k} (${numeratorHeader}) ist größer als der Nenner ${n} (${denominatorHeader}) – bitte prüfen, ob die Spalten vertauscht sind; eine Quote muss zwischen 0 und 1 liegen.`);
      continue;
    }
    if (n === 0) {
      notes.push(`${where}: Nenner 0 – keine Quote und kein Vergleich.`);
      continue;
    }
    row.usable = true;
  }

  // comparisons per year (one family per year for Benjamini–Hochberg)
  const groups = new Map<string, ParsedRow[]>();
  for (const row of rows) {
    if (!row.usable) continue;
    const key = String(row.year ?? "");
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  interface Result {
    benchmark: number | null;
    comparison: string;
    pValue: number | null;
    fdr: string;
  }
  const results = new Map<ParsedRow, Result>();
  for (const group of groups.values()) {
    const comparisons = compareAreas(group.map((r) => ({numerator: r.numerator, denominator: r.denominator})), a.benchmark, a.level);
    const fdr = fdrCategories(comparisons, a.level);
    group.forEach((row, i) => {
      const c = comparisons[i] ?? null;
      results.set(row, {benchmark: c?.benchmark ?? null, comparison: c?.category ?? "", pValue: c?.pValue ?? null, fdr: fdr[i] ?? ""});
    });
  }

  // recent trend per area, on the row of its latest year
  const trends = new Map<ParsedRow, TrendResult>();
  if (a.year !== null) {
    const byArea = new Map<string, ParsedRow[]>();
    for (const row of rows) {
      if (row.area === "" || row.year === null || seen.get(`${row.area}\u0000${row.year}`) !== row.line) continue;
      const list = byArea.get(row.area);
      if (list) list.push(row);
      else byArea.set(row.area, [row]);
    }
    for (const list of byArea.values()) {
      const latest = list.reduce((best, row) => (row.year! > best.year! ? row : best));
      const series = list.map((row) => ({
        year: row.year!,
        numerator: row.usable ? row.numerator : null,
        denominator: row.usable ? row.denominator : null
      }));
      trends.set(latest, recentTrend(series, latest.year!));
    }
  }

  const header = [csvField(areaHeader), ...(yearHeader === null ? [] : [csvField(yearHeader)]), ...COMPARE_COLUMNS, ...(a.year === null ? [] : TREND_COLUMNS)];
  const lines = [header.join(",")];
  const counts = {higher: 0, similar: 0, lower: 0, fdrHigher: 0, fdrLower: 0, trends: {increasing: 0, decreasing: 0, no_change: 0, cannot_be_calculated: 0}};
  for (const row of rows) {
    const cells: string[] = [csvField(row.area)];
    if (yearHeader !== null) cells.push(csvField(row.yearText));
    const k = row.numerator;
    const n = row.denominator;
    cells.push(countText(k), countText(n));
    const result = results.get(row);
    if (row.usable && k !== null && n !== null) {
      const ci95 = wilsonInterval(k, n, WILSON_Z);
      const ci998 = wilsonInterval(k, n, Z_998);
      const p0 = result?.benchmark ?? null;
      const f95 = p0 === null ? null : funnelLimits(n, p0, WILSON_Z);
      const f998 = p0 === null ? null : funnelLimits(n, p0, Z_998);
      cells.push(
        fixed(k / n), fixed(ci95?.lo), fixed(ci95?.hi), fixed(ci998?.lo), fixed(ci998?.hi),
        fixed(f95?.lo), fixed(f95?.hi), fixed(f998?.lo), fixed(f998?.hi),
        fixed(p0), result?.comparison ?? "", pValueText(result?.pValue), result?.fdr ?? ""
      );
      if (result?.comparison === "higher") counts.higher++;
      else if (result?.comparison === "lower") counts.lower++;
      else if (result?.comparison === "similar") counts.similar++;
      if (result?.fdr === "higher") counts.fdrHigher++;
      else if (result?.fdr === "lower") counts.fdrLower++;
    } else {
      cells.push(...Array.from({length: COMPARE_COLUMNS.length - 2}, () => ""));
    }
    if (a.year !== null) {
      const trend = trends.get(row);
      if (trend) {
        cells.push(trend.outcome, fixed(trend.chi2), fixed(trend.slope));
        counts.trends[trend.outcome]++;
      } else cells.push("", "", "");
    }
    lines.push(cells.join(","));
  }
  const csv = lines.join("\n") + "\n";

  for (const note of notes) io.stderr(`Hinweis: ${note}\n`);
  for (const error of errors) io.stderr(`Fehler: ${error}\n`);
  if (a.out !== null) {
    try {
      writeFileSync(a.out, csv, "utf8");
    } catch (error) {
      io.stderr(`Fehler: ${a.out} kann nicht geschrieben werden (${(error as {code?: string}).code ?? String(error)}).\n`);
      return EXIT_USAGE;
    }
  } else {
    io.stdout(csv);
  }
  const compared = counts.higher + counts.similar + counts.lower;
  const levelText = a.level === 95 ? "95 %" : "99,8 %";
  const benchmarkText =
    a.benchmark.kind === "rest" ? "übrige Stadt" : a.benchmark.kind === "total" ? "ganze Stadt" : `fester Wert ${String(a.benchmark.value).replace(".", ",")}`;
  const t = counts.trends;
  io.stderr(
    `Vergleich berechnet (${benchmarkText}, ${levelText}): ${rows.length} Zeilen, ${compared} verglichen – ` +
      `${counts.higher} höher, ${counts.similar} ähnlich, ${counts.lower} niedriger; ` +
      `nach FDR-Korrektur (Benjamini–Hochberg) ${counts.fdrHigher} höher, ${counts.fdrLower} niedriger` +
      (a.year !== null
        ? `; Trend: ${t.increasing} steigend, ${t.decreasing} fallend, ${t.no_change} ohne signifikante Veränderung, ${t.cannot_be_calculated} nicht berechenbar`
        : "") +
      (a.out !== null ? ` – geschrieben nach ${a.out}.` : ".") +
      "\n"
  );
  return errors.length > 0 ? EXIT_DATA_ERROR : EXIT_OK;
}
