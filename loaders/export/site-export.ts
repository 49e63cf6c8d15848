/**
 * The export step of the site build: every page file and every download of a city, computed
 * once, in one process, on one database connection (scripts/prepare-site.ts calls it after the
 * database is built). Every file passes the publish gate (loaders/publish/gate.ts) right before
 * it is written – this is the only place that writes published files, so no file can bypass
 * the gate. The Framework data loaders only hand these files over (handover.ts).
 *
 * Output: var/<city>/site/ (written to a temporary folder, then renamed into place), with
 * manifest.json listing every file with its SHA-256 and an index of the parameterized files
 * (which levels, indicators, years, areas, reports and downloads exist).
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {openDatabase, queryRows, type Row} from "../db.ts";
import {assertPublishable, loadGate, type GateState} from "../publish/gate.ts";
import {reportFindings} from "../report/findings.ts";
import {rowsToTypedArrowIPC, type ArrowColumnType} from "./arrow.ts";
import {exportMethods, exportSources} from "./docs.ts";
import {downloadTables, toCsv, toParquet, type DownloadTable} from "./downloads.ts";
import {exportFunding} from "./funding.ts";
import {siteDir} from "./handover.ts";
import {exportAreas, exportCity, exportIndicatorValues, exportKitas, exportNeedIndex, exportQuality} from "./site.ts";
import {
  areaListFile, CITY_COLUMNS, fileSegment, fundingSlices, indicatorSlices, KITA_COLUMNS, kitaFiles, mapFiles, overviewFile, profileFiles, reportPageFile
} from "./slices.ts";

export {siteDir};

/** Which parameterized files exist (read by scripts/prepare-site.ts for the page modules and Framework's dynamic paths). */
export interface SiteIndex {
  /**
   * level → indicator → its years; split: one file per year (data/werte/<level>/<indicator>/<year>.arrow)
   * and the series (…/verlauf.arrow), otherwise one file with all years (data/werte/<level>/<indicator>.arrow)
   */
  werte: Record<string, Record<string, {years: number[]; split: boolean}>>;
  /** levels of data/karte/<level>.json */
  karten: string[];
  /** years of data/kitas/<year>.arrow */
  kitas: number[];
  /** level → years of data/foerderung/<level>/<year>.json */
  foerderung: Record<string, number[]>;
  /** levels of data/verteilung/<level>.json */
  verteilung: string[];
  /** level → year → number of parts: data/kette/<level>/<year>.json and …/<year>/<part>.json */
  kette: Record<string, Record<string, number>>;
  /** file names (without .json) of data/gebiet/<area>.json, one profile page each */
  gebiete: string[];
  /** years of data/report-<year>.json and data/bericht/<year>.json, one report page each */
  berichte: number[];
  /** ids of downloads/<id>.csv and downloads/<id>.parquet */
  downloads: string[];
}

export interface SiteManifest {
  city: string;
  /** path → SHA-256 (hex) and size of every exported file */
  files: Record<string, {sha256: string; bytes: number}>;
  index: SiteIndex;
}

export const MANIFEST = "manifest.json";

/**
 * The annual report describes the lowest level with at most this many areas: a report whose
 * tables list thousands of statistical districts (a state-scale data set) is not readable,
 * printable or loadable as one page. Cities down to a few hundred areas keep their lowest level.
 */
export const REPORT_MAX_AREAS = 400;

/** The level of the annual report: the lowest level with at most REPORT_MAX_AREAS areas (or the highest level below the city). */
export function reportLevel(levels: readonly {level: string; level_rank: number}[], areas: readonly {level: string}[]): string {
  const below = levels.filter((l) => l.level_rank > 0).sort((a, b) => b.level_rank - a.level_rank);
  const count = (level: string): number => areas.filter((a) => a.level === level).length;
  return (below.find((l) => count(l.level) <= REPORT_MAX_AREAS) ?? below.at(-1))!.level;
}

/** Writes files into a folder and records them; every file passes the publish gate first. */
class SiteWriter {
  readonly files: SiteManifest["files"] = {};
  constructor(readonly root: string, private readonly gate: GateState) {}

  private write(path: string, content: string | Uint8Array): void {
    if (this.files[path]) throw new Error(`${path} wird doppelt geschrieben`);
    const file = join(this.root, path);
    mkdirSync(dirname(file), {recursive: true});
    writeFileSync(file, content);
    const bytes = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
    this.files[path] = {sha256: createHash("sha256").update(content).digest("hex"), bytes};
  }

  /** A JSON page file; the gate checks exactly what is written (serialised once, parsed back). */
  json(path: string, value: unknown, options: {indicator?: string} = {}): void {
    const text = JSON.stringify(value);
    assertPublishable(path, JSON.parse(text), this.gate, options);
    this.write(path, text);
  }

  /** An Arrow page file with typed columns; rows without indicator_id name their indicator. */
  arrow(path: string, rows: readonly Row[], columns: Readonly<Record<string, ArrowColumnType>>, options: {indicator?: string} = {}): void {
    assertPublishable(path, rows, this.gate, options);
    this.write(path, rowsToTypedArrowIPC(rows, columns));
  }

