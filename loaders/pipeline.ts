/**
 * The whole build of one city: validate the inputs, load them into DuckDB,
 * compute indicators, indices and the protected results. Used by the
 * `chancenatlas load` command, the site's prebuild step and the Framework
 * data loaders.
 */
import {existsSync, readdirSync, statSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {writeDatabaseFile} from "./database.ts";
import {profiled} from "./db.ts";
import {loadCity, type LoadOptions, type LoadResult} from "./load/city.ts";
import {computeIndicators} from "./indicators/compute.ts";
import {cityDir, defaultDatabasePath, selectedCity} from "./city.ts";

export interface BuildOptions extends LoadOptions {
  /** called after each step with its CPU and wall time (for npm run bench) */
  onStep?: (step: StepTiming) => void;
}

export interface StepTiming {
  step: "laden" | "indikatoren";
  cpuSeconds: number;
  wallSeconds: number;
}

/** Reads, validates and loads a city folder into a new database file and computes everything. */
export async function buildCity(dir: string, dbPath: string, options: BuildOptions = {}): Promise<LoadResult> {
  return writeDatabaseFile(dbPath, async (conn) => {
    const timed = async <T>(step: StepTiming["step"], fn: () => Promise<T>): Promise<T> => {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      const result = await fn();
      const used = process.cpuUsage(cpu);
      options.onStep?.({step, cpuSeconds: (used.user + used.system) / 1e6, wallSeconds: (performance.now() - wall) / 1000});
      return result;
    };
    const loaded = await timed("laden", () => loadCity(conn, dir, options));
    await timed("indikatoren", () => computeIndicators(profiled(conn, "indikatoren"), loaded.config));
    return loaded;
  });
}

function newestFile(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestFile(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const LOADERS_DIR = fileURLToPath(new URL(".", import.meta.url));

/** Builds the selected city's database unless it is newer than its inputs and the pipeline code. Returns its path. */
export async function ensureSiteDatabase(city = selectedCity()): Promise<string> {
  const dbPath = defaultDatabasePath(city);
  const stale = !existsSync(dbPath) || statSync(dbPath).mtimeMs < Math.max(newestFile(cityDir(city)), newestFile(LOADERS_DIR));
  if (stale) await buildCity(cityDir(city), dbPath);
  return dbPath;
}

/** Opens the selected city's database read-only (several data loaders may read it at once). */
export async function openSiteDatabase(): Promise<{conn: DuckDBConnection; close: () => void}> {
  const dbPath = await ensureSiteDatabase();
  const instance = await DuckDBInstance.create(dbPath, {access_mode: "READ_ONLY"});
  const conn = await instance.connect();
  return {
    conn,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    }
  };
}
