/**
 * Runs before `observable preview` and `observable build` (npm predev/prebuild):
 * 1. answers Framework's npm version lookups locally (see prepare-offline.ts);
 * 2. invalidates Framework's data-loader cache when the selected city
 *    (CHANCENATLAS_CITY) or any of its input files changed, because Framework
 *    only watches the loader sources themselves.
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {build as esbuild} from "esbuild";
import {prepareOffline} from "./prepare-offline.ts";
import {selectedCity} from "../loaders/city.ts";
import {ensureSiteDatabase, openSiteDatabase} from "../loaders/pipeline.ts";
import {queryRows} from "../loaders/db.ts";
import {siteDownloadTables} from "../loaders/export/emit.ts";
import {dynamicPathsFile} from "../loaders/city.ts";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

function fingerprint(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const d of [join(projectRoot, "data"), join(projectRoot, "loaders")]) if (existsSync(d)) walk(d);
  return hash.digest("hex");
}

await prepareOffline();

// Pure engine modules the pages run in the browser (the allocation simulator) are
// bundled from loaders/ into src/lib/engine/ (gitignored), so there is one source.
await esbuild({
  entryPoints: {allocation: join(projectRoot, "loaders", "funding", "allocation.ts")},
  outdir: join(projectRoot, "src", "lib", "engine"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning"
});
const city = selectedCity();
const stamp = `${city}\n${fingerprint(join(projectRoot, "data", city))}`;
const cacheRoot = join(projectRoot, "src", ".observablehq", "cache");
const stampFile = join(cacheRoot, "chancenatlas-inputs.txt");
const previous = existsSync(stampFile) ? readFileSync(stampFile, "utf8") : "";
if (previous !== stamp) {
  // loader outputs live next to the npm/node caches; remove only the loader outputs
  for (const name of existsSync(cacheRoot) ? readdirSync(cacheRoot) : []) {
    if (!name.startsWith("_") && name !== "chancenatlas-inputs.txt") rmSync(join(cacheRoot, name), {recursive: true, force: true});
  }
  mkdirSync(cacheRoot, {recursive: true});
  writeFileSync(stampFile, stamp);
  console.log(`prepare-site: Stadt „${city}“ – Datenlader werden neu ausgeführt`);
}

// build the city's database once, before Framework starts its data loaders
const dbPath = await ensureSiteDatabase(city);
console.log(`prepare-site: Datenbank ${dbPath}`);

// the parameterized pages (one profile per area, one report per year), read by observablehq.config.ts
const {conn, close} = await openSiteDatabase();
try {
  const areas = await queryRows<{area_id: string}>(conn, "SELECT area_id FROM areas WHERE level_rank > 0 ORDER BY level_rank, area_id");
  const years = await queryRows<{year: number}>(conn, "SELECT DISTINCT year FROM indicator_published WHERE rate IS NOT NULL ORDER BY year");
  const downloadIds = (await siteDownloadTables()).map((t) => t.id);
  const paths = [
    ...areas.map((a) => `/gebiet/${encodeURIComponent(a.area_id)}`),
    ...years.map((y) => `/bericht/${y.year}`),
    ...downloadIds.flatMap((id) => [`/downloads/${id}.csv`, `/downloads/${id}.parquet`])
  ];
  writeFileSync(dynamicPathsFile(city), JSON.stringify(paths, null, 1));
} finally {
  close();
}
