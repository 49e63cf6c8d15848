/**
 * Set-based reading and validation of one large contract file (school-entry microdata,
 * population, aggregated indicators): JavaScript only sniffs, DuckDB reads and checks.
 *
 * 1. scan.ts looks at the bytes (encoding, line breaks, quotes) in chunks;
 * 2. DuckDB reads every physical line as one VARCHAR (its table position is the line number);
 * 3. the head of the file goes through the same reader as before (loaders/ingest/csv.ts) to
 *    find delimiter, title lines and header; the tail gives the footnote block; total-row
 *    candidates are classified by the same rule;
 * 4. cells are split and trimmed in SQL; each column's DISTINCT values are converted once by
 *    the contract's own converter (convertCell, with the column's decimal style), checked
 *    (year range, known area, lowest level, age band) and joined back;
 * 5. rows that SQL cannot accept (a failed value or a failed row rule) are checked again by
 *    the same JavaScript row check as the in-memory path, which builds the German message;
 *    duplicate keys are found with a window over the loaded rows.
 *
 * The result – loaded rows, quarantine, cell markers, report – is the same as validateFile's
 * (test/load/set-based.test.ts compares them on every fixture). Files that are not "regular"
 * (quotes, unusual encodings, lone CR; see scan.ts) return undefined and are read in memory.
 */
import {rmSync} from "node:fs";
import type {DuckDBConnection} from "@duckdb/node-api";
import {checkTotals, detectDecimalStyleCounted, findFootnotes, formatTotalWarning, parseTable, recordOf, totalRowTest, DEFAULT_MARKERS, TOTAL_LABELS, type DecimalStyle, type RawRow, type RawTable, type Rec} from "../ingest/index.ts";
import {convertCell, type FieldSpec, type Value} from "../contract/fields.ts";
import type {FileSpec} from "../contract/files.ts";
import {appendRows, TABLES, type TableDef} from "../database.ts";
import {profiled, queryRows} from "../db.ts";
import type {FileReport, Issue} from "../report.ts";
import {checkRow, duplicateKeyProblem, normalizeAgeBand, quarantineRow, readOptionsFor, StrictModeError, type CellMarker, type Context, type QuarantineRow, type RowProblem} from "../validate.ts";
import {readHead, scanFile} from "./scan.ts";
import {detectCoordinateSystem, stripZonePrefix, utm32ToWgs84} from "../geo/utm.ts";

/** The characters String.prototype.trim removes, as an RE2 character-class body. */
const WS_CLASS = "\\t\\n\\x0B\\f\\r \\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
/** Lines of the head that go through the in-memory reader (header search looks at 200 records). */
const HEAD_LINES = 1000;
/** Lines of the tail in which the footnote block is searched. */
const TAIL_LINES = 1000;

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const KITAS_FILE = "kitas.csv";

/** Columns with at most this many distinct values are converted with a CASE expression instead of a join. */
const CASE_LIMIT = 64;

function sqlLiteral(value: Value): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return sqlString(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  return `[${value.map(sqlString).join(", ")}]`;
}

function lastUsed(cells: string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i] !== "") return i + 1;
  return 0;
}

/**
 * An SQL expression that gives every accepted distinct value of a column straight from its
 * cell, or undefined when some accepted value needs the conversion map: strings that are
 * their own value, numbers whose cell is their canonical spelling, and empty cells as NULL.
 * (Rejected values may come out as anything; their rows are not inserted.)
 */
function directExpression(cell: string, type: string, converted: {raw: string; c: Converted}[]): string | undefined {
  const numeric = type === "INTEGER" || type === "BIGINT" || type === "DOUBLE";
  if (!numeric && type !== "VARCHAR") return undefined;
  for (const {raw, c} of converted) {
    if (!c.ok) continue;
    if (c.value === null) {
      if (raw !== "" || c.marker !== null) return undefined;
    } else if (numeric) {
      if (typeof c.value !== "number" || !/^-?\d+(?:\.\d+)?$/.test(raw) || String(c.value) !== raw) return undefined;
      if (type !== "DOUBLE" && !Number.isInteger(c.value)) return undefined;
      if (type === "INTEGER" && Math.abs(c.value) > 2 ** 31 - 1) return undefined;
    } else if (c.value !== raw) return undefined;
  }
  return numeric ? `TRY_CAST(${cell} AS ${type})` : `nullif(${cell}, '')`;
}

