/**
 * Site build benchmark (part of npm run bench): `npm run build` of a city – prebuild (database,
 * page data), Framework's build, postbuild – in a child process, measured with GNU time as CPU
 * seconds of the build and all its child processes, and peak memory of the largest one. The
 * output goes to a temporary folder; CHANCENATLAS_DATA lets the build read a city prepared
 * outside data/ (the synthetic state of scripts/bench-state.ts).
 * Then the data each page loads (measurePageWeight, in its own process): the heaviest page must
 * load at most 1 MB (issue 12: no page of a 2.000-area city loads more); a heavier page counts as
 * a failed build in npm run bench.
 */
import {spawnSync} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {fileURLToPath} from "node:url";
import {PROJECT_ROOT} from "../loaders/city.ts";

export interface SiteBench {
  city: string;
  cpuSeconds: number;
  wallSeconds: number;
  peakRssMb: number;
  ok: boolean;
  /** the last lines of the build's output when it failed or timed out, or the page that loads too much */
  error?: string;
  /** the heaviest page by the data it loads */
  pageWeight?: PageWeight;
}

/** Builds the site of `city` (under `dataDir`, default data/) into a temporary folder. */
export function benchSiteBuild(city: string, options: {dataDir?: string; timeoutSeconds?: number; pageWeight?: boolean} = {}): SiteBench {
  const out = mkdtempSync(join(tmpdir(), "chancenatlas-site-"));
  const timeFile = join(out, "time.txt");
  try {
    const start = performance.now();
    const result = spawnSync("/usr/bin/time", ["-f", "%U %S %M", "-o", timeFile, "npm", "run", "build"], {
      cwd: PROJECT_ROOT,
      env: {...process.env, CHANCENATLAS_CITY: city, CHANCENATLAS_OUTPUT: join(out, "dist"), ...(options.dataDir ? {CHANCENATLAS_DATA: options.dataDir} : {})},
      encoding: "utf8",
      maxBuffer: 256 * 2 ** 20,
      timeout: (options.timeoutSeconds ?? 1200) * 1000,
      killSignal: "SIGKILL"
    });
    const wallSeconds = (performance.now() - start) / 1000;
    let cpuSeconds = NaN;
    let peakRssMb = NaN;
    try {
      const [user, system, maxKb] = readFileSync(timeFile, "utf8").trim().split(/\s+/).slice(-3).map(Number);
      cpuSeconds = (user ?? NaN) + (system ?? NaN);
      peakRssMb = Math.round((maxKb ?? NaN) / 1024);
    } catch {
      // killed by the timeout: no figures
    }
    const ok = result.status === 0;
    const bench: SiteBench = {city, cpuSeconds, wallSeconds, peakRssMb, ok};
    if (!ok) bench.error = `${result.error ? `${result.error.message}\n` : ""}${(result.stderr ?? "").split("\n").slice(-8).join("\n")}`;
    if (ok && options.pageWeight !== false) {
      const measure = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--pages", join(out, "dist")], {cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 16 * 2 ** 20});
      const kb = (bytes: number): string => Math.round(bytes / 1000).toLocaleString("de-DE");
      if (measure.status !== 0) {
        console.log(`FEHLGESCHLAGEN  Datenmenge je Seite (${city}): ${(measure.stderr ?? "").trim().split("\n").slice(-3).join(" ")}`);
      } else {
        const weight = JSON.parse(measure.stdout.trim().split("\n").at(-1)!) as PageWeight;
        bench.pageWeight = weight;
        const weightOk = weight.bytes <= PAGE_DATA_TARGET_BYTES;
        console.log(`${weightOk ? "ok  " : "ZU VIEL"}  größte Seite ${weight.page}: ${kb(weight.bytes)} KB Daten (${weight.measured === "geladen" ? "im Browser geladen" : "alle registrierten Dateien"}), ${weight.pages.toLocaleString("de-DE")} Seiten  ${city} (Ziel ≤ ${kb(PAGE_DATA_TARGET_BYTES)} KB je Seite)`);
        if (!weightOk) {
          bench.ok = false;
          bench.error = `Seite ${weight.page} lädt ${kb(weight.bytes)} KB Daten (Ziel ≤ ${kb(PAGE_DATA_TARGET_BYTES)} KB)`;
        }
      }
    }
    return bench;
  } finally {
    rmSync(out, {recursive: true, force: true});
  }
}