  /** A download table as CSV and Parquet, checked as a whole (an indicator table names its indicator). */
  async download(table: DownloadTable, scratch: DuckDBConnection): Promise<void> {
    const indicator = /^indikator_(.+)$/.exec(table.id)?.[1];
    assertPublishable(`downloads/${table.id}`, table.rows, this.gate, indicator ? {indicator} : {});
    this.write(`downloads/${fileSegment(table.id)}.csv`, toCsv(table));
    this.write(`downloads/${fileSegment(table.id)}.parquet`, await toParquet(table, scratch));
  }
}

/** Exports every page file and download of the city in `conn` into `outDir` (atomically replaced). */
export async function exportSite(conn: DuckDBConnection, city: string, outDir = siteDir(city)): Promise<SiteManifest> {
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, {recursive: true, force: true});
  mkdirSync(tmp, {recursive: true});
  try {
    const out = new SiteWriter(tmp, await loadGate(conn));
    const index: SiteIndex = {werte: {}, karten: [], kitas: [], foerderung: {}, verteilung: [], kette: {}, gebiete: [], berichte: [], downloads: []};

    const meta = await exportCity(conn);
    out.json("data/city.json", meta);

    // areas: one map file per level; the list of all areas; profiles below
    const {areas, outline} = await exportAreas(conn);
    const areaRows = areas as unknown as Parameters<typeof mapFiles>[0];
    for (const [path, file] of mapFiles(areaRows, outline)) {
      out.json(path, file.value);
      if (meta.levels.find((l) => l.level === file.level)!.level_rank > 0) index.karten.push(file.level);
    }

    // indicator values: the city's rows; one file per level and indicator (a large level: one per year and the series)
    const values = await exportIndicatorValues(conn);
    const slices = indicatorSlices(values, meta.levels);
    out.arrow("data/stadt.arrow", slices.city, CITY_COLUMNS);
    for (const [path, file] of slices.files) out.arrow(path, file.rows, file.columns, {indicator: file.indicator});
    index.werte = slices.index;

    const need = await exportNeedIndex(conn);
    out.json("data/uebersicht.json", overviewFile(values, need.rows, meta));
    out.json("data/gebiete.json", areaListFile(areaRows, need.rows, meta.latest_year));

    const kitas = await exportKitas(conn);
    for (const [path, file] of kitaFiles(kitas)) {
      out.arrow(path, file.rows, KITA_COLUMNS);
      index.kitas.push(file.year);
    }

    const funding = (await exportFunding(conn)) as unknown as Parameters<typeof fundingSlices>[0];
    const fundingFiles = fundingSlices(funding);
    out.json("data/foerderung.json", fundingFiles.common);
    for (const [path, value] of fundingFiles.files) out.json(path, value);
    index.foerderung = fundingFiles.index.foerderung;
    index.verteilung = fundingFiles.index.verteilung;
    index.kette = fundingFiles.index.kette;

    for (const [path, value] of profileFiles({areas: areaRows, values, need: need.rows, kitas, funding, proportions: new Set(meta.indicators.filter((i) => i.kind === "proportion").map((i) => String(i.indicator_id)))})) {
      out.json(path, value);
      index.gebiete.push(path.slice("data/gebiet/".length, -".json".length));
    }

    // the annual reports: the generated findings and the rows behind the report page's charts
    const years = await queryRows<{year: number}>(conn, "SELECT DISTINCT year FROM indicator_published WHERE rate IS NOT NULL ORDER BY year");
    const level = reportLevel(meta.levels, areaRows);
    for (const {year} of years) {
      const findings = await reportFindings(conn, year, {level});
      out.json(`data/report-${year}.json`, findings);
      out.json(`data/bericht/${year}.json`, reportPageFile(findings, values, need.rows, funding));
      index.berichte.push(year);
    }

    out.json("data/quality.json", await exportQuality(conn));
    out.json("data/methods.json", exportMethods());
    out.json("data/sources.json", exportSources());

    // downloads: CSV and Parquet (written by an in-memory scratch database)
    const tables = await downloadTables(conn);
    const scratch = await openDatabase(":memory:");
    try {
      for (const table of tables) {
        await out.download(table, scratch.conn);
        index.downloads.push(table.id);
      }
    } finally {
      scratch.conn.closeSync();
      scratch.instance.closeSync();
    }
    out.json("data/downloads.json", tables.map(({rows, ...table}) => ({...table, rows: rows.length})));

    const manifest: SiteManifest = {city, files: out.files, index};
    writeFileSync(join(tmp, MANIFEST), JSON.stringify(manifest, null, 1));
    // replace the previous export in one rename (the old folder is moved aside first)
    const old = `${outDir}.old-${process.pid}`;
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(tmp, outDir);
    rmSync(old, {recursive: true, force: true});
    return manifest;
  } catch (error) {
    rmSync(tmp, {recursive: true, force: true});
    throw error;
  }
}

/** The manifest of a city's last export, or null when there is none. */
export function readManifest(city: string): SiteManifest | null {
  const file = join(siteDir(city), MANIFEST);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SiteManifest) : null;
}