export interface SetBasedFile {
  report: FileReport;
  /** rejected rows in line order */
  quarantine: QuarantineRow[];
}

interface Layout {
  delimiter: string;
  header: string[];
  headerLine: number;
  keys: string[];
  width: number;
}

function cellsOf(text: string, delimiter: string): string[] {
  return text.split(delimiter).map((c) => c.trim());
}

/** The RawRow the in-memory reader would have built for a data line. */
function rawRow(line: number, text: string, layout: Layout): RawRow {
  const values = cellsOf(text, layout.delimiter).slice(0, layout.width);
  const cells: Record<string, string> = {};
  layout.keys.forEach((k, c) => {
    cells[k] = values[c] ?? "";
  });
  return {line, cells, values};
}

/** The value column type of a field in its DuckDB table. */
function columnType(table: TableDef, key: string): string {
  return table.columns.find(([c]) => c === key)?.[1] ?? "VARCHAR";
}

/** Why a field's distinct value is not accepted as is (undefined: accepted). */
interface Converted {
  ok: boolean;
  value: Value;
  marker: string | null;
}

/**
 * Reads, validates and loads one file into its table (which must exist and hold no rows of
 * another file). Returns undefined when the file is not regular; nothing is written then.
 */
export async function loadFileSetBased(conn: DuckDBConnection, path: string, spec: FileSpec, ctx: Context, warnings: Issue[], tmpPath: string): Promise<SetBasedFile | undefined> {
  if (spec.rowRule && !spec.rowRuleSql) return undefined;
  const scan = scanFile(path, tmpPath);
  if (!scan.regular) return undefined;
  try {
    return await loadRegular(conn, scan.utf8Path, scan.encoding, scan.lines, spec, ctx, warnings);
  } finally {
    if (scan.transcoded) rmSync(tmpPath, {force: true});
    await conn.run("DROP VIEW IF EXISTS _lines; DROP TABLE IF EXISTS _raw_lines; DROP TABLE IF EXISTS _data; DROP TABLE IF EXISTS _flagged; DROP TABLE IF EXISTS _coords;");
  }
}