/** Data a page loads: every file under _file/ it fetches (KB = 1.000 bytes). */
export interface PageWeight {
  /** the heaviest page and its data in bytes */
  page: string;
  bytes: number;
  /** how the heaviest page was measured: the files it registers, or those it fetched in chromium */
  measured: "registriert" | "geladen";
  pages: number;
  /** the pages measured in chromium, with the bytes each fetched */
  loaded: {page: string; bytes: number}[];
}

export const PAGE_DATA_TARGET_BYTES = 1_000_000;

/** The HTML pages of a built site as URL paths, and the data files each registers with their sizes. */
function registeredData(dist: string): Map<string, number> {
  const pages = new Map<string, number>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith("_")) walk(path);
      } else if (entry.name.endsWith(".html") && entry.name !== "404.html") {
        const html = readFileSync(path, "utf8");
        let bytes = 0;
        for (const match of html.matchAll(/\nregisterFile\("[^"]*", (\{[^\n]*\})\);/g)) {
          const info = JSON.parse(match[1]!) as {path?: string; size?: number};
          if (info.path?.includes("_file/")) bytes += info.size ?? 0;
        }
        const rel = relative(dist, path).replace(/\.html$/, "");
        pages.set(rel === "index" ? "/" : `/${rel}`, bytes);
      }
    }
  };
  walk(dist);
  return pages;
}

/**
 * The heaviest page of a built site by the data it loads. A page that registers at most 1 MB of
 * files cannot load more; each page that registers more (it chooses files at run time: indicator,
 * level, year) is opened in chromium and the bytes of every file under _file/ it fetches counted.
 */
export async function measurePageWeight(dist: string): Promise<PageWeight> {
  const registered = registeredData(dist);
  const weights = new Map<string, {bytes: number; measured: PageWeight["measured"]}>();
  const heavy: string[] = [];
  for (const [page, bytes] of registered) {
    if (bytes > PAGE_DATA_TARGET_BYTES) heavy.push(page);
    else weights.set(page, {bytes, measured: "registriert"});
  }
  if (heavy.length) {
    const {launchChromium} = await import("./browser/chromium.ts");
    const {serveStatic} = await import("./browser/static-server.ts");
    const {server, origin} = await serveStatic(dist);
    const browser = await launchChromium();
    try {
      for (const path of heavy) {
        const context = await browser.newContext({viewport: {width: 1280, height: 900}, locale: "de-DE"});
        const page = await context.newPage();
        const sizes: Promise<number>[] = [];
        page.on("response", (response) => {
          if (new URL(response.url()).pathname.includes("/_file/")) sizes.push(response.body().then((b) => b.length, () => 0));
        });
        await page.goto(origin + path, {waitUntil: "networkidle"});
        await page.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0, undefined, {timeout: 60_000});
        await page.waitForLoadState("networkidle");
        const bytes = (await Promise.all(sizes)).reduce((s, b) => s + b, 0);
        weights.set(path, {bytes, measured: "geladen"});
        await context.close();
      }
    } finally {
      await browser.close();
      server.close();
    }
  }
  const [page, {bytes, measured}] = [...weights].sort((a, b) => b[1].bytes - a[1].bytes)[0]!;
  const loaded = [...weights].filter(([, w]) => w.measured === "geladen").map(([p, w]) => ({page: p, bytes: w.bytes}));
  return {page, bytes, measured, pages: weights.size, loaded};
}

if (process.argv[2] === "--pages") {
  console.log(JSON.stringify(await measurePageWeight(process.argv[3]!)));
}
