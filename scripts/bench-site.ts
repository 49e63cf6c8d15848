/**
 * Site build benchmark (part of npm run bench): `npm run build` of a city – prebuild (database,
 * page data), Framework's build, postbuild – in a child process, measured with GNU time as CPU
 * seconds of the build and all its child processes, and peak memory of the largest one. The
 * output goes to a temporary folder; CHANCENATLAS_DATA lets the build read a city prepared
 * outside data/ (the synthetic state of scripts/bench-state.ts).
 */
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {PROJECT_ROOT} from "../loaders/city.ts";

export interface SiteBench {
  city: string;
  cpuSeconds: number;
  wallSeconds: number;
  peakRssMb: number;
  ok: boolean;
  /** the last lines of the build's output when it failed or timed out */
  error?: string;
}

/** Builds the site of `city` (under `dataDir`, default data/) into a temporary folder. */
export function benchSiteBuild(city: string, options: {dataDir?: string; timeoutSeconds?: number} = {}): SiteBench {
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
    return bench;
  } finally {
    rmSync(out, {recursive: true, force: true});
  }
}
