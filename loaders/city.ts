/** Which city the site is built for, and where its inputs and database live. */
import {existsSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_CITY = "bochum";

/**
 * The folder holding the city folders: data/ of the project, or CHANCENATLAS_DATA (for example
 * a city prepared outside the repository, as the state-scale benchmark does).
 */
export function dataRoot(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.CHANCENATLAS_DATA?.trim();
  return root ? resolve(root) : join(PROJECT_ROOT, "data");
}

/** The city selected with CHANCENATLAS_CITY (default: bochum). */
export function selectedCity(env: NodeJS.ProcessEnv = process.env): string {
  const city = (env.CHANCENATLAS_CITY ?? DEFAULT_CITY).trim().toLowerCase();
  if (!/^[a-z0-9_-]+$/.test(city)) throw new Error(`CHANCENATLAS_CITY „${city}“ ist kein gültiger Ordnername unter ${dataRoot(env)}`);
  if (!existsSync(join(dataRoot(env), city))) throw new Error(`CHANCENATLAS_CITY=${city}: Ordner ${join(dataRoot(env), city)} fehlt`);
  return city;
}

export function cityDir(city: string): string {
  return join(dataRoot(), city);
}

/** The DuckDB file the site build uses for a city (gitignored). */
export function defaultDatabasePath(city: string): string {
  return join(PROJECT_ROOT, "var", `${city}.duckdb`);
}

/** The list of parameterized page paths of a city's site (written by scripts/prepare-site.ts). */
export function dynamicPathsFile(city: string): string {
  return join(PROJECT_ROOT, "var", `${city}.paths.json`);
}
