/**
 * The attacker's view of a city build: everything the site publishes about indicator cells
 * (every page file with indicator values and the indicator downloads, read back from the files
 * the export step writes), turned into PublishedCell rows for the LP auditor, with the true
 * values from the internal database for checking the ranges. Independent of the protection
 * engine: it reads only published files, the catalogue's denominator cells and the thresholds.
 */
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../../loaders/db.ts";
import {loadCatalogue} from "../../loaders/indicators/catalogue.ts";
import {exportSite} from "../../loaders/export/site-export.ts";
import {formatPercent} from "../../loaders/report/format.ts";
import {auditPublishedTables, cellKey, type AuditResult, type IndicatorSpec, type PublishedCell, type Truth} from "./lp-auditor.ts";

export interface SiteAudit extends AuditResult {
  /** withheld counts (sensitive or not) that the attacker determines exactly */
  exact: string[];
  withheldCells: number;
}

type Num = number | null;

/** A file of the published site: its path as the export step names it (without Framework's content hash) and where it is. */
interface SiteFile {
  logical: string;
  file: string;
}

/** Every file below `root`; `hashed`: names carry Framework's content hash (dist/_file/…: "city.313d6538.json"). */
function siteFiles(root: string, hashed: boolean): SiteFile[] {
  if (!existsSync(root)) return [];
  const out: SiteFile[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const file = join(dir, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(file, name);
      else out.push({file, logical: hashed ? name.replace(/\.[0-9a-f]{8}(\.[a-z]+)$/, "$1") : name});
    }
  };
  walk(root, "");
  return out;
}

type Partial3 = {numerator?: Num; denominator?: Num; rate?: Num; withheld?: boolean};

/**
 * Everything a built site publishes about indicator cells, read from its files: the page files
 * (the city's values, the values per level, indicator and year and their series, the area
 * profiles, the report pages' rows, the overview's changes) and the indicator downloads (annual
 * and three-year counts). `dataDir` holds the page files (var/<city>/site/data or dist/_file/data,
 * `hashed` for the latter), `downloadsDir` the downloads. The same cell in several files must
 * carry the same numbers; differences are returned in `conflicts`.
 */
export interface PublishedSite {
  cells: PublishedCell[];
  /** the page-file rows with indicator values, as written (file, indicator, row) */
  rows: {source: string; indicator: string; row: Record<string, unknown>}[];
  files: number;
  conflicts: string[];
}

