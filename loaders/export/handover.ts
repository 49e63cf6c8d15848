/**
 * What the Framework data loaders in src/data/ and src/downloads/ do: hand over one file that
 * the export step (site-export.ts, run by scripts/prepare-site.ts) has already computed and
 * checked with the publish gate. No database, no computation – read the file, write it to stdout.
 * Kept free of heavy imports so that a loader starts fast.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {PROJECT_ROOT, selectedCity} from "../city.ts";

/** The folder the export step writes a city's page files and downloads into (gitignored). */
export function siteDir(city: string): string {
  return join(PROJECT_ROOT, "var", city, "site");
}

/** Fills the [param]s of a route ("data/gebiet/[area].json") from Framework's --param=value arguments. */
export function routePath(route: string, argv: readonly string[]): string {
  const params = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z0-9_]+)=(.*)$/i.exec(arg);
    if (match) params.set(match[1]!, match[2]!);
  }
  return route.replace(/\[([a-z0-9_]+)\]/gi, (_, name: string) => {
    const value = params.get(name);
    if (value === undefined || value === "") throw new Error(`${route}: Parameter --${name} fehlt`);
    if (/[/\\]|^\.\.?$/.test(value)) throw new Error(`${route}: ungültiger Wert für --${name}: ${value}`);
    return value;
  });
}

/** Writes the exported file `route` (with the loader's parameters filled in) to stdout. */
export function handOver(route: string, argv: readonly string[] = process.argv.slice(2)): void {
  const path = routePath(route, argv);
  const dir = siteDir(selectedCity());
  const file = join(dir, path);
  if (!existsSync(file)) {
    throw new Error(`${path} fehlt in ${dir}: Die Seitendateien schreibt scripts/prepare-site.ts (npm run build und npm run dev rufen es vorher auf).`);
  }
  process.stdout.write(readFileSync(file));
}
