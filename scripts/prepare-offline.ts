/**
 * Answers Observable Framework's npm version lookups locally, so that
 * `observable build` and `observable preview` never contact the npm registry
 * or jsDelivr.
 *
 * Framework's client runtime references a fixed set of packages through
 * `npm:` specifiers (for its implicit imports such as Inputs, htl or DuckDB-WASM).
 * While bundling the client it resolves each one to a version by first looking
 * at the folder names in `<root>/.observablehq/cache/_npm/`. This script creates
 * one empty `<pkg>@<version>` folder per package: the version installed in
 * node_modules where the package is installed, otherwise a placeholder.
 * Chancenatlas pages never load these modules (all imports are explicit imports
 * from node_modules, which Framework bundles into `_node/`), so the placeholder
 * paths are never requested; the browser tests assert that.
 */
import {existsSync, mkdirSync, readFileSync, readdirSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(projectRoot, "src", ".observablehq", "cache", "_npm");

/** The package names Framework's client runtime refers to with `npm:` specifiers. */
export function clientNpmPackages(): string[] {
  const clientDir = join(projectRoot, "node_modules", "@observablehq", "framework", "dist", "client");
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js")) {
        const source = readFileSync(path, "utf8");
        for (const match of source.matchAll(/["']npm:((?:@[\w.-]+\/)?[\w.-]+)/g)) names.add(match[1]!);
      }
    }
  };
  walk(clientDir);
  return [...names].sort();
}

function installedVersion(name: string): string | undefined {
  const pkgPath = join(projectRoot, "node_modules", name, "package.json");
  if (!existsSync(pkgPath)) return undefined;
  return (JSON.parse(readFileSync(pkgPath, "utf8")) as {version: string}).version;
}

async function duckdbWasmVersion(): Promise<string> {
  const module = (await import("@observablehq/framework/dist/duckdb.js")) as {DUCKDB_WASM_VERSION: string};
  return module.DUCKDB_WASM_VERSION;
}

const PLACEHOLDER = "0.0.0-offline";

export async function prepareOffline(): Promise<void> {
  const wasmVersion = await duckdbWasmVersion();
  mkdirSync(cacheDir, {recursive: true});
  const created: string[] = [];
  for (const name of clientNpmPackages()) {
    const version = name === "@duckdb/duckdb-wasm" ? wasmVersion : installedVersion(name) ?? PLACEHOLDER;
    const folder = join(cacheDir, `${name}@${version}`);
    if (!existsSync(folder)) {
      mkdirSync(folder, {recursive: true});
      created.push(`${name}@${version}`);
    }
  }
  if (created.length) console.log(`prepare-offline: answered ${created.length} npm version lookups locally`);
}