async function loadRegular(rawConn: DuckDBConnection, utf8Path: string, encoding: string, lineCount: number, spec: FileSpec, ctx: Context, warnings: Issue[]): Promise<SetBasedFile | undefined> {
  const conn = profiled(rawConn, spec.name);
  const options = readOptionsFor(spec, ctx.config);
  const head = readHead(utf8Path, HEAD_LINES);
  // the delimiter first (it does not depend on the rest of the file) …
  let sniff: RawTable;
  try {
    sniff = parseTable(head, {...options, file: spec.name});
  } catch {
    return undefined; // the in-memory reader reports it
  }
  const D = sniff.delimiter;
  const dRe = D === "\t" ? "\\t" : D;
  // blank: nothing but whitespace and delimiters (a partial match stops at the first other character)
  const blank = `NOT regexp_matches(text, '[^${WS_CLASS}${dRe}]')`;

  // every physical line, in file order (insertion order is preserved: rowid + 1 = line)
  await conn.run("SET preserve_insertion_order = true");
  try {
    await conn.run(`CREATE OR REPLACE TEMP TABLE _raw_lines AS
      SELECT coalesce(rtrim(l, chr(13)), '') AS text
      FROM read_csv(${sqlString(utf8Path)}, columns = {'l': 'VARCHAR'}, delim = '\u0001', quote = '', escape = '', header = false, auto_detect = false)`);
  } catch {
    return undefined; // e.g. a line longer than DuckDB's max_line_size: the in-memory reader takes it
  }
  await conn.run("CREATE OR REPLACE TEMP VIEW _lines AS SELECT rowid + 1 AS line, text FROM _raw_lines");
  const [count] = await queryRows<{n: number}>(conn, "SELECT count(*) AS n FROM _lines");
  if (Number(count?.n) !== lineCount) return undefined;

  // … then the header, with the most frequent field count of the whole file (as the in-memory reader sees it)
  const widths = await queryRows<{w: number; n: number}>(conn, `
    SELECT strlen(text) - strlen(replace(text, ${sqlString(D)}, '')) + 1 AS w, count(*) AS n FROM _lines WHERE NOT ${blank} GROUP BY w`);
  let modal = {w: 1, n: 0};
  for (const {w, n} of widths) if (w >= 2 && (n > modal.n || (n === modal.n && w > modal.w))) modal = {w, n};
  const maxFields = Math.max(0, ...widths.map((x) => x.w));
  try {
    sniff = parseTable(head, {...options, file: spec.name, modalWidth: modal.w});
  } catch {
    return undefined;
  }
  if (sniff.delimiter !== D) return undefined;
  const headerLine = sniff.headerLine;
  const headerWidth = lastUsed(sniff.header);

  // footnotes: a line of underscores anywhere, or the trailing block of note lines
  const [underscore] = await queryRows<{line: number | null}>(conn, `
    SELECT min(line) AS line FROM _lines WHERE line > ${headerLine}
      AND regexp_full_match(text, '(?:[${WS_CLASS}]*${dRe})*[${WS_CLASS}]*_{3,}[${WS_CLASS}]*(?:${dRe}[${WS_CLASS}]*)*')`);
  const tail = (await queryRows<{line: number; text: string}>(conn, `SELECT line, text FROM _lines WHERE line > ${headerLine} ORDER BY line DESC LIMIT ${TAIL_LINES}`)).reverse();
  const tailRecs: Rec[] = tail.map((t) => recordOf(cellsOf(t.text, D), t.line));
  const tailStart = findFootnotes(tailRecs, 0, headerWidth);
  if (tailStart === 0 && tail.length === TAIL_LINES) return undefined; // the note block may be longer than the tail
  const footLine = Math.min(underscore?.line ?? Infinity, tailStart < tailRecs.length ? tailRecs[tailStart]!.line : Infinity);
  const region = `line > ${headerLine}${Number.isFinite(footLine) ? ` AND line < ${footLine}` : ""}`;

  // width of the table: the header and every column that holds data
  let width = headerWidth;
  if (maxFields > width) {
    const [used] = await queryRows<{w: number | null}>(conn, `
      SELECT max(CASE WHEN s = '' THEN 0 ELSE strlen(s) - strlen(replace(s, ${sqlString(D)}, '')) + 1 END) AS w
      FROM (SELECT regexp_replace(text, '[${WS_CLASS}${dRe}]+$', '') AS s FROM _lines WHERE ${region})`);
    width = Math.max(width, used?.w ?? 0);
  }
  const keys = Array.from({length: width}, (_, i) => sniff.keys[i] ?? `spalte_${i + 1}`);
  const layout: Layout = {delimiter: D, header: sniff.header, headerLine, keys, width};

  // total rows: only lines that contain a total label at all can be one
  const isTotal = totalRowTest(sniff.keys, sniff.header, options);
  // (case-insensitive in RE2 folds at least every character that toLowerCase() maps onto a label's letters)
  const labelPattern = `(?i)${TOTAL_LABELS.map((l) => l.replace(/[^\p{L}\p{N}]/gu, (c) => `\\${c}`)).join("|")}`;
  const candidates = await queryRows<{line: number; text: string}>(conn, `SELECT line, text FROM _lines WHERE ${region} AND regexp_matches(text, ${sqlString(labelPattern)}) ORDER BY line`);
  const totals = candidates.map((c) => rawRow(c.line, c.text, layout)).filter((r) => isTotal(r.values));
  const totalLines = totals.map((t) => t.line);

  // one column per contract field, split like the in-memory reader does (the converter trims)
  const present = spec.fields.map((f) => ({field: f, index: keys.indexOf(f.key)}));
  const columns = present.filter((p) => p.index >= 0).map((p, k) => ({...p, column: `c${k}`}));
  await conn.run(`CREATE OR REPLACE TEMP TABLE _data AS
    SELECT line${columns.map((c) => `, coalesce(s[${c.index + 1}], '') AS ${c.column}`).join("")}
    FROM (SELECT line, string_split(text, ${sqlString(D)}) AS s FROM _lines
          WHERE ${region} AND NOT ${blank}${totalLines.length ? ` AND line NOT IN (${totalLines.join(", ")})` : ""})`);

  const table = TABLES.find((t) => t.name === spec.table)!;
  const markers = [...DEFAULT_MARKERS, ...ctx.config.markers];
  const convert = (field: FieldSpec, raw: string | undefined, decimal: DecimalStyle): Converted => {
    const result = convertCell(field, raw, {decimal, markers});
    if (!result.ok) return {ok: false, value: null, marker: null};
    let value = result.value;
    let ok = true;
    if (field.key === "year" && typeof value === "number" && (value > ctx.config.years.last || value < ctx.config.years.first - 20)) ok = false;
    if (spec.areaColumns.includes(field.key) && typeof value === "string") {
      if (!ctx.areaIds.has(value) || (spec.leafOnly && !ctx.leafIds.has(value))) ok = false;
    }
    // Kitas: a given area must exist and lie on the lowest level
    if (spec.name === KITAS_FILE && field.key === "area_id" && typeof value === "string" && !ctx.leafIds.has(value)) ok = false;
    if (field.key === "age_band" && typeof value === "string") {
      const band = normalizeAgeBand(value);
      if (band === undefined) ok = false;
      else value = band;
    }
    return {ok, value, marker: result.marker ?? null};
  };

  // each column's distinct values, converted once
  const decimals = new Map<string, DecimalStyle>();
  const selects: string[] = [];
  const joins: string[] = [];
  const okTerms: string[] = [];
  const markerColumns: {field: FieldSpec; map: string}[] = [];
  const valueExpr = new Map<string, string>();
  // the distinct values of every column with their counts, in one scan (grouping sets)
  const distinctByColumn = new Map<string, {raw: string; n: number}[]>(columns.map((c) => [c.column, []]));
  if (columns.length) {
    const rows = await queryRows<Record<string, string | number>>(conn, `
      SELECT ${columns.map((c) => c.column).join(", ")}, GROUPING_ID(${columns.map((c) => c.column).join(", ")}) AS gid, count(*) AS n
      FROM _data GROUP BY GROUPING SETS (${columns.map((c) => `(${c.column})`).join(", ")})`);
    for (const row of rows) {
      // GROUPING_ID has a 0 bit for the grouped column (the last column is the lowest bit)
      const gid = Number(row.gid);
      const index = columns.findIndex((_, i) => ((gid >> (columns.length - 1 - i)) & 1) === 0);
      const column = columns[index]!.column;
      distinctByColumn.get(column)!.push({raw: String(row[column]), n: Number(row.n)});
    }
  }
  for (const [k, p] of present.entries()) {
    const type = columnType(table, p.field.key);
    const col = columns.find((c) => c.field === p.field);
    if (!col) {
      // the column is not in the file: every row has the empty value
      const c = convert(p.field, undefined, "comma");
      if (!c.ok) okTerms.push("false");
      valueExpr.set(p.field.key, `CAST(${sqlLiteral(c.value)} AS ${type})`);
      selects.push(`${valueExpr.get(p.field.key)} AS ${p.field.key}`);
      continue;
    }
    const distinct = distinctByColumn.get(col.column)!;
    const numeric = p.field.type === "integer" || p.field.type === "number";
    const decimal = numeric ? detectDecimalStyleCounted(distinct.map((d) => [d.raw, Number(d.n)] as const)) : "comma";
    if (numeric) decimals.set(p.field.key, decimal);
    const map = `_map${k}`;
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${map} (raw VARCHAR, ok BOOLEAN, v ${type}, marker VARCHAR)`);
    const def: TableDef = {name: map, columns: [["raw", "VARCHAR"], ["ok", "BOOLEAN"], ["v", type as TableDef["columns"][number][1]], ["marker", "VARCHAR"]]};
    // each distinct value converted once: into the map table and for the expressions below
    const converted = distinct.map((d) => ({raw: d.raw, c: convert(p.field, d.raw, decimal)}));
    const anyMarker = converted.some((x) => x.c.marker !== null && x.c.ok);
    await appendRows(conn, def, converted.map((x) => ({raw: x.raw, ok: x.c.ok, v: x.c.value, marker: x.c.marker})));
    const direct = directExpression(`d.${col.column}`, type, converted);
    const allOk = converted.every((x) => x.c.ok);
    if (direct !== undefined && (allOk || distinct.length <= CASE_LIMIT)) {
      // the cell itself is the value (identifiers, canonical numbers): no CASE, no join
      valueExpr.set(p.field.key, direct);
      if (!allOk) {
        const okRaws = converted.filter((x) => x.c.ok).map((x) => sqlString(x.raw));
        okTerms.push(okRaws.length ? `d.${col.column} IN (${okRaws.join(", ")})` : "false");
      }
    } else if (distinct.length <= CASE_LIMIT) {
      // few distinct values (years, enums, flags): a CASE expression, no join
      const branches = converted.filter((x) => x.c.ok && x.c.value !== null).map((x) => `WHEN ${sqlString(x.raw)} THEN ${sqlLiteral(x.c.value)}`);
      valueExpr.set(p.field.key, branches.length ? `CAST(CASE d.${col.column} ${branches.join(" ")} ELSE NULL END AS ${type})` : `CAST(NULL AS ${type})`);
      const okRaws = converted.filter((x) => x.c.ok).map((x) => sqlString(x.raw));
      if (okRaws.length < converted.length) okTerms.push(okRaws.length ? `d.${col.column} IN (${okRaws.join(", ")})` : "false");
    } else {
      valueExpr.set(p.field.key, direct ?? `${map}.v`);
      // every value is in its map; LEFT JOINs keep DuckDB from reordering many inner joins
      joins.push(`LEFT JOIN ${map} ON ${map}.raw = d.${col.column}`);
      okTerms.push(`coalesce(${map}.ok, false)`);
    }
    selects.push(`${valueExpr.get(p.field.key)} AS ${p.field.key}`);
    if (anyMarker) markerColumns.push({field: p.field, map});
  }

  // Kitas: coordinates → lon/lat per distinct pair (coordinate system detected from all rows,
  // as the in-memory path does); rows without an area id need the polygon lookup in memory
  let utmColumns: ReturnType<typeof detectCoordinateSystem>;
  if (spec.name === KITAS_FILE) {
    const x = columns.find((c) => c.field.key === "x");
    const y = columns.find((c) => c.field.key === "y");
    const pairs = x && y ? await queryRows<{x: string; y: string}>(conn, `SELECT ${x.column} AS x, ${y.column} AS y FROM _data GROUP BY ALL`) : [];
    const cellNumber = (raw: string): number => Number(raw.trim().replace(",", "."));
    utmColumns = detectCoordinateSystem(pairs.flatMap((p) => {
      const px = cellNumber(p.x);
      const py = cellNumber(p.y);
      return Number.isFinite(px) && Number.isFinite(py) && p.x.trim() && p.y.trim() ? [[px, py]] : [];
    }));
    const xField = spec.fields.find((f) => f.key === "x")!;
    const yField = spec.fields.find((f) => f.key === "y")!;
    await conn.run("CREATE OR REPLACE TEMP TABLE _coords (x VARCHAR, y VARCHAR, lon DOUBLE, lat DOUBLE, ok BOOLEAN)");
    await appendRows(conn, {name: "_coords", columns: [["x", "VARCHAR"], ["y", "VARCHAR"], ["lon", "DOUBLE"], ["lat", "DOUBLE"], ["ok", "BOOLEAN"]]}, pairs.map((p) => {
      const vx = convert(xField, p.x, decimals.get("x") ?? "comma").value;
      const vy = convert(yField, p.y, decimals.get("y") ?? "comma").value;
      if (typeof vx !== "number" || typeof vy !== "number") return {x: p.x, y: p.y, lon: null, lat: null, ok: true};
      const [lon, lat] = utmColumns === "utm32" ? utm32ToWgs84(stripZonePrefix(vx), vy) : [vx, vy];
      return {x: p.x, y: p.y, lon, lat, ok: utmColumns !== undefined};
    }));
    const area = valueExpr.get("area_id") ?? "NULL";
    if (x && y) {
      joins.push(`LEFT JOIN _coords ON _coords.x = d.${x.column} AND _coords.y = d.${y.column}`);
      selects.push("_coords.lon AS lon", "_coords.lat AS lat");
      okTerms.push("coalesce(_coords.ok, false)");
    }
    selects.push(`CASE WHEN ${area} IS NOT NULL THEN 'angegeben' END AS area_assignment`);
    okTerms.push(`${area} IS NOT NULL`);
  }
  // fields that are not columns of the table (Kitas' x and y) are only read
  const tableColumns = new Set(table.columns.map(([c]) => c));
  const inserted = selects.filter((sel) => tableColumns.has(sel.slice(sel.lastIndexOf(" AS ") + 4)));
  const accepted = [...okTerms, ...(spec.rowRuleSql ? [`NOT coalesce(${spec.rowRuleSql(Object.fromEntries(present.map((p) => [p.field.key, valueExpr.get(p.field.key) ?? "NULL"])))}, false)`] : [])];
  const acceptedSql = accepted.length ? accepted.join(" AND ") : "true";

  await conn.run(`INSERT INTO ${spec.table} BY NAME SELECT ${[...inserted, "d.line AS line"].join(", ")} FROM _data d ${joins.join(" ")} WHERE coalesce(${acceptedSql}, false)`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE _flagged AS SELECT line FROM _data ANTI JOIN ${spec.table} USING (line)`);

  // rows SQL did not accept: the row check of the in-memory path decides and explains
  const rejected: {row: RawRow; problems: RowProblem[]}[] = [];
  const lateValid: Record<string, Value | undefined>[] = [];
  const flagged = await queryRows<{line: number; text: string}>(conn, "SELECT l.line, l.text FROM _flagged f JOIN _lines l USING (line) ORDER BY l.line");
  for (const f of flagged) {
    const row = rawRow(f.line, f.text, layout);
    const checked = checkRow(row, spec, ctx, {decimals, markers, utmColumns});
    if (checked.problems.length) rejected.push({row, problems: checked.problems});
    else lateValid.push(Object.fromEntries(Object.entries({...checked.record, line: row.line}).filter(([k]) => tableColumns.has(k))));
  }
  if (lateValid.length) await appendRows(conn, table, lateValid);

  // duplicate keys among the loaded rows: every row after the first with the same key
  if (spec.key.length) {
    const keyList = spec.key.join(", ");
    const dups = await queryRows<Record<string, Value> & {line: number; first_line: number; text: string}>(conn, `
      SELECT t.*, l.text FROM (
        SELECT line, ${keyList}, min(line) OVER w AS first_line, row_number() OVER (w ORDER BY line) AS rn
        FROM ${spec.table} WINDOW w AS (PARTITION BY ${keyList})) t
      JOIN _lines l USING (line) WHERE t.rn > 1 ORDER BY t.line`);
    if (dups.length) {
      for (const d of dups) rejected.push({row: rawRow(d.line, d.text, layout), problems: [duplicateKeyProblem(spec, d, d.first_line)]});
      await conn.run(`DELETE FROM ${spec.table} WHERE line IN (${dups.map((d) => d.line).join(", ")})`);
    }
  }
  rejected.sort((a, b) => a.row.line - b.row.line);
  if (ctx.strict && rejected.length) {
    const first = rejected[0]!;
    const p = first.problems[0]!;
    throw new StrictModeError({file: spec.name, line: first.row.line, column: p.column, code: p.code, message: p.message});
  }

  // statistical markers of the loaded rows
  for (const m of markerColumns) {
    const col = columns.find((c) => c.field === m.field)!;
    await conn.run(`INSERT INTO cell_markers SELECT ${sqlString(spec.name)}, d.line, ${sqlString(m.field.key)}, ${m.map}.marker
      FROM _data d JOIN ${m.map} ON ${m.map}.raw = d.${col.column} AND ${m.map}.marker IS NOT NULL AND ${m.map}.ok
      SEMI JOIN ${spec.table} t ON t.line = d.line`);
  }

  if (spec.totalColumns && totals.length) {
    const totalCols = columns.filter((c) => spec.totalColumns!.includes(c.field.key));
    const dataRows = (await queryRows<Record<string, string> & {line: number}>(conn, `SELECT line${totalCols.map((c) => `, ${c.column}`).join("")} FROM _data ORDER BY line`))
      .map((r) => ({line: r.line, values: [], cells: Object.fromEntries(totalCols.map((c) => [c.field.key, r[c.column] ?? ""]))}));
    const checkTable = {file: spec.name, rows: dataRows, totals} as unknown as RawTable;
    for (const check of checkTotals(checkTable, spec.totalColumns, {markers: ctx.config.markers})) {
      const message = formatTotalWarning(check).replace(`${check.file}:${check.line}: ${check.column}: `, "");
      warnings.push({file: spec.name, line: check.line, column: check.column, code: "total_mismatch", message});
    }
  }

  const [read] = await queryRows<{n: number}>(conn, "SELECT count(*) AS n FROM _data");
  const [loaded] = await queryRows<{n: number}>(conn, `SELECT count(*) AS n FROM ${spec.table}`);
  for (const [k] of present.entries()) await conn.run(`DROP TABLE IF EXISTS _map${k}`);
  return {
    report: {
      file: spec.name,
      rows_read: Number(read?.n ?? 0),
      rows_loaded: Number(loaded?.n ?? 0),
      rows_rejected: rejected.length,
      total_rows: totals.length,
      encoding,
      delimiter: D === "\t" ? "Tab" : D
    },
    quarantine: rejected.map((r) => quarantineRow(r.row, r.problems))
  };
}

export type {CellMarker};
