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
import {buildDatabase} from "./database.ts";
import {computeIndicators} from "./indicators/compute.ts";
import {validateCity, type ValidateOptions, type ValidatedCity} from "./validate.ts";
import {cityDir, defaultDatabasePath, selectedCity} from "./city.ts";

export async function buildCity(dir: string, dbPath: string, options: ValidateOptions = {}): Promise<ValidatedCity> {
  const city = validateCity(dir, options);
  await buildDatabase(city, dbPath, async (conn) => {
    await computeIndicators(conn, city.config);
  });
  return city;
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