export async function readPublishedSite(dataDir: string, downloadsDir: string, hashed: boolean): Promise<PublishedSite> {
  const annual = new Map<string, Partial3 & {indicator: string; area: string; year: number}>();
  const pooled = new Map<string, Partial3 & {indicator: string; area: string; year: number}>();
  const conflicts: string[] = [];
  const rows: PublishedSite["rows"] = [];
  let files = 0;
  const num = (v: unknown): Num => (v === null || v === undefined ? null : Number(v));
  const merge = (map: typeof annual, source: string, indicator: string, area: string, year: number, values: Partial3): void => {
    const key = `${indicator}|${area}|${year}`;
    const cell = map.get(key) ?? {indicator, area, year};
    for (const field of ["numerator", "denominator", "rate", "withheld"] as const) {
      const value = values[field];
      if (value === undefined) continue;
      const before = cell[field];
      if (before !== undefined && before !== value && !(typeof before === "number" && typeof value === "number" && Math.abs(before - value) <= 1e-9 * Math.max(1, Math.abs(value)))) {
        conflicts.push(`${source}: ${key} ${field} ${String(value)} ≠ ${String(before)}`);
      }
      (cell as Record<string, unknown>)[field] = value;
    }
    map.set(key, cell);
  };
  /** A page-file row: only the fields the file carries count. */
  const fromRow = (source: string, indicator: string, r: Record<string, unknown>): void => {
    rows.push({source, indicator, row: r});
    const values: Partial3 = {};
    if ("numerator" in r) values.numerator = num(r.numerator);
    if ("denominator" in r) values.denominator = num(r.denominator);
    if ("rate" in r) values.rate = num(r.rate);
    if ("suppressed" in r) values.withheld = r.suppressed !== null && r.suppressed !== undefined;
    merge(annual, source, indicator, String(r.area_id), Number(r.year), values);
  };
  const arrowRows = (file: string): Record<string, unknown>[] => {
    const table = tableFromIPC(readFileSync(file));
    const names = table.schema.fields.map((f) => f.name);
    return table.toArray().map((row) => {
      const json = row.toJSON() as Record<string, unknown>;
      return Object.fromEntries(names.map((n) => [n, json[n] ?? null]));
    });
  };
  for (const {logical, file} of siteFiles(dataDir, hashed)) {
    let match: RegExpExecArray | null;
    if (logical === "stadt.arrow") {
      files++;
      for (const r of arrowRows(file)) fromRow(logical, String(r.indicator_id), r);
    } else if ((match = /^werte\/[^/]+\/([^/]+)\.arrow$/.exec(logical)) || (match = /^werte\/[^/]+\/([^/]+)\/[^/]+\.arrow$/.exec(logical))) {
      files++;
      const indicator = decodeURIComponent(match[1]!);
      for (const r of arrowRows(file)) fromRow(logical, indicator, r);
    } else if (/^gebiet\/[^/]+\.json$/.test(logical)) {
      files++;
      const profile = JSON.parse(readFileSync(file, "utf8")) as {values: Record<string, unknown>[]};
      for (const r of profile.values) fromRow(logical, String(r.indicator_id), r);
    } else if (/^bericht\/[^/]+\.json$/.test(logical)) {
      files++;
      const page = JSON.parse(readFileSync(file, "utf8")) as {kita: Record<string, unknown>[]};
      for (const r of page.kita) fromRow(logical, String(r.indicator_id), r);
    } else if (logical === "uebersicht.json") {
      files++;
      const overview = JSON.parse(readFileSync(file, "utf8")) as {changes: Record<string, unknown>[]};
      for (const r of overview.changes) fromRow(logical, String(r.indicator_id), r);
    }
  }
  // the indicator downloads: annual and three-year cells (Parquet, the exact numbers)
  const instance = await DuckDBInstance.create(":memory:");
  const mem = await instance.connect();
  try {
    for (const {logical, file} of siteFiles(downloadsDir, false)) {
      const match = /^indikator_(.+)\.parquet$/.exec(logical);
      if (!match) continue;
      files++;
      const indicator = decodeURIComponent(match[1]!);
      const rows = await queryRows<{jahr: number; gebiet_id: string; zaehler: Num; nenner: Num; wert: Num; zaehler_3j: Num; nenner_3j: Num; wert_3j: Num; geheimhaltung: string; geheimhaltung_3j: string}>(
        mem,
        `SELECT jahr, gebiet_id, zaehler, nenner, wert, zaehler_3j, nenner_3j, wert_3j, geheimhaltung, geheimhaltung_3j FROM read_parquet('${file.replaceAll("'", "''")}')`
      );
      for (const r of rows) {
        const year = Number(r.jahr);
        merge(annual, logical, indicator, r.gebiet_id, year, {numerator: num(r.zaehler), denominator: num(r.nenner), rate: num(r.wert), withheld: r.geheimhaltung !== ""});
        const pooledWithheld = r.geheimhaltung_3j !== "";
        if (pooledWithheld || r.zaehler_3j !== null) merge(pooled, logical, indicator, r.gebiet_id, year, {numerator: num(r.zaehler_3j), denominator: num(r.nenner_3j), rate: num(r.wert_3j), withheld: pooledWithheld});
      }
    }
  } finally {
    mem.closeSync();
    instance.closeSync();
  }
  const cells: PublishedCell[] = [];
  for (const [map, kind] of [[annual, "annual"], [pooled, "pooled"]] as const) {
    for (const c of map.values()) {
      cells.push({indicator: c.indicator, area: c.area, year: c.year, kind, numerator: c.numerator ?? null, denominator: c.denominator ?? null, rate: c.rate ?? null, withheld: c.withheld ?? false});
    }
  }
  return {cells, rows, files, conflicts};
}

/**
 * The published indicator cells of a city database: the export step writes the city's site
 * into a temporary folder, and the cells are read back from its files (readPublishedSite) – so
 * the audit sees exactly what the site publishes.
 */
