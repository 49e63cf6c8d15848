/**
 * Runs before `observable preview` and `observable build` (npm predev/prebuild):
 * 1. answers Framework's npm version lookups locally (see prepare-offline.ts);
 * 2. bundles the browser engine (the allocation simulator) into src/lib/engine/;
 * 3. builds the city's database (CHANCENATLAS_CITY) if it is older than its inputs or the pipeline;
 * 4. the export step: every page file and download, computed once in this process on one
 *    database connection, each checked by the publish gate (loaders/export/site-export.ts),
 *    written to var/<city>/site/ – skipped when database, code and documents are unchanged;
 * 5. writes the parameterized paths (var/<city>.paths.json, read by observablehq.config.ts) and
 *    the page modules that list the files a page chooses at run time (src/lib/generated/);
 * 6. keeps Framework's data-loader cache in step with the export: when the exported files
 *    changed (or the city), the old loader outputs are removed, and every exported file is
 *    placed where Framework keeps a loader's output, so that Framework does not start one
 *    loader process per file. The loaders themselves only hand over the same files
 *    (loaders/export/handover.ts), so a missing or removed cache gives the same site.
 */
import {createHash} from "node:crypto";
import {copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {build as esbuild} from "esbuild";
import {prepareOffline} from "./prepare-offline.ts";
import {cityDir, dynamicPathsFile, selectedCity} from "../loaders/city.ts";
import {ensureSiteDatabase, openSiteDatabase} from "../loaders/pipeline.ts";
import {exportSite, readManifest, siteDir, type SiteManifest} from "../loaders/export/site-export.ts";
import {pageModules} from "../loaders/export/page-modules.ts";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Paths, sizes and modification times of everything the export reads besides the database. */
function fingerprint(paths: readonly string[]): string {
  const hash = createHash("sha256");
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path).sort()) visit(join(path, name));
    else hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  for (const path of paths) visit(path);
  return hash.digest("hex");
}

function writeIfChanged(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, "utf8") === content) return;
  mkdirSync(dirname(path), {recursive: true});
  writeFileSync(path, content);
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
// build the city's database once, before the export
const dbPath = await ensureSiteDatabase(city);
console.log(`prepare-site: Datenbank ${dbPath}`);

// the export step, unless its inputs are the same as last time
const dbStat = statSync(dbPath);
const source = `${dbStat.size}\0${dbStat.mtimeMs}\0${fingerprint([
  join(projectRoot, "loaders"),
  join(projectRoot, "docs", "methods.md"),
  join(projectRoot, "docs", "data-sources.md"),
  join(cityDir(city), "SOURCES.md")
])}`;
const sourceFile = join(siteDir(city), "source.txt");
let manifest: SiteManifest | null = readManifest(city);
if (!manifest || !existsSync(sourceFile) || readFileSync(sourceFile, "utf8") !== source) {
  const start = performance.now();
  const {conn, close} = await openSiteDatabase();
  try {
    // the export runs many small queries: DuckDB's worker threads would cost more CPU than they save
    await conn.run("SET threads = 1");
    manifest = await exportSite(conn, city);
  } finally {
    close();
  }
  writeFileSync(sourceFile, source);
  const bytes = Object.values(manifest.files).reduce((s, f) => s + f.bytes, 0);
  console.log(`prepare-site: ${Object.keys(manifest.files).length} Seitendateien und Downloads (${(bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - start) / 1000).toFixed(1)} s → ${siteDir(city)}`);
}
// the download cache of earlier versions (one JSON file shared by the loaders) is no longer used
rmSync(join(projectRoot, "var", `${city}.downloads.json`), {force: true});

// the parameterized pages and files, read by observablehq.config.ts
const {index} = manifest;
const paths = [
  ...index.gebiete.map((name) => `/gebiet/${name}`),
  ...index.berichte.map((year) => `/bericht/${year}`),
  ...index.downloads.flatMap((id) => [`/downloads/${encodeURIComponent(id)}.csv`, `/downloads/${encodeURIComponent(id)}.parquet`])
];
writeIfChanged(dynamicPathsFile(city), JSON.stringify(paths, null, 1));

// the page modules with the run-time choices of files
const generatedDir = join(projectRoot, "src", "lib", "generated");
const modules = pageModules(index);
for (const [name, source] of Object.entries(modules)) writeIfChanged(join(generatedDir, name), source);
for (const name of existsSync(generatedDir) ? readdirSync(generatedDir) : []) if (!(name in modules)) rmSync(join(generatedDir, name));

// Framework's loader cache: cleared when the exported files changed, then filled with them
const cacheRoot = join(projectRoot, "src", ".observablehq", "cache");
const stampFile = join(cacheRoot, "chancenatlas-inputs.txt");
const stamp = `${city}\n${createHash("sha256").update(JSON.stringify(manifest.files)).digest("hex")}`;
const previous = existsSync(stampFile) ? readFileSync(stampFile, "utf8") : "";
if (previous !== stamp) {
  // loader outputs live next to the npm/node caches; remove only the loader outputs
  for (const name of existsSync(cacheRoot) ? readdirSync(cacheRoot) : []) {
    if (!name.startsWith("_") && name !== "chancenatlas-inputs.txt") rmSync(join(cacheRoot, name), {recursive: true, force: true});
  }
  mkdirSync(cacheRoot, {recursive: true});
  writeFileSync(stampFile, stamp);
  console.log(`prepare-site: Stadt „${city}“ – neue Seitendateien für Framework`);
}
const site = siteDir(city);
let placed = 0;
for (const path of Object.keys(manifest.files)) {
  const target = join(cacheRoot, path);
  if (existsSync(target)) continue;
  mkdirSync(dirname(target), {recursive: true});
  copyFileSync(join(site, path), target);
  placed++;
}
if (placed) console.log(`prepare-site: ${placed} Dateien in Framework's Cache gelegt`);