export async function publishedCells(conn: DuckDBConnection): Promise<PublishedCell[]> {
  const dir = mkdtempSync(join(tmpdir(), "chancenatlas-site-"));
  try {
    await exportSite(conn, "audit", join(dir, "site"));
    const site = await readPublishedSite(join(dir, "site", "data"), join(dir, "site", "downloads"), false);
    if (site.conflicts.length) throw new Error(`Widersprüchliche Zahlen in den Seitendateien:\n${site.conflicts.slice(0, 10).join("\n")}`);
    return site.cells;
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

export function indicatorSpecs(ids: Iterable<string>): IndicatorSpec[] {
  const wanted = new Set(ids);
  return loadCatalogue()
    .filter((i) => wanted.has(i.id))
    // denominators are one variable where they count the same thing by definition (same cell and
    // expression: overweight and obesity share the measured children); SEU domains with their own
    // missing values have their own denominators, which the engine withholds together anyway
    .map((i) => ({id: i.id, kind: i.kind, denominatorCell: `${i.denominator_cell}:${i.denominator}`, ...(i.denominator_scale ? {denominatorScale: i.denominator_scale} : {}), numeratorPublic: i.numerator_public}));
}

/** True counts of every cell, with the fields the primary rule makes sensitive. */
export async function trueValues(conn: DuckDBConnection): Promise<Truth> {
  const rows = await queryRows<{indicator_id: string; area_id: string; year: number; numerator: Num; denominator: Num; pooled_numerator: Num; pooled_denominator: Num; kind: string; public_num: boolean; min_cases: number; min_denominator: number}>(conn, `
    SELECT v.indicator_id, v.area_id, v.year, v.numerator, v.denominator, v.pooled_numerator, v.pooled_denominator, c.kind, r.min_cases, r.min_denominator,
           NOT r.protect_numerator AS public_num
    FROM indicator_values v JOIN indicator_catalogue c USING (indicator_id) JOIN protection_rules r USING (indicator_id)`);
  const truth: Truth = new Map();
  for (const r of rows) {
    const add = (kind: "annual" | "pooled", n: Num, d: Num): void => {
      if (n === null || d === null) return;
      const small = (x: number, limit: number): boolean => x > 0 && x < limit;
      truth.set(cellKey({indicator: r.indicator_id, area: r.area_id, year: Number(r.year), kind}), {
        numerator: n,
        denominator: d,
        sensitive: {
          numerator: !r.public_num && small(n, r.min_cases),
          complement: !r.public_num && r.kind === "proportion" && small(d - n, r.min_cases),
          denominator: small(d, r.min_denominator)
        }
      });
    };
    add("annual", r.numerator, r.denominator);
    add("pooled", r.pooled_numerator, r.pooled_denominator);
  }
  return truth;
}

/**
 * Withheld numerators and complements the attacker determines exactly. Zero counts are not
 * sensitive (tau-Argus default: a published 0 for a district says its parts are 0 too), and a
 * denominator counts as published for its family unless it is sensitive, which the width check covers.
 */
export function exactRecoveries(result: AuditResult, truth: Truth): string[] {
  return result.targets
    .filter((target) => {
      const range = result.ranges.get(target.id);
      if (!range || range.max === null || range.max - range.min >= 1e-6 || target.field === "denominator") return false;
      const t = truth.get(target.cell);
      return t !== undefined && (target.field === "numerator" ? t.numerator : t.denominator - t.numerator) > 0;
    })
    .map((target) => target.id);
}

/** Runs the attacker's linear programme on published cells against the true values. */
export async function auditCells(cells: readonly PublishedCell[], truth: Truth, areas: readonly {area_id: string; parent_id: string | null}[], width: number): Promise<SiteAudit> {
  const parentOf = new Map(areas.map((a) => [a.area_id, a.parent_id === "" ? null : a.parent_id]));
  const result = await auditPublishedTables(cells, indicatorSpecs(new Set(cells.map((c) => c.indicator))), {parentOf}, {truth, width, pooledYears: 3});
  return {...result, exact: exactRecoveries(result, truth), withheldCells: cells.filter((c) => c.withheld).length};
}

/** Runs the attacker's linear programme on what the city's site publishes. */
export async function auditCity(conn: DuckDBConnection, width: number): Promise<SiteAudit> {
  const areas = await queryRows<{area_id: string; parent_id: string | null}>(conn, "SELECT area_id, parent_id FROM areas");
  return auditCells(await publishedCells(conn), await trueValues(conn), areas, width);
}

export interface WithheldValue {
  year: number;
  name: string;
  rate: number;
  short_title: string;
}

/** Every withheld cell below the city with its area name, rate and indicator short title. */
export async function withheldValues(conn: DuckDBConnection): Promise<WithheldValue[]> {
  return queryRows<WithheldValue & Record<string, unknown>>(conn, `
    SELECT v.year, a.name, v.rate, c.short_title FROM indicator_published p JOIN indicator_values v USING (indicator_id, area_id, year)
    JOIN indicator_catalogue c USING (indicator_id) JOIN areas a USING (area_id)
    WHERE p.suppressed IS NOT NULL AND v.rate IS NOT NULL AND a.level_rank > 0`);
}

/**
 * The sentence that quotes a withheld value the way the report quotes areas – "Name (12,3 %" in
 * a sentence about that indicator, the name standing on its own ("Mitte", not "Kirchhellen-Mitte").
 */
export function quotingSentence(sentences: readonly string[], w: WithheldValue): string | undefined {
  const quoted = `${w.name} (${formatPercent(w.rate)}`;
  return sentences.find((sentence) => sentence.includes(w.short_title) && sentence.split(quoted).slice(0, -1).some((before) => before === "" || /[\s,;:(]$/.test(before)));
}

/** Sentences of a text (split after . ! ?). */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/);
}
